// Pure rules for how a province performs a catalogue procedure: its own fee and a processing time
// that may be shorter than the national one, never longer.
import type { FieldError } from '../../errors';
import type { ProcessingTime, ProcessingUnit } from '../calendar/due-date';

export interface NationalTerms {
  level: 'PROVINCE' | 'COMMUNE';
  processingAmount: number;
  processingUnit: ProcessingUnit;
  onlineProcessingAmount: number | null;
  fees: { name: string; amountVnd: number }[];
}

export interface ProvinceTerms {
  feeVnd: number | null;
  processingAmount: number | null;
  onlineProcessingAmount: number | null;
}

export type AgencyKindForLevel = 'COMMUNE_COMMITTEE' | string;

/** The field errors of a province's terms against the national ones (empty when acceptable). */
export function checkProvinceTerms(national: NationalTerms, terms: ProvinceTerms, agencyKind: AgencyKindForLevel): FieldError[] {
  const errors: FieldError[] = [];
  if (national.level === 'COMMUNE' && agencyKind !== 'COMMUNE_COMMITTEE') {
    errors.push({ field: 'agencyId', message: 'Thủ tục cấp xã phải giao cho Ủy ban nhân dân phường/xã/đặc khu' });
  }
  if (national.level === 'PROVINCE' && agencyKind === 'COMMUNE_COMMITTEE') {
    errors.push({ field: 'agencyId', message: 'Thủ tục cấp tỉnh không giao cho Ủy ban nhân dân cấp xã' });
  }
  if (terms.feeVnd !== null && (!Number.isInteger(terms.feeVnd) || terms.feeVnd < 0)) {
    errors.push({ field: 'feeVnd', message: 'Phí, lệ phí phải là số nguyên đồng không âm' });
  }
  const processing = terms.processingAmount ?? national.processingAmount;
  if (terms.processingAmount !== null && (!Number.isInteger(terms.processingAmount) || terms.processingAmount < 0)) {
    errors.push({ field: 'processingAmount', message: 'Thời hạn giải quyết phải là số nguyên không âm' });
  } else if (terms.processingAmount !== null && terms.processingAmount > national.processingAmount) {
    errors.push({ field: 'processingAmount', message: `Thời hạn giải quyết không được dài hơn quy định (${national.processingAmount} ngày)` });
  }
  const online = terms.onlineProcessingAmount;
  if (online !== null && (!Number.isInteger(online) || online < 0)) {
    errors.push({ field: 'onlineProcessingAmount', message: 'Thời hạn giải quyết trực tuyến phải là số nguyên không âm' });
  } else if (online !== null && online > processing) {
    errors.push({ field: 'onlineProcessingAmount', message: `Thời hạn trực tuyến không được dài hơn thời hạn giải quyết (${processing} ngày)` });
  }
  return errors;
}

/** The sum of the national fees: what a dossier owes unless the province set its own fee. */
export const nationalFee = (national: Pick<NationalTerms, 'fees'>) => national.fees.reduce((sum, fee) => sum + fee.amountVnd, 0);

/** The processing time a dossier gets: the province's, else the national; online may be shorter. */
export function effectiveProcessingTime(national: NationalTerms, terms: ProvinceTerms, online: boolean): ProcessingTime {
  const standard = terms.processingAmount ?? national.processingAmount;
  const onlineAmount = terms.onlineProcessingAmount ?? national.onlineProcessingAmount;
  const amount = online && onlineAmount !== null ? Math.min(onlineAmount, standard) : standard;
  return { amount, unit: national.processingUnit };
}

/** Required documents the applicant did not provide (codes as in the catalogue). */
export function missingDocuments(required: { code: string; name: string; required: boolean }[], provided: readonly string[]) {
  const given = new Set(provided);
  return required.filter((document) => document.required && !given.has(document.code));
}
