import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import exifr from 'exifr';
import JSZip from 'jszip';
import { Document, Packer, Paragraph } from 'docx';
import { createTestApp, type Client, type TestApp } from '../../../../tests/helpers/app.js';
import { xlsx } from '../../../../tests/helpers/upload.js';
import { seedBaseline } from '../../db/seed/baseline.js';
import { STANDARD_SEED_ITEMS } from '../../../core/standards/index.js';
import { coverageCounts, defaultPeriod, isValidPeriod, statusAfterFilesChange } from '../../../core/evidence.js';
import { jpegWithGps, plainJpeg } from '../photos/test-images.js';
import { downloadName, sniffEvidence, zipEntries } from './filetype.js';
import { contentDisposition } from '../../http/disposition.js';
import { minimalPdf } from './pdf.js';

let t: TestApp;
let office: Client;
let commA: Client;
let commB: Client;
let docItems: { id: number; code: string }[];
let fieldItemId: number;
const PERIOD = '2026';

const DOC_CODES = STANDARD_SEED_ITEMS.filter((i) => i.methods.includes('document')).map((i) => i.code);

beforeAll(async () => {
  t = await createTestApp();
  await seedBaseline(t.db.deps.db);
  [office, commA, commB] = await Promise.all([t.as('office'), t.as('commA'), t.as('commB')]);
  const tree = (await office.get('/api/v1/standards/current')).json() as { items: { id: number; code: string; methods: string[] }[] };
  docItems = tree.items.filter((i) => i.methods.includes('document'));
  fieldItemId = tree.items.find((i) => !i.methods.includes('document'))!.id;
});
afterAll(async () => t?.close());

function form(files: { data: Buffer; name: string; type?: string }[]) {
  const boundary = '----evidence' + Math.random().toString(16).slice(2);
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
    f.data,
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(c: Client, itemId: number, orgId: number, files: { data: Buffer; name: string; type?: string }[], period = PERIOD) {
  const { body, headers } = form(files);
  return c.post(`/api/v1/evidence/uploads?itemId=${itemId}&orgId=${orgId}&period=${encodeURIComponent(period)}`, body, headers);
}

const item = (code: string) => docItems.find((i) => i.code === code)!;
const pdf = (label: string) => minimalPdf(['Wenming evidence', label]);
const count = async (table: 'evidence_submissions' | 'evidence_files' | 'evidence_events') =>
  Number((await t.db.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function docx(text: string): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(text)] }] }));
}

