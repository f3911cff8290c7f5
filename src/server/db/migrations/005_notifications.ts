// Notifications: the in-app inbox (one row per recipient), and the outbox cursor with which the fan-out job walks
// case_events. Events are the source of truth; inbox rows, SSE pushes and webhook deliveries are derived from them.
import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

/** States whose cases run against a deadline; the deadline job's index covers exactly these rows. */
export const DEADLINE_WATCH_STATES_SQL = `('dispatched', 'processing', 'extension_requested')`;

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('notifications'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    /** The case event this row was derived from: with user_id unique, so a re-run of the fan-out adds nothing. */
    .addColumn('event_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  // The inbox reads "mine, newest first" and "mine, unread"; the count reads the second.
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at', 'id']).execute();
  await db.schema.createIndex('notifications_event_user').on('notifications').columns(['event_id', 'user_id']).unique().execute();
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();

  // One row per consumer of case_events: the highest event id it has processed.
  await db.schema
    .createTable('outbox_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Ids the cursor stepped over. On PostgreSQL a transaction can commit a lower id after a higher one (or roll
  // back and burn it); these ranges are looked at again for a while so a late commit is not lost.
  await withId(db, db.schema.createTable('outbox_gaps'))
    .addColumn('cursor_name', 'text', (c) => c.notNull())
    .addColumn('from_id', 'integer', (c) => c.notNull())
    .addColumn('to_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_gaps_cursor').on('outbox_gaps').columns(['cursor_name', 'from_id']).execute();

  // The deadline job walks open cases by (deadline, id) every minute. A partial index holds only the cases that
  // run against a deadline (a small share of all cases), so intake of new reports does not pay for it.
  await sql`CREATE INDEX cases_deadline_watch ON cases (deadline, id) WHERE status IN ${sql.raw(DEADLINE_WATCH_STATES_SQL)} AND deadline IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_deadline_watch').execute();
  for (const t of ['outbox_gaps', 'outbox_cursors', 'notifications']) await db.schema.dropTable(t).execute();
}
