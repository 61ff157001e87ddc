// Official documents through the server: a drafter drafts with a file, the leader approves
// and signs, the document clerk issues it with the next number of the issuer's series; concurrent
// issues never share or skip a number, a failed issue consumes none; secret documents are numbered
// apart and seen only by those granted; the incoming register numbers what arrives, a leader assigns
// it, the handler answers it with the issued reply. Another province sees none of it, by the database.
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { startTestApi, type TestApi } from './support/api';
import { edgeId, openDesk, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';
import { uploadFile } from './support/files';
import { vietnamDateOf } from '../src/kernel/vietnam-time';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { subscriptionsSetUp } from './support/run-script';

let api: TestApi;
let owner: pg.Client;
let desk: Desk;
let other: Desk;
let documentClerk: string;
let otherClerk: string;

const REFUSE_MARK = '[kiểm thử: từ chối khi COMMIT]';
const YEAR = Number(vietnamDateOf(new Date()).slice(0, 4));
const TODAY = vietnamDateOf(new Date());

beforeAll(async () => {
  api = await startTestApi();
  owner = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
  await owner.connect();
  desk = await openDesk(api, 'da-nang', 'Sở Nội vụ');
  other = await openDesk(api, 'can-tho', 'Sở Tư pháp');
  documentClerk = await api.token({ province: province('da-nang').id, roles: ['official', 'document_clerk'], agency: desk.agencyCode, sub: desk.officials[2].id });
  otherClerk = await api.token({ province: province('can-tho').id, roles: ['official', 'document_clerk'], agency: other.agencyCode, sub: other.officials[2].id });
  // A deferred constraint trigger fails the COMMIT of an issue whose summary carries the mark.
  await owner.query(`
    CREATE OR REPLACE FUNCTION test_refuse_issue() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'ISSUED' AND NEW.summary LIKE '%' || '${REFUSE_MARK}' || '%' THEN RAISE EXCEPTION 'commit refused by the test'; END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS test_refuse_issue ON official_document;
    CREATE CONSTRAINT TRIGGER test_refuse_issue AFTER UPDATE ON official_document
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_issue();`);
});

afterAll(async () => {
  await owner.query('DROP TRIGGER IF EXISTS test_refuse_issue ON official_document; DROP FUNCTION IF EXISTS test_refuse_issue()');
  await owner.end();
  await api.close();
});

const as = (token: string, slug = desk.slug) => ({ token, province: slug });
const FIELDS = 'id status number symbol issuedOn place signerName signerAuthority signerPosition allowedActions';
const DRAFT = `mutation($input: DraftDocumentInput!) { draftDocument(input: $input) { ${FIELDS} } }`;
const MOVE = `mutation($input: MoveDocumentInput!) { moveDocument(input: $input) { ${FIELDS} } }`;

const plan = (overrides: Record<string, unknown> = {}) => ({
  type: 'KE_HOACH',
  summary: `Kế hoạch tuyển dụng công chức năm ${YEAR} (${crypto.randomUUID().slice(0, 8)})`,
  recipientsText: '- UBND thành phố (b/c);\n- Các sở, ban, ngành;\n- Lưu: VT, TCBC.',
  ...overrides,
});

async function draft(input: Record<string, unknown> = {}) {
  const answer = await api.gql(DRAFT, { input: plan(input) }, as(desk.handler));
  expect(answer.errors).toBeUndefined();
  return answer.data!.draftDocument;
}

const move = (token: string, documentId: string, action: string, extra: Record<string, unknown> = {}, slug = desk.slug) =>
  api.gql(MOVE, { input: { documentId, action, ...extra } }, as(token, slug));

/** Drafted, submitted, approved and signed: ready for the clerk to issue. */
async function signed(input: Record<string, unknown> = {}) {
  const document = await draft(input);
  for (const [token, action, extra] of [
    [desk.handler, 'SUBMIT', {}],
    [desk.leader, 'APPROVE', {}],
    [desk.leader, 'SIGN', { signerAuthority: 'KT', signerPosition: 'Phó Giám đốc' }],
  ] as const) {
    const moved = await move(token, document.id, action, extra);
    expect({ action, errors: moved.errors }).toEqual({ action, errors: undefined });
  }
  return document.id as string;
}

const uploadDraft = (bytes: Buffer) => uploadFile(api.url, { token: desk.handler, province: desk.slug }, 'DOCUMENT', 'Dự thảo kế hoạch.docx', bytes);

test('drafted with its file, reviewed, signed and issued with the next number of the issuer, and listed in the outgoing register', async () => {
  const file = await uploadDraft(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.alloc(2000)]));
  expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const document = await draft({ fileId: file.id });
  expect(document).toMatchObject({ status: 'DRAFT', number: null, symbol: null, allowedActions: ['SUBMIT', 'CANCEL'] });

  // the drafter may not approve their own; a return needs its reason
  expect((await move(desk.handler, document.id, 'SUBMIT')).errors).toBeUndefined();
  expect((await move(desk.handler, document.id, 'APPROVE')).errors![0].extensions!.code).toBe('FORBIDDEN');
  const noReason = await move(desk.leader, document.id, 'RETURN');
  expect(noReason.errors![0].extensions!.fieldErrors[0].field).toBe('note');
  expect((await move(desk.leader, document.id, 'RETURN', { note: 'Bổ sung chỉ tiêu biên chế' })).data!.moveDocument.status).toBe('DRAFT');
  expect((await move(desk.handler, document.id, 'SUBMIT')).errors).toBeUndefined();
  // the clerk cannot issue what is not signed
  const early = await move(documentClerk, document.id, 'ISSUE');
  expect(early.errors![0].extensions).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', allowedActions: [] });
  expect((await move(desk.leader, document.id, 'APPROVE')).errors).toBeUndefined();
  // a signer without the authority: the document clerk may not sign
  expect((await move(documentClerk, document.id, 'SIGN', { signerAuthority: 'TL', signerPosition: 'Chánh Văn phòng' })).errors![0].extensions!.code).toBe('FORBIDDEN');
  const unsigned = await move(desk.leader, document.id, 'SIGN');
  expect(unsigned.errors![0].extensions!.fieldErrors[0].field).toBe('signerPosition');
  const sign = await move(desk.leader, document.id, 'SIGN', { signerAuthority: 'KT', signerPosition: 'Phó Giám đốc' });
  expect(sign.data!.moveDocument).toMatchObject({ status: 'SIGNED', signerAuthority: 'KT', signerPosition: 'Phó Giám đốc', signerName: desk.officials[0].fullName });

  const issued = await move(documentClerk, document.id, 'ISSUE');
  expect(issued.errors).toBeUndefined();
  const { number, symbol } = issued.data!.moveDocument;
  expect(issued.data!.moveDocument).toMatchObject({ status: 'ISSUED', issuedOn: TODAY, place: 'Đà Nẵng', allowedActions: [] });
  expect(symbol).toBe(`${String(number).padStart(2, '0')}/KH-SNV`);
  // issuing twice is refused, and takes no number
  expect((await move(documentClerk, document.id, 'ISSUE')).errors![0].extensions!.code).toBe('TRANSITION_NOT_ALLOWED');

  const register = await api.gql(
    `query($year: Int!) { outgoingRegister(year: $year, first: 200) { edges { node { symbol summary file { name } log { action actorName } } } } }`,
    { year: YEAR },
    as(desk.handler),
  );
  const entry = register.data!.outgoingRegister.edges.map((edge: any) => edge.node).find((node: any) => node.symbol === symbol);
  expect(entry.file).toEqual({ name: 'Dự thảo kế hoạch.docx' });
  expect(entry.log.map((step: any) => step.action)).toEqual(['DRAFT', 'SUBMIT', 'RETURN', 'SUBMIT', 'APPROVE', 'SIGN', 'ISSUE']);
});

