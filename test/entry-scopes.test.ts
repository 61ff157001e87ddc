// A type's scopes checked once per object, where the object enters (src/schema/entry-scopes.ts):
// every way in is tried by a caller without the scope, and the schema refuses a way in it cannot check.
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { isUnionType } from 'graphql';
import { schema } from '../src/schema';
import { checkedAtEntry, entryScopes } from '../src/schema/entry-scopes';
import { startTestApi, type TestApi } from './support/api';
import { province } from './support/fixtures';
import { openDesk, receiveAt, type Desk } from './support/dossier-fixtures';

const canTho = province('can-tho');

let api: TestApi;
let admin: string;
let citizen: string;
let official: { id: string; fullName: string; agencyId: string };

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
  citizen = await api.token({ province: canTho.id, roles: ['citizen'] });
  const response = await api.gql(`{ officials(first: 1) { edges { node { id fullName agency { id } } } } }`, {}, { token: admin });
  const node = response.data!.officials.edges[0].node;
  official = { id: node.id, fullName: node.fullName, agencyId: node.agency.id };
});
afterAll(() => api.close());

const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code;

describe('the schema', () => {
  test('Official and Dossier are checked at entry, and their column fields are property reads', () => {
    expect([...checkedAtEntry.keys()]).toEqual(expect.arrayContaining(['Official', 'Dossier', 'File', 'OfficialDocument', 'IncomingDocument', 'DocumentEnvelope']));
    const fieldsOf = (type: string) => (schema.getType(type) as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
    expect(fieldsOf('Official').fullName.resolve).toBeUndefined();
    expect(fieldsOf('Dossier').code.resolve).toBeUndefined();
    expect(fieldsOf('QueryOfficialsConnectionEdge').node.resolve).toBeDefined(); // where an official enters
  });

  test('no type checked at entry is a federation entity (_entities would let it in unchecked)', () => {
    const entity = schema.getType('_Entity');
    const members = isUnionType(entity) ? entity.getTypes().map((type) => type.name) : [];
    expect(members.length).toBeGreaterThan(0);
    expect(members.filter((name) => checkedAtEntry.has(name))).toEqual([]);
  });

  test('a field of an abstract type such a type belongs to, other than node(s), fails the build', () => {
    // (cast: the Prisma plugin's global types ask every builder for its options)
    const local = new SchemaBuilder<{ AuthScopes: { staff: boolean } }>({ plugins: [entryScopes, ScopeAuthPlugin], scopeAuth: { authScopes: () => ({ staff: true }) } } as never);
    const Named = local.interfaceRef<{ name: string }>('Named').implement({ fields: (t) => ({ name: t.exposeString('name') }) });
    local.objectType(local.objectRef<{ name: string }>('Secret'), { interfaces: [Named], isTypeOf: () => true, authScopes: { staff: true }, fields: (t) => ({ name: t.exposeString('name') }) });
    local.queryType({ fields: (t) => ({ anything: t.field({ type: Named, authScopes: { staff: true }, resolve: () => ({ name: 'x' }) }) }) });
    expect(() => local.toSchema()).toThrow(/Query\.anything returns Named, which Secret belong to/);
  });

  test('a list of lists of such a type fails the build (its objects are checked one list level deep)', () => {
    const local = new SchemaBuilder<{ AuthScopes: { staff: boolean } }>({ plugins: [entryScopes, ScopeAuthPlugin], scopeAuth: { authScopes: () => ({ staff: true }) } } as never);
    const Guarded = local.objectRef<{ name: string }>('Guarded').implement({ authScopes: { staff: true }, fields: (t) => ({ name: t.exposeString('name') }) });
    local.queryType({ fields: (t) => ({ grid: t.field({ type: t.listRef(t.listRef(Guarded)), authScopes: { staff: true }, resolve: () => [[{ name: 'x' }]] }) }) });
    expect(() => local.toSchema()).toThrow(/Query\.grid: a list of lists of Guarded/);
  });
});

describe('a caller without the scope, by every way in', () => {
  test('node(id) of an official: FORBIDDEN and null, nothing of the official shown', async () => {
    const response = await api.gql(`query ($id: ID!) { node(id: $id) { id ... on Official { fullName email } } }`, { id: official.id }, { token: citizen });
    expect(codeOf(response)).toBe('FORBIDDEN');
    expect(response.data?.node ?? null).toBeNull();
    expect(JSON.stringify(response)).not.toContain(official.fullName);
  });

  test('nodes(ids) holding an official: FORBIDDEN; the same call with the agency alone answers', async () => {
    const mixed = await api.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Official { fullName } } }`, { ids: [official.agencyId, official.id] }, { token: citizen });
    expect(codeOf(mixed)).toBe('FORBIDDEN');
    expect(JSON.stringify(mixed)).not.toContain(official.fullName);
    const agencyOnly = await api.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [official.agencyId] }, { token: citizen });
    expect(agencyOnly.errors).toBeUndefined();
    expect(agencyOnly.data!.nodes).toEqual([{ id: official.agencyId }]);
  });

  test("an agency's officials: FORBIDDEN", async () => {
    const response = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on Agency { officials(first: 5) { edges { node { fullName } } } } } }`,
      { id: official.agencyId },
      { token: citizen },
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
    expect(JSON.stringify(response)).not.toContain(official.fullName);
  });
});

describe('a caller with the scope', () => {
  test('node(id), nodes(ids) and the directory show the official', async () => {
    const response = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on Official { fullName } } nodes(ids: [$id]) { ... on Official { fullName } } officials(first: 1) { edges { node { fullName } } } }`,
      { id: official.id },
      { token: admin },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.node.fullName).toBe(official.fullName);
    expect(response.data!.nodes[0].fullName).toBe(official.fullName);
    expect(response.data!.officials.edges[0].node.fullName).toBe(official.fullName);
  });
});

describe("a dossier, checked as it enters (canSeeDossier: a function of the dossier)", () => {
  let desk: Desk;
  let elsewhere: Desk;
  let dossier: { id: string; code: string };

  beforeAll(async () => {
    desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
    elsewhere = await openDesk(api, 'da-nang', 'Sở Tài chính');
    dossier = (await receiveAt(api, desk)).dossier;
  });

  const read = (token: string) =>
    api.gql(`query ($id: ID!) { node(id: $id) { ... on Dossier { code status } } nodes(ids: [$id]) { ... on Dossier { code } } }`, { id: dossier.id }, { token, province: desk.slug });

  test("another agency's handler: refused by node and by nodes, the code never shown", async () => {
    const response = await read(elsewhere.handler);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(response.data).toEqual({ node: null, nodes: [null] });
    expect(JSON.stringify(response)).not.toContain(dossier.code);
  });

  test("the desk's own handler reads it", async () => {
    const response = await read(desk.handler);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: { code: dossier.code, status: 'RECEIVED' }, nodes: [{ code: dossier.code }] });
  });
});
