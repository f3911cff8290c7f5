// Output shapes. Stored geometry is GeoJSON text written by this server; map layers and exports splice it into
// the reply as is instead of parsing and re-serialising thousands of polygons.
import type { Actor } from '../../lib/context.js';
import { PHONE_VISIBLE_ROLES, maskPhone } from '../../../core/roles.js';
import type { PointDetailRow, PointListRow } from './repo.js';

export const seesPhones = (actor: Actor) => PHONE_VISIBLE_ROLES.includes(actor.user.role);

function parseObject(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const isDetail = (row: PointListRow | PointDetailRow): row is PointDetailRow => 'created_at' in row;

export function presentPoint(row: PointListRow | PointDetailRow, actor: Actor) {
  return {
    id: row.id,
    name: row.name,
    typeCode: row.type_code,
    typeName: row.type_name ?? row.type_code,
    lat: row.lat,
    lng: row.lng,
    gridId: row.grid_id,
    gridName: row.grid_name,
    gridCode: row.grid_code,
    microGridId: row.micro_grid_id,
    microGridName: row.micro_grid_name,
    communityId: row.community_id,
    communityName: row.community_name,
    guardOrgId: row.guard_org_id,
    guardOrgName: row.guard_org_name,
    responsibleName: row.responsible_name,
    responsiblePhone: seesPhones(actor) ? row.responsible_phone : maskPhone(row.responsible_phone),
    address: row.address,
    attrs: parseObject(row.attrs),
    active: row.active === 1,
    version: row.version,
    updatedAt: row.updated_at,
    ...(isDetail(row) ? { createdAt: row.created_at, geometry: JSON.parse(row.geometry) as { type: string; coordinates: unknown } } : {}),
  };
}

export type PresentedPoint = ReturnType<typeof presentPoint>;

/** Stored geometry text, or `null` when the column holds something that is not a JSON object. */
const geometryText = (text: string | null | undefined) => (text && text.trimStart().startsWith('{') ? text : 'null');

export function featureText(id: number, geometry: string | null | undefined, properties: Record<string, unknown>): string {
  return `{"type":"Feature","id":${id},"geometry":${geometryText(geometry)},"properties":${JSON.stringify(properties)}}`;
}

export const collectionText = (features: string[]) => `{"type":"FeatureCollection","features":[${features.join(',')}]}`;

export const GEOJSON_TYPE = 'application/geo+json; charset=utf-8';
