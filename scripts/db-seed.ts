// `pnpm db:seed [--scale tiny|province|national] [--province 52] [--seed N] [--replace]`:
// loads the generated demo dataset into the database the environment names.
import { parseArgs } from 'node:util';
import { findDataset, migrateDatabase, openDatabase } from '@rrm/db';
import { DEMO_SCALES, type DemoScale, seedDemoData } from '@rrm/db/seed';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: process.env.DEMO_SCALE ?? 'national' },
    province: { type: 'string', default: '52' },
    seed: { type: 'string' },
    replace: { type: 'boolean', default: false },
  },
});
if (!DEMO_SCALES.includes(values.scale as DemoScale)) {
  console.error(`--scale must be one of ${DEMO_SCALES.join(', ')}; got "${values.scale}"`);
  process.exit(2);
}
if (values.seed !== undefined && !/^\d+$/.test(values.seed)) {
  console.error(`--seed must be a whole number; got "${values.seed}"`);
  process.exit(2);
}
const database = await openDatabase();
try {
  await migrateDatabase(database);
  await seedDemoData(database, {
    scale: values.scale as DemoScale,
    province: values.province,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    replace: values.replace,
  });
} catch (error) {
  // The map's data is one transaction; the monitored households a second stage, which the next
  // `pnpm start` (or `pnpm db:seed` again) finishes if it failed (db/seed/pending-households.ts).
  const pending = await findDataset(database.db).then(
    (d) => d?.householdsPending,
    () => false,
  );
  console.error(
    pending
      ? `seed failed while loading the monitored households: ${(error as Error).message}\nthe rest of the data is loaded; \`pnpm start\` loads the households again (monitoring answers "still loading" until then)`
      : `seed failed, nothing was changed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await database.close();
}
