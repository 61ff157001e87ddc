// npm run bench:rls — what row-level security costs, and why the tenant is set once per request.
// On a scratch database seeded with the demo provinces it runs the same "request" (the queries a
// typical directory page makes) three ways and prints ms per request and the ratio to the baseline:
//   baseline     the owner role, no RLS, no transaction (the floor);
//   per-query    app role, each query in its own transaction with set_config (Prisma's RLS example);
//   per-request  app role, one transaction per request, set_config once (what the server does).
// BENCH_SERVER_URL (default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_REQUESTS (default 400).
import pg from 'pg';
import { openPostgres } from '../src/db/database';
import { migrate } from '../src/db/migrator';
import { enterAppScope } from '../src/db/tenant-scope';
import type { PrismaClient } from '../src/generated/prisma/client';
import { seedDemoProvinces } from '../prisma/seed';

const requests = Number(process.env.BENCH_REQUESTS ?? 400);
const serverUrl = new URL(process.env.BENCH_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

type Client = Pick<PrismaClient, 'agency' | 'official' | 'tenant'>;

// Five queries, like a directory page: the province, an agency list, a page of officials with their
// agencies, and two counts.
async function directoryPage(db: Client, tenantId: string) {
  await db.tenant.findUnique({ where: { id: tenantId } });
  const agencies = await db.agency.findMany({ take: 20, orderBy: { name: 'asc' } });
  await db.official.findMany({ take: 20, orderBy: { searchName: 'asc' }, include: { agency: true } });
  await db.official.count({ where: { agencyId: agencies[0]?.id } });
  await db.agency.count();
}

async function time(label: string, run: () => Promise<void>) {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const started = performance.now();
  for (let i = 0; i < requests; i++) await run();
  return { label, msPerRequest: (performance.now() - started) / requests };
}

async function main() {
  const scratch = `egov_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${scratch}"`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${scratch}`;
  const appUrl = new URL(ownerUrl);
  appUrl.username = 'egov_app';
  appUrl.password = '';
  const statements = { count: 0 };
  const owner = openPostgres(ownerUrl.toString(), { poolSize: 1, onStatement: () => statements.count++ });
  const app = openPostgres(appUrl.toString(), { poolSize: 1, onStatement: () => statements.count++ });
  try {
    process.stdout.write('Seeding the demo provinces... ');
    await owner.withConnection((connection) => migrate(connection));
    await seedDemoProvinces(owner.prisma);
    const tenant = await owner.prisma.tenant.findFirstOrThrow({ where: { slug: 'can-tho' } });
    console.log('done.');

    const perQuery = app.prisma.$extends({
      query: {
        $allModels: {
          async $allOperations({ args, query }) {
            const [, result] = await app.prisma.$transaction([
              app.prisma.$executeRaw`SELECT set_config('app.tenant_id', ${tenant.id}, true)`,
              query(args),
            ]);
            return result;
          },
        },
      },
    }) as unknown as Client;

    const runs = [
      await time('baseline (owner, no RLS)', () => directoryPage(owner.prisma, tenant.id)),
      await time('RLS, set per query', () => directoryPage(perQuery, tenant.id)),
      await time('RLS, set per request', () =>
        app.prisma.$transaction(async (tx) => {
          await enterAppScope(tx, tenant.id);
          await directoryPage(tx, tenant.id);
        }),
      ),
    ];
    const statementsPer = async (run: () => Promise<unknown>) => {
      statements.count = 0;
      await run();
      return statements.count;
    };
    const counts = [
      await statementsPer(() => directoryPage(owner.prisma, tenant.id)),
      await statementsPer(() => directoryPage(perQuery, tenant.id)),
      await statementsPer(() => app.prisma.$transaction(async (tx) => { await enterAppScope(tx, tenant.id); await directoryPage(tx, tenant.id); })),
    ];
    const base = runs[0].msPerRequest;
    console.log(`\n${requests} sequential requests of 5 queries each, one connection, PostgreSQL on this machine\n`);
    console.log('mode                        ms/request   statements   ratio to baseline');
    runs.forEach((run, i) =>
      console.log(`${run.label.padEnd(28)}${run.msPerRequest.toFixed(2).padStart(10)}${String(counts[i]).padStart(13)}${(run.msPerRequest / base).toFixed(2).padStart(18)}×`),
    );
  } finally {
    await app.close();
    await owner.close();
    await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
