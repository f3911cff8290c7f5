import { describe, expect, it } from 'vitest';
import { parseGeometry, segmentContact, validateGeometry } from './validate.js';

const sq = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const polygon = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });

describe('validateGeometry accepts', () => {
  it.each([
    ['a point', { type: 'Point', coordinates: [118.05, 36.81] }],
    ['a point with altitude', { type: 'Point', coordinates: [118.05, 36.81, 40] }],
    ['a line', { type: 'LineString', coordinates: [[118.0, 36.8], [118.01, 36.8], [118.01, 36.81]] }],
    ['a line that crosses itself (roads may)', { type: 'LineString', coordinates: [[0, 0], [1, 1], [1, 0], [0, 1]] }],
    ['a triangle', polygon([[0, 0], [1, 0], [0, 1], [0, 0]])],
    ['a square', polygon(sq(118, 36.8, 118.01, 36.81))],
    ['a clockwise square (winding is not enforced)', polygon(sq(0, 0, 1, 1).reverse())],
    ['a square with repeated positions', polygon([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0], [0, 0]])],
    ['a square with a hole', polygon(sq(0, 0, 10, 10), sq(2, 2, 4, 4))],
    ['a hole touching the shell at one corner', polygon(sq(0, 0, 10, 10), [[0, 0], [3, 1], [1, 3], [0, 0]])],
    ['two holes side by side', polygon(sq(0, 0, 10, 10), sq(1, 1, 3, 3), sq(5, 5, 7, 7))],
    ['a concave polygon', polygon([[0, 0], [4, 0], [4, 4], [2, 1], [0, 4], [0, 0]])],
    ['a multipolygon', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 1, 1)], [sq(2, 0, 3, 1)]] }],
    ['multipolygon parts sharing an edge', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 1, 1)], [sq(1, 0, 2, 1)]] }],
    ['a part inside another part\'s hole', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 10, 10), sq(2, 2, 8, 8)], [sq(4, 4, 6, 6)]] }],
    ['the extreme ranges', { type: 'LineString', coordinates: [[-180, -90], [180, 90]] }],
  ])('%s', (_name, geometry) => {
    expect(validateGeometry(geometry)).toBeNull();
  });
});

