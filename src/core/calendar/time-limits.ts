// Time limits (处置时限) on the work calendar. All functions are pure: instants in (Date, ISO string or epoch ms),
// Dates or milliseconds out, never the host's clock or time zone. They walk period by period and day by day, so
// the cost grows with the number of days crossed, not with the length of the limit in minutes.
import {
  HOUR_MS,
  type Instant,
  beijingDayNumber,
  beijingDayStartMs,
  beijingYear,
  toEpochMs,
} from './beijing-time.js';
import type { WorkCalendar } from './work-calendar.js';

export type TimeLimitUnit =
  | 'work_hours' // 工作时 (counted in work periods of workdays only)
  | 'work_days' // 工作日 (1 work day = the work time of one day, 8 h by default)
  | 'clock_hours'; // 自然小时 (round the clock, for urgent categories; ignores the calendar)

export interface TimeLimit {
  unit: TimeLimitUnit;
  /** May be fractional, e.g. 0.5 work hours. */
  value: number;
}

export const TIME_LIMIT_UNITS: readonly TimeLimitUnit[] = ['work_hours', 'work_days', 'clock_hours'];

export const TIME_LIMIT_UNIT_LABELS: Record<TimeLimitUnit, { zh: string; en: string }> = {
  work_hours: { zh: '工作小时', en: 'work hours' },
  work_days: { zh: '工作日', en: 'work days' },
  clock_hours: { zh: '小时（全天候）', en: 'hours round the clock' },
};

/** Upper bounds that keep a mistyped limit from walking decades of calendar. */
export const MAX_TIME_LIMIT: Record<TimeLimitUnit, number> = {
  work_hours: 2_000,
  work_days: 250,
  clock_hours: 8_760,
};

export interface CalendarWarning {
  code: 'no_official_calendar';
  /** A Beijing calendar year that the span touches and whose holiday schedule is unknown. */
  year: number;
  message: string;
  messageZh: string;
}

export interface DeadlineResult {
  deadline: Date;
  /** Non-empty when the span from start to deadline touches a year without official holiday data. */
  warnings: CalendarWarning[];
}

/** Why a limit is unusable, or null when it is fine (for category forms and imports). */
export function validateTimeLimit(limit: TimeLimit): string | null {
  if (!TIME_LIMIT_UNITS.includes(limit.unit)) return `unknown time limit unit '${String(limit.unit)}'`;
  if (typeof limit.value !== 'number' || !Number.isFinite(limit.value) || limit.value <= 0) {
    return 'a time limit must be a positive number';
  }
  if (limit.value > MAX_TIME_LIMIT[limit.unit]) {
    return `a time limit in ${limit.unit} may be at most ${MAX_TIME_LIMIT[limit.unit]}`;
  }
  return null;
}

/** The limit as a duration: work time for work units, clock time for clock_hours. */
export function limitDurationMs(calendar: WorkCalendar, limit: TimeLimit): number {
  const problem = validateTimeLimit(limit);
  if (problem) throw new RangeError(problem);
  switch (limit.unit) {
    case 'work_hours':
    case 'clock_hours':
      return Math.round(limit.value * HOUR_MS);
    case 'work_days':
      return Math.round(limit.value * calendar.workDayMs);
  }
}

/**
 * The deadline of a limit started at `start`.
 * Work units: the instant when `limit` of work time has elapsed, counting only work periods of workdays; a start
 * outside work time counts from the next period start; a deadline that ends exactly at a period's end is that end
 * (4 work hours from 08:00 is 12:00, not 14:00). N work days = N × the day's work time, so 1 work day from Monday
 * 10:00 ends Tuesday 10:00, and from Monday 08:00 ends Monday 18:00.
 * clock_hours: start + value hours, on any day, and without calendar warnings.
 */
export function computeDeadline(calendar: WorkCalendar, start: Instant, limit: TimeLimit): DeadlineResult {
  const startMs = toEpochMs(start);
  const durationMs = limitDurationMs(calendar, limit);
  if (limit.unit === 'clock_hours') return { deadline: new Date(startMs + durationMs), warnings: [] };
  const deadlineMs = addWorkTime(calendar, startMs, durationMs);
  return { deadline: new Date(deadlineMs), warnings: officialDataWarnings(calendar, startMs, deadlineMs) };
}

/** Warnings for every Beijing year from `from` to `to` (inclusive) that has no official holiday data. */
export function officialDataWarnings(calendar: WorkCalendar, from: Instant, to: Instant): CalendarWarning[] {
  const fromMs = toEpochMs(from);
  const toMs = toEpochMs(to);
  const firstYear = beijingYear(Math.min(fromMs, toMs));
  const lastYear = beijingYear(Math.max(fromMs, toMs));
  const warnings: CalendarWarning[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    if (calendar.hasOfficialData(year)) continue;
    warnings.push({
      code: 'no_official_calendar',
      year,
      message:
        `The official holiday schedule for ${year} is not known yet: weekdays count as workdays and weekends ` +
        `as days off. Enter ${year}'s holidays and make-up workdays in the work calendar settings.`,
      messageZh: `${year}年法定节假日安排尚未录入，暂按周一至周五上班、周末休息计算。请在工作日历设置中录入该年的放假和调休补班安排。`,
    });
  }
  return warnings;
}

