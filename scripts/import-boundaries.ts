// `pnpm geo:import <file.geojson> [--gcj02]`: replaces the demo boundaries with your own licensed
// ones. Features need properties `code` (2023 region code, any level) and `name`. Validated first;
// on any error nothing is changed.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BoundaryImportError, importBoundaries, migrateDatabase, openDatabase } from '@rrm/db';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { gcj02: { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: pnpm geo:import <boundaries.geojson> [--gcj02]');
  process.exit(2);
}
let input: unknown;
try {
  input = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`cannot read ${file} as JSON: ${(error as Error).message}`);
  process.exit(2);
}
const database = await openDatabase();
try {
  await migrateDatabase(database);
  const result = await importBoundaries(database, input, { fromGcj02: values.gcj02 });
  console.log(
    `imported ${result.imported} boundaries; re-derived ${result.derivedParents} prefecture/province outlines`,
  );
  for (const m of result.nameMismatches)
    console.log(`  note: ${m.code} is "${m.stored}" here, "${m.file}" in the file (imported by code)`);
  if (result.villagesOutside)
    console.log(
      `  note: ${result.villagesOutside} village points now fall outside their county's new boundary`,
    );
} catch (error) {
  console.error(
    error instanceof BoundaryImportError
      ? error.message
      : `import failed, nothing was changed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await database.close();
}
