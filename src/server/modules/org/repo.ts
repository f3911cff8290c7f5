// SQL for the org tree. Every read that lists rows takes the caller's subtree path.
import { sql } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { OrgRow } from '../../db/schema.js';
import { subtreePattern } from '../../lib/scope.js';

export interface OrgInsert {
  parentId: number | null;
  parentPath: string | null;
  kind: string;
  name: string;
  shortName?: string | null;
  code?: string | null;
  geometry?: string | null;
  bbox?: [number, number, number, number] | null;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  sort?: number;
  now: string;
}

export interface OrgListFilter {
  scopePath: string;
  kind?: string | string[];
  parentId?: number;
  q?: string;
  active?: boolean;
}

const LIST_COLUMNS = [
  'id', 'parent_id', 'kind', 'name', 'short_name', 'code', 'path', 'depth', 'contact_name', 'contact_phone', 'address',
  'sort', 'active', 'version', 'created_at', 'updated_at',
] as const;

export const orgRepo = {
  async insert(db: Executor, o: OrgInsert): Promise<OrgRow> {
    const [minLng, minLat, maxLng, maxLat] = o.bbox ?? [null, null, null, null];
    const depth = o.parentPath ? o.parentPath.split('/').filter(Boolean).length : 0;
    const { id } = await db
      .insertInto('orgs')
      .values({
        parent_id: o.parentId,
        kind: o.kind,
        name: o.name,
        short_name: o.shortName ?? null,
        code: o.code ?? null,
        path: '/pending/',
        depth,
        geometry: o.geometry ?? null,
        min_lng: minLng,
        min_lat: minLat,
        max_lng: maxLng,
        max_lat: maxLat,
        contact_name: o.contactName ?? null,
        contact_phone: o.contactPhone ?? null,
        address: o.address ?? null,
        sort: o.sort ?? 0,
        active: 1,
        created_at: o.now,
        updated_at: o.now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${o.parentPath ?? '/'}${id}/`;
    await db.updateTable('orgs').set({ path }).where('id', '=', id).execute();
    return (await orgRepo.byId(db, id))!;
  },

  byId(db: Executor, id: number) {
    return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byIds(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([] as OrgRow[]);
    return db.selectFrom('orgs').selectAll().where('id', 'in', ids).execute();
  },

  byCode(db: Executor, code: string) {
    return db.selectFrom('orgs').selectAll().where('code', '=', code).executeTakeFirst();
  },

  /** The visible subtree without geometry, for the tree screen (a street has a few hundred nodes). */
  tree(db: Executor, scopePath: string) {
    return db
      .selectFrom('orgs as o')
      .select([
        'o.id', 'o.parent_id', 'o.kind', 'o.name', 'o.code', 'o.sort', 'o.active', 'o.path',
        (eb) => eb.selectFrom('orgs as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.parent_id', '=', 'o.id').as('child_count'),
      ])
      .where('o.path', 'like', subtreePattern(scopePath))
      .orderBy('o.depth')
      .orderBy('o.sort')
      .orderBy('o.id')
      .execute();
  },

  async list(db: Executor, f: OrgListFilter, page: number, pageSize: number) {
    let q = db.selectFrom('orgs').where('path', 'like', subtreePattern(f.scopePath));
    if (f.kind) q = Array.isArray(f.kind) ? q.where('kind', 'in', f.kind) : q.where('kind', '=', f.kind);
    if (f.parentId !== undefined) q = q.where('parent_id', '=', f.parentId);
    if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
    if (f.q) {
      const like = `%${f.q}%`;
      q = q.where((eb) => eb.or([eb('name', 'like', like), eb('code', 'like', like)]));
    }
    const [items, count] = await Promise.all([
      q.select(LIST_COLUMNS).orderBy('depth').orderBy('sort').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },

  /** Optimistic update: returns false when the version moved on (someone else saved first). */
  async update(db: Executor, id: number, version: number, patch: Partial<Omit<OrgRow, 'id' | 'version'>>): Promise<boolean> {
    const res = await db
      .updateTable('orgs')
      .set({ ...patch, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** Re-roots a subtree after a move: every descendant path and every point below it follows. */
  async movePaths(db: Executor, oldPath: string, newPath: string, depthDelta: number) {
    const cut = oldPath.length + 1;
    await db
      .updateTable('orgs')
      .set({
        path: sql`${newPath} || substr(path, ${cut})`,
        depth: sql`depth + ${depthDelta}`,
      })
      .where('path', 'like', subtreePattern(oldPath))
      .execute();
    await db
      .updateTable('points')
      .set({ org_path: sql`${newPath} || substr(org_path, ${cut})` })
      .where('org_path', 'like', subtreePattern(oldPath))
      .execute();
  },

  countChildren(db: Executor, id: number, activeOnly = true) {
    let q = db.selectFrom('orgs').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id);
    if (activeOnly) q = q.where('active', '=', 1);
    return q.executeTakeFirstOrThrow().then((r) => Number(r.n));
  },

  /** Territorial nodes of one kind with their polygons, for the grid index and map layers. */
  withGeometry(db: Executor, scopePath: string, kinds: string[]) {
    return db
      .selectFrom('orgs')
      .select(['id', 'parent_id', 'kind', 'name', 'code', 'path', 'geometry', 'contact_name', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
      .where('path', 'like', subtreePattern(scopePath))
      .where('kind', 'in', kinds)
      .where('active', '=', 1)
      .where('geometry', 'is not', null)
      .orderBy('id')
      .execute();
  },
};
