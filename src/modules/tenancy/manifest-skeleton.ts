// npm run manifest:new -- <slug>: a new province's manifest starts here, with a fresh id. Ids used
// to be copied with the rest of another manifest, and onboarding took the copy for that province.
// What the catalogue knows (name, GSO code, kind of unit) is filled in; the rest is left to fill,
// in a form that onboarding refuses until it is.
import { foldForSearch } from '../../kernel/text';
import { DEFAULT_OFFICE_HOURS } from '../../kernel/vietnam-time';
import { currentProvinces, isFormerProvinceName } from './unit-catalogue';

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "Thành phố Cần Thơ" -> "can-tho", "An Giang" -> "an-giang": the slugs the shipped manifests use. */
export function slugOfProvinceName(name: string): string {
  return foldForSearch(name.replace(/^Thành phố /, '')).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The package names provinces without "Tỉnh"; manifests (and the old ward mappings) with it. */
function manifestName(province: { name: string; placeType: string }): string {
  return province.placeType === 'Tỉnh' ? `Tỉnh ${province.name}` : province.name;
}

export function manifestSkeleton(slug: string, id: string): string {
  if (!SLUG.test(slug)) throw new Error(`slug "${slug}" phải là chữ thường không dấu nối bằng gạch ngang (vd. an-giang)`);
  const province = currentProvinces().find((candidate) => slugOfProvinceName(candidate.name) === slug);
  const name = province ? manifestName(province) : '';
  const quoted = (text: string) => JSON.stringify(text);
  const hours = DEFAULT_OFFICE_HOURS.map(({ start, end }) => `  - { start: "${start}", end: "${end}" }`);
  return [
    `# ${province ? `${name} (GSO ${province.code})` : slug}. Written by npm run manifest:new with a fresh id: keep it, and`,
    '# never copy an id from another manifest (onboarding would take that province for this one).',
    `# Fill in each TODO, then: npm run onboard -- tenants/${slug}.yaml --dry-run`,
    `id: ${id}`,
    `slug: ${slug}`,
    `name: ${province ? name : '"" # TODO: as written officially, e.g. Tỉnh An Giang'}`,
    `gsoCode: ${province ? quoted(province.code) : '"" # TODO: two digits'}`,
    `codeValidFrom: "2025-07-01" # TODO: the day this code began to mean this province`,
    'codeValidTo: null',
    `unitType: ${province ? province.placeType : 'Tỉnh # TODO: or Thành phố Trung Ương'}`,
    'hostNames:',
    `  - ${slug.replace(/-/g, '')}.gov.vn # TODO: check`,
    `  - ${slug}.localhost`,
    'timeZone: Asia/Ho_Chi_Minh',
    'officeHours:',
    ...hours,
    'status: active',
    '# The pre-2025 provinces whose communes this one imports, as the ward mappings name them. A',
    '# province merged into this one can instead have its own manifest with status: merged (soc-trang.yaml).',
    ...(province && isFormerProvinceName(name) ? ['formerNames:', `  - ${name}`] : ['formerNames: []']),
    '# communeReorganisation: { resolution: TODO, effectiveOn: "2025-07-01" } # the Standing Committee resolution',
    '',
    '# TODO: the People\'s Committee and its agencies with their electronic identifier codes, as in can-tho.yaml',
    'agencies: []',
    '',
    '# TODO: the first province admin, an official of one of the agencies above',
    'admin:',
    '  fullName: ""',
    '  email: ""',
    '  agency: ""',
    '  position: ""',
    '',
  ].join('\n');
}
