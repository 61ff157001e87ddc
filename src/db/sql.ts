// The thin query layer for hot reads: hand-written SQL through the unit of work's own transaction
// (the same connection, role and province as `ctx.db`), without Prisma's query interpreter. Prisma
// stays the schema, the migrations and the writes; row-level security applies to both alike.
// Every statement a hot path sends names `tenant_id` itself as well, so that it would route to one
// shard of a database distributed by province (test/tenant-routing.test.ts). Values come back as
// Prisma gives them (see PRISMA_TYPES), so rows read here and rows read by Prisma are alike.
import pg from 'pg';
import { Prisma } from '../generated/prisma/client';

/**
 * A statement with a name is prepared once per connection and executed by name afterwards (PostgreSQL
 * keeps its parse and plan). Give names to the statements of hot paths only: each connection keeps
 * every prepared statement for its lifetime.
 */
export interface Statement {
  name?: string;
  text: string;
}

export interface Sql {
  rows<Row>(statement: Statement | string, values?: readonly unknown[]): Promise<Row[]>;
}

/** Pure: `value` as an SQL string literal, for the one statement that cannot take parameters (scope.ts). */
export const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

const OID = { int8: 20, date: 1082, timestamp: 1114, numeric: 1700 } as const;

/**
 * pg's parsers, changed where Prisma reads a type otherwise: `date` and `timestamp` (no zone) are
 * UTC, not the process's local time; `numeric` is a Prisma.Decimal; `bigint` a BigInt.
 */
export const PRISMA_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (format !== 'binary') {
      if (oid === OID.date) return (text: string) => new Date(`${text}T00:00:00Z`);
      if (oid === OID.timestamp) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
      if (oid === OID.numeric) return (text: string) => new Prisma.Decimal(text);
      if (oid === OID.int8) return (text: string) => BigInt(text);
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;
