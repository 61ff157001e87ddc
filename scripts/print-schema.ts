// npm run schema:print: writes schema.graphql (the API clients program against) and
// schema.subgraph.graphql (the Federation 2 subgraph SDL a gateway composes, as `_service { sdl }`
// answers it), both committed so that API changes show in review.
import fs from 'node:fs';
import path from 'node:path';
import { printedSchema, printedSubgraphSchema } from '../src/schema';

for (const [file, text] of [
  ['schema.graphql', printedSchema()],
  ['schema.subgraph.graphql', printedSubgraphSchema()],
] as const) {
  const target = path.join(__dirname, '..', file);
  fs.writeFileSync(target, text + '\n');
  console.log(`Wrote ${path.relative(process.cwd(), target)}`);
}
