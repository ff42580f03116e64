// `pnpm data:rollback <dataset>`: undoes the most recent applied import of a dataset (restores the
// values it replaced, deletes the rows it added). Exit 2 on usage errors or nothing to roll back.
import { userInfo } from 'node:os';
import { DATASETS, ImportUsageError, migrateDatabase, openDatabase, rollbackImport } from '@rrm/db';

const dataset = process.argv[2];
if (!dataset || !DATASETS[dataset] || process.argv.length > 3) {
  console.error(`usage: pnpm data:rollback <${Object.keys(DATASETS).join('|')}>`);
  process.exit(2);
}
const database = await openDatabase();
try {
  await migrateDatabase(database);
  const r = await rollbackImport(database, { dataset, who: `cli:${userInfo().username}` });
  console.log(
    `rolled back import ${r.importId} of ${r.dataset} (${r.file}): ${r.restoredRows} rows restored, ${r.deletedRows} rows removed`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = error instanceof ImportUsageError ? 2 : 1;
} finally {
  await database.close();
}
