// The public holidays of the Labour Code 2019 (art. 112) and the make-up days for holidays that fall
// on a weekend: what a province's year is pre-filled with when no decision for that year is in
// published-holidays.ts. Each year the Prime Minister fixes the exact Tết days and the 2 September
// day and swaps working days (a Friday off against a Saturday worked); those choices are not rules
// and are not generated here, but calendarFrom accepts the WORKING_DAY rows entered for them.
import { dateOfDayNumber, DAY_MS, dayNumberOf, isRealDate } from '../../kernel/dates';
import { DEFAULT_OFFICE_HOURS, VIETNAM_UTC_OFFSET_MINUTES, type OfficeInterval } from '../../kernel/vietnam-time';
import { lunarNewYear, solarDateOf } from './lunar';
import { workingMinutesPerDay, type WorkingCalendar } from './working-calendar';

export type CalendarDayKind = 'DAY_OFF' | 'WORKING_DAY';
export interface CalendarDay { date: string /*YYYY-MM-DD*/; kind: CalendarDayKind; name: string /* Vietnamese */ }

function isWeekend(dayNumber: number): boolean {
  const weekday = new Date(dayNumber * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

const isoDate = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/**
 * The day taken with 2 September. The law says "one day before or after"; the Prime Minister picks
 * it each year. This approximation picks the day that joins the holiday to a weekend, so that the
 * fewest working days are broken up; the province admin corrects it to the year's decision.
 */
function dayAdjacentToNationalDay(year: number): string {
  const weekdayOfNationalDay = new Date(Date.UTC(year, 8, 2)).getUTCDay(); // 0 = Sunday
  const adjacentDayOfSeptember: Record<number, 1 | 3> = {
    0: 3, // Sun → Mon 3 (the Sunday itself is made up on Tue 4)
    1: 3, // Mon → Tue 3
    2: 1, // Tue → Mon 1
    3: 3, // Wed → Thu 3
    4: 3, // Thu → Fri 3
    5: 1, // Fri → Thu 1
    6: 1, // Sat → Fri 1 (the Saturday itself is made up on Mon 4)
  };
  return isoDate(year, 9, adjacentDayOfSeptember[weekdayOfNationalDay]);
}

interface Holiday { date: string; name: string }

function statutoryHolidaysOf(year: number): Holiday[] {
  const tet = dayNumberOf(lunarNewYear(year));
  return [
    { date: isoDate(year, 1, 1), name: 'Tết Dương lịch' },
    // The last day of the lunar year (29 or 30 of the 12th month) and days 1–4 of the 1st month.
    ...[-1, 0, 1, 2, 3].map((offset) => ({ date: dateOfDayNumber(tet + offset), name: 'Tết Nguyên đán' })),
    { date: solarDateOf(10, 3, year), name: 'Giỗ Tổ Hùng Vương' },
    { date: isoDate(year, 4, 30), name: 'Ngày Giải phóng miền Nam' },
    { date: isoDate(year, 5, 1), name: 'Ngày Quốc tế Lao động' },
    { date: isoDate(year, 9, 2), name: 'Quốc khánh' },
    { date: dayAdjacentToNationalDay(year), name: 'Quốc khánh' },
  ].sort((a, b) => a.date.localeCompare(b.date));
}

/** The days off and make-up working days of `year` under the Labour Code 2019 art. 112 rules. Sorted by date. */
export function holidaysOf(year: number): CalendarDay[] {
  if (!Number.isInteger(year)) throw new RangeError(`year ${year} is not an integer`);
  const holidays = statutoryHolidaysOf(year);
  const holidayDates = new Set(holidays.map((holiday) => holiday.date));
  const rows: CalendarDay[] = [];
  const takenDates = new Set<string>();

  for (const holiday of holidays) {
    const dayNumber = dayNumberOf(holiday.date);
    if (!isWeekend(dayNumber)) {
      rows.push({ date: holiday.date, kind: 'DAY_OFF', name: holiday.name });
      takenDates.add(holiday.date);
      continue;
    }
    // A holiday on a weekend is made up on the next working day after the whole holiday block
    // (Labour Code art. 111, 112): skip weekends, other holidays and make-up days already given.
    let makeUp = dayNumber + 1;
    while (isWeekend(makeUp) || holidayDates.has(dateOfDayNumber(makeUp)) || takenDates.has(dateOfDayNumber(makeUp))) makeUp += 1;
    rows.push({ date: dateOfDayNumber(makeUp), kind: 'DAY_OFF', name: `Nghỉ bù ${holiday.name}` });
    takenDates.add(dateOfDayNumber(makeUp));
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Builds a WorkingCalendar from stored CalendarDay rows (any years) and office hours. DAY_OFF rows
 * become days off, WORKING_DAY rows declared working days. Throws on a malformed date, on office
 * hours that are malformed or overlap, and on a date given as both kinds (ambiguous data).
 */
export function calendarFrom(
  days: Iterable<CalendarDay>,
  officeHours: readonly OfficeInterval[] = DEFAULT_OFFICE_HOURS,
  utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES,
): WorkingCalendar {
  const daysOff = new Set<string>();
  const workingWeekendDays = new Set<string>();
  for (const day of days) {
    if (!isRealDate(day.date)) throw new Error(`calendar day "${day.date}" is not a date 'YYYY-MM-DD'`);
    if (day.kind !== 'DAY_OFF' && day.kind !== 'WORKING_DAY') throw new Error(`calendar day ${day.date} has unknown kind "${day.kind}"`);
    const [own, other] = day.kind === 'DAY_OFF' ? [daysOff, workingWeekendDays] : [workingWeekendDays, daysOff];
    if (other.has(day.date)) throw new Error(`calendar day ${day.date} is both a day off and a working day`);
    own.add(day.date);
  }
  const calendar: WorkingCalendar = { utcOffsetMinutes, officeHours, daysOff, workingWeekendDays };
  workingMinutesPerDay(calendar); // validates the office hours now rather than at the first due date
  return calendar;
}
