import { GraphQLError } from 'graphql';
import { AppError, ERRORS, ErrorCode, httpStatusOf, toClientError } from './errors';

const inResolver = (original: Error) => new GraphQLError(original.message, { path: ['officials'], originalError: original });

test('an AppError reaches the client with its code, message and field errors', () => {
  const error = inResolver(new AppError(ErrorCode.CONFLICT, 'Email đã được dùng', { fieldErrors: [{ field: 'email', message: 'x' }] }));
  expect(toClientError(error, 'req-1')).toMatchObject({
    message: 'Email đã được dùng',
    extensions: { code: 'CONFLICT', fieldErrors: [{ field: 'email', message: 'x' }] },
  });
});

test('an unexpected error is reduced to INTERNAL_SERVER_ERROR, with nothing of its message', () => {
  const formatted = toClientError(inResolver(new Error('duplicate key value violates unique constraint "official_pkey"')), 'req-1');
  expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' });
  expect(formatted.message).toContain('req-1');
  expect(JSON.stringify(formatted)).not.toContain('official_pkey');
});

test("GraphQL's own errors (no original error) are the client's to fix", () => {
  expect(toClientError(new GraphQLError('Cannot query field "x" on type "Query".'), 'req-1').message).toContain('Cannot query field');
});

test('a malformed global ID is bad input', () => {
  const pothos = Object.assign(new Error('Invalid global ID: x'), { name: 'PothosValidationError' });
  expect(toClientError(inResolver(pothos), 'req-1').extensions).toEqual({ code: 'BAD_USER_INPUT' });
});

test('the HTTP status hint stays on the server', () => {
  expect(toClientError(new AppError(ErrorCode.UNAUTHENTICATED, 'Vui lòng đăng nhập'), 'req-1').extensions).toEqual({ code: 'UNAUTHENTICATED' });
});

test('every code has an HTTP status and a description, and the enum publishes them', () => {
  for (const [code, entry] of Object.entries(ERRORS)) {
    expect(code).toMatch(/^[A-Z_]+$/);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.description.length).toBeGreaterThan(10);
  }
  expect(httpStatusOf('FORBIDDEN')).toBe(403);
  expect(httpStatusOf('SERVICE_UNAVAILABLE')).toBe(503);
  expect(httpStatusOf('TRANSITION_NOT_ALLOWED')).toBe(409);
  expect(httpStatusOf('NO_SUCH_CODE')).toBe(500);
});
