// Validation of GeoJSON geometries from users, files and other systems. Every failure comes back as a reason that
// names the offending member (`coordinates[0][3]`) and what is wrong with it, for the INVALID_GEOMETRY error.
// Checks: known type, positions of 2–3 finite numbers within WGS-84 ranges, lines with 2+ distinct positions,
// rings closed with ≥4 positions and a non-zero area, no self-intersections, rings of one polygon not crossing,
// holes inside their shell and not inside each other, parts of a multipolygon not overlapping.
import Flatbush from 'flatbush';
import { pointInPolygon, pointInRing, pointOnRing } from './contains.js';
import { ringSignedArea } from './measure.js';
import type { Geometry, GeometryType, LngLat, Position } from './types.js';
import { GEOMETRY_TYPES } from './types.js';

export interface GeometryCheckOptions {
  /** Geometry types accepted here (default: all four). */
  allow?: readonly GeometryType[];
  /** Upper bound on positions, which bounds the time spent checking (default 50,000). */
  maxPositions?: number;
}

export type GeometryParse = { ok: true; geometry: Geometry } | { ok: false; reason: string };

export const DEFAULT_MAX_POSITIONS = 50_000;

class GeometryError extends Error {}
function fail(reason: string): never {
  throw new GeometryError(reason);
}

const fmt = (n: number) => String(Math.round(n * 1e7) / 1e7);
const at = (p: readonly number[]) => `[${fmt(p[0])}, ${fmt(p[1])}]`;

/** Returns null when the geometry is valid, else the reason. */
export function validateGeometry(value: unknown, opts: GeometryCheckOptions = {}): string | null {
  const parsed = parseGeometry(value, opts);
  return parsed.ok ? null : parsed.reason;
}

/**
 * Validates and returns a clean copy: only `type` and `coordinates`, positions reduced to [lng, lat] (altitude
 * and foreign members such as `bbox` or `crs` are dropped).
 */
export function parseGeometry(value: unknown, opts: GeometryCheckOptions = {}): GeometryParse {
  try {
    return { ok: true, geometry: parse(value, opts) };
  } catch (err) {
    if (err instanceof GeometryError) return { ok: false, reason: err.message };
    throw err;
  }
}

function parse(value: unknown, opts: GeometryCheckOptions): Geometry {
  const allow = opts.allow ?? GEOMETRY_TYPES;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('expected a GeoJSON geometry object');
  const g = value as { type?: unknown; coordinates?: unknown };
  if (g.type === 'Feature') fail('expected a geometry, got a Feature (send its "geometry" member)');
  if (typeof g.type !== 'string') fail('"type" is missing');
  const type = g.type as string;
  if (!(GEOMETRY_TYPES as readonly string[]).includes(type)) {
    fail(`type "${type.slice(0, 40)}" is not supported; use ${GEOMETRY_TYPES.join(', ')}`);
  }
  if (!allow.includes(type as GeometryType)) fail(`a ${type} is not accepted here; expected ${allow.join(' or ')}`);
  if (g.coordinates === undefined) fail('"coordinates" is missing');
  const budget = { left: opts.maxPositions ?? DEFAULT_MAX_POSITIONS };
  switch (type as GeometryType) {
    case 'Point':
      return { type: 'Point', coordinates: position(g.coordinates, 'coordinates', budget) };
    case 'LineString':
      return { type: 'LineString', coordinates: lineString(g.coordinates, 'coordinates', budget) };
    case 'Polygon': {
      const rings = polygon(g.coordinates, 'coordinates', budget);
      return { type: 'Polygon', coordinates: rings };
    }
    case 'MultiPolygon': {
      if (!Array.isArray(g.coordinates)) fail('"coordinates" must be an array of polygons');
      const list = g.coordinates as unknown[];
      if (list.length === 0) fail('a MultiPolygon needs at least one polygon');
      const polygons = list.map((p, k) => polygon(p, `coordinates[${k}]`, budget));
      checkPartsDisjoint(polygons);
      return { type: 'MultiPolygon', coordinates: polygons };
    }
  }
}

function position(value: unknown, path: string, budget: { left: number }): LngLat {
  if (--budget.left < 0) fail('too many positions');
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) fail(`${path} is not a position [longitude, latitude]`);
  const [lng, lat] = value as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
    fail(`${path} must hold finite numbers`);
  }
  const x = lng as number;
  const y = lat as number;
  if (x < -180 || x > 180) fail(`${path}: longitude ${fmt(x)} is outside -180..180`);
  if (y < -90 || y > 90) {
    const swapped = Math.abs(x) <= 90 && Math.abs(y) <= 180 ? ' (are longitude and latitude swapped? GeoJSON is [lng, lat])' : '';
    fail(`${path}: latitude ${fmt(y)} is outside -90..90${swapped}`);
  }
  return [x, y];
}

