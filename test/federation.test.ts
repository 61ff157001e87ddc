// The API as an Apollo Federation 2 subgraph: our server (real PostgreSQL, over HTTP) composed with a
// small ministry subgraph of this test's own (@apollo/subgraph) by @apollo/composition, the supergraph
// served by @apollo/gateway, which passes the caller's token on to both. Queries cross the two graphs
// on Province (ranked by the ministry, keyed by GSO code and validity) and Procedure (reviewed by the
// ministry, keyed by the national code); Agency is resolved by global id across provinces.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { startTestApi, type TestApi } from './support/api';
import { province } from './support/fixtures';

const canTho = province('can-tho');
const hauGiang = province('hau-giang');
const daNang = province('da-nang');

// A ministry's graph: its ranking of provinces (by GSO code and the date the code became valid: codes
// were reused in 2025) and its reviews of national procedures (referring to ours by code).
const MINISTRY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

  scalar Date

  type Province @key(fields: "gsoCode codeValidFrom") {
    gsoCode: String!
    codeValidFrom: Date!
    name: String! @shareable
    serviceRanking: Int
  }

  type Procedure @key(fields: "code", resolvable: false) {
    code: String!
  }

  type ProcedureReview {
    note: String!
    procedure: Procedure
  }

  type Query {
    serviceRankings: [Province!]!
    procedureReviews: [ProcedureReview!]!
  }
