// The monitoring counts per region, stored (migrations 0018 and 0021) so that the map, the lists,
// RegionYear and monitoringStats read them with a key lookup per region instead of a pass over the
// households per request:
// - region_monitoring_figures, per region and year: of the households identified by the year's end,
//   those whose risk was removed by then (RISK_REMOVED_SHARE); those whose income of the year is
//   assessed, and of the monitored ones under their province's line (HOUSEHOLDS_UNDER_LINE);
//   identified and removed in the year; monitored at its end with no measure yet;
// - region_monitoring_today, per region: today's early warnings, small-loan balance and overdue
//   amount, and households whose income year has no line, with the day they were counted on.
// Counted here from the household rows with the rules of rules.ts, per county, then summed to
// prefectures, provinces and the nation. Whatever moves a household, records a measure, sets a line
// or imports refreshes the counties it touched in its own transaction; the early warning also
// changes when a day begins (a measure's end passes), which the hourly job recounts
// (refreshMonitoringToday), and a read that finds yesterday's counts counts live instead.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { LAST_YEAR } from '../facts.ts';
import { todaySql } from '../queries/ledger.ts';
import { MONITORING_FIRST_YEAR } from '../tables/monitoring.ts';
import {
  countyCodesIn,
  earlyWarningAgainst,
  identifiedBy,
  monitoredAt,
  removedAt,
  underLineIn,
} from './rules.ts';

/**
 * Recounts the counties under `regionCode` (a code prefix: a county's, a province's; '' for all)
 * from their households, and every prefecture, province and the nation from the counties.
 */
export async function refreshMonitoringFigures(tx: Executor, regionCode = ''): Promise<void> {
  if (!/^(\d{2}|\d{4}|\d{6})?$/.test(regionCode))
    throw new Error(`not a county, prefecture or province code: "${regionCode}"`);
  await recount(tx, (column) => countyCodesIn(column, regionCode));
}

/** Recounts the counties a query names (one column of county codes), e.g. those an import touched. */
export async function refreshMonitoringFiguresOf(tx: Executor, countyCodes: SQL): Promise<void> {
  await recount(tx, (column) => sql`${column} IN (${countyCodes})`);
}

/** The levels above a county, each by the column of `regions` that names a county's region of it. */
const LEVELS_ABOVE = [
  ['prefecture', sql`r.prefecture_code`],
  ['province', sql`r.province_code`],
  ['nation', sql`'00'`],
] as const;

/** Recounts the counties `counties` selects (a condition on a county code column), then every level above. */
async function recount(tx: Executor, counties: (column: SQL) => SQL): Promise<void> {
  const end = sql`make_date(y.year, 12, 31)`;
  const start = sql`make_date(y.year, 1, 1)`;
  await tx.execute(
    sql`DELETE FROM region_monitoring_figures f WHERE f.level <> 'county' OR ${counties(sql`f.region_code`)}`,
  );
  await tx.execute(sql`INSERT INTO region_monitoring_figures (region_code, level, year, identified, risk_removed,
      assessed, under_line, identified_in_year, removed_in_year, without_measure)
    SELECT h.county_code, 'county', y.year,
      count(*) FILTER (WHERE ${identifiedBy(end)}), count(*) FILTER (WHERE ${removedAt(end)}),
      count(*) FILTER (WHERE h.income_year = y.year), count(*) FILTER (WHERE ${underLineIn(sql`y.year`, end, sql`l.line_yuan`)}),
      count(*) FILTER (WHERE h.identified_on BETWEEN ${start} AND ${end}),
      count(*) FILTER (WHERE h.removed_on BETWEEN ${start} AND ${end}),
      count(*) FILTER (WHERE ${monitoredAt(end)} AND NOT coalesce(h.first_measure_on <= ${end}, false))
    FROM (SELECT * FROM households x WHERE ${counties(sql`x.county_code`)}) h
      CROSS JOIN generate_series(${MONITORING_FIRST_YEAR}::int, ${LAST_YEAR}::int) AS y(year)
      LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
    GROUP BY h.county_code, y.year`);
  for (const [level, parent] of LEVELS_ABOVE)
    await tx.execute(sql`INSERT INTO region_monitoring_figures (region_code, level, year, identified, risk_removed,
        assessed, under_line, identified_in_year, removed_in_year, without_measure)
      SELECT ${parent}, ${level}, f.year, sum(f.identified), sum(f.risk_removed), sum(f.assessed), sum(f.under_line),
        sum(f.identified_in_year), sum(f.removed_in_year), sum(f.without_measure)
      FROM region_monitoring_figures f JOIN regions r ON r.code = f.region_code
      WHERE f.level = 'county' AND ${parent} IS NOT NULL
      GROUP BY 1, 3`);
  await recountToday(tx, counties);
}

