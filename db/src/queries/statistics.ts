// Aggregates by region for a year, always from the county rows of the rollup (≤ 2,900 rows), so
// that designation filters can apply and every level sums consistently.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { regionIndicators } from '../tables/rollup.ts';
import { type Indicator, regionIndicatorSql, villageIndicatorSql } from './filters.ts';
import { problemCountsBy } from './ledger.ts';

export type RegionLevel = 'province' | 'prefecture' | 'county';

/** How many digits a region code of each level has (a county's code begins with its province's 2). */
export const REGION_CODE_DIGITS: Record<RegionLevel, number> = { province: 2, prefecture: 4, county: 6 };

export interface RegionStatsFilter {
  povertyCounty?: boolean | null;
  keyAssistance?: boolean | null;
  supervised?: boolean | null;
}

/** The region's counties by designation, the sums of their rollup figures, and their open and overdue problems. */
export type RegionStatRow = Pick<
  typeof regionIndicators.$inferSelect,
  | 'villages'
  | 'povertyVillages'
  | 'supervisedVillages'
  | 'population'
  | 'liftedPopulation'
  | 'perCapitaNetIncome'
  | 'labourForce'
  | 'employed'
  | 'employedOutMigrant'
  | 'publicWelfarePosts'
  | 'monitoredHouseholds'
  | 'relocationSites'
  | 'relocatedPeople'
  | 'zeroEmploymentHouseholds'
> & {
  /** Null on the parent total row. */
  code: string | null;
  name: string | null;
  counties: number;
  povertyCounties: number;
  keyAssistanceCounties: number;
  supervisedCounties: number;
  openProblems: number;
  overdueProblems: number;
};

const GROUP_KEY: Record<RegionLevel, SQL> = {
  province: sql`r.province_code`,
  prefecture: sql`r.prefecture_code`,
  county: sql`r.code`,
};

/**
 * One row per region of `level` under `parentCode` (or nationwide), and a last row with
 * code = null holding the parent's total, for the counties matching `filter`.
 */
export async function regionStats(
  db: Executor,
  args: { level: RegionLevel; year: number; parentCode?: string | null; filter?: RegionStatsFilter | null },
): Promise<RegionStatRow[]> {
  const conditions: SQL[] = [sql`r.level = 'county'`];
  if (args.parentCode) conditions.push(sql`r.code LIKE ${`${args.parentCode}%`}`);
  const flag = (column: string, value: boolean | null | undefined) => {
    if (value != null) conditions.push(sql`coalesce(${sql.raw(`d.${column}`)}, false) = ${value}`);
  };
  flag('poverty_county', args.filter?.povertyCounty);
  flag('key_assistance', args.filter?.keyAssistance);
  flag('supervised', args.filter?.supervised);
  const key = GROUP_KEY[args.level];
  const rows = await queryRows<RegionStatRow & { total: boolean }>(
    db,
    sql`WITH problems AS (${problemCountsBy('county_code')})
      , stats AS (
        SELECT ${key} AS code, grouping(${key}) = 1 AS total,
          count(*)::int AS counties,
          count(*) FILTER (WHERE d.poverty_county)::int AS "povertyCounties",
          count(*) FILTER (WHERE d.key_assistance)::int AS "keyAssistanceCounties",
          count(*) FILTER (WHERE d.supervised)::int AS "supervisedCounties",
          coalesce(sum(ri.villages), 0)::int AS villages,
          coalesce(sum(ri.poverty_villages), 0)::int AS "povertyVillages",
          coalesce(sum(ri.supervised_villages), 0)::int AS "supervisedVillages",
          coalesce(sum(ri.population), 0)::float8 AS population,
          coalesce(sum(ri.lifted_population), 0)::float8 AS "liftedPopulation",
          sum(ri.per_capita_net_income * ri.lifted_population) FILTER (WHERE ri.per_capita_net_income IS NOT NULL)
            / nullif(sum(ri.lifted_population) FILTER (WHERE ri.per_capita_net_income IS NOT NULL), 0) AS "perCapitaNetIncome",
          coalesce(sum(ri.labour_force), 0)::float8 AS "labourForce",
          coalesce(sum(ri.employed), 0)::float8 AS employed,
          coalesce(sum(ri.employed_out_migrant), 0)::float8 AS "employedOutMigrant",
          coalesce(sum(ri.public_welfare_posts), 0)::float8 AS "publicWelfarePosts",
          coalesce(sum(ri.monitored_households), 0)::float8 AS "monitoredHouseholds",
          coalesce(sum(ri.relocation_sites), 0)::int AS "relocationSites",
          coalesce(sum(ri.relocated_people), 0)::float8 AS "relocatedPeople",
          coalesce(sum(ri.zero_employment_households), 0)::float8 AS "zeroEmploymentHouseholds",
          coalesce(sum(p.open), 0)::int AS "openProblems",
          coalesce(sum(p.overdue), 0)::int AS "overdueProblems"
        FROM regions r
        LEFT JOIN county_designations d ON d.county_code = r.code
        LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = ${args.year}
        LEFT JOIN problems p ON p.code = r.code
        WHERE ${sql.join(conditions, sql` AND `)} AND ${key} IS NOT NULL
        GROUP BY GROUPING SETS ((${key}), ())
      )
      SELECT stats.*, CASE WHEN stats.total THEN NULL ELSE n.name END AS name
      FROM stats LEFT JOIN regions n ON n.code = stats.code AND NOT stats.total
      ORDER BY stats.total, stats.code`,
  );
  return rows.map(({ total, ...r }) => ({ ...r, code: total ? null : r.code }));
}

