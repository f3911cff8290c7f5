// 工作日历 administration: the campaign office sees a year as the deadlines see it (the package's 放假 and 调休补班
// days plus its own entries), enters or imports days, sets the work periods, and declares a year's schedule
// complete once the State Council has published it (国务院办公厅通知), which silences the "no official data"
// warnings. Every write goes to calendar_days / settings 'calendar' in one transaction with its audit row, and the
// process's cached WorkCalendar is dropped so the next deadline uses it (other processes notice within 5 s).
import type { Actor, Deps } from '../../lib/context.js';
import { Problem, notFound } from '../../errors.js';
import { audit } from '../../lib/audit.js';
import { assertCan } from '../../lib/scope.js';
import { nowIso } from '../../db/database.js';
import { readSheet, RowErrors, templateWorkbook, type ColumnSpec } from '../../lib/imports.js';
import {
  DEFAULT_WORK_PERIODS,
  computeDeadline,
  createWorkCalendar,
  defaultWorkCalendar,
  isWorkingTime,
  validateTimeLimit,
  validateWorkCalendarConfig,
  type DayReason,
  type TimeLimitUnit,
  type WorkCalendar,
  type WorkPeriod,
  type YearDataSource,
} from '../../../core/calendar/index.js';
import { settingsRepo } from '../admin/repo.js';
import { forgetWorkCalendar, workCalendar, type CalendarSettings } from '../cases/calendar.js';
import { parseDate, parseDayKind } from '../imports/parse.js';
import { calendarRepo, type CalendarDayRow, type DayWrite } from './repo.js';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const DAY_MS = 86_400_000;

export type DayKind = 'workday' | 'holiday';

export interface CalendarDayView {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  isWorkday: boolean;
  reason: DayReason;
  /** Festival name (package) or the office's note. */
  name: string | null;
  /** Who decides this day: the office's entry, else the packaged State Council schedule, else the plain week. */
  source: 'office' | 'package' | 'week';
  /** The packaged schedule's entry for the day, shown even when the office's entry overrides it. */
  official: { kind: DayKind; name: string | null } | null;
  override: { kind: DayKind; note: string | null; updatedAt: string; updatedBy: string | null } | null;
}

export interface CalendarYearView {
  year: number;
  hasOfficialData: boolean;
  yearDataSource: YearDataSource;
  /** Set when the year has no official data: deadlines in it may be wrong. */
  warning: { zh: string; en: string } | null;
  /** Years the package ships. */
  packagedYears: number[];
  /** Years the office declared complete (settings 'calendar'.officialYears). */
  officialYears: number[];
  workPeriods: WorkPeriod[];
  workDayMinutes: number;
  workdayCount: number;
  /** Days that differ from a plain Mon–Fri week, and every day the office entered. */
  days: CalendarDayView[];
}

const yearWarning = (year: number) => ({
  zh: `${year} 年法定节假日安排尚未录入：期限计算可能不准确，请录入或导入国务院办公厅通知`,
  en: `The ${year} public holiday schedule has not been entered: deadlines may be wrong. Enter or import the State Council notice.`,
});

const dateOfDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const dayNumberOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

async function calendarSettings(deps: Deps): Promise<CalendarSettings> {
  return (await settingsRepo.get<CalendarSettings>(deps.db, 'calendar')) ?? {};
}

function assertYear(year: number, field = 'year') {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new Problem('VALIDATION_FAILED', { field, reason: `must be a year within ${MIN_YEAR}–${MAX_YEAR}` });
}

function viewOf(date: string, calendar: WorkCalendar, row: CalendarDayRow | undefined): CalendarDayView {
  const info = calendar.dayInfo(date);
  const packaged = defaultWorkCalendar().dayInfo(date);
  const isOfficial = packaged.reason === 'holiday' || packaged.reason === 'makeup_workday';
  return {
    date,
    weekday: new Date(`${date}T00:00:00Z`).getUTCDay(),
    isWorkday: info.isWorkday,
    reason: info.reason,
    name: info.name ?? null,
    source: row ? 'office' : isOfficial ? 'package' : 'week',
    official: isOfficial ? { kind: packaged.isWorkday ? 'workday' : 'holiday', name: packaged.name ?? null } : null,
    override: row ? { kind: row.kind, note: row.note, updatedAt: row.updated_at, updatedBy: row.updated_by_name } : null,
  };
}

