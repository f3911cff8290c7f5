// Work calendar (工作日历) and time limits (处置时限). The holiday package is an implementation detail of
// official-days.ts and is not re-exported.
export {
  type Instant,
  beijingDate,
  beijingYear,
  toEpochMs,
} from './beijing-time.js';
export {
  type CalendarOverride,
  type DayInfo,
  type DayReason,
  type PeriodMs,
  type WorkCalendarConfig,
  type WorkPeriod,
  type YearDataSource,
  DEFAULT_WORK_PERIODS,
  WorkCalendar,
  createWorkCalendar,
  defaultWorkCalendar,
  validateWorkCalendarConfig,
} from './work-calendar.js';
export {
  type CalendarWarning,
  type DeadlineResult,
  type TimeLimit,
  type TimeLimitUnit,
  MAX_TIME_LIMIT,
  TIME_LIMIT_UNITS,
  TIME_LIMIT_UNIT_LABELS,
  computeDeadline,
  elapsedFraction,
  isWorkingTime,
  limitDurationMs,
  nextWorkingInstant,
  officialDataWarnings,
  remainingWorkTime,
  validateTimeLimit,
  workTimeBetween,
} from './time-limits.js';
