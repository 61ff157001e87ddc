// The floor the API is measured against: a bare node:http handler answering the same questions (the
// work queue, tracking, statistics, the officials' directory) with hand-written SQL through pg. It runs as egov_app and opens a transaction with the same first
// statement as the API (role and province set once), so the difference is the API's own overhead
// (GraphQL parsing and validation, auth, Prisma, resolvers), not row-level security. It does not
// verify tokens or look provinces up: the tenant id comes in the body. `npm run bench` runs it in a
// process of its own (baseline-main.ts), as it runs the API.
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { startOfVietnamMonth } from '../../src/kernel/vietnam-time';

type Json = Record<string, any>;

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

async function inProvince<T>(pool: pg.Pool, tenantId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', 'egov_app', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// The first 25 open dossiers of the agency, soonest due first, with their procedure, and the count.
async function queue(client: pg.PoolClient, body: Json) {
  const { rows } = await client.query(
    `SELECT d.id, d.code, d.status, d.due_at, d.paused_at, p.code AS procedure_code, p.name AS procedure_name
     FROM dossier d JOIN procedure p ON p.id = d.procedure_id
     WHERE d.agency_id = $1 AND d.open
     ORDER BY d.due_at ASC NULLS LAST, d.id ASC LIMIT 25`,
    [body.agencyId],
  );
  const [{ count }] = (await client.query(`SELECT count(*)::int AS count FROM dossier WHERE agency_id = $1 AND open`, [body.agencyId])).rows;
  const now = new Date();
  const edges = rows.map((row) => ({
    node: {
      id: row.id,
      code: row.code,
      status: row.status,
      dueAt: row.due_at,
      overdue: row.status !== 'RESULT_READY' && row.due_at !== null && row.due_at < (row.paused_at ?? now),
      procedure: { code: row.procedure_code, name: row.procedure_name },
    },
  }));
  return { dossierQueue: { totalCount: count, edges } };
}

// The dossier by (province, code), its procedure and agency, the secret checked, and its log.
async function track(client: pg.PoolClient, body: Json) {
  const { rows } = await client.query(
    `SELECT d.id, d.code, d.status, d.due_at, d.secret_hash, p.code AS procedure_code, p.name AS procedure_name, a.name AS agency_name
     FROM dossier d JOIN procedure p ON p.id = d.procedure_id JOIN agency a ON a.tenant_id = d.tenant_id AND a.id = d.agency_id
     WHERE d.tenant_id = $1 AND d.code = $2`,
    [body.tenantId, body.code],
  );
  const dossier = rows[0];
  const given = crypto.createHash('sha256').update(`${body.code}:${body.secret}`, 'utf8').digest();
  if (!dossier || !crypto.timingSafeEqual(given, Buffer.from(dossier.secret_hash, 'hex'))) return { trackDossier: null };
  const log = await client.query(`SELECT to_status, at FROM dossier_log_entry WHERE tenant_id = $1 AND dossier_id = $2 ORDER BY at, id`, [
    body.tenantId,
    dossier.id,
  ]);
  return {
    trackDossier: {
      code: dossier.code,
      status: dossier.status,
      dueAt: dossier.due_at,
      history: log.rows.map((entry) => ({ status: entry.to_status, at: entry.at })),
    },
  };
}

// The directory's first page: officials of the province (row-level security picks them) in the API's
// order (official.schema.ts: search name, then id), each with their agency, and the count. Ids are
// raw uuids, not the API's Relay global ids.
async function directory(client: pg.PoolClient, body: Json) {
  const { rows } = await client.query(
    `SELECT o.id, o.full_name, o.position, o.email, a.id AS agency_id, a.code AS agency_code, a.name AS agency_name
     FROM official o JOIN agency a ON a.tenant_id = o.tenant_id AND a.id = o.agency_id
     ORDER BY o.search_name ASC, o.id ASC LIMIT $1`,
    [body.first ?? 50],
  );
  const [{ count }] = (await client.query(`SELECT count(*)::int AS count FROM official`)).rows;
  const edges = rows.map((row) => ({
    node: {
      id: row.id,
      fullName: row.full_name,
      position: row.position,
      email: row.email,
      agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name },
    },
  }));
  return { officials: { totalCount: count, edges } };
}

// Issued documents whose folded text holds every word (the last as a prefix), newest first, 20.
async function documentSearch(client: pg.PoolClient, body: Json) {
  const { rows } = await client.query(
    `SELECT id, symbol, summary, issued_on FROM official_document
     WHERE tenant_id = $1 AND status = 'ISSUED' AND confidentiality = 'NORMAL'
       AND search_vector @@ to_tsquery('simple'::regconfig, $2)
     ORDER BY issued_on DESC, id DESC LIMIT 20`,
    [body.tenantId, body.words],
  );
  return { documentSearch: { edges: rows.map((row) => ({ node: { id: row.id, symbol: row.symbol, summary: row.summary, issuedOn: row.issued_on } })) } };
}

