import { describe, expect, it } from 'vitest';
import { SampleError, checkSampleSpec, samplePoints, seededPick, type SampleCandidate } from './sampling.js';

/** n candidates of each type, ids from `start`, types interleaved so input order is not type order. */
function candidates(counts: Record<string, number>, start = 1): SampleCandidate[] {
  const out: SampleCandidate[] = [];
  let id = start;
  const types = Object.keys(counts);
  const max = Math.max(...Object.values(counts));
  for (let i = 0; i < max; i++) for (const t of types) if (i < counts[t]) out.push({ id: id++, typeCode: t });
  return out;
}

const pickedOf = (r: ReturnType<typeof samplePoints>) => Object.fromEntries(r.strata.map((s) => [s.typeCode, s.picked]));

describe('samplePoints', () => {
  const pool = candidates({ market: 10, main_road: 40, residential: 50 });

  it.each<[string, Parameters<typeof samplePoints>[1], Record<string, number>, number]>([
    ['proportional by default', { seed: 's', total: 20 }, { main_road: 8, market: 2, residential: 10 }, 0],
    ['a minimum per type lifts small types', { seed: 's', total: 20, minPerType: 5 }, { main_road: 7, market: 5, residential: 8 }, 0],
    ['shares override proportions', { seed: 's', total: 20, shares: { market: 1, main_road: 1, residential: 2 } }, { main_road: 5, market: 5, residential: 10 }, 0],
    ['a type left out of shares takes no part', { seed: 's', total: 10, shares: { market: 1, residential: 1 } }, { market: 5, residential: 5 }, 0],
    ['a share larger than the type is capped and the rest goes to others', { seed: 's', total: 40, shares: { market: 3, main_road: 1, residential: 0 } }, { main_road: 30, market: 10 }, 0],
    ['more than there is takes everything and reports the shortfall', { seed: 's', total: 150 }, { main_road: 40, market: 10, residential: 50 }, 50],
    ['a minimum above a small type takes all of it', { seed: 's', total: 60, minPerType: 15 }, { main_road: 22, market: 10, residential: 28 }, 0],
    ['total 1 goes to the largest share', { seed: 's', total: 1 }, { main_road: 0, market: 0, residential: 1 }, 0],
  ])('%s', (_name, spec, expected, shortfall) => {
    const r = samplePoints(pool, spec);
    expect(pickedOf(r)).toEqual(expected);
    expect(r.ids).toHaveLength(Object.values(expected).reduce((a, b) => a + b, 0));
    expect(r.shortfall).toBe(shortfall);
    expect(new Set(r.ids).size).toBe(r.ids.length);
    const typeOf = new Map(pool.map((c) => [c.id, c.typeCode]));
    for (const [type, n] of Object.entries(expected)) expect(r.ids.filter((id) => typeOf.get(id) === type)).toHaveLength(n);
    expect([...r.ids].sort((a, b) => a - b)).toEqual(r.ids);
  });

  it('is reproducible from the seed, whatever order the candidates come in', () => {
    const a = samplePoints(pool, { seed: '2026-春季', total: 25, minPerType: 3 });
    const shuffled = [...pool].reverse();
    const b = samplePoints(shuffled, { seed: '2026-春季', total: 25, minPerType: 3 });
    expect(b).toEqual(a);
    const c = samplePoints(pool, { seed: '2026-秋季', total: 25, minPerType: 3 });
    expect(c.ids).not.toEqual(a.ids);
    expect(pickedOf(c)).toEqual(pickedOf(a));
  });

  it('ignores duplicate candidates', () => {
    const r = samplePoints([...pool, ...pool.slice(0, 5)], { seed: 'x', total: 100 });
    expect(r.ids).toHaveLength(100);
  });

  it('draws every type roughly uniformly over many seeds', () => {
    const hits = new Map<number, number>();
    for (let i = 0; i < 400; i++) for (const id of samplePoints(pool, { seed: `s${i}`, total: 10 }).ids) hits.set(id, (hits.get(id) ?? 0) + 1);
    // 400 draws × 10 of 100 points: every point expected 40 times.
    expect(hits.size).toBe(100);
    for (const n of hits.values()) expect(n).toBeGreaterThan(10);
  });

  it.each([
    [{ seed: 's', total: 0 }, 'total'],
    [{ seed: 's', total: 2.5 }, 'total'],
    [{ seed: 's', total: 10, minPerType: -1 }, 'minPerType'],
    [{ seed: 's', total: 10, shares: { market: -1 } }, 'shares'],
    [{ seed: 's', total: 10, shares: { market: 0 } }, 'shares'],
    [{ seed: 's', total: 5, minPerType: 3 }, 'minPerType'],
  ])('refuses %j', (spec, field) => {
    expect(() => samplePoints(pool, spec)).toThrow(SampleError);
    try {
      samplePoints(pool, spec);
    } catch (err) {
      expect((err as SampleError).problem.field).toBe(field);
    }
  });

  it('checkSampleSpec accepts a valid spec', () => {
    expect(checkSampleSpec({ seed: '', total: 5, minPerType: 0, shares: { a: 0, b: 2 } })).toEqual([]);
  });

  it('seededPick is a reproducible subset', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    expect(seededPick(items, 5, 'k')).toEqual(seededPick(items, 5, 'k'));
    expect(seededPick(items, 50, 'k').sort((a, b) => a - b)).toEqual(items);
  });
});
