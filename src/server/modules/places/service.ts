// Use cases of the places area: point types, grids, map layers, locate, points. Routes stay thin; every write
// is one transaction with a version check and an audit row.
import type { Actor, Deps, Executor } from '../../lib/context.js';
import { Problem, conflict, notFound } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { inScope } from '../../lib/scope.js';
import { nowIso } from '../../db/database.js';
import { convertPosition, parseGeometry, type Crs, type Geometry } from '../../../core/geo/index.js';
import { placesRepo, type AreaFeatureRow, type PointFilter, type PointTypeRow } from './repo.js';
import { gridIndexFor } from './grid-cache.js';
import { checkPointDraft, type PointError } from './points.js';
import { collectionText, featureText, presentPoint, seesPhones } from './present.js';
import type { PointSort } from './schema.js';
import { PHONE_VISIBLE_ROLES } from '../../../core/roles.js';

/** Adds the seed point types (core/places.ts) that are missing; safe to call on every boot. */
export const seedPointTypes = (db: Executor) => placesRepo.seedPointTypes(db);

export const MAX_MAP_FEATURES = 20_000;

// ---- point types ----

export async function listPointTypes(deps: Deps) {
  const types = await placesRepo.pointTypes(deps.db);
  return types.map(({ code, nameZh, nameEn, geometryKind, fields }) => ({ code, nameZh, nameEn, geometryKind, fields }));
}

export async function pointTypeMap(deps: Deps): Promise<Map<string, PointTypeRow>> {
  return new Map((await placesRepo.pointTypes(deps.db)).map((t) => [t.code, t]));
}

// ---- grids ----

export interface GridQuery {
  communityId?: number;
  parentId?: number;
  kind?: 'grid' | 'micro_grid';
  q?: string;
  page: number;
  pageSize: number;
}

