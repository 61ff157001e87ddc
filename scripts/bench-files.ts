// npm run bench:files — a 50 MB official document uploaded and downloaded through the API (POST
// /files, GET /files/:id) against a bare node:http + pg baseline doing the same chunked writes and
// reads (scripts/bench/file-baseline.ts), each server a process of its own on a scratch database
// (dropped at the end). Interleaved rounds; printed per server: the median MB/s of upload and
// download, and the server's resident memory idle and at its peak while each transfer ran (VmRSS
// sampled every 20 ms): a streamed upload must not hold the file in memory.
//
//   npm run bench:files -- [--megabytes 50] [--rounds 3]
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { openPostgres } from '../src/db/database';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database';
import { seedDemoProvinces } from '../prisma/seed';
import { freePort, memoryKb, startServerProcess, stopAll, type ServerProcess } from './bench/processes';

const { values: args } = parseArgs({ options: { megabytes: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' } } });
const MEGABYTES = Number(args.megabytes);
const ROUNDS = Number(args.rounds);
const SECRET = 'bench-secret-0123456789abcdef-0123456789';
const PIECE = 64 * 1024;

/** The upload's bytes, made as they are sent (a PDF header, then filler): the client holds 64 kB at a time. */
function* pieces(total: number): Generator<Buffer> {
  const filler = Buffer.alloc(PIECE, 'Kế hoạch phát triển kinh tế - xã hội năm 2027. ');
  let sent = 0;
  while (sent < total) {
    const piece = sent === 0 ? Buffer.concat([Buffer.from('%PDF-1.7\n'), filler]).subarray(0, PIECE) : filler;
    const part = piece.subarray(0, Math.min(PIECE, total - sent));
    sent += part.length;
    yield part;
  }
}

interface Transfer {
  seconds: number;
  peakRssKb: number;
  idleRssKb: number;
  sha256: string;
  answer: string;
}

function sampling(pid: number) {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, memoryKb(pid).rss));
  sample();
  const timer = setInterval(sample, 20);
  return () => (clearInterval(timer), sample(), peak);
}

function upload(server: ServerProcess, path: string, headers: Record<string, string>, total: number): Promise<Transfer> {
  const idleRssKb = memoryKb(server.pid).rss;
  const stop = sampling(server.pid);
  const hash = crypto.createHash('sha256');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/pdf', 'content-length': String(total) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 201) return reject(new Error(`${server.name}: upload answered ${res.statusCode}: ${answer}`));
        resolve({ seconds: (performance.now() - started) / 1000, peakRssKb: stop(), idleRssKb, sha256: hash.digest('hex'), answer });
      });
    });
    req.on('error', reject);
    const source = pieces(total);
    const more = () => {
      for (let step = source.next(); !step.done; step = source.next()) {
        hash.update(step.value);
        if (!req.write(step.value)) return void req.once('drain', more);
      }
      req.end();
    };
    more();
  });
}

function download(server: ServerProcess, path: string, headers: Record<string, string>): Promise<Transfer> {
  const idleRssKb = memoryKb(server.pid).rss;
  const stop = sampling(server.pid);
  const hash = crypto.createHash('sha256');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${server.name}: download answered ${res.statusCode}`));
        res.on('data', (chunk: Buffer) => hash.update(chunk));
        res.on('end', () => resolve({ seconds: (performance.now() - started) / 1000, peakRssKb: stop(), idleRssKb, sha256: hash.digest('hex'), answer: '' }));
      })
      .on('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (kb: number) => (kb / 1024).toFixed(0);

async function main() {
  let scratch: ScratchDatabase | null = null;
  try {
    scratch = await createScratchDatabase('egov_bench_files');
    const demo = openPostgres(scratch.ownerUrl, { poolSize: 2 });
    await seedDemoProvinces(demo).finally(() => demo.close());
    const owner = new pg.Client({ connectionString: scratch.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query(
      `SELECT t.id AS tenant_id, t.slug, a.code, o.id AS official_id FROM official o JOIN agency a ON a.tenant_id = o.tenant_id AND a.id = o.agency_id
       JOIN tenant t ON t.id = o.tenant_id WHERE o.status = 'WORKING' ORDER BY t.slug, a.code LIMIT 1`,
    );
    await owner.end();
    const target = rows[0];
    // Signed here as a development token; the API (in production mode) checks it with the same secret.
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'development' } as NodeJS.ProcessEnv);
    const token = await signDevToken(buildDevTokenClaims({ province: target.tenant_id, roles: ['official', 'receiving_clerk'], agency: target.code, sub: target.official_id }), config);
    const apiPort = await freePort();
    const api = await startServerProcess({
      name: 'API',
      script: 'src/main.ts',
      port: apiPort,
      env: { NODE_ENV: 'production', DATABASE_URL: scratch.appUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'silent', PORT: String(apiPort), FILE_MAX_MB_DOCUMENT: String(Math.max(50, MEGABYTES + 1)), RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_PROVINCE: '0' },
    });
    const basePort = await freePort();
    const baseline = await startServerProcess({ name: 'baseline', script: 'scripts/bench/file-baseline.ts', args: [scratch.appUrl, String(basePort), target.tenant_id], env: {}, port: basePort });
    const total = MEGABYTES * 1024 * 1024;
    const headers = { authorization: `Bearer ${token}`, 'x-province': target.slug };
    const results = new Map<string, { up: Transfer[]; down: Transfer[] }>([['API', { up: [], down: [] }], ['baseline', { up: [], down: [] }]]);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [api, baseline] : [baseline, api];
      for (const server of order) {
        const isApi = server === api;
        const up = await upload(server, isApi ? `/files?kind=DOCUMENT&name=${encodeURIComponent('Kế hoạch 78-KH-UBND.pdf')}` : '/upload', headers, total);
        const { downloadUrl, sha256 } = JSON.parse(up.answer);
        if (isApi && sha256 !== up.sha256) throw new Error('the API stored a different SHA-256 than was sent');
        const down = await download(server, downloadUrl, headers);
        if (down.sha256 !== up.sha256) throw new Error(`${server.name}: the download differs from the upload`);
        results.get(server.name)!.up.push(up);
        results.get(server.name)!.down.push(down);
      }
    }
    console.log(`\nA ${MEGABYTES} MB file, ${ROUNDS} interleaved rounds (median; resident memory of the server process)\n`);
    console.log('| server | upload MB/s | RSS idle → peak during upload | download MB/s | RSS peak during download |');
    console.log('|---|---:|---:|---:|---:|');
    const rate = (transfers: Transfer[]) => median(transfers.map((t) => MEGABYTES / t.seconds));
    for (const [name, { up, down }] of results) {
      console.log(`| ${name} | ${rate(up).toFixed(1)} | ${mb(median(up.map((t) => t.idleRssKb)))} → ${mb(median(up.map((t) => t.peakRssKb)))} MB | ${rate(down).toFixed(1)} | ${mb(median(down.map((t) => t.peakRssKb)))} MB |`);
    }
    const apiResults = results.get('API')!;
    const baseResults = results.get('baseline')!;
    console.log(`\nAPI/baseline: upload ${(rate(apiResults.up) / rate(baseResults.up)).toFixed(2)}×, download ${(rate(apiResults.down) / rate(baseResults.down)).toFixed(2)}×`);
    console.log(`API peak over idle during upload: +${mb(median(apiResults.up.map((t) => t.peakRssKb - t.idleRssKb)))} MB for a ${MEGABYTES} MB file`);
  } finally {
    await stopAll().catch(() => undefined);
    await scratch?.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
