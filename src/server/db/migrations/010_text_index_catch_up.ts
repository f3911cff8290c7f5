// SQLite's full-text index (FTS5 trigram) is filled after the commit instead of inside it. Indexing a case in the
// intake transaction cost about a fifth of the COMMIT and a fifth of the insert (FTS5 writes a new segment, its
// structure record and merges at every commit, and group commit makes a commit of every few reports). A job now
// indexes new cases in bulk (`cases/text-index.ts`), past a cursor in outbox_cursors; searches cover the cases past
// the cursor by LIKE, so a case is found the moment it is acknowledged, as before. Edits and deletes keep the
// index in step only for cases already in it: an FTS5 'delete' of a row never indexed would corrupt the index.
// PostgreSQL's pg_trgm index is part of the table and is unchanged.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../database.js';
import { createTextIndexTriggers } from './004_cases.js';

export const TEXT_CURSOR = 'cases_text';
const indexed = (row: 'old' | 'new') => sql.raw(`${row}.id <= (SELECT last_id FROM outbox_cursors WHERE name = '${TEXT_CURSOR}')`);

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // Every case so far went through the insert trigger: the cursor starts past them.
  await sql`INSERT INTO outbox_cursors (name, last_id, updated_at)
    SELECT ${TEXT_CURSOR}, coalesce(max(id), 0), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM cases`.execute(db);
  await sql`DROP TRIGGER cases_fts_insert`.execute(db);
  await sql`DROP TRIGGER cases_fts_delete`.execute(db);
  await sql`DROP TRIGGER cases_fts_update`.execute(db);
  await sql`CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases WHEN ${indexed('old')} BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, description, address) VALUES ('delete', old.id, old.description, coalesce(old.address, ''));
  END`.execute(db);
  await sql`CREATE TRIGGER cases_fts_update AFTER UPDATE OF description, address ON cases WHEN ${indexed('old')} BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, description, address) VALUES ('delete', old.id, old.description, coalesce(old.address, ''));
    INSERT INTO cases_fts(rowid, description, address) VALUES (new.id, new.description, coalesce(new.address, ''));
  END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // Back to indexing in the transaction: first index what the job had not reached.
  await sql`INSERT INTO cases_fts(rowid, description, address)
    SELECT id, description, coalesce(address, '') FROM cases WHERE id > (SELECT last_id FROM outbox_cursors WHERE name = ${TEXT_CURSOR})`.execute(db);
  await sql`DELETE FROM outbox_cursors WHERE name = ${TEXT_CURSOR}`.execute(db);
  await sql`DROP TRIGGER cases_fts_delete`.execute(db);
  await sql`DROP TRIGGER cases_fts_update`.execute(db);
  await createTextIndexTriggers(db);
}
