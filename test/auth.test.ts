// Authentication, authorisation and province resolution, as a client meets them.
import { SignJWT } from 'jose';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import { province } from './support/fixtures';

const canTho = province('can-tho');
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const officials = `{ officials(first: 1) { totalCount } }`;
const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code;

const sign = (claims: Record<string, unknown>, options: { secret?: string; expiresIn?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('egov-platform')
    .setAudience('egov-api')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));

describe('authentication', () => {
  test('no token on a private field: UNAUTHENTICATED', async () => {
    const response = await api.gql(officials, {}, { province: '92' });
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.data?.officials).toBeUndefined();
  });

  test.each([
    ['a malformed header', 'not-a-jwt'],
    ['a token signed with another secret', 'wrong-secret'],
    ['an expired token', 'expired'],
    ['a token without roles', 'no-roles'],
  ])('%s: UNAUTHENTICATED with status 401', async (_label, kind) => {
    const token =
      kind === 'not-a-jwt'
        ? 'abc.def'
        : kind === 'wrong-secret'
          ? await sign({ sub: 'x', roles: ['official'], province: canTho.id }, { secret: 'another-secret-another-secret-another-secret' })
          : kind === 'expired'
            ? await sign({ sub: 'x', roles: ['official'], province: canTho.id }, { expiresIn: '-1m' })
            : await sign({ sub: 'x', province: canTho.id });
    const response = await api.gql(officials, {}, { token });
    expect(response.status).toBe(401);
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0].message).toMatch(/\S/);
  });
});

describe('authorisation', () => {
  test("a citizen cannot list officials: FORBIDDEN", async () => {
    const token = await api.token({ province: canTho.id, roles: ['citizen'] });
    expect(codeOf(await api.gql(officials, {}, { token }))).toBe('FORBIDDEN');
  });

  test('an official without the admin role cannot create officials: FORBIDDEN', async () => {
    const token = await api.token({ province: canTho.id, roles: ['official', 'handler'] });
    const response = await api.gql(
      `mutation ($agency: ID!) { createOfficial(input: { fullName: "Phạm Thị Lan", position: "Chuyên viên", email: "ptlan@cantho.gov.vn", agencyId: $agency }) { id } }`,
      { agency: Buffer.from('Agency:0a6f3c1e-2b7d-4e59-9c1a-3f8e5d2b7a10').toString('base64') },
      { token },
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
  });

  test("personal data is for province admins and the official themself", async () => {
    const handler = await api.token({ province: canTho.id, roles: ['official', 'handler'] });
    const list = await api.gql(`{ officials(first: 1) { edges { node { id fullName idNumber } } } }`, {}, { token: handler });
    expect(codeOf(list)).toBe('FORBIDDEN');
    expect(list.errors?.[0].path).toEqual(['officials', 'edges', 0, 'node', 'idNumber']);

    const admin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
    const asAdmin = await api.gql(`{ officials(first: 1) { edges { node { id idNumber } } } }`, {}, { token: admin });
    const [{ node }] = asAdmin.data!.officials.edges;
    expect(node.idNumber).toMatch(/^\d{12}$/);

    const [, subject] = Buffer.from(node.id, 'base64').toString().split(':');
    const self = await api.token({ province: canTho.id, roles: ['official'], sub: subject });
    const asSelf = await api.gql(`{ me { kind official { idNumber } } }`, {}, { token: self });
    expect(asSelf.data!.me).toEqual({ kind: 'official', official: { idNumber: node.idNumber } });
  });

  test('public fields need no token', async () => {
    const response = await api.gql(`{ me { kind } province { name } provinces { slug status } }`, {}, { province: '92' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.me.kind).toBe('anonymous');
    expect(response.data!.province.name).toBe(canTho.name);
    expect(response.data!.provinces.map((p: any) => p.slug)).toEqual(expect.arrayContaining(['can-tho', 'soc-trang', 'hau-giang']));
  });
});

describe('province resolution', () => {
  test.each([
    ['92', 'can-tho'],
    ['can-tho', 'can-tho'],
    ['44', 'quang-tri'],
    ['94', 'soc-trang'],
  ])('X-Province %s is %s', async (selector, slug) => {
    const response = await api.gql(`{ province { slug } }`, {}, { province: selector });
    expect(response.data!.province.slug).toBe(slug);
  });

  test('a host name from the manifest selects its province', async () => {
    const response = await api.gql(`{ province { slug } }`, {}, { host: canTho.hostNames[0] });
    expect(response.data!.province.slug).toBe('can-tho');
  });

  test('an unknown province: PROVINCE_NOT_FOUND with status 404', async () => {
    const response = await api.gql(`{ province { slug } }`, {}, { province: '00' });
    expect(response.status).toBe(404);
    expect(codeOf(response)).toBe('PROVINCE_NOT_FOUND');
  });

  test('a malformed ID is bad input, not an internal error', async () => {
    const token = await api.token({ province: canTho.id, roles: ['official'] });
    const response = await api.gql(`{ node(id: "không-phải-id") { id } }`, {}, { token });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
  });

  test('a token naming a province that does not exist: PROVINCE_NOT_FOUND', async () => {
    const token = await sign({ sub: 'x', roles: ['official'], province: '7b4f1a52-0000-4000-8000-000000000000' });
    expect(codeOf(await api.gql(`{ me { kind } }`, {}, { token }))).toBe('PROVINCE_NOT_FOUND');
  });

  test('a merged province stays readable as history', async () => {
    const response = await api.gql(`{ province { status mergedOn mergedInto { slug } } }`, {}, { province: 'soc-trang' });
    expect(response.data!.province).toEqual({ status: 'MERGED', mergedOn: '2025-07-01', mergedInto: { slug: 'can-tho' } });
  });
});
