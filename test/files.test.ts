// Files through the server as a client sends them: POST /files streams an upload in, GET /files/:id
// streams it out to whoever may read it, mutations take the id. Dossiers carry papers, supplements
// and the result end to end. What is refused or abandoned leaves nothing; another province's file is
// not there at all, by row-level security.
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { runDueJobs } from '../src/jobs/job-runner';
import { createLogger } from '../src/logger';
import { filesModule } from '../src/modules/files/file.module';
import { MOVE, intake, openDesk, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';

let api: TestApi;
let owner: Database;
let desk: Desk;
let other: Desk;

beforeAll(async () => {
  api = await startTestApi({ FILE_MAX_MB_DOSSIER_PAPER: '2' });
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  other = await openDesk(api, 'can-tho', 'Sở Tư pháp');
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

/** A real-format PDF of `size` bytes: its signature, then filler. */
function pdf(size: number, seed = 'hồ sơ'): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${seed}\n`, 'utf8');
  const body = Buffer.alloc(Math.max(0, size - head.length - 6), `${seed} `);
  return Buffer.concat([head, body, Buffer.from('\n%%EOF')]);
}

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
}

/** One HTTP request with a body sent whole (node:http: fetch would not let a test drop mid-body). */
function request(method: string, path: string, headers: Record<string, string>, body?: Buffer, base = api.url): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data, json: () => JSON.parse(data.toString('utf8')) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = (token: string, slug = desk.slug) => ({ authorization: `Bearer ${token}`, 'x-province': slug });
const upload = (token: string, kind: string, name: string, bytes: Buffer, slug = desk.slug) =>
  request('POST', `/files?kind=${kind}&name=${encodeURIComponent(name)}`, { ...auth(token, slug), 'content-type': 'application/octet-stream' }, bytes);
const download = (token: string, url: string, slug = desk.slug) => request('GET', url, auth(token, slug));
const codeOf = (answer: Answer) => answer.json().errors?.[0]?.extensions?.code;
const filesNamed = async (name: string) =>
  Number((await owner.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM stored_file WHERE name = ${name}`)[0].n);
const chunksOf = async (fileId: string) =>
  Number((await owner.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM file_chunk WHERE file_id = ${fileId}::uuid`)[0].n);
const citizenOf = (slug: string, cccd: string) => api.token({ province: province(slug).id, roles: ['citizen'], sub: `cccd:${cccd}` });

describe('upload and download', () => {
  test('an official uploads a paper in chunks and reads back the same bytes, with its sniffed type, size and SHA-256', async () => {
    const bytes = pdf(700_000, 'Đơn đề nghị');
    const name = 'Đơn đề nghị cấp Phiếu lý lịch tư pháp số 1.pdf';
    const answer = await upload(desk.clerk, 'DOSSIER_PAPER', name, bytes);
    expect(answer.status).toBe(201);
    const file = answer.json();
    expect(file).toMatchObject({ kind: 'DOSSIER_PAPER', name, mimeType: 'application/pdf', sizeBytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
    // 700,000 bytes are three chunks of at most 256 kB: never one giant value
    expect(await chunksOf(file.fileId)).toBe(3);

    const back = await download(desk.clerk, file.downloadUrl);
    expect(back.status).toBe(200);
    expect(back.body.equals(bytes)).toBe(true);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);

    // The same file through the API, by the id the upload answered
    const node = await api.gql(`query($id: ID!) { node(id: $id) { ... on File { name mimeType sizeBytes downloadUrl } } }`, { id: file.id }, { token: desk.clerk, province: desk.slug });
    expect(node.data!.node).toEqual({ name, mimeType: 'application/pdf', sizeBytes: bytes.length, downloadUrl: file.downloadUrl });
  });

  test('the type is sniffed from the content: a program named .pdf is refused, and nothing is kept', async () => {
    const name = `chuong-trinh-${crypto.randomUUID()}.pdf`;
    const answer = await upload(desk.clerk, 'DOSSIER_PAPER', name, Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(1000, 1)]));
    expect(answer.status).toBe(415);
    expect(codeOf(answer)).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(answer.json().errors[0].message).toContain('PDF');
    expect(await filesNamed(name)).toBe(0);
    // a PNG is a paper, but not an official document's file
    const scan = await upload(desk.clerk, 'DOCUMENT', 'scan.png', Buffer.concat([PNG_HEAD, Buffer.alloc(100)]));
    expect(codeOf(scan)).toBe('FILE_TYPE_NOT_ALLOWED');
  });

  test('over the size limit of its kind is refused part-way, and nothing is kept', async () => {
    const name = `qua-lon-${crypto.randomUUID()}.pdf`;
    const answer = await upload(desk.clerk, 'DOSSIER_PAPER', name, pdf(3 * 1024 * 1024));
    expect(answer.status).toBe(413);
    expect(codeOf(answer)).toBe('FILE_TOO_LARGE');
    expect(answer.json().errors[0].extensions.maxBytes).toBe(2 * 1024 * 1024);
    expect(await filesNamed(name)).toBe(0);

    // Without a Content-Length (chunked), the limit is found part-way: by then chunks were stored, and they go.
    const streamed = `qua-lon-dan-dan-${crypto.randomUUID()}.pdf`;
    const url = new URL(`/files?kind=DOSSIER_PAPER&name=${encodeURIComponent(streamed)}`, api.url);
    const refused = await new Promise<Answer>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { ...auth(desk.clerk), 'content-type': 'application/pdf' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), json: () => JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
      const piece = pdf(256 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 12 && !req.destroyed) {
          sent++;
          if (!req.write(piece)) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    expect([refused.status, codeOf(refused)]).toEqual([413, 'FILE_TOO_LARGE']);
    expect(await filesNamed(streamed)).toBe(0);
  });

  test('an upload the client abandons part-way leaves nothing', async () => {
    const name = `bo-do-${crypto.randomUUID()}.pdf`;
    const url = new URL(`/files?kind=DOSSIER_PAPER&name=${encodeURIComponent(name)}`, api.url);
    const req = http.request(url, { method: 'POST', headers: { ...auth(desk.clerk), 'content-type': 'application/pdf', 'content-length': String(1_500_000) } });
    req.on('error', () => undefined);
    req.write(pdf(600_000));
    // wait until the server has stored some of it, then go away
    const deadline = Date.now() + 10_000;
    while ((await filesNamed(name)) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await filesNamed(name)).toBe(1);
    req.destroy();
    while ((await filesNamed(name)) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await filesNamed(name)).toBe(0);
  });

  test('bad requests get coded errors: no token, a kind the caller may not upload, no such kind, no name, an empty file', async () => {
    expect(codeOf(await request('POST', '/files?kind=DOSSIER_PAPER&name=a.pdf', { 'x-province': desk.slug }, pdf(100)))).toBe('UNAUTHENTICATED');
    const citizen = await citizenOf('da-nang', '048190004321');
    const forbidden = await upload(citizen, 'DOSSIER_RESULT', 'ket-qua.pdf', pdf(100));
    expect([forbidden.status, codeOf(forbidden)]).toEqual([403, 'FORBIDDEN']);
    expect(codeOf(await upload(desk.clerk, 'ANH_DAI_DIEN', 'a.pdf', pdf(100)))).toBe('BAD_USER_INPUT');
    const unnamed = await request('POST', '/files?kind=DOSSIER_PAPER', auth(desk.clerk), pdf(100));
    expect([unnamed.status, codeOf(unnamed), unnamed.json().errors[0].extensions.fieldErrors[0].field]).toEqual([400, 'BAD_USER_INPUT', 'name']);
    expect(codeOf(await upload(desk.clerk, 'DOSSIER_PAPER', 'rong.pdf', Buffer.alloc(0)))).toBe('BAD_USER_INPUT');
    expect(codeOf(await download(desk.clerk, '/files/khong-phai-uuid'))).toBe('NOT_FOUND');
  });

  test("another province's file is not there: not through the API, not through the database", async () => {
    const file = (await upload(desk.clerk, 'DOSSIER_PAPER', 'to-trinh.pdf', pdf(1000))).json();
    const answer = await download(other.admin, file.downloadUrl, other.slug);
    expect([answer.status, codeOf(answer)]).toEqual([404, 'NOT_FOUND']);
    // an official of another agency of the same province may not read it either
    const stranger = await citizenOf('da-nang', '048190009999');
    expect((await download(stranger, file.downloadUrl)).status).toBe(404);
    // As the app's role scoped to Cần Thơ, neither the file nor its chunks exist; no update or delete reaches them.
    const client = new pg.Client({ connectionString: process.env.TEST_APP_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [province('can-tho').id]);
      expect((await client.query('SELECT id FROM stored_file WHERE id = $1', [file.fileId])).rowCount).toBe(0);
      expect((await client.query('SELECT seq FROM file_chunk WHERE file_id = $1', [file.fileId])).rowCount).toBe(0);
      expect((await client.query('DELETE FROM file_chunk WHERE file_id = $1', [file.fileId])).rowCount).toBe(0);
      expect((await client.query(`UPDATE stored_file SET attached_at = now() WHERE id = $1`, [file.fileId])).rowCount).toBe(0);
      await expect(
        client.query(`INSERT INTO file_chunk (tenant_id, file_id, seq, data) VALUES ($1, $2, 99, '\\x00')`, [province('da-nang').id, file.fileId]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
    expect(await chunksOf(file.fileId)).toBe(1);
  });
});

describe('dossiers carry files end to end', () => {
  const FILES = `query($id: ID!) { node(id: $id) { ... on Dossier { status documentsProvided files { role documentCode file { name downloadUrl } } } } }`;

  test('papers filed online, a supplement that resumes the clock, a result the applicant downloads', async () => {
    const cccd = `0481900${crypto.randomInt(10_000, 99_999)}`;
    const citizen = await citizenOf('da-nang', cccd);
    const [code] = desk.requiredDocuments;
    const paper = (await upload(citizen, 'DOSSIER_PAPER', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp.pdf', pdf(5000, 'Tờ khai'))).json();
    const submitted = await api.gql(
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { dossier { id } } }`,
      { input: intake(desk, { documentsProvided: desk.requiredDocuments.slice(1), papers: [{ documentCode: code, fileId: paper.id }] }) },
      { token: citizen, province: desk.slug },
    );
    expect(submitted.errors).toBeUndefined();
    const dossierId = submitted.data!.submitDossier.dossier.id;
    const filed = await api.gql(FILES, { id: dossierId }, { token: desk.clerk, province: desk.slug });
    expect(filed.data!.node.documentsProvided).toContain(code);
    expect(filed.data!.node.files).toEqual([{ role: 'SUBMITTED', documentCode: code, file: { name: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp.pdf', downloadUrl: paper.downloadUrl } }]);
    // the clerk of the agency reads the citizen's paper: the dossier is theirs
    expect((await download(desk.clerk, paper.downloadUrl)).status).toBe(200);

    // a file is taken once
    const again = await api.gql(
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code } }`,
      { input: intake(desk, { papers: [{ documentCode: code, fileId: paper.id }] }) },
      { token: citizen, province: desk.slug },
    );
    expect(again.errors![0].extensions!.code).toBe('FILE_NOT_USABLE');

    const move = async (token: string, action: string, extra: Record<string, unknown> = {}) =>
      api.gql(MOVE, { input: { dossierId, action, ...extra } }, { token, province: desk.slug });
    for (const [token, action, extra] of [
      [desk.clerk, 'RECEIVE', {}],
      [desk.handler, 'START_PROCESSING', {}],
      [desk.handler, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung bản sao Căn cước công dân có chứng thực' }],
    ] as const) {
      const moved = await move(token, action, extra);
      expect({ action, errors: moved.errors }).toEqual({ action, errors: undefined });
    }
    // someone else's file cannot be filed as a supplement
    const strangerFile = (await upload(desk.clerk, 'DOSSIER_PAPER', 'khac.pdf', pdf(800))).json();
    const refused = await move(citizen, 'RESUME_AFTER_SUPPLEMENT', { papers: [{ documentCode: 'CCCD', fileId: strangerFile.id }] });
    expect(refused.errors![0].extensions!.code).toBe('FILE_NOT_USABLE');
    expect(refused.errors![0].extensions!.fileIds).toEqual([strangerFile.fileId]);

    const supplement = (await upload(citizen, 'DOSSIER_PAPER', 'Bản sao CCCD.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), Buffer.alloc(2000)]))).json();
    expect(supplement.mimeType).toBe('image/jpeg');
    const resumed = await move(citizen, 'RESUME_AFTER_SUPPLEMENT', { papers: [{ documentCode: 'CCCD', fileId: supplement.id }] });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.moveDossier.status).toBe('IN_PROGRESS');
    expect(resumed.data!.moveDossier.pausedAt).toBeNull();

    // papers go only with a resume, a result only with finishing
    const misplaced = await move(desk.handler, 'FINISH', { papers: [{ documentCode: 'CCCD', fileId: supplement.id }] });
    expect(misplaced.errors![0].extensions!.fieldErrors[0].field).toBe('papers');

    const resultBytes = pdf(300_000, 'Phiếu lý lịch tư pháp số 1');
    const result = (await upload(desk.handler, 'DOSSIER_RESULT', 'Phiếu lý lịch tư pháp số 1.pdf', resultBytes)).json();
    const finished = await move(desk.handler, 'FINISH', { resultFileId: result.id });
    expect(finished.errors).toBeUndefined();
    expect(finished.data!.moveDossier.status).toBe('RESULT_READY');

    const held = await api.gql(FILES, { id: dossierId }, { token: citizen, province: desk.slug });
    expect(held.data!.node.files.map((file: any) => file.role)).toEqual(['SUBMITTED', 'SUPPLEMENT', 'RESULT']);
    // the applicant downloads their result; another citizen cannot
    const mine = await download(citizen, result.downloadUrl);
    expect([mine.status, mine.body.equals(resultBytes)]).toEqual([200, true]);
    const someoneElse = await citizenOf('da-nang', '048190007777');
    expect((await download(someoneElse, result.downloadUrl)).status).toBe(404);
  });
});

test('a file nothing takes in time is removed by the job scheduled with its upload', async () => {
  const expiring = await startTestApi({ FILE_UNATTACHED_MINUTES: '0' });
  try {
    const name = `bo-quen-${crypto.randomUUID()}.pdf`;
    const answer = await request('POST', `/files?kind=DOSSIER_PAPER&name=${encodeURIComponent(name)}`, auth(desk.clerk), pdf(1000), expiring.url);
    expect(answer.status).toBe(201);
    expect(await filesNamed(name)).toBe(1);
    const logger = createLogger('silent');
    await runDueJobs({ database: expiring.database, connectionString: process.env.TEST_APP_URL, logger, tasks: filesModule.tasks!(expiring.server.platform) });
    expect(await filesNamed(name)).toBe(0);
  } finally {
    await expiring.close();
  }
});
