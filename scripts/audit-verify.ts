// npm run audit:verify -- <province slug or GSO code>
// Recomputes the province's audit hash chain through the owner's connection (MIGRATION_DATABASE_URL,
// DATABASE_URL or the embedded PGlite) and compares it with the chain head. Intact: prints the count
// and the head hash, exits 0. Broken: prints the first broken link (position, entry id, why), exits 2.
import { loadConfig } from '../src/config';
import { matchProvince } from '../src/context/province-directory';
import { openOwnerDatabase } from '../src/db/owner';
import { inTransaction } from '../src/db/unit-of-work';
import { verifyProvinceChain } from '../src/modules/audit/audit.service';
import { verdictLine } from '../src/modules/audit/audit-chain';

const USAGE = 'usage: npm run audit:verify -- <province slug or GSO code>';

async function main() {
  const selector = process.argv[2];
  if (!selector || process.argv.length > 3) {
    console.error(USAGE);
    process.exit(1);
  }
  const database = await openOwnerDatabase(loadConfig());
  try {
    const tenants = await database.prisma.tenant.findMany();
    const province = matchProvince(tenants, selector, new Date());
    if (!province) {
      console.error(`no province "${selector}" (a slug such as can-tho, or a GSO code such as 92)`);
      process.exit(1);
    }
    // One snapshot: the head and every entry as of one moment, while the API goes on appending.
    const verdict = await inTransaction(database, { tenantId: province.id, role: 'owner', timeoutMs: 30 * 60_000, snapshot: true }, (db) =>
      verifyProvinceChain(db, province.id),
    );
    if (verdict.intact) console.log(verdictLine(province.slug, verdict));
    else {
      console.error(verdictLine(province.slug, verdict));
      process.exitCode = 2;
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
