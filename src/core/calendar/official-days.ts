// The only module that knows about the `chinese-days` package. We read its raw JSON rather than call its
// functions: its date helpers parse 'YYYY-MM-DD' as UTC midnight but format with local getters, so outside
// UTC+0..+14 they shift a day. The raw tables are keyed by Beijing calendar date and need no clock.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** One entry of the State Council's yearly schedule (国务院办公厅节假日安排). */
export interface OfficialDay {
  /** Beijing calendar date 'YYYY-MM-DD'. */
  date: string;
  /** 'holiday' = 放假 (a day off, even on a weekday); 'workday' = 补班/调休上班 (a make-up workday, even on a weekend). */
  kind: 'holiday' | 'workday';
  /** Festival name in Chinese, e.g. 国庆节. */
  nameZh: string;
  /** Festival name in English, e.g. National Day. */
  nameEn: string;
}

interface RawTables {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

function parseEntry(date: string, raw: string, kind: OfficialDay['kind']): OfficialDay {
  // Raw value: "National Day,国庆节,3" (English name, Chinese name, days of the festival).
  const [nameEn = '', nameZh = ''] = raw.split(',');
  return { date, kind, nameZh, nameEn };
}

function loadOfficialDays(tables: RawTables): { days: ReadonlyMap<string, OfficialDay>; years: readonly number[] } {
  const days = new Map<string, OfficialDay>();
  const years = new Set<number>();
  for (const [date, raw] of Object.entries(tables.holidays)) {
    days.set(date, parseEntry(date, raw, 'holiday'));
    // A year "has official data" when the schedule lists its holidays; a year absent from the package still
    // answers every question (weekdays work), only wrongly, as 2027 does in chinese-days 1.5.7.
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, raw] of Object.entries(tables.workdays)) days.set(date, parseEntry(date, raw, 'workday'));
  return { days, years: [...years].sort((a, b) => a - b) };
}

const loaded = loadOfficialDays(chineseDays as RawTables);

/** Holidays and make-up workdays published by the State Council, as shipped by the package. */
export const PACKAGED_OFFICIAL_DAYS: ReadonlyMap<string, OfficialDay> = loaded.days;

/** Years whose schedule the package ships (those with at least one holiday entry), ascending. */
export const PACKAGED_OFFICIAL_YEARS: readonly number[] = loaded.years;
