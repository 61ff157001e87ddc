import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  ManifestError,
  checkManifestSet,
  defaultTenantsDir,
  formatPath,
  loadAllManifests,
  loadManifest,
  parseManifest,
  type ProvinceManifest,
} from './manifest';

const SHIPPED = ['da-nang', 'can-tho', 'vinh-long', 'quang-tri', 'soc-trang', 'hau-giang'];

const readShipped = (slug: string) => fs.readFileSync(path.join(defaultTenantsDir, `${slug}.yaml`), 'utf8');
// A plain, mutable copy of a shipped manifest as it is written in YAML.
const rawManifest = (slug: string): Record<string, any> => YAML.parse(readShipped(slug));

function issuesOf(file: string, text: string) {
  try {
    parseManifest(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).issues;
  }
  throw new Error('the manifest was accepted');
}

const issuesAfter = (slug: string, mutate: (raw: Record<string, any>) => void) => {
  const raw = rawManifest(slug);
  mutate(raw);
  return issuesOf(`tenants/${slug}.yaml`, YAML.stringify(raw));
};

describe('the shipped manifests', () => {
  test.each(SHIPPED)('%s.yaml parses', (slug) => {
    const manifest = loadManifest(path.join(defaultTenantsDir, `${slug}.yaml`));
    expect(manifest.slug).toBe(slug);
  });

  test('loadAllManifests puts merger targets before the provinces merged into them', () => {
    const slugs = loadAllManifests().map((manifest) => manifest.slug);
    expect([...slugs].sort()).toEqual([...SHIPPED].sort());
    expect(slugs.indexOf('can-tho')).toBeLessThan(slugs.indexOf('soc-trang'));
    expect(slugs.indexOf('can-tho')).toBeLessThan(slugs.indexOf('hau-giang'));
  });

  test('defaults are filled in and the historical provinces point at Cần Thơ', () => {
    const all = new Map(loadAllManifests().map((manifest) => [manifest.slug, manifest]));
    const socTrang = all.get('soc-trang')!;
    expect(socTrang).toMatchObject({ status: 'merged', mergedInto: 'can-tho', mergedOn: '2025-07-01', mergerResolution: '202/2025/QH15' });
    expect(all.get('hau-giang')).toMatchObject({ status: 'merged', mergedInto: 'can-tho' });
    expect(all.get('can-tho')!.officeHours).toEqual([
      { start: '07:00', end: '11:30' },
      { start: '13:30', end: '17:00' },
    ]);
    const withoutHours = rawManifest('da-nang');
    delete withoutHours.officeHours;
    delete withoutHours.timeZone;
    const parsed = parseManifest('x.yaml', YAML.stringify(withoutHours));
    expect(parsed.officeHours).toHaveLength(2);
    expect(parsed.timeZone).toBe('Asia/Ho_Chi_Minh');
  });
});

