import { describe, expect, it } from 'vitest';
import { PLAN_ACTIONS, PLAN_STATUSES, activationProblems, addDays, isIsoDate, nextPlanStatus, planActionsFor, planNumber, planNumberSeq, type PlanAction, type PlanStatus } from './kinds.js';
import { categoryForItemText, DEFAULT_INSPECTION_CATEGORY } from './categories.js';
import { itemOutcome } from './outcome.js';
import { STANDARD_SEED_ITEMS } from '../standards/seed.js';
import type { Observation, ScoringRule } from '../standards/rules.js';

describe('plan state machine', () => {
  const table: Record<PlanStatus, Partial<Record<PlanAction, PlanStatus>>> = {
    draft: { activate: 'active' },
    active: { close: 'closed' },
    closed: { reopen: 'active' },
  };
  for (const status of PLAN_STATUSES) {
    for (const action of PLAN_ACTIONS) {
      it(`${status} + ${action} → ${table[status][action] ?? 'refused'}`, () => {
        expect(nextPlanStatus(status, action)).toBe(table[status][action] ?? null);
      });
    }
    it(`${status} offers ${Object.keys(table[status]).join(', ')}`, () => {
      expect(planActionsFor(status)).toEqual(Object.keys(table[status]));
    });
  }

  it.each([
    [{ points: 3, inspectors: 1, unassigned: 0, startsOn: '2026-03-01', endsOn: '2026-03-02' }, 0],
    [{ points: 0, inspectors: 1, unassigned: 0, startsOn: '2026-03-01', endsOn: '2026-03-01' }, 1],
    [{ points: 2, inspectors: 0, unassigned: 2, startsOn: '2026-03-01', endsOn: '2026-03-01' }, 2],
    [{ points: 2, inspectors: 1, unassigned: 0, startsOn: '2026-03-02', endsOn: '2026-03-01' }, 1],
  ])('activation problems of %j: %i', (facts, n) => {
    expect(activationProblems(facts)).toHaveLength(n);
  });
});

describe('plan numbers and dates', () => {
  it.each([
    [2026, 1, 'JC-2026-0001'],
    [2026, 42, 'JC-2026-0042'],
    [2027, 12345, 'JC-2027-12345'],
  ])('%i #%i is %s', (year, seq, no) => {
    expect(planNumber(year, seq)).toBe(no);
    expect(planNumberSeq(no, year)).toBe(seq);
    expect(planNumberSeq(no, year + 1)).toBeNull();
  });
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-1-1', false],
  ])('%s is a date: %s', (s, ok) => expect(isIsoDate(s)).toBe(ok));
  it('adds days across months', () => expect(addDays('2026-02-27', 3)).toBe('2026-03-02'));
});

describe('itemOutcome', () => {
  const pf: ScoringRule = { kind: 'pass_fail', points: 2 };
  const miss: ScoringRule = { kind: 'per_missing', required: 5, step: 2, points: 10 };
  const occ: ScoringRule = { kind: 'per_occurrence', step: 1, cap: 5, points: 5, fixedOnSpotFactor: 0.5 };
  it.each<[ScoringRule, Observation, number, number, boolean, boolean]>([
    [pf, { passed: true }, 0, 0, false, false],
    [pf, { passed: false }, 1, 0, true, true],
    [pf, { passed: false, fixedOnSpot: 1 }, 1, 1, true, false],
    [miss, { count: 5 }, 0, 0, false, false],
    [miss, { count: 3 }, 2, 0, true, true],
    [miss, { count: 3, fixedOnSpot: 1 }, 2, 1, true, true],
    [occ, { occurrences: 0 }, 0, 0, false, false],
    [occ, { occurrences: 3, fixedOnSpot: 3 }, 3, 3, true, false],
    [occ, { occurrences: 3, fixedOnSpot: 2 }, 3, 2, true, true],
    [occ, { notApplicable: true, occurrences: 3 }, 0, 0, false, false],
  ])('%j with %j', (rule, obs, failures, fixed, failed, needsCase) => {
    expect(itemOutcome(rule, obs)).toEqual({ failures, fixedOnSpot: fixed, failed, needsCase });
  });
});

describe('categoryForItemText', () => {
  it.each([
    ['机动车停放有序，无乱停乱放，不占用人行道、盲道和绿化带', '1401'],
    ['非机动车停放有序，无乱停乱放', '1402'],
    ['机动车在斑马线前礼让行人', DEFAULT_INSPECTION_CATEGORY],
    ['垃圾分类收集容器配置到位，分类投放', '0104'],
    ['工地围挡公益广告面积不少于围挡总面积的30%', '1301'],
    ['电动自行车不进楼道、不入户充电', '1109'],
    ['公交站台设置公益广告', '0301'],
    ['市场入口处设置公平秤', null],
  ])('%s → %s', (text, code) => expect(categoryForItemText(text)).toBe(code));

  it('gives most field items of the seed standard a category', () => {
    const field = STANDARD_SEED_ITEMS.filter((i) => i.methods.includes('field'));
    const mapped = field.filter((i) => categoryForItemText(i.text));
    expect(mapped.length / field.length).toBeGreaterThan(0.7);
  });
});
