// The demo street: a deterministic, fictional but believable 街道 in 淄博市张店区 (pure data, no I/O).
//
// Every territorial polygon is cut from one jittered lattice of vertices: a lattice cell is a 微网格 (micro-grid),
// rectangles of cells are 网格 (grids), rectangles of grids are 社区 (communities), and the lattice's outline is
// the street. Neighbours therefore share identical, already-rounded vertices, so the layers tile without gaps or
// overlaps. Roads run along lattice lines and grids never straddle a road, as in a real 网格 plan.
import { representativePoint } from '../../../core/geo/measure.js';
import { POINT_TYPE_SEED } from '../../../core/places.js';
import type { OrgKind } from '../../../core/org.js';
import type { Role } from '../../../core/roles.js';
import { createRng, type Rng } from '../../../core/prng.js';
import {
  COMMUNITY_NAMES,
  COMPOUND_BRAND_WORDS,
  COMPOUND_BRANDS,
  COMPOUND_SUFFIXES,
  COMPOUND_WORDS,
  EAST_WEST_ROADS,
  HOTELS,
  INDEPENDENT_HOTELS,
  LOCAL_DISHES,
  MARKET_FORMS,
  NAMED_LANES,
  NORTH_SOUTH_ROADS,
  OLD_WORK_UNITS,
  SCHOOLS,
  SHOP_BRANDS,
  SHOP_CATEGORIES,
  STREET_NAME,
  STREET_SHORT_NAME,
  SUPERMARKETS,
  SURNAME_FOODS,
  VILLAGES,
  randomMobile,
  randomPersonName,
} from './demo-names.js';

export const DEMO_STREET_SEED = 20221209;
export const DEMO_DISTRICT = { name: '张店区', code: '370303' } as const;
export const DEMO_STREET_CODE = '370303012';

/** [lng, lat], WGS-84, rounded to 7 decimals (about 1 cm). */
export type Position = [number, number];
export interface DemoPolygon {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface DemoLineString {
  type: 'LineString';
  coordinates: Position[];
}
export interface DemoPointGeometry {
  type: 'Point';
  coordinates: Position;
}
export type DemoGeometry = DemoPointGeometry | DemoLineString | DemoPolygon;

export interface DemoOrg {
  /** Stable key: 'district', 'street', 'community:1', 'grid:1:3', 'micro_grid:1:3:2', 'dept:cityMgmt', 'unit:bank', 'property:2'. */
  key: string;
  parentKey: string | null;
  kind: OrgKind;
  name: string;
  shortName?: string;
  code: string | null;
  geometry: DemoPolygon | null;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  /** Order among siblings of the same kind, from 1. */
  sort: number;
}

export interface DemoPoint {
  name: string;
  typeCode: string;
  geometry: DemoGeometry;
  address: string;
  /** Values for the point type's `fields` (households, lengthM…), nothing else. */
  attrs: Record<string, number | string>;
  /** 包保单位: a department, stationed unit, property company or community key. */
  guardOrgKey: string | null;
  responsibleName: string;
  responsiblePhone: string;
  /** The grid holding the whole geometry. */
  gridKey: string;
  /** The micro-grid holding `location`. */
  microGridKey: string;
  /**
   * Where the point is filed: core/geo's `representativePoint` of the geometry (the point itself, a line's middle
   * along its length, a polygon's centroid), the same rule the loader and the API use. Strictly inside one
   * micro-grid, never on an edge.
   */
  location: Position;
}

export interface DemoUser {
  username: string;
  displayName: string;
  phone: string;
  role: Role;
  orgKey: string;
}

export interface DemoRoad {
  name: string;
  coordinates: Position[];
}

export interface DemoStreet {
  seed: number;
  center: { lat: number; lng: number };
  /** Parents always come before their children. */
  orgs: DemoOrg[];
  points: DemoPoint[];
  users: DemoUser[];
  roads: DemoRoad[];
}

/** One login per role, listed in the README and on the login page in demo mode. */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role; orgKey: string }[] = [
  { username: 'admin', role: 'admin', orgKey: 'street' },
  { username: 'leader', role: 'leader', orgKey: 'street' },
  { username: 'office', role: 'office', orgKey: 'street' },
  { username: 'dispatcher', role: 'dispatcher', orgKey: 'street' },
  { username: 'unit', role: 'unit', orgKey: 'dept:cityMgmt' },
  { username: 'community', role: 'unit', orgKey: 'community:1' },
  { username: 'grid', role: 'grid_worker', orgKey: 'grid:1:1' },
  { username: 'inspector', role: 'inspector', orgKey: 'street' },
  { username: 'patrol', role: 'citizen_patrol', orgKey: 'street' },
  { username: 'volunteer', role: 'volunteer', orgKey: 'community:1' },
];
export const DEMO_USERNAMES: readonly string[] = DEMO_ACCOUNTS.map((account) => account.username);


// ---------------------------------------------------------------------------------------------------------------
// Lattice

const COLUMNS = 18;
const ROWS = 10;
const WIDTH_M = 2500;
const HEIGHT_M = 2000;
const ORIGIN = { lat: 36.81, lng: 118.05 };
/** Interior vertices move by up to this share of a cell: organic, yet every cell stays convex. */
const JITTER = 0.12;

const LAT_RAD = (ORIGIN.lat * Math.PI) / 180;
const METERS_PER_DEG_LAT = 111132.92 - 559.82 * Math.cos(2 * LAT_RAD) + 1.175 * Math.cos(4 * LAT_RAD);
const METERS_PER_DEG_LNG = 111412.84 * Math.cos(LAT_RAD) - 93.5 * Math.cos(3 * LAT_RAD);

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Local equirectangular metres around the origin: plenty for lengths and areas inside 3 km. */
function toMeters([lng, lat]: Position): [number, number] {
  return [(lng - ORIGIN.lng) * METERS_PER_DEG_LNG, (lat - ORIGIN.lat) * METERS_PER_DEG_LAT];
}

function polylineLengthM(coordinates: Position[]): number {
  let total = 0;
  for (let index = 1; index < coordinates.length; index += 1) {
    const [x0, y0] = toMeters(coordinates[index - 1]);
    const [x1, y1] = toMeters(coordinates[index]);
    total += Math.hypot(x1 - x0, y1 - y0);
  }
  return total;
}

