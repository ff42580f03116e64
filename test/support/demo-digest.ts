// An order-independent digest of the demo data's tables: two loads of the same seed and scale give
// equal digests, whichever way they were loaded (test/generator.test.ts, test/pending-households.test.ts).
import type { Database } from '@rrm/db';
import { sql } from 'drizzle-orm';

/** The columns compared, per table. */
const DIGEST_COLUMNS: Record<string, string> = {
  regions: 'code, name, level, parent_code, ST_AsText(label_point)',
  county_designations:
    'county_code, poverty_county, poverty_exit_year, key_assistance, supervised, east_west_partner_county',
  villages: 'code, name, township_name, poverty_village, poverty_exit_year, supervised, ST_AsText(location)',
  village_indicators:
    'village_code, year, population, lifted_population, per_capita_net_income, employed_local, monitored_unstable',
  relocation_sites: 'id, name, county_code, size_class, year_built, ST_AsText(location)',
  relocation_origins: 'site_id, village_code, households',
  supervision_problems: 'id, county_code, village_code, category, department, description, deadline, status',
  supervision_problem_history: 'problem_id, changed_at, action, to_status',
  // Made in a child process (db/seed/households-from-child.ts), in both loads.
  households: 'id, number, village_code, type, causes, identified_on, income_per_capita, status, removed_on',
  household_measures: 'household_id, kind, started_on, ended_on, amount_yuan, loan_state',
  household_history: 'household_id, on_date, action, from_status, to_status',
  monitoring_lines: 'province_code, year, line_yuan, source',
  region_monitoring_figures:
    'region_code, level, year, identified, risk_removed, assessed, under_line, identified_in_year, removed_in_year, without_measure',
};

/** The digest ("rows:md5") of each of `tables` (default: all of them). */
export async function digest(
  database: Database,
  tables: readonly string[] = Object.keys(DIGEST_COLUMNS),
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const columns = DIGEST_COLUMNS[table];
    if (!columns) throw new Error(`no digest columns for ${table}`);
    const [row] = await database.rows<{ md5: string; n: number }>(
      sql.raw(
        `SELECT md5(string_agg(t, '|' ORDER BY t)) AS md5, count(*)::int AS n FROM (SELECT concat_ws(',', ${columns}) AS t FROM ${table}) s`,
      ),
    );
    out[table] = `${row!.n}:${row!.md5}`;
  }
  return out;
}
