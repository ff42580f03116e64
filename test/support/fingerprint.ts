// Fingerprints of what a write could touch: counts and hashes of tables, the region rollup and the
// dataset's versions and parts. Equal fingerprints before and after: nothing was written. Every
// test that checks "nothing was written" (or "everything was put back") compares these.
import type { Database } from '@rrm/db';
import { type SQL, sql } from 'drizzle-orm';

/** One value per part, each a scalar subquery; a test names the parts its writes could reach. */
const rowsOf = (table: string, alias: string, order: string) =>
  sql.raw(
    `(SELECT count(*) || ':' || coalesce(md5(string_agg(${alias}::text, '|' ORDER BY ${order})), '') FROM ${table} ${alias})`,
  );
const PARTS = {
  villages: rowsOf('villages', 'v', 'code'),
  village_years: rowsOf('village_indicators', 'vi', 'village_code, year'),
  designations: rowsOf('county_designations', 'd', 'county_code'),
  sites: rowsOf('relocation_sites', 's', 'id'),
  site_years: rowsOf('relocation_site_indicators', 'i', 'site_id, year'),
  origins: rowsOf('relocation_origins', 'o', 'site_id, village_code'),
  // Rounded: a refresh after a change of village figures may sum in another order and move the last
  // bits of a float. `region_rollup_rows` (every column, exact) for imports of relocation figures.
  region_rollup: sql`(SELECT count(*) || ':' || coalesce(sum(population)::bigint, 0) || ':'
    || coalesce(md5(string_agg(region_code || ':' || year || ':' || employed || ':'
      || coalesce(round(per_capita_net_income::numeric, 6)::text, '-'), '|' ORDER BY region_code, year)), '')
    FROM region_indicators)`,
  region_rollup_rows: rowsOf('region_indicators', 'r', 'region_code, year'),
  region_boundaries: sql`(SELECT count(*) || ':' || coalesce(md5(string_agg(code || ST_AsText(boundary), '|' ORDER BY code)), '')
    FROM regions)`,
  import_changes: sql`(SELECT count(*)::text FROM import_changes)`,
  imports: sql`(SELECT count(*)::text FROM imports)`,
  dataset: sql`(SELECT data_version || '/' || figures_version || '/' || details::text FROM dataset)`,
  // The version clients see alone: an import that changes no row still records its file in details.
  data_version: sql`(SELECT data_version::text FROM dataset)`,
  problems: rowsOf('supervision_problems', 'p', 'id'),
  problem_history: sql`(SELECT count(*)::text FROM supervision_problem_history)`,
  departments: rowsOf('departments', 'd', 'id'),
  listing_history: sql`(SELECT count(*)::text FROM supervision_listing_history)`,
  inspections: sql`(SELECT count(*)::text FROM supervision_inspections)`,
  listings: rowsOf('supervision_listings', 'l', 'id'),
  // Not the whole row: a login writes its own columns of the user.
  users: sql`(SELECT count(*) || ':' || string_agg(role || coalesce(region_scope, '') || coalesce(department_id, 0) || disabled || display_name, ','
    ORDER BY id) FROM users)`,
  households: rowsOf('households', 'h', 'id'),
  household_history: sql`(SELECT count(*)::text FROM household_history)`,
  household_measures: rowsOf('household_measures', 'm', 'id'),
  monitoring_lines: rowsOf('monitoring_lines', 'l', 'province_code, year'),
  idempotency_keys: sql`(SELECT count(*) || ':' || coalesce(string_agg(user_id || key || coalesce(result_id, 0), ','
    ORDER BY user_id, key), '') FROM idempotency_keys)`,
} satisfies Record<string, SQL>;

export type FingerprintPart = keyof typeof PARTS;

export async function databaseFingerprint(
  database: Database,
  parts: readonly FingerprintPart[],
): Promise<Partial<Record<FingerprintPart, string>>> {
  const [f] = await database.rows<Partial<Record<FingerprintPart, string>>>(
    sql`SELECT ${sql.join(
      parts.map((p) => sql`${PARTS[p]}::text AS ${sql.identifier(p)}`),
      sql`, `,
    )}`,
  );
  return f!;
}

/** What an import touches: the tables it writes, the rollup it refreshes, its change log, the versions. */
export const IMPORT_PARTS: readonly FingerprintPart[] = [
  'villages',
  'village_years',
  'region_rollup',
  'import_changes',
  'dataset',
];

export function importFingerprint(database: Database) {
  return databaseFingerprint(database, IMPORT_PARTS);
}

/** What a supervision write (a problem, an inspection, a listing, a user, a keyed retry) touches. */
export const SUPERVISION_PARTS: readonly FingerprintPart[] = [
  'problems',
  'problem_history',
  'departments',
  'listing_history',
  'inspections',
  'listings',
  'users',
  'idempotency_keys',
  'dataset',
];
