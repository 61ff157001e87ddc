// Vietnam's local time: UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact
// and the server's own time zone never matters. Every "which day is it" question goes through here:
// a dossier received at 06:00 in Cần Thơ is received today, not yesterday as UTC would say.
import { dateOfDayNumber, dateOnly, DAY_MS } from './dates';

export const VIETNAM_UTC_OFFSET_MINUTES = 420;

/** A stretch of office time, local 'HH:mm' to 'HH:mm'. */
export interface OfficeInterval { start: string; end: string }

/** State bodies' office hours unless a province sets its own (its manifest's officeHours). */
export const DEFAULT_OFFICE_HOURS: readonly OfficeInterval[] = Object.freeze([
  Object.freeze({ start: '07:00', end: '11:30' }),
  Object.freeze({ start: '13:30', end: '17:00' }),
]);

const MINUTE_MS = 60_000;

/** Days since 1970-01-01 on the local calendar at `utcOffsetMinutes`, so that "the day before" follows the wall clock. */
export function localDayNumberOf(instant: Date, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): number {
  const time = instant.getTime();
  if (!Number.isFinite(time)) throw new RangeError('invalid date');
  return Math.floor((time + utcOffsetMinutes * MINUTE_MS) / DAY_MS);
}

/** The local 'YYYY-MM-DD' of an instant at `utcOffsetMinutes` (Vietnam's by default). */
export function localDateOf(instant: Date, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): string {
  return dateOfDayNumber(localDayNumberOf(instant, utcOffsetMinutes));
}

/** The local date in Vietnam of an instant, 'YYYY-MM-DD'. */
export const vietnamDateOf = (instant: Date) => localDateOf(instant, VIETNAM_UTC_OFFSET_MINUTES);

/** Today in Vietnam at `now`, as the Date a `@db.Date` column holds (a posting's start, say). */
export const vietnamToday = (now: Date) => dateOnly(vietnamDateOf(now));

/**
 * The instant a month begins in Vietnam (local midnight of its first day); `monthIndex` counts from
 * 0 as Date.UTC does, and 12 is January of the next year, so a period's end is the next one's start.
 */
export function startOfVietnamMonth(year: number, monthIndex: number): Date {
  return new Date(Date.UTC(year, monthIndex, 1) - VIETNAM_UTC_OFFSET_MINUTES * MINUTE_MS);
}

/** The instant shifted so that its UTC fields (getUTCHours…) read the local wall clock at `utcOffsetMinutes`. */
export function wallClockOf(instant: Date, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): Date {
  return new Date(instant.getTime() + utcOffsetMinutes * MINUTE_MS);
}
