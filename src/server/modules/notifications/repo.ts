// SQL of notifications: the inbox, the outbox cursor over case_events, the people a notice can reach, and the
// deadline job's batched reads and writes.
import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';
import { isPostgres } from '../../db/database.js';
import { subtreePattern } from '../../lib/scope.js';
import { DEADLINE_WATCH_STATES_SQL } from '../../db/migrations/005_notifications.js';
import { forgetCaseCounts } from '../cases/repo.js';

export interface NewNotification {
  user_id: number;
  kind: string;
  title: string;
  body: string | null;
  case_id: number | null;
  event_id: number | null;
  created_at: string;
}

/** A case event as the fan-out first reads it (its own row only: most events notify nobody). */
export interface OutboxEvent {
  id: number;
  case_id: number;
  at: string;
  actor_id: number | null;
  action: string;
  note: string | null;
  data: string | null;
  deadline: string | null;
}

/** The facts of a case that a notice about one of its events needs. */
export interface FanoutCaseFacts {
  case_no: string;
  status: string;
  description: string;
  category_code: string;
  category_name: string | null;
  unit_id: number | null;
  unit_path: string | null;
  org_path: string;
  grid_id: number;
  micro_grid_id: number | null;
  street_id: number;
  reporter_id: number | null;
}

/** A case event with the case facts the fan-out needs. */
export type FanoutEvent = OutboxEvent & FanoutCaseFacts;

export interface Person {
  id: number;
  username: string;
  display_name: string;
  phone: string | null;
  role: string;
  org_id: number;
  path: string;
}

/** A row the deadline job looks at. */
export interface DeadlineCandidate {
  id: number;
  version: number;
  deadline: string;
  dispatched_at: string | null;
  reminder_level: number;
  overdue: number;
  escalation_level: number;
  unit_id: number | null;
  category_code: string;
}

export interface DeadlineChange {
  id: number;
  version: number;
  from: { reminderLevel: number; overdue: number; escalationLevel: number };
  to: { reminderLevel: number; overdue: number; escalationLevel: number };
}

const eventColumns = sql`e.id, e.case_id, e.at, e.actor_id, e.action, e.note, e.data, e.deadline`;

