// 得分率 (points earned ÷ points possible) of a point, and of groups of item results: by point type, community,
// standard item, inspection or point; the change since the previous inspection; the weakest first. Pure.
//
// Sums are kept in whole 1/10000 points (rules.ts toUnits) so adding thousands of half points never drifts; a
// rate stays the pair earned/possible and is divided (and rounded) only to be shown or ranked.
import { checkObservation, fromUnits, scoreItem, toUnits, type FieldProblem, type ItemScore, type Observation, type ScoringRule } from './rules.js';

export interface Rate {
  earned: number;
  possible: number;
}

/** earned ÷ possible, or null when nothing was possible (a point where every item was not applicable). */
export const rateOf = (r: Rate): number | null => (r.possible > 0 ? r.earned / r.possible : null);

/** "87.5%" (digits after the point, default 1); "—" when nothing was possible. */
export function formatRate(r: Rate, digits = 1): string {
  const v = rateOf(r);
  return v === null ? '—' : `${(v * 100).toFixed(digits)}%`;
}

/** Exact order of two rates (a.earned/a.possible vs b.earned/b.possible) by cross-multiplying whole units. */
export function compareRates(a: Rate, b: Rate): number {
  // BigInt: an inspection's sums in 1/10000 points can pass 2^26, and their product 2^53.
  const d = BigInt(toUnits(a.earned)) * BigInt(toUnits(b.possible)) - BigInt(toUnits(b.earned)) * BigInt(toUnits(a.possible));
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export interface PointScore extends Rate {
  rate: number | null;
  items: (ItemScore & { code: string })[];
  /** Items of the checklist without an observation: not scored (and not in `possible`). */
  unobserved: string[];
  /** Observations for codes not in the checklist. */
  unknown: string[];
}

/** Scores a point's checklist. Throws InvalidObservationError (from scoreItem) on an observation out of range. */
export function scorePoint(items: { code: string; rule: ScoringRule }[], observations: Record<string, Observation>): PointScore {
  let earnedU = 0;
  let possibleU = 0;
  const scored: PointScore['items'] = [];
  const unobserved: string[] = [];
  const codes = new Set(items.map((i) => i.code));
  for (const item of items) {
    const obs = observations[item.code];
    if (!obs) {
      unobserved.push(item.code);
      continue;
    }
    const s = scoreItem(item.rule, obs);
    earnedU += toUnits(s.earned);
    possibleU += toUnits(s.possible);
    scored.push({ code: item.code, ...s });
  }
  const r = { earned: fromUnits(earnedU), possible: fromUnits(possibleU) };
  return { ...r, rate: rateOf(r), items: scored, unobserved, unknown: Object.keys(observations).filter((c) => !codes.has(c)) };
}

/** The problems of each observation of a point, keyed by item code (unknown codes included). Empty when valid. */
export function checkPointObservations(items: { code: string; rule: ScoringRule }[], observations: Record<string, Observation>): Record<string, FieldProblem[]> {
  const out: Record<string, FieldProblem[]> = {};
  const byCode = new Map(items.map((i) => [i.code, i]));
  for (const [code, obs] of Object.entries(observations)) {
    const item = byCode.get(code);
    const problems = item ? checkObservation(item.rule, obs) : [{ field: 'code', reason: `item ${code} is not in this point type's checklist` }];
    if (problems.length) out[code] = problems;
  }
  return out;
}

/** One scored item at one point in one inspection: the row every report groups. */
export interface ItemResult extends Rate {
  inspection: string | number;
  point: string | number;
  pointType: string;
  community: string | number;
  item: string;
}

export type GroupBy = 'pointType' | 'community' | 'item' | 'inspection' | 'point';

export interface Group extends Rate {
  key: string;
  rate: number | null;
  /** How many item results were summed. */
  results: number;
}

/** Sums the results per key; groups come in key order (natural for item codes). */
export function aggregate(results: ItemResult[], by: GroupBy): Group[] {
  const sums = new Map<string, { e: number; p: number; n: number }>();
  for (const r of results) {
    const key = String(r[by]);
    const s = sums.get(key) ?? { e: 0, p: 0, n: 0 };
    s.e += toUnits(r.earned);
    s.p += toUnits(r.possible);
    s.n += 1;
    sums.set(key, s);
  }
  return [...sums.entries()]
    .map(([key, s]) => {
      const rate = { earned: fromUnits(s.e), possible: fromUnits(s.p) };
      return { key, ...rate, rate: rateOf(rate), results: s.n };
    })
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/** The whole set as one rate (an inspection's overall 得分率). */
export function total(results: Rate[]): Rate & { rate: number | null } {
  const e = results.reduce((s, r) => s + toUnits(r.earned), 0);
  const p = results.reduce((s, r) => s + toUnits(r.possible), 0);
  const r = { earned: fromUnits(e), possible: fromUnits(p) };
  return { ...r, rate: rateOf(r) };
}

export interface Comparison {
  key: string;
  current: Group | null;
  previous: Group | null;
  /** current rate − previous rate (a share, 0.05 = 5 points of percentage); null unless both have a rate. */
  delta: number | null;
}

/** Per key present in either: the rate now, before, and the change. Keys in natural order. */
export function compare(current: Group[], previous: Group[]): Comparison[] {
  const cur = new Map(current.map((g) => [g.key, g]));
  const prev = new Map(previous.map((g) => [g.key, g]));
  const keys = [...new Set([...cur.keys(), ...prev.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return keys.map((key) => {
    const c = cur.get(key) ?? null;
    const p = prev.get(key) ?? null;
    const cr = c ? rateOf(c) : null;
    const pr = p ? rateOf(p) : null;
    return { key, current: c, previous: p, delta: cr !== null && pr !== null ? cr - pr : null };
  });
}

/** The n groups with the lowest rate (ties: more points lost first, then key). Groups with nothing possible are left out. */
/**
 * 排名 of rates already sorted best first: equal rates (exactly, by compareRates) share a rank and the next rank
 * skips them (competition ranking: 1, 1, 3), as a 通报 ranks communities.
 */
export function competitionRanks(sortedBestFirst: Rate[]): number[] {
  const ranks: number[] = [];
  sortedBestFirst.forEach((r, i) => ranks.push(i > 0 && compareRates(r, sortedBestFirst[i - 1]) === 0 ? ranks[i - 1] : i + 1));
  return ranks;
}

export function weakest<T extends Rate & { key: string }>(groups: T[], n: number): T[] {
  return groups
    .filter((g) => g.possible > 0)
    .sort((a, b) => compareRates(a, b) || toUnits(b.possible - b.earned) - toUnits(a.possible - a.earned) || a.key.localeCompare(b.key, 'en', { numeric: true }))
    .slice(0, Math.max(0, n));
}
