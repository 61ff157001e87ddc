// Concurrent statements in one transaction reach the pg client one at a time (pg 9 refuses overlap).
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/generated/prisma/client';
import { withStatementsInLine } from '../src/db/statements-in-line';

/**
 * In one transaction, runs raw statements side by side (as sibling resolvers do) and a query whose
 * relations Prisma loads concurrently; returns the most statements that overlapped on the client.
 */
async function mostOverlapping(inLine: boolean): Promise<number> {
  const pool = new pg.Pool({ connectionString: process.env.TEST_OWNER_URL, max: 2 });
  let running = 0;
  let most = 0;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (typeof args[args.length - 1] === 'function') return query(...args); // the pool's own callback-style calls
      most = Math.max(most, ++running);
      return Promise.resolve(query(...args)).finally(() => running--);
    };
  });
  const factory = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter: inLine ? withStatementsInLine(factory) : factory });
  try {
    const [officials, ...results] = await prisma.$transaction((tx) =>
      Promise.all([
        tx.official.findMany({ take: 3, orderBy: { id: 'asc' }, include: { agency: true, roles: true, workHistory: true } }),
        ...[1, 2, 3].map((n) => tx.$queryRaw<{ n: number }[]>`SELECT ${n}::int AS n, pg_sleep(0.02)::text AS slept`),
      ]),
    );
    expect(results.map((rows) => rows[0].n)).toEqual([1, 2, 3]);
    expect(officials).toHaveLength(3);
    for (const official of officials) expect(official.agency.id).toBe(official.agencyId);
    return most;
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

test('statements of one transaction never overlap on its connection, and each gets its own answer', async () => {
  expect(await mostOverlapping(true)).toBe(1);
});

// pg prints its deprecation warning for this one: the only one a test run should show.
test('without the line they do overlap (so the test above can fail)', async () => {
  expect(await mostOverlapping(false)).toBeGreaterThan(1);
});
