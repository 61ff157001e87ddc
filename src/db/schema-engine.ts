// Prisma's WebAssembly schema engine, driven through the pg adapter: it diffs prisma/schema.prisma
// against a live database without the native engine the Prisma CLI would download.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export const schemaPath = path.join(__dirname, '..', '..', 'prisma', 'schema.prisma');

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
};

async function loadEngine(connectionString: string): Promise<{ engine: Engine; close: () => Promise<void> }> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmFile = require.resolve('@prisma/schema-engine-wasm').replace(/schema_engine\.js$/, 'schema_engine_bg.wasm');
  // Node has WebAssembly; the DOM typings that declare it are not part of this project.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: unknown } }> } }).WebAssembly;
  const { instance } = await wasm.instantiate(fs.readFileSync(wasmFile), { './schema_engine_bg.js': bg });
  (bg as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();

  const pool = new pg.Pool({ connectionString, max: 2 });
  // The engine reads pg_catalog columns of PostgreSQL's internal "char" type (OID 18), which the pg
  // adapter does not map; they arrive as text anyway, so report them as text (OID 25).
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as { query: unknown }).query = (...args: unknown[]) =>
    query(...args).then((result) => {
      for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    });
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const engine = (await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool)),
  )) as unknown as Engine;
  return { engine, close: () => pool.end() };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** SQL that would bring the database at `connectionString` to prisma/schema.prisma ('' when in step). */
export async function diffDatabaseToSchema(connectionString: string): Promise<string> {
  const { engine, close } = await loadEngine(connectionString);
  try {
    const files = [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }];
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await close();
  }
}
