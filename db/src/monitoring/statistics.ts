// What leaders watch of the monitoring (防止返贫动态监测), per region and year: households under
// monitoring at the end of the year, newly identified and risk removed in it, the removal rate,
// those with no measure yet, under the line; and today's state of small loans and the early
// warning. Counts only: public like the other aggregates.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { todaySql } from '../queries/ledger.ts';
import type { HouseholdType, RiskCause } from '../tables/monitoring.ts';
import { householdsUnderLineSql, riskRemovedShareSql } from './figures.ts';
import {
  earlyWarningAgainst,
  householdsIn,
  identifiedBy,
  monitoredAt,
  removedAt,
  underLineIn,
} from './rules.ts';

export type MonitoringLevel = 'province' | 'prefecture' | 'county';

export interface MonitoringStatsRow {
  code: string;
  name: string;
  level: MonitoringLevel;
  year: number;
  /** Under monitoring at the end of the year: identified by then and not yet risk removed. */
  monitored: number;
  /** Identified during the year. */
  identified: number;
  /** Risk removed during the year. */
  riskRemoved: number;
  /** Of all identified by the end of the year, the share risk removed by then (0–1; null if none). */
  removalRate: number | null;
  /** Under monitoring at the end of the year with no measure started by then. */
  withoutMeasure: number;
  /**
   * Under monitoring at the end of the year whose income of that year is under the province's line
   * of that year; null when no household's income of that year is stored.
   */
  underLine: number | null;
  /** Households whose income year has no stored line (not measured against any line). */
  withoutLine: number;
  /** Today: households the early-warning rule flags. */
  earlyWarning: number;
  /** Today: small loans not repaid, yuan. */
  smallLoanBalance: number;
  /** Today: of that balance, the share overdue (0–1; null without a balance). */
  smallLoanOverdueShare: number | null;
}

const GROUP: Record<MonitoringLevel, SQL> = {
  province: sql`c.province_code`,
  prefecture: sql`c.prefecture_code`,
  county: sql`c.code`,
};

/**
 * The statistics of every region of a level under `parentCode` (a code prefix, or null for the
 * country) for one year, from the counts stored per region (figures.ts): a key lookup per region.
 * When today's part of them is of an earlier day (the hourly job has not recounted yet since
 * midnight), counted from the households instead: never yesterday's early warnings.
 */
export async function monitoringStats(
  db: Executor,
  query: { level: MonitoringLevel; parentCode: string | null; year: number },
): Promise<MonitoringStatsRow[]> {
  const parent = query.parentCode ?? '';
  const rows = await queryRows<MonitoringStatsRow & { fresh: boolean }>(
    db,
    sql`SELECT r.code, r.name, r.level, f.year, (f.identified - f.risk_removed) AS monitored,
          f.identified_in_year AS identified, f.removed_in_year AS "riskRemoved",
          ${riskRemovedShareSql('f')} AS "removalRate", f.without_measure AS "withoutMeasure",
          ${householdsUnderLineSql('f')}::int AS "underLine", t.without_line AS "withoutLine",
          t.early_warning AS "earlyWarning", t.loan_balance_yuan::float8 AS "smallLoanBalance",
          t.loan_overdue_yuan::float8 / nullif(t.loan_balance_yuan, 0)::float8 AS "smallLoanOverdueShare",
          t.as_of = ${todaySql} AS fresh
        FROM region_monitoring_figures f
          JOIN region_monitoring_today t ON t.region_code = f.region_code
          JOIN regions r ON r.code = f.region_code
        WHERE f.level = ${query.level} AND f.year = ${query.year}
          AND left(f.region_code, ${parent.length}) = ${parent}
        ORDER BY r.code`,
  );
  if (rows.some((r) => !r.fresh)) return monitoringStatsCounted(db, query);
  return rows.map(({ fresh: _, ...row }) => row);
}

/**
 * The same statistics counted from the households: one pass over them (their measure summary
 * stands in for their measures), per county, then summed up to the level through the region table.
 * What monitoringStats falls back to, and what the tests hold the stored counts against.
 */
