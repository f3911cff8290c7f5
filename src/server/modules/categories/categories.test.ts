import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { multipart, xlsx } from '../../../../tests/helpers/upload.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { CATEGORY_SEED } from '../../../core/categories.js';
import { findCategoryByCode, seedCategories } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
});
afterAll(async () => t?.close());

const count = async (table: 'categories' | 'audit_log') =>
  Number((await t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

interface CategoryJson {
  id: number;
  code: string;
  version: number;
  [key: string]: unknown;
}

async function byCode(code: string): Promise<CategoryJson> {
  const res = await (await t.as('office')).get('/api/v1/categories');
  return res.json().items.find((c: CategoryJson) => c.code === code);
}

describe('category list and seed', () => {
  it('lists the seed to everybody, 大类 with their 小类, with readable limits', async () => {
    const res = await (await t.as('volunteer')).get('/api/v1/categories');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(CATEGORY_SEED.length);
    const items = res.json().items as CategoryJson[];
    expect(items.find((c) => c.code === '1101')).toMatchObject({
      kind: 'event',
      level: 'minor',
      parentCode: '11',
      nameZh: '暴露垃圾',
      timeLimit: { unit: 'work_hours', value: 4 },
      timeLimitText: '4 个工作时',
      urgent: false,
      defaultUnitType: 'community',
      citizenReportable: true,
      active: true,
      version: 1,
    });
    expect(items.find((c) => c.code === '0101')).toMatchObject({ nameZh: '井盖缺损', urgent: true, timeLimitText: '6 小时（全天候）', kind: 'component' });
    expect(items.find((c) => c.code === '14')).toMatchObject({ level: 'major', parentId: null, timeLimit: null, timeLimitText: '未设定' });
    expect(items.find((c) => c.nameZh === '违法搭建（拆除）')).toMatchObject({ timeLimitText: '20 个工作日' });
  });

  it('answers in English when asked', async () => {
    const res = await (await t.as('office')).get('/api/v1/categories?kind=component', { 'accept-language': 'en-US' });
    const items = res.json().items as CategoryJson[];
    expect(items.every((c) => c.kind === 'component')).toBe(true);
    expect(items.find((c) => c.code === '0101')!.timeLimitText).toBe('6 hours round the clock');
  });

  it('filters by text and by citizen-reportable', async () => {
    const c = await t.as('office');
    const res = await c.get(`/api/v1/categories?q=${encodeURIComponent('乱停放')}`);
    expect(res.json().items.map((i: CategoryJson) => i.nameZh).sort()).toEqual(['机动车乱停放', '非机动车乱停放'].sort());
    const citizen = await c.get('/api/v1/categories?citizenReportable=false');
    expect(citizen.json().items.map((i: CategoryJson) => i.code)).toContain('1106');
  });

  it('reseeding adds nothing and keeps the office’s edits and deactivations', async () => {
    const c = await t.as('office');
    const dirty = await byCode('1103');
    expect((await c.patch(`/api/v1/categories/${dirty.id}`, { version: dirty.version, timeLimit: { unit: 'work_hours', value: 3 }, nameZh: '道路不洁净' })).statusCode).toBe(200);
    const tree = await byCode('1502');
    expect((await c.post(`/api/v1/categories/${tree.id}/deactivate`, { version: tree.version })).statusCode).toBe(200);
    const before = await count('categories');
    expect(await seedCategories(t.db.deps.db)).toBe(0);
    await seedBaseline(t.db.deps.db);
    expect(await count('categories')).toBe(before);
    expect(await byCode('1103')).toMatchObject({ nameZh: '道路不洁净', timeLimit: { unit: 'work_hours', value: 3 } });
    expect(await byCode('1502')).toMatchObject({ active: false });
  });

  it('gives the case intake the effective limit of a category', async () => {
    expect(await findCategoryByCode(t.db.deps.db, '0101')).toMatchObject({ kind: 'component', urgent: true, timeLimit: { unit: 'clock_hours', value: 6 }, parentCode: '01' });
    expect(await findCategoryByCode(t.db.deps.db, '9999')).toBeNull();
  });
});

describe('category writes', () => {
  it('creates a 小类 under its 大类', async () => {
    const res = await (await t.as('office')).post('/api/v1/categories', {
      kind: 'event',
      code: '1408',
      nameZh: '占用消防通道',
      nameEn: 'Blocked fire lane',
      filingCondition: '车辆、杂物占用消防通道',
      closingCondition: '消防通道畅通',
      timeLimit: { unit: 'work_hours', value: 2 },
      defaultUnitType: 'guard',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: '1408', level: 'minor', parentCode: '14', kind: 'event', timeLimitText: '2 个工作时', version: 1 });
  });

  it('creates a 大类 without a limit, then a 小类 that falls back to no limit only if it has its own', async () => {
    const c = await t.as('admin');
    const major = await c.post('/api/v1/categories', { kind: 'component', code: '07', nameZh: '智慧设施' });
    expect(major.statusCode).toBe(200);
    expect(major.json()).toMatchObject({ level: 'major', timeLimit: null });
    const minor = await c.post('/api/v1/categories', { kind: 'component', code: '0701', nameZh: '监控探头损坏', timeLimit: { unit: 'work_days', value: 3 } });
    expect(minor.json()).toMatchObject({ parentId: major.json().id, timeLimitText: '3 个工作日' });
  });

  it.each([
    [{ code: '1400' }, 'INVALID_CODE', 'code'],
    [{ code: '14x' }, 'VALIDATION_FAILED', 'code'],
    [{ code: '140101' }, 'VALIDATION_FAILED', 'code'],
    [{ code: '1901' }, 'VALIDATION_FAILED', 'code'],
    [{ kind: 'component', code: '1409' }, 'VALIDATION_FAILED', 'kind'],
    [{ kind: 'planet' }, 'VALIDATION_FAILED', 'kind'],
    [{ timeLimit: undefined }, 'VALIDATION_FAILED', 'timeLimit'],
    [{ timeLimit: null }, 'VALIDATION_FAILED', 'timeLimit'],
    [{ timeLimit: { unit: 'work_hours', value: 0 } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'work_hours', value: -2 } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'work_hours', value: 'Infinity' } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'work_hours', value: '2' } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'work_days', value: 300 } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'work_hours', value: 1e9 } }, 'VALIDATION_FAILED', 'timeLimit.value'],
    [{ timeLimit: { unit: 'fortnights', value: 1 } }, 'VALIDATION_FAILED', 'timeLimit.unit'],
    [{ timeLimit: { value: 1 } }, 'VALIDATION_FAILED', 'timeLimit.unit'],
    [{ urgent: true }, 'VALIDATION_FAILED', 'timeLimit.unit'],
    [{ urgent: 'yes' }, 'VALIDATION_FAILED', 'urgent'],
    [{ defaultUnitType: 'somebody' }, 'VALIDATION_FAILED', 'defaultUnitType'],
    [{ defaultUnitType: 'department' }, 'VALIDATION_FAILED', 'defaultUnitType'],
    [{ nameZh: '' }, 'VALIDATION_FAILED', 'nameZh'],
    [{ nameZh: '长'.repeat(51) }, 'VALIDATION_FAILED', 'nameZh'],
    [{ filingCondition: '长'.repeat(501) }, 'VALIDATION_FAILED', 'filingCondition'],
    [{ sort: -1 }, 'VALIDATION_FAILED', 'sort'],
    [{ code: '1101' }, 'DUPLICATE', 'code'],
  ])('rejects %j with %s on %s, writing nothing', async (patch, code, field) => {
    const before = await count('categories');
    const body: Record<string, unknown> = { kind: 'event', code: '1409', nameZh: '测试类别', timeLimit: { unit: 'work_hours', value: 2 }, ...patch };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = await (await t.as('office')).post('/api/v1/categories', body);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ code, field });
    expect(await count('categories')).toBe(before);
  });

  it('refuses writers without category.write and lets every role read', async () => {
    const before = await count('categories');
    for (const who of ['unit', 'leader', 'dispatcher', 'gridA1', 'commA']) {
      const c = await t.as(who);
      expect((await c.post('/api/v1/categories', { kind: 'event', code: '1410', nameZh: 'x', timeLimit: { unit: 'work_hours', value: 1 } })).statusCode).toBe(403);
      const one = await byCode('1101');
      expect((await c.patch(`/api/v1/categories/${one.id}`, { version: one.version, nameZh: 'hijack' })).statusCode).toBe(403);
      expect((await c.get(`/api/v1/categories/${one.id}`)).statusCode).toBe(200);
    }
    expect(await count('categories')).toBe(before);
    expect((await byCode('1101')).nameZh).toBe('暴露垃圾');
  });

  it('edits with versions: a stale writer gets 409 and changes nothing', async () => {
    const c = await t.as('office');
    const cat = await byCode('1201');
    const [a, b] = await Promise.all([
      c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, timeLimit: { unit: 'work_days', value: 2 } }),
      c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, timeLimit: { unit: 'work_hours', value: 6 } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = [a, b].find((r) => r.statusCode === 200)!.json();
    const stale = await c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, nameZh: '过期写入' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    expect(await byCode('1201')).toMatchObject({ nameZh: '街头张贴小广告', version: winner.version, timeLimit: winner.timeLimit });
  });

  it('keeps an edit consistent: urgent needs round-the-clock, a 小类 keeps a limit', async () => {
    const c = await t.as('office');
    const cat = await byCode('0102');
    expect((await c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, urgent: true })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'timeLimit.unit' });
    expect((await c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, timeLimit: null })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'timeLimit' });
    const ok = await c.patch(`/api/v1/categories/${cat.id}`, { version: cat.version, urgent: true, timeLimit: { unit: 'clock_hours', value: 12 } });
    expect(ok.json()).toMatchObject({ urgent: true, timeLimitText: '12 小时（全天候）', version: cat.version + 1 });
  });

  it('deactivates a 大类 only after its 小类, and reactivates a 小类 only under an active 大类', async () => {
    const c = await t.as('office');
    const major = await byCode('07');
    expect((await c.post(`/api/v1/categories/${major.id}/deactivate`, { version: major.version })).json()).toMatchObject({ code: 'IN_USE' });
    const minor = await byCode('0701');
    expect((await c.post(`/api/v1/categories/${minor.id}/deactivate`, { version: minor.version })).statusCode).toBe(200);
    expect((await c.post(`/api/v1/categories/${major.id}/deactivate`, { version: major.version })).statusCode).toBe(200);
    const again = await byCode('0701');
    expect((await c.patch(`/api/v1/categories/${again.id}`, { version: again.version, active: true })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'active' });
    expect((await c.post('/api/v1/categories', { kind: 'component', code: '0702', nameZh: '新探头', timeLimit: { unit: 'work_days', value: 1 } })).json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
    expect((await c.get('/api/v1/categories?active=false')).json().items.map((i: CategoryJson) => i.code)).toEqual(expect.arrayContaining(['07', '0701']));
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const c = await t.as('office');
    expect((await c.get('/api/v1/categories/999999')).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.get('/api/v1/categories/abc')).statusCode).toBe(400);
    expect((await c.patch('/api/v1/categories/999999', { version: 1, nameZh: 'x' })).statusCode).toBe(404);
  });

  it('writes an audit row for each change', async () => {
    const res = await (await t.as('admin')).get('/api/v1/audit?action=category.');
    expect(res.json().total).toBeGreaterThanOrEqual(5);
  });
});

