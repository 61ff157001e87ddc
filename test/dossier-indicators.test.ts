// What dossiers record for the indicators of Quyết định 766/QĐ-TTg, through the API as the one-stop
// shop and citizens use it: a VNeID-verified identity at intake, digitised components, the payment
// and its receipt, how the result went back, and the applicant's rating. Each is checked where it is
// exposed and where it counts: the month's roll-up row of the dossier's agency, procedure and
// channel (dossier_monthly_figure, kept by the database's triggers), read as the owner before and
// after. This suite has Quảng Trị's Sở Nội vụ to itself, so the deltas are exact.
import { startTestApi, type GraphQLResponse, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { province } from './support/fixtures';
import { decodeId, intake, moveAt, movedAt, openDesk, receiveAt, type Desk } from './support/dossier-fixtures';
import { uploadFile } from './support/files';

let api: TestApi;
let owner: Database;
let desk: Desk;
let procedureId: string;

const SLUG = 'quang-tri';

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, SLUG, 'Sở Nội vụ');
  const [row] = await owner.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM procedure WHERE code = ${desk.procedureCode}`;
  procedureId = row.id;
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const as = (token: string) => ({ token, province: SLUG });

// ---------------------------------------------------------------- the roll-up

const FIGURES = [
  'received',
  'received_online',
  'identity_verified',
  'digitised',
  'finished_early',
  'finished_on_time',
  'finished_late',
  'paid',
  'paid_online',
  'returned',
  'returned_electronically',
  'rated',
  'rating_sum',
] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

/** This month's figures (Vietnam time) of the desk's agency and procedure on a channel; zeros before the first. */
async function monthFigures(channel: 'IN_PERSON' | 'ONLINE' | 'POSTAL'): Promise<Figures> {
  const rows = await owner.prisma.$queryRawUnsafe<Figures[]>(
    `SELECT ${FIGURES.join(', ')} FROM dossier_monthly_figure
      WHERE tenant_id = $1::uuid AND month = date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        AND agency_id = $2::uuid AND procedure_id = $3::uuid AND channel = $4::"DossierChannel"`,
    province(SLUG).id,
    decodeId(desk.agencyId),
    procedureId,
    channel,
  );
  return rows[0] ?? (Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Figures);
}

/** How the figures moved while `act` ran: every figure, so that any stray change shows. */
async function figuresMovedBy<T>(channel: 'IN_PERSON' | 'ONLINE', act: () => Promise<T>): Promise<{ result: T; moved: Figures }> {
  const before = await monthFigures(channel);
  const result = await act();
  const after = await monthFigures(channel);
  return { result, moved: Object.fromEntries(FIGURES.map((figure) => [figure, after[figure] - before[figure]])) as Figures };
}

const only = (changed: Partial<Figures>): Figures => ({ ...(Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Figures), ...changed });

// ---------------------------------------------------------------- the dossier

const INDICATORS = `query($id: ID!) { node(id: $id) { ... on Dossier {
  status identityVerified digitisedComponents feeVnd paid paidAt paymentMethod paymentReceipt resultReturn rating ratingComment ratedAt
} } }`;

const indicatorsOf = async (id: string, token = desk.clerk) => {
  const answer = await api.gql(INDICATORS, { id }, as(token));
  expect(answer.errors).toBeUndefined();
  return answer.data!.node;
};

const receive = (overrides: Record<string, unknown> = {}) => receiveAt(api, desk, overrides);
const move = (token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) => moveAt(api, desk, token, dossierId, action, extra);
const moved = (token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) => movedAt(api, desk, token, dossierId, action, extra);

const fieldsOf = (answer: GraphQLResponse) => answer.errors?.[0].extensions?.fieldErrors?.map((error: { field: string }) => error.field);

/** Received at the counter and finished: ready to be returned. */
async function resultReady() {
  const receipt = await receive();
  await moved(desk.clerk, receipt.dossier.id, 'START_PROCESSING', { assigneeId: desk.handlerId });
  await moved(desk.handler, receipt.dossier.id, 'FINISH');
  return receipt;
}

async function returned(returnMethod = 'AT_COUNTER') {
  const receipt = await resultReady();
  await moved(desk.clerk, receipt.dossier.id, 'RETURN_RESULT', { returnMethod });
  return receipt;
}

/** A real-format PDF, different for each seed. */
const pdf = (seed: string) => Buffer.concat([Buffer.from(`%PDF-1.7\n% ${seed}\n`, 'utf8'), Buffer.alloc(800, `${seed} `), Buffer.from('\n%%EOF')]);

// ---------------------------------------------------------------- VNeID

describe('identity verified with VNeID at intake', () => {
  const SUBMIT = `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code dossier { id status identityVerified } } }`;

  test.each([
    ['signed in through VNeID', true, ['vneid']],
    ['signed in otherwise (a password, an OTP)', false, ['pwd', 'otp']],
    ['whose token says nothing of how', false, undefined],
  ])('online, a citizen %s: verified %s, counted when the clerk receives it', async (_case, verified, amr) => {
    const citizen = await api.token({ province: province(SLUG).id, roles: ['citizen'], sub: `vneid-0451950${Math.floor(Math.random() * 1e5)}`, amr });
    const submitted = await api.gql(SUBMIT, { input: intake(desk) }, as(citizen));
    expect(submitted.errors).toBeUndefined();
    const dossier = submitted.data!.submitDossier.dossier;
    expect(dossier).toMatchObject({ status: 'SUBMITTED', identityVerified: verified });
    // received (and so counted) only when the clerk takes it in
    const { moved: figures } = await figuresMovedBy('ONLINE', () => moved(desk.clerk, dossier.id, 'RECEIVE'));
    expect(figures).toEqual(only({ received: 1, received_online: 1, identity_verified: verified ? 1 : 0 }));
    expect((await indicatorsOf(dossier.id)).identityVerified).toBe(verified);
  });

  test.each([
    ['says the chip ID card was read', { identityVerified: true }, true],
    ['says it was not', { identityVerified: false }, false],
    ['says nothing', {}, false],
  ])('at the counter, the clerk %s', async (_case, overrides, verified) => {
    const { result: receipt, moved: figures } = await figuresMovedBy('IN_PERSON', () => receive(overrides));
    expect(figures).toEqual(only({ received: 1, identity_verified: verified ? 1 : 0 }));
    expect((await indicatorsOf(receipt.dossier.id)).identityVerified).toBe(verified);
  });

  test('a citizen filing online cannot state it: the field is the clerk’s', async () => {
    const citizen = await api.token({ province: province(SLUG).id, roles: ['citizen'], sub: 'vneid-045195000001' });
    const { result: answer, moved: figures } = await figuresMovedBy('ONLINE', () => api.gql(SUBMIT, { input: { ...intake(desk), identityVerified: true } }, as(citizen)));
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toMatch(/identityVerified/);
    expect(answer.data).toBeUndefined();
    expect(figures).toEqual(only({}));
  });
});

// ---------------------------------------------------------------- digitised components

describe('digitised components: the papers filed as files at intake', () => {
  test('counted at intake; a supplement filed later changes nothing', async () => {
    const auth = { token: desk.clerk, province: SLUG };
    const papers: { documentCode: string; fileId: string }[] = [];
    for (const [index, code] of desk.requiredDocuments.entries()) {
      const file = await uploadFile(api.url, auth, 'DOSSIER_PAPER', `Giấy tờ ${index + 1} - ${code}.pdf`, pdf(`giấy tờ ${code}`));
      expect(file.id).toBeDefined();
      papers.push({ documentCode: code, fileId: file.id });
    }
    const { result: receipt, moved: figures } = await figuresMovedBy('IN_PERSON', () => receive({ documentsProvided: [], papers }));
    expect(figures).toEqual(only({ received: 1, digitised: 1 }));
    const id = receipt.dossier.id;
    expect((await indicatorsOf(id)).digitisedComponents).toBe(papers.length);

    await moved(desk.clerk, id, 'START_PROCESSING', { assigneeId: desk.handlerId });
    await moved(desk.handler, id, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung bản vẽ thiết kế có đóng dấu' });
    const supplement = await uploadFile(api.url, auth, 'DOSSIER_PAPER', 'Bản vẽ thiết kế.pdf', pdf('bản vẽ'));
    const { moved: later } = await figuresMovedBy('IN_PERSON', () =>
      moved(desk.clerk, id, 'RESUME_AFTER_SUPPLEMENT', { papers: [{ documentCode: desk.requiredDocuments[0], fileId: supplement.id }] }),
    );
    expect(later).toEqual(only({}));
    expect((await indicatorsOf(id)).digitisedComponents).toBe(papers.length);
  });

  test('a dossier handed in on paper has none, and is not counted', async () => {
    const { result: receipt, moved: figures } = await figuresMovedBy('IN_PERSON', () => receive());
    expect(figures).toEqual(only({ received: 1 }));
    expect((await indicatorsOf(receipt.dossier.id)).digitisedComponents).toBe(0);
  });
});

// ---------------------------------------------------------------- payment

describe('payment, confirmed with CONFIRM_PAYMENT', () => {
  async function awaitingPayment() {
    const receipt = await receive();
    await moved(desk.clerk, receipt.dossier.id, 'START_PROCESSING', { assigneeId: desk.handlerId });
    await moved(desk.handler, receipt.dossier.id, 'REQUEST_PAYMENT', { note: 'Nộp phí thẩm định hồ sơ cấp giấy phép xây dựng' });
    return receipt.dossier.id;
  }

  test.each([
    ['online, with the payment platform’s transaction number', 'ONLINE', 'GD-2026120712345678', 1],
    ['at the counter, with the receipt (biên lai) number', 'AT_COUNTER', '0004521/BL-SXD', 0],
  ])('paid %s: written, exposed, counted', async (_case, method, receiptNumber, online) => {
    const id = await awaitingPayment();
    const { moved: figures } = await figuresMovedBy('IN_PERSON', () => moved(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method, receiptNumber: ` ${receiptNumber} ` } }));
    expect(figures).toEqual(only({ paid: 1, paid_online: online }));
    const dossier = await indicatorsOf(id, desk.handler);
    expect(dossier).toMatchObject({ status: 'IN_PROGRESS', paid: true, paymentMethod: method, paymentReceipt: receiptNumber });
    expect(new Date(dossier.paidAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  test('left out, or malformed, it is refused on its field and nothing moves', async () => {
    const id = await awaitingPayment();
    const { result: answers, moved: figures } = await figuresMovedBy('IN_PERSON', async () => [
      await move(desk.clerk, id, 'CONFIRM_PAYMENT'),
      await move(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: '   ' } }),
      await move(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: 'B'.repeat(51) } }),
      await move(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: 'BL\u0007123' } }),
      // a return method has no place in a payment
      await move(desk.clerk, id, 'CONFIRM_PAYMENT', { payment: { method: 'AT_COUNTER', receiptNumber: '0004522' }, returnMethod: 'POSTAL' }),
    ]);
    expect(answers.map((answer) => answer.errors?.[0].extensions?.code)).toEqual(Array(5).fill('BAD_USER_INPUT'));
    expect(answers.map(fieldsOf)).toEqual([['payment'], ['payment.receiptNumber'], ['payment.receiptNumber'], ['payment.receiptNumber'], ['returnMethod']]);
    expect(answers[0].errors![0].message).toBe('Cần ghi hình thức thanh toán và số biên lai');
    expect(figures).toEqual(only({}));
    expect(await indicatorsOf(id)).toMatchObject({ status: 'AWAITING_PAYMENT', paid: false, paidAt: null, paymentMethod: null, paymentReceipt: null });
  });

  test('a move the caller may not make is refused as such, before the payment is asked for', async () => {
    const id = await awaitingPayment();
    const answer = await move(desk.leader, id, 'CONFIRM_PAYMENT');
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('with any other move it is refused on its field', async () => {
    const receipt = await receive();
    const answer = await move(desk.clerk, receipt.dossier.id, 'START_PROCESSING', { payment: { method: 'ONLINE', receiptNumber: 'GD-1' } });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'payment', message: 'Chỉ ghi thanh toán khi xác nhận hoàn thành nghĩa vụ tài chính (CONFIRM_PAYMENT)' }]);
    expect((await indicatorsOf(receipt.dossier.id)).status).toBe('RECEIVED');
  });
});

// ---------------------------------------------------------------- result return

describe('how the result went back, recorded with RETURN_RESULT', () => {
  test.each([
    ['ELECTRONIC', 1],
    ['POSTAL', 0],
    ['AT_COUNTER', 0],
  ])('%s: written, exposed, counted', async (returnMethod, electronic) => {
    const receipt = await resultReady();
    const { moved: figures } = await figuresMovedBy('IN_PERSON', () => moved(desk.clerk, receipt.dossier.id, 'RETURN_RESULT', { returnMethod }));
    // the on-time rule's end was the result being ready: returning it does not judge again
    expect(figures).toEqual(only({ returned: 1, returned_electronically: electronic }));
    expect(await indicatorsOf(receipt.dossier.id)).toMatchObject({ status: 'RETURNED', resultReturn: returnMethod });
  });

  test('required with RETURN_RESULT, refused with any other move', async () => {
    const receipt = await resultReady();
    const { result: missing, moved: figures } = await figuresMovedBy('IN_PERSON', () => move(desk.clerk, receipt.dossier.id, 'RETURN_RESULT'));
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'returnMethod', message: 'Cần ghi hình thức trả kết quả (tại quầy, bưu chính hoặc trực tuyến)' }]);
    expect(figures).toEqual(only({}));
    expect(await indicatorsOf(receipt.dossier.id)).toMatchObject({ status: 'RESULT_READY', resultReturn: null });

    const other = await receive();
    const misplaced = await move(desk.clerk, other.dossier.id, 'START_PROCESSING', { returnMethod: 'ELECTRONIC' });
    expect(fieldsOf(misplaced)).toEqual(['returnMethod']);
    expect((await indicatorsOf(other.dossier.id)).status).toBe('RECEIVED');
  });
});

// ---------------------------------------------------------------- rating

const RATE = `mutation($input: RateDossierInput!) { rateDossier(input: $input) { code rating comment ratedAt } }`;

describe("the applicant's rating", () => {
  // A client address of this suite's own: failed look-ups are counted per address (and province).
  let addresses = 0;
  const client = () => ({ province: SLUG, headers: { 'x-forwarded-for': `198.51.100.${++addresses}` } });

  test('once, after the result was returned: written, exposed to the agency, counted', async () => {
    const receipt = await returned();
    const from = client();
    const { result: answer, moved: figures } = await figuresMovedBy('IN_PERSON', () =>
      api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 4, comment: '  Cán bộ Sở Nội vụ hướng dẫn tận tình, trả kết quả đúng hẹn.  ' } }, from),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.rateDossier).toMatchObject({ code: receipt.code, rating: 4, comment: 'Cán bộ Sở Nội vụ hướng dẫn tận tình, trả kết quả đúng hẹn.' });
    expect(figures).toEqual(only({ rated: 1, rating_sum: 4 }));
    expect(await indicatorsOf(receipt.dossier.id, desk.leader)).toMatchObject({
      rating: 4,
      ratingComment: 'Cán bộ Sở Nội vụ hướng dẫn tận tình, trả kết quả đúng hẹn.',
      ratedAt: answer.data!.rateDossier.ratedAt,
    });

    const { result: again, moved: none } = await figuresMovedBy('IN_PERSON', () => api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 1 } }, from));
    expect(again.errors?.[0].extensions?.code).toBe('ALREADY_RATED');
    expect(again.errors?.[0].message).toBe('Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.');
    expect(none).toEqual(only({}));
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBe(4);
  });

  test('not before the result is returned', async () => {
    const receipt = await resultReady();
    const { result: answer, moved: figures } = await figuresMovedBy('IN_PERSON', () => api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 5 } }, client()));
    expect(answer.errors?.[0].extensions?.code).toBe('NOT_RETURNED_YET');
    expect(answer.errors?.[0].message).toBe('Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ.');
    expect(figures).toEqual(only({}));
    expect((await indicatorsOf(receipt.dossier.id)).ratedAt).toBeNull();
  });

  test.each([
    ['0', { rating: 0 }, 'rating'],
    ['6', { rating: 6 }, 'rating'],
    ['-3', { rating: -3 }, 'rating'],
    ['a comment of 1001 characters', { rating: 5, comment: 'ý'.repeat(1001) }, 'comment'],
  ])('%s is refused on its field', async (_case, fields, field) => {
    const receipt = await returned();
    const answer = await api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, ...fields } }, client());
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(answer)).toEqual([field]);
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBeNull();
  });

  test('a rating of 2.5 is not an Int', async () => {
    const receipt = await returned();
    const answer = await api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 2.5 } }, client());
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBeNull();
  });

  test('a wrong secret answers exactly as an unknown code, tells nothing of the dossier, and counts as a failed look-up', async () => {
    const receipt = await returned();
    const from = client();
    const failures = async () =>
      (await owner.prisma.trackingAttempt.aggregate({ _sum: { failures: true }, where: { scope: 'client', key: `${province(SLUG).id}:${from.headers['x-forwarded-for']}` } }))._sum.failures ?? 0;
    const wrongSecret = receipt.secret === 'ABCDEFGH' ? 'HGFEDCBA' : 'ABCDEFGH';
    const unknownCode = receipt.code.replace(/-(\d{4})$/, (_match, sequence) => `-${String((Number(sequence) + 5000) % 10000).padStart(4, '0')}`);
    const before = await failures();
    const { result: answers, moved: figures } = await figuresMovedBy('IN_PERSON', async () => [
      await api.gql(RATE, { input: { code: receipt.code, secret: wrongSecret, rating: 1 } }, from),
      await api.gql(RATE, { input: { code: unknownCode, secret: receipt.secret, rating: 1 } }, from),
    ]);
    const [wrong, unknown] = answers;
    expect(wrong.data).toBeNull();
    expect(wrong.errors).toEqual([{ message: 'Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập.', locations: expect.any(Array), path: ['rateDossier'], extensions: { code: 'DOSSIER_NOT_FOUND' } }]);
    expect(unknown.errors).toEqual(wrong.errors);
    expect(await failures()).toBe(before + 2);
    expect(figures).toEqual(only({}));
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBeNull();
  });

  test('guessing is limited as tracking is: after 10 misses even the right secret is refused, from that client only', async () => {
    const receipt = await returned();
    const guesser = client();
    for (let miss = 0; miss < 10; miss++) {
      const answer = await api.gql(RATE, { input: { code: receipt.code, secret: `WRNG${String(2345 + miss).slice(-4).replace(/[01]/g, '9')}`, rating: 1 } }, guesser);
      expect(answer.errors?.[0].extensions?.code).toBe('DOSSIER_NOT_FOUND');
    }
    const limited = await api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 5 } }, guesser);
    expect(limited.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBeNull();
    const tracked = await api.gql(`query($code: String!, $secret: String!) { trackDossier(code: $code, secret: $secret) { status } }`, { code: receipt.code, secret: receipt.secret }, guesser);
    expect(tracked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    const applicant = await api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 5 } }, client());
    expect(applicant.errors).toBeUndefined();
  });

  test('no more than three look-ups in one operation, as tracking', async () => {
    const receipts = [await returned(), await returned(), await returned(), await returned()];
    const fields = receipts.map((receipt, index) => `r${index}: rateDossier(input: { code: "${receipt.code}", secret: "${receipt.secret}", rating: 3 }) { rating }`).join('\n');
    const answer = await api.gql(`mutation { ${fields} }`, {}, client());
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['r3'], 'RATE_LIMITED']]);
  });

  test('two ratings at once: exactly one is written, the other is told it is rated already', async () => {
    const receipt = await returned();
    const ratings = [5, 2, 3, 1];
    const { result: answers, moved: figures } = await figuresMovedBy('IN_PERSON', () =>
      Promise.all(ratings.map((rating) => api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating } }, client()))),
    );
    const won = answers.filter((answer) => !answer.errors);
    expect(won).toHaveLength(1);
    expect(answers.filter((answer) => answer.errors?.[0].extensions?.code === 'ALREADY_RATED')).toHaveLength(ratings.length - 1);
    const winner = won[0].data!.rateDossier.rating;
    expect(figures).toEqual(only({ rated: 1, rating_sum: winner }));
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBe(winner);
  });

  test('the citizen account that filed it online rates it by its id; nobody else does', async () => {
    const citizen = await api.token({ province: province(SLUG).id, roles: ['citizen'], sub: 'vneid-045195004321', amr: ['vneid'] });
    const submitted = await api.gql(`mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code secret dossier { id } } }`, { input: intake(desk) }, as(citizen));
    expect(submitted.errors).toBeUndefined();
    const { code, secret, dossier } = submitted.data!.submitDossier;
    await moved(desk.clerk, dossier.id, 'RECEIVE');
    await moved(desk.clerk, dossier.id, 'START_PROCESSING', { assigneeId: desk.handlerId });
    await moved(desk.handler, dossier.id, 'FINISH');
    const RATE_MINE = `mutation($input: RateMyDossierInput!) { rateMyDossier(input: $input) { code rating comment } }`;
    const stranger = await api.token({ province: province(SLUG).id, roles: ['citizen'], sub: 'vneid-045195009999' });
    const early = await api.gql(RATE_MINE, { input: { dossierId: dossier.id, rating: 5 } }, as(citizen));
    expect(early.errors?.[0].extensions?.code).toBe('NOT_RETURNED_YET');
    await moved(desk.clerk, dossier.id, 'RETURN_RESULT', { returnMethod: 'ELECTRONIC' });

    const byStranger = await api.gql(RATE_MINE, { input: { dossierId: dossier.id, rating: 1 } }, as(stranger));
    expect(byStranger.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const byClerk = await api.gql(RATE_MINE, { input: { dossierId: dossier.id, rating: 1 } }, as(desk.clerk));
    expect(byClerk.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { result: mine, moved: figures } = await figuresMovedBy('ONLINE', () => api.gql(RATE_MINE, { input: { dossierId: dossier.id, rating: 5, comment: 'Nhận kết quả qua mạng, rất tiện.' } }, as(citizen)));
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.rateMyDossier).toEqual({ code, rating: 5, comment: 'Nhận kết quả qua mạng, rất tiện.' });
    expect(figures).toEqual(only({ rated: 1, rating_sum: 5 }));
    // once per dossier, whichever way it was rated
    const byReceipt = await api.gql(RATE, { input: { code, secret, rating: 2 } }, client());
    expect(byReceipt.errors?.[0].extensions?.code).toBe('ALREADY_RATED');
  });

  test('needs a province, not an account', async () => {
    const receipt = await returned();
    const noProvince = await api.gql(RATE, { input: { code: receipt.code, secret: receipt.secret, rating: 5 } });
    expect(noProvince.errors?.[0].extensions?.code).toBe('PROVINCE_REQUIRED');
    expect((await indicatorsOf(receipt.dossier.id)).rating).toBeNull();
  });
});