export async function listGrids(deps: Deps, actor: Actor, query: GridQuery) {
  const { items, total } = await placesRepo.listGrids(deps.db, { scopePath: actor.user.orgPath, ...query }, query.page, query.pageSize);
  return {
    items: items.map((r) => {
      const micro = r.kind === 'micro_grid';
      return {
        id: r.id,
        code: r.code,
        name: r.name,
        kind: r.kind as 'grid' | 'micro_grid',
        parentId: r.parent_id,
        communityId: micro ? r.grandparent_id : r.parent_kind === 'community' ? r.parent_id : null,
        communityName: micro ? r.grandparent_name : r.parent_kind === 'community' ? r.parent_name : null,
        pointCount: Number(r.point_count),
      };
    }),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

function communityNameOf(r: AreaFeatureRow): string | null {
  if (r.kind === 'community') return r.name;
  if (r.kind === 'grid') return r.parent_name;
  if (r.kind === 'micro_grid') return r.grandparent_name;
  return null;
}

function areaFeature(r: AreaFeatureRow): string {
  return featureText(r.id, r.geometry, {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    parentId: r.parent_id,
    communityName: communityNameOf(r),
    ownerName: r.contact_name ?? r.owner_name,
  });
}

/** Grids and micro-grids of the caller's area as GeoJSON, re-importable through importGrids. */
export async function exportGrids(deps: Deps, actor: Actor, query: { communityId?: number; kind?: 'grid' | 'micro_grid' }): Promise<string> {
  const rows = await placesRepo.areaFeatures(deps.db, actor.user.orgPath, query.kind ? [query.kind] : ['grid', 'micro_grid'], { communityId: query.communityId });
  return collectionText(
    rows.map((r) =>
      featureText(r.id, r.geometry, { code: r.code, name: r.name, kind: r.kind, parentCode: r.parent_code, communityName: communityNameOf(r) }),
    ),
  );
}

/**
 * The map's vector layers within the caller's scope. The street outline is the caller's own street (an ancestor
 * for community and grid users), or the streets inside a district user's area.
 */
export async function mapLayers(deps: Deps, actor: Actor): Promise<string> {
  const pathIds = actor.user.orgPath.split('/').filter(Boolean).map(Number);
  const [ownStreets, inner] = await Promise.all([
    placesRepo.areaFeatures(deps.db, actor.user.orgPath, ['street'], { ids: pathIds }),
    placesRepo.areaFeatures(deps.db, actor.user.orgPath, ['street', 'community', 'grid', 'micro_grid']),
  ]);
  const streets = new Map<number, AreaFeatureRow>();
  for (const r of [...ownStreets, ...inner.filter((x) => x.kind === 'street')]) streets.set(r.id, r);
  const of = (kind: string) => collectionText(inner.filter((r) => r.kind === kind).map(areaFeature));
  const streetFeatures = [...streets.values()].map(areaFeature);
  return `{"street":${streetFeatures[0] ?? 'null'},"streets":${collectionText(streetFeatures)},"communities":${of('community')},"grids":${of('grid')},"microGrids":${of('micro_grid')}}`;
}

const refOf = (r: { id: number; name: string; code: string | null } | null | undefined) => (r ? { id: r.id, name: r.name, code: r.code } : null);

/** The street, community, grid and micro-grid at a location; OUTSIDE_GRIDS when no visible grid holds it. */
export async function locate(deps: Deps, actor: Actor, lng: number, lat: number, crs: Crs = 'WGS84') {
  const [x, y] = convertPosition([lng, lat], crs, 'WGS84');
  const index = await gridIndexFor(deps.db);
  const { grid, microGrid } = index.locate(x, y);
  if (!grid || !inScope(actor.user, grid.path)) throw new Problem('OUTSIDE_GRIDS', { field: 'lat' });
  return { street: refOf(grid.street), community: refOf(grid.community), grid: refOf(grid), microGrid: refOf(microGrid) };
}

// ---- points: reads ----

export interface PointQuery {
  type?: string;
  communityId?: number;
  gridId?: number;
  guardOrgId?: number;
  q?: string;
  active?: boolean;
  sort?: PointSort;
  page: number;
  pageSize: number;
}

const filterOf = (actor: Actor, q: Omit<PointQuery, 'page' | 'pageSize' | 'sort'>): PointFilter => ({
  scopePath: actor.user.orgPath,
  territorial: ['street', 'district'].includes(actor.user.orgKind),
  type: q.type,
  communityId: q.communityId,
  gridId: q.gridId,
  guardOrgId: q.guardOrgId,
  q: q.q,
  active: q.active ?? true,
});

// Points are reference data, read far more often than written: a page is reused for a second by viewers with the
// same scope, language and phone visibility. Point writes in this process drop the cache at once; other servers'
// writes show within the second.
const POINT_PAGE_TTL_MS = 1000;
const pointPages = new Map<string, { at: number; value: Awaited<ReturnType<typeof loadPointPage>> }>();

export function forgetPointPages(): void {
  pointPages.clear();
}

async function loadPointPage(deps: Deps, actor: Actor, query: PointQuery) {
  const { items, total } = await placesRepo.listPoints(deps.db, filterOf(actor, query), query.sort ?? '-updatedAt', query.page, query.pageSize, actor.lang);
  return { items: items.map((r) => presentPoint(r, actor)), total, page: query.page, pageSize: query.pageSize };
}

export async function listPoints(deps: Deps, actor: Actor, query: PointQuery) {
  const key = JSON.stringify([filterOf(actor, query), query.sort, query.page, query.pageSize, actor.lang, PHONE_VISIBLE_ROLES.includes(actor.user.role)]);
  const hit = pointPages.get(key);
  if (hit && Date.now() - hit.at < POINT_PAGE_TTL_MS) return hit.value;
  const value = await loadPointPage(deps, actor, query);
  if (pointPages.size > 1000) pointPages.clear();
  pointPages.set(key, { at: Date.now(), value });
  return value;
}

/** A visible point: inside the caller's subtree, or guarded by a unit inside it. Anything else is "not found". */
async function visiblePoint(deps: Deps, actor: Actor, id: number) {
  const row = await placesRepo.pointById(deps.db, id, actor.lang);
  if (!row || !(inScope(actor.user, row.org_path) || inScope(actor.user, row.guard_org_path))) throw notFound(`point ${id}`);
  return row;
}

export async function getPoint(deps: Deps, actor: Actor, id: number) {
  return presentPoint(await visiblePoint(deps, actor, id), actor);
}

/** "minLng,minLat,maxLng,maxLat" → numbers in range, or VALIDATION_FAILED naming `bbox`. */
export function parseBbox(text: string | undefined): [number, number, number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => Number(s.trim()));
  const [w, s, e, n] = parts;
  const bad = (reason: string) => new Problem('VALIDATION_FAILED', { field: 'bbox', reason });
  if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) throw bad('must be minLng,minLat,maxLng,maxLat');
  if (w < -180 || e > 180 || s < -90 || n > 90) throw bad('is outside -180..180 / -90..90');
  if (w > e || s > n) throw bad('min must not exceed max');
  return [w, s, e, n];
}