describe('pure rules', () => {
  it('writes a PDF whose cross-reference offsets point at its objects', () => {
    const buf = minimalPdf(['Title', 'a line with (parens) and 中文']);
    const s = buf.toString('latin1');
    expect(s.startsWith('%PDF-1.4')).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(s)![1]);
    expect(s.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...s.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((o, i) => expect(s.slice(o, o + 8)).toBe(`${i + 1} 0 obj\n`));
    expect(sniffEvidence(buf)).toEqual({ kind: 'pdf' });
  });

  it('decides the kind from the bytes', async () => {
    expect(sniffEvidence(await plainJpeg())).toEqual({ kind: 'jpeg' });
    expect(sniffEvidence(await docx('x'))).toEqual({ kind: 'docx' });
    expect(sniffEvidence(await xlsx([['a'], [1]]))).toEqual({ kind: 'xlsx' });
    const refused = (data: Buffer) => {
      const r = sniffEvidence(data);
      return 'detected' in r ? r.detected : r.kind;
    };
    expect(refused(Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]))).toBe('executable');
    expect(refused(Buffer.from('\x7fELF\x02\x01\x01', 'latin1'))).toBe('executable');
    expect(refused(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe('legacy-office');
    expect(refused(Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n'))).toBe('pdf'); // truncated: no %%EOF
    expect(refused(Buffer.from('<html><body>hi</body></html>'))).toBe('unknown');
    expect(refused(Buffer.alloc(0))).toBe('empty');
    const zip = new JSZip();
    zip.file('a.txt', 'hello');
    expect(refused(await zip.generateAsync({ type: 'nodebuffer' }))).toBe('archive');
    const macro = await JSZip.loadAsync(await xlsx([['a']]));
    macro.file('xl/vbaProject.bin', Buffer.from('vba'));
    expect(refused(await macro.generateAsync({ type: 'nodebuffer' }))).toBe('macro');
    const pptx = new JSZip();
    pptx.file('[Content_Types].xml', '<Types/>');
    pptx.file('ppt/presentation.xml', '<p/>');
    expect(refused(await pptx.generateAsync({ type: 'nodebuffer' }))).toBe('pptx');
    const whole = await docx('cut me');
    expect(refused(whole.subarray(0, whole.length - 30))).toBe('archive');
    expect(zipEntries(whole)!.names).toContain('word/document.xml');
  });

  it('names downloads by their real kind and encodes them for Content-Disposition', () => {
    expect(downloadName('通知.jpg', 'pdf')).toBe('通知.pdf');
    expect(downloadName('照片.PNG', 'png')).toBe('照片.jpg');
    expect(downloadName('scan.jpeg', 'jpeg')).toBe('scan.jpeg');
    expect(downloadName('台账.xlsx', 'xlsx')).toBe('台账.xlsx');
    expect(downloadName('noext', 'docx')).toBe('noext.docx');
    expect(contentDisposition('责任清单 (1).pdf')).toBe(`attachment; filename="____ (1).pdf"; filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E6%B8%85%E5%8D%95%20%281%29.pdf`);
  });

  it('counts coverage and checks periods', () => {
    expect(coverageCounts(['none', 'pending', 'meets', 'fails', 'meets', 'none'])).toEqual({ total: 6, none: 2, pending: 1, meets: 2, fails: 1, submittedPercent: 66.7, metPercent: 33.3 });
    expect(coverageCounts([])).toMatchObject({ total: 0, submittedPercent: 0, metPercent: 0 });
    expect(statusAfterFilesChange(0)).toBe('none');
    expect(statusAfterFilesChange(2)).toBe('pending');
    expect(['2026', '2026年上半年', '2026 复审', 'H1-2026'].every(isValidPeriod)).toBe(true);
    expect(['', ' 2026', '2026 ', '../x', 'a'.repeat(41), '2026;drop'].some(isValidPeriod)).toBe(false);
    expect(defaultPeriod(new Date('2025-12-31T17:00:00Z'))).toBe('2026'); // already 2026 in China
  });
});

describe('upload by content', () => {
  it('lists the five 材料审核 items of the seed standard, all lacking evidence at first', async () => {
    expect(docItems.map((i) => i.code)).toEqual(DOC_CODES);
    const res = await commA.get(`/api/v1/evidence/coverage?period=${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    const cov = res.json();
    expect(cov.org).toMatchObject({ id: t.fx.communityA.id, kind: 'community' });
    expect(cov.counts).toEqual({ total: DOC_CODES.length, none: DOC_CODES.length, pending: 0, meets: 0, fails: 0, submittedPercent: 0, metPercent: 0 });
    expect(cov.rows.map((r: { code: string }) => r.code)).toEqual(DOC_CODES);
    // The tree above the items, for grouping: 4 → 4.2 → 4.2.1 and the market's 3 → 3.1 → 3.1.1.
    expect(cov.nodes.map((n: { code: string }) => n.code)).toEqual(expect.arrayContaining(['3', '3.1', '3.1.1', '4', '4.2', '4.2.1']));
  });

  it('accepts a PDF named .jpg as a PDF, records its SHA-256 and serves it as .pdf', async () => {
    const data = pdf('4.2.1-1 commA');
    const res = await upload(commA, item('4.2.1-1').id, t.fx.communityA.id, [{ data, name: '责任清单.jpg', type: 'image/jpeg' }]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.submission).toMatchObject({ itemCode: '4.2.1-1', orgId: t.fx.communityA.id, period: PERIOD, status: 'pending', fileCount: 1, version: 2 });
    expect(body.files[0]).toMatchObject({ kind: 'pdf', name: '责任清单.jpg', downloadName: '责任清单.pdf', bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(body.events[0]).toMatchObject({ action: 'upload', fromStatus: 'none', toStatus: 'pending' });
    const dl = await commA.get(body.files[0].url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('责任清单.pdf')}`);
    expect(Buffer.compare(dl.rawPayload, data)).toBe(0);
    const inline = await commA.get(`${body.files[0].url}?inline=true`);
    expect(inline.headers['content-disposition']).toMatch(/^inline; /);
  });

  it('refuses an .exe renamed .pdf with UNSUPPORTED_FILE and stores nothing', async () => {
    const before = await Promise.all([count('evidence_submissions'), count('evidence_files'), count('evidence_events')]);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 7)]);
    const res = await upload(commA, item('4.2.1-2').id, t.fx.communityA.id, [{ data: pdf('ok'), name: 'ok.pdf' }, { data: exe, name: '台账.pdf', type: 'application/pdf' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_FILE', details: { detected: 'executable', file: '台账.pdf', index: 1 } });
    expect(res.json().message).toMatch(/不支持的文件类型/);
    expect(await Promise.all([count('evidence_submissions'), count('evidence_files'), count('evidence_events')])).toEqual(before);
  });

  it('accepts .docx and .xlsx, strips EXIF from images, skips a file it already has', async () => {
    const photo = await jpegWithGps();
    expect((await exifr.gps(photo))?.latitude).toBeGreaterThan(36);
    const res = await upload(commA, item('4.2.1-3').id, t.fx.communityA.id, [
      { data: await docx('考核办法'), name: '考核办法.docx' },
      { data: await xlsx([['月份', '通报'], ['1月', '已通报']]), name: '通报.xlsx' },
      { data: photo, name: 'IMG_0001.JPG' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.files.map((f: { kind: string }) => f.kind)).toEqual(['docx', 'xlsx', 'jpeg']);
    const img = body.files[2];
    const served = await commA.get(img.url);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.length).toBe(img.servedBytes);
    expect(await exifr.gps(served.rawPayload).catch(() => undefined)).toBeUndefined();
    expect(await exifr.parse(served.rawPayload).catch(() => undefined)).toBeUndefined();
    expect(img.sha256).toBe(createHash('sha256').update(photo).digest('hex'));

    const again = await upload(commA, item('4.2.1-3').id, t.fx.communityA.id, [{ data: photo, name: 'copy.jpg' }]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ added: 0, duplicates: ['copy.jpg'], submission: { fileCount: 3, version: body.submission.version } });
  });

  it('answers 413 over the configured size and stores nothing', async () => {
    const config = t.db.deps.config;
    const saved = config.evidenceMaxBytes;
    config.evidenceMaxBytes = 4096;
    try {
      const before = await count('evidence_files');
      const big = minimalPdf(Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(100)}`));
      expect(big.length).toBeGreaterThan(4096);
      const res = await upload(commA, item('4.2.1-4').id, t.fx.communityA.id, [{ data: big, name: 'big.pdf' }]);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'FILE_TOO_LARGE', details: { maxBytes: 4096 } });
      expect(await count('evidence_files')).toBe(before);
    } finally {
      config.evidenceMaxBytes = saved;
    }
  });

  it('takes files over the global 10 MB multipart limit up to its own (20 MB by default)', async () => {
    expect(t.db.deps.config.evidenceMaxBytes).toBe(20 * 1024 * 1024);
    const head = pdf('large scan');
    const big = Buffer.concat([head.subarray(0, head.length - 6), Buffer.alloc(12 * 1024 * 1024, 0x20), Buffer.from('%%EOF\n')]);
    const res = await upload(office, item('4.2.1-4').id, t.fx.street.id, [{ data: big, name: '扫描件.pdf' }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().files[0]).toMatchObject({ kind: 'pdf', bytes: big.length });
  });

  it.each([
    ['an item that is not 材料审核', () => `itemId=${fieldItemId}&orgId=${t.fx.communityA.id}`, 400, 'itemId'],
    ['a bad period', () => `itemId=${item('4.2.1-1').id}&orgId=${t.fx.communityA.id}&period=${encodeURIComponent('../x')}`, 400, 'period'],
    ['a grid (not a street or community)', () => `itemId=${item('4.2.1-1').id}&orgId=${t.fx.gridA1.id}`, 404, undefined],
    ['a missing org id', () => `itemId=${item('4.2.1-1').id}`, 400, 'orgId'],
  ])('refuses %s', async (_, query, status, field) => {
    const { body, headers } = form([{ data: pdf('x'), name: 'x.pdf' }]);
    const res = await commA.post(`/api/v1/evidence/uploads?${query()}`, body, headers);
    expect(res.statusCode, res.body).toBe(status);
    if (field) expect(res.json().field).toBe(field);
  });

  it('refuses a JSON body and an upload without a file with clear codes', async () => {
    const json = await commA.post(`/api/v1/evidence/uploads?itemId=${item('4.2.1-1').id}&orgId=${t.fx.communityA.id}`, { file: 'x' });
    expect(json.statusCode).toBe(400);
    const empty = await commA.post(`/api/v1/evidence/uploads?itemId=${item('4.2.1-1').id}&orgId=${t.fx.communityA.id}`, Buffer.from('--b--\r\n'), { 'content-type': 'multipart/form-data; boundary=b' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('BAD_REQUEST');
  });
});

describe('scope and roles', () => {
  let subA: { id: number; version: number };
  let fileA: { id: number; url: string };
  beforeAll(async () => {
    const res = await upload(commA, item('4.2.1-2').id, t.fx.communityA.id, [{ data: pdf('4.2.1-2 commA'), name: '台账.pdf' }]);
    subA = res.json().submission;
    fileA = res.json().files[0];
  });

  it('hides community A’s evidence from community B: 404 for the submission, the file, the coverage and an upload', async () => {
    expect((await commB.get(`/api/v1/evidence/submissions/${subA.id}`)).statusCode).toBe(404);
    expect((await commB.get(fileA.url)).statusCode).toBe(404);
    expect((await commB.get(`/api/v1/evidence/coverage?orgId=${t.fx.communityA.id}`)).statusCode).toBe(404);
    expect((await commB.get(`/api/v1/evidence/coverage.xlsx?orgId=${t.fx.communityA.id}`)).statusCode).toBe(404);
    expect((await upload(commB, item('4.2.1-2').id, t.fx.communityA.id, [{ data: pdf('b'), name: 'b.pdf' }])).statusCode).toBe(404);
    expect((await commB.delete(`/api/v1/evidence/files/${fileA.id}?version=${subA.version}`)).statusCode).toBe(404);
    // Nor the street's, which is above it.
    expect((await commA.get(`/api/v1/evidence/coverage?orgId=${t.fx.street.id}`)).statusCode).toBe(404);
    // Its own community is all it sees.
    const orgs = (await commB.get(`/api/v1/evidence/orgs?period=${PERIOD}`)).json();
    expect(orgs.items.map((o: { id: number }) => o.id)).toEqual([t.fx.communityB.id]);
    expect(orgs.items[0].counts.none).toBe(DOC_CODES.length);
  });

  it('lets the office see the street and both communities, and read and download A’s file', async () => {
    const orgs = (await office.get(`/api/v1/evidence/orgs?period=${PERIOD}`)).json();
    expect(orgs.items.map((o: { id: number }) => o.id)).toEqual([t.fx.street.id, t.fx.communityA.id, t.fx.communityB.id]);
    expect((await office.get(fileA.url)).statusCode).toBe(200);
    expect((await (await t.as('leader')).get(`/api/v1/evidence/submissions/${subA.id}`)).statusCode).toBe(200);
  });

  it('keeps other roles out: 403 by role, nothing in scope for a department unit', async () => {
    const volunteer = await t.as('volunteer');
    expect((await volunteer.get('/api/v1/evidence/coverage')).statusCode).toBe(403);
    expect((await volunteer.get(fileA.url)).statusCode).toBe(403);
    expect((await (await t.as('gridA1')).get(`/api/v1/evidence/submissions/${subA.id}`)).statusCode).toBe(403);
    const leader = await t.as('leader');
    expect((await upload(leader, item('4.2.1-2').id, t.fx.communityA.id, [{ data: pdf('l'), name: 'l.pdf' }])).statusCode).toBe(403);
    expect((await commA.post(`/api/v1/evidence/submissions/${subA.id}/review`, { version: subA.version, verdict: 'meets' })).statusCode).toBe(403);
    const unit = await t.as('unit');
    expect((await unit.get('/api/v1/evidence/orgs')).json().items).toEqual([]);
    expect((await unit.get('/api/v1/evidence/coverage')).statusCode).toBe(404);
    expect((await unit.get(fileA.url)).statusCode).toBe(404);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: fileA.url });
    expect(res.statusCode).toBe(401);
  });
});

describe('review', () => {
  const code = '4.2.1-4';
  let subId: number;

  it('needs a reason for 不符合, then records it; resubmission goes back to pending; 符合 after that', async () => {
    const up = await upload(commA, item(code).id, t.fx.communityA.id, [{ data: pdf('activities Jan'), name: '活动记录1月.pdf' }]);
    expect(up.statusCode, up.body).toBe(200);
    let sub = up.json().submission;
    subId = sub.id;

    const noReason = await office.post(`/api/v1/evidence/submissions/${subId}/review`, { version: sub.version, verdict: 'fails', comment: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().field).toBe('comment');

    const fails = await office.post(`/api/v1/evidence/submissions/${subId}/review`, { version: sub.version, verdict: 'fails', comment: '只有1月的活动记录，缺2、3月' });
    expect(fails.statusCode, fails.body).toBe(200);
    sub = fails.json().submission;
    expect(sub).toMatchObject({ status: 'fails', reviewComment: '只有1月的活动记录，缺2、3月', reviewerName: '测试office' });

    const again = await upload(commA, item(code).id, t.fx.communityA.id, [{ data: pdf('activities Feb-Mar'), name: '活动记录2-3月.pdf' }]);
    expect(again.json().submission).toMatchObject({ status: 'pending', fileCount: 2 });
    sub = again.json().submission;

    const leader = await t.as('leader');
    const meets = await leader.post(`/api/v1/evidence/submissions/${subId}/review`, { version: sub.version, verdict: 'meets', comment: '材料齐全' });
    expect(meets.statusCode, meets.body).toBe(200);
    const detail = meets.json();
    expect(detail.submission).toMatchObject({ status: 'meets', reviewComment: '材料齐全', reviewerName: '测试leader' });
    expect(detail.events.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual(['review:meets', 'upload:pending', 'review:fails', 'upload:pending']);
    expect(detail.events[2]).toMatchObject({ comment: '只有1月的活动记录，缺2、3月', actorName: '测试office', fromStatus: 'pending' });
    const audits = await t.db.deps.db.selectFrom('audit_log').select('action').where('target_type', '=', 'evidence_submission').where('target_id', '=', String(subId)).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['evidence.review', 'evidence.review', 'evidence.upload', 'evidence.upload']);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const current = (await office.get(`/api/v1/evidence/submissions/${subId}`)).json().submission;
    const stale = await office.post(`/api/v1/evidence/submissions/${subId}/review`, { version: current.version - 1, verdict: 'fails', comment: '过期' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    const after = (await office.get(`/api/v1/evidence/submissions/${subId}`)).json();
    expect(after.submission).toEqual(current);
    expect(after.events).toHaveLength(4);
    // A reviewer who opened the item before a new upload is stale too.
    await upload(commA, item(code).id, t.fx.communityA.id, [{ data: pdf('activities Apr'), name: '活动记录4月.pdf' }]);
    expect((await office.post(`/api/v1/evidence/submissions/${subId}/review`, { version: current.version, verdict: 'meets' })).statusCode).toBe(409);
  });

  it('removing files sends it back to review; with none left there is nothing to judge (422)', async () => {
    let detail = (await commA.get(`/api/v1/evidence/submissions/${subId}`)).json();
    expect(detail.submission.status).toBe('pending');
    expect((await commA.delete(`/api/v1/evidence/files/${detail.files[0].id}?version=${detail.submission.version - 1}`)).statusCode).toBe(409);
    for (const file of [...detail.files]) {
      const res = await commA.delete(`/api/v1/evidence/files/${file.id}?version=${detail.submission.version}`);
      expect(res.statusCode, res.body).toBe(200);
      detail = res.json();
      expect((await commA.get(file.url)).statusCode).toBe(404);
    }
    expect(detail.submission).toMatchObject({ status: 'none', fileCount: 0 });
    expect(detail.events[0]).toMatchObject({ action: 'remove_file', toStatus: 'none' });
    const res = await office.post(`/api/v1/evidence/submissions/${subId}/review`, { version: detail.submission.version, verdict: 'meets' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ILLEGAL_TRANSITION');
  });

  it.each([
    [{ verdict: 'meets' }, 'version'],
    [{ version: 1, verdict: 'maybe' }, 'verdict'],
    [{ version: 1, verdict: 'fails', comment: 'x'.repeat(501) }, 'comment'],
  ])('refuses the review body %j on %s', async (body, field) => {
    const res = await office.post(`/api/v1/evidence/submissions/${subId}/review`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });
});

describe('coverage', () => {
  it('counts every 材料审核 item of the current standard per org and period, filters what is lacking, and exports .xlsx', async () => {
    // Community B, a fresh period: one item meets, one fails, one pending, the other two have nothing.
    const period = '2026年复审';
    const ids: Record<string, number> = {};
    for (const code of ['4.2.1-1', '4.2.1-2', '4.2.1-3']) {
      const res = await upload(commB, item(code).id, t.fx.communityB.id, [{ data: pdf(`${code} B`), name: `${code}.pdf` }], period);
      expect(res.statusCode, res.body).toBe(200);
      ids[code] = res.json().submission.id;
    }
    const review = async (code: string, verdict: string, comment?: string) => {
      const v = (await office.get(`/api/v1/evidence/submissions/${ids[code]}`)).json().submission.version;
      expect((await office.post(`/api/v1/evidence/submissions/${ids[code]}/review`, { version: v, verdict, comment })).statusCode).toBe(200);
    };
    await review('4.2.1-1', 'meets');
    await review('4.2.1-2', 'fails', '缺少整改后照片');

    const url = `/api/v1/evidence/coverage?orgId=${t.fx.communityB.id}&period=${encodeURIComponent(period)}`;
    const cov = (await commB.get(url)).json();
    const total = DOC_CODES.length;
    expect(cov.counts).toEqual({
      total,
      none: total - 3,
      pending: 1,
      meets: 1,
      fails: 1,
      submittedPercent: Math.round((3 / total) * 1000) / 10,
      metPercent: Math.round((1 / total) * 1000) / 10,
    });
    const status = Object.fromEntries(cov.rows.map((r: { code: string; status: string }) => [r.code, r.status]));
    expect(status).toMatchObject({ '4.2.1-1': 'meets', '4.2.1-2': 'fails', '4.2.1-3': 'pending', '4.2.1-4': 'none' });

    const lacking = (await commB.get(`${url}&lacking=true`)).json();
    expect(lacking.lacking).toBe(true);
    expect(lacking.counts).toEqual(cov.counts);
    expect(lacking.rows.map((r: { code: string }) => r.code).sort()).toEqual(DOC_CODES.filter((c) => !['4.2.1-1', '4.2.1-3'].includes(c)).sort());
    expect(lacking.nodes.some((n: { code: string }) => n.code === '4.2.1')).toBe(true);

    // Another period and the other community are separate.
    expect((await commB.get(`/api/v1/evidence/coverage?period=${PERIOD}`)).json().counts.none).toBe(total);
    const orgs = (await office.get(`/api/v1/evidence/orgs?period=${encodeURIComponent(period)}`)).json();
    expect(orgs.items.find((o: { id: number }) => o.id === t.fx.communityB.id).counts).toEqual(cov.counts);
    expect(orgs.items.find((o: { id: number }) => o.id === t.fx.communityA.id).counts.none).toBe(total);
    expect((await commB.get('/api/v1/evidence/periods')).json().items).toEqual(expect.arrayContaining([period, defaultPeriod()]));

    const xl = await commB.get(url.replace('/coverage?', '/coverage.xlsx?') + '&lacking=true');
    expect(xl.statusCode).toBe(200);
    expect(xl.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`材料审核-西苑社区-${period}-缺材料.xlsx`)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xl.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    const rows: string[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push([String(row.getCell(1).value), String(row.getCell(7).value), String(row.getCell(10).value ?? '')]);
    });
    expect(rows.map((r) => r[0]).sort()).toEqual(lacking.rows.map((r: { code: string }) => r.code).sort());
    expect(rows.find((r) => r[0] === '4.2.1-2')).toEqual(['4.2.1-2', '不符合', '缺少整改后照片']);
    const summary = wb.worksheets[1]!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('符合率 %')).toBe(cov.counts.metPercent);
    expect(values.get('缺材料')).toBe(cov.counts.none);
  });

  it('speaks English when asked', async () => {
    const res = await commB.get(`/api/v1/evidence/coverage.xlsx?period=${PERIOD}`, { 'accept-language': 'en-US' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('Code');
    expect(res.headers['content-disposition']).toContain('document-review-');
  });
});

describe('concurrency and seed', () => {
  it('two first uploads to the same item at once make one submission holding both files', async () => {
    const period = '并发测试';
    const [a, b] = await Promise.all([
      upload(commA, item('3.1.1-4').id, t.fx.communityA.id, [{ data: pdf('first'), name: 'a.pdf' }], period),
      upload(office, item('3.1.1-4').id, t.fx.communityA.id, [{ data: pdf('second'), name: 'b.pdf' }], period),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().submission.id).toBe(b.json().submission.id);
    const detail = (await office.get(`/api/v1/evidence/submissions/${a.json().submission.id}`)).json();
    expect(detail.submission).toMatchObject({ fileCount: 2, status: 'pending' });
    expect(detail.files).toHaveLength(2);
    expect(detail.events.filter((e: { action: string }) => e.action === 'upload')).toHaveLength(2);
  });

  it('loads the demo evidence: generated PDFs, some judged, readable and downloadable', async () => {
    const { loadDemoEvidence } = await import('./seed.js');
    const written = await t.db.deps.db.transaction().execute((trx) => loadDemoEvidence(trx, t.db.deps.config.uploadDir, new Date('2030-06-01T00:00:00Z')));
    expect(written).toBeGreaterThanOrEqual(5);
    const cov = (await office.get(`/api/v1/evidence/coverage?orgId=${t.fx.street.id}&period=2030`)).json();
    expect(cov.counts).toMatchObject({ total: DOC_CODES.length, meets: 2, fails: 1, pending: 1 });
    const fails = cov.rows.find((r: { status: string }) => r.status === 'fails');
    const detail = (await office.get(`/api/v1/evidence/submissions/${fails.submission.id}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['review', 'upload']);
    const file = await office.get(detail.files[0].url);
    expect(file.statusCode).toBe(200);
    expect(sniffEvidence(file.rawPayload)).toEqual({ kind: 'pdf' });
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(detail.files[0].sha256);
  });
});
