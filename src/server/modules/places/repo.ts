// SQL of the places area: point types, grids (org nodes of kind grid / micro_grid), points. Reads that list rows
// take the caller's subtree path; a point is visible when it lies in the subtree or its 包保单位 (guard unit) does.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../lib/context.js';
import type { PointTable } from '../../db/schema.js';
import type { Insertable } from 'kysely';
import { subtreePattern, subtreeRange } from '../../lib/scope.js';
import { POINT_TYPE_SEED, type PointTypeField } from '../../../core/places.js';
import type { PointSort } from './schema.js';
import type { Lang } from '../../errors.js';

/** `%text%` for LIKE with the wildcards in `text` taken literally (used with ESCAPE '\'). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const and = (conds: RawBuilder<unknown>[]) => sql<boolean>`${sql.join(conds, sql` and `)}`;

export interface PointTypeRow {
  code: string;
  nameZh: string;
  nameEn: string;
  geometryKind: 'point' | 'line' | 'polygon';
  fields: PointTypeField[];
  active: boolean;
}

function parseFields(text: string): PointTypeField[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? (v as PointTypeField[]) : [];
  } catch {
    return [];
  }
}

export interface PointFilter {
  scopePath: string;
  /** The viewer sits at a street or district: every point and every guard unit of its points is inside its
   * territory, so the territory range alone decides (and can use the index). */
  territorial?: boolean;
  type?: string;
  communityId?: number;
  gridId?: number;
  guardOrgId?: number;
  q?: string;
  active?: boolean;
  bbox?: [number, number, number, number];
}

/**
 * Columns of a point in a list, with the names of its type, grid, micro-grid, community and guard unit (joins,
 * one query). Kept lean: reading each value costs, and a page holds up to 200 rows.
 */
const listColumns = (lang: Lang) =>
  sql.raw(`p.id, p.name, p.type_code, p.lat, p.lng, p.grid_id, p.micro_grid_id, p.community_id, p.guard_org_id,
  p.responsible_name, p.responsible_phone, p.address, p.attrs, p.active, p.version, p.updated_at,
  ${lang === 'en-US' ? 't.name_en' : 't.name_zh'} AS type_name, gr.name AS grid_name, gr.code AS grid_code,
  mg.name AS micro_grid_name, c.name AS community_name, go.name AS guard_org_name`);

/** A single point or an export: the list columns plus what scope checks and edits need, and the geometry. */
const detailColumns = (lang: Lang) =>
  sql`${listColumns(lang)}, ${sql.raw('p.street_id, p.org_path, p.created_at, go.path AS guard_org_path, p.geometry')}`;

const POINT_JOINS = sql.raw(`FROM points p
  LEFT JOIN point_types t ON t.code = p.type_code
  LEFT JOIN orgs gr ON gr.id = p.grid_id
  LEFT JOIN orgs mg ON mg.id = p.micro_grid_id
  LEFT JOIN orgs c ON c.id = p.community_id
  LEFT JOIN orgs go ON go.id = p.guard_org_id`);

export interface PointListRow {
  id: number;
  name: string;
  type_code: string;
  lat: number;
  lng: number;
  grid_id: number;
  micro_grid_id: number | null;
  community_id: number;
  guard_org_id: number | null;
  responsible_name: string | null;
  responsible_phone: string | null;
  address: string | null;
  attrs: string;
  active: number;
  version: number;
  updated_at: string;
  type_name: string | null;
  grid_name: string | null;
  grid_code: string | null;
  micro_grid_name: string | null;
  community_name: string | null;
  guard_org_name: string | null;
}

export interface PointDetailRow extends PointListRow {
  street_id: number;
  org_path: string;
  created_at: string;
  guard_org_path: string | null;
  geometry: string;
}

