// The region × year rollup the map and KPI cards read. Refreshed after every load or write that
// changes indicators; one statement per level so each stays readable.
import { sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';

const SUMMED = sql.raw(`
  sum(villages), sum(poverty_villages), sum(supervised_villages), sum(population), sum(lifted_population),
  sum(per_capita_net_income * lifted_population) FILTER (WHERE per_capita_net_income IS NOT NULL)
    / nullif(sum(lifted_population) FILTER (WHERE per_capita_net_income IS NOT NULL), 0),
  sum(labour_force), sum(employed), sum(employed_out_migrant), sum(employed_local), sum(public_welfare_posts),
  sum(workshop_jobs), sum(monitored_households), sum(monitored_risk_removed), sum(relocation_sites),
  sum(relocated_households), sum(relocated_people), sum(site_labour_households), sum(site_employed),
  sum(zero_employment_households)`);

const COLUMNS = sql.raw(`
  region_code, level, year, villages, poverty_villages, supervised_villages, population, lifted_population,
  per_capita_net_income, labour_force, employed, employed_out_migrant, employed_local, public_welfare_posts,
  workshop_jobs, monitored_households, monitored_risk_removed, relocation_sites, relocated_households,
  relocated_people, site_labour_households, site_employed, zero_employment_households`);

/** The county level, computed before it is inserted (see refreshRegionIndicators). */
const COUNTY_TABLE = sql.raw('pg_temp.region_rollup_county');

/**
 * Rebuilds region_indicators from village and relocation-site figures (county → nation). Only in a
 * transaction (both callers, an import and the demo load, hold one): its temporary table lives on
 * one connection until the commit; outside one the statements fail loudly ("does not exist").
 */
export async function refreshRegionIndicators(db: Executor): Promise<void> {
  await db.execute(sql`DELETE FROM region_indicators`);
  // The county level goes through a temporary table: PostgreSQL runs no INSERT … SELECT with
  // parallel workers, but does run CREATE TABLE … AS so, and the scan and join of two million
  // village rows then take both cores (at the end of an import Node has nothing left to do; the
  // rollup is the last thing an import waits for). PGlite has no workers: the same, on one.
  await db.execute(sql`
    CREATE TEMP TABLE ${COUNTY_TABLE} (${COLUMNS}) ON COMMIT DROP AS
    WITH v AS (
      SELECT vl.county_code, vi.year,
        count(*) AS villages,
        count(*) FILTER (WHERE vl.poverty_village) AS poverty_villages,
        count(*) FILTER (WHERE vl.supervised) AS supervised_villages,
        sum(vi.population) AS population,
        sum(vi.lifted_population) AS lifted_population,
        sum(vi.per_capita_net_income * vi.lifted_population) / nullif(sum(vi.lifted_population), 0) AS income,
        sum(vi.labour_force) AS labour_force,
        sum(vi.employed_out_migrant + vi.employed_local) AS employed,
        sum(vi.employed_out_migrant) AS employed_out_migrant,
        sum(vi.employed_local) AS employed_local,
        sum(vi.public_welfare_posts) AS public_welfare_posts,
        sum(vi.workshop_jobs) AS workshop_jobs,
        sum(vi.monitored_unstable + vi.monitored_marginal + vi.monitored_sudden_hardship) AS monitored,
        sum(vi.monitored_risk_removed) AS risk_removed
      FROM village_indicators vi JOIN villages vl ON vl.code = vi.village_code
      GROUP BY vl.county_code, vi.year
    ), s AS (
      SELECT rs.county_code, si.year, count(*) AS sites, sum(si.households) AS households, sum(si.people) AS people,
        sum(si.labour_households) AS labour_households, sum(si.employed) AS employed,
        sum(si.zero_employment_households) AS zero_employment
      FROM relocation_site_indicators si JOIN relocation_sites rs ON rs.id = si.site_id
      GROUP BY rs.county_code, si.year
    )
    SELECT coalesce(v.county_code, s.county_code), 'county', coalesce(v.year, s.year),
      coalesce(v.villages, 0), coalesce(v.poverty_villages, 0), coalesce(v.supervised_villages, 0),
      coalesce(v.population, 0), coalesce(v.lifted_population, 0), v.income,
      coalesce(v.labour_force, 0), coalesce(v.employed, 0), coalesce(v.employed_out_migrant, 0),
      coalesce(v.employed_local, 0), coalesce(v.public_welfare_posts, 0), coalesce(v.workshop_jobs, 0),
      coalesce(v.monitored, 0), coalesce(v.risk_removed, 0), coalesce(s.sites, 0), coalesce(s.households, 0),
      coalesce(s.people, 0), coalesce(s.labour_households, 0), coalesce(s.employed, 0), coalesce(s.zero_employment, 0)
    FROM v FULL JOIN s ON s.county_code = v.county_code AND s.year = v.year`);
  await db.execute(sql`INSERT INTO region_indicators (${COLUMNS}) SELECT ${COLUMNS} FROM ${COUNTY_TABLE}`);
  await db.execute(sql`DROP TABLE ${COUNTY_TABLE}`);
  for (const [level, parent] of [
    ['prefecture', sql.raw('r.prefecture_code')],
    ['province', sql.raw('r.province_code')],
    ['nation', sql.raw(`'00'`)],
  ] as const) {
    await db.execute(sql`
      INSERT INTO region_indicators (${COLUMNS})
      SELECT ${parent}, ${level}, ri.year, ${SUMMED}
      FROM region_indicators ri JOIN regions r ON r.code = ri.region_code
      WHERE ri.level = 'county' AND ${parent} IS NOT NULL
      GROUP BY 1, 3`);
  }
}