`;

const RANKINGS = [
  { gsoCode: canTho.gsoCode, codeValidFrom: canTho.codeValidFrom, name: canTho.name, serviceRanking: 3 },
  { gsoCode: hauGiang.gsoCode, codeValidFrom: hauGiang.codeValidFrom, name: hauGiang.name, serviceRanking: 41 },
];
const REVIEWS = [
  { note: 'Rút ngắn thời hạn cấp phiếu lý lịch tư pháp', procedure: { code: '2.000488' } },
  { note: 'Mã thủ tục không có trong danh mục quốc gia', procedure: { code: '9.999999' } },
];

/** The Authorization header each request to the ministry carried. */
const ministrySaw: (string | null)[] = [];

let api: TestApi;
let ministry: ApolloServer<{ authorization: string | null }>;
let gateway: ApolloServer<{ authorization: string | null }>;
let ministryUrl: string;
let gatewayUrl: string;
let ourSdl: string;

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }) };
}

const throughGateway = (query: string, token?: string) => post(gatewayUrl, query, {}, token ? { authorization: `Bearer ${token}` } : {});

const agencyId = async (slug: string, code: string) => {
  const found = await api.gql(`query($code: String!) { agencies(first: 1, search: $code) { edges { node { id code name } } } }`, { code }, { province: slug });
  return found.data!.agencies.edges[0].node as { id: string; code: string; name: string };
};

beforeAll(async () => {
  api = await startTestApi();

  ministry = new ApolloServer<{ authorization: string | null }>({
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    schema: buildSubgraphSchema({
      typeDefs: parse(MINISTRY_SDL),
      resolvers: {
        Query: {
          serviceRankings: () => RANKINGS,
          procedureReviews: () => REVIEWS,
        },
        Province: {
          __resolveReference: (reference: { gsoCode: string; codeValidFrom: string }) =>
            RANKINGS.find((ranking) => ranking.gsoCode === reference.gsoCode && ranking.codeValidFrom === reference.codeValidFrom) ?? null,
        },
      } as never,
    }),
  });
  ({ url: ministryUrl } = await startStandaloneServer(ministry, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      ministrySaw.push(req.headers.authorization ?? null);
      return { authorization: req.headers.authorization ?? null };
    },
  }));

  const service = await post(api.url, '{ _service { sdl } }');
  ourSdl = service.data._service.sdl;
  const composed = composeServices([
    { name: 'egov', url: api.url, typeDefs: parse(ourSdl) },
    { name: 'ministry', url: ministryUrl, typeDefs: parse(MINISTRY_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));

  gateway = new ApolloServer<{ authorization: string | null }>({
    gateway: new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<{ authorization: string | null }>({
          url,
          willSendRequest({ request, context }) {
            if (context.authorization) request.http!.headers.set('authorization', context.authorization);
          },
        }),
    }),
  });
  ({ url: gatewayUrl } = await startStandaloneServer(gateway, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization ?? null }),
  }));
});

afterAll(async () => {
  await gateway?.stop();
  await ministry?.stop();
  await api?.close();
});

describe('the subgraph', () => {
  test('answers _service with the committed subgraph SDL: the keys and the shareable fields', async () => {
    expect(ourSdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])');
    expect(ourSdl).toMatch(/type Province implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "gsoCode codeValidFrom"\)/);
    expect(ourSdl).toMatch(/type Procedure implements Node\s+@key\(fields: "code"\)/);
    expect(ourSdl).toMatch(/type Agency implements Node\s+@key\(fields: "id"\)/);
    // Officials and dossiers are not entities: nobody resolves them by key.
    expect(ourSdl).not.toMatch(/type (Official|Dossier) implements Node\s+@key/);
  });

  test('answers no federated trace (ftv1) to a client that asks for one: we report to no Apollo Studio', async () => {
    const answer = await post(api.url, '{ __typename }', {}, { 'apollo-federation-include-trace': 'ftv1' });
    expect(answer.errors).toBeUndefined();
    expect((answer as { extensions?: Record<string, unknown> }).extensions?.ftv1).toBeUndefined();
  });

  test('composition needs our @shareable: without it, a ministry that also names provinces does not compose', () => {
    const unshared = ourSdl.replace(/ @shareable/g, '');
    expect(unshared).not.toBe(ourSdl);
    const composed = composeServices([
      { name: 'egov', url: api.url, typeDefs: parse(unshared) },
      { name: 'ministry', url: ministryUrl, typeDefs: parse(MINISTRY_SDL) },
    ]);
    expect(composed.errors?.map((error) => error.extensions.code)).toContain('INVALID_FIELD_SHARING');
  });
});

describe('through the gateway', () => {
  test("a ministry's ranking with our provinces' fields: keyed by GSO code and validity, a merged province included", async () => {
    const answer = await throughGateway(`{ serviceRankings { gsoCode serviceRanking name status mergedInto { gsoCode name } timeZone } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.serviceRankings).toEqual([
      { gsoCode: '92', serviceRanking: 3, name: canTho.name, status: 'ACTIVE', mergedInto: null, timeZone: 'Asia/Ho_Chi_Minh' },
      { gsoCode: '93', serviceRanking: 41, name: hauGiang.name, status: 'MERGED', mergedInto: { gsoCode: '92', name: canTho.name }, timeZone: 'Asia/Ho_Chi_Minh' },
    ]);
  });

  test("our province with the ministry's ranking: the other way round", async () => {
    const answer = await post(gatewayUrl, `{ provinces(status: ACTIVE) { slug gsoCode serviceRanking } }`);
    expect(answer.errors).toBeUndefined();
    const bySlug = Object.fromEntries(answer.data.provinces.map((p: { slug: string; serviceRanking: number | null }) => [p.slug, p.serviceRanking]));
    expect(bySlug['can-tho']).toBe(3);
    expect(bySlug['da-nang']).toBeNull(); // the ministry ranks it not
  });

  test("the ministry's reviews with our procedure: its name from the national catalogue; an unknown code is null", async () => {
    const ours = await api.gql(`{ procedures(first: 1, filter: { search: "2.000488" }) { edges { node { code name level } } } }`);
    const procedure = ours.data!.procedures.edges[0].node;
    expect(procedure.code).toBe('2.000488');
    const answer = await throughGateway(`{ procedureReviews { note procedure { code name level } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.procedureReviews).toEqual([
      { note: REVIEWS[0].note, procedure },
      { note: REVIEWS[1].note, procedure: null },
    ]);
  });

  test("the caller's token passes through the gateway to both graphs: a ministry's is a ministry, none is anonymous", async () => {
    const token = await api.token({ roles: ['ministry'], sub: 'bo-noi-vu' });
    ministrySaw.length = 0;
    const signedIn = await throughGateway(`{ me { kind subject } serviceRankings { gsoCode status } }`, token);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.me).toEqual({ kind: 'ministry', subject: 'bo-noi-vu' });
    expect(signedIn.data.serviceRankings[0]).toEqual({ gsoCode: '92', status: 'ACTIVE' });
    expect(ministrySaw).toEqual([`Bearer ${token}`]);

    ministrySaw.length = 0;
    const anonymous = await throughGateway(`{ me { kind subject } serviceRankings { gsoCode } }`);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data.me).toEqual({ kind: 'anonymous', subject: null });
    expect(ministrySaw).toEqual([null]);
  });

  test('a bad token is refused by our graph as it is without the gateway', async () => {
    const answer = await throughGateway(`{ me { kind } }`, 'not-a-token');
    expect(answer.data?.me ?? null).toBeNull();
    expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  test("a ministry reads on-time and online rates for every province it is granted, for a year, with its own ranking beside each", async () => {
    // One dossier received in Cần Thơ this year, so that the year has a figure whatever ran before.
    const clerk = await api.token({ province: canTho.id, roles: ['official', 'receiving_clerk'], agency: '000.00.03.H13' });
    const agency = await agencyId('can-tho', '000.00.03.H13');
    const received = await api.gql(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { code } }`,
      { input: { procedureCode: '2.000488', agencyId: agency.id, applicant: { name: 'Lý Thị Kim Ngân', type: 'CITIZEN', idNumber: '092195004321', phone: '0939555666' }, summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 1', documentsProvided: ['TO_KHAI'] } },
      { token: clerk },
    );
    expect(received.errors).toBeUndefined();
    const token = await api.token({ roles: ['ministry'], sub: 'VPCP' });
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    const indicators = `nationalIndicators(period: { year: ${year} }, indicators: [ON_TIME_RATE, ONLINE_SHARE]) {
      provinces { gsoCode }
      rows { province { gsoCode name } values { indicator value base suppressed } }
    }`;
    const composed = await throughGateway(`{ ${indicators.replace('province { gsoCode name }', 'province { gsoCode name serviceRanking }')} }`, token);
    expect(composed.errors).toBeUndefined();
    const direct = await post(api.url, `{ ${indicators} }`, {}, { authorization: `Bearer ${token}` });
    // Our figures, as our graph answers them alone, with the ministry's ranking beside each province.
    const rows = composed.data.nationalIndicators.rows;
    expect(rows.map(({ province: { serviceRanking: _ranking, ...ours }, values }: any) => ({ province: ours, values }))).toEqual(direct.data.nationalIndicators.rows);
    const canThoRow = rows.find((row: any) => row.province.gsoCode === '92');
    expect(canThoRow.province.serviceRanking).toBe(3);
    expect(canThoRow.values.map((value: any) => value.indicator)).toEqual(['ON_TIME_RATE', 'ONLINE_SHARE']);
    expect(canThoRow.values[1].suppressed || canThoRow.values[1].base >= 1).toBe(true);
    expect(composed.data.nationalIndicators.provinces.map((p: any) => p.gsoCode)).toEqual(expect.arrayContaining(['92', '48', '86', '44']));
    // Without a ministry's token, through the gateway as without it: no national figures.
    const anonymous = await throughGateway(`{ ${indicators} }`);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('_entities', () => {
  const AGENCY = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency { id code name kind parent { code } unit { provinceCode } } } }`;

  test("an agency of another province resolves under that province, without a province header; an unknown id is null", async () => {
    const inDaNang = await agencyId('da-nang', '000.00.03.H17');
    const inCanTho = await agencyId('can-tho', '000.00.03.H13');
    const unknown = Buffer.from('Agency:00000000-0000-4000-8000-000000000000').toString('base64');
    const representations = [inDaNang, inCanTho, { id: unknown }, { id: 'not a global id' }].map(({ id }) => ({ __typename: 'Agency', id }));

    for (const options of [{}, { province: 'can-tho' }]) {
      const answer = await api.gql(AGENCY, { representations }, options);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!._entities).toEqual([
        { id: inDaNang.id, code: '000.00.03.H17', name: inDaNang.name, kind: expect.any(String), parent: { code: '000.00.00.H17' }, unit: { provinceCode: daNang.gsoCode } },
        { id: inCanTho.id, code: '000.00.03.H13', name: inCanTho.name, kind: expect.any(String), parent: { code: '000.00.00.H13' }, unit: { provinceCode: canTho.gsoCode } },
        null,
        null,
      ]);
    }
  });

  test("another province's agency shows its directory, not its officials, to an official of this one", async () => {
    const inDaNang = await agencyId('da-nang', '000.00.03.H17');
    const inCanTho = await agencyId('can-tho', '000.00.03.H13');
    const official = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency { code officials(first: 1) { totalCount } } } }`;
    const own = await api.gql(query, { representations: [{ __typename: 'Agency', id: inCanTho.id }] }, { token: official });
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0].officials.totalCount).toBeGreaterThan(0);
    const other = await api.gql(query, { representations: [{ __typename: 'Agency', id: inDaNang.id }] }, { token: official });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(other.data?._entities?.[0] ?? null).toBeNull();
  });

  test('provinces by id and by GSO code with validity; a code with the wrong validity is null', async () => {
    const ids = await api.gql(`{ provinces { id slug } }`);
    const canThoId = ids.data!.provinces.find((p: { slug: string }) => p.slug === 'can-tho').id;
    const answer = await api.gql(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Province { slug } } }`, {
      representations: [
        { __typename: 'Province', id: canThoId },
        { __typename: 'Province', gsoCode: '93', codeValidFrom: hauGiang.codeValidFrom },
        { __typename: 'Province', gsoCode: '92', codeValidFrom: '2025-07-01' },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([{ slug: 'can-tho' }, { slug: 'hau-giang' }, null]);
  });

  test('the references of one _entities are read in one statement per type', async () => {
    const codes = ['2.000488', '1.001193', '9.999999'];
    api.statements.length = 0;
    const answer = await api.gql(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Procedure { code name } } }`, {
      representations: codes.map((code) => ({ __typename: 'Procedure', code })),
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities[0].code).toBe('2.000488');
    expect(answer.data!._entities[2]).toBeNull();
    expect(api.statements.filter((sql) => /FROM "public"\."procedure"/i.test(sql))).toHaveLength(1);
  });

  describe('limits', () => {
    const provinceRefs = (count: number) => Array.from({ length: count }, () => ({ __typename: 'Province', gsoCode: '92', codeValidFrom: canTho.codeValidFrom }));

    test('more representations than the cap: BAD_USER_INPUT before anything runs', async () => {
      api.statements.length = 0;
      const answer = await api.gql(`query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`, { representations: provinceRefs(501) });
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [expect.objectContaining({ field: 'representations' })] });
      expect(api.statements).toEqual([]);
    });

    test("each representation costs its selection: a nested selection over many is QUERY_TOO_COMPLEX", async () => {
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Province { mergedFrom { mergedFrom { name } } } } }`;
      const few = await api.gql(query, { representations: provinceRefs(5) });
      expect(few.errors).toBeUndefined();
      const many = await api.gql(query, { representations: provinceRefs(400) });
      expect(many.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: expect.objectContaining({ name: 'cost' }) });
    });

    test('_entities runs alone in its operation, as a gateway sends it', async () => {
      const answer = await api.gql(`query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } agencies(first: 1) { totalCount } }`, {
        representations: provinceRefs(1),
      }, { province: 'can-tho' });
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [expect.objectContaining({ field: '_entities' })] });
    });
  });
});