// Issues a signed document: the next number of the issuer's series, then the document, in one transaction.
async function issueDocument(client: pg.PoolClient, body: Json) {
  const [{ last_value: number }] = (
    await client.query(
      `INSERT INTO document_counter (tenant_id, agency_id, year, series, last_value) VALUES ($1, $2, $3, 'REGULAR', 1)
       ON CONFLICT (tenant_id, agency_id, year, series) DO UPDATE SET last_value = document_counter.last_value + 1 RETURNING last_value`,
      [body.tenantId, body.agencyId, body.year],
    )
  ).rows;
  const symbol = `${String(number).padStart(2, '0')}/KH-${body.abbreviation}`;
  const { rowCount } = await client.query(
    `UPDATE official_document SET status = 'ISSUED', series = 'REGULAR', year = $3, number = $4, symbol = $5, issued_on = now()::date, issued_at = now()
     WHERE tenant_id = $1 AND id = $2 AND status = 'SIGNED'`,
    [body.tenantId, body.documentId, body.year, number, symbol],
  );
  if (rowCount !== 1) throw new Error('not signed');
  return { moveDocument: { status: 'ISSUED', number, symbol } };
}

// What the statistics service reads (statistics.service.ts, grouped by agency) for a month or the year
// to date, judged now: the monthly roll-ups for what was received and finished, the dossiers open now
// for the stock; and the labels.
async function statistics(client: pg.PoolClient, body: Json) {
  const month = (index: number) => new Date(Date.UTC(body.year, index, 1)).toISOString().slice(0, 10);
  const [from, to] = body.month ? [month(body.month - 1), month(body.month)] : [month(0), month(12)];
  const judgedAt = new Date();
  const { rows } = await client.query(
    `WITH facts AS (
       SELECT agency_id::text AS key, received, received_online, finished_early AS early, finished_on_time AS on_time,
              finished_late AS late, 0 AS open_within, 0 AS open_overdue
       FROM dossier_monthly_figure WHERE tenant_id = $1 AND month >= $2::date AND month < $3::date
       UNION ALL
       SELECT key, 0, 0, 0, 0, 0, (NOT overdue)::int, overdue::int FROM (
         SELECT agency_id::text AS key,
                (COALESCE(due_at_before_extension, due_at) < LEAST($4::timestamptz, COALESCE(paused_at, $4::timestamptz))
                 OR supplement_requests > 1) AS overdue
         FROM dossier WHERE tenant_id = $1 AND ended_at IS NULL AND received_at < $4
       ) AS open_now
     )
     SELECT key, sum(received)::int AS received, sum(received_online)::int AS received_online,
            sum(early)::int AS early, sum(on_time)::int AS on_time, sum(late)::int AS late,
            sum(open_within)::int AS open_within, sum(open_overdue)::int AS open_overdue
     FROM facts GROUP BY key ORDER BY key`,
    [body.tenantId, from, to, judgedAt],
  );
  const labels = await client.query(`SELECT id::text, name FROM agency WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.key)]);
  const labelOf = new Map(labels.rows.map((row) => [row.id, row.name]));
  const sum = (field: string) => rows.reduce((total, row) => total + row[field], 0);
  const finished = sum('early') + sum('on_time') + sum('late');
  return {
    dossierStatistics: {
      total: {
        received: sum('received'),
        finishedEarly: sum('early'),
        finishedOnTime: sum('on_time'),
        finishedLate: sum('late'),
        openWithinTime: sum('open_within'),
        openOverdue: sum('open_overdue'),
        onTimeRate: finished ? (sum('early') + sum('on_time')) / finished : null,
      },
      rows: rows.map((row) => ({ label: labelOf.get(row.key) ?? row.key, received: row.received })),
    },
  };
}

const handlers: Record<string, (client: pg.PoolClient, body: Json) => Promise<Json>> = {
  '/queue': queue,
  '/track': track,
  '/stats': statistics,
  '/directory': directory,
  '/document-search': documentSearch,
  '/issue-document': issueDocument,
};

/** On `port` (0: any free one), on 127.0.0.1. GET /readyz answers 200 once the database answers. */
export async function startBaseline(appUrl: string, poolSize: number, port = 0): Promise<BaselineServer> {
  const pool = new pg.Pool({ connectionString: appUrl, max: poolSize });
  pool.on('error', () => undefined);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      if (request.method === 'GET' && request.url === '/readyz') {
        const ready = await pool.query('SELECT 1').then(() => true, () => false);
        response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ready' : 'database unreachable' }));
        return;
      }
      const handler = handlers[request.url ?? ''];
      try {
        if (!handler) throw new Error(`no route ${request.url}`);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const data = await inProvince(pool, body.tenantId, (client) => handler(client, body));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${listening}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
