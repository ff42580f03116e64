// A fingerprint of the data an import touches: counts and sums of the tables, the region rollup and
// the dataset's versions and parts. Equal fingerprints before and after: nothing was written.
import type { Database } from '@rrm/db';
import { sql } from 'drizzle-orm';

export async function importFingerprint(database: Database): Promise<Record<string, unknown>> {
  const [f] = await database.rows<Record<string, unknown>>(sql`SELECT
    (SELECT count(*) FROM villages)::int AS villages,
    (SELECT md5(string_agg(v::text, '|' ORDER BY code)) FROM villages v) AS villages_md5,
    (SELECT count(*) FROM village_indicators)::int AS village_years,
    (SELECT md5(string_agg(vi::text, '|' ORDER BY village_code, year)) FROM village_indicators vi) AS years_md5,
    (SELECT count(*) FROM region_indicators)::int AS regions,
    (SELECT sum(population)::bigint FROM region_indicators)::text AS region_population,
    (SELECT md5(string_agg(region_code || ':' || year || ':' || employed || ':'
      || coalesce(round(per_capita_net_income::numeric, 6)::text, '-'), '|' ORDER BY region_code, year))
      FROM region_indicators) AS region_md5,
    (SELECT count(*) FROM import_changes)::int AS import_changes,
    (SELECT data_version || '/' || figures_version || '/' || details::text FROM dataset) AS dataset`);
  return f!;
}
