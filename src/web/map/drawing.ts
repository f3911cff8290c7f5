// Editing a location as a list of vertices: one for a point, the bends of a line, the corners of a polygon.
import type { Geometry, Position } from 'geojson';
import type { GeometryKind } from '../../core/places.js';

export type Vertex = [number, number];

const round = (n: number) => Math.round(n * 1e7) / 1e7;

/** The vertices a person edits, from a stored geometry (the closing vertex of a ring is implied). */
export function verticesOf(geometry: Geometry | null | undefined): Vertex[] {
  if (!geometry) return [];
  const pick = (ps: Position[]) => ps.map((p) => [p[0], p[1]] as Vertex);
  switch (geometry.type) {
    case 'Point':
      return [[geometry.coordinates[0], geometry.coordinates[1]]];
    case 'LineString':
      return pick(geometry.coordinates);
    case 'Polygon': {
      const ring = pick(geometry.coordinates[0] ?? []);
      const first = ring[0];
      const last = ring[ring.length - 1];
      return ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1] ? ring.slice(0, -1) : ring;
    }
    case 'MultiPolygon':
      return verticesOf({ type: 'Polygon', coordinates: geometry.coordinates[0] ?? [] });
    case 'MultiLineString':
      return pick(geometry.coordinates[0] ?? []);
    default:
      return [];
  }
}

/** A geometry of the wanted kind from vertices, or null while there are too few. */
export function geometryOf(kind: GeometryKind, vertices: Vertex[]): Geometry | null {
  const vs = vertices.map(([x, y]) => [round(x), round(y)]);
  if (kind === 'point') return vs.length ? { type: 'Point', coordinates: vs[vs.length - 1] } : null;
  if (kind === 'line') return vs.length >= 2 ? { type: 'LineString', coordinates: vs } : null;
  return vs.length >= 3 ? { type: 'Polygon', coordinates: [[...vs, vs[0]]] } : null;
}

