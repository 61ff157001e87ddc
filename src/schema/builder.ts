// The Pothos builder: plugins, scalars and auth scopes only. Types live in their modules.
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import InputHygienePlugin from './input-hygiene';
import { loadedColumns, loadedColumnsInner, plainFields } from './loaded-columns';
import { PAGING_TYPE, stablePaths } from './stable-paths';
import { entryScopes } from './entry-scopes';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type PrismaTypes from '../generated/pothos-types';
import { getDatamodel } from '../generated/pothos-types';
import type { Context, ProvinceContext } from '../context/context';
import { hasRole, type Caller } from '../context/caller';
import { AppError, ErrorCode } from '../errors';
import { dateOnly, isoDateOf, isRealDate } from '../kernel/dates';
import { fieldCost } from '../server/operation-limits';

export interface AuthScopes {
  /** Anyone, without a token. Every field needs a scope; this one makes openness visible. */
  public: boolean;
  /** Anyone, without a token, in a province (X-Province, the host name or the token's). */
  publicInProvince: boolean;
  /** Any caller with a valid token. */
  authenticated: boolean;
  /** An official of the province the request acts in. */
  official: boolean;
  /** A citizen signed in with a province account. */
  citizen: boolean;
  /** A province administrator of that province, or a platform admin acting in it. */
  provinceAdmin: boolean;
  platformAdmin: boolean;
  /** A ministry's token (its code as subject): national indicators it was granted, nothing personal. */
  ministry: boolean;
}

/** The scopes named anywhere in a scope-auth failure (it nests for $any / $all). */
function failedScopes(failure: { kind: string; scope?: string; failures?: unknown[] }): string[] {
  return [...(failure.scope ? [failure.scope] : []), ...((failure.failures ?? []) as (typeof failure)[]).flatMap(failedScopes)];
}

type OfficialContext = ProvinceContext & { caller: Extract<Caller, { kind: 'official' }> };
type CitizenContext = ProvinceContext & { caller: Extract<Caller, { kind: 'citizen' }> };

export const builder = new SchemaBuilder<{
  Context: Context;
  // What a resolver behind `t.withAuth({ scope: true })` may rely on: these scopes imply a province.
  AuthContexts: {
    publicInProvince: ProvinceContext;
    official: OfficialContext;
    citizen: CitizenContext;
    provinceAdmin: ProvinceContext;
  };
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({
  // Federation last: it must see the resolvers the plugins before it wrap (its README says so).
  // loadedColumns on both sides of Prisma: an exposed column on the row skips Prisma's per-row lookup.
  // stablePaths just outside Prisma: its plans are found by response-path identity (graphql-jit).
  // plainFields first, around everything: a field that ends up a bare property read loses its resolver.
  // entryScopes before ScopeAuth: a type's fixed scopes move to the fields its objects enter by.
  plugins: [plainFields, entryScopes, ScopeAuthPlugin, loadedColumns, stablePaths, PrismaPlugin, loadedColumnsInner, RelayPlugin, InputHygienePlugin, ComplexityPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  // Field costs only: server/operation-limits.ts checks them per caller before the operation runs,
  // so the plugin's own check during execution is off.
  complexity: { fieldComplexity: fieldCost, disabled: true },
  scopeAuth: {
    // A subscription is refused when it is made, not at its first event (which may never come).
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      publicInProvince: ctx.province !== null,
      authenticated: ctx.caller.kind !== 'anonymous',
      official: ctx.caller.kind === 'official',
      citizen: ctx.caller.kind === 'citizen',
      provinceAdmin:
        hasRole(ctx.caller, 'PROVINCE_ADMIN') || (ctx.caller.kind === 'platformAdmin' && ctx.province !== null),
      platformAdmin: ctx.caller.kind === 'platformAdmin',
      ministry: ctx.caller.kind === 'ministry',
    }),
    unauthorizedError: (_parent, ctx, _info, result) => {
      if (!ctx.province && failedScopes(result.failure).includes('publicInProvince')) {
        return new AppError(ErrorCode.PROVINCE_REQUIRED, 'Hãy chọn tỉnh/thành phố (tiêu đề X-Province hoặc tên miền của tỉnh).');
      }
      return ctx.caller.kind === 'anonymous'
        ? new AppError(ErrorCode.UNAUTHENTICATED, 'Vui lòng đăng nhập để thực hiện thao tác này.')
        : new AppError(ErrorCode.FORBIDDEN, 'Tài khoản không có quyền thực hiện thao tác này.');
    },
  },
  prisma: {
    client: (ctx) => ctx.db as never,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Marked so that stablePaths leaves their fields alone: they hand on what the list's resolver made.
    defaultConnectionTypeOptions: { extensions: { [PAGING_TYPE]: true } },
    defaultEdgeTypeOptions: { extensions: { [PAGING_TYPE]: true } },
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string with offset.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Thời điểm không hợp lệ.');
    return date;
  },
});

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => isoDateOf(value),
  parseValue: (value) => {
    // 1900–2199: what the lunar calendar (and any record of the state) covers.
    if (typeof value !== 'string' || !isRealDate(value) || value < '1900' || value > '2199-12-31') {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `Ngày "${String(value)}" không hợp lệ (định dạng YYYY-MM-DD, năm 1900–2199).`);
    }
    return dateOnly(value);
  },
});

// Root types are private by default: a root field opens up only by naming its own scope.
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });
builder.subscriptionType({ authScopes: { authenticated: true } });
