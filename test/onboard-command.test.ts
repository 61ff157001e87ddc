// `npm run onboard` and `npm run manifest:new` as a platform admin runs them: child processes
// against a scratch database of their own, output read as printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import YAML from 'yaml';
import { openPostgres, type Database } from '../src/db/database';
import type { ScratchDatabase } from '../src/db/scratch-database';
import { loadAllManifests } from '../src/modules/tenancy/manifest';
import { onboardProvince } from '../src/modules/tenancy/onboarding.service';
import { createTestDatabase } from './support/test-database';
import { root, runScript } from './support/run-script';

const canTho = loadAllManifests().find((manifest) => manifest.slug === 'can-tho')!;
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-onboard-command-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('a copy of can-tho.yaml made into An Giang with Cần Thơ’s id left in', () => {
  let scratch: ScratchDatabase;
  let database: Database;
  let anGiangFile: string;
  const onboard = (...args: string[]) => runScript('scripts/onboard.ts', [anGiangFile, ...args], { MIGRATION_DATABASE_URL: scratch.ownerUrl });
  const tenants = async () =>
    (await database.prisma.tenant.findMany({ orderBy: { slug: 'asc' }, select: { id: true, slug: true, name: true, gsoCode: true, hostNames: true, updatedAt: true } }));

  beforeAll(async () => {
    scratch = await createTestDatabase('egov_onboard_cmd');
    database = openPostgres(scratch.ownerUrl);
    await onboardProvince(database, canTho, { today: '2025-08-15' });
    // What the admin did: name, slug, code and hosts changed, Cần Thơ's commune committees dropped; the id kept.
    const copy = YAML.parse(fs.readFileSync(path.join(root, 'tenants', 'can-tho.yaml'), 'utf8'));
    Object.assign(copy, {
      slug: 'an-giang',
      name: 'Tỉnh An Giang',
      gsoCode: '91',
      codeValidFrom: '2025-07-01',
      formerUnitsValidFrom: '1991-12-26',
      unitType: 'Tỉnh',
      hostNames: ['angiang.gov.vn', 'an-giang.localhost'],
      formerNames: ['Tỉnh An Giang'],
      agencies: copy.agencies.filter((agency: { unitCode?: string }) => agency.unitCode === undefined),
    });
    anGiangFile = path.join(workDir, 'an-giang.yaml');
    fs.writeFileSync(anGiangFile, YAML.stringify(copy));
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  test('the dry run and the real run are refused, naming the file, each field old → new and the flag; nothing is written', async () => {
    const before = await tenants();
    for (const args of [['--dry-run'], []]) {
      const result = await onboard(...args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const shown = path.relative(root, anGiangFile).startsWith('..') ? anGiangFile : path.relative(root, anGiangFile);
      expect(result.stderr).toContain(`${shown}: id ${canTho.id} là Thành phố Cần Thơ (can-tho) trong cơ sở dữ liệu`);
      expect(result.stderr).toContain('tenant can-tho: slug "can-tho" → "an-giang"');
      expect(result.stderr).toContain('tenant can-tho: name "Thành phố Cần Thơ" → "Tỉnh An Giang"');
      expect(result.stderr).toContain('tenant can-tho: gsoCode "92" → "91"');
      expect(result.stderr).toContain('tenant can-tho: codeValidFrom "2004-01-01" → "2025-07-01"');
      expect(result.stderr).toContain('--allow-identity-change');
      expect(result.stderr).not.toMatch(/^\s+at /m); // a message, not a stack
    }
    expect(await tenants()).toEqual(before);
    expect(await database.prisma.procedure.count()).toBe(0); // not even the shared catalogue
  }, 120_000);

  test('with --allow-identity-change the dry run prints each field and writes nothing; the real run applies it', async () => {
    const before = await tenants();
    const dryRun = await onboard('--dry-run', '--allow-identity-change');
    expect(dryRun.stderr).toBe('');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('Tỉnh An Giang (an-giang) — chạy thử, không ghi gì');
    expect(dryRun.stdout).toContain('  tenant can-tho: name "Thành phố Cần Thơ" → "Tỉnh An Giang"');
    expect(dryRun.stdout).toContain('  tenant can-tho: hostNames ');
    expect(await tenants()).toEqual(before);

    const applied = await onboard('--allow-identity-change');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('  tenant can-tho: gsoCode "92" → "91"');
    expect(await tenants()).toEqual([
      expect.objectContaining({ id: canTho.id, slug: 'an-giang', name: 'Tỉnh An Giang', gsoCode: '91', hostNames: ['angiang.gov.vn', 'an-giang.localhost'] }),
    ]);
  }, 120_000);
});

describe('a database that is not migrated', () => {
  let scratch: ScratchDatabase;
  const onboardDryRun = () =>
    runScript('scripts/onboard.ts', ['tenants/vinh-long.yaml', '--dry-run'], { MIGRATION_DATABASE_URL: scratch.ownerUrl });
  const sql = async (text: string) => {
    const client = new pg.Client({ connectionString: scratch.ownerUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    scratch = await createTestDatabase('egov_onboard_unmigrated');
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  test('with a migration pending: one line, run npm run db:migrate first', async () => {
    await sql(`DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`);
    const result = await onboardDryRun();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^the database is not migrated \(1 migration pending, \d{14}_\w+ first\): run npm run db:migrate first\n$/);
  }, 60_000);

  test('with no migrations at all (no _prisma_migrations): the same line', async () => {
    await sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const result = await onboardDryRun();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^the database is not migrated \(\d+ migrations pending, \d{14}_\w+ first\): run npm run db:migrate first\n$/);
  }, 60_000);
});

describe('npm run manifest:new', () => {
  test('writes a skeleton with a fresh id, a new one each time, and never over an existing file', async () => {
    const first = path.join(workDir, 'an-giang.new.yaml');
    const second = path.join(workDir, 'an-giang.other.yaml');
    const created = await runScript('scripts/new-manifest.ts', ['an-giang', first]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    await runScript('scripts/new-manifest.ts', ['an-giang', second]);
    const [a, b] = [first, second].map((file) => YAML.parse(fs.readFileSync(file, 'utf8')));
    expect(a).toMatchObject({ slug: 'an-giang', name: 'Tỉnh An Giang', gsoCode: '91' });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.id).not.toBe(a.id);
    expect(created.stdout).toContain(`new manifest, id ${a.id}`);

    const content = fs.readFileSync(first, 'utf8');
    const again = await runScript('scripts/new-manifest.ts', ['an-giang', first]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists: not overwritten/);
    expect(fs.readFileSync(first, 'utf8')).toBe(content);
  }, 60_000);
});
