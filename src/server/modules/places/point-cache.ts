// One spatial index of active points (点位) per process, for matching a report to the point it is at. Like the grid
// index it is rebuilt when points change anywhere (checked at most every `maxAgeMs`).
import Flatbush from 'flatbush';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { distanceToGeometryMeters, type Geometry } from '../../../core/geo/index.js';

interface IndexedPoint {
  id: number;
  streetId: number;
  geometry: Geometry;
}

interface Cached {
  stamp: string;
  checkedAt: number;
  tree: Flatbush | null;
  points: IndexedPoint[];
}

const caches = new WeakMap<object, Cached>();

async function stampOf(db: Kysely<Database>) {
  const r = await db
    .selectFrom('points')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u'), eb.fn.sum<number>('version').as('v')])
    .executeTakeFirstOrThrow();
  return `${r.n}|${r.u ?? ''}|${r.v ?? 0}`;
}

async function build(db: Kysely<Database>, stamp: string): Promise<Cached> {
  const rows = await db.selectFrom('points').select(['id', 'street_id', 'geometry', 'min_lng', 'min_lat', 'max_lng', 'max_lat']).where('active', '=', 1).orderBy('id').execute();
  const points: IndexedPoint[] = [];
  const boxes: number[][] = [];
  for (const r of rows) {
    try {
      points.push({ id: r.id, streetId: r.street_id, geometry: JSON.parse(r.geometry) as Geometry });
      boxes.push([r.min_lng, r.min_lat, r.max_lng, r.max_lat]);
    } catch {
      // A broken geometry leaves the point out of matching rather than failing intake.
    }
  }
  let tree: Flatbush | null = null;
  if (boxes.length) {
    tree = new Flatbush(boxes.length);
    for (const b of boxes) tree.add(b[0], b[1], b[2], b[3]);
    tree.finish();
  }
  return { stamp, checkedAt: Date.now(), tree, points };
}

async function indexFor(db: Kysely<Database>, maxAgeMs: number): Promise<Cached> {
  const cached = caches.get(db);
  const now = Date.now();
  if (cached && now - cached.checkedAt < maxAgeMs) return cached;
  const stamp = await stampOf(db);
  if (cached && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached;
  }
  const fresh = await build(db, stamp);
  caches.set(db, fresh);
  return fresh;
}

/** The active point of the street nearest to a location within `radiusM`, or null. */
export async function nearestPoint(db: Kysely<Database>, streetId: number, lng: number, lat: number, radiusM: number, maxAgeMs = 1000): Promise<number | null> {
  const { tree, points } = await indexFor(db, maxAgeMs);
  if (!tree) return null;
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  let best: { id: number; d: number } | null = null;
  for (const i of tree.search(lng - dLng, lat - dLat, lng + dLng, lat + dLat)) {
    const p = points[i];
    if (p.streetId !== streetId) continue;
    const d = distanceToGeometryMeters(lng, lat, p.geometry);
    if (d <= radiusM && (!best || d < best.d || (d === best.d && p.id < best.id))) best = { id: p.id, d };
  }
  return best?.id ?? null;
}

export function invalidatePointIndex(db: Kysely<Database>): void {
  caches.delete(db);
}
