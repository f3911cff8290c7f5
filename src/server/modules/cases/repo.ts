// SQL of the closed loop. Scope: a user sees a case when the place lies in their subtree (territory) or the case
// was sent to a unit in their subtree.
import { CompiledQuery, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { CaseEventRow, CaseRow, Database } from '../../db/schema.js';
import { subtreePattern, subtreeRange } from '../../lib/scope.js';
import { isPostgres } from '../../db/database.js';
import { DUE_SORT } from '../../db/migrations/004_cases.js';
import { TEXT_CURSOR } from '../../db/migrations/010_text_index_catch_up.js';
import { OPEN_STATES } from '../../../core/cases/index.js';
import { LAT_BAND_SQL, latBandsCovering } from '../../../core/geo/bands.js';
import { prepared } from '../../db/prepared.js';

type CaseInsert = Omit<CaseRow, 'id'>;

export interface NewCaseEvent {
  caseId: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  actorOrg: string | null;
  action: string;
  from: string | null;
  to: string | null;
  note?: string | null;
  data?: unknown;
  deadline?: string | null;
}

const eventValues = (e: NewCaseEvent): Omit<CaseEventRow, 'id'> => ({
  case_id: e.caseId,
  at: e.at,
  actor_id: e.actorId,
  actor_name: e.actorName,
  actor_org: e.actorOrg,
  action: e.action,
  from_status: e.from,
  to_status: e.to,
  note: e.note ?? null,
  data: e.data === undefined ? null : JSON.stringify(e.data),
  deadline: e.deadline ?? null,
});

export interface CaseListFilter {
  scopePath: string;
  /** The viewer, who also sees their own reports. */
  viewerId: number;
  /** The viewer sits at a street or district node: territory alone decides. */
  territorial?: boolean;
  /** Only the viewer's own reports. */
  mine?: boolean;
  statuses?: string[];
  sources?: string[];
  categoryCodes?: string[];
  communityId?: number;
  gridId?: number;
  unitId?: number;
  /** Only cases whose unit is in this subtree (a unit's to-do list). */
  unitPath?: string;
  /** Only cases sent to exactly this unit (a unit's to-do list). */
  unitPathEquals?: string;
  /** Only cases whose place is in this subtree (a grid worker's list). */
  territoryPath?: string;
  overdue?: boolean;
  supervised?: boolean;
  rebound?: boolean;
  pointId?: number;
  createdFrom?: string;
  createdTo?: string;
  q?: string;
}

export type CaseSort = 'deadline' | 'created' | 'updated';

// List totals are counted by scanning an index, which costs more than the page itself on a busy street. A total is
// reused for a few seconds for the same filter; any case written in this process clears them all.
const COUNT_TTL_MS = 3000;
const counts = new Map<string, { at: number; n: number }>();

async function countCached(f: CaseListFilter, count: () => Promise<number>): Promise<number> {
  const key = JSON.stringify(f);
  const hit = counts.get(key);
  if (hit && Date.now() - hit.at < COUNT_TTL_MS) return hit.n;
  const n = await count();
  if (counts.size > 2000) counts.clear();
  counts.set(key, { at: Date.now(), n });
  return n;
}

let generation = 0;

/** Drops cached list totals: called after every case write in this process. */
export function forgetCaseCounts(): void {
  counts.clear();
  generation++;
}

/** Changes whenever a case is written in this process: cached list pages compare it. */
export const caseWriteGeneration = () => generation;

/**
 * A street or district sees everything in its territory, and every unit and reporter of its cases is inside it:
 * the territory range alone is exact and index-friendly. Below that, a unit also sees what was sent to it and a
 * reporter what they reported.
 */
export function scopeOf(eb: ExpressionBuilder<Database, 'cases'>, path: string, userId: number, territorial: boolean): Expression<SqlBool> {
  const [lo, hi] = subtreeRange(path);
  const territory = eb.and([eb('cases.org_path', '>=', lo), eb('cases.org_path', '<', hi)]);
  if (territorial) return territory;
  return eb.or([territory, eb.and([eb('cases.unit_path', '>=', lo), eb('cases.unit_path', '<', hi)]), eb('cases.reporter_id', '=', userId)]);
}

/** Text search: FTS5 trigram on SQLite, pg_trgm on PostgreSQL; under 3 characters neither index helps, so LIKE. */
function textMatch(db: Executor, q: string) {
  const like = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const scan = sql<SqlBool>`(cases.description LIKE ${like} ESCAPE '\\' OR coalesce(cases.address, '') LIKE ${like} ESCAPE '\\')`;
  if ([...q].length < 3) return scan;
  if (isPostgres(db)) return sql<SqlBool>`(cases.description || ' ' || coalesce(cases.address, '')) ILIKE ${like} ESCAPE '\\'`;
  const phrase = `"${q.replace(/"/g, '""')}"`;
  // The index holds the cases up to its cursor (text-index.ts); the few past it, not yet indexed, are read by LIKE.
  return sql<SqlBool>`(cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ${phrase})
    OR (cases.id > (SELECT last_id FROM outbox_cursors WHERE name = ${TEXT_CURSOR}) AND ${scan}))`;
}

type Box = [number, number, number, number];
interface NearQuery {
  categoryCode: string;
  box: Box;
  /** Band markers of a prepared statement (its shape fixed); otherwise computed from the box. */
  bands?: { list: number[] } | { range: [number, number] };
  statuses?: readonly string[];
  closedSince?: string;
  excludeId?: number;
  limit: number;
}

/** Latitude bands a search names one by one (padded to a fixed count so statements are reused); more: a range. */
const BAND_LIST_SIZES = [2, 4, 16, 64] as const;

/**
 * The latitude-band condition of a neighbour search (index cases_near): the bands the box crosses, as a list of
 * fixed length (the last band repeated) or, for a very tall box, as a range.
 */
function bandCondition(s: number, n: number): { list: number[] } | { range: [number, number] } {
  const bands = latBandsCovering(s, n);
  const size = BAND_LIST_SIZES.find((k) => k >= bands.length);
  if (!size) return { range: [bands[0], bands[bands.length - 1]] };
  return { list: Array.from({ length: size }, (_, i) => bands[Math.min(i, bands.length - 1)]) };
}

const LAT_BAND = sql.raw(LAT_BAND_SQL);

function nearQuery(db: Executor, q: NearQuery) {
  const [w, s, e, n] = q.box;
  const bands = q.bands ?? bandCondition(s, n);
  let query = db
    .selectFrom('cases')
    .select(['id', 'case_no', 'status', 'lat', 'lng', 'description', 'address', 'created_at', 'closed_at', 'unit_id', 'point_id', 'merged_into_id', 'org_path', 'unit_path', 'reporter_id'])
    .where('category_code', '=', q.categoryCode);
  query = 'list' in bands ? query.where(sql<number>`${LAT_BAND}`, 'in', bands.list) : query.where(sql<number>`${LAT_BAND}`, '>=', bands.range[0]).where(sql<number>`${LAT_BAND}`, '<=', bands.range[1]);
  query = query
    .where('lat', '>=', s)
    .where('lat', '<=', n)
    .where('lng', '>=', w)
    .where('lng', '<=', e);
  // Statuses are the code's own constants: written into the SQL, SQLite builds the IN list once per statement
  // instead of on every run (three times cheaper).
  if (q.statuses) query = query.where('status', 'in', q.statuses.map((st) => sql.lit(statusLiteral(st))));
  if (q.closedSince) query = query.where('closed_at', '>=', q.closedSince);
  if (q.excludeId) query = query.where('id', '!=', q.excludeId);
  // A limit written into the SQL lets SQLite keep only the top rows while it sorts (four times cheaper here).
  return query.orderBy('id', 'desc').limit(sql.lit(Math.max(1, Math.floor(q.limit))));
}

function statusLiteral(st: string): string {
  if (!/^[a-z_]+$/.test(st)) throw new Error(`not a case status: ${st}`);
  return st;
}

/** What every new case starts with: nothing pending, counted, merged in, handled or closed yet. */
export const FRESH_CASE = {
  pending_extension: null,
  mark: null,
  overdue: 0,
  reminder_level: 0,
  escalation_level: 0,
  supervised: 0,
  supervised_at: null,
  rework_count: 0,
  return_count: 0,
  extension_count: 0,
  reopen_count: 0,
  merged_count: 0,
  handled_at: null,
  handled_on_time: null,
  closed_at: null,
  closed_on_time: null,
  checker_id: null,
} as const satisfies Partial<CaseInsert>;

// ---- the intake's statements, compiled once (prepared.ts) -------------------------------------------------------

const CASE_COLUMNS = [
  'case_no', 'status', 'version', 'source', 'source_level', 'source_ref', 'category_code', 'category_kind', 'description', 'address', 'lat', 'lng',
  'point_id', 'grid_id', 'micro_grid_id', 'community_id', 'street_id', 'org_path', 'reporter_id', 'reporter_name', 'reporter_phone', 'unit_id',
  'unit_path', 'routing_rule_id', 'routing_note', 'deadline', 'deadline_warning', 'dispatched_at', 'pending_extension', 'mark', 'overdue',
  'reminder_level', 'escalation_level', 'supervised', 'supervised_at', 'rework_count', 'return_count', 'extension_count', 'reopen_count',
  'is_rebound', 'rebound_of_id', 'rebound_unit_id', 'merged_into_id', 'merged_count', 'handled_at', 'handled_on_time', 'closed_at',
  'closed_on_time', 'checker_id', 'idempotency_key', 'created_by', 'created_at', 'updated_at',
] as const satisfies readonly (keyof CaseInsert)[];
// Every column of a case, so that a new column cannot be left out of the insert unnoticed.
type MissingCaseColumn = Exclude<keyof CaseInsert, (typeof CASE_COLUMNS)[number]>;
const allCaseColumns: MissingCaseColumn extends never ? true : MissingCaseColumn = true;
void allCaseColumns;

const insertCase = prepared((db, ...values: unknown[]) =>
  db
    .insertInto('cases')
    .values(Object.fromEntries(CASE_COLUMNS.map((c, i) => [c, values[i]])) as never)
    .returning('id'),
);

const insertCaseWithId = prepared((db, id: number, ...values: unknown[]) =>
  db.insertInto('cases').values({ id, ...Object.fromEntries(CASE_COLUMNS.map((c, i) => [c, values[i]])) } as never),
);
// The id AUTOINCREMENT would give the next row: above both the largest id ever used and the largest present.
const NEXT_CASE_ID_SQLITE = CompiledQuery.raw(
  `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'cases'), 0), coalesce((SELECT max(id) FROM cases), 0)) + 1 AS id`,
);
const NEXT_CASE_ID_PG = CompiledQuery.raw(`SELECT nextval(pg_get_serial_sequence('cases', 'id')) AS id`);

const updateCaseNo = prepared((db, caseNo: string, id: number) => db.updateTable('cases').set({ case_no: caseNo }).where('id', '=', id));

const EVENT_COLUMNS = ['case_id', 'at', 'actor_id', 'actor_name', 'actor_org', 'action', 'from_status', 'to_status', 'note', 'data', 'deadline'] as const;
const eventInserts = new Map<number, ReturnType<typeof prepareEventInsert>>();
const prepareEventInsert = (n: number) =>
  prepared((db, ...values: unknown[]) =>
    db
      .insertInto('case_events')
      .values(Array.from({ length: n }, (_, r) => Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, values[r * EVENT_COLUMNS.length + i]])) as never))
      .returning('id'),
  );
