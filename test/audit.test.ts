// The audit trail through the server: every committed mutation (HTTP and WebSocket) and every read of
// personal data by someone else is an entry of the province's hash chain, written in the operation's
// transaction; the API role cannot rewrite it or the dossier log; `npm run audit:verify` finds a
// modified, a deleted and an inserted row; province admins query their own province's trail only.
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { inTransaction, openTransaction } from '../src/db/unit-of-work';
import { appendToChain, canonicalJson, sha256, verdictLine } from '../src/modules/audit/audit-chain';
import { verifyProvinceChain } from '../src/modules/audit/audit.service';
import { province, uniqueEmail } from './support/fixtures';
import { runScript } from './support/run-script';
import { RECEIVE, intake, openDesk } from './support/dossier-fixtures';

const quangTri = province('quang-tri');
const daNang = province('da-nang');
const ADMIN_SUB = 'quan-tri-vien-quang-tri-01';
const OTHER_ADMIN_SUB = 'quan-tri-vien-quang-tri-02';

let api: TestApi;
let owner: Database;
let admin: string;
let otherAdmin: string;
let now = new Date('2026-12-02T02:00:00.000Z'); // 09:00 in Việt Nam
let requests = 0;

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => now });
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  admin = await api.token({ province: quangTri.id, roles: ['official', 'province_admin'], sub: ADMIN_SUB });
  otherAdmin = await api.token({ province: quangTri.id, roles: ['official', 'province_admin'], sub: OTHER_ADMIN_SUB });
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

/** A request with its own X-Request-Id, to find its entries by. */
function send(query: string, variables: Record<string, unknown>, token: string, slug = 'quang-tri') {
  const requestId = `audit-test-${Date.now().toString(36)}-${requests++}`;
  return api.gql(query, variables, { token, province: slug, headers: { 'x-request-id': requestId } }).then((response) => ({ response, requestId }));
}

const entriesOf = (requestId: string) => owner.prisma.auditEntry.findMany({ where: { requestId }, orderBy: { position: 'asc' } });
const headOf = (tenantId: string) => owner.prisma.auditChainHead.findUnique({ where: { tenantId } });
const decodeId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8');

