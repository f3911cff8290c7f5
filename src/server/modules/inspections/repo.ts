// SQL of inspections: plans with their inspectors, points and events; results with their scored items. Scope: a
// plan belongs to one street and carries that street's path; readers see plans under their org path (and plans they
// are an inspector of). JSON columns (sampling, observation, event data) stay opaque text here.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type {
  InspectionPlanEventTable,
  InspectionPlanRow,
  InspectionPlanTable,
  InspectionResultItemTable,
  InspectionResultRow,
  InspectionResultTable,
} from '../../db/schema.js';

const bump = { version: sql<number>`version + 1` };
/** Rows per multi-row insert: well under SQLite's bound-parameter limit. */
const CHUNK = 300;

export interface PlanListFilter {
  scopePath: string;
  viewerId: number;
  kind?: string;
  status?: string;
  /** Only plans the viewer is an inspector of. */
  mine?: boolean;
  offset: number;
  limit: number;
}

export interface PlanListRow extends InspectionPlanRow {
  point_count: number;
  done_count: number;
  inspector_count: number;
}

export interface PlanPointRow {
  point_id: number;
  seq: number;
  inspector_id: number | null;
  inspector_name: string | null;
  name: string;
  type_code: string;
  type_name_zh: string | null;
  type_name_en: string | null;
  lat: number;
  lng: number;
  geometry: string;
  address: string | null;
  active: number;
  community_id: number;
  community_name: string | null;
  grid_id: number;
  result_id: number | null;
  result_earned: number | null;
  result_possible: number | null;
  result_far: number | null;
}

export interface InspectorRow {
  user_id: number;
  username: string;
  display_name: string;
  role: string;
  active: number;
  org_path: string;
  sort: number;
}

export interface UserRef {
  id: number;
  username: string;
  display_name: string;
  role: string;
  active: number;
  org_path: string;
}

/** One scored item of a plan with the point it was scored at: the rows every score groups. */
export interface ScoreRow {
  result_id: number;
  point_id: number;
  point_name: string;
  type_code: string;
  community_id: number;
  item_code: string;
  earned: number;
  possible: number;
  failed: number;
}

export interface ProblemRow {
  result_item_id: number;
  result_id: number;
  point_id: number;
  point_name: string;
  type_code: string;
  type_name_zh: string | null;
  address: string | null;
  lat: number;
  lng: number;
  community_id: number;
  community_name: string | null;
  item_id: number;
  item_code: string;
  item_text: string;
  rule: string;
  observation: string;
  earned: number;
  possible: number;
  fixed_on_spot: number;
  note: string | null;
  inspected_at: string;
  inspector_name: string | null;
  case_id: number | null;
  case_no: string | null;
  case_status: string | null;
  case_deadline: string | null;
  unit_id: number | null;
  unit_name: string | null;
}

