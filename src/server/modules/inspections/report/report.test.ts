// The 通报 generators on hand-built data (pure), then the two downloads of a plan inspected through the real API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseDate, chineseDeadline, chineseNumber, deltaPoints, deltaWords, percent, rankByRate, reportTitle, type ReportData, type ReportPhoto } from './data.js';
import { renderReportDocx } from './docx.js';
import { renderReportXlsx } from './xlsx.js';
import { sampleReportData } from './sample.js';
import { createTestApp, type TestApp } from '../../../../../tests/helpers/app.js';
import { TEST_PASSWORD } from '../../../../../tests/helpers/fixture.js';
import { seedBaseline } from '../../../db/seed/baseline.js';
import { nowIso } from '../../../db/database.js';
import { orgRepo } from '../../org/repo.js';
import { userRepo } from '../../users/repo.js';
import { hashPassword } from '../../auth/passwords.js';
import { makeThumbnails } from '../../photos/service.js';

const EMU_PER_CM = 360000;

/** A photo-like JPEG (a gradient with some texture), different for each seed. */
async function photo(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      raw[o] = (x * 255) / width;
      raw[o + 1] = (y * 255) / height;
      raw[o + 2] = (seed * 37 + ((x * y) % 29)) & 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

export async function readDocx(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  const media = Object.keys(zip.files).filter((n) => n.startsWith('word/media/') && !zip.files[n].dir);
  const footers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d+\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')));
  /** The document's text, paragraph by paragraph. */
  const text = xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');
  return { zip, xml, text, media, footers };
}

export async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  /** Rows below the header (row 3) of a sheet, as arrays of cell values. */
  const rows = (name: string) => {
    const out: unknown[][] = [];
    wb.getWorksheet(name)!.eachRow((row, n) => {
      if (n > 3) out.push(Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).value ?? null));
    });
    return out;
  };
  const header = (name: string) => (wb.getWorksheet(name)!.getRow(3).values as unknown[]).slice(1);
  return { wb, rows, header };
}

describe('通报 words and numbers', () => {
  it('writes numbers, dates and changes as a 通报 does', () => {
    expect([1, 4, 10, 12, 20, 35, 99].map(chineseNumber)).toEqual(['一', '四', '十', '十二', '二十', '三十五', '九十九']);
    expect(chineseNumber(100)).toBe('100');
    expect(chineseDate('2026-05-03')).toBe('2026年5月3日');
    expect(chineseDeadline('2026-05-14T09:30:00.000Z')).toBe('5月14日 17:30');
    expect(chineseDeadline('2026-05-14T17:30:00.000Z')).toBe('5月15日 01:30');
    expect(chineseDeadline(null)).toBe('');
    expect(percent(0.8754)).toBe('87.5%');
    expect(percent(null)).toBe('—');
    expect(deltaPoints(0.0321)).toBe('+3.2');
    expect(deltaPoints(-0.015)).toBe('−1.5');
    expect(deltaPoints(0.0001)).toBe('0.0');
    expect(deltaPoints(null)).toBe('—');
    expect(deltaWords(0.0321)).toBe('提高3.2个百分点');
    expect(deltaWords(-0.015)).toBe('下降1.5个百分点');
    expect(deltaWords(0)).toBe('持平');
    expect(reportTitle({ plan: { title: '2026年5月模拟测评' } } as ReportData)).toBe('关于2026年5月模拟测评情况的通报');
    expect(reportTitle({ plan: { title: '关于5月督查的通报' } } as ReportData)).toBe('关于5月督查的通报');
  });

  it('ranks best first, equal shown rates share a rank, unscored rows last without one', () => {
    const r = (rate: number | null) => ({ rate: { earned: 0, possible: 0, rate } });
    const ranked = rankByRate([
      { n: 'a', ...r(0.8) },
      { n: 'b', ...r(null) },
      { n: 'c', ...r(0.9) },
      { n: 'd', ...r(0.80004) },
      { n: 'e', ...r(0.7) },
    ]);
    expect(ranked.map((x) => [x.n, x.rank])).toEqual([
      ['c', 1],
      ['d', 2],
      ['a', 2],
      ['e', 4],
      ['b', null],
    ]);
  });
});

