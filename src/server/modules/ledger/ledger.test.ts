import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { Worker } from '../../jobs/worker.js';
import { CASE_STATES, ledgerResult } from '../../../core/cases/index.js';
import { LEDGER_COLUMNS, LEDGER_STATES, beijingMinute, sourceLabel, statesOfResult } from './labels.js';
import { csvField, csvLine } from './csv.js';
import { ledgerDisposition, ledgerPages, ledgerTitle, prepareLedger } from './service.js';
import { writeLedgerXlsx } from './xlsx.js';

const HEADERS = ['序号', '问题来源', '发现时间', '所属社区/网格', '点位', '问题类别', '问题描述', '整改前照片', '责任单位', '责任人', '整改时限', '整改措施', '整改后照片', '整改结果', '核查人', '销号时间', '是否反弹'];
const COL = Object.fromEntries(HEADERS.map((h, i) => [h, i + 1])) as Record<string, number>;
const FIRST_DATA_ROW = 4;

// Inside 东风社区第1网格 (community A) and 西苑社区第1网格 (community B) of the fixture street.
const IN_A1 = { lat: 36.805, lng: 118.005 };
const IN_B1 = { lat: 36.805, lng: 118.035 };

describe('ledger rules', () => {
  it.each([
    ['supervision', 'city', '市级督查通报'],
    ['supervision', 'district', '区级督查通报'],
    ['supervision', 'street', '街道督查通报'],
    ['supervision', null, '督查通报'],
    ['patrol', null, '网格员巡查'],
    ['hotline', null, '12345热线'],
    ['citizen', null, '市民随手拍'],
    ['something_new', null, 'something_new'],
  ])('labels source %s at level %s as %s', (source, level, label) => {
    expect(sourceLabel(source, level)).toBe(label);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-1+1', "'-1+1"],
    ['', ''],
    [null, ''],
    [42, '42'],
    [-3, '-3'],
  ])('quotes the CSV field %j as %j', (value, expected) => {
    expect(csvField(value as string | number | null)).toBe(expected);
  });

  it('ends CSV lines with CRLF', () => {
    expect(csvLine(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });

  it.each([
    ['2026-11-27T08:00:00.000Z', '2026-11-27 16:00'],
    ['2026-11-26T16:00:00.000Z', '2026-11-27 00:00'],
    ['2026-11-27T15:59:59.999Z', '2026-11-27 23:59'],
    ['2026-12-31T20:30:00.000Z', '2027-01-01 04:30'],
    ['2026-11-27T01:05:00.000Z', '2026-11-27 09:05'],
    [null, ''],
    ['not a time', ''],
  ])('formats %s in Beijing time as %j', (iso, text) => {
    expect(beijingMinute(iso)).toBe(text);
  });

  it('maps every state with a ledger result to exactly one filter, and leaves the rest out', () => {
    const covered = [...statesOfResult('已整改'), ...statesOfResult('整改中'), ...statesOfResult('挂账')];
    expect(new Set(covered).size).toBe(covered.length);
    expect([...covered].sort()).toEqual([...LEDGER_STATES].sort());
    expect(statesOfResult('已整改')).toEqual(['closed']);
    expect(statesOfResult('挂账')).toEqual(['hung']);
    for (const s of CASE_STATES) expect(LEDGER_STATES.includes(s)).toBe(ledgerResult(s) !== null);
    expect(LEDGER_STATES).not.toContain('reported');
  });

  it('has the columns of domain.md in order', () => {
    expect(LEDGER_COLUMNS.map((c) => c.header)).toEqual(HEADERS);
  });

  it('names the file 整改台账-<Beijing date> in UTF-8 and titles the period', () => {
    const at = new Date('2026-11-27T17:00:00Z'); // already the 28th in Beijing
    expect(ledgerDisposition('xlsx', at)).toContain(`filename*=UTF-8''${encodeURIComponent('整改台账-20261128.xlsx')}`);
    const meta = { from: '2026-11-01', to: '2026-11-27', streetName: '柳泉街道', communityName: null, unitName: null, sources: [], results: [], categoryCodes: [], exportedAt: at, exportedBy: 'x' };
    expect(ledgerTitle(meta)).toBe('柳泉街道创城问题整改台账（2026-11-01 至 2026-11-27）');
    expect(ledgerTitle({ ...meta, from: null, communityName: '东风社区' })).toBe('柳泉街道东风社区创城问题整改台账（截至 2026-11-27）');
  });
});

let t: TestApp;
const ids: Record<string, number> = {};

async function uploadPhoto(username: string, width = 640, height = 480): Promise<number> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: { r: Math.floor(Math.random() * 256), g: 120, b: 90 } } }).jpeg().toBuffer();
  const boundary = '----ledgerphoto' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    jpeg,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await (await t.as(username)).post('/api/v1/photos', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  if (res.statusCode >= 300) throw new Error(`upload failed ${res.statusCode} ${res.body}`);
  const json = res.json();
  return (Array.isArray(json) ? json[0] : (json.items?.[0] ?? json)).id;
}

