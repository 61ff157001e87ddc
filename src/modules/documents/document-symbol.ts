// Official documents' types and their number and symbol (số, ký hiệu), as Decree 30/2020/NĐ-CP sets
// them: `{number}/{type}-{issuer}` (78/KH-UBND, 15/QĐ-BNV) and, for a dispatch (công văn), which has
// no type abbreviation, `{number}/{issuer}-{drafting unit}` (12/UBND-VX). Numbers start at 01 on
// 1 January and run to 31 December per issuer, in separate series for legal normative documents and
// for secret ones. Pure.

/** Every type of Decree 30/2020 (Appendix III) with its abbreviation; a dispatch has none. */
export const DOCUMENT_TYPES = {
  NGHI_QUYET: { abbreviation: 'NQ', name: 'Nghị quyết' },
  QUYET_DINH: { abbreviation: 'QĐ', name: 'Quyết định' },
  CHI_THI: { abbreviation: 'CT', name: 'Chỉ thị' },
  QUY_CHE: { abbreviation: 'QC', name: 'Quy chế' },
  QUY_DINH: { abbreviation: 'QyĐ', name: 'Quy định' },
  THONG_CAO: { abbreviation: 'TC', name: 'Thông cáo' },
  THONG_BAO: { abbreviation: 'TB', name: 'Thông báo' },
  HUONG_DAN: { abbreviation: 'HD', name: 'Hướng dẫn' },
  CHUONG_TRINH: { abbreviation: 'CTr', name: 'Chương trình' },
  KE_HOACH: { abbreviation: 'KH', name: 'Kế hoạch' },
  PHUONG_AN: { abbreviation: 'PA', name: 'Phương án' },
  DE_AN: { abbreviation: 'ĐA', name: 'Đề án' },
  DU_AN: { abbreviation: 'DA', name: 'Dự án' },
  BAO_CAO: { abbreviation: 'BC', name: 'Báo cáo' },
  BIEN_BAN: { abbreviation: 'BB', name: 'Biên bản' },
  TO_TRINH: { abbreviation: 'TTr', name: 'Tờ trình' },
  HOP_DONG: { abbreviation: 'HĐ', name: 'Hợp đồng' },
  CONG_DIEN: { abbreviation: 'CĐ', name: 'Công điện' },
  BAN_GHI_NHO: { abbreviation: 'BGN', name: 'Bản ghi nhớ' },
  BAN_THOA_THUAN: { abbreviation: 'BTT', name: 'Bản thỏa thuận' },
  GIAY_UY_QUYEN: { abbreviation: 'GUQ', name: 'Giấy ủy quyền' },
  GIAY_MOI: { abbreviation: 'GM', name: 'Giấy mời' },
  GIAY_GIOI_THIEU: { abbreviation: 'GGT', name: 'Giấy giới thiệu' },
  GIAY_NGHI_PHEP: { abbreviation: 'GNP', name: 'Giấy nghỉ phép' },
  PHIEU_GUI: { abbreviation: 'PG', name: 'Phiếu gửi' },
  PHIEU_CHUYEN: { abbreviation: 'PC', name: 'Phiếu chuyển' },
  PHIEU_BAO: { abbreviation: 'PB', name: 'Phiếu báo' },
  CONG_VAN: { abbreviation: null, name: 'Công văn' },
} as const;

export type DocumentType = keyof typeof DOCUMENT_TYPES;

const TYPE_BY_ABBREVIATION = new Map<string, DocumentType>(
  Object.entries(DOCUMENT_TYPES)
    .filter(([, type]) => type.abbreviation)
    .map(([key, type]) => [type.abbreviation!, key as DocumentType]),
);

/** Numbering series of one issuer's year. */
export type DocumentSeries = 'REGULAR' | 'NORMATIVE' | 'SECRET';

/** A secret document is numbered in the secret series even when normative: its number must not tell. */
export const seriesOf = (document: { normative: boolean; confidentiality: string }): DocumentSeries =>
  document.confidentiality !== 'NORMAL' ? 'SECRET' : document.normative ? 'NORMATIVE' : 'REGULAR';