function insertEventRows(n: number) {
  let q = eventInserts.get(n);
  if (!q) eventInserts.set(n, (q = prepareEventInsert(n)));
  return q;
}

// One compiled statement per pair of limits (the limits are part of the SQL text).
const nearOpenAndClosedQueries = new Map<string, ReturnType<typeof prepareNearOpenAndClosed>>();
type BandShape = number | 'range';
const shapeOf = (b: ReturnType<typeof bandCondition>): BandShape => ('list' in b ? b.list.length : 'range');
const bandArgs = (b: ReturnType<typeof bandCondition>) => ('list' in b ? b.list : b.range);
/** Markers standing for a band condition's values in a prepared statement of that shape. */
const bandMarkers = (shape: BandShape, args: unknown[]) => (shape === 'range' ? { range: args as [number, number] } : { list: args as number[] });

const prepareNearOpenAndClosed = (openLimit: number, closedLimit: number, openShape: BandShape, closedShape: BandShape) => {
  const openBands = openShape === 'range' ? 2 : openShape;
  return prepared((db, categoryCode: string, w: number, s: number, e: number, n: number, cw: number, cs: number, ce: number, cn: number, closedSince: string, ...bands: number[]) => {
    const open = nearQuery(db, { categoryCode, box: [w, s, e, n], bands: bandMarkers(openShape, bands.slice(0, openBands)), statuses: OPEN_STATES, limit: openLimit });
    const closed = nearQuery(db, { categoryCode, box: [cw, cs, ce, cn], bands: bandMarkers(closedShape, bands.slice(openBands)), statuses: ['closed'], closedSince, limit: closedLimit });
    return db.selectFrom(open.as('o')).selectAll().unionAll(db.selectFrom(closed.as('c')).selectAll());
  });
};
function nearOpenAndClosedQuery(openLimit: number, closedLimit: number, openShape: BandShape, closedShape: BandShape) {
  const key = `${openLimit}|${closedLimit}|${openShape}|${closedShape}`;
  let q = nearOpenAndClosedQueries.get(key);
  if (!q) nearOpenAndClosedQueries.set(key, (q = prepareNearOpenAndClosed(openLimit, closedLimit, openShape, closedShape)));
  return q;
}

