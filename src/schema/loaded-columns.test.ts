// The exposed-column shortcut: which fields take it, and that a row without the column still goes
// through the Prisma plugin (which loads what is missing).
import { GraphQLObjectType, type GraphQLFieldResolver } from 'graphql';
import { builder } from './builder';
import { schema } from './index';
import { exposedColumn } from './loaded-columns';

const configOf = (type: string, field: string) => builder.configStore.getFields(type, 'Object').get(field)!;
const resolverOf = (type: string, field: string) =>
  (schema.getType(type) as GraphQLObjectType).getFields()[field].resolve as GraphQLFieldResolver<unknown, object>;

test.each([
  ['Dossier', 'code', 'code'],
  ['Dossier', 'status', 'status'],
  ['Dossier', 'documentsProvided', 'documentsProvided'],
  ['Official', 'fullName', 'fullName'],
  ['Agency', 'name', 'name'],
])('%s.%s reads the column %s off the row', (type, field, column) => {
  expect(exposedColumn(configOf(type, field))).toBe(column);
});

test.each([
  ['Dossier', 'procedure', 'a relation: its row needs the plan beneath it'],
  ['Dossier', 'overdue', 'a resolver of its own over several columns'],
  ['Dossier', 'statusName', 'a resolver of its own'],
  ['Official', 'agency', 'a relation'],
])('%s.%s keeps the Prisma plugin (%s)', (type, field) => {
  expect(exposedColumn(configOf(type, field))).toBeNull();
});

test('a row carrying the column answers from it; a row without it goes to the Prisma plugin', () => {
  const resolve = resolverOf('Agency', 'name');
  const info = { path: { prev: undefined, key: 'name', typename: 'Agency' }, parentType: schema.getType('Agency'), fieldName: 'name' } as never;
  // No context the Prisma plugin could use: only the shortcut can answer without touching it.
  expect(resolve({ id: 'a', name: 'Sở Tư pháp tỉnh Vĩnh Long' }, {}, {}, info)).toBe('Sở Tư pháp tỉnh Vĩnh Long');
  expect(resolve({ id: 'a', name: null }, {}, {}, info)).toBeNull();
  expect(() => resolve({ id: 'a' }, {}, {}, info)).toThrow();
});
