// Monitored households (监测户) as a list: filters by place, type, cause, status, income against
// the province's monitoring line, identification dates and measures; keyset pages by id, income or
// identification date. The line a household is measured against is its province's line of the year
// its income was assessed (monitoring_lines); a household whose year has no line is not "under the
// line" for any filter, and is counted apart in the statistics.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { KeysetPosition, Ordering, SortDirection } from '../queries/filters.ts';
import { todaySql } from '../queries/ledger.ts';
import { countList, type ListQuery, type ListRow, type PageResult, runList } from '../queries/lists.ts';
import type {
  HouseholdStatus,
  HouseholdType,
  LoanState,
  MeasureKind,
  RiskCause,
} from '../tables/monitoring.ts';
import {
  activeMeasureSql,
  earlyWarningAgainst,
  householdsIn,
  incomeUnder,
  provinceLineSql,
} from './rules.ts';

export interface HouseholdFilter {
  /** Code prefix: 2, 4 or 6 digits (province, prefecture, county), 9 (township) or 12 (village). */
  regionCode?: string | null;
  types?: readonly HouseholdType[] | null;
  /** Any of these causes. */
  causes?: readonly RiskCause[] | null;
  status?: HouseholdStatus | null;
  /**
   * Last income under the line raised by this many percent (0: under the line; 10: under it or
   * within 10 % above it).
   */
  incomeUnderLinePlusPercent?: number | null;
  /** Identified from / to (inclusive), ISO dates. */
  identifiedFrom?: string | null;
  identifiedTo?: string | null;
  /** With at least one measure of each of these kinds (ever). */
  withMeasures?: readonly MeasureKind[] | null;
  /** With no measure of any of these kinds (ever). */
  withoutMeasures?: readonly MeasureKind[] | null;
  /** With (true) or without (false) a measure that is still running. */
  activeMeasure?: boolean | null;
  /** The early-warning rule: monitored, income under the line + 10 %, no running measure. */
  earlyWarning?: boolean | null;
  /**
   * The reader's region: only households under it, whatever else the filter says. Set by the API
   * from the login ('' for a reader who may see every region), never by the client.
   */
  scope: string;
}

export type HouseholdOrderField = 'ID' | 'INCOME' | 'IDENTIFIED_ON';

export interface HouseholdOrder {
  field: HouseholdOrderField;
  direction?: SortDirection | null;
}

export interface HouseholdRow extends ListRow {
  id: number;
  number: string;
  /** 户主姓名, when a real deployment imported it (never in the demo); see maskName. */
  holderName: string | null;
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyCode: string;
  countyName: string;
  size: number;
  labour: number;
  type: HouseholdType;
  causes: RiskCause[];
  identifiedOn: string;
  incomeYear: number | null;
  incomePerCapita: number | null;
  /** The province's line of the income's year, when one is stored. */
  monitoringLine: number | null;
  status: HouseholdStatus;
  /** The last risk removal: kept when the household is re-identified. */
  removedOn: string | null;
  removalVerification: string | null;
  /** When the risk returned after the last removal (null: never re-identified since). */
  reidentifiedOn: string | null;
  /** Whether a measure is running today. */
  activeMeasure: boolean;
  earlyWarning: boolean;
  version: number;
}

/**
 * A holder's name as those who may not read it in full see it (and every export writes it): its
 * first character, then one * for each other character (张三 → 张*, 欧阳娜娜 → 欧***).
 */
export function maskName(name: string): string {
  const [first = '', ...rest] = [...name];
  return first + '*'.repeat(Math.max(rest.length, 1));
}

/** The early-warning rule as a condition on `h`, against its province's stored line. */
export const earlyWarningSql = earlyWarningAgainst(provinceLineSql);

const COLUMNS = sql`h.id, h.number, h.holder_name AS "holderName", h.village_code AS "villageCode", v.name AS "villageName",
  v.township_name AS "townshipName", h.county_code AS "countyCode", c.name AS "countyName",
  h.size::int AS size, h.labour::int AS labour, h.type, h.causes, h.identified_on::text AS "identifiedOn",
  h.income_year AS "incomeYear", h.income_per_capita AS "incomePerCapita", ${provinceLineSql} AS "monitoringLine",
  h.status, h.removed_on::text AS "removedOn", h.removal_verification AS "removalVerification",
  h.reidentified_on::text AS "reidentifiedOn",
  ${activeMeasureSql} AS "activeMeasure", coalesce(${earlyWarningSql}, false) AS "earlyWarning", h.version`;
const FROM = sql`households h JOIN villages v ON v.code = h.village_code JOIN regions c ON c.code = h.county_code`;

