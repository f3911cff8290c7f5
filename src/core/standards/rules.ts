// 计分规则: how one 测评标准 (standard item) turns an inspector's observation into points. Pure: no I/O.
//
// Points are exact: every point value (full points, step, cap) has at most 2 decimals and a fixed-on-the-spot
// factor at most 2 decimals, so every deduction is a whole number of 1/10000 points. Sums are kept in those
// units (see `toUnits`); rates are fractions earned ÷ possible, rounded only for display.

export const RULE_KINDS = ['pass_fail', 'per_missing', 'per_occurrence'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_KIND_LABELS: Record<RuleKind, { zh: string; en: string }> = {
  pass_fail: { zh: '达标/不达标', en: 'Pass / fail' },
  per_missing: { zh: '按缺少数量扣分', en: 'Per missing count' },
  per_occurrence: { zh: '按发现问题扣分（封顶）', en: 'Per occurrence (capped)' },
};

interface RuleBase {
  /** 分值: full points of the item. */
  points: number;
  /** 当场整改系数: a problem fixed on the spot costs this share of its deduction (0.5 = half). Absent: full. */
  fixedOnSpotFactor?: number;
}

/** All or nothing: full points when it passes, 0 when it fails. */
export interface PassFailRule extends RuleBase {
  kind: 'pass_fail';
}

/** "不少于 required 处，每少 1 处扣 step 分": a count is required; each missing one costs `step`, floor 0. */
export interface PerMissingRule extends RuleBase {
  kind: 'per_missing';
  required: number;
  step: number;
  /** 计量单位 of the counted things, zh (处, 块, 个); shown in words only. Default 处. */
  unit?: string;
}

/** "发现 1 处扣 step 分，扣完为止（最多 cap 分）": each problem found costs `step`, at most `cap` (default points). */
export interface PerOccurrenceRule extends RuleBase {
  kind: 'per_occurrence';
  step: number;
  cap?: number;
}

export type ScoringRule = PassFailRule | PerMissingRule | PerOccurrenceRule;

/** What the inspector recorded for one item at one point. Which fields count depends on the rule kind. */
export interface Observation {
  /** pass_fail: did it pass. */
  passed?: boolean;
  /** per_missing: how many were found (e.g. 4 public-service ads). */
  count?: number;
  /** per_occurrence: how many problems were found (e.g. 3 pieces of litter). */
  occurrences?: number;
  /** How many of the failures (missing ones, occurrences, or the one failure) were fixed on the spot. */
  fixedOnSpot?: number;
  /** 不适用: the item does not apply at this point (no toilet at this market); scores 0 of 0. */
  notApplicable?: boolean;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export interface Deduction {
  /** How many failures this line covers. */
  quantity: number;
  /** Points per failure before the cap. */
  each: number;
  /** Points actually deducted by this line (after the cap). */
  points: number;
  fixedOnSpot: boolean;
}

export interface ItemScore {
  earned: number;
  possible: number;
  deductions: Deduction[];
  explanation: { zh: string; en: string };
}

export const MAX_POINTS = 100;
export const MAX_COUNT = 10000;
const UNITS_PER_POINT = 10000;

export const toUnits = (points: number): number => Math.round(points * UNITS_PER_POINT);
export const fromUnits = (units: number): number => units / UNITS_PER_POINT;

const hasAtMostDecimals = (x: number, decimals: number) => Math.abs(Math.round(x * 10 ** decimals) - x * 10 ** decimals) < 1e-7;
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function checkPointValue(problems: FieldProblem[], field: string, value: unknown, max: number) {
  if (!isFiniteNumber(value)) problems.push({ field, reason: 'must be a number' });
  else if (value <= 0) problems.push({ field, reason: 'must be greater than 0' });
  else if (value > max) problems.push({ field, reason: `must be at most ${max}` });
  else if (!hasAtMostDecimals(value, 2)) problems.push({ field, reason: 'at most 2 decimals' });
}

/** Every problem of a rule, as field paths under `rule` (`rule.step`). Empty when the rule is valid. */
export function checkRule(rule: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return [{ field: 'rule', reason: 'must be an object' }];
  const r = rule as Record<string, unknown>;
  if (!(RULE_KINDS as readonly unknown[]).includes(r.kind)) return [{ field: 'rule.kind', reason: `must be one of ${RULE_KINDS.join(', ')}` }];
  checkPointValue(problems, 'rule.points', r.points, MAX_POINTS);
  const points = isFiniteNumber(r.points) ? r.points : MAX_POINTS;
  if (r.fixedOnSpotFactor !== undefined && r.fixedOnSpotFactor !== null) {
    const f = r.fixedOnSpotFactor;
    if (!isFiniteNumber(f) || f < 0 || f > 1) problems.push({ field: 'rule.fixedOnSpotFactor', reason: 'must be between 0 and 1' });
    else if (!hasAtMostDecimals(f, 2)) problems.push({ field: 'rule.fixedOnSpotFactor', reason: 'at most 2 decimals' });
  }
  if (r.kind === 'per_missing') {
    if (!Number.isInteger(r.required) || (r.required as number) < 1 || (r.required as number) > MAX_COUNT) {
      problems.push({ field: 'rule.required', reason: `must be a whole number 1–${MAX_COUNT}` });
    }
    checkPointValue(problems, 'rule.step', r.step, points);
    if (r.unit !== undefined && (typeof r.unit !== 'string' || r.unit.length > 10)) problems.push({ field: 'rule.unit', reason: 'must be text of at most 10 characters' });
  }
  if (r.kind === 'per_occurrence') {
    checkPointValue(problems, 'rule.step', r.step, points);
    if (r.cap !== undefined && r.cap !== null) checkPointValue(problems, 'rule.cap', r.cap, points);
  }
  return problems;
}

/** The rule with only the fields its kind uses (unknown keys and nulls dropped), or the problems. */
export function parseRule(input: unknown): { rule: ScoringRule; problems: [] } | { rule: null; problems: FieldProblem[] } {
  const problems = checkRule(input);
  if (problems.length) return { rule: null, problems };
  const r = input as Record<string, unknown>;
  const base = { points: r.points as number, ...(isFiniteNumber(r.fixedOnSpotFactor) ? { fixedOnSpotFactor: r.fixedOnSpotFactor } : {}) };
  if (r.kind === 'pass_fail') return { rule: { kind: 'pass_fail', ...base }, problems: [] };
  if (r.kind === 'per_missing') {
    const unit = typeof r.unit === 'string' && r.unit.trim() ? { unit: r.unit.trim() } : {};
    return { rule: { kind: 'per_missing', ...base, required: r.required as number, step: r.step as number, ...unit }, problems: [] };
  }
  const cap = isFiniteNumber(r.cap) ? { cap: r.cap } : {};
  return { rule: { kind: 'per_occurrence', ...base, step: r.step as number, ...cap }, problems: [] };
}

const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= MAX_COUNT;

/** Every problem of an observation for this rule (field names are the observation's). Empty when it can be scored. */
export function checkObservation(rule: ScoringRule, obs: Observation): FieldProblem[] {
  if (!obs || typeof obs !== 'object') return [{ field: 'observation', reason: 'must be an object' }];
  if (obs.notApplicable === true) return [];
  const problems: FieldProblem[] = [];
  const fixed = obs.fixedOnSpot ?? 0;
  if (!isCount(fixed)) problems.push({ field: 'fixedOnSpot', reason: `must be a whole number 0–${MAX_COUNT}` });
  let failures = 0;
  if (rule.kind === 'pass_fail') {
    if (typeof obs.passed !== 'boolean') problems.push({ field: 'passed', reason: 'is required (true or false)' });
    failures = obs.passed === false ? 1 : 0;
  } else if (rule.kind === 'per_missing') {
    if (!isCount(obs.count)) problems.push({ field: 'count', reason: `is required, a whole number 0–${MAX_COUNT}` });
    else failures = Math.max(0, rule.required - obs.count);
  } else {
    if (!isCount(obs.occurrences)) problems.push({ field: 'occurrences', reason: `is required, a whole number 0–${MAX_COUNT}` });
    else failures = obs.occurrences;
  }
  if (isCount(fixed) && fixed > failures && !problems.length) {
    problems.push({ field: 'fixedOnSpot', reason: `cannot exceed the ${failures} failure(s) found` });
  }
  return problems;
}

export class InvalidObservationError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field} ${p.reason}`).join('; '));
    this.name = 'InvalidObservationError';
  }
}

const fmt = (points: number) => String(Math.round(points * 10000) / 10000);

/** Scores one observation. Throws InvalidObservationError when `checkObservation` finds a problem. */
export function scoreItem(rule: ScoringRule, obs: Observation): ItemScore {
  const problems = checkObservation(rule, obs);
  if (problems.length) throw new InvalidObservationError(problems);
  if (obs.notApplicable) {
    return { earned: 0, possible: 0, deductions: [], explanation: { zh: '不适用，不计分', en: 'Not applicable; not scored' } };
  }
  const possibleU = toUnits(rule.points);
  const factorU100 = Math.round((rule.fixedOnSpotFactor ?? 1) * 100);
  const fixed = obs.fixedOnSpot ?? 0;
  let failures: number;
  let stepU: number;
  let capU = possibleU;
  if (rule.kind === 'pass_fail') {
    failures = obs.passed ? 0 : 1;
    stepU = possibleU;
  } else if (rule.kind === 'per_missing') {
    failures = Math.max(0, rule.required - (obs.count ?? 0));
    stepU = toUnits(rule.step);
  } else {
    failures = obs.occurrences ?? 0;
    stepU = toUnits(rule.step);
    capU = Math.min(possibleU, toUnits(rule.cap ?? rule.points));
  }
  // Integer arithmetic: step (1/10000) × factor (1/100) is a whole number of 1/10000 points after ÷100, exact
  // because step has ≤ 2 decimals (step units are multiples of 100).
  const fixedEachU = (stepU * factorU100) / 100;
  const rawNotFixed = (failures - fixed) * stepU;
  const rawFixed = fixed * fixedEachU;
  let remaining = capU;
  const deductions: Deduction[] = [];
  const take = (quantity: number, eachU: number, rawU: number, fixedOnSpot: boolean) => {
    if (quantity <= 0) return;
    const pointsU = Math.min(rawU, remaining);
    remaining -= pointsU;
    deductions.push({ quantity, each: fromUnits(eachU), points: fromUnits(pointsU), fixedOnSpot });
  };
  take(failures - fixed, stepU, rawNotFixed, false);
  take(fixed, fixedEachU, rawFixed, true);
  const deductedU = capU - remaining;
  const earned = fromUnits(possibleU - deductedU);
  const possible = fromUnits(possibleU);
  return { earned, possible, deductions, explanation: explain(rule, obs, failures, fixed, fromUnits(deductedU), rawNotFixed + rawFixed > capU) };
}

function explain(rule: ScoringRule, obs: Observation, failures: number, fixed: number, deducted: number, capped: boolean): ItemScore['explanation'] {
  const fixedZh = fixed ? `，其中当场整改${fixed}处` : '';
  const fixedEn = fixed ? `, ${fixed} fixed on the spot` : '';
  const cappedZh = capped ? '（已达扣分上限）' : '';
  const cappedEn = capped ? ' (deduction capped)' : '';
  const tail = { zh: `扣${fmt(deducted)}分，得${fmt(rule.points - deducted)}分`, en: `−${fmt(deducted)}, ${fmt(rule.points - deducted)} of ${fmt(rule.points)}` };
  if (rule.kind === 'pass_fail') {
    if (obs.passed) return { zh: `达标，得${fmt(rule.points)}分`, en: `Passed: ${fmt(rule.points)} of ${fmt(rule.points)}` };
    return { zh: `不达标${fixed ? '（当场整改）' : ''}，${tail.zh}`, en: `Failed${fixed ? ' (fixed on the spot)' : ''}: ${tail.en}` };
  }
  if (rule.kind === 'per_missing') {
    const unit = rule.unit ?? '处';
    if (!failures) return { zh: `应不少于${rule.required}${unit}，实有${obs.count}${unit}，达标，得${fmt(rule.points)}分`, en: `${rule.required} required, ${obs.count} found: ${fmt(rule.points)} of ${fmt(rule.points)}` };
    return {
      zh: `应不少于${rule.required}${unit}，实有${obs.count}${unit}，缺${failures}${unit}${fixedZh}，${tail.zh}${cappedZh}`,
      en: `${rule.required} required, ${obs.count} found, ${failures} missing${fixedEn}: ${tail.en}${cappedEn}`,
    };
  }
  if (!failures) return { zh: `未发现问题，得${fmt(rule.points)}分`, en: `No problem found: ${fmt(rule.points)} of ${fmt(rule.points)}` };
  return {
    zh: `发现问题${failures}处${fixedZh}，${tail.zh}${cappedZh}`,
    en: `${failures} problem(s) found${fixedEn}: ${tail.en}${cappedEn}`,
  };
}

/** The rule in words, as a checklist prints it: "少于5处每少1处扣2分；当场整改减半". */
export function describeRule(rule: ScoringRule, lang: 'zh-CN' | 'en-US' = 'zh-CN'): string {
  const zh = lang === 'zh-CN';
  const f = rule.fixedOnSpotFactor;
  const factorText =
    f === undefined || f === 1
      ? ''
      : zh
        ? f === 0.5
          ? '；当场整改减半'
          : f === 0
            ? '；当场整改不扣分'
            : `；当场整改按${fmt(f * 100)}%扣分`
        : f === 0.5
          ? '; half when fixed on the spot'
          : f === 0
            ? '; no deduction when fixed on the spot'
            : `; ${fmt(f * 100)}% when fixed on the spot`;
  if (rule.kind === 'pass_fail') return (zh ? `达标得${fmt(rule.points)}分，不达标不得分` : `${fmt(rule.points)} if passed, 0 if not`) + factorText;
  if (rule.kind === 'per_missing') {
    const unit = rule.unit ?? '处';
    return (
      (zh
        ? `少于${rule.required}${unit}每少1${unit}扣${fmt(rule.step)}分，扣完${fmt(rule.points)}分为止`
        : `fewer than ${rule.required}: −${fmt(rule.step)} per missing one, down to 0 of ${fmt(rule.points)}`) + factorText
    );
  }
  const cap = rule.cap ?? rule.points;
  return (zh ? `每发现1处扣${fmt(rule.step)}分，最多扣${fmt(cap)}分` : `−${fmt(rule.step)} per problem found, at most −${fmt(cap)}`) + factorText;
}
