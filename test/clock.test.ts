// The context's clock (ctx.now): a server whose clock is fixed judges every operation at that
// instant (intake stamps, the dossier code's date, due dates, "overdue"), so tests need not depend on
// today's date. Here: a dossier received on the Friday before Tết Ất Tỵ (24 January 2025), whose due
// date must skip the published Tết holiday (27–31 January off, work again on Monday 3 February).
import { startTestApi, type TestApi } from './support/api';
import { intake, openDesk, RECEIVE, type Desk } from './support/dossier-fixtures';

const FRIDAY_BEFORE_TET = new Date('2025-01-24T09:00:00+07:00');

let api: TestApi;
let desk: Desk;

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => FRIDAY_BEFORE_TET });
  desk = await openDesk(api, 'quang-tri', 'Sở Tài chính', 'WORKING_DAYS');
});

afterAll(() => api.close());

test('intake is stamped, coded and given its due date at the fixed instant, across the published Tết', async () => {
  const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
  expect(received.errors).toBeUndefined();
  const { code, dossier } = received.data!.receiveDossier;
  expect(code).toMatch(/-250124-\d{4}$/);
  expect(new Date(dossier.receivedAt).toISOString()).toBe(FRIDAY_BEFORE_TET.toISOString());
  // A working day is 8 hours: from 09:00 on Friday the first one ends after the holiday.
  expect(new Date(dossier.dueAt).getTime()).toBeGreaterThan(new Date('2025-02-03T07:00:00+07:00').getTime());

  const queue = await api.gql(
    `query($agency: ID!) { dossierQueue(first: 50, filter: { agencyId: $agency, overdue: true }) { totalCount edges { node { code overdue } } } }`,
    { agency: desk.agencyId },
    { token: desk.clerk, province: desk.slug },
  );
  // Judged at the same fixed instant: the new dossier is not overdue, in the count or in the edges.
  const codes = queue.data!.dossierQueue.edges.map((edge: any) => edge.node.code);
  expect(codes).not.toContain(code);
  expect(queue.data!.dossierQueue.edges.every((edge: any) => edge.node.overdue)).toBe(true);
  expect(queue.data!.dossierQueue.totalCount).toBe(codes.length);
});
