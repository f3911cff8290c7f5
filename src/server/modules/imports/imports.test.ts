import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { xlsx } from '../../../../tests/helpers/upload.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import type { Actor } from '../../lib/context.js';
import { Problem } from '../../errors.js';
import { intakeCase, prepareIntake } from '../cases/intake.js';

let t: TestApp;
let pointId: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  const office = await t.as('office');
  const point = await office.post('/api/v1/points', { name: '东风社区党群服务中心', typeCode: 'community_center', geometry: { type: 'Point', coordinates: [118.0105, 36.8055] } });
  expect(point.statusCode).toBe(200);
  pointId = point.json().id;
});
afterAll(async () => t?.close());

// Inside 东风社区第1网格 of the fixture street (118.00–118.02 E, 36.80–36.81 N); each test works in its own patch
// so duplicates and rebounds of one test do not reach into another.
let patch = 0;
const nextPatch = () => {
  patch += 1;
  return { lng: 118.001 + (patch % 9) * 0.002, lat: 36.8012 + Math.floor(patch / 9) * 0.0015 };
};
const at = (base: { lng: number; lat: number }, metresEast = 0) => ({ lng: (base.lng + metresEast / 89_000).toFixed(6), lat: base.lat.toFixed(6) });

const SUPERVISION_HEADER = ['通报级别', '通报编号', '问题类别', '问题描述', '地址', '经度', '纬度', '点位', '发现时间', '照片'];
const HOTLINE_HEADER = ['工单编号', '受理时间', '诉求类别', '诉求内容', '地址', '经度', '纬度', '点位', '市民姓名', '联系电话'];

