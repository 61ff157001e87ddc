// npm run bench:documents — official documents at a province's volume: searching 200,000 issued
// documents and issuing signed ones, through the API and through the bare node:http + pg baseline
// (scripts/bench/baseline-server.ts: the same SQL by hand), each a process of its own on a scratch
// database (dropped at the end). Printed: search req/s and p99 of both in interleaved rounds and their
// ratio, issues per second of both (10 at once, each document issued once), the numbers checked for
// gaps and duplicates, and the plan of a search.
//
//   npm run bench:documents -- [--documents 200000] [--rounds 3] [--duration 8] [--issues 600]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { openPostgres } from '../src/db/database';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database';
import { foldForSearch } from '../src/kernel/text';
import { vietnamDateOf } from '../src/kernel/vietnam-time';
import { DOCUMENT_TYPES, defaultIssuerAbbreviation, formatSymbol, type DocumentType } from '../src/modules/documents/document-symbol';
import { searchTextOf, wordsQuery } from '../src/modules/documents/document-search';
import { seedDemoProvinces } from '../prisma/seed';
import { runLoad, type LoadRequest } from './bench/load';
import { freePort, startServerProcess, stopAll, type ServerProcess } from './bench/processes';

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
    issues: { type: 'string', default: '600' },
  },
});
const DOCUMENTS = Number(args.documents);
const ROUNDS = Number(args.rounds);
const DURATION = Number(args.duration);
const ISSUES = Number(args.issues);
const SECRET = 'bench-secret-0123456789abcdef-0123456789';
const CONCURRENCY = 10;
const YEAR = Number(vietnamDateOf(new Date()).slice(0, 4));

