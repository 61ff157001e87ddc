import { loadConfig } from '../config';
import { allowedOrigins, httpPolicy, transportFailure, withoutSuggestions } from './http-defaults';

const config = (env: Record<string, string>) =>
  loadConfig({ DATABASE_URL: 'postgresql://egov_app@db/egov', JWT_SECRET: 'x'.repeat(32), ...env } as NodeJS.ProcessEnv);

describe('httpPolicy: unset switches are on in development, off in production', () => {
  test.each([
    [{ NODE_ENV: 'development' }, { introspection: true, fieldSuggestions: true, queryPage: true, metrics: 'open' }],
    [{ NODE_ENV: 'test' }, { introspection: true, fieldSuggestions: true, queryPage: true, metrics: 'open' }],
    [{ NODE_ENV: 'production' }, { introspection: false, fieldSuggestions: false, queryPage: false, metrics: 'off' }],
    [
      { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_FIELD_SUGGESTIONS: 'true', GRAPHQL_QUERY_PAGE: 'true', METRICS_TOKEN: 'a'.repeat(16) },
      { introspection: true, fieldSuggestions: true, queryPage: true, metrics: 'token' },
    ],
    [{ NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false', GRAPHQL_QUERY_PAGE: 'false' }, { introspection: false, fieldSuggestions: true, queryPage: false, metrics: 'open' }],
  ])('%j', (env, policy) => {
    expect(httpPolicy(config(env))).toEqual(policy);
  });
});

describe('the settings are checked at start', () => {
  test.each([
    ['GRAPHQL_INTROSPECTION', 'yes', /GRAPHQL_INTROSPECTION/],
    ['CORS_ORIGINS', 'https://portal.cantho.gov.vn/', /CORS_ORIGINS "https:\/\/portal.cantho.gov.vn\/" is not an origin/],
    ['CORS_ORIGINS', 'portal.cantho.gov.vn', /CORS_ORIGINS/],
    ['CORS_ORIGINS', 'ftp://cantho.gov.vn', /CORS_ORIGINS/],
    ['METRICS_TOKEN', 'short', /METRICS_TOKEN must be at least 16 characters/],
  ])('%s=%s is refused', (name, value, message) => {
    expect(() => config({ [name]: value })).toThrow(message);
  });

  test('CORS_ORIGINS: a comma-separated list of origins, spaces allowed, compared in lower case', () => {
    expect(config({ CORS_ORIGINS: 'http://localhost:5173, https://Portal.CanTho.gov.vn' }).CORS_ORIGINS).toEqual(['http://localhost:5173', 'https://portal.cantho.gov.vn']);
    expect(config({}).CORS_ORIGINS).toEqual([]);
  });
});

describe('withoutSuggestions', () => {
  test.each([
    ['Cannot query field "provincs" on type "Query". Did you mean "province" or "provinces"?', 'Cannot query field "provincs" on type "Query".'],
    ['Unknown argument "frist" on field "Query.agencies". Did you mean "first"?', 'Unknown argument "frist" on field "Query.agencies".'],
    ['Unknown type "Agencyy". Did you mean "Agency", "AgencyKind", or "AgencyEdge"?', 'Unknown type "Agencyy".'],
    [
      'Variable "$status" got invalid value "RECIEVED"; Value "RECIEVED" does not exist in "DossierStatus" enum. Did you mean the enum value "RECEIVED"?',
      'Variable "$status" got invalid value "RECIEVED"; Value "RECIEVED" does not exist in "DossierStatus" enum.',
    ],
    ['Cannot query field "x" on type "Query".', 'Cannot query field "x" on type "Query".'],
  ])('%s', (message, bare) => {
    expect(withoutSuggestions(message)).toBe(bare);
  });
});

test('allowedOrigins: each host name over https and http, then the configured ones', () => {
  expect([...allowedOrigins(['cantho.gov.vn', 'Can-Tho.localhost'], ['http://localhost:5173'])]).toEqual([
    'https://cantho.gov.vn',
    'http://cantho.gov.vn',
    'https://can-tho.localhost',
    'http://can-tho.localhost',
    'http://localhost:5173',
  ]);
});

describe('transportFailure', () => {
  test.each([
    [{ type: 'entity.parse.failed', status: 400 }, { status: 400, code: 'BAD_REQUEST', message: 'Nội dung yêu cầu không phải JSON hợp lệ.' }],
    [{ type: 'entity.too.large', status: 413, limit: 2 * 1024 * 1024 }, { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Nội dung yêu cầu vượt quá giới hạn 2 MB.' }],
    [{ type: 'charset.unsupported', status: 415 }, { status: 415, code: 'BAD_REQUEST', message: 'Bảng mã của nội dung không được hỗ trợ; hãy gửi JSON UTF-8.' }],
    [{ type: 'request.aborted', status: 400 }, { status: 400, code: 'BAD_REQUEST', message: 'Yêu cầu HTTP không hợp lệ.' }],
    [Object.assign(new URIError('URI malformed'), { status: 400 }), { status: 400, code: 'BAD_REQUEST', message: 'Yêu cầu HTTP không hợp lệ.' }],
    [new Error('boom'), null],
    [{ status: 503 }, null],
    [undefined, null],
  ])('%j', (error, failure) => {
    expect(transportFailure(error)).toEqual(failure);
  });
});
