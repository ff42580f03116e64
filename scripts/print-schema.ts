// `pnpm schema:print`: writes schema/schema.graphql, sorted so diffs stay stable.
// `pnpm schema:print --check` fails when the committed file is stale (CI runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from '@rrm/schema';

const path = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
const printed = printSortedSchema();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {}
  if (committed !== printed) {
    console.error('schema/schema.graphql is stale: run `pnpm schema:print` and commit it');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date');
} else {
  writeFileSync(path, printed);
  console.log(`wrote ${path}`);
}
