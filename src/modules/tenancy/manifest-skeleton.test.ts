import crypto from 'node:crypto';
import YAML from 'yaml';
import { loadAllManifests, ManifestError, parseManifest } from './manifest';
import { manifestSkeleton, slugOfProvinceName } from './manifest-skeleton';

const shipped = loadAllManifests();

test.each([
  ['Thành phố Cần Thơ', 'can-tho'],
  ['An Giang', 'an-giang'],
  ['Đắk Lắk', 'dak-lak'],
  ['Thành phố Hồ Chí Minh', 'ho-chi-minh'],
  ['Thành phố Đà Nẵng', 'da-nang'],
])('slugOfProvinceName(%s) is %s', (name, slug) => {
  expect(slugOfProvinceName(name)).toBe(slug);
});

test('the shipped manifests use the slugs the skeleton derives from the catalogue', () => {
  for (const manifest of shipped.filter((candidate) => candidate.status === 'active')) {
    expect(YAML.parse(manifestSkeleton(manifest.slug, crypto.randomUUID()))).toMatchObject({ gsoCode: manifest.gsoCode, name: manifest.name });
  }
});

describe('a skeleton for An Giang', () => {
  const id = crypto.randomUUID();
  const text = manifestSkeleton('an-giang', id);
  const skeleton = YAML.parse(text);

  test('has the id it was given and what the catalogue knows', () => {
    expect(skeleton).toMatchObject({ id, slug: 'an-giang', name: 'Tỉnh An Giang', gsoCode: '91', unitType: 'Tỉnh', status: 'active', formerNames: ['Tỉnh An Giang'] });
    expect(shipped.map((manifest) => manifest.id)).not.toContain(id);
  });

  test('is refused by onboarding as it is, on the fields left to fill', () => {
    const error = (() => {
      try {
        parseManifest('tenants/an-giang.yaml', text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ManifestError);
    const paths = (error as ManifestError).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['agencies', 'admin.fullName', 'admin.email']));
    expect(paths.every((path) => /^(agencies|admin|codeValidFrom|formerUnitsValidFrom)/.test(path))).toBe(true);
  });

  test('is a valid manifest once its TODOs are filled', () => {
    const filled = text
      .replace('codeValidFrom: "2025-07-01"', 'codeValidFrom: "2025-07-01"\nformerUnitsValidFrom: "1991-12-26"')
      .replace('agencies: []', ['agencies:', '  - code: 000.00.00.H01', '    name: Ủy ban nhân dân tỉnh An Giang', '    kind: PEOPLES_COMMITTEE'].join('\n'))
      .replace(/admin:[\s\S]*$/, ['admin:', '  fullName: Nguyễn Thị Hồng Nhung', '  email: nthnhung@angiang.gov.vn', '  agency: 000.00.00.H01', '  position: Chuyên viên', ''].join('\n'));
    expect(parseManifest('tenants/an-giang.yaml', filled)).toMatchObject({ id, slug: 'an-giang', gsoCode: '91' });
  });
});

test('a slug the catalogue does not know leaves name and code to fill', () => {
  const skeleton = YAML.parse(manifestSkeleton('kien-giang', crypto.randomUUID()));
  expect(skeleton).toMatchObject({ slug: 'kien-giang', name: '', gsoCode: '', formerNames: [] });
});

test('a slug that is not one is refused', () => {
  expect(() => manifestSkeleton('An Giang', crypto.randomUUID())).toThrow(/chữ thường/);
});
