// Village lists and lookups.
import { type SQL, sql } from 'drizzle-orm';
import type { villages } from '../tables/villages.ts';
import { containsPattern, type OrderRequest, villageIndicatorSql } from './filters.ts';
import type { ListQuery, ListRow, PlacedRow } from './lists.ts';
import {
  inKeyAssistanceCounty,
  type PlaceFilter,
  type PlaceList,
  placeListQuery,
  placeReads,
  yearlyFigures,
} from './places.ts';

export interface VillageFilter extends PlaceFilter {
  /** Code prefix of any level (2, 4, 6, 9 or 12 digits). */
  regionCode?: string | null;
  povertyVillage?: boolean | null;
  supervised?: boolean | null;
  keyAssistanceCounty?: boolean | null;
  /** Part of the village or township name. */
  search?: string | null;
}

export type VillageOrder = OrderRequest;

/** A village's columns (its point as lon/lat). */
export type VillageRow = Omit<typeof villages.$inferSelect, 'location'> & PlacedRow & ListRow;

const COLUMNS = sql`v.code, v.name, v.township_code AS "townshipCode", v.township_name AS "townshipName",
  v.county_code AS "countyCode", v.poverty_village AS "povertyVillage", v.poverty_exit_year AS "povertyExitYear",
  v.supervised, ST_X(v.location) AS lon, ST_Y(v.location) AS lat`;

const VILLAGES: PlaceList = {
  from: sql`villages v`,
  scope: [],
  columns: COLUMNS,
  key: sql`v.code`,
  keyType: 'text',
  name: sql`v.name`,
  location: sql`v.location`,
  county: sql`v.county_code`,
  figures: yearlyFigures('village_indicators', 'village_code', sql`v.code`, villageIndicatorSql, 'villages'),
};

/** Builds the list query; errors name what cannot be combined. */
export function villageListQuery(
  filter: VillageFilter = {},
  order: VillageOrder = { field: 'CODE' },
): ListQuery {
  const conditions: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`v.code LIKE ${`${filter.regionCode}%`}`);
  if (filter.povertyVillage != null) conditions.push(sql`v.poverty_village = ${filter.povertyVillage}`);
  if (filter.supervised != null) conditions.push(sql`v.supervised = ${filter.supervised}`);
  if (filter.keyAssistanceCounty != null)
    conditions.push(inKeyAssistanceCounty(sql`v.county_code`, filter.keyAssistanceCounty));
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    conditions.push(sql`(v.name LIKE ${pattern} OR v.township_name LIKE ${pattern})`);
  }
  // The same prefix on the figures lets their (year, code) index bound the join (migration 0005).
  const onFigures = filter.regionCode ? [sql`fi.village_code LIKE ${`${filter.regionCode}%`}`] : [];
  return placeListQuery(VILLAGES, filter, order, conditions, onFigures);
}

export const {
  /** One page of villages. */
  page: findVillages,
  count: countVillages,
  byKey: findVillagesByCode,
  /** The first `first` villages of each county, in code order: one query for many counties. */
  ofCounties: findVillagesOfCounties,
} = placeReads<VillageFilter, VillageRow, string>(VILLAGES, villageListQuery);
