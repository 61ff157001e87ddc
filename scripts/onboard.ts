// npm run onboard -- tenants/can-tho.yaml [tenants/soc-trang.yaml ...] [--dry-run]
// Validates every manifest first (one bad file: nothing is written), then onboards each in its own
// transaction, merger targets first, and prints what was created, changed or left alone.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { openOwnerDatabase } from '../src/db/owner';
import { checkManifestSet, loadManifest, orderForOnboarding, type ProvinceManifest } from '../src/modules/tenancy/manifest';
import { onboardProvince } from '../src/modules/tenancy/onboarding.service';
import { syncNationalCatalogue } from '../src/modules/procedures/procedure.service';

const USAGE = 'usage: npm run onboard -- <tenants/province.yaml>... [--dry-run]';

class UsageError extends Error {}

function parseArgs(args: string[]): { files: string[]; dryRun: boolean } {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((flag) => flag !== '--dry-run');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(', ')}\n${USAGE}`);
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (files.length === 0) throw new UsageError(USAGE);
  return { files, dryRun: flags.includes('--dry-run') };
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
  const { files, dryRun } = parseArgs(process.argv.slice(2));
  const entries = files.map((file) => ({ file, manifest: loadManifest(file) }));
  const known = [...entries, ...siblingTargets(entries)];
  checkManifestSet(known);
  const bySlug = new Map(known.map((entry) => [entry.manifest.slug, entry.manifest]));

  const database = await openOwnerDatabase(loadConfig());
  try {
    // The national catalogue is shared reference data; a province's admins enable procedures from it.
    if (!dryRun) {
      const count = await database.prisma.$transaction((tx) => syncNationalCatalogue(tx), { timeout: 120_000 });
      console.log(`National catalogue: ${count} procedures`);
    }
    for (const entry of orderForOnboarding(entries)) {
      const mergerTarget = entry.manifest.mergedInto ? bySlug.get(entry.manifest.mergedInto) : undefined;
      const report = await onboardProvince(database.prisma, entry.manifest, { dryRun, mergerTarget });
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
