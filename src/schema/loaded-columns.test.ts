// The exposed-column shortcut: which fields take it, and that a row without the column still goes
// through the Prisma plugin (which loads what is missing).
import { GraphQLObjectType, type GraphQLFieldResolver } from 'graphql';
import { builder } from './builder';
import { schema } from './index';
import { loadedColumnsOf, plainRelation } from './loaded-columns';

/** The field's config as the plugins see it: with the extensions the Prisma plugin adds while building. */
const configOf = (type: string, field: string) => ({
  ...builder.configStore.getFields(type, 'Object').get(field)!,
  extensions: (schema.getType(type) as GraphQLObjectType).getFields()[field].extensions,
});
const resolverOf = (type: string, field: string) =>
  (schema.getType(type) as GraphQLObjectType).getFields()[field].resolve as GraphQLFieldResolver<unknown, object>;

test.each([
  ['Dossier', 'code', ['code']],
  ['Dossier', 'status', ['status']],
  ['Dossier', 'documentsProvided', ['documentsProvided']],
  ['Dossier', 'statusName', ['status']],
  ['Dossier', 'overdue', ['status', 'dueAt', 'pausedAt']],
  ['Official', 'fullName', ['fullName']],
  ['Agency', 'name', ['name']],
])('%s.%s resolves off the row from %j', (type, field, columns) => {
  expect(loadedColumnsOf(configOf(type, field))).toEqual(columns);
});

test.each([
  ['Dossier', 'procedure', 'a relation: its row needs the plan beneath it'],
  ['Official', 'agency', 'a relation'],
])('%s.%s needs more than columns (%s)', (type, field) => {
  expect(loadedColumnsOf(configOf(type, field))).toBeNull();
});

test('a field that is only a property read has no resolver left: the executor reads it in line', () => {
  expect(resolverOf('Agency', 'name')).toBeUndefined(); // an exposed column, no scope anywhere
  expect(resolverOf('Procedure', 'code')).toBeUndefined();
  expect(resolverOf('PageInfo', 'hasNextPage')).toBeUndefined(); // graphql-js' default resolver, nothing around it
  // Types with scopes have them checked where their objects enter (entry-scopes.ts), not per field.
  expect(resolverOf('Dossier', 'code')).toBeUndefined();
  expect(resolverOf('Official', 'fullName')).toBeUndefined();
  expect(resolverOf('Dossier', 'overdue')).toBeDefined(); // a resolver of its own
});

test('a resolver over several columns answers from a row carrying them all, else goes to the Prisma plugin', () => {
  const resolve = resolverOf('Dossier', 'overdue');
  const info = { path: { prev: undefined, key: 'overdue', typename: 'Dossier' }, parentType: schema.getType('Dossier'), fieldName: 'overdue' } as never;
  const now = new Date('2026-12-07T03:00:00Z');
  const ctx = { now, caller: { kind: 'official', roles: ['PROVINCE_ADMIN'], subject: 'x' }, province: { id: 'p', slug: 'vinh-long' } };
  const row = { id: 'd', agencyId: 'a', status: 'IN_PROGRESS', dueAt: new Date('2026-12-04T10:00:00Z'), pausedAt: null };
  expect(resolve(row, {}, ctx, info)).toBe(true);
  expect(() => resolve({ ...row, pausedAt: undefined }, {}, ctx, info)).toThrow();
});

test("a node's id is encoded at once when the row carries it, as the relay plugin encodes it", () => {
  const resolve = resolverOf('Official', 'id');
  const info = { path: { prev: undefined, key: 'id', typename: 'Official' }, parentType: schema.getType('Official'), fieldName: 'id' } as never;
  const id = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
  // Synchronous: no promise per row (the relay plugin's own resolver is async).
  // An official of the province reading the directory: the type's own scopes still apply.
  const ctx = { caller: { kind: 'official', roles: ['PROVINCE_ADMIN'], subject: id }, province: { id: 'a3c1e6b2-5d4f-4a1b-9e8c-7f6a5b4c3d2e', slug: 'vinh-long' } };
  expect(resolve({ id, fullName: 'Nguyễn Thị Ngọc Hân' }, {}, ctx, info)).toBe(Buffer.from(`Official:${id}`).toString('base64'));
});

test.each([
  ['Dossier', 'procedure', 'procedure'],
  ['Official', 'agency', 'agency'],
])('%s.%s is a plain relation on %s', (type, field, relation) => {
  expect(plainRelation(configOf(type, field))).toBe(relation);
});

test('a relation whose row the parent carries answers from it when only direct fields are asked of it', () => {
  const resolve = resolverOf('Official', 'agency');
  const agencyType = schema.getType('Agency');
  const fieldNodes = (selection: string) => [{ kind: 'Field', name: { kind: 'Name', value: 'agency' }, selectionSet: { kind: 'SelectionSet', selections: selection.split(' ').map((name) => ({ kind: 'Field', name: { kind: 'Name', value: name } })) } }];
  const infoFor = (selection: string) =>
    ({ path: { prev: undefined, key: 'agency', typename: 'Official' }, parentType: schema.getType('Official'), returnType: agencyType, fieldName: 'agency', fieldNodes: fieldNodes(selection) }) as never;
  const agency = { id: 'a', code: 'H13.30', name: 'Sở Tư pháp tỉnh Vĩnh Long' };
  const ctx = { caller: { kind: 'official', roles: ['PROVINCE_ADMIN'], subject: 'x' }, province: { id: 'p', slug: 'vinh-long' } };
  // No context the Prisma plugin could use: only the shortcut can answer without touching it.
  expect(resolve({ id: 'o', agency }, {}, ctx, infoFor('id code name __typename'))).toBe(agency);
  expect(() => resolve({ id: 'o', agency }, {}, ctx, infoFor('name parent'))).toThrow(); // a relation beneath: the plan is needed
  expect(() => resolve({ id: 'o' }, {}, ctx, infoFor('name'))).toThrow(); // not loaded: Prisma loads it
});
