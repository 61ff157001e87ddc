import { loadAllManifests, type ProvinceManifest } from './manifest';
import {
  REORGANISATION_RESOLUTION,
  formerProvinceCode,
  unitKeyString,
  unitTypeFromName,
  unitsForProvince,
  type UnitRecord,
} from './unit-catalogue';

const manifests = new Map(loadAllManifests().map((manifest) => [manifest.slug, manifest]));
const manifest = (slug: string) => manifests.get(slug)!;
const canTho = manifest('can-tho');
const socTrang = manifest('soc-trang');
const keysOf = (units: UnitRecord[]) => new Set(units.map(unitKeyString));

describe('unitTypeFromName', () => {
  test.each([
    ['Phường Cái Khế', 'Phường'],
    ['Xã Vị Thanh 1', 'Xã'],
    ['Thị trấn Mỹ Xuyên', 'Thị trấn'],
    ['Đặc khu Hoàng Sa', 'Đặc khu'],
    ['Phường 9', 'Phường'],
  ])('%s -> %s', (name, type) => {
    expect(unitTypeFromName(name)).toBe(type);
  });
});

describe('current units (active provinces)', () => {
  test.each([
    ['can-tho', 103],
    ['da-nang', 94],
    ['vinh-long', 124],
    ['quang-tri', 78],
  ])('%s has %i current communes, all valid from 2025-07-01 and open-ended', (slug, count) => {
    const { communes } = unitsForProvince(manifest(slug));
    expect(communes).toHaveLength(count);
    for (const commune of communes) {
      expect(commune).toMatchObject({ level: 'COMMUNE', provinceCode: manifest(slug).gsoCode, validFrom: '2025-07-01', validTo: null });
      expect(['Phường', 'Xã', 'Đặc khu']).toContain(commune.type);
    }
  });

  test('the province unit comes from the manifest', () => {
    expect(unitsForProvince(canTho).province).toEqual({
      level: 'PROVINCE',
      code: '92',
      name: 'Thành phố Cần Thơ',
      type: 'Thành phố Trung Ương',
      provinceCode: '92',
      validFrom: '2004-01-01',
      validTo: null,
    });
  });

  test('a merged province has no current communes', () => {
    expect(unitsForProvince(socTrang, canTho).communes).toEqual([]);
  });
});

describe('historical communes and their successors', () => {
  const socTrangUnits = unitsForProvince(socTrang, canTho);
  const canThoUnits = unitsForProvince(canTho);

  test("Sóc Trăng's old communes end on 2025-06-30 and keep their old province code", () => {
    expect(socTrangUnits.historicalCommunes.length).toBeGreaterThan(100);
    for (const commune of socTrangUnits.historicalCommunes) {
      expect(commune).toMatchObject({ level: 'COMMUNE', provinceCode: '94', validFrom: '1992-04-01', validTo: '2025-06-30' });
      expect(['Phường', 'Xã', 'Thị trấn']).toContain(commune.type);
    }
    expect(socTrangUnits.historicalCommunes).toContainEqual(
      expect.objectContaining({ code: '31684', name: 'Thị trấn Mỹ Xuyên', type: 'Thị trấn' }),
    );
  });

  test('old communes are listed once each', () => {
    const codes = socTrangUnits.historicalCommunes.map((commune) => commune.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test("every old Sóc Trăng commune is succeeded by a current Cần Thơ commune", () => {
    const canThoCommunes = keysOf(canThoUnits.communes);
    const oldCommunes = keysOf(socTrangUnits.historicalCommunes);
    const communeSuccessions = socTrangUnits.successions.filter((succession) => succession.predecessor.level === 'COMMUNE');
    expect(new Set(communeSuccessions.map((succession) => unitKeyString(succession.predecessor)))).toEqual(oldCommunes);
    for (const succession of communeSuccessions) {
      expect(canThoCommunes.has(unitKeyString(succession.successor))).toBe(true);
      expect(succession).toMatchObject({ resolution: canTho.communeReorganisation!.resolution, effectiveOn: '2025-07-01' });
    }
  });

  test('Sóc Trăng itself is succeeded by Cần Thơ, by the merger resolution', () => {
    expect(socTrangUnits.successions).toContainEqual({
      predecessor: { level: 'PROVINCE', code: '94', validFrom: '1992-04-01' },
      successor: { level: 'PROVINCE', code: '92', validFrom: '2004-01-01' },
      resolution: '202/2025/QH15',
      effectiveOn: '2025-07-01',
    });
  });

  test('codes reused across 2025 give distinct keys', () => {
    // Cần Thơ's old Phường An Bình and its new Phường An Bình share code 31150.
    const old = canThoUnits.historicalCommunes.find((commune) => commune.code === '31150')!;
    const current = canThoUnits.communes.find((commune) => commune.code === '31150')!;
    expect(old.validTo).toBe('2025-06-30');
    expect(current.validTo).toBeNull();
    expect(unitKeyString(old)).not.toBe(unitKeyString(current));

    const all = [canThoUnits.province, ...canThoUnits.communes, ...canThoUnits.historicalCommunes];
    const currentCodes = new Set(canThoUnits.communes.map((commune) => commune.code));
    const reused = canThoUnits.historicalCommunes.filter((commune) => currentCodes.has(commune.code));
    expect(reused.length).toBeGreaterThan(10);
    expect(keysOf(all).size).toBe(all.length);
  });

  test('a merged province without its target manifest cannot say who succeeded it', () => {
    expect(() => unitsForProvince(socTrang)).toThrow(/can-tho/);
    expect(() => unitsForProvince(socTrang, manifest('da-nang'))).toThrow(/can-tho/);
  });

  test('without a known commune reorganisation the national resolution is used', () => {
    const { communeReorganisation: _ignored, ...withoutReorganisation } = canTho;
    const units = unitsForProvince(socTrang, withoutReorganisation as ProvinceManifest);
    const communeSuccession = units.successions.find((succession) => succession.predecessor.level === 'COMMUNE')!;
    expect(communeSuccession.resolution).toBe(REORGANISATION_RESOLUTION);
  });

  test('Quảng Trị took Quảng Bình\'s code: the old communes say which province they were in', () => {
    const units = unitsForProvince(manifest('quang-tri'));
    const provinceCodes = new Set(units.historicalCommunes.map((commune) => commune.provinceCode));
    expect(provinceCodes).toEqual(new Set(['44', '45']));
    expect(units.historicalCommunes.every((commune) => commune.validFrom === '1989-07-01')).toBe(true);
  });

  test.each([
    ['Tỉnh Sóc Trăng', '94'],
    ['Tỉnh Bến Tre', '83'],
    ['Tỉnh Quảng Bình', '44'],
    ['Tỉnh Quảng Trị', '45'],
    ['Tỉnh Không Có', undefined],
  ])('formerProvinceCode(%s) is %s', (name, code) => {
    expect(formerProvinceCode(name)).toBe(code);
  });
});
