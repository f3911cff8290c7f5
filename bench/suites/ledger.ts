// Issue 3 figures for the 整改台账: export of 100,000 cases without photos (time, peak server RSS), the same as
// CSV, and 2,000 cases with embedded photos. The data goes into the demo street's SQLite file while the server
// is stopped: cases in 2025 for the big export, cases in June 2024 with photo files on disk for the photo export.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import sharp from 'sharp';
import { createRng } from '../../src/core/prng.js';
import { photoPath, storageKeyFor } from '../../src/server/modules/photos/storage.js';
import { login, peakRss, startServerProcess, type Figure } from '../lib.js';

const BIG = 100_000;
const WITH_PHOTOS = 2_000;
/** Share of photos whose thumbnail job has not run: the export shrinks their full copy itself. */
const NOT_READY_SHARE = 0.05;

const MEASURES = ['已劝离车辆并设置隔离桩', '已清运垃圾，地面冲洗干净', '已清除小广告并粉刷墙面', '已拆除飞线，引导到充电桩充电', '已约谈商户，规范店外经营'];
const DESCRIPTIONS = ['人行道上停了三辆车，影响行人通行', '小区门口暴露垃圾两处，有异味', '电线杆上贴满小广告', '楼道内飞线充电，存在安全隐患', '店外经营占用人行道'];

interface Place {
  gridId: number;
  communityId: number;
  path: string;
  box: [number, number, number, number];
}

