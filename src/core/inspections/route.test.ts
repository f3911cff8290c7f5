import { describe, expect, it } from 'vitest';
import { routeLength, splitRoute, walkingOrder, type RoutePoint } from './route.js';

// ~111 m per 0.001° of latitude; points along a north–south line near the demo street.
const at = (id: number, north: number, east = 0): RoutePoint => ({ id, lat: 36.8 + north * 0.001, lng: 118.05 + east * 0.00125 });

describe('walkingOrder', () => {
  it.each<[string, RoutePoint[], number[][]]>([
    ['empty', [], [[]]],
    ['one', [at(7, 0)], [[7]]],
    ['points on a line are walked end to end', [at(3, 2), at(1, 0), at(5, 4), at(2, 1), at(4, 3)], [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]]],
    ['a square is walked round, not across', [at(1, 0, 0), at(2, 0, 1), at(3, 1, 1), at(4, 1, 0)], [[1, 2, 3, 4], [1, 4, 3, 2], [2, 1, 4, 3], [2, 3, 4, 1], [3, 2, 1, 4], [3, 4, 1, 2], [4, 1, 2, 3], [4, 3, 2, 1]]],
  ])('%s', (_name, points, allowed) => {
    expect(allowed).toContainEqual(walkingOrder(points));
  });

  it('is the same whatever order the points come in', () => {
    const pts = Array.from({ length: 40 }, (_, i) => at(i + 1, (i * 37) % 23, (i * 11) % 7));
    expect(walkingOrder([...pts].reverse())).toEqual(walkingOrder(pts));
    expect(new Set(walkingOrder(pts)).size).toBe(40);
  });

  it('is much shorter than the id order for scattered points', () => {
    const pts = Array.from({ length: 60 }, (_, i) => at(i + 1, (i * 37) % 29, (i * 13) % 17));
    const byId = new Map(pts.map((p) => [p.id, p]));
    const walked = walkingOrder(pts).map((id) => byId.get(id)!);
    expect(routeLength(walked)).toBeLessThan(routeLength(pts) * 0.5);
  });
});

describe('splitRoute', () => {
  it.each<[number[], number[], Record<number, number>]>([
    [[1, 2, 3, 4], [10, 20], { 1: 10, 2: 10, 3: 20, 4: 20 }],
    [[1, 2, 3, 4, 5], [10, 20], { 1: 10, 2: 10, 3: 10, 4: 20, 5: 20 }],
    [[1, 2], [10, 20, 30], { 1: 10, 2: 20 }],
    [[5, 3, 1], [10], { 5: 10, 3: 10, 1: 10 }],
    [[1, 2], [], {}],
  ])('%j among %j', (route, inspectors, expected) => {
    expect(Object.fromEntries(splitRoute(route, inspectors))).toEqual(Object.fromEntries(Object.entries(expected)));
  });
});
