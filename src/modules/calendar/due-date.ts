// The legal due date of a dossier (hồ sơ) from its procedure's processing time, and its extension
// when the clock was paused (supplement requested, awaiting payment). Pure: the calendar is data.
import { addDays, DAY_MS } from '../../kernel/dates';
import { localDayNumberOf } from '../../kernel/vietnam-time';
import {
  addWorkingMinutes,
  closingTimeOf,
  isWorkingDay,
  localDateOf,
  nextOfficeTime,
  nextWorkingDate,
  workingMinutesBetween,
  workingMinutesPerDay,
  type WorkingCalendar,
} from './working-calendar';

export type ProcessingUnit = 'WORKING_DAYS' | 'CALENDAR_DAYS';
export interface ProcessingTime { amount: number; unit: ProcessingUnit } // amount 0 = same-day procedure (giải quyết trong ngày)

/** Days since 1970-01-01 of the local date of `instant`. */
const dayNumberOf = (cal: WorkingCalendar, instant: Date) => localDayNumberOf(instant, cal.utcOffsetMinutes);

/** The closing time of `localDate`, or of the next working day when `localDate` is a day off. */
function closingOfWorkingDateFrom(cal: WorkingCalendar, localDate: string): Date {
  return closingTimeOf(cal, nextWorkingDate(cal, localDate));
}

/** The legal due date of a dossier received at `receivedAt`. */
export function dueDate(cal: WorkingCalendar, receivedAt: Date, time: ProcessingTime): Date {
  const { amount, unit } = time;
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`processing time ${amount} is not a non-negative number`);
  // The clock starts at the next office time: a dossier received after closing, at the weekend or
  // on a holiday starts the next working morning; one received at lunch starts at the afternoon opening.
  const clockStartsAt = nextOfficeTime(cal, receivedAt);

  // Same-day procedure: closing time of the day the clock starts. That is the receiving day when the
  // dossier came in during office hours, and also when it came in before opening or at lunch on a
  // working day (the clock still starts that day); otherwise the next working day.
  if (amount === 0) return closingTimeOf(cal, localDateOf(cal, clockStartsAt));

  switch (unit) {
    case 'WORKING_DAYS':
      // 1 working day = 8 hours of office time (workingMinutesPerDay says why), counted from the start.
      return addWorkingMinutes(cal, clockStartsAt, amount * workingMinutesPerDay(cal));
    case 'CALENDAR_DAYS': {
      if (!Number.isInteger(amount)) throw new RangeError(`a processing time in calendar days must be whole, got ${amount}`);
      // Calendar days run through weekends and holidays; only a due date that lands on a day off moves,
      // to the closing time of the next working day.
      return closingOfWorkingDateFrom(cal, addDays(localDateOf(cal, clockStartsAt), amount));
    }
    default: {
      const unknownUnit: never = unit;
      throw new Error(`unknown processing unit ${String(unknownUnit)}`);
    }
  }
}

/** The due date after the clock was paused (waiting for a supplement or a payment) from pausedAt to resumedAt: the time paused is added back. */
export function dueDateAfterPause(cal: WorkingCalendar, dueAt: Date, unit: ProcessingUnit, pausedAt: Date, resumedAt: Date): Date {
  if (resumedAt.getTime() <= pausedAt.getTime()) return new Date(dueAt.getTime());
  switch (unit) {
    case 'WORKING_DAYS': {
      // Only the office minutes of working days inside the pause are added back.
      const pausedMinutes = workingMinutesBetween(cal, pausedAt, resumedAt);
      // A pause wholly outside office hours (a weekend) changes nothing; adding 0 minutes would
      // otherwise move a due date at closing time to the next opening.
      if (pausedMinutes === 0) return new Date(dueAt.getTime());
      return addWorkingMinutes(cal, dueAt, pausedMinutes);
    }
    case 'CALENDAR_DAYS': {
      // The time waiting for a supplement or a payment is not counted in the processing time
      // ("không tính vào thời hạn giải quyết", Nghị định 61/2018/NĐ-CP and Nghị định 118/2025/NĐ-CP
      // that replaced it). A time limit in days counts whole days: the day the count starts on is not
      // counted and the limit ends with its last day (Bộ luật Dân sự 2015 art. 147, 148). So the
      // clock restarts the way it started: the days given back are the local dates it stood still
      // into, one per midnight inside the pause. A pause that ends the day it began gives back
      // nothing (0.2 seconds or an afternoon); rounding any part of a day up to a whole one gave the
      // agency a day the law does not.
      const pausedDays = dayNumberOf(cal, resumedAt) - dayNumberOf(cal, pausedAt);
      if (pausedDays === 0) return new Date(dueAt.getTime());
      const extended = new Date(dueAt.getTime() + pausedDays * DAY_MS);
      const extendedDate = localDateOf(cal, extended);
      return isWorkingDay(cal, extendedDate) ? extended : closingOfWorkingDateFrom(cal, extendedDate);
    }
    default: {
      const unknownUnit: never = unit;
      throw new Error(`unknown processing unit ${String(unknownUnit)}`);
    }
  }
}
