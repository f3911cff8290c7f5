import { describe, expect, it } from 'vitest';
import { dateToDayNumber } from './beijing-time.js';
import { type DayReason, type WorkCalendarConfig, WorkCalendar, createWorkCalendar, validateWorkCalendarConfig } from './work-calendar.js';

const calendar = createWorkCalendar();

describe('days on the default calendar', () => {
  it.each<[string, boolean, DayReason, string | undefined]>([
    ['2026-03-02', true, 'weekday', undefined],
    ['2026-03-07', false, 'weekend', undefined],
    ['2026-03-08', false, 'weekend', undefined],
    ['2026-10-01', false, 'holiday', '国庆节'],
    ['2026-10-07', false, 'holiday', '国庆节'],
    ['2026-10-10', true, 'makeup_workday', '国庆节'],
    ['2026-09-20', true, 'makeup_workday', '国庆节'],
    ['2026-02-14', true, 'makeup_workday', '春节'],
    ['2026-02-16', false, 'holiday', '春节'],
    ['2026-02-23', false, 'holiday', '春节'],
    ['2026-02-28', true, 'makeup_workday', '春节'],
    ['2026-01-04', true, 'makeup_workday', '元旦'],
    ['2025-10-08', false, 'holiday', '国庆节'],
    // Unknown year: the package falls back to the weekend rule and gets 元旦 2027 wrong.
    ['2027-01-01', true, 'weekday', undefined],
  ])('%s workday=%s (%s)', (date, isWorkday, reason, name) => {
    const info = calendar.dayInfo(date);
    expect(info).toEqual({ date, isWorkday, reason, ...(name ? { name } : {}) });
    expect(calendar.isWorkday(date)).toBe(isWorkday);
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', ''])('rejects %j as a date', (date) => {
    expect(() => calendar.dayInfo(date)).toThrow(RangeError);
  });
});

describe('counting workdays', () => {
  const day = (date: string) => dateToDayNumber(date)!;

  // Published totals: 2024 had 251 workdays, 2025 has 248 (two more days of holiday from 2025 on).
  it.each([
    [2024, 251],
    [2025, 248],
    [2026, 248],
  ])('%i has %i workdays', (year, expected) => {
    expect(calendar.countWorkdays(day(`${year}-01-01`), day(`${year + 1}-01-01`))).toBe(expected);
  });

  it.each([
    ['2026-10-01', '2026-10-12', 3],
    ['2026-03-02', '2026-03-02', 0],
    ['2026-03-09', '2026-03-02', 0],
    ['1969-12-01', '1970-02-01', 45],
  ])('[%s, %s) has %i workdays', (from, to, expected) => {
    expect(calendar.countWorkdays(day(from), day(to))).toBe(expected);
  });

  it('agrees with a day-by-day count over spans crossing many blocks', () => {
    const start = day('2019-05-17');
    for (const length of [1, 7, 511, 512, 513, 1500, 3000]) {
      let expected = 0;
      for (let d = start; d < start + length; d++) if (calendar.isWorkdayNumber(d)) expected++;
      expect(calendar.countWorkdays(start, start + length)).toBe(expected);
    }
  });
});

describe('office overrides', () => {
  const withOverrides = createWorkCalendar({
    overrides: [
      { date: '2026-03-04', kind: 'holiday', note: '区运动会' },
      { date: '2026-03-07', kind: 'workday' },
      { date: '2026-10-10', kind: 'holiday', note: '取消补班' },
    ],
  });

  it.each<[string, boolean, DayReason, string | undefined]>([
    ['2026-03-04', false, 'override_holiday', '区运动会'],
    ['2026-03-07', true, 'override_workday', undefined],
    ['2026-10-10', false, 'override_holiday', '取消补班'],
    ['2026-10-01', false, 'holiday', '国庆节'],
    ['2026-03-05', true, 'weekday', undefined],
  ])('%s workday=%s (%s)', (date, isWorkday, reason, name) => {
    expect(withOverrides.dayInfo(date)).toEqual({ date, isWorkday, reason, ...(name ? { name } : {}) });
  });

  it('leaves other calendars alone', () => {
    expect(calendar.isWorkday('2026-03-04')).toBe(true);
  });
});

describe('years with official data', () => {
  it.each<[WorkCalendarConfig, number, boolean, 'package' | 'office' | 'none']>([
    [{}, 2026, true, 'package'],
    [{}, 2004, true, 'package'],
    [{}, 2027, false, 'none'],
    [{}, 2003, false, 'none'],
    [{ overrides: [{ date: '2027-01-01', kind: 'holiday' }] }, 2027, false, 'none'],
    [{ officialYears: [2027], overrides: [{ date: '2027-01-01', kind: 'holiday' }] }, 2027, true, 'office'],
    [{ officialYears: [2026] }, 2026, true, 'office'],
  ])('%o: %i known=%s from %s', (config, year, known, source) => {
    const cal = createWorkCalendar(config);
    expect(cal.hasOfficialData(year)).toBe(known);
    expect(cal.yearDataSource(year)).toBe(source);
  });

  it('lists the packaged years and the office years', () => {
    const years = calendar.yearsWithOfficialData();
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
    const entered = createWorkCalendar({ officialYears: [2027], overrides: [{ date: '2027-02-06', kind: 'workday' }] });
    expect(entered.yearsWithOfficialData().at(-1)).toBe(2027);
    expect(entered.yearsWithOverrides()).toEqual([2027]);
  });
});

describe('config', () => {
  it('defaults to 08:00–12:00 and 14:00–18:00, an 8-hour work day', () => {
    expect(calendar.workPeriods).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]);
    expect(calendar.workDayMs).toBe(8 * 3_600_000);
  });

  it.each<[string, WorkCalendarConfig, string[]]>([
    ['default', {}, []],
    ['a period to midnight', { workPeriods: [{ start: '16:00', end: '24:00' }] }, []],
    ['no periods', { workPeriods: [] }, ['at least one work period is needed']],
    ['bad start', { workPeriods: [{ start: '8:00', end: '12:00' }] }, ["work period 1: start '8:00' is not a time HH:MM"]],
    ['start at 24:00', { workPeriods: [{ start: '24:00', end: '24:00' }] }, ["work period 1: start '24:00' is not a time HH:MM"]],
    ['bad end', { workPeriods: [{ start: '08:00', end: '12:60' }] }, ["work period 1: end '12:60' is not a time HH:MM"]],
    ['end before start', { workPeriods: [{ start: '14:00', end: '12:00' }] }, ['work period 1: end 12:00 must be after start 14:00']],
    [
      'overlap',
      { workPeriods: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }] },
      ['work periods must not overlap'],
    ],
    ['bad override date', { overrides: [{ date: '2026-02-30', kind: 'holiday' }] }, ["override date '2026-02-30' is not a date YYYY-MM-DD"]],
    [
      'bad override kind',
      { overrides: [{ date: '2026-02-03', kind: 'maybe' as 'holiday' }] },
      ["override 2026-02-03: kind must be 'workday' or 'holiday'"],
    ],
    [
      'contradicting overrides',
      { overrides: [{ date: '2026-02-03', kind: 'holiday' }, { date: '2026-02-03', kind: 'workday' }] },
      ['override 2026-02-03 is entered both as workday and as holiday'],
    ],
    ['bad official year', { officialYears: [27] }, ['official year 27 is not a year']],
  ])('%s', (_name, config, errors) => {
    expect(validateWorkCalendarConfig(config)).toEqual(errors);
    if (errors.length > 0) expect(() => new WorkCalendar(config)).toThrow(RangeError);
  });
});
