// Transfers between provinces through GraphQL: Vĩnh Long asks, Quảng Trị answers, Đà Nẵng is a third
// province that must see and touch nothing. The request never tells the sender anything about the
// receiving province's private directory, and nothing is written there until it accepts.
import { openPostgres, type Database } from '../src/db/database';
import { openTransaction } from '../src/db/unit-of-work';
import { startTestApi, type TestApi } from './support/api';
import { province, uniqueEmail } from './support/fixtures';

const vinhLong = province('vinh-long');
const quangTri = province('quang-tri');
const daNang = province('da-nang');

let api: TestApi;
let owner: Database;
let sender: string;
let receiver: string;
let third: string;
let senderAgencyId: string;
let receiverAgency: { id: string; code: string; name: string };

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').at(-1)!;
const adminOf = (tenantId: string) => api.token({ province: tenantId, roles: ['official', 'province_admin'] });
const firstAgency = async (token: string) => (await api.gql(`{ agencies(first: 1) { edges { node { id code name } } } }`, {}, { token })).data!.agencies.edges[0].node;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  [sender, receiver, third] = await Promise.all([adminOf(vinhLong.id), adminOf(quangTri.id), adminOf(daNang.id)]);
  senderAgencyId = (await firstAgency(sender)).id;
  receiverAgency = await firstAgency(receiver);
});
afterAll(async () => {
  await api.close();
  await owner.close();
});

const TRANSFER_FIELDS = `id direction status fullName email fromProvinceName toProvinceName toAgencyName position effectiveOn decisionNumber decidedAt refusalReason`;

async function official(token: string, agencyId: string, fullName: string, email: string) {
  const created = await api.gql(
    `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`,
    { input: { fullName, position: 'Chuyên viên', email, agencyId, startedOn: '2021-03-01', idNumber: '086190004321', birthDate: '1990-05-17' } },
    { token },
  );
  expect(created.errors).toBeUndefined();
  return created.data!.createOfficial.id as string;
}

const askTransfer = (officialId: string) =>
  api.gql(
    `mutation ($id: ID!, $code: String!) { transferOfficial(id: $id, input: { toProvince: "quang-tri", toAgencyCode: $code, position: "Chuyên viên chính", effectiveOn: "2027-03-01", decisionNumber: "412/QĐ-UBND" }) { status transferRequests { ${TRANSFER_FIELDS} } } }`,
    { id: officialId, code: receiverAgency.code },
    { token: sender },
  );

async function pendingRequest(fullName: string) {
  const id = await official(sender, senderAgencyId, fullName, uniqueEmail('ck', 'vinhlong.gov.vn'));
  const asked = await askTransfer(id);
  expect(asked.errors).toBeUndefined();
  return { officialId: id, requestId: asked.data!.transferOfficial.transferRequests[0].id as string };
}

const accept = (requestId: string, token = receiver, email?: string) =>
  api.gql(`mutation ($id: ID!, $email: String) { acceptOfficialTransfer(id: $id, input: { email: $email }) { ${TRANSFER_FIELDS} official { id email status workHistory { provinceName endedOn } } } }`, { id: requestId, email }, { token });
const refuse = (requestId: string, reason: string, token = receiver) =>
  api.gql(`mutation ($id: ID!, $reason: String!) { refuseOfficialTransfer(id: $id, reason: $reason) { ${TRANSFER_FIELDS} } }`, { id: requestId, reason }, { token });
const withdraw = (requestId: string, token = sender) =>
  api.gql(`mutation ($id: ID!) { withdrawOfficialTransfer(id: $id) { ${TRANSFER_FIELDS} } }`, { id: requestId }, { token });
const statusOf = async (officialId: string, token = sender) =>
  (await api.gql(`query ($id: ID!) { node(id: $id) { ... on Official { status } } }`, { id: officialId }, { token })).data!.node?.status;
const receiverOfficialsWith = (email: string) => owner.prisma.official.count({ where: { tenantId: quangTri.id, email } });