/** multipart/form-data with the file and text fields. */
function form(file: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----wenmingimport' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notice.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`));
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(username: string, url: string, rows: (string | number | null)[][], fields: Record<string, string> = {}) {
  const f = form(await xlsx(rows), fields);
  return (await t.as(username)).post(url, f.body, f.headers);
}

const count = async (table: 'cases' | 'case_events' | 'audit_log') => Number((await t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const getCase = async (username: string, id: number) => (await t.as(username)).get(`/api/v1/cases/${id}`);

describe('督查通报 import', () => {
  it('turns every row into a supervision case, filed and dispatched at once with a deadline', async () => {
    const p = nextPatch();
    const q = nextPatch();
    const res = await upload('office', '/api/v1/cases/import/supervision', [
      SUPERVISION_HEADER,
      ['市级', '淄创城通〔2026〕18号', '1401', '人行道上机动车乱停放三辆', '东风路 12 号', at(p).lng, at(p).lat, '', '2026-05-08 09:30', 'https://example.org/p/1.jpg'],
      ['区级', '张创城通〔2026〕7号', '街头张贴小广告', '电线杆上张贴小广告', null, at(q).lng, at(q).lat, '', '', ''],
      ['街道', '东风街道督〔2026〕3号', '1101', '党群服务中心门前暴露垃圾', null, null, null, '东风社区党群服务中心', '', ''],
    ]);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ kind: 'supervision', dryRun: false, imported: 3, alreadyImported: [] });
    expect(report.caseIds).toHaveLength(3);

    const [first, second, third] = await Promise.all(report.caseIds.map(async (id: number) => (await getCase('office', id)).json()));
    expect(first).toMatchObject({ source: 'supervision', sourceLevel: 'city', sourceRef: '淄创城通〔2026〕18号', categoryCode: '1401', status: 'dispatched', unitName: '城管科', address: '东风路 12 号' });
    expect(first.deadline).toEqual(expect.any(String));
    expect(first.events.map((e: { action: string }) => e.action)).toEqual(['report', 'file', 'dispatch']);
    expect(first.events[0].data.import).toMatchObject({ kind: 'supervision', row: 2, foundAt: '2026-05-08T01:30:00.000Z', photoUrl: 'https://example.org/p/1.jpg' });
    expect(second).toMatchObject({ sourceLevel: 'district', categoryCode: '1201', status: 'dispatched' });
    expect(second.deadline).toEqual(expect.any(String));
    // 点位 without coordinates: the case sits at the point, linked to it.
    expect(third).toMatchObject({ sourceLevel: 'street', categoryCode: '1101', pointId, lng: 118.0105, lat: 36.8055, status: 'dispatched' });
  });

  it('takes one level and one notice number for the whole file from the form, and reports duplicates', async () => {
    const p = nextPatch();
    // An open case already there, and two rows of the file at the same spot.
    const existing = (await (await t.as('gridA1')).post('/api/v1/cases', { source: 'patrol', categoryCode: '1402', description: '共享单车堵住出入口', lng: Number(at(p).lng), lat: Number(at(p).lat) })).json();
    const res = await upload(
      'dispatcher',
      '/api/v1/cases/import/supervision',
      [
        ['问题类别', '问题描述', '经度', '纬度'],
        ['1402', '共享单车乱停放堵塞通道', at(p, 5).lng, at(p, 5).lat],
        ['非机动车乱停放', '同一处单车乱停', at(p, 10).lng, at(p, 10).lat],
      ],
      { level: 'district', sourceRef: '张创城通〔2026〕9号' },
    );
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.imported).toBe(2);
    const [a, b] = report.caseIds;
    expect(report.duplicates).toEqual([
      { row: 2, caseId: a, of: [expect.objectContaining({ caseId: existing.id, row: null })] },
      { row: 3, caseId: b, of: expect.arrayContaining([expect.objectContaining({ caseId: a, row: 2 }), expect.objectContaining({ caseId: existing.id, row: null })]) },
    ]);
    expect((await getCase('office', a)).json()).toMatchObject({ sourceLevel: 'district', sourceRef: '张创城通〔2026〕9号', status: 'dispatched' });
  });

  it('enters the problems as reported when dispatch=false', async () => {
    const p = nextPatch();
    const res = await upload('office', '/api/v1/cases/import/supervision?dispatch=false', [SUPERVISION_HEADER, ['市级', '淄创城通〔2026〕20号', '1407', '遛狗不牵绳', null, at(p).lng, at(p).lat, '', '', '']]);
    expect(res.statusCode).toBe(200);
    const c = (await getCase('office', res.json().caseIds[0])).json();
    expect(c).toMatchObject({ status: 'reported', deadline: null, sourceLevel: 'city' });
  });

  it('imports nothing when any row is bad, and names every bad row and column', async () => {
    const p = nextPatch();
    const good = ['市级', '淄创城通〔2026〕21号', '1401', '机动车乱停放', null, at(p).lng, at(p).lat, '', '', ''];
    const before = await Promise.all([count('cases'), count('case_events'), count('audit_log')]);
    const res = await upload('office', '/api/v1/cases/import/supervision', [
      SUPERVISION_HEADER,
      good,
      ['市级', '淄创城通〔2026〕21号', '9999', '未知类别', null, at(p).lng, at(p).lat, '', '', ''],
      ['市级', '淄创城通〔2026〕21号', '1401', '在街道外面', null, '118.3', '36.9', '', '', ''],
      ['市级', '淄创城通〔2026〕21号', '1401', '点位不存在', null, null, null, '不存在的点位', '', ''],
      ['市级', '淄创城通〔2026〕21号', '1401', '', null, at(p).lng, at(p).lat, '', '', ''],
      ['省级', '淄创城通〔2026〕21号', '1401', '级别不对', null, at(p).lng, at(p).lat, '', '明天', ''],
      ['', '', '14', '只填了大类', null, at(p).lng, null, '', '', ''],
      good,
    ]);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('IMPORT_FAILED');
    const cells = body.details.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`);
    expect(cells).toEqual(
      expect.arrayContaining(['3:问题类别', '4:经度', '5:点位', '6:问题描述', '7:通报级别', '7:发现时间', '8:通报级别', '8:通报编号', '8:问题类别', '8:纬度']),
    );
    expect(body.details.rows.some((r: { row: number }) => r.row === 2 || r.row === 9)).toBe(false);
    expect(body.details.rows.find((r: { row: number }) => r.row === 4).reason).toContain('网格');
    expect(await Promise.all([count('cases'), count('case_events'), count('audit_log')])).toEqual(before);
  });

  it('reports a file without the required columns on row 1', async () => {
    const res = await upload('office', '/api/v1/cases/import/supervision', [['通报级别', '地址'], ['市级', '某处']]);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.rows).toEqual(expect.arrayContaining([expect.objectContaining({ row: 1, column: '问题类别' }), expect.objectContaining({ row: 1, column: '问题描述' })]));
  });

  it('checks without importing on a dry run', async () => {
    const p = nextPatch();
    const before = await count('cases');
    const res = await upload('office', '/api/v1/cases/import/supervision', [SUPERVISION_HEADER, ['市级', '试算', '1401', '机动车乱停放', null, at(p).lng, at(p).lat, '', '', ''], ['市级', '试算', '1401', '机动车乱停放', null, at(p).lng, at(p).lat, '', '', '']], { dryRun: 'true' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, imported: 0, wouldImport: 2, caseIds: [], duplicates: [{ row: 3, caseId: null, of: [{ caseId: null, row: 2 }] }] });
    expect(await count('cases')).toBe(before);
  });

  it.each([
    ['unit', 403],
    ['gridA1', 403],
    ['leader', 403],
    ['inspector', 403],
  ])('refuses %s', async (username, status) => {
    const res = await upload(username, '/api/v1/cases/import/supervision', [SUPERVISION_HEADER, ['市级', 'x', '1401', '机动车乱停放', null, '118.005', '36.805', '', '', '']]);
    expect(res.statusCode).toBe(status);
  });

  it.each([
    [{ level: '省级' }, 'level'],
    [{ dispatch: 'maybe' }, 'dispatch'],
    [{ crs: 'BD09' }, 'crs'],
  ])('validates the options %j', async (fields, field) => {
    const res = await upload('office', '/api/v1/cases/import/supervision', [SUPERVISION_HEADER, ['市级', 'x', '1401', '机动车乱停放', null, '118.005', '36.805', '', '', '']], fields);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('documents the import routes in the OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/cases/import/supervision', '/api/v1/cases/import/hotline', '/api/v1/cases/import/supervision-template.xlsx', '/api/v1/cases/import/hotline-category-map']),
    );
  });

  it('refuses a file that is not a workbook', async () => {
    const f = form(Buffer.from('not a workbook'));
    const res = await (await t.as('office')).post('/api/v1/cases/import/supervision', f.body, f.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('UNSUPPORTED_FILE');
  });

  it('serves the templates with the documented headers', async () => {
    for (const [url, header] of [
      ['/api/v1/cases/import/supervision-template.xlsx', SUPERVISION_HEADER],
      ['/api/v1/cases/import/hotline-template.xlsx', HOTLINE_HEADER],
    ] as const) {
      const res = await (await t.as('office')).get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const cells = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1).map((v) => String(v).replace('*', ''));
      expect(cells).toEqual([...header]);
    }
    expect((await (await t.as('unit')).get('/api/v1/cases/import/supervision-template.xlsx')).statusCode).toBe(403);
  });
});

describe('one transaction for the batch', () => {
  it('rolls back the rows already written when a later row fails inside the transaction', async () => {
    const office: Actor = {
      user: { id: t.fx.users.office, username: 'office', displayName: '测试office', role: 'office', orgId: t.fx.street.id, orgName: t.fx.street.name, orgKind: 'street', orgPath: t.fx.street.path, locale: null, mustChangePassword: false },
      ip: null,
      lang: 'zh-CN',
    };
    const p = nextPatch();
    const input = { source: 'supervision' as const, sourceLevel: 'city' as const, categoryCode: '1401', lng: p.lng, lat: p.lat, description: '机动车乱停放', dispatch: true };
    const ctx = await prepareIntake(t.db.deps, office, input);
    const before = await Promise.all([count('cases'), count('case_events')]);
    const written: number[] = [];
    const attempt = t.db.deps.db.transaction().execute(async (trx) => {
      written.push((await intakeCase(t.db.deps, office, input, ctx, trx)).caseId);
      written.push((await intakeCase(t.db.deps, office, input, ctx, trx)).caseId);
      await intakeCase(t.db.deps, office, { ...input, pointId: 2_000_000 }, ctx, trx);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', params: { field: 'pointId' } });
    await expect(attempt).rejects.toBeInstanceOf(Problem);
    expect(written).toHaveLength(2);
    expect(await Promise.all([count('cases'), count('case_events')])).toEqual(before);
  });
});

describe('12345 work-order import', () => {
  const orders = (p: { lng: number; lat: number }, prefix: string) => [
    HOTLINE_HEADER,
    [`${prefix}01`, '2026-05-08 09:12', '城市管理-乱停车', '小区门口人行道长期有车辆停放', '东风路 8 号', at(p).lng, at(p).lat, '', '王女士', '139 1234 5678'],
    [`${prefix}02`, '2026-05-08 10:40', '1101', '路口垃圾两天没人清运', null, at(p, 80).lng, at(p, 80).lat, '', '', '13800001111'],
    [`${prefix}03`, '', '', '楼下有人遛狗不牵绳还不清理粪便', null, null, null, '东风社区党群服务中心', '李先生', ''],
  ];

  it('enters orders as reported hotline cases for on-site verification, with the phone masked for units', async () => {
    const p = nextPatch();
    const res = await upload('dispatcher', '/api/v1/cases/import/hotline', orders(p, 'ZB2605080'));
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ kind: 'hotline', imported: 3, alreadyImported: [] });
    const [a, b, c] = report.caseIds as number[];
    const asOffice = (await getCase('office', a)).json();
    expect(asOffice).toMatchObject({ source: 'hotline', sourceRef: 'ZB260508001', status: 'reported', categoryCode: '1401', deadline: null, reporterName: '王女士', reporterPhone: '13912345678' });
    expect(asOffice.events.map((e: { action: string }) => e.action)).toEqual(['report']);
    expect(asOffice.events[0].data.import).toMatchObject({ kind: 'hotline', row: 2, acceptedAt: '2026-05-08T01:12:00.000Z', hotlineCategory: '城市管理-乱停车' });
    const asUnit = await getCase('commA', a);
    expect(asUnit.statusCode).toBe(200);
    expect(asUnit.json().reporterPhone).toBe('139****5678');
    expect((await getCase('office', b)).json()).toMatchObject({ categoryCode: '1101', status: 'reported', reporterName: '12345 市民' });
    // No 诉求类别: guessed from 诉求内容 (遛狗 → 1407); no coordinates: at its 点位.
    expect((await getCase('office', c)).json()).toMatchObject({ categoryCode: '1407', pointId, status: 'reported' });
  });

  it('skips work orders imported before: re-importing creates no second case', async () => {
    const p = nextPatch();
    const rows = orders(p, 'ZB2605090');
    const first = await upload('office', '/api/v1/cases/import/hotline', rows);
    expect(first.json().imported).toBe(3);
    const before = await Promise.all([count('cases'), count('case_events')]);
    const again = await upload('office', '/api/v1/cases/import/hotline', rows);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ imported: 0, caseIds: [] });
    expect(again.json().alreadyImported).toEqual(first.json().caseIds.map((caseId: number, i: number) => ({ row: i + 2, ref: `ZB260509${String(i + 1).padStart(3, '0')}`, caseId })));
    expect(await Promise.all([count('cases'), count('case_events')])).toEqual(before);
    // A later export with one new order and the old ones: only the new one is created.
    const q = nextPatch();
    const more = await upload('office', '/api/v1/cases/import/hotline', [...rows, ['ZB260509004', '', '占道经营', '门店把货摆到人行道上', null, at(q).lng, at(q).lat, '', '', '']]);
    expect(more.json()).toMatchObject({ imported: 1 });
    expect(more.json().alreadyImported).toHaveLength(3);
    expect((await getCase('office', more.json().caseIds[0])).json()).toMatchObject({ categoryCode: '1404', sourceRef: 'ZB260509004' });
  });

  it('imports nothing when any row is bad', async () => {
    const p = nextPatch();
    const before = await Promise.all([count('cases'), count('case_events')]);
    const res = await upload('office', '/api/v1/cases/import/hotline', [
      HOTLINE_HEADER,
      ['ZB260510001', '', '停车', '乱停车', null, at(p).lng, at(p).lat, '', '', ''],
      ['ZB260510002', '', '噪音', '楼上装修太吵', null, at(p).lng, at(p).lat, '', '', ''],
      ['ZB260510003', '', '停车', '没有坐标也没有点位', '东风路 9 号', null, null, '', '', ''],
      ['ZB260510001', '', '停车', '同一个工单号', null, at(p).lng, at(p).lat, '', '', ''],
      ['ZB260510005', '昨天', '停车', '电话不对', null, at(p).lng, at(p).lat, '', '', '请回电'],
      ['', '', '', '', null, at(p).lng, at(p).lat, '', '', ''],
    ]);
    expect(res.statusCode).toBe(400);
    const cells = res.json().details.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`);
    expect(cells).toEqual(expect.arrayContaining(['3:诉求类别', '4:经度', '5:工单编号', '6:受理时间', '6:联系电话', '7:工单编号']));
    expect(cells.some((c: string) => c.startsWith('2:'))).toBe(false);
    expect(await Promise.all([count('cases'), count('case_events')])).toEqual(before);
    // Nothing of the good row went in either: it can be imported once the file is fixed.
    const fixed = await upload('office', '/api/v1/cases/import/hotline', [HOTLINE_HEADER, ['ZB260510001', '', '停车', '乱停车', null, at(p).lng, at(p).lat, '', '', '']]);
    expect(fixed.json()).toMatchObject({ imported: 1, alreadyImported: [] });
  });

  it('never dispatches hotline orders at import', async () => {
    const p = nextPatch();
    const res = await upload('office', '/api/v1/cases/import/hotline?dispatch=true', [HOTLINE_HEADER, ['ZB260511001', '', '1401', '乱停车', null, at(p).lng, at(p).lat, '', '', '']]);
    expect(res.statusCode).toBe(200);
    expect((await getCase('office', res.json().caseIds[0])).json().status).toBe('reported');
  });

  it('keeps the keyword table in settings, editable by the office only', async () => {
    const office = await t.as('office');
    const seeded = (await office.get('/api/v1/cases/import/hotline-category-map')).json().entries;
    expect(seeded).toEqual(expect.arrayContaining([{ keyword: '停车', categoryCode: '1401' }, { keyword: '遛狗', categoryCode: '1407' }]));
    expect((await (await t.as('unit')).put('/api/v1/cases/import/hotline-category-map', { entries: [] })).statusCode).toBe(403);
    const bad = await office.put('/api/v1/cases/import/hotline-category-map', { entries: [{ keyword: '噪音', categoryCode: '9999' }] });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'entries.0.categoryCode' });
    const twice = await office.put('/api/v1/cases/import/hotline-category-map', { entries: [{ keyword: '噪音', categoryCode: '1405' }, { keyword: '噪音', categoryCode: '1401' }] });
    expect(twice.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'entries.1.keyword' });
    const saved = await office.put('/api/v1/cases/import/hotline-category-map', { entries: [{ keyword: '油烟', categoryCode: '1405' }, ...seeded] });
    expect(saved.statusCode).toBe(200);
    const p = nextPatch();
    const res = await upload('office', '/api/v1/cases/import/hotline', [HOTLINE_HEADER, ['ZB260512001', '', '环境保护-油烟扰民', '夜市烧烤油烟很大', null, at(p).lng, at(p).lat, '', '', '']]);
    expect((await getCase('office', res.json().caseIds[0])).json().categoryCode).toBe('1405');
  });
});