describe('validateGeometry rejects, naming the problem', () => {
  it.each([
    ['null', null, /expected a GeoJSON geometry/],
    ['an array', [1, 2], /expected a GeoJSON geometry/],
    ['a Feature', { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] } }, /got a Feature/],
    ['a missing type', { coordinates: [0, 0] }, /"type" is missing/],
    ['an unknown type', { type: 'Circle', coordinates: [0, 0] }, /type "Circle" is not supported/],
    ['a GeometryCollection', { type: 'GeometryCollection', geometries: [] }, /not supported/],
    ['missing coordinates', { type: 'Point' }, /"coordinates" is missing/],
    ['a short position', { type: 'Point', coordinates: [1] }, /coordinates is not a position/],
    ['a long position', { type: 'Point', coordinates: [1, 2, 3, 4] }, /coordinates is not a position/],
    ['a string coordinate', { type: 'Point', coordinates: ['118', 36] }, /finite numbers/],
    ['NaN', { type: 'Point', coordinates: [Number.NaN, 36] }, /finite numbers/],
    ['Infinity', { type: 'Point', coordinates: [118, Number.POSITIVE_INFINITY] }, /finite numbers/],
    ['longitude out of range', { type: 'Point', coordinates: [181, 36] }, /longitude 181 is outside -180\.\.180/],
    ['swapped lat/lng', { type: 'Point', coordinates: [36.81, 118.05] }, /latitude 118\.05 is outside -90\.\.90 \(are longitude and latitude swapped/],
    ['a one-position line', { type: 'LineString', coordinates: [[0, 0]] }, /at least 2 positions/],
    ['a zero-length line', { type: 'LineString', coordinates: [[1, 1], [1, 1]] }, /no length/],
    ['a bad position inside a line', { type: 'LineString', coordinates: [[0, 0], [0, 'x']] }, /coordinates\[1\] must hold finite numbers/],
    ['a polygon without rings', polygon(), /at least one ring/],
    ['a polygon whose coordinates are not rings', { type: 'Polygon', coordinates: [[0, 0], [1, 1]] }, /coordinates\[0\]\[0\] is not a position/],
    ['a ring of 3 positions', polygon([[0, 0], [1, 0], [0, 0]]), /coordinates\[0\] needs at least 4 positions/],
    ['an open ring', polygon([[0, 0], [1, 0], [1, 1], [0, 1]]), /coordinates\[0\] is not closed/],
    ['a ring of two distinct corners', polygon([[0, 0], [1, 0], [1, 0], [0, 0]]), /fewer than 3 distinct corners/],
    ['a flat ring', polygon([[0, 0], [1, 0], [2, 0], [0, 0]]), /has no area/],
    ['a bow-tie', polygon([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]), /coordinates\[0\] intersects itself at \[1, 1\]/],
    ['a ring pinched at a vertex', polygon([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]), /intersects itself at \[1, 1\]/],
    ['a spike doubling back', polygon([[0, 0], [2, 0], [2, 2], [2, 3], [2, 1], [0, 2], [0, 0]]), /intersects itself/],
    ['a ring touching its own edge', polygon([[0, 0], [4, 0], [4, 4], [2, 0], [0, 4], [0, 0]]), /intersects itself at \[2, 0\]/],
    ['a hole outside the shell', polygon(sq(0, 0, 1, 1), sq(5, 5, 6, 6)), /hole coordinates\[1\] lies outside its shell/],
    ['a hole crossing the shell', polygon(sq(0, 0, 2, 2), sq(1, 1, 3, 3)), /coordinates\[1\] crosses coordinates\[0\]/],
    ['a hole sharing an edge with the shell', polygon(sq(0, 0, 4, 4), sq(0, 1, 2, 2)), /crosses coordinates\[0\]/],
    ['a hole inside a hole', polygon(sq(0, 0, 10, 10), sq(1, 1, 9, 9), sq(3, 3, 5, 5)), /hole coordinates\[2\] lies inside hole coordinates\[1\]/],
    ['crossing multipolygon parts', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 2, 2)], [sq(1, 1, 3, 3)]] }, /coordinates\[0\] and coordinates\[1\] overlap/],
    ['a part inside another part', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 10, 10)], [sq(2, 2, 3, 3)]] }, /coordinates\[1\] lies inside polygon coordinates\[0\]/],
    ['an empty multipolygon', { type: 'MultiPolygon', coordinates: [] }, /at least one polygon/],
    ['a bow-tie inside a multipolygon', { type: 'MultiPolygon', coordinates: [[sq(5, 5, 6, 6)], [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]] }, /coordinates\[1\]\[0\] intersects itself/],
  ])('%s', (_name, geometry, reason) => {
    expect(validateGeometry(geometry)).toMatch(reason);
  });

  it('limits the types accepted', () => {
    expect(validateGeometry({ type: 'Point', coordinates: [0, 0] }, { allow: ['Polygon', 'MultiPolygon'] })).toMatch(
      /a Point is not accepted here; expected Polygon or MultiPolygon/,
    );
  });

  it('limits the number of positions', () => {
    const ring = Array.from({ length: 200 }, (_, i) => [Math.cos((i / 200) * 2 * Math.PI), Math.sin((i / 200) * 2 * Math.PI)]);
    ring.push(ring[0]);
    expect(validateGeometry(polygon(ring))).toBeNull();
    expect(validateGeometry(polygon(ring), { maxPositions: 100 })).toMatch(/too many positions/);
  });

  it('gives up on a crafted shape with millions of overlapping edge boxes instead of stalling', () => {
    // A saw of long, parallel, non-touching teeth: every edge's box overlaps hundreds of others.
    const saw = (teeth: number) => {
      const ring: number[][] = [];
      for (let k = 0; k < teeth; k++) ring.push([0, k * 0.002], [1, k * 0.002 + 1]);
      ring.push([0, teeth * 0.002], [-0.01, teeth * 0.002], [-0.01, -0.01], [0, 0]);
      return polygon(ring);
    };
    expect(validateGeometry(saw(300))).toBeNull();
    expect(validateGeometry(saw(10_000))).toMatch(/too complex to check/);
  });

  it('checks a comb of long teeth', () => {
    const ring: number[][] = [[0, 0]];
    for (let k = 0; k < 2000; k++) ring.push([1, k * 0.004], [1, k * 0.004 + 0.002], [0.01, k * 0.004 + 0.002], [0.01, k * 0.004 + 0.004]);
    ring.push([0, 8], [0, 0]);
    expect(validateGeometry(polygon(ring))).toBeNull();
  });

  it('checks a ring of thousands of vertices', () => {
    const n = 5000;
    const ring = Array.from({ length: n }, (_, i) => {
      const a = (i / n) * 2 * Math.PI;
      const r = 0.01 * (1 + 0.3 * Math.sin(7 * a));
      return [118 + r * Math.cos(a), 36.8 + r * Math.sin(a)];
    });
    ring.push(ring[0]);
    expect(validateGeometry(polygon(ring))).toBeNull();
    const crossed = [...ring.slice(0, n / 2), ring[n / 2 + 10], ring[n / 2 - 10], ...ring.slice(n / 2 + 20)];
    expect(validateGeometry(polygon(crossed))).toMatch(/intersects itself/);
  });
});

describe('parseGeometry', () => {
  it('returns a clean 2D copy without foreign members', () => {
    const parsed = parseGeometry({ type: 'Point', coordinates: [118, 36, 12], bbox: [0, 0, 1, 1], crs: { type: 'name' } });
    expect(parsed).toEqual({ ok: true, geometry: { type: 'Point', coordinates: [118, 36] } });
  });

  it('drops repeated positions from rings', () => {
    const parsed = parseGeometry(polygon([[0, 0], [1, 0], [1, 0], [1, 1], [0, 0]]));
    expect(parsed.ok && parsed.geometry.coordinates).toEqual([[[0, 0], [1, 0], [1, 1], [0, 0]]]);
  });
});

describe('segmentContact', () => {
  it.each([
    [[0, 0], [2, 2], [0, 2], [2, 0], 'proper'],
    [[0, 0], [2, 0], [1, 0], [1, 1], 'touch'],
    [[0, 0], [2, 0], [2, 0], [3, 0], 'touch'],
    [[0, 0], [2, 0], [1, 0], [3, 0], 'overlap'],
    [[0, 0], [0, 2], [0, 1], [0, 3], 'overlap'],
    [[0, 0], [1, 0], [2, 0], [3, 0], 'none'],
    [[0, 0], [1, 1], [0, 1], [0.4, 0.6], 'none'],
  ] as const)('%j–%j against %j–%j: %s', (a, b, c, d, kind) => {
    expect(segmentContact([...a] as [number, number], [...b] as [number, number], [...c] as [number, number], [...d] as [number, number]).kind).toBe(kind);
  });
});
