// Village lists and lookups.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import {
  containsPattern,
  type Indicator,
  type IndicatorRange,
  type KeysetPosition,
  type Ordering,
  rangeConditions,
  type SortDirection,
  type SpatialFilter,
  spatialConditions,
  villageIndicatorSql,
} from './filters.ts';
import { countList, type ListQuery, type ListRow, runList } from './lists.ts';
import type { PageResult } from './pagination.ts';

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

export type VillageOrderField = 'CODE' | 'NAME' | 'INDICATOR' | 'DISTANCE';

export interface VillageOrder {
  field: VillageOrderField;
  direction?: SortDirection | null;
  indicator?: Indicator | null;
  year?: number | null;
}

export interface VillageRow extends ListRow {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  countyCode: string;
  povertyVillage: boolean;
  povertyExitYear: number | null;
  supervised: boolean;
  lon: number | null;
  lat: number | null;
  /** Metres from the `near` point, when the filter has one. */
  distanceMeters: number | null;
}

const COLUMNS = sql`v.code, v.name, v.township_code AS "townshipCode", v.township_name AS "townshipName",
  v.county_code AS "countyCode", v.poverty_village AS "povertyVillage", v.poverty_exit_year AS "povertyExitYear",
  v.supervised, ST_X(v.location) AS lon, ST_Y(v.location) AS lat`;

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
    const value = villageIndicatorSql(filter.indicator.indicator, 'fi');
    if (!value) throw new RangeError(`indicator ${filter.indicator.indicator} is not collected for villages`);
    joins.push(
      sql`JOIN village_indicators fi ON fi.village_code = v.code AND fi.year = ${filter.indicator.year}`,
    );
    conditions.push(...rangeConditions(value, filter.indicator));
  }
  const spatial = spatialConditions(sql`v.location`, filter.spatial);
  conditions.push(...spatial.where);

  const direction = order.direction ?? 'ASC';
  const key = sql`v.code`;
  let ordering: Ordering;
  switch (order.field) {
    case 'NAME':
      ordering = { expr: sql`v.name`, type: 'text', direction, key, keyType: 'text' };
      break;
    case 'DISTANCE':
      if (!spatial.distance) throw new RangeError('ordering by DISTANCE needs filter.spatial.near');
      ordering = { expr: spatial.distance, type: 'float8', direction, key, keyType: 'text' };
      break;
    case 'INDICATOR': {
      if (!order.indicator || order.year == null)
        throw new RangeError('ordering by INDICATOR needs indicator and year');
      const value = villageIndicatorSql(order.indicator, 'oi');
      if (!value) throw new RangeError(`indicator ${order.indicator} is not collected for villages`);
      joins.push(
        sql`LEFT JOIN village_indicators oi ON oi.village_code = v.code AND oi.year = ${order.year}`,
      );
      ordering = { expr: value, type: 'float8', direction, key, keyType: 'text' };
      break;
    }
    default:
      ordering = { expr: key, type: 'text', direction, key, keyType: 'text' };
  }
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
        FROM villages v WHERE v.code IN ${sql`(${sql.join(
          codes.map((c) => sql`${c}`),
          sql`, `,
        )})`}`,
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
          WHERE v.county_code IN ${sql`(${sql.join(
            countyCodes.map((c) => sql`${c}`),
            sql`, `,
          )})`}
            ${query.conditions.length ? sql`AND ${sql.join(query.conditions, sql` AND `)}` : sql``}
        ) ranked WHERE n <= ${first} ORDER BY "countyCode", code`,
  );
}