describe('category spreadsheets', () => {
  it('exports every category in the import layout', async () => {
    const res = await (await t.as('office')).get('/api/v1/categories/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('类型');
    const rows: string[] = [];
    ws.eachRow((r, n) => n > 1 && rows.push(`${r.getCell(2).value}:${r.getCell(3).value}:${r.getCell(7).value}${r.getCell(8).value}`));
    expect(rows).toContain('1101:暴露垃圾:4工作时');
    expect(rows).toContain('0101:井盖缺损:6小时（全天候）');
    expect(rows.length).toBe(await count('categories'));
  });

  it('imports new and changed categories from a sheet', async () => {
    const file = await xlsx([
      ['类型', '编码', '名称', '英文名称', '立案条件', '结案条件', '处置时限', '时限单位', '紧急（全天候）', '默认责任单位类型', '市民可上报', '排序', '状态'],
      ['事件', '16', '文明行为', 'Civility', '', '', '', '', '否', '', '否', '', '启用'],
      ['事件', '1601', '随地吐痰', 'Spitting', '在公共场所随地吐痰', '已劝导', '2', '工作时', '否', 'community', '是', '', ''],
      ['部件', '0102', '路灯不亮', 'Street light out', '路灯不亮', '路灯恢复', '1', '工作日', '否', 'department:城管', '是', '', ''],
    ]);
    const { body, headers } = multipart(file);
    const res = await (await t.as('office')).post('/api/v1/categories/import', body, headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 3, created: 2, updated: 1 });
    expect(await byCode('1601')).toMatchObject({ parentCode: '16', timeLimitText: '2 个工作时', citizenReportable: true });
    expect(await byCode('0102')).toMatchObject({ urgent: false, timeLimit: { unit: 'work_days', value: 1 } });
  });

  it('reports every bad row and imports nothing', async () => {
    const before = await count('categories');
    const audits = await count('audit_log');
    const file = await xlsx([
      ['类型', '编码', '名称', '处置时限', '时限单位', '紧急（全天候）'],
      ['事件', '1602', '好类别', '2', '工作时', '否'],
      ['星球', '1603', '坏类型', '2', '工作时', '否'],
      ['事件', '1699', '', '2', '工作时', '否'],
      ['事件', '2001', '没有大类', '2', '工作时', '否'],
      ['事件', '1604', '坏单位', '2', '周', '否'],
      ['事件', '1605', '紧急但按工作时', '2', '工作时', '是'],
      ['部件', '1101', '改变类型', '2', '工作时', '否'],
      ['事件', '1606', '没有时限', '', '', '否'],
    ]);
    const { body, headers } = multipart(file);
    const res = await (await t.as('office')).post('/api/v1/categories/import', body, headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_FAILED');
    const badRows = new Set(res.json().details.rows.map((r: { row: number }) => r.row));
    expect([...badRows].sort()).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(await count('categories')).toBe(before);
    expect(await count('audit_log')).toBe(audits);
  });

  it('refuses to leave an active 小类 under a 大类 it switches off', async () => {
    const file = await xlsx([
      ['类型', '编码', '名称', '状态'],
      ['事件', '14', '街面秩序', '停用'],
    ]);
    const { body, headers } = multipart(file);
    const res = await (await t.as('office')).post('/api/v1/categories/import', body, headers);
    expect(res.json()).toMatchObject({ code: 'IMPORT_FAILED', details: { rows: [{ row: 2, column: '状态' }] } });
    expect(await byCode('14')).toMatchObject({ active: true });
  });

  it('offers a template to writers only', async () => {
    expect((await (await t.as('office')).get('/api/v1/categories/import-template.xlsx')).statusCode).toBe(200);
    expect((await (await t.as('unit')).get('/api/v1/categories/import-template.xlsx')).statusCode).toBe(403);
  });
});
