import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from './beijing-time.js';
import {
  type TimeLimit,
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
import { type WorkCalendarConfig, createWorkCalendar, defaultWorkCalendar } from './work-calendar.js';

/** An instant written in Beijing wall-clock time, 'YYYY-MM-DD HH:MM'. */
function bj(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+08:00`);
}

/** Beijing wall-clock text of an instant, for readable failures. */
function wall(date: Date): string {
  return new Date(date.getTime() + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const hours = (value: number): TimeLimit => ({ unit: 'work_hours', value });
const days = (value: number): TimeLimit => ({ unit: 'work_days', value });
const clock = (value: number): TimeLimit => ({ unit: 'clock_hours', value });

const calendar = defaultWorkCalendar();

// Weekdays used below: 2026-03-02 Mon, 03-06 Fri; 2026-09-18 Fri, 09-20 Sun (补班), 09-24 Thu, 09-25..27 中秋,
// 09-30 Wed, 10-01..07 国庆, 10-10 Sat (补班); 2026-02-13 Fri, 02-14 Sat (补班), 02-15..23 春节, 02-28 Sat (补班).
describe('computeDeadline on the default calendar (08:00–12:00, 14:00–18:00)', () => {
  it.each<[string, string, TimeLimit, string]>([
    ['plain weekday', '2026-03-02 09:00', hours(2), '2026-03-02 11:00'],
    ['ends exactly at the lunch break', '2026-03-02 08:00', hours(4), '2026-03-02 12:00'],
    ['spans the lunch break', '2026-03-02 10:00', hours(4), '2026-03-02 16:00'],
    ['starts in the lunch break', '2026-03-02 12:30', hours(1), '2026-03-02 15:00'],
    ['starts exactly at 12:00', '2026-03-02 12:00', hours(0.5), '2026-03-02 14:30'],
    ['starts before 08:00', '2026-03-02 06:15', hours(1), '2026-03-02 09:00'],
    ['starts after 18:00', '2026-03-02 19:00', hours(2), '2026-03-03 10:00'],
    ['starts exactly at 18:00', '2026-03-02 18:00', hours(2), '2026-03-03 10:00'],
    ['ends exactly at 18:00', '2026-03-02 16:00', hours(2), '2026-03-02 18:00'],
    ['spills overnight', '2026-03-02 17:00', hours(3), '2026-03-03 10:00'],
    ['Friday afternoon spills into Monday', '2026-03-06 16:00', hours(4), '2026-03-09 10:00'],
    ['reported on Saturday counts from Monday', '2026-03-07 10:00', hours(2), '2026-03-09 10:00'],
    ['fractional hours: 0.25 h over lunch', '2026-03-02 11:50', hours(0.25), '2026-03-02 14:05'],
    ['fractional hours: 1.5 h', '2026-03-02 08:00', hours(1.5), '2026-03-02 09:30'],
    ['1 work day from 08:00 ends the same day', '2026-03-02 08:00', days(1), '2026-03-02 18:00'],
    ['1 work day from mid-morning ends next morning', '2026-03-02 10:00', days(1), '2026-03-03 10:00'],
    ['1 work day from the evening is the next day', '2026-03-02 20:00', days(1), '2026-03-03 18:00'],
    ['1 work day from Friday 17:00 is Monday 17:00', '2026-03-06 17:00', days(1), '2026-03-09 17:00'],
    ['0.5 work day = 4 work hours', '2026-03-02 09:00', days(0.5), '2026-03-02 15:00'],
    ['20 work days (违法搭建 removal)', '2026-03-02 10:00', days(20), '2026-03-30 10:00'],
    ['National Day: Sep 30 afternoon jumps to Oct 8', '2026-09-30 16:00', hours(4), '2026-10-08 10:00'],
    ['National Day: 3 work days reach the make-up Saturday', '2026-09-30 16:00', days(3), '2026-10-10 16:00'],
    ['National Day: started during the holiday', '2026-10-03 09:00', hours(1), '2026-10-08 09:00'],
    ['National Day: Friday Oct 9 continues on make-up Saturday', '2026-10-09 17:00', hours(2), '2026-10-10 09:00'],
    ['make-up Sunday Sep 20 is a workday', '2026-09-18 17:00', hours(2), '2026-09-20 09:00'],
    ['Mid-Autumn Fri–Sun off', '2026-09-24 17:00', hours(2), '2026-09-28 09:00'],
    ['Spring Festival: make-up Saturday Feb 14 works', '2026-02-13 17:00', hours(2), '2026-02-14 09:00'],
    ['Spring Festival: Feb 15–23 off', '2026-02-14 17:00', hours(2), '2026-02-24 09:00'],
    ['Spring Festival: make-up Saturday Feb 28 works', '2026-02-27 17:00', hours(2), '2026-02-28 09:00'],
    ['New Year 2026: make-up Sunday Jan 4', '2025-12-31 17:00', hours(2), '2026-01-04 09:00'],
    ['clock hours ignore lunch and nights', '2026-03-02 11:00', clock(6), '2026-03-02 17:00'],
    ['clock hours across a weekend', '2026-03-06 22:00', clock(48), '2026-03-08 22:00'],
    ['clock hours during National Day', '2026-10-01 09:00', clock(6), '2026-10-01 15:00'],
  ])('%s', (_name, start, limit, expected) => {
    const result = computeDeadline(calendar, bj(start), limit);
    expect(wall(result.deadline)).toBe(expected);
    expect(result.warnings).toEqual([]);
  });

  it('accepts ISO strings and epoch milliseconds as well as Dates', () => {
    const expected = bj('2026-03-02 11:00').getTime();
    expect(computeDeadline(calendar, '2026-03-02T01:00:00Z', hours(2)).deadline.getTime()).toBe(expected);
    expect(computeDeadline(calendar, bj('2026-03-02 09:00').getTime(), hours(2)).deadline.getTime()).toBe(expected);
  });

  it.each<[string, TimeLimit | { unit: string; value: unknown }]>([
    ['zero', hours(0)],
    ['negative', days(-1)],
    ['not finite', hours(Number.POSITIVE_INFINITY)],
    ['NaN', clock(Number.NaN)],
    ['absurdly long', days(10_000)],
    ['unknown unit', { unit: 'fortnights', value: 1 }],
  ])('rejects a %s limit', (_name, limit) => {
    expect(() => computeDeadline(calendar, bj('2026-03-02 09:00'), limit as TimeLimit)).toThrow(RangeError);
  });

  it('rejects an invalid start', () => {
    expect(() => computeDeadline(calendar, 'yesterday-ish', hours(1))).toThrow(RangeError);
  });
});

describe('computeDeadline with office overrides and custom periods', () => {
  it.each<[string, WorkCalendarConfig, string, TimeLimit, string]>([
    [
      'a local day off on a Wednesday',
      { overrides: [{ date: '2026-03-04', kind: 'holiday', note: '区运动会' }] },
      '2026-03-03 17:00',
      hours(2),
      '2026-03-05 09:00',
    ],
    [
      'a Saturday made a workday',
      { overrides: [{ date: '2026-03-07', kind: 'workday' }] },
      '2026-03-06 17:00',
      hours(2),
      '2026-03-07 09:00',
    ],
    [
      'an override beats the package (make-up Saturday cancelled)',
      { overrides: [{ date: '2026-10-10', kind: 'holiday' }] },
      '2026-10-09 17:00',
      hours(2),
      '2026-10-12 09:00',
    ],
    [
      'an override beats the package (a National Day holiday worked)',
      { overrides: [{ date: '2026-10-05', kind: 'workday' }] },
      '2026-09-30 17:00',
      hours(2),
      '2026-10-05 09:00',
    ],
    [
      'one period 09:00–17:00: 1 work day = 8 h',
      { workPeriods: [{ start: '09:00', end: '17:00' }] },
      '2026-03-02 09:00',
      days(1),
      '2026-03-02 17:00',
    ],
    [
      'summer hours 08:00–12:00, 14:30–18:30 (periods given out of order)',
      { workPeriods: [{ start: '14:30', end: '18:30' }, { start: '08:00', end: '12:00' }] },
      '2026-03-02 11:00',
      hours(2),
      '2026-03-02 15:30',
    ],
    [
      'three periods, 1 work day = 9 h',
      {
        workPeriods: [
          { start: '08:00', end: '11:00' },
          { start: '13:00', end: '16:00' },
          { start: '19:00', end: '22:00' },
        ],
      },
      '2026-03-02 12:00',
      days(1),
      '2026-03-03 11:00',
    ],
  ])('%s', (_name, config, start, limit, expected) => {
    const custom = createWorkCalendar(config);
    expect(wall(computeDeadline(custom, bj(start), limit).deadline)).toBe(expected);
  });
});

describe('years without official holiday data (chinese-days knows 2026 but not 2027)', () => {
  it('warns when the deadline falls in 2027, and still computes it by the weekend rule', () => {
    const result = computeDeadline(calendar, bj('2026-12-31 17:00'), hours(2));
    // The package calls 2027-01-01 (元旦, a Friday) a workday: the deadline is right only once 2027 is entered.
    expect(wall(result.deadline)).toBe('2027-01-01 09:00');
    expect(result.warnings.map((w) => w.year)).toEqual([2027]);
    expect(result.warnings[0].code).toBe('no_official_calendar');
    expect(result.warnings[0].messageZh).toContain('2027年');
  });

  it('warns once for each unknown year a span crosses', () => {
    const result = computeDeadline(calendar, bj('2027-12-31 17:00'), hours(2));
    expect(wall(result.deadline)).toBe('2028-01-03 09:00');
    expect(result.warnings.map((w) => w.year)).toEqual([2027, 2028]);
  });

  it('stops warning once the office enters 2027 in full', () => {
    const entered = createWorkCalendar({
      officialYears: [2027],
      overrides: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }],
    });
    const result = computeDeadline(entered, bj('2026-12-31 17:00'), hours(2));
    expect(wall(result.deadline)).toBe('2027-01-04 09:00');
    expect(result.warnings).toEqual([]);
  });

  it('keeps warning when the office entered only a few 2027 days without marking the year complete', () => {
    const partial = createWorkCalendar({ overrides: [{ date: '2027-01-01', kind: 'holiday' }] });
    const result = computeDeadline(partial, bj('2026-12-31 17:00'), hours(2));
    expect(wall(result.deadline)).toBe('2027-01-04 09:00');
    expect(result.warnings.map((w) => w.year)).toEqual([2027]);
  });

  it('does not warn for round-the-clock limits, which ignore the calendar', () => {
    expect(computeDeadline(calendar, bj('2026-12-31 20:00'), clock(24)).warnings).toEqual([]);
  });

  it('lists unknown years of any span', () => {
    expect(officialDataWarnings(calendar, bj('2026-06-01 00:00'), bj('2026-12-31 23:59'))).toEqual([]);
    expect(officialDataWarnings(calendar, bj('2028-02-01 00:00'), bj('2026-06-01 00:00')).map((w) => w.year)).toEqual([
      2027, 2028,
    ]);
  });
});

describe('workTimeBetween', () => {
  it.each<[string, string, string, number]>([
    ['inside one period', '2026-03-02 09:00', '2026-03-02 11:00', 2 * HOUR_MS],
    ['across the lunch break', '2026-03-02 11:00', '2026-03-02 15:00', 2 * HOUR_MS],
    ['a whole workday', '2026-03-02 00:00', '2026-03-03 00:00', 8 * HOUR_MS],
    ['overnight', '2026-03-02 16:00', '2026-03-03 10:00', 4 * HOUR_MS],
    ['over a weekend', '2026-03-06 16:00', '2026-03-09 10:00', 4 * HOUR_MS],
    ['a plain week', '2026-03-02 00:00', '2026-03-09 00:00', 40 * HOUR_MS],
    ['the National Day fortnight (6 workdays incl. make-up Oct 10)', '2026-09-28 00:00', '2026-10-12 00:00', 48 * HOUR_MS],
    ['Spring Festival fortnight (make-up Feb 14 and Feb 28)', '2026-02-14 00:00', '2026-03-01 00:00', 48 * HOUR_MS],
    ['night only', '2026-03-02 19:00', '2026-03-03 07:00', 0],
    ['lunch only', '2026-03-02 12:10', '2026-03-02 13:50', 0],
    ['minutes', '2026-03-02 11:59', '2026-03-02 14:01', 2 * MINUTE_MS],
    ['empty span', '2026-03-02 10:00', '2026-03-02 10:00', 0],
    ['backwards is negative', '2026-03-03 10:00', '2026-03-02 16:00', -4 * HOUR_MS],
  ])('%s', (_name, from, to, expected) => {
    expect(workTimeBetween(calendar, bj(from), bj(to))).toBe(expected);
  });
});

describe('remainingWorkTime and elapsedFraction', () => {
  it.each<[string, string, string, 'work_hours' | 'clock_hours', number]>([
    ['time left today', '2026-03-02 09:00', '2026-03-02 16:00', 'work_hours', 5 * HOUR_MS],
    ['time left over the weekend', '2026-03-06 17:00', '2026-03-09 10:00', 'work_hours', 3 * HOUR_MS],
    ['overdue by work time', '2026-03-02 15:00', '2026-03-02 10:00', 'work_hours', -3 * HOUR_MS],
    ['overdue across a weekend', '2026-03-09 09:00', '2026-03-06 17:00', 'work_hours', -2 * HOUR_MS],
    ['round the clock counts every hour', '2026-03-07 10:00', '2026-03-07 22:00', 'clock_hours', 12 * HOUR_MS],
    ['round the clock overdue', '2026-03-08 10:00', '2026-03-07 22:00', 'clock_hours', -12 * HOUR_MS],
  ])('%s', (_name, now, deadline, unit, expected) => {
    expect(remainingWorkTime(calendar, bj(now), bj(deadline), unit)).toBe(expected);
  });

  it.each<[string, string, string, string, number]>([
    ['at the start', '2026-03-06 16:00', '2026-03-09 12:00', '2026-03-06 16:00', 0],
    ['half way, over the weekend', '2026-03-06 16:00', '2026-03-09 12:00', '2026-03-08 12:00', 1 / 3],
    ['at the deadline', '2026-03-06 16:00', '2026-03-09 12:00', '2026-03-09 12:00', 1],
    ['overdue', '2026-03-06 16:00', '2026-03-09 12:00', '2026-03-09 15:00', 7 / 6],
  ])('elapsed fraction %s', (_name, start, deadline, now, expected) => {
    expect(elapsedFraction(calendar, bj(start), bj(deadline), bj(now))).toBeCloseTo(expected, 10);
  });
});

describe('isWorkingTime and nextWorkingInstant', () => {
  it.each<[string, boolean, string]>([
    ['2026-03-02 08:00', true, '2026-03-02 08:00'],
    ['2026-03-02 11:59', true, '2026-03-02 11:59'],
    ['2026-03-02 12:00', false, '2026-03-02 14:00'],
    ['2026-03-02 13:00', false, '2026-03-02 14:00'],
    ['2026-03-02 18:00', false, '2026-03-03 08:00'],
    ['2026-03-02 07:59', false, '2026-03-02 08:00'],
    ['2026-03-06 18:30', false, '2026-03-09 08:00'],
    ['2026-03-07 10:00', false, '2026-03-09 08:00'],
    ['2026-10-01 10:00', false, '2026-10-08 08:00'],
    ['2026-10-10 10:00', true, '2026-10-10 10:00'],
    ['2026-09-20 15:00', true, '2026-09-20 15:00'],
    ['2026-02-15 10:00', false, '2026-02-24 08:00'],
  ])('%s working=%s, next %s', (at, working, next) => {
    expect(isWorkingTime(calendar, bj(at))).toBe(working);
    expect(wall(nextWorkingInstant(calendar, bj(at)))).toBe(next);
  });
});

describe('limits', () => {
  it.each<[TimeLimit, number]>([
    [hours(4), 4 * HOUR_MS],
    [hours(0.5), 30 * MINUTE_MS],
    [days(1), 8 * HOUR_MS],
    [days(20), 160 * HOUR_MS],
    [clock(6), 6 * HOUR_MS],
  ])('%o lasts %d ms', (limit, expected) => {
    expect(limitDurationMs(calendar, limit)).toBe(expected);
  });

  it.each<[unknown, string | null]>([
    [hours(4), null],
    [days(0.5), null],
    [hours(0), 'a time limit must be a positive number'],
    [{ unit: 'work_hours', value: '4' }, 'a time limit must be a positive number'],
    [{ unit: 'weeks', value: 1 }, "unknown time limit unit 'weeks'"],
    [days(251), 'a time limit in work_days may be at most 250'],
  ])('validates %o', (limit, expected) => {
    expect(validateTimeLimit(limit as TimeLimit)).toBe(expected);
  });
});

describe('consistency between computeDeadline and workTimeBetween', () => {
  // A fixed pseudo-random walk over 2025–2026 (seeded, so every run checks the same cases).
  let seed = 20260101;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const cases = Array.from({ length: 300 }, () => {
    const start = bj('2025-01-01 00:00').getTime() + Math.floor(next() * 700) * 86_400_000 + Math.floor(next() * 96) * 15 * MINUTE_MS;
    const limit = next() < 0.5 ? hours(Math.ceil(next() * 40) / 4) : days(Math.ceil(next() * 10));
    return [new Date(start).toISOString(), limit] as const;
  });

  it.each(cases)('from %s, %o', (start, limit) => {
    const { deadline } = computeDeadline(calendar, start, limit);
    expect(workTimeBetween(calendar, start, deadline)).toBe(limitDurationMs(calendar, limit));
    expect(remainingWorkTime(calendar, start, deadline)).toBe(limitDurationMs(calendar, limit));
    // The deadline is the earliest such instant: it ends work time, never waits through a break.
    expect(isWorkingTime(calendar, deadline.getTime() - 1)).toBe(true);
  });
});
