// Shared checks of a point's fields, used by the API (first error answers) and the importers (every error listed
// per row). Pure apart from the grid index passed in.
import type { Actor } from '../../lib/context.js';
import type { NewPoint, PointTypeRow } from './repo.js';
import { geometryBbox, representativePoint, type Geometry, type GridIndex } from '../../../core/geo/index.js';
import { inScope } from '../../lib/scope.js';
import { assign, type Assignment, type IndexedRegion } from './grid-cache.js';
import { checkAttrs } from './attrs.js';


export interface PointError {
  /** The API field (`attrs.households` for one attribute). */
  field: string;
  code: 'VALIDATION_FAILED' | 'INVALID_GEOMETRY' | 'OUTSIDE_GRIDS';
  reason: string;
}

export interface PointDraft {
  name: string;
  type: PointTypeRow | null;
  geometry: Geometry;
  guardOrgId: number | null;
  responsibleName: string | null;
  responsiblePhone: string | null;
  address: string | null;
  attrs: Record<string, unknown>;
  /** Spreadsheet cells: numbers arrive as text. */
  attrsFromText?: boolean;
}

/** Where an unmoved point already is: kept as stored, even if grids were redrawn since. */
export type KeptLocation = Pick<NewPoint, 'lat' | 'lng' | 'grid_id' | 'micro_grid_id' | 'community_id' | 'street_id' | 'org_path'>;

/** The type's drawing kind a geometry must match; a plain point marks any type. */
const KIND_OF: Record<Geometry['type'], 'point' | 'line' | 'polygon'> = {
  Point: 'point',
  LineString: 'line',
  Polygon: 'polygon',
  MultiPolygon: 'polygon',
};

export const PHONE_PATTERN = /^[0-9+\-() ]{0,20}$/;

export function geometryMatchesType(geometry: Geometry, type: PointTypeRow): string | null {
  if (geometry.type === 'Point') return null;
  if (KIND_OF[geometry.type] === type.geometryKind) return null;
  const drawn = { point: 'a Point', line: 'a LineString (or a single Point)', polygon: 'a Polygon (or a single Point)' }[type.geometryKind];
  return `a ${type.code} is drawn as ${drawn}, not a ${geometry.type}`;
}

/** Where the geometry belongs: its representative location must fall in a grid the actor can see. */
export function locateGeometry(index: GridIndex<IndexedRegion>, actor: Actor, geometry: Geometry): { at: [number, number]; where: Assignment | null } {
  const at = representativePoint(geometry);
  const where = assign(index, at[0], at[1]);
  if (!where || !inScope(actor.user, where.grid.path)) return { at, where: null };
  return { at, where };
}

/** Checks a point and returns the row to store, or every error found. */
export function checkPointDraft(
  index: GridIndex<IndexedRegion>,
  actor: Actor,
  d: PointDraft,
  now: string,
  keep?: KeptLocation,
): { row: NewPoint | null; errors: PointError[] } {
  const errors: PointError[] = [];
  if (!d.name.trim()) errors.push({ field: 'name', code: 'VALIDATION_FAILED', reason: 'is required' });
  else if (d.name.length > 100) errors.push({ field: 'name', code: 'VALIDATION_FAILED', reason: 'must be at most 100 characters' });
  if (d.address && d.address.length > 200) errors.push({ field: 'address', code: 'VALIDATION_FAILED', reason: 'must be at most 200 characters' });
  if (d.responsibleName && d.responsibleName.length > 50) errors.push({ field: 'responsibleName', code: 'VALIDATION_FAILED', reason: 'must be at most 50 characters' });
  if (d.responsiblePhone && !PHONE_PATTERN.test(d.responsiblePhone)) {
    errors.push({ field: 'responsiblePhone', code: 'VALIDATION_FAILED', reason: 'must be a phone number (digits, +, -, spaces; at most 20)' });
  }
  let attrs: Record<string, unknown> = {};
  if (!d.type) {
    errors.push({ field: 'typeCode', code: 'VALIDATION_FAILED', reason: 'is not a known point type' });
  } else {
    const mismatch = geometryMatchesType(d.geometry, d.type);
    if (mismatch) errors.push({ field: 'geometry', code: 'INVALID_GEOMETRY', reason: mismatch });
    const checked = checkAttrs(d.type.fields, d.attrs, { fromText: d.attrsFromText, typeName: d.type.code });
    for (const e of checked.errors) errors.push({ field: `attrs.${e.key}`, code: 'VALIDATION_FAILED', reason: e.reason });
    attrs = checked.attrs;
  }
  let location: KeptLocation | null = keep
    ? { lat: keep.lat, lng: keep.lng, grid_id: keep.grid_id, micro_grid_id: keep.micro_grid_id, community_id: keep.community_id, street_id: keep.street_id, org_path: keep.org_path }
    : null;
  if (!location) {
    const { at, where } = locateGeometry(index, actor, d.geometry);
    if (where) {
      location = {
        lng: at[0],
        lat: at[1],
        grid_id: where.grid.id,
        micro_grid_id: where.microGrid?.id ?? null,
        community_id: where.grid.community.id,
        street_id: where.grid.street.id,
        org_path: where.orgPath,
      };
    } else {
      errors.push({ field: 'geometry', code: 'OUTSIDE_GRIDS', reason: 'the location is outside every grid' });
    }
  }
  if (errors.length || !location || !d.type) return { row: null, errors };
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(d.geometry);
  return {
    row: {
      name: d.name.trim(),
      type_code: d.type.code,
      geometry: JSON.stringify(d.geometry),
      min_lng: minLng,
      min_lat: minLat,
      max_lng: maxLng,
      max_lat: maxLat,
      ...location,
      guard_org_id: d.guardOrgId,
      responsible_name: d.responsibleName || null,
      responsible_phone: d.responsiblePhone || null,
      address: d.address || null,
      attrs: JSON.stringify(attrs),
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    },
    errors,
  };
}
