import { describe, expect, it } from 'vitest';
import { representativePoint } from '../../../core/geo/measure.js';
import { validateGeometry } from '../../../core/geo/validate.js';
import { ALLOWED_PARENTS, checkOrgCode } from '../../../core/org.js';
import { POINT_TYPE_SEED } from '../../../core/places.js';
import { ROLES } from '../../../core/roles.js';
import {
  DEMO_STREET_SEED,
  DEMO_USERNAMES,
  generateDemoStreet,
  type DemoOrg,
  type DemoStreet,
  type Position,
} from './demo-street.js';
import { createRng, hashString } from '../../../core/prng.js';

// Ray casting; points exactly on an edge are measure-zero for random samples and not special-cased.
function ringContains(ring: Position[], [x, y]: Position): boolean {
  let inside = false;
  for (let a = 0, b = ring.length - 2; a < ring.length - 1; b = a, a += 1) {
    const [xa, ya] = ring[a];
    const [xb, yb] = ring[b];
    if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

function orgContains(org: DemoOrg, position: Position): boolean {
  return org.geometry !== null && ringContains(org.geometry.coordinates[0], position);
}

function signedArea(ring: Position[]): number {
  let twice = 0;
  for (let index = 0; index < ring.length - 1; index += 1) {
    twice += ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1];
  }
  return twice / 2;
}

function orientation(p: Position, q: Position, r: Position): number {
  const value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function onSegment(p: Position, q: Position, r: Position): boolean {
  return Math.min(p[0], r[0]) <= q[0] && q[0] <= Math.max(p[0], r[0]) && Math.min(p[1], r[1]) <= q[1] && q[1] <= Math.max(p[1], r[1]);
}

function segmentsIntersect(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(p1, q1, p2)) || (o2 === 0 && onSegment(p1, q2, p2)) || (o3 === 0 && onSegment(q1, p1, q2)) || (o4 === 0 && onSegment(q1, p2, q2));
}

/** A closed ring is simple when no two non-adjacent edges touch and no vertex repeats. */
function isSimpleRing(ring: Position[]): boolean {
  const edges = ring.length - 1;
  const keys = new Set(ring.slice(0, -1).map(([x, y]) => `${x},${y}`));
  if (keys.size !== edges) return false;
  for (let a = 0; a < edges; a += 1) {
    for (let b = a + 1; b < edges; b += 1) {
      if (b === a + 1 || (a === 0 && b === edges - 1)) continue;
      if (segmentsIntersect(ring[a], ring[a + 1], ring[b], ring[b + 1])) return false;
    }
  }
  return true;
}

function isConvexRing(ring: Position[]): boolean {
  const edges = ring.length - 1;
  for (let index = 0; index < edges; index += 1) {
    if (orientation(ring[index], ring[(index + 1) % edges], ring[(index + 2) % edges]) <= 0) return false;
  }
  return true;
}

function hasSevenDecimals(value: number): boolean {
  return Math.abs(value * 1e7 - Math.round(value * 1e7)) < 1e-4;
}

/** Approximate distance in metres from a location to the nearest edge of a ring. */
function distanceToRingM(ring: Position[], [x, y]: Position): number {
  const kx = 111_320 * Math.cos((y * Math.PI) / 180);
  const ky = 110_975;
  let best = Infinity;
  for (let index = 0; index < ring.length - 1; index += 1) {
    const ax = (ring[index][0] - x) * kx;
    const ay = (ring[index][1] - y) * ky;
    const bx = (ring[index + 1][0] - x) * kx;
    const by = (ring[index + 1][1] - y) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

function allPositions(street: DemoStreet): Position[] {
  const positions: Position[] = [];
  for (const org of street.orgs) if (org.geometry) positions.push(...org.geometry.coordinates.flat());
  for (const point of street.points) {
    const { geometry } = point;
    if (geometry.type === 'Point') positions.push(geometry.coordinates);
    else if (geometry.type === 'LineString') positions.push(...geometry.coordinates);
    else positions.push(...geometry.coordinates.flat());
  }
  for (const road of street.roads) positions.push(...road.coordinates);
  return positions;
}

const demo = generateDemoStreet();
const byKind = (street: DemoStreet, kind: DemoOrg['kind']) => street.orgs.filter((org) => org.kind === kind);
// A few other seeds: the invariants must hold for any seed, not only the shipped one.
const otherSeeds = [1, 42, 987654321].map((seed) => generateDemoStreet(seed));

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps draws within their ranges', () => {
    const rng = createRng(123);
    for (let index = 0; index < 2000; index += 1) {
      const value = rng.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      const integer = rng.int(-3, 3);
      expect(Number.isInteger(integer) && integer >= -3 && integer <= 3).toBe(true);
    }
  });

  it('reaches both ends of int() and every element of pick()', () => {
    const rng = createRng(5);
    const ints = new Set(Array.from({ length: 500 }, () => rng.int(1, 4)));
    expect([...ints].sort()).toEqual([1, 2, 3, 4]);
    const picks = new Set(Array.from({ length: 500 }, () => rng.pick(['a', 'b', 'c'])));
    expect(picks.size).toBe(3);
  });

  it('chance(0) is never true and chance(1) always', () => {
    const rng = createRng(9);
    for (let index = 0; index < 100; index += 1) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = Array.from({ length: 30 }, (_, index) => index);
    const shuffled = createRng(11).shuffle(input);
    expect(input).toEqual(Array.from({ length: 30 }, (_, index) => index));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
    expect(shuffled).not.toEqual(input);
  });

  it('weighted() never picks a zero weight', () => {
    const rng = createRng(3);
    for (let index = 0; index < 300; index += 1) expect(rng.weighted(['x', 'y', 'z'], (item) => (item === 'y' ? 0 : 1))).not.toBe('y');
  });

  it('forks independently of how much the parent has drawn', () => {
    const fresh = createRng(99);
    const used = createRng(99);
    for (let index = 0; index < 10; index += 1) used.next();
    expect(fresh.fork('points').next()).toBe(used.fork('points').next());
    expect(fresh.fork('points').next()).not.toBe(fresh.fork('roads').next());
  });

  it('rejects bad arguments', () => {
    expect(() => createRng(1).int(3, 2)).toThrow(RangeError);
    expect(() => createRng(1).pick([])).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});

describe('generateDemoStreet: determinism', () => {
  it('gives deep-equal output for the same seed', () => {
    expect(generateDemoStreet(DEMO_STREET_SEED)).toEqual(demo);
  });

  it('gives different output for a different seed', () => {
    const other = otherSeeds[0];
    expect(other.orgs.find((org) => org.key === 'street')!.geometry).not.toEqual(demo.orgs.find((org) => org.key === 'street')!.geometry);
    expect(other.points.map((point) => point.name)).not.toEqual(demo.points.map((point) => point.name));
  });

  it('uses the shipped seed by default', () => {
    expect(demo.seed).toBe(20221209);
  });
});

describe.each([
  ['default seed', demo],
  ['seed 1', otherSeeds[0]],
  ['seed 42', otherSeeds[1]],
  ['seed 987654321', otherSeeds[2]],
] as const)('generateDemoStreet: org tree (%s)', (_label, street) => {
  const orgByKey = new Map(street.orgs.map((org) => [org.key, org]));

  it('has unique keys and lists parents before children, under allowed parent kinds', () => {
    expect(orgByKey.size).toBe(street.orgs.length);
    const seen = new Set<string>();
    for (const org of street.orgs) {
      if (org.parentKey !== null) {
        expect(seen.has(org.parentKey), `${org.key} comes after its parent`).toBe(true);
        expect(ALLOWED_PARENTS[org.kind]).toContain(orgByKey.get(org.parentKey)!.kind);
      } else {
        expect(ALLOWED_PARENTS[org.kind]).toContain(null);
      }
      seen.add(org.key);
    }
  });

  it('is 张店区 370303 with one street 370303xxx near 36.81°N 118.05°E', () => {
    const district = byKind(street, 'district');
    expect(district).toHaveLength(1);
    expect(district[0]).toMatchObject({ name: '张店区', code: '370303', parentKey: null });
    const streets = byKind(street, 'street');
    expect(streets).toHaveLength(1);
    expect(streets[0].code).toMatch(/^370303\d{3}$/);
    expect(streets[0].name).toMatch(/街道$/);
    expect(Math.abs(street.center.lat - 36.81)).toBeLessThan(0.01);
    expect(Math.abs(street.center.lng - 118.05)).toBeLessThan(0.01);
  });

  it('has 6 communities, 35–45 grids, and 3–6 micro-grids in every grid', () => {
    const communities = byKind(street, 'community');
    expect(communities).toHaveLength(6);
    expect(new Set(communities.map((community) => community.name)).size).toBe(6);
    for (const community of communities) expect(community.name).toMatch(/社区$/);
    const grids = byKind(street, 'grid');
    expect(grids.length).toBeGreaterThanOrEqual(35);
    expect(grids.length).toBeLessThanOrEqual(45);
    for (const community of communities) expect(grids.some((grid) => grid.parentKey === community.key)).toBe(true);
    const micro = byKind(street, 'micro_grid');
    for (const grid of grids) {
      const children = micro.filter((cell) => cell.parentKey === grid.key);
      expect(children.length, grid.key).toBeGreaterThanOrEqual(3);
      expect(children.length, grid.key).toBeLessThanOrEqual(6);
      for (const child of children) expect(child.name.startsWith(grid.name) && child.name.endsWith('微网格')).toBe(true);
      expect(grid.name).toMatch(/^.+社区第\d+网格$/);
    }
  });

  it('gives every territorial org a valid code with its parent as prefix', () => {
    const lengths = { district: 6, street: 9, community: 12, grid: 15, micro_grid: 18 } as const;
    for (const org of street.orgs) {
      const parentCode = org.parentKey ? orgByKey.get(org.parentKey)!.code : null;
      expect(checkOrgCode(org.kind, org.code, parentCode), org.key).toBeNull();
      if (org.kind in lengths) expect(org.code).toHaveLength(lengths[org.kind as keyof typeof lengths]);
    }
    const territorialCodes = street.orgs.filter((org) => org.code).map((org) => org.code);
    expect(new Set(territorialCodes).size).toBe(territorialCodes.length);
  });

  it('has departments, stationed units and property companies with contacts', () => {
    const departments = byKind(street, 'department');
    for (const short of ['创城办', '城管科', '环卫所', '市场监管所', '派出所', '综合执法中队', '社区建设办']) {
      expect(departments.map((dept) => dept.shortName)).toContain(short);
    }
    expect(byKind(street, 'stationed_unit').length).toBeGreaterThanOrEqual(5);
    expect(byKind(street, 'property_company').length).toBeGreaterThanOrEqual(4);
    for (const org of street.orgs.filter((candidate) => ['department', 'stationed_unit', 'property_company', 'community', 'grid', 'micro_grid'].includes(candidate.kind))) {
      expect(org.contactName, org.key).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(org.contactPhone, org.key).toMatch(/^1[358]\d{9}$/);
    }
  });

  it('draws closed, counter-clockwise, simple rings with 7-decimal coordinates', () => {
    for (const org of street.orgs) {
      if (org.kind === 'district' || org.kind === 'department' || org.kind === 'stationed_unit' || org.kind === 'property_company') {
        expect(org.geometry).toBeNull();
        continue;
      }
      expect(org.geometry?.type).toBe('Polygon');
      const ring = org.geometry!.coordinates[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(signedArea(ring), org.key).toBeGreaterThan(0);
      expect(isSimpleRing(ring), org.key).toBe(true);
      if (org.kind === 'micro_grid') expect(isConvexRing(ring), org.key).toBe(true);
    }
    for (const org of street.orgs) if (org.geometry) expect(validateGeometry(org.geometry), org.key).toBeNull();
    for (const point of street.points) expect(validateGeometry(point.geometry), point.name).toBeNull();
    for (const road of street.roads) expect(validateGeometry({ type: 'LineString', coordinates: road.coordinates }), road.name).toBeNull();
    for (const position of allPositions(street)) {
      expect(hasSevenDecimals(position[0]) && hasSevenDecimals(position[1])).toBe(true);
    }
  });

  it('tiles the street: every sampled location inside it is in exactly one community, grid and micro-grid', () => {
    const streetOrg = byKind(street, 'street')[0];
    const ring = streetOrg.geometry!.coordinates[0];
    const lngs = ring.map(([lng]) => lng);
    const lats = ring.map(([, lat]) => lat);
    const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
    // About 2.5 km × 2 km.
    expect((maxLng - minLng) * 89_244).toBeGreaterThan(2000);
    expect((maxLng - minLng) * 89_244).toBeLessThan(3200);
    expect((maxLat - minLat) * 110_975).toBeGreaterThan(1600);
    expect((maxLat - minLat) * 110_975).toBeLessThan(2600);
    const communities = byKind(street, 'community');
    const grids = byKind(street, 'grid');
    const micro = byKind(street, 'micro_grid');
    const rng = createRng(2024);
    let insideCount = 0;
    for (let sample = 0; sample < 5000; sample += 1) {
      const position: Position = [rng.float(minLng, maxLng), rng.float(minLat, maxLat)];
      const holders = {
        community: communities.filter((org) => orgContains(org, position)),
        grid: grids.filter((org) => orgContains(org, position)),
        micro: micro.filter((org) => orgContains(org, position)),
      };
      if (!orgContains(streetOrg, position)) {
        expect(holders.community.length + holders.grid.length + holders.micro.length).toBe(0);
        continue;
      }
      insideCount += 1;
      expect(holders.community).toHaveLength(1);
      expect(holders.grid).toHaveLength(1);
      expect(holders.micro).toHaveLength(1);
      expect(holders.micro[0].parentKey).toBe(holders.grid[0].key);
      expect(holders.grid[0].parentKey).toBe(holders.community[0].key);
    }
    expect(insideCount).toBeGreaterThan(3000);
  });
});

describe.each([
  ['default seed', demo],
  ['seed 1', otherSeeds[0]],
  ['seed 42', otherSeeds[1]],
  ['seed 987654321', otherSeeds[2]],
] as const)('generateDemoStreet: points and roads (%s)', (_label, street) => {
  const orgByKey = new Map(street.orgs.map((org) => [org.key, org]));
  const streetOrg = byKind(street, 'street')[0];

  it('has at least 350 points covering every point type, with unique names', () => {
    expect(street.points.length).toBeGreaterThanOrEqual(350);
    const types = new Set(street.points.map((point) => point.typeCode));
    for (const type of POINT_TYPE_SEED) expect(types.has(type.code), type.code).toBe(true);
    expect(new Set(street.points.map((point) => point.name)).size).toBe(street.points.length);
    const count = (code: string) => street.points.filter((point) => point.typeCode === code).length;
    expect(count('small_shop')).toBeGreaterThan(count('market') * 10);
    expect(count('residential')).toBeGreaterThan(count('hospital'));
  });

  it('gives each point the geometry kind of its type', () => {
    const kinds = { point: 'Point', line: 'LineString', polygon: 'Polygon' } as const;
    const typeByCode = new Map(POINT_TYPE_SEED.map((type) => [type.code, type]));
    for (const point of street.points) {
      expect(point.geometry.type, point.name).toBe(kinds[typeByCode.get(point.typeCode)!.geometry]);
      if (point.geometry.type === 'LineString') expect(point.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      if (point.geometry.type === 'Polygon') {
        const ring = point.geometry.coordinates[0];
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(signedArea(ring), point.name).toBeGreaterThan(0);
        expect(isSimpleRing(ring), point.name).toBe(true);
      }
    }
  });

  it('fills exactly the type fields, within their bounds', () => {
    const typeByCode = new Map(POINT_TYPE_SEED.map((type) => [type.code, type]));
    for (const point of street.points) {
      const fields = typeByCode.get(point.typeCode)!.fields;
      expect(Object.keys(point.attrs).sort(), point.name).toEqual(fields.map((field) => field.key).sort());
      for (const field of fields) {
        const value = point.attrs[field.key];
        if (field.type === 'string') {
          expect(typeof value).toBe('string');
          continue;
        }
        expect(typeof value).toBe('number');
        if (field.type === 'integer') expect(Number.isInteger(value), `${point.name}.${field.key}`).toBe(true);
        if (field.min !== undefined) expect(value).toBeGreaterThanOrEqual(field.min);
        if (field.max !== undefined) expect(value).toBeLessThanOrEqual(field.max);
      }
    }
  });

  it('places each point in the grid and micro-grid it names, inside the street', () => {
    for (const point of street.points) {
      const grid = orgByKey.get(point.gridKey)!;
      const micro = orgByKey.get(point.microGridKey)!;
      expect(grid.kind).toBe('grid');
      expect(micro.parentKey).toBe(grid.key);
      // The loader and the API file a point under representativePoint (a line's middle along its length).
      const location = representativePoint(point.geometry);
      expect(location, point.name).toEqual(point.location);
      expect(orgContains(streetOrg, location), point.name).toBe(true);
      expect(orgContains(grid, location), point.name).toBe(true);
      expect(orgContains(micro, location), point.name).toBe(true);
      // Clear of the micro-grid's edges, so no lookup can hesitate between two micro-grids.
      expect(distanceToRingM(micro.geometry!.coordinates[0], location), point.name).toBeGreaterThan(2);
      const vertices =
        point.geometry.type === 'Point' ? [point.geometry.coordinates] : point.geometry.type === 'LineString' ? point.geometry.coordinates : point.geometry.coordinates[0];
      for (const vertex of vertices) expect(orgContains(grid, vertex), `${point.name} vertex`).toBe(true);
    }
  });

  it('names a 包保 unit, a responsible person and an address for each point', () => {
    const guardKinds = ['department', 'stationed_unit', 'property_company', 'community'];
    for (const point of street.points) {
      expect(guardKinds).toContain(orgByKey.get(point.guardOrgKey!)?.kind);
      expect(point.responsibleName).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(point.responsiblePhone).toMatch(/^1[358]\d{9}$/);
      expect(point.address).toMatch(/^张店区/);
    }
    for (const kind of ['department', 'stationed_unit', 'property_company']) {
      expect(street.points.some((point) => orgByKey.get(point.guardOrgKey!)!.kind === kind), kind).toBe(true);
    }
  });

  it('has about a dozen named roads inside the street', () => {
    expect(street.roads.length).toBeGreaterThanOrEqual(9);
    expect(street.roads.length).toBeLessThanOrEqual(14);
    expect(new Set(street.roads.map((road) => road.name)).size).toBe(street.roads.length);
    for (const road of street.roads) {
      expect(road.name).toMatch(/(路|街|大道)$/);
      expect(road.coordinates.length).toBeGreaterThanOrEqual(2);
      for (const vertex of road.coordinates) expect(orgContains(streetOrg, vertex), road.name).toBe(true);
    }
  });
});

describe.each([
  ['default seed', demo],
  ['seed 42', otherSeeds[1]],
] as const)('generateDemoStreet: people (%s)', (_label, street) => {
  const orgByKey = new Map(street.orgs.map((org) => [org.key, org]));

  it('has every demo login with its role and org', () => {
    const expected: Record<string, [string, string]> = {
      admin: ['admin', 'street'],
      leader: ['leader', 'street'],
      office: ['office', 'street'],
      dispatcher: ['dispatcher', 'street'],
      unit: ['unit', 'dept:cityMgmt'],
      community: ['unit', 'community:1'],
      grid: ['grid_worker', 'grid:1:1'],
      inspector: ['inspector', 'street'],
      patrol: ['citizen_patrol', 'street'],
      volunteer: ['volunteer', 'community:1'],
    };
    expect([...DEMO_USERNAMES].sort()).toEqual(Object.keys(expected).sort());
    for (const [username, [role, orgKey]] of Object.entries(expected)) {
      const user = street.users.find((candidate) => candidate.username === username);
      expect(user, username).toBeDefined();
      expect(user!.role).toBe(role);
      expect(user!.orgKey).toBe(orgKey);
    }
    expect(orgByKey.get('dept:cityMgmt')!.shortName).toBe('城管科');
  });

  it('has about sixty more people with unique ASCII usernames, valid roles, orgs and phones', () => {
    expect(street.users.length).toBeGreaterThanOrEqual(70);
    expect(new Set(street.users.map((user) => user.username)).size).toBe(street.users.length);
    expect(new Set(street.users.map((user) => user.phone)).size).toBe(street.users.length);
    for (const user of street.users) {
      expect(user.username).toMatch(/^[a-z][a-z0-9]*$/);
      expect(ROLES).toContain(user.role);
      expect(orgByKey.has(user.orgKey), user.orgKey).toBe(true);
      expect(user.phone).toMatch(/^1[358]\d{9}$/);
      expect(user.displayName.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives every grid a grid worker who is also its contact', () => {
    for (const grid of byKind(street, 'grid')) {
      const workers = street.users.filter((user) => user.orgKey === grid.key && user.role === 'grid_worker');
      expect(workers.length, grid.key).toBeGreaterThanOrEqual(1);
      expect(workers.map((worker) => worker.displayName)).toContain(grid.contactName);
    }
  });

  it('gives every department other than the campaign office and every community a unit-role user', () => {
    for (const org of street.orgs.filter((candidate) => (candidate.kind === 'department' && candidate.key !== 'dept:campaign') || candidate.kind === 'community')) {
      expect(street.users.some((user) => user.orgKey === org.key && user.role === 'unit'), org.key).toBe(true);
    }
  });
});
