// Onboarding against a real PostgreSQL database of its own: idempotent, all-or-nothing, and a dry
// run that writes nothing. Cần Thơ first, then Sóc Trăng, which was merged into it.
import { openPostgres, type Database } from '../src/db/database';
import { loadAllManifests, type ProvinceManifest } from '../src/modules/tenancy/manifest';
import { isNoOp, onboardProvince, OnboardingError, type OnboardingReport } from '../src/modules/tenancy/onboarding.service';
import type { ScratchDatabase } from '../src/db/scratch-database';
import { createTestDatabase } from './support/test-database';

const manifests = new Map(loadAllManifests().map((manifest) => [manifest.slug, manifest]));
const canTho = manifests.get('can-tho')!;
const socTrang = manifests.get('soc-trang')!;
const hauGiang = manifests.get('hau-giang')!;
const vinhLong = manifests.get('vinh-long')!;

const TABLES = ['administrative_unit', 'unit_succession', 'tenant', 'agency', 'official', 'official_role', 'work_history_entry'];

let scratch: ScratchDatabase;
let database: Database;

beforeAll(async () => {
  scratch = await createTestDatabase('egov_onboarding');
  database = openPostgres(scratch.ownerUrl);
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

// The owner is the server's superuser in tests, so row-level security does not hide rows here.
async function snapshot(): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await database.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table}" t ORDER BY 1`);
    tables[table] = rows.map((row) => row.row);
  }
  return tables;
}

async function counts(): Promise<Record<string, number>> {
  const tables = await snapshot();
  return Object.fromEntries(Object.entries(tables).map(([table, rows]) => [table, rows.length]));
}

const onboard = (manifest: ProvinceManifest, options: { dryRun?: boolean; allowIdentityChange?: boolean } = {}) =>
  onboardProvince(database, manifest, {
    ...options,
    mergerTarget: manifest.mergedInto ? manifests.get(manifest.mergedInto) : undefined,
    today: '2025-08-15',
  });

const created = (report: OnboardingReport) => Object.fromEntries(Object.entries(report.counts).map(([kind, tally]) => [kind, tally.created]));

