// Validation of official input: the field rules are shared with the CSV import (official-csv.ts);
// this file turns GraphQL input into their text form and zod issues into field errors.
import { invalidInput } from '../../errors';
import { isoDateOf } from '../../kernel/dates';
import { fieldErrorsOf } from '../../kernel/field-errors';
import { officialFieldsSchema, type OfficialRowInput } from './official-csv';

export type OfficialFields = Omit<OfficialRowInput, 'agencyCode'>;
const createSchema = (now: Date) => officialFieldsSchema(now).omit({ agencyCode: true });

export interface OfficialFieldsInput {
  fullName?: string | null;
  birthDate?: Date | null;
  gender?: string | null;
  idNumber?: string | null;
  position?: string | null;
  rankCode?: string | null;
  rankName?: string | null;
  payStep?: number | null;
  payCoefficient?: number | null;
  email?: string | null;
  phone?: string | null;
}

// GraphQL gives typed values; the shared rules read text the way a person typed it.
function asText(input: OfficialFieldsInput) {
  const { birthDate, ...rest } = input;
  return birthDate === undefined ? rest : { ...rest, birthDate: birthDate === null ? null : isoDateOf(birthDate) };
}

/** `now`: when the fields are entered (a birth date may not be after that day). */
export function parseNewOfficial(input: OfficialFieldsInput, now: Date): OfficialFields {
  const parsed = createSchema(now).safeParse(asText(input));
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
  return parsed.data;
}

export function parseOfficialChanges(input: OfficialFieldsInput, now: Date): Partial<OfficialFields> {
  // `undefined` means "leave as it is"; drop those keys so they are not taken as blanks.
  const present = Object.fromEntries(Object.entries(asText(input)).filter(([, value]) => value !== undefined));
  const parsed = createSchema(now).partial().safeParse(present);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
  for (const required of ['fullName', 'position', 'email'] as const) {
    if (required in present && parsed.data[required] == null) {
      throw invalidInput([{ field: required, message: `Trường ${required} không được để trống` }]);
    }
  }
  return parsed.data;
}

export function requireDateNotBefore(field: string, date: Date, earliest: Date | null, message: string) {
  if (earliest && date < earliest) throw invalidInput([{ field, message }]);
}
