// Named cursors (outbox_cursors): how far a job has worked through an append-only table, kept in the same
// transaction as the job's work so that a crash repeats nothing and skips nothing. The notification fan-out reads
// case_events past its cursor; SQLite's full-text catch-up reads cases past its own.
import { sql } from 'kysely';
import type { Executor } from '../lib/context.js';
import { isPostgres } from '../db/database.js';

export const cursorRepo = {
  /** The cursor, created at 0 if new; on PostgreSQL the row stays locked until the transaction ends. */
  async lock(db: Executor, name: string, now: string): Promise<number> {
    await db.insertInto('outbox_cursors').values({ name, last_id: 0, updated_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const { rows } = isPostgres(db)
      ? await sql<{ last_id: number }>`SELECT last_id FROM outbox_cursors WHERE name = ${name} FOR UPDATE`.execute(db)
      : await sql<{ last_id: number }>`SELECT last_id FROM outbox_cursors WHERE name = ${name}`.execute(db);
    return Number(rows[0].last_id);
  },

  set(db: Executor, name: string, lastId: number, now: string) {
    return db.updateTable('outbox_cursors').set({ last_id: lastId, updated_at: now }).where('name', '=', name).execute();
  },
};
