import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type Client, type TestApp } from '../../../../tests/helpers/app.js';
import { multipart } from '../../../../tests/helpers/upload.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { plainJpeg } from '../photos/test-images.js';
import { addCommunityOffice } from '../places/test-helpers.js';
import type { ScoringRule } from '../../../core/standards/index.js';
import { getPlanScores, listPlanProblems } from './service.js';

let t: TestApp;
let office: Client;
let inspector: Client;
let patrol: Client;
const P = '/api/v1/inspections';

// Fixture street: community A west of 118.02, community B east; grid 1 south of 36.81, grid 2 north.
const pointIds: Record<string, number[]> = {};
const pointAt = new Map<number, { lat: number; lng: number }>();

async function addPoint(name: string, typeCode: string, geometry: unknown): Promise<number> {
  const res = await office.post('/api/v1/points', { name, typeCode, geometry });
  expect(res.statusCode, res.body).toBe(200);
  const p = res.json() as { id: number; lat: number; lng: number };
  (pointIds[typeCode] ??= []).push(p.id);
  pointAt.set(p.id, { lat: p.lat, lng: p.lng });
  return p.id;
}

const sq = (lng: number, lat: number, d = 0.0006) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  office = await t.as('office');
  inspector = await t.as('inspector');
  patrol = await t.as('patrol');
  await addCommunityOffice(t, 'officeA', t.fx.communityA.id);
  for (let i = 0; i < 6; i++) await addPoint(`公交站${i + 1}`, 'bus_stop', { type: 'Point', coordinates: [118.002 + i * 0.006, 36.803 + (i % 3) * 0.005] });
  for (let i = 0; i < 4; i++) await addPoint(`农贸市场${i + 1}`, 'market', sq(118.004 + i * 0.009, 36.812));
  for (let i = 0; i < 4; i++) await addPoint(`主干道${i + 1}`, 'main_road', { type: 'LineString', coordinates: [[118.001 + i * 0.009, 36.806], [118.007 + i * 0.009, 36.806]] });
  for (let i = 0; i < 4; i++) await addPoint(`小区${i + 1}`, 'residential', sq(118.003 + i * 0.009, 36.816));
  for (let i = 0; i < 2; i++) await addPoint(`医院${i + 1}`, 'hospital', { type: 'Point', coordinates: [118.01 + i * 0.02, 36.818] });
}, 60_000);
afterAll(async () => t?.close());

