// npm run schema:print: writes schema.graphql, committed so that API changes show in review.
import fs from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../src/schema';

const target = path.join(__dirname, '..', 'schema.graphql');
fs.writeFileSync(target, printedSchema() + '\n');
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