// What provincial documents are about: each summary is a type, a subject and a scope.
const SUBJECTS = [
  'cải cách hành chính nhà nước', 'chuyển đổi số', 'phòng, chống thiên tai và tìm kiếm cứu nạn', 'tuyển dụng công chức', 'sắp xếp đơn vị hành chính cấp xã',
  'xây dựng nông thôn mới', 'phát triển kinh tế - xã hội', 'bảo vệ môi trường', 'quản lý đất đai', 'phòng, chống dịch bệnh', 'an toàn giao thông',
  'thu ngân sách nhà nước', 'đầu tư công', 'giải quyết khiếu nại, tố cáo', 'đào tạo, bồi dưỡng cán bộ', 'thi đua, khen thưởng', 'phổ biến, giáo dục pháp luật',
  'bảo hiểm xã hội, bảo hiểm y tế', 'giảm nghèo bền vững', 'phát triển du lịch', 'quản lý chợ và thương mại', 'cấp nước sạch nông thôn', 'chỉnh lý tài liệu lưu trữ',
];
const SCOPES = ['năm 2026', 'năm 2027', 'giai đoạn 2026 - 2030', 'quý I', 'quý II', '6 tháng đầu năm', 'trên địa bàn tỉnh', 'tại các phường, xã', 'đợt 1', 'đợt 2'];
const TYPES: DocumentType[] = ['KE_HOACH', 'QUYET_DINH', 'BAO_CAO', 'THONG_BAO', 'CONG_VAN', 'TO_TRINH', 'HUONG_DAN', 'CHI_THI', 'GIAY_MOI'];
const SIGNERS = ['Nguyễn Văn Hùng', 'Trần Thị Thu Hà', 'Lê Minh Tuấn', 'Phạm Quốc Bảo', 'Võ Ngọc Lan', 'Huỳnh Đức Thắng'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function seedDocuments(owner: pg.Client, tenantId: string, agencies: { id: string; name: string }[]) {
  const perBatch = 10_000;
  const numbers = new Map<string, number>();
  for (let done = 0; done < DOCUMENTS; done += perBatch) {
    const rows: unknown[][] = [[], [], [], [], [], [], [], [], [], [], []];
    for (let i = done; i < Math.min(DOCUMENTS, done + perBatch); i++) {
      const agency = agencies[i % agencies.length];
      const type = TYPES[i % TYPES.length];
      const dispatch = type === 'CONG_VAN';
      const subject = SUBJECTS[(i * 7) % SUBJECTS.length];
      const summary = `${dispatch ? 'V/v' : DOCUMENT_TYPES[type].name} ${subject} ${SCOPES[(i * 3) % SCOPES.length]}`;
      const year = i % 2 === 0 ? YEAR : YEAR - 1;
      const key = `${agency.id}:${year}`;
      const number = (numbers.get(key) ?? 0) + 1;
      numbers.set(key, number);
      const symbol = formatSymbol({ number, type, issuer: defaultIssuerAbbreviation(agency.name), unit: dispatch ? 'VP' : null });
      const signerName = SIGNERS[i % SIGNERS.length];
      const day = new Date(Date.UTC(year, 0, 1) + ((i * 37) % 330) * 86_400_000);
      [tenantId, agency.id, type, summary, symbol, number, year, day, signerName, searchTextOf({ summary, type, symbol, signerName }), dispatch ? 'VP' : null].forEach((value, column) =>
        rows[column].push(value),
      );
    }
    await owner.query(
      `INSERT INTO official_document (tenant_id, id, issuer_id, type, summary, symbol, number, year, issued_on, signer_name, search_text, drafting_unit,
         status, series, recipients_text, drafted_by_id, drafted_by_name, created_at, issued_at, place)
       SELECT t, gen_random_uuid(), a, ty::"DocumentType", s, sy, n, y, d, sg, st, du,
         'ISSUED', 'REGULAR', '- Lưu: VT.', gen_random_uuid(), 'Chuyên viên', d, d, 'Tỉnh'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::date[], $9::text[], $10::text[], $11::text[])
         AS x(t, a, ty, s, sy, n, y, d, sg, st, du)`,
      rows,
    );
    process.stderr.write(`\r${Math.min(DOCUMENTS, done + perBatch).toLocaleString('en-US')} documents`);
  }
  process.stderr.write('\n');
  for (const [key, last] of numbers) {
    const [agencyId, year] = key.split(':');
    await owner.query(`INSERT INTO document_counter (tenant_id, agency_id, year, series, last_value) VALUES ($1, $2, $3, 'REGULAR', $4)`, [tenantId, agencyId, Number(year), last]);
  }
}

/** `count` signed plans of the agency, ready to issue; their ids. */
async function seedSigned(owner: pg.Client, tenantId: string, agencyId: string, officialId: string, count: number): Promise<string[]> {
  const { rows } = await owner.query(
    `INSERT INTO official_document (tenant_id, id, issuer_id, type, summary, status, recipients_text, drafted_by_id, drafted_by_name, signer_id, signer_name,
       signer_authority, signer_position, created_at, search_text)
     SELECT $1, gen_random_uuid(), $2, 'KE_HOACH', 'Kế hoạch kiểm tra công tác văn thư, lưu trữ số ' || g, 'SIGNED', '- Lưu: VT.', $3, 'Chuyên viên', $3, 'Lê Minh Tuấn',
       'KT', 'Phó Giám đốc', now(), 'ke hoach kiem tra cong tac van thu luu tru so ' || g
     FROM generate_series(1, $4) g RETURNING id`,
    [tenantId, agencyId, officialId, count],
  );
  return rows.map((row) => row.id);
}

/** Issues every document, CONCURRENCY at a time; issues per second and the numbers given. */
async function issueAll(ids: string[], send: (id: string) => Promise<number>): Promise<{ perSecond: number; numbers: number[] }> {
  const queue = [...ids];
  const numbers: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) numbers.push(await send(id));
    }),
  );
  return { perSecond: ids.length / ((performance.now() - started) / 1000), numbers };
}

function checkNumbers(name: string, numbers: number[]) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const duplicates = sorted.filter((n, i) => i > 0 && sorted[i - 1] === n).length;
  const gaps = sorted.length ? sorted[sorted.length - 1] - sorted[0] + 1 - (sorted.length - duplicates) : 0;
  if (duplicates || gaps) throw new Error(`${name}: ${duplicates} duplicate and ${gaps} missing numbers`);
  return `${sorted[0]}–${sorted[sorted.length - 1]}, no duplicate, no gap`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as any;
  if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 300));
  return json.data;
}

