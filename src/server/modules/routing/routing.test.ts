import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { orgRepo } from '../org/repo.js';
import { nowIso } from '../../db/database.js';
import type { OrgRow } from '../../db/schema.js';
import { locatePlace, resolveResponsibleUnit } from './service.js';

// The fixture street: 东风社区 (A) west of 西苑社区 (B), grids A1 (south) and A2 (north) in A, B1 and B2 in B; the
// department 城管科. Added here: a property company guarding the market point P1 in grid A1, and a compound P2
// in grid B1 without a guard.
let t: TestApp;
let property: OrgRow;
let p1: number;
let p2: number;
const IN_A1 = { lat: 36.805, lng: 118.01 };
const IN_B1 = { lat: 36.805, lng: 118.03 };
const category: Record<string, number> = {};

async function addPoint(name: string, typeCode: string, grid: OrgRow, community: OrgRow, at: { lat: number; lng: number }, guardOrgId: number | null) {
  const now = nowIso();
  const { id } = await t.db.deps.db
    .insertInto('points')
    .values({
      name,
      type_code: typeCode,
      geometry: JSON.stringify({ type: 'Point', coordinates: [at.lng, at.lat] }),
      lat: at.lat,
      lng: at.lng,
      min_lng: at.lng,
      min_lat: at.lat,
      max_lng: at.lng,
      max_lat: at.lat,
      grid_id: grid.id,
      micro_grid_id: null,
      community_id: community.id,
      street_id: t.fx.street.id,
      org_path: grid.path,
      guard_org_id: guardOrgId,
      attrs: '{}',
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  property = await orgRepo.insert(t.db.deps.db, { parentId: t.fx.street.id, parentPath: t.fx.street.path, kind: 'property_company', name: '华通物业', now: nowIso() });
  p1 = await addPoint('东风农贸市场', 'market', t.fx.gridA1, t.fx.communityA, IN_A1, property.id);
  p2 = await addPoint('西苑小区', 'residential', t.fx.gridB1, t.fx.communityB, IN_B1, null);
  for (const c of await t.db.deps.db.selectFrom('categories').select(['id', 'code']).execute()) category[c.code] = c.id;
});
afterAll(async () => t?.close());

const ruleCount = async () => Number((await t.db.deps.db.selectFrom('routing_rules').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const resolve = async (c: Client, q: Record<string, string | number>) =>
  c.get(`/api/v1/routing/resolve?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`);

describe('resolve without rules', () => {
  it.each([
    // [category, where, expected unit, level]: the category's default unit, else the grid owner.
    ['1101', 'A1', 'communityA', 'category_default'], // 暴露垃圾 → community
    ['1401', 'A1', 'dept', 'category_default'], // 机动车乱停放 → department:城管
    ['1103', 'B1', 'communityB', 'grid_owner'], // 道路不洁 → department:环卫, which the street lacks
    ['0699', 'B1', 'communityB', 'grid_owner'], // no default
  ] as const)('%s at %s goes to %s by %s', async (code, where, unit, level) => {
    const res = await resolve(await t.as('dispatcher'), { categoryCode: code, ...(where === 'A1' ? IN_A1 : IN_B1) });
    expect(res.statusCode).toBe(200);
    const fx = t.fx as unknown as Record<string, OrgRow>;
    expect(res.json()).toMatchObject({ unit: { id: fx[unit].id, name: fx[unit].name }, level, ruleId: null });
    expect(res.json().location).toMatchObject({ point: null, grid: { id: fx[`grid${where}`].id }, street: { id: t.fx.street.id } });
  });

  it('at a point, the point’s guard unit comes in before the defaults', async () => {
    const res = await resolve(await t.as('office'), { categoryCode: '1101', pointId: p1 });
    expect(res.json()).toMatchObject({ unit: { id: property.id, name: '华通物业', kind: 'property_company' }, level: 'guard' });
    expect(res.json().location).toMatchObject({ point: { id: p1, name: '东风农贸市场', typeCode: 'market' }, guard: { id: property.id }, community: { id: t.fx.communityA.id } });
  });
});

describe('rules', () => {
  let streetRule: { id: number; version: number };
  let gridRule: { id: number; version: number };
  let pointRule: { id: number; version: number };
  let gridB1Rule: { id: number; version: number };

  it('creates rules at every kind of place', async () => {
    const c = await t.as('office');
    const street = await c.post('/api/v1/routing/rules', { categoryId: category['14'], scopeType: 'street', targetOrgId: t.fx.street.id, unitOrgId: t.fx.dept.id, notes: '街面秩序全街道由城管科负责' });
    expect(street.statusCode).toBe(200);
    expect(street.json()).toMatchObject({ categoryCode: '14', categoryName: '街面秩序', scopeType: 'street', targetOrgName: '测试街道', unitOrgName: '城管科', active: true, version: 1 });
    streetRule = street.json();
    gridRule = (await c.post('/api/v1/routing/rules', { categoryId: category['1401'], scopeType: 'grid', targetOrgId: t.fx.gridA1.id, unitOrgId: t.fx.communityA.id })).json();
    expect(gridRule).toMatchObject({ targetOrgName: '东风社区第1网格', unitOrgName: '东风社区' });
    pointRule = (await c.post('/api/v1/routing/rules', { categoryId: category['1401'], scopeType: 'point', pointId: p1, unitOrgId: property.id })).json();
    expect(pointRule).toMatchObject({ pointName: '东风农贸市场', targetOrgId: null, unitOrgName: '华通物业' });
    gridB1Rule = (await c.post('/api/v1/routing/rules', { categoryId: null, scopeType: 'grid', targetOrgId: t.fx.gridB1.id, unitOrgId: t.fx.dept.id })).json();
    expect(gridB1Rule).toMatchObject({ categoryId: null, categoryName: null });
    // A point-type rule defaults to the caller's street.
    const typed = await c.post('/api/v1/routing/rules', { categoryId: category['0101'], scopeType: 'point_type', pointTypeCode: 'market', unitOrgId: t.fx.dept.id });
    expect(typed.json()).toMatchObject({ pointTypeCode: 'market', pointTypeName: '农贸(集贸)市场', targetOrgId: t.fx.street.id });
  });

  it('resolves by precedence and explains the chain', async () => {
    const c = await t.as('dispatcher');
    // 事件 at the point: the point rule wins.
    const atPoint = (await resolve(c, { categoryCode: '1401', pointId: p1 })).json();
    expect(atPoint).toMatchObject({ unit: { id: property.id }, level: 'point', ruleId: pointRule.id, categoryMatch: 'exact' });
    expect(atPoint.steps).toEqual([{ level: 'point', outcome: 'matched', reason: 'rule', ruleId: pointRule.id, unitOrgId: property.id, unitName: '华通物业', categoryMatch: 'exact' }]);
    // 事件 at a location in A1 without a point: the grid rule.
    const inGrid = (await resolve(c, { categoryCode: '1401', ...IN_A1 })).json();
    expect(inGrid).toMatchObject({ unit: { id: t.fx.communityA.id }, level: 'grid', ruleId: gridRule.id });
    expect(inGrid.steps.map((s: { level: string; outcome: string }) => `${s.level}:${s.outcome}`)).toEqual(['point:not_applicable', 'micro_grid:not_applicable', 'grid:matched']);
    // Another 小类 of 街面秩序 at the point: no rule for the point or grid, so the guard unit (territory first, then owner).
    expect((await resolve(c, { categoryCode: '1402', pointId: p1 })).json()).toMatchObject({ level: 'guard', unit: { id: property.id } });
    // …and in A2 without a point: the street-wide 大类 rule.
    const street = (await resolve(c, { categoryCode: '1402', lat: 36.815, lng: 118.01 })).json();
    expect(street).toMatchObject({ level: 'street', ruleId: streetRule.id, categoryMatch: 'parent', unit: { id: t.fx.dept.id } });
    // An any-category grid rule in B1 takes everything there, before the street rule.
    expect((await resolve(c, { categoryCode: '1402', ...IN_B1 })).json()).toMatchObject({ level: 'grid', ruleId: gridB1Rule.id, categoryMatch: 'any' });
    // 部件 at the market: owner first — its guard unit before the market-type rule.
    expect((await resolve(c, { categoryCode: '0101', pointId: p1 })).json()).toMatchObject({ level: 'guard', unit: { id: property.id } });
  });

  it('skips a rule whose unit has been switched off', async () => {
    const office = await t.as('office');
    const org = (await office.get(`/api/v1/orgs/${property.id}`)).json();
    expect((await office.post(`/api/v1/orgs/${property.id}/deactivate`, { version: org.version })).statusCode).toBe(200);
    const res = (await resolve(await t.as('dispatcher'), { categoryCode: '1401', pointId: p1 })).json();
    expect(res).toMatchObject({ level: 'grid', unit: { id: t.fx.communityA.id } });
    expect(res.steps[0]).toMatchObject({ level: 'point', outcome: 'skipped', reason: 'unit_inactive', ruleId: pointRule.id });
    // The guard level is skipped too for a 部件: the market-type rule decides.
    expect((await resolve(await t.as('dispatcher'), { categoryCode: '0101', pointId: p1 })).json()).toMatchObject({ level: 'point_type', unit: { id: t.fx.dept.id } });
    await t.db.deps.db.updateTable('orgs').set({ active: 1 }).where('id', '=', property.id).execute(); // the org API has no reactivation yet
  });

  it.each([
    [{ scopeType: 'point' }, 'VALIDATION_FAILED', 'pointId'],
    [{ scopeType: 'point', pointId: 999999 }, 'VALIDATION_FAILED', 'pointId'],
    [{ scopeType: 'grid', targetOrgId: 'COMMUNITY_A' }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'grid', targetOrgId: undefined }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'community', targetOrgId: null }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'community', targetOrgId: 'GRID_A1' }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'grid', targetOrgId: 999999 }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'grid', targetOrgId: 'abc' }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'grid', targetOrgId: 2147483648 }, 'VALIDATION_FAILED', 'targetOrgId'],
    [{ scopeType: 'point_type', pointTypeCode: 'nope' }, 'VALIDATION_FAILED', 'pointTypeCode'],
    [{ scopeType: 'point_type' }, 'VALIDATION_FAILED', 'pointTypeCode'],
    [{ scopeType: 'planet' }, 'VALIDATION_FAILED', 'scopeType'],
    [{ unitOrgId: 'GRID_A1' }, 'VALIDATION_FAILED', 'unitOrgId'],
    [{ unitOrgId: 'STREET' }, 'VALIDATION_FAILED', 'unitOrgId'],
    [{ unitOrgId: 999999 }, 'VALIDATION_FAILED', 'unitOrgId'],
    [{ unitOrgId: undefined }, 'VALIDATION_FAILED', 'unitOrgId'],
    [{ categoryId: 999999 }, 'VALIDATION_FAILED', 'categoryId'],
    [{ categoryId: undefined }, 'VALIDATION_FAILED', 'categoryId'],
    [{ categoryId: 'INACTIVE' }, 'VALIDATION_FAILED', 'categoryId'],
    [{ notes: '长'.repeat(501) }, 'VALIDATION_FAILED', 'notes'],
    [{ categoryId: 'C1401' }, 'DUPLICATE', 'targetOrgId'],
  ])('rejects %j with %s on %s, writing nothing', async (patch, code, field) => {
    const ids: Record<string, number> = {
      COMMUNITY_A: t.fx.communityA.id,
      GRID_A1: t.fx.gridA1.id,
      STREET: t.fx.street.id,
      INACTIVE: category['1502'],
      C1401: category['1401'],
    };
    const body: Record<string, unknown> = { categoryId: category['1101'], scopeType: 'grid', targetOrgId: t.fx.gridA1.id, unitOrgId: t.fx.communityA.id, ...patch };
    for (const [k, v] of Object.entries(body)) {
      if (v === undefined) delete body[k];
      else if (typeof v === 'string' && v in ids) body[k] = ids[v];
    }
    await t.db.deps.db.updateTable('categories').set({ active: 0 }).where('code', '=', '1502').execute();
    const before = await ruleCount();
    const res = await (await t.as('office')).post('/api/v1/routing/rules', body);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ code, field });
    expect(await ruleCount()).toBe(before);
  });

  it('refuses writes to roles without routing.write', async () => {
    const before = await ruleCount();
    for (const who of ['unit', 'commA', 'dispatcher', 'leader', 'gridA1']) {
      const c = await t.as(who);
      expect((await c.post('/api/v1/routing/rules', { categoryId: null, scopeType: 'community', targetOrgId: t.fx.communityA.id, unitOrgId: t.fx.communityA.id })).statusCode).toBe(403);
      expect((await c.patch(`/api/v1/routing/rules/${gridRule.id}`, { version: 1, notes: 'hijack' })).statusCode).toBe(403);
      expect((await c.post(`/api/v1/routing/rules/${gridRule.id}/deactivate`, { version: 1 })).statusCode).toBe(403);
    }
    expect(await ruleCount()).toBe(before);
    expect((await (await t.as('volunteer')).get('/api/v1/routing/rules')).statusCode).toBe(403);
  });

  it('shows a community only the rules of its area or naming it as the unit', async () => {
    const c = await t.as('commA');
    const list = (await c.get('/api/v1/routing/rules?pageSize=100')).json();
    const ids = list.items.map((r: { id: number }) => r.id).sort();
    expect(ids).toEqual([gridRule.id, pointRule.id].sort());
    expect(list.total).toBe(2);
    expect((await c.get(`/api/v1/routing/rules/${gridB1Rule.id}`)).statusCode).toBe(404);
    expect((await c.get(`/api/v1/routing/rules/${streetRule.id}`)).statusCode).toBe(404);
    expect((await c.get(`/api/v1/routing/rules/${gridRule.id}`)).statusCode).toBe(200);
    // The department sees the rules that name it, wherever they apply.
    const dept = (await (await t.as('unit')).get('/api/v1/routing/rules?pageSize=100')).json();
    expect(dept.items.every((r: { unitOrgName: string }) => r.unitOrgName === '城管科')).toBe(true);
    expect(dept.total).toBe(3);
    // Resolving outside one's area is "outside every grid", not an answer.
    expect((await resolve(c, { categoryCode: '1401', ...IN_B1 })).json()).toMatchObject({ code: 'OUTSIDE_GRIDS', field: 'lat' });
    expect((await resolve(c, { categoryCode: '1401', pointId: p2 })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'pointId' });
    expect((await resolve(c, { categoryCode: '1401', pointId: p1 })).statusCode).toBe(200);
  });

  it('filters the list by category (a 大类 includes its 小类), scope type, unit and place', async () => {
    const c = await t.as('office');
    const ids = async (q: string) => (await c.get(`/api/v1/routing/rules?pageSize=100&${q}`)).json().items.map((r: { id: number }) => r.id).sort();
    expect(await ids(`categoryId=${category['14']}`)).toEqual([streetRule.id, gridRule.id, pointRule.id].sort());
    expect(await ids(`categoryId=${category['1401']}`)).toEqual([gridRule.id, pointRule.id].sort());
    expect(await ids('anyCategory=true')).toEqual([gridB1Rule.id]);
    expect(await ids('scopeType=point')).toEqual([pointRule.id]);
    expect(await ids(`unitOrgId=${t.fx.communityA.id}`)).toEqual([gridRule.id]);
    expect(await ids(`targetOrgId=${t.fx.communityA.id}`)).toEqual([gridRule.id, pointRule.id].sort());
    expect(await ids(`pointId=${p1}`)).toEqual([pointRule.id]);
    expect(await ids(`q=${encodeURIComponent('全街道')}`)).toEqual([streetRule.id]);
    expect((await c.get('/api/v1/routing/rules?scopeType=planet')).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'scopeType' });
  });

  it('edits with versions: the stale writer gets 409 and nothing changes', async () => {
    const c = await t.as('office');
    const [a, b] = await Promise.all([
      c.patch(`/api/v1/routing/rules/${gridRule.id}`, { version: gridRule.version, notes: '甲' }),
      c.patch(`/api/v1/routing/rules/${gridRule.id}`, { version: gridRule.version, unitOrgId: t.fx.dept.id }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const now = (await c.get(`/api/v1/routing/rules/${gridRule.id}`)).json();
    expect(now.version).toBe(gridRule.version + 1);
    const stale = await c.patch(`/api/v1/routing/rules/${gridRule.id}`, { version: gridRule.version, unitOrgId: property.id });
    expect(stale.json()).toMatchObject({ code: 'CONFLICT' });
    expect((await c.get(`/api/v1/routing/rules/${gridRule.id}`)).json()).toEqual(now);
    gridRule = now;
  });

  it('moves a rule to another place and refuses a move onto an occupied one', async () => {
    const c = await t.as('office');
    const moved = await c.patch(`/api/v1/routing/rules/${gridRule.id}`, { version: gridRule.version, scopeType: 'community', targetOrgId: t.fx.communityA.id, unitOrgId: t.fx.communityA.id });
    expect(moved.json()).toMatchObject({ scopeType: 'community', targetOrgName: '东风社区', unitOrgName: '东风社区' });
    const clash = await c.post('/api/v1/routing/rules', { categoryId: category['1401'], scopeType: 'community', targetOrgId: t.fx.communityA.id, unitOrgId: t.fx.dept.id });
    expect(clash.json()).toMatchObject({ code: 'DUPLICATE', field: 'targetOrgId' });
    const bad = await c.patch(`/api/v1/routing/rules/${moved.json().id}`, { version: moved.json().version, targetOrgId: t.fx.gridA1.id });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'targetOrgId' });
    gridRule = moved.json();
  });

  it('deactivates a rule, frees its place, and refuses to reactivate it over a newer one', async () => {
    const c = await t.as('office');
    const off = await c.post(`/api/v1/routing/rules/${streetRule.id}/deactivate`, { version: streetRule.version });
    expect(off.json()).toMatchObject({ active: false, version: streetRule.version + 1 });
    expect((await resolve(await t.as('dispatcher'), { categoryCode: '1402', lat: 36.815, lng: 118.01 })).json().level).not.toBe('street');
    const replacement = await c.post('/api/v1/routing/rules', { categoryId: category['14'], scopeType: 'street', targetOrgId: t.fx.street.id, unitOrgId: t.fx.communityA.id });
    expect(replacement.statusCode).toBe(200);
    const back = await c.patch(`/api/v1/routing/rules/${streetRule.id}`, { version: off.json().version, active: true });
    expect(back.json()).toMatchObject({ code: 'DUPLICATE' });
    expect((await c.get(`/api/v1/routing/rules?active=false`)).json().items.map((r: { id: number }) => r.id)).toContain(streetRule.id);
  });

  it('answers 404 for rules that do not exist', async () => {
    const c = await t.as('office');
    expect((await c.get('/api/v1/routing/rules/999999')).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.patch('/api/v1/routing/rules/999999', { version: 1, notes: 'x' })).statusCode).toBe(404);
  });

  it('writes an audit row for each change', async () => {
    const res = await (await t.as('admin')).get('/api/v1/audit?action=routing.');
    expect(res.json().total).toBeGreaterThanOrEqual(8);
  });
});

