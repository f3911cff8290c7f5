// 路线: the order an inspection walks its points, and how the walk is split among the inspectors. Nearest
// neighbour from an extreme point, improved by 2-opt, then cut into contiguous legs, one per inspector, so each
// inspector walks one stretch of the route. Pure and deterministic: the same points give the same route whatever
// order they come in.
import { haversineMeters } from '../geo/measure.js';

export interface RoutePoint {
  id: number;
  lat: number;
  lng: number;
}

/** Above this many points the 2-opt pass is skipped (nearest neighbour alone is O(n²) and good enough). */
export const TWO_OPT_MAX_POINTS = 400;

const dist = (a: RoutePoint, b: RoutePoint) => haversineMeters([a.lng, a.lat], [b.lng, b.lat]);

/** Metres walked along the route in this order (straight legs). */
export function routeLength(points: readonly RoutePoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i += 1) total += dist(points[i - 1], points[i]);
  return total;
}

/**
 * The walking order of the points (their ids). Starts at the point farthest from the centre of them all (an end of
 * the area, so the walk sweeps across it instead of starting in the middle), goes to the nearest unvisited point
 * each time, then shortens the path with 2-opt moves while they help.
 */
export function walkingOrder(input: readonly RoutePoint[]): number[] {
  const pts = [...new Map(input.map((p) => [p.id, p])).values()].sort((a, b) => a.id - b.id);
  if (pts.length <= 2) return pts.map((p) => p.id);
  const centre = { id: 0, lat: pts.reduce((s, p) => s + p.lat, 0) / pts.length, lng: pts.reduce((s, p) => s + p.lng, 0) / pts.length };
  let start = 0;
  let far = -1;
  pts.forEach((p, i) => {
    const d = dist(p, centre);
    if (d > far + 1e-9) {
      far = d;
      start = i;
    }
  });
  const n = pts.length;
  const visited = new Uint8Array(n);
  const order: number[] = [start];
  visited[start] = 1;
  for (let k = 1; k < n; k += 1) {
    const cur = pts[order[k - 1]];
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j += 1) {
      if (visited[j]) continue;
      const d = dist(cur, pts[j]);
      if (d < bestD - 1e-9) {
        bestD = d;
        best = j;
      }
    }
    visited[best] = 1;
    order.push(best);
  }
  if (n <= TWO_OPT_MAX_POINTS) twoOpt(order, pts);
  return order.map((i) => pts[i].id);
}

/** 2-opt on an open path: reverse a stretch when that shortens it; stops when no move helps (or after 50 passes). */
function twoOpt(order: number[], pts: RoutePoint[]): void {
  const n = order.length;
  const d = (i: number, j: number) => dist(pts[order[i]], pts[order[j]]);
  for (let pass = 0; pass < 50; pass += 1) {
    let improved = false;
    for (let i = 0; i < n - 2; i += 1) {
      for (let j = i + 2; j < n; j += 1) {
        // Edges (i, i+1) and (j, j+1) become (i, j) and (i+1, j+1); the last point has no next edge.
        const before = d(i, i + 1) + (j + 1 < n ? d(j, j + 1) : 0);
        const after = d(i, j) + (j + 1 < n ? d(i + 1, j + 1) : 0);
        if (after < before - 1e-6) {
          for (let a = i + 1, b = j; a < b; a += 1, b -= 1) [order[a], order[b]] = [order[b], order[a]];
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
}

/**
 * Cuts a route (ids in walking order) into contiguous legs, one per inspector in the given order, as even as
 * possible (the first legs take one more when it does not divide). Returns point id → inspector id.
 */
export function splitRoute(route: readonly number[], inspectorIds: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const k = inspectorIds.length;
  if (!k) return out;
  const size = Math.floor(route.length / k);
  const extra = route.length % k;
  let at = 0;
  for (let i = 0; i < k; i += 1) {
    const len = size + (i < extra ? 1 : 0);
    for (let j = 0; j < len; j += 1) out.set(route[at + j], inspectorIds[i]);
    at += len;
  }
  return out;
}
