// Deadlines of incoming documents in working days, by the province's calendar (days off, swapped
// Saturdays): a leader gives "within N working days", and the deadline report says how many working
// days an entry is late. Pure over the calendar.
import { addDays } from '../../kernel/dates';
import { isWorkingDay, type WorkingCalendar } from '../calendar/working-calendar';

/** The date `days` working days after `today` (today itself not counted). */
export function deadlineAfterWorkingDays(cal: WorkingCalendar, today: string, days: number): string {
  let date = today;
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1);
    if (isWorkingDay(cal, date)) counted++;
  }
  return date;
}

/** Working days from the day after `deadline` through `today`: 0 when not late. */
export function workingDaysLate(cal: WorkingCalendar, deadline: string, today: string): number {
  let late = 0;
  for (let date = addDays(deadline, 1); date <= today; date = addDays(date, 1)) if (isWorkingDay(cal, date)) late++;
  return late;
}
