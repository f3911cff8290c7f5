import { describe, expect, it } from 'vitest';
import { convertGeometry, gcj02ToWgs84, wgs84ToGcj02 } from './crs.js';
import { haversineMeters } from './measure.js';
import type { PolygonGeometry } from './types.js';

describe('WGS-84 ⇄ GCJ-02', () => {
  it('shifts a location in China by a few hundred metres', () => {
    const gcj = wgs84ToGcj02(118.05, 36.81);
    const shift = haversineMeters([118.05, 36.81], gcj);
    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(1000);
  });

  it('round-trips within a metre', () => {
    const [lng, lat] = wgs84ToGcj02(118.05, 36.81);
    expect(haversineMeters([118.05, 36.81], gcj02ToWgs84(lng, lat))).toBeLessThan(1);
  });

  it('leaves locations outside China alone', () => {
    expect(wgs84ToGcj02(-0.1276, 51.5072)).toEqual([-0.1276, 51.5072]);
  });

  it('converts a geometry without touching the input', () => {
    const square: PolygonGeometry = { type: 'Polygon', coordinates: [[[118, 36.8], [118.01, 36.8], [118.01, 36.81], [118, 36.8]]] };
    const copy = JSON.parse(JSON.stringify(square));
    const gcj = convertGeometry(square, 'WGS84', 'GCJ02');
    expect(square).toEqual(copy);
    expect(gcj.coordinates[0][0]).toEqual(wgs84ToGcj02(118, 36.8));
    expect(convertGeometry(square, 'WGS84', 'WGS84')).toEqual(square);
  });
});