/** An official of Quảng Trị with a CCCD and a date of birth; their global id. */
async function createOfficial(fullName: string, idNumber: string, birthDate: string): Promise<string> {
  const agencies = await api.gql(`{ agencies(first: 1) { edges { node { id } } } }`, {}, { token: admin });
  const created = await api.gql(`mutation($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, {
    input: { fullName, position: 'Chuyên viên', email: uniqueEmail('canbo', 'quangtri.gov.vn'), idNumber, birthDate, agencyId: agencies.data!.agencies.edges[0].node.id },
  }, { token: admin });
  return created.data!.createOfficial.id;
}

const SET_DAY = `mutation DatNgayNghi($input: CalendarDayInput!) { setCalendarDay(input: $input) { days { date kind } } }`;
const dayOff = (date: string) => ({ date, kind: 'DAY_OFF', name: 'Nghỉ theo quyết định của UBND tỉnh Quảng Trị' });

describe('a mutation', () => {
  test('that commits writes one entry: who, what (a digest of the input), when, request id, client address', async () => {
    const { response, requestId } = await send(SET_DAY, { input: dayOff('2027-03-09') }, admin);
    expect(response.errors).toBeUndefined();
    const [entry, ...more] = await entriesOf(requestId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      tenantId: quangTri.id,
      kind: 'MUTATION',
      operation: 'DatNgayNghi',
      fields: ['setCalendarDay'],
      at: now,
      actorKind: 'official',
      actorSubject: ADMIN_SUB,
      actorRoles: ['PROVINCE_ADMIN'],
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
    });
    // The arguments as the resolver received them (the Date scalar parsed), canonical, hashed.
    const args = { input: { ...dayOff('2027-03-09'), date: new Date('2027-03-09T00:00:00.000Z') } };
    expect(entry.inputDigest).toBe(sha256(canonicalJson([{ field: 'setCalendarDay', arguments: args }])));
    expect(await headOf(quangTri.id)).toEqual({ tenantId: quangTri.id, position: entry.position, hash: entry.hash });
  });

  test('gives the same digest whether the input comes in variables or inline', async () => {
    const inVariables = await send(SET_DAY, { input: dayOff('2027-03-10') }, admin);
    const inline = await send(
      `mutation DatNgayNghi { setCalendarDay(input: { date: "2027-03-10", kind: DAY_OFF, name: "Nghỉ theo quyết định của UBND tỉnh Quảng Trị" }) { days { date } } }`,
      {},
      admin,
    );
    const [a] = await entriesOf(inVariables.requestId);
    const [b] = await entriesOf(inline.requestId);
    expect(a.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(b.inputDigest).toBe(a.inputDigest);
  });

  test('keeps a CCCD out of the trail, and names the official created and the agency given', async () => {
    const agencies = await api.gql(`{ agencies(first: 1) { edges { node { id } } } }`, {}, { token: admin });
    const agencyId = agencies.data!.agencies.edges[0].node.id;
    const { response, requestId } = await send(
      `mutation TaoCanBo($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`,
      { input: { fullName: 'Hoàng Thị Thu Hà', position: 'Chuyên viên', email: uniqueEmail('htthuha', 'quangtri.gov.vn'), idNumber: '044190012345', birthDate: '1990-04-12', agencyId } },
      admin,
    );
    expect(response.errors).toBeUndefined();
    const [entry] = await entriesOf(requestId);
    expect(entry.targetIds.sort()).toEqual([decodeId(agencyId), decodeId(response.data!.createOfficial.id)].sort());
    expect(JSON.stringify(entry)).not.toMatch(/044190012345|1990-04-12|Thu Hà/);
  });

  test('that is refused (and rolled back) writes none, and the chain does not move', async () => {
    const before = await headOf(quangTri.id);
    const { response, requestId } = await send(SET_DAY, { input: dayOff('2026-11-03') }, admin);
    expect(response.errors?.[0].extensions?.code).toBe('CALENDAR_PAST_DAY_LOCKED');
    expect(await entriesOf(requestId)).toEqual([]);
    expect(await headOf(quangTri.id)).toEqual(before);
  });

  test('over WebSocket is audited the same way', async () => {
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin}`, province: 'quang-tri' },
      retryAttempts: 0,
    });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let value: unknown;
        client.subscribe(
          { query: SET_DAY.replace('DatNgayNghi', 'DatNgayNghiQuaWebSocket'), variables: { input: dayOff('2027-03-11') } },
          { next: (next) => (value = next), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result.errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
    const entries = await owner.prisma.auditEntry.findMany({ where: { tenantId: quangTri.id, operation: 'DatNgayNghiQuaWebSocket' } });
    expect(entries).toMatchObject([{ kind: 'MUTATION', fields: ['setCalendarDay'], actorSubject: ADMIN_SUB }]);
  });
});

describe('personal data', () => {
  let officialId: string;
  const READ = `query XemCanBo($id: ID!) { node(id: $id) { ... on Official { fullName idNumber birthDate } } }`;

  beforeAll(async () => {
    officialId = await createOfficial('Lê Văn Quang', '044088001122', '1988-09-02');
  });

  test("read by an admin is an entry naming the fields and the official, not the values", async () => {
    const { response, requestId } = await send(READ, { id: officialId }, admin);
    expect(response.data!.node.idNumber).toBe('044088001122');
    const entries = await entriesOf(requestId);
    expect(entries).toMatchObject([{ kind: 'READ', operation: 'XemCanBo', fields: ['Official.birthDate', 'Official.idNumber'], targetIds: [decodeId(officialId)], inputDigest: null, actorSubject: ADMIN_SUB }]);
    expect(JSON.stringify(entries)).not.toContain('044088001122');
  });

  test('read by the official themself, or not asked for, writes nothing', async () => {
    const self = await api.token({ province: quangTri.id, roles: ['official'], sub: decodeId(officialId).split(':')[1] });
    const own = await send(READ, { id: officialId }, self);
    expect(own.response.data!.node.idNumber).toBe('044088001122');
    expect(await entriesOf(own.requestId)).toEqual([]);
    const plain = await send(`query($id: ID!) { node(id: $id) { ... on Official { fullName } } }`, { id: officialId }, admin);
    expect(await entriesOf(plain.requestId)).toEqual([]);
  });
});

