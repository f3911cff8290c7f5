// Pure readers for the cells of the case and calendar spreadsheets. A spreadsheet written in China has no time
// zone: every date and time in it is Beijing wall-clock time. Each reader returns the value or a reason (zh / en)
// that becomes a row error.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
// Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** ExcelJS hands a date cell over as an ISO instant read as if the cell were UTC. */
const EXCEL_DATE_CELL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{3})?Z$/;
const WRITTEN = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

interface WallClock {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  ss: number;
  hasTime: boolean;
}

function realDate(y: number, m: number, d: number): boolean {
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}

/** Reads the written forms a clerk types: 2027-01-04, 2027/1/4 9:30, 2027年1月4日 09:30, 2027.1.4, 20270104. */
function wallClockOf(raw: string): WallClock | null {
  const text = raw.trim();
  if (!text) return null;
  const cell = EXCEL_DATE_CELL.exec(text);
  if (cell) {
    const [y, m, d] = cell[1].split('-').map(Number);
    return { y, m, d, hh: Number(cell[2]), mm: Number(cell[3]), ss: Number(cell[4]), hasTime: cell[2] !== '00' || cell[3] !== '00' || cell[4] !== '00' };
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    // A serial number: the cell held a date but was formatted as a plain number.
    const ms = EXCEL_EPOCH_MS + Math.round(Number(text) * DAY_MS / 1000) * 1000;
    const at = new Date(ms);
    return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate(), hh: at.getUTCHours(), mm: at.getUTCMinutes(), ss: at.getUTCSeconds(), hasTime: !Number.isInteger(Number(text)) };
  }
  const compact = COMPACT_DATE.exec(text);
  if (compact) return { y: Number(compact[1]), m: Number(compact[2]), d: Number(compact[3]), hh: 0, mm: 0, ss: 0, hasTime: false };
  const normalised = text
    .replace(/[年月]/g, '-')
    .replace(/[日号]/g, ' ')
    .replace(/[/.]/g, '-')
    .replace(/：/g, ':')
    .replace(/\s+/g, ' ')
    .trim();
  const written = WRITTEN.exec(normalised);
  if (!written) return null;
  return {
    y: Number(written[1]),
    m: Number(written[2]),
    d: Number(written[3]),
    hh: Number(written[4] ?? 0),
    mm: Number(written[5] ?? 0),
    ss: Number(written[6] ?? 0),
    hasTime: written[4] !== undefined,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar date 'YYYY-MM-DD' (any time of day in the cell is ignored). */
export function parseDate(raw: string): Parsed<string> {
  const w = wallClockOf(raw);
  if (!w) return bad('不是日期（如 2027-01-01）/ not a date (e.g. 2027-01-01)');
  if (!realDate(w.y, w.m, w.d)) return bad('日期不存在 / no such date');
  if (w.y < 2000 || w.y > 2100) return bad('年份须在 2000–2100 之间 / the year must be within 2000–2100');
  return ok(`${w.y}-${pad(w.m)}-${pad(w.d)}`);
}

/**
 * A moment in Beijing time as an ISO-8601 UTC instant. A date without a time means the start of that day.
 * Moments after `now` (plus a day of slack for clocks and time zones) or before 2000 are refused.
 */
export function parseBeijingTime(raw: string, now = Date.now()): Parsed<string> {
  const w = wallClockOf(raw);
  if (!w) return bad('不是时间（如 2026-05-08 09:30）/ not a time (e.g. 2026-05-08 09:30)');
  if (!realDate(w.y, w.m, w.d) || w.hh > 23 || w.mm > 59 || w.ss > 59) return bad('时间不存在 / no such time');
  const ms = Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm, w.ss) - BEIJING_OFFSET_MS;
  if (w.y < 2000) return bad('时间过早 / too early');
  if (ms > now + DAY_MS) return bad('时间晚于今天 / in the future');
  return ok(new Date(ms).toISOString());
}

/** Decimal degrees within [min, max]. */
export function parseCoordinate(raw: string, min: number, max: number): Parsed<number> {
  const text = raw.trim();
  if (!/^-?\d{1,3}(\.\d+)?$/.test(text)) return bad('须为十进制度数 / must be a number in decimal degrees');
  const v = Number(text);
  if (v < min || v > max) return bad(`须在 ${min}–${max} 之间 / must be within ${min}..${max}`);
  return ok(v);
}

/** 通报级别: 市级 / 区级 / 街道 (and the usual short and English forms). */
export type SourceLevel = 'city' | 'district' | 'street';
const LEVEL_WORDS: Record<string, SourceLevel> = {
  市: 'city', 市级: 'city', 全市: 'city', city: 'city',
  区: 'district', 区级: 'district', 县: 'district', 县级: 'district', 区县: 'district', district: 'district',
  街道: 'street', 街道级: 'street', 街: 'street', 镇街: 'street', street: 'street',
};
export const SOURCE_LEVEL_LABELS: Record<SourceLevel, string> = { city: '市级', district: '区级', street: '街道' };

