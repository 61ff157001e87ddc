// graphql-jit builds a new path chain for every resolver call; the plugin hands Prisma's resolvers
// one object per path and request, as graphql-js does.
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { schema } from './index';
import { withStablePath } from './stable-paths';

/** A path chain as graphql-jit builds it for each call: new objects, no type names. */
const freshChain = (...keys: (string | number)[]) =>
  keys.reduce<GraphQLResolveInfo['path'] | undefined>((prev, key) => ({ prev, key, typename: undefined }), undefined)!;

const infoAt = (...keys: (string | number)[]) => ({ path: freshChain(...keys), parentType: { name: 'Agency' } }) as unknown as GraphQLResolveInfo;

test('the same keys in one request give the same path objects, down to the root', () => {
  const request = {};
  const first = withStablePath(request, infoAt('officials', 'edges', 0, 'node', 'agency')).path;
  const again = withStablePath(request, infoAt('officials', 'edges', 0, 'node', 'agency')).path;
  expect(again).toBe(first);
  const parentOfUnit = withStablePath(request, infoAt('officials', 'edges', 0, 'node', 'agency', 'unit')).path.prev;
  expect(parentOfUnit).toBe(first);
  expect(first.typename).toBe('Agency');
});

test('another row, another request: other objects', () => {
  const request = {};
  const row0 = withStablePath(request, infoAt('officials', 'edges', 0, 'node')).path;
  const row1 = withStablePath(request, infoAt('officials', 'edges', 1, 'node')).path;
  expect(row1).not.toBe(row0);
  expect(row1.prev!.prev).toBe(row0.prev!.prev); // officials.edges is shared
  expect(withStablePath({}, infoAt('officials', 'edges', 0, 'node')).path).not.toBe(row0);
});

test("the fields of connection and edge types are left alone: they hand on what the list's resolver made", () => {
  const fieldOf = (type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field];
  const node = { id: 'a' };
  // An info without a path: only an unwrapped resolver answers. (An official's edge checks the
  // official's scopes as the official enters: entry-scopes.ts.)
  expect(fieldOf('QueryAgenciesConnectionEdge', 'node').resolve!({ node }, {}, {}, {} as never)).toBe(node);
  expect(fieldOf('QueryOfficialsConnection', 'edges').resolve!({ edges: [] }, {}, {}, {} as never)).toEqual([]);
});