describe('personal data of an applicant, and reads in an operation that fails', () => {
  test("a clerk's receipt is a MUTATION naming the dossier; the handler reading the CCCD is a READ of it", async () => {
    const desk = await openDesk(api, 'quang-tri', 'Sở Tư pháp');
    const received = await send(RECEIVE, { input: intake(desk) }, desk.clerk);
    expect(received.response.errors).toBeUndefined();
    const dossierId = received.response.data!.receiveDossier.dossier.id;
    expect((await entriesOf(received.requestId))[0]).toMatchObject({ kind: 'MUTATION', fields: ['receiveDossier'], actorRoles: ['RECEIVING_CLERK'], actorAgency: desk.agencyCode });
    expect((await entriesOf(received.requestId))[0].targetIds).toContain(decodeId(dossierId));

    const read = await send(`query XemHoSo($id: ID!) { node(id: $id) { ... on Dossier { code applicant { name idNumber } } } }`, { id: dossierId }, desk.admin);
    expect(read.response.data!.node.applicant.idNumber).toMatch(/^048/);
    expect(await entriesOf(read.requestId)).toMatchObject([{ kind: 'READ', fields: ['Applicant.idNumber'], targetIds: [decodeId(dossierId)] }]);
  });

  test('a CCCD served beside a failed field is still recorded, though the operation rolled back', async () => {
    const id = await createOfficial('Trần Thị Mai', '044192003344', '1992-01-15');
    const { response, requestId } = await send(
      // the failing field fails as it runs (a malformed tracking code), after the CCCD was resolved
      `query($id: ID!) { node(id: $id) { ... on Official { idNumber } } bad: trackDossier(code: "không-phải-mã", secret: "x") { code } }`,
      { id },
      admin,
    );
    expect(response.data!.node.idNumber).toBe('044192003344');
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await entriesOf(requestId)).toMatchObject([{ kind: 'READ', fields: ['Official.idNumber'], targetIds: [decodeId(id)] }]);
  });
});

describe('concurrent writers', () => {
  test("one province's simultaneous mutations each take the next position, and the chain stays intact", async () => {
    const before = (await headOf(quangTri.id))!;
    const dates = [1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16].map((day) => `2027-06-${String(day).padStart(2, '0')}`); // weekdays
    const results = await Promise.all(dates.map((date) => send(SET_DAY, { input: dayOff(date) }, admin)));
    expect(results.map((result) => result.response.errors)).toEqual(dates.map(() => undefined));
    const after = (await headOf(quangTri.id))!;
    expect(after.position).toBe(before.position + dates.length);
    const written = await owner.prisma.auditEntry.findMany({ where: { requestId: { in: results.map((result) => result.requestId) } }, orderBy: { position: 'asc' } });
    expect(written.map((entry) => entry.position)).toEqual(dates.map((_, i) => before.position + 1 + i));
    const verdict = await inTransaction(owner, { tenantId: quangTri.id, role: 'owner', timeoutMs: 30_000, snapshot: true }, (db) => verifyProvinceChain(db, quangTri.id));
    expect(verdict.intact).toBe(true);
  });
});

describe('append-only', () => {
  test.each([
    ['UPDATE audit_entry', `UPDATE audit_entry SET actor_subject = 'nguoi-khac'`],
    ['DELETE audit_entry', `DELETE FROM audit_entry`],
    ['UPDATE dossier_log_entry', `UPDATE dossier_log_entry SET actor_name = 'Người khác', note = 'Sửa lại', at = now()`],
    ['DELETE dossier_log_entry', `DELETE FROM dossier_log_entry`],
    ['DELETE dossier (its log would go with it)', `DELETE FROM dossier`],
    ['UPDATE calendar_change', `UPDATE calendar_change SET reason = 'Sửa lại'`],
  ])('the API role is refused %s (42501)', async (_case, sql) => {
    const transaction = await openTransaction(api.database, { tenantId: quangTri.id, role: 'app', timeoutMs: 10_000 });
    try {
      await expect(transaction.db.$executeRawUnsafe(sql)).rejects.toThrow(/permission denied|42501/);
    } finally {
      await transaction.rollback();
    }
  });
});