/** A calendar of the year's own entries and the saved settings, read fresh (the shared one may lag 5 s). */
function yearCalendar(settings: CalendarSettings, rows: CalendarDayRow[]): WorkCalendar {
  return createWorkCalendar({
    workPeriods: settings.workPeriods,
    officialYears: settings.officialYears,
    overrides: rows.map((r) => ({ date: r.date, kind: r.kind, note: r.note ?? undefined })),
  });
}

export async function calendarYear(deps: Deps, year: number): Promise<CalendarYearView> {
  assertYear(year);
  const [settings, rows] = await Promise.all([calendarSettings(deps), calendarRepo.between(deps.db, `${year}-01-01`, `${year}-12-31`)]);
  const calendar = yearCalendar(settings, rows);
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const first = dayNumberOf(`${year}-01-01`);
  const last = dayNumberOf(`${year}-12-31`);
  const days: CalendarDayView[] = [];
  for (let n = first; n <= last; n++) {
    const date = dateOfDayNumber(n);
    const view = viewOf(date, calendar, byDate.get(date));
    if (view.source !== 'week') days.push(view);
  }
  const source = calendar.yearDataSource(year);
  return {
    year,
    hasOfficialData: source !== 'none',
    yearDataSource: source,
    warning: source === 'none' ? yearWarning(year) : null,
    packagedYears: defaultWorkCalendar().yearsWithOfficialData(),
    officialYears: [...(settings.officialYears ?? [])].sort((a, b) => a - b),
    workPeriods: [...calendar.workPeriods],
    workDayMinutes: Math.round(calendar.workDayMs / 60_000),
    workdayCount: calendar.countWorkdays(first, last + 1),
    days,
  };
}

function checkDay(date: string, kind: string) {
  const errors = validateWorkCalendarConfig({ overrides: [{ date, kind: kind as DayKind }] });
  if (errors.length) {
    const field = /kind must be/.test(errors[0]) ? 'kind' : 'date';
    throw new Problem('VALIDATION_FAILED', { field, reason: errors[0] });
  }
  assertYear(Number(date.slice(0, 4)), 'date');
}

async function afterWrite(deps: Deps) {
  forgetWorkCalendar();
  deps.notify('calendar.changed');
}

async function dayView(deps: Deps, date: string): Promise<CalendarDayView> {
  const [settings, row] = await Promise.all([calendarSettings(deps), calendarRepo.get(deps.db, date)]);
  return viewOf(date, yearCalendar(settings, row ? [row] : []), row);
}

/** 上班 or 放假 on one date, taking precedence over the package and the weekend. */
export async function putDay(deps: Deps, actor: Actor, date: string, input: { kind: string; note?: string | null }): Promise<CalendarDayView> {
  assertCan(actor.user, 'settings.write');
  checkDay(date, input.kind);
  const note = input.note?.trim() || null;
  const before = await calendarRepo.get(deps.db, date);
  await deps.db.transaction().execute(async (trx) => {
    await calendarRepo.upsert(trx, [{ date, kind: input.kind as DayKind, note }], actor.user.id, nowIso());
    await audit(trx, actor, { action: 'calendar.day.put', targetType: 'calendar_day', targetId: date, orgPath: actor.user.orgPath, detail: { kind: input.kind, note, before: before ? { kind: before.kind, note: before.note } : null } });
  });
  await afterWrite(deps);
  return dayView(deps, date);
}

/** Removes the office's entry: the day is again what the package (or the plain week) says. */
export async function deleteDay(deps: Deps, actor: Actor, date: string): Promise<CalendarDayView> {
  assertCan(actor.user, 'settings.write');
  checkDay(date, 'holiday');
  const before = await calendarRepo.get(deps.db, date);
  if (!before) throw notFound(`calendar day ${date}`);
  await deps.db.transaction().execute(async (trx) => {
    await calendarRepo.remove(trx, date);
    await audit(trx, actor, { action: 'calendar.day.delete', targetType: 'calendar_day', targetId: date, orgPath: actor.user.orgPath, detail: { before: { kind: before.kind, note: before.note } } });
  });
  await afterWrite(deps);
  return dayView(deps, date);
}

export interface CalendarSettingsInput {
  workPeriods?: WorkPeriod[];
  officialYears?: number[];
}