async function main() {
  let scratch: ScratchDatabase | null = null;
  try {
    scratch = await createScratchDatabase('egov_bench_docs');
    const demo = openPostgres(scratch.ownerUrl, { poolSize: 2 });
    await seedDemoProvinces(demo).finally(() => demo.close());
    const owner = new pg.Client({ connectionString: scratch.ownerUrl });
    await owner.connect();
    const { rows: [target] } = await owner.query(
      `SELECT t.id AS tenant_id, t.slug, a.id AS agency_id, a.code, a.name, min(o.id::text) AS official_id
       FROM agency a JOIN tenant t ON t.id = a.tenant_id JOIN official o ON o.tenant_id = a.tenant_id AND o.agency_id = a.id AND o.status = 'WORKING'
       WHERE t.status = 'ACTIVE' GROUP BY t.id, t.slug, a.id, a.code, a.name ORDER BY t.slug, a.code LIMIT 1`,
    );
    const { rows: agencies } = await owner.query(`SELECT id, name FROM agency WHERE tenant_id = $1 ORDER BY code`, [target.tenant_id]);
    let started = performance.now();
    await seedDocuments(owner, target.tenant_id, agencies);
    await owner.query('VACUUM (ANALYZE) official_document');
    console.log(`${DOCUMENTS.toLocaleString('en-US')} issued documents of ${agencies.length} agencies of ${target.slug} seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const env = { NODE_ENV: 'production', DATABASE_URL: scratch.appUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'silent', RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_PROVINCE: '0', PROVINCE_MAX_CONCURRENT: '10' };
    const apiPort = await freePort();
    const api = await startServerProcess({ name: 'API', script: 'src/main.ts', port: apiPort, env: { ...env, PORT: String(apiPort) } });
    const basePort = await freePort();
    const baseline = await startServerProcess({ name: 'baseline', script: 'scripts/bench/baseline-main.ts', args: [scratch.appUrl, '10', String(basePort)], env: {}, port: basePort });
    // Signed here as development tokens; the API (in production mode) checks them with the same secret.
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'development' } as NodeJS.ProcessEnv);
    const sign = (roles: string[]) => signDevToken(buildDevTokenClaims({ province: target.tenant_id, roles, agency: target.code, sub: target.official_id }), config);
    const reader = { authorization: `Bearer ${await sign(['official', 'handler'])}`, 'x-province': target.slug, 'content-type': 'application/json' };
    const clerk = { authorization: `Bearer ${await sign(['official', 'document_clerk'])}`, 'x-province': target.slug };

    // ---------------------------------------------------------------- search
    const searches = SUBJECTS.map((subject, i) => `${foldForSearch(subject).split(' ').slice(0, 3).join(' ')} ${foldForSearch(SCOPES[i % SCOPES.length]).split(' ')[0]}`);
    const QUERY = 'query($text: String!) { documentSearch(text: $text, first: 20) { edges { node { id symbol summary issuedOn } } } }';
    const apiRequests: LoadRequest[] = searches.map((text) => ({ path: '/graphql', headers: reader, body: JSON.stringify({ query: QUERY, variables: { text } }) }));
    const baseRequests: LoadRequest[] = searches.map((text) => ({ path: '/document-search', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: target.tenant_id, words: wordsQuery(text) }) }));
    const sample = await post(`${api.url}/graphql`, { query: QUERY, variables: { text: searches[0] } }, reader);
    if (!sample.documentSearch.edges.length) throw new Error(`the search "${searches[0]}" found nothing`);
    await runLoad({ url: api.url, connections: CONCURRENCY, duration: 3, requests: apiRequests, expect: 'documentSearch' });
    await runLoad({ url: baseline.url, connections: CONCURRENCY, duration: 3, requests: baseRequests, expect: 'documentSearch' });
    const rounds: { api: number; base: number; apiP99: number; baseP99: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const run = (server: ServerProcess) =>
        runLoad({ url: server.url, connections: CONCURRENCY, duration: DURATION, requests: server === api ? apiRequests : baseRequests, expect: 'documentSearch' });
      const [first, second] = round % 2 === 0 ? [api, baseline] : [baseline, api];
      const a = await run(first);
      const b = await run(second);
      const [apiResult, baseResult] = first === api ? [a, b] : [b, a];
      if (apiResult.bad || baseResult.bad) throw new Error(`bad responses: ${apiResult.sample ?? baseResult.sample}`);
      rounds.push({ api: apiResult.requestsPerSecond, base: baseResult.requestsPerSecond, apiP99: apiResult.p99, baseP99: baseResult.p99 });
    }

    // ---------------------------------------------------------------- issuing
    const apiIds = await seedSigned(owner, target.tenant_id, target.agency_id, target.official_id, ISSUES);
    const baseIds = await seedSigned(owner, target.tenant_id, target.agency_id, target.official_id, ISSUES);
    const globalId = (id: string) => Buffer.from(`OfficialDocument:${id}`).toString('base64');
    const MOVE = 'mutation($id: ID!) { moveDocument(input: { documentId: $id, action: ISSUE }) { number symbol } }';
    started = performance.now();
    const apiIssued = await issueAll(apiIds, async (id) => (await post(`${api.url}/graphql`, { query: MOVE, variables: { id: globalId(id) } }, clerk)).moveDocument.number);
    const abbreviation = defaultIssuerAbbreviation(target.name);
    const baseIssued = await issueAll(baseIds, async (id) =>
      (await post(`${baseline.url}/issue-document`, { tenantId: target.tenant_id, agencyId: target.agency_id, documentId: id, year: YEAR, abbreviation })).moveDocument.number,
    );

    // ---------------------------------------------------------------- the plan
    const app = new pg.Client({ connectionString: scratch.appUrl });
    await app.connect();
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [target.tenant_id]);
    const { rows: plan } = await app.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT t0.id, t0.symbol, t0.summary, t0.issued_on FROM official_document t0
       WHERE t0.tenant_id = $1 AND t0.status = 'ISSUED' AND t0.confidentiality = 'NORMAL'
         AND t0.search_vector @@ to_tsquery('simple'::regconfig, $2)
       ORDER BY t0.issued_on DESC, t0.id DESC LIMIT 20`,
      [target.tenant_id, wordsQuery(searches[0])],
    );
    await app.query('ROLLBACK');
    await app.end();
    await owner.end();

    const apiRate = median(rounds.map((r) => r.api));
    const baseRate = median(rounds.map((r) => r.base));
    console.log(`\nSearch ("${searches[0]}" and ${searches.length - 1} more, 20 a page, ${CONCURRENCY} connections, ${ROUNDS} interleaved rounds of ${DURATION} s; medians)\n`);
    console.log('| server | req/s (min–max) | p99 ms |');
    console.log('|---|---:|---:|');
    console.log(`| API | ${apiRate.toFixed(0)} (${Math.min(...rounds.map((r) => r.api)).toFixed(0)}–${Math.max(...rounds.map((r) => r.api)).toFixed(0)}) | ${median(rounds.map((r) => r.apiP99))} |`);
    console.log(`| baseline | ${baseRate.toFixed(0)} (${Math.min(...rounds.map((r) => r.base)).toFixed(0)}–${Math.max(...rounds.map((r) => r.base)).toFixed(0)}) | ${median(rounds.map((r) => r.baseP99))} |`);
    console.log(`\nAPI/baseline: ${(apiRate / baseRate).toFixed(2)}× (rounds: ${rounds.map((r) => (r.api / r.base).toFixed(2)).join(', ')})`);
    console.log(`\nIssuing ${ISSUES} signed documents of one issuer, ${CONCURRENCY} at once:`);
    console.log(`| server | issues/s | numbers |`);
    console.log('|---|---:|---|');
    console.log(`| API | ${apiIssued.perSecond.toFixed(0)} | ${checkNumbers('API', apiIssued.numbers)} |`);
    console.log(`| baseline | ${baseIssued.perSecond.toFixed(0)} | ${checkNumbers('baseline', baseIssued.numbers)} |`);
    console.log(`\nAPI/baseline: ${(apiIssued.perSecond / baseIssued.perSecond).toFixed(2)}×`);
    console.log(`\nThe search's plan:\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
  } finally {
    await stopAll().catch(() => undefined);
    await scratch?.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
