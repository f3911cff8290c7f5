// Numbers of the closed loop that the campaign office tunes at run time (domain.md: never hard-coded).
import type { Executor } from '../../lib/context.js';
import { settingsRepo } from '../admin/repo.js';

export interface LoopSettings {
  /** Open cases of the same category within this radius are offered for merging (查重). */
  duplicateRadiusM: number;
  /** A new case of the same category within this radius of a recently closed one is a rebound (反弹). */
  reboundRadiusM: number;
  /** …closed within this many days. */
  reboundDays: number;
  /** A place becomes a 反弹点 after this many rebounds. */
  reboundFlagCount: number;
  /** A report this close to a point (点位) is matched to it. */
  pointMatchRadiusM: number;
  /** Reminders go out when this share of the time limit is used (催办). */
  reminderFractions: number[];
  /** Overdue escalation: after this many more work hours past the deadline to the unit head, then the leader. */
  escalationHours: number[];
}

export const DEFAULT_LOOP_SETTINGS: LoopSettings = {
  duplicateRadiusM: 50,
  reboundRadiusM: 50,
  reboundDays: 30,
  reboundFlagCount: 2,
  pointMatchRadiusM: 30,
  reminderFractions: [0.5, 0.8, 1],
  escalationHours: [0, 4],
};

let cache: { at: number; value: LoopSettings } | null = null;

/** Read at most every few seconds: intake is hot, the settings rarely change. */
export async function loopSettings(db: Executor): Promise<LoopSettings> {
  if (cache && Date.now() - cache.at < 5000) return cache.value;
  const saved = await settingsRepo.get<Partial<LoopSettings>>(db, 'loop');
  const value = { ...DEFAULT_LOOP_SETTINGS, ...(saved ?? {}) };
  cache = { at: Date.now(), value };
  return value;
}

export function forgetLoopSettings() {
  cache = null;
}