/** Inserts synthetic cases with their feedback/check events (and optionally photos) straight into SQLite. */
function fill(dbFile: string, opts: { count: number; yearFrom: string; days: number; codePrefix: string; photos?: { uploadDir: string; thumbs: Buffer[]; fulls: Buffer[] } }) {
  const db = new SQLite(dbFile);
  db.pragma('journal_mode = WAL');
  const grids = db.prepare(`SELECT id, path, parent_id AS community_id, min_lng, min_lat, max_lng, max_lat FROM orgs WHERE kind = 'grid'`).all() as { id: number; path: string; community_id: number; min_lng: number; min_lat: number; max_lng: number; max_lat: number }[];
  const places: Place[] = grids.map((g) => ({ gridId: g.id, communityId: g.community_id, path: g.path, box: [g.min_lng, g.min_lat, g.max_lng, g.max_lat] }));
  const units = db.prepare(`SELECT id, path FROM orgs WHERE kind IN ('department', 'community', 'property_company')`).all() as { id: number; path: string }[];
  const points = db.prepare(`SELECT id, grid_id FROM points WHERE active = 1`).all() as { id: number; grid_id: number }[];
  const categories = db.prepare(`SELECT code, kind FROM categories WHERE parent_id IS NOT NULL AND active = 1`).all() as { code: string; kind: string }[];
  const street = db.prepare(`SELECT id FROM orgs WHERE kind = 'street'`).get() as { id: number };
  const checker = db.prepare(`SELECT id, display_name FROM users WHERE role = 'grid_worker' LIMIT 1`).get() as { id: number; display_name: string } | undefined;
  const uploader = db.prepare(`SELECT id FROM users WHERE role = 'office' LIMIT 1`).get() as { id: number };
  const pointsByGrid = new Map<number, number[]>();
  for (const p of points) pointsByGrid.set(p.grid_id, [...(pointsByGrid.get(p.grid_id) ?? []), p.id]);

  const cols = ['case_no', 'status', 'version', 'source', 'source_level', 'category_code', 'category_kind', 'description', 'address', 'lat', 'lng', 'point_id', 'grid_id', 'community_id', 'street_id', 'org_path', 'unit_id', 'unit_path', 'deadline', 'dispatched_at', 'is_rebound', 'checker_id', 'created_at', 'updated_at', 'closed_at'];
  const insertCase = db.prepare(`INSERT INTO cases (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  const insertEvent = db.prepare(`INSERT INTO case_events (case_id, at, actor_id, actor_name, action, from_status, to_status, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertPhoto = db.prepare(`INSERT INTO photos (uploader_id, org_path, purpose, original_name, original_format, original_bytes, sha256, width, height, storage_key, thumbs_ready, is_public, created_at) VALUES (?, ?, ?, 'bench.jpg', 'jpeg', 0, ?, ?, ?, '', ?, 0, ?)`);
  const setKey = db.prepare(`UPDATE photos SET storage_key = ? WHERE id = ?`);
  const link = db.prepare(`INSERT INTO photo_links (photo_id, owner_type, owner_id, role, created_by, created_at) VALUES (?, 'case', ?, ?, ?, ?)`);
  const statuses = ['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'dispatched', 'processing', 'feedback', 'hung', 'extension_requested', 'processing'];
  const sources: [string, string | null][] = [['patrol', null], ['supervision', 'city'], ['supervision', 'district'], ['hotline', null], ['citizen_patrol', null], ['office', null], ['citizen', null]];
  const rng = createRng(2026);
  const start = Date.parse(`${opts.yearFrom}T00:00:00+08:00`);
  const files: { path: string; data: Buffer }[] = [];
  let photoCount = 0;

  const addPhoto = (caseId: number, role: 'before' | 'after', at: string) => {
    const ready = rng.next() >= NOT_READY_SHARE;
    const { lastInsertRowid } = insertPhoto.run(uploader.id, null, role, `bench${photoCount}`, 1280, 960, ready ? 1 : 0, at);
    const id = Number(lastInsertRowid);
    const key = storageKeyFor(id, at);
    setKey.run(key, id);
    link.run(id, caseId, role, uploader.id, at);
    const p = opts.photos!;
    if (ready) files.push({ path: photoPath(p.uploadDir, key, 'thumb'), data: p.thumbs[photoCount % p.thumbs.length] });
    else files.push({ path: photoPath(p.uploadDir, key, 'full'), data: p.fulls[photoCount % p.fulls.length] });
    photoCount++;
  };

  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const place = places[Math.floor(rng.next() * places.length)];
      const unit = units[Math.floor(rng.next() * units.length)];
      const category = categories[i % categories.length];
      const status = statuses[Math.floor(rng.next() * statuses.length)];
      const [source, level] = sources[i % sources.length];
      // Cases are inserted as they are found, so ids and 发现时间 rise together, as in a real database.
      const created = new Date(start + ((i + rng.next()) / opts.count) * opts.days * 86400_000);
      const deadline = new Date(created.getTime() + (2 + rng.next() * 40) * 3600_000).toISOString();
      const closed = status === 'closed' ? new Date(created.getTime() + rng.next() * 30 * 3600_000).toISOString() : null;
      const gridPoints = pointsByGrid.get(place.gridId) ?? [];
      const pointId = gridPoints.length && rng.next() < 0.6 ? gridPoints[Math.floor(rng.next() * gridPoints.length)] : null;
      const at = created.toISOString();
      const [w, s, e, n] = place.box;
      const { lastInsertRowid } = insertCase.run(
        `${opts.codePrefix}${String(i).padStart(7, '0')}`, status, 3, source, level, category.code, category.kind, `${DESCRIPTIONS[i % DESCRIPTIONS.length]}（批量 ${i}）`, '华光路 88 号',
        s + rng.next() * (n - s), w + rng.next() * (e - w), pointId, place.gridId, place.communityId, street.id, place.path,
        unit.id, unit.path, status === 'hung' ? null : deadline, at, rng.next() < 0.04 ? 1 : 0, closed && checker ? checker.id : null, at, closed ?? at, closed,
      );
      const caseId = Number(lastInsertRowid);
      if (status === 'closed' || status === 'feedback') {
        const measures = MEASURES[i % MEASURES.length];
        insertEvent.run(caseId, at, null, '处置人', 'feedback', 'processing', 'feedback', measures, JSON.stringify({ measures }));
        if (closed) insertEvent.run(caseId, closed, checker?.id ?? null, checker?.display_name ?? '网格员', 'pass_check', 'feedback', 'closed', null, null);
      }
      if (opts.photos) {
        for (let k = 0; k <= (i % 2); k++) addPhoto(caseId, 'before', at);
        for (let k = 0; k <= ((i >> 1) % 2); k++) addPhoto(caseId, 'after', closed ?? at);
      }
    }
  });
  for (let i = 0; i < opts.count; i += 10_000) tx(i, Math.min(opts.count, i + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.data);
  }
  return photoCount;
}