export async function pointsGeoJson(deps: Deps, actor: Actor, query: { type?: string; communityId?: number; gridId?: number; bbox?: string }) {
  const bbox = parseBbox(query.bbox);
  const rows = await placesRepo.pointShapes(deps.db, { ...filterOf(actor, query), bbox }, MAX_MAP_FEATURES);
  return collectionText(rows.map((r) => featureText(r.id, r.geometry, { id: r.id, name: r.name, typeCode: r.type_code })));
}

/** Every visible point with its details, re-importable through importPoints. */
export async function exportPoints(deps: Deps, actor: Actor, query: Omit<PointQuery, 'page' | 'pageSize' | 'sort'>) {
  const rows = await placesRepo.exportPoints(deps.db, filterOf(actor, query), 100_000, actor.lang);
  return collectionText(
    rows.map((r) => {
      const p = presentPoint(r, actor);
      return featureText(r.id, r.geometry, {
        id: p.id,
        name: p.name,
        typeCode: p.typeCode,
        typeName: p.typeName,
        address: p.address,
        guardOrg: p.guardOrgName,
        responsibleName: p.responsibleName,
        ...(seesPhones(actor) ? { responsiblePhone: p.responsiblePhone } : {}),
        gridCode: p.gridCode,
        gridName: p.gridName,
        communityName: p.communityName,
        attrs: p.attrs,
      });
    }),
  );
}

// ---- points: writes ----

export interface PointInput {
  name: string;
  typeCode: string;
  geometry: unknown;
  guardOrgId?: number | null;
  responsibleName?: string | null;
  responsiblePhone?: string | null;
  address?: string | null;
  attrs?: Record<string, unknown>;
}

function problemOf(e: PointError): Problem {
  if (e.code === 'OUTSIDE_GRIDS') return new Problem('OUTSIDE_GRIDS', { field: e.field });
  return new Problem(e.code, { field: e.field, reason: e.reason });
}

function checkedGeometry(value: unknown): Geometry {
  const parsed = parseGeometry(value);
  if (!parsed.ok) throw new Problem('INVALID_GEOMETRY', { field: 'geometry', reason: parsed.reason });
  return parsed.geometry;
}

/** A 包保单位 named by id must exist, be active and lie in the caller's area. */
async function checkGuard(deps: Deps, actor: Actor, id: number | null | undefined): Promise<number | null> {
  if (id === null || id === undefined) return null;
  const org = await placesRepo.orgById(deps.db, id);
  if (!org || !org.active || !inScope(actor.user, org.path)) {
    throw new Problem('VALIDATION_FAILED', { field: 'guardOrgId', reason: 'is not an active unit in your area' });
  }
  return org.id;
}

