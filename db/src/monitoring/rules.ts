// The rules of 防止返贫监测, each written once as SQL over a household row `h`: the lists, the
// statistics, the map's indicators and the county series all count with these, so "under
// monitoring", "under the line" and "early warning" mean the same thing everywhere.
import { type SQL, sql } from 'drizzle-orm';
import { todaySql } from '../queries/ledger.ts';
import { EARLY_WARNING_MARGIN } from '../tables/monitoring.ts';

/** Under monitoring at the end of a day: identified by then, and not yet risk removed. */
export const monitoredAt = (end: SQL) =>
  sql`(h.identified_on <= ${end} AND (h.removed_on IS NULL OR h.removed_on > ${end}))`;

/** The province's line of the year of the household's income (a correlated lookup by primary key). */
export const provinceLineSql = sql`(SELECT l.line_yuan FROM monitoring_lines l
  WHERE l.province_code = left(h.county_code, 2) AND l.year = h.income_year)`;

/** A measure still running today (China's day), from the household's measure summary (measures.ts). */
export const activeMeasureSql = sql`coalesce(h.measures_until >= ${todaySql}, false)`;

/** Last income under `line` raised by `plusPercent` (null without a line: never "under"). */
export const incomeUnder = (line: SQL, plusPercent = 0) =>
  sql`h.income_per_capita < ${line} * ${1 + plusPercent / 100}::float8`;

/** 预警: monitored now, income under the line + 10 %, and no measure running today. */
export const earlyWarningAgainst = (line: SQL) =>
  sql`(h.status = 'monitoring' AND ${incomeUnder(line, EARLY_WARNING_MARGIN * 100)} AND NOT ${activeMeasureSql})`;

/** Aggregate: of the households identified by `end`, the share whose risk was removed by then. */
export const riskRemovedShareOf = (end: SQL) =>
  sql`(count(*) FILTER (WHERE h.removed_on <= ${end}))::float8 / nullif(count(*) FILTER (WHERE h.identified_on <= ${end}), 0)`;

/**
 * Aggregate: households monitored at `end` whose income of `year` is under `line`; null when no
 * household's income of that year is stored (not assessed, which is not zero).
 */
export const underLineCountOf = (year: SQL, end: SQL, line: SQL) =>
  sql`CASE WHEN count(*) FILTER (WHERE h.income_year = ${year}) > 0 THEN
    (count(*) FILTER (WHERE ${monitoredAt(end)} AND h.income_year = ${year} AND ${incomeUnder(line)}))::int END`;
