import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedPointTypes } from './service.js';
import { addCommunityOffice, multipart, rowCount } from './test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPointTypes(t.db.deps.db);
  await addCommunityOffice(t, 'officeA', t.fx.communityA.id);
});
afterAll(async () => t?.close());

const URL = '/api/v1/points/import';
const HEADER = ['名称', '类型', '经度', '纬度', '地址', '包保单位', '责任人', '责任人电话', '户数', '长度(m)', '摊位数'];

async function workbook(rows: (string | number | null)[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('点位');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(user: string, data: Buffer | string, filename = 'points.xlsx', query = '') {
  const c = await t.as(user);
  const file = multipart(filename, data, 'application/octet-stream');
  return c.post(`${URL}${query}`, file.body, file.headers);
}

async function expectNothingWritten(run: () => Promise<void>) {
  const before = [await rowCount(t, 'points'), await rowCount(t, 'audit_log')];
  await run();
  expect([await rowCount(t, 'points'), await rowCount(t, 'audit_log')]).toEqual(before);
}

describe('spreadsheet import', () => {
  it('serves a template with every column', async () => {
    const res = await (await t.as('office')).get('/api/v1/points/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).filter(Boolean);
    expect(header.slice(0, 8)).toEqual(['名称*', '类型*', '经度*', '纬度*', '地址', '包保单位', '责任人', '责任人电话']);
    expect(header).toEqual(expect.arrayContaining(['户数', '长度(m)', '围挡面积(m²)']));
  });

  it('imports rows by Chinese type names, codes and short names, with attributes and guard units', async () => {
    const before = await rowCount(t, 'points');
    const data = await workbook([
      ['东风农贸市场', '农贸市场', 118.005, 36.805, '东风路 1 号', '城管科', '王五', '13600000000', null, null, 120],
      ['人民路', 'main_road', 118.01, 36.815, null, null, null, null, null, 1500, null],
      ['西苑小区', '居民小区', '118.03', '36.815', '西苑路 9 号', '东风社区', null, null, 300, null, null],
    ]);
    const res = await upload('office', data);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    expect(await rowCount(t, 'points')).toBe(before + 3);
    const list = (await (await t.as('office')).get('/api/v1/points?sort=name&pageSize=10')).json();
    expect(list.items.map((p: { name: string }) => p.name)).toEqual(['东风农贸市场', '人民路', '西苑小区']);
    expect(list.items[0]).toMatchObject({ typeCode: 'market', gridId: t.fx.gridA1.id, guardOrgName: '城管科', attrs: { stalls: 120 }, responsiblePhone: '13600000000' });
    expect(list.items[1]).toMatchObject({ typeCode: 'main_road', gridId: t.fx.gridA2.id, attrs: { lengthM: 1500 } });
    expect(list.items[2]).toMatchObject({ typeCode: 'residential', gridId: t.fx.gridB2.id, guardOrgId: t.fx.communityA.id, attrs: { households: 300 } });
    const audits = await t.db.deps.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'point.import').execute();
    expect(JSON.parse(audits[0].detail!)).toMatchObject({ count: 3, source: 'xlsx' });
  });

  it('lists every bad row with its column and imports nothing', async () => {
    const data = await workbook([
      ['好的点', '宾馆酒店', 118.005, 36.805, null, null, null, null, null, null, null],
      [null, '宾馆酒店', 118.005, 36.805, null, null, null, null, null, null, null],
      ['坏类型', '太空港', 118.005, 36.805, null, null, null, null, null, null, null],
      ['坏纬度', '宾馆酒店', 118.005, '北纬36度', null, null, null, null, null, null, null],
      ['城外', '宾馆酒店', 118.2, 36.9, null, null, null, null, null, null, null],
      ['无此单位', '宾馆酒店', 118.005, 36.805, null, '不存在的单位', null, null, null, null, null],
      ['错字段', '农贸市场', 118.005, 36.805, null, null, null, null, 12, null, null],
      ['坏电话', '宾馆酒店', 118.005, 36.805, null, null, null, '打电话', null, null, null],
      ['坏户数', '居民小区', 118.005, 36.805, null, null, null, null, -3, null, null],
      ['超范围', '宾馆酒店', 218.005, 36.805, null, null, null, null, null, null, null],
    ]);
    await expectNothingWritten(async () => {
      const res = await upload('office', data);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.code).toBe('IMPORT_FAILED');
      expect(body.details.rows).toEqual([
        { row: 3, column: '名称', reason: expect.stringContaining('required') },
        { row: 4, column: '类型', reason: 'unknown point type "太空港"' },
        { row: 5, column: '纬度', reason: 'must be a number in decimal degrees' },
        { row: 6, column: '经度', reason: 'the location is outside every grid of your area' },
        { row: 7, column: '包保单位', reason: 'no active unit of this name in your area' },
        { row: 8, column: '户数', reason: 'is not a field of market' },
        { row: 9, column: '责任人电话', reason: expect.stringContaining('phone') },
        { row: 10, column: '户数', reason: 'must be at least 0' },
        { row: 11, column: '经度', reason: 'must be within -180..180' },
      ]);
      expect(body.message).toMatch(/9/);
    });
  });

  it('names a missing column on row 1', async () => {
    const data = await workbook([['某店', '宾馆酒店', 118.005]], ['名称', '类型', '经度']);
    await expectNothingWritten(async () => {
      const res = await upload('office', data);
      expect(res.json()).toMatchObject({ code: 'IMPORT_FAILED', details: { rows: [{ row: 1, column: '纬度', reason: expect.any(String) }] } });
    });
  });

  it('keeps a community office to its community', async () => {
    const data = await workbook([['西苑的店', '宾馆酒店', 118.03, 36.805, null, null, null, null, null, null, null]]);
    await expectNothingWritten(async () => {
      const res = await upload('officeA', data);
      expect(res.json().details.rows).toEqual([{ row: 2, column: '经度', reason: 'the location is outside every grid of your area' }]);
    });
  });

  it('converts GCJ-02 coordinates when told', async () => {
    const { wgs84ToGcj02 } = await import('../../../core/geo/index.js');
    const [lng, lat] = wgs84ToGcj02(118.0195, 36.8095);
    const res = await upload('office', await workbook([['高德坐标点', '宾馆酒店', lng, lat, null, null, null, null, null, null, null]]), 'points.xlsx', '?crs=GCJ02');
    expect(res.statusCode).toBe(200);
    const p = (await (await t.as('office')).get(`/api/v1/points?q=${encodeURIComponent('高德坐标点')}`)).json().items[0];
    expect(p.gridId).toBe(t.fx.gridA1.id);
    expect(p.lng).toBeCloseTo(118.0195, 5);
  });

  it('refuses files it cannot read and users who may not write', async () => {
    await expectNothingWritten(async () => {
      expect((await upload('office', 'not a workbook', 'points.xlsx')).json().code).toBe('UNSUPPORTED_FILE');
      expect((await upload('office', Buffer.from('PK\x03\x04garbage', 'latin1'))).json().code).toBe('UNSUPPORTED_FILE');
      const unit = await upload('unit', await workbook([['x', '宾馆酒店', 118.005, 36.805]]));
      expect(unit.statusCode).toBe(403);
      const bare = await (await t.as('office')).post(URL);
      expect(bare.statusCode).toBe(400);
    });
  });
});

describe('GeoJSON import', () => {
  const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });

  it('imports features with lines and polygons', async () => {
    const before = await rowCount(t, 'points');
    const res = await (await t.as('office')).post(URL, {
      type: 'FeatureCollection',
      features: [
        feature({ name: '文明巷', typeCode: 'back_street', attrs: { lengthM: 300 } }, { type: 'LineString', coordinates: [[118.001, 36.801], [118.004, 36.801]] }),
        feature({ name: '实验小学周边', type: '学校周边', guardOrg: '城管科', responsibleName: '赵六' }, { type: 'Polygon', coordinates: [[[118.031, 36.811], [118.033, 36.811], [118.033, 36.813], [118.031, 36.811]]] }),
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 2 });
    expect(await rowCount(t, 'points')).toBe(before + 2);
    // A NUL (which PostgreSQL cannot store) in a JSON body is refused at the edge, naming where it is.
    const nul = await (await t.as('office')).post(URL, { type: 'FeatureCollection', features: [feature({ name: '坏\u0000名', typeCode: 'hotel' }, { type: 'Point', coordinates: [118.005, 36.805] })] });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'features.0.properties.name' });
    const school = (await (await t.as('office')).get(`/api/v1/points?type=school_area`)).json().items[0];
    expect(school).toMatchObject({ name: '实验小学周边', guardOrgName: '城管科' });
  });

  it('reports bad features by index and property', async () => {
    await expectNothingWritten(async () => {
      const res = await (await t.as('office')).post(URL, {
        type: 'FeatureCollection',
        features: [
          feature({ name: '好的', typeCode: 'hotel' }, { type: 'Point', coordinates: [118.005, 36.805] }),
          feature({ name: '领结', typeCode: 'park_square' }, { type: 'Polygon', coordinates: [[[118.001, 36.801], [118.009, 36.809], [118.009, 36.801], [118.001, 36.809], [118.001, 36.801]]] }),
          feature({ name: 42, typeCode: 'hotel' }, { type: 'Point', coordinates: [118.005, 36.805] }),
          feature({ name: '无类型' }, { type: 'Point', coordinates: [118.005, 36.805] }),
          feature({ name: '站', typeCode: 'bus_stop' }, { type: 'LineString', coordinates: [[118.001, 36.801], [118.002, 36.801]] }),
          feature({ name: '越权包保', typeCode: 'hotel', guardOrgId: t.fx.district.id }, { type: 'Point', coordinates: [118.005, 36.805] }),
          { type: 'Feature', properties: null, geometry: null },
          'nonsense',
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.rows).toEqual([
        { row: 2, column: 'geometry', reason: expect.stringContaining('intersects itself') },
        { row: 3, column: 'name', reason: 'must be text' },
        { row: 4, column: 'typeCode', reason: 'is required' },
        { row: 5, column: 'geometry', reason: expect.stringContaining('a bus_stop is drawn as a Point, not a LineString') },
        { row: 6, column: 'guardOrg', reason: 'is not a unit in your area' },
        { row: 7, column: 'name', reason: 'is required' },
        { row: 7, column: 'typeCode', reason: 'is required' },
        { row: 7, column: 'geometry', reason: expect.any(String) },
        { row: 8, column: 'feature', reason: 'is not a GeoJSON Feature' },
      ]);
    });
  });

  it.each([
    ['not a collection', { type: 'Feature' }],
    ['features not an array', { type: 'FeatureCollection', features: 'x' }],
  ])('answers 400 for %s', async (_n, body) => {
    const res = await (await t.as('office')).post(URL, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('re-imports an export from a file', async () => {
    const office = await t.as('office');
    const exported = (await office.get('/api/v1/points/export.geojson?type=back_street')).body;
    const before = await rowCount(t, 'points');
    const res = await upload('office', exported, 'points.geojson');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 1 });
    expect(await rowCount(t, 'points')).toBe(before + 1);
  });
});