/** A photo-like JPEG: a gradient with texture (compresses like a real thumbnail, unlike a flat colour). */
async function photoLike(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  const rng = createRng(seed);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const noise = rng.next() * 40;
      raw[o] = (x * 255) / width / 2 + noise + seed * 7;
      raw[o + 1] = (y * 255) / height / 2 + noise + 60;
      raw[o + 2] = 120 + noise - seed * 3;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

/** CPU seconds a process has used so far (user + system), from /proc: a figure other load on the machine barely moves. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Downloads an export to nowhere, timing the request to its last byte, with the server's peak RSS and CPU meanwhile. */
async function timedDownload(pid: number, url: string, cookie: string) {
  return peakRss(pid, async () => {
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let media = 0;
    const needle = Buffer.from('xl/media/image');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      // Each picture's name appears twice in a zip (local header and central directory).
      const buf = Buffer.from(chunk);
      for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) media++;
    }
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(pid) - cpu0, bytes, rows: Number(res.headers.get('x-ledger-rows')), images: Math.floor(media / 2) };
  });
}

export async function ledger(): Promise<Figure[]> {
  const figures: Figure[] = [];
  // First start loads the demo street; the worker stays off later so the deadline job does not run over the
  // synthetic open cases while the export is being timed.
  const first = await startServerProcess();
  await first.stop();
  const dataDir = first.dataDir;
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const dbFile = join(dataDir, 'wenming.db');
    fill(dbFile, { count: BIG, yearFrom: '2025-01-01', days: 360, codePrefix: 'LB' });
    const thumbs = await Promise.all(Array.from({ length: 24 }, (_, i) => photoLike(320, 240, i)));
    const fulls = await Promise.all(Array.from({ length: 4 }, (_, i) => photoLike(2048, 1536, 100 + i)));
    const photoCount = fill(dbFile, { count: WITH_PHOTOS, yearFrom: '2024-06-01', days: 29, codePrefix: 'LP', photos: { uploadDir: join(dataDir, 'uploads'), thumbs, fulls } });

    server = await startServerProcess({ WENMING_ROLE: 'api' }, dataDir);
    const { cookie } = await login(server.base, 'office');
    const pid = server.proc.pid!;
    const big = `${server.base}/api/v1/cases/export.xlsx?from=2025-01-01&to=2025-12-31&photos=false`;
    // Warm-up on a small slice, so start-up costs (module loading, first statements) are not in the figure.
    await timedDownload(pid, `${server.base}/api/v1/cases/export.xlsx?from=2025-01-01&to=2025-01-03&photos=false`, cookie);

    const xlsx = await timedDownload(pid, big, cookie);
    const load = `load average ${loadavg()[0].toFixed(1)}`;
    figures.push({ issue: 3, name: `ledger .xlsx export, ${xlsx.result.rows.toLocaleString('en-US')} cases, no photos (request to last byte)`, value: Number(xlsx.result.seconds.toFixed(2)), unit: 's', target: { op: '<=', value: 10 }, note: `${(xlsx.result.bytes / 1e6).toFixed(1)} MB; server CPU ${xlsx.result.cpu.toFixed(1)} s; ${load}` });
    figures.push({ issue: 3, name: 'peak server RSS during that export', value: Math.round(xlsx.peakMb), unit: 'MB', target: { op: '<=', value: 400 } });

    const csv = await timedDownload(pid, big.replace('export.xlsx', 'export.csv'), cookie);
    figures.push({ issue: 3, name: `ledger .csv export, ${csv.result.rows.toLocaleString('en-US')} cases`, value: Number(csv.result.seconds.toFixed(2)), unit: 's', note: `${(csv.result.bytes / 1e6).toFixed(1)} MB, peak RSS ${Math.round(csv.peakMb)} MB, server CPU ${csv.result.cpu.toFixed(1)} s` });

    const photos = await timedDownload(pid, `${server.base}/api/v1/cases/export.xlsx?from=2024-06-01&to=2024-06-30`, cookie);
    figures.push({
      issue: 3,
      name: `ledger .xlsx export with photos, ${photos.result.rows.toLocaleString('en-US')} cases`,
      value: Number(photos.result.seconds.toFixed(2)),
      unit: 's',
      target: { op: '<=', value: 30 },
      note: `${photos.result.images} pictures embedded of ${photoCount} linked (≤2 per cell), ${Math.round(NOT_READY_SHARE * 100)}% shrunk from 2048 px full copies; ${(photos.result.bytes / 1e6).toFixed(1)} MB, peak RSS ${Math.round(photos.peakMb)} MB, server CPU ${photos.result.cpu.toFixed(1)} s`,
    });
  } finally {
    await server?.stop();
    // Half a gigabyte of synthetic cases and photos: not worth keeping between runs.
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