test('a dispatch is numbered {number}/{issuer}-{unit}; bad drafts get coded errors', async () => {
  const missingUnit = await api.gql(DRAFT, { input: plan({ type: 'CONG_VAN', summary: 'V/v góp ý dự thảo Quy chế làm việc' }) }, as(desk.handler));
  expect(missingUnit.errors![0].extensions!.fieldErrors.map((error: any) => error.field)).toEqual(['draftingUnit']);
  const noVv = await api.gql(DRAFT, { input: plan({ type: 'CONG_VAN', draftingUnit: 'VP', summary: 'Góp ý dự thảo Quy chế làm việc' }) }, as(desk.handler));
  expect(noVv.errors![0].extensions!.fieldErrors.map((error: any) => error.field)).toEqual(['summary']);
  const id = await signed({ type: 'CONG_VAN', draftingUnit: 'VP', summary: 'V/v góp ý dự thảo Quy chế làm việc' });
  const issued = await move(documentClerk, id, 'ISSUE');
  expect(issued.data!.moveDocument.symbol).toMatch(/^\d{2,}\/SNV-VP$/);
  // a citizen cannot draft at all
  const citizen = await api.token({ province: province('da-nang').id, roles: ['citizen'], sub: 'cccd:048190005555' });
  expect((await api.gql(DRAFT, { input: plan() }, as(citizen))).errors![0].extensions!.code).toBe('FORBIDDEN');
});