const reboundSpotAtPoint = prepared((db, categoryCode: string, pointId: number) =>
  db.selectFrom('rebound_spots').select(['id', 'rebound_count']).where('category_code', '=', categoryCode).where('point_id', '=', pointId).orderBy('id').limit(sql.lit(1)),
);
const reboundSpotNear = prepared((db, categoryCode: string, s: number, n: number, w: number, e: number) =>
  db
    .selectFrom('rebound_spots')
    .select(['id', 'rebound_count'])
    .where('category_code', '=', categoryCode)
    .where('lat', '>=', s)
    .where('lat', '<=', n)
    .where('lng', '>=', w)
    .where('lng', '<=', e)
    .orderBy('id')
    .limit(sql.lit(1)),
);
const updateReboundSpot = prepared((db, count: number, flagged: number, caseId: number, now: string, id: number) =>
  db.updateTable('rebound_spots').set({ rebound_count: count, flagged, last_case_id: caseId, updated_at: now }).where('id', '=', id),
);
const insertReboundSpot = prepared(
  (db, categoryCode: string, pointId: number | null, lat: number, lng: number, gridId: number, orgPath: string, flagged: number, caseId: number, now: string) =>
    db
      .insertInto('rebound_spots')
      .values({ category_code: categoryCode, point_id: pointId, lat, lng, grid_id: gridId, org_path: orgPath, rebound_count: sql.lit(1), flagged, last_case_id: caseId, updated_at: now })
      .returning('id'),
);