/** Recounts today's counts of the counties `counties` selects, then every level above (as of their oldest day). */
async function recountToday(tx: Executor, counties: (column: SQL) => SQL): Promise<void> {
  await tx.execute(
    sql`DELETE FROM region_monitoring_today t WHERE t.level <> 'county' OR ${counties(sql`t.region_code`)}`,
  );
  await tx.execute(sql`INSERT INTO region_monitoring_today (region_code, level, as_of, early_warning, loan_balance_yuan,
      loan_overdue_yuan, without_line)
    SELECT h.county_code, 'county', ${todaySql}, count(*) FILTER (WHERE ${earlyWarningAgainst(sql`l.line_yuan`)}),
      coalesce(sum(h.loan_balance_yuan), 0), coalesce(sum(h.loan_overdue_yuan), 0),
      count(*) FILTER (WHERE h.income_year IS NOT NULL AND l.line_yuan IS NULL)
    FROM (SELECT * FROM households x WHERE ${counties(sql`x.county_code`)}) h
      LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
    GROUP BY h.county_code`);
  for (const [level, parent] of LEVELS_ABOVE)
    await tx.execute(sql`INSERT INTO region_monitoring_today (region_code, level, as_of, early_warning, loan_balance_yuan,
        loan_overdue_yuan, without_line)
      SELECT ${parent}, ${level}, min(t.as_of), sum(t.early_warning), sum(t.loan_balance_yuan), sum(t.loan_overdue_yuan),
        sum(t.without_line)
      FROM region_monitoring_today t JOIN regions r ON r.code = t.region_code
      WHERE t.level = 'county' AND ${parent} IS NOT NULL
      GROUP BY 1`);
}

/**
 * Recounts today's counts where they are of an earlier day (the hourly job, after China's
 * midnight: a measure that ended yesterday may have put a household under early warning). Returns
 * whether it did.
 */
export async function refreshMonitoringToday(tx: Executor): Promise<boolean> {
  const [state] = await queryRows<{ stale: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM region_monitoring_today WHERE as_of < ${todaySql}) AS stale`,
  );
  if (!state?.stale) return false;
  await recountToday(tx, () => sql`true`);
  return true;
}

/** Fills the table once where households exist and it is empty (a database from before migration 0018). */
export async function fillMonitoringFiguresIfMissing(tx: Executor): Promise<void> {
  const [state] = await queryRows<{ missing: boolean }>(
    tx,
    // Not while a first start's households are half loaded: their load counts them when it ends.
    sql`SELECT EXISTS (SELECT 1 FROM households) AND NOT EXISTS (SELECT 1 FROM region_monitoring_figures)
          AND NOT EXISTS (SELECT 1 FROM dataset WHERE households_pending IS NOT NULL) AS missing`,
  );
  if (state?.missing) await refreshMonitoringFigures(tx);
}

/** RISK_REMOVED_SHARE of a region_monitoring_figures row `f`. */
export const riskRemovedShareSql = (f: string): SQL =>
  sql`${sql.raw(f)}.risk_removed::float8 / nullif(${sql.raw(f)}.identified, 0)`;

/** HOUSEHOLDS_UNDER_LINE of a row `f`: null when no household's income of the year was assessed (not zero). */
export const householdsUnderLineSql = (f: string): SQL =>
  sql`CASE WHEN ${sql.raw(f)}.assessed > 0 THEN ${sql.raw(f)}.under_line::float8 END`;
