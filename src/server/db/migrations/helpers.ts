import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { isPostgres } from '../database.js';

/** Integer primary key that both engines fill in: `serial` on PostgreSQL, rowid alias on SQLite. */
export function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, any>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Float column: `double precision` on PostgreSQL (`real` there is 4 bytes), `real` on SQLite (8 bytes). */
export const float = (db: Kysely<any>) => (isPostgres(db) ? sql`double precision` : sql`real`);
