// What the lists of places (villages, counties, relocation sites) share: each is a table with a key,
// a name, a point, a county and yearly figures, filtered by region, name, area and indicator, and
// read by page, by key, or a few per county. Each domain says what its table is and its own filters.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import {
  addIndicatorFilter,
  chooseOrdering,
  type Indicator,
  type IndicatorRange,
  type KeysetPosition,
  type OrderRequest,
  type SpatialFilter,
  spatialConditions,
  type YearlyFigures,
} from './filters.ts';
import { countList, type ListQuery, type ListRow, type PageResult, runList } from './lists.ts';

/** The filters every list of places takes. */
export interface PlaceFilter {
  search?: string | null;
  spatial?: SpatialFilter | null;
  indicator?: IndicatorRange | null;
}

/** A list of places: its table, columns and the columns the shared filters and orderings use. */
export interface PlaceList {
  /** The table with its alias (and any join its columns need). */
  from: SQL;
  /** Conditions every read of the list has (counties: the regions of level county). */
  scope: SQL[];
  columns: SQL;
  /** The unique key the pages follow, and its type. */
  key: SQL;
  keyType: 'text' | 'int4';
  name: SQL;
  /** The point spatial filters and distances apply to. */
  location: SQL;
  /** The county code of a row. */
  county: SQL;
  figures: YearlyFigures;
}

/** How a list joins the yearly figures table whose `column` holds the row's `key`. */
export function yearlyFigures(
  table: string,
  column: string,
  key: SQL,
  value: (indicator: Indicator, alias: string) => SQL | null,
  noun: string,
): YearlyFigures {
  return {
    join: (alias, year, kind) =>
      sql`${sql.raw(kind)} ${sql.raw(table)} ${sql.raw(alias)} ON ${sql.raw(`${alias}.${column}`)} = ${key} AND ${sql.raw(alias)}.year = ${year}`,
    value,
    noun,
  };
}

/** Whether the row's county is (or is not) a 国家乡村振兴重点帮扶县. */
export function inKeyAssistanceCounty(county: SQL, value: boolean): SQL {
  return sql`${value ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM county_designations d
      WHERE d.county_code = ${county} AND d.key_assistance)`;
}

/**
 * The list query of places: the list's scope, the domain's `conditions`, then the indicator and
 * spatial filters, ordered as asked. `onFigures` adds conditions on the filter's figures (`fi`).
 */
export function placeListQuery(
  list: PlaceList,
  filter: PlaceFilter,
  order: OrderRequest,
  domainConditions: SQL[],
  onFigures: SQL[] = [],
): ListQuery {
  const conditions: SQL[] = [...list.scope, ...domainConditions];
  const joins: SQL[] = [];
  if (filter.indicator) {
    addIndicatorFilter(list.figures, filter.indicator, joins, conditions);
    conditions.push(...onFigures);
  }
  const spatial = spatialConditions(list.location, filter.spatial);
  conditions.push(...spatial.where);

  const ordering = chooseOrdering(order, {
    key: list.key,
    keyType: list.keyType,
    name: list.name,
    distance: spatial.distance,
    figures: list.figures,
    joins,
  });
  return {
    from: sql`${list.from} ${sql.join(joins, sql` `)}`,
    columns: sql`${list.columns}, ${spatial.distance ?? sql`NULL::float8`} AS "distanceMeters"`,
    conditions,
    ordering,
  };
}

/** The places with these keys (in no order), as list rows. */
export async function findPlacesByKey<T>(
  db: Executor,
  list: PlaceList,
  keys: readonly (string | number)[],
): Promise<T[]> {
  if (!keys.length) return [];
  return queryRows<T>(
    db,
    sql`SELECT ${list.columns}, NULL::float8 AS "distanceMeters", ${list.key} AS sort_value, ${list.key} AS sort_key
        FROM ${list.from} WHERE ${sql.join([...list.scope, sql`${list.key} IN ${sqlList(keys)}`], sql` AND `)}`,
  );
}

/** The first `first` places of `query` in each county, in key order: one query for many counties. */
export async function findPlacesOfCounties<T>(
  db: Executor,
  list: PlaceList,
  query: ListQuery,
  countyCodes: readonly string[],
  first: number,
): Promise<T[]> {
  if (!countyCodes.length) return [];
  return queryRows<T>(
    db,
    sql`SELECT * FROM (
          SELECT ${query.columns}, ${list.key} AS sort_value, ${list.key} AS sort_key,
            row_number() OVER (PARTITION BY ${list.county} ORDER BY ${list.key}) AS n
          FROM ${query.from}
          WHERE ${list.county} IN ${sqlList(countyCodes)}
            ${query.conditions.length ? sql`AND ${sql.join(query.conditions, sql` AND `)}` : sql``}
        ) ranked WHERE n <= ${first} ORDER BY "countyCode", sort_key`,
  );
}

/**
 * The four reads of a list of places, the same for each: a page, the count, the rows with these
 * keys, and the first `first` of each county.
 */
export function placeReads<F, R extends ListRow, K extends string | number>(
  list: PlaceList,
  listQuery: (filter?: F, order?: OrderRequest) => ListQuery,
) {
  return {
    page: (
      db: Executor,
      filter: F,
      page: { first: number; after?: KeysetPosition | null },
      order?: OrderRequest,
    ): Promise<PageResult<R>> => runList<R>(db, listQuery(filter, order), page),
    count: (db: Executor, filter: F): Promise<number> => countList(db, listQuery(filter)),
    byKey: (db: Executor, keys: readonly K[]): Promise<R[]> => findPlacesByKey<R>(db, list, keys),
    ofCounties: (db: Executor, countyCodes: readonly string[], first: number, filter?: F): Promise<R[]> =>
      findPlacesOfCounties<R>(db, list, listQuery(filter), countyCodes, first),
  };
}
