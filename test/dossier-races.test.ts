// An assignment or an extension racing a move: the move commits first (it holds the row), then the
// assignment or the extension, which read the dossier before, must not write over it. Each answers
// CONFLICT and writes nothing, as a move racing a move does.
import pg from 'pg';
import { startTestApi, type TestApi } from './support/api';
import { MOVE, RECEIVE, intake, openDesk, type Desk } from './support/dossier-fixtures';

let api: TestApi;
let owner: pg.Client;
let desk: Desk;

beforeAll(async () => {
  api = await startTestApi();
  owner = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
  await owner.connect();
  desk = await openDesk(api, 'can-tho', 'Sở Tư pháp');
});

afterAll(async () => {
  await owner.end();
  await api.close();
});

const as = (token: string) => ({ token, province: desk.slug });
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];

/** A dossier in progress. */
async function inProgress() {
  const received = await api.gql(RECEIVE, { input: intake(desk) }, as(desk.clerk));
  const dossierId = received.data!.receiveDossier.dossier.id as string;
  expect((await api.gql(MOVE, { input: { dossierId, action: 'START_PROCESSING' } }, as(desk.clerk))).errors).toBeUndefined();
  return dossierId;
}

/** Runs `operation` while another transaction stops the dossier and holds its row, then lets that commit. */
async function whileStopped(dossierId: string, operation: () => Promise<any>) {
  await owner.query('BEGIN');
  await owner.query(`UPDATE dossier SET status = 'STOPPED', open = false, stopped_at = now() WHERE id = $1`, [rawId(dossierId)]);
  const answer = operation();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await owner.query('COMMIT');
  return answer;
}

const logged = async (dossierId: string, action: string) =>
  Number((await owner.query('SELECT count(*) FROM dossier_log_entry WHERE dossier_id = $1 AND action = $2', [rawId(dossierId), action])).rows[0].count);

test('an assignment that lost the race to a move answers CONFLICT and writes nothing', async () => {
  const dossierId = await inProgress();
  const answer = await whileStopped(dossierId, () =>
    api.gql(`mutation($d: ID!, $o: ID!) { assignDossier(dossierId: $d, officialId: $o) { id } }`, { d: dossierId, o: desk.handlerId }, as(desk.leader)),
  );
  expect(answer.errors![0].extensions!.code).toBe('CONFLICT');
  const { rows } = await owner.query('SELECT status, assignee_id FROM dossier WHERE id = $1', [rawId(dossierId)]);
  expect(rows[0]).toEqual({ status: 'STOPPED', assignee_id: null });
  expect(await logged(dossierId, 'ASSIGN')).toBe(0);
});

test('an extension that lost the race to a move answers CONFLICT and writes nothing', async () => {
  const dossierId = await inProgress();
  const { rows: before } = await owner.query('SELECT due_at FROM dossier WHERE id = $1', [rawId(dossierId)]);
  const newDueAt = new Date(before[0].due_at.getTime() + 5 * 86_400_000).toISOString();
  const answer = await whileStopped(dossierId, () =>
    api.gql(`mutation($input: ExtendDossierInput!) { extendDossierDeadline(input: $input) { id } }`, {
      input: { dossierId, newDueAt, apologyLetter: '126/TB-STP', reason: 'Cần xác minh thêm tại cơ quan công an' },
    }, as(desk.leader)),
  );
  expect(answer.errors![0].extensions!.code).toBe('CONFLICT');
  const { rows } = await owner.query('SELECT status, due_at, extension_letter FROM dossier WHERE id = $1', [rawId(dossierId)]);
  expect(rows[0]).toEqual({ status: 'STOPPED', due_at: before[0].due_at, extension_letter: null });
  expect(await logged(dossierId, 'EXTEND')).toBe(0);
});