export interface ChoroplethValueRow {
  code: string;
  name: string;
  value: number | null;
  /**
   * Set where the value is null: whether any village of the dataset lies in the region, which
   * tells "no monitored villages here" (false) from "villages, but no figure for the year" (true).
   */
  hasVillages?: boolean | null;
}

/**
 * The indicator's value for every region of `level` under `parentCode` (null: no data). With
 * `change`, the value is this year's minus the previous year's (null where either is missing).
 */
export async function choroplethValues(
  db: Executor,
  args: {
    level: RegionLevel;
    indicator: Indicator;
    year: number;
    parentCode?: string | null;
    change?: boolean;
    /** Probe why a value is missing (hasVillages); not needed for years that only size the breaks. */
    explainMissing?: boolean;
  },
): Promise<ChoroplethValueRow[]> {
  const conditions: SQL[] = [sql`r.level = ${args.level}`];
  if (args.parentCode) conditions.push(sql`r.code LIKE ${`${args.parentCode}%`}`);
  const value = args.change
    ? sql`${regionIndicatorSql(args.indicator, 'ri')} - ${regionIndicatorSql(args.indicator, 'prev')}`
    : regionIndicatorSql(args.indicator, 'ri');
  const previous = args.change
    ? sql`LEFT JOIN region_indicators prev ON prev.region_code = r.code AND prev.year = ${args.year - 1}`
    : sql``;
  return queryRows<ChoroplethValueRow>(
    db,
    // The village probe runs for null values only (CASE is lazy), as a range on the county index:
    // a region's villages are those whose county code starts with the region's code.
    sql`SELECT q.code, q.name, q.value,
          CASE WHEN q.value IS NULL AND ${args.explainMissing ?? true} THEN EXISTS (
            SELECT 1 FROM villages v
            WHERE v.county_code BETWEEN rpad(q.code, 6, '0') AND rpad(q.code, 6, '9')
          ) END AS "hasVillages"
        FROM (
          SELECT r.code, r.name, (${value})::float8 AS value
          FROM regions r LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = ${args.year}
          ${previous}
          WHERE ${sql.join(conditions, sql` AND `)}
        ) q ORDER BY q.code`,
  );
}

export interface RegionIncomesRow {
  code: string;
  name: string;
  incomes: number[];
}

/**
 * Every monitored village's per-capita net income in a year (rounded to the yuan), grouped by the
 * region of `level` it lies in and sorted ascending, so that a map can work out the share of
 * villages under any monitoring line without asking again.
 */
export async function villageIncomesByRegion(
  db: Executor,
  args: { level: RegionLevel; year: number; parentCode?: string | null },
): Promise<RegionIncomesRow[]> {
  const digits = REGION_CODE_DIGITS[args.level];
  const prefix = args.parentCode ? sql`AND v.county_code LIKE ${`${args.parentCode}%`}` : sql``;
  const rows = await queryRows<RegionIncomesRow>(
    db,
    sql`SELECT g.code, r.name, g.incomes FROM (
          SELECT left(v.county_code, ${digits}) AS code,
            array_agg(round(vi.per_capita_net_income)::int ORDER BY vi.per_capita_net_income) AS incomes
          FROM village_indicators vi JOIN villages v ON v.code = vi.village_code
          WHERE vi.year = ${args.year} ${prefix}
          GROUP BY 1
        ) g JOIN regions r ON r.code = g.code ORDER BY g.code`,
  );
  return rows;
}

export interface VillageValueRow {
  code: string;
  name: string;
  value: number | null;
  /** Null where the county has no boundary to place the village in. */
  lon: number | null;
  lat: number | null;
}

/**
 * The indicator's value for every monitored village of a county (null: no figure for the year, or
 * with `change` for this year or the last), with its location: a county drilled into on the map.
 * Null for an indicator villages do not have (the relocation figures belong to sites and regions).
 */
export async function villageChoroplethValues(
  db: Executor,
  args: { countyCode: string; indicator: Indicator; year: number; change?: boolean },
): Promise<VillageValueRow[] | null> {
  const now = villageIndicatorSql(args.indicator, 'vi');
  const before = villageIndicatorSql(args.indicator, 'prev');
  if (!now || !before) return null;
  const value = args.change ? sql`${now} - ${before}` : now;
  const previous = args.change
    ? sql`LEFT JOIN village_indicators prev ON prev.village_code = v.code AND prev.year = ${args.year - 1}`
    : sql``;
  return queryRows<VillageValueRow>(
    db,
    sql`SELECT v.code, v.name, (${value})::float8 AS value, ST_X(v.location) AS lon, ST_Y(v.location) AS lat
        FROM villages v
        LEFT JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = ${args.year}
        ${previous}
        WHERE v.county_code = ${args.countyCode}
        ORDER BY v.code`,
  );
}
