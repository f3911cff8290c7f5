// Coordinate systems. Wenming stores WGS-84 (GPS, EXIF, Tianditu/CGCS2000 ≈ WGS-84). Chinese web basemaps (AMap,
// Tencent) draw in GCJ-02 (国测局坐标, the "Mars" offset of a few hundred metres): convert only for display on such
// a basemap, and convert clicks on it back before storing.
import * as gcoordModule from 'gcoord';
import type { Geometry, LngLat, Position } from './types.js';

interface GcoordApi {
  transform(input: number[], from: string, to: string): unknown;
  WGS84: string;
  GCJ02: string;
}
// gcoord is CommonJS: Node hands its exports over as `default`; bundlers may hand the namespace itself.
const loaded = gcoordModule as unknown as GcoordApi & { default?: GcoordApi };
const gcoord: GcoordApi = loaded.default && typeof loaded.default.transform === 'function' ? loaded.default : loaded;

export type Crs = 'WGS84' | 'GCJ02';

export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as number[];
  return [x, y];
}

/** GCJ-02 back to WGS-84 (gcoord iterates the inverse; good to well under a metre). */
export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as number[];
  return [x, y];
}

export function convertPosition(p: readonly number[], from: Crs, to: Crs): LngLat {
  if (from === to) return [p[0], p[1]];
  return from === 'WGS84' ? wgs84ToGcj02(p[0], p[1]) : gcj02ToWgs84(p[0], p[1]);
}

/** A converted copy of the geometry; the input is left untouched. */
export function convertGeometry<G extends Geometry>(geometry: G, from: Crs, to: Crs): G {
  const conv = (p: Position): Position => convertPosition(p, from, to);
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: conv(geometry.coordinates) } as G;
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map(conv) } as G;
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(conv)) } as G;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map((r) => r.map(conv))) } as G;
  }
  return geometry;
}
