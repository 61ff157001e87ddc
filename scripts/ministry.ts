// npm run ministry -- <command>: ministries as callers of the national indicators, through the owner's
// connection (MIGRATION_DATABASE_URL, DATABASE_URL or the embedded PGlite). The API's grantMinistry
// and revokeMinistry do the same for a platform admin; both write through ministry.service.ts.
//   add <CODE> <name>                                   register a ministry (its tokens carry CODE as subject)
//   grant <CODE> <province> [--indicators A,B] [--fields F1,F2]   let it read a province (replaces its grant)
//   revoke <CODE> <province>                            take the grant away
//   list                                                ministries and their grants
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { matchProvince } from '../src/context/province-directory';
import { openOwnerDatabase } from '../src/db/owner';
import { inTransaction } from '../src/db/unit-of-work';
import { AppError } from '../src/errors';
import { deleteGrant, MINISTRY_CODE, writeGrant } from '../src/modules/indicators/ministry.service';

const USAGE = `usage: npm run ministry -- add <CODE> <name> | grant <CODE> <province> [--indicators A,B] [--fields F1,F2] | revoke <CODE> <province> | list`;

const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []);

async function main() {
  const { values, positionals } = parseArgs({ options: { indicators: { type: 'string' }, fields: { type: 'string' } }, allowPositionals: true, strict: true });
  const [command, code, ...rest] = positionals;
  const fail = (message: string) => {
    console.error(message);
    process.exit(1);
  };
  if (!command || !['add', 'grant', 'revoke', 'list'].includes(command)) return fail(USAGE);
  const database = await openOwnerDatabase(loadConfig());
  const owner = (tenantId: string | null) => ({ tenantId, role: 'owner' as const, timeoutMs: 60_000 });
  try {
    if (command === 'list') {
      const ministries = await database.prisma.ministry.findMany({ orderBy: { code: 'asc' } });
      const tenants = await database.prisma.tenant.findMany({ orderBy: { slug: 'asc' } });
      // Grants are rows of their province (row-level security): one read in each province's scope.
      const grants = [];
      for (const tenant of tenants) {
        const ofTenant = await inTransaction(database, owner(tenant.id), (db) => db.ministryGrant.findMany({ where: { tenantId: tenant.id } }));
        grants.push(...ofTenant.map((grant) => ({ ...grant, slug: tenant.slug })));
      }
      for (const ministry of ministries) {
        console.log(`${ministry.code}\t${ministry.name}`);
        for (const grant of grants.filter((candidate) => candidate.ministryId === ministry.id)) {
          console.log(`  ${grant.slug}\tindicators: ${grant.indicators.join(',') || 'all'}\tfields: ${grant.fieldCodes.join(',') || 'all'}`);
        }
      }
      return;
    }
    if (!code || !MINISTRY_CODE.test(code)) return fail(`a ministry code is capital letters and digits, e.g. BTP\n${USAGE}`);
    if (command === 'add') {
      const name = rest.join(' ').trim();
      if (!name) return fail(USAGE);
      await database.prisma.ministry.upsert({ where: { code }, create: { code, name }, update: { name } });
      console.log(`${code}: ${name}`);
      return;
    }
    const [selector] = rest;
    const tenants = await database.prisma.tenant.findMany();
    const province = selector ? matchProvince(tenants, selector, new Date()) : null;
    if (!province) return fail(`no province "${selector ?? ''}" (a slug such as can-tho, or a GSO code such as 92)\n${USAGE}`);
    if (command === 'grant') {
      const grant = await inTransaction(database, owner(province.id), (db) =>
        writeGrant(db, province.id, { ministryCode: code, indicators: list(values.indicators), fieldCodes: list(values.fields) }, 'cli', new Date()),
      );
      console.log(`${code} may read ${province.slug}: indicators ${grant.indicators.join(',') || 'all'}, fields ${grant.fieldCodes.join(',') || 'all'}`);
    } else {
      const revoked = await inTransaction(database, owner(province.id), (db) => deleteGrant(db, province.id, code));
      console.log(revoked ? `${code} may no longer read ${province.slug}` : `${code} had no grant on ${province.slug}`);
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof AppError) {
    const details = (error.extensions.fieldErrors as { message: string }[] | undefined)?.map((field) => field.message).join('; ');
    console.error(details ? `${error.message} ${details}` : error.message);
  } else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