export function householdListQuery(
  filter: HouseholdFilter,
  order: HouseholdOrder = { field: 'ID' },
): ListQuery {
  const conditions: SQL[] = [];
  if (filter.scope) conditions.push(householdsIn(filter.scope));
  if (filter.regionCode) conditions.push(householdsIn(filter.regionCode));
  if (filter.types?.length) conditions.push(sql`h.type IN ${sqlList(filter.types)}`);
  if (filter.causes?.length)
    conditions.push(sql`h.causes && string_to_array(${filter.causes.join(',')}, ',')`);
  if (filter.status) conditions.push(sql`h.status = ${filter.status}`);
  if (filter.incomeUnderLinePlusPercent != null)
    conditions.push(incomeUnder(provinceLineSql, filter.incomeUnderLinePlusPercent));
  if (filter.identifiedFrom) conditions.push(sql`h.identified_on >= ${filter.identifiedFrom}::date`);
  if (filter.identifiedTo) conditions.push(sql`h.identified_on <= ${filter.identifiedTo}::date`);
  for (const kind of filter.withMeasures ?? [])
    conditions.push(
      sql`EXISTS (SELECT 1 FROM household_measures m WHERE m.household_id = h.id AND m.kind = ${kind})`,
    );
  if (filter.withoutMeasures?.length)
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM household_measures m WHERE m.household_id = h.id
      AND m.kind IN ${sqlList(filter.withoutMeasures)})`);
  if (filter.activeMeasure != null)
    conditions.push(filter.activeMeasure ? activeMeasureSql : sql`NOT ${activeMeasureSql}`);
  if (filter.earlyWarning != null)
    conditions.push(filter.earlyWarning ? earlyWarningSql : sql`NOT coalesce(${earlyWarningSql}, false)`);

  const direction = order.direction ?? 'ASC';
  const key = sql`h.id`;
  const ordering: Ordering =
    order.field === 'INCOME'
      ? { expr: sql`h.income_per_capita`, type: 'int4', direction, key, keyType: 'int4' }
      : order.field === 'IDENTIFIED_ON'
        ? { expr: sql`h.identified_on::text`, type: 'text', direction, key, keyType: 'int4' }
        : { expr: key, type: 'int4', direction, key, keyType: 'int4' };
  return { from: FROM, columns: COLUMNS, conditions, ordering };
}

export function findHouseholds(
  db: Executor,
  filter: HouseholdFilter,
  page: { first: number; after?: KeysetPosition | null },
  order?: HouseholdOrder,
): Promise<PageResult<HouseholdRow>> {
  return runList<HouseholdRow>(db, householdListQuery(filter, order), page);
}

export function countHouseholds(db: Executor, filter: HouseholdFilter): Promise<number> {
  return countList(db, householdListQuery(filter));
}

/** Households by id inside the reader's scope ('' for all), in any order. */
export function findHouseholdsById(
  db: Executor,
  ids: readonly number[],
  scope: string,
): Promise<HouseholdRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return queryRows<HouseholdRow>(
    db,
    sql`SELECT ${COLUMNS}, h.id AS sort_value, h.id AS sort_key FROM ${FROM}
        WHERE h.id IN ${sqlList(ids)} ${scope ? sql`AND ${householdsIn(scope)}` : sql``}`,
  );
}

export interface MeasureRow {
  id: number;
  householdId: number;
  kind: MeasureKind;
  description: string;
  startedOn: string;
  endedOn: string | null;
  active: boolean;
  amountYuan: number | null;
  loanTermMonths: number | null;
  loanState: LoanState | null;
  responsibleUnit: string | null;
}

/** The measures of some households, oldest first. */
export function findMeasures(db: Executor, householdIds: readonly number[]): Promise<MeasureRow[]> {
  if (!householdIds.length) return Promise.resolve([]);
  return queryRows<MeasureRow>(
    db,
    sql`SELECT id, household_id AS "householdId", kind, description, started_on::text AS "startedOn",
          ended_on::text AS "endedOn", (ended_on IS NULL OR ended_on >= ${todaySql}) AS active,
          amount_yuan AS "amountYuan", loan_term_months::int AS "loanTermMonths", loan_state AS "loanState",
          responsible_unit AS "responsibleUnit"
        FROM household_measures WHERE household_id IN ${sqlList(householdIds)}
        ORDER BY household_id, started_on, id`,
  );
}

export interface HouseholdHistoryRow {
  householdId: number;
  onDate: string;
  recordedAt: string;
  recordedBy: string;
  action: string;
  fromStatus: HouseholdStatus | null;
  toStatus: HouseholdStatus | null;
  note: string | null;
}

/** The history of some households, oldest first. */
export function findHouseholdHistory(
  db: Executor,
  householdIds: readonly number[],
): Promise<HouseholdHistoryRow[]> {
  if (!householdIds.length) return Promise.resolve([]);
  return queryRows<HouseholdHistoryRow>(
    db,
    sql`SELECT household_id AS "householdId", on_date::text AS "onDate",
          to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "recordedAt",
          recorded_by AS "recordedBy", action, from_status AS "fromStatus", to_status AS "toStatus", note
        FROM household_history WHERE household_id IN ${sqlList(householdIds)}
        ORDER BY household_id, on_date, id`,
  );
}
