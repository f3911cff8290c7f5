// The street's work calendar (工作日历): which days are workdays and which hours of them count. Days come from the
// State Council's schedule (放假 and 调休补班) as packaged, then from the office's own entries, which win.
import {
  dateToDayNumber,
  dayNumberToDate,
  parseClockTime,
  weekdayOfDayNumber,
} from './beijing-time.js';
import { PACKAGED_OFFICIAL_DAYS, PACKAGED_OFFICIAL_YEARS } from './official-days.js';

/** A daily work period in Beijing wall-clock time, 'HH:MM' to 'HH:MM' (end exclusive; '24:00' allowed). */
export interface WorkPeriod {
  start: string;
  end: string;
}

/** An office entry for one day, taking precedence over the packaged schedule and the weekend rule. */
export interface CalendarOverride {
  /** Beijing calendar date 'YYYY-MM-DD'. */
  date: string;
  /** 'workday' = 上班 (e.g. a 补班 Saturday); 'holiday' = 放假 (e.g. a local day off). */
  kind: 'workday' | 'holiday';
  note?: string;
}

export interface WorkCalendarConfig {
  /** Default 08:00–12:00 and 14:00–18:00. */
  workPeriods?: readonly WorkPeriod[];
  overrides?: readonly CalendarOverride[];
  /**
   * Years whose whole schedule the office has entered as overrides (e.g. 2027 once the State Council publishes
   * it and before the package is updated). Such a year counts as having official data; a year with only a few
   * local overrides does not.
   */
  officialYears?: readonly number[];
}

export const DEFAULT_WORK_PERIODS: readonly WorkPeriod[] = [
  { start: '08:00', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

/** Why a day is or is not a workday. */
export type DayReason =
  | 'weekday' // 工作日
  | 'weekend' // 周末
  | 'holiday' // 法定节假日 (放假)
  | 'makeup_workday' // 调休补班
  | 'override_workday' // 创城办设定为上班
  | 'override_holiday'; // 创城办设定为放假

export interface DayInfo {
  date: string;
  isWorkday: boolean;
  reason: DayReason;
  /** Festival name (zh) for official days, the office's note for overrides. */
  name?: string;
}

/** Where a year's schedule comes from: the package, the office (a full schedule), or nowhere yet. */
export type YearDataSource = 'package' | 'office' | 'none';

/** A work period as milliseconds since Beijing midnight. */
export interface PeriodMs {
  startMs: number;
  endMs: number;
}

/** Error messages for a calendar config, empty when it is valid (for settings forms and boot-time checks). */
export function validateWorkCalendarConfig(config: WorkCalendarConfig): string[] {
  const errors: string[] = [];
  const periods = config.workPeriods ?? DEFAULT_WORK_PERIODS;
  if (periods.length === 0) errors.push('at least one work period is needed');
  const parsed: PeriodMs[] = [];
  periods.forEach((period, index) => {
    const startMs = parseClockTime(period.start);
    const endMs = parseClockTime(period.end);
    if (startMs === null || startMs >= 24 * 3_600_000) {
      errors.push(`work period ${index + 1}: start '${period.start}' is not a time HH:MM`);
    } else if (endMs === null) {
      errors.push(`work period ${index + 1}: end '${period.end}' is not a time HH:MM`);
    } else if (endMs <= startMs) {
      errors.push(`work period ${index + 1}: end ${period.end} must be after start ${period.start}`);
    } else {
      parsed.push({ startMs, endMs });
    }
  });
  parsed.sort((a, b) => a.startMs - b.startMs);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i].startMs < parsed[i - 1].endMs) errors.push('work periods must not overlap');
  }
  const seen = new Map<string, CalendarOverride['kind']>();
  for (const override of config.overrides ?? []) {
    if (dateToDayNumber(override.date) === null) {
      errors.push(`override date '${override.date}' is not a date YYYY-MM-DD`);
      continue;
    }
    if (override.kind !== 'workday' && override.kind !== 'holiday') {
      errors.push(`override ${override.date}: kind must be 'workday' or 'holiday'`);
      continue;
    }
    const earlier = seen.get(override.date);
    if (earlier !== undefined && earlier !== override.kind) {
      errors.push(`override ${override.date} is entered both as workday and as holiday`);
    }
    seen.set(override.date, override.kind);
  }
  for (const year of config.officialYears ?? []) {
    if (!Number.isInteger(year) || year < 1900 || year > 2200) errors.push(`official year ${year} is not a year`);
  }
  return errors;
}

const PREFIX_BLOCK_DAYS = 512;

export class WorkCalendar {
  readonly workPeriods: readonly WorkPeriod[];
  /** The periods as milliseconds since Beijing midnight, sorted. */
  readonly periodsMs: readonly PeriodMs[];
  /** Work time in one workday (8 h by default): the length of "1 work day" in a time limit. */
  readonly workDayMs: number;
  readonly overrides: readonly CalendarOverride[];

  private readonly overrideByDate: ReadonlyMap<string, CalendarOverride>;
  private readonly officeYears: ReadonlySet<number>;
  private readonly officeEntered: readonly number[];
  // Deadlines revisit the same few hundred days over and over; each is looked up once.
  private readonly workdayCache = new Map<number, boolean>();
  // Running workday counts per block of days, so long spans are counted without visiting every day.
  private readonly workdayPrefixCache = new Map<number, Int32Array>();

