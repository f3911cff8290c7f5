// The street's work calendar: the package's official holidays and 调休 days, plus the office's own days
// (calendar_days) and work periods (settings 'calendar'). Cached per process; re-read when either changes.
import type { Executor } from '../../lib/context.js';
import { createWorkCalendar, type WorkCalendar, type WorkCalendarConfig } from '../../../core/calendar/index.js';
import { settingsRepo } from '../admin/repo.js';

let cached: { stamp: string; checkedAt: number; calendar: WorkCalendar } | null = null;

export interface CalendarSettings {
  workPeriods?: WorkCalendarConfig['workPeriods'];
  /** Years whose full official schedule the office has entered (beyond the package's). */
  officialYears?: number[];
}

async function stampOf(db: Executor): Promise<string> {
  const [days, settings] = await Promise.all([
    db.selectFrom('calendar_days').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u')]).executeTakeFirstOrThrow(),
    db.selectFrom('settings').select('updated_at').where('key', '=', 'calendar').executeTakeFirst(),
  ]);
  return `${days.n}|${days.u ?? ''}|${settings?.updated_at ?? ''}`;
}

export async function workCalendar(db: Executor): Promise<WorkCalendar> {
  const now = Date.now();
  if (cached && now - cached.checkedAt < 5000) return cached.calendar;
  const stamp = await stampOf(db);
  if (cached && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached.calendar;
  }
  const [days, settings] = await Promise.all([
    db.selectFrom('calendar_days').selectAll().orderBy('date').execute(),
    settingsRepo.get<CalendarSettings>(db, 'calendar'),
  ]);
  const calendar = createWorkCalendar({
    workPeriods: settings?.workPeriods,
    officialYears: settings?.officialYears,
    overrides: days.map((d) => ({ date: d.date, kind: d.kind as 'workday' | 'holiday', note: d.note ?? undefined })),
  });
  cached = { stamp, checkedAt: now, calendar };
  return calendar;
}

export function forgetWorkCalendar() {
  cached = null;
}
