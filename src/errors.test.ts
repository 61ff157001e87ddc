import { GraphQLError } from 'graphql';
import { AppError, ErrorCode, toClientError } from './errors';

const inResolver = (original: Error) => new GraphQLError(original.message, { path: ['officials'], originalError: original });

test('an AppError reaches the client with its code, message and field errors', () => {
  const error = inResolver(new AppError(ErrorCode.CONFLICT, 'Email đã được dùng', { fieldErrors: [{ field: 'email', message: 'x' }] }));
  expect(toClientError(error)).toMatchObject({
    message: 'Email đã được dùng',
    extensions: { code: 'CONFLICT', fieldErrors: [{ field: 'email', message: 'x' }] },
  });
});

test('an unexpected error is reduced to INTERNAL_SERVER_ERROR, with nothing of its message', () => {
  const formatted = toClientError(inResolver(new Error('duplicate key value violates unique constraint "official_pkey"')));
  expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  expect(JSON.stringify(formatted)).not.toContain('official_pkey');
});

test("GraphQL's own errors (no original error) are the client's to fix", () => {
  expect(toClientError(new GraphQLError('Cannot query field "x" on type "Query".')).message).toContain('Cannot query field');
});

test('a malformed global ID is bad input', () => {
  const pothos = Object.assign(new Error('Invalid global ID: x'), { name: 'PothosValidationError' });
  expect(toClientError(inResolver(pothos)).extensions).toEqual({ code: 'BAD_USER_INPUT' });
});

test('the HTTP status hint stays on the server', () => {
  expect(toClientError(new AppError(ErrorCode.UNAUTHENTICATED, 'Vui lòng đăng nhập')).extensions).toEqual({ code: 'UNAUTHENTICATED' });
});