async function report(username: string, body: Record<string, unknown>) {
  const res = await (await t.as(username)).post('/api/v1/cases', { source: 'office', categoryCode: '1401', description: '人行道上停了三辆车', ...IN_A1, ...body });
  if (res.statusCode >= 300) throw new Error(`report failed ${res.statusCode} ${res.body}`);
  return res.json().id as number;
}

async function act(username: string, id: number, action: string, extra: Record<string, unknown> = {}) {
  const current = (await (await t.as('office')).get(`/api/v1/cases/${id}`)).json();
  const res = await (await t.as(username)).post(`/api/v1/cases/${id}/transitions`, { action, version: current.version, ...extra });
  if (res.statusCode >= 300) throw new Error(`${action} failed ${res.statusCode} ${res.body}`);
  return res.json();
}

async function exportXlsx(username: string, query = '') {
  const res = await (await t.as(username)).get(`/api/v1/cases/export.xlsx${query}`);
  return res;
}

async function parseXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return { wb, ws: wb.worksheets[0] };
}

/** Data rows keyed by 问题描述, each as header → text. */
function rowsOf(ws: ExcelJS.Worksheet) {
  const out = new Map<string, Record<string, string> & { rowNumber: string }>();
  ws.eachRow((row, n) => {
    if (n < FIRST_DATA_ROW) return;
    const rec: Record<string, string> = { rowNumber: String(n) };
    HEADERS.forEach((h, i) => {
      const v = row.getCell(i + 1).value;
      rec[h] = v === null || v === undefined ? '' : String(v);
    });
    out.set(rec['问题描述'], rec as Record<string, string> & { rowNumber: string });
  });
  return out;
}

