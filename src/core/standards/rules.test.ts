import { describe, expect, it } from 'vitest';
import { InvalidObservationError, checkObservation, checkRule, describeRule, parseRule, scoreItem, type Observation, type ScoringRule } from './rules.js';

const passFail: ScoringRule = { kind: 'pass_fail', points: 2 };
const passFailHalf: ScoringRule = { kind: 'pass_fail', points: 3, fixedOnSpotFactor: 0.5 };
// 农贸市场: 公益广告不少于5处，少1处扣2分 (10 points)
const ads: ScoringRule = { kind: 'per_missing', required: 5, step: 2, points: 10 };
// 农贸市场: 无乱扔垃圾, −1 per occurrence, at most −5, half when fixed on the spot
const litter: ScoringRule = { kind: 'per_occurrence', step: 1, cap: 5, points: 5, fixedOnSpotFactor: 0.5 };
const smallCap: ScoringRule = { kind: 'per_occurrence', step: 1, cap: 3, points: 5 };
const tenths: ScoringRule = { kind: 'per_occurrence', step: 0.3, points: 2, fixedOnSpotFactor: 0.33 };

describe('scoreItem', () => {
  it.each<[string, ScoringRule, Observation, number, number]>([
    ['pass_fail passes', passFail, { passed: true }, 2, 2],
    ['pass_fail fails', passFail, { passed: false }, 0, 2],
    ['pass_fail fixed on the spot without a factor costs all', passFail, { passed: false, fixedOnSpot: 1 }, 0, 2],
    ['pass_fail fixed on the spot with ×0.5', passFailHalf, { passed: false, fixedOnSpot: 1 }, 1.5, 3],
    ['per_missing at the threshold', ads, { count: 5 }, 10, 10],
    ['per_missing above the threshold', ads, { count: 9 }, 10, 10],
    ['per_missing one missing', ads, { count: 4 }, 8, 10],
    ['per_missing three missing', ads, { count: 2 }, 4, 10],
    ['per_missing none at all floors at 0', ads, { count: 0 }, 0, 10],
    ['per_missing fixed without factor', ads, { count: 3, fixedOnSpot: 1 }, 6, 10],
    ['per_occurrence none', litter, { occurrences: 0 }, 5, 5],
    ['per_occurrence two', litter, { occurrences: 2 }, 3, 5],
    ['per_occurrence two, one fixed on the spot', litter, { occurrences: 2, fixedOnSpot: 1 }, 3.5, 5],
    ['per_occurrence all fixed on the spot', litter, { occurrences: 4, fixedOnSpot: 4 }, 3, 5],
    ['per_occurrence capped', litter, { occurrences: 9 }, 0, 5],
    ['per_occurrence cap below points', smallCap, { occurrences: 10 }, 2, 5],
    ['per_occurrence cap counts fixed ones too', litter, { occurrences: 12, fixedOnSpot: 6 }, 0, 5],
    ['per_occurrence exact decimals', tenths, { occurrences: 3, fixedOnSpot: 1 }, 1.301, 2],
    ['not applicable scores 0 of 0', litter, { notApplicable: true }, 0, 0],
  ])('%s', (_name, rule, obs, earned, possible) => {
    const s = scoreItem(rule, obs);
    expect(s.earned).toBe(earned);
    expect(s.possible).toBe(possible);
    const deducted = s.deductions.reduce((sum, d) => sum + d.points, 0);
    expect(Math.round((possible - deducted) * 10000) / 10000).toBe(earned);
  });

  it('lists deductions and explains them in both languages', () => {
    const s = scoreItem(litter, { occurrences: 3, fixedOnSpot: 1 });
    expect(s.deductions).toEqual([
      { quantity: 2, each: 1, points: 2, fixedOnSpot: false },
      { quantity: 1, each: 0.5, points: 0.5, fixedOnSpot: true },
    ]);
    expect(s.explanation.zh).toBe('发现问题3处，其中当场整改1处，扣2.5分，得2.5分');
    expect(s.explanation.en).toBe('3 problem(s) found, 1 fixed on the spot: −2.5, 2.5 of 5');
    expect(scoreItem(ads, { count: 3 }).explanation.zh).toBe('应不少于5处，实有3处，缺2处，扣4分，得6分');
    expect(scoreItem(litter, { occurrences: 8 }).explanation.zh).toContain('已达扣分上限');
  });

  it.each<[string, ScoringRule, Observation, string]>([
    ['pass_fail without passed', passFail, {}, 'passed'],
    ['per_missing without count', ads, { passed: true }, 'count'],
    ['per_missing negative count', ads, { count: -1 }, 'count'],
    ['per_missing fractional count', ads, { count: 2.5 }, 'count'],
    ['per_missing huge count', ads, { count: 1e9 }, 'count'],
    ['per_missing fixed more than missing', ads, { count: 4, fixedOnSpot: 2 }, 'fixedOnSpot'],
    ['per_occurrence without occurrences', litter, { count: 3 }, 'occurrences'],
    ['per_occurrence NaN', litter, { occurrences: Number.NaN }, 'occurrences'],
    ['per_occurrence fixed more than found', litter, { occurrences: 1, fixedOnSpot: 2 }, 'fixedOnSpot'],
    ['pass_fail fixed although passed', passFail, { passed: true, fixedOnSpot: 1 }, 'fixedOnSpot'],
    ['negative fixed', litter, { occurrences: 1, fixedOnSpot: -1 }, 'fixedOnSpot'],
  ])('refuses an observation: %s', (_name, rule, obs, field) => {
    const problems = checkObservation(rule, obs);
    expect(problems[0]?.field).toBe(field);
    expect(() => scoreItem(rule, obs)).toThrow(InvalidObservationError);
  });
});

