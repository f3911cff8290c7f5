// One GridIndex per process and database, rebuilt lazily. Several servers may share the database, so before each
// use a cheap aggregate (count, sum of versions, latest update of territorial nodes) tells whether anyone changed
// grids since the index was built; writes in this process also drop it at once.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../lib/context.js';
import { GridIndex, type AreaGeometry, type GridRegion } from '../../../core/geo/index.js';
import { placesRepo, type RegionRow } from './repo.js';

export interface PlaceRef {
  id: number;
  name: string;
  code: string | null;
}

export interface IndexedRegion extends GridRegion {
  code: string | null;
  name: string;
  /** Materialized path: a point in this region is scoped by it. */
  path: string;
  community: PlaceRef;
  street: PlaceRef;
}

export interface Assignment {
  grid: IndexedRegion;
  microGrid: IndexedRegion | null;
  /** The most specific region's path, copied to points.org_path. */
  orgPath: string;
}

interface Cached {
  stamp: string;
  checkedAt: number;
  index: GridIndex<IndexedRegion>;
}

const caches = new WeakMap<object, Cached>();

function parseArea(text: string | null): AreaGeometry | null {
  if (!text) return null;
  try {
    const g = JSON.parse(text) as { type?: string; coordinates?: unknown };
    if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates)) return g as AreaGeometry;
  } catch {
    // A broken polygon leaves its region out of the index rather than failing every lookup.
  }
  return null;
}

const ref = (r: RegionRow): PlaceRef => ({ id: r.id, name: r.name, code: r.code });

/** Builds an index from the database (or an open transaction) without caching. */
export async function buildGridIndex(db: Executor): Promise<GridIndex<IndexedRegion>> {
  const { regions, ancestors } = await placesRepo.regions(db);
  const byId = new Map<number, RegionRow>();
  for (const r of [...ancestors, ...regions]) byId.set(r.id, r);
  const chain = (r: RegionRow): { community: RegionRow; street: RegionRow } | null => {
    const gridRow = r.kind === 'micro_grid' ? byId.get(r.parent_id ?? -1) : r;
    if (!gridRow || gridRow.kind !== 'grid') return null;
    const community = byId.get(gridRow.parent_id ?? -1);
    if (!community || community.kind !== 'community') return null;
    const street = byId.get(community.parent_id ?? -1);
    if (!street || street.kind !== 'street') return null;
    return { community, street };
  };
  const indexed: IndexedRegion[] = [];
  for (const r of regions) {
    const geometry = parseArea(r.geometry);
    const up = chain(r);
    if (!geometry || !up) continue;
    indexed.push({
      id: r.id,
      kind: r.kind as IndexedRegion['kind'],
      parentId: r.parent_id,
      geometry,
      code: r.code,
      name: r.name,
      path: r.path,
      community: ref(up.community),
      street: ref(up.street),
    });
  }
  return new GridIndex(indexed);
}

/**
 * The current index of this database, rebuilt when grids changed anywhere. Hot paths (case intake) may accept an
 * index checked up to `maxAgeMs` ago: writes in this process drop it at once, other servers' within that time.
 */
export async function gridIndexFor(db: Kysely<Database>, opts: { maxAgeMs?: number } = {}): Promise<GridIndex<IndexedRegion>> {
  const cached = caches.get(db);
  const now = Date.now();
  if (cached && opts.maxAgeMs && now - cached.checkedAt < opts.maxAgeMs) return cached.index;
  const stamp = await placesRepo.regionStamp(db);
  if (cached && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached.index;
  }
  const index = await buildGridIndex(db);
  caches.set(db, { stamp, checkedAt: now, index });
  return index;
}

/** Drops the cached index; call after committing a change to grids, communities or streets. */
export function invalidateGridIndex(db: Kysely<Database>): void {
  caches.delete(db);
}

/** Where a location belongs, or null when it is outside every grid. */
export function assign(index: GridIndex<IndexedRegion>, lng: number, lat: number): Assignment | null {
  const { grid, microGrid } = index.locate(lng, lat);
  if (!grid) return null;
  return { grid, microGrid, orgPath: (microGrid ?? grid).path };
}
