// One way to run a filtered, ordered, keyset-paged list, shared by villages, counties, sites and
// problems: each domain supplies its FROM, columns, conditions and ordering; this file pages them.
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { type KeysetPosition, keysetCondition, type Ordering, orderBySql } from './filters.ts';

export interface ListQuery {
  /** FROM clause with any joins. */
  from: SQL;
  /** Selected columns; must include the sort value as `sort_value` and the key as `sort_key`. */
  columns: SQL;
  conditions: SQL[];
  ordering: Ordering;
}

/** Rows of one page and whether more follow (a list fetches first + 1 rows to know). */
export interface PageResult<T> {
  rows: T[];
  hasNextPage: boolean;
}

export interface ListRow {
  sort_value: string | number | null;
  sort_key: string | number;
}

/** A place in a list: its point as lon/lat, and its distance from the `near` point when asked. */
export interface PlacedRow {
  lon: number | null;
  lat: number | null;
  /** Metres from the `near` point, when the filter has one. */
  distanceMeters: number | null;
}

/** The SQL of one page (exported so tests can EXPLAIN it). */
export function listSql(query: ListQuery, page: { first: number; after?: KeysetPosition | null }): SQL {
  const conditions = [...query.conditions];
  if (page.after) conditions.push(keysetCondition(query.ordering, page.after));
  return sql`SELECT ${query.columns}, ${query.ordering.expr} AS sort_value, ${query.ordering.key} AS sort_key
    FROM ${query.from}
    WHERE ${and(sql`true`, ...conditions)}
    ORDER BY ${orderBySql(query.ordering)}
    LIMIT ${page.first + 1}`;
}

/** One page: at most `first` rows after `after`; fetches one more to know whether more follow. */
export async function runList<T extends ListRow>(
  db: Executor,
  query: ListQuery,
  page: { first: number; after?: KeysetPosition | null },
): Promise<PageResult<T>> {
  const rows = await queryRows<T>(db, listSql(query, page));
  return { rows: rows.slice(0, page.first), hasNextPage: rows.length > page.first };
}

export async function countList(
  db: Executor,
  query: Pick<ListQuery, 'from' | 'conditions'>,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM ${query.from} WHERE ${and(sql`true`, ...query.conditions)}`,
  );
  return row?.n ?? 0;
}

/** Streams every row of a list in pages (for exports): memory stays at one page. */
export async function* streamList<T extends ListRow>(
  db: Executor,
  query: ListQuery,
  pageSize = 2_000,
): AsyncGenerator<T[]> {
  let after: KeysetPosition | null = null;
  for (;;) {
    const page: PageResult<T> = await runList<T>(db, query, { first: pageSize, after });
    if (page.rows.length) yield page.rows;
    if (!page.hasNextPage) return;
    const last = page.rows[page.rows.length - 1]!;
    after = [last.sort_value, last.sort_key];
  }
}
