// Validation of what a drafter and a document clerk fill in. Pure: zod rules, Vietnamese messages a
// frontend shows beside the field.
import { z } from 'zod';
import { invalidInput, type FieldError } from '../../errors';
import { fieldErrorsOf } from '../../kernel/field-errors';
import { DOCUMENT_TYPES, isAbbreviation, parseSymbol, type DocumentType } from './document-symbol';

const text = (min: number, max: number, what: string) =>
  z.string().trim().min(min, `${what} phải có ít nhất ${min} ký tự`).max(max, `${what} tối đa ${max} ký tự`);

const draftSchema = z
  .object({
    type: z.enum(Object.keys(DOCUMENT_TYPES) as [DocumentType, ...DocumentType[]]),
    normative: z.boolean().default(false),
    draftingUnit: z.string().trim().nullish().transform((value) => value || null),
    summary: text(5, 1000, 'Trích yếu'),
    recipientsText: text(2, 2000, 'Nơi nhận'),
  })
  .superRefine((draft, ctx) => {
    if (draft.type === 'CONG_VAN') {
      if (!draft.draftingUnit || !isAbbreviation(draft.draftingUnit)) {
        ctx.addIssue({ code: 'custom', path: ['draftingUnit'], message: 'Công văn cần ký hiệu đơn vị soạn thảo (chữ in hoa, ví dụ VX)' });
      }
      if (!/^V\/v\s/u.test(draft.summary)) ctx.addIssue({ code: 'custom', path: ['summary'], message: 'Trích yếu của công văn bắt đầu bằng "V/v "' });
    } else if (draft.draftingUnit) {
      ctx.addIssue({ code: 'custom', path: ['draftingUnit'], message: 'Chỉ công văn ghi đơn vị soạn thảo trong ký hiệu' });
    }
  });

export type DraftFields = z.infer<typeof draftSchema>;

export function parseDraft(input: unknown): DraftFields {
  const parsed = draftSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** What a clerk registers of a received document: the symbol must parse, and say the type given. */
export function parseIncoming(input: { symbol: string; type?: DocumentType | null; issuerName: string; summary: string; issuedOn: Date }, today: Date) {
  const errors: FieldError[] = [];
  const parts = parseSymbol(input.symbol);
  if (!parts) errors.push({ field: 'symbol', message: 'Số, ký hiệu không đúng mẫu (ví dụ 78/KH-UBND, 12/UBND-VX)' });
  const type = input.type ?? parts?.type ?? 'CONG_VAN';
  if (parts && input.type && parts.type !== input.type && parts.type !== 'CONG_VAN') {
    errors.push({ field: 'type', message: `Ký hiệu ${input.symbol} là của ${DOCUMENT_TYPES[parts.type].name}` });
  }
  const issuer = text(2, 300, 'Cơ quan ban hành').safeParse(input.issuerName);
  if (!issuer.success) errors.push(...fieldErrorsOf(issuer.error).map((error) => ({ ...error, field: 'issuerName' })));
  const summary = text(5, 1000, 'Trích yếu').safeParse(input.summary);
  if (!summary.success) errors.push(...fieldErrorsOf(summary.error).map((error) => ({ ...error, field: 'summary' })));
  if (input.issuedOn > today) errors.push({ field: 'issuedOn', message: 'Ngày ban hành không thể sau hôm nay' });
  if (errors.length) throw invalidInput(errors);
  return { symbol: input.symbol.normalize('NFC').replace(/\s+/g, ''), type, issuerName: issuer.data!, summary: summary.data!, issuedOn: input.issuedOn };
}