function ringAreaM2(ring: Position[]): number {
  let twice = 0;
  for (let index = 0; index < ring.length - 1; index += 1) {
    const [x0, y0] = toMeters(ring[index]);
    const [x1, y1] = toMeters(ring[index + 1]);
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

function signedArea(ring: Position[]): number {
  let twice = 0;
  for (let index = 0; index < ring.length - 1; index += 1) {
    twice += ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1];
  }
  return twice / 2;
}

/** Vertices [row j][column i], j = 0 south … ROWS north, i = 0 west … COLUMNS east. */
function buildLattice(rng: Rng): Position[][] {
  const cellW = WIDTH_M / COLUMNS;
  const cellH = HEIGHT_M / ROWS;
  // A smooth random profile per side makes the street outline wander like real boundary roads and rivers do.
  const sideProfile = () => {
    const a1 = rng.float(0.08, 0.18);
    const f1 = rng.float(0.6, 1.4);
    const p1 = rng.next();
    const a2 = rng.float(0.03, 0.09);
    const f2 = rng.float(2, 3.5);
    const p2 = rng.next();
    return (t: number) => a1 * Math.sin(2 * Math.PI * (f1 * t + p1)) + a2 * Math.sin(2 * Math.PI * (f2 * t + p2));
  };
  const west = sideProfile();
  const east = sideProfile();
  const south = sideProfile();
  const north = sideProfile();
  const warpX = { amp: rng.float(20, 45), freq: rng.float(0.5, 1), phase: rng.next() };
  const warpY = { amp: rng.float(15, 35), freq: rng.float(0.5, 1), phase: rng.next() };

  const rows: Position[][] = [];
  for (let j = 0; j <= ROWS; j += 1) {
    const row: Position[] = [];
    for (let i = 0; i <= COLUMNS; i += 1) {
      const onWest = i === 0;
      const onEast = i === COLUMNS;
      const onSouth = j === 0;
      const onNorth = j === ROWS;
      let x = i * cellW;
      let y = j * cellH;
      if (!onWest && !onEast) x += rng.float(-JITTER, JITTER) * cellW;
      if (!onSouth && !onNorth) y += rng.float(-JITTER, JITTER) * cellH;
      if (onWest) x += west(j / ROWS) * cellW;
      if (onEast) x += east(j / ROWS) * cellW;
      if (onSouth) y += south(i / COLUMNS) * cellH;
      if (onNorth) y += north(i / COLUMNS) * cellH;
      const warpedX = x + warpX.amp * Math.sin(2 * Math.PI * ((warpX.freq * y) / HEIGHT_M + warpX.phase));
      const warpedY = y + warpY.amp * Math.sin(2 * Math.PI * ((warpY.freq * x) / WIDTH_M + warpY.phase));
      row.push([
        round7(ORIGIN.lng + (warpedX - WIDTH_M / 2) / METERS_PER_DEG_LNG),
        round7(ORIGIN.lat + (warpedY - HEIGHT_M / 2) / METERS_PER_DEG_LAT),
      ]);
    }
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout: communities, roads, grids

/** Cells [c0, c1) × [r0, r1). */
interface Rect {
  c0: number;
  r0: number;
  c1: number;
  r1: number;
}

type Side = 'north' | 'south' | 'east' | 'west';

interface RoadPlan {
  name: string;
  /** 'h' runs west–east along lattice row line `line`; 'v' runs south–north along column line `line`. */
  axis: 'h' | 'v';
  line: number;
  /** Lattice vertex range covered along the road, inclusive. */
  from: number;
  to: number;
}

interface Frontage {
  road: RoadPlan;
  /** Which edge of the cell lies on the road. */
  side: Side;
}

interface CommunityPlan {
  index: number;
  key: string;
  code: string;
  name: string;
  rect: Rect;
  grids: GridPlan[];
}

interface GridPlan {
  key: string;
  code: string;
  sequence: number;
  community: CommunityPlan;
  rect: Rect;
  cells: CellInfo[];
}

interface CellInfo {
  i: number;
  j: number;
  community: CommunityPlan;
  grid: GridPlan;
  microKey: string;
  frontage: Frontage[];
  polygonTaken: boolean;
}

interface Layout {
  communities: CommunityPlan[];
  roads: RoadPlan[];
  cells: CellInfo[][]; // [j][i]
}

/** A random composition of `total` from `sizes`; only sizes that still leave a feasible remainder are drawn. */
function composeLength(rng: Rng, total: number, sizes: readonly number[], weight: (size: number) => number): number[] {
  const memo = new Map<number, boolean>();
  const feasible = (rest: number): boolean => {
    if (rest === 0) return true;
    const known = memo.get(rest);
    if (known !== undefined) return known;
    const result = sizes.some((size) => size <= rest && feasible(rest - size));
    memo.set(rest, result);
    return result;
  };
  if (!feasible(total)) throw new Error(`cannot compose ${total} from ${sizes.join(',')}`);
  const parts: number[] = [];
  let rest = total;
  while (rest > 0) {
    const options = sizes.filter((size) => size <= rest && feasible(rest - size));
    const size = rng.weighted(options, weight);
    parts.push(size);
    rest -= size;
  }
  return parts;
}

/** Grid footprints (in cells) allowed for a band of a given thickness: every grid holds 3–6 micro-grids. */
const PIECES_FOR_BAND: Record<number, readonly number[]> = { 2: [2, 3], 3: [1, 2] };

/** Splits a block (≥ 2 × 2 cells, bounded by roads or the street edge) into grids. */
function partitionBlock(rng: Rng, block: Rect): Rect[] {
  const width = block.c1 - block.c0;
  const height = block.r1 - block.r0;
  const rowsFirst = rng.chance(0.5);
  const across = rowsFirst ? height : width;
  const along = rowsFirst ? width : height;
  const bands = composeLength(rng, across, [2, 3], (size) => (size === 2 ? 3 : 2));
  const rects: Rect[] = [];
  let offset = 0;
  for (const band of bands) {
    const pieces = composeLength(rng, along, PIECES_FOR_BAND[band], () => 1);
    let position = 0;
    for (const piece of pieces) {
      rects.push(
        rowsFirst
          ? { c0: block.c0 + position, c1: block.c0 + position + piece, r0: block.r0 + offset, r1: block.r0 + offset + band }
          : { c0: block.c0 + offset, c1: block.c0 + offset + band, r0: block.r0 + position, r1: block.r0 + position + piece },
      );
      position += piece;
    }
    offset += band;
  }
  return rects;
}

function splitPoints(start: number, end: number, cuts: number[]): [number, number][] {
  const inner = [...new Set(cuts.filter((cut) => cut > start && cut < end))].sort((a, b) => a - b);
  const bounds = [start, ...inner, end];
  return bounds.slice(0, -1).map((value, index) => [value, bounds[index + 1]]);
}

function planLayout(rng: Rng, streetCode: string): Layout {
  // Communities: a north and a south half, each cut into three by staggered north–south roads.
  const split = rng.int(4, 6);
  const north1 = rng.int(5, 7);
  const north2 = rng.int(11, 13);
  let south1 = rng.int(5, 7);
  while (south1 === north1) south1 = rng.int(5, 7);
  const south2 = rng.int(11, 13);
  const communityRects: Rect[] = [
    { c0: 0, c1: north1, r0: split, r1: ROWS },
    { c0: north1, c1: north2, r0: split, r1: ROWS },
    { c0: north2, c1: COLUMNS, r0: split, r1: ROWS },
    { c0: 0, c1: south1, r0: 0, r1: split },
    { c0: south1, c1: south2, r0: 0, r1: split },
    { c0: south2, c1: COLUMNS, r0: 0, r1: split },
  ];

  // Roads keep two cells from each other and from the street edge so every block between them is ≥ 2 × 2 cells.
  const eastWest = [split];
  for (const line of rng.shuffle(range(2, ROWS - 2))) {
    if (eastWest.length >= EAST_WEST_ROADS.length) break;
    if (eastWest.every((other) => Math.abs(other - line) >= 2)) eastWest.push(line);
  }
  const northSouth: { line: number; from: number; to: number }[] = [];
  if (north2 === south2) northSouth.push({ line: north2, from: 0, to: ROWS });
  else {
    northSouth.push({ line: north2, from: split, to: ROWS });
    northSouth.push({ line: south2, from: 0, to: split });
  }
  northSouth.push({ line: north1, from: split, to: ROWS }, { line: south1, from: 0, to: split });
  for (const line of rng.shuffle(range(2, COLUMNS - 2))) {
    if (northSouth.length >= 7) break;
    if (northSouth.every((other) => Math.abs(other.line - line) >= 2)) northSouth.push({ line, from: 0, to: ROWS });
  }
  // One shorter road (支路) per half where the other half's staggered roads leave room.
  for (const half of [{ from: split, to: ROWS }, { from: 0, to: split }]) {
    const inHalf = northSouth.filter((road) => road.from < half.to && road.to > half.from);
    const room = range(2, COLUMNS - 2).filter((line) => inHalf.every((road) => Math.abs(road.line - line) >= 2));
    if (room.length > 0) northSouth.push({ line: rng.pick(room), ...half });
  }
  const roads: RoadPlan[] = [
    ...eastWest
      .sort((a, b) => a - b)
      .map((line, index): RoadPlan => ({ name: EAST_WEST_ROADS[index], axis: 'h', line, from: 0, to: COLUMNS })),
    ...northSouth
      .sort((a, b) => a.line - b.line || a.from - b.from)
      .map((road, index): RoadPlan => ({ name: NORTH_SOUTH_ROADS[index], axis: 'v', ...road })),
  ];

  // Grids: cut each community into blocks by the roads crossing it, then each block into grids. Retry until the
  // street has about forty grids.
  let gridRects: Rect[][] = [];
  let bestMiss = Infinity;
  for (let attempt = 0; attempt < 200 && bestMiss > 2; attempt += 1) {
    const candidate = communityRects.map((community) => {
      const rowCuts = roads.filter((road) => road.axis === 'h').map((road) => road.line);
      const columnCuts = roads
        .filter((road) => road.axis === 'v' && road.from <= community.r0 && road.to >= community.r1)
        .map((road) => road.line);
      const rects: Rect[] = [];
      for (const [r0, r1] of splitPoints(community.r0, community.r1, rowCuts)) {
        for (const [c0, c1] of splitPoints(community.c0, community.c1, columnCuts)) {
          rects.push(...partitionBlock(rng, { c0, c1, r0, r1 }));
        }
      }
      // Reading order, as on a paper 网格 plan: north to south, then west to east.
      return rects.sort((a, b) => b.r1 - a.r1 || a.c0 - b.c0);
    });
    const miss = Math.abs(candidate.reduce((sum, rects) => sum + rects.length, 0) - 40);
    if (miss < bestMiss) {
      bestMiss = miss;
      gridRects = candidate;
    }
  }

  const cells: CellInfo[][] = Array.from({ length: ROWS }, () => new Array<CellInfo>(COLUMNS));
  const communities: CommunityPlan[] = communityRects.map((rect, communityIndex) => {
    const index = communityIndex + 1;
    const community: CommunityPlan = {
      index,
      key: `community:${index}`,
      code: streetCode + pad3(index),
      name: COMMUNITY_NAMES[communityIndex],
      rect,
      grids: [],
    };
    gridRects[communityIndex].forEach((gridRect, gridIndex) => {
      const sequence = gridIndex + 1;
      const grid: GridPlan = {
        key: `grid:${index}:${sequence}`,
        code: community.code + pad3(sequence),
        sequence,
        community,
        rect: gridRect,
        cells: [],
      };
      let micro = 0;
      for (let j = gridRect.r1 - 1; j >= gridRect.r0; j -= 1) {
        for (let i = gridRect.c0; i < gridRect.c1; i += 1) {
          micro += 1;
          const cell: CellInfo = { i, j, community, grid, microKey: `micro_grid:${index}:${sequence}:${micro}`, frontage: [], polygonTaken: false };
          grid.cells.push(cell);
          cells[j][i] = cell;
        }
      }
      community.grids.push(grid);
    });
    return community;
  });

  for (const road of roads) {
    for (let k = road.from; k < road.to; k += 1) {
      if (road.axis === 'h') {
        cells[road.line - 1][k].frontage.push({ road, side: 'north' });
        cells[road.line][k].frontage.push({ road, side: 'south' });
      } else {
        cells[k][road.line - 1].frontage.push({ road, side: 'east' });
        cells[k][road.line].frontage.push({ road, side: 'west' });
      }
    }
  }
  return { communities, roads, cells };
}

function range(from: number, to: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += 1) values.push(value);
  return values;
}

function pad3(value: number): string {
  return String(value).padStart(3, '0');
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry on the lattice

class LatticeGeometry {
  constructor(private readonly vertices: Position[][]) {}

  vertex(i: number, j: number): Position {
    return this.vertices[j][i];
  }

  /** Bilinear position inside cell (i, j); inside the (convex) cell for u, v in [0, 1]. */
  cellPoint(i: number, j: number, u: number, v: number): Position {
    const a = this.vertex(i, j);
    const b = this.vertex(i + 1, j);
    const c = this.vertex(i + 1, j + 1);
    const d = this.vertex(i, j + 1);
    const wa = (1 - u) * (1 - v);
    const wb = u * (1 - v);
    const wc = u * v;
    const wd = (1 - u) * v;
    return [
      round7(wa * a[0] + wb * b[0] + wc * c[0] + wd * d[0]),
      round7(wa * a[1] + wb * b[1] + wc * c[1] + wd * d[1]),
    ];
  }

  /** Closed counter-clockwise ring along every lattice vertex on the rectangle's boundary. */
  rectRing(rect: Rect): Position[] {
    const ring: Position[] = [];
    for (let i = rect.c0; i < rect.c1; i += 1) ring.push(this.vertex(i, rect.r0));
    for (let j = rect.r0; j < rect.r1; j += 1) ring.push(this.vertex(rect.c1, j));
    for (let i = rect.c1; i > rect.c0; i -= 1) ring.push(this.vertex(i, rect.r1));
    for (let j = rect.r1; j > rect.r0; j -= 1) ring.push(this.vertex(rect.c0, j));
    ring.push(ring[0]);
    return ring;
  }

  /** A road's polyline; ends on the street edge are pulled just inside so the whole line lies within the street. */
  roadLine(road: RoadPlan): Position[] {
    const at = (k: number) => (road.axis === 'h' ? this.vertex(k, road.line) : this.vertex(road.line, k));
    const limit = road.axis === 'h' ? COLUMNS : ROWS;
    const line: Position[] = [];
    for (let k = road.from; k <= road.to; k += 1) line.push(at(k));
    const pull = (edge: Position, inner: Position): Position => [
      round7(edge[0] + 0.02 * (inner[0] - edge[0])),
      round7(edge[1] + 0.02 * (inner[1] - edge[1])),
    ];
    if (road.from === 0) line[0] = pull(at(0), at(1));
    if (road.to === limit) line[line.length - 1] = pull(at(limit), at(limit - 1));
    return line;
  }
}

/** Where in a cell a frontage position lies: `t` runs along the road edge, `depth` away from it. */
function frontageUv(side: Side, t: number, depth: number): [number, number] {
  switch (side) {
    case 'south':
      return [t, depth];
    case 'north':
      return [t, 1 - depth];
    case 'west':
      return [depth, t];
    case 'east':
      return [1 - depth, t];
  }
}

interface LineVertex {
  position: Position;
  cell: CellInfo;
  /** False for the vertices on a shared cell edge. */
  interior: boolean;
}

/**
 * A polyline through consecutive cells of one grid at a fixed offset. It has a vertex on every shared cell edge,
 * so each segment stays inside one convex cell and the whole line inside the grid. Its ends are trimmed so that
 * the middle along its length (where `representativePoint` files a line) lies well inside one cell, never on a
 * micro-grid edge.
 */
function lineThroughCells(geo: LatticeGeometry, cells: CellInfo[], runsAlong: 'u' | 'v', offset: number): { coordinates: Position[]; middle: CellInfo } {
  const at = (cell: CellInfo, t: number, interior: boolean): LineVertex => ({
    position: runsAlong === 'u' ? geo.cellPoint(cell.i, cell.j, t, offset) : geo.cellPoint(cell.i, cell.j, offset, t),
    cell,
    interior,
  });
  const vertices: LineVertex[] = [at(cells[0], 0.1, true)];
  cells.forEach((cell, index) => {
    vertices.push(at(cell, 0.5, true));
    if (index < cells.length - 1) vertices.push(at(cell, 1, false));
  });
  vertices.push(at(cells[cells.length - 1], 0.9, true));

  // Same metric as core/geo's line midpoint: degrees with longitude scaled by the cosine of the first latitude.
  const kx = Math.cos((vertices[0].position[1] * Math.PI) / 180);
  const distance = (a: Position, b: Position) => Math.hypot((b[0] - a[0]) * kx, b[1] - a[1]);
  const along = [0];
  for (let index = 1; index < vertices.length; index += 1) along.push(along[index - 1] + distance(vertices[index - 1].position, vertices[index].position));
  const total = along[along.length - 1];
  let target = total / 2;
  vertices.forEach((vertex, index) => {
    if (vertex.interior) return;
    const clearance = 0.3 * Math.min(along[index] - along[index - 1], along[index + 1] - along[index]);
    if (Math.abs(along[index] - target) >= clearance) return;
    // Step off the edge towards whichever side keeps the longer line.
    const before = along[index] - clearance;
    const after = along[index] + clearance;
    target = Math.min(before, total - before) >= Math.min(after, total - after) ? before : after;
  });
  const half = Math.min(target, total - target);
  const from = target - half;
  const to = target + half;

  const pointAt = (distanceAlong: number): { position: Position; segment: number } => {
    let segment = 0;
    while (segment < vertices.length - 2 && along[segment + 1] < distanceAlong) segment += 1;
    const length = along[segment + 1] - along[segment];
    const t = length > 0 ? (distanceAlong - along[segment]) / length : 0;
    const a = vertices[segment].position;
    const b = vertices[segment + 1].position;
    return { position: [round7(a[0] + (b[0] - a[0]) * t), round7(a[1] + (b[1] - a[1]) * t)], segment };
  };
  const middle = pointAt(target);
  const middleCell = vertices[middle.segment].interior ? vertices[middle.segment].cell : vertices[middle.segment + 1].cell;
  const coordinates: Position[] = [pointAt(from).position];
  const keep = (position: Position) => {
    const last = coordinates[coordinates.length - 1];
    if (last[0] !== position[0] || last[1] !== position[1]) coordinates.push(position);
  };
  vertices.forEach((vertex, index) => {
    if (along[index] > from && along[index] < target) keep(vertex.position);
  });
  keep(middle.position);
  vertices.forEach((vertex, index) => {
    if (along[index] > target && along[index] < to) keep(vertex.position);
  });
  keep(pointAt(to).position);
  return { coordinates, middle: middleCell };
}

interface UvBox {
  u0: number;
  u1: number;
  v0: number;
  v1: number;
}

/** A small compound-like polygon inside one cell, sometimes with a cut corner. */
function polygonInCell(geo: LatticeGeometry, rng: Rng, cell: CellInfo, box: UvBox): Position[] {
  let uv: [number, number][] = [
    [box.u0, box.v0],
    [box.u1, box.v0],
    [box.u1, box.v1],
    [box.u0, box.v1],
  ];
  if (rng.chance(0.45)) {
    const corner = rng.int(0, 3);
    const previous = uv[(corner + 3) % 4];
    const current = uv[corner];
    const following = uv[(corner + 1) % 4];
    const cut = rng.float(0.2, 0.35);
    const lerp = (from: [number, number], to: [number, number], t: number): [number, number] => [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t];
    uv = [...uv.slice(0, corner), lerp(current, previous, cut), lerp(current, following, cut), ...uv.slice(corner + 1)];
  }
  const ring = uv.map(([u, v]) => geo.cellPoint(cell.i, cell.j, u, v));
  ring.push(ring[0]);
  return signedArea(ring) > 0 ? ring : ring.reverse();
}

// ---------------------------------------------------------------------------------------------------------------
// People

interface Person {
  displayName: string;
  pinyin: string;
  phone: string;
}

class PeopleFactory {
  private readonly names = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly usernames = new Set<string>(DEMO_USERNAMES);

  constructor(private readonly rng: Rng) {}

  phone(): string {
    for (;;) {
      const phone = randomMobile(this.rng);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  /** A person with a unique phone; `uniqueName` also keeps the display name unique (staff lists). */
  person(options: { surname?: string; uniqueName?: boolean } = {}): Person {
    for (let attempt = 0; ; attempt += 1) {
      const name = randomPersonName(this.rng, options.surname);
      if (options.uniqueName && this.names.has(name.displayName) && attempt < 100) continue;
      this.names.add(name.displayName);
      return { displayName: name.displayName, pinyin: name.pinyin, phone: this.phone() };
    }
  }

  username(pinyin: string): string {
    let candidate = pinyin;
    for (let suffix = 2; this.usernames.has(candidate); suffix += 1) candidate = `${pinyin}${suffix}`;
    this.usernames.add(candidate);
    return candidate;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixed org lists

const DEPARTMENTS = [
  { key: 'dept:campaign', name: '文明城市创建办公室', shortName: '创城办' },
  { key: 'dept:cityMgmt', name: '城市管理科', shortName: '城管科' },
  { key: 'dept:sanitation', name: '环境卫生管理所', shortName: '环卫所' },
  { key: 'dept:market', name: `${STREET_SHORT_NAME}市场监督管理所`, shortName: '市场监管所' },
  { key: 'dept:police', name: `张店公安分局${STREET_SHORT_NAME}派出所`, shortName: '派出所' },
  { key: 'dept:enforcement', name: '综合行政执法中队', shortName: '综合执法中队' },
  { key: 'dept:communityBuilding', name: '社区建设办公室', shortName: '社区建设办' },
] as const;

const STATIONED_UNITS = [
  { key: 'unit:hospital', name: `淄博市${STREET_SHORT_NAME}医院`, shortName: `${STREET_SHORT_NAME}医院` },
  { key: 'unit:primarySchool', name: SCHOOLS[0], shortName: '实验小学' },
  { key: 'unit:middleSchool', name: SCHOOLS[1], shortName: '九中' },
  { key: 'unit:bank', name: `中国工商银行淄博${STREET_SHORT_NAME}支行`, shortName: `工行${STREET_SHORT_NAME}支行` },
  { key: 'unit:telecom', name: `中国电信淄博张店分公司${STREET_SHORT_NAME}营业部`, shortName: `电信${STREET_SHORT_NAME}营业部` },
  { key: 'unit:power', name: `国网淄博供电公司${STREET_SHORT_NAME}供电所`, shortName: `${STREET_SHORT_NAME}供电所` },
] as const;

const PROPERTY_COMPANIES = [
  { key: 'property:1', name: '淄博华通物业服务有限公司', shortName: '华通物业' },
  { key: 'property:2', name: '山东金茂物业管理有限公司', shortName: '金茂物业' },
  { key: 'property:3', name: '淄博鑫泰物业服务有限公司', shortName: '鑫泰物业' },
  { key: 'property:4', name: '淄博齐惠物业管理有限公司', shortName: '齐惠物业' },
  // 街道兜底物业: the street's own service for old compounds that no company will take.
  { key: 'property:5', name: `${STREET_SHORT_NAME}街道红星物业服务中心`, shortName: '红星物业' },
] as const;

// ---------------------------------------------------------------------------------------------------------------
// The generator

export function generateDemoStreet(seed: number = DEMO_STREET_SEED): DemoStreet {
  const root = createRng(seed);
  const geo = new LatticeGeometry(buildLattice(root.fork('lattice')));
  const layout = planLayout(root.fork('layout'), DEMO_STREET_CODE);
  const people = new PeopleFactory(root.fork('people'));

  // --- orgs -----------------------------------------------------------------------------------------------------
  const orgs: DemoOrg[] = [];
  const orgByKey = new Map<string, DemoOrg>();
  const addOrg = (org: DemoOrg) => {
    orgs.push(org);
    orgByKey.set(org.key, org);
    return org;
  };
  addOrg({ key: 'district', parentKey: null, kind: 'district', name: DEMO_DISTRICT.name, code: DEMO_DISTRICT.code, geometry: null, sort: 1 });
  const street = addOrg({
    key: 'street',
    parentKey: 'district',
    kind: 'street',
    name: STREET_NAME,
    shortName: STREET_SHORT_NAME,
    code: DEMO_STREET_CODE,
    geometry: { type: 'Polygon', coordinates: [geo.rectRing({ c0: 0, r0: 0, c1: COLUMNS, r1: ROWS })] },
    sort: 1,
  });
  DEPARTMENTS.forEach((dept, index) => addOrg({ ...dept, parentKey: 'street', kind: 'department', code: null, geometry: null, sort: index + 1 }));
  STATIONED_UNITS.forEach((unit, index) => addOrg({ ...unit, parentKey: 'street', kind: 'stationed_unit', code: null, geometry: null, sort: index + 1 }));
  PROPERTY_COMPANIES.forEach((company, index) => addOrg({ ...company, parentKey: 'street', kind: 'property_company', code: null, geometry: null, sort: index + 1 }));
  for (const community of layout.communities) {
    addOrg({
      key: community.key,
      parentKey: 'street',
      kind: 'community',
      name: community.name,
      shortName: community.name.replace(/社区$/, ''),
      code: community.code,
      geometry: { type: 'Polygon', coordinates: [geo.rectRing(community.rect)] },
      sort: community.index,
    });
    for (const grid of community.grids) {
      const gridName = `${community.name}第${grid.sequence}网格`;
      addOrg({
        key: grid.key,
        parentKey: community.key,
        kind: 'grid',
        name: gridName,
        shortName: `第${grid.sequence}网格`,
        code: grid.code,
        geometry: { type: 'Polygon', coordinates: [geo.rectRing(grid.rect)] },
        sort: grid.sequence,
      });
      grid.cells.forEach((cell, cellIndex) => {
        const sequence = cellIndex + 1;
        // 微网格长: a resident volunteer, not a system user.
        const leader = people.person();
        addOrg({
          key: cell.microKey,
          parentKey: grid.key,
          kind: 'micro_grid',
          name: `${gridName}第${sequence}微网格`,
          shortName: `第${sequence}微网格`,
          code: grid.code + pad3(sequence),
          geometry: { type: 'Polygon', coordinates: [geo.rectRing({ c0: cell.i, c1: cell.i + 1, r0: cell.j, r1: cell.j + 1 })] },
          contactName: leader.displayName,
          contactPhone: leader.phone,
          sort: sequence,
        });
      });
    }
  }

  // --- users ----------------------------------------------------------------------------------------------------
  const users: DemoUser[] = [];
  const addUser = (role: Role, orgKey: string, username?: string, displayName?: string): DemoUser => {
    const person = people.person({ uniqueName: true });
    const user: DemoUser = {
      username: username ?? people.username(person.pinyin),
      displayName: displayName ?? person.displayName,
      phone: person.phone,
      role,
      orgKey,
    };
    users.push(user);
    return user;
  };
  const setContact = (key: string, user: DemoUser) => {
    const org = orgByKey.get(key)!;
    org.contactName = user.displayName;
    org.contactPhone = user.phone;
  };
  const demo = new Map<string, DemoUser>();
  for (const account of DEMO_ACCOUNTS) {
    demo.set(account.username, addUser(account.role, account.orgKey, account.username, account.username === 'admin' ? '系统管理员' : undefined));
  }
  setContact('street', demo.get('leader')!);
  setContact('dept:campaign', demo.get('office')!);
  setContact('dept:cityMgmt', demo.get('unit')!);
  setContact('community:1', demo.get('community')!);
  setContact('grid:1:1', demo.get('grid')!);
  addUser('office', 'street');
  addUser('office', 'street');
  addUser('dispatcher', 'street');
  addUser('inspector', 'street');
  addUser('citizen_patrol', 'street');
  addUser('citizen_patrol', 'street');
  for (const dept of DEPARTMENTS) {
    if (dept.key === 'dept:campaign') continue;
    const staff = addUser('unit', dept.key);
    if (dept.key !== 'dept:cityMgmt') setContact(dept.key, staff);
  }
  for (const unit of [...STATIONED_UNITS, ...PROPERTY_COMPANIES]) setContact(unit.key, addUser('unit', unit.key));
  for (const community of layout.communities) {
    if (community.index !== 1) setContact(community.key, addUser('unit', community.key));
    for (const grid of community.grids) {
      if (grid.key !== 'grid:1:1') setContact(grid.key, addUser('grid_worker', grid.key));
    }
  }
  addUser('volunteer', 'community:2');
  addUser('volunteer', 'community:4');

  // --- points ---------------------------------------------------------------------------------------------------
  const points = generatePoints(root.fork('points'), geo, layout, people, orgByKey);

  // Org addresses follow the places they sit at.
  const addressOf = (name: string) => points.find((point) => point.name === name)?.address;
  const streetOffice = addressOf(`${STREET_SHORT_NAME}街道便民服务中心`);
  street.address = streetOffice;
  for (const dept of DEPARTMENTS) orgByKey.get(dept.key)!.address = streetOffice;
  orgByKey.get('dept:police')!.address = addressOf(`${STREET_SHORT_NAME}派出所户籍办证大厅`) ?? streetOffice;
  for (const community of layout.communities) orgByKey.get(community.key)!.address = addressOf(`${community.name}党群服务中心`);
  for (const unit of STATIONED_UNITS) {
    const anchor = points.find((point) => point.guardOrgKey === unit.key);
    orgByKey.get(unit.key)!.address = anchor?.address;
  }
  for (const company of PROPERTY_COMPANIES) {
    const anchor = points.find((point) => point.guardOrgKey === company.key);
    orgByKey.get(company.key)!.address = anchor?.address;
  }

  const bounds = street.geometry!.coordinates[0].reduce(
    (box, [lng, lat]) => ({
      minLng: Math.min(box.minLng, lng),
      maxLng: Math.max(box.maxLng, lng),
      minLat: Math.min(box.minLat, lat),
      maxLat: Math.max(box.maxLat, lat),
    }),
    { minLng: Infinity, maxLng: -Infinity, minLat: Infinity, maxLat: -Infinity },
  );

  return {
    seed,
    center: { lat: round7((bounds.minLat + bounds.maxLat) / 2), lng: round7((bounds.minLng + bounds.maxLng) / 2) },
    orgs,
    points,
    users,
    roads: layout.roads.map((road) => ({ name: road.name, coordinates: geo.roadLine(road) })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Points (点位)

/** How many points of each type: many shops, compounds and alleys; a few markets, hospitals and sites. */
const POINT_PLAN: Record<string, number> = {
  community_center: 7,
  residential: 56,
  old_residential: 30,
  back_street: 30,
  main_road: 24,
  commercial_street: 4,
  market: 4,
  small_shop: 150,
  park_square: 6,
  bus_stop: 20,
  public_toilet: 12,
  construction_site: 5,
  school_area: 6,
  hospital: 3,
  service_window: 10,
  mall: 8,
  hotel: 8,
  intersection: 16,
  urban_fringe: 3,
};

const CHINESE_ORDINALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

interface Placement {
  cell: CellInfo;
  u: number;
  v: number;
}

function generatePoints(rng: Rng, geo: LatticeGeometry, layout: Layout, people: PeopleFactory, orgByKey: Map<string, DemoOrg>): DemoPoint[] {
  const points: DemoPoint[] = [];
  const usedNames = new Set<string>();
  const allCells = layout.cells.flat();
  const frontageCells = allCells.filter((cell) => cell.frontage.length > 0);
  const typeFields = new Map(POINT_TYPE_SEED.map((type) => [type.code, type]));

  const uniqueName = (make: () => string): string => {
    let name = make();
    for (let attempt = 0; usedNames.has(name) && attempt < 40; attempt += 1) name = make();
    const base = name;
    for (let suffix = 2; usedNames.has(name); suffix += 1) name = `${base}(${suffix})`;
    usedNames.add(name);
    return name;
  };

  // Roads and crossings in lattice units, for addresses and names.
  const crossingsOf = (road: RoadPlan): { position: number; road: RoadPlan }[] =>
    layout.roads
      .filter((other) => other.axis !== road.axis && other.line >= road.from && other.line <= road.to && road.line >= other.from && road.line <= other.to)
      .map((other) => ({ position: other.line, road: other }))
      .sort((a, b) => a.position - b.position);

  const nearestRoad = (x: number, y: number): RoadPlan => {
    let best = layout.roads[0];
    let bestDistance = Infinity;
    for (const road of layout.roads) {
      const along = road.axis === 'h' ? x : y;
      const across = road.axis === 'h' ? y : x;
      const outside = along < road.from ? road.from - along : along > road.to ? along - road.to : 0;
      const distance = Math.hypot(outside, across - road.line);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = road;
      }
    }
    return best;
  };

  /** `张店区华光路86号`: odd numbers on the south/west side, even on the north/east side. */
  const addressAt = (placement: Placement, road = nearestRoad(placement.cell.i + placement.u, placement.cell.j + placement.v)): string => {
    const x = placement.cell.i + placement.u;
    const y = placement.cell.j + placement.v;
    const along = road.axis === 'h' ? x : y;
    const odd = road.axis === 'h' ? y < road.line : x < road.line;
    const base = Math.max(1, Math.round(along * 7));
    return `张店区${road.name}${odd ? 2 * base - 1 : 2 * base}号`;
  };

  const pointAt = (placement: Placement): Position => geo.cellPoint(placement.cell.i, placement.cell.j, placement.u, placement.v);

  const frontagePlacement = (cell: CellInfo, frontage: Frontage, depth: [number, number]): Placement => {
    const [u, v] = frontageUv(frontage.side, rng.float(0.15, 0.85), rng.float(depth[0], depth[1]));
    return { cell, u, v };
  };

  const randomFrontage = (filter: (cell: CellInfo) => boolean = () => true): { cell: CellInfo; frontage: Frontage } => {
    const candidates = frontageCells.filter(filter);
    const cell = rng.pick(candidates.length > 0 ? candidates : frontageCells);
    return { cell, frontage: rng.pick(cell.frontage) };
  };

  const responsibleFor = (guardKey: string, cell: CellInfo, ownPerson: boolean): { name: string; phone: string } => {
    if (ownPerson || guardKey.startsWith('property:')) {
      const person = people.person();
      return { name: person.displayName, phone: person.phone };
    }
    // 属地: a community-guarded place falls to the grid worker of its grid.
    const org = guardKey.startsWith('community:') ? orgByKey.get(cell.grid.key)! : orgByKey.get(guardKey)!;
    return { name: org.contactName!, phone: org.contactPhone! };
  };

  interface NewPoint {
    typeCode: string;
    name: string;
    geometry: DemoGeometry;
    /** The cell (micro-grid) holding the geometry's representative point. */
    locationCell: CellInfo;
    address: string;
    attrs?: Record<string, number | string>;
    guardOrgKey: string;
    /** Owners and managers (shops, markets, sites) are their own responsible people, not the guard's contact. */
    ownPerson?: { name: string; phone: string } | boolean;
  }
  const addPoint = (input: NewPoint) => {
    const type = typeFields.get(input.typeCode);
    if (!type) throw new Error(`unknown point type ${input.typeCode}`);
    const responsible =
      typeof input.ownPerson === 'object' ? input.ownPerson : responsibleFor(input.guardOrgKey, input.locationCell, input.ownPerson === true);
    points.push({
      name: input.name,
      typeCode: input.typeCode,
      geometry: input.geometry,
      address: input.address,
      attrs: input.attrs ?? {},
      guardOrgKey: input.guardOrgKey,
      responsibleName: responsible.name,
      responsiblePhone: responsible.phone,
      gridKey: input.locationCell.grid.key,
      microGridKey: input.locationCell.microKey,
      location: representativePoint(input.geometry),
    });
  };

  const addPointFeature = (typeCode: string, placement: Placement, name: string, guardOrgKey: string, ownPerson = false, road?: RoadPlan) => {
    const position = pointAt(placement);
    addPoint({
      typeCode,
      name,
      geometry: { type: 'Point', coordinates: position },
      locationCell: placement.cell,
      address: addressAt(placement, road),
      guardOrgKey,
      ownPerson,
    });
  };

  const communityStem = (cell: CellInfo) => cell.community.name.replace(/社区$/, '');
  const roadOf = (cell: CellInfo, u = 0.5, v = 0.5) => nearestRoad(cell.i + u, cell.j + v);

  // --- polygons: one per cell, set back from road frontages where the shops are ----------------------------------
  const polygonBox = (cell: CellInfo, shrink: number): UvBox => {
    const margin = (side: Side) => (cell.frontage.some((frontage) => frontage.side === side) ? rng.float(0.26, 0.3) : rng.float(0.1, 0.18));
    const box = { u0: margin('west'), u1: 1 - margin('east'), v0: margin('south'), v1: 1 - margin('north') };
    if (shrink >= 1) return box;
    const du = ((box.u1 - box.u0) * (1 - shrink)) / 2;
    const dv = ((box.v1 - box.v0) * (1 - shrink)) / 2;
    const shiftU = rng.float(-du, du);
    const shiftV = rng.float(-dv, dv);
    return { u0: box.u0 + du + shiftU, u1: box.u1 - du + shiftU, v0: box.v0 + dv + shiftV, v1: box.v1 - dv + shiftV };
  };
  const takeCell = (weight: (cell: CellInfo) => number): CellInfo | null => {
    const free = allCells.filter((cell) => !cell.polygonTaken && weight(cell) > 0);
    if (free.length === 0) return null;
    const cell = rng.weighted(free, weight);
    cell.polygonTaken = true;
    return cell;
  };
  const addPolygonFeature = (
    typeCode: string,
    cell: CellInfo,
    shrink: number,
    name: (cell: CellInfo) => string,
    guardOrgKey: string,
    attrs: (ring: Position[]) => Record<string, number>,
    ownPerson = false,
  ) => {
    const ring = polygonInCell(geo, rng, cell, polygonBox(cell, shrink));
    addPoint({
      typeCode,
      name: uniqueName(() => name(cell)),
      geometry: { type: 'Polygon', coordinates: [ring] },
      locationCell: cell,
      address: addressAt({ cell, u: 0.5, v: 0.5 }),
      attrs: attrs(ring),
      guardOrgKey,
      ownPerson,
    });
  };
  const onStreetEdge = (cell: CellInfo) => cell.i === 0 || cell.j === 0 || cell.i === COLUMNS - 1 || cell.j === ROWS - 1;
  const hasFrontage = (cell: CellInfo) => cell.frontage.length > 0;

  // 城乡接合部 sits on the street's edge, where the city thins out into former villages.
  const villages = rng.shuffle(VILLAGES);
  for (let index = 0; index < POINT_PLAN.urban_fringe; index += 1) {
    const cell = takeCell((candidate) => (onStreetEdge(candidate) ? 1 : 0));
    if (!cell) break;
    addPolygonFeature('urban_fringe', cell, 1, () => `${villages[index % villages.length]}城乡接合部片区`, rng.chance(0.5) ? cell.community.key : 'dept:enforcement', () => ({}));
  }
  for (let index = 0; index < POINT_PLAN.market; index += 1) {
    const cell = takeCell((candidate) => (hasFrontage(candidate) ? 1 : 0));
    if (!cell) break;
    addPolygonFeature('market', cell, rng.float(0.6, 0.85), (at) => `${roadOf(at).name}${rng.pick(MARKET_FORMS)}`, 'dept:market', () => ({ stalls: rng.int(80, 360) }), true);
  }
  const parkNames = (cell: CellInfo) =>
    rng.pick([`${STREET_SHORT_NAME}广场`, `${communityStem(cell)}公园`, `${roadOf(cell).name}街头游园`, `${communityStem(cell)}口袋公园`, '全民健身广场', '文化广场']);
  const parks: DemoPoint[] = [];
  for (let index = 0; index < POINT_PLAN.park_square; index += 1) {
    const cell = takeCell((candidate) => (hasFrontage(candidate) ? 2 : 1));
    if (!cell) break;
    addPolygonFeature('park_square', cell, 1, parkNames, 'dept:cityMgmt', (ring) => ({ areaM2: Math.round(ringAreaM2(ring)) }));
    parks.push(points[points.length - 1]);
  }
  SCHOOLS.slice(0, POINT_PLAN.school_area).forEach((school, index) => {
    const cell = takeCell((candidate) => (hasFrontage(candidate) ? 3 : 1));
    if (!cell) return;
    const guard = index === 0 ? 'unit:primarySchool' : index === 1 ? 'unit:middleSchool' : rng.chance(0.5) ? 'dept:police' : cell.community.key;
    addPolygonFeature('school_area', cell, 1, () => `${school}周边`, guard, () => ({}));
  });
  const siteTemplates = rng.shuffle([
    () => `${rng.pick(COMPOUND_BRANDS)}${rng.pick(COMPOUND_BRAND_WORDS)}二期项目工地`,
    (cell: CellInfo) => `${roadOf(cell).name}雨污分流改造工程工地`,
    (cell: CellInfo) => `${communityStem(cell)}片区棚户区改造安置房项目工地`,
    (cell: CellInfo) => `${roadOf(cell).name}综合管廊工程工地`,
    (cell: CellInfo) => `${communityStem(cell)}社区养老服务中心建设项目工地`,
    () => `${STREET_SHORT_NAME}商业综合体项目工地`,
  ]);
  for (let index = 0; index < POINT_PLAN.construction_site; index += 1) {
    const cell = takeCell(() => 1);
    if (!cell) break;
    addPolygonFeature(
      'construction_site',
      cell,
      rng.float(0.6, 0.9),
      siteTemplates[index % siteTemplates.length],
      rng.chance(0.6) ? 'dept:enforcement' : 'dept:cityMgmt',
      // 围挡 (hoarding) around the site, about 2.5 m high.
      (ring) => ({ hoardingM2: Math.round(polylineLengthM(ring) * 2.5) }),
      true,
    );
  }
  // Old compounds cluster: some communities are older than others.
  const age = new Map(layout.communities.map((community) => [community.key, rng.float(0.3, 2)]));
  for (let index = 0; index < POINT_PLAN.old_residential; index += 1) {
    const cell = takeCell((candidate) => age.get(candidate.community.key)!);
    if (!cell) break;
    const name = (at: CellInfo) => {
      const unit = rng.pick(OLD_WORK_UNITS);
      const roll = rng.next();
      if (roll < 0.4) return `${unit}宿舍`;
      if (roll < 0.7) return `${unit}家属院`;
      if (roll < 0.85) return `${roadOf(at).name}${unit}宿舍`;
      return `${roadOf(at).name}${rng.int(2, 60)}号院`;
    };
    addPolygonFeature('old_residential', cell, 1, name, rng.chance(0.55) ? cell.community.key : 'property:5', () => ({
      households: rng.int(48, 420),
      builtYear: rng.int(1978, 2003),
    }));
  }
  for (let index = 0; index < POINT_PLAN.residential; index += 1) {
    const cell = takeCell((candidate) => 2.3 - age.get(candidate.community.key)!);
    if (!cell) break;
    const name = () =>
      rng.chance(0.15)
        ? `${rng.pick(COMPOUND_BRANDS)}${rng.pick(COMPOUND_BRAND_WORDS)}`
        : `${rng.pick(COMPOUND_WORDS)}${rng.weighted(COMPOUND_SUFFIXES, ([, weight]) => weight)[0]}`;
    const guard = rng.chance(0.85) ? rng.weighted(['property:1', 'property:2', 'property:3', 'property:4'], (key) => (key === 'property:1' ? 3 : 2)) : cell.community.key;
    const buildings = rng.int(4, 28);
    addPolygonFeature('residential', cell, 1, name, guard, () => ({ households: buildings * rng.int(24, 66), buildings }));
  }

  // --- lines ----------------------------------------------------------------------------------------------------
  // Road sections: a grid's cells along one road side, drawn on the pavement just inside the grid.
  interface Section {
    grid: GridPlan;
    road: RoadPlan;
    side: Side;
    cells: CellInfo[];
  }
  const sections: Section[] = [];
  for (const community of layout.communities) {
    for (const grid of community.grids) {
      const bySide = new Map<string, Section>();
      for (const cell of grid.cells) {
        for (const frontage of cell.frontage) {
          const id = `${frontage.road.name}|${frontage.side}`;
          const section = bySide.get(id) ?? { grid, road: frontage.road, side: frontage.side, cells: [] };
          section.cells.push(cell);
          bySide.set(id, section);
        }
      }
      sections.push(...bySide.values());
    }
  }
  for (const section of sections) section.cells.sort((a, b) => (section.road.axis === 'h' ? a.i - b.i : a.j - b.j));
  const sectionLine = (section: Section, depth: number) => {
    const offset = section.side === 'south' || section.side === 'west' ? depth : 1 - depth;
    return lineThroughCells(geo, section.cells, section.road.axis === 'h' ? 'u' : 'v', offset);
  };
  const sideName: Record<Side, string> = { north: '南侧', south: '北侧', east: '西侧', west: '东侧' };
  const sectionName = (section: Section) => {
    const start = section.road.axis === 'h' ? section.cells[0].i : section.cells[0].j;
    const end = start + section.cells.length;
    const crossings = crossingsOf(section.road);
    const before = [...crossings].reverse().find((crossing) => crossing.position <= start);
    const after = crossings.find((crossing) => crossing.position >= end);
    const [lowWord, highWord] = section.road.axis === 'h' ? ['以西', '以东'] : ['以南', '以北'];
    const span =
      before && after
        ? `${before.road.name}至${after.road.name}段`
        : before
          ? `${before.road.name}${highWord}段`
          : after
            ? `${after.road.name}${lowWord}段`
            : '段';
    return `${section.road.name}(${span})${sideName[section.side]}`;
  };
  const usedSections = new Set<Section>();
  const lineGuard = () => rng.weighted(['dept:cityMgmt', 'dept:sanitation', 'dept:enforcement'], (key) => (key === 'dept:cityMgmt' ? 3 : 1));

  // 商业大街: the road sections with the longest frontage.
  const commercialSuffixes = rng.shuffle(['商业街', '美食街', '步行街', '特色街']);
  const commercial: Section[] = [];
  for (const section of rng.shuffle(sections).sort((a, b) => b.cells.length - a.cells.length)) {
    if (commercial.length < POINT_PLAN.commercial_street && commercial.every((other) => other.road !== section.road)) commercial.push(section);
  }
  for (let index = 0; index < commercial.length; index += 1) {
    const section = commercial[index];
    usedSections.add(section);
    const line = sectionLine(section, 0.05);
    addPoint({
      typeCode: 'commercial_street',
      name: uniqueName(() => `${section.road.name}${commercialSuffixes[index % commercialSuffixes.length]}`),
      geometry: { type: 'LineString', coordinates: line.coordinates },
      locationCell: line.middle,
      address: `张店区${section.road.name}`,
      attrs: { lengthM: Math.round(polylineLengthM(line.coordinates)), shops: rng.int(20, 120) },
      guardOrgKey: rng.chance(0.5) ? 'dept:market' : 'dept:cityMgmt',
    });
  }
  for (const section of rng.shuffle(sections.filter((candidate) => !usedSections.has(candidate))).slice(0, POINT_PLAN.main_road)) {
    usedSections.add(section);
    const line = sectionLine(section, 0.05);
    addPoint({
      typeCode: 'main_road',
      name: uniqueName(() => sectionName(section)),
      geometry: { type: 'LineString', coordinates: line.coordinates },
      locationCell: line.middle,
      address: `张店区${section.road.name}`,
      attrs: { lengthM: Math.round(polylineLengthM(line.coordinates)) },
      guardOrgKey: lineGuard(),
    });
  }

  // 背街小巷: alleys along a grid's inner cell edges (never a road edge), clear of the compound polygons.
  const laneCounters = new Map<string, number>();
  const namedLanes = rng.shuffle(NAMED_LANES);
  const allGrids = layout.communities.flatMap((community) => community.grids);
  const alleyGrids = rng.shuffle(allGrids);
  const usedAlleyEdges = new Set<string>();
  for (let index = 0, added = 0; added < POINT_PLAN.back_street && index < alleyGrids.length * 3; index += 1) {
    const grid = alleyGrids[index % alleyGrids.length];
    const options: { cells: CellInfo[]; runsAlong: 'u' | 'v'; offset: number; edge: Side }[] = [];
    for (let j = grid.rect.r0; j < grid.rect.r1; j += 1) {
      const row = grid.cells.filter((cell) => cell.j === j).sort((a, b) => a.i - b.i);
      for (const edge of ['south', 'north'] as const) {
        if (!row.some((cell) => cell.frontage.some((frontage) => frontage.side === edge))) {
          options.push({ cells: row, runsAlong: 'u', offset: edge === 'south' ? 0.06 : 0.94, edge });
        }
      }
    }
    for (let i = grid.rect.c0; i < grid.rect.c1; i += 1) {
      const column = grid.cells.filter((cell) => cell.i === i).sort((a, b) => a.j - b.j);
      for (const edge of ['west', 'east'] as const) {
        if (!column.some((cell) => cell.frontage.some((frontage) => frontage.side === edge))) {
          options.push({ cells: column, runsAlong: 'v', offset: edge === 'west' ? 0.06 : 0.94, edge });
        }
      }
    }
    // An alley belongs to the lattice edge it runs along: neighbouring grids must not both draw one there.
    const edgeIds = (option: (typeof options)[number]) =>
      option.cells.map((cell) =>
        option.runsAlong === 'u' ? `h:${option.edge === 'south' ? cell.j : cell.j + 1}:${cell.i}` : `v:${option.edge === 'west' ? cell.i : cell.i + 1}:${cell.j}`,
      );
    const fresh = options.filter((option) => edgeIds(option).every((id) => !usedAlleyEdges.has(id)));
    if (fresh.length === 0) continue;
    const option = rng.pick(fresh);
    for (const id of edgeIds(option)) usedAlleyEdges.add(id);
    const line = lineThroughCells(geo, option.cells, option.runsAlong, option.offset);
    const middle = option.cells[Math.floor(option.cells.length / 2)];
    const road = roadOf(middle);
    const side = road.axis === 'h' ? (middle.j + 0.5 < road.line ? '南' : '北') : middle.i + 0.5 < road.line ? '西' : '东';
    const name = uniqueName(() => {
      if (rng.chance(0.25) && namedLanes.length > 0) return namedLanes.pop()!;
      const counterKey = `${road.name}${side}`;
      const count = (laneCounters.get(counterKey) ?? 0) + 1;
      laneCounters.set(counterKey, count);
      return `${road.name}${side}${CHINESE_ORDINALS[Math.min(count, 10)]}巷`;
    });
    addPoint({
      typeCode: 'back_street',
      name,
      geometry: { type: 'LineString', coordinates: line.coordinates },
      locationCell: line.middle,
      address: `张店区${road.name}${side}侧`,
      attrs: { lengthM: Math.round(polylineLengthM(line.coordinates)) },
      guardOrgKey: rng.chance(0.7) ? grid.community.key : 'dept:sanitation',
    });
    added += 1;
  }

  // --- point features -------------------------------------------------------------------------------------------
  // 主要交通路口: just inside one corner cell of the crossing, so the spot names one grid.
  const crossings = layout.roads
    .filter((road) => road.axis === 'v')
    .flatMap((road) => crossingsOf(road).map((crossing) => ({ northSouth: road, eastWest: crossing.road })));
  for (const crossing of rng.shuffle(crossings).slice(0, POINT_PLAN.intersection)) {
    const i = crossing.northSouth.line;
    const j = crossing.eastWest.line;
    const corners = [
      { di: 0, dj: 0 },
      { di: -1, dj: 0 },
      { di: 0, dj: -1 },
      { di: -1, dj: -1 },
    ].filter(({ dj }) => (dj === 0 ? crossing.northSouth.to > j : crossing.northSouth.from < j));
    const { di, dj } = rng.pick(corners);
    const cell = layout.cells[j + dj][i + di];
    const placement = { cell, u: di === 0 ? 0.04 : 0.96, v: dj === 0 ? 0.04 : 0.96 };
    addPointFeature('intersection', placement, uniqueName(() => `${crossing.northSouth.name}与${crossing.eastWest.name}路口`), rng.chance(0.6) ? 'dept:police' : 'dept:cityMgmt', false, crossing.eastWest);
  }

  // 公交站点: named by road and nearest crossing, with the direction of travel (traffic keeps right).
  const direction: Record<Side, string> = { north: '东行', south: '西行', east: '南行', west: '北行' };
  for (let count = 0, attempts = 0; count < POINT_PLAN.bus_stop && attempts < 400; attempts += 1) {
    const { cell, frontage } = randomFrontage();
    const placement = frontagePlacement(cell, frontage, [0.08, 0.12]);
    const along = frontage.road.axis === 'h' ? cell.i + placement.u : cell.j + placement.v;
    const crossing = crossingsOf(frontage.road).sort((a, b) => Math.abs(a.position - along) - Math.abs(b.position - along))[0];
    if (!crossing) continue;
    const name = `${frontage.road.name}${crossing.road.name}口(${direction[frontage.side]})`;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    addPointFeature('bus_stop', placement, name, 'dept:cityMgmt', false, frontage.road);
    count += 1;
  }

  // 社区党群服务中心 and the street's 新时代文明实践所.
  for (const community of layout.communities) {
    const { cell, frontage } = randomFrontage((candidate) => candidate.community === community);
    addPointFeature('community_center', frontagePlacement(cell, frontage, [0.12, 0.2]), uniqueName(() => `${community.name}党群服务中心`), community.key, false, frontage.road);
  }
  {
    const { cell, frontage } = randomFrontage((candidate) => Math.abs(candidate.i - COLUMNS / 2) <= 3 && Math.abs(candidate.j - ROWS / 2) <= 2);
    addPointFeature('community_center', frontagePlacement(cell, frontage, [0.12, 0.2]), uniqueName(() => `${STREET_SHORT_NAME}街道新时代文明实践所`), 'dept:campaign', false, frontage.road);
  }

  const hospitals: { name: string; guard: string }[] = [
    { name: `淄博市${STREET_SHORT_NAME}医院`, guard: 'unit:hospital' },
    { name: `${STREET_SHORT_NAME}街道社区卫生服务中心`, guard: 'dept:communityBuilding' },
    { name: '张店区第二人民医院西院区', guard: 'community' },
  ];
  for (const hospital of hospitals.slice(0, POINT_PLAN.hospital)) {
    const { cell, frontage } = randomFrontage();
    const guard = hospital.guard === 'community' ? cell.community.key : hospital.guard;
    addPointFeature('hospital', frontagePlacement(cell, frontage, [0.1, 0.2]), uniqueName(() => hospital.name), guard, false, frontage.road);
  }

  const windows: { name: (road: string) => string; guard: string }[] = [
    { name: () => `${STREET_SHORT_NAME}街道便民服务中心`, guard: 'dept:communityBuilding' },
    { name: () => `${STREET_SHORT_NAME}派出所户籍办证大厅`, guard: 'dept:police' },
    { name: () => `中国工商银行${STREET_SHORT_NAME}支行`, guard: 'unit:bank' },
    { name: (road) => `中国建设银行${road}支行`, guard: 'community' },
    { name: (road) => `中国农业银行${road}分理处`, guard: 'community' },
    { name: (road) => `邮政储蓄银行${road}营业所`, guard: 'community' },
    { name: () => `中国电信${STREET_SHORT_NAME}营业厅`, guard: 'unit:telecom' },
    { name: (road) => `中国移动${road}营业厅`, guard: 'community' },
    { name: () => `国家电网${STREET_SHORT_NAME}供电营业厅`, guard: 'unit:power' },
    { name: () => `张店区税务局${STREET_SHORT_NAME}办税服务厅`, guard: 'dept:communityBuilding' },
  ];
  for (const window of windows.slice(0, POINT_PLAN.service_window)) {
    const { cell, frontage } = randomFrontage();
    const guard = window.guard === 'community' ? cell.community.key : window.guard;
    addPointFeature('service_window', frontagePlacement(cell, frontage, [0.1, 0.2]), uniqueName(() => window.name(frontage.road.name)), guard, false, frontage.road);
  }

  for (const brand of rng.shuffle(SUPERMARKETS).slice(0, POINT_PLAN.mall)) {
    const { cell, frontage } = randomFrontage();
    const name = brand.endsWith('超市') || brand === '大润发' || brand === '苏宁易购' ? `${brand}(${frontage.road.name}店)` : brand;
    addPointFeature('mall', frontagePlacement(cell, frontage, [0.1, 0.2]), uniqueName(() => name), 'dept:market', false, frontage.road);
  }

  for (const brand of rng.shuffle(HOTELS).slice(0, POINT_PLAN.hotel)) {
    const { cell, frontage } = randomFrontage();
    const name = INDEPENDENT_HOTELS.includes(brand) ? brand : `${brand}(${frontage.road.name}店)`;
    addPointFeature('hotel', frontagePlacement(cell, frontage, [0.1, 0.2]), uniqueName(() => name), rng.chance(0.5) ? 'dept:police' : 'dept:market', false, frontage.road);
  }

  // 室外公共厕所: by parks first, then along roads.
  const toiletCounters = new Map<string, number>();
  for (let index = 0; index < POINT_PLAN.public_toilet; index += 1) {
    const park = parks[index];
    if (park && index < Math.min(parks.length, 3)) {
      const cell = allCells.find((candidate) => candidate.microKey === park.microGridKey)!;
      const placement = { cell, u: rng.float(0.12, 0.2), v: rng.float(0.3, 0.7) };
      addPointFeature('public_toilet', placement, uniqueName(() => `${park.name}公厕`), 'dept:sanitation');
      continue;
    }
    const { cell, frontage } = randomFrontage();
    const count = (toiletCounters.get(frontage.road.name) ?? 0) + 1;
    toiletCounters.set(frontage.road.name, count);
    const name = count === 1 ? `${frontage.road.name}公厕` : `${frontage.road.name}${count}号公厕`;
    addPointFeature('public_toilet', frontagePlacement(cell, frontage, [0.1, 0.2]), uniqueName(() => name), 'dept:sanitation', false, frontage.road);
  }

  // 餐饮及"五小"门店: mostly on road frontages, some tucked inside blocks.
  for (let index = 0; index < POINT_PLAN.small_shop; index += 1) {
    let placement: Placement;
    let road: RoadPlan | undefined;
    if (rng.chance(0.8)) {
      const { cell, frontage } = randomFrontage();
      placement = frontagePlacement(cell, frontage, [0.06, 0.22]);
      road = frontage.road;
    } else {
      placement = { cell: rng.pick(allCells), u: rng.float(0.1, 0.9), v: rng.float(0.1, 0.9) };
    }
    let ownerSurname: string | undefined;
    const name = uniqueName(() => {
      const roll = rng.next();
      ownerSurname = undefined;
      if (roll < 0.3) {
        const owner = people.person();
        ownerSurname = owner.displayName[0];
        return `${ownerSurname}记${rng.pick(SURNAME_FOODS)}`;
      }
      if (roll < 0.42) {
        const owner = people.person();
        ownerSurname = owner.displayName[0];
        return `老${ownerSurname}家${rng.pick(LOCAL_DISHES)}`;
      }
      return `${rng.pick(SHOP_BRANDS)}${rng.pick(SHOP_CATEGORIES)}`;
    });
    const owner = people.person({ surname: ownerSurname });
    const guard = rng.chance(0.6) ? placement.cell.community.key : 'dept:market';
    const position = pointAt(placement);
    addPoint({
      typeCode: 'small_shop',
      name,
      geometry: { type: 'Point', coordinates: position },
      locationCell: placement.cell,
      address: addressAt(placement, road),
      guardOrgKey: guard,
      ownPerson: { name: owner.displayName, phone: owner.phone },
    });
  }

  return points;
}
