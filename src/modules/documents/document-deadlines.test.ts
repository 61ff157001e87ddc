import { calendarFrom } from '../calendar/holiday-rules';
import { deadlineAfterWorkingDays, workingDaysLate } from './document-deadlines';

// 2027: Tết from Friday 5 February to Wednesday 10 February (days off), Saturday 13 February worked in exchange.
const cal = calendarFrom(
  [
    ...['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'].map((date) => ({ date, kind: 'DAY_OFF' as const, name: 'Tết Nguyên đán' })),
    { date: '2027-02-13', kind: 'WORKING_DAY' as const, name: 'Làm bù' },
  ],
);

test.each([
  ['2027-02-01', 3, '2027-02-04'], // Monday + 3: Thursday
  ['2027-02-04', 1, '2027-02-11'], // Thursday + 1: over Tết and the weekend
  ['2027-02-11', 2, '2027-02-13'], // Thursday + 2: Friday, then the Saturday worked
  ['2027-02-12', 2, '2027-02-15'],
])('%s plus %i working days is %s', (today, days, deadline) => {
  expect(deadlineAfterWorkingDays(cal, today, days)).toBe(deadline);
});

test.each([
  ['2027-02-04', '2027-02-04', 0],
  ['2027-02-04', '2027-02-10', 0], // Tết: not late in working days
  ['2027-02-04', '2027-02-11', 1],
  ['2027-02-04', '2027-02-15', 4], // 11, 12, Saturday 13 worked, 15
])('due %s, on %s: %i working days late', (deadline, today, late) => {
  expect(workingDaysLate(cal, deadline, today)).toBe(late);
});
