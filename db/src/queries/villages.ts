// Village lists and lookups.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { villages } from '../tables/villages.ts';
import {
  addIndicatorFilter,
  chooseOrdering,
  containsPattern,
  type IndicatorRange,
  type KeysetPosition,
  type OrderRequest,
  type SpatialFilter,
  spatialConditions,
  villageIndicatorSql,
  type YearlyFigures,
} from './filters.ts';
import {
  countList,
  type ListQuery,
  type ListRow,
  type PageResult,
  type PlacedRow,
  runList,
} from './lists.ts';

export interface VillageFilter {
  /** Code prefix of any level (2, 4, 6, 9 or 12 digits). */
  regionCode?: string | null;
  povertyVillage?: boolean | null;
  supervised?: boolean | null;
  keyAssistanceCounty?: boolean | null;
  /** Part of the village or township name. */
  search?: string | null;
  spatial?: SpatialFilter | null;
  indicator?: IndicatorRange | null;
}

export type VillageOrder = OrderRequest;

/** A village's columns (its point as lon/lat). */
export type VillageRow = Omit<typeof villages.$inferSelect, 'location'> & PlacedRow & ListRow;

const COLUMNS = sql`v.code, v.name, v.township_code AS "townshipCode", v.township_name AS "townshipName",
  v.county_code AS "countyCode", v.poverty_village AS "povertyVillage", v.poverty_exit_year AS "povertyExitYear",
  v.supervised, ST_X(v.location) AS lon, ST_Y(v.location) AS lat`;

const VILLAGE_FIGURES: YearlyFigures = {
  join: (alias, year, kind) =>
    sql`${sql.raw(kind)} village_indicators ${sql.raw(alias)} ON ${sql.raw(alias)}.village_code = v.code AND ${sql.raw(alias)}.year = ${year}`,
  value: villageIndicatorSql,
  noun: 'villages',
};

/** Builds the list query; errors name what cannot be combined. */
export function villageListQuery(
  filter: VillageFilter = {},
  order: VillageOrder = { field: 'CODE' },
): ListQuery {
  const conditions: SQL[] = [];
  const joins: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`v.code LIKE ${`${filter.regionCode}%`}`);
  if (filter.povertyVillage != null) conditions.push(sql`v.poverty_village = ${filter.povertyVillage}`);
  if (filter.supervised != null) conditions.push(sql`v.supervised = ${filter.supervised}`);
  if (filter.keyAssistanceCounty != null) {
    conditions.push(sql`${filter.keyAssistanceCounty ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM county_designations d
      WHERE d.county_code = v.county_code AND d.key_assistance)`);
  }
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    conditions.push(sql`(v.name LIKE ${pattern} OR v.township_name LIKE ${pattern})`);
  }
  if (filter.indicator) {
    addIndicatorFilter(VILLAGE_FIGURES, filter.indicator, joins, conditions);
    // The same prefix on the figures lets their (year, code) index bound the join (migration 0005).
    if (filter.regionCode) conditions.push(sql`fi.village_code LIKE ${`${filter.regionCode}%`}`);
  }
  const spatial = spatialConditions(sql`v.location`, filter.spatial);
  conditions.push(...spatial.where);

  const ordering = chooseOrdering(order, {
    key: sql`v.code`,
    keyType: 'text',
    name: sql`v.name`,
    distance: spatial.distance,
    figures: VILLAGE_FIGURES,
    joins,
  });
  const distance = spatial.distance ?? sql`NULL::float8`;
  return {
    from: sql`villages v ${sql.join(joins, sql` `)}`,
    columns: sql`${COLUMNS}, ${distance} AS "distanceMeters"`,
    conditions,
    ordering,
  };
}

/** One page of villages. */
export function findVillages(
  db: Executor,
  filter: VillageFilter,
  page: { first: number; after?: KeysetPosition | null },
  order?: VillageOrder,
): Promise<PageResult<VillageRow>> {
  return runList<VillageRow>(db, villageListQuery(filter, order), page);
}

export function countVillages(db: Executor, filter: VillageFilter): Promise<number> {
  return countList(db, villageListQuery(filter));
}

export async function findVillagesByCode(db: Executor, codes: readonly string[]): Promise<VillageRow[]> {
  if (!codes.length) return [];
  return queryRows<VillageRow>(
    db,
    sql`SELECT ${COLUMNS}, NULL::float8 AS "distanceMeters", v.code AS sort_value, v.code AS sort_key
        FROM villages v WHERE v.code IN ${sqlList(codes)}`,
  );
}

/** The first `first` villages of each county, in code order: one query for many counties. */
export async function findVillagesOfCounties(
  db: Executor,
  countyCodes: readonly string[],
  first: number,
  filter: VillageFilter = {},
): Promise<VillageRow[]> {
  if (!countyCodes.length) return [];
  const query = villageListQuery(filter);
  return queryRows<VillageRow>(
    db,
    sql`SELECT * FROM (
          SELECT ${query.columns}, v.code AS sort_value, v.code AS sort_key,
            row_number() OVER (PARTITION BY v.county_code ORDER BY v.code) AS n
          FROM ${query.from}
          WHERE v.county_code IN ${sqlList(countyCodes)}
            ${query.conditions.length ? sql`AND ${sql.join(query.conditions, sql` AND `)}` : sql``}
        ) ranked WHERE n <= ${first} ORDER BY "countyCode", code`,
  );
}