describe('resolve input', () => {
  it.each([
    [{ categoryCode: '9999', ...IN_A1 }, 'VALIDATION_FAILED', 'categoryCode'],
    [{ categoryCode: 'abc', ...IN_A1 }, 'VALIDATION_FAILED', 'categoryCode'],
    [{ ...IN_A1 }, 'VALIDATION_FAILED', 'categoryCode'],
    [{ categoryCode: '1101' }, 'VALIDATION_FAILED', 'pointId'],
    [{ categoryCode: '1101', lat: 36.805 }, 'VALIDATION_FAILED', 'lng'],
    [{ categoryCode: '1101', lng: 118.01 }, 'VALIDATION_FAILED', 'lat'],
    [{ categoryCode: '1101', lat: 91, lng: 118.01 }, 'VALIDATION_FAILED', 'lat'],
    [{ categoryCode: '1101', lat: 'Infinity', lng: 118.01 }, 'VALIDATION_FAILED', 'lat'],
    [{ categoryCode: '1101', lat: 10, lng: 100 }, 'OUTSIDE_GRIDS', 'lat'],
    [{ categoryCode: '1101', pointId: 999999 }, 'VALIDATION_FAILED', 'pointId'],
    [{ categoryCode: '1101', pointId: 0 }, 'VALIDATION_FAILED', 'pointId'],
  ])('%j → %s on %s', async (q, code, field) => {
    const res = await resolve(await t.as('office'), q as Record<string, string | number>);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, field });
  });

  it('a 大类 code resolves by its own rules and any-category rules', async () => {
    const res = await resolve(await t.as('office'), { categoryCode: '14', ...IN_B1 });
    expect(res.json()).toMatchObject({ category: { code: '14' }, level: 'grid', categoryMatch: 'any' });
  });
});