test('documents issued at once by one issuer get distinct numbers with no gap; a failed issue consumes none', async () => {
  const ids = await Promise.all(Array.from({ length: 12 }, () => signed()));
  const issued = await Promise.all(ids.map((id) => move(documentClerk, id, 'ISSUE')));
  expect(issued.map((answer) => answer.errors)).toEqual(ids.map(() => undefined));
  const numbers = issued.map((answer) => answer.data!.moveDocument.number as number).sort((a, b) => a - b);
  expect(new Set(numbers).size).toBe(12);
  expect(numbers[11] - numbers[0]).toBe(11);

  const refusedId = await signed({ summary: `Kế hoạch kiểm thử ${REFUSE_MARK}` });
  const refused = await move(documentClerk, refusedId, 'ISSUE');
  expect(refused.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
  const stored = await owner.query('SELECT status, number FROM official_document WHERE id = $1', [Buffer.from(refusedId, 'base64').toString('utf8').split(':')[1]]);
  expect(stored.rows[0]).toEqual({ status: 'SIGNED', number: null });
  const next = await move(documentClerk, await signed(), 'ISSUE');
  expect(next.data!.moveDocument.number).toBe(numbers[11] + 1);
});

test('secret documents are numbered in their own series and seen only by those granted', async () => {
  const secretId = await signed({ confidentiality: 'MAT', summary: `Kế hoạch bảo vệ bí mật nhà nước ${crypto.randomUUID().slice(0, 6)}` });
  const issued = (await move(documentClerk, secretId, 'ISSUE')).data!.moveDocument;
  const { rows } = await owner.query(
    `SELECT last_value FROM document_counter WHERE tenant_id = $1 AND agency_id = $2 AND year = $3 AND series = 'SECRET'`,
    [province('da-nang').id, Buffer.from(desk.agencyId, 'base64').toString('utf8').split(':')[1], YEAR],
  );
  expect(issued.number).toBe(rows[0].last_value);
  // an official of another agency of the province: not in the register, not by id
  const outsider = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  const byId = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: secretId }, as(outsider.handler));
  expect(byId.data!.node).toBeNull();
  const issuerId = desk.agencyId;
  const register = await api.gql(`query($year: Int!, $issuer: ID) { outgoingRegister(year: $year, issuerId: $issuer, first: 200) { edges { node { id } } } }`, { year: YEAR, issuer: issuerId }, as(outsider.handler));
  const ids = register.data!.outgoingRegister.edges.map((edge: any) => edge.node.id);
  expect(ids).not.toContain(secretId);
  expect(ids.length).toBeGreaterThan(0);
  // the issuer's leader sees it
  expect((await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: secretId }, as(desk.leader))).data!.node).toEqual({ id: secretId });
});

test('the incoming register: numbered, assigned with a deadline, handled and answered; the deadline report', async () => {
  const INCOMING = 'id incomingNumber status symbol type deadline overdue allowedActions';
  const register = (input: Record<string, unknown>, token = documentClerk) =>
    api.gql(`mutation($input: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $input) { ${INCOMING} } }`, { input }, as(token));
  const arrived = { symbol: '78/KH-UBND', issuerName: 'Ủy ban nhân dân thành phố Đà Nẵng', issuedOn: TODAY, summary: 'Kế hoạch cải cách hành chính nhà nước năm 2027' };

  const bad = await register({ ...arrived, symbol: '78-KH-UBND' });
  expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'symbol' }] });
  const mismatched = await register({ ...arrived, type: 'QUYET_DINH' });
  expect(mismatched.errors![0].extensions!.fieldErrors[0].field).toBe('type');
  expect((await register(arrived, desk.handler)).errors![0].extensions!.code).toBe('FORBIDDEN');

  const first = (await register(arrived)).data!.registerIncomingDocument;
  const second = (await register({ ...arrived, symbol: '15/QĐ-BNV', issuerName: 'Bộ Nội vụ' })).data!.registerIncomingDocument;
  expect(first).toMatchObject({ status: 'RECEIVED', type: 'KE_HOACH', symbol: '78/KH-UBND' });
  expect(second).toMatchObject({ type: 'QUYET_DINH', incomingNumber: first.incomingNumber + 1 });

  const MOVE_IN = `mutation($input: MoveIncomingDocumentInput!) { moveIncomingDocument(input: $input) { ${INCOMING} } }`;
  const moveIn = (token: string, input: Record<string, unknown>) => api.gql(MOVE_IN, { input }, as(token));
  const tomorrow = vietnamDateOf(new Date(Date.now() + 86_400_000));
  const noDeadline = await moveIn(desk.leader, { incomingId: first.id, action: 'ASSIGN', assigneeId: desk.handlerId });
  expect(noDeadline.errors![0].extensions!.fieldErrors[0].field).toBe('deadline');
  const outsider = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  const wrongAgency = await moveIn(desk.leader, { incomingId: first.id, action: 'ASSIGN', assigneeId: outsider.handlerId, deadline: tomorrow });
  expect(wrongAgency.errors![0].extensions!.fieldErrors[0].field).toBe('assigneeId');
  const assigned = await moveIn(desk.leader, { incomingId: first.id, action: 'ASSIGN', assigneeId: desk.handlerId, deadline: tomorrow, instructions: 'Giao Phòng Cải cách hành chính chủ trì, báo cáo trước hạn.' });
  expect(assigned.data!.moveIncomingDocument).toMatchObject({ status: 'ASSIGNED', deadline: tomorrow, overdue: false });
  expect((await moveIn(desk.handler, { incomingId: first.id, action: 'START' })).data!.moveIncomingDocument.allowedActions).toEqual(['FINISH']);
  // the answer must be an issued document of the agency
  const draftReply = await draft({ type: 'BAO_CAO', summary: 'Báo cáo kết quả cải cách hành chính quý IV' });
  expect((await moveIn(desk.handler, { incomingId: first.id, action: 'FINISH', replyId: draftReply.id })).errors![0].extensions!.fieldErrors[0].field).toBe('replyId');
  const replyId = await signed({ type: 'BAO_CAO', summary: 'Báo cáo kết quả cải cách hành chính quý IV' });
  await move(documentClerk, replyId, 'ISSUE');
  expect((await moveIn(desk.handler, { incomingId: first.id, action: 'FINISH', replyId })).data!.moveIncomingDocument.status).toBe('DONE');

  // The deadline report: what is past its deadline and not done.
  await moveIn(desk.leader, { incomingId: second.id, action: 'ASSIGN', assigneeId: desk.handlerId, deadline: tomorrow });
  await owner.query(`UPDATE incoming_document SET deadline = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 3 WHERE id = $1`, [Buffer.from(second.id, 'base64').toString('utf8').split(':')[1]]);
  const report = await api.gql(`query($year: Int!) { incomingRegister(year: $year, overdue: true, first: 200) { edges { node { id overdue } } } }`, { year: YEAR }, as(desk.leader));
  const overdue = report.data!.incomingRegister.edges.map((edge: any) => edge.node);
  expect(overdue).toContainEqual({ id: second.id, overdue: true });
  expect(overdue.map((node: any) => node.id)).not.toContain(first.id);
});

