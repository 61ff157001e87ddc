// npm run bench:fairness — does one province's load starve another's? On a scratch database (dropped
// at the end) seeded with the demo provinces, the real server runs in-process as egov_app with the
// default pool (10) and the rate limits on (PostgreSQL store, limits set high enough that they do not
// refuse the load: their cost is measured, not their refusals). One autocannon drives 60 connections
// of a province admin's directory page in Đà Nẵng while another, on one connection, sends Cần Thơ's
// simple query; Cần Thơ's p50/p99 is measured alone, under the load without the cap (the cap set to
// the whole pool), with half the pool and with the default cap (a quarter of it), and the ratios printed.
//
//   npm run bench:fairness -- [--duration 10] [--connections 60]
//
// BENCH_SERVER_URL: the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432).
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { openPostgres, type Database } from '../src/db/database';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database';
import { createLogger } from '../src/logger';
import { startServer, type AppServer } from '../src/server';
import { seedDemoProvinces } from '../prisma/seed';
import { runLoad, type LoadRequest, type LoadResult } from './bench/load';

const { values: args } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '60' } } });
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const POOL_SIZE = 10; // the server's default DATABASE_POOL_SIZE

const HEAVY = `{ officials(first: 20) { totalCount edges { node { fullName position email agency { name parent { name } } } } } agencies(first: 100) { totalCount edges { node { code name } } } }`;
const SIMPLE = `{ agencies(first: 1) { totalCount } }`;

const json = { 'content-type': 'application/json' };
const graphql = (query: string, headers: Record<string, string>): LoadRequest => ({ path: '/graphql', headers: { ...json, ...headers }, body: JSON.stringify({ query }) });
const ms = (value: number) => `${value.toFixed(0)} ms`;

interface Mode {
  name: string;
  cap: number | null;
  load: boolean;
}

async function main() {
  if (![DURATION, CONNECTIONS].every((value) => Number.isInteger(value) && value > 0)) throw new Error('--duration and --connections take positive integers');
  let scratch: ScratchDatabase | null = null;
  let database: Database | null = null;
  let api: AppServer | null = null;
  const cleanUp = async () => {
    await api?.stop().catch(() => undefined);
    await database?.close().catch(() => undefined);
    if (scratch) await scratch.drop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    scratch = await createScratchDatabase('egov_bench_fair', process.env.BENCH_SERVER_URL);
    const demo = openPostgres(scratch.ownerUrl, { poolSize: 2 });
    await seedDemoProvinces(demo).finally(() => demo.close());
    const owner = new pg.Client({ connectionString: scratch.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query<{ id: string }>(`SELECT id FROM tenant WHERE slug = 'da-nang'`).finally(() => owner.end());
    const daNangId = rows[0].id;

    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: scratch.appUrl,
      JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      RATE_LIMIT_PER_SUBJECT: '100000000',
      RATE_LIMIT_PER_ADDRESS: '100000000',
      RATE_LIMIT_PER_PROVINCE: '100000000',
    };
    const admin = { authorization: `Bearer ${await signDevToken(buildDevTokenClaims({ province: daNangId, roles: ['official', 'province_admin'] }), loadConfig(env))}` };
    const modes: Mode[] = [
      { name: 'Cần Thơ alone', cap: null, load: false },
      { name: `under load, no cap (cap = pool = ${POOL_SIZE})`, cap: POOL_SIZE, load: true },
      { name: 'under load, cap 5 per province (half the pool)', cap: 5, load: true },
      { name: `under load, default cap (${Math.ceil(POOL_SIZE / 4)} per province)`, cap: null, load: true },
    ];
    const results: { mode: Mode; simple: LoadResult; heavy: LoadResult | null }[] = [];
    database = openPostgres(scratch.appUrl, { poolSize: POOL_SIZE });
    for (const mode of modes) {
      const config = loadConfig({ ...env, ...(mode.cap ? { PROVINCE_MAX_CONCURRENT: String(mode.cap) } : {}) });
      api = await startServer({ config, database, logger: createLogger('silent'), port: 0 });
      const url = `http://127.0.0.1:${api.port}`;
      // Warm up (JIT, the pool, the province directory), then measure.
      await runLoad({ url, connections: 4, duration: 2, requests: [graphql(SIMPLE, { 'x-province': 'can-tho' }), graphql(HEAVY, admin)], expect: '"totalCount"' });
      process.stderr.write(`measuring ${mode.name}...\n`);
      const [simple, heavy] = await Promise.all([
        runLoad({ url, connections: 1, duration: DURATION, requests: [graphql(SIMPLE, { 'x-province': 'can-tho' })], expect: '"totalCount"' }),
        mode.load ? runLoad({ url, connections: CONNECTIONS, duration: DURATION, requests: [graphql(HEAVY, admin)], expect: '"totalCount"' }) : Promise.resolve(null),
      ]);
      results.push({ mode, simple, heavy });
      await api.stop();
      api = null;
    }

    const alone = results[0].simple;
    console.log(`\nCần Thơ's "${SIMPLE}" on one connection, while Đà Nẵng's province admin sends a directory page on ${CONNECTIONS} connections`);
    console.log(`(${DURATION} s each, pool ${POOL_SIZE}, rate limits on, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 10)})\n`);
    console.log('| mode | Cần Thơ p50 | Cần Thơ p99 | p99 vs alone | Cần Thơ bad | Đà Nẵng req/s | Đà Nẵng p99 | Đà Nẵng refused (PROVINCE_BUSY) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const { mode, simple, heavy } of results) {
      console.log(
        `| ${mode.name} | ${ms(simple.p50)} | ${ms(simple.p99)} | ${(simple.p99 / Math.max(alone.p99, 1)).toFixed(1)}× | ${simple.bad} | ` +
          `${heavy ? heavy.requestsPerSecond.toFixed(0) : '–'} | ${heavy ? ms(heavy.p99) : '–'} | ${heavy ? heavy.bad : '–'} |`,
      );
    }
    const [, uncapped, ...capped] = results;
    for (const { mode, simple } of capped) {
      console.log(`Cần Thơ under the load, ${mode.name.replace('under load, ', '')}: p99 ${(uncapped.simple.p99 / Math.max(simple.p99, 1)).toFixed(1)}× lower than without the cap, p50 ${(uncapped.simple.p50 / Math.max(simple.p50, 1)).toFixed(1)}× lower`);
    }
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
