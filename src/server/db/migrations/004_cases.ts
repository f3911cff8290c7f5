// The closed loop: cases (one row per problem), their append-only events (the ledger's history), the work
// calendar's local days, rebound spots (反弹点), full-text search over descriptions and addresses.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../database.js';
import { float, withId } from './helpers.js';

/** The sort key of "time remaining": the deadline, or after every deadline when there is none. */
export const DUE_SORT = sql.raw(`coalesce(deadline, '9999-12-31T00:00:00.000Z')`);

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await withId(db, db.schema.createTable('cases'))
    .addColumn('case_no', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_level', 'text')
    .addColumn('source_ref', 'text')
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('category_kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lat', float(db), (c) => c.notNull())
    .addColumn('lng', float(db), (c) => c.notNull())
    .addColumn('point_id', 'integer', (c) => c.references('points.id'))
    .addColumn('grid_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('micro_grid_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('street_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('org_path', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('unit_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('unit_path', 'text')
    .addColumn('routing_rule_id', 'integer')
    .addColumn('routing_note', 'text')
    .addColumn('deadline', 'text')
    .addColumn('deadline_warning', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('pending_extension', 'text')
    .addColumn('mark', 'text')
    .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminder_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervised_at', 'text')
    .addColumn('rework_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_rebound', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rebound_of_id', 'integer')
    .addColumn('rebound_unit_id', 'integer')
    .addColumn('merged_into_id', 'integer')
    .addColumn('merged_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handled_at', 'text')
    .addColumn('handled_on_time', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('closed_on_time', 'integer')
    .addColumn('checker_id', 'integer')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Lists filter by scope and status and sort by time remaining (deadline, cases without one last: DUE_SORT);
  // intake looks for neighbours of one category.
  await sql`CREATE INDEX cases_scope_status ON cases (org_path, status, (${DUE_SORT}))`.execute(db);
  await sql`CREATE INDEX cases_unit_status ON cases (unit_path, status, (${DUE_SORT}))`.execute(db);
  await sql`CREATE INDEX cases_status_due ON cases (status, (${DUE_SORT}))`.execute(db);
  await sql`CREATE INDEX cases_due ON cases ((${DUE_SORT}), id)`.execute(db);
  await db.schema.createIndex('cases_created').on('cases').column('created_at').execute();
  await db.schema.createIndex('cases_nearby').on('cases').columns(['category_code', 'lat', 'lng']).execute();
  await db.schema.createIndex('cases_point').on('cases').columns(['point_id', 'category_code']).execute();
  await db.schema.createIndex('cases_community').on('cases').columns(['community_id', 'created_at']).execute();
  await db.schema.createIndex('cases_unit').on('cases').columns(['unit_id', 'created_at']).execute();
  await db.schema.createIndex('cases_source').on('cases').columns(['source', 'created_at']).execute();
  await db.schema.createIndex('cases_closed').on('cases').column('closed_at').execute();
  await db.schema.createIndex('cases_merged_into').on('cases').column('merged_into_id').execute();
  await db.schema.createIndex('cases_rebound_of').on('cases').column('rebound_of_id').execute();

  await withId(db, db.schema.createTable('case_events'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'text')
    .addColumn('actor_org', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text')
    .addColumn('data', 'text')
    .addColumn('deadline', 'text')
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('case_events_at').on('case_events').columns(['at']).execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('rebound_spots'))
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('point_id', 'integer')
    .addColumn('lat', float(db), (c) => c.notNull())
    .addColumn('lng', float(db), (c) => c.notNull())
    .addColumn('grid_id', 'integer', (c) => c.notNull())
    .addColumn('org_path', 'text', (c) => c.notNull())
    .addColumn('rebound_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_case_id', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rebound_spots_near').on('rebound_spots').columns(['category_code', 'lat', 'lng']).execute();

  if (pg) {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX cases_text_trgm ON cases USING gin ((description || ' ' || coalesce(address, '')) gin_trgm_ops)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE cases_fts USING fts5(description, address, content='cases', content_rowid='id', tokenize='trigram')`.execute(db);
    await createTextIndexTriggers(db);
  }
}

/** SQLite: the triggers that kept the FTS5 index in step with every insert, edit and delete (until migration 010). */
export async function createTextIndexTriggers(db: Kysely<any>): Promise<void> {
  await sql`CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, description, address) VALUES (new.id, new.description, coalesce(new.address, ''));
  END`.execute(db);
  await sql`CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, description, address) VALUES ('delete', old.id, old.description, coalesce(old.address, ''));
  END`.execute(db);
  await sql`CREATE TRIGGER cases_fts_update AFTER UPDATE OF description, address ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, description, address) VALUES ('delete', old.id, old.description, coalesce(old.address, ''));
    INSERT INTO cases_fts(rowid, description, address) VALUES (new.id, new.description, coalesce(new.address, ''));
  END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await sql`DROP TABLE IF EXISTS cases_fts`.execute(db);
  for (const t of ['rebound_spots', 'calendar_days', 'case_events', 'cases']) await db.schema.dropTable(t).execute();
}
