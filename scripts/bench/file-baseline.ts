// The files bench's baseline, in a process of its own: node:http and pg, no framework. POST /upload
// streams the body into file_chunk in 256 kB pieces inside one transaction scoped to the province
// (the same rows the API writes, under the same row-level security), GET /download/<id> streams them
// back. What a hand-written endpoint would cost: the API's figures are read against it.
//   node --import tsx scripts/bench/file-baseline.ts <app database url> <port> <tenant id>
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const CHUNK = 256 * 1024;

async function main() {
  const [url, port, tenantId] = process.argv.slice(2);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const inProvince = async <T>(fn: (client: pg.PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; SELECT set_config('role', 'egov_app', true), set_config('app.tenant_id', '${tenantId}', true)`);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === '/readyz') return void res.writeHead(200).end('ok');
      if (req.method === 'POST' && req.url === '/upload') {
        const id = await inProvince(async (client) => {
          const { rows } = await client.query(
            `INSERT INTO stored_file (tenant_id, id, kind, name, uploaded_by, uploaded_at) VALUES ($1, gen_random_uuid(), 'DOCUMENT', 'baseline.pdf', 'bench', now()) RETURNING id`,
            [tenantId],
          );
          const fileId: string = rows[0].id;
          const hash = crypto.createHash('sha256');
          let pending = Buffer.alloc(0);
          let seq = 0;
          let size = 0;
          for await (const piece of req as AsyncIterable<Buffer>) {
            hash.update(piece);
            size += piece.length;
            pending = Buffer.concat([pending, piece]);
            while (pending.length >= CHUNK) {
              await client.query('INSERT INTO file_chunk (tenant_id, file_id, seq, data) VALUES ($1, $2, $3, $4)', [tenantId, fileId, seq++, pending.subarray(0, CHUNK)]);
              pending = pending.subarray(CHUNK);
            }
          }
          if (pending.length) await client.query('INSERT INTO file_chunk (tenant_id, file_id, seq, data) VALUES ($1, $2, $3, $4)', [tenantId, fileId, seq++, pending]);
          await client.query(`UPDATE stored_file SET state = 'READY', size_bytes = $2, sha256 = $3, mime_type = 'application/pdf' WHERE id = $1`, [fileId, size, hash.digest('hex')]);
          return fileId;
        });
        return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ fileId: id, downloadUrl: `/download/${id}` }));
      }
      const download = /^\/download\/([0-9a-f-]{36})$/.exec(req.url ?? '');
      if (req.method === 'GET' && download) {
        await inProvince(async (client) => {
          const { rows } = await client.query('SELECT count(*)::int AS n FROM file_chunk WHERE tenant_id = $1 AND file_id = $2', [tenantId, download[1]]);
          res.writeHead(200, { 'content-type': 'application/pdf' });
          for (let seq = 0; seq < rows[0].n; seq++) {
            const chunk = await client.query('SELECT data FROM file_chunk WHERE tenant_id = $1 AND file_id = $2 AND seq = $3', [tenantId, download[1], seq]);
            if (!res.write(chunk.rows[0].data)) await new Promise((resolve) => res.once('drain', resolve));
          }
          res.end();
        });
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    }
  });
  server.listen(Number(port), '127.0.0.1', () => console.log(`file baseline listening on ${port}`));
  const stop = () => server.close(() => void pool.end().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
