// The committed artefacts must match the code: schema.graphql, schema.subgraph.graphql, and the
// migrations vs schema.prisma.
import fs from 'node:fs';
import path from 'node:path';
import { printedSchema, printedSubgraphSchema, schema } from '../src/schema';
import { diffDatabaseToSchema } from '../src/db/schema-engine';
import { migrate, readMigrations } from '../src/db/migrator';
import { openPostgres } from '../src/db/database';
import { createTestDatabase } from './support/test-database';

test('schema.graphql is up to date (npm run schema:print)', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(committed).toBe(printedSchema() + '\n');
});

test('schema.subgraph.graphql is up to date (npm run schema:print), and is what _service answers', async () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.subgraph.graphql'), 'utf8');
  expect(committed).toBe(printedSubgraphSchema() + '\n');
  const service = (await schema.getQueryType()!.getFields()._service.resolve!({}, {}, {}, {} as never)) as { sdl: string };
  expect(service.sdl + '\n').toBe(committed);
  // The API file stays free of federation's plumbing; the subgraph file carries it.
  expect(fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8')).not.toMatch(/_entities|_service|@key/);
  expect(committed).toMatch(/type Province implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "gsoCode codeValidFrom"\)/);
});

test('prisma/schema.prisma and prisma/migrations agree (npm run db:diff prints what is missing)', async () => {
  const database = await createTestDatabase('egov_drift');
  try {
    expect(await diffDatabaseToSchema(database.ownerUrl)).toBe('');
  } finally {
    await database.drop();
  }
});

test('migrating twice applies nothing the second time, and an edited migration is refused', async () => {
  const database = await createTestDatabase('egov_migrate');
  const owner = openPostgres(database.ownerUrl, { poolSize: 1 });
  try {
    await owner.withConnection(async (connection) => {
      expect(await migrate(connection)).toEqual([]);
      const edited = readMigrations().map((migration, index) => (index === 0 ? { ...migration, checksum: 'edited' } : migration));
      await expect(migrate(connection, edited)).rejects.toThrow(/was edited after it was applied/);
    });
  } finally {
    await owner.close();
    await database.drop();
  }
});
