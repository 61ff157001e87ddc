// The demo provinces: every manifest in tenants/ onboarded (merger targets first), plus about a
// dozen officials per active province. Deterministic (a seeded generator, fixed dates, ids derived
// from keys) and idempotent (upsert by province and e-mail): running it twice changes nothing.
import type { TransactionSource } from '../src/db/unit-of-work';
import type { Gender } from '../src/generated/prisma/enums';
import { loadConfig } from '../src/config';
import { openOwnerDatabase } from '../src/db/owner';
import { inTransaction } from '../src/db/unit-of-work';
import { foldForSearch } from '../src/kernel/text';
import { CIVIL_SERVICE_RANKS, loadAllManifests, type AgencyManifest, type ProvinceManifest, type RankCode } from '../src/modules/tenancy/manifest';
import { onboardProvince, upsertOfficial, type UpsertOutcome } from '../src/modules/tenancy/onboarding.service';
import { ensureCalendarYears } from '../src/modules/calendar/calendar.service';
import { defaultAgenciesFor } from '../src/modules/procedures/default-assignment';
import { syncNationalCatalogue } from '../src/modules/procedures/procedure.service';
import { writeGrant } from '../src/modules/indicators/ministry.service';

/** The admin's first posting in the demo: the day the reorganised provinces began. */
const DEMO_ADMIN_STARTED_ON = '2025-07-01';

// ---------------------------------------------------------------- a seeded generator

function hashSeed(text: string): number {
  let hash = 0x811c9dc5; // FNV-1a
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193);
  return hash >>> 0;
}

/** mulberry32: small, fast, good enough for demo data, and the same sequence on every machine. */
export function seededRandom(seed: string): () => number {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

// ---------------------------------------------------------------- names, positions, ranks

// Nguyễn is listed twice: it is by far the most common family name.
const FAMILY_NAMES = ['Nguyễn', 'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Lâm', 'Châu'];
const MIDDLE_NAMES: Record<Gender, string[]> = {
  MALE: ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thanh', 'Công', 'Hoàng', 'Trung', 'Tấn'],
  FEMALE: ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Hồng', 'Thị Thu', 'Thị Ngọc', 'Phương'],
};
const GIVEN_NAMES: Record<Gender, string[]> = {
  MALE: ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hiếu', 'Hùng', 'Khang', 'Long', 'Nam', 'Phong', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Trí', 'Tuấn', 'Việt', 'Vinh', 'Khải'],
  FEMALE: ['Anh', 'Châu', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'My', 'Ngân', 'Nhung', 'Oanh', 'Quyên', 'Thảo', 'Trang', 'Uyên', 'Yến', 'Diễm'],
};

interface PositionProfile {
  position: string;
  rankCodes: RankCode[];
  bornBetween: [number, number];
  role: 'LEADER' | 'HANDLER';
}

// Four postings in each of the first three departments: 12 officials per province.
const POSITIONS: PositionProfile[] = [
  { position: 'Giám đốc', rankCodes: ['01.001', '01.002'], bornBetween: [1968, 1975], role: 'LEADER' },
  { position: 'Phó Giám đốc', rankCodes: ['01.002'], bornBetween: [1970, 1980], role: 'LEADER' },
  { position: 'Trưởng phòng', rankCodes: ['01.002', '01.003'], bornBetween: [1975, 1988], role: 'HANDLER' },
  { position: 'Chuyên viên', rankCodes: ['01.003', '01.004'], bornBetween: [1988, 1999], role: 'HANDLER' },
];
const DEPARTMENTS_WITH_DEMO_STAFF = 3;

/** Salary scales of Nghị định 204/2004/NĐ-CP: first coefficient, step increment, number of steps. */
const PAY_SCALES: Record<RankCode, { first: number; increment: number; steps: number }> = {
  '01.001': { first: 6.2, increment: 0.36, steps: 6 }, // A3.1
  '01.002': { first: 4.4, increment: 0.34, steps: 8 }, // A2.1
  '01.003': { first: 2.34, increment: 0.33, steps: 9 }, // A1
  '01.004': { first: 2.1, increment: 0.31, steps: 10 }, // A0
  '01.005': { first: 1.86, increment: 0.2, steps: 12 }, // B
};

export function payCoefficient(rankCode: RankCode, step: number): number {
  const scale = PAY_SCALES[rankCode];
  return Math.round((scale.first + (step - 1) * scale.increment) * 100) / 100;
}