export function parseLevel(raw: string): Parsed<SourceLevel> {
  const key = raw.trim().replace(/\s/g, '').replace(/通报$/, '').toLowerCase();
  const level = LEVEL_WORDS[key];
  return level ? ok(level) : bad('须为 市级、区级 或 街道 / must be 市级 (city), 区级 (district) or 街道 (street)');
}

/** A yes/no option from a form field or a query string. */
export function parseFlag(raw: string | undefined): boolean | null {
  if (raw === undefined) return null;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on', '是'].includes(v)) return true;
  if (['false', '0', 'no', 'off', '否'].includes(v)) return false;
  return null;
}

/** 上班 / 放假 (and 补班, 调休上班, 休, workday, holiday…). */
export function parseDayKind(raw: string): Parsed<'workday' | 'holiday'> {
  const v = raw.trim().replace(/\s/g, '').toLowerCase();
  if (['上班', '班', '补班', '调休上班', '工作日', '工作', 'workday', 'work'].includes(v)) return ok('workday');
  if (['放假', '休', '休息', '休假', '假', '假日', '节假日', '法定节假日', 'holiday', 'off'].includes(v)) return ok('holiday');
  return bad('须为 上班 或 放假 / must be 上班 (workday) or 放假 (holiday)');
}

/** A phone number as a clerk types it: digits with optional +, -, spaces or brackets; kept as digits (and +). */
export function parsePhone(raw: string): Parsed<string> {
  const text = raw.trim();
  if (!/^[0-9+\-() ]{3,30}$/.test(text)) return bad('不是电话号码 / not a phone number');
  const digits = text.replace(/[-() ]/g, '');
  if (digits.length < 3 || digits.length > 20) return bad('不是电话号码 / not a phone number');
  return ok(digits);
}

export interface CategoryChoice {
  code: string;
  nameZh: string;
  nameEn: string;
  /** 小类 (4-digit code) rather than 大类. */
  minor: boolean;
  active: boolean;
}

/** Keyword → 小类 code: a 12345 诉求类别 such as "城市管理-乱停车" holds 停车, so it becomes 1401. */
export interface KeywordMapping {
  keyword: string;
  categoryCode: string;
}

const normaliseName = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')').replace(/\s/g, '').toLowerCase();

/**
 * Resolves a category cell: a 4-digit code (optionally followed by its name, "1401 机动车乱停放"), a 小类 name
 * (Chinese or English), or, when `keywords` are given, the first keyword the text contains.
 */
export function categoryResolver(categories: readonly CategoryChoice[], keywords: readonly KeywordMapping[] = []) {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const byName = new Map<string, CategoryChoice>();
  for (const c of categories) {
    if (!c.minor) continue;
    for (const name of [c.nameZh, c.nameEn]) {
      const key = normaliseName(name);
      if (key && !byName.has(key)) byName.set(key, c);
    }
  }
  // 违法搭建 for 违法搭建（制止）: a name without its bracketed part, unless two categories share it.
  const shortNames = new Map<string, CategoryChoice | 'ambiguous'>();
  for (const c of categories) {
    if (!c.minor) continue;
    const key = normaliseName(c.nameZh).replace(/\([^)]*\)/g, '');
    if (!key || byName.has(key)) continue;
    const seen = shortNames.get(key);
    shortNames.set(key, seen && seen !== c ? 'ambiguous' : c);
  }
  const check = (c: CategoryChoice | undefined, text: string): Parsed<string> | null => {
    if (!c) return null;
    if (!c.minor) return bad(`"${text.slice(0, 20)}" 是大类，请填写小类 / is a 大类 (major class): give a 小类 (4-digit code)`);
    if (!c.active) return bad(`类别 ${c.code} 已停用 / category ${c.code} is inactive`);
    return ok(c.code);
  };
  return (raw: string, opts: { keywordsOnly?: boolean } = {}): Parsed<string> => {
    const text = raw.trim();
    if (!opts.keywordsOnly) {
      const code = /^(\d{2}|\d{4})(?:\s|$|[-－—:：、])/.exec(text)?.[1];
      if (code) {
        const found = check(byCode.get(code), text);
        if (found) return found;
        return bad(`未知类别编码 ${code} / unknown category code ${code}`);
      }
      const key = normaliseName(text);
      const short = shortNames.get(key);
      if (short === 'ambiguous') return bad(`"${text.slice(0, 20)}" 对应多个小类，请填写编码或全称 / matches several categories: give the code or the full name`);
      const named = check(byName.get(key) ?? short, text);
      if (named) return named;
    }
    const lowered = text.toLowerCase();
    for (const k of keywords) {
      if (k.keyword && lowered.includes(k.keyword.toLowerCase())) {
        const mapped = check(byCode.get(k.categoryCode), k.keyword);
        if (mapped) return mapped;
      }
    }
    return bad(`无法识别的问题类别 "${text.slice(0, 30)}" / unknown category`);
  };
}