/** RFC 4180 reader, enough to check what the writer produced. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('整改台账 export', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await seedBaseline(t.db.deps.db);
    const db = t.db.deps.db;
    await db.updateTable('orgs').set({ contact_name: '王主任' }).where('id', '=', t.fx.communityA.id).execute();

    // Closed: a city supervision notice with a before-photo, fixed with an after-photo, checked by the grid worker.
    ids.closed = await report('office', { source: 'supervision', sourceLevel: 'city', description: '市级通报：华光路人行道停车', photoIds: [await uploadPhoto('office')], dispatch: true, unitId: t.fx.communityA.id, lat: 36.8031, lng: 118.0031 });
    await act('commA', ids.closed, 'start');
    await act('commA', ids.closed, 'feedback', { measures: '已劝离车辆，设置隔离桩', photoIds: [await uploadPhoto('commA', 480, 640)] });
    await act('gridA1', ids.closed, 'pass_check');
    // Hung: 挂账 with a reason.
    ids.hung = await report('office', { categoryCode: '1101', description: '老旧小区违建拆除需区里协调', dispatch: true, unitId: t.fx.communityA.id, lat: 36.8062, lng: 118.0111 });
    await act('commA', ids.hung, 'start');
    await act('leader', ids.hung, 'hang', { reason: '需区住建局协调' });
    // Open: at the unit, being handled; a description with a comma, quotes and a line break (CSV quoting).
    ids.open = await report('office', { categoryCode: '1101', description: '垃圾堆放, "三天"未清\n第二行', dispatch: true, unitId: t.fx.dept.id, lat: 36.8072, lng: 118.0151 });
    await act('unit', ids.open, 'start');
    // Community B, dispatched to its community.
    ids.inB = await report('office', { categoryCode: '1101', description: '西苑社区门口暴露垃圾', dispatch: true, unitId: t.fx.communityB.id, ...IN_B1 });
    // Reported only: not yet a task, not in the ledger.
    ids.reported = await report('gridA1', { source: 'patrol', description: '刚上报还未立案的问题', lat: 36.8091, lng: 118.0181 });
    // A rebound of the closed case: same category, a few metres away.
    ids.rebound = await report('office', { description: '华光路人行道又停车了', dispatch: true, unitId: t.fx.communityA.id, lat: 36.80312, lng: 118.0031 });
    // Found in October (Beijing time), and one just after midnight on 1 November Beijing time.
    ids.october = await report('office', { categoryCode: '1101', description: '十月发现的问题', dispatch: true, unitId: t.fx.communityA.id, lat: 36.8041, lng: 118.0121 });
    ids.novemberFirst = await report('office', { categoryCode: '1101', description: '十一月一日凌晨发现', dispatch: true, unitId: t.fx.communityA.id, lat: 36.8045, lng: 118.0125 });
    await db.updateTable('cases').set({ created_at: '2026-10-15T02:00:00.000Z' }).where('id', '=', ids.october).execute();
    await db.updateTable('cases').set({ created_at: '2026-10-31T16:30:00.000Z' }).where('id', '=', ids.novemberFirst).execute();
  });
  afterAll(async () => t?.close());

  it('serves export.xlsx on its static path beside /cases/:id, as an attachment named in UTF-8', async () => {
    const res = await exportXlsx('office');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toMatch(/^整改台账-\d{8}\.xlsx$/);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // The case route still answers for real ids.
    expect((await (await t.as('office')).get(`/api/v1/cases/${ids.closed}`)).statusCode).toBe(200);
  });

  it('writes the title, the headers and one row per case that became a task, with the values of each column', async () => {
    const { ws } = await parseXlsx((await exportXlsx('office')).rawPayload);
    expect(ws.name).toBe('整改台账');
    expect(String(ws.getCell('A1').value)).toMatch(/^测试街道创城问题整改台账（截至 \d{4}-\d{2}-\d{2}）$/);
    expect(String(ws.getCell('A2').value)).toContain('导出人：测试office');
    expect(HEADERS.map((_, i) => ws.getRow(3).getCell(i + 1).value)).toEqual(HEADERS);
    expect(ws.getRow(3).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1 });

    const rows = rowsOf(ws);
    expect(rows.has('刚上报还未立案的问题')).toBe(false);
    const seqs = [...rows.values()].map((r) => Number(r['序号']));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    const closed = rows.get('市级通报：华光路人行道停车')!;
    expect(closed).toMatchObject({
      问题来源: '市级督查通报',
      '所属社区/网格': '东风社区/第1网格',
      问题类别: '机动车乱停放',
      责任单位: '东风社区',
      责任人: '王主任',
      整改措施: '已劝离车辆，设置隔离桩',
      整改结果: '已整改',
      核查人: '测试gridA1',
      是否反弹: '是', // a later case at the same spot was linked to it as a rebound
    });
    expect(closed['发现时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(closed['整改时限']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(closed['销号时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    expect(rows.get('老旧小区违建拆除需区里协调')).toMatchObject({ 整改结果: '挂账', 销号时间: '', 整改时限: '', 是否反弹: '否', 问题类别: '暴露垃圾' });
    expect(rows.get('垃圾堆放, "三天"未清\n第二行')).toMatchObject({ 整改结果: '整改中', 责任单位: '城管科', 整改措施: '', 核查人: '' });
    expect(rows.get('华光路人行道又停车了')).toMatchObject({ 整改结果: '整改中', 是否反弹: '是' });
    expect(rows.get('西苑社区门口暴露垃圾')).toMatchObject({ '所属社区/网格': '西苑社区/第1网格' });
  });

  it('embeds the before and after photos in their cells, shrinking the full copy while the thumbnail job has not run', async () => {
    const { wb, ws } = await parseXlsx((await exportXlsx('office')).rawPayload);
    const closedRow = Number(rowsOf(ws).get('市级通报：华光路人行道停车')!.rowNumber);
    const images = ws.getImages();
    const atClosed = images.filter((img) => Math.floor(img.range.tl.nativeRow) === closedRow - 1);
    expect(atClosed.map((img) => img.range.tl.nativeCol).sort((a, b) => a - b)).toEqual([COL['整改前照片'] - 1, COL['整改后照片'] - 1]);
    const media = (wb.model as unknown as { media: { type: string; extension: string; buffer: Buffer }[] }).media;
    expect(media.length).toBe(images.length);
    for (const img of atClosed) {
      const m = wb.getImage(Number(img.imageId)) as unknown as { extension: string; buffer: Buffer };
      expect(m.extension).toBe('jpeg');
      const meta = await sharp(m.buffer).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(160);
    }
    expect(ws.getRow(closedRow).height).toBeGreaterThanOrEqual(60);
  });

  it('embeds the made thumbnails once the job has run, and leaves pictures out with photos=false', async () => {
    await new Worker(t.db.deps).tick();
    const { wb, ws } = await parseXlsx((await exportXlsx('office')).rawPayload);
    const closedRow = Number(rowsOf(ws).get('市级通报：华光路人行道停车')!.rowNumber);
    const atClosed = ws.getImages().filter((img) => Math.floor(img.range.tl.nativeRow) === closedRow - 1);
    expect(atClosed).toHaveLength(2);
    for (const img of atClosed) {
      const m = wb.getImage(Number(img.imageId)) as unknown as { buffer: Buffer };
      const meta = await sharp(m.buffer).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(320); // the thumbnail itself (THUMB_EDGE), shown smaller
    }
    const plain = await parseXlsx((await exportXlsx('office', '?photos=false')).rawPayload);
    expect(plain.ws.getImages()).toHaveLength(0);
    const closed = rowsOf(plain.ws).get('市级通报：华光路人行道停车')!;
    expect(closed).toMatchObject({ 整改前照片: '1张', 整改后照片: '1张' });
  });

  it.each([
    ['?status=挂账', ['老旧小区违建拆除需区里协调']],
    [`?status=${encodeURIComponent('已整改')}`, ['市级通报：华光路人行道停车']],
    ['?status=done,hung', ['市级通报：华光路人行道停车', '老旧小区违建拆除需区里协调']],
    ['?from=2026-10-01&to=2026-10-31', ['十月发现的问题']],
    ['?from=2026-11-01&to=2026-11-01', ['十一月一日凌晨发现']],
    ['?source=supervision', ['市级通报：华光路人行道停车']],
    ['?categoryCode=14', ['市级通报：华光路人行道停车', '华光路人行道又停车了']],
  ])('filters by %s', async (query, expected) => {
    const url = query.replace('挂账', encodeURIComponent('挂账'));
    const res = await exportXlsx('office', `${url}${url.includes('?') ? '&' : '?'}photos=false`);
    expect(res.statusCode).toBe(200);
    const { ws } = await parseXlsx(res.rawPayload);
    expect([...rowsOf(ws).keys()].sort()).toEqual([...expected].sort());
  });

  it('filters by community and unit', async () => {
    const byCommunity = rowsOf((await parseXlsx((await exportXlsx('office', `?communityId=${t.fx.communityB.id}`)).rawPayload)).ws);
    expect([...byCommunity.keys()]).toEqual(['西苑社区门口暴露垃圾']);
    const byUnit = rowsOf((await parseXlsx((await exportXlsx('office', `?unitId=${t.fx.dept.id}&photos=false`)).rawPayload)).ws);
    expect([...byUnit.keys()]).toEqual(['垃圾堆放, "三天"未清\n第二行']);
    const titled = (await parseXlsx((await exportXlsx('office', `?communityId=${t.fx.communityB.id}&from=2026-01-01`)).rawPayload)).ws;
    expect(String(titled.getCell('A1').value)).toMatch(/^测试街道西苑社区创城问题整改台账（2026-01-01 至 \d{4}-\d{2}-\d{2}）$/);
  });

  it('keeps each exporter to their scope', async () => {
    const commB = rowsOf((await parseXlsx((await exportXlsx('commB')).rawPayload)).ws);
    expect([...commB.keys()]).toEqual(['西苑社区门口暴露垃圾']);
    const unit = rowsOf((await parseXlsx((await exportXlsx('unit')).rawPayload)).ws);
    expect([...unit.keys()]).toEqual(['垃圾堆放, "三天"未清\n第二行']);
    const commA = rowsOf((await parseXlsx((await exportXlsx('commA')).rawPayload)).ws);
    expect(commA.has('西苑社区门口暴露垃圾')).toBe(false);
    expect(commA.has('市级通报：华光路人行道停车')).toBe(true);
    // Asking for another community's rows gives an empty ledger, not someone else's data.
    const asked = rowsOf((await parseXlsx((await exportXlsx('commB', `?communityId=${t.fx.communityA.id}`)).rawPayload)).ws);
    expect(asked.size).toBe(0);
  });

  it.each(['volunteer', 'patrol'])('refuses the ledger to %s', async (username) => {
    const res = await exportXlsx(username);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect((await (await t.as(username)).get('/api/v1/cases/export.csv')).statusCode).toBe(403);
  });

  it('answers 401 when not signed in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/cases/export.xlsx' });
    expect(res.statusCode).toBe(401);
  });

  it.each([
    ['?status=完成', 'status'],
    ['?status=closed', 'status'],
    ['?from=2026-13-01', 'from'],
    ['?from=2026-02-30', 'from'],
    ['?from=2026-11-02&to=2026-11-01', 'from'],
    ['?to=yesterday', 'to'],
    ['?source=rumour', 'source'],
    ['?categoryCode=9999', 'categoryCode'],
    ['?categoryCode=abc', 'categoryCode'],
    ['?communityId=0', 'communityId'],
    ['?communityId=abc', 'communityId'],
    ['?unitId=999999', 'unitId'],
    ['?photos=maybe', 'photos'],
  ])('rejects %s with 400 on %s', async (query, field) => {
    const url = query.replace('完成', encodeURIComponent('完成'));
    for (const ext of ['xlsx', 'csv']) {
      const res = await (await t.as('office')).get(`/api/v1/cases/export.${ext}${url}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
  });

  it('rejects a community filter that names something else than a community', async () => {
    const res = await exportXlsx('office', `?communityId=${t.fx.dept.id}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('communityId');
  });

  it('writes the CSV with a BOM, CRLF, RFC 4180 quoting and photo counts', async () => {
    const res = await (await t.as('office')).get('/api/v1/cases/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(res.headers['content-disposition']))![1])).toMatch(/^整改台账-\d{8}\.csv$/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [head, ...rows] = parseCsv(text);
    expect(head).toEqual(HEADERS);
    const byDescription = new Map(rows.map((r) => [r[COL['问题描述'] - 1], r]));
    expect(byDescription.has('垃圾堆放, "三天"未清\n第二行')).toBe(true);
    const closed = byDescription.get('市级通报：华光路人行道停车')!;
    expect(closed[COL['整改前照片'] - 1]).toBe('1');
    expect(closed[COL['整改后照片'] - 1]).toBe('1');
    expect(closed[COL['整改结果'] - 1]).toBe('已整改');
    expect(closed[COL['是否反弹'] - 1]).toBe('是');
    expect(rows.every((r) => r.length === HEADERS.length)).toBe(true);
    const scoped = parseCsv((await (await t.as('commB')).get('/api/v1/cases/export.csv')).rawPayload.subarray(3).toString('utf8'));
    expect(scoped.slice(1).map((r) => r[COL['问题描述'] - 1])).toEqual(['西苑社区门口暴露垃圾']);
  });

  it('records each export in the audit log', async () => {
    await (await t.as('commB')).get('/api/v1/cases/export.csv?status=done');
    const row = await t.db.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'ledger.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.actor_name).toBe('commB');
    expect(JSON.parse(row.detail!)).toMatchObject({ format: 'csv', results: ['已整改'], rows: 0 });
  });

  it('pages through cases in order of discovery without losing or repeating a row, and the workbook reads back', async () => {
    const actor = { user: { id: t.fx.users.office, username: 'office', displayName: '测试office', role: 'office' as const, orgId: t.fx.street.id, orgName: '测试街道', orgKind: 'street', orgPath: t.fx.street.path, locale: null, mustChangePassword: false }, ip: null, lang: 'zh-CN' as const };
    const req = await prepareLedger(t.db.deps, actor, {});
    const pages: number[][] = [];
    for await (const page of ledgerPages(t.db.deps, req, { photos: 'count', pageSize: 2 })) pages.push(page.map((r) => r.caseId));
    const flat = pages.flat();
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(flat).size).toBe(flat.length);
    const expected = await t.db.deps.db.selectFrom('cases').select('id').where('status', 'not in', ['reported', 'verifying', 'rejected', 'merged']).orderBy('created_at').orderBy('id').execute();
    expect(flat).toEqual(expected.map((r) => r.id));
    expect(flat.slice(0, 2)).toEqual([ids.october, ids.novemberFirst]);
    expect(flat).not.toContain(ids.reported);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeLedgerXlsx(out, ledgerPages(t.db.deps, req, { photos: 'embed', pageSize: 2 }), { title: 'T', subtitle: 'S', photos: true, config: t.db.deps.config, pace: async () => {} });
    const { ws } = await parseXlsx(Buffer.concat(chunks));
    expect([...rowsOf(ws).values()].map((r) => Number(r['序号']))).toEqual(flat.map((_, i) => i + 1));
    expect(ws.getImages().length).toBeGreaterThanOrEqual(2);
  });
});