function pointConditions(f: PointFilter) {
  const pattern = subtreePattern(f.scopePath);
  const [lo, hi] = subtreeRange(f.scopePath);
  const conds: RawBuilder<unknown>[] = [
    f.territorial ? sql`(p.org_path >= ${lo} AND p.org_path < ${hi})` : sql`(p.org_path LIKE ${pattern} OR go.path LIKE ${pattern})`,
  ];
  if (f.active !== undefined) conds.push(sql`p.active = ${f.active ? 1 : 0}`);
  if (f.type) conds.push(sql`p.type_code = ${f.type}`);
  if (f.communityId !== undefined) conds.push(sql`p.community_id = ${f.communityId}`);
  if (f.gridId !== undefined) conds.push(sql`(p.grid_id = ${f.gridId} OR p.micro_grid_id = ${f.gridId})`);
  if (f.guardOrgId !== undefined) conds.push(sql`p.guard_org_id = ${f.guardOrgId}`);
  if (f.q) {
    const like = containsPattern(f.q);
    conds.push(sql`(p.name LIKE ${like} ESCAPE '\\' OR p.address LIKE ${like} ESCAPE '\\')`);
  }
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    conds.push(sql`p.max_lng >= ${w} AND p.min_lng <= ${e} AND p.max_lat >= ${s} AND p.min_lat <= ${n}`);
  }
  return and(conds);
}

const SORT_SQL: Record<PointSort, string> = {
  id: 'p.id ASC',
  '-id': 'p.id DESC',
  name: 'p.name ASC, p.id ASC',
  '-name': 'p.name DESC, p.id DESC',
  type: 'p.type_code ASC, p.id ASC',
  '-type': 'p.type_code DESC, p.id DESC',
  updatedAt: 'p.updated_at ASC, p.id ASC',
  '-updatedAt': 'p.updated_at DESC, p.id DESC',
};

export interface GridListFilter {
  scopePath: string;
  communityId?: number;
  parentId?: number;
  kind?: 'grid' | 'micro_grid';
  q?: string;
}

export interface AreaFeatureRow {
  id: number;
  kind: string;
  code: string | null;
  name: string;
  parent_id: number | null;
  path: string;
  geometry: string | null;
  contact_name: string | null;
  parent_code: string | null;
  parent_name: string | null;
  grandparent_name: string | null;
  owner_name: string | null;
}

export interface RegionRow {
  id: number;
  kind: string;
  parent_id: number | null;
  code: string | null;
  name: string;
  path: string;
  geometry: string | null;
}

export type NewPoint = Insertable<PointTable>;

