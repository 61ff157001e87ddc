// Dossiers through the API as the one-stop shop uses them: intake, the whole lifecycle, refused
// moves, bad input that leaves nothing behind, concurrent intake, the work queue and tracking.
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { province } from './support/fixtures';
import { RECEIVE, applicant, intake, moveAt, movedAt, openDesk, receiveAt, type Desk } from './support/dossier-fixtures';

let api: TestApi;
let owner: Database;
let desk: Desk;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const as = (token: string) => ({ token, province: desk.slug });

const receive = (overrides: Record<string, unknown> = {}) => receiveAt(api, desk, overrides);
const move = (token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) => moveAt(api, desk, token, dossierId, action, extra);
const moved = (token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) => movedAt(api, desk, token, dossierId, action, extra);

const countRows = async (table: string) =>
  Number((await owner.prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM ${table} WHERE tenant_id = $1::uuid`, province('da-nang').id))[0].count);

describe('intake at the counter', () => {
  test('gives a code of the national format, a secret for tracking and a due date', async () => {
    const receipt = await receive();
    const escapedAgency = desk.agencyCode.replace(/\./g, '\\.');
    expect(receipt.code).toMatch(new RegExp(`^${escapedAgency}-\\d{6}-\\d{4}$`));
    expect(receipt.secret).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(receipt.dossier.status).toBe('RECEIVED');
    expect(new Date(receipt.dossier.dueAt).getTime()).toBeGreaterThan(Date.now());
  });

  test('never gives the same code twice under concurrent intake, and leaves no gap', async () => {
    const receipts = await Promise.all(Array.from({ length: 24 }, () => receive()));
    const codes = receipts.map((receipt) => receipt.code);
    expect(new Set(codes).size).toBe(codes.length);
    const sequences = codes.map((code) => Number(code.split('-').pop())).sort((a, b) => a - b);
    expect(sequences[sequences.length - 1] - sequences[0]).toBe(sequences.length - 1);
  });

  test.each([
    ['a required document missing', (): Record<string, unknown> => ({ documentsProvided: [] }), 'MISSING_DOCUMENTS', 'documentsProvided'],
    ['a malformed procedure code', () => ({ procedureCode: '1-001193' }), 'BAD_USER_INPUT', 'procedureCode'],
    ['a procedure the agency does not perform', () => ({ procedureCode: '9.999999' }), 'PROCEDURE_NOT_PERFORMED', 'procedureCode'],
    ['a citizen without a 12-digit CCCD', () => ({ applicant: { ...applicant(), idNumber: '04819' } }), 'BAD_USER_INPUT', 'applicant.idNumber'],
    ['no way to reach the applicant', () => ({ applicant: { ...applicant(), phone: null } }), 'BAD_USER_INPUT', 'applicant.phone'],
    ['an empty summary', () => ({ summary: '  ' }), 'BAD_USER_INPUT', 'summary'],
    ['the online channel at the counter', () => ({ channel: 'ONLINE' }), 'BAD_USER_INPUT', 'channel'],
  ])('refuses %s with a field error and writes nothing', async (_case, change, code, field) => {
    const before = await Promise.all(['dossier', 'dossier_counter', 'dossier_log_entry', 'portal_sync_record'].map((table) => countRows(table)));
    const beforeCounter = await owner.prisma.dossierCounter.aggregate({ _sum: { lastValue: true }, where: { tenantId: province('da-nang').id } });
    const result = await api.gql(RECEIVE, { input: intake(desk, change()) }, as(desk.clerk));
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(result.errors?.[0].extensions?.fieldErrors?.map((error: { field: string }) => error.field)).toContain(field);
    const after = await Promise.all(['dossier', 'dossier_counter', 'dossier_log_entry', 'portal_sync_record'].map((table) => countRows(table)));
    expect(after).toEqual(before);
    const afterCounter = await owner.prisma.dossierCounter.aggregate({ _sum: { lastValue: true }, where: { tenantId: province('da-nang').id } });
    expect(afterCounter._sum.lastValue).toEqual(beforeCounter._sum.lastValue);
  });

  test('only a receiving clerk receives at the counter', async () => {
    const result = await api.gql(RECEIVE, { input: intake(desk) }, as(desk.handler));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the whole life of a dossier', () => {
  test('received, processed with a supplement and a payment, finished, returned; every move logged and queued for the portal', async () => {
    const receipt = await receive();
    const id = receipt.dossier.id;
    const started = await moved(desk.clerk, id, 'START_PROCESSING', { assigneeId: desk.handlerId });
    expect(started.status).toBe('IN_PROGRESS');

    const paused = await moved(desk.handler, id, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung bản sao CCCD có chứng thực' });
    expect(paused.status).toBe('SUPPLEMENT_REQUESTED');
    expect(paused.pausedAt).not.toBeNull();
    expect(paused.supplementRequests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const resumed = await moved(desk.clerk, id, 'RESUME_AFTER_SUPPLEMENT');
    expect(resumed.pausedAt).toBeNull();
    // The clock stopped while waiting: the due date never moves earlier.
    expect(new Date(resumed.dueAt).getTime()).toBeGreaterThanOrEqual(new Date(receipt.dossier.dueAt).getTime());

    await moved(desk.handler, id, 'REQUEST_PAYMENT', { note: 'Nộp lệ phí cấp phiếu' });
    await moved(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: '0001527' } });
    const finished = await moved(desk.handler, id, 'FINISH');
    expect(finished.status).toBe('RESULT_READY');
    expect(['EARLY', 'ON_TIME']).toContain(finished.outcome);
    expect(finished.allowedActions).toEqual([]);
    const returned = await moved(desk.clerk, id, 'RETURN_RESULT', { returnMethod: 'AT_COUNTER' });
    expect(returned.status).toBe('RETURNED');
    expect(returned.returnedAt).not.toBeNull();

    const detail = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on Dossier { log { action fromStatus toStatus actorName note } assignee { fullName } } } }`,
      { id },
      as(desk.leader),
    );
    const log = detail.data!.node.log;
    expect(log.map((entry: { action: string }) => entry.action)).toEqual([
      'RECEIVE', 'START_PROCESSING', 'REQUEST_SUPPLEMENT', 'RESUME_AFTER_SUPPLEMENT', 'REQUEST_PAYMENT', 'CONFIRM_PAYMENT', 'FINISH', 'RETURN_RESULT',
    ]);
    expect(log[2].note).toBe('Bổ sung bản sao CCCD có chứng thực');
    expect(log.every((entry: { actorName: string | null }) => entry.actorName)).toBe(true);
    expect(detail.data!.node.assignee.fullName).toBe(desk.officials[1].fullName);

    const records = await owner.prisma.portalSyncRecord.findMany({ where: { dossierCode: receipt.code }, orderBy: { createdAt: 'asc' } });
    expect(records.map((record) => (record.payload as { TrangThaiHoSo: string }).TrangThaiHoSo)).toEqual(['2', '4', '5', '4', '6', '4', '9', '10']);
    expect(records.every((record) => record.state === 'PENDING')).toBe(true);
  });

  test('a confirmed payment marks the dossier paid and says when', async () => {
    const PAYMENT = `query($id: ID!) { node(id: $id) { ... on Dossier { status paid paidAt paymentMethod paymentReceipt } } }`;
    const receipt = await receive();
    const id = receipt.dossier.id;
    await moved(desk.clerk, id, 'START_PROCESSING');
    await moved(desk.handler, id, 'REQUEST_PAYMENT', { note: 'Nộp lệ phí cấp phiếu lý lịch tư pháp 200.000 đồng' });
    const awaiting = await api.gql(PAYMENT, { id }, as(desk.handler));
    expect(awaiting.data!.node).toEqual({ status: 'AWAITING_PAYMENT', paid: false, paidAt: null, paymentMethod: null, paymentReceipt: null });
    const before = Date.now();
    await moved(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: ' BL 0001528 ' } });
    const confirmed = (await api.gql(PAYMENT, { id }, as(desk.handler))).data!.node;
    expect(confirmed).toMatchObject({ status: 'IN_PROGRESS', paid: true, paymentMethod: 'AT_COUNTER', paymentReceipt: 'BL 0001528' });
    expect(new Date(confirmed.paidAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(confirmed.paidAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  test('a move the lifecycle forbids names the allowed moves and changes nothing', async () => {
    const receipt = await receive();
    const result = await move(desk.handler, receipt.dossier.id, 'FINISH');
    expect(result.errors?.[0].extensions?.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(result.errors?.[0].extensions?.allowedActions).toEqual(['START_PROCESSING']);
    const dossier = await owner.prisma.dossier.findFirstOrThrow({ where: { code: receipt.code }, include: { log: true } });
    expect(dossier.status).toBe('RECEIVED');
    expect(dossier.log).toHaveLength(1);
  });

  test('a move the caller may not make is refused as such, before any reason is asked for', async () => {
    const receipt = await receive();
    const result = await move(desk.clerk, receipt.dossier.id, 'REFUSE');
    expect(result.errors?.[0].extensions?.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(result.errors?.[0].extensions?.allowedActions).toEqual(['START_PROCESSING', 'REQUEST_WITHDRAWAL']);
  });

  test('a role the move does not allow is refused', async () => {
    const receipt = await receive();
    await moved(desk.clerk, receipt.dossier.id, 'START_PROCESSING');
    const result = await move(desk.clerk, receipt.dossier.id, 'FINISH');
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test.each([
    ['a refusal-type move without a reason', 'REQUEST_SUPPLEMENT', {}, 'note'],
    ['a step deadline in the past', 'REQUEST_SUPPLEMENT', { note: 'Thiếu giấy tờ', stepDueAt: '2020-01-01T00:00:00Z' }, 'stepDueAt'],
  ])('refuses %s', async (_case, action, extra, field) => {
    const receipt = await receive();
    await moved(desk.clerk, receipt.dossier.id, 'START_PROCESSING');
    const result = await move(desk.handler, receipt.dossier.id, action, extra);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.fieldErrors[0].field).toBe(field);
    expect((await owner.prisma.dossier.findFirstOrThrow({ where: { code: receipt.code } })).status).toBe('IN_PROGRESS');
  });

  test('an extension keeps the original due date and needs the apology letter', async () => {
    const receipt = await receive();
    await moved(desk.clerk, receipt.dossier.id, 'START_PROCESSING');
    const EXTEND = `mutation($input: ExtendDossierInput!) { extendDossierDeadline(input: $input) { dueAt originalDueAt extensionLetter } }`;
    const newDueAt = new Date(new Date(receipt.dossier.dueAt).getTime() + 5 * 86_400_000).toISOString();
    const bad = await api.gql(EXTEND, { input: { dossierId: receipt.dossier.id, newDueAt, apologyLetter: 'xin lỗi', reason: 'Chờ xác minh' } }, as(desk.leader));
    expect(bad.errors?.[0].extensions?.fieldErrors[0].field).toBe('apologyLetter');
    const byHandler = await api.gql(EXTEND, { input: { dossierId: receipt.dossier.id, newDueAt, apologyLetter: '125/TB-STP', reason: 'Chờ xác minh' } }, as(desk.handler));
    expect(byHandler.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ok = await api.gql(EXTEND, { input: { dossierId: receipt.dossier.id, newDueAt, apologyLetter: '125/TB-STP', reason: 'Chờ kết quả xác minh của Công an' } }, as(desk.leader));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.extendDossierDeadline).toEqual({ dueAt: newDueAt, originalDueAt: receipt.dossier.dueAt, extensionLetter: '125/TB-STP' });
  });
});

describe('online filing', () => {
  test('a citizen files, a clerk receives; the citizen may ask to withdraw', async () => {
    const citizen = await api.token({ province: province('da-nang').id, roles: ['citizen'], sub: 'vneid-048190001234' });
    const submitted = await api.gql(
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code secret dossier { id status dueAt channel } } }`,
      { input: intake(desk) },
      as(citizen),
    );
    expect(submitted.errors).toBeUndefined();
    const dossier = submitted.data!.submitDossier.dossier;
    expect(dossier).toMatchObject({ status: 'SUBMITTED', dueAt: null, channel: 'ONLINE' });
    const received = await moved(desk.clerk, dossier.id, 'RECEIVE');
    expect(received.dueAt).not.toBeNull();
    const mine = await api.gql(`{ myDossiers(first: 5) { edges { node { id allowedActions } } } }`, {}, as(citizen));
    const own = mine.data!.myDossiers.edges.find((edge: any) => edge.node.id === dossier.id);
    expect(own.node.allowedActions).toEqual(['REQUEST_WITHDRAWAL']);
    const withdrawn = await moved(citizen, dossier.id, 'REQUEST_WITHDRAWAL', { note: 'Tôi không còn nhu cầu' });
    expect(withdrawn.status).toBe('WITHDRAWAL_REQUESTED');
    const stranger = await api.token({ province: province('da-nang').id, roles: ['citizen'], sub: 'vneid-someone-else' });
    const other = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: dossier.id }, as(stranger));
    expect(other.data!.node).toBeNull();
  });
});

describe('work queue', () => {
  const QUEUE = `query($filter: DossierQueueFilter) { dossierQueue(first: 100, filter: $filter) { totalCount edges { node { code dueAt overdue status } } } }`;

  test('lists the agency’s open dossiers, soonest due first, and filters overdue ones', async () => {
    const late = await receive();
    await owner.prisma.dossier.updateMany({ where: { code: late.code }, data: { dueAt: new Date(Date.now() - 3_600_000) } });
    const all = await api.gql(QUEUE, {}, as(desk.handler));
    expect(all.errors).toBeUndefined();
    const dues = all.data!.dossierQueue.edges.map((edge: any) => edge.node.dueAt).filter(Boolean);
    expect([...dues].sort()).toEqual(dues);
    const overdue = await api.gql(QUEUE, { filter: { overdue: true } }, as(desk.handler));
    const codes = overdue.data!.dossierQueue.edges.map((edge: any) => edge.node.code);
    expect(codes).toContain(late.code);
    expect(overdue.data!.dossierQueue.edges.every((edge: any) => edge.node.overdue)).toBe(true);
    // A paused clock is judged when it stopped: paused before its due date is not overdue.
    const [pausedInTime, pausedLate] = [await receive(), await receive()];
    const hour = 3_600_000;
    await owner.prisma.dossier.updateMany({ where: { code: pausedInTime.code }, data: { status: 'SUPPLEMENT_REQUESTED', pausedAt: new Date(Date.now() - 2 * hour), dueAt: new Date(Date.now() - hour) } });
    await owner.prisma.dossier.updateMany({ where: { code: pausedLate.code }, data: { status: 'SUPPLEMENT_REQUESTED', pausedAt: new Date(Date.now() - hour), dueAt: new Date(Date.now() - 2 * hour) } });
    const withPaused = (await api.gql(QUEUE, { filter: { overdue: true } }, as(desk.handler))).data!.dossierQueue.edges.map((edge: any) => edge.node);
    expect(withPaused.map((node: any) => node.code)).toEqual(expect.arrayContaining([late.code, pausedLate.code]));
    expect(withPaused.map((node: any) => node.code)).not.toContain(pausedInTime.code);
    expect(withPaused.every((node: any) => node.overdue)).toBe(true);
    const soon = await api.gql(QUEUE, { filter: { dueWithinWorkingDays: 0 } }, as(desk.handler));
    expect(soon.data!.dossierQueue.edges.map((edge: any) => edge.node.code)).toContain(late.code);
  });

  test('reads only the columns it shows: no tracking secret, no personal data, no procedure fees', async () => {
    await receive();
    api.statements.length = 0;
    const result = await api.gql(
      `{ dossierQueue(first: 25) { edges { node { code status dueAt overdue procedure { code name } } } } }`,
      {},
      as(desk.handler),
    );
    expect(result.data!.dossierQueue.edges.length).toBeGreaterThan(0);
    const sent = api.statements.join('\n');
    expect(sent).toMatch(/"due_at"/);
    for (const column of ['secret_hash', 'applicant_id_number', 'applicant_phone', 'required_documents', 'legal_basis']) {
      expect(sent).not.toContain(`"${column}"`);
    }
  });

  test('another agency’s queue is not for a department’s staff', async () => {
    const other = await openDesk(api, 'da-nang', 'Sở Tài chính');
    const result = await api.gql(QUEUE, { filter: { agencyId: other.agencyId } }, as(desk.handler));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tracking by code and secret', () => {
  const TRACK = `query($code: String!, $secret: String!) { trackDossier(code: $code, secret: $secret) { code status statusName dueAt history { status at } } }`;
  const client = (address: string) => ({ province: desk.slug, headers: { 'x-forwarded-for': address } });

  test('shows status, due date and history, and nothing personal', async () => {
    const person = applicant();
    const receipt = await receive({ applicant: person });
    api.statements.length = 0;
    const result = await api.gql(TRACK.replace('history {', 'procedureName agencyName history {'), { code: receipt.code, secret: receipt.secret.toLowerCase() }, client('203.0.113.1'));
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackDossier).toMatchObject({ code: receipt.code, status: 'RECEIVED', statusName: 'Được tiếp nhận' });
    // Not the applicant's name, CCCD, phone or address (the code's own digits may contain anything).
    for (const personal of [person.name, person.idNumber, person.phone, person.address]) expect(JSON.stringify(result.data)).not.toContain(personal);
    // Nor does the lookup read it from the database: no applicant column, no officials' notes.
    const sent = api.statements.join('\n');
    expect(sent).toMatch(/\bsecret_hash\b/);
    for (const column of ['applicant_name', 'applicant_id_number', 'applicant_phone', 'applicant_address', 'note', 'actor_name']) {
      expect(sent).not.toMatch(new RegExp(`\\b${column}\\b`));
    }
  });

  test('a wrong secret answers exactly as an unknown code', async () => {
    const receipt = await receive();
    api.statements.length = 0;
    const wrongSecret = await api.gql(TRACK, { code: receipt.code, secret: 'ABCDEFGH' }, client('203.0.113.2'));
    expect(api.statements.join('\n')).not.toMatch(/\bdossier_log_entry\b/); // the history is read only for the right secret
    const unknownCode = await api.gql(TRACK, { code: `${desk.agencyCode}-200101-9999`, secret: 'ABCDEFGH' }, client('203.0.113.2'));
    expect(wrongSecret).toEqual(unknownCode);
    expect(wrongSecret.data).toEqual({ trackDossier: null });
  });

  test.each([
    ['a malformed code', 'HỒ-SƠ-1', 'ABCDEFGH', 'code'],
    ['a malformed secret', 'X-260101-0001', '0O1I', 'secret'],
  ])('%s is bad input', async (_case, code, secret, field) => {
    const result = await api.gql(TRACK, { code, secret }, client('203.0.113.3'));
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
  });

  test('guessing is limited per client: after 10 misses even the right secret is refused, other clients are not', async () => {
    const receipt = await receive();
    for (let attempt = 0; attempt < 10; attempt++) {
      const miss = await api.gql(TRACK, { code: receipt.code, secret: 'ABCDEFGH' }, client('198.51.100.7'));
      expect(miss.data).toEqual({ trackDossier: null });
    }
    const limited = await api.gql(TRACK, { code: receipt.code, secret: receipt.secret }, client('198.51.100.7'));
    expect(limited.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const other = await api.gql(TRACK, { code: receipt.code, secret: receipt.secret }, client('198.51.100.8'));
    expect(other.data!.trackDossier.code).toBe(receipt.code);
  });
});

describe('a second API with a low province-wide limit', () => {
  test('misses from many clients add up per province', async () => {
    const strict = await startTestApi({ TRACKING_FAILURES_PER_PROVINCE: '3' });
    try {
      const TRACK = `query($code: String!, $secret: String!) { trackDossier(code: $code, secret: $secret) { code } }`;
      const options = (n: number) => ({ province: 'quang-tri', headers: { 'x-forwarded-for': `192.0.2.${n}` } });
      for (let n = 1; n <= 3; n++) expect((await strict.gql(TRACK, { code: '000.00.03.H45-260101-0001', secret: 'ABCDEFGH' }, options(n))).data).toEqual({ trackDossier: null });
      const fourth = await strict.gql(TRACK, { code: '000.00.03.H45-260101-0001', secret: 'ABCDEFGH' }, options(4));
      expect(fourth.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      // Another province keeps its own count.
      const elsewhere = await strict.gql(TRACK, { code: '000.00.03.H45-260101-0001', secret: 'ABCDEFGH' }, { ...options(5), province: 'vinh-long' });
      expect(elsewhere.data).toEqual({ trackDossier: null });
    } finally {
      await strict.close();
    }
  });
});
