// Plain geometry helpers for the map and lists: label positions, colours, coordinate parsing. No map library
// and no datum conversion here, so list pages can use them without loading Leaflet or gcoord.
import type { Geometry, Position } from 'geojson';

export type LngLat = [number, number];
export type Project = (lng: number, lat: number) => LngLat;

function mapPositions(coords: Position[], project: Project): Position[] {
  return coords.map(([lng, lat, ...rest]) => [...project(lng, lat), ...rest]);
}

/** A copy of the geometry with every position projected; the input is left untouched. */
export function projectGeometry<G extends Geometry>(geometry: G, project: Project): G {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: [...project(geometry.coordinates[0], geometry.coordinates[1]), ...geometry.coordinates.slice(2)] };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: mapPositions(geometry.coordinates, project) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring) => mapPositions(ring, project)) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((poly) => poly.map((ring) => mapPositions(ring, project))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => projectGeometry(g, project)) };
    default:
      return geometry;
  }
}

function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j];
    const [x1, y1] = ring[i];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    x += (x0 + x1) * cross;
    y += (y0 + y1) * cross;
  }
  area /= 2;
  if (area === 0) return { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 };
  return { area, x: x / (6 * area), y: y / (6 * area) };
}

/** A label position: the area centroid of the largest polygon, the middle vertex of a line, the point itself. */
export function labelPoint(geometry: Geometry): LngLat | null {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates[0], geometry.coordinates[1]];
    case 'LineString': {
      const mid = geometry.coordinates[Math.floor(geometry.coordinates.length / 2)];
      return mid ? [mid[0], mid[1]] : null;
    }
    case 'MultiLineString':
      return geometry.coordinates[0] ? labelPoint({ type: 'LineString', coordinates: geometry.coordinates[0] }) : null;
    case 'Polygon': {
      const outer = geometry.coordinates[0];
      if (!outer?.length) return null;
      const c = ringAreaCentroid(outer);
      return [c.x, c.y];
    }
    case 'MultiPolygon': {
      let best: { area: number; x: number; y: number } | null = null;
      for (const poly of geometry.coordinates) {
        if (!poly[0]?.length) continue;
        const c = ringAreaCentroid(poly[0]);
        if (!best || Math.abs(c.area) > Math.abs(best.area)) best = c;
      }
      return best ? [best.x, best.y] : null;
    }
    case 'MultiPoint':
      return geometry.coordinates[0] ? [geometry.coordinates[0][0], geometry.coordinates[0][1]] : null;
    default:
      return null;
  }
}

/** Distinct, saturated colours that stay readable as small dots on a light background, cycled by index. */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#d62728', '#17becf', '#2ca02c', '#c9a100', '#9467bd', '#e7298a', '#8c564b', '#3182bd',
  '#e6550d', '#31a354', '#756bb1', '#637939', '#843c39', '#7b4173', '#0f8b8d', '#b5651d', '#393b79', '#636363',
];

export function colourAt(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** A stable colour per point type: by its position in the type list, so the legend and the map agree. */
export function typeColours(typeCodes: string[]): Map<string, string> {
  return new Map(typeCodes.map((code, i) => [code, colourAt(i)]));
}

/** Community code of a grid or micro-grid code (GB/T 30428: 6 county + 3 street + 3 community). */
export function communityCodeOf(gridCode: string | null | undefined): string | null {
  return gridCode && gridCode.length >= 12 ? gridCode.slice(0, 12) : null;
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Parses "36.81, 118.05" or "118.05,36.81" typed by a person into lat/lng, guessing order by China's ranges. */
export function parseLatLng(text: string): { lat: number; lng: number } | null {
  const parts = text.split(/[\s,，]+/).filter(Boolean).map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) return null;
  const [a, b] = parts;
  if (Math.abs(a) <= 90 && Math.abs(b) > 90) return { lat: a, lng: b };
  if (Math.abs(b) <= 90 && Math.abs(a) > 90) return { lat: b, lng: a };
  if (Math.abs(a) <= 90 && Math.abs(b) <= 180) return { lat: a, lng: b };
  return null;
}
