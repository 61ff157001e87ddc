import { AppError } from '../../errors';
import { PHONE_MESSAGE } from '../../kernel/formats';
import { applicantSchema, parseIntake } from './dossier.inputs';

const citizen = { name: 'Trương Thị Mỹ Tiên', type: 'CITIZEN' as const, idNumber: '092195001234' };

describe("the applicant's phone: the kernel's one rule, kept in the national form", () => {
  test.each([
    ['0939123456', '0939123456'],
    ['0939 123 456', '0939123456'],
    ['+84 939 123 456', '0939123456'],
    ['0292 3820 123', '02923820123'], // a landline of Cần Thơ
    [null, null],
    ['  ', null],
  ])('%j → %j', (phone, expected) => {
    const parsed = applicantSchema.parse({ ...citizen, phone, email: 'tien.ttm@gmail.com' });
    expect(parsed.phone).toBe(expected);
  });

  test.each([
    ['00123456789', 'accepted before: 0 and ten digits'],
    ['+849391234567', 'accepted before: +84 and ten digits'],
    ['0939 1234 567', 'accepted before: an 11-digit mobile'],
    ['0412345678', 'no such network code'],
    ['0939-123-45', 'nine digits'],
  ])('%j is refused (%s)', (phone) => {
    const parsed = applicantSchema.safeParse({ ...citizen, phone });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toContainEqual(expect.objectContaining({ path: ['phone'], message: PHONE_MESSAGE }));
  });
});

describe("the applicant's ID number", () => {
  test.each([
    ['CITIZEN', '092195001234', true],
    ['CITIZEN', '09219500123', false],
    ['CITIZEN', null, false],
    ['BUSINESS', '1801234567', true],
    ['BUSINESS', '1801234567-001', true],
    ['BUSINESS', '092195001234', false],
  ] as const)('%s %j → %s', (type, idNumber, accepted) => {
    expect(applicantSchema.safeParse({ ...citizen, type, idNumber, phone: '0939123456' }).success).toBe(accepted);
  });
});

test('parseIntake names the field that is wrong', () => {
  const intake = () => parseIntake({ applicant: { ...citizen, phone: '12345' }, summary: 'Cấp phiếu lý lịch tư pháp', documentsProvided: [] });
  expect(intake).toThrow(AppError);
  try {
    intake();
  } catch (error) {
    expect((error as AppError).extensions.fieldErrors).toEqual([{ field: 'applicant.phone', message: PHONE_MESSAGE }]);
  }
});
