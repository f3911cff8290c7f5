import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { communityCodeOf, escapeHtml, labelPoint, parseLatLng, projectGeometry, typeColours } from './geo.js';
import { displayProjection, storageProjection } from './projection.js';
import { geometryOf, verticesOf } from './drawing.js';

describe('labelPoint', () => {
  it.each<[string, Geometry, [number, number] | null]>([
    ['point', { type: 'Point', coordinates: [118, 36] }, [118, 36]],
    ['square centroid', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }, [1, 1]],
    ['line middle vertex', { type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 2]] }, [1, 1]],
    [
      'largest part of a multipolygon',
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[10, 10], [14, 10], [14, 14], [10, 14], [10, 10]]]] },
      [12, 12],
    ],
    ['empty polygon', { type: 'Polygon', coordinates: [] }, null],
  ])('%s', (_name, geometry, expected) => {
    const at = labelPoint(geometry);
    if (expected === null) expect(at).toBeNull();
    else {
      expect(at![0]).toBeCloseTo(expected[0], 9);
      expect(at![1]).toBeCloseTo(expected[1], 9);
    }
  });
});

describe('projection', () => {
  it('leaves WGS-84 untouched when there is no GCJ-02 basemap', () => {
    expect(displayProjection('WGS84')(118.05, 36.81)).toEqual([118.05, 36.81]);
    expect(displayProjection(null)(118.05, 36.81)).toEqual([118.05, 36.81]);
  });

  it('shifts to GCJ-02 by a few hundred metres in China and back again', () => {
    const [x, y] = displayProjection('GCJ02')(118.05, 36.81);
    const shiftMetres = Math.hypot((x - 118.05) * 111_000 * Math.cos((36.81 * Math.PI) / 180), (y - 36.81) * 111_000);
    expect(shiftMetres).toBeGreaterThan(100);
    expect(shiftMetres).toBeLessThan(1000);
    const [lng, lat] = storageProjection('GCJ02')(x, y);
    expect(lng).toBeCloseTo(118.05, 5);
    expect(lat).toBeCloseTo(36.81, 5);
  });

  it('projects every position of a geometry without touching the input', () => {
    const polygon: Geometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    const moved = projectGeometry(polygon, (lng, lat) => [lng + 10, lat + 20]);
    expect(moved).toEqual({ type: 'Polygon', coordinates: [[[10, 20], [11, 20], [11, 21], [10, 20]]] });
    expect(polygon.coordinates[0][1]).toEqual([1, 0]);
  });
});

describe('drawing', () => {
  it.each<[string, Geometry, number]>([
    ['point', { type: 'Point', coordinates: [1, 2] }, 1],
    ['line', { type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] }, 3],
    ['polygon drops the closing vertex', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, 3],
  ])('verticesOf %s', (_name, geometry, count) => {
    expect(verticesOf(geometry)).toHaveLength(count);
  });

  it.each([
    ['point', [[1, 2]], { type: 'Point', coordinates: [1, 2] }],
    ['point takes the last click', [[1, 2], [3, 4]], { type: 'Point', coordinates: [3, 4] }],
    ['line needs two vertices', [[1, 2]], null],
    ['line', [[0, 0], [1, 1]], { type: 'LineString', coordinates: [[0, 0], [1, 1]] }],
    ['polygon needs three', [[0, 0], [1, 1]], null],
    ['polygon is closed', [[0, 0], [1, 0], [1, 1]], { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }],
  ] as const)('geometryOf %s', (name, vertices, expected) => {
    const kind = name.startsWith('point') ? 'point' : name.startsWith('line') ? 'line' : 'polygon';
    expect(geometryOf(kind, vertices.map((v) => [v[0], v[1]] as [number, number]))).toEqual(expected);
  });

  it('round-trips a polygon', () => {
    const polygon: Geometry = { type: 'Polygon', coordinates: [[[118.1, 36.8], [118.2, 36.8], [118.2, 36.9], [118.1, 36.8]]] };
    expect(geometryOf('polygon', verticesOf(polygon))).toEqual(polygon);
  });
});

describe('small helpers', () => {
  it.each([
    ['36.81, 118.05', { lat: 36.81, lng: 118.05 }],
    ['118.05,36.81', { lat: 36.81, lng: 118.05 }],
    ['36.81，118.05', { lat: 36.81, lng: 118.05 }],
    ['abc', null],
    ['1 2 3', null],
  ])('parseLatLng(%s)', (text, expected) => {
    expect(parseLatLng(text)).toEqual(expected);
  });

  it('derives the community code from a grid or micro-grid code', () => {
    expect(communityCodeOf('370303001002003')).toBe('370303001002');
    expect(communityCodeOf('370303001002003001')).toBe('370303001002');
    expect(communityCodeOf('3703')).toBeNull();
  });

  it('gives each type its own colour, stable by position', () => {
    const colours = typeColours(['a', 'b', 'c']);
    expect(new Set(colours.values()).size).toBe(3);
    expect(typeColours(['a', 'b', 'c']).get('b')).toBe(colours.get('b'));
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<b>"x"&\'y\'</b>')).toBe('&lt;b&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/b&gt;');
  });
});