describe('resolveResponsibleUnit for the case intake', () => {
  it('runs inside the caller’s transaction with a place located beforehand', async () => {
    const deps = t.db.deps;
    const place = await locatePlace(deps, IN_A1.lng, IN_A1.lat);
    expect(place).toMatchObject({ gridId: t.fx.gridA1.id, communityId: t.fx.communityA.id, streetId: t.fx.street.id, microGridId: null });
    expect(await locatePlace(deps, 100, 10)).toBeNull();
    const answer = await deps.db.transaction().execute((trx) => resolveResponsibleUnit(trx, { categoryCode: '1101', location: place }));
    expect(answer).toMatchObject({ unit: { id: t.fx.communityA.id }, level: 'category_default', category: { code: '1101', kind: 'event' } });
    const atPoint = await deps.db.transaction().execute((trx) => resolveResponsibleUnit(trx, { categoryCode: '1101', pointId: p2 }));
    expect(atPoint.location.point).toMatchObject({ id: p2, typeCode: 'residential' });
    await expect(resolveResponsibleUnit(deps.db, { categoryCode: 'nope', location: place })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers "nobody" when neither a point nor a place is known', async () => {
    const answer = await resolveResponsibleUnit(t.db.deps.db, { categoryCode: '1101' });
    expect(answer).toMatchObject({ unit: null, level: null });
  });
});
