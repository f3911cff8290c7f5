import { describe, expect, it } from 'vitest';
import { aggregate, checkPointObservations, compare, compareRates, competitionRanks, formatRate, scorePoint, total, weakest, type ItemResult } from './aggregate.js';
import { InvalidObservationError, type ScoringRule } from './rules.js';

const items: { code: string; rule: ScoringRule }[] = [
  { code: '3.1.1-1', rule: { kind: 'pass_fail', points: 2 } },
  { code: '1.2.1-6', rule: { kind: 'per_missing', required: 5, step: 2, points: 10 } },
  { code: '2.1.1-1', rule: { kind: 'per_occurrence', step: 1, cap: 5, points: 5, fixedOnSpotFactor: 0.5 } },
];

describe('scorePoint', () => {
  it('sums a point and keeps the rate exact', () => {
    const s = scorePoint(items, { '3.1.1-1': { passed: true }, '1.2.1-6': { count: 4 }, '2.1.1-1': { occurrences: 3, fixedOnSpot: 1 } });
    expect(s).toMatchObject({ earned: 12.5, possible: 17, unobserved: [], unknown: [] });
    expect(s.rate).toBeCloseTo(12.5 / 17, 12);
    expect(s.items.map((i) => i.code)).toEqual(['3.1.1-1', '1.2.1-6', '2.1.1-1']);
  });

  it('leaves unobserved items out of the possible points and names unknown codes', () => {
    const s = scorePoint(items, { '3.1.1-1': { passed: false }, '9.9.9-9': { passed: true } });
    expect(s).toMatchObject({ earned: 0, possible: 2, rate: 0, unobserved: ['1.2.1-6', '2.1.1-1'], unknown: ['9.9.9-9'] });
  });

  it('a point where nothing applies has no rate', () => {
    const s = scorePoint(items.slice(0, 1), { '3.1.1-1': { notApplicable: true } });
    expect(s.rate).toBeNull();
    expect(formatRate(s)).toBe('—');
  });

  it('throws on an out-of-range observation, and checkPointObservations names it', () => {
    expect(() => scorePoint(items, { '1.2.1-6': { count: -2 } })).toThrow(InvalidObservationError);
    expect(checkPointObservations(items, { '1.2.1-6': { count: -2 }, '3.1.1-1': { passed: true }, 'x': { passed: true } })).toEqual({
      '1.2.1-6': [{ field: 'count', reason: expect.stringContaining('whole number') }],
      x: [{ field: 'code', reason: expect.stringContaining('not in') }],
    });
  });
});

const r = (inspection: string, point: string, pointType: string, community: string, item: string, earned: number, possible: number): ItemResult => ({
  inspection, point, pointType, community, item, earned, possible,
});

const current: ItemResult[] = [
  r('i2', 'p1', 'market', '东城社区', '1.2.1-6', 8, 10),
  r('i2', 'p1', 'market', '东城社区', '2.1.1-1', 3.5, 5),
  r('i2', 'p2', 'residential', '西苑社区', '2.1.1-1', 5, 5),
  r('i2', 'p2', 'residential', '西苑社区', '2.2.2-3', 0, 4),
  r('i2', 'p3', 'residential', '东城社区', '2.2.2-3', 3, 4),
];
const previous: ItemResult[] = [
  r('i1', 'p1', 'market', '东城社区', '1.2.1-6', 4, 10),
  r('i1', 'p2', 'residential', '西苑社区', '2.2.2-3', 4, 4),
];

describe('aggregate', () => {
  it.each<[Parameters<typeof aggregate>[1], [string, number, number, number][]]>([
    ['pointType', [['market', 11.5, 15, 2], ['residential', 8, 13, 3]]],
    ['community', [['东城社区', 14.5, 19, 3], ['西苑社区', 5, 9, 2]]],
    ['item', [['1.2.1-6', 8, 10, 1], ['2.1.1-1', 8.5, 10, 2], ['2.2.2-3', 3, 8, 2]]],
    ['inspection', [['i2', 19.5, 28, 5]]],
    ['point', [['p1', 11.5, 15, 2], ['p2', 5, 9, 2], ['p3', 3, 4, 1]]],
  ])('by %s', (by, expected) => {
    const groups = aggregate(current, by);
    expect(groups.map((g) => [g.key, g.earned, g.possible, g.results])).toEqual(expected);
    for (const g of groups) expect(g.rate).toBeCloseTo(g.earned / g.possible, 12);
  });

  it('sorts item codes naturally and adds many halves without drift', () => {
    const many = Array.from({ length: 3000 }, (_, i) => r('i', `p${i}`, 't', 'c', i % 2 ? '1.2.1-10' : '1.2.1-9', 0.1, 0.3));
    const groups = aggregate(many, 'item');
    expect(groups.map((g) => g.key)).toEqual(['1.2.1-9', '1.2.1-10']);
    expect(groups[0]).toMatchObject({ earned: 150, possible: 450 });
    expect(total(many)).toMatchObject({ earned: 300, possible: 900 });
  });
});

describe('compare and weakest', () => {
  it('gives the change per key, with keys only on one side', () => {
    const c = compare(aggregate(current, 'item'), aggregate(previous, 'item'));
    expect(c.map((x) => [x.key, x.delta === null ? null : Math.round(x.delta * 1000) / 1000])).toEqual([
      ['1.2.1-6', 0.4],
      ['2.1.1-1', null],
      ['2.2.2-3', -0.625],
    ]);
    expect(c[1]).toMatchObject({ previous: null, current: { key: '2.1.1-1' } });
  });

  it('ranks the lowest rate first, exactly, ties by points lost', () => {
    const groups = [
      { key: 'a', earned: 1, possible: 3 },
      { key: 'b', earned: 2, possible: 6 },
      { key: 'c', earned: 0, possible: 0 },
      { key: 'd', earned: 0.2, possible: 1 },
      { key: 'e', earned: 9, possible: 10 },
    ];
    expect(weakest(groups, 3).map((g) => g.key)).toEqual(['d', 'b', 'a']);
    expect(weakest(groups, 0)).toEqual([]);
    expect(compareRates({ earned: 1, possible: 3 }, { earned: 2, possible: 6 })).toBe(0);
    expect(compareRates({ earned: 1e6, possible: 3e6 }, { earned: 1e6 + 0.0001, possible: 3e6 })).toBeLessThan(0);
  });

  it('formats a rate only for display', () => {
    expect(formatRate({ earned: 2, possible: 3 })).toBe('66.7%');
    expect(formatRate({ earned: 2, possible: 3 }, 2)).toBe('66.67%');
  });
});

describe('competitionRanks', () => {
  it.each([
    { name: 'all different', rates: [[9, 10], [8, 10], [7, 10]], ranks: [1, 2, 3] },
    { name: 'a tie shares a rank and the next skips it', rates: [[9, 10], [18, 20], [7, 10]], ranks: [1, 1, 3] },
    { name: 'equal by value, not by points', rates: [[1, 2], [50, 100], [49.5, 100], [49.5, 100]], ranks: [1, 1, 3, 3] },
    { name: 'close but not equal rates keep their order', rates: [[98.25, 100], [98.24, 100]], ranks: [1, 2] },
    { name: 'none', rates: [], ranks: [] },
  ])('$name', ({ rates, ranks }) => {
    expect(competitionRanks(rates.map(([earned, possible]) => ({ earned, possible })))).toEqual(ranks);
  });
});
