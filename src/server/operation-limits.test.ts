// The cost model and the limits, measured on the real schema: what each document costs and why.
import { parse } from 'graphql';
import { schema } from '../schema';
import { OPERATION_LIMIT_SETTINGS } from './operation-limits.settings';
import { SubscriptionSlots, countTokens, limitsFor, measureOperation, operationLimitError, subscriptionTarget } from './operation-limits';
import { z } from 'zod';

const settings = z.object(OPERATION_LIMIT_SETTINGS).parse({});
const anonymous = limitsFor(settings, { kind: 'anonymous' });
const official = limitsFor(settings, { kind: 'official' });

const measure = (query: string, variables: Record<string, unknown> = {}) => measureOperation({ schema, document: parse(query), variables, context: {} });
const refusal = (query: string, limits = anonymous, variables: Record<string, unknown> = {}) =>
  operationLimitError({ schema, document: parse(query), variables, context: {}, limits });

/** The agencies → children → parent → children… fan-out from the issue, `levels` relations deep. */
const fanOut = (levels: number) => {
  let selection = 'code';
  for (let level = levels; level > 0; level--) selection = `${level % 2 ? 'children' : 'parent'} { ${selection} }`;
  return `{ agencies(first: 200) { edges { node { ${selection} } } } }`;
};

describe('cost: one per field, a connection by its page, a list by 10, nested ones multiply', () => {
  test.each([
    ['a bare field', '{ __typename }', {}, { cost: 1, depth: 1 }],
    // agencies (1) + 50 (its default page) × node (1) + code (1)
    ['a connection at its default page size', '{ agencies { edges { node { code } } } }', {}, { cost: 101, depth: 4 }],
    ['pageInfo and totalCount add nothing per row', '{ agencies(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code } } } }', {}, { cost: 31, depth: 4 }],
    ['the page size from a variable', 'query($n: Int) { agencies(first: $n) { edges { node { code } } } }', { n: 7 }, { cost: 15, depth: 4 }],
    ['last counts like first', '{ agencies(last: 3) { edges { node { code name } } } }', {}, { cost: 10, depth: 4 }],
    // node: 1 + children (1 + 10 × code) = 12
    ['an unbounded list by its estimate of 10', '{ agencies(first: 10) { edges { node { children { code } } } } }', {}, { cost: 121, depth: 5 }],
    // officials inside: 1 + 5 × 2 = 11, node: 12
    ['a connection inside a connection multiplies', '{ agencies(first: 10) { edges { node { officials(first: 5) { edges { node { fullName } } } } } } }', {}, { cost: 121, depth: 7 }],
    // Agency.officials declares no page size: Pothos' 20
    ['a connection without its own page size: 20', '{ agencies(first: 1) { edges { node { officials { edges { node { fullName } } } } } } }', {}, { cost: 43, depth: 7 }],
    ['__schema costs one and is not counted for depth', '{ __schema { types { name fields { name } } } }', {}, { cost: 1, depth: 0 }],
    // children { parent { … } } = 1 + 10 × (1 + …) per level pair: 2, 21, 22, 221, 222, 2221; node 2222
    ['the fan-out of the issue, six relations deep', fanOut(6), {}, { cost: 1 + 200 * 2222, depth: 10 }],
  ])('%s', (_name, query, variables, expected) => {
    const measures = measure(query, variables);
    expect(measures.failure).toBeNull();
    expect({ cost: measures.cost, depth: measures.depth }).toEqual(expected);
  });

  test('aliases and directives are counted through fragments; __typename aliases are free', () => {
    expect(measure('{ a: agencies { totalCount } b: agencies { totalCount } t: __typename }').aliases).toBe(2);
    expect(measure('{ ...F ...F } fragment F on Query { x: provinces { slug } }').aliases).toBe(2);
    expect(measure('{ __typename @include(if: true) @skip(if: false) }').directives).toBe(2);
  });
});

describe('page sizes: every connection caps first/last, 100 unless the field says otherwise', () => {
  const pageErrors = (query: string, variables: Record<string, unknown> = {}) => measure(query, variables).pageErrors;

  test.each([
    ['agencies at its cap of 200', '{ agencies(first: 200) { totalCount } }', {}, []],
    ['agencies beyond it', '{ agencies(first: 100000) { totalCount } }', {}, [{ field: 'first', message: 'agencies trả tối đa 200 mục mỗi trang: first = 100000 vượt quá giới hạn.' }]],
    ['a connection without its own cap, beyond 100', '{ agencies { edges { node { officials(last: 101) { totalCount } } } } }', {}, [{ field: 'last', message: 'officials trả tối đa 100 mục mỗi trang: last = 101 vượt quá giới hạn.' }]],
    ['a negative page size has its own message', '{ procedures(first: -1) { totalCount } }', {}, [{ field: 'first', message: 'Tham số first của procedures phải là số nguyên không âm (nhận được -1).' }]],
    ['from a variable', 'query($n: Int) { procedures(first: $n) { totalCount } }', { n: 201 }, [{ field: 'first', message: 'procedures trả tối đa 200 mục mỗi trang: first = 201 vượt quá giới hạn.' }]],
    ["from a variable's default", 'query($n: Int = 501) { administrativeUnits(first: $n) { totalCount } }', {}, [{ field: 'first', message: 'administrativeUnits trả tối đa 500 mục mỗi trang: first = 501 vượt quá giới hạn.' }]],
  ])('%s', (_name, query, variables, expected) => {
    expect(pageErrors(query, variables)).toEqual(expected);
  });

  test('a page size error is BAD_USER_INPUT with fieldErrors, before any limit', () => {
    const error = refusal('{ agencies(first: 100000) { edges { node { code } } } }');
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'first' }] });
  });
});

