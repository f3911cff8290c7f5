// Deadlines in motion (时限监控): every minute, open cases with a deadline are measured on the work calendar. When
// the used share of the limit crosses a configured fraction a reminder goes out once (催办); at the deadline the
// case is marked overdue; overdue cases escalate, first to the unit, then to the street's leaders (超期升级).
// Each change writes a case event in the same transaction as the case row; the notification fan-out turns those
// events into inbox rows. Safe with several servers: the worker runs one pass per period, and each update is a
// compare-and-set on the version and levels it read, so a case that moved meanwhile waits for the next pass.
import type { Deps } from '../lib/context.js';
import { registerJob } from './worker.js';
import { elapsedFraction, toEpochMs, workTimeBetween, type TimeLimitUnit, type WorkCalendar } from '../../core/calendar/index.js';
import { loopSettings } from '../modules/cases/settings.js';
import { workCalendar } from '../modules/cases/calendar.js';
import { notificationRepo, type DeadlineCandidate, type DeadlineChange } from '../modules/notifications/repo.js';

export const DEADLINE_JOB = 'cases.deadlines';

const HOUR_MS = 3600_000;

export interface DeadlineRules {
  /** Ascending fractions of the limit, e.g. [0.5, 0.8, 1]. */
  reminderFractions: number[];
  /** Work hours past the deadline before each escalation level, each counted from the previous level. */
  escalationHours: number[];
}

export interface CaseClock {
  /** When the current deadline's clock started (dispatch, rework, reopening, extension…). */
  start: string | null;
  deadline: string;
  reminderLevel: number;
  overdue: number;
  escalationLevel: number;
  unit: TimeLimitUnit;
}

export interface PlannedEvent {
  action: 'remind' | 'overdue' | 'escalate';
  data: Record<string, unknown>;
  note: string | null;
}

export interface DeadlineStep {
  reminderLevel: number;
  overdue: number;
  escalationLevel: number;
  events: PlannedEvent[];
}

/**
 * What a case's clock calls for at `now`, or null when nothing changes. Several thresholds crossed at once (the
 * job was down, or the limit is short) give one reminder for the highest; becoming overdue replaces the reminder
 * at 100 %. A case that becomes overdue again after an extension escalates afresh.
 */
export function planDeadlineStep(c: CaseClock, now: Date | string | number, calendar: WorkCalendar, rules: DeadlineRules): DeadlineStep | null {
  const nowMs = toEpochMs(now);
  const deadlineMs = toEpochMs(c.deadline);
  const isOverdue = nowMs >= deadlineMs;
  const fractions = [...rules.reminderFractions].filter((f) => f > 0).sort((a, b) => a - b);
  const used = c.start ? elapsedFraction(calendar, c.start, c.deadline, nowMs, c.unit) : isOverdue ? 1 : 0;
  const crossed = fractions.filter((f) => used >= f - 1e-9).length;

  const events: PlannedEvent[] = [];
  const reminderLevel = Math.max(c.reminderLevel, crossed);
  let overdue = c.overdue;
  let escalationLevel = c.escalationLevel;
  const becomesOverdue = isOverdue && !c.overdue;
  if (becomesOverdue) {
    overdue = 1;
    escalationLevel = 0;
    events.push({ action: 'overdue', data: { deadline: c.deadline, percent: Math.round(used * 100) }, note: null });
  } else if (reminderLevel > c.reminderLevel) {
    const fraction = fractions[reminderLevel - 1];
    events.push({ action: 'remind', data: { level: reminderLevel, fraction, percent: Math.round(fraction * 100), deadline: c.deadline }, note: null });
  }
  if (isOverdue) {
    const late = c.unit === 'clock_hours' ? nowMs - deadlineMs : workTimeBetween(calendar, deadlineMs, nowMs);
    let threshold = 0;
    let level = 0;
    for (const hours of rules.escalationHours) {
      threshold += Math.max(0, hours) * HOUR_MS;
      if (late >= threshold) level++;
      else break;
    }
    if (level > escalationLevel) {
      events.push({
        action: 'escalate',
        data: { level, fromLevel: escalationLevel, overdueHours: Math.round((late / HOUR_MS) * 10) / 10, clock: c.unit === 'clock_hours' },
        note: null,
      });
      escalationLevel = level;
    }
  }
  if (reminderLevel === c.reminderLevel && overdue === c.overdue && escalationLevel === c.escalationLevel) return null;
  return { reminderLevel, overdue, escalationLevel, events };
}

