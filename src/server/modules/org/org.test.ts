import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { multipart, xlsx } from '../../../../tests/helpers/upload.js';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { square } from '../../../../tests/helpers/fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const countOrgs = async () => Number((await t.db.deps.db.selectFrom('orgs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('org tree', () => {
  it('shows the street to the office and only its community to a community officer', async () => {
    const office = await (await t.as('office')).get('/api/v1/orgs/tree');
    expect(office.statusCode).toBe(200);
    const names = office.json().nodes.map((n: { name: string }) => n.name);
    expect(names).toEqual(expect.arrayContaining(['测试街道', '东风社区', '西苑社区', '城管科']));
    expect(names).not.toContain('张店区');

    const comm = await (await t.as('commA')).get('/api/v1/orgs/tree');
    const nodes = comm.json().nodes;
    expect(nodes.map((n: { name: string }) => n.name).sort()).toEqual(['东风社区', '东风社区第1网格', '东风社区第2网格'].sort());
    expect(nodes.find((n: { name: string }) => n.name === '东风社区').parentId).toBeNull();
  });

  it('hides other communities by every route: get, list, count', async () => {
    const c = await t.as('commA');
    expect((await c.get(`/api/v1/orgs/${t.fx.communityB.id}`)).statusCode).toBe(404);
    expect((await c.get(`/api/v1/orgs/${t.fx.gridB1.id}`)).statusCode).toBe(404);
    const list = await c.get('/api/v1/orgs?kind=grid&pageSize=100');
    expect(list.json().total).toBe(2);
    expect(list.json().items.every((o: { name: string }) => o.name.startsWith('东风'))).toBe(true);
    const search = await c.get(`/api/v1/orgs?q=${encodeURIComponent('西苑')}`);
    expect(search.json().total).toBe(0);
  });

  it('creates a grid with a valid 15-digit code and polygon', async () => {
    const c = await t.as('office');
    const res = await c.post('/api/v1/orgs', { parentId: t.fx.communityA.id, kind: 'grid', name: '东风社区第3网格', code: '370303012001003', geometry: square(118.001, 36.801, 118.002, 36.802) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'grid', code: '370303012001003', version: 1, path: `${t.fx.communityA.path}${res.json().id}/` });
  });

  it.each([
    [{ kind: 'grid', name: 'x', code: '37030301200100' }, 'INVALID_CODE', 'code'],
    [{ kind: 'grid', name: 'x', code: '370303012002009' }, 'INVALID_CODE', 'code'],
    [{ kind: 'grid', name: 'x' }, 'INVALID_CODE', 'code'],
    [{ kind: 'grid', name: 'x', code: '370303012001001' }, 'DUPLICATE', 'code'],
    [{ kind: 'street', name: 'x', code: '370303013' }, 'VALIDATION_FAILED', 'parentId'],
    [{ kind: 'planet', name: 'x' }, 'VALIDATION_FAILED', 'kind'],
    [{ kind: 'grid', name: '', code: '370303012001009' }, 'VALIDATION_FAILED', 'name'],
    [{ kind: 'grid', name: 'x'.repeat(101), code: '370303012001009' }, 'VALIDATION_FAILED', 'name'],
    [{ kind: 'grid', name: 'x', code: '370303012001009', geometry: { type: 'Polygon', coordinates: [[[118, 36.8], [118.01, 36.81], [118.01, 36.8], [118, 36.81], [118, 36.8]]] } }, 'INVALID_GEOMETRY', 'geometry'],
    [{ kind: 'grid', name: 'x', code: '370303012001009', geometry: { type: 'Point', coordinates: [118, 36.8] } }, 'VALIDATION_FAILED', 'geometry.type'],
    [{ kind: 'grid', name: 'x', code: '370303012001009', contactPhone: 'call me' }, 'VALIDATION_FAILED', 'contactPhone'],
  ])('rejects bad input %j without writing', async (body, code, field) => {
    const before = await countOrgs();
    const res = await (await t.as('office')).post('/api/v1/orgs', { parentId: t.fx.communityA.id, ...body });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ code, field });
    expect(await countOrgs()).toBe(before);
  });

  it('forbids writes to roles without org.write and to nodes outside scope', async () => {
    const unit = await t.as('unit');
    expect((await unit.post('/api/v1/orgs', { parentId: t.fx.communityA.id, kind: 'grid', name: 'x', code: '370303012001008' })).statusCode).toBe(403);
    const comm = await t.as('commA');
    expect((await comm.patch(`/api/v1/orgs/${t.fx.gridB1.id}`, { version: 1, name: 'hijack' })).statusCode).toBe(403);
  });

  it('edits with optimistic versions: the stale writer gets 409', async () => {
    const c = await t.as('office');
    const org = (await c.get(`/api/v1/orgs/${t.fx.dept.id}`)).json();
    const [a, b] = await Promise.all([
      c.patch(`/api/v1/orgs/${t.fx.dept.id}`, { version: org.version, contactName: '张三' }),
      c.patch(`/api/v1/orgs/${t.fx.dept.id}`, { version: org.version, contactName: '李四' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('CONFLICT');
  });

  it('moves a grid to another community, carrying its subtree path', async () => {
    const c = await t.as('office');
    const created = (await c.post('/api/v1/orgs', { parentId: t.fx.communityA.id, kind: 'grid', name: '待迁网格', code: '370303012001007' })).json();
    const micro = (await c.post('/api/v1/orgs', { parentId: created.id, kind: 'micro_grid', name: '待迁微网格', code: '370303012001007001' })).json();
    const refused = await c.patch(`/api/v1/orgs/${created.id}`, { version: created.version, parentId: t.fx.communityB.id });
    expect(refused.json().code).toBe('INVALID_CODE'); // the code must follow the new parent
    const moved = await c.patch(`/api/v1/orgs/${created.id}`, { version: created.version, parentId: t.fx.communityB.id, code: '370303012002007' });
    expect(moved.statusCode).toBe(200);
    const microNow = (await c.get(`/api/v1/orgs/${micro.id}`)).json();
    expect(microNow.path).toBe(`${t.fx.communityB.path}${created.id}/${micro.id}/`);
    expect(microNow.depth).toBe(t.fx.communityB.depth + 2);
  });

  it('deactivates only nodes without active children or people', async () => {
    const c = await t.as('office');
    const a = (await c.get(`/api/v1/orgs/${t.fx.communityA.id}`)).json();
    expect((await c.post(`/api/v1/orgs/${a.id}/deactivate`, { version: a.version })).json().code).toBe('IN_USE');
    const leaf = (await c.post('/api/v1/orgs', { parentId: t.fx.street.id, kind: 'property_company', name: '临时物业' })).json();
    expect((await c.post(`/api/v1/orgs/${leaf.id}/deactivate`, { version: leaf.version })).statusCode).toBe(200);
    expect((await c.get(`/api/v1/orgs/${leaf.id}`)).json().active).toBe(false);
  });

  it('masks contact phones except for the office', async () => {
    const c = await t.as('office');
    const org = (await c.get(`/api/v1/orgs/${t.fx.communityA.id}`)).json();
    await c.patch(`/api/v1/orgs/${org.id}`, { version: org.version, contactPhone: '13912345678' });
    expect((await c.get(`/api/v1/orgs/${org.id}`)).json().contactPhone).toBe('13912345678');
    expect((await (await t.as('commA')).get(`/api/v1/orgs/${org.id}`)).json().contactPhone).toBe('139****5678');
  });

  it('writes an audit row for each change', async () => {
    const res = await (await t.as('admin')).get('/api/v1/audit?action=org.');
    expect(res.json().total).toBeGreaterThan(3);
    expect(res.json().items[0]).toMatchObject({ actorName: expect.any(String), action: expect.stringMatching(/^org\./) });
  });
});

describe('org import', () => {
  it('imports new nodes, including parents defined earlier in the sheet', async () => {
    const file = await xlsx([
      ['上级编码或名称', '类型', '名称', '编码', '联系人', '联系电话', '地址'],
      ['370303012', '社区', '新华社区', '370303012003', '王红', '13800000000', '新华路 18 号'],
      ['370303012003', '网格', '新华社区第1网格', '370303012003001', '', '', ''],
      ['测试街道', '物业公司', '齐鲁物业', '', '刘强', '13800000001', ''],
    ]);
    const { body, headers } = multipart(file);
    const res = await (await t.as('office')).post('/api/v1/orgs/import', body, headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    const list = await (await t.as('office')).get(`/api/v1/orgs?q=${encodeURIComponent('新华')}`);
    expect(list.json().total).toBe(2);
  });

  it('reports every bad row with row, column and reason, and imports nothing', async () => {
    const before = await countOrgs();
    const file = await xlsx([
      ['上级编码或名称', '类型', '名称', '编码'],
      ['370303012', '社区', '好社区', '370303012004'],
      ['370303012', '社区', '坏编码社区', '3703030120'],
      ['不存在的上级', '网格', '孤儿网格', '370303012009001'],
      ['370303012', '星球', '火星', ''],
      ['370303012', '社区', '', '370303012005'],
    ]);
    const { body, headers } = multipart(file);
    const res = await (await t.as('office')).post('/api/v1/orgs/import', body, headers);
    expect(res.statusCode).toBe(400);
    const err = res.json();
    expect(err.code).toBe('IMPORT_FAILED');
    const rows = err.details.rows as { row: number; column: string; reason: string }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '编码' }),
        expect.objectContaining({ row: 4, column: '上级编码或名称' }),
        expect.objectContaining({ row: 5, column: '类型' }),
        expect.objectContaining({ row: 6, column: '名称' }),
      ]),
    );
    expect(rows.some((r) => r.row === 2)).toBe(false);
    expect(await countOrgs()).toBe(before);
  });

  it('rejects a file that is not a workbook', async () => {
    const { body, headers } = multipart(Buffer.from('not a zip'), 'x.xlsx');
    const res = await (await t.as('office')).post('/api/v1/orgs/import', body, headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('UNSUPPORTED_FILE');
  });

  it('serves the template', async () => {
    const res = await (await t.as('office')).get('/api/v1/orgs/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="org-template.xlsx"; filename*=UTF-8''org-template.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('上级编码或名称*');
  });
});