describe('npm run audit:verify', () => {
  const verify = (selector: string) => runScript('scripts/audit-verify.ts', [selector], { DATABASE_URL: process.env.TEST_OWNER_URL });
  // What the script prints, computed in-process (the script itself runs for the first two cases).
  const verifyHere = async () => {
    const verdict = await inTransaction(owner, { tenantId: quangTri.id, role: 'owner', timeoutMs: 30_000, snapshot: true }, (db) => verifyProvinceChain(db, quangTri.id));
    return verdictLine('quang-tri', verdict);
  };

  beforeAll(async () => {
    for (const date of ['2027-05-04', '2027-05-05']) await send(SET_DAY, { input: dayOff(date) }, admin);
  });

  test('passes on the chain as written (by GSO code), fails with the first broken link and exit code 2 when a row is modified', async () => {
    const head = (await headOf(quangTri.id))!;
    const intact = await verify(quangTri.gsoCode);
    expect({ code: intact.code, stderr: intact.stderr }).toEqual({ code: 0, stderr: '' });
    expect(intact.stdout).toContain(`audit chain of quang-tri: intact, ${head.position} entries, head ${head.hash}`);

    const target = await owner.prisma.auditEntry.findUniqueOrThrow({ where: { tenantId_position: { tenantId: quangTri.id, position: head.position - 1 } } });
    await owner.prisma.auditEntry.update({ where: { tenantId_id: { tenantId: quangTri.id, id: target.id } }, data: { actorSubject: 'nguoi-khac' } });
    try {
      const broken = await verify('quang-tri');
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain(`BROKEN at position ${target.position} (entry ${target.id}): WRONG_HASH`);
    } finally {
      await owner.prisma.auditEntry.update({ where: { tenantId_id: { tenantId: quangTri.id, id: target.id } }, data: { actorSubject: target.actorSubject } });
    }
    expect(await verifyHere()).toMatch(/intact/);
  }, 30_000);

  test('names the entry after a deleted row, and passes again once it is back', async () => {
    const head = (await headOf(quangTri.id))!;
    const target = await owner.prisma.auditEntry.findUniqueOrThrow({ where: { tenantId_position: { tenantId: quangTri.id, position: head.position - 1 } } });
    const next = await owner.prisma.auditEntry.findUniqueOrThrow({ where: { tenantId_position: { tenantId: quangTri.id, position: head.position } } });
    await owner.prisma.auditEntry.delete({ where: { tenantId_id: { tenantId: quangTri.id, id: target.id } } });
    try {
      expect(await verifyHere()).toContain(`BROKEN at position ${next.position} (entry ${next.id}): MISSING_ENTRY`);
    } finally {
      await owner.prisma.auditEntry.create({ data: target });
    }
    expect(await verifyHere()).toMatch(/intact/);
  });

  test('names an inserted row, even one hashed correctly onto the last entry', async () => {
    const head = (await headOf(quangTri.id))!;
    const last = await owner.prisma.auditEntry.findUniqueOrThrow({ where: { tenantId_position: { tenantId: quangTri.id, position: head.position } } });
    const [forged] = appendToChain(head, [{ ...last, id: '6f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f', requestId: 'gia-mao', actorSubject: 'nguoi-khac' }]).entries;
    await owner.prisma.auditEntry.create({ data: forged });
    try {
      expect(await verifyHere()).toContain(`BROKEN at position ${head.position + 1} (entry ${forged.id}): PAST_HEAD`);
    } finally {
      await owner.prisma.auditEntry.delete({ where: { tenantId_id: { tenantId: quangTri.id, id: forged.id } } });
    }
    expect(await verifyHere()).toMatch(/intact/);
  });

  test('refuses an unknown province', async () => {
    const result = await verify('khong-co');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no province "khong-co"/);
  }, 30_000);
});