/** Signers' authority prefixes: on behalf of a collective, deputy, by order, by authorisation, acting. */
export const SIGNER_AUTHORITIES = { TM: 'TM.', KT: 'KT.', TL: 'TL.', TUQ: 'TUQ.', Q: 'Q.' } as const;
export type SignerAuthority = keyof typeof SIGNER_AUTHORITIES;

/** An issuer's or a unit's abbreviation: Vietnamese capitals and digits, as UBND, STP, VX, QLĐĐ. */
const ABBREVIATION = /^[A-ZĐ][A-Za-zĐđ0-9]{0,19}$/u;

export const isAbbreviation = (text: string) => ABBREVIATION.test(text);

/** A number as printed: at least two digits (01 … 09, 10, …). */
export const printedNumber = (number: number) => String(number).padStart(2, '0');

export interface SymbolParts {
  number: number;
  type: DocumentType;
  issuer: string;
  /** A dispatch's drafting unit. */
  unit: string | null;
}

/** Pure: the number and symbol. A dispatch takes its drafting unit in place of a type. */
export function formatSymbol(parts: SymbolParts): string {
  const type = DOCUMENT_TYPES[parts.type];
  if (!Number.isInteger(parts.number) || parts.number < 1) throw new Error(`not a document number: ${parts.number}`);
  if (type.abbreviation) return `${printedNumber(parts.number)}/${type.abbreviation}-${parts.issuer}`;
  if (!parts.unit) throw new Error('a dispatch (công văn) needs its drafting unit');
  return `${printedNumber(parts.number)}/${parts.issuer}-${parts.unit}`;
}

/**
 * Pure: a number and symbol as written on a received document, or null when it does not parse.
 * `78/KH-UBND` is a plan; `12/UBND-VX` a dispatch (its first part is no type's abbreviation). Spaces
 * around the separators are forgiven; case is not, since abbreviations mix it (QyĐ, TTr).
 */
export function parseSymbol(text: string): SymbolParts | null {
  const match = /^\s*(\d{1,6})\s*\/\s*([^\s/-]+)\s*-\s*([^\s/]+)\s*$/u.exec(text.normalize('NFC'));
  if (!match) return null;
  const number = Number(match[1]);
  if (number < 1) return null;
  const [first, rest] = [match[2], match[3]];
  const type = TYPE_BY_ABBREVIATION.get(first);
  if (type) {
    return isAbbreviation(rest) || /^[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9]*)*$/u.test(rest) ? { number, type, issuer: rest, unit: null } : null;
  }
  return isAbbreviation(first) && isAbbreviation(rest) ? { number, type: 'CONG_VAN', issuer: first, unit: rest } : null;
}

/**
 * Pure: the abbreviation an agency issues under when none is recorded: the initials of its name
 * but "và" (Sở Tư pháp → STP, Sở Tài nguyên và Môi trường → STNMT), before any "tỉnh" / "thành phố" that names the place.
 */
export function defaultIssuerAbbreviation(agencyName: string): string {
  const words = agencyName.normalize('NFC').split(/\s+/).filter(Boolean);
  const place = words.findIndex((word, i) => i > 0 && /^(tỉnh|thành|tp\.?|huyện|quận|xã|phường)$/iu.test(word));
  const initials = (place > 0 ? words.slice(0, place) : words).filter((word) => word.toLowerCase() !== 'và').map((word) => word[0].toUpperCase()).join('');
  return initials.replace(/[ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ]/gu, 'A').replace(/[ÙÚỦŨỤƯỪỨỬỮỰ]/gu, 'U').replace(/[ÈÉẺẼẸÊỀẾỂỄỆ]/gu, 'E').replace(/[ÌÍỈĨỊ]/gu, 'I').replace(/[ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ]/gu, 'O').replace(/[ỲÝỶỸỴ]/gu, 'Y');
}
