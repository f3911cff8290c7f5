// Issue 4 figure for the 通报: generating the .docx of an inspection with 200 problem photos (≤ 15 s), and the
// .xlsx of the same report, measured twice:
// - the generators alone, on a hand-built report whose 200 thumbnails are made by the photo pipeline itself
//   (makeDerivatives of 2048 px photo-like pictures, as an upload would) and read from disk as in production;
// - end to end on a server process with the demo street: a plan of 200 sampled points is inspected through the
//   API (200 photos uploaded, results synced, cases opened, thumbnails made by the worker), then
//   GET …/report.docx and …/report.xlsx are timed to their last byte.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../src/core/prng.js';
import { makeDerivatives } from '../../src/server/modules/photos/image.js';
import { photoPath, storageKeyFor } from '../../src/server/modules/photos/storage.js';
import { renderReportDocx } from '../../src/server/modules/inspections/report/docx.js';
import { renderReportXlsx } from '../../src/server/modules/inspections/report/xlsx.js';
import { sampleReportData } from '../../src/server/modules/inspections/report/sample.js';
import type { ReportPhoto } from '../../src/server/modules/inspections/report/data.js';
import { login, peakRss, startServerProcess, type Figure } from '../lib.js';

const PHOTOS = 200;

/**
 * A photo-like 2048×1536 JPEG (drawn at half size, then enlarged), different per seed: gradients, a few flat
 * blocks (walls, signs) and texture at several scales, so its 320 px thumbnail weighs what a street photo's does.
 */
async function photoLike(seed: number): Promise<Buffer> {
  const width = 1024;
  const height = 768;
  const rng = createRng(seed);
  const cell = 6;
  const cols = Math.ceil(width / cell);
  const coarse = Float32Array.from({ length: cols * Math.ceil(height / cell) }, () => rng.next() * 90);
  const blocks = Array.from({ length: 8 }, () => [rng.next() * width, rng.next() * height, 40 + rng.next() * 160, rng.next() * 255] as const);
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let v = (x * 120) / width + (y * 60) / height + coarse[Math.floor(y / cell) * cols + Math.floor(x / cell)];
      for (const [bx, by, size, tone] of blocks) if (Math.abs(x - bx) < size && Math.abs(y - by) < size / 2) v = (v + tone) / 2;
      const noise = rng.next() * 24;
      raw[o] = v + noise;
      raw[o + 1] = v * 0.8 + noise + seed * 3;
      raw[o + 2] = 220 - v * 0.6 + noise;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).resize(2048, 1536).jpeg({ quality: 85 }).toBuffer();
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function report(): Promise<Figure[]> {
  return [...(await generators()), ...(await endToEnd())];
}

