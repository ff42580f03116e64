// Supervision reads: listings with their open and overdue counts, inspections, and the summary of
// a region's ledger (counts by status, rectification rate, by category and by department).
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { openProblem, overdueProblem, problemCountsBy } from '../queries/ledger.ts';
import { isoTime } from '../queries/problems.ts';
import type { inspections, listings } from '../tables/supervision.ts';

/** A listing's columns with its place's names and its problem counts. */
export type ListingRow = typeof listings.$inferSelect & {
  countyName: string;
  villageName: string | null;
  townshipName: string | null;
  openProblems: number;
  overdueProblems: number;
  problems: number;
};

export interface ListingFilter {
  regionCode?: string | null;
  statuses?: readonly string[] | null;
  unitType?: 'county' | 'village' | null;
  ids?: readonly number[] | null;
  /** Listings of these counties (county and village listings alike). */
  countyCodes?: readonly string[] | null;
}

function listingConditions(filter: ListingFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.regionCode) {
    const column = filter.regionCode.length > 6 ? sql`l.village_code` : sql`l.county_code`;
    conditions.push(sql`${column} LIKE ${`${filter.regionCode}%`}`);
  }
  if (filter.statuses?.length) conditions.push(sql`l.status IN ${sqlList(filter.statuses)}`);
  if (filter.unitType) conditions.push(sql`l.unit_type = ${filter.unitType}`);
  if (filter.ids) conditions.push(filter.ids.length ? sql`l.id IN ${sqlList(filter.ids)}` : sql`false`);
  if (filter.countyCodes)
    conditions.push(
      filter.countyCodes.length ? sql`l.county_code IN ${sqlList(filter.countyCodes)}` : sql`false`,
    );
  return sql.join(conditions, sql` AND `);
}

/** Listings in code order, each with its problem counts (overdue = past deadline, not closed). */
export function findListings(db: Executor, filter: ListingFilter = {}): Promise<ListingRow[]> {
  return queryRows<ListingRow>(
    db,
    sql`SELECT l.id, l.unit_type AS "unitType", l.county_code AS "countyCode", c.name AS "countyName",
          l.village_code AS "villageCode", v.name AS "villageName", v.township_name AS "townshipName",
          l.listed_on::text AS "listedOn", l.supervising_unit AS "supervisingUnit", l.status,
          l.lifted_on::text AS "liftedOn", l.closed_on::text AS "closedOn", l.version,
          count(p.id)::int AS problems,
          count(p.id) FILTER (WHERE ${openProblem('p')})::int AS "openProblems",
          count(p.id) FILTER (WHERE ${overdueProblem('p')})::int AS "overdueProblems"
        FROM supervision_listings l
        JOIN regions c ON c.code = l.county_code
        LEFT JOIN villages v ON v.code = l.village_code
        LEFT JOIN supervision_problems p ON p.listing_id = l.id
        WHERE ${listingConditions(filter)}
        GROUP BY l.id, c.name, v.name, v.township_name
        ORDER BY l.county_code, l.village_code NULLS FIRST, l.id`,
  );
}

/** How many listings of the filter are in each status. */
export function countListingsByStatus(db: Executor, filter: ListingFilter = {}) {
  return queryRows<{ status: string; count: number }>(
    db,
    sql`SELECT l.status, count(*)::int AS count FROM supervision_listings l
        WHERE ${listingConditions({ ...filter, statuses: null })} GROUP BY l.status ORDER BY l.status`,
  );
}

/** A listing's history entry, its time as ISO text (UTC). */
export interface ListingHistoryRow {
  listingId: number;
  changedAt: string;
  changedBy: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
}

/** The history of each listing, oldest first. */
export function findListingHistory(db: Executor, ids: readonly number[]): Promise<ListingHistoryRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return queryRows<ListingHistoryRow>(
    db,
    sql`SELECT listing_id AS "listingId",
          ${isoTime(sql`changed_at`)} AS "changedAt",
          changed_by AS "changedBy", action, from_status AS "fromStatus", to_status AS "toStatus", note
        FROM supervision_listing_history WHERE listing_id IN ${sqlList(ids)}
        ORDER BY listing_id, changed_at, id`,
  );
}

/** An inspection's columns (not when it was entered) and how many problems it found. */
export type InspectionRow = Omit<typeof inspections.$inferSelect, 'createdAt'> & { problemsFound: number };

