// Use cases of photos: store an upload (checked by content, sanitized), decide who may read it, link it to the
// record it documents, make thumbnails off the request path, and reap uploads that were never attached.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Actor, Deps, Executor } from '../../lib/context.js';
import type { Config } from '../../config.js';
import type { PhotoRow } from '../../db/schema.js';
import type { Role } from '../../../core/roles.js';
import type { LinkedPhoto, PhotoView } from '../../../core/photo-views.js';
import { nowIso } from '../../db/database.js';
import { Problem, notFound } from '../../errors.js';
import { inScope } from '../../lib/scope.js';
import { enqueueJob, registerJob } from '../../jobs/worker.js';
import { checkAndSanitize, makeDerivatives, type CheckedImage, type ImageFormat } from './image.js';
import { fileSize, photoPath, removePhotoFiles, storageKeyFor, writeAtomically, type ServedVariant } from './storage.js';
import { photoRepo } from './repo.js';

export const PHOTO_PURPOSES = ['before', 'after', 'evidence', 'inspection', 'other'] as const;
export type PhotoPurpose = (typeof PHOTO_PURPOSES)[number];

/** The part a photo plays for the record it is attached to: 整改前 before, 整改后 after, or other evidence. */
export const PHOTO_LINK_ROLES = ['before', 'after', 'evidence'] as const;
export type PhotoLinkRole = (typeof PHOTO_LINK_ROLES)[number];

/** Roles that may read any photo uploaded inside their org subtree (their street, for street-level staff). */
export const PHOTO_SCOPE_READERS: readonly Role[] = ['admin', 'office', 'dispatcher', 'leader'];

/** Unlinked photos older than this are deleted by `photos.cleanup`. */
export const UNLINKED_TTL_MS = 24 * 3600_000;
/** An unlinked photo may be attached only this long after upload, a margin before cleanup can take it. */
export const LINKABLE_WINDOW_MS = 23 * 3600_000;
/** The same person uploading the same bytes again within this window gets the first photo back (a phone retrying). */
export const DEDUPE_WINDOW_MS = 12 * 3600_000;
export const MAX_PHOTOS_PER_LINK = 30;

export const THUMBNAIL_JOB = 'photos.thumbnails';
export const CLEANUP_JOB = 'photos.cleanup';

export interface PhotoSettings {
  /** Largest accepted file (bytes); larger answers 413 FILE_TOO_LARGE. */
  maxBytes: number;
  /** Largest decoded image (pixels); larger answers 400 UNSUPPORTED_FILE. */
  maxPixels: number;
  /** Files per upload request (九宫格: a phone sends up to nine). */
  maxFilesPerUpload: number;
}

export const DEFAULT_PHOTO_SETTINGS: PhotoSettings = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000, maxFilesPerUpload: 9 };

/** Photo limits from the configuration (`WENMING_PHOTO_MAX_BYTES`, `WENMING_PHOTO_MAX_PIXELS`). */
export function photoSettings(config: Config): PhotoSettings {
  return {
    maxBytes: config.photoMaxBytes ?? DEFAULT_PHOTO_SETTINGS.maxBytes,
    maxPixels: config.photoMaxPixels ?? DEFAULT_PHOTO_SETTINGS.maxPixels,
    maxFilesPerUpload: DEFAULT_PHOTO_SETTINGS.maxFilesPerUpload,
  };
}

/** The JSON shapes of a photo live in src/core/photo-views.ts (shared with the web). */
export type { LinkedPhoto, PhotoView };

export const photoUrl = (id: number, variant: ServedVariant) => `/api/v1/photos/${id}/${variant}`;
export const publicThumbUrl = (id: number) => `/api/v1/public/photos/${id}/thumb`;

