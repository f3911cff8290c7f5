// 网格 lookup: which grid (and micro-grid) contains a location. Built once from the grid polygons, then answers
// in a few microseconds: a packed R-tree (flatbush) narrows the candidates by bounding box, ray casting decides.
// A location on an edge shared by two grids falls in exactly one of them (half-open crossing rule); where data
// overlaps, the region with the lowest id wins so every server answers the same.
import Flatbush from 'flatbush';
import { pointInFlatRing } from './contains.js';
import type { AreaGeometry } from './types.js';

export type GridKind = 'grid' | 'micro_grid';

export interface GridRegion {
  id: number;
  kind: GridKind;
  /** A micro-grid's parent is its grid. */
  parentId: number | null;
  geometry: AreaGeometry;
}

export interface GridLocation<T> {
  grid: T | null;
  microGrid: T | null;
}

interface Part {
  owner: number;
  shell: Float64Array;
  holes: Float64Array[];
}

const flat = (ring: readonly number[][]) => {
  const out = new Float64Array(ring.length * 2);
  ring.forEach((p, i) => {
    out[i * 2] = p[0];
    out[i * 2 + 1] = p[1];
  });
  return out;
};

/** One kind of region in its own R-tree. */
class Layer<T extends GridRegion> {
  private readonly tree: Flatbush | null;
  private readonly parts: Part[] = [];

  constructor(readonly regions: T[]) {
    const boxes: number[][] = [];
    regions.forEach((region, owner) => {
      const polygons = region.geometry.type === 'Polygon' ? [region.geometry.coordinates] : region.geometry.coordinates;
      for (const rings of polygons) {
        if (!rings.length) continue;
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (const p of rings[0]) {
          if (p[0] < minX) minX = p[0];
          if (p[1] < minY) minY = p[1];
          if (p[0] > maxX) maxX = p[0];
          if (p[1] > maxY) maxY = p[1];
        }
        this.parts.push({ owner, shell: flat(rings[0]), holes: rings.slice(1).map(flat) });
        boxes.push([minX, minY, maxX, maxY]);
      }
    });
    if (!boxes.length) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(boxes.length);
    for (const b of boxes) tree.add(b[0], b[1], b[2], b[3]);
    tree.finish();
    this.tree = tree;
  }

  private contains(part: Part, lng: number, lat: number): boolean {
    if (!pointInFlatRing(lng, lat, part.shell)) return false;
    for (const hole of part.holes) if (pointInFlatRing(lng, lat, hole)) return false;
    return true;
  }

  /** The lowest-id region containing the location (regions are sorted by id), optionally only among `accept`ed ones. */
  find(lng: number, lat: number, accept?: (region: T) => boolean): T | null {
    if (!this.tree) return null;
    const hits = this.tree.search(lng, lat, lng, lat);
    let best = -1;
    for (let i = 0; i < hits.length; i++) {
      const part = this.parts[hits[i]];
      if (best !== -1 && part.owner >= best) continue;
      if (accept && !accept(this.regions[part.owner])) continue;
      if (this.contains(part, lng, lat)) best = part.owner;
    }
    return best === -1 ? null : this.regions[best];
  }
}

/**
 * An immutable index over grids and micro-grids. `locate()` answers the grid containing a location and, inside
 * it, the micro-grid; a micro-grid drawn slightly past its grid still leads to its grid when no grid matches.
 */
export class GridIndex<T extends GridRegion = GridRegion> {
  private readonly grids: Layer<T>;
  private readonly microGrids: Layer<T>;
  private readonly byId = new Map<number, T>();

  constructor(regions: readonly T[]) {
    const sorted = [...regions].sort((a, b) => a.id - b.id);
    for (const r of sorted) this.byId.set(r.id, r);
    this.grids = new Layer(sorted.filter((r) => r.kind === 'grid'));
    this.microGrids = new Layer(sorted.filter((r) => r.kind === 'micro_grid'));
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  regions(): T[] {
    return [...this.byId.values()];
  }

  /** The grid containing the location, or null. */
  gridAt(lng: number, lat: number): T | null {
    return this.grids.find(lng, lat);
  }

  locate(lng: number, lat: number): GridLocation<T> {
    let grid = this.grids.find(lng, lat);
    let microGrid: T | null;
    if (grid) {
      const gridId = grid.id;
      microGrid = this.microGrids.find(lng, lat, (m) => m.parentId === gridId);
    } else {
      microGrid = this.microGrids.find(lng, lat);
      grid = microGrid?.parentId != null ? (this.byId.get(microGrid.parentId) ?? null) : null;
      if (!grid) microGrid = null;
    }
    return { grid, microGrid };
  }
}
