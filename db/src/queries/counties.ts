// County lists and lookups: regions of level "county" joined with their designations. Spatial
// filters apply to a county's label point (a county is "in" an area when its label point is).
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { geometryToGcj02 } from '../postgis/gcj02.ts';
import type { countyDesignations, regions } from '../tables/regions.ts';
import { containsPattern, type OrderRequest, regionIndicatorSql } from './filters.ts';
import type { ListQuery, ListRow, PlacedRow } from './lists.ts';
import { type PlaceFilter, type PlaceList, placeListQuery, placeReads, yearlyFigures } from './places.ts';

export interface CountyFilter extends PlaceFilter {
  /** Code prefix of any level: "52" (province), "5226" (prefecture), "522623" (county). */
  regionCode?: string | null;
  povertyCounty?: boolean | null;
  keyAssistance?: boolean | null;
  supervised?: boolean | null;
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

const COUNTIES: PlaceList = {
  from: sql`regions r LEFT JOIN county_designations d ON d.county_code = r.code`,
  scope: [sql`r.level = 'county'`],
  columns: COLUMNS,
  key: sql`r.code`,
  keyType: 'text',
  name: sql`r.name`,
  location: sql`r.label_point`,
  county: sql`r.code`,
  figures: yearlyFigures('region_indicators', 'region_code', sql`r.code`, regionIndicatorSql, 'counties'),
};

export function countyListQuery(
  filter: CountyFilter = {},
  order: CountyOrder = { field: 'CODE' },
): ListQuery {
  const conditions: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`r.code LIKE ${`${filter.regionCode}%`}`);
  const flag = (column: string, value: boolean | null | undefined) => {
    if (value != null) conditions.push(sql`coalesce(${sql.raw(`d.${column}`)}, false) = ${value}`);
  };
  flag('poverty_county', filter.povertyCounty);
  flag('key_assistance', filter.keyAssistance);
  flag('supervised', filter.supervised);
  if (filter.search) conditions.push(sql`r.name LIKE ${containsPattern(filter.search)}`);
  return placeListQuery(COUNTIES, filter, order, conditions);
}

export const {
  /** One page of counties. */
  page: findCounties,
  count: countCounties,
  byKey: findCountiesByCode,
} = placeReads<CountyFilter, CountyRow, string>(COUNTIES, countyListQuery);

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
