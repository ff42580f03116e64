// The map's two monitoring indicators per region and year (table region_monitoring_figures,
// migration 0018): of the households identified by the year's end, those whose risk was removed
// by then (RISK_REMOVED_SHARE), and those monitored at the year's end whose income of the year is
// under their province's line (HOUSEHOLDS_UNDER_LINE). Counted here from the household rows with
// the rules of rules.ts, per county, then summed to prefectures, provinces and the nation; read
// by the map, the lists and RegionYear with one key lookup per region. Whatever moves a
// household, sets a line or imports households refreshes them in its own transaction.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { LAST_YEAR } from '../facts.ts';
import { MONITORING_FIRST_YEAR } from '../tables/monitoring.ts';
import { countyCodesIn, identifiedBy, removedAt, underLineIn } from './rules.ts';

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

/** Recounts the counties `counties` selects (a condition on a county code column), then every level above. */
async function recount(tx: Executor, counties: (column: SQL) => SQL): Promise<void> {
  const end = sql`make_date(y.year, 12, 31)`;
  await tx.execute(
    sql`DELETE FROM region_monitoring_figures f WHERE f.level <> 'county' OR ${counties(sql`f.region_code`)}`,
  );
  await tx.execute(sql`INSERT INTO region_monitoring_figures (region_code, level, year, identified, risk_removed, assessed, under_line)
    SELECT h.county_code, 'county', y.year,
      count(*) FILTER (WHERE ${identifiedBy(end)}), count(*) FILTER (WHERE ${removedAt(end)}),
      count(*) FILTER (WHERE h.income_year = y.year), count(*) FILTER (WHERE ${underLineIn(sql`y.year`, end, sql`l.line_yuan`)})
    FROM (SELECT * FROM households x WHERE ${counties(sql`x.county_code`)}) h
      CROSS JOIN generate_series(${MONITORING_FIRST_YEAR}::int, ${LAST_YEAR}::int) AS y(year)
      LEFT JOIN monitoring_lines l ON l.province_code = left(h.county_code, 2) AND l.year = h.income_year
    GROUP BY h.county_code, y.year`);
  for (const [level, parent] of [
    ['prefecture', sql`r.prefecture_code`],
    ['province', sql`r.province_code`],
    ['nation', sql`'00'`],
  ] as const)
    await tx.execute(sql`INSERT INTO region_monitoring_figures (region_code, level, year, identified, risk_removed, assessed, under_line)
      SELECT ${parent}, ${level}, f.year, sum(f.identified), sum(f.risk_removed), sum(f.assessed), sum(f.under_line)
      FROM region_monitoring_figures f JOIN regions r ON r.code = f.region_code
      WHERE f.level = 'county' AND ${parent} IS NOT NULL
      GROUP BY 1, 3`);
}

/** Fills the table once where households exist and it is empty (a database from before migration 0018). */
export async function fillMonitoringFiguresIfMissing(tx: Executor): Promise<void> {
  const [state] = await queryRows<{ missing: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM households) AND NOT EXISTS (SELECT 1 FROM region_monitoring_figures) AS missing`,
  );
  if (state?.missing) await refreshMonitoringFigures(tx);
}

/** RISK_REMOVED_SHARE of a region_monitoring_figures row `f`. */
export const riskRemovedShareSql = (f: string): SQL =>
  sql`${sql.raw(f)}.risk_removed::float8 / nullif(${sql.raw(f)}.identified, 0)`;

/** HOUSEHOLDS_UNDER_LINE of a row `f`: null when no household's income of the year was assessed (not zero). */
export const householdsUnderLineSql = (f: string): SQL =>
  sql`CASE WHEN ${sql.raw(f)}.assessed > 0 THEN ${sql.raw(f)}.under_line::float8 END`;