describe('a bad manifest is refused with the field that is wrong', () => {
  const agency = (raw: Record<string, any>, index: number) => raw.agencies[index];
  const cases: [string, string, (raw: Record<string, any>) => void, string, RegExp][] = [
    ['a missing field', 'can-tho', (raw) => delete raw.name, 'name', /thiếu trường bắt buộc/],
    ['a missing admin field', 'can-tho', (raw) => delete raw.admin.email, 'admin.email', /thiếu/],
    ['a badly formed agency code', 'can-tho', (raw) => (agency(raw, 2).code = '00.00.02.H13'), 'agencies[2].code', /000\.00\.01\.H13/],
    ['a GSO code that is not a current province', 'can-tho', (raw) => (raw.gsoCode = '94'), 'gsoCode', /34/],
    ['a GSO code written as a number', 'can-tho', (raw) => (raw.gsoCode = 92), 'gsoCode', /hai chữ số/],
    ['a unit type that disagrees with the catalogue', 'can-tho', (raw) => (raw.unitType = 'Tỉnh'), 'unitType', /Thành phố Trung Ương/],
    ['a duplicate agency code', 'can-tho', (raw) => (agency(raw, 3).code = agency(raw, 2).code), 'agencies[3].code', /trùng mã với agencies\[2\]/],
    ['an unknown parent', 'can-tho', (raw) => (agency(raw, 2).parent = '000.00.99.H13'), 'agencies[2].parent', /000\.00\.99\.H13/],
    ['a cycle in the agency tree', 'can-tho', (raw) => (agency(raw, 0).parent = agency(raw, 1).code), 'agencies[0].parent', /vòng lặp/],
    ['an agency that is its own parent', 'can-tho', (raw) => (agency(raw, 2).parent = agency(raw, 2).code), 'agencies[2].parent', /vòng lặp/],
    ['an unknown agency kind', 'can-tho', (raw) => (agency(raw, 2).kind = 'MINISTRY'), 'agencies[2].kind', /DEPARTMENT/],
    // a missing enum is missing, as in the catalogue (src/kernel/yaml-file.ts), not "invalid option"
    ['an agency without its kind', 'can-tho', (raw) => delete agency(raw, 2).kind, 'agencies[2].kind', /^thiếu trường bắt buộc$/],
    ['a province without its status', 'can-tho', (raw) => delete raw.status, 'status', /^thiếu trường bắt buộc$/],
    ['a misspelt key', 'can-tho', (raw) => (agency(raw, 2).parnet = agency(raw, 0).code), 'agencies[2]', /parnet/],
    ['a commune that is not in the province', 'can-tho', (raw) => (agency(raw, 11).unitCode = '20242'), 'agencies[11].unitCode', /20242/],
    ['a commune committee without its commune', 'can-tho', (raw) => delete agency(raw, 11).unitCode, 'agencies[11].unitCode', /bắt buộc/],
    ['an admin at an agency not in the manifest', 'can-tho', (raw) => (raw.admin.agency = '000.00.99.H13'), 'admin.agency', /000\.00\.99\.H13/],
    ['an ID number that is not 12 digits', 'can-tho', (raw) => (raw.admin.idNumber = '09208600421'), 'admin.idNumber', /12/],
    // the one phone rule (src/kernel/formats.ts): a 10-digit landline is from before 2017
    ['an agency phone of the old numbering', 'can-tho', (raw) => (agency(raw, 2).phone = '0292 382 012'), 'agencies[2].phone', /cố định 11 chữ số/],
    ['an admin phone that is not Vietnamese', 'can-tho', (raw) => (raw.admin.phone = '+1 202 555 0100'), 'admin.phone', /số điện thoại Việt Nam/],
    ['a former name the package does not know', 'can-tho', (raw) => (raw.formerNames = ['Tỉnh Cần Thơ']), 'formerNames[0]', /Tỉnh Cần Thơ/],
    ['merged without mergedInto', 'soc-trang', (raw) => delete raw.mergedInto, 'mergedInto', /merged/],
    ['merged without mergedOn', 'soc-trang', (raw) => delete raw.mergedOn, 'mergedOn', /merged/],
    ['merged and still without an end to its code', 'soc-trang', (raw) => (raw.codeValidTo = null), 'codeValidTo', /merged/],
    ['active with mergedInto', 'can-tho', (raw) => (raw.mergedInto = 'vinh-long'), 'mergedInto', /merged/],
    ['codeValidTo before codeValidFrom', 'soc-trang', (raw) => (raw.codeValidTo = '1990-01-01'), 'codeValidTo', /codeValidFrom/],
    ['a date that does not exist', 'soc-trang', (raw) => (raw.mergedOn = '2025-02-30'), 'mergedOn', /ngày/],
    ['office hours with the end before the start', 'can-tho', (raw) => (raw.officeHours[0] = { start: '11:30', end: '07:00' }), 'officeHours[0].end', /sau giờ bắt đầu/],
    ['overlapping office hours', 'can-tho', (raw) => (raw.officeHours[1].start = '11:00'), 'officeHours[1].start', /chồng/],
    ['office hours out of order', 'can-tho', (raw) => raw.officeHours.reverse(), 'officeHours[1].start', /tăng dần/],
    ['a badly written time', 'can-tho', (raw) => (raw.officeHours[0].start = '7:00'), 'officeHours[0].start', /HH:MM/],
    ['an unknown time zone', 'can-tho', (raw) => (raw.timeZone = 'Asia/Saigon City'), 'timeZone', /IANA/],
    ['a slug that is not kebab-case', 'can-tho', (raw) => (raw.slug = 'Cần Thơ'), 'slug', /gạch ngang/],
    ['an upper-case host name', 'can-tho', (raw) => (raw.hostNames[0] = 'CanTho.gov.vn'), 'hostNames[0]', /tên miền/],
    ['old communes that would start after the reorganisation', 'quang-tri', (raw) => delete raw.formerUnitsValidFrom, 'codeValidFrom', /formerUnitsValidFrom/],
  ];

  test.each(cases)('%s', (_label, slug, mutate, expectedPath, message) => {
    const issues = issuesAfter(slug, mutate);
    expect(issues).toContainEqual({ path: expectedPath, message: expect.stringMatching(message) });
  });

  test('phones are kept in the national form, however they are written', () => {
    const raw = rawManifest('can-tho');
    raw.agencies[2].phone = '(0292) 3.820.123';
    raw.admin.phone = '+84 939 123 456';
    const manifest = parseManifest('tenants/can-tho.yaml', YAML.stringify(raw));
    expect([manifest.agencies[2].phone, manifest.admin.phone]).toEqual(['02923820123', '0939123456']);
  });

  test('the error message names the file and the field, one issue a line', () => {
    const raw = rawManifest('can-tho');
    raw.agencies[2].code = 'H13';
    raw.admin.agency = 'nowhere';
    try {
      parseManifest('tenants/x.yaml', YAML.stringify(raw));
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      const { message, file } = error as ManifestError;
      expect(file).toBe('tenants/x.yaml');
      expect(message.split('\n')).toContain('tenants/x.yaml: agencies[2].code: phải có dạng 000.00.01.H13');
    }
  });

  test.each([
    ['an unclosed bracket', 'id: x\nagencies: [\n  - code: 1\nslug: y\n'],
    ['a bad indentation', 'id: x\nslug: y\n  name: z\n'],
    ['a duplicate key', 'slug: a\nslug: b\n'],
  ])('a YAML syntax error (%s) is reported with its line', (_label, text) => {
    const issues = issuesOf('tenants/broken.yaml', text);
    expect(issues[0].path).toMatch(/^dòng \d+, cột \d+$/);
    expect(issues[0].message).toMatch(/YAML/);
  });

  test('a file that is not a mapping', () => {
    expect(issuesOf('tenants/list.yaml', '- a\n- b\n')).toEqual([{ path: '(tệp)', message: expect.stringMatching(/đối tượng/) }]);
  });

  test('a file that cannot be read', () => {
    expect(() => loadManifest('/nonexistent/dir/x.yaml')).toThrow(ManifestError);
  });
});

