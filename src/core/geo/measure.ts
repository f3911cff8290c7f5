// Measures on WGS-84 geometries: bounding boxes, centroids, a point guaranteed to lie on the geometry, lengths and
// distances in metres. Street-sized areas (a few km) are small enough for a local flat projection around the place
// of interest; haversine is used between two positions.
import { pointInPolygon, pointOnRing } from './contains.js';
import type { AreaGeometry, BBox, Geometry, LngLat, Position } from './types.js';

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator). */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'Polygon':
      for (const ring of geometry.coordinates) ring.forEach(visit);
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      break;
  }
}

export function geometryBbox(geometry: Geometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry, (p) => {
    if (p[0] < box[0]) box[0] = p[0];
    if (p[1] < box[1]) box[1] = p[1];
    if (p[0] > box[2]) box[2] = p[0];
    if (p[1] > box[3]) box[3] = p[1];
  });
  return box;
}

export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function bboxContainsPoint(box: BBox, lng: number, lat: number): boolean {
  return lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3];
}

/** Great-circle distance between two [lng, lat] positions, metres. */
export function haversineMeters(a: readonly number[], b: readonly number[]): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Length of a line, metres (sum of haversine legs). */
export function lineLengthMeters(line: readonly Position[]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) total += haversineMeters(line[i - 1], line[i]);
  return total;
}

/** Signed shoelace area in square degrees (positive = counter-clockwise), relative to the first vertex for precision. */
export function ringSignedArea(ring: readonly Position[]): number {
  if (ring.length < 3) return 0;
  const [x0, y0] = ring[0];
  let sum = 0;
  for (let i = 1; i < ring.length - 1; i++) {
    const ax = ring[i][0] - x0;
    const ay = ring[i][1] - y0;
    const bx = ring[i + 1][0] - x0;
    const by = ring[i + 1][1] - y0;
    sum += ax * by - bx * ay;
  }
  return sum / 2;
}

/** Area in square metres, on a local flat projection (good to well under 1% for street-sized shapes). */
export function areaSquareMeters(geometry: AreaGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let total = 0;
  for (const rings of polygons) {
    if (!rings.length) continue;
    const kx = Math.cos(rings[0][0][1] * RAD) * METRES_PER_DEGREE;
    const ky = METRES_PER_DEGREE;
    rings.forEach((ring, i) => {
      const a = Math.abs(ringSignedArea(ring)) * kx * ky;
      total += i === 0 ? a : -a;
    });
  }
  return total;
}

function polygonCentroid(rings: readonly (readonly Position[])[]): { x: number; y: number; area: number } | null {
  if (!rings.length || !rings[0].length) return null;
  const [x0, y0] = rings[0][0];
  let cx = 0;
  let cy = 0;
  let area = 0;
  rings.forEach((ring, r) => {
    let a = 0;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const ax = ring[i][0] - x0;
      const ay = ring[i][1] - y0;
      const bx = ring[i + 1][0] - x0;
      const by = ring[i + 1][1] - y0;
      const f = ax * by - bx * ay;
      a += f;
      sx += (ax + bx) * f;
      sy += (ay + by) * f;
    }
    a /= 2;
    if (a === 0) return;
    // Ring centroid; holes count negative whatever their winding.
    const weight = (r === 0 ? 1 : -1) * Math.abs(a);
    cx += (sx / (6 * a)) * weight;
    cy += (sy / (6 * a)) * weight;
    area += weight;
  });
  if (area <= 0) return null;
  return { x: cx / area + x0, y: cy / area + y0, area };
}

/** The centre of mass: area-weighted for polygons, length-weighted for lines. It may fall outside a concave shape. */
export function centroid(geometry: Geometry): LngLat {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates[0], geometry.coordinates[1]];
    case 'LineString': {
      const line = geometry.coordinates;
      let sx = 0;
      let sy = 0;
      let total = 0;
      for (let i = 1; i < line.length; i++) {
        const len = Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
        sx += ((line[i][0] + line[i - 1][0]) / 2) * len;
        sy += ((line[i][1] + line[i - 1][1]) / 2) * len;
        total += len;
      }
      return total > 0 ? [sx / total, sy / total] : [line[0][0], line[0][1]];
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      let sx = 0;
      let sy = 0;
      let total = 0;
      for (const rings of polygons) {
        const c = polygonCentroid(rings);
        if (!c) continue;
        sx += c.x * c.area;
        sy += c.y * c.area;
        total += c.area;
      }
      if (total > 0) return [sx / total, sy / total];
      const first = polygons[0][0][0];
      return [first[0], first[1]];
    }
  }
}