/** "Nguyễn Thị Thu Hà" at stp@cantho.gov.vn -> "nttha.stp@cantho.gov.vn". */
export function officialEmail(fullName: string, agencyMailbox: string, domain: string): string {
  const words = foldForSearch(fullName).split(' ');
  const local = words.slice(0, -1).map((word) => word[0]).join('') + words[words.length - 1];
  return `${local}.${agencyMailbox}@${domain}`;
}

/** CCCD: province of birth registration (3), gender and century (1), year (2), serial (6). */
function citizenId(random: () => number, provinceCode: string, gender: Gender, birthYear: number): string {
  const genderCentury = (birthYear >= 2000 ? 2 : 0) + (gender === 'FEMALE' ? 1 : 0);
  return `0${provinceCode}${genderCentury}${pad(birthYear % 100)}${pad(between(random, 0, 999_999), 6)}`;
}

export interface DemoOfficial {
  fullName: string;
  gender: Gender;
  birthDate: string;
  idNumber: string;
  email: string;
  agencyCode: string;
  position: string;
  role: PositionProfile['role'];
  rankCode: RankCode;
  rankName: string;
  payStep: number;
  payCoefficient: number;
  startedOn: string;
}

function mailboxOf(agency: AgencyManifest, manifest: ProvinceManifest): { mailbox: string; domain: string } {
  if (agency.email) {
    const [mailbox, domain] = agency.email.split('@');
    return { mailbox, domain };
  }
  const initials = foldForSearch(agency.name).split(' ').map((word) => word[0]).join('');
  return { mailbox: initials, domain: manifest.hostNames[0] };
}

/** The demo staff of one province; the same list on every run. */
export function demoOfficials(manifest: ProvinceManifest): DemoOfficial[] {
  const random = seededRandom(`demo-officials:${manifest.slug}`);
  const departments = manifest.agencies.filter((agency) => agency.kind === 'DEPARTMENT').slice(0, DEPARTMENTS_WITH_DEMO_STAFF);
  const usedEmails = new Set([manifest.admin.email]);
  const officials: DemoOfficial[] = [];
  for (const department of departments) {
    const { mailbox, domain } = mailboxOf(department, manifest);
    for (const profile of POSITIONS) {
      const gender: Gender = random() < 0.5 ? 'MALE' : 'FEMALE';
      const fullName = `${pick(random, FAMILY_NAMES)} ${pick(random, MIDDLE_NAMES[gender])} ${pick(random, GIVEN_NAMES[gender])}`;
      const birthYear = between(random, ...profile.bornBetween);
      const birthDate = `${birthYear}-${pad(between(random, 1, 12))}-${pad(between(random, 1, 28))}`;
      const rankCode = pick(random, profile.rankCodes);
      const payStep = between(random, 1, Math.min(PAY_SCALES[rankCode].steps, 2 + Math.floor((2025 - birthYear - 22) / 3)));
      let email = officialEmail(fullName, mailbox, domain);
      for (let suffix = 2; usedEmails.has(email); suffix++) email = email.replace(/^([^.]+?)\d*\./, `$1${suffix}.`);
      usedEmails.add(email);
      officials.push({
        fullName,
        gender,
        birthDate,
        idNumber: citizenId(random, manifest.gsoCode, gender, birthYear),
        email,
        agencyCode: department.code,
        position: profile.position,
        role: profile.role,
        rankCode,
        rankName: CIVIL_SERVICE_RANKS[rankCode],
        payStep,
        payCoefficient: payCoefficient(rankCode, payStep),
        startedOn: `${between(random, 2016, 2025)}-${pad(between(random, 1, 6))}-01`,
      });
    }
  }
  return officials;
}

// ---------------------------------------------------------------- seeding

async function seedDemoOfficials(database: TransactionSource, manifest: ProvinceManifest): Promise<Record<UpsertOutcome, number>> {
  const counts: Record<UpsertOutcome, number> = { created: 0, changed: 0, unchanged: 0 };
  await inTransaction(
    database,
    { tenantId: manifest.id, role: 'owner', timeoutMs: 120_000 },
    async (tx) => {
      const agencies = await tx.agency.findMany({ where: { tenantId: manifest.id }, select: { id: true, code: true, name: true } });
      const agencyByCode = new Map(agencies.map((agency) => [agency.code, agency]));
      for (const official of demoOfficials(manifest)) {
        const agency = agencyByCode.get(official.agencyCode)!;
        const outcome = await upsertOfficial(tx, {
          tenantId: manifest.id,
          agencyId: agency.id,
          agencyName: agency.name,
          provinceName: manifest.name,
          ...official,
        });
        counts[outcome]++;
      }
    },
  );
  return counts;
}

