// Working-time arithmetic over a province's calendar. Pure: the calendar is data (office hours,
// declared days off, declared working weekend days) and every function takes it first.
//
// Internally an instant is split into a local day number (days since 1970-01-01 in the province's
// fixed UTC offset; Vietnam has no DST) and milliseconds into that local day. Arithmetic runs in
// milliseconds so that instants with seconds survive unchanged.
import { dateOfDayNumber, dayNumberOf, DAY_MS } from '../../kernel/dates';
import type { OfficeInterval } from '../../kernel/vietnam-time';

export interface WorkingCalendar {
  utcOffsetMinutes: number;                    // Vietnam: VIETNAM_UTC_OFFSET_MINUTES (UTC+7, no DST)
  officeHours: readonly OfficeInterval[];      // sorted, non-overlapping; default 07:00–11:30, 13:30–17:00
  daysOff: ReadonlySet<string>;                // local 'YYYY-MM-DD' days declared off (holidays, swapped days)
  workingWeekendDays: ReadonlySet<string>;     // local 'YYYY-MM-DD' Saturdays/Sundays declared working (make-up days)
}

const MINUTE_MS = 60_000;
/** Loops stop here: no real calendar has three years without working time, so it means bad data. */
const MAX_DAYS_SEARCHED = 3 * 366;

// ---------------------------------------------------------------- office hours

interface IntervalMs { startMs: number; endMs: number }

const HH_MM = /^(\d{2}):(\d{2})$/;

function parseClock(text: string, allowMidnightEnd: boolean): number {
  const match = HH_MM.exec(text);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  // '24:00' may close a day (an office open until midnight), never open one.
  const valid = match !== null && minutes < 60 && (hours < 24 || (allowMidnightEnd && hours === 24 && minutes === 0));
  if (!valid) throw new Error(`office hour "${text}" is not a local time 'HH:mm'`);
  return (hours * 60 + minutes) * MINUTE_MS;
}

// Calendars are rebuilt rarely and read often: parse and validate each office-hours array once.
const parsedOfficeHours = new WeakMap<readonly OfficeInterval[], readonly IntervalMs[]>();

function officeIntervalsOf(cal: WorkingCalendar): readonly IntervalMs[] {
  const cached = parsedOfficeHours.get(cal.officeHours);
  if (cached) return cached;
  if (!Array.isArray(cal.officeHours) || cal.officeHours.length === 0) {
    // Without office hours no working time exists and every search would end in the 3-year guard.
    throw new Error('office hours are empty');
  }
  const intervals = cal.officeHours.map((interval) => ({
    startMs: parseClock(interval.start, false),
    endMs: parseClock(interval.end, true),
  }));
  intervals.forEach((interval, index) => {
    const label = `${cal.officeHours[index].start}–${cal.officeHours[index].end}`;
    if (interval.endMs <= interval.startMs) throw new Error(`office interval ${label} ends before it starts`);
    // Touching intervals (11:30–13:00, 13:00–17:00) are allowed; overlapping or unsorted ones are not.
    if (index > 0 && interval.startMs < intervals[index - 1].endMs) {
      throw new Error(`office interval ${label} overlaps or precedes the one before it`);
    }
  });
  parsedOfficeHours.set(cal.officeHours, intervals);
  return intervals;
}

// ---------------------------------------------------------------- local days

function offsetMsOf(cal: Pick<WorkingCalendar, 'utcOffsetMinutes'>): number {
  if (!Number.isFinite(cal.utcOffsetMinutes)) throw new Error(`UTC offset ${cal.utcOffsetMinutes} is not a number of minutes`);
  return cal.utcOffsetMinutes * MINUTE_MS;
}

interface LocalTime { dayNumber: number; msOfDay: number }

