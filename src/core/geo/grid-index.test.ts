import { describe, expect, it } from 'vitest';
import { GridIndex, type GridRegion } from './grid-index.js';
import { pointInArea } from './contains.js';

const sq = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});

interface Region extends GridRegion {
  name: string;
}

/** A 2×2 block of 0.01° grids, each split into a west and an east micro-grid. */
function block(): Region[] {
  const regions: Region[] = [];
  let id = 1;
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 2; col++) {
      const w = 118 + col * 0.01;
      const s = 36.8 + row * 0.01;
      const grid: Region = { id: id++, kind: 'grid', parentId: null, name: `g${row}${col}`, geometry: sq(w, s, w + 0.01, s + 0.01) };
      regions.push(grid);
      regions.push({ id: id++, kind: 'micro_grid', parentId: grid.id, name: `m${row}${col}w`, geometry: sq(w, s, w + 0.005, s + 0.01) });
      regions.push({ id: id++, kind: 'micro_grid', parentId: grid.id, name: `m${row}${col}e`, geometry: sq(w + 0.005, s, w + 0.01, s + 0.01) });
    }
  }
  return regions;
}

describe('GridIndex', () => {
  const index = new GridIndex(block());

  it.each([
    [118.002, 36.805, 'g00', 'm00w'],
    [118.007, 36.805, 'g00', 'm00e'],
    [118.012, 36.805, 'g01', 'm01w'],
    [118.018, 36.815, 'g11', 'm11e'],
  ])('locates (%d, %d) in %s / %s', (lng, lat, grid, micro) => {
    const found = index.locate(lng, lat);
    expect(found.grid?.name).toBe(grid);
    expect(found.microGrid?.name).toBe(micro);
  });

  it('answers null outside every grid', () => {
    expect(index.locate(118.03, 36.805)).toEqual({ grid: null, microGrid: null });
    expect(index.locate(0, 0)).toEqual({ grid: null, microGrid: null });
    expect(index.gridAt(117.999, 36.805)).toBeNull();
  });

  it('puts a location on a shared edge or corner into exactly one grid', () => {
    for (const [lng, lat] of [[118.01, 36.805], [118.005, 36.81], [118.01, 36.81]]) {
      const containing = block().filter((r) => r.kind === 'grid' && pointInArea(lng, lat, r.geometry));
      expect(containing).toHaveLength(1);
      expect(index.gridAt(lng, lat)?.id).toBe(containing[0].id);
    }
  });

  it('agrees with brute force over many locations', () => {
    const regions = block();
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const lng = 117.995 + rand() * 0.03;
      const lat = 36.795 + rand() * 0.03;
      const expected = regions.filter((r) => r.kind === 'grid' && pointInArea(lng, lat, r.geometry)).map((r) => r.id);
      const found = index.gridAt(lng, lat);
      if (expected.length === 0) expect(found).toBeNull();
      else expect(expected).toContain(found?.id);
    }
  });

  it('lets the lowest id win where grids overlap', () => {
    const overlap = new GridIndex<Region>([
      { id: 9, kind: 'grid', parentId: null, name: 'late', geometry: sq(0, 0, 2, 2) },
      { id: 3, kind: 'grid', parentId: null, name: 'early', geometry: sq(1, 1, 3, 3) },
    ]);
    expect(overlap.gridAt(1.5, 1.5)?.name).toBe('early');
    expect(overlap.gridAt(0.5, 0.5)?.name).toBe('late');
  });

  it('respects holes and multipolygons', () => {
    const holed = new GridIndex<Region>([
      { id: 1, kind: 'grid', parentId: null, name: 'ring', geometry: { type: 'Polygon', coordinates: [sq(0, 0, 4, 4).coordinates[0], sq(1, 1, 3, 3).coordinates[0]] } },
      { id: 2, kind: 'grid', parentId: null, name: 'island', geometry: sq(1, 1, 3, 3) },
      { id: 3, kind: 'grid', parentId: null, name: 'two parts', geometry: { type: 'MultiPolygon', coordinates: [sq(10, 0, 11, 1).coordinates, sq(20, 0, 21, 1).coordinates] } },
    ]);
    expect(holed.gridAt(0.5, 0.5)?.name).toBe('ring');
    expect(holed.gridAt(2, 2)?.name).toBe('island');
    expect(holed.gridAt(20.5, 0.5)?.name).toBe('two parts');
    expect(holed.gridAt(15, 0.5)).toBeNull();
  });

  it('only pairs a grid with its own micro-grids', () => {
    const odd = new GridIndex<Region>([
      { id: 1, kind: 'grid', parentId: null, name: 'g', geometry: sq(0, 0, 1, 1) },
      { id: 2, kind: 'micro_grid', parentId: 99, name: 'stray', geometry: sq(0, 0, 1, 1) },
    ]);
    expect(odd.locate(0.5, 0.5)).toMatchObject({ grid: { name: 'g' }, microGrid: null });
  });

  it('falls back to the grid of a micro-grid drawn past its grid', () => {
    const spill = new GridIndex<Region>([
      { id: 1, kind: 'grid', parentId: null, name: 'g', geometry: sq(0, 0, 1, 1) },
      { id: 2, kind: 'micro_grid', parentId: 1, name: 'm', geometry: sq(0.5, 0, 1.01, 1) },
    ]);
    expect(spill.locate(1.005, 0.5)).toMatchObject({ grid: { name: 'g' }, microGrid: { name: 'm' } });
  });

  it('works empty and exposes its regions', () => {
    const empty = new GridIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(1, 1)).toEqual({ grid: null, microGrid: null });
    expect(index.size).toBe(12);
    expect(index.get(1)?.name).toBe('g00');
    expect(index.regions().map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