/**
 * The procedures a demo province performs (every catalogue procedure, at its default agencies) and
 * its working calendar for this year and the next, filled from the rules.
 */
async function seedDemoPublicServices(database: TransactionSource, manifest: ProvinceManifest): Promise<number> {
  return inTransaction(
    database,
    { tenantId: manifest.id, role: 'owner', timeoutMs: 120_000 },
    async (tx) => {
      const agencies = await tx.agency.findMany({ where: { tenantId: manifest.id } });
      const agencyByCode = new Map(agencies.map((agency) => [agency.code, agency]));
      const procedures = await tx.procedure.findMany();
      const assignments = procedures.flatMap((procedure) =>
        defaultAgenciesFor(procedure, agencies).map((code) => ({ tenantId: manifest.id, procedureId: procedure.id, agencyId: agencyByCode.get(code)!.id })),
      );
      const created = await tx.provinceProcedure.createMany({ data: assignments, skipDuplicates: true });
      const year = new Date().getUTCFullYear();
      await ensureCalendarYears(tx, manifest.id, [year, year + 1]);
      return created.count;
    },
  );
}

export async function seedDemoProvinces(database: TransactionSource, log: (line: string) => void = () => undefined): Promise<void> {
  const manifests = loadAllManifests();
  const procedureCount = await inTransaction(database, { tenantId: null, role: 'owner', timeoutMs: 120_000 }, (tx) => syncNationalCatalogue(tx));
  log(`National catalogue: ${procedureCount} procedures`);
  const bySlug = new Map(manifests.map((manifest) => [manifest.slug, manifest]));
  for (const manifest of manifests) {
    const mergerTarget = manifest.mergedInto ? bySlug.get(manifest.mergedInto) : undefined;
    const report = await onboardProvince(database, manifest, { mergerTarget, today: DEMO_ADMIN_STARTED_ON });
    report.lines().forEach((line) => log(line));
    if (manifest.status !== 'active') continue;
    const counts = await seedDemoOfficials(database, manifest);
    log(`  ${'officials'.padEnd(12)} ${counts.created} created, ${counts.changed} changed, ${counts.unchanged} unchanged (demo)`);
    const enabled = await seedDemoPublicServices(database, manifest);
    log(`  ${'procedures'.padEnd(12)} ${enabled} enabled (demo defaults)`);
  }
  log(`Ministries: ${(await seedDemoMinistries(database)).join(', ')}`);
}

/**
 * Demo ministries and their grants on every active province: the Government Office, which runs the
 * index of Quyết định 766, reads every indicator of every field; the Ministry of Justice its own fields.
 */
async function seedDemoMinistries(database: TransactionSource): Promise<string[]> {
  const ministries = [
    { code: 'VPCP', name: 'Văn phòng Chính phủ', fieldCodes: [] as string[] },
    { code: 'BTP', name: 'Bộ Tư pháp', fieldCodes: ['HO_TICH', 'CHUNG_THUC', 'LY_LICH_TU_PHAP', 'DANG_KY_BIEN_PHAP_BAO_DAM'] },
  ];
  const tenants = await inTransaction(database, { tenantId: null, role: 'owner', timeoutMs: 60_000 }, async (tx) => {
    for (const { code, name } of ministries) await tx.ministry.upsert({ where: { code }, create: { code, name }, update: { name } });
    return tx.tenant.findMany({ where: { status: 'ACTIVE' }, select: { id: true } });
  });
  for (const tenant of tenants) {
    await inTransaction(database, { tenantId: tenant.id, role: 'owner', timeoutMs: 60_000 }, async (tx) => {
      for (const ministry of ministries) {
        const existing = await tx.ministryGrant.findFirst({ where: { tenantId: tenant.id, ministry: { code: ministry.code } } });
        if (!existing) await writeGrant(tx, tenant.id, { ministryCode: ministry.code, indicators: [], fieldCodes: ministry.fieldCodes }, 'demo seed', new Date(`${DEMO_ADMIN_STARTED_ON}T00:00:00+07:00`));
      }
    });
  }
  return ministries.map((ministry) => ministry.code);
}

export async function main(): Promise<void> {
  const database = await openOwnerDatabase(loadConfig());
  try {
    await seedDemoProvinces(database, (line) => console.log(line));
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