export function presentPhoto(row: PhotoRow): PhotoView {
  return {
    id: row.id,
    width: row.width,
    height: row.height,
    takenAt: row.taken_at,
    gps: row.gps_lat === null || row.gps_lng === null ? null : { lat: row.gps_lat, lng: row.gps_lng },
    purpose: row.purpose,
    thumbnailsReady: row.thumbs_ready === 1,
    createdAt: row.created_at,
    urls: { original: photoUrl(row.id, 'full'), large: photoUrl(row.id, 'large'), thumb: photoUrl(row.id, 'thumb') },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Storing

export interface StorePhotoInput {
  data: Buffer;
  filename: string;
  /** null for an anonymous upload (the public citizen page). */
  uploaderId: number | null;
  purpose: PhotoPurpose;
  /** Org subtree whose staff may read the photo; defaults to the uploader's org. */
  orgPath?: string | null;
}

interface PreparedPhoto {
  input: StorePhotoInput;
  image: CheckedImage;
  sha256: string;
}

/** Checks size and content and makes the sanitized copy, all in memory; nothing is written yet. */
async function preparePhoto(deps: Deps, input: StorePhotoInput): Promise<PreparedPhoto> {
  const settings = photoSettings(deps.config);
  if (input.data.length > settings.maxBytes) throw new Problem('FILE_TOO_LARGE');
  if (!(PHOTO_PURPOSES as readonly string[]).includes(input.purpose)) throw new Problem('VALIDATION_FAILED', { field: 'purpose', reason: `must be one of ${PHOTO_PURPOSES.join(', ')}` });
  const image = await checkAndSanitize(input.data, { maxPixels: settings.maxPixels });
  return { input, image, sha256: createHash('sha256').update(input.data).digest('hex') };
}

/** The client's file name, kept for display only: path separators and control characters become `_`. */
const cleanName = (name: string) =>
  [...(name || 'photo')].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '/' || ch === '\\' ? '_' : ch)).join('').slice(-200);

async function orgPathOf(deps: Deps, userId: number): Promise<string | null> {
  const row = await deps.db.selectFrom('users').innerJoin('orgs', 'orgs.id', 'users.org_id').select('orgs.path').where('users.id', '=', userId).executeTakeFirst();
  return row?.path ?? null;
}

/** Writes a prepared photo: row, original (private) and sanitized copy, then queues its thumbnails. */
async function savePhoto(deps: Deps, p: PreparedPhoto): Promise<PhotoRow> {
  const { input, image } = p;
  const now = new Date();
  if (input.uploaderId !== null) {
    const since = new Date(now.getTime() - DEDUPE_WINDOW_MS).toISOString();
    const dup = await photoRepo.findDuplicate(deps.db, input.uploaderId, p.sha256, since);
    if (dup && (await fileSize(photoPath(deps.config.uploadDir, dup.storage_key, 'full'))) !== null) return dup;
  }
  const orgPath = input.orgPath !== undefined ? input.orgPath : input.uploaderId !== null ? await orgPathOf(deps, input.uploaderId) : null;
  const createdAt = now.toISOString();
  const row = await deps.db.transaction().execute((trx) =>
    photoRepo.insert(
      trx,
      {
        uploaderId: input.uploaderId,
        orgPath,
        purpose: input.purpose,
        originalName: cleanName(input.filename),
        originalFormat: image.format,
        originalBytes: input.data.length,
        sha256: p.sha256,
        width: image.width,
        height: image.height,
        takenAt: image.takenAt,
        gps: image.gps,
        now: createdAt,
      },
      (id) => storageKeyFor(id, createdAt),
    ),
  );
  // Files are written after the row (the key holds the id) and before the id is handed out; a crash in between
  // leaves an unlinked row that cleanup reaps.
  try {
    const dir = deps.config.uploadDir;
    await writeAtomically(photoPath(dir, row.storage_key, 'original', image.format), input.data);
    await writeAtomically(photoPath(dir, row.storage_key, 'full'), image.full);
    await enqueueJob(deps, THUMBNAIL_JOB, { photoId: row.id }, { dedupeKey: `${THUMBNAIL_JOB}:${row.id}` });
  } catch (err) {
    await removePhotoFiles(deps.config.uploadDir, row.storage_key, image.format).catch(() => {});
    await photoRepo.delete(deps.db, row.id).catch(() => {});
    throw err;
  }
  return row;
}

/** Stores one photo for any caller (upload route, public citizen page, imports). Throws 400/413 problems on bad input. */
export async function storePhoto(deps: Deps, input: StorePhotoInput): Promise<PhotoView> {
  return presentPhoto(await savePhoto(deps, await preparePhoto(deps, input)));
}

/**
 * Stores several photos all or nothing: every file is checked before any is written, and a bad one names itself
 * (`details.file`, `details.index`).
 */
