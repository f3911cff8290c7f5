// Evidence files on disk, beside the photos: `<uploadDir>/evidence/<yyyy>/<mm>/<random>-original.<ext>` holds the
// upload as sent (never served for images), `…-served.jpg` the EXIF-stripped copy of an image. PDFs and Office
// files are served as uploaded. Keys are random, so files are written before their row exists: a failed
// transaction leaves an orphan file, never a row without its file.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceFileKind } from '../../../core/evidence.js';
import { KIND_EXT, isImageKind } from './filetype.js';

export { fileSize, writeAtomically } from '../photos/storage.js';

export function newStorageKey(now: Date = new Date()): string {
  const iso = now.toISOString();
  return `evidence/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${randomBytes(16).toString('hex')}`;
}

export function originalPath(uploadDir: string, key: string, kind: EvidenceFileKind): string {
  return join(uploadDir, `${key}-original.${KIND_EXT[kind]}`);
}

/** The file readers download. */
export function servedPath(uploadDir: string, key: string, kind: EvidenceFileKind): string {
  return isImageKind(kind) ? join(uploadDir, `${key}-served.jpg`) : originalPath(uploadDir, key, kind);
}

export async function removeEvidenceFiles(uploadDir: string, key: string, kind: EvidenceFileKind): Promise<void> {
  await Promise.all([rm(originalPath(uploadDir, key, kind), { force: true }), rm(servedPath(uploadDir, key, kind), { force: true })]);
}
