import { describe, expect, it } from 'vitest';
import {
  areaSquareMeters,
  centroid,
  distanceToGeometryMeters,
  geometryBbox,
  haversineMeters,
  lineLengthMeters,
  representativePoint,
} from './measure.js';
import { pointInArea } from './contains.js';
import type { AreaGeometry, Geometry } from './types.js';

const sq = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const lngMetres = (lat: number) => Math.cos((lat * Math.PI) / 180) * 111_195.08;

describe('geometryBbox', () => {
  it.each<[string, Geometry, number[]]>([
    ['point', { type: 'Point', coordinates: [118, 36] }, [118, 36, 118, 36]],
    ['line', { type: 'LineString', coordinates: [[118, 36.9], [118.2, 36.8]] }, [118, 36.8, 118.2, 36.9]],
    ['polygon', { type: 'Polygon', coordinates: [sq(1, 2, 3, 4)] }, [1, 2, 3, 4]],
    ['multipolygon', { type: 'MultiPolygon', coordinates: [[sq(1, 2, 3, 4)], [sq(-5, 0, -4, 1)]] }, [-5, 0, 3, 4]],
  ])('%s', (_n, g, box) => expect(geometryBbox(g)).toEqual(box));
});

describe('haversineMeters', () => {
  it.each([
    ['one degree of latitude', [118, 36], [118, 37], 111_195, 1],
    ['0.01° of longitude at 36.81°N', [118.04, 36.81], [118.05, 36.81], 890.5, 1],
    ['Beijing to Shanghai', [116.4074, 39.9042], [121.4737, 31.2304], 1_067_000, 3_000],
    ['the same place', [118, 36], [118, 36], 0, 0.001],
  ])('%s', (_n, a, b, metres, tolerance) => {
    expect(Math.abs(haversineMeters(a, b) - metres)).toBeLessThanOrEqual(tolerance);
  });

  it('sums the legs of a line', () => {
    expect(lineLengthMeters([[118, 36], [118, 36.01], [118, 36.02]])).toBeCloseTo(2 * 1111.95, 0);
  });
});

describe('areaSquareMeters', () => {
  it('measures a 0.01° square near the demo street', () => {
    const expected = 0.01 * 111_195.08 * 0.01 * lngMetres(36.8);
    expect(areaSquareMeters({ type: 'Polygon', coordinates: [sq(118, 36.8, 118.01, 36.81)] }) / expected).toBeCloseTo(1, 2);
  });

  it('subtracts holes', () => {
    const full = areaSquareMeters({ type: 'Polygon', coordinates: [sq(0, 0, 4, 4)] });
    const holed = areaSquareMeters({ type: 'Polygon', coordinates: [sq(0, 0, 4, 4), sq(1, 1, 3, 3)] });
    expect(holed / full).toBeCloseTo(0.75, 3);
  });
});

describe('centroid', () => {
  it.each<[string, Geometry, number[]]>([
    ['point', { type: 'Point', coordinates: [118, 36] }, [118, 36]],
    ['square', { type: 'Polygon', coordinates: [sq(0, 0, 2, 2)] }, [1, 1]],
    ['line', { type: 'LineString', coordinates: [[0, 0], [4, 0]] }, [2, 0]],
    ['L-shape', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]] }, [5 / 6, 5 / 6]],
    ['two equal squares', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 1, 1)], [sq(2, 0, 3, 1)]] }, [1.5, 0.5]],
  ])('%s', (_n, g, c) => {
    const [x, y] = centroid(g);
    expect(x).toBeCloseTo(c[0], 9);
    expect(y).toBeCloseTo(c[1], 9);
  });
});

describe('representativePoint', () => {
  const uShape: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
  const donut: AreaGeometry = { type: 'Polygon', coordinates: [sq(0, 0, 4, 4), sq(1, 1, 3, 3)] };
  const crescent: AreaGeometry = {
    type: 'Polygon',
    coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 3.5], [3.5, 3.5], [3.5, 0.5], [0, 0.5], [0, 0]]],
  };

  it.each<[string, AreaGeometry]>([
    ['a U shape whose centroid is in the gap', uShape],
    ['a donut whose centroid is in the hole', donut],
    ['a thin C shape', crescent],
    ['a square', { type: 'Polygon', coordinates: [sq(118, 36.8, 118.01, 36.81)] }],
    ['a multipolygon', { type: 'MultiPolygon', coordinates: [[sq(0, 0, 1, 1)], uShape.coordinates as number[][][]] }],
  ])('lies inside %s', (_n, g) => {
    const [x, y] = representativePoint(g);
    expect(pointInArea(x, y, g)).toBe(true);
  });

  it('uses the centroid of a convex polygon', () => {
    expect(representativePoint({ type: 'Polygon', coordinates: [sq(0, 0, 2, 2)] })).toEqual([1, 1]);
  });

  it('picks the largest part of a multipolygon', () => {
    const [x] = representativePoint({ type: 'MultiPolygon', coordinates: [[sq(0, 0, 1, 1)], [sq(10, 0, 13, 3)]] });
    expect(x).toBeGreaterThan(10);
  });

  it('takes the middle of a line along its length', () => {
    expect(representativePoint({ type: 'LineString', coordinates: [[0, 0], [0, 1], [0, 4]] })).toEqual([0, 2]);
    const [x, y] = representativePoint({ type: 'LineString', coordinates: [[118, 36.8], [118.01, 36.8], [118.01, 36.81]] });
    // The two legs are 890 m and 1112 m long: the middle is on the second leg.
    expect(x).toBe(118.01);
    expect(y).toBeGreaterThan(36.8);
  });
});

describe('distanceToGeometryMeters', () => {
  const square: AreaGeometry = { type: 'Polygon', coordinates: [sq(118, 36.8, 118.01, 36.81)] };

  it('is zero inside a polygon', () => {
    expect(distanceToGeometryMeters(118.005, 36.805, square)).toBe(0);
  });

  it('measures to the nearest edge from outside', () => {
    expect(distanceToGeometryMeters(118.011, 36.805, square)).toBeCloseTo(0.001 * lngMetres(36.805), 0);
    expect(distanceToGeometryMeters(118.005, 36.7991, square)).toBeCloseTo(0.0009 * 111_195.08, 0);
  });

  it('measures to a corner diagonally', () => {
    const d = distanceToGeometryMeters(118.011, 36.811, square);
    expect(d).toBeCloseTo(Math.hypot(0.001 * lngMetres(36.811), 0.001 * 111_195.08), 0);
  });

  it('measures from inside a hole to the hole edge', () => {
    const holed: AreaGeometry = { type: 'Polygon', coordinates: [sq(0, 0, 0.04, 0.04), sq(0.01, 0.01, 0.03, 0.03)] };
    expect(distanceToGeometryMeters(0.02, 0.02, holed)).toBeCloseTo(0.01 * 111_195.08, -1);
  });

  it('measures to a line and to a point', () => {
    const road: Geometry = { type: 'LineString', coordinates: [[118, 36.8], [118.02, 36.8]] };
    expect(distanceToGeometryMeters(118.01, 36.8005, road)).toBeCloseTo(0.0005 * 111_195.08, 0);
    expect(distanceToGeometryMeters(118, 36.801, { type: 'Point', coordinates: [118, 36.8] })).toBeCloseTo(111.2, 0);
  });
});