export function monitoringStatsCounted(
  db: Executor,
  query: { level: MonitoringLevel; parentCode: string | null; year: number },
): Promise<MonitoringStatsRow[]> {
  const start = sql`${`${query.year}-01-01`}::date`;
  const end = sql`${`${query.year}-12-31`}::date`;
  const inStock = monitoredAt(end);
  const warned = earlyWarningAgainst(sql`l.line_yuan`);
  return queryRows<MonitoringStatsRow>(
    db,
    sql`WITH per_county AS (
          SELECT h.county_code,
            count(*) FILTER (WHERE ${inStock}) AS monitored,
            count(*) FILTER (WHERE h.identified_on BETWEEN ${start} AND ${end}) AS identified,
            count(*) FILTER (WHERE h.removed_on BETWEEN ${start} AND ${end}) AS removed,
            count(*) FILTER (WHERE ${identifiedBy(end)}) AS ever,
            count(*) FILTER (WHERE ${removedAt(end)}) AS gone,
            count(*) FILTER (WHERE ${inStock} AND NOT coalesce(h.first_measure_on <= ${end}, false)) AS without_measure,
            count(*) FILTER (WHERE h.income_year = ${query.year}) AS assessed,
            count(*) FILTER (WHERE ${underLineIn(sql`${query.year}::int`, end, sql`l.line_yuan`)}) AS under_line,
            count(*) FILTER (WHERE h.income_year IS NOT NULL AND l.line_yuan IS NULL) AS without_line,
            count(*) FILTER (WHERE ${warned}) AS warned,
            sum(h.loan_balance_yuan) AS balance, sum(h.loan_overdue_yuan) AS overdue
          FROM households h
          LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
          ${query.parentCode ? sql`WHERE ${householdsIn(query.parentCode)}` : sql``}
          GROUP BY h.county_code
        )
        SELECT r.code, r.name, r.level, ${query.year}::int AS year,
          sum(p.monitored)::int AS monitored, sum(p.identified)::int AS identified, sum(p.removed)::int AS "riskRemoved",
          sum(p.gone)::float8 / nullif(sum(p.ever), 0)::float8 AS "removalRate",
          sum(p.without_measure)::int AS "withoutMeasure",
          CASE WHEN sum(p.assessed) > 0 THEN sum(p.under_line)::int END AS "underLine",
          sum(p.without_line)::int AS "withoutLine", sum(p.warned)::int AS "earlyWarning",
          sum(p.balance)::float8 AS "smallLoanBalance",
          sum(p.overdue)::float8 / nullif(sum(p.balance), 0)::float8 AS "smallLoanOverdueShare"
        FROM per_county p JOIN regions c ON c.code = p.county_code JOIN regions r ON r.code = ${GROUP[query.level]}
        GROUP BY r.code, r.name, r.level ORDER BY r.code`,
  );
}

/** Today, as the statistics use it (China's day), for tests and answers that show it. */
export async function monitoringToday(db: Executor): Promise<string> {
  const [row] = await queryRows<{ today: string }>(db, sql`SELECT ${todaySql}::text AS today`);
  return row!.today;
}

/** The two monitoring indicators of a region in one year, as the map colours them. */
export interface HouseholdFiguresRow {
  code: string;
  year: number;
  riskRemovedShare: number | null;
  householdsUnderLine: number | null;
}

/**
 * RISK_REMOVED_SHARE and HOUSEHOLDS_UNDER_LINE (filters.ts householdIndicatorSql says what they
 * mean) of some regions in every monitoring year, from their stored counts (figures.ts).
 */
export function householdFiguresByRegion(
  db: Executor,
  codes: readonly string[],
): Promise<HouseholdFiguresRow[]> {
  if (!codes.length) return Promise.resolve([]);
  return queryRows<HouseholdFiguresRow>(
    db,
    sql`SELECT f.region_code AS code, f.year, ${riskRemovedShareSql('f')} AS "riskRemovedShare",
          ${householdsUnderLineSql('f')} AS "householdsUnderLine"
        FROM region_monitoring_figures f
        WHERE f.region_code = ANY(string_to_array(${codes.join(',')}, ','))
        ORDER BY f.region_code, f.year`,
  );
}

/** A region's monitored households broken down, for the county page (counts only). */
export interface MonitoringBreakdown {
  /** Households of each type: under monitoring now, and risk removed. */
  byType: { type: HouseholdType; monitoring: number; riskRemoved: number }[];
  /** Households under monitoring now with each cause (a household with two causes counts twice). */
  byCause: { cause: RiskCause; households: number }[];
  /** Month by month ('YYYY-MM'), from the first identification: identified and risk removed. */
  byMonth: { month: string; identified: number; riskRemoved: number }[];
}

/** The breakdown of the households under a region code (2, 4 or 6 digits). */
export async function monitoringBreakdown(db: Executor, regionCode: string): Promise<MonitoringBreakdown> {
  const inRegion = householdsIn(regionCode);
  const [byType, byCause, byMonth] = await Promise.all([
    queryRows<MonitoringBreakdown['byType'][number]>(
      db,
      sql`SELECT h.type, count(*) FILTER (WHERE h.status = 'monitoring')::int AS monitoring,
            count(*) FILTER (WHERE h.status = 'risk_removed')::int AS "riskRemoved"
          FROM households h WHERE ${inRegion} GROUP BY h.type ORDER BY h.type`,
    ),
    queryRows<MonitoringBreakdown['byCause'][number]>(
      db,
      sql`SELECT c.cause, count(*)::int AS households
          FROM households h CROSS JOIN LATERAL unnest(h.causes) AS c(cause)
          WHERE ${inRegion} AND h.status = 'monitoring' GROUP BY c.cause ORDER BY count(*) DESC, c.cause`,
    ),
    queryRows<MonitoringBreakdown['byMonth'][number]>(
      db,
      sql`WITH moves AS (
            SELECT to_char(h.identified_on, 'YYYY-MM') AS month, 1 AS identified, 0 AS removed FROM households h WHERE ${inRegion}
            UNION ALL
            SELECT to_char(h.removed_on, 'YYYY-MM'), 0, 1 FROM households h WHERE ${inRegion} AND h.removed_on IS NOT NULL)
          SELECT month, sum(identified)::int AS identified, sum(removed)::int AS "riskRemoved"
          FROM moves GROUP BY month ORDER BY month`,
    ),
  ]);
  return { byType, byCause, byMonth };
}