test("another province's documents are not there: not by id, not in its registers, not through the database", async () => {
  const id = await signed();
  await move(documentClerk, id, 'ISSUE');
  expect((await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, as(other.leader, other.slug))).data!.node).toBeNull();
  const moved = await move(otherClerk, id, 'CANCEL', { note: 'thử' }, other.slug);
  expect(moved.errors![0].extensions!.code).toBe('NOT_FOUND');
  const client = new pg.Client({ connectionString: process.env.TEST_APP_URL });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [province('can-tho').id]);
    const rawId = Buffer.from(id, 'base64').toString('utf8').split(':')[1];
    expect((await client.query('SELECT id FROM official_document WHERE id = $1', [rawId])).rowCount).toBe(0);
    expect((await client.query(`UPDATE official_document SET status = 'CANCELLED' WHERE id = $1`, [rawId])).rowCount).toBe(0);
    expect((await client.query('SELECT * FROM document_counter WHERE tenant_id = $1', [province('da-nang').id])).rowCount).toBe(0);
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
  void edgeId;
});

describe('exchange between agencies and provinces', () => {
  const ENVELOPE = 'id status recipientAgencyName recipientProvince refusalReason file { name downloadUrl }';
  const SEND = `mutation($id: ID!, $to: [DocumentRecipientInput!]!) { sendDocument(documentId: $id, recipients: $to) { ${ENVELOPE} } }`;
  const MOVE_ENVELOPE = `mutation($id: ID!, $action: EnvelopeAction!, $note: String) { moveEnvelope(envelopeId: $id, action: $action, note: $note) { ${ENVELOPE} } }`;
  const SENT = `query($id: ID!) { node(id: $id) { ... on OfficialDocument { envelopes { recipientAgencyName status refusalReason } } } }`;
  const download = (token: string, slug: string, path: string) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      http
        .get(new URL(path, api.url), { headers: { authorization: `Bearer ${token}`, 'x-province': slug } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  test('sent to an agency of another province and one of its own: received, assigned, handled or refused; the sender sees every status', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n% Kế hoạch liên thông\n'), Buffer.alloc(400_000, 7)]);
    const file = await uploadDraft(bytes);
    const id = await signed({ summary: 'Kế hoạch phối hợp quản lý hồ sơ cán bộ khi sắp xếp đơn vị hành chính', fileId: file.id });
    expect((await move(documentClerk, id, 'ISSUE')).errors).toBeUndefined();
    const neighbour = await openDesk(api, 'da-nang', 'Sở Tư pháp');
    const neighbourClerk = await api.token({ province: province('da-nang').id, roles: ['official', 'document_clerk'], agency: neighbour.agencyCode, sub: neighbour.officials[2].id });

    // A recipient that does not exist refuses the whole send; only the issuer's clerk sends
    const unknown = await api.gql(SEND, { id, to: [{ province: 'can-tho', agencyCode: '000.00.99.H99' }, { agencyCode: neighbour.agencyCode }] }, as(documentClerk));
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'recipients.0.agencyCode' }] });
    expect((await api.gql(SEND, { id, to: [{ agencyCode: neighbour.agencyCode }] }, as(desk.handler))).errors![0].extensions!.code).toBe('FORBIDDEN');

    const sent = await api.gql(SEND, { id, to: [{ province: 'can-tho', agencyCode: other.agencyCode }, { agencyCode: neighbour.agencyCode }] }, as(documentClerk));
    expect(sent.errors).toBeUndefined();
    expect(sent.data!.sendDocument.map((envelope: any) => [envelope.status, envelope.recipientProvince]).sort()).toEqual([
      ['WAITING', province('can-tho').name],
      ['WAITING', province('da-nang').name],
    ]);
    expect((await api.gql(SEND, { id, to: [{ agencyCode: neighbour.agencyCode }] }, as(documentClerk))).errors![0].extensions!.code).toBe('CONFLICT');

    // Cần Thơ's clerk finds it waiting, reads its file, and receives it into the incoming register
    const inbox = await api.gql(`{ exchangeInbox(status: WAITING) { ${ENVELOPE} symbol } }`, {}, as(otherClerk, other.slug));
    const envelope = inbox.data!.exchangeInbox.find((entry: any) => entry.file?.downloadUrl === file.downloadUrl);
    expect({ envelope: envelope ? "found" : inbox }).toEqual({ envelope: "found" });
    const read = await download(otherClerk, other.slug, envelope.file.downloadUrl);
    expect([read.status, read.body.equals(bytes)]).toEqual([200, true]);
    expect((await api.gql(MOVE_ENVELOPE, { id: envelope.id, action: 'RECALL', note: 'x' }, as(otherClerk, other.slug))).errors![0].extensions!.code).toBe('FORBIDDEN');
    const received = await api.gql(MOVE_ENVELOPE, { id: envelope.id, action: 'RECEIVE' }, as(otherClerk, other.slug));
    expect(received.data!.moveEnvelope.status).toBe('RECEIVED');
    const register = await api.gql(`query($year: Int!) { incomingRegister(year: $year, first: 200) { edges { node { id symbol status } } } }`, { year: YEAR }, as(otherClerk, other.slug));
    const entry = register.data!.incomingRegister.edges.map((edge: any) => edge.node).find((node: any) => node.symbol === envelope.symbol);
    expect(entry.status).toBe('RECEIVED');

    const tomorrow = vietnamDateOf(new Date(Date.now() + 86_400_000));
    const MOVE_IN = `mutation($input: MoveIncomingDocumentInput!) { moveIncomingDocument(input: $input) { status } }`;
    const statuses: string[] = [];
    for (const [token, input] of [
      [other.leader, { incomingId: entry.id, action: 'ASSIGN', assigneeId: other.handlerId, deadline: tomorrow }],
      [other.handler, { incomingId: entry.id, action: 'START' }],
      [other.handler, { incomingId: entry.id, action: 'FINISH' }],
    ] as const) {
      expect((await api.gql(MOVE_IN, { input }, as(token, other.slug))).errors).toBeUndefined();
      const seen = await api.gql(SENT, { id }, as(documentClerk));
      statuses.push(seen.data!.node.envelopes.find((e: any) => e.recipientAgencyName !== neighbour.agencyCode && e.status !== 'WAITING')?.status);
    }
    expect(statuses).toEqual(['ASSIGNED', 'IN_PROGRESS', 'DONE']);

    // The agency of the same province refuses, with its reason; the sender sees it
    const own = (await api.gql(`{ exchangeInbox(status: WAITING) { id file { downloadUrl } } }`, {}, as(neighbourClerk))).data!.exchangeInbox.find((e: any) => e.file?.downloadUrl === file.downloadUrl);
    expect((await api.gql(MOVE_ENVELOPE, { id: own.id, action: 'REFUSE' }, as(neighbourClerk))).errors![0].extensions!.fieldErrors[0].field).toBe('note');
    await api.gql(MOVE_ENVELOPE, { id: own.id, action: 'REFUSE', note: 'Không thuộc thẩm quyền của Sở Tư pháp' }, as(neighbourClerk));
    const seen = (await api.gql(SENT, { id }, as(documentClerk))).data!.node.envelopes;
    expect(seen.map((e: any) => [e.status, e.refusalReason]).sort()).toEqual([
      ['DONE', null],
      ['REFUSED', 'Không thuộc thẩm quyền của Sở Tư pháp'],
    ]);
  });

  test('a document for internal circulation goes to agencies of its own province only', async () => {
    const id = await signed({ circulation: 'NOI_BO', summary: 'Thông báo nội bộ về lịch trực cơ quan dịp Tết Nguyên đán' });
    expect((await move(documentClerk, id, 'ISSUE')).errors).toBeUndefined();
    const neighbour = await openDesk(api, 'da-nang', 'Sở Tư pháp');
    const refused = await api.gql(SEND, { id, to: [{ agencyCode: neighbour.agencyCode }, { province: 'can-tho', agencyCode: other.agencyCode }, { externalCode: '000.00.00.G09', externalName: 'Bộ Nội vụ' }] }, as(documentClerk));
    expect(refused.errors![0].extensions!.fieldErrors.map((error: any) => error.field)).toEqual(['recipients.1.province', 'recipients.2.externalCode']);
    const sent = await api.gql(SEND, { id, to: [{ agencyCode: neighbour.agencyCode }] }, as(documentClerk));
    expect(sent.data!.sendDocument.map((envelope: any) => envelope.status)).toEqual(['WAITING']);
  });

  test('the sender sends an update, the recipient accepts or refuses it; each only its own part', async () => {
    const id = await signed();
    await move(documentClerk, id, 'ISSUE');
    const [envelope] = (await api.gql(SEND, { id, to: [{ province: 'can-tho', agencyCode: other.agencyCode }] }, as(documentClerk))).data!.sendDocument;
    const UPDATE = `mutation($id: ID!, $action: EnvelopeAction!, $note: String) { moveEnvelope(envelopeId: $id, action: $action, note: $note) { status updateState updateNote } }`;
    const step = (token: string, slug: string, action: string, note?: string) => api.gql(UPDATE, { id: envelope.id, action, note }, as(token, slug));
    expect((await step(documentClerk, desk.slug, 'SEND_UPDATE')).errors![0].extensions!.fieldErrors[0].field).toBe('note');
    expect((await step(otherClerk, other.slug, 'SEND_UPDATE', 'Sửa ngày hiệu lực')).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await step(otherClerk, other.slug, 'ACCEPT_UPDATE')).errors![0].extensions!.code).toBe('TRANSITION_NOT_ALLOWED');
    const sent = await step(documentClerk, desk.slug, 'SEND_UPDATE', 'Đính chính ngày hiệu lực tại Điều 3: từ ngày 01/01/2027');
    expect(sent.data!.moveEnvelope).toEqual({ status: 'WAITING', updateState: 'SENT', updateNote: 'Đính chính ngày hiệu lực tại Điều 3: từ ngày 01/01/2027' });
    expect((await step(documentClerk, desk.slug, 'ACCEPT_UPDATE')).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await step(otherClerk, other.slug, 'ACCEPT_UPDATE')).data!.moveEnvelope.updateState).toBe('ACCEPTED');
    await step(documentClerk, desk.slug, 'SEND_UPDATE', 'Bổ sung phụ lục danh sách cơ quan phối hợp');
    expect((await step(otherClerk, other.slug, 'REFUSE_UPDATE')).errors![0].extensions!.fieldErrors[0].field).toBe('note');
    const refused = await step(otherClerk, other.slug, 'REFUSE_UPDATE', 'Phụ lục không kèm tệp');
    expect(refused.data!.moveEnvelope).toEqual({ status: 'WAITING', updateState: 'REFUSED', updateNote: 'Bổ sung phụ lục danh sách cơ quan phối hợp' });
    const seen = await api.gql(`query($id: ID!) { node(id: $id) { ... on DocumentEnvelope { updateState } } }`, { id: envelope.id }, as(documentClerk));
    expect(seen.data!.node.updateState).toBe('REFUSED');
  });

  test('a recalled envelope takes its file back; another pair of provinces can neither read nor change an envelope, and each side changes only its own', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n% Thu hồi\n'), Buffer.alloc(1000, 3)]);
    const file = await uploadDraft(bytes);
    const id = await signed({ fileId: file.id });
    await move(documentClerk, id, 'ISSUE');
    const [envelope] = (await api.gql(SEND, { id, to: [{ province: 'can-tho', agencyCode: other.agencyCode }] }, as(documentClerk))).data!.sendDocument;
    expect((await download(otherClerk, other.slug, file.downloadUrl)).status).toBe(200);
    const third = await openDesk(api, 'vinh-long', 'Sở Tư pháp');
    expect((await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: envelope.id }, as(third.leader, third.slug))).data!.node).toBeNull();
    expect((await download(third.leader, third.slug, file.downloadUrl)).status).toBe(404);

    const rawId = Buffer.from(envelope.id, 'base64').toString('utf8').split(':')[1];
    const client = new pg.Client({ connectionString: process.env.TEST_APP_URL });
    await client.connect();
    const scoped = async (slug: string, sql: string) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [province(slug).id]);
        return await client.query(sql, [rawId]);
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      expect((await scoped('vinh-long', 'SELECT id FROM document_envelope WHERE id = $1')).rowCount).toBe(0);
      expect((await scoped('vinh-long', `UPDATE document_envelope SET status = 'DONE' WHERE id = $1`)).rowCount).toBe(0);
      expect((await scoped('can-tho', 'SELECT id FROM document_envelope WHERE id = $1')).rowCount).toBe(1);
      await expect(scoped('can-tho', `UPDATE document_envelope SET status = 'RECALLED' WHERE id = $1`)).rejects.toThrow(/only the sender recalls/);
      await expect(scoped('da-nang', `UPDATE document_envelope SET status = 'DONE' WHERE id = $1`)).rejects.toThrow(/only the recipient/);
      await expect(scoped('can-tho', `UPDATE document_envelope SET update_note = 'sửa hộ', update_state = 'SENT' WHERE id = $1`)).rejects.toThrow(/only the sender/);
      await expect(scoped('da-nang', `UPDATE document_envelope SET update_state = 'ACCEPTED' WHERE id = $1`)).rejects.toThrow(/only the recipient answers/);
      await expect(scoped('can-tho', `INSERT INTO document_envelope SELECT * FROM document_envelope WHERE id = $1`)).rejects.toThrow(/row-level security|duplicate|unique/);
    } finally {
      await client.end();
    }

    const recalled = await api.gql(MOVE_ENVELOPE, { id: envelope.id, action: 'RECALL', note: 'Văn bản ban hành nhầm nơi nhận' }, as(documentClerk));
    expect(recalled.data!.moveEnvelope.status).toBe('RECALLED');
    expect((await download(otherClerk, other.slug, file.downloadUrl)).status).toBe(404);
    expect((await api.gql(MOVE_ENVELOPE, { id: envelope.id, action: 'RECEIVE' }, as(otherClerk, other.slug))).errors![0].extensions!.code).toBe('TRANSITION_NOT_ALLOWED');
  });
});