function localTimeOf(cal: Pick<WorkingCalendar, 'utcOffsetMinutes'>, instant: Date): LocalTime {
  const time = instant.getTime();
  if (!Number.isFinite(time)) throw new Error('invalid date');
  const localMs = time + offsetMsOf(cal);
  const dayNumber = Math.floor(localMs / DAY_MS);
  return { dayNumber, msOfDay: localMs - dayNumber * DAY_MS };
}

function instantOf(cal: WorkingCalendar, dayNumber: number, msOfDay: number): Date {
  return new Date(dayNumber * DAY_MS + msOfDay - offsetMsOf(cal));
}

function isWorkingDayNumber(cal: WorkingCalendar, dayNumber: number): boolean {
  const localDate = dateOfDayNumber(dayNumber);
  if (cal.workingWeekendDays.has(localDate)) return true;
  const weekday = new Date(dayNumber * DAY_MS).getUTCDay(); // 0 = Sunday, 6 = Saturday
  return weekday !== 0 && weekday !== 6 && !cal.daysOff.has(localDate);
}

/** The first working day number at or after `dayNumber`. */
function workingDayNumberFrom(cal: WorkingCalendar, dayNumber: number): number {
  for (let candidate = dayNumber; candidate <= dayNumber + MAX_DAYS_SEARCHED; candidate += 1) {
    if (isWorkingDayNumber(cal, candidate)) return candidate;
  }
  throw new Error(`no working day within 3 years after ${dateOfDayNumber(dayNumber)}`);
}

// ---------------------------------------------------------------- public API

export function localDateOf(cal: Pick<WorkingCalendar, 'utcOffsetMinutes'>, instant: Date): string {
  return dateOfDayNumber(localTimeOf(cal, instant).dayNumber);
}

/**
 * Monday to Friday unless declared off; Saturday and Sunday only when declared working. A date in
 * `workingWeekendDays` is working even if it is also in `daysOff`.
 */
export function isWorkingDay(cal: WorkingCalendar, localDate: string): boolean {
  return isWorkingDayNumber(cal, dayNumberOf(localDate));
}

/** Minutes the office is open on a working day: 480 with the default hours, 510 with 07:00–11:30, 13:00–17:00. */
export function officeMinutesPerDay(cal: WorkingCalendar): number {
  return officeIntervalsOf(cal).reduce((sum, interval) => sum + (interval.endMs - interval.startMs), 0) / MINUTE_MS;
}

/** The normal working day of a civil servant: 8 hours (Quyết định 188/1999/QĐ-TTg; Bộ luật Lao động 2019 art. 105). */
export const WORKING_DAY_MINUTES = 480;

/**
 * The office minutes that make one working day of a processing time. Nghị định 61/2018/NĐ-CP and
 * Nghị định 118/2025/NĐ-CP set processing times in working days, and a working day is 8 hours
 * (40-hour week of Quyết định 188/1999/QĐ-TTg; normal working time not more than 8 hours a day,
 * Bộ luật Lao động 2019 art. 105), not however long a province keeps its counters open: with
 * 07:00–11:30 and 13:00–17:00 (8.5 hours) N working days are 8N office hours, so a 20-day procedure
 * is not given 10 hours more than the law's 160. An office day shorter than 8 hours is one working
 * day, so that N working days never run past N office days.
 */
export function workingMinutesPerDay(cal: WorkingCalendar): number {
  return Math.min(WORKING_DAY_MINUTES, officeMinutesPerDay(cal));
}

/**
 * `instant` itself when it is inside office hours of a working day (an interval's start included,
 * its end excluded); otherwise the next opening: after the lunch break, or the next working day's
 * first opening.
 */
export function nextOfficeTime(cal: WorkingCalendar, instant: Date): Date {
  const intervals = officeIntervalsOf(cal);
  const { dayNumber, msOfDay } = localTimeOf(cal, instant);
  if (isWorkingDayNumber(cal, dayNumber)) {
    const current = intervals.find((interval) => msOfDay < interval.endMs);
    // A copy, not `instant` itself: callers may hold on to the result and mutate it.
    if (current) return msOfDay >= current.startMs ? new Date(instant.getTime()) : instantOf(cal, dayNumber, current.startMs);
  }
  return instantOf(cal, workingDayNumberFrom(cal, dayNumber + 1), intervals[0].startMs);
}

