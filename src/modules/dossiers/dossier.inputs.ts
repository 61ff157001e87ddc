// Validation of what an applicant or a clerk fills in at intake. Pure: zod rules, Vietnamese
// messages a frontend can show beside the field.
import { z } from 'zod';
import { invalidInput, type FieldError } from '../../errors';
import type { PaymentMethod, ResultReturnMethod } from '../../generated/prisma/enums';
import { fieldErrorsOf } from '../../kernel/field-errors';
import { isCccd, phoneNumber } from '../../kernel/formats';
import { requiredFields, type DossierAction, type MoveField } from './lifecycle';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `tối đa ${max} ký tự`)
    .nullish()
    .transform((value) => (value ? value : null));

export const applicantSchema = z
  .object({
    name: z.string().trim().min(2, 'Họ tên người nộp phải có ít nhất 2 ký tự').max(200, 'Họ tên tối đa 200 ký tự'),
    type: z.enum(['CITIZEN', 'BUSINESS', 'STATE_BODY', 'OTHER']),
    idNumber: optionalText(20),
    // stored in the national form, whatever way the applicant wrote it
    phone: optionalText(20).pipe(phoneNumber().nullable()),
    email: optionalText(200).refine((value) => value === null || z.email().safeParse(value).success, 'Thư điện tử không hợp lệ'),
    address: optionalText(500),
  })
  .superRefine((applicant, ctx) => {
    // A citizen is identified by the 12-digit CCCD; a business by its 10- or 13-digit enterprise code.
    if (applicant.type === 'CITIZEN' && !isCccd(applicant.idNumber ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'Số CCCD của công dân phải có đúng 12 chữ số' });
    }
    if (applicant.type === 'BUSINESS' && !/^\d{10}(\d{3})?$/.test((applicant.idNumber ?? '').replace('-', ''))) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'Mã số doanh nghiệp phải có 10 hoặc 13 chữ số' });
    }
    if (!applicant.phone && !applicant.email) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Cần số điện thoại hoặc thư điện tử để liên hệ' });
    }
  });

const intakeSchema = z.object({
  applicant: applicantSchema,
  representativeName: optionalText(200),
  summary: z.string().trim().min(5, 'Trích yếu phải có ít nhất 5 ký tự').max(1000, 'Trích yếu tối đa 1000 ký tự'),
  documentsProvided: z.array(z.string().trim().regex(/^[A-Z0-9_]{1,40}$/, 'Mã giấy tờ không hợp lệ')).max(50),
});

export type IntakeFields = z.infer<typeof intakeSchema>;

export function parseIntake(input: unknown): IntakeFields {
  const parsed = intakeSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
  return { ...parsed.data, documentsProvided: [...new Set(parsed.data.documentsProvided)] };
}

const noteSchema = optionalText(2000);

/** A move's note and step deadline; which moves must have a note is the lifecycle table's business. */
export function parseMoveDetails(input: { note?: string | null; stepDueAt?: Date | null }, now: Date) {
  const note = noteSchema.safeParse(input.note);
  const errors = note.success ? [] : fieldErrorsOf(note.error).map((error) => ({ ...error, field: 'note' }));
  if (input.stepDueAt && input.stepDueAt <= now) errors.push({ field: 'stepDueAt', message: 'Hạn xử lý bước phải ở tương lai' });
  if (errors.length) throw invalidInput(errors);
  return { note: note.success ? note.data : null, stepDueAt: input.stepDueAt ?? null };
}

export interface PaymentInput {
  method: PaymentMethod;
  /** The receipt (biên lai) number; for a payment made online, the payment platform's transaction number. */
  receiptNumber: string;
}

// Printable: no control, format or unassigned characters (\p{C}), which no receipt prints.
const receiptNumberSchema = z
  .string()
  .trim()
  .min(1, 'Cần ghi số biên lai')
  .max(50, 'Số biên lai tối đa 50 ký tự')
  .regex(/^\P{C}*$/u, 'Số biên lai chỉ gồm các ký tự in được');

const MISPLACED: Record<Exclude<MoveField, 'note'>, string> = {
  payment: 'Chỉ ghi thanh toán khi xác nhận hoàn thành nghĩa vụ tài chính (CONFIRM_PAYMENT)',
  returnMethod: 'Chỉ ghi hình thức trả kết quả khi trả kết quả (RETURN_RESULT)',
};

/**
 * What a move records besides its note: the payment it confirms, how the result went back. Each goes
 * only with the move the lifecycle table says requires it; whether one that is required was left out
 * is the table's business too (planMove), so that a move the caller may not make asks for nothing.
 */
export function parseMoveRecords(input: { action: DossierAction; payment?: PaymentInput | null; returnMethod?: ResultReturnMethod | null }) {
  const required = requiredFields(input.action);
  const errors: FieldError[] = [];
  if (input.payment && !required.includes('payment')) errors.push({ field: 'payment', message: MISPLACED.payment });
  if (input.returnMethod && !required.includes('returnMethod')) errors.push({ field: 'returnMethod', message: MISPLACED.returnMethod });
  const receipt = input.payment ? receiptNumberSchema.safeParse(input.payment.receiptNumber) : null;
  if (receipt && !receipt.success) errors.push(...fieldErrorsOf(receipt.error).map((error) => ({ ...error, field: 'payment.receiptNumber' })));
  if (errors.length) throw invalidInput(errors);
  const filled: MoveField[] = [];
  const columns: { paymentMethod?: PaymentMethod; paymentReceipt?: string; resultReturn?: ResultReturnMethod } = {};
  if (input.payment && receipt?.success) {
    filled.push('payment');
    columns.paymentMethod = input.payment.method;
    columns.paymentReceipt = receipt.data;
  }
  if (input.returnMethod) {
    filled.push('returnMethod');
    columns.resultReturn = input.returnMethod;
  }
  return { filled, columns };
}

const ratingSchema = z.object({
  rating: z.number().int('Điểm đánh giá là số nguyên từ 1 đến 5').min(1, 'Điểm đánh giá từ 1 đến 5').max(5, 'Điểm đánh giá từ 1 đến 5'),
  comment: z
    .string()
    .trim()
    .max(1000, 'Ý kiến góp ý tối đa 1000 ký tự')
    .nullish()
    .transform((value) => (value ? value : null)),
});

/** A citizen's rating of the service: 1–5, and an optional comment. */
export function parseRating(input: { rating: number; comment?: string | null }): { rating: number; comment: string | null } {
  const parsed = ratingSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
  return parsed.data;
}
