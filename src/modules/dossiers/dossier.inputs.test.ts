import { AppError } from '../../errors';
import { PHONE_MESSAGE } from '../../kernel/formats';
import { applicantSchema, parseIntake, parseMoveRecords, parseRating } from './dossier.inputs';

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

const fieldErrors = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).extensions.fieldErrors as { field: string; message: string }[];
  }
  throw new Error('expected a refusal');
};

describe('what a move records: a payment with CONFIRM_PAYMENT, the return method with RETURN_RESULT', () => {
  test('a payment at the counter, its receipt number trimmed', () => {
    expect(parseMoveRecords({ action: 'CONFIRM_PAYMENT', payment: { method: 'AT_COUNTER', receiptNumber: '  BL-0001234/2026 ' } })).toEqual({
      filled: ['payment'],
      columns: { paymentMethod: 'AT_COUNTER', paymentReceipt: 'BL-0001234/2026' },
    });
  });

  test('a return method, and nothing for a move that records neither', () => {
    expect(parseMoveRecords({ action: 'RETURN_RESULT', returnMethod: 'POSTAL' })).toEqual({ filled: ['returnMethod'], columns: { resultReturn: 'POSTAL' } });
    expect(parseMoveRecords({ action: 'FINISH' })).toEqual({ filled: [], columns: {} });
    // left out where required: the lifecycle table asks for it (planMove), after the role is checked
    expect(parseMoveRecords({ action: 'CONFIRM_PAYMENT' })).toEqual({ filled: [], columns: {} });
  });

  test.each([
    ['blank', '   ', 'Cần ghi số biên lai'],
    ['51 characters', 'A'.repeat(51), 'Số biên lai tối đa 50 ký tự'],
    ['a control character', 'BL\u0000123', 'Số biên lai chỉ gồm các ký tự in được'],
    ['a line break inside', 'BL\n123', 'Số biên lai chỉ gồm các ký tự in được'],
  ])('a receipt number %s is refused', (_case, receiptNumber, message) => {
    expect(fieldErrors(() => parseMoveRecords({ action: 'CONFIRM_PAYMENT', payment: { method: 'ONLINE', receiptNumber } }))).toEqual([{ field: 'payment.receiptNumber', message }]);
  });

  test('50 printable characters, Vietnamese included, are a receipt number', () => {
    const receiptNumber = 'Biên lai số ' + '9'.repeat(38);
    expect(parseMoveRecords({ action: 'CONFIRM_PAYMENT', payment: { method: 'ONLINE', receiptNumber } }).columns.paymentReceipt).toBe(receiptNumber);
  });

  test('each is refused with any other move', () => {
    expect(fieldErrors(() => parseMoveRecords({ action: 'FINISH', payment: { method: 'ONLINE', receiptNumber: 'GD123' }, returnMethod: 'ELECTRONIC' })).map((error) => error.field)).toEqual([
      'payment',
      'returnMethod',
    ]);
    expect(fieldErrors(() => parseMoveRecords({ action: 'RETURN_RESULT', payment: { method: 'ONLINE', receiptNumber: 'GD123' }, returnMethod: 'ELECTRONIC' })).map((error) => error.field)).toEqual(['payment']);
    expect(fieldErrors(() => parseMoveRecords({ action: 'CONFIRM_PAYMENT', payment: { method: 'ONLINE', receiptNumber: 'GD123' }, returnMethod: 'AT_COUNTER' })).map((error) => error.field)).toEqual(['returnMethod']);
  });
});

describe("a citizen's rating", () => {
  test.each([1, 5])('%i with a comment, trimmed', (rating) => {
    expect(parseRating({ rating, comment: '  Cán bộ hướng dẫn tận tình. ' })).toEqual({ rating, comment: 'Cán bộ hướng dẫn tận tình.' });
  });

  test('a blank or missing comment is none; 1000 characters are allowed', () => {
    expect(parseRating({ rating: 4, comment: '   ' })).toEqual({ rating: 4, comment: null });
    expect(parseRating({ rating: 4 })).toEqual({ rating: 4, comment: null });
    expect(parseRating({ rating: 4, comment: 'ý'.repeat(1000) }).comment).toHaveLength(1000);
  });

  test.each([0, 6, -1, 3.5])('%d is refused', (rating) => {
    expect(fieldErrors(() => parseRating({ rating })).map((error) => error.field)).toEqual(['rating']);
  });

  test('a comment over 1000 characters is refused', () => {
    expect(fieldErrors(() => parseRating({ rating: 5, comment: 'ý'.repeat(1001) }))).toEqual([{ field: 'comment', message: 'Ý kiến góp ý tối đa 1000 ký tự' }]);
  });
});
