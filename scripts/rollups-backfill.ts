// npm run rollups:backfill -- [<province slug or GSO code> ...] [--again]
// Rebuilds the dossier roll-ups (daily and monthly figures) from the dossiers, province by province,
// through the owner's connection (MIGRATION_DATABASE_URL, DATABASE_URL or the embedded PGlite). Without
// provinces: every province. A province already rebuilt is skipped unless --again: a run stopped
// half-way goes on with the provinces left. Safe while the API runs (see src/modules/indicators/backfill.ts).
import { loadConfig } from '../src/config';
import { matchProvince } from '../src/context/province-directory';
import { openOwnerDatabase } from '../src/db/owner';
import { backfillRollUps } from '../src/modules/indicators/backfill';

const USAGE = 'usage: npm run rollups:backfill -- [<province slug or GSO code> ...] [--again]';

async function main() {
  const args = process.argv.slice(2);
  const again = args.includes('--again');
  const selectors = args.filter((arg) => arg !== '--again');
  if (selectors.some((selector) => selector.startsWith('-'))) {
    console.error(USAGE);
    process.exit(1);
  }
  const database = await openOwnerDatabase(loadConfig());
  try {
    const tenants = await database.prisma.tenant.findMany({ orderBy: { slug: 'asc' } });
    const chosen = selectors.length ? selectors.map((selector) => matchProvince(tenants, selector, new Date())) : tenants;
    const unknown = selectors.filter((_selector, index) => !chosen[index]);
    if (unknown.length) {
      console.error(`no province ${unknown.map((selector) => `"${selector}"`).join(', ')} (a slug such as can-tho, or a GSO code such as 92)`);
      process.exit(1);
    }
    const slugOf = new Map(tenants.map((tenant) => [tenant.id, tenant.slug]));
    const report = await backfillRollUps(database, chosen.map((tenant) => tenant!.id), {
      again,
      onProvince: (tenantId, ms) => console.log(`${slugOf.get(tenantId)}: rebuilt in ${ms} ms`),
    });
    for (const tenantId of report.skipped) console.log(`${slugOf.get(tenantId)}: already rebuilt (--again to rebuild)`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
