// The ledger's two facts, defined once: a problem is open (未销号) until it is closed (销号), and
// overdue (逾期) when it is open past its deadline, today. Every count, list, tile and export uses
// these, so "overdue" means the same thing everywhere.
import { type SQL, sql } from 'drizzle-orm';

const column = (alias: string | undefined, name: string) => sql.raw(alias ? `${alias}.${name}` : name);

/** 未销号: the problem is not closed. `alias` is the supervision_problems alias, if any. */
export function openProblem(alias?: string): SQL {
  return sql`${column(alias, 'status')} <> 'closed'`;
}

/** 逾期: the problem is not closed and its deadline has passed (today, in the database's time zone). */
export function overdueProblem(alias?: string): SQL {
  return sql`(${openProblem(alias)} AND ${column(alias, 'deadline')} < current_date)`;
}

/** Open and overdue problems per place (`place`: county_code or village_code), as open/overdue. */
export function problemCountsBy(place: 'county_code' | 'village_code'): SQL {
  return sql`SELECT ${sql.raw(place)} AS code, count(*) FILTER (WHERE ${openProblem()})::int AS open,
      count(*) FILTER (WHERE ${overdueProblem()})::int AS overdue
    FROM supervision_problems WHERE ${sql.raw(place)} IS NOT NULL GROUP BY 1`;
}
