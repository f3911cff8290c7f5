// What one observed item means for the closed loop: how many failures were found, how many were fixed on the spot,
// and whether a case must be filed (a failure left unfixed). Pure.
import type { Observation, ScoringRule } from '../standards/rules.js';

export interface ItemOutcome {
  /** Failures found: the one failure of pass/fail, the missing count, or the occurrences. */
  failures: number;
  /** Of them, fixed on the spot. */
  fixedOnSpot: number;
  /** A problem was found (deducted, even if fixed on the spot). */
  failed: boolean;
  /** Some failure was left unfixed: it becomes a case. */
  needsCase: boolean;
}

/** Assumes a valid observation (checkObservation); not applicable → nothing failed. */
export function itemOutcome(rule: ScoringRule, obs: Observation): ItemOutcome {
  if (obs.notApplicable) return { failures: 0, fixedOnSpot: 0, failed: false, needsCase: false };
  const failures =
    rule.kind === 'pass_fail' ? (obs.passed === false ? 1 : 0) : rule.kind === 'per_missing' ? Math.max(0, rule.required - (obs.count ?? 0)) : (obs.occurrences ?? 0);
  const fixedOnSpot = Math.min(failures, obs.fixedOnSpot ?? 0);
  return { failures, fixedOnSpot, failed: failures > 0, needsCase: failures - fixedOnSpot > 0 };
}