/**
 * Work periods and the years the office declares complete. A year not in the package can only be declared once
 * some of its 放假 days are entered: an empty year marked official would silence the warning and still be wrong.
 */
export async function putSettings(deps: Deps, actor: Actor, input: CalendarSettingsInput): Promise<{ workPeriods: WorkPeriod[]; officialYears: number[] }> {
  assertCan(actor.user, 'settings.write');
  const current = await calendarSettings(deps);
  const next: CalendarSettings = {
    workPeriods: input.workPeriods ?? current.workPeriods,
    officialYears: input.officialYears ? [...new Set(input.officialYears)].sort((a, b) => a - b) : current.officialYears,
  };
  const errors = validateWorkCalendarConfig({ workPeriods: next.workPeriods, officialYears: next.officialYears });
  if (errors.length) {
    const field = /official year/.test(errors[0]) ? 'officialYears' : 'workPeriods';
    throw new Problem('VALIDATION_FAILED', { field, reason: errors[0] });
  }
  for (const year of next.officialYears ?? []) assertYear(year, 'officialYears');
  if (input.officialYears) {
    const packaged = new Set(defaultWorkCalendar().yearsWithOfficialData());
    const entered = await calendarRepo.yearsWithHolidays(deps.db);
    const empty = (next.officialYears ?? []).filter((y) => !packaged.has(y) && !entered.has(y) && !(current.officialYears ?? []).includes(y));
    if (empty.length) {
      throw new Problem('VALIDATION_FAILED', { field: 'officialYears', reason: `${empty[0]} has no 放假 days entered: enter or import its schedule first` });
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    await settingsRepo.put(trx, 'calendar', next, actor.user.id, nowIso());
    await audit(trx, actor, { action: 'settings.calendar', targetType: 'settings', targetId: 'calendar', orgPath: actor.user.orgPath, detail: { before: current, after: next } });
  });
  await afterWrite(deps);
  return { workPeriods: [...(next.workPeriods ?? DEFAULT_WORK_PERIODS)], officialYears: next.officialYears ?? [] };
}

// ---- import ------------------------------------------------------------------------------------------------

export const CALENDAR_COLUMNS: ColumnSpec[] = [
  { key: 'date', headers: ['日期', 'date'], required: true },
  { key: 'kind', headers: ['类型', '上班/放假', 'kind'], required: true },
  { key: 'note', headers: ['说明', '名称', '备注', 'note'] },
];

export async function calendarTemplate(): Promise<Buffer> {
  return templateWorkbook(CALENDAR_COLUMNS, '工作日历', ['2027-01-01', '放假', '元旦']);
}

export interface CalendarImportOptions {
  /** The file is the full official schedule of this year: every row must lie in it, and the year joins officialYears. */
  officialYear?: number | null;
  /** With officialYear: the office's other entries of that year are removed (the file replaces the year). */
  replaceYear?: boolean;
  filename?: string;
}

export interface CalendarImportReport {
  imported: number;
  removed: number;
  officialYears: number[];
}