export async function createPoint(deps: Deps, actor: Actor, input: PointInput) {
  const types = await pointTypeMap(deps);
  const geometry = checkedGeometry(input.geometry);
  const guardOrgId = await checkGuard(deps, actor, input.guardOrgId);
  const index = await gridIndexFor(deps.db);
  const now = nowIso();
  const { row, errors } = checkPointDraft(
    index,
    actor,
    {
      name: input.name,
      type: types.get(input.typeCode) ?? null,
      geometry,
      guardOrgId,
      responsibleName: input.responsibleName ?? null,
      responsiblePhone: input.responsiblePhone ?? null,
      address: input.address ?? null,
      attrs: input.attrs ?? {},
    },
    now,
  );
  if (!row) throw problemOf(errors[0]);
  const id = await deps.db.transaction().execute(async (trx) => {
    const [newId] = await placesRepo.insertPoints(trx, [row]);
    forgetPointPages();
    await audit(trx, actor, { action: 'point.create', targetType: 'point', targetId: newId, orgPath: row.org_path, detail: { name: row.name, typeCode: row.type_code, gridId: row.grid_id } });
    return newId;
  });
  deps.notify('points', { id });
  return getPoint(deps, actor, id);
}

export interface PointPatch extends Partial<PointInput> {
  version: number;
}

/** Only points inside the caller's subtree may be changed; points seen through their guard unit are read-only. */
async function writablePoint(deps: Deps, actor: Actor, id: number) {
  const row = await visiblePoint(deps, actor, id);
  if (!inScope(actor.user, row.org_path)) throw new Problem('FORBIDDEN');
  return row;
}

export async function updatePoint(deps: Deps, actor: Actor, id: number, patch: PointPatch) {
  const current = await writablePoint(deps, actor, id);
  if (current.version !== patch.version) throw conflict();
  // A point keeps a type the office has since retired; a new type must be an active one.
  const stored = (await placesRepo.pointTypes(deps.db, false)).find((t) => t.code === (patch.typeCode ?? current.type_code));
  const type = stored && (stored.active || patch.typeCode === undefined) ? stored : null;
  const moved = patch.geometry !== undefined;
  const geometry = moved ? checkedGeometry(patch.geometry) : (JSON.parse(current.geometry!) as Geometry);
  const guardOrgId = patch.guardOrgId !== undefined ? await checkGuard(deps, actor, patch.guardOrgId) : current.guard_org_id;
  let attrs: Record<string, unknown> = patch.attrs ?? (JSON.parse(current.attrs || '{}') as Record<string, unknown>);
  if (patch.attrs === undefined && type) {
    // A changed type keeps the attributes it also has and drops the rest.
    const keys = new Set(type.fields.map((f) => f.key));
    attrs = Object.fromEntries(Object.entries(attrs).filter(([k]) => keys.has(k)));
  }
  const index = await gridIndexFor(deps.db);
  const now = nowIso();
  const pick = <T>(next: T | undefined, old: T) => (next !== undefined ? next : old);
  const { row, errors } = checkPointDraft(
    index,
    actor,
    {
      name: pick(patch.name, current.name),
      type,
      geometry,
      guardOrgId,
      responsibleName: pick(patch.responsibleName, current.responsible_name),
      responsiblePhone: pick(patch.responsiblePhone, current.responsible_phone),
      address: pick(patch.address, current.address),
      attrs,
    },
    now,
    // An unmoved point keeps its grid, even if the grids were redrawn since.
    moved ? undefined : current,
  );
  if (!row) throw problemOf(errors[0]);
  const { created_at: _created, version: _version, active: _active, ...set } = row;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await placesRepo.updatePoint(trx, id, patch.version, set))) throw conflict();
    const changed = Object.keys(patch).filter((k) => k !== 'version');
    forgetPointPages();
    await audit(trx, actor, { action: 'point.update', targetType: 'point', targetId: id, orgPath: set.org_path, detail: { changed } });
  });
  deps.notify('points', { id });
  return getPoint(deps, actor, id);
}

export async function deactivatePoint(deps: Deps, actor: Actor, id: number, version: number) {
  const current = await writablePoint(deps, actor, id);
  if (current.version !== version) throw conflict();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await placesRepo.updatePoint(trx, id, version, { active: 0, updated_at: nowIso() }))) throw conflict();
    forgetPointPages();
    await audit(trx, actor, { action: 'point.deactivate', targetType: 'point', targetId: id, orgPath: current.org_path, detail: { name: current.name } });
  });
  deps.notify('points', { id });
  return getPoint(deps, actor, id);
}
