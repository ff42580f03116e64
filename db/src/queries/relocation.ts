// Relocation site lists and lookups.
import { type SQL, sql } from 'drizzle-orm';
import type { relocationSites } from '../tables/relocation.ts';
import { containsPattern, type OrderRequest, siteIndicatorSql } from './filters.ts';
import type { ListQuery, ListRow, PlacedRow } from './lists.ts';
import {
  inKeyAssistanceCounty,
  type PlaceFilter,
  type PlaceList,
  placeListQuery,
  placeReads,
  yearlyFigures,
} from './places.ts';

export interface RelocationSiteFilter extends PlaceFilter {
  /** County code prefix (2, 4 or 6 digits). */
  regionCode?: string | null;
  placementType?: string | null;
  sizeClass?: string | null;
  /** In a 国家乡村振兴重点帮扶县 or not. */
  keyAssistanceCounty?: boolean | null;
}

export type RelocationSiteOrder = OrderRequest;

/** A site's columns (its point as lon/lat). */
export type RelocationSiteRow = Omit<typeof relocationSites.$inferSelect, 'location'> & PlacedRow & ListRow;

const COLUMNS = sql`s.id, s.name, s.county_code AS "countyCode", s.placement_type AS "placementType",
  s.size_class AS "sizeClass", s.has_school AS "hasSchool", s.has_clinic AS "hasClinic",
  s.has_workshop AS "hasWorkshop", s.has_community_service_centre AS "hasCommunityServiceCentre",
  s.year_built AS "yearBuilt", ST_X(s.location) AS lon, ST_Y(s.location) AS lat`;

const SITES: PlaceList = {
  from: sql`relocation_sites s`,
  scope: [],
  columns: COLUMNS,
  key: sql`s.id`,
  keyType: 'int4',
  name: sql`s.name`,
  location: sql`s.location`,
  county: sql`s.county_code`,
  figures: yearlyFigures(
    'relocation_site_indicators',
    'site_id',
    sql`s.id`,
    siteIndicatorSql,
    'relocation sites',
  ),
};

export function siteListQuery(
  filter: RelocationSiteFilter = {},
  order: RelocationSiteOrder = { field: 'ID' },
): ListQuery {
  const conditions: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`s.county_code LIKE ${`${filter.regionCode}%`}`);
  if (filter.search) conditions.push(sql`s.name LIKE ${containsPattern(filter.search)}`);
  if (filter.placementType) conditions.push(sql`s.placement_type = ${filter.placementType}`);
  if (filter.sizeClass) conditions.push(sql`s.size_class = ${filter.sizeClass}`);
  if (filter.keyAssistanceCounty != null)
    conditions.push(inKeyAssistanceCounty(sql`s.county_code`, filter.keyAssistanceCounty));
  return placeListQuery(SITES, filter, order, conditions);
}

export const {
  page: findRelocationSites,
  count: countRelocationSites,
  byKey: findRelocationSitesById,
  /** The first `first` sites of each county, in id order: one query for many counties. */
  ofCounties: findSitesOfCounties,
} = placeReads<RelocationSiteFilter, RelocationSiteRow, number>(SITES, siteListQuery);