describe('checks across manifests', () => {
  const entry = (slug: string, mutate: (raw: Record<string, any>) => void = () => undefined) => {
    const raw = rawManifest(slug);
    mutate(raw);
    return { file: `tenants/${raw.slug}.yaml`, manifest: parseManifest(`${slug}.yaml`, YAML.stringify(raw)) as ProvinceManifest };
  };
  const failureOf = (entries: ReturnType<typeof entry>[]) => {
    try {
      checkManifestSet(entries);
    } catch (error) {
      return (error as ManifestError).message;
    }
    return 'accepted';
  };

  test('the shipped set passes', () => {
    expect(failureOf(SHIPPED.map((slug) => entry(slug)))).toBe('accepted');
  });

  test.each<[string, ReturnType<typeof entry>[], RegExp]>([
    ['a merger target that is missing', [entry('soc-trang')], /mergedInto: .*can-tho/],
    ['a merger target that is itself merged', [entry('can-tho'), entry('hau-giang'), entry('soc-trang', (raw) => (raw.mergedInto = 'hau-giang'))], /mergedInto: .*hau-giang/],
    ['a reused id', [entry('can-tho'), entry('da-nang', (raw) => (raw.id = rawManifest('can-tho').id))], /id: /],
    ['a reused host name', [entry('can-tho'), entry('da-nang', (raw) => (raw.hostNames = ['cantho.gov.vn']))], /hostNames\[0\]: "cantho.gov.vn"/],
    ['a former province imported twice', [entry('can-tho'), entry('da-nang', (raw) => raw.formerNames.push('Thành phố Cần Thơ'))], /formerNames\[2\]/],
  ])('%s', (_label, entries, message) => {
    expect(failureOf(entries)).toMatch(message);
  });
});

test.each<[PropertyKey[], string]>([
  [[], '(tệp)'],
  [['name'], 'name'],
  [['agencies', 2, 'code'], 'agencies[2].code'],
  [['officeHours', 0], 'officeHours[0]'],
])('formatPath(%j) is %s', (parts, expected) => {
  expect(formatPath(parts)).toBe(expected);
});
