// Point-in-polygon by ray casting. The half-open crossing rule ((yi > y) !== (yj > y)) puts a point lying on an
// edge shared by two tiling polygons into exactly one of them, so a location on a grid boundary gets one grid.
import type { AreaGeometry, Position } from './types.js';

export function pointInRing(lng: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Same test over a flat [x0, y0, x1, y1, …] ring: the grid index keeps rings this way for speed. */
export function pointInFlatRing(lng: number, lat: number, ring: Float64Array): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = ring[i];
    const yi = ring[i + 1];
    const xj = ring[j];
    const yj = ring[j + 1];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the shell (ring 0) and outside every hole. */
export function pointInPolygon(lng: number, lat: number, rings: readonly (readonly Position[])[]): boolean {
  if (!rings.length || !pointInRing(lng, lat, rings[0])) return false;
  for (let h = 1; h < rings.length; h++) if (pointInRing(lng, lat, rings[h])) return false;
  return true;
}

export function pointInArea(lng: number, lat: number, geometry: AreaGeometry): boolean {
  if (geometry.type === 'Polygon') return pointInPolygon(lng, lat, geometry.coordinates);
  return geometry.coordinates.some((polygon) => pointInPolygon(lng, lat, polygon));
}

/** True when the point lies on one of the ring's edges (within `epsilon` degrees). */
export function pointOnRing(lng: number, lat: number, ring: readonly Position[], epsilon = 1e-12): boolean {
  for (let i = 0; i < ring.length - 1; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[i + 1];
    const cross = (bx - ax) * (lat - ay) - (by - ay) * (lng - ax);
    const len = Math.hypot(bx - ax, by - ay);
    if (Math.abs(cross) > epsilon * Math.max(len, 1)) continue;
    if (lng >= Math.min(ax, bx) - epsilon && lng <= Math.max(ax, bx) + epsilon && lat >= Math.min(ay, by) - epsilon && lat <= Math.max(ay, by) + epsilon) {
      return true;
    }
  }
  return false;
}