export const placesRepo = {
  // ---- point types ----

  /** Adds the seed point types that are missing; types the office edited are left alone. Idempotent. */
  async seedPointTypes(db: Executor): Promise<number> {
    let added = 0;
    for (const [i, t] of POINT_TYPE_SEED.entries()) {
      const res = await db
        .insertInto('point_types')
        .values({ code: t.code, name_zh: t.zh, name_en: t.en, geometry_kind: t.geometry, fields: JSON.stringify(t.fields), sort: (i + 1) * 10, active: 1 })
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      added += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  },

  async pointTypes(db: Executor, activeOnly = true): Promise<PointTypeRow[]> {
    let q = db.selectFrom('point_types').selectAll();
    if (activeOnly) q = q.where('active', '=', 1);
    const rows = await q.orderBy('sort').orderBy('code').execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      geometryKind: r.geometry_kind as PointTypeRow['geometryKind'],
      fields: parseFields(r.fields),
      active: r.active === 1,
    }));
  },

  // ---- grids ----

  /** Changes whenever a grid, micro-grid, community or street is added, edited or deactivated (any server). */
  async regionStamp(db: Executor): Promise<string> {
    const r = await db
      .selectFrom('orgs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v'), eb.fn.max('updated_at').as('u')])
      .where('kind', 'in', ['grid', 'micro_grid', 'community', 'street'])
      .executeTakeFirstOrThrow();
    return `${Number(r.n)}:${Number(r.v ?? 0)}:${r.u ?? ''}`;
  },

  /** Every active grid and micro-grid with its polygon, and the communities and streets above them. */
  async regions(db: Executor): Promise<{ regions: RegionRow[]; ancestors: RegionRow[] }> {
    const [regions, ancestors] = await Promise.all([
      db
        .selectFrom('orgs')
        .select(['id', 'kind', 'parent_id', 'code', 'name', 'path', 'geometry'])
        .where('kind', 'in', ['grid', 'micro_grid'])
        .where('active', '=', 1)
        .where('geometry', 'is not', null)
        .execute(),
      db
        .selectFrom('orgs')
        .select(['id', 'kind', 'parent_id', 'code', 'name', 'path', sql<null>`NULL`.as('geometry')])
        .where('kind', 'in', ['community', 'street'])
        .execute(),
    ]);
    return { regions, ancestors };
  },

  async listGrids(db: Executor, f: GridListFilter, page: number, pageSize: number) {
    const conds: RawBuilder<unknown>[] = [
      sql`o.path LIKE ${subtreePattern(f.scopePath)}`,
      sql`o.active = 1`,
      f.kind ? sql`o.kind = ${f.kind}` : sql`o.kind IN ('grid', 'micro_grid')`,
    ];
    if (f.communityId !== undefined) conds.push(sql`o.path LIKE ${`%/${f.communityId}/%`}`);
    if (f.parentId !== undefined) conds.push(sql`o.parent_id = ${f.parentId}`);
    if (f.q) {
      const like = containsPattern(f.q);
      conds.push(sql`(o.name LIKE ${like} ESCAPE '\\' OR o.code LIKE ${like} ESCAPE '\\')`);
    }
    const where = and(conds);
    const [items, count] = await Promise.all([
      sql<{
        id: number;
        code: string | null;
        name: string;
        kind: string;
        parent_id: number | null;
        parent_kind: string | null;
        parent_name: string | null;
        grandparent_id: number | null;
        grandparent_name: string | null;
        point_count: number;
      }>`SELECT o.id, o.code, o.name, o.kind, o.parent_id, p.kind AS parent_kind, p.name AS parent_name,
            p.parent_id AS grandparent_id, pp.name AS grandparent_name,
            (SELECT COUNT(*) FROM points pt WHERE pt.active = 1 AND (pt.grid_id = o.id OR pt.micro_grid_id = o.id)) AS point_count
          FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id LEFT JOIN orgs pp ON pp.id = p.parent_id
          WHERE ${where} ORDER BY o.code, o.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db),
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM orgs o WHERE ${where}`.execute(db),
    ]);
    return { items: items.rows, total: Number(count.rows[0]?.n ?? 0) };
  },

  /** Territorial nodes with polygons for map layers and exports, with the names the map shows. */
  async areaFeatures(db: Executor, scopePath: string, kinds: string[], opts: { communityId?: number; ids?: number[] } = {}): Promise<AreaFeatureRow[]> {
    const conds: RawBuilder<unknown>[] = [
      sql`o.kind IN (${sql.join(kinds)})`,
      sql`o.active = 1`,
      sql`o.geometry IS NOT NULL`,
    ];
    if (opts.ids) conds.push(opts.ids.length ? sql`o.id IN (${sql.join(opts.ids)})` : sql`1 = 0`);
    else conds.push(sql`o.path LIKE ${subtreePattern(scopePath)}`);
    if (opts.communityId !== undefined) conds.push(sql`o.path LIKE ${`%/${opts.communityId}/%`}`);
    const res = await sql<AreaFeatureRow>`SELECT o.id, o.kind, o.code, o.name, o.parent_id, o.path, o.geometry, o.contact_name,
        p.code AS parent_code, p.name AS parent_name, pp.name AS grandparent_name,
        (SELECT MIN(u.display_name) FROM users u WHERE u.org_id = o.id AND u.active = 1 AND u.role IN ('grid_worker', 'unit')) AS owner_name
      FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id LEFT JOIN orgs pp ON pp.id = p.parent_id
      WHERE ${and(conds)} ORDER BY o.kind, o.code, o.id`.execute(db);
    return res.rows;
  },

  orgsByCodes(db: Executor, codes: string[]) {
    if (!codes.length) return Promise.resolve([]);
    return db.selectFrom('orgs').selectAll().where('code', 'in', codes).execute();
  },

  /** Org nodes a point may name as its 包保单位, looked up by name or short name within a subtree. */
  guardCandidates(db: Executor, scopePath: string, names: string[]) {
    if (!names.length) return Promise.resolve([]);
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'short_name', 'path', 'kind'])
      .where('path', 'like', subtreePattern(scopePath))
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('name', 'in', names), eb('short_name', 'in', names)]))
      .execute();
  },

  orgById(db: Executor, id: number) {
    return db.selectFrom('orgs').select(['id', 'name', 'path', 'kind', 'active']).where('id', '=', id).executeTakeFirst();
  },

  orgsByIds(db: Executor, ids: number[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('orgs').select(['id', 'kind', 'name', 'code', 'path', 'geometry']).where('id', 'in', ids).execute();
  },

  // ---- points ----

  async insertPoints(db: Executor, rows: NewPoint[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 400) {
      const res = await db.insertInto('points').values(rows.slice(i, i + 400)).returning('id').execute();
      ids.push(...res.map((r) => r.id));
    }
    return ids;
  },

  /** Optimistic update: false when the version moved on. */
  async updatePoint(db: Executor, id: number, version: number, patch: Partial<Omit<PointTable, 'id' | 'version'>>): Promise<boolean> {
    const res = await db
      .updateTable('points')
      .set({ ...patch, version: sql`version + 1` } as never)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async pointById(db: Executor, id: number, lang: Lang = 'zh-CN'): Promise<PointDetailRow | undefined> {
    const res = await sql<PointDetailRow>`SELECT ${detailColumns(lang)} ${POINT_JOINS} WHERE p.id = ${id}`.execute(db);
    return res.rows[0];
  },

  async listPoints(db: Executor, f: PointFilter, sort: PointSort, page: number, pageSize: number, lang: Lang = 'zh-CN') {
    const where = pointConditions(f);
    const order = sql.raw(SORT_SQL[sort]);
    // Pick the page's ids first (points and guard orgs only), then join the names for those rows alone.
    const [items, count] = await Promise.all([
      sql<PointListRow>`WITH page AS (
          SELECT p.id FROM points p LEFT JOIN orgs go ON go.id = p.guard_org_id WHERE ${where}
          ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
        SELECT ${listColumns(lang)} ${POINT_JOINS} WHERE p.id IN (SELECT id FROM page) ORDER BY ${order}`.execute(db),
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM points p LEFT JOIN orgs go ON go.id = p.guard_org_id WHERE ${where}`.execute(db),
    ]);
    return { items: items.rows, total: Number(count.rows[0]?.n ?? 0) };
  },

  /** Full rows with geometry for exports. */
  async exportPoints(db: Executor, f: PointFilter, limit: number, lang: Lang = 'zh-CN'): Promise<PointDetailRow[]> {
    const res = await sql<PointDetailRow>`SELECT ${detailColumns(lang)} ${POINT_JOINS} WHERE ${pointConditions(f)}
      ORDER BY p.id LIMIT ${limit}`.execute(db);
    return res.rows;
  },

  /** The lean rows of a map layer: id, name, type and geometry. */
  async pointShapes(db: Executor, f: PointFilter, limit: number) {
    const res = await sql<{ id: number; name: string; type_code: string; geometry: string }>`SELECT p.id, p.name, p.type_code, p.geometry
      FROM points p LEFT JOIN orgs go ON go.id = p.guard_org_id WHERE ${pointConditions(f)} ORDER BY p.id LIMIT ${limit}`.execute(db);
    return res.rows;
  },

  countPoints(db: Executor) {
    return db.selectFrom('points').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  },

  /** Active points of some streets with their location, to re-assign grids after the grid shapes changed. */
  pointsOfStreets(db: Executor, streetIds: number[]) {
    if (!streetIds.length) return Promise.resolve([]);
    return db
      .selectFrom('points')
      .select(['id', 'lat', 'lng', 'grid_id', 'micro_grid_id', 'community_id', 'street_id', 'org_path'])
      .where('street_id', 'in', streetIds)
      .where('active', '=', 1)
      .execute();
  },

  relocatePoint(
    db: Executor,
    id: number,
    a: { gridId: number; microGridId: number | null; communityId: number; streetId: number; orgPath: string; now: string },
  ) {
    return db
      .updateTable('points')
      .set({
        grid_id: a.gridId,
        micro_grid_id: a.microGridId,
        community_id: a.communityId,
        street_id: a.streetId,
        org_path: a.orgPath,
        updated_at: a.now,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .execute();
  },
};

