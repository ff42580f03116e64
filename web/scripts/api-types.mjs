// `pnpm web:types`: regenerates web/src/graphql-env.d.ts, the printed schema as gql.tada reads it to
// type the dashboard's documents. `pnpm web:types --check` fails when the committed file is stale
// (CI runs it beside `pnpm schema:print --check`). Offline: it reads schema/schema.graphql. The
// file repeats the same type shapes many times over, as generated: the duplicates scan lists it,
// there is nothing to merge.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const root = join(web, '..');
const target = join(web, 'src/graphql-env.d.ts');
const scratch = mkdtempSync(join(tmpdir(), 'rrm-web-types-'));
let generated;
try {
  const output = join(scratch, 'graphql-env.d.ts');
  execFileSync(join(web, 'node_modules/.bin/gql.tada'), ['generate-output', '--output', output], {
    cwd: web,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Formatted like the rest of the tree, so the linter passes and the check compares like with like.
  generated = execFileSync(join(root, 'node_modules/.bin/biome'), ['format', `--stdin-file-path=${target}`], {
    cwd: root,
    input: readFileSync(output),
    encoding: 'utf8',
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {}
  if (committed !== generated) {
    console.error('web/src/graphql-env.d.ts is stale: run `pnpm web:types` and commit it');
    process.exit(1);
  }
  console.log('web/src/graphql-env.d.ts is up to date');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