describe('limits per caller', () => {
  test('anonymous callers get stricter limits than signed-in ones', () => {
    for (const name of ['tokens', 'depth', 'aliases', 'directives', 'cost'] as const) expect(anonymous[name]).toBeLessThan(official[name]);
    expect(limitsFor(settings, { kind: 'citizen' })).toEqual(official);
  });

  test.each([
    ['the fan-out six deep', fanOut(6), anonymous, 'depth'],
    ['a fan-out within depth but over the cost', '{ agencies(first: 200) { edges { node { children { children { code } } } } } }', anonymous, 'cost'],
    ['the same fan-out signed in is within the cost', '{ agencies(first: 200) { edges { node { children { children { code } } } } } }', official, null],
    ["an official's officials → agency → officials, nine deep", `{ ${'officials { edges { node { agency { '.repeat(9)}code${' } } } }'.repeat(9)} }`, official, 'depth'],
    ['16 aliases anonymously', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: provinces { slug }`).join(' ')} }`, anonymous, 'aliases'],
    ['16 aliases signed in', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: provinces { slug }`).join(' ')} }`, official, null],
    ['11 directives anonymously', `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: __typename @include(if: true)`).join(' ')} }`, anonymous, 'directives'],
    ['aliased introspection', `{ ${Array.from({ length: 40 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`, anonymous, 'aliases'],
  ])('%s', (_name, query, limits, limit) => {
    const error = refusal(query, limits);
    if (limit === null) expect(error).toBeNull();
    else expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: { name: limit, max: limits[limit as 'cost'] } });
  });

  test('the message says what was found and what is allowed', () => {
    expect(refusal(fanOut(6))?.message).toBe('Truy vấn lồng quá sâu: 10 tầng, tối đa 8 tầng.');
  });

  test('an argument the cost cannot be computed with refuses the operation rather than run it unmeasured', () => {
    const error = refusal('{ agencies(first: 5) { totalCount } nodes(ids: ["not-an-id"]) { id } }');
    expect(error).not.toBeNull();
  });

  test('variables that do not coerce are BAD_USER_INPUT', () => {
    expect(refusal('query($n: Int) { agencies(first: $n) { totalCount } }', anonymous, { n: 'many' })?.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('tokens', () => {
  test.each([
    ['{ a }', 10, 3],
    ['query Q($x: Int = 5) { a(x: $x) @skip(if: false) }', 100, 26],
    ['# a comment is no token\n{ a }', 10, 3],
    [`{ ${'a '.repeat(50)}}`, 10, 11], // stops counting past the limit
    ['{ a "unterminated }', 10, 2], // the parser reports the error
  ])('%j has %i tokens counted up to', (query, max, expected) => {
    expect(countTokens(query, max)).toBe(expected);
  });
});

describe('subscriptions per socket and per receipt', () => {
  const STATUS = parse('subscription($code: String!, $secret: String!) { dossierStatusChanged(code: $code, secret: $secret) { status } }').definitions[0] as never;

  test('the receipt is the code within the province, however it is written', () => {
    expect(subscriptionTarget(schema, STATUS, { code: ' 000.00.03.h13-261202-0001 ', secret: 'X' }, 'p1')).toBe('dossierStatusChanged:p1:000.00.03.H13-261202-0001');
    const feed = parse('subscription { dossierFeed { code } }').definitions[0] as never;
    expect(subscriptionTarget(schema, feed, {}, 'p1')).toBeNull();
  });

  test('slots are taken up to each limit and given back when operations end', () => {
    const slots = new SubscriptionSlots({ perSocket: 3, perTarget: 2 });
    const [socketA, socketB] = [{}, {}];
    expect(slots.take(socketA, '1', 'r')).toBeNull();
    expect(slots.take(socketB, '1', 'r')).toBeNull();
    expect(slots.take(socketA, '2', 'r')?.extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: { name: 'subscriptionsPerReceipt', max: 2 } });
    expect(slots.take(socketA, '2', null)).toBeNull();
    expect(slots.take(socketA, '3', 'other')).toBeNull();
    expect(slots.take(socketA, '4', null)?.extensions).toMatchObject({ limit: { name: 'subscriptionsPerSocket', max: 3 } });
    slots.release(socketB, '1');
    slots.release(socketB, '1');
    expect(slots.heldBy('r')).toBe(1);
    slots.releaseAll(socketA);
    expect([slots.heldBy('r'), slots.heldBy('other')]).toEqual([0, 0]);
    expect(slots.take(socketA, '5', 'r')).toBeNull();
  });
});