export async function storePhotos(deps: Deps, inputs: StorePhotoInput[]): Promise<PhotoView[]> {
  const prepared: PreparedPhoto[] = [];
  for (const [index, input] of inputs.entries()) {
    try {
      prepared.push(await preparePhoto(deps, input));
    } catch (err) {
      if (err instanceof Problem && inputs.length > 1) throw new Problem(err.code, err.params, { file: input.filename, index });
      throw err;
    }
  }
  const rows: PhotoRow[] = [];
  for (const p of prepared) rows.push(await savePhoto(deps, p));
  return rows.map(presentPhoto);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Decides whether `actor` may read the photos of one record, e.g. the cases module: "may this user see case 42?". */
export type PhotoAccessHook = (deps: Deps, actor: Actor, ownerId: number) => Promise<boolean>;
const accessHooks = new Map<string, PhotoAccessHook>();

/** Lets readers of a record (owner type) read the photos linked to it. One hook per owner type; the last one wins. */
export function registerPhotoAccess(ownerType: string, hook: PhotoAccessHook): void {
  accessHooks.set(ownerType, hook);
}

export async function canReadPhoto(deps: Deps, actor: Actor, row: PhotoRow): Promise<boolean> {
  if (row.uploader_id !== null && row.uploader_id === actor.user.id) return true;
  if (PHOTO_SCOPE_READERS.includes(actor.user.role) && inScope(actor.user, row.org_path)) return true;
  for (const link of await photoRepo.linksOfPhoto(deps.db, row.id)) {
    const hook = accessHooks.get(link.owner_type);
    if (hook && (await hook(deps, actor, link.owner_id))) return true;
  }
  return false;
}

export interface ServedFile {
  path: string;
  size: number;
  /** The requested size was not made yet and the full copy stands in for it: do not cache it for long. */
  fallback: boolean;
}

/** The file a variant is served from: large/thumb fall back to the full copy until the thumbnail job has run. */
export async function servedFile(config: Config, row: PhotoRow, variant: ServedVariant): Promise<ServedFile | null> {
  if (variant !== 'full' && row.thumbs_ready === 1) {
    const path = photoPath(config.uploadDir, row.storage_key, variant);
    const size = await fileSize(path);
    if (size !== null) return { path, size, fallback: false };
  }
  const path = photoPath(config.uploadDir, row.storage_key, 'full');
  const size = await fileSize(path);
  return size === null ? null : { path, size, fallback: variant !== 'full' };
}

/** The file of a photo variant for a signed-in reader; a photo they may not read is "not found" (no leak). */
export async function openPhoto(deps: Deps, actor: Actor, id: number, variant: ServedVariant): Promise<ServedFile> {
  const row = await photoRepo.byId(deps.db, id);
  if (!row || !(await canReadPhoto(deps, actor, row))) throw notFound(`photo ${id}`);
  const file = await servedFile(deps.config, row, variant);
  if (!file) throw notFound(`photo ${id}`);
  return file;
}

/** The thumbnail of a photo flagged public (citizen pages, the public board); anything else is "not found". */
export async function openPublicThumb(deps: Deps, id: number): Promise<ServedFile> {
  const row = await photoRepo.byId(deps.db, id);
  if (!row || row.is_public !== 1) throw notFound(`photo ${id}`);
  const file = await servedFile(deps.config, row, 'thumb');
  if (!file) throw notFound(`photo ${id}`);
  return file;
}

export async function getPhoto(deps: Deps, actor: Actor, id: number): Promise<PhotoView> {
  const row = await photoRepo.byId(deps.db, id);
  if (!row || !(await canReadPhoto(deps, actor, row))) throw notFound(`photo ${id}`);
  return presentPhoto(row);
}

// ---------------------------------------------------------------------------------------------------------------
// Linking (called by other modules inside their own transaction)

export interface LinkOptions {
  /**
   * The caller has already checked that the actor may read these photos (e.g. copying the photos of a merged case),
   * so photos uploaded by others may be linked.
   */
  trusted?: boolean;
}

/**
 * Attaches photos to a record in the caller's transaction. A photo qualifies when it exists and either was uploaded
 * by the actor, or is anonymous (uploader null, the citizen page) and still unattached; in both cases an unattached
 * photo must be younger than the linkable window, since cleanup deletes it after 24 h. Anything else is refused as a
 * whole with 400 `VALIDATION_FAILED` on `photoIds`, without saying whose photo it is. Linking twice is a no-op.
 */
export async function linkPhotos(
  trx: Executor,
  photoIds: readonly number[],
  ownerType: string,
  ownerId: number,
  role: PhotoLinkRole,
  actor: Actor | null,
  opts: LinkOptions = {},
): Promise<void> {
  const ids = [...new Set(photoIds)];
  if (!ids.length) return;
  if (ids.length > MAX_PHOTOS_PER_LINK) throw new Problem('VALIDATION_FAILED', { field: 'photoIds', reason: `at most ${MAX_PHOTOS_PER_LINK} photos` });
  if (ids.some((id) => !Number.isSafeInteger(id) || id < 1)) throw new Problem('VALIDATION_FAILED', { field: 'photoIds', reason: 'must be photo ids' });
  if (!(PHOTO_LINK_ROLES as readonly string[]).includes(role)) throw new Problem('VALIDATION_FAILED', { field: 'role', reason: `must be one of ${PHOTO_LINK_ROLES.join(', ')}` });

  const rows = await photoRepo.byIdsForLink(trx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const linked = await photoRepo.linkedIds(trx, ids);
  const linkableSince = new Date(Date.now() - LINKABLE_WINDOW_MS).toISOString();
  const refused = ids.filter((id) => {
    const row = byId.get(id);
    if (!row) return true;
    const attached = linked.has(id);
    if (!attached && row.created_at < linkableSince) return true;
    if (opts.trusted) return false;
    if (actor && row.uploader_id === actor.user.id) return false;
    return !(row.uploader_id === null && !attached);
  });
  if (refused.length) {
    throw new Problem('VALIDATION_FAILED', { field: 'photoIds', reason: `photo ${refused.join(', ')} does not exist, has expired or is not yours to attach` });
  }
  const now = nowIso();
  await photoRepo.insertLinks(
    trx,
    ids.map((photoId) => ({ photoId, ownerType, ownerId, role, createdBy: actor?.user.id ?? null, now })),
  );
}

/** Detaches photos (all of the record's, or the given ones) in the caller's transaction. */
export async function unlinkPhotos(trx: Executor, ownerType: string, ownerId: number, photoIds?: number[]): Promise<void> {
  await photoRepo.unlink(trx, ownerType, ownerId, photoIds);
}

/** The photos of several records of one type, by owner id, for presenters (case detail, ledger export). */
export async function photosOf(db: Executor, ownerType: string, ownerIds: number[]): Promise<Map<number, LinkedPhoto[]>> {
  const rows = await photoRepo.forOwners(db, ownerType, ownerIds);
  const out = new Map<number, LinkedPhoto[]>();
  for (const r of rows) {
    const { link_owner_id: ownerId, link_role: role, ...photo } = r;
    const list = out.get(ownerId) ?? [];
    list.push({ ...presentPhoto(photo), role });
    out.set(ownerId, list);
  }
  return out;
}

/** The bytes of a served copy (falls back like the route), e.g. to embed thumbnails in the .xlsx ledger. */
export async function readPhotoVariant(deps: Pick<Deps, 'db' | 'config'>, id: number, variant: ServedVariant): Promise<Buffer | null> {
  const row = await photoRepo.byId(deps.db, id);
  if (!row) return null;
  const file = await servedFile(deps.config, row, variant);
  return file ? readFile(file.path) : null;
}

/** Flags photos public (shown on citizen pages) or private again. Later modules decide when. */
export function setPhotosPublic(db: Executor, ids: number[], isPublic: boolean): Promise<number> {
  return photoRepo.setPublic(db, ids, isPublic);
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs

/** Makes the large and thumb copies of a photo from its sanitized full copy. Safe to run twice. */
export async function makeThumbnails(deps: Deps, photoId: number): Promise<boolean> {
  const row = await photoRepo.byId(deps.db, photoId);
  if (!row || row.thumbs_ready === 1) return false;
  const dir = deps.config.uploadDir;
  // A missing full copy throws, so the job retries (the upload may still be writing it).
  const full = await readFile(photoPath(dir, row.storage_key, 'full'));
  const { large, thumb } = await makeDerivatives(full);
  await writeAtomically(photoPath(dir, row.storage_key, 'large'), large);
  await writeAtomically(photoPath(dir, row.storage_key, 'thumb'), thumb);
  await photoRepo.markThumbsReady(deps.db, photoId);
  return true;
}

/** Deletes photos that nobody attached within 24 h: rows first (a concurrent link wins), then their files. */
export async function cleanupUnlinkedPhotos(deps: Deps, now: Date = new Date()): Promise<number> {
  const before = new Date(now.getTime() - UNLINKED_TTL_MS).toISOString();
  let removed = 0;
  for (;;) {
    const batch = await photoRepo.staleUnlinked(deps.db, before, 200);
    if (!batch.length) break;
    for (const { id } of batch) {
      const gone = await photoRepo.deleteIfStale(deps.db, id, before);
      if (!gone) continue;
      await removePhotoFiles(deps.config.uploadDir, gone.storage_key, gone.original_format as ImageFormat);
      removed++;
    }
    if (batch.length < 200) break;
  }
  return removed;
}

registerJob(THUMBNAIL_JOB, async (deps, payload: { photoId?: unknown }) => {
  if (typeof payload.photoId === 'number') await makeThumbnails(deps, payload.photoId);
});
registerJob(CLEANUP_JOB, async (deps) => {
  await cleanupUnlinkedPhotos(deps);
}, 3600);