export const notificationRepo = {
  // ---- inbox -------------------------------------------------------------------------------------------------
  async list(db: Executor, userId: number, unreadOnly: boolean, page: number, pageSize: number) {
    let q = db.selectFrom('notifications').where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    const [items, count] = await Promise.all([
      q
        .leftJoin('cases', 'cases.id', 'notifications.case_id')
        .select(['notifications.id', 'notifications.kind', 'notifications.title', 'notifications.body', 'notifications.case_id', 'notifications.created_at', 'notifications.read_at', 'cases.case_no'])
        .orderBy('notifications.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  async unreadCount(db: Executor, userId: number) {
    const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Marks the user's own unread rows read: these ids, or all of them when ids is null. */
  async markRead(db: Executor, userId: number, ids: number[] | null, now: string) {
    let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids) q = q.where('id', 'in', ids);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  /** Inserts, skipping (event, user) pairs that exist already; returns the rows actually added. */
  async insertMany(db: Executor, rows: NewNotification[]) {
    const added: { id: number; user_id: number; event_id: number | null }[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      added.push(
        ...(await db
          .insertInto('notifications')
          .values(chunk)
          .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
          .returning(['id', 'user_id', 'event_id'])
          .execute()),
      );
    }
    return added;
  },

  purgeRead(db: Executor, readBefore: string) {
    return db.deleteFrom('notifications').where('read_at', '<', readBefore).executeTakeFirst();
  },

  // ---- outbox cursor over case_events (the cursor itself: jobs/cursors.ts) ----------------------------------
  gaps(db: Executor, name: string) {
    return db.selectFrom('outbox_gaps').select(['id', 'from_id', 'to_id', 'created_at']).where('cursor_name', '=', name).orderBy('from_id').execute();
  },

  async addGaps(db: Executor, name: string, ranges: { from: number; to: number; createdAt: string }[]) {
    if (!ranges.length) return;
    await db
      .insertInto('outbox_gaps')
      .values(ranges.map((r) => ({ cursor_name: name, from_id: r.from, to_id: r.to, created_at: r.createdAt })))
      .execute();
  },

  async deleteGaps(db: Executor, ids: number[]) {
    if (ids.length) await db.deleteFrom('outbox_gaps').where('id', 'in', ids).execute();
  },

  eventsAfter(db: Executor, afterId: number, limit: number) {
    return sql<OutboxEvent>`SELECT ${eventColumns} FROM case_events e WHERE e.id > ${afterId} ORDER BY e.id LIMIT ${limit}`
      .execute(db)
      .then((r) => r.rows);
  },

  eventsInRanges(db: Executor, ranges: { from_id: number; to_id: number }[]) {
    if (!ranges.length) return Promise.resolve([] as OutboxEvent[]);
    const where = sql.join(
      ranges.map((r) => sql`(e.id BETWEEN ${r.from_id} AND ${r.to_id})`),
      sql` OR `,
    );
    return sql<OutboxEvent>`SELECT ${eventColumns} FROM case_events e WHERE ${where} ORDER BY e.id LIMIT 5000`
      .execute(db)
      .then((r) => r.rows);
  },

  /** The notice-relevant facts of these cases, in one read. */
  caseFacts(db: Executor, caseIds: number[]) {
    if (!caseIds.length) return Promise.resolve([] as (FanoutCaseFacts & { id: number })[]);
    return sql<FanoutCaseFacts & { id: number }>`SELECT c.id, c.case_no, c.status, c.description, c.category_code, cat.name_zh AS category_name,
        c.unit_id, c.unit_path, c.org_path, c.grid_id, c.micro_grid_id, c.street_id, c.reporter_id
      FROM cases c LEFT JOIN categories cat ON cat.code = c.category_code
      WHERE c.id IN (${sql.join(caseIds)})`
      .execute(db)
      .then((r) => r.rows);
  },

  // ---- who can be reached -----------------------------------------------------------------------------------
  orgPaths(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([] as { id: number; path: string }[]);
    return db.selectFrom('orgs').select(['id', 'path']).where('id', 'in', ids).execute();
  },

  /** Active people of these roles anywhere under these org paths. */
  async peopleUnder(db: Executor, paths: string[], roles: readonly string[]): Promise<Person[]> {
    if (!paths.length) return [];
    return db
      .selectFrom('users')
      .innerJoin('orgs', 'orgs.id', 'users.org_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.phone', 'users.role', 'users.org_id', 'orgs.path'])
      .where('users.active', '=', 1)
      .where('users.role', 'in', roles as string[])
      .where((eb) => eb.or(paths.map((p) => eb('orgs.path', 'like', subtreePattern(p)))))
      .execute();
  },

  async peopleByIds(db: Executor, ids: number[]): Promise<Person[]> {
    if (!ids.length) return [];
    return db
      .selectFrom('users')
      .innerJoin('orgs', 'orgs.id', 'users.org_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.phone', 'users.role', 'users.org_id', 'orgs.path'])
      .where('users.active', '=', 1)
      .where('users.id', 'in', ids)
      .execute();
  },

  // ---- SSE lookups --------------------------------------------------------------------------------------------
  casePlaces(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('cases').select(['id', 'org_path', 'unit_path', 'reporter_id']).where('id', 'in', ids).execute();
  },

  async liveSessions(db: Executor, ids: string[], now: string) {
    if (!ids.length) return new Set<string>();
    const rows = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('sessions.id', 'in', ids)
      .where('sessions.expires_at', '>', now)
      .where('users.active', '=', 1)
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  // ---- deadline job -------------------------------------------------------------------------------------------
  /** Effective time-limit unit per 小类 code (its own, else its 大类's). */
  async categoryUnits(db: Executor) {
    const rows = await db
      .selectFrom('categories as c')
      .leftJoin('categories as p', 'p.id', 'c.parent_id')
      .select(['c.code', 'c.limit_unit', 'p.limit_unit as parent_unit'])
      .execute();
    return new Map(rows.map((r) => [r.code, r.limit_unit ?? r.parent_unit ?? 'work_hours']));
  },

  /**
   * One page of the cases that run against a deadline (dispatched, processing, extension requested), in
   * (deadline, id) order after `after`, leaving out those with nothing left to do (reminded, overdue, escalated).
   */
  async deadlinePage(db: Executor, q: { after: { deadline: string; id: number } | null; limit: number; reminderLevels: number; escalationLevels: number }) {
    // `deadline >= x` lets the scan start at the key; the OR settles ties on the deadline by id.
    const after = q.after ? sql`AND c.deadline >= ${q.after.deadline} AND (c.deadline > ${q.after.deadline} OR c.id > ${q.after.id})` : sql``;
    // The state list is written out as in the partial index's predicate, so both engines can use that index;
    // SQLite without statistics prefers the cases list's (status, due) index and sorts, so it is told which.
    const { rows } = await sql<DeadlineCandidate>`
      SELECT c.id, c.version, c.deadline, c.dispatched_at, c.reminder_level, c.overdue, c.escalation_level, c.unit_id, c.category_code
      FROM cases c ${isPostgres(db) ? sql`` : sql`INDEXED BY cases_deadline_watch`}
      WHERE c.status IN ${sql.raw(DEADLINE_WATCH_STATES_SQL)} AND c.deadline IS NOT NULL ${after}
        AND (c.reminder_level < ${q.reminderLevels} OR c.overdue = 0 OR c.escalation_level < ${q.escalationLevels})
      ORDER BY c.deadline, c.id
      LIMIT ${q.limit}`.execute(db);
    return rows;
  },

  /**
   * When each case's current deadline started to run: the first event that set it (dispatch, 返工, reopening,
   * an approved extension, a 挂账 case taken up again). Absent when no event carries it (then dispatched_at).
   */
  async clockStarts(db: Executor, ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const { rows } = await sql<{ id: number; clock_start: string | null }>`
      SELECT c.id, (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.deadline = c.deadline
          AND (e.action IN ('dispatch', 'fail_check', 'reopen', 'approve_extension') OR (e.action = 'start' AND e.from_status = 'hung'))) AS clock_start
      FROM cases c WHERE c.id IN (${sql.join(ids)})`.execute(db);
    return new Map(rows.filter((r) => r.clock_start).map((r) => [Number(r.id), r.clock_start!]));
  },

  /**
   * Applies the changes whose case has not moved (same version and the same levels as read), in one statement.
   * Returns the ids that were updated; the others changed meanwhile and wait for the next pass.
   */
  async applyDeadlineChanges(db: Executor, changes: DeadlineChange[], now: string): Promise<number[]> {
    if (!changes.length) return [];
    const int = (n: number) => sql`CAST(${n} AS integer)`;
    const values = sql.join(
      changes.map((c) => sql`(${int(c.id)}, ${int(c.version)}, ${int(c.from.reminderLevel)}, ${int(c.from.overdue)}, ${int(c.from.escalationLevel)}, ${int(c.to.reminderLevel)}, ${int(c.to.overdue)}, ${int(c.to.escalationLevel)})`),
    );
    // VALUES columns are column1…column8 on both engines; named in a subquery so both can read them.
    const { rows } = await sql<{ id: number }>`
      UPDATE cases SET reminder_level = v.rl, overdue = v.od, escalation_level = v.el, updated_at = ${now}
      FROM (SELECT column1 AS vid, column2 AS ver, column3 AS orl, column4 AS ood, column5 AS oel, column6 AS rl, column7 AS od, column8 AS el
            FROM (VALUES ${values}) AS t) AS v
      WHERE cases.id = v.vid AND cases.version = v.ver AND cases.reminder_level = v.orl AND cases.overdue = v.ood
        AND cases.escalation_level = v.oel
      RETURNING cases.id`.execute(db);
    if (rows.length) forgetCaseCounts(); // overdue flags changed: cached list pages and totals are stale
    return rows.map((r) => Number(r.id));
  },

  async insertSystemEvents(
    db: Executor,
    events: { caseId: number; at: string; action: string; note: string | null; data: unknown; deadline: string | null }[],
  ) {
    for (let i = 0; i < events.length; i += 400) {
      await db
        .insertInto('case_events')
        .values(
          events.slice(i, i + 400).map((e) => ({
            case_id: e.caseId,
            at: e.at,
            actor_id: null,
            actor_name: '系统',
            actor_org: null,
            action: e.action,
            from_status: null,
            to_status: null,
            note: e.note,
            data: JSON.stringify(e.data),
            deadline: e.deadline,
          })),
        )
        .execute();
    }
  },
};