/** Inspections of listings, newest first. */
export function findInspections(db: Executor, listingIds: readonly number[]): Promise<InspectionRow[]> {
  if (!listingIds.length) return Promise.resolve([]);
  return queryRows<InspectionRow>(
    db,
    sql`SELECT i.id, i.listing_id AS "listingId", i.kind, i.inspected_on::text AS "inspectedOn", i.inspectors,
          i.households_checked AS "householdsChecked", i.villages_checked AS "villagesChecked", i.findings,
          i.created_by AS "createdBy",
          (SELECT count(*)::int FROM supervision_problems p WHERE p.inspection_id = i.id) AS "problemsFound"
        FROM supervision_inspections i WHERE i.listing_id IN ${sqlList(listingIds)}
        ORDER BY i.inspected_on DESC, i.id DESC`,
  );
}

export interface LedgerCounts {
  key: string;
  total: number;
  open: number;
  signed: number;
  inProgress: number;
  rectified: number;
  closed: number;
  overdue: number;
}

export interface SupervisionSummary {
  total: LedgerCounts;
  byCategory: LedgerCounts[];
  byDepartment: LedgerCounts[];
}

/**
 * The ledger of a region (code prefix; all when null) counted by status, category and department.
 * With `detailsMinPerCounty`, the counts by category and by department cover only the problems of
 * counties with at least that many problems in their ledger, so that no small county's details
 * can be had by subtracting its neighbours from its prefecture; the total covers every problem.
 */
export async function supervisionSummary(
  db: Executor,
  regionCode: string | null,
  options: { detailsMinPerCounty?: number } = {},
): Promise<SupervisionSummary> {
  const where = regionCode
    ? regionCode.length > 6
      ? sql`village_code LIKE ${`${regionCode}%`}`
      : sql`county_code LIKE ${`${regionCode}%`}`
    : sql`true`;
  const min = options.detailsMinPerCounty ?? 0;
  const rows = await queryRows<LedgerCounts & { kind: string; shown: boolean | null }>(
    db,
    sql`WITH scoped AS (
          SELECT category, department, status, deadline,
            count(*) OVER (PARTITION BY county_code) >= ${min} AS shown
          FROM supervision_problems WHERE ${where})
        SELECT CASE WHEN grouping(category) = 0 THEN 'category' WHEN grouping(department) = 0 THEN 'department' ELSE 'total' END AS kind,
          shown, coalesce(category, department, '') AS key, count(*)::int AS total,
          count(*) FILTER (WHERE status = 'open')::int AS open,
          count(*) FILTER (WHERE status = 'signed')::int AS signed,
          count(*) FILTER (WHERE status = 'in_progress')::int AS "inProgress",
          count(*) FILTER (WHERE status = 'rectified')::int AS rectified,
          count(*) FILTER (WHERE status = 'closed')::int AS closed,
          count(*) FILTER (WHERE ${overdueProblem()})::int AS overdue
        FROM scoped
        GROUP BY GROUPING SETS ((category, shown), (department, shown), ())
        ORDER BY kind, total DESC, key`,
  );
  const empty: LedgerCounts = {
    key: '',
    total: 0,
    open: 0,
    signed: 0,
    inProgress: 0,
    rectified: 0,
    closed: 0,
    overdue: 0,
  };
  const strip = ({
    kind: _kind,
    shown: _shown,
    ...counts
  }: LedgerCounts & { kind: string; shown: boolean | null }) => counts;
  const details = (kind: string) => rows.filter((r) => r.kind === kind && r.shown).map(strip);
  return {
    total: strip(rows.find((r) => r.kind === 'total') ?? { ...empty, kind: 'total', shown: null }),
    byCategory: details('category'),
    // Departments are free text a file can fill with thousands of names: the busiest only.
    byDepartment: details('department').slice(0, MAX_SUMMARY_DEPARTMENTS),
  };
}

/** How many departments a ledger summary lists at most (those with the most problems). */
export const MAX_SUMMARY_DEPARTMENTS = 200;

/** Open and overdue problems per county (aggregates, public). */
export function countProblemsByCounty(db: Executor, codes: readonly string[]) {
  if (!codes.length) return Promise.resolve([]);
  return queryRows<{ countyCode: string; open: number; overdue: number }>(
    db,
    sql`SELECT code AS "countyCode", open, overdue FROM (${problemCountsBy('county_code', codes)}) p`,
  );
}
