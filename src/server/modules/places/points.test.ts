import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedPointTypes } from './service.js';
import { addCommunityOffice } from './test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPointTypes(t.db.deps.db);
  await addCommunityOffice(t, 'officeA', t.fx.communityA.id);
});
afterAll(async () => t?.close());

const P = '/api/v1/points';
const at = (lng: number, lat: number) => ({ type: 'Point', coordinates: [lng, lat] });
/** Locations in the fixture: community A is west of 118.02, community B east; grid 1 south of 36.81, grid 2 north. */
const IN_A1 = at(118.01, 36.805);
const IN_B2 = at(118.03, 36.815);
const count = async () => Number((await t.db.deps.db.selectFrom('points').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const auditCount = async (action: string) =>
  Number((await t.db.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

async function create(body: Record<string, unknown>, user = 'office') {
  const c = await t.as(user);
  return c.post(P, body);
}

describe('point types', () => {
  it('lists the seeded types with their fields', async () => {
    const c = await t.as('volunteer');
    const res = await c.get('/api/v1/point-types');
    expect(res.statusCode).toBe(200);
    const types = res.json();
    expect(types).toHaveLength(19);
    expect(types.find((x: { code: string }) => x.code === 'residential')).toMatchObject({
      nameZh: '居民小区',
      geometryKind: 'polygon',
      fields: [expect.objectContaining({ key: 'households', type: 'integer' }), expect.objectContaining({ key: 'buildings' })],
    });
  });

  it('seeds idempotently', async () => {
    expect(await seedPointTypes(t.db.deps.db)).toBe(0);
  });
});

describe('create', () => {
  it('creates a point and assigns its grid, community and street from the location', async () => {
    const before = await auditCount('point.create');
    const res = await create({ name: '人民公园东门公交站', typeCode: 'bus_stop', geometry: IN_A1, responsibleName: '李四', responsiblePhone: '13912345678', address: '人民路 8 号', guardOrgId: t.fx.dept.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '人民公园东门公交站',
      typeCode: 'bus_stop',
      typeName: '公交站点',
      lng: 118.01,
      lat: 36.805,
      gridId: t.fx.gridA1.id,
      gridName: '东风社区第1网格',
      gridCode: '370303012001001',
      communityId: t.fx.communityA.id,
      communityName: '东风社区',
      guardOrgId: t.fx.dept.id,
      guardOrgName: '城管科',
      responsiblePhone: '13912345678',
      version: 1,
      active: true,
      geometry: IN_A1,
    });
    expect(await auditCount('point.create')).toBe(before + 1);
  });

  it('assigns a polygon by a point inside it and a road by its middle', async () => {
    const compound = await create({
      name: '东风小区',
      typeCode: 'residential',
      geometry: { type: 'Polygon', coordinates: [[[118.021, 36.811], [118.029, 36.811], [118.029, 36.819], [118.021, 36.819], [118.021, 36.811]]] },
      attrs: { households: 420, buildings: 12 },
    });
    expect(compound.statusCode).toBe(200);
    expect(compound.json()).toMatchObject({ gridId: t.fx.gridB2.id, attrs: { households: 420, buildings: 12 } });
    // A road from grid A1 far into B1: its middle (along its length) lies in B1.
    const road = await create({ name: '人民路', typeCode: 'main_road', geometry: { type: 'LineString', coordinates: [[118.015, 36.805], [118.035, 36.805]] }, attrs: { lengthM: 1780 } });
    expect(road.statusCode).toBe(200);
    expect(road.json()).toMatchObject({ gridId: t.fx.gridB1.id, lng: 118.025 });
  });

  it('refuses a location outside every grid', async () => {
    const before = await count();
    const res = await create({ name: '城外', typeCode: 'hotel', geometry: at(118.1, 36.9) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'OUTSIDE_GRIDS', field: 'geometry' });
    expect(await count()).toBe(before);
  });

  it('refuses a geometry that does not suit the type', async () => {
    const res = await create({ name: '站', typeCode: 'bus_stop', geometry: { type: 'LineString', coordinates: [[118.01, 36.805], [118.011, 36.805]] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_GEOMETRY', field: 'geometry' });
  });

  it.each([
    ['a missing name', { typeCode: 'hotel', geometry: IN_A1 }, 'VALIDATION_FAILED', 'name'],
    ['an empty name', { name: '', typeCode: 'hotel', geometry: IN_A1 }, 'VALIDATION_FAILED', 'name'],
    ['an oversize name', { name: '店'.repeat(101), typeCode: 'hotel', geometry: IN_A1 }, 'VALIDATION_FAILED', 'name'],
    ['a NUL in the name', { name: 'a\u0000b', typeCode: 'hotel', geometry: IN_A1 }, 'VALIDATION_FAILED', 'name'],
    ['a NUL in an attribute', { name: 'x', typeCode: 'school_area', geometry: IN_A1, attrs: { note: '\u0000' } }, 'VALIDATION_FAILED', 'attrs.note'],
    ['a name of the wrong type', { name: 12, typeCode: 'hotel', geometry: IN_A1 }, 'VALIDATION_FAILED', 'name'],
    ['an unknown type', { name: 'x', typeCode: 'spaceport', geometry: IN_A1 }, 'VALIDATION_FAILED', 'typeCode'],
    ['a malformed type code', { name: 'x', typeCode: 'Hotel!', geometry: IN_A1 }, 'VALIDATION_FAILED', 'typeCode'],
    ['a missing geometry', { name: 'x', typeCode: 'hotel' }, 'VALIDATION_FAILED', 'geometry'],
    ['an unknown geometry type', { name: 'x', typeCode: 'hotel', geometry: { type: 'Circle', coordinates: [118, 36] } }, 'VALIDATION_FAILED', 'geometry.type'],
    ['coordinates as text', { name: 'x', typeCode: 'hotel', geometry: { type: 'Point', coordinates: ['118.01', '36.805'] } }, 'INVALID_GEOMETRY', 'geometry'],
    ['latitude out of range', { name: 'x', typeCode: 'hotel', geometry: at(118, 136) }, 'INVALID_GEOMETRY', 'geometry'],
    ['coordinates not an array', { name: 'x', typeCode: 'hotel', geometry: { type: 'Point', coordinates: 'here' } }, 'VALIDATION_FAILED', 'geometry.coordinates'],
    ['a bow-tie polygon', { name: 'x', typeCode: 'park_square', geometry: { type: 'Polygon', coordinates: [[[118.001, 36.801], [118.009, 36.809], [118.009, 36.801], [118.001, 36.809], [118.001, 36.801]]] } }, 'INVALID_GEOMETRY', 'geometry'],
    ['an open ring', { name: 'x', typeCode: 'park_square', geometry: { type: 'Polygon', coordinates: [[[118.001, 36.801], [118.009, 36.801], [118.009, 36.809]]] } }, 'INVALID_GEOMETRY', 'geometry'],
    ['an unknown attribute', { name: 'x', typeCode: 'residential', geometry: IN_A1, attrs: { floors: 3 } }, 'VALIDATION_FAILED', 'attrs.floors'],
    ['a fractional household count', { name: 'x', typeCode: 'residential', geometry: IN_A1, attrs: { households: 1.5 } }, 'VALIDATION_FAILED', 'attrs.households'],
    ['a negative length', { name: 'x', typeCode: 'main_road', geometry: IN_A1, attrs: { lengthM: -1 } }, 'VALIDATION_FAILED', 'attrs.lengthM'],
    ['an attribute of the wrong type', { name: 'x', typeCode: 'residential', geometry: IN_A1, attrs: { households: 'many' } }, 'VALIDATION_FAILED', 'attrs.households'],
    ['a malformed phone', { name: 'x', typeCode: 'hotel', geometry: IN_A1, responsiblePhone: 'call me' }, 'VALIDATION_FAILED', 'responsiblePhone'],
    ['an oversize address', { name: 'x', typeCode: 'hotel', geometry: IN_A1, address: 'a'.repeat(201) }, 'VALIDATION_FAILED', 'address'],
    ['an unknown guard unit', { name: 'x', typeCode: 'hotel', geometry: IN_A1, guardOrgId: 999999 }, 'VALIDATION_FAILED', 'guardOrgId'],
    ['a guard id beyond int4', { name: 'x', typeCode: 'hotel', geometry: IN_A1, guardOrgId: 2 ** 40 }, 'VALIDATION_FAILED', 'guardOrgId'],
  ])('answers 400 for %s, writing nothing', async (_name, body, code, field) => {
    const before = await count();
    const res = await create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, field });
    expect(await count()).toBe(before);
  });

  it('answers malformed JSON with 400', async () => {
    const c = await t.as('office');
    const res = await c.post(P, '{"name":', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });

  it('is for the campaign office and admins only', async () => {
    const before = await count();
    for (const user of ['unit', 'commA', 'leader', 'gridA1']) {
      const res = await create({ name: 'x', typeCode: 'hotel', geometry: IN_A1 }, user);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    expect((await create({ name: '管理员建的', typeCode: 'hotel', geometry: IN_A1 }, 'admin')).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('requires a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: P });
    expect(res.statusCode).toBe(401);
  });
});

describe('update and deactivate', () => {
  it('updates with the current version and refuses a stale one', async () => {
    const created = (await create({ name: '老店', typeCode: 'small_shop', geometry: IN_A1 })).json();
    const c = await t.as('office');
    const ok = await c.patch(`${P}/${created.id}`, { version: 1, name: '新店', geometry: IN_B2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: '新店', version: 2, gridId: t.fx.gridB2.id, communityId: t.fx.communityB.id });
    const stale = await c.patch(`${P}/${created.id}`, { version: 1, name: '又一个名字' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    expect((await c.get(`${P}/${created.id}`)).json().name).toBe('新店');
  });

  it('keeps attributes the new type shares and validates new ones', async () => {
    const c = await t.as('office');
    const p = (await create({ name: '小区', typeCode: 'residential', geometry: IN_A1, attrs: { households: 10, buildings: 2 } })).json();
    const changed = await c.patch(`${P}/${p.id}`, { version: p.version, typeCode: 'old_residential' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().attrs).toEqual({ households: 10 });
    const bad = await c.patch(`${P}/${p.id}`, { version: 2, attrs: { builtYear: 1800 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'attrs.builtYear' });
  });

  it('refuses a move outside every grid and leaves the point unchanged', async () => {
    const c = await t.as('office');
    const p = (await create({ name: '书店', typeCode: 'small_shop', geometry: IN_A1 })).json();
    const res = await c.patch(`${P}/${p.id}`, { version: 1, geometry: at(117.5, 36.5) });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('OUTSIDE_GRIDS');
    expect((await c.get(`${P}/${p.id}`)).json()).toMatchObject({ version: 1, geometry: IN_A1 });
  });

  it.each([
    ['no version', { name: 'x' }, 'version'],
    ['a text version', { version: '1', name: 'x' }, 'version'],
    ['an empty name', { version: 1, name: '' }, 'name'],
    ['a bad geometry', { version: 1, geometry: { type: 'Point', coordinates: [500, 0] } }, 'geometry'],
  ])('answers 400 for %s', async (_n, body, field) => {
    const c = await t.as('office');
    const p = (await create({ name: '修改测试', typeCode: 'hotel', geometry: IN_A1 })).json();
    const res = await c.patch(`${P}/${p.id}`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect((await c.get(`${P}/${p.id}`)).json().version).toBe(1);
  });

  it('deactivates with a version and hides the point from lists', async () => {
    const c = await t.as('office');
    const p = (await create({ name: '要停用的点', typeCode: 'hotel', geometry: IN_A1 })).json();
    expect((await c.post(`${P}/${p.id}/deactivate`, { version: 9 })).statusCode).toBe(409);
    const res = await c.post(`${P}/${p.id}/deactivate`, { version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: false, version: 2 });
    const list = (await c.get(`${P}?q=${encodeURIComponent('要停用')}`)).json();
    expect(list.total).toBe(0);
    expect((await c.get(`${P}?q=${encodeURIComponent('要停用')}&active=false`)).json().total).toBe(1);
    expect(await auditCount('point.deactivate')).toBe(1);
  });

  it('answers 404 for a missing point and 400 for a bad id', async () => {
    const c = await t.as('office');
    expect((await c.patch(`${P}/999999`, { version: 1, name: 'x' })).statusCode).toBe(404);
    expect((await c.get(`${P}/abc`)).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect((await c.get(`${P}/99999999999`)).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
  });
});

describe('list, scope and masking', () => {
  let aId: number;
  let bId: number;
  let guardedInB: number;
  beforeAll(async () => {
    aId = (await create({ name: '东风菜市场', typeCode: 'market', geometry: at(118.005, 36.815), responsiblePhone: '13700001111', attrs: { stalls: 80 } })).json().id;
    bId = (await create({ name: '西苑菜市场', typeCode: 'market', geometry: at(118.035, 36.805), responsiblePhone: '13700002222' })).json().id;
    // A point in community B whose 包保单位 is community A: A sees it too.
    guardedInB = (await create({ name: '西苑路口', typeCode: 'intersection', geometry: at(118.025, 36.805), guardOrgId: t.fx.communityA.id })).json().id;
  });

  it('pages, filters and sorts', async () => {
    const c = await t.as('office');
    const page = (await c.get(`${P}?type=market&sort=name&pageSize=1`)).json();
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page.items[0].name).toBe('东风菜市场');
    const desc = (await c.get(`${P}?type=market&sort=-name`)).json();
    expect(desc.items.map((p: { name: string }) => p.name)).toEqual(['西苑菜市场', '东风菜市场']);
    const byGrid = (await c.get(`${P}?gridId=${t.fx.gridB1.id}&type=market`)).json();
    expect(byGrid.items.map((p: { id: number }) => p.id)).toEqual([bId]);
    const byCommunity = (await c.get(`${P}?communityId=${t.fx.communityA.id}&type=market`)).json();
    expect(byCommunity.items.map((p: { id: number }) => p.id)).toEqual([aId]);
    expect((await c.get(`${P}?q=${encodeURIComponent('东风菜')}`)).json().total).toBe(1);
    expect((await c.get(`${P}?guardOrgId=${t.fx.communityA.id}`)).json().items.map((p: { id: number }) => p.id)).toEqual([guardedInB]);
  });

  it('takes LIKE wildcards in q literally', async () => {
    const c = await t.as('office');
    expect((await c.get(`${P}?q=%25`)).json().total).toBe(0);
    expect((await c.get(`${P}?q=_`)).json().total).toBe(0);
    expect((await c.get(`${P}?q=${encodeURIComponent('\\')}`)).statusCode).toBe(200);
  });

  it('shows a community officer its own points and the points it guards, nothing of community B', async () => {
    const c = await t.as('commA');
    const list = (await c.get(`${P}?pageSize=200`)).json();
    const ids = list.items.map((p: { id: number }) => p.id);
    expect(ids).toContain(aId);
    expect(ids).toContain(guardedInB);
    expect(ids).not.toContain(bId);
    expect(list.items.every((p: { communityId: number; guardOrgId: number | null }) => p.communityId === t.fx.communityA.id || p.guardOrgId === t.fx.communityA.id)).toBe(true);
    expect(list.total).toBe(ids.length);
    // Filters cannot widen the scope.
    expect((await c.get(`${P}?communityId=${t.fx.communityB.id}&type=market`)).json()).toMatchObject({ total: 0, items: [] });
    expect((await c.get(`${P}?gridId=${t.fx.gridB1.id}&type=market`)).json().total).toBe(0);
    expect((await c.get(`${P}/${bId}`)).statusCode).toBe(404);
    expect((await c.get(`${P}/${guardedInB}`)).statusCode).toBe(200);
    const layer = (await c.get(`${P}.geojson`)).json();
    expect(layer.features.map((f: { id: number }) => f.id)).not.toContain(bId);
    const exported = (await c.get(`${P}/export.geojson`)).json();
    expect(exported.features.map((f: { id: number }) => f.id)).not.toContain(bId);
  });

  it('lets a community office write only inside its community', async () => {
    const c = await t.as('officeA');
    const before = await count();
    const outside = await c.post(P, { name: '越界', typeCode: 'hotel', geometry: IN_B2 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().code).toBe('OUTSIDE_GRIDS');
    expect((await c.patch(`${P}/${bId}`, { version: 1, name: '改' })).statusCode).toBe(404);
    expect((await c.post(`${P}/${bId}/deactivate`, { version: 1 })).statusCode).toBe(404);
    // Seen through its guard unit, but located in community B: read-only.
    expect((await c.patch(`${P}/${guardedInB}`, { version: 1, name: '改' })).json().code).toBe('FORBIDDEN');
    const own = await c.patch(`${P}/${aId}`, { version: 1, geometry: IN_B2 });
    expect(own.statusCode).toBe(400);
    expect(own.json().code).toBe('OUTSIDE_GRIDS');
    expect((await c.post(P, { name: '本社区的店', typeCode: 'hotel', geometry: IN_A1 })).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('shows a grid worker only the grid', async () => {
    const c = await t.as('gridA1');
    const items = (await c.get(`${P}?pageSize=200`)).json().items as { gridId: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.gridId === t.fx.gridA1.id)).toBe(true);
    expect((await c.get(`${P}/${aId}`)).statusCode).toBe(404); // aId lies in grid A2
  });

  it('masks phones for roles that do not need them', async () => {
    const office = await t.as('office');
    expect((await office.get(`${P}/${aId}`)).json().responsiblePhone).toBe('13700001111');
    const leader = await t.as('leader');
    expect((await leader.get(`${P}/${aId}`)).json().responsiblePhone).toBe('137****1111');
    const list = (await (await t.as('commA')).get(`${P}?type=market`)).json();
    expect(list.items[0].responsiblePhone).toBe('137****1111');
    const exported = (await leader.get(`${P}/export.geojson?type=market`)).json();
    expect(exported.features[0].properties.responsiblePhone).toBeUndefined();
  });

  it.each([
    ['page', 'page=0'],
    ['pageSize', 'pageSize=500'],
    ['pageSize', 'pageSize=abc'],
    ['sort', 'sort=random'],
    ['type', 'type=DROP%20TABLE'],
    ['q', `q=${'x'.repeat(51)}`],
    ['q', 'q=%00'],
    ['communityId', 'communityId=-1'],
    ['gridId', 'gridId=1.5'],
  ])('answers 400 naming %s for %s', async (field, query) => {
    const c = await t.as('office');
    const res = await c.get(`${P}?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('serves a GeoJSON layer filtered by bbox and type', async () => {
    const c = await t.as('office');
    const res = await c.get(`${P}.geojson?type=market&bbox=118.0,36.81,118.02,36.82`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toEqual([{ type: 'Feature', id: aId, geometry: at(118.005, 36.815), properties: { id: aId, name: '东风菜市场', typeCode: 'market' } }]);
  });

  it.each(['1,2,3', '118,36,117,37', '0,0,0,200', 'a,b,c,d'])('rejects bbox=%s', async (bbox) => {
    const c = await t.as('office');
    const res = await c.get(`${P}.geojson?bbox=${bbox}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'bbox' });
  });

  it('exports points as re-importable GeoJSON', async () => {
    const c = await t.as('office');
    const res = await c.get(`${P}/export.geojson?type=market`);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const fc = res.json();
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0].properties).toMatchObject({ name: '东风菜市场', typeCode: 'market', attrs: { stalls: 80 }, gridCode: '370303012001002' });
  });
});
