// The demo generator is deterministic: a fresh load in this process gives exactly the database the
// global set-up loaded in another process.
import type { Database } from '@rrm/db';
import { migrateDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';

/** An order-independent digest of each data table's content. */
async function digest(database: Database): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    regions: 'code, name, level, parent_code, ST_AsText(label_point)',
    county_designations:
      'county_code, poverty_county, poverty_exit_year, key_assistance, supervised, east_west_partner_county',
    villages:
      'code, name, township_name, poverty_village, poverty_exit_year, supervised, ST_AsText(location)',
    village_indicators:
      'village_code, year, population, lifted_population, per_capita_net_income, employed_local, monitored_unstable',
    relocation_sites: 'id, name, county_code, size_class, year_built, ST_AsText(location)',
    relocation_origins: 'site_id, village_code, households',
    supervision_problems:
      'id, county_code, village_code, category, department, description, deadline, status',
    supervision_problem_history: 'problem_id, changed_at, action, to_status',
    // Made in a child process (db/seed/households-from-child.ts), in both loads.
    households:
      'id, number, village_code, type, causes, identified_on, income_per_capita, status, removed_on',
    household_measures: 'household_id, kind, started_on, ended_on, amount_yuan, loan_state',
    household_history: 'household_id, on_date, action, from_status, to_status',
  };
  const out: Record<string, string> = {};
  for (const [table, columns] of Object.entries(tables)) {
    const [row] = await database.rows<{ md5: string; n: number }>(
      sql.raw(
        `SELECT md5(string_agg(t, '|' ORDER BY t)) AS md5, count(*)::int AS n FROM (SELECT concat_ws(',', ${columns}) AS t FROM ${table}) s`,
      ),
    );
    out[table] = `${row!.n}:${row!.md5}`;
  }
  return out;
}

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