describe('the audit trail query', () => {
  const TRAIL = `query($filter: AuditFilter, $first: Int) { auditTrail(first: $first, filter: $filter) { totalCount edges { node { id position at kind operation fields targetIds actorSubject hash previousHash } } } }`;
  const trail = async (filter: Record<string, unknown>, token = admin, slug = 'quang-tri') => {
    const result = await api.gql(TRAIL, { filter, first: 200 }, { token, province: slug });
    expect(result.errors).toBeUndefined();
    return result.data!.auditTrail;
  };
  let agencyId: string;

  beforeAll(async () => {
    now = new Date('2026-12-03T02:00:00.000Z');
    await send(SET_DAY, { input: dayOff('2027-04-06') }, otherAdmin);
    now = new Date('2026-12-04T02:00:00.000Z');
    const agencies = await api.gql(`{ agencies(first: 1) { edges { node { id } } } }`, {}, { token: admin });
    agencyId = agencies.data!.agencies.edges[0].node.id;
    await send(`mutation SuaCanBo($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, {
      input: { fullName: 'Phan Văn Đức', position: 'Chuyên viên', email: uniqueEmail('pvduc', 'quangtri.gov.vn'), agencyId },
    }, otherAdmin);
  });

  test('filters by actor, newest first', async () => {
    const found = await trail({ actor: OTHER_ADMIN_SUB });
    expect(found.totalCount).toBe(2);
    expect(found.edges.map((edge: any) => edge.node.fields)).toEqual([['createOfficial'], ['setCalendarDay']]);
    expect(found.edges[0].node.position).toBeGreaterThan(found.edges[1].node.position);
  });

  test('filters by operation (a root field or the operation name), target (global id or Type:id) and period', async () => {
    expect((await trail({ actor: OTHER_ADMIN_SUB, operation: 'setCalendarDay' })).edges.map((e: any) => e.node.operation)).toEqual(['DatNgayNghi']);
    expect((await trail({ actor: OTHER_ADMIN_SUB, operation: 'SuaCanBo' })).totalCount).toBe(1);
    expect((await trail({ actor: OTHER_ADMIN_SUB, target: agencyId })).edges.map((e: any) => e.node.fields)).toEqual([['createOfficial']]);
    expect((await trail({ actor: OTHER_ADMIN_SUB, target: decodeId(agencyId) })).totalCount).toBe(1);
    const period = await trail({ actor: OTHER_ADMIN_SUB, from: '2026-12-03T00:00:00+07:00', to: '2026-12-04T00:00:00+07:00' });
    expect(period.edges.map((e: any) => e.node.fields)).toEqual([['setCalendarDay']]);
    expect((await trail({ kind: 'READ', actor: OTHER_ADMIN_SUB })).totalCount).toBe(0);
  });

  test('refuses a period that ends before it starts, with a readable message', async () => {
    const result = await api.gql(TRAIL, { filter: { from: '2026-12-04T00:00:00Z', to: '2026-12-03T00:00:00Z' } }, { token: admin });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(/kết thúc phải sau/);
  });

  test("another province's admin sees none of it, and an official who is not an admin is refused", async () => {
    const daNangAdmin = await api.token({ province: daNang.id, roles: ['official', 'province_admin'] });
    expect((await trail({ actor: OTHER_ADMIN_SUB }, daNangAdmin, 'da-nang')).totalCount).toBe(0);
    const theirs = await trail({}, daNangAdmin, 'da-nang');
    const ours = new Set((await trail({})).edges.map((edge: any) => edge.node.id));
    expect(theirs.edges.some((edge: any) => ours.has(edge.node.id))).toBe(false);
    const leader = await api.token({ province: quangTri.id, roles: ['official', 'leader'] });
    const refused = await api.gql(TRAIL, {}, { token: leader });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
