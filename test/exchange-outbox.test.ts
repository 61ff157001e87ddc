// Documents sent to recipients outside the platform go through the national exchange by an outbox,
// tested against a stand-in exchange started here that can be down, hang, refuse or take the envelope.
// Delivery is at least once with the envelope id as Idempotency-Key, retried with backoff up to the
// limit, the file carried whole in base64; a refusal reaches the sender as REFUSED with its reason; a
// recalled envelope is not sent; a send that rolls back delivers nothing.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from './support/api';
import { openDesk, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';
import { uploadFile } from './support/files';
import { openPostgres, type Database } from '../src/db/database';
import { runDueJobs } from '../src/jobs/job-runner';
import { createLogger } from '../src/logger';
import { documentsModule } from '../src/modules/documents/document.module';

type Mode = 'accept' | 'refuse' | 'hang';

class StandInExchange {
  mode: Mode = 'accept';
  readonly received: { key: string; envelope: any }[] = [];
  readonly attempts: string[] = [];
  private server: http.Server | null = null;
  private port = 0;
  get url() {
    return `http://127.0.0.1:${this.port}/envelopes`;
  }
  async start() {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const key = String(request.headers['idempotency-key']);
        this.attempts.push(key);
        if (this.mode === 'hang') return;
        if (this.mode === 'refuse') return void response.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"Mã định danh cơ quan nhận không tồn tại trên trục"}');
        this.received.push({ key, envelope: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  /** Goes down (connections refused) until started again on the same port. */
  async stop() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    this.server = null;
  }
}

let api: TestApi;
let owner: Database;
let exchange: StandInExchange;
let desk: Desk;
let clerk: string;
const logger = createLogger('silent');
const CALLBACK_TOKEN = 'truc-lien-thong-0123456789';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  exchange = new StandInExchange();
  await exchange.start();
  api = await startTestApi({ NATIONAL_EXCHANGE_URL: exchange.url, NATIONAL_EXCHANGE_TIMEOUT_MS: '300', EXCHANGE_RETRY_BASE_MS: '20', EXCHANGE_MAX_ATTEMPTS: '4', NATIONAL_EXCHANGE_CALLBACK_TOKEN: CALLBACK_TOKEN });
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, 'vinh-long', 'Sở Nội vụ');
  clerk = await api.token({ province: province('vinh-long').id, roles: ['official', 'document_clerk'], agency: desk.agencyCode, sub: desk.officials[2].id });
});

afterAll(async () => {
  await exchange.stop();
  await api.close();
  await owner.close();
});

/** Every delivery due now, as one worker would. */
const deliverDue = () => runDueJobs({ database: api.database, connectionString: process.env.TEST_APP_URL, logger, tasks: documentsModule.tasks!(api.server.platform) });
const as = (token: string) => ({ token, province: desk.slug });
const MOVE = `mutation($input: MoveDocumentInput!) { moveDocument(input: $input) { status symbol } }`;
const SEND = `mutation($id: ID!, $to: [DocumentRecipientInput!]!) { sendDocument(documentId: $id, recipients: $to) { id status deliveryState externalRecipientCode recipientAgencyName } }`;
const ENVELOPE = `query($id: ID!) { node(id: $id) { ... on DocumentEnvelope { status deliveryState refusalReason deliveredAt } } }`;
const envelopeRow = (globalId: string) =>
  owner.prisma.documentEnvelope.findUniqueOrThrow({ where: { id: Buffer.from(globalId, 'base64').toString('utf8').split(':')[1] } });

const upload = (bytes: Buffer) => uploadFile(api.url, { token: desk.handler, province: desk.slug }, 'DOCUMENT', 'Công văn gửi Bộ Nội vụ.pdf', bytes);

/** An issued dispatch of Sở Nội vụ Vĩnh Long, with its file. */
async function issued(bytes?: Buffer) {
  const file = bytes ? await upload(bytes) : null;
  const drafted = await api.gql(`mutation($input: DraftDocumentInput!) { draftDocument(input: $input) { id } }`, {
    input: {
      type: 'CONG_VAN',
      draftingUnit: 'TCBC',
      summary: `V/v báo cáo số lượng cán bộ, công chức cấp xã sau sắp xếp (${crypto.randomUUID().slice(0, 6)})`,
      recipientsText: '- Bộ Nội vụ;\n- Lưu: VT, TCBC.',
      fileId: file?.id ?? null,
    },
  }, as(desk.handler));
  expect(drafted.errors).toBeUndefined();
  const id = drafted.data!.draftDocument.id;
  for (const [token, action, extra] of [
    [desk.handler, 'SUBMIT', {}],
    [desk.leader, 'APPROVE', {}],
    [desk.leader, 'SIGN', { signerAuthority: 'KT', signerPosition: 'Phó Giám đốc' }],
    [clerk, 'ISSUE', {}],
  ] as const) {
    const moved = await api.gql(MOVE, { input: { documentId: id, action, ...extra } }, as(token));
    expect({ action, errors: moved.errors }).toEqual({ action, errors: undefined });
  }
  return id as string;
}