/** A point inside the polygon (never on a hole): the centroid when it is inside, else the middle of the widest
 *  horizontal chord, tried at several heights. */
function polygonInteriorPoint(rings: readonly (readonly Position[])[]): LngLat {
  const c = polygonCentroid(rings);
  if (c && pointInPolygon(c.x, c.y, rings) && !rings.some((ring) => pointOnRing(c.x, c.y, ring))) return [c.x, c.y];
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of rings[0]) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  for (const f of [0.5, 0.25, 0.75, 0.375, 0.625, 0.125, 0.875, 0.0625, 0.9375, 0.3125, 0.6875]) {
    const y = minY + (maxY - minY) * f;
    const xs: number[] = [];
    for (const ring of rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        const [ax, ay] = ring[i];
        const [bx, by] = ring[i + 1];
        if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    }
    xs.sort((a, b) => a - b);
    let best = -1;
    let bestX = 0;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const width = xs[k + 1] - xs[k];
      if (width > best) {
        best = width;
        bestX = (xs[k] + xs[k + 1]) / 2;
      }
    }
    if (best > 0) return [bestX, y];
  }
  return [rings[0][0][0], rings[0][0][1]];
}

/** The point along a line at half its length. */
function lineMidpoint(line: readonly Position[]): LngLat {
  const kx = Math.cos(line[0][1] * RAD);
  const legs: number[] = [];
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const len = Math.hypot((line[i][0] - line[i - 1][0]) * kx, line[i][1] - line[i - 1][1]);
    legs.push(len);
    total += len;
  }
  let remaining = total / 2;
  for (let i = 0; i < legs.length; i++) {
    if (remaining <= legs[i] && legs[i] > 0) {
      const t = remaining / legs[i];
      const a = line[i];
      const b = line[i + 1];
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    }
    remaining -= legs[i];
  }
  return [line[line.length - 1][0], line[line.length - 1][1]];
}

/**
 * One location that stands for the geometry and always lies on it: the point itself, the middle of a line along
 * its length, a point inside a polygon (inside the largest part of a multipolygon). Grids are assigned by it.
 */
export function representativePoint(geometry: Geometry): LngLat {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates[0], geometry.coordinates[1]];
    case 'LineString':
      return lineMidpoint(geometry.coordinates);
    case 'Polygon':
      return polygonInteriorPoint(geometry.coordinates);
    case 'MultiPolygon': {
      let largest = geometry.coordinates[0];
      let largestArea = -Infinity;
      for (const polygon of geometry.coordinates) {
        const a = Math.abs(ringSignedArea(polygon[0] ?? [])) - polygon.slice(1).reduce((s, h) => s + Math.abs(ringSignedArea(h)), 0);
        if (a > largestArea) {
          largestArea = a;
          largest = polygon;
        }
      }
      return polygonInteriorPoint(largest);
    }
  }
}

/** Distance from a location to segment a–b in metres, with x scaled by `kx` (metres per degree of longitude). */
function segmentDistance(lng: number, lat: number, a: Position, b: Position, kx: number): number {
  const ax = (a[0] - lng) * kx;
  const ay = (a[1] - lat) * METRES_PER_DEGREE;
  const bx = (b[0] - lng) * kx;
  const by = (b[1] - lat) * METRES_PER_DEGREE;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

function distanceToRings(lng: number, lat: number, rings: readonly (readonly Position[])[], kx: number): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const d = segmentDistance(lng, lat, ring[i], ring[i + 1], kx);
      if (d < best) best = d;
    }
  }
  return best;
}

/**
 * Shortest distance in metres from a location to a geometry: 0 inside a polygon, else to the nearest edge or
 * vertex. Used to decide whether a reported location "is at" a point (a road, a market). Accurate for the
 * distances that matter here (metres to a few km).
 */
export function distanceToGeometryMeters(lng: number, lat: number, geometry: Geometry): number {
  const kx = Math.cos(lat * RAD) * METRES_PER_DEGREE;
  switch (geometry.type) {
    case 'Point':
      return haversineMeters([lng, lat], geometry.coordinates);
    case 'LineString': {
      const line = geometry.coordinates;
      if (line.length === 1) return haversineMeters([lng, lat], line[0]);
      return distanceToRings(lng, lat, [line], kx);
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      let best = Infinity;
      for (const rings of polygons) {
        if (pointInPolygon(lng, lat, rings)) return 0;
        const d = distanceToRings(lng, lat, rings, kx);
        if (d < best) best = d;
      }
      return best;
    }
  }
}
