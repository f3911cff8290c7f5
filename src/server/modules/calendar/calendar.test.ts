import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/helpers/app.js';
import { xlsx } from '../../../../tests/helpers/upload.js';
import { defaultWorkCalendar } from '../../../core/calendar/index.js';
import { workCalendar } from '../cases/calendar.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// The first year the holiday package does not know: 2027 with chinese-days 1.5.7 (it calls 2027-01-01 a workday).
const UNKNOWN_YEAR = Math.max(...defaultWorkCalendar().yearsWithOfficialData()) + 1;

function form(file: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----wenmingcalendar' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="calendar.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function importDays(username: string, rows: (string | number | null)[][], fields: Record<string, string> = {}) {
  const f = form(await xlsx([['日期', '类型', '说明'], ...rows]), fields);
  return (await t.as(username)).post('/api/v1/calendar/import', f.body, f.headers);
}

const preview = async (start: string, unit: string, value: number) =>
  (await t.as('dispatcher')).get(`/api/v1/calendar/deadline-preview?start=${encodeURIComponent(start)}&unit=${unit}&value=${value}`);
const countDays = async () => Number((await t.db.deps.db.selectFrom('calendar_days').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Dates of the given weekday (0 = Sunday) in a month, as YYYY-MM-DD. */
function weekdaysOf(year: number, month: number, weekday: number): string[] {
  const out: string[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(year, month - 1, d));
    if (date.getUTCMonth() !== month - 1) break;
    if (date.getUTCDay() === weekday) out.push(date.toISOString().slice(0, 10));
  }
  return out;
}

describe('reading a year', () => {
  it('lists the packaged holidays and make-up days of a known year', async () => {
    const res = await (await t.as('unit')).get('/api/v1/calendar?year=2026');
    expect(res.statusCode).toBe(200);
    const year = res.json();
    expect(year).toMatchObject({ year: 2026, hasOfficialData: true, yearDataSource: 'package', warning: null, workDayMinutes: 480 });
    expect(year.workPeriods).toEqual([{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }]);
    const byDate = new Map(year.days.map((d: { date: string }) => [d.date, d]));
    expect(byDate.get('2026-10-01')).toMatchObject({ isWorkday: false, reason: 'holiday', source: 'package', official: { kind: 'holiday' }, override: null });
    expect(byDate.get('2026-10-10')).toMatchObject({ isWorkday: true, reason: 'makeup_workday', source: 'package', weekday: 6 });
    // Only the days that differ from a plain week are listed.
    expect(byDate.has('2026-06-15')).toBe(false);
    expect(year.workdayCount).toBeGreaterThan(240);
    expect(year.workdayCount).toBeLessThan(255);
  });

  it('warns about a year without official data', async () => {
    const year = (await (await t.as('office')).get(`/api/v1/calendar?year=${UNKNOWN_YEAR}`)).json();
    expect(year).toMatchObject({ hasOfficialData: false, yearDataSource: 'none' });
    expect(year.warning.zh).toBe(`${UNKNOWN_YEAR} 年法定节假日安排尚未录入：期限计算可能不准确，请录入或导入国务院办公厅通知`);
  });

  it.each(['1999', '2101', 'next', ''])('refuses year=%j', async (y) => {
    const res = await (await t.as('office')).get(`/api/v1/calendar?year=${y}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'year' });
  });
});

describe('office overrides', () => {
  // Friday 2026-06-12 16:00 + 4 work hours: 2 h on Friday, 2 h on Monday 2026-06-15 → 10:00.
  const FRIDAY_AFTERNOON = '2026-06-12T16:00:00+08:00';

  it('moves a computed deadline when a Monday is declared a holiday, and back when the entry is removed', async () => {
    expect((await preview(FRIDAY_AFTERNOON, 'work_hours', 4)).json().deadline).toBe('2026-06-15T02:00:00.000Z');
    const office = await t.as('office');
    const put = await office.put('/api/v1/calendar/days/2026-06-15', { kind: 'holiday', note: '防汛停工' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ date: '2026-06-15', isWorkday: false, reason: 'override_holiday', name: '防汛停工', source: 'office', override: { kind: 'holiday', note: '防汛停工', updatedBy: '测试office' } });
    const moved = (await preview(FRIDAY_AFTERNOON, 'work_hours', 4)).json();
    expect(moved.deadline).toBe('2026-06-16T02:00:00.000Z');
    expect(moved.daysOff.map((d: { date: string }) => d.date)).toEqual(['2026-06-13', '2026-06-14', '2026-06-15']);
    // The shared calendar that case intake and the deadline job use sees it too.
    expect((await workCalendar(t.db.deps.db)).isWorkday('2026-06-15')).toBe(false);
    const listed = (await office.get('/api/v1/calendar?year=2026')).json().days.find((d: { date: string }) => d.date === '2026-06-15');
    expect(listed).toMatchObject({ source: 'office', isWorkday: false });

    const removed = await office.delete('/api/v1/calendar/days/2026-06-15');
    expect(removed.json()).toMatchObject({ date: '2026-06-15', isWorkday: true, source: 'week', override: null });
    expect((await preview(FRIDAY_AFTERNOON, 'work_hours', 4)).json().deadline).toBe('2026-06-15T02:00:00.000Z');
    expect((await office.delete('/api/v1/calendar/days/2026-06-15')).statusCode).toBe(404);
    const audits = await t.db.deps.db.selectFrom('audit_log').select('action').where('target_id', '=', '2026-06-15').execute();
    expect(audits.map((a) => a.action)).toEqual(['calendar.day.put', 'calendar.day.delete']);
  });

  it('lets a make-up Saturday count as a workday', async () => {
    const office = await t.as('office');
    // Saturday 2026-06-13 09:00, 2 work hours: normally Monday 10:00; with the Saturday a workday, Saturday 11:00.
    expect((await preview('2026-06-13T09:00:00+08:00', 'work_hours', 2)).json().deadline).toBe('2026-06-15T02:00:00.000Z');
    await office.put('/api/v1/calendar/days/2026-06-13', { kind: 'workday', note: '创城迎检补班' });
    expect((await preview('2026-06-13T09:00:00+08:00', 'work_hours', 2)).json().deadline).toBe('2026-06-13T03:00:00.000Z');
    await office.delete('/api/v1/calendar/days/2026-06-13');
  });

  it.each([
    ['2027-02-30', { kind: 'holiday' }, 'date'],
    ['2027-13-01', { kind: 'holiday' }, 'date'],
    ['20270101', { kind: 'holiday' }, 'date'],
    ['1999-01-01', { kind: 'holiday' }, 'date'],
    ['2027-01-04', { kind: 'rest' }, 'kind'],
    ['2027-01-04', {}, 'kind'],
    ['2027-01-04', { kind: 'holiday', note: 'x'.repeat(101) }, 'note'],
  ])('refuses PUT %s %j with field %s', async (date, body, field) => {
    const before = await countDays();
    const res = await (await t.as('office')).put(`/api/v1/calendar/days/${date}`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await countDays()).toBe(before);
  });

  it.each(['unit', 'dispatcher', 'leader', 'gridA1'])('does not let %s edit the calendar', async (username) => {
    const c = await t.as(username);
    expect((await c.put('/api/v1/calendar/days/2026-06-15', { kind: 'holiday' })).statusCode).toBe(403);
    expect((await c.delete('/api/v1/calendar/days/2026-06-15')).statusCode).toBe(403);
    expect((await c.put('/api/v1/calendar/settings', { workPeriods: [{ start: '09:00', end: '17:00' }] })).statusCode).toBe(403);
    expect((await importDays(username, [['2026-06-15', '放假', '']])).statusCode).toBe(403);
    // …but reads the calendar and previews deadlines.
    expect((await c.get('/api/v1/calendar?year=2026')).statusCode).toBe(200);
    expect((await c.get('/api/v1/calendar/deadline-preview?unit=work_hours&value=2')).statusCode).toBe(200);
  });
});

describe('a year the package does not know', () => {
  const Y = UNKNOWN_YEAR;
  const start = `${Y}-03-01T09:00:00+08:00`;
  const makeUpSaturday = weekdaysOf(Y, 2, 6)[2];
  const schedule = [
    [`${Y}-01-01`, '放假', '元旦'],
    [`${Y}-02-10`, '放假', '春节'],
    [`${Y}-02-11`, '放假', '春节'],
    [`${Y}/2/12`, '休', '春节'],
    [makeUpSaturday, '上班', '春节调休补班'],
    [`${Y}-10-01`, 'holiday', '国庆节'],
  ];

  it('refuses a bad file row by row and writes nothing', async () => {
    const before = await countDays();
    const res = await importDays(
      'office',
      [
        [`${Y}-01-01`, '放假', '元旦'],
        [`${Y}-02-30`, '放假', ''],
        [`${Y}-05-01`, '调休', ''],
        [`${Y}-01-01`, '上班', ''],
        [`${Y + 1}-01-01`, '放假', '下一年'],
        ['', '放假', ''],
      ],
      { officialYear: String(Y) },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_FAILED');
    expect(res.json().details.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`)).toEqual(['3:日期', '4:类型', '5:日期', '6:日期', '7:日期']);
    expect(await countDays()).toBe(before);
    expect((await t.as('office').then((c) => c.get(`/api/v1/calendar?year=${Y}`))).json().hasOfficialData).toBe(false);
  });

  it('refuses to declare a year official before any of its holidays are entered', async () => {
    const res = await (await t.as('office')).put('/api/v1/calendar/settings', { officialYears: [Y] });
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'officialYears' });
    const noHoliday = await importDays('office', [[makeUpSaturday, '上班', '补班']], { officialYear: String(Y) });
    expect(noHoliday.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'officialYear' });
  });

  it('stops warning once the full official schedule is imported', async () => {
    const before = (await preview(start, 'work_days', 1)).json();
    expect(before.warnings).toEqual([expect.objectContaining({ code: 'no_official_calendar', year: Y })]);
    // The package calls New Year's Day a plain workday in a year it does not know.
    expect((await workCalendar(t.db.deps.db)).isWorkday(`${Y}-01-01`)).toBe(true);

    const res = await importDays('office', schedule, { officialYear: String(Y) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 6, removed: 0, officialYears: [Y] });

    const year = (await (await t.as('leader')).get(`/api/v1/calendar?year=${Y}`)).json();
    expect(year).toMatchObject({ year: Y, hasOfficialData: true, yearDataSource: 'office', warning: null, officialYears: [Y] });
    expect(year.days.find((d: { date: string }) => d.date === `${Y}-02-12`)).toMatchObject({ isWorkday: false, source: 'office', name: '春节' });
    expect(year.days.find((d: { date: string }) => d.date === makeUpSaturday)).toMatchObject({ isWorkday: true, reason: 'override_workday' });
    expect((await preview(start, 'work_days', 1)).json().warnings).toEqual([]);
    expect((await workCalendar(t.db.deps.db)).isWorkday(`${Y}-01-01`)).toBe(false);
    // 1 work day from Friday 14:00: 4 h on Friday, the other 4 h on the make-up Saturday morning.
    const friday = new Date(Date.parse(`${makeUpSaturday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await preview(`${friday}T14:00:00+08:00`, 'work_days', 1)).json().deadline).toBe(`${makeUpSaturday}T04:00:00.000Z`);
  });

  it('replaces the year on request, keeping the official flag', async () => {
    const office = await t.as('office');
    await office.put(`/api/v1/calendar/days/${Y}-06-01`, { kind: 'holiday', note: '误录' });
    const res = await importDays('office', schedule, { officialYear: String(Y), replaceYear: 'true' });
    expect(res.json()).toEqual({ imported: 6, removed: 1, officialYears: [Y] });
    const year = (await office.get(`/api/v1/calendar?year=${Y}`)).json();
    expect(year.days.some((d: { date: string }) => d.date === `${Y}-06-01`)).toBe(false);
    expect(year.hasOfficialData).toBe(true);
  });
});

describe('settings and the preview', () => {
  it('changes the work periods the deadlines count', async () => {
    const office = await t.as('office');
    const monday = '2026-06-15T08:30:00+08:00';
    // Default periods: 08:30 + 8 work hours → 3.5 h before noon, 4.5 h after 14:00 → Tuesday 08:30.
    expect((await preview(monday, 'work_days', 1)).json().deadline).toBe('2026-06-16T00:30:00.000Z');
    const put = await office.put('/api/v1/calendar/settings', { workPeriods: [{ start: '08:30', end: '12:00' }, { start: '13:30', end: '18:00' }] });
    expect(put.statusCode).toBe(200);
    expect(put.json().workPeriods).toHaveLength(2);
    expect((await preview(monday, 'work_days', 1)).json().deadline).toBe('2026-06-15T10:00:00.000Z');
    const year = (await office.get('/api/v1/calendar?year=2026')).json();
    expect(year.workDayMinutes).toBe(480);
    await office.put('/api/v1/calendar/settings', { workPeriods: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }] });
    expect((await preview(monday, 'work_days', 1)).json().deadline).toBe('2026-06-16T00:30:00.000Z');
  });

  it.each([
    [{ workPeriods: [{ start: '12:00', end: '08:00' }] }, 'workPeriods'],
    [{ workPeriods: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '14:00' }] }, 'workPeriods'],
    [{ workPeriods: [] }, 'workPeriods'],
    [{ workPeriods: [{ start: '8 am', end: '12:00' }] }, 'workPeriods.0.start'],
    [{ officialYears: [1800] }, 'officialYears.0'],
  ])('refuses settings %j', async (body, field) => {
    const res = await (await t.as('admin')).put('/api/v1/calendar/settings', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it.each([
    ['unit=weeks&value=1', 'unit'],
    ['unit=work_hours&value=0', 'value'],
    ['unit=work_days&value=251', 'value'],
    ['unit=work_hours&value=abc', 'value'],
    ['unit=work_hours&value=2&start=tomorrow', 'start'],
    ['value=2', 'unit'],
  ])('refuses the preview %s', async (query, field) => {
    const res = await (await t.as('office')).get(`/api/v1/calendar/deadline-preview?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('counts urgent limits round the clock, without calendar warnings', async () => {
    const res = (await preview(`${UNKNOWN_YEAR + 1}-01-01T22:00:00+08:00`, 'clock_hours', 6)).json();
    expect(res).toMatchObject({ deadline: `${UNKNOWN_YEAR + 1}-01-01T20:00:00.000Z`, warnings: [], daysOff: [] });
  });

  it('documents the calendar routes in the OpenAPI', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/calendar', '/api/v1/calendar/days/{date}', '/api/v1/calendar/settings', '/api/v1/calendar/import', '/api/v1/calendar/deadline-preview']));
  });

  it('serves the import template', async () => {
    const res = await (await t.as('office')).get('/api/v1/calendar/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="calendar-template.xlsx"; filename*=UTF-8''calendar-template.xlsx`);
  });
});
