// The one error contract. Errors a client can act on carry a stable code (extensions.code) from the
// tables below and a readable message (Vietnamese where shown to people); anything else is masked
// down to the request id, which is in the log. The codes are published as the GraphQL enum ErrorCode.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { defineErrors, type ErrorEntry } from './kernel/error-table';
import { CALENDAR_ERRORS } from './modules/calendar/calendar.errors';
import { DOSSIER_ERRORS } from './modules/dossiers/dossier.errors';
import { FILE_ERRORS } from './modules/files/file.errors';
import { HTTP_ERRORS } from './server/http.errors';
import { FAIR_SHARE_ERRORS } from './server/fair-share.errors';

export const CORE_ERRORS = defineErrors({
  UNAUTHENTICATED: { status: 401, description: 'No token where one is needed, or a token that is malformed, expired or not ours: sign in again.' },
  FORBIDDEN: { status: 403, description: 'Signed in, but the caller may not do this (role, agency or province).' },
  PROVINCE_NOT_FOUND: { status: 404, description: 'X-Province, the host name or the token names no province of the platform.' },
  PROVINCE_REQUIRED: { status: 400, description: 'The field belongs to a province: send X-Province or use the province\'s host name.' },
  BAD_USER_INPUT: { status: 400, description: 'An argument is invalid; extensions.fieldErrors says which and why.' },
  NOT_FOUND: { status: 404, description: 'The record does not exist, or the caller may not see it.' },
  TRANSITION_NOT_ALLOWED: { status: 409, description: "The move cannot be made from the record's status (a dossier's, a document's); extensions.allowedActions lists the moves the caller has." },
  CONFLICT: { status: 409, description: 'Someone changed the record meanwhile, or it is in a state that does not allow this: reload and retry.', retryable: true },
  RATE_LIMITED: { status: 429, description: 'Too many attempts; extensions.retryAfterSeconds says when to try again.', retryable: true },
  TIMEOUT: { status: 503, description: 'The operation ran past its time limit (often waiting on a lock); nothing was saved. Retry.', retryable: true },
  SERVICE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached or is busy; nothing was saved. Retry after Retry-After seconds.', retryable: true },
  QUERY_TOO_COMPLEX: { status: 400, description: 'The operation is over a limit checked before it runs (tokens, depth, aliases, directives or estimated cost; lower for anonymous callers); extensions.limit gives name, max and found. Nothing ran.' },
  TOO_MANY_SUBSCRIPTIONS: { status: 429, description: 'The WebSocket, or the receipt followed, already holds the most live subscriptions allowed; complete one first.' },
  INTERNAL_SERVER_ERROR: { status: 500, description: 'A fault of ours; the message carries the request id to report. Nothing was saved.' },
  // Raised by Apollo Server itself before execution.
  GRAPHQL_PARSE_FAILED: { status: 400, description: 'The query is not valid GraphQL syntax.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, description: 'The query does not fit the schema.' },
  BAD_REQUEST: { status: 400, description: 'The HTTP request is not a GraphQL request (body, method or content type).' },
  OPERATION_RESOLUTION_FAILURE: { status: 400, description: 'operationName names no operation of the document.' },
  PERSISTED_QUERY_NOT_FOUND: { status: 400, description: 'Automatic persisted query: send the full query once.' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, description: 'Persisted queries are not accepted here.' },
});

/** Every code the API may answer: the core's and each module's. */
export const ERRORS = { ...CORE_ERRORS, ...HTTP_ERRORS, ...FAIR_SHARE_ERRORS, ...CALENDAR_ERRORS, ...DOSSIER_ERRORS, ...FILE_ERRORS } satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;
export const ErrorCode = Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code])) as { [Code in ErrorCode]: Code };

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERRORS, code);

export interface FieldError {
  field: string;
  message: string;
}

/** An expected failure, shown to the client as it is. */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extra: { fieldErrors?: FieldError[]; [key: string]: unknown } = {}) {
    super(message, { extensions: { code, ...extra } });
    this.code = code;
  }
}

export const invalidInput = (fieldErrors: FieldError[]) =>
  new AppError(ErrorCode.BAD_USER_INPUT, fieldErrors.map((error) => error.message).join('; '), { fieldErrors });

/** The HTTP status of an operation that failed as a whole with this code. */
export const httpStatusOf = (code: unknown): number => (isErrorCode(code) ? ERRORS[code].status : 500);

export const isRetryable = (code: unknown): boolean => isErrorCode(code) && (ERRORS[code] as ErrorEntry).retryable === true;

// Pothos rejects a malformed global ID or a negative page size before any resolver runs: bad input.
const isPothosValidation = (error: unknown): error is Error => error instanceof Error && error.name === 'PothosValidationError';

function pothosInputError(error: Error): AppError {
  const page = /Argument "(first|last)" must be a non-negative integer/.exec(error.message);
  if (page) {
    return invalidInput([{ field: page[1], message: `Tham số ${page[1]} phải là số nguyên không âm` }]);
  }
  return new AppError(ErrorCode.BAD_USER_INPUT, 'Mã định danh (ID) không hợp lệ.');
}

/** The AppError an error amounts to for the client, or null when it is a fault of ours. */
export function clientErrorOf(error: unknown): GraphQLError | null {
  if (error instanceof AppError) return error;
  if (isPothosValidation(error)) return pothosInputError(error);
  if (!(error instanceof GraphQLError)) return null;
  // Without an original error it is GraphQL's own (syntax, validation, variables): the client's doing.
  if (!error.originalError) return error;
  // Apollo and graphql-js wrap resolver errors once or twice: follow the chain.
  const inner = clientErrorOf(error.originalError);
  if (!inner) return null;
  return inner === error.originalError ? error : new GraphQLError(inner.message, { nodes: error.nodes, path: error.path, extensions: inner.extensions });
}

/** True for errors meant for the client as they are. */
export const isClientError = (error: unknown) => clientErrorOf(error) !== null;

export function maskedError(requestId: string): GraphQLFormattedError {
  return {
    message: `Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo mã yêu cầu ${requestId} cho quản trị viên.`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}

/**
 * Failures of ours or of the platform (5xx: internal, timeout, database unavailable) name the request,
 * so that whoever reports them can be traced in the log.
 */
export function withRequestId(error: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (!requestId || error.extensions?.requestId || httpStatusOf(code) < 500) return error;
  return { ...error, message: `${error.message} (mã yêu cầu ${requestId})`, extensions: { ...error.extensions, requestId } };
}

/** What the client sees of an error: itself when it is meant for the client, else the masked one. */
export function toClientError(error: GraphQLError, requestId: string): GraphQLFormattedError {
  const client = clientErrorOf(error);
  if (!client) return { ...maskedError(requestId), ...(error.path ? { path: error.path } : {}) };
  const { message, extensions } = client.toJSON();
  const { locations, path } = error.toJSON();
  // extensions.http only tells Apollo which status to send; it is not for the client.
  const { http: _http, ...visible } = extensions ?? {};
  const code = visible.code ?? ErrorCode.BAD_REQUEST;
  return withRequestId({ message, ...(locations ? { locations } : {}), ...(path ? { path } : {}), extensions: { ...visible, code } }, requestId);
}
