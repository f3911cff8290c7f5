// Photo figures for `npm run bench`: how long an upload waits for its sanitized copy, and how many thumbnail pairs
// the job makes per second. Run alone with `node --import tsx src/server/modules/photos/bench.ts [n]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Deps } from '../../lib/context.js';
import { checkAndSanitize, makeDerivatives } from './image.js';
import { DEFAULT_PHOTO_SETTINGS, makeThumbnails, storePhoto } from './service.js';

/** Same shape as bench/lib.ts `Figure`. */
export interface PhotoFigure {
  issue: number;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** A 12-megapixel phone-like JPEG (4000×3000, textured, with EXIF GPS), about 2–3 MB. */
export async function samplePhoto(seed = 1): Promise<Buffer> {
  const w = 1000;
  const h = 750;
  const raw = Buffer.alloc(w * h * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = ((i % (w * 3)) / 12 + ((x >>> 16) & 63)) & 255;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .resize(4000, 3000, { kernel: 'cubic' })
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '118/1 1/1 0/1' } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function benchPhotos(n = 12): Promise<PhotoFigure[]> {
  const photo = await samplePhoto();
  const limits = { maxPixels: DEFAULT_PHOTO_SETTINGS.maxPixels };
  await checkAndSanitize(photo, limits); // warm up libvips

  const dir = mkdtempSync(join(tmpdir(), 'wenming-photo-bench-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, WENMING_DATA_DIR: dir, WENMING_DEMO: 'false', LOG_LEVEL: 'silent' });
  const opened = await openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(opened.db);
    const deps: Deps = { db: opened.db, dialect: opened.dialect, config, notify: () => {} };

    // Upload path: check, decode, orient, strip, re-encode, hash, write original + full copy, insert, enqueue.
    const latencies: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const data = await samplePhoto(i + 2);
      const t0 = performance.now();
      const view = await storePhoto(deps, { data, filename: `bench-${i}.jpg`, uploaderId: null, purpose: 'evidence' });
      latencies.push(performance.now() - t0);
      ids.push(view.id);
    }
    latencies.sort((a, b) => a - b);

    // Thumbnail job: large (1280 px) + thumb (320 px) from the stored full copy, two at a time as on a 2-core box.
    const t1 = performance.now();
    for (let i = 0; i < ids.length; i += 2) await Promise.all(ids.slice(i, i + 2).map((id) => makeThumbnails(deps, id)));
    const perSecond = ids.length / ((performance.now() - t1) / 1000);

    // In-memory derivative rate, without disk or database.
    const { full } = await checkAndSanitize(photo, limits);
    const t2 = performance.now();
    for (let i = 0; i < n; i += 2) await Promise.all([makeDerivatives(full), makeDerivatives(full)]);
    const inMemoryPerSecond = n / ((performance.now() - t2) / 1000);

    const note = `${n} × 12 MP JPEG (${(photo.length / 1e6).toFixed(1)} MB), sharp concurrency ${sharp.concurrency()}`;
    return [
      { issue: 3, name: 'photo upload → sanitized copy stored, p50', value: Math.round(percentile(latencies, 50)), unit: 'ms', note },
      { issue: 3, name: 'photo upload → sanitized copy stored, p95', value: Math.round(percentile(latencies, 95)), unit: 'ms', note },
      { issue: 3, name: 'photo thumbnails job (large + thumb)', value: Math.round(perSecond * 10) / 10, unit: 'photos/s', note },
      { issue: 3, name: 'photo derivatives in memory', value: Math.round(inMemoryPerSecond * 10) / 10, unit: 'photos/s', note },
    ];
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 12);
  console.table(await benchPhotos(Number.isInteger(n) && n > 0 ? n : 12));
}