describe('通报 generators on hand-built data', () => {
  let dir: string;
  let photos: ReportPhoto[][];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wenming-report-'));
    photos = [];
    for (let i = 0; i < 6; i++) {
      const path = join(dir, `${i}-thumb.jpg`);
      writeFileSync(path, await photo(i === 2 ? 240 : 320, i === 2 ? 320 : 240, i));
      photos.push([{ path, fallback: false }]);
    }
    // A full copy standing in for a thumbnail not made yet: shrunk before it goes in.
    const full = join(dir, 'big-full.jpg');
    writeFileSync(full, await photo(2048, 1536, 99));
    photos[3] = [{ path: full, fallback: true }];
    // Two pictures for one problem; a third file that does not exist.
    photos[4] = [photos[4][0], photos[5][0], { path: join(dir, 'missing-thumb.jpg'), fallback: false }];
    photos[5] = [{ path: join(dir, 'missing-thumb.jpg'), fallback: false }];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('.docx: masthead, 发文 line, title, sections, score table, problems with their pictures, deadlines, page numbers', async () => {
    const data = sampleReportData({ problems: 6, photos });
    const doc = await readDocx(await renderReportDocx(data));
    const { text, xml } = doc;
    expect(text).toContain('创建文明城市工作通报');
    expect(text).toContain('测试街道创建文明城市工作办公室\t2026年5月13日');
    expect(text).toContain('关于2026年5月模拟测评情况的通报');
    for (const h of ['一、总体情况', '二、得分情况', '三、存在问题', '四、整改要求', '（一）各社区得分及排名', '（三）失分较多的测评项']) expect(text).toContain(h);
    expect(text).toContain('总体得分率85.3%，较上次（2026年4月模拟测评，84.0%）提高1.3个百分点');
    expect(text).toContain('共发现问题6个，其中现场整改1个，立案5件');
    // The community table: rank, name, rate, change, in rank order.
    const table = text.slice(text.indexOf('（一）各社区得分及排名'), text.indexOf('（二）各类点位得分情况'));
    expect(table.split('\n').filter(Boolean)).toEqual(['（一）各社区得分及排名', '排名', '社区', '测评点位', '发现问题', '得分率', '较上次（百分点）', '1', '东风社区', '12', '2', '90.0%', '+5.0', '2', '西苑社区', '11', '2', '85.3%', '+1.3', '3', '南湖社区', '10', '2', '80.5%', '−2.5']);
    for (const p of data.problems) {
      expect(text).toContain(p.description);
      expect(text).toContain(`测评项${p.itemCode}“${p.itemText}”不达标`);
    }
    expect(text).toContain('已立案（案件编号：AJ2026051200001），责任单位：东风社区居委会，整改时限：5月14日 17:30，当前状态：已派遣。');
    expect(text).toContain('两家商户店外经营。已现场整改。');
    // Deadlines table, soonest first.
    const deadlines = text.slice(text.indexOf('各案件整改时限如下'));
    expect(deadlines.indexOf('AJ2026051200001')).toBeLessThan(deadlines.indexOf('AJ2026051200004'));
    // Pictures, by community: 东风 problems 1 and 4 (4 with the shrunk full copy), 西苑 2 (portrait) and 5 (two of
    // its three), 南湖 3, and none for 6, whose file is missing.
    expect(doc.media).toHaveLength(6);
    expect(text).toContain('图4 广场公园1号点位 无占道经营、店外经营（共3张）');
    expect(text).toContain('图5 主次干道1号点位');
    expect(text).not.toContain('图6');
    const extents = [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((m) => [Number(m[1]) / EMU_PER_CM, Number(m[2]) / EMU_PER_CM]);
    expect(extents).toHaveLength(6);
    expect(extents[0][0]).toBeCloseTo(8, 1);
    expect(extents[0][1]).toBeCloseTo(6, 1);
    expect(extents[2][0]).toBeCloseTo(8, 1);
    // Two side by side, a little narrower.
    expect(extents[3][0]).toBeCloseTo(7.4, 1);
    expect(extents[4][0]).toBeCloseTo(7.4, 1);
    // The portrait picture (problem 3, 南湖社区) keeps its shape and stays within 10 cm.
    expect(extents[5][0]).toBeCloseTo(7.5, 1);
    expect(extents[5][1]).toBeCloseTo(10, 1);
    const widths = await Promise.all(doc.media.map(async (m) => (await sharp(await doc.zip.file(m)!.async('nodebuffer')).metadata()).width));
    expect(widths.sort()).toEqual([240, 320, 320, 320, 320, 640]);
    // Fonts and sizes of the official style; page numbers on odd (right) and even (left) pages.
    expect(xml).toMatch(/w:eastAsia="宋体"[^>]*\/>(<[^>]+>)*<w:sz w:val="44"\/>/);
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(doc.footers).toHaveLength(2);
    for (const f of doc.footers) expect(f).toMatch(/PAGE/);
    expect(await doc.zip.file('word/settings.xml')!.async('string')).toContain('w:evenAndOddHeaders');
  });

  it('.docx: a plan without problems or previous plan still reads well', async () => {
    const data = sampleReportData({ problems: 0, previous: false });
    const doc = await readDocx(await renderReportDocx(data));
    expect(doc.text).toContain('本次测评未发现问题。');
    expect(doc.text).toContain('未有需立案整改的问题');
    expect(doc.text).not.toContain('较上次（2026');
    expect(doc.media).toHaveLength(0);
  });

  it('.docx: deadlines as the case stands — before dispatch, on the backlog, closed', async () => {
    const data = sampleReportData({ problems: 4 });
    Object.assign(data.problems[0], { status: 'reported', statusLabel: '已上报', deadline: null, unitName: null });
    Object.assign(data.problems[1], { status: 'hung', statusLabel: '挂账', deadline: null });
    Object.assign(data.problems[2], { status: 'closed', statusLabel: '已结案' });
    // A control character typed into a note is dropped, not passed on to break the document.
    data.problems[3].description = '垃圾\u0001桶满溢\u001f';
    const { text } = await readDocx(await renderReportDocx(data));
    expect(text).toContain('垃圾桶满溢');
    const book = await readXlsx(await renderReportXlsx(data));
    expect(book.rows('问题')[3][6]).toBe('垃圾桶满溢');
    expect(text).toContain('已立案（案件编号：AJ2026051200001），整改时限待派遣后确定，当前状态：已上报。');
    expect(text).toContain('已立案（案件编号：AJ2026051200002），责任单位：城管科，当前状态：挂账。');
    expect(text).toContain('已立案4件，其中已整改结案1件。');
    const table = text.slice(text.indexOf('各案件整改时限如下'));
    expect(table).toContain('AJ2026051200001\n农贸市场1号点位：公益广告数量不少于5处\n待派遣\n待派遣\n已上报');
    expect(table).toContain('AJ2026051200002\n居民小区1号点位：无乱贴乱画、小广告\n城管科\n—\n挂账');
  });

  it('.xlsx: four sheets with titled, frozen, filtered headers; numbers as numbers; problem photos embedded', async () => {
    const data = sampleReportData({ problems: 6, photos });
    const { wb, rows, header } = await readXlsx(await renderReportXlsx(data));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '点位', '问题', '测评项']);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      expect(ws.getCell('A1').value).toContain('2026年5月模拟测评');
      expect(ws.autoFilter).toBeTruthy();
    }
    expect(header('汇总')).toEqual(['排名', '社区', '测评点位', '发现问题', '得分', '应得分', '得分率', '上次得分率', '较上次（百分点）']);
    const summary = rows('汇总');
    expect(summary.map((r) => r[1])).toEqual(['东风社区', '西苑社区', '南湖社区', '合计']);
    expect(summary[0][0]).toBe(1);
    expect(summary[0][6]).toBeCloseTo(0.9, 6);
    expect(wb.getWorksheet('汇总')!.getCell('G4').numFmt).toBe('0.0%');
    expect(summary[0][8]).toBe(5);
    expect(summary[3][3]).toBe(6);

    expect(header('问题')).toEqual(['序号', '社区', '点位', '点位类型', '测评项编号', '测评项', '问题描述', '照片', '现场整改', '案件编号', '责任单位', '整改时限', '状态']);
    const problems = rows('问题');
    expect(problems).toHaveLength(6);
    expect(problems[0]).toEqual([1, '东风社区', '农贸市场1号点位', '农贸市场', '3.2.1', '公益广告数量不少于5处', '入口处公益广告仅2处，少3处', null, '否', 'AJ2026051200001', '东风社区居委会', '5月14日 17:30', '已派遣']);
    expect(problems[4].slice(7, 10)).toEqual(['共3张', '是', null]);
    // Problems 1–5 have a readable first photo; problem 6's file is missing, so its cell keeps the count.
    expect(wb.getWorksheet('问题')!.getImages()).toHaveLength(5);
    expect(problems[5][7]).toBe('1张');

    expect(rows('点位')).toHaveLength(12);
    const items = rows('测评项');
    expect(items).toHaveLength(7);
    expect(items[0].slice(1, 6)).toEqual(['3.2.1', '公益广告数量不少于5处', '公共环境 / 市容市貌 / 环境卫生', 20, 7]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Through the real API, on the database under test

interface KitItem {
  code: string;
  text: string;
  rule: { kind: 'pass_fail' | 'per_missing' | 'per_occurrence'; required?: number };
}

/** An observation that passes, or fails (fully fixed on the spot when `fixed`). */
function observe(item: KitItem, outcome: 'pass' | 'fail' | 'fixed') {
  const r = item.rule;
  if (outcome === 'pass') return r.kind === 'pass_fail' ? { passed: true } : r.kind === 'per_missing' ? { count: r.required } : { occurrences: 0 };
  const failures = r.kind === 'per_occurrence' ? 2 : 1;
  const obs = r.kind === 'pass_fail' ? { passed: false } : r.kind === 'per_missing' ? { count: r.required! - 1 } : { occurrences: 2 };
  return outcome === 'fixed' ? { ...obs, fixedOnSpot: failures } : obs;
}

function multipartPhoto(data: Buffer, filename: string) {
  const boundary = `----wenmingreport${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('通报 downloads of an inspected plan', () => {
  let t: TestApp;
  const points: Record<string, number> = {};
  let firstPlan: number;
  let plan: number;
  let photoCount = 0;
  let problemTexts: string[] = [];
  let dispatchedCase: number;

  async function ok(res: { statusCode: number; body: string; json(): unknown }, what: string) {
    expect(res.statusCode, `${what}: ${res.body}`).toBe(200);
    return res.json() as Record<string, unknown> & { id: number; version: number };
  }

  async function upload(seed: number, thumbnail: boolean): Promise<number> {
    const m = multipartPhoto(await photo(640, 480, seed), `p${seed}.jpg`);
    const res = await (await t.as('inspector')).post('/api/v1/photos?purpose=inspection', m.body, m.headers);
    const body = (await ok(res, 'upload')) as { id: number; items?: { id: number }[] };
    const id = body.items?.[0]?.id ?? body.id;
    if (thumbnail) await makeThumbnails(t.db.deps, id);
    photoCount++;
    return id;
  }

  /** A plan over all four points, inspected: `fail` says which item index fails at which point (by name). */
  async function inspectPlan(title: string, fail: Record<string, { index: number; outcome: 'fail' | 'fixed'; photos: number }[]>, startsOn: string) {
    const office = await t.as('office');
    let p = await ok(await office.post('/api/v1/inspections/plans', { title, kind: 'mock', startsOn, endsOn: startsOn, inspectorIds: [t.fx.users.inspector] }), 'create plan');
    p = await ok(await office.post(`/api/v1/inspections/plans/${p.id}/points`, { version: p.version, pointIds: Object.values(points) }), 'points');
    p = await ok(await office.post(`/api/v1/inspections/plans/${p.id}/transitions`, { version: p.version, action: 'activate' }), 'activate');
    const inspector = await t.as('inspector');
    const kit = (await ok(await inspector.get(`/api/v1/inspections/plans/${p.id}/kit`), 'kit')) as unknown as {
      points: { id: number; name: string; typeCode: string; lat: number; lng: number }[];
      checklists: Record<string, KitItem[]>;
    };
    const results = [];
    for (const pt of kit.points) {
      const list = kit.checklists[pt.typeCode];
      const failing = fail[pt.name] ?? [];
      const items = [];
      for (let i = 0; i < list.length; i++) {
        const f = failing.find((x) => x.index === i);
        const photoIds = [];
        for (let k = 0; k < (f?.photos ?? 0); k++) photoIds.push(await upload(photoCount + 1, photoCount % 3 !== 2));
        items.push({ code: list[i].code, ...observe(list[i], f?.outcome ?? 'pass'), ...(f ? { note: `${pt.name}第${i + 1}项问题`, photoIds } : {}) });
        if (f) problemTexts.push(list[i].text);
      }
      results.push({
        idempotencyKey: `report-${p.id}-${pt.id}-key`,
        planId: p.id,
        pointId: pt.id,
        checkin: { lat: pt.lat, lng: pt.lng, at: new Date().toISOString() },
        inspectedAt: new Date().toISOString(),
        items,
      });
    }
    const sync = (await ok(await inspector.post('/api/v1/inspections/sync', { results }), 'sync')) as unknown as { outcomes: { status: string; message?: string }[] };
    expect(sync.outcomes.map((o) => o.status), JSON.stringify(sync.outcomes)).toEqual(results.map(() => 'created'));
    return p.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedBaseline(t.db.deps.db);
    const office = await t.as('office');
    const add = async (name: string, typeCode: string, lng: number) => {
      const geometry =
        typeCode === 'market'
          ? { type: 'Polygon', coordinates: [[[lng, 36.802], [lng + 0.002, 36.802], [lng + 0.002, 36.804], [lng, 36.804], [lng, 36.802]]] }
          : { type: 'Point', coordinates: [lng, 36.805] };
      const res = await office.post('/api/v1/points', { name, typeCode, geometry, address: `${name}门口` });
      points[name] = (await ok(res, `point ${name}`)).id;
    };
    await add('东风公交站', 'bus_stop', 118.01);
    await add('东风农贸市场', 'market', 118.005);
    await add('西苑公交站', 'bus_stop', 118.03);
    await add('西苑农贸市场', 'market', 118.025);

    // An earlier mock test, closed: the report of the next one compares with it.
    firstPlan = await inspectPlan('2026年4月模拟测评', { 东风公交站: [{ index: 0, outcome: 'fail', photos: 0 }, { index: 1, outcome: 'fail', photos: 0 }], 西苑公交站: [{ index: 0, outcome: 'fail', photos: 0 }] }, '2026-04-10');
    const office2 = await t.as('office');
    const p1 = await ok(await office2.get(`/api/v1/inspections/plans/${firstPlan}`), 'plan');
    await ok(await office2.post(`/api/v1/inspections/plans/${firstPlan}/transitions`, { version: p1.version, action: 'close' }), 'close');
    problemTexts = [];
    photoCount = 0;
    plan = await inspectPlan(
      '2026年5月模拟测评',
      {
        东风公交站: [{ index: 0, outcome: 'fail', photos: 2 }],
        东风农贸市场: [{ index: 1, outcome: 'fixed', photos: 1 }],
        西苑公交站: [{ index: 0, outcome: 'fail', photos: 1 }, { index: 2, outcome: 'fail', photos: 1 }],
      },
      '2026-05-10',
    );
    // The dispatcher sends the case of the 东风公交站 problem to 城管科: it gets its unit and deadline.
    const dongfeng = await t.db.deps.db
      .selectFrom('cases')
      .select('id')
      .where('source', '=', 'inspection')
      .where('point_id', '=', points['东风公交站'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    dispatchedCase = dongfeng.id;
    const dispatcher = await t.as('dispatcher');
    for (const [action, extra] of [['file', {}], ['dispatch', { unitId: t.fx.dept.id }]] as const) {
      const current = (await dispatcher.get(`/api/v1/cases/${dongfeng.id}`)).json();
      await ok(await dispatcher.post(`/api/v1/cases/${dongfeng.id}/transitions`, { action, version: current.version, ...extra }), action);
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('.docx: the plan, the communities ranked, every problem with its photos, its case and deadline', async () => {
    const res = await (await t.as('office')).get(`/api/v1/inspections/plans/${plan}/report.docx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="inspection-JC-\d{4}-\d{4}\.docx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toMatch(/^JC-\d{4}-\d{4} 关于2026年5月模拟测评情况的通报\.docx$/);

    const doc = await readDocx(res.rawPayload);
    expect(doc.text).toContain('关于2026年5月模拟测评情况的通报');
    expect(doc.text).toContain('测试街道创建文明城市工作办公室');
    expect(doc.text).toContain('2026年5月10日，街道创建文明城市工作办公室依据《');
    expect(doc.text).toContain('对辖区2个社区的4个点位开展了“2026年5月模拟测评”');
    expect(doc.text).toContain('共发现问题4个，其中现场整改1个，立案3件');
    expect(doc.text).toMatch(/较上次（2026年4月模拟测评，[\d.]+%）(提高|下降)[\d.]+个百分点|较上次（2026年4月模拟测评，[\d.]+%）持平/);
    const table = doc.text.slice(doc.text.indexOf('（一）各社区得分及排名'), doc.text.indexOf('（二）'));
    // Both communities earned 95 of 98 (a tie): listed in community order.
    expect(table.indexOf('东风社区')).toBeGreaterThan(0);
    expect(table.indexOf('东风社区')).toBeLessThan(table.indexOf('西苑社区'));
    for (const text of problemTexts) expect(doc.text).toContain(`“${text}”不达标`);
    expect(doc.text).toContain('东风公交站第1项问题');
    expect(doc.text).toContain('已现场整改。');
    // Three cases, each with its number, unit and deadline in 四、整改要求.
    const cases = await t.db.deps.db.selectFrom('cases').select(['case_no']).where('source', '=', 'inspection').execute();
    const required = doc.text.slice(doc.text.indexOf('四、整改要求'));
    const ours = cases.filter((c) => required.includes(c.case_no));
    expect(ours).toHaveLength(3);
    // The dispatched one with its unit and deadline (Beijing time), the others still waiting for dispatch.
    const c = await t.db.deps.db.selectFrom('cases').select(['case_no', 'deadline']).where('id', '=', dispatchedCase).executeTakeFirstOrThrow();
    expect(c.deadline).toBeTruthy();
    expect(doc.text).toContain(`已立案（案件编号：${c.case_no}），责任单位：城管科，整改时限：${chineseDeadline(c.deadline)}，当前状态：已派遣。`);
    expect(doc.text).toContain('整改时限待派遣后确定，当前状态：已上报。');
    const deadlineRows = required.slice(required.indexOf('序号'));
    expect(deadlineRows.indexOf(c.case_no)).toBeLessThan(Math.min(...ours.filter((o) => o.case_no !== c.case_no).map((o) => deadlineRows.indexOf(o.case_no))));
    // Five photos, all embedded (two of the 东风公交站 problem side by side); one was a full copy standing in.
    expect(doc.media).toHaveLength(5);
  });

  it('.xlsx: 汇总, 点位, 问题 and 测评项 with the plan\'s rows', async () => {
    const res = await (await t.as('leader')).get(`/api/v1/inspections/plans/${plan}/report.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1])).toMatch(/关于2026年5月模拟测评情况的通报（数据）\.xlsx$/);
    const { wb, rows } = await readXlsx(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '点位', '问题', '测评项']);
    const summary = rows('汇总');
    expect(summary.map((r) => r[1])).toEqual(['东风社区', '西苑社区', '合计']);
    // Both communities earned 95 of 98: a tie shares rank 1 (competition ranking), listed in community order.
    expect(summary.map((r) => r[0])).toEqual([1, 1, null]);
    expect(summary[2][3]).toBe(4);
    // Both plans have results in both communities: the change since April is there.
    expect(typeof summary[0][8]).toBe('number');
    expect(rows('点位').map((r) => r[2]).sort()).toEqual(['东风公交站', '东风农贸市场', '西苑公交站', '西苑农贸市场']);
    const problems = rows('问题');
    expect(problems).toHaveLength(4);
    expect(problems.map((r) => r[5]).sort()).toEqual([...problemTexts].sort());
    const withCase = problems.filter((r) => r[9]);
    expect(withCase).toHaveLength(3);
    for (const r of withCase) {
      expect(String(r[9])).toMatch(/\S/);
      expect(r[12]).toBeTruthy();
    }
    const dispatched = await t.db.deps.db.selectFrom('cases').select(['case_no', 'deadline']).where('id', '=', dispatchedCase).executeTakeFirstOrThrow();
    expect(problems.find((r) => r[9] === dispatched.case_no)!.slice(10)).toEqual(['城管科', chineseDeadline(dispatched.deadline), '已派遣']);
    const fixed = problems.find((r) => r[8] === '是')!;
    expect(fixed[12]).toBe('现场整改');
    expect(wb.getWorksheet('问题')!.getImages()).toHaveLength(4);
    expect(rows('测评项').length).toBeGreaterThan(3);
  });

  it('the first plan\'s report has no comparison; unknown plans and bad ids are refused cleanly', async () => {
    const office = await t.as('office');
    const first = await readDocx((await office.get(`/api/v1/inspections/plans/${firstPlan}/report.docx`)).rawPayload);
    expect(first.text).toContain('关于2026年4月模拟测评情况的通报');
    expect(first.text).not.toContain('较上次（2026');
    expect((await office.get('/api/v1/inspections/plans/999999/report.docx')).statusCode).toBe(404);
    expect((await office.get('/api/v1/inspections/plans/999999/report.xlsx')).statusCode).toBe(404);
    const bad = await office.get('/api/v1/inspections/plans/abc/report.docx');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('scope: outside the plan\'s street it does not exist; roles without inspection.read are refused', async () => {
    // A campaign office of another street reads inspections, but not this street's plan.
    const other = await orgRepo.insert(t.db.deps.db, { parentId: t.fx.district.id, parentPath: t.fx.district.path, kind: 'street', name: '另一街道', code: '370303013', geometry: null, bbox: null, now: nowIso() });
    await userRepo.insert(t.db.deps.db, { username: 'officeOther', displayName: '另一街道创城办', role: 'office', orgId: other.id, passwordHash: await hashPassword(TEST_PASSWORD), now: nowIso() });
    const outsider = await t.as('officeOther');
    for (const ext of ['docx', 'xlsx']) {
      const res = await outsider.get(`/api/v1/inspections/plans/${plan}/report.${ext}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    // Community officers (责任单位 of a community) and volunteers do not read inspections at all.
    for (const username of ['commB', 'commA', 'volunteer', 'unit']) {
      const res = await (await t.as(username)).get(`/api/v1/inspections/plans/${plan}/report.docx`);
      expect(res.statusCode, username).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    // Street readers in scope may: the citizen patrol and the dispatcher too.
    for (const username of ['patrol', 'dispatcher', 'inspector']) expect((await (await t.as(username)).get(`/api/v1/inspections/plans/${plan}/report.xlsx`)).statusCode, username).toBe(200);
  });
});
