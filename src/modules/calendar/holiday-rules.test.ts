import { calendarFrom, holidaysOf, type CalendarDay } from './holiday-rules';
import { DEFAULT_OFFICE_HOURS } from '../../kernel/vietnam-time';
import { isWorkingDay, workingMinutesPerDay } from './working-calendar';

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('holidaysOf', () => {
  test('2026, row by row', () => {
    expect(holidaysOf(2026)).toEqual([
      { date: '2026-01-01', kind: 'DAY_OFF', name: 'Tết Dương lịch' }, // Thursday
      { date: '2026-02-16', kind: 'DAY_OFF', name: 'Tết Nguyên đán' }, // 29 tháng Chạp, the last day of Ất Tỵ
      { date: '2026-02-17', kind: 'DAY_OFF', name: 'Tết Nguyên đán' }, // mùng 1
      { date: '2026-02-18', kind: 'DAY_OFF', name: 'Tết Nguyên đán' },
      { date: '2026-02-19', kind: 'DAY_OFF', name: 'Tết Nguyên đán' },
      { date: '2026-02-20', kind: 'DAY_OFF', name: 'Tết Nguyên đán' }, // mùng 4
      // Giỗ Tổ on Sunday 26 April is made up on Monday.
      { date: '2026-04-27', kind: 'DAY_OFF', name: 'Nghỉ bù Giỗ Tổ Hùng Vương' },
      { date: '2026-04-30', kind: 'DAY_OFF', name: 'Ngày Giải phóng miền Nam' }, // Thursday
      { date: '2026-05-01', kind: 'DAY_OFF', name: 'Ngày Quốc tế Lao động' }, // Friday
      { date: '2026-09-02', kind: 'DAY_OFF', name: 'Quốc khánh' }, // Wednesday
      { date: '2026-09-03', kind: 'DAY_OFF', name: 'Quốc khánh' }, // Wednesday → Thursday
    ]);
  });

  test.each([
    { year: 2024, weekday: 'Monday', expected: [['2024-09-02', 'Quốc khánh'], ['2024-09-03', 'Quốc khánh']] },
    { year: 2025, weekday: 'Tuesday', expected: [['2025-09-01', 'Quốc khánh'], ['2025-09-02', 'Quốc khánh']] },
    { year: 2026, weekday: 'Wednesday', expected: [['2026-09-02', 'Quốc khánh'], ['2026-09-03', 'Quốc khánh']] },
    { year: 2027, weekday: 'Thursday', expected: [['2027-09-02', 'Quốc khánh'], ['2027-09-03', 'Quốc khánh']] },
    { year: 2022, weekday: 'Friday', expected: [['2022-09-01', 'Quốc khánh'], ['2022-09-02', 'Quốc khánh']] },
    { year: 2023, weekday: 'Saturday', expected: [['2023-09-01', 'Quốc khánh'], ['2023-09-04', 'Nghỉ bù Quốc khánh']] },
    { year: 2029, weekday: 'Sunday', expected: [['2029-09-03', 'Quốc khánh'], ['2029-09-04', 'Nghỉ bù Quốc khánh']] },
  ])('2 September $year ($weekday) and its adjacent day', ({ year, expected }) => {
    const september = holidaysOf(year).filter((row) => row.date.slice(5, 7) === '09');
    expect(september.map((row) => [row.date, row.name])).toEqual(expected);
  });

  test.each([
    {
      case: '2022: 1 January on Saturday',
      year: 2022, month: '01',
      expected: [['2022-01-03', 'Nghỉ bù Tết Dương lịch'], ['2022-01-31', 'Tết Nguyên đán']],
    },
    {
      case: '2023: Giỗ Tổ on Saturday 29/4 and 30/4 on Sunday, made up after 1/5',
      year: 2023, month: '05',
      expected: [['2023-05-01', 'Ngày Quốc tế Lao động'], ['2023-05-02', 'Nghỉ bù Giỗ Tổ Hùng Vương'], ['2023-05-03', 'Nghỉ bù Ngày Giải phóng miền Nam']],
    },
    {
      case: '2022: 30/4 on Saturday and 1/5 on Sunday',
      year: 2022, month: '05',
      expected: [['2022-05-02', 'Nghỉ bù Ngày Giải phóng miền Nam'], ['2022-05-03', 'Nghỉ bù Ngày Quốc tế Lao động']],
    },
    {
      case: '2024: Tết 9–13/2 with a weekend inside, made up after the block',
      year: 2024, month: '02',
      expected: [
        ['2024-02-09', 'Tết Nguyên đán'], ['2024-02-12', 'Tết Nguyên đán'], ['2024-02-13', 'Tết Nguyên đán'],
        ['2024-02-14', 'Nghỉ bù Tết Nguyên đán'], ['2024-02-15', 'Nghỉ bù Tết Nguyên đán'],
      ],
    },
    {
      case: '2025: Tết 28/1–1/2 ending on Saturday',
      year: 2025, month: '0[12]',
      expected: [
        ['2025-01-01', 'Tết Dương lịch'],
        ['2025-01-28', 'Tết Nguyên đán'], ['2025-01-29', 'Tết Nguyên đán'], ['2025-01-30', 'Tết Nguyên đán'], ['2025-01-31', 'Tết Nguyên đán'],
        ['2025-02-03', 'Nghỉ bù Tết Nguyên đán'],
      ],
    },
  ])('$case', ({ year, month, expected }) => {
    const rows = holidaysOf(year).filter((row) => new RegExp(`^\\d{4}-${month}-`).test(row.date));
    expect(rows.map((row) => [row.date, row.name])).toEqual(expected);
  });

  test.each(Array.from({ length: 31 }, (_, index) => 2020 + index))('%i: eleven weekdays off, sorted, none repeated', (year) => {
    const rows = holidaysOf(year);
    // 1/1 + 5 Tết + Giỗ Tổ + 30/4 + 1/5 + 2 for Quốc khánh: each gives exactly one weekday off.
    expect(rows).toHaveLength(11);
    expect(rows.every((row) => row.kind === 'DAY_OFF' && row.date.startsWith(`${year}-`))).toBe(true);
    expect(rows.every((row) => weekdayOf(row.date) !== 0 && weekdayOf(row.date) !== 6)).toBe(true);
    expect(rows.map((row) => row.date)).toEqual([...new Set(rows.map((row) => row.date))].sort());
  });

  test('refuses a fractional year', () => {
    expect(() => holidaysOf(2026.5)).toThrow(RangeError);
  });
});