test('search: words typed with or without diacritics, number and symbol, type, dates; secret ones only for those granted', async () => {
  const mark = crypto.randomUUID().slice(0, 8).replace(/\d/g, 'x');
  const id = await signed({ summary: `Kế hoạch cải cách hành chính nhà nước giai đoạn 2026-2030 đợt ${mark}` });
  const issued = (await move(documentClerk, id, 'ISSUE')).data!.moveDocument;
  const secretId = await signed({ summary: `Kế hoạch cải cách hành chính mật đợt ${mark}`, confidentiality: 'MAT' });
  await move(documentClerk, secretId, 'ISSUE');
  const SEARCH = `query($text: String, $symbol: String, $type: DocumentType, $from: Date, $to: Date) {
    documentSearch(text: $text, symbol: $symbol, type: $type, issuedFrom: $from, issuedTo: $to, first: 20) { edges { node { id symbol } } } }`;
  const found = async (variables: Record<string, unknown>, token = desk.handler) => {
    const answer = await api.gql(SEARCH, variables, as(token));
    expect(answer.errors).toBeUndefined();
    return answer.data!.documentSearch.edges.map((edge: any) => edge.node.id);
  };
  expect(await found({ text: `cai cach hanh chinh dot ${mark}` })).toEqual([id]);
  expect(await found({ text: `Cải cách hành chính đợt ${mark.slice(0, 4)}` })).toEqual([id]);
  expect(await found({ text: `ke hoach ${mark}`, type: 'KE_HOACH' })).toEqual([id]);
  expect(await found({ text: mark, type: 'QUYET_DINH' })).toEqual([]);
  expect(await found({ symbol: issued.symbol })).toEqual([id]);
  expect(await found({ text: mark, from: TODAY, to: TODAY })).toEqual([id]);
  expect(await found({ text: mark, to: '2020-12-31' })).toEqual([]);
  expect(await found({ text: `thuong mai ${mark}` })).toEqual([]);
  // the issuer's leader finds the secret one too
  expect((await found({ text: mark }, desk.leader)).sort()).toEqual([id, secretId].sort());
});