const toMinistry = [{ externalCode: '000.00.00.G09', externalName: 'Bộ Nội vụ' }];

test('delivered at least once through a down and a hanging exchange, the same key each time, the file whole', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n% Công văn\n'), crypto.randomBytes(700_001)]);
  const id = await issued(bytes);
  await exchange.stop();
  const sent = await api.gql(SEND, { id, to: toMinistry }, as(clerk));
  expect(sent.errors).toBeUndefined();
  const [envelope] = sent.data!.sendDocument;
  expect(envelope).toMatchObject({ status: 'WAITING', deliveryState: 'PENDING', externalRecipientCode: '000.00.00.G09', recipientAgencyName: 'Bộ Nội vụ' });
  const key = Buffer.from(envelope.id, 'base64').toString('utf8').split(':')[1];

  // Down: refused connections, retried.
  await deliverDue();
  expect(await envelopeRow(envelope.id)).toMatchObject({ attempts: 1, deliveryState: 'PENDING' });
  expect((await envelopeRow(envelope.id)).lastError).toMatch(/fetch failed|ECONNREFUSED/);
  // Hanging: the send times out, retried.
  await exchange.start();
  exchange.mode = 'hang';
  await pause(60);
  await deliverDue();
  expect(await envelopeRow(envelope.id)).toMatchObject({ attempts: 2, deliveryState: 'PENDING' });
  expect((await envelopeRow(envelope.id)).lastError).toMatch(/TimeoutError|aborted/i);
  // Back: taken.
  exchange.mode = 'accept';
  await pause(120);
  await deliverDue();
  expect(await envelopeRow(envelope.id)).toMatchObject({ attempts: 3, deliveryState: 'DELIVERED', status: 'WAITING' });
  expect(exchange.attempts.filter((attempt) => attempt === key).length).toBe(2);
  const { envelope: body } = exchange.received.find((delivery) => delivery.key === key)!;
  expect(body).toMatchObject({
    MessageId: key,
    From: { OrganId: desk.agencyCode, Province: { Name: province('vinh-long').name } },
    To: { OrganId: '000.00.00.G09', OrganName: 'Bộ Nội vụ' },
    Code: { CodeNotation: 'SNV-TCBC' },
    DocumentType: { Type: 'CONG_VAN', TypeName: 'Công văn', Abbreviation: null },
    SignerInfo: { Competence: 'KT.', Position: 'Phó Giám đốc' },
    OtherInfo: { Priority: 'NORMAL', SecurityLevel: 'NORMAL' },
  });
  expect(body.Code.Symbol).toMatch(/^\d{2,}\/SNV-TCBC$/);
  const [attachment] = body.Attachments;
  expect(attachment).toMatchObject({ AttachmentName: 'Công văn gửi Bộ Nội vụ.pdf', ContentType: 'application/pdf', Size: bytes.length, Sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
  expect(Buffer.from(attachment.Content, 'base64').equals(bytes)).toBe(true);
  // Delivered is delivered: no job sends it again.
  await deliverDue();
  expect(exchange.received.filter((delivery) => delivery.key === key).length).toBe(1);
  const seen = await api.gql(ENVELOPE, { id: envelope.id }, as(clerk));
  expect(seen.data!.node).toMatchObject({ status: 'WAITING', deliveryState: 'DELIVERED' });
}, 30_000);

test('a refusal from the exchange is the recipient refusing it, with its reason; out of attempts is FAILED', async () => {
  exchange.mode = 'refuse';
  const [refusedEnvelope] = (await api.gql(SEND, { id: await issued(), to: [{ externalCode: '000.00.00.G99', externalName: 'Cơ quan không có trên trục' }] }, as(clerk))).data!.sendDocument;
  await deliverDue();
  const refused = await api.gql(ENVELOPE, { id: refusedEnvelope.id }, as(clerk));
  expect(refused.data!.node).toMatchObject({ status: 'REFUSED', deliveryState: 'DELIVERED' });
  expect(refused.data!.node.refusalReason).toContain('Mã định danh cơ quan nhận không tồn tại trên trục');

  exchange.mode = 'hang';
  const [stuck] = (await api.gql(SEND, { id: await issued(), to: toMinistry }, as(clerk))).data!.sendDocument;
  for (let attempt = 0; attempt < 4; attempt++) {
    await deliverDue();
    await pause(20 * 2 ** attempt + 40);
  }
  expect(await envelopeRow(stuck.id)).toMatchObject({ attempts: 4, deliveryState: 'FAILED' });
  exchange.mode = 'accept';
}, 30_000);

test('a recalled envelope is not sent; bad recipients are coded errors; a send that rolls back delivers nothing', async () => {
  exchange.mode = 'accept';
  const id = await issued();
  const [envelope] = (await api.gql(SEND, { id, to: toMinistry }, as(clerk))).data!.sendDocument;
  const recalled = await api.gql(`mutation($id: ID!) { moveEnvelope(envelopeId: $id, action: RECALL, note: "Gửi nhầm") { status } }`, { id: envelope.id }, as(clerk));
  expect(recalled.data!.moveEnvelope.status).toBe('RECALLED');
  const key = Buffer.from(envelope.id, 'base64').toString('utf8').split(':')[1];
  await deliverDue();
  expect(exchange.attempts).not.toContain(key);

  const bad = await api.gql(SEND, { id, to: [{ externalCode: 'bộ nội vụ', externalName: 'Bộ Nội vụ' }, { externalCode: '000.00.00.G10' }, { agencyCode: '000.00.00.G10', externalCode: '000.00.00.G10', externalName: 'x y' }] }, as(clerk));
  expect(bad.errors![0].extensions!.fieldErrors.map((error: any) => error.field)).toEqual(['recipients.0.externalCode', 'recipients.1.externalName', 'recipients.2.externalCode']);
  // Sent twice to the same code: refused, nothing more written or scheduled.
  const again = await api.gql(SEND, { id, to: toMinistry }, as(clerk));
  expect(again.errors![0].extensions!.code).toBe('CONFLICT');
  const documentId = Buffer.from(id, 'base64').toString('utf8').split(':')[1];
  expect(await owner.prisma.documentEnvelope.count({ where: { documentId } })).toBe(1);

  const twice = await api.gql(SEND, { id, to: [{ externalCode: '000.00.00.G11', externalName: 'Bộ Tư pháp' }, { externalCode: '000.00.00.G11', externalName: 'Bộ Tư pháp' }] }, as(clerk));
  expect(twice.errors![0].extensions!.fieldErrors).toEqual([{ field: 'recipients', message: 'Một nơi nhận được ghi hai lần' }]);

  // A send whose COMMIT fails (a deferred trigger, on the mark): its envelope and its delivery job
  // were written in the transaction, and neither stays.
  const MARK = '[kiểm thử: từ chối khi COMMIT]';
  await owner.prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_refuse_send() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.note LIKE '%' || '${MARK}' || '%' THEN RAISE EXCEPTION 'commit refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await owner.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_refuse_send ON document_log_entry`);
  await owner.prisma.$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER test_refuse_send AFTER INSERT ON document_log_entry DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_send()`);
  const jobs = async () =>
    Number((await owner.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'exchange-delivery'`)[0].n);
  const before = await jobs();
  try {
    const failed = await api.gql(SEND, { id, to: [{ externalCode: '000.00.00.G11', externalName: `Bộ Tư pháp ${MARK}` }] }, as(clerk));
    expect(failed.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
  } finally {
    await owner.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_refuse_send ON document_log_entry`);
    await owner.prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS test_refuse_send()`);
  }
  expect(await owner.prisma.documentEnvelope.count({ where: { documentId } })).toBe(1);
  expect(await jobs()).toBe(before);
});