export async function importCalendar(deps: Deps, actor: Actor, data: Buffer, opts: CalendarImportOptions = {}): Promise<CalendarImportReport> {
  assertCan(actor.user, 'settings.write');
  const year = opts.officialYear ?? null;
  if (year !== null) assertYear(year, 'officialYear');
  if (opts.replaceYear && year === null) throw new Problem('VALIDATION_FAILED', { field: 'replaceYear', reason: 'needs officialYear' });
  const rows = await readSheet(data, CALENDAR_COLUMNS);
  if (!rows.length) throw new Problem('BAD_REQUEST', { reason: 'the file holds no rows' });
  const errors = new RowErrors();
  const days: DayWrite[] = [];
  const rowOfDate = new Map<string, number>();
  for (const r of rows) {
    const v = r.values;
    const date = v.date ? parseDate(v.date) : null;
    if (!date) errors.add(r.row, '日期', '必填 / required');
    else if (!date.ok) errors.add(r.row, '日期', date.reason);
    const kind = v.kind ? parseDayKind(v.kind) : null;
    if (!kind) errors.add(r.row, '类型', '必填 / required');
    else if (!kind.ok) errors.add(r.row, '类型', kind.reason);
    const note = v.note ? v.note.replaceAll('\u0000', '').trim() : '';
    if (note.length > 100) errors.add(r.row, '说明', '最多 100 个字 / at most 100 characters');
    if (!date?.ok || !kind?.ok) continue;
    if (year !== null && Number(date.value.slice(0, 4)) !== year) {
      errors.add(r.row, '日期', `不在 ${year} 年 / not in ${year}`);
      continue;
    }
    const earlier = rowOfDate.get(date.value);
    if (earlier !== undefined) {
      errors.add(r.row, '日期', `与第 ${earlier} 行日期重复 / the same date as row ${earlier}`);
      continue;
    }
    rowOfDate.set(date.value, r.row);
    days.push({ date: date.value, kind: kind.value, note: note.slice(0, 100) || null });
  }
  errors.list.sort((a, b) => a.row - b.row);
  errors.throwIfAny();
  if (year !== null && !days.some((d) => d.kind === 'holiday')) {
    throw new Problem('VALIDATION_FAILED', { field: 'officialYear', reason: `the file has no 放假 day: not a full ${year} schedule` });
  }
  const settings = await calendarSettings(deps);
  const officialYears = year !== null ? [...new Set([...(settings.officialYears ?? []), year])].sort((a, b) => a - b) : (settings.officialYears ?? []);
  let removed = 0;
  await deps.db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (year !== null && opts.replaceYear) removed = await calendarRepo.removeYearExcept(trx, year, days.map((d) => d.date));
    await calendarRepo.upsert(trx, days, actor.user.id, now);
    if (year !== null && !(settings.officialYears ?? []).includes(year)) {
      await settingsRepo.put(trx, 'calendar', { ...settings, officialYears }, actor.user.id, now);
    }
    await audit(trx, actor, {
      action: 'calendar.import',
      targetType: 'calendar_day',
      orgPath: actor.user.orgPath,
      detail: { file: opts.filename ?? null, imported: days.length, removed, officialYear: year, replaceYear: !!opts.replaceYear },
    });
  });
  await afterWrite(deps);
  return { imported: days.length, removed, officialYears };
}

// ---- deadline preview ----------------------------------------------------------------------------------------

export interface DeadlinePreview {
  start: string;
  unit: TimeLimitUnit;
  value: number;
  deadline: string;
  /** The start lies outside work time: the count begins at the next work period. */
  startsOutsideWorkTime: boolean;
  warnings: { code: string; year: number; message: string; messageZh: string }[];
  /** Days between start and deadline that are not worked, with why (at most 60). */
  daysOff: { date: string; reason: DayReason; name: string | null }[];
}

/** The deadline a category with this limit would get when dispatched at `start`, on the street's calendar. */
export async function deadlinePreview(deps: Deps, input: { start?: string; unit: TimeLimitUnit; value: number }): Promise<DeadlinePreview> {
  const limit = { unit: input.unit, value: input.value };
  const problem = validateTimeLimit(limit);
  if (problem) throw new Problem('VALIDATION_FAILED', { field: /unit/.test(problem) ? 'unit' : 'value', reason: problem });
  const startMs = input.start ? Date.parse(input.start) : Date.now();
  if (!Number.isFinite(startMs)) throw new Problem('VALIDATION_FAILED', { field: 'start', reason: 'is not a date-time' });
  const startYear = new Date(startMs + 8 * 3_600_000).getUTCFullYear();
  assertYear(startYear, 'start');
  const calendar = await workCalendar(deps.db);
  const result = computeDeadline(calendar, startMs, limit);
  const daysOff: DeadlinePreview['daysOff'] = [];
  if (input.unit !== 'clock_hours') {
    const firstDay = Math.floor((startMs + 8 * 3_600_000) / DAY_MS);
    const lastDay = Math.floor((result.deadline.getTime() + 8 * 3_600_000) / DAY_MS);
    for (let n = firstDay; n <= lastDay && daysOff.length < 60; n++) {
      const info = calendar.dayInfo(dateOfDayNumber(n));
      if (!info.isWorkday) daysOff.push({ date: info.date, reason: info.reason, name: info.name ?? null });
    }
  }
  return {
    start: new Date(startMs).toISOString(),
    unit: input.unit,
    value: input.value,
    deadline: result.deadline.toISOString(),
    startsOutsideWorkTime: input.unit !== 'clock_hours' && !isWorkingTime(calendar, startMs),
    warnings: result.warnings.map((w) => ({ code: w.code, year: w.year, message: w.message, messageZh: w.messageZh })),
    daysOff,
  };
}
