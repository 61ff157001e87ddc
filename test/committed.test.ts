// Success means committed (issue: the shared core, bugs 1 and 3). A client told "done" can rely on
// it: when the COMMIT itself fails, or the operation waits on someone else's lock past
// REQUEST_TIMEOUT_MS, the answer is a coded error, nothing is written, and the dossier number the
// failed intake drew is not consumed (the next intake gets it). Failed tracking guesses count even
// when another field of the same operation fails and its transaction rolls back.
import pg from 'pg';
import { openTransaction } from '../src/db/unit-of-work';
import { startTestApi, type TestApi } from './support/api';
import { intake, openDesk, RECEIVE, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';

let api: TestApi;
let owner: pg.Client;
let desk: Desk;

const REFUSE_MARK = '[kiểm thử: từ chối khi COMMIT]';

beforeAll(async () => {
  api = await startTestApi({ REQUEST_TIMEOUT_MS: '1500' });
  owner = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
  await owner.connect();
  desk = await openDesk(api, 'vinh-long', 'Sở Tư pháp');
  // A deferred constraint trigger runs at COMMIT, after every statement of the operation succeeded:
  // the one way to make the commit itself fail on demand.
  await owner.query(`
    CREATE OR REPLACE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.summary LIKE '%' || '${REFUSE_MARK}' || '%' THEN RAISE EXCEPTION 'commit refused by the test'; END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS test_refuse_commit ON dossier;
    CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON dossier
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_commit();`);
});

afterAll(async () => {
  await owner.query('DROP TRIGGER IF EXISTS test_refuse_commit ON dossier; DROP FUNCTION IF EXISTS test_refuse_commit()');
  await owner.end();
  await api.close();
});

const as = (token: string) => ({ token, province: desk.slug });
const sequenceOf = (code: string) => Number(code.slice(-4));
const receive = (summary: string) => api.gql(RECEIVE, { input: intake(desk, { summary }) }, as(desk.clerk));
const storedWithSummary = async (summary: string) =>
  Number((await owner.query('SELECT count(*) FROM dossier WHERE summary = $1', [summary])).rows[0].count);

test('a COMMIT that fails is an error for the client, writes nothing and consumes no dossier number', async () => {
  const before = await receive('Đề nghị cấp Phiếu lý lịch tư pháp trước kiểm thử');
  expect(before.errors).toBeUndefined();
  const last = sequenceOf(before.data!.receiveDossier.code);

  const refusedSummary = `Đề nghị cấp Phiếu lý lịch tư pháp ${REFUSE_MARK}`;
  const refused = await receive(refusedSummary);
  expect({ data: refused.data?.receiveDossier ?? null, code: refused.errors?.[0].extensions?.code, status: refused.status }).toEqual({
    data: null,
    code: 'INTERNAL_SERVER_ERROR',
    status: 500,
  });
  expect(refused.errors![0].message).toContain(refused.errors![0].extensions!.requestId);
  expect(await storedWithSummary(refusedSummary)).toBe(0);

  const after = await receive('Đề nghị cấp Phiếu lý lịch tư pháp sau kiểm thử');
  expect(after.errors).toBeUndefined();
  // The refused intake's number went back with its rollback: no code was handed out twice or skipped.
  expect(sequenceOf(after.data!.receiveDossier.code)).toBe(last + 1);
});

test("waiting on another session's lock past REQUEST_TIMEOUT_MS answers TIMEOUT promptly, and nothing of it remains", async () => {
  const before = await receive('Đề nghị cấp Phiếu lý lịch tư pháp trước khóa');
  const last = sequenceOf(before.data!.receiveDossier.code);

  // An owner session (a migration, a report) holds the counters for longer than a request may wait.
  const locker = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE dossier_counter IN EXCLUSIVE MODE');
  const lockedSummary = 'Đề nghị cấp Phiếu lý lịch tư pháp trong lúc khóa';
  const startedAt = Date.now();
  const blocked = await receive(lockedSummary);
  const waitedMs = Date.now() - startedAt;
  // Release only after the answer: on the old core the request waited for this, then said "done".
  await locker.query('ROLLBACK');
  await locker.end();

  expect({ data: blocked.data?.receiveDossier ?? null, code: blocked.errors?.[0].extensions?.code, status: blocked.status }).toEqual({
    data: null,
    code: 'TIMEOUT',
    status: 503,
  });
  expect(waitedMs).toBeLessThan(5_000);
  expect(blocked.errors![0].message).toMatch(/chưa có gì được lưu/);
  expect(await storedWithSummary(lockedSummary)).toBe(0);

  const after = await receive('Đề nghị cấp Phiếu lý lịch tư pháp sau khóa');
  expect(after.errors).toBeUndefined();
  expect(sequenceOf(after.data!.receiveDossier.code)).toBe(last + 1);
});

test('failed tracking guesses count even when another field of the operation fails', async () => {
  const client = { 'x-forwarded-for': '203.113.152.77' };
  const failuresOf = async () =>
    Number(
      (await owner.query(`SELECT coalesce(sum(failures), 0) AS n FROM tracking_attempt WHERE scope = 'client' AND key LIKE '%203.113.152.77'`)).rows[0].n,
    );
  const before = await failuresOf();
  // Three wrong guesses and one malformed lookup: the malformed one fails the operation's transaction.
  const guesses = [1, 2, 3].map((n) => `g${n}: trackDossier(code: "${desk.agencyCode}-260101-000${n}", secret: "ABCDEFGH") { code }`).join('\n');
  const response = await api.gql(`{ ${guesses}\n bad: trackDossier(code: "không phải mã", secret: "x") { code } }`, {}, { province: desk.slug, headers: client });
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect((await failuresOf()) - before).toBe(3);
});

test('one operation may hold at most three trackDossier lookups', async () => {
  const guesses = [1, 2, 3, 4, 5].map((n) => `g${n}: trackDossier(code: "${desk.agencyCode}-260102-000${n}", secret: "ABCDEFGH") { code }`).join('\n');
  const response = await api.gql(`{ ${guesses} }`, {}, { province: desk.slug, headers: { 'x-forwarded-for': '203.113.152.78' } });
  expect(response.errors?.map((error) => [error.path?.[0], error.extensions?.code])).toEqual([
    ['g4', 'RATE_LIMITED'],
    ['g5', 'RATE_LIMITED'],
  ]);
});

test('a transaction whose statement failed does not count as committed, even when the failure was caught', async () => {
  // PostgreSQL answers COMMIT on an aborted transaction with ROLLBACK and no error: the unit of work
  // must see that and fail, or a caller that swallowed a database error would be told "done".
  const tenantId = province(desk.slug).id;
  const transaction = await openTransaction(api.database, { tenantId, role: 'app', timeoutMs: 5_000 });
  await transaction.sql.rows('SELECT 1');
  await expect(transaction.sql.rows('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
  await expect(transaction.commit()).rejects.toThrow(/not committed: COMMIT answered ROLLBACK/);
  // the connection went back to the pool in a usable state
  const next = await openTransaction(api.database, { tenantId, role: 'app', timeoutMs: 5_000 });
  expect(await next.sql.rows<{ ok: number }>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  await next.commit();
});

test("Prisma's side of a transaction is held at its first call: calls made at once before it share the unit's transaction with sql", async () => {
  // Most reads go through `sql` alone, so the unit of work holds Prisma's interactive transaction only
  // when a Prisma call first needs it (lazyTransactionClient). Two calls racing to be first, and sql
  // after them, must all be one transaction: the temporary table exists in it alone.
  const tenantId = province(desk.slug).id;
  const transaction = await openTransaction(api.database, { tenantId, role: 'app', timeoutMs: 5_000 });
  await transaction.sql.rows('CREATE TEMP TABLE lazy_hold_probe (label text) ON COMMIT DROP');
  await Promise.all([
    transaction.db.$executeRawUnsafe(`INSERT INTO lazy_hold_probe VALUES ('Sở Tư pháp')`),
    transaction.db.$executeRawUnsafe(`INSERT INTO lazy_hold_probe VALUES ('Sở Nội vụ')`),
  ]);
  expect('dossier' in transaction.db).toBe(true); // how Pothos finds a model's delegate
  expect(await transaction.db.$queryRawUnsafe('SELECT count(*)::int AS n FROM lazy_hold_probe')).toEqual([{ n: 2 }]);
  expect(await transaction.sql.rows('SELECT label FROM lazy_hold_probe ORDER BY label')).toEqual([{ label: 'Sở Nội vụ' }, { label: 'Sở Tư pháp' }]);
  await transaction.commit();
  // A unit that never called Prisma commits too, and leaves the connection usable.
  const readOnly = await openTransaction(api.database, { tenantId, role: 'app', timeoutMs: 5_000 });
  expect(await readOnly.sql.rows<{ ok: number }>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  await readOnly.commit();
});
