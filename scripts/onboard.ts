// npm run onboard -- tenants/can-tho.yaml [tenants/soc-trang.yaml ...] [--dry-run] [--allow-identity-change]
// Validates every manifest, then checks the database is migrated and that no manifest would change
// an existing province's identity (one bad file: nothing is written), then onboards each in its own
// transaction, merger targets first, and prints what was created and each field it changed.
import fs from 'node:fs';
import { inTransaction } from '../src/db/unit-of-work';
import path from 'node:path';
import { loadConfig } from '../src/config';
import type { Database } from '../src/db/database';
import { pendingMigrations } from '../src/db/migrator';
import { openOwnerDatabase } from '../src/db/owner';
import { checkManifestSet, loadManifest, orderForOnboarding, type ProvinceManifest } from '../src/modules/tenancy/manifest';
import { IDENTITY_CHANGE_FLAG } from '../src/modules/tenancy/onboarding-plan';
import { checkProvinceIdentity, onboardProvince } from '../src/modules/tenancy/onboarding.service';
import { syncNationalCatalogue } from '../src/modules/procedures/procedure.service';

const USAGE = `usage: npm run onboard -- <tenants/province.yaml>... [--dry-run] [${IDENTITY_CHANGE_FLAG}]`;
const FLAGS = ['--dry-run', IDENTITY_CHANGE_FLAG];

class UsageError extends Error {}

function parseArgs(args: string[]): { files: string[]; dryRun: boolean; allowIdentityChange: boolean } {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((flag) => !FLAGS.includes(flag));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(', ')}\n${USAGE}`);
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (files.length === 0) throw new UsageError(USAGE);
  return { files, dryRun: flags.includes('--dry-run'), allowIdentityChange: flags.includes(IDENTITY_CHANGE_FLAG) };
}

// Against missing tables onboarding would fail half-way with Prisma's error; say what to do instead.
async function requireMigrated(database: Database) {
  const pending = await database.withConnection((connection) => pendingMigrations(connection));
  if (pending.length > 0) {
    throw new UsageError(`the database is not migrated (${pending.length} migration${pending.length > 1 ? 's' : ''} pending, ${pending[0]} first): run npm run db:migrate first`);
  }
}

type Entry = { file: string; manifest: ProvinceManifest };

/**
 * A merged province's units need its target's manifest. When the target is not among the given
 * files, read `<slug>.yaml` beside the merged one (it is only read, not onboarded).
 */
function siblingTargets(entries: Entry[]): Entry[] {
  const given = new Set(entries.map((entry) => entry.manifest.slug));
  const siblings = new Map<string, Entry>();
  for (const { file, manifest } of entries) {
    if (!manifest.mergedInto || given.has(manifest.mergedInto) || siblings.has(manifest.mergedInto)) continue;
    const sibling = path.join(path.dirname(file), `${manifest.mergedInto}.yaml`);
    if (fs.existsSync(sibling)) siblings.set(manifest.mergedInto, { file: sibling, manifest: loadManifest(sibling) });
  }
  return [...siblings.values()];
}

async function main() {
  const { files, dryRun, allowIdentityChange } = parseArgs(process.argv.slice(2));
  const entries = files.map((file) => ({ file, manifest: loadManifest(file) }));
  const known = [...entries, ...siblingTargets(entries)];
  checkManifestSet(known);
  const bySlug = new Map(known.map((entry) => [entry.manifest.slug, entry.manifest]));

  const database = await openOwnerDatabase(loadConfig());
  try {
    await requireMigrated(database);
    const ordered = orderForOnboarding(entries).map((entry) => ({
      manifest: entry.manifest,
      options: {
        dryRun,
        allowIdentityChange,
        source: entry.file,
        mergerTarget: entry.manifest.mergedInto ? bySlug.get(entry.manifest.mergedInto) : undefined,
      },
    }));
    for (const { manifest, options } of ordered) await checkProvinceIdentity(database.prisma, manifest, options);
    // The national catalogue is shared reference data; a province's admins enable procedures from it.
    if (!dryRun) {
      const count = await inTransaction(database, { tenantId: null, role: 'owner', timeoutMs: 120_000 }, (tx) => syncNationalCatalogue(tx));
      console.log(`National catalogue: ${count} procedures`);
    }
    for (const { manifest, options } of ordered) {
      const report = await onboardProvince(database, manifest, options);
      console.log(report.lines().join('\n'));
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  // Manifest, usage, configuration and onboarding errors carry a message meant for the reader.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
