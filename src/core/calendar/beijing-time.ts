// Beijing time arithmetic on epoch milliseconds. Asia/Shanghai has had no daylight saving since 1991, so a fixed
// +08:00 offset is exact for every date this software will see, and it keeps the code free of the host's time
// zone (servers run in UTC, browsers anywhere).

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** An instant: a Date, an ISO-8601 string with its offset (e.g. '2026-10-09T02:00:00Z'), or epoch milliseconds. */
export type Instant = Date | string | number;

/** Epoch milliseconds of an instant; throws RangeError when it is not a valid time. */
export function toEpochMs(instant: Instant): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

/** Days since 1970-01-01 on the Beijing calendar. */
export function beijingDayNumber(epochMs: number): number {
  return Math.floor((epochMs + BEIJING_OFFSET_MS) / DAY_MS);
}

/** Epoch milliseconds of 00:00 Beijing time on the given day number. */
export function beijingDayStartMs(dayNumber: number): number {
  return dayNumber * DAY_MS - BEIJING_OFFSET_MS;
}

/** 'YYYY-MM-DD' of a Beijing day number. */
export function dayNumberToDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Beijing day number of a 'YYYY-MM-DD' date, or null when the text is not a real calendar date. */
export function dateToDayNumber(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip.
  if (new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return ms / DAY_MS;
}

/** Day of the week of a Beijing day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Beijing calendar date 'YYYY-MM-DD' of an instant. */
export function beijingDate(instant: Instant): string {
  return dayNumberToDate(beijingDayNumber(toEpochMs(instant)));
}

/** Beijing calendar year of an instant. */
export function beijingYear(instant: Instant): number {
  return new Date(toEpochMs(instant) + BEIJING_OFFSET_MS).getUTCFullYear();
}

/** Milliseconds since 00:00 of an 'HH:MM' wall-clock time ('24:00' allowed as an end), or null when malformed. */
export function parseClockTime(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * HOUR_MS + minutes * MINUTE_MS;
}
