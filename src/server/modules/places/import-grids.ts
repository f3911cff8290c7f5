// Grid import: a GeoJSON FeatureCollection whose features carry `code` (15 digits for a 网格 grid, 18 for a 微网格
// micro-grid), `name` and optionally `parentCode`. A grid hangs under the community whose code prefixes it, a
// micro-grid under its grid (in the database or earlier in the same file). Existing codes are updated in place.
// Every feature is checked first; then everything is written in one transaction, or nothing.
import type { Actor, Deps } from '../../lib/context.js';
import type { OrgRow } from '../../db/schema.js';
import { Problem, conflict } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { inScope } from '../../lib/scope.js';
import { nowIso } from '../../db/database.js';
import { RowErrors } from '../../lib/imports.js';
import { checkOrgCode, CODE_LENGTH } from '../../../core/org.js';
import Flatbush from 'flatbush';
import {
  convertGeometry,
  geometryBbox,
  parseGeometry,
  pointInArea,
  representativePoint,
  type AreaGeometry,
  type BBox,
  type Crs,
} from '../../../core/geo/index.js';
import { orgRepo } from '../org/repo.js';
import { placesRepo } from './repo.js';
import { assign, buildGridIndex, invalidateGridIndex } from './grid-cache.js';
import { featuresOf, stripNul } from './import-points.js';
import { forgetPointPages } from './service.js';

type GridKind = 'grid' | 'micro_grid';

interface GridDraft {
  row: number;
  code: string;
  kind: GridKind;
  name: string;
  /** Code of the community (for a grid) or grid (for a micro-grid) above it. */
  parentCode: string;
  geometry: AreaGeometry;
  bbox: BBox;
  inside: [number, number];
}

export interface GridImportReport {
  imported: number;
  created: number;
  updated: number;
  pointsMoved: number;
  pointsOutside: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function codeText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  return null;
}