const count = async (table: 'cases' | 'inspection_results' | 'inspection_result_items' | 'inspection_plans' | 'photo_links') =>
  Number((await t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

interface PlanJson {
  id: number;
  planNo: string;
  status: string;
  version: number;
  kind: string;
  standardVersionId: number;
  basedOnPlanId: number | null;
  points: { pointId: number; typeCode: string; seq: number; inspectorId: number | null; done: boolean; resultId: number | null; checkinFar: boolean }[];
  inspectors: { id: number; pointCount: number }[];
  actions: string[];
  sampling: { seed: string; strata: { typeCode: string; picked: number }[] } | null;
  progress: { total: number; done: number };
  title: string;
}
interface KitJson {
  points: { id: number; typeCode: string; inspectorId: number; seq: number; done: boolean; lat: number; lng: number; focusItems: string[] }[];
  checklists: Record<string, { code: string; rule: ScoringRule; nodePath: string }[]>;
  standardVersionId: number;
}

const today = new Date().toISOString().slice(0, 10);
const later = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);

async function createPlan(body: Record<string, unknown> = {}, who: Client = office): Promise<PlanJson> {
  const res = await who.post(`${P}/plans`, { title: '春季模拟测评', kind: 'mock', startsOn: today, endsOn: later, inspectorIds: [t.fx.users.inspector, t.fx.users.patrol], ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const getPlan = async (id: number, who: Client = office): Promise<PlanJson> => (await who.get(`${P}/plans/${id}`)).json();
async function act(id: number, action: string) {
  const plan = await getPlan(id);
  return office.post(`${P}/plans/${id}/transitions`, { version: plan.version, action });
}

/** An observation that passes the rule. */
function passing(rule: ScoringRule): Record<string, unknown> {
  if (rule.kind === 'pass_fail') return { passed: true };
  if (rule.kind === 'per_missing') return { count: rule.required };
  return { occurrences: 0 };
}

async function kitOf(planId: number, who: Client): Promise<KitJson> {
  const res = await who.get(`${P}/plans/${planId}/kit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A full result for a kit point: every item passes unless overridden. */
function resultFor(kit: KitJson, planId: number, pointId: number, overrides: Record<string, Record<string, unknown>> = {}, extra: Record<string, unknown> = {}) {
  const point = kit.points.find((p) => p.id === pointId)!;
  const items = kit.checklists[point.typeCode]!.map((i) => ({ code: i.code, ...passing(i.rule), ...(overrides[i.code] ?? {}) }));
  return {
    idempotencyKey: randomUUID(),
    planId,
    pointId,
    checkin: { lat: point.lat + 0.0003, lng: point.lng, at: new Date().toISOString() },
    inspectedAt: new Date().toISOString(),
    items,
    ...extra,
  };
}

let colour = 0;
async function uploadPhoto(who: Client): Promise<number> {
  colour += 1;
  const data = await plainJpeg(24, 18, `#${(0x102030 + colour * 0x0b0d07).toString(16).slice(-6)}`);
  const m = multipart(data, `p${colour}.jpg`, 'image/jpeg');
  const res = await who.post('/api/v1/photos?purpose=inspection', m.body, m.headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id;
}

describe('plans', () => {
  it('lets only planners create, with a plan number and the current standard version pinned', async () => {
    const denied = await inspector.post(`${P}/plans`, { title: 'x', kind: 'mock', startsOn: today, endsOn: later });
    expect(denied.statusCode).toBe(403);
    expect((await (await t.as('volunteer')).get(`${P}/plans`)).statusCode).toBe(403);
    expect((await (await t.as('unit')).get(`${P}/plans`)).statusCode).toBe(403);
    const plan = await createPlan();
    expect(plan).toMatchObject({ status: 'draft', kind: 'mock', points: [], actions: ['activate'], progress: { total: 0, done: 0 } });
    expect(plan.planNo).toMatch(/^JC-\d{4}-0001$/);
    expect(plan.inspectors.map((i) => i.id)).toEqual([t.fx.users.inspector, t.fx.users.patrol]);
    const current = (await office.get('/api/v1/standards/current')).json();
    expect(plan.standardVersionId).toBe(current.version.id);
    expect((await createPlan()).planNo).toMatch(/-0002$/);
  });

  it.each([
    [{ endsOn: '2020-01-01' }, 'endsOn'],
    [{ startsOn: '2026-02-30' }, 'startsOn'],
    [{ kind: 'party' }, 'kind'],
    [{ title: '' }, 'title'],
    [{ inspectorIds: [-1] }, 'inspectorIds.0'],
    [{ basedOnPlanId: 999999 }, 'basedOnPlanId'],
  ])('refuses %j', async (body, field) => {
    const before = await count('inspection_plans');
    const res = await office.post(`${P}/plans`, { title: '计划', kind: 'mock', startsOn: today, endsOn: later, ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect(await count('inspection_plans')).toBe(before);
  });

  it('refuses inspectors who cannot inspect, and planners below the street', async () => {
    const res = await office.post(`${P}/plans`, { title: '计划', kind: 'mock', startsOn: today, endsOn: later, inspectorIds: [t.fx.users.unit] });
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'inspectorIds' });
    const a = await t.as('officeA');
    expect((await a.post(`${P}/plans`, { title: '社区计划', kind: 'mock', startsOn: today, endsOn: later })).statusCode).toBe(403);
  });

  it('samples by type, reproducibly from the seed, and cuts the route among the inspectors', async () => {
    const plan = await createPlan({ title: '抽样测试' });
    const res = await office.post(`${P}/plans/${plan.id}/sample`, { version: plan.version, seed: '2026-春', total: 10, minPerType: 2 });
    expect(res.statusCode, res.body).toBe(200);
    const sampled = res.json() as PlanJson;
    expect(sampled.points).toHaveLength(10);
    const types = new Set(sampled.points.map((p) => p.typeCode));
    expect(types.has('hospital')).toBe(false); // no field checklist
    expect(Object.fromEntries(sampled.sampling!.strata.map((s) => [s.typeCode, s.picked]))).toEqual({ bus_stop: 4, main_road: 2, market: 2, residential: 2 });
    expect(sampled.points.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Contiguous legs: the first five for the inspector, the rest for the patrol.
    expect(sampled.points.map((p) => p.inspectorId)).toEqual([...Array(5).fill(t.fx.users.inspector), ...Array(5).fill(t.fx.users.patrol)]);
    expect(sampled.inspectors.map((i) => i.pointCount)).toEqual([5, 5]);

    const again = (await office.post(`${P}/plans/${plan.id}/sample`, { version: sampled.version, seed: '2026-春', total: 10, minPerType: 2 })).json() as PlanJson;
    expect(again.points.map((p) => p.pointId)).toEqual(sampled.points.map((p) => p.pointId));
    const stale = await office.post(`${P}/plans/${plan.id}/sample`, { version: sampled.version, seed: 'x', total: 5 });
    expect(stale.statusCode).toBe(409);

    const onlyMarkets = (await office.post(`${P}/plans/${plan.id}/sample`, { version: again.version, total: 3, pointTypes: ['market'] })).json() as PlanJson;
    expect(onlyMarkets.points.every((p) => p.typeCode === 'market')).toBe(true);
    expect(onlyMarkets.sampling!.seed).toMatch(/^[0-9a-f]{8}$/);
    const shares = (await office.post(`${P}/plans/${plan.id}/sample`, { version: onlyMarkets.version, total: 6, shares: { bus_stop: 2, market: 1 }, pointTypes: ['bus_stop', 'market'] })).json() as PlanJson;
    expect(shares.points.filter((p) => p.typeCode === 'bus_stop')).toHaveLength(4);
  });

  it.each([
    [{ total: 5, pointTypes: ['hospital'] }, 'pointTypes'],
    [{ total: 5, shares: { market: 1 }, pointTypes: ['bus_stop'] }, 'shares'],
    [{ total: 2, minPerType: 2 }, 'minPerType'],
    [{ total: 0 }, 'total'],
    [{ total: 3, communityIds: [1] }, 'communityIds'],
  ])('refuses the sample %j', async (body, field) => {
    const plan = await createPlan({ title: '抽样校验' });
    const res = await office.post(`${P}/plans/${plan.id}/sample`, { version: plan.version, ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('hand-picks points, reassigns one, edits inspectors and refuses what a status does not allow', async () => {
    const plan = await createPlan({ title: '手选' });
    const bad = await office.post(`${P}/plans/${plan.id}/points`, { version: plan.version, pointIds: [pointIds.hospital![0]] });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'pointIds' });
    const picked = (await office.post(`${P}/plans/${plan.id}/points`, { version: plan.version, pointIds: [...pointIds.market!, pointIds.market![0]] })).json() as PlanJson;
    expect(picked.points).toHaveLength(4);
    const first = picked.points[0]!;
    const moved = await office.put(`${P}/plans/${plan.id}/points/${first.pointId}/inspector`, { version: picked.version, inspectorId: t.fx.users.patrol });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((moved.json() as PlanJson).points[0]!.inspectorId).toBe(t.fx.users.patrol);
    const notInspector = await office.put(`${P}/plans/${plan.id}/points/${first.pointId}/inspector`, { version: moved.json().version, inspectorId: t.fx.users.leader });
    expect(notInspector.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'inspectorId' });
    const notOnPlan = await office.put(`${P}/plans/${plan.id}/points/${pointIds.bus_stop![0]}/inspector`, { version: moved.json().version, inspectorId: t.fx.users.patrol });
    expect(notOnPlan.json().code).toBe('POINT_NOT_ON_PLAN');
    // One inspector left: the whole route is theirs.
    const solo = (await office.patch(`${P}/plans/${plan.id}`, { version: moved.json().version, inspectorIds: [t.fx.users.inspector], title: '手选（单人）' })).json() as PlanJson;
    expect(solo.title).toBe('手选（单人）');
    expect(solo.points.every((p) => p.inspectorId === t.fx.users.inspector)).toBe(true);

    const empty = await createPlan({ title: '空计划', inspectorIds: [] });
    const notReady = await act(empty.id, 'activate');
    expect(notReady.statusCode).toBe(422);
    expect(notReady.json().code).toBe('PLAN_NOT_READY');
    expect(notReady.json().message).toContain('点位');

    expect((await act(plan.id, 'activate')).statusCode).toBe(200);
    const active = await getPlan(plan.id);
    expect(active).toMatchObject({ status: 'active', actions: ['close'] });
    const inspectorsNow = await office.patch(`${P}/plans/${plan.id}`, { version: active.version, inspectorIds: [t.fx.users.patrol] });
    expect(inspectorsNow.statusCode).toBe(422);
    const pointsNow = await office.post(`${P}/plans/${plan.id}/points`, { version: active.version, pointIds: [pointIds.market![0]] });
    expect(pointsNow.statusCode).toBe(422);
    expect((await office.patch(`${P}/plans/${plan.id}`, { version: active.version, note: '进行中也可改备注' })).statusCode).toBe(200);
    expect((await act(plan.id, 'reopen')).json().code).toBe('ILLEGAL_TRANSITION');
    expect((await office.delete(`${P}/plans/${plan.id}?version=${(await getPlan(plan.id)).version}`)).json().code).toBe('ILLEGAL_TRANSITION');
  });

  it('deletes a draft with its version', async () => {
    const plan = await createPlan({ title: '待删除' });
    expect((await office.delete(`${P}/plans/${plan.id}?version=${plan.version + 1}`)).statusCode).toBe(409);
    expect((await office.delete(`${P}/plans/${plan.id}`)).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'version' });
    expect((await office.delete(`${P}/plans/${plan.id}?version=${plan.version}`)).json()).toEqual({ deleted: true });
    expect((await office.get(`${P}/plans/${plan.id}`)).statusCode).toBe(404);
  });

  it('hides plans from readers outside the street', async () => {
    const plan = await createPlan({ title: '范围' });
    const a = await t.as('officeA');
    expect((await a.get(`${P}/plans/${plan.id}`)).statusCode).toBe(404);
    expect((await a.get(`${P}/plans`)).json().items.find((p: PlanJson) => p.id === plan.id)).toBeUndefined();
    const leader = await t.as('leader');
    expect((await leader.get(`${P}/plans/${plan.id}`)).json()).toMatchObject({ id: plan.id, canPlan: false, actions: [] });
    expect((await leader.post(`${P}/plans/${plan.id}/transitions`, { version: plan.version, action: 'activate' })).statusCode).toBe(403);
  });
});

describe('inspecting: kit, sync, results', () => {
  let plan: PlanJson;
  let kitI: KitJson;
  let market: number;
  let created: { resultId: number; caseIds: number[]; key: string; batch: unknown };

  beforeAll(async () => {
    const p = await createPlan({ title: '督查一', kind: 'supervision' });
    const picked = (await office.post(`${P}/plans/${p.id}/points`, { version: p.version, pointIds: [...pointIds.market!, ...pointIds.bus_stop!.slice(0, 4), ...pointIds.main_road!.slice(0, 2)] })).json() as PlanJson;
    // Every market goes to the inspector, the rest to the patrol.
    let version = picked.version;
    for (const pt of picked.points) {
      const to = pt.typeCode === 'market' ? t.fx.users.inspector : t.fx.users.patrol;
      if (pt.inspectorId === to) continue;
      version = (await office.put(`${P}/plans/${p.id}/points/${pt.pointId}/inspector`, { version, inspectorId: to })).json().version;
    }
    expect((await act(p.id, 'activate')).statusCode).toBe(200);
    plan = await getPlan(p.id);
    kitI = await kitOf(plan.id, inspector);
    market = kitI.points[0]!.id;
  });

  it('gives each inspector a kit of their own points, and the planner all of them', async () => {
    expect(kitI.points.map((p) => p.typeCode)).toEqual(['market', 'market', 'market', 'market']);
    expect(Object.keys(kitI.checklists)).toEqual(['market']);
    expect(kitI.checklists.market!.find((i) => i.code === '3.1.1-1')!.nodePath).toBe('市场与窗口服务 / 农贸市场管理 / 经营管理');
    expect(kitI.standardVersionId).toBe(plan.standardVersionId);
    const kitP = await kitOf(plan.id, patrol);
    expect(kitP.points).toHaveLength(6);
    expect(Object.keys(kitP.checklists).sort()).toEqual(['bus_stop', 'main_road']);
    expect((await kitOf(plan.id, office)).points).toHaveLength(10);
    const dispatcher = await t.as('dispatcher');
    expect((await dispatcher.get(`${P}/plans/${plan.id}/kit`)).json().code).toBe('NOT_ON_PLAN');
    const mine = (await inspector.get(`${P}/mine`)).json();
    expect(mine.items.find((i: { id: number }) => i.id === plan.id)).toMatchObject({ myPointCount: 4, myDoneCount: 0, status: 'active' });
  });

  it('stores a result with its score, files unfixed failures as cases and links the photos', async () => {
    const [photoAds, photoScale] = [await uploadPhoto(inspector), await uploadPhoto(inspector)];
    const [cases0, links0] = [await count('cases'), await count('photo_links')];
    const result = resultFor(kitI, plan.id, market, {
      '1.2.1-6': { count: 3, photoIds: [photoAds], note: '东门缺两处' }, // 2 missing: −4, a case
      '2.1.1-1': { occurrences: 2, fixedOnSpot: 2 }, // fixed on the spot: −1 (half), no case
      '3.1.1-1': { passed: false, photoIds: [photoScale] }, // −2, a case
    });
    const batch = { results: [result] };
    const res = await inspector.post(`${P}/sync`, batch);
    expect(res.statusCode, res.body).toBe(200);
    const [o] = res.json().outcomes;
    expect(o).toMatchObject({ idempotencyKey: result.idempotencyKey, status: 'created', resultId: expect.any(Number) });
    expect(o.caseIds).toHaveLength(2);
    expect(await count('cases')).toBe(cases0 + 2);
    created = { resultId: o.resultId, caseIds: o.caseIds, key: result.idempotencyKey, batch };

    const cases = await t.db.deps.db.selectFrom('cases').selectAll().where('id', 'in', o.caseIds).orderBy('id').execute();
    expect(cases.map((c) => [c.source, c.source_ref, c.category_code, c.point_id, c.status])).toEqual([
      ['inspection', `${plan.planNo}/1.2.1-6`, '0301', market, 'reported'],
      ['inspection', `${plan.planNo}/3.1.1-1`, '0699', market, 'reported'],
    ]);
    expect(cases[0]!.description).toContain('东门缺两处');
    expect(cases[0]!.description).toContain('农贸市场');
    // Each photo shows the inspected item and its case.
    expect(await count('photo_links')).toBe(links0 + 4);

    const r = (await inspector.get(`${P}/results/${o.resultId}`)).json();
    const possible = kitI.checklists.market!.reduce((s, i) => s + i.rule.points, 0);
    expect(r).toMatchObject({ planId: plan.id, pointId: market, earned: possible - 7, possible, caseIds: o.caseIds, checkin: { far: false } });
    expect(r.checkin.distanceM).toBeLessThan(60);
    const ads = r.items.find((i: { code: string }) => i.code === '1.2.1-6');
    expect(ads).toMatchObject({ failed: true, earned: 6, possible: 10, caseId: o.caseIds[0], note: '东门缺两处', explanation: expect.stringContaining('缺2处') });
    expect(ads.photos[0]).toMatchObject({ id: photoAds, role: 'before' });
    expect(r.items.find((i: { code: string }) => i.code === '2.1.1-1')).toMatchObject({ failed: true, fixedOnSpot: 2, caseId: null, earned: 4 });
    // A leader reads the result and its photo through the plan.
    const leader = await t.as('leader');
    expect((await leader.get(`${P}/results/${o.resultId}`)).statusCode).toBe(200);
    expect((await (await t.as('dispatcher')).get(`/api/v1/photos/${photoScale}`)).statusCode).toBe(200);
    const planNow = await getPlan(plan.id);
    expect(planNow.progress).toEqual({ total: 10, done: 1 });
    expect(planNow.points.find((p) => p.pointId === market)).toMatchObject({ done: true, resultId: o.resultId });
  });

  it('answers a replay with the same result and cases and writes nothing', async () => {
    const before = await Promise.all([count('cases'), count('inspection_results'), count('inspection_result_items'), count('photo_links')]);
    const res = await inspector.post(`${P}/sync`, created.batch);
    expect(res.json().outcomes).toEqual([{ idempotencyKey: created.key, status: 'duplicate', resultId: created.resultId, caseIds: created.caseIds }]);
    // Two replays at once: both answer the same.
    const both = await Promise.all([inspector.post(`${P}/sync`, created.batch), inspector.post(`${P}/sync`, created.batch)]);
    for (const r of both) expect(r.json().outcomes[0]).toMatchObject({ status: 'duplicate', resultId: created.resultId, caseIds: created.caseIds });
    expect(await Promise.all([count('cases'), count('inspection_results'), count('inspection_result_items'), count('photo_links')])).toEqual(before);
    // Another key for the same plan point is a second, different result.
    const second = await inspector.post(`${P}/sync`, { results: [resultFor(kitI, plan.id, market)] });
    expect(second.json().outcomes[0]).toMatchObject({ status: 'error', code: 'RESULT_EXISTS' });
    // The key of this result used for another point by someone else.
    const stolen = await patrol.post(`${P}/sync`, { results: [{ ...resultFor(await kitOf(plan.id, patrol), plan.id, (await kitOf(plan.id, patrol)).points[0]!.id), idempotencyKey: created.key }] });
    expect(stolen.json().outcomes[0]).toMatchObject({ status: 'error', code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('stores two new results concurrently with the same key only once', async () => {
    const batch = { results: [resultFor(kitI, plan.id, kitI.points[3]!.id, { '3.1.1-2': { passed: false } })] };
    const [cases0, results0] = [await count('cases'), await count('inspection_results')];
    const [a, b] = await Promise.all([inspector.post(`${P}/sync`, batch), inspector.post(`${P}/sync`, batch)]);
    const outcomes = [a.json().outcomes[0], b.json().outcomes[0]];
    expect(outcomes.map((o) => o.status).sort()).toEqual(['created', 'duplicate']);
    expect(outcomes[0].resultId).toBe(outcomes[1].resultId);
    expect(outcomes[0].caseIds).toEqual(outcomes[1].caseIds);
    expect(await count('cases')).toBe(cases0 + 1);
    expect(await count('inspection_results')).toBe(results0 + 1);
  });

  it('answers each bad result with its own error and stores the good ones of the same batch', async () => {
    const other = await createPlan({ title: '别人的计划', inspectorIds: [t.fx.users.patrol] });
    const foreignPhoto = await uploadPhoto(patrol);
    const usedPhoto = (await t.db.deps.db.selectFrom('photo_links').select('photo_id').where('owner_type', '=', 'inspection_item').executeTakeFirstOrThrow()).photo_id;
    const [m1, m2] = [kitI.points[1]!.id, kitI.points[2]!.id];
    const base = () => resultFor(kitI, plan.id, m1);
    const bad: [string, unknown, string, string?][] = [
      ['unknown item', { ...base(), items: [...base().items, { code: '1.1.1-3', occurrences: 0 }] }, 'UNKNOWN_ITEM', `items.${base().items.length}.code`],
      ['count out of range', resultFor(kitI, plan.id, m1, { '1.2.1-6': { count: -1 } }), 'INVALID_OBSERVATION'],
      ['a fractional count', resultFor(kitI, plan.id, m1, { '1.2.1-6': { count: 2.5 } }), 'INVALID_OBSERVATION'],
      ['fixed more than found', resultFor(kitI, plan.id, m1, { '2.1.1-1': { occurrences: 1, fixedOnSpot: 2 } }), 'INVALID_OBSERVATION'],
      ['pass/fail without an answer', resultFor(kitI, plan.id, m1, { '3.1.1-1': { passed: undefined } }), 'INVALID_OBSERVATION'],
      ['an item twice', { ...base(), items: [...base().items, base().items[0]] }, 'INVALID_OBSERVATION'],
      ['someone else’s photo', resultFor(kitI, plan.id, m1, { '3.1.1-1': { passed: false, photoIds: [foreignPhoto] } }), 'PHOTO_NOT_YOURS', 'items.'],
      ['a missing photo', resultFor(kitI, plan.id, m1, { '3.1.1-1': { passed: false, photoIds: [987654] } }), 'PHOTO_NOT_YOURS'],
      ['a photo of another point', resultFor(kitI, plan.id, m1, { '3.1.1-1': { passed: false, photoIds: [usedPhoto] } }), 'PHOTO_WRONG_POINT'],
      ['a point not on the plan', { ...base(), pointId: pointIds.residential![0] }, 'POINT_NOT_ON_PLAN'],
      ['a plan I am not on', { ...base(), planId: other.id }, 'NOT_ON_PLAN'],
      ['a plan that does not exist', { ...base(), planId: 424242 }, 'NOT_ON_PLAN'],
    ];
    const good = resultFor(kitI, plan.id, m2, { '1.2.1-5': { count: 1 } });
    const before = await Promise.all([count('cases'), count('inspection_results'), count('photo_links')]);
    const res = await inspector.post(`${P}/sync`, { results: [...bad.map((b) => b[1]), good] });
    expect(res.statusCode, res.body).toBe(200);
    const outcomes = res.json().outcomes as { status: string; code?: string; field?: string; message?: string }[];
    bad.forEach(([name, , code, field], i) => {
      expect({ name, ...outcomes[i] }).toMatchObject({ name, status: 'error', code });
      expect(outcomes[i]!.message).toBeTruthy();
      if (field) expect(outcomes[i]!.field).toContain(field);
    });
    expect(outcomes.at(-1)).toMatchObject({ status: 'created', caseIds: [expect.any(Number)] });
    expect(await Promise.all([count('cases'), count('inspection_results'), count('photo_links')])).toEqual([before[0] + 1, before[1] + 1, before[2]]);
  });

  it('refuses malformed batches whole, and sync from roles that do not inspect', async () => {
    expect((await inspector.post(`${P}/sync`, { results: [] })).statusCode).toBe(400);
    expect((await inspector.post(`${P}/sync`, { results: [{ ...resultFor(kitI, plan.id, market), idempotencyKey: 'short' }] })).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await inspector.post(`${P}/sync`, { results: Array.from({ length: 51 }, () => resultFor(kitI, plan.id, market)) })).statusCode).toBe(400);
    expect((await (await t.as('dispatcher')).post(`${P}/sync`, { results: [resultFor(kitI, plan.id, market)] })).statusCode).toBe(403);
  });

  it('flags a far check-in without refusing it, and files a citizen patrol’s finds as 市民巡访', async () => {
    const kitP = await kitOf(plan.id, patrol);
    const stop = kitP.points.find((p) => p.typeCode === 'bus_stop')!;
    const far = resultFor(kitP, plan.id, stop.id, { '1.1.3-4': { passed: false } }, { checkin: { lat: stop.lat + 0.01, lng: stop.lng, at: new Date().toISOString() } });
    const res = await patrol.post(`${P}/sync`, { results: [far] });
    const o = res.json().outcomes[0];
    expect(o).toMatchObject({ status: 'created', caseIds: [expect.any(Number)] });
    const r = (await patrol.get(`${P}/results/${o.resultId}`)).json();
    expect(r.checkin).toMatchObject({ far: true });
    expect(r.checkin.distanceM).toBeGreaterThan(1000);
    expect((await getPlan(plan.id)).points.find((p) => p.pointId === stop.id)!.checkinFar).toBe(true);
    const c = await t.db.deps.db.selectFrom('cases').select(['source', 'category_code']).where('id', '=', o.caseIds[0]).executeTakeFirstOrThrow();
    expect(c).toEqual({ source: 'citizen_patrol', category_code: '0699' });
    // A road: the distance is to the line, not to its middle.
    const road = kitP.points.find((p) => p.typeCode === 'main_road')!;
    const onRoad = resultFor(kitP, plan.id, road.id, {}, { checkin: { lat: 36.8061, lng: road.lng + 0.0025, at: new Date().toISOString() }, });
    const rr = (await patrol.get(`${P}/results/${(await patrol.post(`${P}/sync`, { results: [onRoad] })).json().outcomes[0].resultId}`)).json();
    expect(rr.checkin.distanceM).toBeLessThan(20);
    expect(rr.items.every((i: { failed: boolean }) => !i.failed)).toBe(true);
    expect(rr.rate).toBe(1);
  });

  it('scores the plan and lists its problems for the 通报', async () => {
    const res = await (await t.as('leader')).get(`${P}/plans/${plan.id}/scores`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const results = await t.db.deps.db.selectFrom('inspection_results').select(['earned', 'possible']).where('plan_id', '=', plan.id).execute();
    const earned = results.reduce((a, r) => a + r.earned, 0);
    const possible = results.reduce((a, r) => a + r.possible, 0);
    expect(s.overall.earned).toBeCloseTo(earned, 6);
    expect(s.overall.possible).toBeCloseTo(possible, 6);
    expect(s.overall.rate).toBeCloseTo(earned / possible, 9);
    expect(s).toMatchObject({ inspectedPoints: results.length, totalPoints: 10, previous: null, delta: null });
    expect(s.byCommunity.map((c: { rank: number }) => c.rank)).toEqual(s.byCommunity.map((_: unknown, i: number) => i + 1));
    for (let i = 1; i < s.byCommunity.length; i++) expect(s.byCommunity[i - 1].rate).toBeGreaterThanOrEqual(s.byCommunity[i].rate);
    for (let i = 1; i < s.byItem.length; i++) expect(s.byItem[i - 1].rate).toBeLessThanOrEqual(s.byItem[i].rate);
    expect(s.byItem[0]).toMatchObject({ name: expect.any(String), failed: expect.any(Number) });
    expect(s.byPoint[0].rate).toBeLessThan(1);
    expect(s.byPointType.map((g: { key: string }) => g.key).sort()).toEqual(['bus_stop', 'main_road', 'market']);
    const marketName = `农贸市场${pointIds.market!.indexOf(market) + 1}`;
    expect(s.byPoint.find((p: { pointId: number }) => p.pointId === market)).toMatchObject({ name: marketName, typeName: '农贸(集贸)市场', failed: 3 });

    const problems = await listPlanProblems(t.db.deps, { user: { ...(await actorUser('office')) }, ip: null, lang: 'zh-CN' }, plan.id);
    const atMarket = problems.items.filter((p) => p.pointId === market);
    expect(atMarket.map((p) => [p.itemCode, p.caseId !== null, p.fixedOnSpotFully])).toEqual([
      ['1.2.1-6', true, false],
      ['2.1.1-1', false, true],
      ['3.1.1-1', true, false],
    ]);
    const marketCommunity = pointAt.get(market)!.lng < 118.02 ? '东风社区' : '西苑社区';
    expect(atMarket[0]).toMatchObject({ caseNo: expect.stringMatching(/^WM/), caseStatus: 'reported', photoIds: [expect.any(Number)], communityName: marketCommunity, deducted: 4 });
    const viaApi = (await office.get(`${P}/plans/${plan.id}/problems`)).json();
    expect(viaApi.items).toHaveLength(problems.items.length);
    const scores = await getPlanScores(t.db.deps, { user: await actorUser('office'), ip: null, lang: 'en-US' }, plan.id);
    expect(scores.byPointType.find((g) => g.key === 'market')!.name).toBe("Farmers' market");
  });

  it('compares with the previous plan of the same kind, and stops taking results once closed', async () => {
    const p2 = await createPlan({ title: '督查二', kind: 'supervision', inspectorIds: [t.fx.users.inspector] });
    const picked = (await office.post(`${P}/plans/${p2.id}/points`, { version: p2.version, pointIds: [market] })).json() as PlanJson;
    expect(picked.points).toHaveLength(1);
    expect((await act(p2.id, 'activate')).statusCode).toBe(200);
    const kit2 = await kitOf(p2.id, inspector);
    expect((await inspector.post(`${P}/sync`, { results: [resultFor(kit2, p2.id, market)] })).json().outcomes[0].status).toBe('created');
    const s = (await office.get(`${P}/plans/${p2.id}/scores`)).json();
    expect(s.previous).toMatchObject({ planId: plan.id, planNo: plan.planNo });
    expect(s.overall.rate).toBe(1);
    expect(s.delta.overall).toBeCloseTo(1 - s.previous.overall.rate, 9);
    const marketCommunity = pointAt.get(market)!.lng < 118.02 ? '东风社区' : '西苑社区';
    expect(s.delta.byCommunity.find((d: { name: string }) => d.name === marketCommunity)).toMatchObject({ current: 1, previous: expect.any(Number) });

    expect((await act(p2.id, 'close')).statusCode).toBe(200);
    const late = await inspector.post(`${P}/sync`, { results: [resultFor(kit2, p2.id, market)] });
    expect(late.json().outcomes[0]).toMatchObject({ status: 'error', code: 'NOT_ON_PLAN' });
    const closed = await getPlan(p2.id);
    expect((await office.patch(`${P}/plans/${p2.id}`, { version: closed.version, title: '改' })).statusCode).toBe(422);
    expect((await act(p2.id, 'reopen')).json().status).toBe('active');
  });

  it('creates a 回头看 plan over the points whose problems are still open', async () => {
    const res = await office.post(`${P}/plans/${plan.id}/revisit`);
    expect(res.statusCode, res.body).toBe(200);
    const revisit = res.json() as PlanJson;
    expect(revisit).toMatchObject({ kind: 'revisit', status: 'draft', basedOnPlanId: plan.id, standardVersionId: plan.standardVersionId, title: '督查一 回头看' });
    const openPoints = new Set((await listPlanProblems(t.db.deps, { user: await actorUser('office'), ip: null, lang: 'zh-CN' }, plan.id)).items.filter((p) => p.caseId).map((p) => p.pointId));
    expect(new Set(revisit.points.map((p) => p.pointId))).toEqual(openPoints);
    expect(revisit.points.every((p) => p.inspectorId !== null)).toBe(true);
    const kit = await kitOf(revisit.id, office);
    expect(kit.points.find((p) => p.id === market)!.focusItems).toEqual(['1.2.1-6', '3.1.1-1']);

    // Closing the cases leaves nothing to revisit.
    await t.db.deps.db.updateTable('cases').set({ status: 'closed' }).where('source_ref', 'like', `${plan.planNo}/%`).execute();
    expect((await office.post(`${P}/plans/${plan.id}/revisit`)).json().code).toBe('NO_OPEN_PROBLEMS');
    const draft = await createPlan({ title: '草稿' });
    expect((await office.post(`${P}/plans/${draft.id}/revisit`)).json().code).toBe('ILLEGAL_TRANSITION');
    expect((await inspector.post(`${P}/plans/${plan.id}/revisit`)).statusCode).toBe(403);
  });

  it('lists plans with filters and paging', async () => {
    const all = (await office.get(`${P}/plans?pageSize=100`)).json();
    expect(all.total).toBeGreaterThan(5);
    const sup = (await office.get(`${P}/plans?kind=supervision&status=active`)).json();
    expect(sup.items.every((p: PlanJson) => p.kind === 'supervision' && p.status === 'active')).toBe(true);
    expect(sup.items.find((p: PlanJson) => p.id === plan.id)).toMatchObject({ progress: { total: 10 } });
    expect((await office.get(`${P}/plans?kind=party`)).statusCode).toBe(400);
    const page2 = (await office.get(`${P}/plans?pageSize=2&page=2`)).json();
    expect(page2.items).toHaveLength(2);
    expect(page2.page).toBe(2);
  });
});

describe('standard item categories', () => {
  it('gives seeded field items a case category and lets a draft change it', async () => {
    const current = (await office.get('/api/v1/standards/current')).json();
    expect(current.items.find((i: { code: string }) => i.code === '1.1.1-1').categoryCode).toBe('1401');
    expect(current.items.find((i: { code: string }) => i.code === '4.1.1-1').categoryCode).toBeNull();
    const draft = (await office.post('/api/v1/standards/versions', {})).json();
    const item = draft.items.find((i: { code: string }) => i.code === '3.1.1-1');
    expect(item.categoryCode).toBeNull();
    const bad = await office.patch(`/api/v1/standards/items/${item.id}`, { version: item.version, categoryCode: '9999' });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'categoryCode' });
    const ok = await office.patch(`/api/v1/standards/items/${item.id}`, { version: item.version, categoryCode: '1404' });
    expect(ok.json().categoryCode).toBe('1404');
    const json = (await office.get(`/api/v1/standards/versions/${draft.version.id}/export.json`)).json();
    expect(json.items.find((i: { code: string }) => i.code === '3.1.1-1').categoryCode).toBe('1404');
    expect((await office.delete(`/api/v1/standards/versions/${draft.version.id}?version=${(await office.get(`/api/v1/standards/versions/${draft.version.id}`)).json().version.version}`)).statusCode).toBe(200);
  });
});

async function actorUser(username: string) {
  const u = await t.db.deps.db
    .selectFrom('users as u')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.org_id', 'o.name', 'o.kind', 'o.path'])
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role as 'office', orgId: u.org_id, orgName: u.name, orgKind: u.kind, orgPath: u.path, locale: null, mustChangePassword: false };
}
