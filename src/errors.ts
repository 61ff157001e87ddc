// Errors a client can act on carry a stable code (extensions.code) and a readable message; anything
// else is masked down to the request id, which is in the log.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PROVINCE_NOT_FOUND: 'PROVINCE_NOT_FOUND',
  PROVINCE_REQUIRED: 'PROVINCE_REQUIRED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldError {
  field: string;
  message: string;
}

const httpStatus: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  PROVINCE_NOT_FOUND: 404,
};

/** An expected failure, shown to the client as it is. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode | string, message: string, extra: { fieldErrors?: FieldError[]; [key: string]: unknown } = {}) {
    const status = httpStatus[code as ErrorCode];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
  }
}

export const invalidInput = (fieldErrors: FieldError[]) =>
  new AppError(ErrorCode.BAD_USER_INPUT, fieldErrors.map((error) => error.message).join('; '), { fieldErrors });

/** The codes the server lets through unmasked: its own plus GraphQL's request-level ones. */
const passThroughCodes = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** True for errors raised on purpose (AppError) and for GraphQL's own request errors. */
export function isClientError(error: unknown, code: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (error instanceof AppError || original instanceof AppError) return true;
  return !original && typeof code === 'string' && passThroughCodes.has(code);
}

export function maskedError(requestId: string) {
  return {
    message: `Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo mã yêu cầu ${requestId} cho quản trị viên.`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
