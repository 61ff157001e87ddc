import { checkCalendarDay, checkCalendarEdit } from './calendar.service';

describe('checkCalendarEdit: today and later for a province admin, a past day for a platform admin with a reason', () => {
  const today = '2026-12-01';
  test.each([
    { case: 'a future day, province admin', date: '2026-12-02', caller: 'official', reason: null, expected: [] },
    { case: 'today, province admin (a storm day declared that morning)', date: today, caller: 'official', reason: undefined, expected: [] },
    { case: 'a future day, platform admin, no reason', date: '2027-01-04', caller: 'platformAdmin', reason: null, expected: [] },
    { case: 'yesterday, province admin', date: '2026-11-30', caller: 'official', reason: 'Nhập bổ sung', expected: 'PAST_DAY_LOCKED' },
    { case: 'a past year, system', date: '2024-02-15', caller: 'system', reason: 'Sửa', expected: 'PAST_DAY_LOCKED' },
    { case: 'a past day, platform admin with a reason', date: '2024-02-15', caller: 'platformAdmin', reason: 'Thông báo nghỉ Tết 2024', expected: [] },
    { case: 'a past day, platform admin without a reason', date: '2024-02-15', caller: 'platformAdmin', reason: null, expected: ['reason'] },
    { case: 'a past day, platform admin with a blank reason', date: '2024-02-15', caller: 'platformAdmin', reason: '   ', expected: ['reason'] },
    { case: 'a reason too long', date: '2027-01-04', caller: 'official', reason: 'x'.repeat(501), expected: ['reason'] },
  ] as const)('$case', ({ date, caller, reason, expected }) => {
    const verdict = checkCalendarEdit(date, today, caller, reason);
    expect(typeof verdict === 'string' ? verdict : verdict.map((error) => error.field)).toEqual(expected);
  });
});

describe('checkCalendarDay', () => {
  test.each([
    { case: 'a weekday off', day: { date: '2027-03-04', kind: 'DAY_OFF', name: 'Nghỉ' }, expected: [] },
    { case: 'a Saturday worked', day: { date: '2027-03-06', kind: 'WORKING_DAY', name: 'Làm bù' }, expected: [] },
    { case: 'a working day on a weekday', day: { date: '2027-03-03', kind: 'WORKING_DAY', name: 'Làm bù' }, expected: ['date'] },
    { case: 'a day off on a Sunday', day: { date: '2027-03-07', kind: 'DAY_OFF', name: 'Nghỉ' }, expected: ['date'] },
    { case: 'a blank name', day: { date: '2027-03-04', kind: 'DAY_OFF', name: ' ' }, expected: ['name'] },
  ] as const)('$case', ({ day, expected }) => {
    expect(checkCalendarDay({ ...day, date: new Date(`${day.date}T00:00:00Z`) }).map((error) => error.field)).toEqual(expected);
  });
});