export const caseRepo = {
  /**
   * SQLite: adds the next cases after `afterId` (at most `limit`) to the FTS5 index, in the caller's transaction.
   * Returns how many, and the last id indexed (null when there were none).
   */
  async indexTextAfter(db: Executor, afterId: number, limit: number): Promise<{ count: number; lastId: number | null }> {
    const { rows } = await sql<{ n: number; upto: number | null }>`
      SELECT count(*) AS n, max(id) AS upto FROM (SELECT id FROM cases WHERE id > ${afterId} ORDER BY id LIMIT ${limit})`.execute(db);
    const { n, upto } = rows[0];
    if (!n || upto === null) return { count: 0, lastId: null };
    await sql`INSERT INTO cases_fts (rowid, description, address)
      SELECT id, description, coalesce(address, '') FROM cases WHERE id > ${afterId} AND id <= ${upto}`.execute(db);
    return { count: Number(n), lastId: Number(upto) };
  },

  async insert(db: Executor, row: CaseInsert): Promise<number> {
    forgetCaseCounts();
    const values = CASE_COLUMNS.map((c) => row[c]);
    if (values.includes(undefined as never)) {
      const { id } = await db.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
      return id;
    }
    return (await insertCase(db, ...values)).rows[0].id;
  },

  setCaseNo(db: Executor, id: number, caseNo: string) {
    return updateCaseNo(db, caseNo, id);
  },

  /**
   * Inserts a case whose number derives from its id, in one statement: the id the database would assign is taken
   * first (SQLite: AUTOINCREMENT's rule, inside the caller's write transaction; PostgreSQL: the id sequence).
   */
  async insertNumbered(db: Executor, row: Omit<CaseInsert, 'case_no'>, caseNumber: (id: number) => string): Promise<{ id: number; caseNo: string }> {
    forgetCaseCounts();
    const { rows } = await db.executeQuery<{ id: number }>(isPostgres(db) ? NEXT_CASE_ID_PG : NEXT_CASE_ID_SQLITE);
    const id = Number(rows[0].id);
    const caseNo = caseNumber(id);
    const values = CASE_COLUMNS.map((c) => (c === 'case_no' ? caseNo : row[c]));
    if (values.includes(undefined as never)) {
      const full = Object.fromEntries(CASE_COLUMNS.map((c, i) => [c, values[i]])) as CaseInsert;
      await db.insertInto('cases').values({ ...full, id }).execute();
    } else await insertCaseWithId(db, id, ...values);
    return { id, caseNo };
  },

  byId(db: Executor, id: number) {
    return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byIdempotencyKey(db: Executor, key: string) {
    return db.selectFrom('cases').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  },

  /** Optimistic update: false when someone else changed the case first (the caller answers 409). */
  async update(db: Executor, id: number, version: number, patch: Partial<CaseInsert>): Promise<boolean> {
    forgetCaseCounts();
    const res = await db.updateTable('cases').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  bumpMergedCount(db: Executor, id: number, now: string) {
    forgetCaseCounts();
    return db.updateTable('cases').set({ merged_count: sql`merged_count + 1`, updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
  },

  insertEvent(db: Executor, e: NewCaseEvent) {
    return db.insertInto('case_events').values(eventValues(e)).execute();
  },

  /** Several events in one statement; the stored rows come back in the given order. */
  async insertEvents(db: Executor, events: NewCaseEvent[]): Promise<CaseEventRow[]> {
    if (!events.length) return [];
    const values = events.map(eventValues);
    const { rows } = await insertEventRows(values.length)(db, ...values.flatMap((v) => EVENT_COLUMNS.map((c) => v[c])));
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    return values.map((v, i) => ({ id: ids[i], ...v }));
  },

  events(db: Executor, caseId: number) {
    return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },

  /** Cases of one category inside a lat/lng box (the caller filters by true distance). */
  near(db: Executor, q: NearQuery) {
    return nearQuery(db, q).execute();
  },

  /**
   * Intake's two searches in one statement: open cases in the duplicate box (查重) and cases closed since a time
   * in the rebound box (反弹), each limited and newest first as `near` would return them.
   */
  async nearOpenAndClosed(db: Executor, q: { categoryCode: string; openBox: Box; openLimit: number; closedBox: Box; closedSince: string; closedLimit: number }) {
    const openBands = bandCondition(q.openBox[1], q.openBox[3]);
    const closedBands = bandCondition(q.closedBox[1], q.closedBox[3]);
    const run = nearOpenAndClosedQuery(q.openLimit, q.closedLimit, shapeOf(openBands), shapeOf(closedBands));
    const { rows } = await run(db, q.categoryCode, ...q.openBox, ...q.closedBox, q.closedSince, ...bandArgs(openBands), ...bandArgs(closedBands));
    const byIdDesc = (a: { id: number }, b: { id: number }) => b.id - a.id;
    return { open: rows.filter((r) => r.status !== 'closed').sort(byIdDesc), closed: rows.filter((r) => r.status === 'closed').sort(byIdDesc) };
  },

  async list(db: Executor, f: CaseListFilter, sort: CaseSort, page: number, pageSize: number, withTotal = true) {
    const filtered = (statuses: string[] | undefined) => {
      // A unit's own queue is inside its scope already: leaving the OR out lets the index on unit_path serve it.
      const scoped = f.unitPathEquals && f.unitPathEquals.startsWith(f.scopePath);
      let q = scoped ? db.selectFrom('cases') : db.selectFrom('cases').where((eb) => scopeOf(eb, f.scopePath, f.viewerId, !!f.territorial));
      if (f.unitPathEquals) q = q.where('cases.unit_path', '=', f.unitPathEquals);
      if (f.mine) q = q.where('cases.reporter_id', '=', f.viewerId);
      if (statuses?.length) q = statuses.length === 1 ? q.where('cases.status', '=', statuses[0]) : q.where('cases.status', 'in', statuses);
      if (f.sources?.length) q = q.where('cases.source', 'in', f.sources);
      if (f.categoryCodes?.length) q = q.where('cases.category_code', 'in', f.categoryCodes);
      if (f.communityId) q = q.where('cases.community_id', '=', f.communityId);
      if (f.gridId) q = q.where((eb) => eb.or([eb('cases.grid_id', '=', f.gridId!), eb('cases.micro_grid_id', '=', f.gridId!)]));
      if (f.unitId) q = q.where('cases.unit_id', '=', f.unitId);
      if (f.unitPath) {
        const [lo, hi] = subtreeRange(f.unitPath);
        q = q.where('cases.unit_path', '>=', lo).where('cases.unit_path', '<', hi);
      }
      if (f.territoryPath) {
        const [lo, hi] = subtreeRange(f.territoryPath);
        q = q.where('cases.org_path', '>=', lo).where('cases.org_path', '<', hi);
      }
      if (f.overdue !== undefined) q = q.where('cases.overdue', '=', f.overdue ? 1 : 0);
      if (f.supervised !== undefined) q = q.where('cases.supervised', '=', f.supervised ? 1 : 0);
      if (f.rebound !== undefined) q = q.where('cases.is_rebound', '=', f.rebound ? 1 : 0);
      if (f.pointId) q = q.where('cases.point_id', '=', f.pointId);
      if (f.createdFrom) q = q.where('cases.created_at', '>=', f.createdFrom);
      if (f.createdTo) q = q.where('cases.created_at', '<', f.createdTo);
      if (f.q) q = q.where(textMatch(db, f.q));
      return q;
    };
    const offset = (page - 1) * pageSize;
    type IdRow = { id: number; due: string };
    const idsOf = (statuses: string[] | undefined, limit: number, skip: number) => {
      let ids = filtered(statuses).select(['cases.id', sql<string>`${DUE_SORT}`.as('due')]);
      if (sort === 'deadline') ids = ids.orderBy(DUE_SORT).orderBy('cases.id');
      else if (sort === 'updated') ids = ids.orderBy('cases.updated_at', 'desc').orderBy('cases.id', 'desc');
      else ids = ids.orderBy('cases.id', 'desc');
      return ids.limit(limit).offset(skip).execute() as Promise<IdRow[]>;
    };
    let pageIds: Promise<IdRow[]>;
    if (sort === 'deadline' && (f.statuses?.length ?? 0) > 1 && !f.q && offset + pageSize <= 2000) {
      // Several statuses sorted by time remaining: each status walks its own (status, due) index in order and the
      // short lists merge here, instead of the engine sorting every matching case.
      pageIds = Promise.all(f.statuses!.map((st) => idsOf([st], offset + pageSize, 0))).then((lists) =>
        lists
          .flat()
          .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id - b.id))
          .slice(offset, offset + pageSize),
      );
    } else pageIds = idsOf(f.statuses, pageSize, offset);
    const [page_, total] = await Promise.all([pageIds, withTotal ? countCached(f, () => filtered(f.statuses).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n))) : Promise.resolve(-1)]);
    const order = page_.map((r) => r.id);
    const rows = order.length ? await caseRepo.withNames(db, order) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = order.map((id) => byId.get(id)!).filter(Boolean);
    return { items, total };
  },

  /** Rows with the names lists show (unit, community, grid, point), in one query. */
  withNames(db: Executor, ids: number[]) {
    return db
      .selectFrom('cases')
      .leftJoin('orgs as unit', 'unit.id', 'cases.unit_id')
      .leftJoin('orgs as community', 'community.id', 'cases.community_id')
      .leftJoin('orgs as grid', 'grid.id', 'cases.grid_id')
      .leftJoin('points as point', 'point.id', 'cases.point_id')
      .selectAll('cases')
      .select(['unit.name as unit_name', 'community.name as community_name', 'grid.name as grid_name', 'point.name as point_name'])
      .where('cases.id', 'in', ids)
      .execute();
  },

  /** One row with the names a detail page shows. */
  detail(db: Executor, id: number) {
    return db
      .selectFrom('cases')
      .leftJoin('orgs as unit', 'unit.id', 'cases.unit_id')
      .leftJoin('orgs as community', 'community.id', 'cases.community_id')
      .leftJoin('orgs as grid', 'grid.id', 'cases.grid_id')
      .leftJoin('points as point', 'point.id', 'cases.point_id')
      .selectAll('cases')
      .select(['unit.name as unit_name', 'community.name as community_name', 'grid.name as grid_name', 'point.name as point_name'])
      .where('cases.id', '=', id)
      .executeTakeFirst();
  },

  mergedInto(db: Executor, id: number) {
    return db.selectFrom('cases').select(['id', 'case_no', 'created_at', 'reporter_name', 'source']).where('merged_into_id', '=', id).orderBy('id').execute();
  },

  async bumpReboundSpot(db: Executor, s: { categoryCode: string; pointId: number | null; lat: number; lng: number; gridId: number; orgPath: string; caseId: number; radiusDeg: number; flagAt: number; now: string }) {
    const spot = (
      s.pointId
        ? await reboundSpotAtPoint(db, s.categoryCode, s.pointId)
        : await reboundSpotNear(db, s.categoryCode, s.lat - s.radiusDeg, s.lat + s.radiusDeg, s.lng - s.radiusDeg, s.lng + s.radiusDeg)
    ).rows[0];
    if (spot) {
      const count = spot.rebound_count + 1;
      await updateReboundSpot(db, count, count >= s.flagAt ? 1 : 0, s.caseId, s.now, spot.id);
      return { id: spot.id, count, flagged: count >= s.flagAt };
    }
    const { rows } = await insertReboundSpot(db, s.categoryCode, s.pointId, s.lat, s.lng, s.gridId, s.orgPath, 1 >= s.flagAt ? 1 : 0, s.caseId, s.now);
    return { id: rows[0].id, count: 1, flagged: 1 >= s.flagAt };
  },

  reboundSpots(db: Executor, scopePath: string, flaggedOnly: boolean) {
    let q = db.selectFrom('rebound_spots').selectAll().where('org_path', 'like', subtreePattern(scopePath));
    if (flaggedOnly) q = q.where('flagged', '=', 1);
    return q.orderBy('rebound_count', 'desc').limit(500).execute();
  },

  async pointName(db: Executor, id: number) {
    return (await db.selectFrom('points').select('name').where('id', '=', id).executeTakeFirst())?.name;
  },

  orgPath(db: Executor, id: number) {
    return db.selectFrom('orgs').select(['id', 'path', 'kind', 'name', 'active']).where('id', '=', id).executeTakeFirst();
  },

  /** Due for the deadline job: open cases with a deadline, not yet fully reminded or escalated. */
  dueForReminders(db: Executor, statuses: readonly string[], limit: number) {
    return db
      .selectFrom('cases')
      .select(['id', 'status', 'deadline', 'dispatched_at', 'reminder_level', 'escalation_level', 'overdue', 'unit_id', 'unit_path', 'street_id', 'case_no', 'category_code', 'version', 'supervised'])
      .where('status', 'in', statuses as string[])
      .where('deadline', 'is not', null)
      .orderBy('deadline')
      .limit(limit)
      .execute();
  },
};