describe('checkRule and parseRule', () => {
  it.each<[string, unknown, string | null]>([
    ['valid pass_fail', { kind: 'pass_fail', points: 2 }, null],
    ['valid per_missing', ads, null],
    ['valid per_occurrence', litter, null],
    ['not an object', 'pass', 'rule'],
    ['unknown kind', { kind: 'bonus', points: 2 }, 'rule.kind'],
    ['zero points', { kind: 'pass_fail', points: 0 }, 'rule.points'],
    ['too many points', { kind: 'pass_fail', points: 101 }, 'rule.points'],
    ['three decimals', { kind: 'pass_fail', points: 1.125 }, 'rule.points'],
    ['points as text', { kind: 'pass_fail', points: '2' }, 'rule.points'],
    ['factor above 1', { kind: 'pass_fail', points: 2, fixedOnSpotFactor: 1.5 }, 'rule.fixedOnSpotFactor'],
    ['factor with 3 decimals', { kind: 'pass_fail', points: 2, fixedOnSpotFactor: 0.125 }, 'rule.fixedOnSpotFactor'],
    ['required 0', { kind: 'per_missing', points: 4, required: 0, step: 1 }, 'rule.required'],
    ['required fractional', { kind: 'per_missing', points: 4, required: 2.5, step: 1 }, 'rule.required'],
    ['step above points', { kind: 'per_missing', points: 4, required: 2, step: 5 }, 'rule.step'],
    ['missing step', { kind: 'per_occurrence', points: 4 }, 'rule.step'],
    ['cap above points', { kind: 'per_occurrence', points: 4, step: 1, cap: 6 }, 'rule.cap'],
  ])('%s', (_name, rule, field) => {
    const problems = checkRule(rule);
    if (field === null) expect(problems).toEqual([]);
    else expect(problems[0]?.field).toBe(field);
  });

  it('drops fields the kind does not use', () => {
    expect(parseRule({ kind: 'pass_fail', points: 2, step: 3, cap: null, extra: 1 }).rule).toEqual({ kind: 'pass_fail', points: 2 });
    expect(parseRule({ kind: 'per_occurrence', points: 4, step: 1, cap: null, fixedOnSpotFactor: null }).rule).toEqual({ kind: 'per_occurrence', points: 4, step: 1 });
  });
});

describe('describeRule', () => {
  it.each<[ScoringRule, 'zh-CN' | 'en-US', string]>([
    [ads, 'zh-CN', '少于5处每少1处扣2分，扣完10分为止'],
    [{ ...ads, fixedOnSpotFactor: 0.5 }, 'zh-CN', '少于5处每少1处扣2分，扣完10分为止；当场整改减半'],
    [litter, 'zh-CN', '每发现1处扣1分，最多扣5分；当场整改减半'],
    [litter, 'en-US', '−1 per problem found, at most −5; half when fixed on the spot'],
    [passFail, 'zh-CN', '达标得2分，不达标不得分'],
    [{ kind: 'per_missing', required: 4, step: 1, points: 4, unit: '次' }, 'zh-CN', '少于4次每少1次扣1分，扣完4分为止'],
    [{ ...passFail, fixedOnSpotFactor: 0.3 }, 'zh-CN', '达标得2分，不达标不得分；当场整改按30%扣分'],
  ])('%j in %s', (rule, lang, text) => {
    expect(describeRule(rule, lang)).toBe(text);
  });
});