function lineString(value: unknown, path: string, budget: { left: number }): LngLat[] {
  if (!Array.isArray(value)) fail(`${path} must be an array of positions`);
  const line = (value as unknown[]).map((p, i) => position(p, `${path}[${i}]`, budget));
  if (line.length < 2) fail(`${path} needs at least 2 positions`);
  if (line.every((p) => p[0] === line[0][0] && p[1] === line[0][1])) fail(`${path} has no length (all positions are equal)`);
  return line;
}

const samePos = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];

/** Drops consecutive repeated positions, which are legal but make zero-length edges. */
function dedupe(ring: LngLat[]): LngLat[] {
  const out: LngLat[] = [ring[0]];
  for (let i = 1; i < ring.length; i++) if (!samePos(ring[i], out[out.length - 1])) out.push(ring[i]);
  if (!samePos(out[0], out[out.length - 1])) out.push(out[0]);
  return out;
}

function ring(value: unknown, path: string, budget: { left: number }): LngLat[] {
  if (!Array.isArray(value)) fail(`${path} must be an array of positions (a linear ring)`);
  const positions = (value as unknown[]).map((p, i) => position(p, `${path}[${i}]`, budget));
  if (positions.length < 4) fail(`${path} needs at least 4 positions (3 corners and the closing one), got ${positions.length}`);
  if (!samePos(positions[0], positions[positions.length - 1])) fail(`${path} is not closed: its first and last positions differ`);
  const clean = dedupe(positions);
  if (clean.length < 4) fail(`${path} has fewer than 3 distinct corners`);
  if (clean.every((p) => orient(clean[0], clean[1], p) === 0)) fail(`${path} has no area (all its corners lie on one line)`);
  return clean;
}

function polygon(value: unknown, path: string, budget: { left: number }): LngLat[][] {
  if (!Array.isArray(value)) fail(`${path} must be an array of linear rings`);
  const list = value as unknown[];
  if (list.length === 0) fail(`${path} needs at least one ring`);
  const rings = list.map((r, i) => ring(r, `${path}[${i}]`, budget));
  checkRings(rings, path);
  return rings;
}

// ---- segment intersection ----------------------------------------------------------------------------------

type Contact = { kind: 'none' } | { kind: 'proper' | 'touch' | 'overlap'; at: LngLat };

const orient = (a: readonly number[], b: readonly number[], c: readonly number[]) =>
  (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

const within = (a: readonly number[], b: readonly number[], p: readonly number[]) =>
  p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1]);

/** How segments p1–p2 and p3–p4 meet: not at all, crossing in their interiors, touching at one point, or overlapping along a stretch. */
export function segmentContact(p1: LngLat, p2: LngLat, p3: LngLat, p4: LngLat): Contact {
  const d1 = orient(p3, p4, p1);
  const d2 = orient(p3, p4, p2);
  const d3 = orient(p1, p2, p3);
  const d4 = orient(p1, p2, p4);
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the stretches along the dominant axis.
    const axis = Math.abs(p2[0] - p1[0]) >= Math.abs(p2[1] - p1[1]) ? 0 : 1;
    const lo = Math.max(Math.min(p1[axis], p2[axis]), Math.min(p3[axis], p4[axis]));
    const hi = Math.min(Math.max(p1[axis], p2[axis]), Math.max(p3[axis], p4[axis]));
    if (lo > hi) return { kind: 'none' };
    const pick = [p1, p2, p3, p4].find((p) => p[axis] === lo) ?? p1;
    return { kind: lo < hi ? 'overlap' : 'touch', at: [pick[0], pick[1]] };
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return { kind: 'proper', at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] };
  }
  if (d1 === 0 && within(p3, p4, p1)) return { kind: 'touch', at: p1 };
  if (d2 === 0 && within(p3, p4, p2)) return { kind: 'touch', at: p2 };
  if (d3 === 0 && within(p1, p2, p3)) return { kind: 'touch', at: p3 };
  if (d4 === 0 && within(p1, p2, p4)) return { kind: 'touch', at: p4 };
  return { kind: 'none' };
}

