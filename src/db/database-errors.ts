// What a database failure means to the client. PostgreSQL's SQLSTATE (through Prisma's driver
// adapter or straight from pg) says whether the client sent something the database refuses, waited
// too long, collided with another writer, or could not reach the database at all. Anything else is
// left as it is: a fault of ours, masked and logged.
import { AppError, ErrorCode } from '../errors';

interface AdapterCause {
  originalCode?: string;
  code?: string;
  kind?: string;
}

/** The SQLSTATE (or the adapter's kind of failure) behind an error, if it came from the database. */
export function databaseCondition(error: unknown): { sqlState?: string; kind?: string; prismaCode?: string } | null {
  if (!error || typeof error !== 'object') return null;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: AdapterCause } } };
  const cause = meta?.driverAdapterError?.cause;
  if (cause) return { sqlState: cause.originalCode ?? cause.code, kind: cause.kind, prismaCode: typeof code === 'string' ? code : undefined };
  if (typeof code === 'string' && /^P\d{4}$/.test(code)) return { prismaCode: code };
  // pg's own errors (withConnection) carry the SQLSTATE as `code`; node's socket errors a name like ECONNREFUSED.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { sqlState: code };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return { kind: code };
  return null;
}

const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'ConnectionClosed', 'SocketTimeout', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

const unavailable = () =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Hệ thống tạm thời không kết nối được cơ sở dữ liệu; chưa có gì được lưu. Vui lòng thử lại sau ít phút.', {
    retryAfterSeconds: 5,
  });

/** No pooled connection came free in time: the database is busy for now. */
export const poolExhausted = () =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Hệ thống đang quá tải; chưa có gì được lưu. Vui lòng thử lại sau giây lát.', { retryAfterSeconds: 1 });

const timedOut = () =>
  new AppError(ErrorCode.TIMEOUT, 'Thao tác vượt quá thời gian cho phép (có thể do dữ liệu đang được người khác cập nhật); chưa có gì được lưu. Vui lòng thử lại.', {
    retryAfterSeconds: 1,
  });

/** The client error a database failure amounts to, or the error itself when it is none of these. */
export function databaseFailure(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const condition = databaseCondition(error);
  if (!condition) return error;
  const { sqlState = '', kind = '', prismaCode = '' } = condition;
  // Text the database cannot store: a NUL byte, or bytes that are not UTF-8.
  if (sqlState === '22021' || sqlState === '22P05') {
    return new AppError(ErrorCode.BAD_USER_INPUT, 'Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL hoặc không phải UTF-8).');
  }
  // A value the column's type refuses: in practice an ID whose payload is not a UUID.
  if (sqlState === '22P02') return new AppError(ErrorCode.BAD_USER_INPUT, 'Mã định danh (ID) hoặc giá trị gửi lên không hợp lệ.');
  // statement_timeout, lock_timeout, idle-in-transaction timeout; Prisma's expired transaction.
  if (sqlState === '57014' || sqlState === '55P03' || sqlState === '25P03' || prismaCode === 'P2028') return timedOut();
  // A unique key another writer took first: the service checked, and someone got in between.
  if (sqlState === '23505' || prismaCode === 'P2002') {
    return new AppError(ErrorCode.CONFLICT, 'Bản ghi này vừa được tạo bởi thao tác khác cùng lúc; chưa có gì được lưu. Vui lòng tải lại và thử lại.');
  }
  // A privilege the transaction's role lacks, or a row its row-level security refuses: a ministry's
  // role reading personal data, a write into another province. The database said no; so do we.
  if (sqlState === '42501') return new AppError(ErrorCode.FORBIDDEN, 'Không có quyền truy cập dữ liệu này.');
  if (sqlState === '40001' || sqlState === '40P01') {
    return new AppError(ErrorCode.CONFLICT, 'Dữ liệu vừa được người khác cập nhật cùng lúc; chưa có gì được lưu. Vui lòng thử lại.');
  }
  // Connection failures, a server shutting down or starting, too many connections; pool exhausted.
  // 55000 and 3D000 at connect: the database is not accepting connections, or is gone.
  if (sqlState.startsWith('08') || sqlState === '55000' || sqlState === '3D000' || sqlState === '57P01' || sqlState === '57P02' || sqlState === '57P03' || sqlState === '53300') return unavailable();
  if (UNREACHABLE_KINDS.has(kind) || prismaCode === 'P1001' || prismaCode === 'P1017' || prismaCode === 'P2024') return unavailable();
  return error;
}
