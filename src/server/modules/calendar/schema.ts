import { Type, type TSchema } from 'typebox';
import { TIME_LIMIT_UNITS } from '../../../core/calendar/index.js';
import { MAX_YEAR, MIN_YEAR } from './service.js';

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR });
const Clock = Type.String({ pattern: '^([01]\\d|2[0-4]):[0-5]\\d$', maxLength: 5, description: 'HH:MM, Beijing time' });
const DayKind = lit(['workday', 'holiday'] as const);

export const YearQuery = Type.Object({ year: Year });

export const DateParams = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD (Beijing calendar date)' }) });

export const DayBody = Type.Object({
  kind: DayKind,
  note: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});

export const WorkPeriod = Type.Object({ start: Clock, end: Clock });

export const SettingsBody = Type.Object({
  workPeriods: Type.Optional(Type.Array(WorkPeriod, { minItems: 1, maxItems: 6 })),
  officialYears: Type.Optional(Type.Array(Year, { maxItems: 100 })),
});

export const SettingsReply = Type.Object({ workPeriods: Type.Array(WorkPeriod), officialYears: Type.Array(Type.Integer()) });

export const Day = Type.Object({
  date: Type.String(),
  weekday: Type.Integer(),
  isWorkday: Type.Boolean(),
  reason: Type.String(),
  name: Nullable(Type.String()),
  source: lit(['office', 'package', 'week'] as const),
  official: Nullable(Type.Object({ kind: DayKind, name: Nullable(Type.String()) })),
  override: Nullable(Type.Object({ kind: DayKind, note: Nullable(Type.String()), updatedAt: Type.String(), updatedBy: Nullable(Type.String()) })),
});

export const YearView = Type.Object({
  year: Type.Integer(),
  hasOfficialData: Type.Boolean(),
  yearDataSource: lit(['package', 'office', 'none'] as const),
  warning: Nullable(Type.Object({ zh: Type.String(), en: Type.String() })),
  packagedYears: Type.Array(Type.Integer()),
  officialYears: Type.Array(Type.Integer()),
  workPeriods: Type.Array(WorkPeriod),
  workDayMinutes: Type.Integer(),
  workdayCount: Type.Integer(),
  days: Type.Array(Day),
});

export const ImportQuery = Type.Object({
  officialYear: Type.Optional(Type.String({ maxLength: 4, description: 'the file is the full official schedule of this year' })),
  replaceYear: Type.Optional(Type.String({ maxLength: 5, description: 'with officialYear: remove the office\'s other entries of that year' })),
});

export const ImportReply = Type.Object({ imported: Type.Integer(), removed: Type.Integer(), officialYears: Type.Array(Type.Integer()) });

export const PreviewQuery = Type.Object({
  start: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'ISO-8601 with offset; default now' })),
  unit: lit(TIME_LIMIT_UNITS),
  value: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
});

export const PreviewReply = Type.Object({
  start: Type.String(),
  unit: Type.String(),
  value: Type.Number(),
  deadline: Type.String(),
  startsOutsideWorkTime: Type.Boolean(),
  warnings: Type.Array(Type.Object({ code: Type.String(), year: Type.Integer(), message: Type.String(), messageZh: Type.String() })),
  daysOff: Type.Array(Type.Object({ date: Type.String(), reason: Type.String(), name: Nullable(Type.String()) })),
});
