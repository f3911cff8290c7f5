// Two inspection plans for the demo street, so the inspection screens have something to show: a closed 模拟测评
// from about four weeks ago with its results and scores, and an active 督查 assigned to the demo inspector, a third
// of it done. Written in the demo's transaction, after the case history, in a few multi-row inserts.
//
// A failed item that was not fixed on the spot links to an open case of the same category at that point from the
// case history (the problem the inspector found was already in the loop); where the history has none, the
// inspector fixed it on the spot. So every failure left unfixed has its case, and no case is invented.
import type { Executor } from '../../lib/context.js';
import type { Geometry } from '../../../core/geo/types.js';
import { beijingDate, beijingYear } from '../../../core/calendar/index.js';
import { scoreItem, type Observation, type ScoringRule } from '../../../core/standards/index.js';
import {
  DEFAULT_INSPECTION_CATEGORY,
  addDays,
  checkinDistance,
  itemOutcome,
  planNumber,
  samplePoints,
  splitRoute,
  walkingOrder,
  type PlanKind,
} from '../../../core/inspections/index.js';
import { readChecklists, type ChecklistEntry } from '../../modules/inspections/service.js';
import { createRng, type Rng } from '../../../core/prng.js';

export const DEMO_INSPECTIONS_SEED = 20260401;
const DAY_MS = 86_400_000;

interface DemoPoint {
  id: number;
  name: string;
  type_code: string;
  lat: number;
  lng: number;
  geometry: string;
}

interface OpenCase {
  id: number;
  point_id: number | null;
  category_code: string;
  created_at: string;
  closed_at: string | null;
}

interface PlanSpec {
  kind: PlanKind;
  /** From the start date (YYYY-MM-DD), so the demo's names match its dates whenever it is loaded. */
  title: (startsOn: string) => string;
  note: string;
  seed: string;
  total: number;
  startDaysAgo: number;
  days: number;
  status: 'active' | 'closed';
  inspectorIds: number[];
  /** Share of the plan's points already inspected. */
  doneShare: number;
}

export interface DemoInspectionsResult {
  plans: number;
  results: number;
}

/** Beijing 09:00 + `minutes` on the day `daysAgo` before `now`, as an ISO instant. */
function workTime(now: Date, daysAgo: number, minutes: number): string {
  const day = beijingDate(new Date(now.getTime() - daysAgo * DAY_MS));
  return new Date(Date.parse(`${day}T09:00:00+08:00`) + minutes * 60_000).toISOString();
}

/** A passing observation, or a failing one (how badly drawn from the rng). */
function observe(rule: ScoringRule, fail: boolean, rng: Rng): Observation {
  if (rule.kind === 'pass_fail') return { passed: !fail };
  if (rule.kind === 'per_missing') return { count: fail ? rng.int(0, rule.required - 1) : rule.required + rng.int(0, 2) };
  return { occurrences: fail ? rng.int(1, 3) : 0 };
}

