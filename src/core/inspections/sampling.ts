// 随机抽样: the points of an inspection are drawn at random, stratified by point type: each type gets a share of
// the total (its weight; by default its number of points), at least a minimum, never more than it has. The draw is
// reproducible: the same seed and the same candidate points give the same sample whatever order they come in.
// Pure: no I/O.
import { hashString, mulberry32 } from '../prng.js';

export interface SampleCandidate {
  id: number;
  typeCode: string;
}

export interface SampleSpec {
  /** Any text; the same seed and candidates give the same sample. */
  seed: string;
  /** How many points to draw in all. */
  total: number;
  /** At least this many of every type that takes part (fewer when a type has fewer points). Default 0. */
  minPerType?: number;
  /**
   * Weight per type code (any non-negative numbers; they are normalised). Types absent from `shares` do not take
   * part. Absent: every type takes part with a weight equal to its number of candidates (proportional sampling).
   */
  shares?: Record<string, number>;
}

export interface StratumReport {
  typeCode: string;
  /** Candidates of this type. */
  available: number;
  /** The normalised share (0–1) the type was given. */
  share: number;
  picked: number;
}

export interface SampleResult {
  /** The drawn point ids, in id order. */
  ids: number[];
  strata: StratumReport[];
  /** Asked for more than there are points: the total actually drawn is smaller. */
  shortfall: number;
}

export interface SampleProblem {
  field: 'total' | 'minPerType' | 'shares';
  reason: string;
}

export const MAX_SAMPLE_TOTAL = 5000;

/** The first `k` of a seeded Fisher–Yates shuffle of `items` (a uniform random subset, in draw order). */
export function seededPick<T>(items: readonly T[], k: number, seed: string): T[] {
  const copy = items.slice();
  const next = mulberry32(hashString(seed)); // the demo data's generator (core/prng.ts)
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

// ---- checks --------------------------------------------------------------------------------------------------------

export function checkSampleSpec(spec: SampleSpec): SampleProblem[] {
  const problems: SampleProblem[] = [];
  if (!Number.isInteger(spec.total) || spec.total < 1 || spec.total > MAX_SAMPLE_TOTAL) problems.push({ field: 'total', reason: `must be a whole number 1–${MAX_SAMPLE_TOTAL}` });
  const min = spec.minPerType ?? 0;
  if (!Number.isInteger(min) || min < 0 || min > MAX_SAMPLE_TOTAL) problems.push({ field: 'minPerType', reason: `must be a whole number 0–${MAX_SAMPLE_TOTAL}` });
  if (spec.shares) {
    const values = Object.values(spec.shares);
    if (values.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) problems.push({ field: 'shares', reason: 'every share must be a number ≥ 0' });
    else if (!values.some((v) => v > 0)) problems.push({ field: 'shares', reason: 'at least one share must be greater than 0' });
  }
  return problems;
}

// ---- quotas --------------------------------------------------------------------------------------------------------

interface Stratum {
  typeCode: string;
  ids: number[];
  weight: number;
  quota: number;
}

/**
 * Splits `total` over the strata in proportion to their weights, each getting at least the minimum (or all it has
 * when it has fewer) and at most what it has: strata whose share falls outside those bounds are fixed at the bound
 * and the rest is shared again among the others. Whole numbers by largest remainder; ties go to the type code
 * first in order, so the split is deterministic. The caller makes sure the minimums fit in `total`.
 */
function allocate(strata: Stratum[], total: number, minPerType: number): void {
  const lower = (s: Stratum) => Math.min(minPerType, s.ids.length);
  const fixed = new Map<Stratum, number>();
  for (;;) {
    const free = strata.filter((s) => !fixed.has(s));
    if (!free.length) break;
    const rest = total - [...fixed.values()].reduce((a, b) => a + b, 0);
    const weightSum = free.reduce((a, s) => a + s.weight, 0);
    const ideal = new Map(free.map((s) => [s, (rest * s.weight) / weightSum]));
    const low = free.filter((s) => ideal.get(s)! < lower(s));
    if (low.length) {
      for (const s of low) fixed.set(s, lower(s));
      continue;
    }
    const high = free.filter((s) => ideal.get(s)! > s.ids.length);
    if (high.length) {
      for (const s of high) fixed.set(s, s.ids.length);
      continue;
    }
    const base = new Map(free.map((s) => [s, Math.floor(ideal.get(s)! + 1e-9)]));
    let left = rest - [...base.values()].reduce((a, b) => a + b, 0);
    const frac = (s: Stratum) => ideal.get(s)! - base.get(s)!;
    const order = [...free].sort((a, b) => frac(b) - frac(a) || (a.typeCode < b.typeCode ? -1 : 1));
    for (const s of order) {
      if (left <= 0) break;
      if (base.get(s)! < s.ids.length) {
        base.set(s, base.get(s)! + 1);
        left -= 1;
      }
    }
    for (const [s, q] of base) fixed.set(s, q);
    break;
  }
  for (const s of strata) s.quota = fixed.get(s) ?? 0;
}

export class SampleError extends RangeError {
  constructor(readonly problem: SampleProblem) {
    super(`${problem.field} ${problem.reason}`);
    this.name = 'SampleError';
  }
}

/**
 * Draws a stratified random sample. Throws a SampleError naming the field when the spec is invalid, or when the
 * minimums of the types taking part do not fit in the total. Candidates of types that do not take part are ignored.
 */
export function samplePoints(candidates: readonly SampleCandidate[], spec: SampleSpec): SampleResult {
  const problems = checkSampleSpec(spec);
  if (problems.length) throw new SampleError(problems[0]);
  const byType = new Map<string, number[]>();
  const seen = new Set<number>();
  for (const c of [...candidates].sort((a, b) => a.id - b.id)) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const list = byType.get(c.typeCode);
    if (list) list.push(c.id);
    else byType.set(c.typeCode, [c.id]);
  }
  const types = [...byType.keys()].sort();
  const strata: Stratum[] = types
    .map((typeCode) => {
      const ids = byType.get(typeCode)!;
      const weight = spec.shares ? (spec.shares[typeCode] ?? 0) : ids.length;
      return { typeCode, ids, weight, quota: 0 };
    })
    .filter((s) => s.weight > 0);
  const available = strata.reduce((n, s) => n + s.ids.length, 0);
  const total = Math.min(spec.total, available);
  const minimums = strata.reduce((n, s) => n + Math.min(spec.minPerType ?? 0, s.ids.length), 0);
  if (minimums > total) {
    throw new SampleError({ field: 'minPerType', reason: `the minimums of ${strata.length} point types need ${minimums} points, more than the total ${total}` });
  }
  allocate(strata, total, spec.minPerType ?? 0);
  const weightSum = strata.reduce((n, s) => n + s.weight, 0) || 1;
  const ids: number[] = [];
  const report: StratumReport[] = [];
  for (const s of strata) {
    const picked = seededPick(s.ids, s.quota, `${spec.seed}\u0000${s.typeCode}`);
    ids.push(...picked);
    report.push({ typeCode: s.typeCode, available: s.ids.length, share: s.weight / weightSum, picked: picked.length });
  }
  ids.sort((a, b) => a - b);
  return { ids, strata: report, shortfall: Math.max(0, spec.total - ids.length) };
}