test('live: the recipient agency sees what arrives, the issuer each status of what it sent; a third agency neither', async () => {
  const clients: ReturnType<typeof createClient>[] = [];
  const watch = (token: string, slug: string, query: string) => {
    const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}`, province: slug }, retryAttempts: 0 });
    clients.push(client);
    const values: any[] = [];
    client.subscribe({ query }, { next: (value) => values.push(value), error: (error) => values.push({ error }), complete: () => undefined });
    return values;
  };
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  try {
    const arriving = watch(otherClerk, other.slug, 'subscription Arriving { incomingDocuments { id status symbol senderAgencyName } }');
    const followed = watch(documentClerk, desk.slug, 'subscription Followed { sentDocumentStatus { id status recipientAgencyName } }');
    const third = await openDesk(api, 'vinh-long', 'Sở Tư pháp');
    const elsewhere = watch(third.leader, third.slug, 'subscription Elsewhere { incomingDocuments { id } }');
    expect(await subscriptionsSetUp(api.url, 'Arriving')).toBe(true);
    expect(await subscriptionsSetUp(api.url, 'Followed')).toBe(true);
    expect(await subscriptionsSetUp(api.url, 'Elsewhere')).toBe(true);

    const id = await signed({ summary: `Thông báo kết luận cuộc họp liên ngành ${crypto.randomUUID().slice(0, 6)}`, type: 'THONG_BAO' });
    const symbol = (await move(documentClerk, id, 'ISSUE')).data!.moveDocument.symbol;
    const [envelope] = (await api.gql(`mutation($id: ID!, $to: [DocumentRecipientInput!]!) { sendDocument(documentId: $id, recipients: $to) { id } }`, { id, to: [{ province: 'can-tho', agencyCode: other.agencyCode }] }, as(documentClerk))).data!.sendDocument;
    await until(() => arriving.some((value) => value.data?.incomingDocuments?.id === envelope.id));
    expect(arriving.find((value) => value.data?.incomingDocuments?.id === envelope.id).data.incomingDocuments).toEqual({ id: envelope.id, status: 'WAITING', symbol, senderAgencyName: expect.stringContaining('Sở Nội vụ') });

    await api.gql(`mutation($id: ID!) { moveEnvelope(envelopeId: $id, action: RECEIVE) { status } }`, { id: envelope.id }, as(otherClerk, other.slug));
    await until(() => followed.some((value) => value.data?.sentDocumentStatus?.id === envelope.id));
    expect(followed.filter((value) => value.data?.sentDocumentStatus?.id === envelope.id).map((value) => value.data.sentDocumentStatus.status)).toEqual(['RECEIVED']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(elsewhere).toEqual([]);
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
});

test('deadlines in working days by the province calendar, and the deadline report by agency and handler', async () => {
  const register = async (symbol: string) =>
    (await api.gql(`mutation($input: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $input) { id } }`, {
      input: { symbol, issuerName: 'Ủy ban nhân dân thành phố Đà Nẵng', issuedOn: TODAY, summary: 'Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính' },
    }, as(documentClerk))).data!.registerIncomingDocument.id as string;
  const assigned = await register('05/CT-UBND');
  const unassigned = await register('06/CT-UBND');
  const ASSIGN = `mutation($input: MoveIncomingDocumentInput!) { moveIncomingDocument(input: $input) { deadline workingDaysLate } }`;
  const both = await api.gql(ASSIGN, { input: { incomingId: assigned, action: 'ASSIGN', assigneeId: desk.handlerId, workingDays: 3, deadline: TODAY } }, as(desk.leader));
  expect(both.errors![0].extensions!.fieldErrors[0].field).toBe('workingDays');
  expect((await api.gql(ASSIGN, { input: { incomingId: assigned, action: 'ASSIGN', assigneeId: desk.handlerId, workingDays: 0 } }, as(desk.leader))).errors![0].extensions!.fieldErrors[0].field).toBe('workingDays');
  const given = await api.gql(ASSIGN, { input: { incomingId: assigned, action: 'ASSIGN', assigneeId: desk.handlerId, workingDays: 3 } }, as(desk.leader));
  expect(given.errors).toBeUndefined();
  const deadline = given.data!.moveIncomingDocument.deadline as string;
  // three working days on: at least three days later, never on a Sunday, not late
  expect(deadline > vietnamDateOf(new Date(Date.now() + 2 * 86_400_000))).toBe(true);
  expect(new Date(`${deadline}T00:00:00Z`).getUTCDay()).not.toBe(0);
  expect(given.data!.moveIncomingDocument.workingDaysLate).toBe(0);

  // Both made late: a month ago and three days ago.
  const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
  await owner.query(`UPDATE incoming_document SET deadline = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 30 WHERE id = $1`, [raw(assigned)]);
  await owner.query(`UPDATE incoming_document SET deadline = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 3 WHERE id = $1`, [raw(unassigned)]);
  const REPORT = `query($year: Int!) { incomingDeadlineReport(year: $year) { agencyName assigneeName overdue mostWorkingDaysLate documents { id workingDaysLate } } }`;
  const report = await api.gql(REPORT, { year: YEAR }, as(desk.leader));
  expect(report.errors).toBeUndefined();
  const rows = report.data!.incomingDeadlineReport;
  const rowOf = (id: string) => rows.find((row: any) => row.documents.some((document: any) => document.id === id));
  const late = rowOf(assigned);
  expect(late.assigneeName).toBe(desk.officials[1].fullName);
  const lateDays = late.documents.find((document: any) => document.id === assigned).workingDaysLate;
  // a month is 20 to 23 working days, whatever the holidays
  expect(lateDays).toBeGreaterThanOrEqual(17);
  expect(lateDays).toBeLessThanOrEqual(23);
  expect(late.mostWorkingDaysLate).toBeGreaterThanOrEqual(lateDays);
  const waiting = rowOf(unassigned);
  expect(waiting.assigneeName).toBeNull();
  expect(waiting.documents.find((document: any) => document.id === unassigned).workingDaysLate).toBeLessThanOrEqual(3);
  expect(rows.indexOf(late)).toBeLessThan(rows.indexOf(waiting)); // most late first
  // the province admin sees every agency's; a handler none
  const admin = await api.gql(REPORT, { year: YEAR }, as(desk.admin));
  expect(admin.data!.incomingDeadlineReport.some((row: any) => row.documents.some((document: any) => document.id === assigned))).toBe(true);
  expect((await api.gql(REPORT, { year: YEAR }, as(desk.handler))).errors![0].extensions!.code).toBe('FORBIDDEN');
});