/**
 * The instant at which `minutes` office minutes of working days have passed since `from`.
 * - The count starts at nextOfficeTime(from), so time outside office hours does not count.
 * - Landing exactly on the end of an interval returns that end (17:00), not the next opening:
 *   a due date of "today 17:00" is met by work finished at 17:00.
 * - minutes = 0 returns nextOfficeTime(from): the moment the clock would start.
 * - Fractional minutes are kept to the millisecond; negative ones are refused.
 * Throws when the count runs past 3 years of calendar days (a few hundred working days fit easily).
 */
export function addWorkingMinutes(cal: WorkingCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`cannot add ${minutes} working minutes`);
  const start = nextOfficeTime(cal, from);
  if (minutes === 0) return start;

  const intervals = officeIntervalsOf(cal);
  let remainingMs = minutes * MINUTE_MS;
  let { dayNumber, msOfDay: cursorMs } = localTimeOf(cal, start);
  const lastDayAllowed = dayNumber + MAX_DAYS_SEARCHED;
  while (dayNumber <= lastDayAllowed) {
    for (const interval of intervals) {
      if (interval.endMs <= cursorMs) continue;
      const openFrom = Math.max(interval.startMs, cursorMs);
      const availableMs = interval.endMs - openFrom;
      // `<=` rather than `<`: ending exactly at the close returns the close itself.
      if (remainingMs <= availableMs) return instantOf(cal, dayNumber, openFrom + remainingMs);
      remainingMs -= availableMs;
    }
    dayNumber = workingDayNumberFrom(cal, dayNumber + 1);
    cursorMs = 0;
  }
  throw new Error(`${minutes} working minutes from ${from.toISOString()} run past 3 years`);
}

/**
 * Office minutes of working days in [from, to); 0 when `to` is not after `from`. Fractional when the
 * instants carry seconds. Walks day by day, so any range the callers use (years) is cheap.
 */
export function workingMinutesBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const intervals = officeIntervalsOf(cal);
  const first = localTimeOf(cal, from);
  const last = localTimeOf(cal, to);
  if (to.getTime() <= from.getTime()) return 0;

  let totalMs = 0;
  for (let dayNumber = first.dayNumber; dayNumber <= last.dayNumber; dayNumber += 1) {
    if (!isWorkingDayNumber(cal, dayNumber)) continue;
    const windowStart = dayNumber === first.dayNumber ? first.msOfDay : 0;
    const windowEnd = dayNumber === last.dayNumber ? last.msOfDay : DAY_MS;
    for (const interval of intervals) {
      totalMs += Math.max(0, Math.min(interval.endMs, windowEnd) - Math.max(interval.startMs, windowStart));
    }
  }
  return totalMs / MINUTE_MS;
}

/** `days` working days after `from`, a working day being workingMinutesPerDay office minutes. */
export function addWorkingDays(cal: WorkingCalendar, from: Date, days: number): Date {
  return addWorkingMinutes(cal, from, days * workingMinutesPerDay(cal));
}

/** The end of the last office interval of `localDate`, whether or not that date is a working day. */
export function closingTimeOf(cal: WorkingCalendar, localDate: string): Date {
  const intervals = officeIntervalsOf(cal);
  return instantOf(cal, dayNumberOf(localDate), intervals[intervals.length - 1].endMs);
}

/** `localDate` when it is a working day, else the next working date. */
export function nextWorkingDate(cal: WorkingCalendar, localDate: string): string {
  return dateOfDayNumber(workingDayNumberFrom(cal, dayNumberOf(localDate)));
}