interface Segment {
  part: number;
  ring: number;
  index: number;
  /** Edges in the ring, to recognise the wrap-around neighbour. */
  count: number;
  a: LngLat;
  b: LngLat;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function segmentsOf(rings: LngLat[][], part: number, out: Segment[]): void {
  rings.forEach((r, ringIndex) => {
    const count = r.length - 1;
    for (let i = 0; i < count; i++) {
      const a = r[i];
      const b = r[i + 1];
      out.push({
        part,
        ring: ringIndex,
        index: i,
        count,
        a,
        b,
        minX: Math.min(a[0], b[0]),
        maxX: Math.max(a[0], b[0]),
        minY: Math.min(a[1], b[1]),
        maxY: Math.max(a[1], b[1]),
      });
    }
  });
}

/**
 * Most pairs of edges a check may look at. Real shapes have short edges and few overlapping boxes; this bounds the
 * work a crafted shape (thousands of long edges over one another) can cause.
 */
export const MAX_EDGE_PAIRS = 2_000_000;

/** Visits every pair of segments whose boxes overlap (found with a packed R-tree); stops when `visit` returns true. */
function forEachOverlappingPair(segments: Segment[], visit: (s: Segment, t: Segment) => boolean): void {
  if (segments.length < 2) return;
  const tree = new Flatbush(segments.length);
  for (const s of segments) tree.add(s.minX, s.minY, s.maxX, s.maxY);
  tree.finish();
  let budget = MAX_EDGE_PAIRS;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const hits = tree.search(s.minX, s.minY, s.maxX, s.maxY);
    for (const j of hits) {
      if (j <= i) continue;
      if (--budget < 0) fail('the shape is too complex to check (too many overlapping edges); simplify it');
      if (visit(s, segments[j])) return;
    }
  }
}

const adjacent = (s: Segment, t: Segment) =>
  s.part === t.part &&
  s.ring === t.ring &&
  (Math.abs(s.index - t.index) === 1 || (s.count > 2 && Math.min(s.index, t.index) === 0 && Math.max(s.index, t.index) === s.count - 1));

/** A vertex of `ring` that is not on `other`'s boundary, to test which side of `other` the ring lies. */
function vertexOffRing(ring: LngLat[], other: readonly Position[]): LngLat | null {
  for (let i = 0; i < ring.length - 1; i++) if (!pointOnRing(ring[i][0], ring[i][1], other, 0)) return ring[i];
  return null;
}

function checkRings(rings: LngLat[][], path: string): void {
  const segments: Segment[] = [];
  segmentsOf(rings, 0, segments);
  let problem: string | null = null;
  forEachOverlappingPair(segments, (s, t) => {
    const c = segmentContact(s.a, s.b, t.a, t.b);
    if (c.kind === 'none') return false;
    if (s.ring === t.ring) {
      // Neighbouring edges share a corner; they are wrong only when the second doubles back over the first.
      if (adjacent(s, t) && c.kind !== 'overlap') return false;
      problem = `${path}[${s.ring}] intersects itself at ${at(c.at)}`;
      return true;
    }
    if (c.kind === 'touch') return false; // rings may touch at a single point
    const [r1, r2] = s.ring < t.ring ? [s.ring, t.ring] : [t.ring, s.ring];
    problem = `${path}[${r2}] crosses ${path}[${r1}] at ${at(c.at)}`;
    return true;
  });
  if (problem) fail(problem);
  rings.forEach((r, i) => {
    if (ringSignedArea(r) === 0) fail(`${path}[${i}] has no area`);
  });
  const shell = rings[0];
  for (let h = 1; h < rings.length; h++) {
    const probe = vertexOffRing(rings[h], shell);
    if (probe && !pointInRing(probe[0], probe[1], shell)) fail(`hole ${path}[${h}] lies outside its shell ${path}[0]`);
    for (let k = 1; k < rings.length; k++) {
      if (k === h) continue;
      const p = vertexOffRing(rings[h], rings[k]);
      if (p && pointInRing(p[0], p[1], rings[k])) fail(`hole ${path}[${h}] lies inside hole ${path}[${k}]`);
    }
  }
}

function checkPartsDisjoint(polygons: LngLat[][][]): void {
  if (polygons.length < 2) return;
  const segments: Segment[] = [];
  polygons.forEach((rings, k) => segmentsOf(rings, k, segments));
  let problem: string | null = null;
  forEachOverlappingPair(segments, (s, t) => {
    if (s.part === t.part) return false;
    const c = segmentContact(s.a, s.b, t.a, t.b);
    if (c.kind !== 'proper') return false;
    const [k1, k2] = s.part < t.part ? [s.part, t.part] : [t.part, s.part];
    problem = `polygons coordinates[${k1}] and coordinates[${k2}] overlap (their edges cross at ${at(c.at)})`;
    return true;
  });
  if (problem) fail(problem);
  for (let i = 0; i < polygons.length; i++) {
    for (let j = 0; j < polygons.length; j++) {
      if (i === j) continue;
      const probe = vertexOffRing(polygons[i][0], polygons[j][0]);
      if (probe && pointInPolygon(probe[0], probe[1], polygons[j])) {
        fail(`polygon coordinates[${i}] lies inside polygon coordinates[${j}]`);
      }
    }
  }
}