async function generators(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-bench-report-'));
  try {
    // 20 pictures through the upload pipeline (2048 px full copy → 1280 → 320 px thumbnail), each stored as 10
    // photos: the thumbnail re-encoded a little brighter, so every photo is its own file with its own bytes.
    const photos: ReportPhoto[][] = [];
    let thumbBytes = 0;
    const thumbs = await Promise.all(Array.from({ length: 20 }, async (_, i) => (await makeDerivatives(await photoLike(i + 1))).thumb));
    for (let i = 0; i < PHOTOS; i++) {
      const thumb = i < thumbs.length ? thumbs[i] : await sharp(thumbs[i % thumbs.length]).modulate({ brightness: 1 + Math.floor(i / thumbs.length) / 50 }).jpeg({ quality: 78 }).toBuffer();
      const path = photoPath(dir, storageKeyFor(i + 1, '2026-05-11T02:00:00.000Z'), 'thumb');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, thumb);
      thumbBytes += thumb.length;
      photos.push([{ path, fallback: false }]);
    }
    const data = sampleReportData({ problems: PHOTOS, photos, communities: 6 });

    // Warm-up on a small report, so module loading and first-use costs are not in the figure.
    await renderReportDocx(sampleReportData({ problems: 3, photos }));

    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const docx = await renderReportDocx(data);
    const docxSeconds = (performance.now() - t0) / 1000;
    const docxCpu = cpuSeconds() - cpu0;
    const media = (docx.toString('latin1').match(/word\/media\/image\d+\.jpg/g) ?? []).length / 2;

    const t1 = performance.now();
    const xlsx = await renderReportXlsx(data);
    const xlsxSeconds = (performance.now() - t1) / 1000;
    const load = `load average ${loadavg()[0].toFixed(1)}`;
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    return [
      {
        issue: 4,
        name: `通报 .docx with ${PHOTOS} photos (generator, thumbnails read from disk)`,
        value: Number(docxSeconds.toFixed(2)),
        unit: 's',
        target: { op: '<=', value: 15 },
        note: `${media} pictures, ${(docx.length / 1e6).toFixed(1)} MB (thumbnails ${(thumbBytes / 1e6).toFixed(1)} MB), CPU ${docxCpu.toFixed(1)} s, RSS ${rss} MB; ${load}`,
      },
      {
        issue: 4,
        name: `通报 .xlsx of the same report (first photo of each problem embedded)`,
        value: Number(xlsxSeconds.toFixed(2)),
        unit: 's',
        note: `${(xlsx.length / 1e6).toFixed(1)} MB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// End to end

interface Session {
  base: string;
  cookie: string;
  csrf: string;
}

async function call<T>(s: Session, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const json = body !== undefined && !Buffer.isBuffer(body);
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : json ? JSON.stringify(body) : new Uint8Array(body as Buffer),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface KitItem {
  code: string;
  rule: { kind: 'pass_fail' | 'per_missing' | 'per_occurrence'; required?: number };
}

function observe(item: KitItem, fail: boolean) {
  const r = item.rule;
  if (!fail) return r.kind === 'pass_fail' ? { passed: true } : r.kind === 'per_missing' ? { count: r.required } : { occurrences: 0 };
  return r.kind === 'pass_fail' ? { passed: false } : r.kind === 'per_missing' ? { count: r.required! - 1 } : { occurrences: 1 };
}

async function download(pid: number, url: string, cookie: string) {
  return peakRss(pid, async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    return { seconds: (performance.now() - t0) / 1000, bytes };
  });
}

async function endToEnd(): Promise<Figure[]> {
  const server = await startServerProcess();
  try {
    const office: Session = { base: server.base, ...(await login(server.base, 'office')) };
    const inspector: Session = { base: server.base, ...(await login(server.base, 'inspector')) };
    const me = await call<{ user: { id: number } }>(inspector, 'GET', '/api/v1/me');
    let plan = await call<{ id: number; version: number }>(office, 'POST', '/api/v1/inspections/plans', {
      title: '通报压力测试模拟测评',
      kind: 'mock',
      startsOn: '2026-05-10',
      endsOn: '2026-05-12',
      inspectorIds: [me.user.id],
    });
    plan = await call(office, 'POST', `/api/v1/inspections/plans/${plan.id}/sample`, { version: plan.version, seed: 'bench-report', total: PHOTOS });
    plan = await call(office, 'POST', `/api/v1/inspections/plans/${plan.id}/transitions`, { version: plan.version, action: 'activate' });
    const kit = await call<{ points: { id: number; typeCode: string; lat: number; lng: number }[]; checklists: Record<string, KitItem[]> }>(
      inspector,
      'GET',
      `/api/v1/inspections/plans/${plan.id}/kit`,
    );

    // One failed item per point with its photo (uploaded as the phone would), the rest passed; when the sample
    // has fewer than 200 inspectable points, the first ones get a second photo, so the report has 200.
    const pictures = await Promise.all(Array.from({ length: 20 }, (_, i) => photoLike(100 + i).then((b) => sharp(b).resize(1600).jpeg({ quality: 82 }).toBuffer())));
    const points = kit.points.filter((pt) => kit.checklists[pt.typeCode]?.length);
    const results = [];
    const photoIds: number[] = [];
    const upload = async (n: number) => {
      const data = await sharp(pictures[n % pictures.length]).modulate({ brightness: 1 + Math.floor(n / pictures.length) / 50 }).jpeg({ quality: 82 }).toBuffer();
      const boundary = `----wenmingbench${n}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p${n}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const uploaded = await call<{ id: number; items?: { id: number }[] }>(inspector, 'POST', '/api/v1/photos?purpose=inspection', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
      const id = uploaded.items?.[0]?.id ?? uploaded.id;
      photoIds.push(id);
      return id;
    };
    for (const [n, pt] of points.entries()) {
      const list = kit.checklists[pt.typeCode];
      const ids = [await upload(photoIds.length)];
      if (n < PHOTOS - points.length) ids.push(await upload(photoIds.length));
      const failAt = n % list.length;
      results.push({
        idempotencyKey: `bench-report-${plan.id}-${pt.id}`,
        planId: plan.id,
        pointId: pt.id,
        checkin: { lat: pt.lat, lng: pt.lng, at: new Date().toISOString() },
        inspectedAt: new Date().toISOString(),
        items: list.map((item, i) => ({ code: item.code, ...observe(item, i === failAt), ...(i === failAt ? { note: '现场发现问题', photoIds: ids } : {}) })),
      });
    }
    for (let i = 0; i < results.length; i += 50) {
      const { outcomes } = await call<{ outcomes: { status: string; message?: string }[] }>(inspector, 'POST', '/api/v1/inspections/sync', { results: results.slice(i, i + 50) });
      const bad = outcomes.find((o) => o.status !== 'created');
      if (bad) throw new Error(`sync: ${JSON.stringify(bad)}`);
    }
    // The worker makes the thumbnails after the uploads; the report reads them (not the full copies).
    const deadline = Date.now() + 120_000;
    for (const id of photoIds) {
      while ((await call<{ thumbnailsReady: boolean }>(office, 'GET', `/api/v1/photos/${id}`)).thumbnailsReady === false) {
        if (Date.now() > deadline) throw new Error('thumbnails not made in 120 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    const pid = server.proc.pid!;
    const url = `${server.base}/api/v1/inspections/plans/${plan.id}/report`;
    await download(pid, `${url}.docx`, office.cookie); // warm-up: module loading and first statements
    const docx = await download(pid, `${url}.docx`, office.cookie);
    const xlsx = await download(pid, `${url}.xlsx`, office.cookie);
    const load = `load average ${loadavg()[0].toFixed(1)}`;
    return [
      {
        issue: 4,
        name: `通报 .docx of an inspection of ${results.length} points with ${photoIds.length} problem photos (GET to last byte)`,
        value: Number(docx.result.seconds.toFixed(2)),
        unit: 's',
        target: { op: '<=', value: 15 },
        note: `${(docx.result.bytes / 1e6).toFixed(1)} MB, server peak RSS ${Math.round(docx.peakMb)} MB; ${load}`,
      },
      {
        issue: 4,
        name: `通报 .xlsx of the same inspection (GET to last byte)`,
        value: Number(xlsx.result.seconds.toFixed(2)),
        unit: 's',
        note: `${(xlsx.result.bytes / 1e6).toFixed(1)} MB, server peak RSS ${Math.round(xlsx.peakMb)} MB`,
      },
    ];
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}