export interface DeadlinePassOptions {
  /** Cases read per page (keyset over deadline, id). */
  pageSize?: number;
  /** Changed cases written per transaction. */
  flushSize?: number;
}

export interface DeadlinePassResult {
  scanned: number;
  changed: number;
  skipped: number;
  events: { remind: number; overdue: number; escalate: number };
  ms: number;
}

/** One pass over every open case with a deadline. `now` is injected so tests (and replays) control the clock. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runDeadlinePass(deps: Deps, now: Date = new Date(), opts: DeadlinePassOptions = {}): Promise<DeadlinePassResult> {
  const t0 = performance.now();
  const pageSize = opts.pageSize ?? 2000;
  const flushSize = opts.flushSize ?? 500;
  const [settings, calendar, units] = await Promise.all([loopSettings(deps.db), workCalendar(deps.db), notificationRepo.categoryUnits(deps.db)]);
  const rules: DeadlineRules = { reminderFractions: settings.reminderFractions, escalationHours: settings.escalationHours };
  const reminderLevels = rules.reminderFractions.filter((f) => f > 0).length;
  const result: DeadlinePassResult = { scanned: 0, changed: 0, skipped: 0, events: { remind: 0, overdue: 0, escalate: 0 }, ms: 0 };

  let pending: { candidate: DeadlineCandidate; step: DeadlineStep }[] = [];
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    const at = now.toISOString();
    const changes: DeadlineChange[] = batch.map(({ candidate: c, step: s }) => ({
      id: c.id,
      version: c.version,
      from: { reminderLevel: c.reminder_level, overdue: c.overdue, escalationLevel: c.escalation_level },
      to: { reminderLevel: s.reminderLevel, overdue: s.overdue, escalationLevel: s.escalationLevel },
    }));
    const updated = await deps.db.transaction().execute(async (trx) => {
      const ids = new Set(await notificationRepo.applyDeadlineChanges(trx, changes, at));
      const events = batch
        .filter(({ candidate }) => ids.has(candidate.id))
        .flatMap(({ candidate: c, step }) =>
          step.events.map((e) => ({ caseId: c.id, at, action: e.action, note: e.note, data: { ...e.data, unitId: c.unit_id }, deadline: c.deadline })),
        );
      await notificationRepo.insertSystemEvents(trx, events);
      for (const e of events) result.events[e.action as 'remind' | 'overdue' | 'escalate']++;
      return [...ids];
    });
    result.changed += updated.length;
    result.skipped += batch.length - updated.length;
    if (updated.length) deps.notify('cases.changed', { caseIds: updated });
  };

  const clockOf = (c: DeadlineCandidate, start: string | null): CaseClock => ({
    start,
    deadline: c.deadline,
    reminderLevel: c.reminder_level,
    overdue: c.overdue,
    escalationLevel: c.escalation_level,
    unit: (units.get(c.category_code) ?? 'work_hours') as TimeLimitUnit,
  });
  let after: { deadline: string; id: number } | null = null;
  for (;;) {
    const rows = await notificationRepo.deadlinePage(deps.db, {
      after,
      limit: pageSize,
      reminderLevels,
      escalationLevels: rules.escalationHours.length,
    });
    // The clock starts at dispatch or later (返工, extension…), and a later start only lowers the used share
    // before the deadline: a case that needs no reminder counted from dispatched_at needs none at all. Only
    // the few that do are looked up for their true start.
    const rough = rows.map((c) => ({ c, step: planDeadlineStep(clockOf(c, c.dispatched_at), now, calendar, rules) }));
    const starts = await notificationRepo.clockStarts(
      deps.db,
      rough.filter(({ c, step }) => step && step.reminderLevel > c.reminder_level).map(({ c }) => c.id),
    );
    for (const { c, step: roughStep } of rough) {
      const start = starts.get(c.id);
      const step = start && start !== c.dispatched_at ? planDeadlineStep(clockOf(c, start), now, calendar, rules) : roughStep;
      if (step) pending.push({ candidate: c, step });
      if (pending.length >= flushSize) {
        await flush();
        await yieldToRequests();
      }
    }
    result.scanned += rows.length;
    // SQLite calls run on the event loop: let waiting requests through between pages of a long pass.
    await yieldToRequests();
    if (rows.length < pageSize) break;
    const last = rows[rows.length - 1];
    after = { deadline: last.deadline, id: last.id };
  }
  await flush();
  result.ms = Math.round(performance.now() - t0);
  return result;
}

registerJob(
  DEADLINE_JOB,
  async (deps) => {
    await runDeadlinePass(deps);
  },
  60,
);