describe('onboarding Cần Thơ and Sóc Trăng', () => {
  test('a dry run reports the real plan and writes nothing', async () => {
    const report = await onboard(canTho, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.counts.units.created).toBe(1 + 103 + 80);
    expect(report.counts.tenant.created).toBe(1);
    expect(report.lines()[0]).toMatch(/chạy thử/);
    expect(Object.values(await counts()).every((count) => count === 0)).toBe(true);
  });

  test('a merged province whose target is not onboarded yet is refused, naming it, and nothing is written', async () => {
    const error = await onboard(socTrang).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OnboardingError);
    expect((error as Error).message).toMatch(/can-tho/);
    expect(Object.values(await counts()).every((count) => count === 0)).toBe(true);
  });

  test('Cần Thơ, then Sóc Trăng', async () => {
    const canThoReport = await onboard(canTho);
    expect(created(canThoReport)).toEqual({ units: 184, successions: 80, tenant: 1, agencies: canTho.agencies.length, admin: 1 });

    const socTrangReport = await onboard(socTrang);
    expect(created(socTrangReport)).toEqual({ units: 1 + 108, successions: 1 + 108, tenant: 1, agencies: 4, admin: 1 });
    expect(socTrangReport.skippedSuccessions).toBe(0);
    expect(socTrangReport.lines().join('\n')).toMatch(/units +109 created, 0 changed, 0 unchanged/);
  });

  test('the historical Sóc Trăng is MERGED into Cần Thơ', async () => {
    const tenant = await database.prisma.tenant.findUniqueOrThrow({ where: { slug: 'soc-trang' }, include: { mergedInto: true, unit: true } });
    expect(tenant).toMatchObject({ status: 'MERGED', mergedIntoId: canTho.id, mergedOn: new Date('2025-07-01'), codeValidTo: new Date('2025-06-30') });
    expect(tenant.mergedInto?.slug).toBe('can-tho');
    expect(tenant.unit).toMatchObject({ level: 'PROVINCE', code: '94', name: 'Tỉnh Sóc Trăng' });
    expect(tenant.officeHours).toEqual(socTrang.officeHours);
  });

  test('an old Sóc Trăng ward is succeeded by a Cần Thơ ward; the province by the city', async () => {
    // Old Thị trấn Mỹ Xuyên (31684) became Phường Mỹ Xuyên, which kept the code.
    const oldWard = await database.prisma.administrativeUnit.findUniqueOrThrow({
      where: { level_code_validFrom: { level: 'COMMUNE', code: '31684', validFrom: new Date('1992-04-01') } },
      include: { successors: { include: { successor: true } } },
    });
    expect(oldWard).toMatchObject({ name: 'Thị trấn Mỹ Xuyên', type: 'Thị trấn', provinceCode: '94', validTo: new Date('2025-06-30') });
    expect(oldWard.successors).toHaveLength(1);
    expect(oldWard.successors[0]).toMatchObject({ resolution: canTho.communeReorganisation!.resolution, effectiveOn: new Date('2025-07-01') });
    expect(oldWard.successors[0].successor).toMatchObject({ code: '31684', provinceCode: '92', validFrom: new Date('2025-07-01'), validTo: null });

    const province = await database.prisma.unitSuccession.findFirstOrThrow({
      where: { predecessor: { level: 'PROVINCE', code: '94' } },
      include: { successor: true },
    });
    expect(province).toMatchObject({ resolution: '202/2025/QH15', effectiveOn: new Date('2025-07-01') });
    expect(province.successor).toMatchObject({ level: 'PROVINCE', code: '92' });
  });

  test('agencies form the tree of the manifest, commune committees sit in their commune', async () => {
    const agencies = await database.prisma.agency.findMany({ where: { tenantId: canTho.id }, include: { parent: true, unit: true } });
    const byCode = new Map(agencies.map((agency) => [agency.code, agency]));
    for (const agency of canTho.agencies) {
      const row = byCode.get(agency.code)!;
      expect(row.parent?.code).toBe(agency.parent);
      expect(row.unit.code).toBe(agency.unitCode ?? '92');
    }
  });

  test('the admin has the PROVINCE_ADMIN role and one open posting', async () => {
    const admin = await database.prisma.official.findUniqueOrThrow({
      where: { tenantId_email: { tenantId: canTho.id, email: canTho.admin.email } },
      include: { roles: true, workHistory: true, agency: true },
    });
    expect(admin).toMatchObject({ fullName: 'Trần Minh Khoa', searchName: 'tran minh khoa', rankName: 'Chuyên viên chính', idNumber: canTho.admin.idNumber });
    expect(admin.agency.code).toBe(canTho.admin.agency);
    expect(admin.roles).toEqual([expect.objectContaining({ role: 'PROVINCE_ADMIN', agencyId: admin.agencyId })]);
    expect(admin.workHistory).toEqual([
      expect.objectContaining({ agencyName: admin.agency.name, provinceName: 'Thành phố Cần Thơ', position: 'Trưởng phòng', startedOn: new Date('2025-08-15'), endedOn: null }),
    ]);
  });

  test('running both again creates and changes nothing, and leaves every row as it was', async () => {
    const before = await snapshot();
    for (const manifest of [canTho, socTrang]) {
      const report = await onboard(manifest);
      expect(isNoOp(report)).toBe(true);
    }
    expect(await snapshot()).toEqual(before);
  });

  test('a change to the manifest updates only what differs', async () => {
    const before = await snapshot();
    const renamed: ProvinceManifest = {
      ...canTho,
      hostNames: [...canTho.hostNames, 'egov.cantho.gov.vn'],
      agencies: canTho.agencies.map((agency) => (agency.code === '000.00.03.H13' ? { ...agency, address: 'Số 1 Lê Lai, phường Cái Khế' } : agency)),
    };
    const report = await onboard(renamed);
    expect(report.counts.tenant).toEqual({ created: 0, changed: 1, unchanged: 0 });
    expect(report.counts.agencies).toEqual({ created: 0, changed: 1, unchanged: canTho.agencies.length - 1 });
    expect(report.fieldChanges).toEqual([
      `tenant can-tho: hostNames ${JSON.stringify(canTho.hostNames)} → ${JSON.stringify(renamed.hostNames)}`,
      'agency 000.00.03.H13: address null → "Số 1 Lê Lai, phường Cái Khế"',
    ]);
    expect(report.lines()).toContain('  agency 000.00.03.H13: address null → "Số 1 Lê Lai, phường Cái Khế"');
    expect(report.counts.units).toMatchObject({ created: 0, changed: 0 });
    const after = await snapshot();
    expect(after.administrative_unit).toEqual(before.administrative_unit);
    expect(after.official).toEqual(before.official);
    expect(after.agency.filter((row) => !before.agency.includes(row))).toHaveLength(1);

    const restored = await onboard(canTho);
    expect(restored.counts.tenant.changed).toBe(1);
  });

  test('moving the admin closes the open posting and opens a new one', async () => {
    const moved: ProvinceManifest = { ...canTho, admin: { ...canTho.admin, agency: '000.00.20.H13', position: 'Phó Giám đốc' } };
    const report = await onboard(moved);
    expect(report.counts.admin).toEqual({ created: 0, changed: 1, unchanged: 0 });
    expect(report.fieldChanges).toEqual([
      `admin ${canTho.admin.email}: agency "${canTho.admin.agency}" → "000.00.20.H13"`,
      `admin ${canTho.admin.email}: position "Trưởng phòng" → "Phó Giám đốc"`,
    ]);
    const admin = await database.prisma.official.findUniqueOrThrow({
      where: { tenantId_email: { tenantId: canTho.id, email: canTho.admin.email } },
      include: { roles: { include: { agency: true } }, workHistory: { orderBy: { endedOn: { sort: 'asc', nulls: 'last' } } } },
    });
    expect(admin.roles.map((role) => role.agency.code)).toEqual(['000.00.20.H13']);
    expect(admin.workHistory.map((entry) => [entry.position, entry.endedOn])).toEqual([
      ['Trưởng phòng', new Date('2025-08-15')],
      ['Phó Giám đốc', null],
    ]);
    expect(isNoOp(await onboard(moved))).toBe(true);
  });

  test('a dry run of a change reports each field, old and new, and writes nothing', async () => {
    const before = await snapshot();
    const report = await onboard({ ...canTho, timeZone: 'Asia/Bangkok' }, { dryRun: true });
    expect(report.counts.tenant.changed).toBe(1);
    expect(report.fieldChanges.filter((line) => line.startsWith('tenant'))).toEqual(['tenant can-tho: timeZone "Asia/Ho_Chi_Minh" → "Asia/Bangkok"']);
    expect(await snapshot()).toEqual(before);
  });

  test('a change of name is refused, dry run or not, unless the run allows identity changes', async () => {
    const before = await snapshot();
    const renamed = { ...canTho, name: 'Thành phố Cần Thơ (thử)' };
    for (const dryRun of [true, false]) {
      await expect(onboard(renamed, { dryRun })).rejects.toThrow(
        /tenant can-tho: name "Thành phố Cần Thơ" → "Thành phố Cần Thơ \(thử\)"[\s\S]*--allow-identity-change/,
      );
    }
    const report = await onboard(renamed, { dryRun: true, allowIdentityChange: true });
    expect(report.fieldChanges.filter((line) => /^(tenant|unit)/.test(line))).toEqual([
      'unit PROVINCE 92 (2004-01-01): name "Thành phố Cần Thơ" → "Thành phố Cần Thơ (thử)"',
      'tenant can-tho: name "Thành phố Cần Thơ" → "Thành phố Cần Thơ (thử)"',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  test('a new id with a slug or GSO code that is already taken is refused, even with the flag', async () => {
    const before = await snapshot();
    const copy = { ...canTho, id: '0b6a1f7e-3c55-4f0e-9d0a-6a2f1c9e8b31', hostNames: ['can-tho-2.localhost'] };
    await expect(onboard(copy, { allowIdentityChange: true })).rejects.toThrow(/slug: "can-tho" đã thuộc về tỉnh khác: Thành phố Cần Thơ/);
    await expect(onboard({ ...copy, slug: 'can-tho-2' }, { allowIdentityChange: true })).rejects.toThrow(
      /gsoCode: mã "92" \(2004-01-01 – nay\) đang thuộc về Thành phố Cần Thơ \(can-tho, id c1b70ef0-/,
    );
    expect(await snapshot()).toEqual(before);
  });

  test('a failure half-way (admin agency missing) rolls everything back', async () => {
    const before = await snapshot();
    const broken: ProvinceManifest = {
      ...canTho,
      hostNames: [...canTho.hostNames, 'hong.cantho.gov.vn'],
      agencies: [...canTho.agencies, { code: '000.00.10.H13', name: 'Sở Công Thương thành phố Cần Thơ', kind: 'DEPARTMENT', parent: '000.00.00.H13' }],
      admin: { ...canTho.admin, agency: '000.00.99.H13' },
    };
    await expect(onboard(broken)).rejects.toThrow(/000\.00\.99\.H13/);
    expect(await snapshot()).toEqual(before);
  });

  test('a merger target that is not onboarded: Hậu Giang pointed at Vĩnh Long writes nothing', async () => {
    const before = await counts();
    const misdirected: ProvinceManifest = { ...hauGiang, mergedInto: 'vinh-long' };
    await expect(onboard(misdirected)).rejects.toThrow(/vinh-long/);
    expect(await counts()).toEqual(before);
    expect(vinhLong.status).toBe('active');
  });
});
