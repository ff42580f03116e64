// The demo generator is deterministic: a fresh load in this process gives exactly the database the
// global set-up loaded in another process.
import { migrateDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { digest } from './support/demo-digest.ts';

// One backend is enough to prove determinism; PostgreSQL starts faster, PGlite is always there.
const backend = testBackends().find((b) => b.name === 'postgres' && !b.skip) ?? testBackends()[0]!;

describe(`demo generator determinism (${backend.name})`, () => {
  let fresh: TestDatabase;
  let prepared: TestDatabase;
  beforeAll(async () => {
    fresh = await openTestDatabase(backend.name, { empty: true });
    prepared = await openTestDatabase(backend.name);
  });
  afterAll(async () => {
    await fresh?.dispose();
    await prepared?.dispose();
  });

  it('loads the same tiny dataset, row for row, in a fresh database', async () => {
    await migrateDatabase(fresh);
    const summary = await seedDemoData(fresh, { scale: 'tiny', log: () => {} });
    expect(summary.villages).toBeGreaterThan(500);
    const [a, b] = [await digest(fresh), await digest(prepared)];
    expect(a).toEqual(b);
    expect(Number(a.villages!.split(':')[0])).toBe(summary.villages);
    expect(Number(a.households!.split(':')[0])).toBe(summary.households);
    expect(summary.households).toBeGreaterThan(1000);
  });

  it('gives a different dataset for another seed', async () => {
    await seedDemoData(fresh, { scale: 'tiny', seed: 7, replace: true, log: () => {} });
    const [a, b] = [await digest(fresh), await digest(prepared)];
    expect(a.regions).toBe(b.regions); // geography is real, not generated
    expect(a.county_designations).not.toBe(b.county_designations);
    expect(a.village_indicators).not.toBe(b.village_indicators);
  });
});
