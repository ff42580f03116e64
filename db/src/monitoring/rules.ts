// The rules of 防止返贫监测, each written once as SQL over a household row `h`: the lists, the
// statistics, the map's indicators and the county series all count with these, so "under
// monitoring", "under the line" and "early warning" mean the same thing everywhere.
import { type SQL, sql } from 'drizzle-orm';
import { todaySql } from '../queries/ledger.ts';
import { EARLY_WARNING_MARGIN } from '../tables/monitoring.ts';

/**
 * Risk removed at the end of a day: removed by then, and — for a household whose risk has since
 * returned — not yet re-identified by then. A re-identified household keeps its last removal
 * (migration 0019), so the years it spent removed stay counted as such. (Of a household removed
 * and re-identified more than once, only the last spell of removal is on the row.)
 */
export const removedAt = (end: SQL) =>
  sql`(h.removed_on <= ${end} AND (h.status = 'risk_removed' OR h.reidentified_on > ${end}))`;

/** Under monitoring at the end of a day: identified by then, and not risk removed at that time. */
export const monitoredAt = (end: SQL) =>
  sql`(h.identified_on <= ${end} AND NOT coalesce(${removedAt(end)}, false))`;

/**
 * County codes under a region code prefix ('' for all): a county's by equality, a prefecture's or
 * province's by a range. A range, not LIKE: a btree index serves it whatever the database's
 * collation (LIKE needs the C collation).
 */
export function countyCodesIn(column: SQL, prefix: string): SQL {
  if (prefix.length === 6) return sql`${column} = ${prefix}`;
  return sql`${column} BETWEEN ${prefix.padEnd(6, '0')} AND ${prefix.padEnd(6, '9')}`;
}

/** The households of a region by code prefix: up to a county by county code, below it by village code. */
export function householdsIn(prefix: string, alias = 'h'): SQL {
  const h = sql.raw(alias);
  if (prefix.length <= 6) return countyCodesIn(sql`${h}.county_code`, prefix);
  // households_village_idx is text_pattern_ops: a prefix LIKE is its range.
  return sql`${h}.village_code LIKE ${`${prefix}%`}`;
}

/** The province's line of the year of the household's income (a correlated lookup by primary key). */
export const provinceLineSql = sql`(SELECT l.line_yuan FROM monitoring_lines l
  WHERE l.province_code = left(h.county_code, 2) AND l.year = h.income_year)`;

/** A measure still running today (China's day), from the household's measure summary (measures.ts). */
export const activeMeasureSql = sql`coalesce(h.measures_until >= ${todaySql}, false)`;

/**
 * Last income under `line`, or — given `plusPercent` — under it or within that share above it,
 * the bound included ("within 10 % above": exactly 10 % above counts). Null without a line: never.
 */
export const incomeUnder = (line: SQL, plusPercent = 0) =>
  plusPercent > 0
    ? sql`h.income_per_capita <= ${line} * ${1 + plusPercent / 100}::float8`
    : sql`h.income_per_capita < ${line}`;

/** 预警: monitored now, income under the line + 10 %, and no measure running today. */
export const earlyWarningAgainst = (line: SQL) =>
  sql`(h.status = 'monitoring' AND ${incomeUnder(line, EARLY_WARNING_MARGIN * 100)} AND NOT ${activeMeasureSql})`;

/** Identified by the end of a day (the first identification). */
export const identifiedBy = (end: SQL) => sql`h.identified_on <= ${end}`;

/** Monitored at `end`, income of `year` assessed and under `line` (the map's HOUSEHOLDS_UNDER_LINE). */
export const underLineIn = (year: SQL, end: SQL, line: SQL) =>
  sql`(${monitoredAt(end)} AND h.income_year = ${year} AND ${incomeUnder(line)})`;
