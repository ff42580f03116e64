// The ledger's two facts, defined once: a problem is open (未销号) until it is closed (销号), and
// overdue (逾期) when it is open past its deadline, today. Every count, list, tile and export uses
// these, so "overdue" means the same thing everywhere.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { LEDGER_TIME_ZONE } from '../facts.ts';

const column = (alias: string | undefined, name: string) => sql.raw(alias ? `${alias}.${name}` : name);

/** 未销号: the problem is not closed. `alias` is the supervision_problems alias, if any. */
export function openProblem(alias?: string): SQL {
  return sql`${column(alias, 'status')} <> 'closed'`;
}

/** Today in China, in SQL (facts.ts `ledgerToday` is the same day in JavaScript). */
export const todaySql: SQL = sql.raw(`(now() AT TIME ZONE '${LEDGER_TIME_ZONE}')::date`);

/** 逾期: the problem is not closed and its deadline has passed (today in China). */
export function overdueProblem(alias?: string): SQL {
  return sql`(${openProblem(alias)} AND ${column(alias, 'deadline')} < ${todaySql})`;
}

/** 即将到期: not closed, and the deadline is today or within the next `days` days (China's day). */
export function dueWithin(alias: string | undefined, days: number): SQL {
  return sql`(${openProblem(alias)} AND ${column(alias, 'deadline')} >= ${todaySql}
    AND ${column(alias, 'deadline')} <= ${todaySql} + ${days}::int)`;
}

/** A county department's (or free-text 责任单位's) overdue and due-soon problems. */
export interface DepartmentDeadlines {
  countyCode: string;
  countyName: string;
  department: string;
  departmentId: number | null;
  overdue: number;
  dueSoon: number;
}

/** The most departments the deadlines view lists (the most overdue first); its totals count all. */
export const MAX_DEADLINE_ROWS = 500;

/**
 * The deadlines view's numbers: per county and responsible department, how many problems are
 * overdue and how many fall due within `days`, in a region (code prefix) and, for a department
 * user, of their department only. Departments with neither are left out; the most overdue first,
 * at most MAX_DEADLINE_ROWS of them; the totals count every department.
 */
export async function ledgerDeadlines(
  db: Executor,
  where: { regionCode: string | null; ofDepartment: number | null; days: number },
): Promise<{ rows: DepartmentDeadlines[]; overdue: number; dueSoon: number }> {
  const conditions: SQL[] = [openProblem()];
  if (where.regionCode)
    conditions.push(
      where.regionCode.length > 6
        ? sql`village_code LIKE ${`${where.regionCode}%`}`
        : sql`county_code LIKE ${`${where.regionCode}%`}`,
    );
  if (where.ofDepartment != null) conditions.push(sql`department_id = ${where.ofDepartment}`);
  const rows = await queryRows<DepartmentDeadlines & { totalOverdue: number; totalDueSoon: number }>(
    db,
    sql`WITH per AS (
          SELECT county_code, department, department_id,
            count(*) FILTER (WHERE ${overdueProblem()})::int AS overdue,
            count(*) FILTER (WHERE ${dueWithin(undefined, where.days)})::int AS "dueSoon"
          FROM supervision_problems WHERE ${sql.join(conditions, sql` AND `)}
          GROUP BY county_code, department, department_id)
        SELECT per.county_code AS "countyCode", c.name AS "countyName", per.department,
          per.department_id AS "departmentId", per.overdue, per."dueSoon",
          (sum(per.overdue) OVER ())::int AS "totalOverdue", (sum(per."dueSoon") OVER ())::int AS "totalDueSoon"
        FROM per JOIN regions c ON c.code = per.county_code
        WHERE per.overdue > 0 OR per."dueSoon" > 0
        ORDER BY per.overdue DESC, per."dueSoon" DESC, per.county_code, per.department
        LIMIT ${MAX_DEADLINE_ROWS}`,
  );
  return {
    rows: rows.map(({ totalOverdue: _o, totalDueSoon: _d, ...row }) => row),
    overdue: rows[0]?.totalOverdue ?? 0,
    dueSoon: rows[0]?.totalDueSoon ?? 0,
  };
}

/**
 * Open and overdue problems per place (`place`: county_code or village_code), as code/open/overdue;
 * of the places in `codes` only, when given.
 */
export function problemCountsBy(place: 'county_code' | 'village_code', codes?: readonly string[]): SQL {
  const column = sql.raw(place);
  const among = codes ? sql` AND ${column} IN ${sqlList(codes)}` : sql``;
  return sql`SELECT ${column} AS code, count(*) FILTER (WHERE ${openProblem()})::int AS open,
      count(*) FILTER (WHERE ${overdueProblem()})::int AS overdue
    FROM supervision_problems WHERE ${column} IS NOT NULL${among} GROUP BY 1`;
}
