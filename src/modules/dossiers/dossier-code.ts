// Dossier codes (`{agency identifier}-{yyMMdd}-{NNNN}`) and the tracking secret a citizen gets with
// the code to look the dossier up without an account. Pure apart from the random source.
import crypto from 'node:crypto';
import { isRealDate } from '../../kernel/dates';

// An agency electronic identifier (000.00.01.H13, G22.35): letters, digits, dots and inner dashes.
// Stored upper-case, so a lookup should upper-case what a person typed before parsing.
const AGENCY_CODE = /^[A-Z0-9](?:[A-Z0-9.-]*[A-Z0-9])?$/;
// Would make the code ambiguous to read back.
const DATE_LIKE_PART = /-\d{6}-/;
const DOSSIER_CODE = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isAgencyCode(agencyCode: string): boolean {
  return AGENCY_CODE.test(agencyCode) && !DATE_LIKE_PART.test(`${agencyCode}-`);
}

/**
 * `{agency identifier}-{yyMMdd}-{NNNN}`, e.g. 000.00.01.H13-260429-0007: the local date of intake and
 * the agency's sequence for that day, zero-padded to 4 digits and longer past 9999.
 */
export function formatDossierCode(agencyCode: string, localDate: string, sequence: number): string {
  if (!isAgencyCode(agencyCode)) throw new RangeError(`Invalid agency code for a dossier code: ${JSON.stringify(agencyCode)}`);
  const parts = ISO_DATE.exec(localDate);
  const year = parts ? Number(parts[1]) : NaN;
  // yy loses the century: only this one can be read back
  if (!parts || year < 2000 || year > 2099 || !isRealDate(localDate)) {
    throw new RangeError(`Invalid local date for a dossier code: ${JSON.stringify(localDate)}`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`Invalid dossier sequence: ${sequence}`);
  }
  return `${agencyCode}-${localDate.slice(2, 4)}${parts[2]}${parts[3]}-${String(sequence).padStart(4, '0')}`;
}

/** Null when malformed, including impossible dates (260230) and non-canonical sequences (00007, 0000). */
export function parseDossierCode(code: string): { agencyCode: string; localDate: string; sequence: number } | null {
  const parts = DOSSIER_CODE.exec(code);
  if (!parts) return null;
  const [, agencyCode, yy, mm, dd, digits] = parts;
  const localDate = `20${yy}-${mm}-${dd}`;
  if (!isAgencyCode(agencyCode) || !isRealDate(localDate)) return null;
  const sequence = Number(digits);
  // exactly one spelling per dossier, so the code can be a lookup key as typed
  if (sequence < 1 || !Number.isSafeInteger(sequence) || String(sequence).padStart(4, '0') !== digits) return null;
  return { agencyCode, localDate, sequence };
}

/** Upper-case letters and digits a person can read off paper or a phone: no 0/O, 1/I/L. */
export const SECRET_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const SECRET_LENGTH = 8;
const WELL_FORMED_SECRET = new RegExp(`^[${SECRET_ALPHABET}]{${SECRET_LENGTH}}$`);

/** 8 characters from SECRET_ALPHABET (about 40 bits); lookups must be rate-limited all the same. */
export function newTrackingSecret(): string {
  let secret = '';
  for (let index = 0; index < SECRET_LENGTH; index++) secret += SECRET_ALPHABET[crypto.randomInt(SECRET_ALPHABET.length)];
  return secret;
}

/** As a person types it: trimmed, upper-cased, without spaces or dashes (ABCD-EFGH, abcd efgh). */
export function normaliseSecret(secret: string): string {
  return secret.trim().toUpperCase().replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

export function isWellFormedSecret(secret: string): boolean {
  return WELL_FORMED_SECRET.test(normaliseSecret(secret));
}

/** What is stored: the secret bound to its dossier code, so a leaked hash fits no other dossier. */
export function hashTrackingSecret(code: string, secret: string): string {
  return crypto.createHash('sha256').update(`${code}:${normaliseSecret(secret)}`, 'utf8').digest('hex');
}

export function secretsMatch(code: string, secret: string, storedHash: string): boolean {
  if (!isWellFormedSecret(secret) || !/^[0-9a-f]{64}$/i.test(storedHash)) return false;
  const given = Buffer.from(hashTrackingSecret(code, secret), 'hex');
  return crypto.timingSafeEqual(given, Buffer.from(storedHash, 'hex'));
}