describe('a request, not a write into another province', () => {
  test("the answer is the same whether or not the e-mail exists among the receiver's officials", async () => {
    // Quảng Trị has a private official with this mailbox; Vĩnh Long cannot see them.
    const shared = uniqueEmail('ltbinh', 'quangtri.gov.vn');
    await official(receiver, receiverAgency.id, 'Lê Thanh Bình', shared);
    const taken = await official(sender, senderAgencyId, 'Lê Thanh Bình', shared);
    const free = await official(sender, senderAgencyId, 'Lê Thanh Bình', uniqueEmail('ltbinh', 'quangtri.gov.vn'));

    const answers = [await askTransfer(taken), await askTransfer(free)];
    const comparable = answers.map((answer) => {
      expect(answer.errors).toBeUndefined();
      const { id: _id, email: _email, ...request } = answer.data!.transferOfficial.transferRequests[0];
      return { status: answer.status, official: answer.data!.transferOfficial.status, request };
    });
    expect(comparable[0]).toEqual(comparable[1]);
    expect(comparable[0]).toMatchObject({ status: 200, official: 'WORKING', request: { status: 'PENDING', direction: 'OUTGOING' } });
    // Nothing was written in Quảng Trị.
    expect(await receiverOfficialsWith(shared)).toBe(1);

    // The receiver finds the clash itself, in its own directory, and gives the official another mailbox.
    const requestId = answers[0].data!.transferOfficial.transferRequests[0].id;
    const clash = await accept(requestId);
    expect(clash.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fieldErrors: [{ field: 'email' }] });
    expect((await api.gql(`query ($id: ID!) { node(id: $id) { ... on OfficialTransfer { status } } }`, { id: requestId }, { token: sender })).data!.node.status).toBe('PENDING');
    const mailbox = uniqueEmail('ltbinh2', 'quangtri.gov.vn');
    const accepted = await accept(requestId, receiver, mailbox);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptOfficialTransfer.official).toMatchObject({ email: mailbox, status: 'WORKING' });
    expect(await statusOf(taken)).toBe('TRANSFERRED');
  });

  test('accepted: the receiver lists it, takes the official in with the career, the sender sees the outcome', async () => {
    const { officialId, requestId } = await pendingRequest('Huỳnh Thị Ngọc Hân');
    const incoming = await api.gql(`{ officialTransfers(direction: INCOMING, status: PENDING) { edges { node { id fullName fromProvinceName position } } } }`, {}, { token: receiver });
    expect(incoming.data!.officialTransfers.edges.map((edge: any) => edge.node)).toContainEqual({
      id: requestId, fullName: 'Huỳnh Thị Ngọc Hân', fromProvinceName: vinhLong.name, position: 'Chuyên viên chính',
    });

    const accepted = await accept(requestId);
    expect(accepted.errors).toBeUndefined();
    const answer = accepted.data!.acceptOfficialTransfer;
    expect(answer).toMatchObject({ status: 'ACCEPTED', direction: 'INCOMING', decidedAt: expect.any(String) });
    expect(answer.official.workHistory).toEqual([
      { provinceName: vinhLong.name, endedOn: '2027-03-01' },
      { provinceName: quangTri.name, endedOn: null },
    ]);
    const arrived = await owner.prisma.official.findFirstOrThrow({ where: { tenantId: quangTri.id, fullName: 'Huỳnh Thị Ngọc Hân' } });
    const left = await owner.prisma.official.findFirstOrThrow({ where: { tenantId: vinhLong.id, fullName: 'Huỳnh Thị Ngọc Hân' } });
    expect(arrived).toMatchObject({ personId: left.personId, idNumber: '086190004321', position: 'Chuyên viên chính', birthDate: new Date('1990-05-17T00:00:00Z'), agencyId: localId(receiverAgency.id) });

    expect(await statusOf(officialId)).toBe('TRANSFERRED');
    const outgoing = await api.gql(`query ($id: ID!) { node(id: $id) { ... on OfficialTransfer { direction status official { status } } } }`, { id: requestId }, { token: sender });
    expect(outgoing.data!.node).toEqual({ direction: 'OUTGOING', status: 'ACCEPTED', official: { status: 'TRANSFERRED' } });
    expect((await accept(requestId)).errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  test('refused with a reason: the sender reads it, the official stays, nothing is created there', async () => {
    const { officialId, requestId } = await pendingRequest('Trịnh Văn Quyết');
    const blank = await refuse(requestId, '   ');
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'reason' }] });

    const refused = await refuse(requestId, 'Sở chưa có chỉ tiêu biên chế cho vị trí này');
    expect(refused.errors).toBeUndefined();
    const seen = await api.gql(`query ($id: ID!) { node(id: $id) { ... on OfficialTransfer { status refusalReason } } }`, { id: requestId }, { token: sender });
    expect(seen.data!.node).toEqual({ status: 'REFUSED', refusalReason: 'Sở chưa có chỉ tiêu biên chế cho vị trí này' });
    expect(await statusOf(officialId)).toBe('WORKING');
    expect(await owner.prisma.official.count({ where: { tenantId: quangTri.id, fullName: 'Trịnh Văn Quyết' } })).toBe(0);
    expect((await accept(requestId)).errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  test('a pending request holds the official; the sender may withdraw it, and then it cannot be accepted', async () => {
    const { officialId, requestId } = await pendingRequest('Đoàn Minh Triết');
    const retire = `mutation ($id: ID!) { retireOfficial(id: $id, input: { effectiveOn: "2027-06-30" }) { status } }`;
    const held = await api.gql(retire, { id: officialId }, { token: sender });
    expect(held.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(held.errors?.[0].message).toContain(quangTri.name);
    expect((await askTransfer(officialId)).errors?.[0].extensions?.code).toBe('CONFLICT');
    // Only the sender withdraws, only the receiver answers.
    expect((await withdraw(requestId, receiver)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await accept(requestId, sender)).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    expect((await withdraw(requestId)).data!.withdrawOfficialTransfer.status).toBe('WITHDRAWN');
    expect((await accept(requestId)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await api.gql(retire, { id: officialId }, { token: sender })).data!.retireOfficial.status).toBe('RETIRED');
  });
});

describe('a third province', () => {
  let requestId: string;
  let rowId: string;
  beforeAll(async () => {
    requestId = (await pendingRequest('Châu Ngọc Thảo')).requestId;
    rowId = localId(requestId);
  });

  test('sees nothing through GraphQL and can answer nothing', async () => {
    for (const direction of ['INCOMING', 'OUTGOING']) {
      const listed = await api.gql(`query ($d: TransferDirection!) { officialTransfers(direction: $d) { edges { node { id } } } }`, { d: direction }, { token: third });
      expect(listed.data!.officialTransfers.edges.map((edge: any) => edge.node.id)).not.toContain(requestId);
    }
    expect((await api.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: requestId }, { token: third })).data).toEqual({ node: null });
    for (const attempt of [accept(requestId, third), refuse(requestId, 'Không phải của tỉnh này', third), withdraw(requestId, third)]) {
      expect((await attempt).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });

  test('sees, changes and forges nothing with SQL inside the API role and its own province', async () => {
    const transaction = await openTransaction(api.database, { tenantId: daNang.id, role: 'app', timeoutMs: 10_000 });
    try {
      const [{ count }] = await transaction.db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM official_transfer WHERE id = ${rowId}::uuid`;
      expect(Number(count)).toBe(0);
      expect(await transaction.db.$executeRaw`UPDATE official_transfer SET status = 'REFUSED' WHERE id = ${rowId}::uuid`).toBe(0);
    } finally {
      await transaction.rollback();
    }
    expect((await owner.prisma.officialTransfer.findFirstOrThrow({ where: { id: rowId } })).status).toBe('PENDING');
  });

  test('the receiver cannot forge a request in the sender\'s name, nor change whom a request moves', async () => {
    const row = await owner.prisma.officialTransfer.findFirstOrThrow({ where: { id: rowId } });
    const attempt = async (fn: (db: any) => Promise<unknown>) => {
      const transaction = await openTransaction(api.database, { tenantId: quangTri.id, role: 'app', timeoutMs: 10_000 });
      try {
        return await fn(transaction.db).then(() => 'done', (error: Error) => error.message);
      } finally {
        await transaction.rollback();
      }
    };
    const { id: _id, ...copy } = row;
    expect(await attempt((db) => db.officialTransfer.create({ data: copy }))).toMatch(/row-level security|42501/);
    expect(await attempt((db) => db.$executeRaw`UPDATE official_transfer SET official_id = gen_random_uuid() WHERE id = ${rowId}::uuid`)).toMatch(/permission denied|42501/);
  });
});