const planCounts = (db: Executor) =>
  db
    .selectFrom('inspection_plans as p')
    .selectAll('p')
    .select((eb) => [
      eb.selectFrom('inspection_plan_points as pp').whereRef('pp.plan_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('point_count'),
      eb.selectFrom('inspection_results as r').whereRef('r.plan_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('done_count'),
      eb.selectFrom('inspection_plan_inspectors as pi').whereRef('pi.plan_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('inspector_count'),
    ]);

const numberCounts = <T extends { point_count: unknown; done_count: unknown; inspector_count: unknown }>(r: T) => ({
  ...r,
  point_count: Number(r.point_count ?? 0),
  done_count: Number(r.done_count ?? 0),
  inspector_count: Number(r.inspector_count ?? 0),
});

export const inspectionRepo = {
  // ---- plans -------------------------------------------------------------------------------------------------------

  async insertPlan(db: Executor, values: Insertable<InspectionPlanTable>): Promise<number> {
    const { id } = await db.insertInto('inspection_plans').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  planById(db: Executor, id: number): Promise<InspectionPlanRow | undefined> {
    return db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async planWithCounts(db: Executor, id: number): Promise<PlanListRow | undefined> {
    const row = await planCounts(db).where('p.id', '=', id).executeTakeFirst();
    return row ? (numberCounts(row) as PlanListRow) : undefined;
  },

  /** Optimistic update: false when the plan's version moved on. */
  async updatePlan(db: Executor, id: number, version: number, patch: Partial<Omit<InspectionPlanRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db.updateTable('inspection_plans').set({ ...patch, ...bump }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async deletePlan(db: Executor, id: number): Promise<void> {
    await db.deleteFrom('inspection_plan_events').where('plan_id', '=', id).execute();
    await db.deleteFrom('inspection_plan_points').where('plan_id', '=', id).execute();
    await db.deleteFrom('inspection_plan_inspectors').where('plan_id', '=', id).execute();
    await db.deleteFrom('inspection_plans').where('id', '=', id).execute();
  },

  /** Highest plan number of a year ('JC-2026-%'), to number the next one. */
  async lastPlanNo(db: Executor, year: number): Promise<string | null> {
    const r = await db
      .selectFrom('inspection_plans')
      .select((eb) => eb.fn.max('plan_no').as('no'))
      .where('plan_no', 'like', `JC-${year}-%`)
      .executeTakeFirst();
    return (r?.no as string | null) ?? null;
  },

  async listPlans(db: Executor, f: PlanListFilter): Promise<{ rows: PlanListRow[]; total: number }> {
    const scoped = <Q extends { where: any }>(q: Q): Q => {
      let out = q.where((eb: any) =>
        f.mine
          ? eb.exists(eb.selectFrom('inspection_plan_inspectors as mi').select('mi.id').whereRef('mi.plan_id', '=', 'p.id').where('mi.user_id', '=', f.viewerId))
          : eb.or([
              eb('p.org_path', 'like', `${f.scopePath}%`),
              eb.exists(eb.selectFrom('inspection_plan_inspectors as mi').select('mi.id').whereRef('mi.plan_id', '=', 'p.id').where('mi.user_id', '=', f.viewerId)),
            ]),
      );
      if (f.kind) out = out.where('p.kind', '=', f.kind);
      if (f.status) out = out.where('p.status', '=', f.status);
      return out;
    };
    const [rows, total] = await Promise.all([
      scoped(planCounts(db)).orderBy('p.starts_on', 'desc').orderBy('p.id', 'desc').offset(f.offset).limit(f.limit).execute(),
      scoped(db.selectFrom('inspection_plans as p').select((eb) => eb.fn.countAll<number>().as('n'))).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => numberCounts(r) as PlanListRow), total: Number(total.n) };
  },

  /** The latest plan of a kind in a street before `startsOn` (or created before `id` on the same day), not a draft. */
  previousPlan(db: Executor, plan: Pick<InspectionPlanRow, 'id' | 'street_id' | 'kind' | 'starts_on'>): Promise<InspectionPlanRow | undefined> {
    return db
      .selectFrom('inspection_plans')
      .selectAll()
      .where('street_id', '=', plan.street_id)
      .where('kind', '=', plan.kind)
      .where('status', 'in', ['active', 'closed'])
      .where('id', '!=', plan.id)
      .where((eb) => eb.or([eb('starts_on', '<', plan.starts_on), eb.and([eb('starts_on', '=', plan.starts_on), eb('id', '<', plan.id)])]))
      .orderBy('starts_on', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async insertEvent(db: Executor, values: Insertable<InspectionPlanEventTable>): Promise<void> {
    await db.insertInto('inspection_plan_events').values(values).execute();
  },

  events(db: Executor, planId: number) {
    return db.selectFrom('inspection_plan_events').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
  },

  // ---- inspectors ----------------------------------------------------------------------------------------------------

  inspectors(db: Executor, planId: number): Promise<InspectorRow[]> {
    return db
      .selectFrom('inspection_plan_inspectors as pi')
      .innerJoin('users as u', 'u.id', 'pi.user_id')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select(['pi.user_id', 'u.username', 'u.display_name', 'u.role', 'u.active', 'o.path as org_path', 'pi.sort'])
      .where('pi.plan_id', '=', planId)
      .orderBy('pi.sort')
      .orderBy('pi.id')
      .execute();
  },

  async isInspector(db: Executor, planId: number, userId: number): Promise<boolean> {
    const r = await db.selectFrom('inspection_plan_inspectors').select('id').where('plan_id', '=', planId).where('user_id', '=', userId).executeTakeFirst();
    return !!r;
  },

  async setInspectors(db: Executor, planId: number, userIds: number[], now: string): Promise<void> {
    await db.deleteFrom('inspection_plan_inspectors').where('plan_id', '=', planId).execute();
    if (userIds.length) {
      await db
        .insertInto('inspection_plan_inspectors')
        .values(userIds.map((user_id, i) => ({ plan_id: planId, user_id, sort: (i + 1) * 10, created_at: now })))
        .execute();
    }
  },

  users(db: Executor, ids: number[]): Promise<UserRef[]> {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('users as u')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.active', 'o.path as org_path'])
      .where('u.id', 'in', ids)
      .execute();
  },

  // ---- points --------------------------------------------------------------------------------------------------------

  planPoints(db: Executor, planId: number, inspectorId?: number): Promise<PlanPointRow[]> {
    let q = db
      .selectFrom('inspection_plan_points as pp')
      .innerJoin('points as pt', 'pt.id', 'pp.point_id')
      .leftJoin('point_types as t', 't.code', 'pt.type_code')
      .leftJoin('orgs as c', 'c.id', 'pt.community_id')
      .leftJoin('users as u', 'u.id', 'pp.inspector_id')
      .leftJoin('inspection_results as r', (j) => j.onRef('r.plan_id', '=', 'pp.plan_id').onRef('r.point_id', '=', 'pp.point_id'))
      .select([
        'pp.point_id',
        'pp.seq',
        'pp.inspector_id',
        'u.display_name as inspector_name',
        'pt.name',
        'pt.type_code',
        't.name_zh as type_name_zh',
        't.name_en as type_name_en',
        'pt.lat',
        'pt.lng',
        'pt.geometry',
        'pt.address',
        'pt.active',
        'pt.community_id',
        'c.name as community_name',
        'pt.grid_id',
        'r.id as result_id',
        'r.earned as result_earned',
        'r.possible as result_possible',
        'r.checkin_far as result_far',
      ])
      .where('pp.plan_id', '=', planId);
    if (inspectorId !== undefined) q = q.where('pp.inspector_id', '=', inspectorId);
    return q.orderBy('pp.seq').orderBy('pp.point_id').execute();
  },

  planPoint(db: Executor, planId: number, pointId: number) {
    return db.selectFrom('inspection_plan_points').selectAll().where('plan_id', '=', planId).where('point_id', '=', pointId).executeTakeFirst();
  },

  async pointIdsOf(db: Executor, planId: number): Promise<number[]> {
    return (await db.selectFrom('inspection_plan_points').select('point_id').where('plan_id', '=', planId).orderBy('seq').execute()).map((r) => r.point_id);
  },

  async replacePoints(db: Executor, planId: number, rows: { point_id: number; seq: number; inspector_id: number | null }[]): Promise<void> {
    await db.deleteFrom('inspection_plan_points').where('plan_id', '=', planId).execute();
    for (let i = 0; i < rows.length; i += CHUNK) {
      await db
        .insertInto('inspection_plan_points')
        .values(rows.slice(i, i + CHUNK).map((r) => ({ plan_id: planId, ...r })))
        .execute();
    }
  },

  /** Sets the inspector of many points at once (one statement per inspector). */
  async assignPoints(db: Executor, planId: number, byInspector: Map<number | null, number[]>): Promise<void> {
    for (const [inspectorId, pointIds] of byInspector) {
      for (let i = 0; i < pointIds.length; i += CHUNK) {
        await db
          .updateTable('inspection_plan_points')
          .set({ inspector_id: inspectorId })
          .where('plan_id', '=', planId)
          .where('point_id', 'in', pointIds.slice(i, i + CHUNK))
          .execute();
      }
    }
  },

  /** Active points of a street that may be sampled, optionally of some types and communities. */
  candidatePoints(db: Executor, streetId: number, f: { types?: string[]; communityIds?: number[] }) {
    let q = db.selectFrom('points').select(['id', 'type_code', 'lat', 'lng', 'community_id']).where('street_id', '=', streetId).where('active', '=', 1);
    if (f.types) q = q.where('type_code', 'in', f.types.length ? f.types : ['-']);
    if (f.communityIds) q = q.where('community_id', 'in', f.communityIds.length ? f.communityIds : [-1]);
    return q.orderBy('id').execute();
  },

  pointsByIds(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('points').select(['id', 'name', 'type_code', 'lat', 'lng', 'street_id', 'community_id', 'active', 'geometry', 'address']).where('id', 'in', ids).execute();
  },

  // ---- results -------------------------------------------------------------------------------------------------------

  resultByKey(db: Executor, key: string): Promise<InspectionResultRow | undefined> {
    return db.selectFrom('inspection_results').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  },

  resultByPlanPoint(db: Executor, planId: number, pointId: number): Promise<InspectionResultRow | undefined> {
    return db.selectFrom('inspection_results').selectAll().where('plan_id', '=', planId).where('point_id', '=', pointId).executeTakeFirst();
  },

  resultById(db: Executor, id: number): Promise<InspectionResultRow | undefined> {
    return db.selectFrom('inspection_results').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertResult(db: Executor, values: Insertable<InspectionResultTable>): Promise<number> {
    const { id } = await db.insertInto('inspection_results').values(values).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Inserts the items of a result; ids come back in input order. */
  async insertResultItems(db: Executor, rows: Insertable<InspectionResultItemTable>[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const res = await db.insertInto('inspection_result_items').values(rows.slice(i, i + CHUNK)).returning('id').execute();
      ids.push(...res.map((r) => r.id));
    }
    return ids;
  },

  async setItemCase(db: Executor, itemId: number, caseId: number): Promise<void> {
    await db.updateTable('inspection_result_items').set({ case_id: caseId }).where('id', '=', itemId).execute();
  },

  resultItems(db: Executor, resultId: number) {
    return db
      .selectFrom('inspection_result_items as ri')
      .innerJoin('standard_items as si', 'si.id', 'ri.item_id')
      .leftJoin('cases as c', 'c.id', 'ri.case_id')
      .select(['ri.id', 'ri.item_id', 'ri.item_code', 'ri.observation', 'ri.earned', 'ri.possible', 'ri.failed', 'ri.fixed_on_spot', 'ri.case_id', 'ri.note', 'si.text', 'si.rule', 'c.case_no', 'c.status as case_status'])
      .where('ri.result_id', '=', resultId)
      .execute();
  },

  async caseIdsOfResult(db: Executor, resultId: number): Promise<number[]> {
    const rows = await db.selectFrom('inspection_result_items').select('case_id').where('result_id', '=', resultId).where('case_id', 'is not', null).orderBy('id').execute();
    return rows.map((r) => r.case_id!);
  },

  /** Every scored item of a plan with its point's type and community. */
  scoreRows(db: Executor, planId: number): Promise<ScoreRow[]> {
    return db
      .selectFrom('inspection_result_items as ri')
      .innerJoin('inspection_results as r', 'r.id', 'ri.result_id')
      .innerJoin('points as pt', 'pt.id', 'r.point_id')
      .select(['ri.result_id', 'r.point_id', 'pt.name as point_name', 'pt.type_code', 'pt.community_id', 'ri.item_code', 'ri.earned', 'ri.possible', 'ri.failed'])
      .where('r.plan_id', '=', planId)
      .execute();
  },

  /** Failed items of a plan with their point, standard item, photos' owner id and case. */
  problemRows(db: Executor, planId: number): Promise<ProblemRow[]> {
    return db
      .selectFrom('inspection_result_items as ri')
      .innerJoin('inspection_results as r', 'r.id', 'ri.result_id')
      .innerJoin('points as pt', 'pt.id', 'r.point_id')
      .innerJoin('standard_items as si', 'si.id', 'ri.item_id')
      .leftJoin('point_types as t', 't.code', 'pt.type_code')
      .leftJoin('orgs as cm', 'cm.id', 'pt.community_id')
      .leftJoin('users as u', 'u.id', 'r.inspector_id')
      .leftJoin('cases as c', 'c.id', 'ri.case_id')
      .leftJoin('orgs as un', 'un.id', 'c.unit_id')
      .select([
        'ri.id as result_item_id',
        'ri.result_id',
        'r.point_id',
        'pt.name as point_name',
        'pt.type_code',
        't.name_zh as type_name_zh',
        'pt.address',
        'pt.lat',
        'pt.lng',
        'pt.community_id',
        'cm.name as community_name',
        'ri.item_id',
        'ri.item_code',
        'si.text as item_text',
        'si.rule',
        'ri.observation',
        'ri.earned',
        'ri.possible',
        'ri.fixed_on_spot',
        'ri.note',
        'r.inspected_at',
        'u.display_name as inspector_name',
        'ri.case_id',
        'c.case_no',
        'c.status as case_status',
        'c.deadline as case_deadline',
        'c.unit_id',
        'un.name as unit_name',
      ])
      .where('r.plan_id', '=', planId)
      .where('ri.failed', '=', 1)
      .orderBy('cm.sort')
      .orderBy('pt.community_id')
      .orderBy('r.point_id')
      .orderBy('ri.id')
      .execute();
  },

  /** Points of a plan with at least one failed item whose case is still open (for 回头看). */
  async pointsWithOpenCases(db: Executor, planId: number, openStates: readonly string[]): Promise<{ point_id: number; item_code: string }[]> {
    return db
      .selectFrom('inspection_result_items as ri')
      .innerJoin('inspection_results as r', 'r.id', 'ri.result_id')
      .innerJoin('cases as c', 'c.id', 'ri.case_id')
      .select(['r.point_id', 'ri.item_code'])
      .where('r.plan_id', '=', planId)
      .where('c.status', 'in', [...openStates])
      .orderBy('r.point_id')
      .execute();
  },

  resultsOfPlanCount: async (db: Executor, planId: number): Promise<number> => {
    const r = await db.selectFrom('inspection_results').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  // ---- photos --------------------------------------------------------------------------------------------------------

  photosForCheck(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('photos').select(['id', 'uploader_id', 'created_at']).where('id', 'in', ids).execute();
  },

  /** Photo ids among `ids` already linked to some inspection item (of another result). */
  async photosLinkedToItems(db: Executor, ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await db.selectFrom('photo_links').select('photo_id').where('owner_type', '=', 'inspection_item').where('photo_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.photo_id));
  },
};
