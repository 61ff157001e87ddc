import { holidaysOf } from './holiday-rules';
import { PUBLISHED_HOLIDAYS, prefilledDaysOf } from './published-holidays';
import { solarDateOf } from './lunar';

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => [0, 6].includes(weekdayOf(date));
const kindOn = (year: number, date: string) => prefilledDaysOf(year).find((day) => day.date === date)?.kind ?? 'ORDINARY';

describe('the published years', () => {
  test('cover 2020 to 2026', () => {
    expect(Object.keys(PUBLISHED_HOLIDAYS).map(Number)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  test.each(Object.entries(PUBLISHED_HOLIDAYS).map(([year, published]) => ({ year: Number(year), published })))(
    '$year: days off on weekdays, working days on weekends, sorted, in the year, a source named',
    ({ year, published }) => {
      const dates = published.days.map((day) => day.date);
      expect(dates).toEqual([...new Set(dates)].sort());
      expect(dates.every((date) => date.startsWith(`${year}-`))).toBe(true);
      expect(published.days.filter((day) => day.kind === 'DAY_OFF').every((day) => !isWeekend(day.date))).toBe(true);
      expect(published.days.filter((day) => day.kind === 'WORKING_DAY').every((day) => isWeekend(day.date))).toBe(true);
      expect(published.days.every((day) => day.name.trim().length > 0)).toBe(true);
      expect(published.source).toMatch(/Thủ tướng/);
    },
  );

  // A swap gives a weekday off for a Saturday worked, so the weekdays off are the statutory days
  // (10 under the Labour Code 2012, 11 under the 2019 code) plus one per Saturday worked.
  test.each([
    [2020, 10], [2021, 11], [2022, 11], [2023, 11], [2024, 11], [2025, 11], [2026, 11],
  ])('%i: %i statutory weekdays off, plus one per swap', (year, statutory) => {
    const days = PUBLISHED_HOLIDAYS[year].days;
    const swaps = days.filter((day) => day.kind === 'WORKING_DAY').length;
    expect(days.filter((day) => day.kind === 'DAY_OFF')).toHaveLength(statutory + swaps);
  });

  test.each([2020, 2021, 2024, 2025])('%i: Giỗ Tổ on a weekday is the 10th of the 3rd lunar month', (year) => {
    expect(kindOn(year, solarDateOf(10, 3, year))).toBe('DAY_OFF');
  });
});

describe('prefilledDaysOf: the published days win over the rules', () => {
  test.each([
    // The issue: Tết straddling a weekend.
    { year: 2024, date: '2024-02-08', expected: 'DAY_OFF', why: 'Tết 2024 starts on Thursday 29 tháng Chạp' },
    { year: 2024, date: '2024-02-14', expected: 'DAY_OFF', why: 'the last make-up day of Tết 2024' },
    { year: 2024, date: '2024-02-15', expected: 'ORDINARY', why: 'a working day: the rules gave it off' },
    { year: 2025, date: '2025-01-27', expected: 'DAY_OFF', why: 'Tết 2025 starts on Monday 28 tháng Chạp' },
    { year: 2025, date: '2025-02-03', expected: 'ORDINARY', why: 'a working day: the rules gave it off' },
    { year: 2020, date: '2020-01-23', expected: 'DAY_OFF', why: 'Tết 2020 starts on 29 tháng Chạp' },
    { year: 2020, date: '2020-01-30', expected: 'ORDINARY', why: 'the rules would have made Tết up until Thursday' },
    { year: 2023, date: '2023-01-20', expected: 'DAY_OFF', why: 'Tết 2023 starts on Friday 29 tháng Chạp' },
    { year: 2023, date: '2023-01-27', expected: 'ORDINARY', why: 'the rules would have made Tết up until Friday' },
    // Swaps.
    { year: 2024, date: '2024-04-29', expected: 'DAY_OFF', why: 'swapped Monday before 30/4' },
    { year: 2024, date: '2024-05-04', expected: 'WORKING_DAY', why: 'the Saturday worked for it' },
    { year: 2025, date: '2025-05-02', expected: 'DAY_OFF', why: 'swapped Friday after 1/5' },
    { year: 2025, date: '2025-04-26', expected: 'WORKING_DAY', why: 'the Saturday worked for it' },
    { year: 2026, date: '2026-01-02', expected: 'DAY_OFF', why: 'swapped Friday after 1/1' },
    { year: 2026, date: '2026-01-10', expected: 'WORKING_DAY', why: 'the Saturday worked for it' },
    { year: 2026, date: '2026-08-31', expected: 'DAY_OFF', why: 'swapped Monday before Quốc khánh' },
    { year: 2026, date: '2026-08-22', expected: 'WORKING_DAY', why: 'the Saturday worked for it' },
    // The day next to 2 September, as chosen.
    { year: 2026, date: '2026-09-01', expected: 'DAY_OFF', why: 'Tuesday next to 2/9/2026' },
    { year: 2026, date: '2026-09-03', expected: 'ORDINARY', why: 'the rules picked Thursday' },
    { year: 2020, date: '2020-09-03', expected: 'ORDINARY', why: 'one day only under the Labour Code 2012' },
    // Unchanged where the rules were right.
    { year: 2026, date: '2026-02-16', expected: 'DAY_OFF', why: 'Tết 2026' },
    { year: 2026, date: '2026-04-27', expected: 'DAY_OFF', why: 'Nghỉ bù Giỗ Tổ' },
    { year: 2022, date: '2022-01-03', expected: 'DAY_OFF', why: 'Nghỉ bù Tết Dương lịch' },
  ])('$date: $expected ($why)', ({ year, date, expected }) => {
    expect(kindOn(year, date)).toBe(expected);
  });

  test.each([2019, 2027, 2030])('%i is not published: the rules', (year) => {
    expect(prefilledDaysOf(year)).toEqual(holidaysOf(year));
  });

  test('returns copies: a caller cannot change the data', () => {
    prefilledDaysOf(2024)[0].name = 'changed';
    expect(PUBLISHED_HOLIDAYS[2024].days[0].name).toBe('Tết Dương lịch');
  });
});
