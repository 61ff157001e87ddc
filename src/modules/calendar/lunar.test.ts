import { lunarNewYear, solarDateOf } from './lunar';

describe('lunarNewYear (Tết, mùng 1 tháng Giêng)', () => {
  test.each([
    { year: 2020, expected: '2020-01-25' },
    { year: 2023, expected: '2023-01-22' },
    { year: 2024, expected: '2024-02-10' },
    { year: 2025, expected: '2025-01-29' },
    { year: 2026, expected: '2026-02-17' },
    { year: 2027, expected: '2027-02-06' },
    { year: 2028, expected: '2028-01-26' },
    { year: 2029, expected: '2029-02-13' },
    // The new moon is at 23:07 on 2 February in Vietnam (UTC+7) but after midnight in China (UTC+8),
    // so Vietnam's Tết is a day before China's 3 February.
    { year: 2030, expected: '2030-02-02' },
    { year: 2033, expected: '2033-01-31' },
    // Years in which UTC+7 and UTC+8 famously disagree.
    { year: 1968, expected: '1968-01-29' },
    { year: 1985, expected: '1985-01-21' },
    { year: 2007, expected: '2007-02-17' },
  ])('$year → $expected', ({ year, expected }) => {
    expect(lunarNewYear(year)).toBe(expected);
  });
});

describe('solarDateOf', () => {
  test.each([
    // Giỗ Tổ Hùng Vương, 10/3
    { day: 10, month: 3, year: 2024, leap: false, expected: '2024-04-18' },
    { day: 10, month: 3, year: 2025, leap: false, expected: '2025-04-07' },
    { day: 10, month: 3, year: 2026, leap: false, expected: '2026-04-26' },
    // Mid-autumn, 15/8
    { day: 15, month: 8, year: 2024, leap: false, expected: '2024-09-17' },
    { day: 15, month: 8, year: 2025, leap: false, expected: '2025-10-06' },
    // Leap months: 2/2023 (Quý Mão), 6/2025 (Ất Tỵ), 4/2020 (Canh Tý), and the months after them
    { day: 1, month: 2, year: 2023, leap: true, expected: '2023-03-22' },
    { day: 1, month: 3, year: 2023, leap: false, expected: '2023-04-20' },
    { day: 1, month: 6, year: 2025, leap: true, expected: '2025-07-25' },
    { day: 1, month: 7, year: 2025, leap: false, expected: '2025-08-23' },
    { day: 1, month: 4, year: 2020, leap: true, expected: '2020-05-23' },
    // Months 11 and 12 of a lunar year end in the next solar year; Tết 2026's eve is 29 tháng Chạp.
    { day: 1, month: 11, year: 2025, leap: false, expected: '2025-12-20' },
    { day: 1, month: 12, year: 2025, leap: false, expected: '2026-01-19' },
    { day: 29, month: 12, year: 2025, leap: false, expected: '2026-02-16' },
  ])('$day/$month/$year (leap: $leap) → $expected', ({ day, month, year, leap, expected }) => {
    expect(solarDateOf(day, month, year, leap)).toBe(expected);
  });

  test.each([
    { day: 30, month: 12, year: 2025, leap: false, error: /only 29 days/ },
    { day: 30, month: 12, year: 2024, leap: false, error: /only 29 days/ },
    { day: 1, month: 3, year: 2023, leap: true, error: /no leap month 3/ },
    { day: 1, month: 1, year: 2024, leap: true, error: /no leap month/ },
    { day: 0, month: 1, year: 2026, leap: false, error: /lunar day/ },
    { day: 31, month: 1, year: 2026, leap: false, error: /lunar day/ },
    { day: 1, month: 13, year: 2026, leap: false, error: /lunar month/ },
    { day: 1, month: 1, year: 1899, leap: false, error: /outside/ },
    { day: 1, month: 1, year: 2200, leap: false, error: /outside/ },
    { day: 1, month: 1, year: 2026.5, leap: false, error: /outside/ },
  ])('refuses $day/$month/$year (leap: $leap)', ({ day, month, year, leap, error }) => {
    expect(() => solarDateOf(day, month, year, leap)).toThrow(error);
  });
});
