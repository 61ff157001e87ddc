// npm run bench:rls — what row-level security costs, and why the tenant is set once per request.
// On a scratch database seeded with the demo provinces it runs the same "request" (the queries a
// typical directory page makes) three ways and prints ms per request and the ratio to the baseline:
//   baseline     the owner role, no RLS, no transaction (the floor);
//   per-query    app role, each query in its own transaction with set_config (Prisma's RLS example);
//   per-request  app role, one transaction per request, set_config once (what the server does).
// BENCH_SERVER_URL (default postgresql://postgres@127.0.0.1:5432), BENCH_REQUESTS (default 800).
import { openPostgres } from '../src/db/database';
import { createScratchDatabase } from '../src/db/scratch-database';
import { enterAppScope } from '../src/db/tenant-scope';
import type { PrismaClient } from '../src/generated/prisma/client';
import { seedDemoProvinces } from '../prisma/seed';

const requests = Number(process.env.BENCH_REQUESTS ?? 800);

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

// The modes take turns, a round at a time, so that warm caches and machine noise fall on all alike.
async function timeInRounds(modes: { label: string; run: () => Promise<unknown> }[], rounds = 8) {
  for (const mode of modes) for (let i = 0; i < 20; i++) await mode.run(); // warm-up
  const totals = modes.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [index, mode] of modes.entries()) {
      const started = performance.now();
      for (let i = 0; i < requests / rounds; i++) await mode.run();
      totals[index] += performance.now() - started;
    }
  }
  return modes.map((mode, index) => ({ label: mode.label, msPerRequest: totals[index] / requests }));
}

async function main() {
  process.stdout.write('Seeding the demo provinces... ');
  const scratch = await createScratchDatabase('egov_bench', process.env.BENCH_SERVER_URL);
  const statements = { count: 0 };
  const owner = openPostgres(scratch.ownerUrl, { poolSize: 1, onStatement: () => statements.count++ });
  const app = openPostgres(scratch.appUrl, { poolSize: 1, onStatement: () => statements.count++ });
  try {
    await seedDemoProvinces(owner);
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

    const perRequest = () =>
      app.prisma.$transaction(async (tx) => {
        await enterAppScope(tx, tenant.id);
        await directoryPage(tx, tenant.id);
      });
    const modes = [
      { label: 'baseline (owner, no RLS)', run: () => directoryPage(owner.prisma, tenant.id) },
      { label: 'RLS, set per query', run: () => directoryPage(perQuery, tenant.id) },
      { label: 'RLS, set per request', run: perRequest },
    ];
    const runs = await timeInRounds(modes);
    const statementsPer = async (run: () => Promise<unknown>) => {
      statements.count = 0;
      await run();
      return statements.count;
    };
    const counts: number[] = [];
    for (const mode of modes) counts.push(await statementsPer(mode.run));
    const base = runs[0].msPerRequest;
    console.log(`\n${requests} sequential requests per mode (5 queries each), modes interleaved in 8 rounds, one connection each\n`);
    console.log('mode                        ms/request   statements   ratio to baseline');
    runs.forEach((run, i) =>
      console.log(`${run.label.padEnd(28)}${run.msPerRequest.toFixed(2).padStart(10)}${String(counts[i]).padStart(13)}${(run.msPerRequest / base).toFixed(2).padStart(18)}×`),
    );
  } finally {
    await app.close();
    await owner.close();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
