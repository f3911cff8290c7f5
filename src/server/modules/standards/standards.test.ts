import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type Client, type TestApp } from '../../../../tests/helpers/app.js';
import { multipart, xlsx } from '../../../../tests/helpers/upload.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { STANDARD_SEED_ITEMS, STANDARD_SEED_NODES, checklistFor } from '../../../core/standards/index.js';
import { seedStandard } from './service.js';


let t: TestApp;
let office: Client;
beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  office = await t.as('office');
});
afterAll(async () => t?.close());

const count = async (table: 'standard_versions' | 'standard_items' | 'standard_nodes') =>
  Number((await t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

interface ItemJson { id: number; code: string; version: number; nodeId: number; rule: Record<string, unknown>; ruleText: string; [k: string]: unknown }
interface TreeJson { version: { id: number; version: number; status: string; versionNo: number }; nodes: { id: number; code: string; level: number; version: number }[]; items: ItemJson[] }

async function newDraft(): Promise<TreeJson> {
  const res = await office.post('/api/v1/standards/versions', {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('seed and reads', () => {
  it('seeds the standard once as published v1, readable by every role', async () => {
    expect(await seedStandard(t.db.deps.db)).toBe(false);
    await seedBaseline(t.db.deps.db);
    expect(await count('standard_versions')).toBe(1);
    const res = await (await t.as('volunteer')).get('/api/v1/standards/current');
    expect(res.statusCode).toBe(200);
    const tree = res.json() as TreeJson;
    expect(tree.version).toMatchObject({ versionNo: 1, status: 'published' });
    expect(tree.nodes).toHaveLength(STANDARD_SEED_NODES.length);
    expect(tree.items).toHaveLength(STANDARD_SEED_ITEMS.length);
    expect(tree.items.find((i) => i.code === '1.2.1-6')).toMatchObject({ points: 10, rule: { kind: 'per_missing', required: 5, step: 2 }, ruleText: '少于5处每少1处扣2分，扣完10分为止' });
  });

  it('gives the checklist of a point type, with its tree path and possible points', async () => {
    const res = await (await t.as('inspector')).get('/api/v1/standards/current/checklist?pointType=market');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = checklistFor(STANDARD_SEED_ITEMS, 'market');
    expect(body.items.map((i: ItemJson) => i.code)).toEqual(expected.map((i) => i.code));
    expect(body.possible).toBe(expected.reduce((s, i) => s + i.rule.points, 0));
    expect(body.pointType).toMatchObject({ code: 'market', nameZh: '农贸(集贸)市场' });
    expect(body.items.find((i: ItemJson) => i.code === '3.1.1-1').path).toEqual({ project: '市场与窗口服务', indicator: '农贸市场管理', content: '经营管理' });
    const en = await office.get('/api/v1/standards/current/checklist?pointType=market', { 'accept-language': 'en-US' });
    expect(en.json().items[0].ruleText).toMatch(/^−1 per problem found/);
  });

  it.each([
    ['/api/v1/standards/current/checklist?pointType=moon', 400, 'pointType'],
    ['/api/v1/standards/current/checklist', 400, 'pointType'],
    ['/api/v1/standards/versions/abc', 400, 'id'],
    ['/api/v1/standards/versions/999999', 404, undefined],
    ['/api/v1/standards/current?standardCode=other', 404, undefined],
  ])('refuses %s', async (url, status, field) => {
    const res = await office.get(url);
    expect(res.statusCode).toBe(status);
    if (field) expect(res.json().field).toBe(field);
  });
});

describe('drafts, editing and publishing', () => {
  it('a published version is immutable', async () => {
    const current = (await office.get('/api/v1/standards/current')).json() as TreeJson;
    const item = current.items[0]!;
    const edit = await office.patch(`/api/v1/standards/items/${item.id}`, { version: item.version, text: '改过' });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().code).toBe('ILLEGAL_TRANSITION');
    const node = await office.post(`/api/v1/standards/versions/${current.version.id}/nodes`, { name: '新项目' });
    expect(node.statusCode).toBe(422);
    expect((await office.post(`/api/v1/standards/versions/${current.version.id}/publish`, { version: current.version.version })).statusCode).toBe(422);
    expect((await office.get('/api/v1/standards/current')).json().items[0].text).toBe(item.text);
  });

  it('copies the current version into a draft, edits it with version checks, publishes it and retires the old one', async () => {
    const before = (await office.get('/api/v1/standards/current')).json() as TreeJson;
    const draft = await newDraft();
    expect(draft.version).toMatchObject({ status: 'draft', versionNo: 2 });
    expect(draft.items).toHaveLength(before.items.length);
    const ads = draft.items.find((i) => i.code === '1.2.1-6')!;

    const ok = await office.patch(`/api/v1/standards/items/${ads.id}`, { version: ads.version, rule: { kind: 'per_missing', points: 10, required: 6, step: 2, fixedOnSpotFactor: 0.5, cap: 3 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: ads.version + 1, rule: { kind: 'per_missing', points: 10, required: 6, step: 2, fixedOnSpotFactor: 0.5 }, ruleText: '少于6处每少1处扣2分，扣完10分为止；当场整改减半' });
    expect(ok.json().rule.cap).toBeUndefined();

    const stale = await office.patch(`/api/v1/standards/items/${ads.id}`, { version: ads.version, text: '旧版本上的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');

    // A new 测评内容 under 1.2 and an item in it.
    const indicator = draft.nodes.find((n) => n.code === '1.2')!;
    const content = await office.post(`/api/v1/standards/versions/${draft.version.id}/nodes`, { parentId: indicator.id, name: '文明实践阵地' });
    expect(content.json()).toMatchObject({ code: '1.2.2', level: 3 });
    const item = await office.post(`/api/v1/standards/versions/${draft.version.id}/items`, {
      nodeId: content.json().id, text: '社区设置道德模范榜', methods: ['field'], pointTypes: ['community_center'], rule: { kind: 'pass_fail', points: 2 },
    });
    expect(item.statusCode, item.body).toBe(200);
    expect(item.json()).toMatchObject({ code: '1.2.2-1', number: 1, points: 2 });

    // Publishing with the draft's old row version is refused: it was edited since.
    expect((await office.post(`/api/v1/standards/versions/${draft.version.id}/publish`, { version: draft.version.version })).statusCode).toBe(409);
    const fresh = (await office.get(`/api/v1/standards/versions/${draft.version.id}`)).json() as TreeJson;
    const pub = await office.post(`/api/v1/standards/versions/${draft.version.id}/publish`, { version: fresh.version.version });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().status).toBe('published');

    const versions = (await office.get('/api/v1/standards/versions')).json().items as { id: number; status: string }[];
    expect(versions.find((v) => v.id === before.version.id)!.status).toBe('retired');
    expect((await office.get('/api/v1/standards/current')).json().version.id).toBe(draft.version.id);
    // The old version still answers with what it was: an inspection scored with it keeps its checklist.
    const old = await office.get(`/api/v1/standards/versions/${before.version.id}/checklist?pointType=market`);
    expect(old.json().items.find((i: ItemJson) => i.code === '1.2.1-6').rule.required).toBe(5);
    const now = await office.get('/api/v1/standards/current/checklist?pointType=market');
    expect(now.json().items.find((i: ItemJson) => i.code === '1.2.1-6').rule.required).toBe(6);
  });

  it('refuses bad input with the field, never a 500', async () => {
    const draft = await newDraft();
    const item = draft.items.find((i) => i.code === '2.1.1-1')!;
    const content = draft.nodes.find((n) => n.level === 3)!;
    const cases: [string, unknown, string][] = [
      [`/api/v1/standards/items/${item.id}`, { version: item.version, rule: { kind: 'per_occurrence', points: 5 } }, 'rule.step'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, rule: { kind: 'per_occurrence', points: 5, step: 1, cap: 9 } }, 'rule.cap'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, rule: { kind: 'bonus', points: 5 } }, 'rule.kind'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, rule: { kind: 'pass_fail', points: 'Infinity' } }, 'rule.points'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, rule: { kind: 'pass_fail', points: 1e9 } }, 'rule.points'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, pointTypes: ['moon'] }, 'pointTypes'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, pointTypes: [] }, 'pointTypes'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, methods: ['phone'] }, 'methods.0'],
      [`/api/v1/standards/items/${item.id}`, { version: 'x' }, 'version'],
      [`/api/v1/standards/items/${item.id}`, { version: item.version, text: '' }, 'text'],
    ];
    for (const [url, body, field] of cases) {
      const res = await office.patch(url, body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
    const items = `/api/v1/standards/versions/${draft.version.id}/items`;
    const base = { text: '测试', methods: ['field'], pointTypes: ['market'], rule: { kind: 'pass_fail', points: 1 } };
    const level1 = draft.nodes.find((n) => n.level === 1)!;
    expect((await office.post(items, { ...base, nodeId: level1.id })).json().field).toBe('nodeId');
    expect((await office.post(items, { ...base, nodeId: 999999 })).json().field).toBe('nodeId');
    const dup = await office.post(items, { ...base, nodeId: content.id, number: 1 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DUPLICATE');
    const fourth = await office.post(`/api/v1/standards/versions/${draft.version.id}/nodes`, { parentId: content.id, name: 'x' });
    expect(fourth.json()).toMatchObject({ field: 'parentId' });
    const nonEmpty = await office.delete(`/api/v1/standards/nodes/${content.id}?version=${content.version}`);
    expect(nonEmpty.statusCode).toBe(409);
    expect(nonEmpty.json().code).toBe('IN_USE');
    const discard = await office.delete(`/api/v1/standards/versions/${draft.version.id}?version=${draft.version.version}`);
    expect(discard.statusCode).toBe(200);
    expect((await office.get(`/api/v1/standards/versions/${draft.version.id}`)).statusCode).toBe(404);
  });

  it('deletes items and empty nodes of a draft', async () => {
    const draft = await newDraft();
    const node = (await office.post(`/api/v1/standards/versions/${draft.version.id}/nodes`, { name: '临时项目' })).json();
    expect(node).toMatchObject({ code: '5', level: 1 });
    const gone = await office.delete(`/api/v1/standards/nodes/${node.id}?version=${node.version}`);
    expect(gone.statusCode).toBe(200);
    const item = draft.items[0]!;
    expect((await office.delete(`/api/v1/standards/items/${item.id}?version=${item.version + 5}`)).statusCode).toBe(409);
    expect((await office.delete(`/api/v1/standards/items/${item.id}?version=${item.version}`)).statusCode).toBe(200);
    const after = (await office.get(`/api/v1/standards/versions/${draft.version.id}`)).json() as TreeJson;
    expect(after.items).toHaveLength(draft.items.length - 1);
    await office.delete(`/api/v1/standards/versions/${draft.version.id}?version=${after.version.version}`);
  });

  it('only admin and office write', async () => {
    const current = (await office.get('/api/v1/standards/current')).json() as TreeJson;
    for (const who of ['leader', 'inspector', 'dispatcher', 'unit', 'volunteer']) {
      const c = await t.as(who);
      expect((await c.get('/api/v1/standards/versions')).statusCode, who).toBe(200);
      expect((await c.post('/api/v1/standards/versions', {})).statusCode, who).toBe(403);
      expect((await c.patch(`/api/v1/standards/items/${current.items[0]!.id}`, { version: 1, text: 'x' })).statusCode, who).toBe(403);
    }
    const admin = await t.as('admin');
    const res = await admin.post('/api/v1/standards/versions', { title: '管理员草稿' });
    expect(res.statusCode).toBe(200);
    const v = res.json().version;
    expect((await admin.delete(`/api/v1/standards/versions/${v.id}?version=${v.version}`)).statusCode).toBe(200);
  });
});

describe('export and import', () => {
  const upload = (file: Buffer, name: string) => {
    const m = multipart(file, name, name.endsWith('.json') ? 'application/json' : undefined);
    return office.post('/api/v1/standards/import', m.body, m.headers);
  };

  it('round-trips JSON into a new draft', async () => {
    const current = (await office.get('/api/v1/standards/current')).json() as TreeJson;
    const exported = await office.get(`/api/v1/standards/versions/${current.version.id}/export.json`);
    expect(exported.statusCode).toBe(200);
    const doc = exported.json();
    expect(doc).toMatchObject({ format: 'wenming-standard', formatVersion: 1, standardCode: 'national' });
    const versionsBefore = await count('standard_versions');
    const res = await upload(Buffer.from(JSON.stringify(doc)), 'standard.json');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', itemCount: current.items.length, nodeCount: current.nodes.length });
    expect(await count('standard_versions')).toBe(versionsBefore + 1);
    const again = (await office.get(`/api/v1/standards/versions/${res.json().id}/export.json`)).json();
    expect(again.items).toEqual(doc.items.map((i: Record<string, unknown>, n: number) => ({ ...i, sort: again.items[n].sort })));
    expect(again.nodes.map((n: { code: string; name: string }) => [n.code, n.name])).toEqual(doc.nodes.map((n: { code: string; name: string }) => [n.code, n.name]));
  });

  it('a JSON document with a bad item writes nothing and names the row', async () => {
    const doc = (await office.get(`/api/v1/standards/versions/${(await office.get('/api/v1/standards/current')).json().version.id}/export.json`)).json();
    doc.items[3].rule.step = -1;
    doc.items[7].pointTypes = ['moon'];
    const before = [await count('standard_versions'), await count('standard_items')];
    const res = await upload(Buffer.from(JSON.stringify(doc)), 'bad.json');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_FAILED');
    expect(res.json().details.rows).toEqual([
      { row: 4, column: 'items[3].rule.step', reason: 'must be greater than 0' },
      { row: 8, column: 'items[7].pointTypes', reason: 'unknown point type moon' },
    ]);
    expect([await count('standard_versions'), await count('standard_items')]).toEqual(before);
    expect((await upload(Buffer.from('{"format":"x"}'), 'x.json')).json().code).toBe('UNSUPPORTED_FILE');
    expect((await upload(Buffer.from('{nope'), 'x.json')).json().code).toBe('UNSUPPORTED_FILE');
  });

  it('round-trips .xlsx: the export imports back as the same standard', async () => {
    const current = (await office.get('/api/v1/standards/current')).json() as TreeJson;
    const file = await office.get(`/api/v1/standards/versions/${current.version.id}/export.xlsx`);
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('标准编号');
    expect(wb.worksheets[0]!.rowCount).toBe(current.items.length + 1);
    const res = await upload(file.rawPayload, '测评标准.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '导入：测评标准', itemCount: current.items.length, nodeCount: current.nodes.length });
    const a = (await office.get(`/api/v1/standards/versions/${current.version.id}/export.json`)).json();
    const b = (await office.get(`/api/v1/standards/versions/${res.json().id}/export.json`)).json();
    const strip = (items: Record<string, unknown>[]) => items.map(({ sort: _s, ...rest }) => rest);
    expect(strip(b.items)).toEqual(strip(a.items));
    expect(b.nodes.map((n: { name: string }) => n.name)).toEqual(a.nodes.map((n: { name: string }) => n.name));
  });

  it('a hand-made sheet with one bad row writes nothing and reports every error', async () => {
    const header = ['标准编号', '测评项目', '指标', '测评内容', '测评标准', '测评方法', '适用点位类型', '计分方式', '分值', '要求数量', '每处扣分', '扣分上限', '当场整改系数'];
    const good = await xlsx([
      header,
      ['1.1.1-1', '市容环境', '环境卫生', '市场卫生', '无乱扔垃圾', '实地考察', '农贸(集贸)市场、居民小区', '按发现问题扣分（封顶）', 5, '', 1, 5, 0.5],
      ['1.1.1-2', '', '', '', '公益广告不少于5处', '实地考察', 'market', '按缺少数量扣分', 10, 5, 2, '', ''],
      ['1.1.2-1', '', '', '公平秤', '入口处设公平秤', '实地考察、材料审核', '农贸(集贸)市场', '达标/不达标', 2, '', '', '', ''],
    ]);
    const ok = await upload(good, '农贸市场.xlsx');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ itemCount: 3, nodeCount: 4 });
    const tree = (await office.get(`/api/v1/standards/versions/${ok.json().id}`)).json() as TreeJson;
    expect(tree.items.find((i) => i.code === '1.1.1-1')).toMatchObject({ pointTypes: ['market', 'residential'], rule: { kind: 'per_occurrence', step: 1, cap: 5, fixedOnSpotFactor: 0.5 } });
    expect(tree.items.find((i) => i.code === '1.1.2-1')).toMatchObject({ methods: ['field', 'document'] });

    const before = [await count('standard_versions'), await count('standard_items'), await count('standard_nodes')];
    const bad = await xlsx([
      header,
      ['1.1.1-1', '市容环境', '环境卫生', '市场卫生', '无乱扔垃圾', '实地考察', '农贸(集贸)市场', '按发现问题扣分（封顶）', 5, '', 1, 5, 0.5],
      ['1.1.1-2', '', '', '', '公益广告', '实地考察', '月球', '按缺少数量扣分', 10, 0, 2, '', ''],
      ['1.1.1-3', '', '', '别的名字', '入口处设公平秤', '电话', '农贸(集贸)市场', '加分', 2, '', '', '', ''],
      ['2.1-1', '', '', '', '编号不对', '实地考察', 'market', '达标', 2, '', '', '', ''],
    ]);
    const res = await upload(bad, 'bad.xlsx');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_FAILED');
    const rows = res.json().details.rows as { row: number; column: string }[];
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '适用点位类型'],
      [3, '要求数量'],
      [4, '测评内容'],
      [4, '测评方法'],
      [4, '计分方式'],
      [5, '标准编号'],
    ]);
    expect([await count('standard_versions'), await count('standard_items'), await count('standard_nodes')]).toEqual(before);
  });

  it('refuses imports from readers and files that are not standards', async () => {
    const m = multipart(Buffer.from('{}'), 'x.json', 'application/json');
    expect((await (await t.as('inspector')).post('/api/v1/standards/import', m.body, m.headers)).statusCode).toBe(403);
    expect((await upload(Buffer.from('not a workbook'), 'x.xlsx')).json().code).toBe('UNSUPPORTED_FILE');
    expect((await upload(await xlsx([['编号']]), 'x.xlsx')).json().code).toBe('IMPORT_FAILED');
  });
});
