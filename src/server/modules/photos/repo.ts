// SQL for photos and their links. Times are ISO-8601 UTC text; booleans are 0/1 on both databases.
import type { Executor } from '../../lib/context.js';
import type { PhotoRow } from '../../db/schema.js';
import { isPostgres } from '../../db/database.js';

export interface PhotoInsert {
  uploaderId: number | null;
  orgPath: string | null;
  purpose: string;
  originalName: string;
  originalFormat: string;
  originalBytes: number;
  sha256: string;
  width: number;
  height: number;
  takenAt: string | null;
  gps: { lat: number; lng: number } | null;
  now: string;
}

export interface PhotoLinkInsert {
  photoId: number;
  ownerType: string;
  ownerId: number;
  role: string;
  createdBy: number | null;
  now: string;
}

export const photoRepo = {
  /** Inserts the row and fills in its storage key (which contains the id) in the same executor. */
  async insert(db: Executor, p: PhotoInsert, storageKeyFor: (id: number) => string): Promise<PhotoRow> {
    const { id } = await db
      .insertInto('photos')
      .values({
        uploader_id: p.uploaderId,
        org_path: p.orgPath,
        purpose: p.purpose,
        original_name: p.originalName,
        original_format: p.originalFormat,
        original_bytes: p.originalBytes,
        sha256: p.sha256,
        width: p.width,
        height: p.height,
        taken_at: p.takenAt,
        gps_lat: p.gps?.lat ?? null,
        gps_lng: p.gps?.lng ?? null,
        storage_key: '',
        thumbs_ready: 0,
        is_public: 0,
        created_at: p.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const storageKey = storageKeyFor(id);
    await db.updateTable('photos').set({ storage_key: storageKey }).where('id', '=', id).execute();
    return (await photoRepo.byId(db, id))!;
  },

  byId(db: Executor, id: number) {
    return db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Rows for the ids, locked against a concurrent cleanup on PostgreSQL (SQLite has one writer already). */
  byIdsForLink(db: Executor, ids: number[]) {
    const q = db.selectFrom('photos').selectAll().where('id', 'in', ids);
    return (isPostgres(db) ? q.forShare() : q).execute();
  },

  /** The same bytes uploaded by the same person since `since`: a phone retrying an upload gets its first photo back. */
  findDuplicate(db: Executor, uploaderId: number, sha256: string, since: string) {
    return db
      .selectFrom('photos')
      .selectAll()
      .where('uploader_id', '=', uploaderId)
      .where('sha256', '=', sha256)
      .where('created_at', '>=', since)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  },

  markThumbsReady(db: Executor, id: number) {
    return db.updateTable('photos').set({ thumbs_ready: 1 }).where('id', '=', id).execute();
  },

  async setPublic(db: Executor, ids: number[], isPublic: boolean): Promise<number> {
    if (!ids.length) return 0;
    const res = await db.updateTable('photos').set({ is_public: isPublic ? 1 : 0 }).where('id', 'in', ids).executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  delete(db: Executor, id: number) {
    return db.deleteFrom('photos').where('id', '=', id).execute();
  },

  linksOfPhoto(db: Executor, photoId: number) {
    return db.selectFrom('photo_links').select(['owner_type', 'owner_id', 'role']).where('photo_id', '=', photoId).orderBy('id').execute();
  },

  async linkedIds(db: Executor, photoIds: number[]): Promise<Set<number>> {
    if (!photoIds.length) return new Set();
    const rows = await db.selectFrom('photo_links').select('photo_id').distinct().where('photo_id', 'in', photoIds).execute();
    return new Set(rows.map((r) => r.photo_id));
  },

  async insertLinks(db: Executor, links: PhotoLinkInsert[]): Promise<void> {
    if (!links.length) return;
    await db
      .insertInto('photo_links')
      .values(
        links.map((l) => ({
          photo_id: l.photoId,
          owner_type: l.ownerType,
          owner_id: l.ownerId,
          role: l.role,
          created_by: l.createdBy,
          created_at: l.now,
        })),
      )
      .onConflict((oc) => oc.columns(['owner_type', 'owner_id', 'photo_id', 'role']).doNothing())
      .execute();
  },

  unlink(db: Executor, ownerType: string, ownerId: number, photoIds?: number[]) {
    let q = db.deleteFrom('photo_links').where('owner_type', '=', ownerType).where('owner_id', '=', ownerId);
    if (photoIds) q = q.where('photo_id', 'in', photoIds.length ? photoIds : [-1]);
    return q.execute();
  },

  /** Linked photos of several owners, oldest link first. */
  forOwners(db: Executor, ownerType: string, ownerIds: number[]) {
    if (!ownerIds.length) return Promise.resolve([]);
    return db
      .selectFrom('photo_links as l')
      .innerJoin('photos as p', 'p.id', 'l.photo_id')
      .selectAll('p')
      .select(['l.owner_id as link_owner_id', 'l.role as link_role'])
      .where('l.owner_type', '=', ownerType)
      .where('l.owner_id', 'in', ownerIds)
      .orderBy('l.owner_id')
      .orderBy('l.id')
      .execute();
  },

  /** Unlinked photos created before `before`: candidates for cleanup. */
  staleUnlinked(db: Executor, before: string, limit: number) {
    return db
      .selectFrom('photos as p')
      .select(['p.id'])
      .where('p.created_at', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('photo_links as l').select('l.id').whereRef('l.photo_id', '=', 'p.id'))))
      .orderBy('p.id')
      .limit(limit)
      .execute();
  },

  /** Deletes the photo only if it is still unlinked and old: a link made since the scan wins. */
  deleteIfStale(db: Executor, id: number, before: string) {
    return db
      .deleteFrom('photos')
      .where('id', '=', id)
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('photo_links').select('photo_links.id').whereRef('photo_links.photo_id', '=', 'photos.id'))))
      .returning(['id', 'storage_key', 'original_format'])
      .executeTakeFirst();
  },
};
