import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { wgs84ToGcj02 } from '../../../core/geo/index.js';
import { seedPointTypes } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPointTypes(t.db.deps.db);
  const office = await t.as('office');
  await office.post('/api/v1/points', { name: '东风公交站', typeCode: 'bus_stop', geometry: { type: 'Point', coordinates: [118.01, 36.805] } });
  await office.post('/api/v1/points', { name: '西苑公交站', typeCode: 'bus_stop', geometry: { type: 'Point', coordinates: [118.03, 36.805] } });
});
afterAll(async () => t?.close());

interface FC {
  type: string;
  features: { id: number; geometry: { type: string }; properties: Record<string, unknown> }[];
}

describe('GET /grids', () => {
  it('lists the grids of the street with their community and point count', async () => {
    const c = await t.as('office');
    const res = await c.get('/api/v1/grids');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(4);
    expect(page.items[0]).toEqual({
      id: t.fx.gridA1.id,
      code: '370303012001001',
      name: '东风社区第1网格',
      kind: 'grid',
      parentId: t.fx.communityA.id,
      communityId: t.fx.communityA.id,
      communityName: '东风社区',
      pointCount: 1,
    });
  });

  it('filters by community, kind and text', async () => {
    const c = await t.as('office');
    expect((await c.get(`/api/v1/grids?communityId=${t.fx.communityB.id}`)).json().items.map((g: { code: string }) => g.code)).toEqual(['370303012002001', '370303012002002']);
    expect((await c.get('/api/v1/grids?q=012001002')).json().total).toBe(1);
    expect((await c.get(`/api/v1/grids?q=${encodeURIComponent('西苑')}&pageSize=1`)).json()).toMatchObject({ total: 2, pageSize: 1 });
    expect((await c.get('/api/v1/grids?kind=micro_grid')).json().total).toBe(0);
  });

  it('shows a community officer only its community', async () => {
    const c = await t.as('commA');
    const page = (await c.get('/api/v1/grids')).json();
    expect(page.items.map((g: { communityName: string }) => g.communityName)).toEqual(['东风社区', '东风社区']);
    expect((await c.get(`/api/v1/grids?communityId=${t.fx.communityB.id}`)).json().total).toBe(0);
  });

  it.each([
    ['kind', 'kind=street'],
    ['communityId', 'communityId=abc'],
    ['q', `q=${'网'.repeat(51)}`],
    ['pageSize', 'pageSize=0'],
  ])('answers 400 naming %s', async (field, query) => {
    const res = await (await t.as('office')).get(`/api/v1/grids?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });
});

describe('GET /geo/layers', () => {
  it('gives the office every layer of the street', async () => {
    const res = await (await t.as('office')).get('/api/v1/geo/layers');
    expect(res.statusCode).toBe(200);
    const layers = res.json();
    expect(layers.street).toMatchObject({ type: 'Feature', properties: { name: '测试街道', kind: 'street', code: '370303012' } });
    expect(layers.communities.features).toHaveLength(2);
    expect(layers.grids.features).toHaveLength(4);
    expect(layers.microGrids).toEqual({ type: 'FeatureCollection', features: [] });
    const a1 = (layers.grids as FC).features.find((f) => f.id === t.fx.gridA1.id)!;
    expect(a1.geometry.type).toBe('Polygon');
    expect(a1.properties).toEqual({
      id: t.fx.gridA1.id,
      code: '370303012001001',
      name: '东风社区第1网格',
      kind: 'grid',
      parentId: t.fx.communityA.id,
      communityName: '东风社区',
      ownerName: '测试gridA1',
    });
  });

  it('gives a community officer its community and the street outline only', async () => {
    const layers = (await (await t.as('commA')).get('/api/v1/geo/layers')).json();
    expect(layers.street.properties.name).toBe('测试街道');
    expect((layers.communities as FC).features.map((f) => f.properties.name)).toEqual(['东风社区']);
    expect((layers.grids as FC).features.every((f) => f.properties.communityName === '东风社区')).toBe(true);
    expect(layers.grids.features).toHaveLength(2);
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/geo/layers', '/api/v1/geo/locate', '/api/v1/grids', '/api/v1/points', '/api/v1/points/{id}', '/api/v1/grids/import', '/api/v1/points/import']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/points'].get.responses['200']).toBeDefined();
  });
});

describe('GET /geo/locate', () => {
  it('names the street, community and grid at a location', async () => {
    const res = await (await t.as('inspector')).get('/api/v1/geo/locate?lat=36.815&lng=118.03');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      street: { id: t.fx.street.id, name: '测试街道', code: '370303012' },
      community: { id: t.fx.communityB.id, name: '西苑社区', code: '370303012002' },
      grid: { id: t.fx.gridB2.id, name: '西苑社区第2网格', code: '370303012002002' },
      microGrid: null,
    });
  });

  it('converts a GCJ-02 location from a Chinese basemap', async () => {
    const [lng, lat] = wgs84ToGcj02(118.0195, 36.8095);
    const res = await (await t.as('office')).get(`/api/v1/geo/locate?lat=${lat}&lng=${lng}&crs=GCJ02`);
    expect(res.json().grid.id).toBe(t.fx.gridA1.id);
    // Read as WGS-84 the same numbers fall ~500 m east, in community B.
    expect((await (await t.as('office')).get(`/api/v1/geo/locate?lat=${lat}&lng=${lng}`)).json().grid.id).toBe(t.fx.gridB1.id);
  });

  it('answers OUTSIDE_GRIDS outside every grid and outside the caller\'s area', async () => {
    const office = await t.as('office');
    expect((await office.get('/api/v1/geo/locate?lat=36.9&lng=118.1')).json()).toMatchObject({ code: 'OUTSIDE_GRIDS' });
    const commA = await t.as('commA');
    const res = await commA.get('/api/v1/geo/locate?lat=36.815&lng=118.03');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('OUTSIDE_GRIDS');
    expect((await commA.get('/api/v1/geo/locate?lat=36.815&lng=118.01')).statusCode).toBe(200);
  });

  it.each([
    ['lat', 'lng=118'],
    ['lat', 'lat=91&lng=118'],
    ['lng', 'lat=36&lng=-181'],
    ['lat', 'lat=north&lng=118'],
    ['crs', 'lat=36&lng=118&crs=BD09'],
  ])('answers 400 naming %s for %s', async (field, query) => {
    const res = await (await t.as('office')).get(`/api/v1/geo/locate?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });
});

describe('GET /grids/export.geojson', () => {
  it('exports re-importable features within scope', async () => {
    const res = await (await t.as('commB')).get('/api/v1/grids/export.geojson');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/grids\.geojson/);
    const fc = res.json() as FC;
    expect(fc.features.map((f) => f.properties)).toEqual([
      { code: '370303012002001', name: '西苑社区第1网格', kind: 'grid', parentCode: '370303012002', communityName: '西苑社区' },
      { code: '370303012002002', name: '西苑社区第2网格', kind: 'grid', parentCode: '370303012002', communityName: '西苑社区' },
    ]);
  });

  it('validates its filters', async () => {
    const res = await (await t.as('office')).get('/api/v1/grids/export.geojson?kind=community');
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'kind' });
  });
});

describe('grid index cache', () => {
  it('notices grid changes written by another module or server', async () => {
    const c = await t.as('office');
    expect((await c.get('/api/v1/geo/locate?lat=36.815&lng=118.035')).statusCode).toBe(200);
    const { orgRepo } = await import('../org/repo.js');
    const b2 = (await orgRepo.byId(t.db.deps.db, t.fx.gridB2.id))!;
    const smaller = { type: 'Polygon', coordinates: [[[118.02, 36.81], [118.03, 36.81], [118.03, 36.82], [118.02, 36.82], [118.02, 36.81]]] };
    expect(await orgRepo.update(t.db.deps.db, b2.id, b2.version, { geometry: JSON.stringify(smaller), max_lng: 118.03, updated_at: b2.updated_at })).toBe(true);
    const res = await c.get('/api/v1/geo/locate?lat=36.815&lng=118.035');
    expect(res.json().code).toBe('OUTSIDE_GRIDS');
    expect((await c.get('/api/v1/geo/locate?lat=36.815&lng=118.025')).json().grid.id).toBe(t.fx.gridB2.id);
  });
});
