import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedPointTypes } from './service.js';
import { addCommunityOffice, multipart, rowCount, square } from './test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPointTypes(t.db.deps.db);
  await addCommunityOffice(t, 'officeA', t.fx.communityA.id);
});
afterAll(async () => t?.close());

const URL = '/api/v1/grids/import';
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

async function expectNothingWritten(run: () => Promise<void>) {
  const before = [await rowCount(t, 'orgs'), await rowCount(t, 'points'), await rowCount(t, 'audit_log')];
  await run();
  expect([await rowCount(t, 'orgs'), await rowCount(t, 'points'), await rowCount(t, 'audit_log')]).toEqual(before);
}

describe('grid import: bad input', () => {
  const A1 = square(118.0, 36.8, 118.02, 36.81);
  it.each([
    ['a 14-digit code', feature({ code: '37030301200100', name: 'x' }, A1), 'code', /15 digits .* 18, not 14/],
    ['a 16-digit code', feature({ code: '3703030120010011', name: 'x' }, A1), 'code', /not 16/],
    ['letters in the code', feature({ code: '37030301200100A', name: 'x' }, A1), 'code', /digits only/],
    ['a sequence of 000', feature({ code: '370303012001000', name: 'x' }, A1), 'code', /000/],
    ['a missing code', feature({ name: 'x' }, A1), 'code', /required/],
    ['an 18-digit number', feature({ code: Number('370303012001001001'), name: 'x' }, A1), 'code', /as a string/],
    ['an unknown community', feature({ code: '370303012009001', name: 'x' }, square(118.1, 36.9, 118.11, 36.91)), 'code', /no community with code 370303012009/],
    ['a wrong parentCode', feature({ code: '370303012001001', parentCode: '370303012002', name: 'x' }, A1), 'parentCode', /must be 370303012001/],
    ['a missing name', feature({ code: '370303012001001' }, A1), 'name', /required/],
    ['an oversize name', feature({ code: '370303012001001', name: '网'.repeat(101) }, A1), 'name', /100/],
    ['a bow-tie', feature({ code: '370303012001001', name: 'x' }, { type: 'Polygon', coordinates: [[[118, 36.8], [118.02, 36.81], [118.02, 36.8], [118, 36.81], [118, 36.8]]] }), 'geometry', /intersects itself/],
    ['a point', feature({ code: '370303012001001', name: 'x' }, { type: 'Point', coordinates: [118, 36.8] }), 'geometry', /Point is not accepted/],
    ['no geometry', feature({ code: '370303012001001', name: 'x' }, null), 'geometry', /expected a GeoJSON geometry/],
    ['swapped coordinates', feature({ code: '370303012001001', name: 'x' }, square(36.8, 118.0, 36.81, 118.02)), 'geometry', /swapped/],
    ['an overlap with a grid of community B', feature({ code: '370303012001003', name: 'x' }, square(118.021, 36.801, 118.03, 36.809)), 'geometry', /overlaps grid 370303012002001/],
    ['a micro-grid outside its grid', feature({ code: '370303012001001001', name: 'x' }, square(118.03, 36.801, 118.035, 36.809)), 'geometry', /outside its grid 370303012001001/],
    ['a micro-grid of an unknown grid', feature({ code: '370303012001009001', name: 'x' }, square(118.001, 36.801, 118.002, 36.802)), 'code', /no grid with code 370303012001009/],
    ['a code used by a community', feature({ code: '370303012001', name: 'x' }, A1), 'code', /not 12/],
    ['something that is not a feature', { type: 'Point', coordinates: [0, 0] }, 'feature', /not a GeoJSON Feature/],
  ])('reports %s with row and column, importing nothing', async (_n, f, column, reason) => {
    const c = await t.as('office');
    await expectNothingWritten(async () => {
      const res = await c.post(URL, fc(f));
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.code).toBe('IMPORT_FAILED');
      expect(body.details.rows).toEqual([{ row: 1, column, reason: expect.stringMatching(reason) }]);
    });
  });

  it('reports every bad feature at once and imports none of the good ones', async () => {
    const c = await t.as('office');
    await expectNothingWritten(async () => {
      const res = await c.post(
        URL,
        fc(
          feature({ code: '370303012001001', name: '好的' }, A1),
          feature({ code: '12345', name: 'x' }, A1),
          feature({ code: '370303012001001', name: '重复' }, A1),
        ),
      );
      expect(res.json().details.rows).toEqual([
        { row: 2, column: 'code', reason: expect.any(String) },
        { row: 3, column: 'code', reason: 'appears twice (first in row 1)' },
      ]);
    });
  });

  it.each([
    ['a Feature instead of a collection', { type: 'Feature', properties: {}, geometry: null }, 'VALIDATION_FAILED'],
    ['features that are not an array', { type: 'FeatureCollection', features: {} }, 'VALIDATION_FAILED'],
    ['an empty collection', { type: 'FeatureCollection', features: [] }, 'BAD_REQUEST'],
  ])('answers 400 for %s', async (_n, body, code) => {
    const res = await (await t.as('office')).post(URL, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
  });

  it('refuses a spreadsheet and unreadable files', async () => {
    const c = await t.as('office');
    const xlsx = multipart('grids.xlsx', Buffer.from('PK\x03\x04rest-of-zip', 'latin1'), 'application/octet-stream');
    expect((await c.post(URL, xlsx.body, xlsx.headers)).json()).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    const junk = multipart('grids.geojson', '{"type": "FeatureColl', 'application/geo+json');
    expect((await c.post(URL, junk.body, junk.headers)).json()).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    const text = await c.post(URL, 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(400);
  });

  it('does not let a community officer touch another community, nor a unit import at all', async () => {
    await expectNothingWritten(async () => {
      const unit = await (await t.as('unit')).post(URL, fc(feature({ code: '370303012002001', name: 'x' }, square(118.02, 36.8, 118.04, 36.81))));
      expect(unit.statusCode).toBe(403);
      const commA = await (await t.as('officeA')).post(URL, fc(feature({ code: '370303012002001', name: '改名' }, square(118.02, 36.8, 118.04, 36.81))));
      expect(commA.json().details.rows).toEqual([
        { row: 1, column: 'code', reason: 'belongs to a grid outside your area' },
        { row: 1, column: 'code', reason: 'no community with code 370303012002 in your area' },
      ]);
    });
  });
});

describe('grid import: success', () => {
  it('splits a grid, adds micro-grids, moves points to their new grid and audits it', async () => {
    const office = await t.as('office');
    const west = (await office.post('/api/v1/points', { name: '西侧点', typeCode: 'hotel', geometry: { type: 'Point', coordinates: [118.005, 36.805] } })).json();
    const east = (await office.post('/api/v1/points', { name: '东侧点', typeCode: 'hotel', geometry: { type: 'Point', coordinates: [118.017, 36.805] } })).json();
    expect(east.gridId).toBe(t.fx.gridA1.id);
    const orgsBefore = await rowCount(t, 'orgs');
    const res = await office.post(
      URL,
      fc(
        feature({ code: '370303012001003001', name: '东风3-1微网格', parentCode: '370303012001003' }, square(118.01, 36.8, 118.015, 36.81)),
        feature({ code: '370303012001001', name: '东风社区第1网格（西）' }, square(118.0, 36.8, 118.01, 36.81)),
        feature({ code: 370303012001003, name: '东风社区第3网格' }, square(118.01, 36.8, 118.02, 36.81)),
        feature({ code: '370303012001003002', name: '东风3-2微网格' }, square(118.015, 36.8, 118.02, 36.81)),
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 4, created: 3, updated: 1, pointsMoved: 1, pointsOutside: 0 });
    expect(await rowCount(t, 'orgs')).toBe(orgsBefore + 3);

    const moved = (await office.get(`/api/v1/points/${east.id}`)).json();
    expect(moved).toMatchObject({ gridCode: '370303012001003', microGridName: '东风3-2微网格', communityId: t.fx.communityA.id, version: 2 });
    expect((await office.get(`/api/v1/points/${west.id}`)).json()).toMatchObject({ gridId: t.fx.gridA1.id, version: 1 });

    const located = (await office.get('/api/v1/geo/locate?lat=36.805&lng=118.012')).json();
    expect(located.grid.code).toBe('370303012001003');
    expect(located.microGrid.name).toBe('东风3-1微网格');

    const grids = (await office.get('/api/v1/grids?kind=micro_grid')).json();
    expect(grids.items).toEqual([
      expect.objectContaining({ code: '370303012001003001', kind: 'micro_grid', communityName: '东风社区', pointCount: 0 }),
      expect.objectContaining({ code: '370303012001003002', kind: 'micro_grid', communityName: '东风社区', pointCount: 1 }),
    ]);
    const layers = (await office.get('/api/v1/geo/layers')).json();
    expect(layers.microGrids.features).toHaveLength(2);

    // The grid worker of micro-grid 3-2's grid scope follows the point's new path.
    const audits = await t.db.deps.db.selectFrom('audit_log').select('action').where('action', 'like', 'grid.%').execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['grid.create', 'grid.create', 'grid.create', 'grid.import', 'grid.update']);
  });

  it('re-imports its own export unchanged, from a file upload', async () => {
    const office = await t.as('office');
    const exported = (await office.get('/api/v1/grids/export.geojson')).body;
    const file = multipart('grids.geojson', exported, 'application/geo+json');
    const orgsBefore = await rowCount(t, 'orgs');
    const res = await office.post(URL, file.body, file.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 7, created: 0, updated: 7, pointsMoved: 0 });
    expect(await rowCount(t, 'orgs')).toBe(orgsBefore);
  });

  it('accepts application/geo+json bodies and GCJ-02 coordinates', async () => {
    const office = await t.as('office');
    const { wgs84ToGcj02 } = await import('../../../core/geo/index.js');
    const ring = [[118.015, 36.8], [118.02, 36.8], [118.02, 36.81], [118.015, 36.81], [118.015, 36.8]].map(([x, y]) => wgs84ToGcj02(x, y));
    const body = JSON.stringify(fc(feature({ code: '370303012001003002', name: '东风3-2微网格（新名）' }, { type: 'Polygon', coordinates: [ring] })));
    const res = await office.post(`${URL}?crs=GCJ02`, body, { 'content-type': 'application/geo+json' });
    expect(res.statusCode).toBe(200);
    const layer = (await office.get('/api/v1/geo/layers')).json();
    const micro = layer.microGrids.features.find((f: { properties: { code: string } }) => f.properties.code === '370303012001003002');
    expect(micro.properties.name).toBe('东风3-2微网格（新名）');
    expect(micro.geometry.coordinates[0][0][0]).toBeCloseTo(118.015, 5);
    expect((await office.post(`${URL}?crs=BD09`, body, { 'content-type': 'application/geo+json' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'crs' });
  });
});