test('the exchange reports what the recipient outside did: each status in order, a repeat answered alike, the rest coded errors', async () => {
  exchange.mode = 'accept';
  const [envelope] = (await api.gql(SEND, { id: await issued(), to: toMinistry }, as(clerk))).data!.sendDocument;
  await deliverDue();
  const messageId = Buffer.from(envelope.id, 'base64').toString('utf8').split(':')[1];
  const callback = async (body: Record<string, unknown>, token = CALLBACK_TOKEN) => {
    const response = await fetch(api.url.replace('/graphql', '/exchange/status'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const gso = province('vinh-long').gsoCode;
  expect((await callback({ MessageId: messageId, Province: gso, Status: 'RECEIVED' }, 'sai-ma-truy-cap-0000000')).status).toBe(401);
  expect((await callback({ MessageId: 'not-a-uuid', Province: gso, Status: 'RECEIVED' })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect((await callback({ MessageId: crypto.randomUUID(), Province: gso, Status: 'RECEIVED' })).status).toBe(404);
  expect((await callback({ MessageId: messageId, Province: province('can-tho').gsoCode, Status: 'RECEIVED' })).status).toBe(404);
  expect((await callback({ MessageId: messageId, Province: gso, Status: 'DONE' })).body.errors[0].extensions.code).toBe('TRANSITION_NOT_ALLOWED');
  for (const status of ['RECEIVED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE']) {
    expect(await callback({ MessageId: messageId, Province: gso, Status: status })).toEqual({ status: 200, body: { status } });
  }
  const seen = await api.gql(ENVELOPE, { id: envelope.id }, as(clerk));
  expect(seen.data!.node).toMatchObject({ status: 'DONE', deliveryState: 'DELIVERED' });

  const [other] = (await api.gql(SEND, { id: await issued(), to: toMinistry }, as(clerk))).data!.sendDocument;
  await deliverDue();
  const otherId = Buffer.from(other.id, 'base64').toString('utf8').split(':')[1];
  expect((await callback({ MessageId: otherId, Province: gso, Status: 'REFUSED' })).body.errors[0].extensions.fieldErrors[0].field).toBe('Reason');
  expect((await callback({ MessageId: otherId, Province: gso, Status: 'REFUSED', Reason: 'Không thuộc thẩm quyền của Bộ' })).status).toBe(200);
  expect((await api.gql(ENVELOPE, { id: other.id }, as(clerk))).data!.node).toMatchObject({ status: 'REFUSED', refusalReason: 'Không thuộc thẩm quyền của Bộ' });
});

test('an update and a recall of what went outside go through the exchange too, each under its own key; the update is answered back', async () => {
  exchange.mode = 'accept';
  const id = await issued();
  const [envelope] = (await api.gql(SEND, { id, to: toMinistry }, as(clerk))).data!.sendDocument;
  const key = Buffer.from(envelope.id, 'base64').toString('utf8').split(':')[1];
  const step = (action: string, note?: string) =>
    api.gql(`mutation($id: ID!, $action: EnvelopeAction!, $note: String) { moveEnvelope(envelopeId: $id, action: $action, note: $note) { status updateState deliveryState } }`, { id: envelope.id, action, note }, as(clerk));
  // not before the envelope itself went
  expect((await step('SEND_UPDATE', 'Đính chính số liệu tại phụ lục')).errors![0].extensions!.code).toBe('TRANSITION_NOT_ALLOWED');
  await deliverDue();
  const updated = await step('SEND_UPDATE', 'Đính chính số liệu tại phụ lục');
  expect(updated.data!.moveEnvelope).toEqual({ status: 'WAITING', updateState: 'SENT', deliveryState: 'PENDING' });
  exchange.mode = 'hang';
  await deliverDue();
  exchange.mode = 'accept';
  await pause(60);
  await deliverDue();
  const updates = exchange.received.filter((delivery) => delivery.envelope.MessageId === key && delivery.envelope.Type === 'UPDATE');
  expect(updates).toHaveLength(1);
  expect(updates[0].envelope.Note).toBe('Đính chính số liệu tại phụ lục');
  expect(updates[0].key.startsWith(`${key}:update:`)).toBe(true);
  // the retry used the same key
  expect(exchange.attempts.filter((attempt) => attempt === updates[0].key)).toHaveLength(2);

  const answered = await fetch(api.url.replace('/graphql', '/exchange/status'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLBACK_TOKEN}` },
    body: JSON.stringify({ MessageId: key, Province: province('vinh-long').gsoCode, Status: 'UPDATE_ACCEPTED' }),
  });
  expect(answered.status).toBe(200);
  expect((await api.gql(ENVELOPE, { id: envelope.id }, as(clerk))).data!.node).toMatchObject({ status: 'WAITING', deliveryState: 'DELIVERED' });
  expect((await envelopeRow(envelope.id)).updateState).toBe('ACCEPTED');

  expect((await step('RECALL', 'Văn bản ban hành chưa đúng thẩm quyền')).data!.moveEnvelope).toEqual({ status: 'RECALLED', updateState: 'ACCEPTED', deliveryState: 'PENDING' });
  await deliverDue();
  const recalls = exchange.received.filter((delivery) => delivery.envelope.MessageId === key && delivery.envelope.Type === 'RECALL');
  expect(recalls.map((delivery) => delivery.key)).toEqual([`${key}:recall`]);
  expect(await envelopeRow(envelope.id)).toMatchObject({ status: 'RECALLED', deliveryState: 'DELIVERED' });
}, 30_000);
