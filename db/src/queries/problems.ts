// The problem ledger (问题台账) as a list: filters by place, category, department, status, overdue
// and deadline; ordered by deadline by default. Overdue = past the deadline and not closed.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { problemHistory, problems } from '../tables/supervision.ts';
import { containsPattern, type KeysetPosition, type Ordering, type SortDirection } from './filters.ts';
import { dueWithin, overdueProblem } from './ledger.ts';
import { countList, type ListQuery, type ListRow, type PageResult, runList } from './lists.ts';

export interface ProblemFilter {
  /** Code prefix: 2–6 digits match the county, 9 or 12 the village. */
  regionCode?: string | null;
  categories?: readonly string[] | null;
  departments?: readonly string[] | null;
  /** Any of these registered departments. */
  departmentIds?: readonly number[] | null;
  sources?: readonly string[] | null;
  statuses?: readonly string[] | null;
  overdue?: boolean | null;
  /** Deadlines from / to (inclusive), ISO dates. */
  deadlineFrom?: string | null;
  deadlineTo?: string | null;
  listingId?: number | null;
  search?: string | null;
  /** Due within this many days: not closed, deadline from today (China's day) to today + N. */
  dueWithinDays?: number | null;
  /**
   * The caller's own department, for a department user: only its problems, whatever else the filter
   * says. Set by the API from the login, never by the client.
   */
  ofDepartment?: number | null;
}

export type ProblemOrderField = 'DEADLINE' | 'FOUND_ON' | 'ID';

export interface ProblemOrder {
  field: ProblemOrderField;
  direction?: SortDirection | null;
}

/** A problem's columns (times as ISO text, UTC) with its place's names and whether it is overdue today. */
export type ProblemRow = Omit<typeof problems.$inferSelect, 'signedAt' | 'verifiedAt'> & {
  signedAt: string | null;
  verifiedAt: string | null;
  countyName: string;
  villageName: string | null;
  townshipName: string | null;
  overdue: boolean;
} & ListRow;

/** A timestamp as ISO 8601 text in UTC, as the API gives times. */
export const isoTime = (column: SQL) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const COLUMNS = sql`p.id, p.listing_id AS "listingId", p.inspection_id AS "inspectionId", p.county_code AS "countyCode",
  c.name AS "countyName", p.village_code AS "villageCode", v.name AS "villageName", v.township_name AS "townshipName",
  p.category, p.department, p.description, p.found_on::text AS "foundOn", p.deadline::text AS deadline, p.status,
  p.rectified_on::text AS "rectifiedOn", p.closed_on::text AS "closedOn", p.version,
  p.department_id AS "departmentId", p.source, p.measures, p.responsible_person AS "responsiblePerson",
  p.signed_by AS "signedBy", ${isoTime(sql`p.signed_at`)} AS "signedAt",
  p.verified_by AS "verifiedBy", ${isoTime(sql`p.verified_at`)} AS "verifiedAt",
  p.verification_result AS "verificationResult", p.verification_note AS "verificationNote",
  ${overdueProblem('p')} AS overdue`;
const FROM = sql`supervision_problems p JOIN regions c ON c.code = p.county_code LEFT JOIN villages v ON v.code = p.village_code`;

export function problemListQuery(
  filter: ProblemFilter = {},
  order: ProblemOrder = { field: 'DEADLINE' },
): ListQuery {
  const conditions: SQL[] = [];
  const inList = (column: SQL, values: readonly string[]) => sql`${column} IN ${sqlList(values)}`;
  if (filter.regionCode) {
    conditions.push(
      filter.regionCode.length > 6
        ? sql`p.village_code LIKE ${`${filter.regionCode}%`}`
        : sql`p.county_code LIKE ${`${filter.regionCode}%`}`,
    );
  }
  if (filter.categories?.length) conditions.push(inList(sql`p.category`, filter.categories));
  if (filter.departments?.length) conditions.push(inList(sql`p.department`, filter.departments));
  if (filter.departmentIds?.length) conditions.push(sql`p.department_id IN ${sqlList(filter.departmentIds)}`);
  if (filter.ofDepartment != null) conditions.push(sql`p.department_id = ${filter.ofDepartment}`);
  if (filter.sources?.length) conditions.push(inList(sql`p.source`, filter.sources));
  if (filter.statuses?.length) conditions.push(inList(sql`p.status`, filter.statuses));
  if (filter.overdue != null) {
    conditions.push(filter.overdue ? overdueProblem('p') : sql`NOT ${overdueProblem('p')}`);
  }
  if (filter.deadlineFrom) conditions.push(sql`p.deadline >= ${filter.deadlineFrom}::date`);
  if (filter.deadlineTo) conditions.push(sql`p.deadline <= ${filter.deadlineTo}::date`);
  if (filter.listingId != null) conditions.push(sql`p.listing_id = ${filter.listingId}`);
  if (filter.search) conditions.push(sql`p.description LIKE ${containsPattern(filter.search)}`);
  if (filter.dueWithinDays != null) conditions.push(dueWithin('p', filter.dueWithinDays));

  const direction = order.direction ?? 'ASC';
  const key = sql`p.id`;
  const ordering: Ordering =
    order.field === 'ID'
      ? { expr: key, type: 'int4', direction, key, keyType: 'int4' }
      : {
          expr: order.field === 'FOUND_ON' ? sql`p.found_on::text` : sql`p.deadline::text`,
          type: 'text',
          direction,
          key,
          keyType: 'int4',
        };
  return { from: FROM, columns: COLUMNS, conditions, ordering };
}

export function findProblems(
  db: Executor,
  filter: ProblemFilter,
  page: { first: number; after?: KeysetPosition | null },
  order?: ProblemOrder,
): Promise<PageResult<ProblemRow>> {
  return runList<ProblemRow>(db, problemListQuery(filter, order), page);
}

/** Problems by id, in any order (for mutation answers and listings' ledgers). */
export function findProblemsById(db: Executor, ids: readonly number[]): Promise<ProblemRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return queryRows<ProblemRow>(db, sql`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id IN ${sqlList(ids)}`);
}

export function countProblems(db: Executor, filter: ProblemFilter): Promise<number> {
  return countList(db, problemListQuery(filter));
}

/** A history entry, its time as ISO text (UTC), with each field it changed as from → to. */
export type ProblemHistoryRow = Omit<typeof problemHistory.$inferSelect, 'id' | 'changedAt' | 'changes'> & {
  changedAt: string;
  changes: Record<string, { from: unknown; to: unknown }> | null;
};

/** The history of each problem, oldest first. */
export async function findProblemHistory(db: Executor, ids: readonly number[]): Promise<ProblemHistoryRow[]> {
  if (!ids.length) return [];
  return queryRows<ProblemHistoryRow>(
    db,
    sql`SELECT problem_id AS "problemId", ${isoTime(sql`changed_at`)} AS "changedAt",
          changed_by AS "changedBy", action, from_status AS "fromStatus", to_status AS "toStatus", note, changes
        FROM supervision_problem_history WHERE problem_id IN ${sqlList(ids)}
        ORDER BY problem_id, changed_at, id`,
  );
}
