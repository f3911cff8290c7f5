// Photo files on disk: `<uploadDir>/<yyyy>/<mm>/<id>-<variant>.<ext>`. Writes go to a temporary name first and are
// renamed into place, so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImageFormat } from './image.js';
import { IMAGE_EXT } from './image.js';

/** Copies served to readers, all sanitized JPEGs. The original is stored beside them and never served. */
export const SERVED_VARIANTS = ['full', 'large', 'thumb'] as const;
export type ServedVariant = (typeof SERVED_VARIANTS)[number];
export type StoredVariant = ServedVariant | 'original';

export function storageKeyFor(id: number, createdAt: string): string {
  return `${createdAt.slice(0, 4)}/${createdAt.slice(5, 7)}/${id}`;
}

export function photoPath(uploadDir: string, storageKey: string, variant: StoredVariant, originalFormat: ImageFormat | string = 'jpeg'): string {
  const ext = variant === 'original' ? IMAGE_EXT[originalFormat as ImageFormat] ?? 'bin' : 'jpg';
  return join(uploadDir, `${storageKey}-${variant}.${ext}`);
}

export async function writeAtomically(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { mode: 0o640 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Size of a stored file, or null when it is missing. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

export async function removePhotoFiles(uploadDir: string, storageKey: string, originalFormat: string): Promise<void> {
  const variants: StoredVariant[] = ['original', ...SERVED_VARIANTS];
  await Promise.all(variants.map((v) => rm(photoPath(uploadDir, storageKey, v, originalFormat), { force: true })));
}