/** Work time (ms) in [from, to); negative when `to` is before `from`. */
export function workTimeBetween(calendar: WorkCalendar, from: Instant, to: Instant): number {
  const fromMs = toEpochMs(from);
  const toMs = toEpochMs(to);
  return toMs >= fromMs ? countWorkTime(calendar, fromMs, toMs) : -countWorkTime(calendar, toMs, fromMs);
}

/**
 * Time left until `deadline` (ms): work time for work units, clock time for clock_hours; negative when overdue
 * (by the work time, or clock time, elapsed since the deadline).
 */
export function remainingWorkTime(
  calendar: WorkCalendar,
  now: Instant,
  deadline: Instant,
  unit: TimeLimitUnit = 'work_hours',
): number {
  if (unit === 'clock_hours') return toEpochMs(deadline) - toEpochMs(now);
  return workTimeBetween(calendar, now, deadline);
}

/**
 * Share of the limit used up at `now` (0 at start, 1 at the deadline, above 1 when overdue), measured the way
 * the limit counts: the basis of reminders at 50 % / 80 % / 100 %.
 */
export function elapsedFraction(
  calendar: WorkCalendar,
  start: Instant,
  deadline: Instant,
  now: Instant,
  unit: TimeLimitUnit = 'work_hours',
): number {
  const measure = (a: Instant, b: Instant) =>
    unit === 'clock_hours' ? toEpochMs(b) - toEpochMs(a) : workTimeBetween(calendar, a, b);
  const total = measure(start, deadline);
  if (total <= 0) return toEpochMs(now) >= toEpochMs(deadline) ? 1 : 0;
  return measure(start, now) / total;
}

/** True when `at` lies inside a work period (start inclusive, end exclusive) of a workday. */
export function isWorkingTime(calendar: WorkCalendar, at: Instant): boolean {
  const ms = toEpochMs(at);
  const day = beijingDayNumber(ms);
  if (!calendar.isWorkdayNumber(day)) return false;
  const timeOfDay = ms - beijingDayStartMs(day);
  return calendar.periodsMs.some((p) => timeOfDay >= p.startMs && timeOfDay < p.endMs);
}

/** `at` itself when it is working time, else the start of the next work period. */
export function nextWorkingInstant(calendar: WorkCalendar, at: Instant): Date {
  const ms = toEpochMs(at);
  if (isWorkingTime(calendar, ms)) return new Date(ms);
  // Zero work time added lands on the next period start, because a start outside work time moves there first.
  return new Date(addWorkTime(calendar, ms, 0, true));
}

// A year of days without a single workday only happens with a broken override list; stop rather than spin.
const MAX_DAYS_WITHOUT_WORK = 800;

function addWorkTime(calendar: WorkCalendar, startMs: number, workMs: number, stopAtPeriodStart = false): number {
  let remaining = workMs;
  let day = beijingDayNumber(startMs);
  let timeOfDay = startMs - beijingDayStartMs(day);
  let idleDays = 0;
  for (;;) {
    if (calendar.isWorkdayNumber(day)) {
      idleDays = 0;
      // A whole workday still ahead that the remainder outlasts is skipped in one step.
      if (timeOfDay === 0 && remaining > calendar.workDayMs && !stopAtPeriodStart) {
        remaining -= calendar.workDayMs;
      } else {
        for (const period of calendar.periodsMs) {
          if (timeOfDay >= period.endMs) continue;
          const from = Math.max(timeOfDay, period.startMs);
          if (stopAtPeriodStart) return beijingDayStartMs(day) + from;
          const available = period.endMs - from;
          if (remaining <= available) return beijingDayStartMs(day) + from + remaining;
          remaining -= available;
        }
      }
    } else if (++idleDays > MAX_DAYS_WITHOUT_WORK) {
      throw new RangeError(`no workday within ${MAX_DAYS_WITHOUT_WORK} days of ${new Date(startMs).toISOString()}`);
    }
    day += 1;
    timeOfDay = 0;
  }
}

function countWorkTime(calendar: WorkCalendar, fromMs: number, toMs: number): number {
  const firstDay = beijingDayNumber(fromMs);
  const lastDay = beijingDayNumber(toMs);
  if (firstDay === lastDay) return workTimeWithinDay(calendar, firstDay, fromMs, toMs);
  return (
    workTimeWithinDay(calendar, firstDay, fromMs, toMs) +
    calendar.countWorkdays(firstDay + 1, lastDay) * calendar.workDayMs +
    workTimeWithinDay(calendar, lastDay, fromMs, toMs)
  );
}

/** Work time of one day that lies inside [fromMs, toMs). */
function workTimeWithinDay(calendar: WorkCalendar, day: number, fromMs: number, toMs: number): number {
  if (!calendar.isWorkdayNumber(day)) return 0;
  const dayStart = beijingDayStartMs(day);
  let total = 0;
  for (const period of calendar.periodsMs) {
    const overlap = Math.min(toMs, dayStart + period.endMs) - Math.max(fromMs, dayStart + period.startMs);
    if (overlap > 0) total += overlap;
  }
  return total;
}