  constructor(config: WorkCalendarConfig = {}) {
    const errors = validateWorkCalendarConfig(config);
    if (errors.length > 0) throw new RangeError(`invalid work calendar: ${errors.join('; ')}`);
    const periods = config.workPeriods ?? DEFAULT_WORK_PERIODS;
    this.periodsMs = periods
      .map((p) => ({ startMs: parseClockTime(p.start)!, endMs: parseClockTime(p.end)! }))
      .sort((a, b) => a.startMs - b.startMs);
    this.workPeriods = [...periods].sort((a, b) => parseClockTime(a.start)! - parseClockTime(b.start)!);
    this.workDayMs = this.periodsMs.reduce((sum, p) => sum + p.endMs - p.startMs, 0);
    this.overrides = [...(config.overrides ?? [])];
    this.overrideByDate = new Map(this.overrides.map((o) => [o.date, o]));
    this.officeYears = new Set(config.officialYears ?? []);
    this.officeEntered = [...new Set(this.overrides.map((o) => Number(o.date.slice(0, 4))))].sort((a, b) => a - b);
  }

  /** What kind of day a Beijing date is; throws RangeError for text that is not a date. */
  dayInfo(date: string): DayInfo {
    const dayNumber = dateToDayNumber(date);
    if (dayNumber === null) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
    return this.dayInfoOf(date, dayNumber);
  }

  isWorkday(date: string): boolean {
    return this.dayInfo(date).isWorkday;
  }

  /** Workday test by Beijing day number (days since 1970-01-01), cached: the hot path of deadline arithmetic. */
  isWorkdayNumber(dayNumber: number): boolean {
    let work = this.workdayCache.get(dayNumber);
    if (work === undefined) {
      work = this.dayInfoOf(dayNumberToDate(dayNumber), dayNumber).isWorkday;
      this.workdayCache.set(dayNumber, work);
    }
    return work;
  }

  /** Number of workdays with day numbers in [fromDay, toDay); 0 when toDay <= fromDay. */
  countWorkdays(fromDay: number, toDay: number): number {
    let total = 0;
    for (let day = fromDay; day < toDay; ) {
      const blockStart = Math.floor(day / PREFIX_BLOCK_DAYS) * PREFIX_BLOCK_DAYS;
      const end = Math.min(toDay, blockStart + PREFIX_BLOCK_DAYS);
      const prefix = this.blockPrefix(blockStart / PREFIX_BLOCK_DAYS);
      total += prefix[end - blockStart] - prefix[day - blockStart];
      day = end;
    }
    return total;
  }

  /** True when the year's holidays and make-up days are known (packaged, or entered in full by the office). */
  hasOfficialData(year: number): boolean {
    return this.yearDataSource(year) !== 'none';
  }

  yearDataSource(year: number): YearDataSource {
    if (this.officeYears.has(year)) return 'office';
    if (PACKAGED_OFFICIAL_YEARS.includes(year)) return 'package';
    return 'none';
  }

  /** Years with official data, ascending. */
  yearsWithOfficialData(): number[] {
    return [...new Set([...PACKAGED_OFFICIAL_YEARS, ...this.officeYears])].sort((a, b) => a - b);
  }

  /** Years in which the office has entered at least one override, full schedule or not, ascending. */
  yearsWithOverrides(): number[] {
    return [...this.officeEntered];
  }

  private blockPrefix(block: number): Int32Array {
    let prefix = this.workdayPrefixCache.get(block);
    if (!prefix) {
      prefix = new Int32Array(PREFIX_BLOCK_DAYS + 1);
      const first = block * PREFIX_BLOCK_DAYS;
      for (let i = 0; i < PREFIX_BLOCK_DAYS; i++) prefix[i + 1] = prefix[i] + (this.isWorkdayNumber(first + i) ? 1 : 0);
      this.workdayPrefixCache.set(block, prefix);
    }
    return prefix;
  }

  private dayInfoOf(date: string, dayNumber: number): DayInfo {
    const override = this.overrideByDate.get(date);
    if (override) {
      const isWorkday = override.kind === 'workday';
      return {
        date,
        isWorkday,
        reason: isWorkday ? 'override_workday' : 'override_holiday',
        ...(override.note ? { name: override.note } : {}),
      };
    }
    const official = PACKAGED_OFFICIAL_DAYS.get(date);
    if (official) {
      const isWorkday = official.kind === 'workday';
      return { date, isWorkday, reason: isWorkday ? 'makeup_workday' : 'holiday', name: official.nameZh };
    }
    const weekday = weekdayOfDayNumber(dayNumber);
    const weekend = weekday === 0 || weekday === 6;
    return { date, isWorkday: !weekend, reason: weekend ? 'weekend' : 'weekday' };
  }
}

export function createWorkCalendar(config: WorkCalendarConfig = {}): WorkCalendar {
  return new WorkCalendar(config);
}

let defaultCalendar: WorkCalendar | undefined;

/** The calendar with default work periods and no overrides, shared (it is immutable apart from its cache). */
export function defaultWorkCalendar(): WorkCalendar {
  defaultCalendar ??= new WorkCalendar();
  return defaultCalendar;
}