describe('calendarFrom', () => {
  test('DAY_OFF rows become days off, WORKING_DAY rows declared working days, with the Vietnamese defaults', () => {
    const calendar = calendarFrom([
      ...holidaysOf(2026),
      { date: '2026-01-02', kind: 'DAY_OFF', name: 'Nghỉ hoán đổi' },
      { date: '2026-01-10', kind: 'WORKING_DAY', name: 'Làm bù' },
    ]);
    expect(calendar.utcOffsetMinutes).toBe(420);
    expect(calendar.officeHours).toBe(DEFAULT_OFFICE_HOURS);
    expect([...calendar.workingWeekendDays]).toEqual(['2026-01-10']);
    expect(calendar.daysOff.size).toBe(12);
    expect(isWorkingDay(calendar, '2026-01-02')).toBe(false);
    expect(isWorkingDay(calendar, '2026-01-10')).toBe(true);
    expect(isWorkingDay(calendar, '2026-04-27')).toBe(false);
  });

  test('takes any iterable, custom office hours and offset', () => {
    function* rows(): Generator<CalendarDay> {
      yield { date: '2026-05-09', kind: 'WORKING_DAY', name: 'Làm bù' };
    }
    const officeHours = [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }];
    const calendar = calendarFrom(rows(), officeHours, 480);
    expect(calendar.utcOffsetMinutes).toBe(480);
    expect(workingMinutesPerDay(calendar)).toBe(480);
    expect(isWorkingDay(calendar, '2026-05-09')).toBe(true);
  });

  test('the same row twice is harmless', () => {
    const row: CalendarDay = { date: '2026-05-04', kind: 'DAY_OFF', name: 'Nghỉ' };
    expect([...calendarFrom([row, row]).daysOff]).toEqual(['2026-05-04']);
  });

  test.each([
    {
      case: 'a date both off and working',
      days: [{ date: '2026-05-09', kind: 'DAY_OFF', name: 'Nghỉ' }, { date: '2026-05-09', kind: 'WORKING_DAY', name: 'Làm bù' }],
      error: /both a day off and a working day/,
    },
    { case: 'a malformed date', days: [{ date: '2026-5-9', kind: 'DAY_OFF', name: 'Nghỉ' }], error: /not a date/ },
    { case: 'an impossible date', days: [{ date: '2026-02-30', kind: 'DAY_OFF', name: 'Nghỉ' }], error: /not a date/ },
    { case: 'an unknown kind', days: [{ date: '2026-05-09', kind: 'HALF_DAY', name: 'Nửa ngày' }], error: /unknown kind/ },
  ])('refuses $case', ({ days, error }) => {
    expect(() => calendarFrom(days as CalendarDay[])).toThrow(error);
  });

  test('validates the office hours at once', () => {
    expect(() => calendarFrom([], [{ start: '13:30', end: '17:00' }, { start: '07:00', end: '11:30' }])).toThrow(/overlaps or precedes/);
    expect(() => calendarFrom([], [])).toThrow(/empty/);
  });
});
