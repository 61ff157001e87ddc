// Errors a client can act on carry a stable code (extensions.code) and a readable message; anything
// else is masked down to the request id, which is in the log.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

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

// Pothos rejects a malformed global ID before any resolver runs; to the client that is bad input.
const isMalformedId = (error: unknown) => error instanceof Error && error.name === 'PothosValidationError';

/** True for errors raised on purpose (AppError), malformed IDs and GraphQL's own request errors. */
export function isClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const original = error.originalError;
  // Without an original error it is GraphQL's own (syntax, validation, variables): the client's doing.
  // Apollo wraps variable errors once more, so follow the chain.
  return error instanceof AppError || isMalformedId(original) || !original || isClientError(original);
}

/** What the client sees of an error: itself when it is meant for the client, else a placeholder. */
export function toClientError(error: GraphQLError): GraphQLFormattedError {
  const { message, locations, path, extensions } = error.toJSON();
  if (isMalformedId(error.originalError)) {
    return { message: 'Mã định danh (ID) không hợp lệ.', locations, path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  // extensions.http only tells Apollo which status to send; it is not for the client.
  const { http: _http, ...visible } = extensions ?? {};
  if (isClientError(error)) return { message, locations, path, extensions: visible };
  return { message: 'internal', path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

export function maskedError(requestId: string) {
  return {
    message: `Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo mã yêu cầu ${requestId} cho quản trị viên.`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
