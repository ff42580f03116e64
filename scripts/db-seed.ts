// `pnpm db:seed [--scale tiny|province|national] [--province 52] [--seed N] [--replace]`:
// loads the generated demo dataset into the database the environment names.
import { parseArgs } from 'node:util';
import { migrateDatabase, openDatabase } from '@rrm/db';
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
  console.error(`seed failed, nothing was changed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
