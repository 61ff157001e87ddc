// The identifier formats every module checks the same way: phone numbers, citizen ID numbers
// (CCCD) and agencies' electronic identifier codes. Messages are Vietnamese: citizens and officials
// read them beside the field.
import { z } from 'zod';

// ---------------------------------------------------------------- phone numbers

// Since the 2018 renumbering a mobile number has 10 digits (0 and a network code 3, 5, 7, 8 or 9)
// and a landline 11 (02, a 2-3 digit area code, the subscriber): 0939 123 456, 0292 3820 123. The
// old 01x mobile numbers and 10-digit landlines no longer exist, so they are refused.
const NATIONAL_NUMBER = /^(?:[35789]\d{8}|2\d{9})$/;
const SEPARATORS = /[\s.\-()]/g;

export const PHONE_MESSAGE = 'Số điện thoại không hợp lệ (di động 10 chữ số, cố định 11 chữ số bắt đầu bằng 02, hoặc dạng +84)';

/**
 * A Vietnamese phone number as a person types it (spaces, dots, dashes, brackets; 0…, +84… or
 * +84 (0)…) → the national form 0xxxxxxxxx / 02xxxxxxxxx; null when it is not one.
 */
export function normalisePhone(text: string): string | null {
  const compact = text.replace(SEPARATORS, '');
  const national = compact.startsWith('+84') ? compact.slice(3).replace(/^0/, '') : compact.startsWith('0') ? compact.slice(1) : null;
  return national !== null && NATIONAL_NUMBER.test(national) ? `0${national}` : null;
}

/** zod: text → the national form of the phone number, or an issue with `message`. */
export const phoneNumber = (message = PHONE_MESSAGE) =>
  z.string({ error: message }).transform((text, ctx) => {
    const phone = normalisePhone(text);
    if (phone === null) {
      ctx.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    }
    return phone;
  });

// ---------------------------------------------------------------- citizen ID (CCCD)

/** Căn cước công dân: 12 digits (province of birth registration, gender and century, year, serial). */
export const CCCD = /^\d{12}$/;
export const CCCD_MESSAGE = 'Số CCCD phải gồm 12 chữ số';

export const isCccd = (text: string) => CCCD.test(text);

/** zod: a CCCD, or an issue with `message`. */
export const cccd = (message = CCCD_MESSAGE) => z.string({ error: message }).regex(CCCD, message);

// ---------------------------------------------------------------- agency identifier codes

/** Mã định danh điện tử of an agency (e.g. 000.00.01.H13, Sở Tư pháp of Cần Thơ 000.00.03.H13); not a GSO code. */
export const AGENCY_CODE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
export const AGENCY_CODE_MESSAGE = 'Mã định danh cơ quan không hợp lệ (ví dụ 000.00.01.H13)';

export const isAgencyCode = (text: string) => AGENCY_CODE.test(text);
