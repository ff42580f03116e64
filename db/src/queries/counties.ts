// County lists and lookups: regions of level "county" joined with their designations. Spatial
// filters apply to a county's label point (a county is "in" an area when its label point is).
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { geometryToGcj02 } from '../postgis/gcj02.ts';
import type { countyDesignations, regions } from '../tables/regions.ts';
import {
  addIndicatorFilter,
  chooseOrdering,
  containsPattern,
  type IndicatorRange,
  type KeysetPosition,
  type OrderRequest,
  regionIndicatorSql,
  type SpatialFilter,
  spatialConditions,
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

export interface CountyFilter {
  /** Code prefix of any level: "52" (province), "5226" (prefecture), "522623" (county). */
  regionCode?: string | null;
  povertyCounty?: boolean | null;
  keyAssistance?: boolean | null;
  supervised?: boolean | null;
  search?: string | null;
  spatial?: SpatialFilter | null;
  indicator?: IndicatorRange | null;
}

export type CountyOrder = OrderRequest;

/**
 * A county's region columns and its designations (false where none is stored; keyAssistanceSource
 * null then), its label point as lon/lat.
 */
export type CountyRow = Pick<
  typeof regions.$inferSelect,
  'code' | 'name' | 'prefectureCode' | 'provinceCode'
> &
  Omit<typeof countyDesignations.$inferSelect, 'countyCode'> & { hasBoundary: boolean } & PlacedRow &
  ListRow;

const COLUMNS = sql`r.code, r.name, r.prefecture_code AS "prefectureCode", r.province_code AS "provinceCode",
  r.boundary IS NOT NULL AS "hasBoundary", coalesce(d.poverty_county, false) AS "povertyCounty",
  d.poverty_exit_year AS "povertyExitYear", coalesce(d.key_assistance, false) AS "keyAssistance",
  d.key_assistance_source AS "keyAssistanceSource", coalesce(d.supervised, false) AS supervised,
  d.east_west_partner_province AS "eastWestPartnerProvince",
  d.east_west_partner_county AS "eastWestPartnerCounty", ST_X(r.label_point) AS lon, ST_Y(r.label_point) AS lat`;
const FROM = sql`regions r LEFT JOIN county_designations d ON d.county_code = r.code`;

const REGION_FIGURES: YearlyFigures = {
  join: (alias, year, kind) =>
    sql`${sql.raw(kind)} region_indicators ${sql.raw(alias)} ON ${sql.raw(alias)}.region_code = r.code AND ${sql.raw(alias)}.year = ${year}`,
  value: regionIndicatorSql,
  noun: 'counties',
};

export function countyListQuery(
  filter: CountyFilter = {},
  order: CountyOrder = { field: 'CODE' },
): ListQuery {
  const conditions: SQL[] = [sql`r.level = 'county'`];
  const joins: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`r.code LIKE ${`${filter.regionCode}%`}`);
  const flag = (column: string, value: boolean | null | undefined) => {
    if (value != null) conditions.push(sql`coalesce(${sql.raw(`d.${column}`)}, false) = ${value}`);
  };
  flag('poverty_county', filter.povertyCounty);
  flag('key_assistance', filter.keyAssistance);
  flag('supervised', filter.supervised);
  if (filter.search) conditions.push(sql`r.name LIKE ${containsPattern(filter.search)}`);
  if (filter.indicator) addIndicatorFilter(REGION_FIGURES, filter.indicator, joins, conditions);
  const spatial = spatialConditions(sql`r.label_point`, filter.spatial);
  conditions.push(...spatial.where);

  const ordering = chooseOrdering(order, {
    key: sql`r.code`,
    keyType: 'text',
    name: sql`r.name`,
    distance: spatial.distance,
    figures: REGION_FIGURES,
    joins,
  });
  return {
    from: sql`${FROM} ${sql.join(joins, sql` `)}`,
    columns: sql`${COLUMNS}, ${spatial.distance ?? sql`NULL::float8`} AS "distanceMeters"`,
    conditions,
    ordering,
  };
}

/** One page of counties. */
export function findCounties(
  db: Executor,
  filter: CountyFilter,
  page: { first: number; after?: KeysetPosition | null },
  order?: CountyOrder,
): Promise<PageResult<CountyRow>> {
  return runList<CountyRow>(db, countyListQuery(filter, order), page);
}

export function countCounties(db: Executor, filter: CountyFilter): Promise<number> {
  return countList(db, countyListQuery(filter));
}

export async function findCountiesByCode(db: Executor, codes: readonly string[]): Promise<CountyRow[]> {
  if (!codes.length) return [];
  return queryRows<CountyRow>(
    db,
    sql`SELECT ${COLUMNS}, NULL::float8 AS "distanceMeters", r.code AS sort_value, r.code AS sort_key FROM ${FROM}
        WHERE r.level = 'county' AND r.code IN ${sqlList(codes)}`,
  );
}

export interface GeometryOptions {
  /** Douglas–Peucker tolerance in degrees (ST_SimplifyPreserveTopology); none when absent. */
  simplifyTolerance?: number | null;
  /** Return GCJ-02 coordinates (for AMap/Tencent base maps) instead of WGS84. */
  gcj02?: boolean;
}

/** Boundaries of regions as GeoJSON text, keyed by code (absent when a region has none). */
export async function findBoundaryJson(
  db: Executor,
  codes: readonly string[],
  options: Omit<GeometryOptions, 'gcj02'> = {},
): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const geometry = options.simplifyTolerance
    ? sql`ST_Multi(ST_SimplifyPreserveTopology(boundary, ${options.simplifyTolerance}))`
    : sql`boundary`;
  const rows = await queryRows<{ code: string; geojson: string }>(
    db,
    sql`SELECT code, ST_AsGeoJSON(${geometry}, 6) AS geojson FROM regions
        WHERE code IN ${sqlList(codes)} AND boundary IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.code, r.geojson]));
}

/** Boundaries of regions as GeoJSON geometries, keyed by code (absent when a region has none). */
export async function findBoundaries(
  db: Executor,
  codes: readonly string[],
  options: GeometryOptions = {},
): Promise<Map<string, object>> {
  const text = await findBoundaryJson(db, codes, options);
  return new Map(
    [...text].map(([code, geojson]) => {
      const g = JSON.parse(geojson);
      return [code, options.gcj02 ? geometryToGcj02(g) : g];
    }),
  );
}
