// SQL of the work calendar: the office's own days (calendar_days). Settings live in settings 'calendar'.
import type { Executor } from '../../lib/context.js';

export interface CalendarDayRow {
  date: string;
  kind: 'workday' | 'holiday';
  note: string | null;
  updated_at: string;
  updated_by: number | null;
  updated_by_name: string | null;
}

export interface DayWrite {
  date: string;
  kind: 'workday' | 'holiday';
  note: string | null;
}

const CHUNK = 300;

export const calendarRepo = {
  /** The office's days between two dates inclusive, in date order. */
  async between(db: Executor, from: string, to: string): Promise<CalendarDayRow[]> {
    const rows = await db
      .selectFrom('calendar_days as d')
      .leftJoin('users as u', 'u.id', 'd.updated_by')
      .select(['d.date', 'd.kind', 'd.note', 'd.updated_at', 'd.updated_by', 'u.display_name as updated_by_name'])
      .where('d.date', '>=', from)
      .where('d.date', '<=', to)
      .orderBy('d.date')
      .execute();
    return rows as CalendarDayRow[];
  },

  async get(db: Executor, date: string): Promise<CalendarDayRow | undefined> {
    return (await calendarRepo.between(db, date, date))[0];
  },

  /** Years in which the office entered at least one 放假 day (a year's schedule always has holidays). */
  async yearsWithHolidays(db: Executor): Promise<Set<number>> {
    const rows = await db.selectFrom('calendar_days').select('date').where('kind', '=', 'holiday').execute();
    return new Set(rows.map((r) => Number(r.date.slice(0, 4))));
  },

  async upsert(db: Executor, days: readonly DayWrite[], userId: number | null, now: string): Promise<void> {
    for (let i = 0; i < days.length; i += CHUNK) {
      await db
        .insertInto('calendar_days')
        .values(days.slice(i, i + CHUNK).map((d) => ({ date: d.date, kind: d.kind, note: d.note, updated_by: userId, updated_at: now })))
        .onConflict((oc) =>
          oc.column('date').doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), note: eb.ref('excluded.note'), updated_by: userId, updated_at: now })),
        )
        .execute();
    }
  },

  async remove(db: Executor, date: string): Promise<boolean> {
    const res = await db.deleteFrom('calendar_days').where('date', '=', date).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },

  /** Removes the year's days except the given dates (a full official schedule replaces the year). */
  async removeYearExcept(db: Executor, year: number, keep: readonly string[]): Promise<number> {
    let q = db.deleteFrom('calendar_days').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
    if (keep.length) q = q.where('date', 'not in', [...keep]);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  },
};
