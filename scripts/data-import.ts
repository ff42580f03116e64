// `pnpm data:import <dataset> <file> [--dry-run]`: imports a filled template (XLSX, or CSV in UTF-8
// or GB18030). Exit 0 when applied (or a dry run found no errors), 1 when the file has errors or
// cannot be read as a template (nothing written), 2 on usage errors (arguments, a file not there).
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import {
  DATASETS,
  FileFormatError,
  type ImportResult,
  ImportUsageError,
  importFile,
  migrateDatabase,
  openDatabase,
} from '@rrm/db';

const usage = `usage: pnpm data:import <${Object.keys(DATASETS).join('|')}> <file.xlsx|file.csv> [--dry-run]`;
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [dataset, file] = parsed.positionals;
if (!dataset || !file || !DATASETS[dataset] || parsed.positionals.length > 2) {
  console.error(usage);
  process.exit(2);
}

function print(r: ImportResult): void {
  const what = r.dryRun
    ? 'dry run (nothing written)'
    : r.result === 'applied'
      ? 'applied'
      : 'refused (nothing written)';
  console.log(`${r.dataset} ← ${r.file}: ${what}`);
  console.log(
    `  rows ${r.rows}: new ${r.newRows}, changed ${r.changedRows}, unchanged ${r.unchangedRows}, invalid ${r.invalidRows}`,
  );
  if (r.importId != null) console.log(`  recorded as import ${r.importId}`);
  for (const e of r.examples)
    console.log(`  change ${e.key} ${e.column}: ${JSON.stringify(e.old)} → ${JSON.stringify(e.new)}`);
  if (r.errorCount) {
    console.log(
      `  ${r.errorCount} errors${r.errorCount > r.errors.length ? ` (first ${r.errors.length} listed)` : ''}:`,
    );
    for (const e of r.errors)
      console.log(`  ${e.sheet}!${e.row}${e.column ? ` [${e.column}]` : ''}: ${e.zh} / ${e.en}`);
  }
}

const database = await openDatabase();
try {
  await migrateDatabase(database);
  const result = await importFile(database, {
    dataset,
    path: file,
    dryRun: parsed.values['dry-run'],
    who: `cli:${userInfo().username}`,
    log: (line) => console.error(line),
  });
  print(result);
  process.exitCode = result.errorCount ? 1 : 0;
} catch (error) {
  if (error instanceof ImportUsageError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error((error as Error).message);
    process.exitCode = 2;
  } else if (error instanceof FileFormatError) {
    // The file is there but is not a readable template (a broken workbook, an unknown type).
    console.error((error as Error).message);
    process.exitCode = 1;
  } else {
    console.error(`import failed, nothing was changed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