export const isUniqueViolation = (err: unknown) => {
  const code = (err as { code?: string })?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

function parseFeature(f: unknown, row: number, crs: Crs, errors: RowErrors): GridDraft | null {
  if (!isObject(f) || f.type !== 'Feature') {
    errors.add(row, 'feature', 'is not a GeoJSON Feature');
    return null;
  }
  const p = isObject(f.properties) ? f.properties : {};
  let ok = true;
  const fail = (column: string, reason: string) => {
    errors.add(row, column, reason);
    ok = false;
  };
  const code = codeText(p.code);
  let kind: GridKind = 'grid';
  if (code === null) fail('code', typeof p.code === 'number' ? 'write an 18-digit code as a string' : 'is required (15 digits for a grid, 18 for a micro-grid)');
  else if (!/^\d+$/.test(code)) fail('code', 'has digits only');
  else if (code.length !== CODE_LENGTH.grid && code.length !== CODE_LENGTH.micro_grid) {
    fail('code', `a grid code has ${CODE_LENGTH.grid} digits and a micro-grid code ${CODE_LENGTH.micro_grid}, not ${code.length}`);
  } else {
    kind = code.length === CODE_LENGTH.grid ? 'grid' : 'micro_grid';
    const reason = checkOrgCode(kind, code, null);
    if (reason) fail('code', reason);
  }
  const parentCode = code ? code.slice(0, code.length - 3) : '';
  if (p.parentCode !== undefined && p.parentCode !== null && p.parentCode !== '') {
    const given = codeText(p.parentCode);
    if (code && given !== parentCode) fail('parentCode', `must be ${parentCode}, the code without its last three digits`);
  }
  const name = typeof p.name === 'string' ? stripNul(p.name).trim() : '';
  if (!name) fail('name', 'is required');
  else if (name.length > 100) fail('name', 'must be at most 100 characters');
  const parsed = parseGeometry(f.geometry, { allow: ['Polygon', 'MultiPolygon'], maxPositions: 20_000 });
  if (!parsed.ok) fail('geometry', parsed.reason);
  if (!ok || !parsed.ok || !code) return null;
  const geometry = convertGeometry(parsed.geometry as AreaGeometry, crs, 'WGS84');
  return { row, code, kind, name, parentCode, geometry, bbox: geometryBbox(geometry), inside: representativePoint(geometry) };
}

interface Region {
  code: string;
  kind: string;
  geometry: AreaGeometry;
  bbox: BBox;
  inside: [number, number];
}

function storedRegion(r: { code: string | null; kind: string; geometry: string | null }): Region | null {
  if (!r.code || !r.geometry) return null;
  try {
    const geometry = JSON.parse(r.geometry) as AreaGeometry;
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return null;
    return { code: r.code, kind: r.kind, geometry, bbox: geometryBbox(geometry), inside: representativePoint(geometry) };
  } catch {
    return null;
  }
}

export async function importGrids(deps: Deps, actor: Actor, value: unknown, crs: Crs = 'WGS84'): Promise<GridImportReport> {
  const features = featuresOf(value);
  if (!features.length) throw new Problem('BAD_REQUEST', { reason: 'the file holds no features' });
  const errors = new RowErrors();
  const drafts: GridDraft[] = [];
  const seen = new Map<string, number>();
  features.forEach((f, i) => {
    const d = parseFeature(f, i + 1, crs, errors);
    if (!d) return;
    const first = seen.get(d.code);
    if (first !== undefined) {
      errors.add(d.row, 'code', `appears twice (first in row ${first})`);
      return;
    }
    seen.set(d.code, d.row);
    drafts.push(d);
  });

  const inFile = new Map(drafts.map((d) => [d.code, d]));
  const stored = new Map<string, OrgRow>();
  for (const o of await placesRepo.orgsByCodes(deps.db, [...new Set(drafts.flatMap((d) => [d.code, d.parentCode]))])) {
    if (o.code) stored.set(o.code, o);
  }
  const usable = (o: OrgRow | undefined, kind: string) => !!o && o.kind === kind && o.active === 1 && inScope(actor.user, o.path);

  for (const d of drafts) {
    const existing = stored.get(d.code);
    if (existing && existing.kind !== d.kind) errors.add(d.row, 'code', `is already used by a ${existing.kind} (${existing.name})`);
    else if (existing && !inScope(actor.user, existing.path)) errors.add(d.row, 'code', 'belongs to a grid outside your area');
    if (d.kind === 'grid') {
      if (!usable(stored.get(d.parentCode), 'community')) errors.add(d.row, 'code', `no community with code ${d.parentCode} in your area`);
    } else {
      const parentDraft = inFile.get(d.parentCode);
      if (!parentDraft && !usable(stored.get(d.parentCode), 'grid')) errors.add(d.row, 'code', `no grid with code ${d.parentCode} in your area or in this file`);
    }
  }

  // Grids tile the street: a region must not cover another one's interior, and a micro-grid lies in its grid.
  const { regions } = await placesRepo.regions(deps.db);
  const final = new Map<string, Region>();
  for (const r of regions) {
    const region = r.code && !inFile.has(r.code) ? storedRegion(r) : null;
    if (region) final.set(region.code, region);
  }
  for (const d of drafts) final.set(d.code, d);
  const others = [...final.values()];
  const boxes = new Flatbush(Math.max(others.length, 1));
  for (const o of others) boxes.add(o.bbox[0], o.bbox[1], o.bbox[2], o.bbox[3]);
  if (!others.length) boxes.add(0, 0, 0, 0);
  boxes.finish();
  for (const d of drafts) {
    const clash = boxes
      .search(d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3])
      .map((i) => others[i])
      .filter((o) => o && o.code !== d.code && o.kind === d.kind)
      .sort((a, b) => a.code.localeCompare(b.code))
      .find((o) => pointInArea(d.inside[0], d.inside[1], o.geometry) || pointInArea(o.inside[0], o.inside[1], d.geometry));
    if (clash) errors.add(d.row, 'geometry', `overlaps ${clash.kind === 'grid' ? 'grid' : 'micro-grid'} ${clash.code}`);
    if (d.kind === 'micro_grid') {
      const parent = final.get(d.parentCode);
      if (parent && !pointInArea(d.inside[0], d.inside[1], parent.geometry)) errors.add(d.row, 'geometry', `lies outside its grid ${d.parentCode}`);
    }
  }
  // Rows in file order; within a row, columns in the order they were checked (the sort is stable).
  errors.list.sort((a, b) => a.row - b.row);
  errors.throwIfAny();

  const now = nowIso();
  const report: GridImportReport = { imported: drafts.length, created: 0, updated: 0, pointsMoved: 0, pointsOutside: 0 };
  try {
    await deps.db.transaction().execute(async (trx) => {
      const nodes = new Map<string, { id: number; path: string; parentId: number | null }>();
      for (const o of stored.values()) nodes.set(o.code!, { id: o.id, path: o.path, parentId: o.parent_id });
      const ordered = [...drafts].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
      const streets = new Set<number>();
      for (const d of ordered) {
        const parent = nodes.get(d.parentCode)!;
        const [minLng, minLat, maxLng, maxLat] = d.bbox;
        const existing = stored.get(d.code);
        let id: number;
        let path: string;
        if (existing) {
          const ok = await orgRepo.update(trx, existing.id, existing.version, {
            name: d.name,
            geometry: JSON.stringify(d.geometry),
            min_lng: minLng,
            min_lat: minLat,
            max_lng: maxLng,
            max_lat: maxLat,
            active: 1,
            updated_at: now,
          });
          if (!ok) throw conflict();
          id = existing.id;
          path = existing.path;
          report.updated++;
        } else {
          const created = await orgRepo.insert(trx, {
            parentId: parent.id,
            parentPath: parent.path,
            kind: d.kind,
            name: d.name,
            code: d.code,
            geometry: JSON.stringify(d.geometry),
            bbox: d.bbox,
            now,
          });
          id = created.id;
          path = created.path;
          report.created++;
        }
        nodes.set(d.code, { id, path, parentId: parent.id });
        // The street above: path is /…/street/community/grid[/micro]/.
        const ids = path.split('/').filter(Boolean).map(Number);
        const streetId = ids[ids.length - (d.kind === 'grid' ? 3 : 4)];
        if (streetId) streets.add(streetId);
        await audit(trx, actor, {
          action: existing ? 'grid.update' : 'grid.create',
          targetType: 'org',
          targetId: id,
          orgPath: path,
          detail: { code: d.code, name: d.name, kind: d.kind },
        });
      }

      // Points follow the new shapes: each is re-assigned by its stored location.
      const index = await buildGridIndex(trx);
      for (const p of await placesRepo.pointsOfStreets(trx, [...streets])) {
        const where = assign(index, p.lng, p.lat);
        if (!where) {
          report.pointsOutside++;
          continue;
        }
        const microGridId = where.microGrid?.id ?? null;
        if (where.grid.id === p.grid_id && microGridId === p.micro_grid_id && where.orgPath === p.org_path) continue;
        await placesRepo.relocatePoint(trx, p.id, {
          gridId: where.grid.id,
          microGridId,
          communityId: where.grid.community.id,
          streetId: where.grid.street.id,
          orgPath: where.orgPath,
          now,
        });
        report.pointsMoved++;
      }
      await audit(trx, actor, { action: 'grid.import', targetType: 'org', orgPath: actor.user.orgPath, detail: { ...report, crs } });
    });
  } catch (err) {
    // Another import created one of these codes at the same moment.
    if (isUniqueViolation(err)) throw conflict();
    throw err;
  } finally {
    invalidateGridIndex(deps.db);
    forgetPointPages();
  }
  deps.notify('grids', { imported: report.imported });
  return report;
}
