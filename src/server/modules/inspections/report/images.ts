// The pictures of a 通报, read from the photo store once for both documents. A made thumbnail (320 px) goes in as
// it is; a full copy standing in for a thumbnail not made yet is shrunk first, so one slow thumbnail job cannot
// put 2048 px pictures into a report. A missing or unreadable file leaves the problem without its picture.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { ReportPhoto } from './data.js';

export interface ReportImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Box a stand-in full copy is shrunk into (pixels): a thumbnail's size, a little sharper in print. */
const FALLBACK_BOX = 640;
/** sharp runs on libuv's pool; a few files at a time keep the cores busy without holding 200 decodes in memory. */
const CONCURRENCY = 4;

export async function loadImage(photo: ReportPhoto): Promise<ReportImage | null> {
  try {
    if (photo.fallback) {
      const { data, info } = await sharp(photo.path, { failOn: 'none' })
        .resize({ width: FALLBACK_BOX, height: FALLBACK_BOX, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    }
    const data = await readFile(photo.path);
    const meta = await sharp(data).metadata();
    if (meta.format !== 'jpeg' || !meta.width || !meta.height) return null;
    // Thumbnails are stored upright (EXIF orientation applied and stripped), so the header's size is the shown size.
    return { data, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

/** Loads every photo once (by path), `CONCURRENCY` at a time. */
export async function loadImages(photos: ReportPhoto[]): Promise<Map<string, ReportImage | null>> {
  const unique = [...new Map(photos.map((p) => [p.path, p])).values()];
  const out = new Map<string, ReportImage | null>();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const p = unique[next++];
      out.set(p.path, await loadImage(p));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
  return out;
}

/** Size in pixels (96 dpi, as docx and Excel count them) of a picture `widthCm` wide, at most `maxHeightCm` tall. */
export function fitCm(img: { width: number; height: number }, widthCm: number, maxHeightCm: number): { width: number; height: number } {
  const pxPerCm = 96 / 2.54;
  let width = widthCm * pxPerCm;
  let height = (width * img.height) / img.width;
  const maxHeight = maxHeightCm * pxPerCm;
  if (height > maxHeight) {
    width = (width * maxHeight) / height;
    height = maxHeight;
  }
  return { width: Math.round(width), height: Math.round(height) };
}
