// The executor: graphql-jit's answers in graphql-js' error shape, an unknown operation refused.
import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { COMPILED_KEPT, compiledDocuments, executeOperation } from './executor';

const failure = new Error('không kết nối được');
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      name: { type: GraphQLString, resolve: () => 'Sở Tư pháp' },
      broken: { type: GraphQLString, resolve: () => Promise.reject(failure) },
    },
  }),
});

test('answers as graphql-js does, resolver errors with their original error and an extensions object', async () => {
  const result = await executeOperation({ schema, document: parse('query Q { name broken }'), operationName: 'Q' });
  expect(result.data).toEqual({ name: 'Sở Tư pháp', broken: null });
  const [error] = result.errors!;
  expect(error).toBeInstanceOf(GraphQLError);
  expect(error.originalError).toBe(failure);
  expect(error.extensions).toEqual({}); // Apollo reads extensions.code of every error
  expect(error.path).toEqual(['broken']);
  expect(error.locations).toEqual([{ line: 1, column: 16 }]);
});

test('an operation name the document lacks is an error, not a crash', async () => {
  const result = await executeOperation({ schema, document: parse('query Q { name }'), operationName: 'Other' });
  expect(result.data).toBeUndefined();
  expect(result.errors?.[0].message).toMatch(/Other/);
});

test('keeps one compiled document per document, and no more than COMPILED_KEPT of them', async () => {
  const before = compiledDocuments();
  const document = parse('{ name }');
  await executeOperation({ schema, document });
  await executeOperation({ schema, document });
  expect(compiledDocuments()).toBe(before + 1);
  for (let n = 0; n < COMPILED_KEPT + 50; n++) await executeOperation({ schema, document: parse(`{ name a${n}: name }`) });
  expect(compiledDocuments()).toBe(COMPILED_KEPT);
});