export async function loadDemoInspections(db: Executor, options: { now: Date; seed?: number }): Promise<DemoInspectionsResult | null> {
  const now = options.now;
  const street = await db.selectFrom('orgs').select(['id', 'path']).where('kind', '=', 'street').orderBy('id').executeTakeFirst();
  const version = await db.selectFrom('standard_versions').select('id').where('status', '=', 'published').orderBy('id').executeTakeFirst();
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', 'in', ['office', 'inspector', 'patrol']).execute();
  const byName = new Map(users.map((u) => [u.username, u]));
  const office = byName.get('office');
  const inspector = byName.get('inspector');
  const patrol = byName.get('patrol');
  if (!street || !version || !office || !inspector || !patrol) return null;
  if (await db.selectFrom('inspection_plans').select('id').limit(1).executeTakeFirst()) return null;

  const lists = await readChecklists(db, version.id);
  const points = (await db.selectFrom('points').select(['id', 'name', 'type_code', 'lat', 'lng', 'geometry']).where('street_id', '=', street.id).where('active', '=', 1).orderBy('id').execute()).filter(
    (p) => (lists.byType.get(p.type_code)?.length ?? 0) > 0,
  ) as DemoPoint[];
  if (!points.length) return null;
  const cases = (await db
    .selectFrom('cases')
    .select(['id', 'point_id', 'category_code', 'created_at', 'closed_at'])
    .where('point_id', 'is not', null)
    .where('status', 'not in', ['rejected', 'merged'])
    .execute()) as OpenCase[];
  const casesAt = new Map<number, OpenCase[]>();
  for (const c of cases) casesAt.set(c.point_id!, [...(casesAt.get(c.point_id!) ?? []), c]);

  const rng = createRng(options.seed ?? DEMO_INSPECTIONS_SEED);
  const specs: PlanSpec[] = [
    { kind: 'mock', title: (on) => `${Number(on.slice(5, 7))}月模拟测评`, note: '按全国文明城市测评体系实地考察部分，随机抽取点位模拟测评。', seed: 'demo-mock-q1', total: 36, startDaysAgo: 28, days: 2, status: 'closed', inspectorIds: [inspector.id, patrol.id], doneShare: 1 },
    { kind: 'supervision', title: (on) => `创城督查（${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日起）`, note: '重点督查主次干道、农贸市场和老旧小区。', seed: 'demo-supervision-w12', total: 18, startDaysAgo: 2, days: 7, status: 'active', inspectorIds: [inspector.id], doneShare: 0.34 },
  ];
  let results = 0;
  for (const [index, spec] of specs.entries()) {
    const planRng = rng.fork(spec.seed);
    const startsOn = beijingDate(new Date(now.getTime() - spec.startDaysAgo * DAY_MS));
    const createdAt = workTime(now, spec.startDaysAgo + 3, 60);
    const activatedAt = workTime(now, spec.startDaysAgo, 0);
    const sample = samplePoints(points.map((p) => ({ id: p.id, typeCode: p.type_code })), { seed: spec.seed, total: spec.total, minPerType: 1 });
    const picked = points.filter((p) => sample.ids.includes(p.id));
    const route = walkingOrder(picked);
    const owner = splitRoute(route, spec.inspectorIds);
    const byId = new Map(picked.map((p) => [p.id, p]));
    const closedAt = spec.status === 'closed' ? workTime(now, spec.startDaysAgo - spec.days - 1, 120) : null;
    const { id: planId } = await db
      .insertInto('inspection_plans')
      .values({
        plan_no: planNumber(beijingYear(new Date(createdAt)), index + 1),
        street_id: street.id,
        org_path: street.path,
        kind: spec.kind,
        title: spec.title(startsOn),
        status: spec.status,
        standard_version_id: version.id,
        starts_on: startsOn,
        ends_on: addDays(startsOn, spec.days),
        note: spec.note,
        sampling: JSON.stringify({ seed: spec.seed, total: spec.total, minPerType: 1, shares: null, pointTypes: [...lists.byType.keys()].sort(), communityIds: null, candidates: points.length, strata: sample.strata, shortfall: sample.shortfall, at: createdAt }),
        based_on_plan_id: null,
        created_by: office.id,
        activated_at: activatedAt,
        closed_at: closedAt,
        created_at: createdAt,
        updated_at: closedAt ?? activatedAt,
        version: 4,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('inspection_plan_inspectors').values(spec.inspectorIds.map((user_id, i) => ({ plan_id: planId, user_id, sort: (i + 1) * 10, created_at: createdAt }))).execute();
    await db.insertInto('inspection_plan_points').values(route.map((pointId, i) => ({ plan_id: planId, point_id: pointId, seq: i + 1, inspector_id: owner.get(pointId) ?? null }))).execute();
    const events: { plan_id: number; at: string; actor_id: number | null; actor_name: string | null; action: string; data: string | null }[] = [
      { plan_id: planId, at: createdAt, actor_id: office.id, actor_name: office.display_name, action: 'create', data: JSON.stringify({ kind: spec.kind, inspectorIds: spec.inspectorIds }) },
      { plan_id: planId, at: createdAt, actor_id: office.id, actor_name: office.display_name, action: 'sample', data: JSON.stringify({ seed: spec.seed, total: spec.total, picked: route.length }) },
      { plan_id: planId, at: activatedAt, actor_id: office.id, actor_name: office.display_name, action: 'activate', data: JSON.stringify({ from: 'draft', to: 'active' }) },
    ];

    // Results: the inspectors walk their legs in route order over the plan's days, from 09:00, ~25 minutes a point.
    const done = route.slice(0, Math.round(route.length * spec.doneShare));
    const walked = new Map<number, number>();
    for (const pointId of done) {
      const point = byId.get(pointId)!;
      const inspectorId = owner.get(pointId)!;
      const n = walked.get(inspectorId) ?? 0;
      walked.set(inspectorId, n + 1);
      const daysAgo = Math.max(spec.startDaysAgo - Math.floor(n / 12), spec.status === 'active' ? 1 : spec.startDaysAgo - spec.days + 1);
      const inspectedAt = workTime(now, daysAgo, (n % 12) * 25 + planRng.int(0, 10));
      const checklist = lists.byType.get(point.type_code)!;
      // Open cases of this point at the time of the inspection, by category.
      const open = (casesAt.get(pointId) ?? []).filter((c) => c.created_at <= inspectedAt && c.created_at >= new Date(Date.parse(inspectedAt) - 30 * DAY_MS).toISOString() && (!c.closed_at || c.closed_at > inspectedAt));
      const usedCases = new Set<number>();
      const items = checklist.map((entry: ChecklistEntry) => {
        const category = entry.categoryCode ?? DEFAULT_INSPECTION_CATEGORY;
        const found = open.find((c) => c.category_code === category && !usedCases.has(c.id));
        // Without a case, only what an inspector can put right there fails (litter picked up, a bike moved).
        const fail = !!found || (entry.rule.kind === 'per_occurrence' && planRng.chance(0.1));
        let obs = observe(entry.rule, fail, planRng);
        let outcome = itemOutcome(entry.rule, obs);
        let caseId: number | null = null;
        if (outcome.needsCase && found) {
          usedCases.add(found.id);
          caseId = found.id;
        } else if (outcome.needsCase) {
          obs = { ...obs, fixedOnSpot: outcome.failures };
          outcome = itemOutcome(entry.rule, obs);
        }
        const score = scoreItem(entry.rule, obs);
        return { entry, obs, outcome, score, caseId };
      });
      const geometry = JSON.parse(point.geometry) as Geometry;
      const gps = { lat: point.lat + (planRng.next() - 0.5) * 0.0008, lng: point.lng + (planRng.next() - 0.5) * 0.0008 };
      const checkin = checkinDistance({ lat: point.lat, lng: point.lng, geometry }, gps);
      const earnedU = items.reduce((s, i) => s + Math.round(i.score.earned * 10000), 0);
      const possibleU = items.reduce((s, i) => s + Math.round(i.score.possible * 10000), 0);
      const { id: resultId } = await db
        .insertInto('inspection_results')
        .values({
          plan_id: planId,
          point_id: pointId,
          inspector_id: inspectorId,
          idempotency_key: `demo-${spec.seed}-${pointId}`,
          checkin_lat: Math.round(gps.lat * 1e7) / 1e7,
          checkin_lng: Math.round(gps.lng * 1e7) / 1e7,
          checkin_at: inspectedAt,
          checkin_distance_m: checkin.distanceM,
          checkin_far: checkin.far ? 1 : 0,
          inspected_at: inspectedAt,
          received_at: inspectedAt,
          standard_version_id: version.id,
          earned: earnedU / 10000,
          possible: possibleU / 10000,
          note: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('inspection_result_items')
        .values(
          items.map((i) => ({
            result_id: resultId,
            item_id: i.entry.id,
            item_code: i.entry.code,
            observation: JSON.stringify(i.obs),
            earned: i.score.earned,
            possible: i.score.possible,
            failed: i.outcome.failed ? 1 : 0,
            fixed_on_spot: i.outcome.fixedOnSpot,
            case_id: i.caseId,
            note: null,
          })),
        )
        .execute();
      const caseIds = items.filter((i) => i.caseId).map((i) => i.caseId);
      events.push({ plan_id: planId, at: inspectedAt, actor_id: inspectorId, actor_name: users.find((u) => u.id === inspectorId)!.display_name, action: 'result', data: JSON.stringify({ resultId, pointId, earned: earnedU / 10000, possible: possibleU / 10000, far: checkin.far, caseIds }) });
      results += 1;
    }
    if (closedAt) events.push({ plan_id: planId, at: closedAt, actor_id: office.id, actor_name: office.display_name, action: 'close', data: JSON.stringify({ from: 'active', to: 'closed' }) });
    events.sort((a, b) => a.at.localeCompare(b.at));
    for (let i = 0; i < events.length; i += 200) await db.insertInto('inspection_plan_events').values(events.slice(i, i + 200)).execute();
  }
  return { plans: specs.length, results };
}
