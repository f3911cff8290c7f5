// SQL of the closed loop. Scope: a user sees a case when the place lies in their subtree (territory) or the case
// was sent to a unit in their subtree.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { CaseRow, Database } from '../../db/schema.js';
import { subtreePattern, subtreeRange } from '../../lib/scope.js';
import { isPostgres } from '../../db/database.js';
import { DUE_SORT } from '../../db/migrations/004_cases.js';

type CaseInsert = Omit<CaseRow, 'id'>;

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
  if ([...q].length < 3) {
    return sql<SqlBool>`(cases.description LIKE ${like} ESCAPE '\\' OR coalesce(cases.address, '') LIKE ${like} ESCAPE '\\')`;
  }
  if (isPostgres(db)) return sql<SqlBool>`(cases.description || ' ' || coalesce(cases.address, '')) ILIKE ${like} ESCAPE '\\'`;
  const phrase = `"${q.replace(/"/g, '""')}"`;
  return sql<SqlBool>`cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ${phrase})`;
}

export const caseRepo = {
  async insert(db: Executor, row: CaseInsert): Promise<number> {
    forgetCaseCounts();
    const { id } = await db.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  setCaseNo(db: Executor, id: number, caseNo: string) {
    return db.updateTable('cases').set({ case_no: caseNo }).where('id', '=', id).execute();
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

  insertEvent(
    db: Executor,
    e: { caseId: number; at: string; actorId: number | null; actorName: string | null; actorOrg: string | null; action: string; from: string | null; to: string | null; note?: string | null; data?: unknown; deadline?: string | null },
  ) {
    return db
      .insertInto('case_events')
      .values({
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
      })
      .execute();
  },

  events(db: Executor, caseId: number) {
    return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },

  /** Cases of one category inside a lat/lng box (the caller filters by true distance). */
  near(db: Executor, q: { categoryCode: string; box: [number, number, number, number]; statuses?: readonly string[]; closedSince?: string; excludeId?: number; limit: number }) {
    const [w, s, e, n] = q.box;
    let query = db
      .selectFrom('cases')
      .select(['id', 'case_no', 'status', 'lat', 'lng', 'description', 'address', 'created_at', 'closed_at', 'unit_id', 'point_id', 'merged_into_id', 'org_path', 'unit_path', 'reporter_id'])
      .where('category_code', '=', q.categoryCode)
      .where('lat', '>=', s)
      .where('lat', '<=', n)
      .where('lng', '>=', w)
      .where('lng', '<=', e);
    if (q.statuses) query = query.where('status', 'in', q.statuses as string[]);
    if (q.closedSince) query = query.where('closed_at', '>=', q.closedSince);
    if (q.excludeId) query = query.where('id', '!=', q.excludeId);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
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
    let q = db.selectFrom('rebound_spots').selectAll().where('category_code', '=', s.categoryCode);
    q = s.pointId
      ? q.where('point_id', '=', s.pointId)
      : q.where('lat', '>=', s.lat - s.radiusDeg).where('lat', '<=', s.lat + s.radiusDeg).where('lng', '>=', s.lng - s.radiusDeg).where('lng', '<=', s.lng + s.radiusDeg);
    const spot = await q.orderBy('id').executeTakeFirst();
    if (spot) {
      const count = spot.rebound_count + 1;
      await db.updateTable('rebound_spots').set({ rebound_count: count, flagged: count >= s.flagAt ? 1 : 0, last_case_id: s.caseId, updated_at: s.now }).where('id', '=', spot.id).execute();
      return { id: spot.id, count, flagged: count >= s.flagAt };
    }
    const { id } = await db
      .insertInto('rebound_spots')
      .values({ category_code: s.categoryCode, point_id: s.pointId, lat: s.lat, lng: s.lng, grid_id: s.gridId, org_path: s.orgPath, rebound_count: 1, flagged: 1 >= s.flagAt ? 1 : 0, last_case_id: s.caseId, updated_at: s.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, count: 1, flagged: 1 >= s.flagAt };
  },

  reboundSpots(db: Executor, scopePath: string, flaggedOnly: boolean) {
    let q = db.selectFrom('rebound_spots').selectAll().where('org_path', 'like', subtreePattern(scopePath));
    if (flaggedOnly) q = q.where('flagged', '=', 1);
    return q.orderBy('rebound_count', 'desc').limit(500).execute();
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
