import { AppError } from '../errors';
import { databaseFailure } from './database-errors';

// What the client is told, by the SQLSTATE pg gives (Prisma's adapter gives the same code in its cause).
test.each([
  ['22021', 'BAD_USER_INPUT'],
  ['22P02', 'BAD_USER_INPUT'],
  ['57014', 'TIMEOUT'],
  ['55P03', 'TIMEOUT'],
  ['23505', 'CONFLICT'],
  ['40001', 'CONFLICT'],
  ['40P01', 'CONFLICT'],
  ['08006', 'SERVICE_UNAVAILABLE'],
  ['57P01', 'SERVICE_UNAVAILABLE'],
  ['53300', 'SERVICE_UNAVAILABLE'],
])('SQLSTATE %s is %s', (sqlState, code) => {
  const meant = databaseFailure(Object.assign(new Error('from pg'), { code: sqlState }));
  expect(meant instanceof AppError ? meant.code : null).toBe(code);
});

test('a unique key through Prisma is a conflict too; what the database does not explain stays a fault of ours', () => {
  const prisma = Object.assign(new Error('Unique constraint failed'), { code: 'P2002', meta: { driverAdapterError: { cause: { originalCode: '23505', kind: 'UniqueConstraintViolation' } } } });
  expect((databaseFailure(prisma) as AppError).code).toBe('CONFLICT');
  const ours = new TypeError('undefined is not a function');
  expect(databaseFailure(ours)).toBe(ours);
  expect(databaseFailure(Object.assign(new Error('syntax'), { code: '42601' }))).toBeInstanceOf(Error);
  expect(databaseFailure(Object.assign(new Error('syntax'), { code: '42601' }))).not.toBeInstanceOf(AppError);
});
