import { describe, expect, it } from 'vitest';
import { pointInArea, pointInFlatRing, pointInPolygon, pointInRing, pointOnRing } from './contains.js';

const sq = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

describe('point in polygon', () => {
  it.each([
    [0.5, 0.5, true],
    [1.5, 0.5, false],
    [-0.0001, 0.5, false],
    [0.9999, 0.9999, true],
  ])('(%d, %d) in the unit square: %s', (x, y, inside) => {
    expect(pointInRing(x, y, sq(0, 0, 1, 1))).toBe(inside);
    expect(pointInFlatRing(x, y, Float64Array.from(sq(0, 0, 1, 1).flat()))).toBe(inside);
  });

  it('excludes holes', () => {
    const rings = [sq(0, 0, 4, 4), sq(1, 1, 3, 3)];
    expect(pointInPolygon(0.5, 0.5, rings)).toBe(true);
    expect(pointInPolygon(2, 2, rings)).toBe(false);
    expect(pointInPolygon(5, 5, rings)).toBe(false);
  });

  it('tests every part of a multipolygon', () => {
    const g = { type: 'MultiPolygon' as const, coordinates: [[sq(0, 0, 1, 1)], [sq(2, 0, 3, 1)]] };
    expect(pointInArea(2.5, 0.5, g)).toBe(true);
    expect(pointInArea(1.5, 0.5, g)).toBe(false);
  });

  it('gives a point on a shared edge to exactly one of two tiling squares', () => {
    const west = sq(0, 0, 1, 1);
    const east = sq(1, 0, 2, 1);
    for (const [x, y] of [[1, 0.5], [1, 0.25], [0.5, 1], [1, 1]]) {
      const count = Number(pointInRing(x, y, west)) + Number(pointInRing(x, y, east)) + Number(pointInRing(x, y, sq(0, 1, 1, 2))) + Number(pointInRing(x, y, sq(1, 1, 2, 2)));
      expect(count).toBe(1);
    }
  });

  it('recognises a point on a ring boundary', () => {
    expect(pointOnRing(0.5, 0, sq(0, 0, 1, 1))).toBe(true);
    expect(pointOnRing(0.5, 0.1, sq(0, 0, 1, 1))).toBe(false);
  });
});
