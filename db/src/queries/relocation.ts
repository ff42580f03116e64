// Relocation site lists and lookups.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { relocationSites } from '../tables/relocation.ts';
import {
  addIndicatorFilter,
  chooseOrdering,
  containsPattern,
  type IndicatorRange,
  type KeysetPosition,
  type OrderRequest,
  type SpatialFilter,
  siteIndicatorSql,
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

export interface RelocationSiteFilter {
  /** County code prefix (2, 4 or 6 digits). */
  regionCode?: string | null;
  search?: string | null;
  placementType?: string | null;
  sizeClass?: string | null;
  /** In a 国家乡村振兴重点帮扶县 or not. */
  keyAssistanceCounty?: boolean | null;
  spatial?: SpatialFilter | null;
  indicator?: IndicatorRange | null;
}

export type RelocationSiteOrder = OrderRequest;

/** A site's columns (its point as lon/lat). */
export type RelocationSiteRow = Omit<typeof relocationSites.$inferSelect, 'location'> & PlacedRow & ListRow;

const COLUMNS = sql`s.id, s.name, s.county_code AS "countyCode", s.placement_type AS "placementType",
  s.size_class AS "sizeClass", s.has_school AS "hasSchool", s.has_clinic AS "hasClinic",
  s.has_workshop AS "hasWorkshop", s.has_community_service_centre AS "hasCommunityServiceCentre",
  s.year_built AS "yearBuilt", ST_X(s.location) AS lon, ST_Y(s.location) AS lat`;

const SITE_FIGURES: YearlyFigures = {
  join: (alias, year, kind) =>
    sql`${sql.raw(kind)} relocation_site_indicators ${sql.raw(alias)} ON ${sql.raw(alias)}.site_id = s.id AND ${sql.raw(alias)}.year = ${year}`,
  value: siteIndicatorSql,
  noun: 'relocation sites',
};

export function siteListQuery(
  filter: RelocationSiteFilter = {},
  order: RelocationSiteOrder = { field: 'ID' },
): ListQuery {
  const conditions: SQL[] = [];
  const joins: SQL[] = [];
  if (filter.regionCode) conditions.push(sql`s.county_code LIKE ${`${filter.regionCode}%`}`);
  if (filter.search) conditions.push(sql`s.name LIKE ${containsPattern(filter.search)}`);
  if (filter.placementType) conditions.push(sql`s.placement_type = ${filter.placementType}`);
  if (filter.sizeClass) conditions.push(sql`s.size_class = ${filter.sizeClass}`);
  if (filter.keyAssistanceCounty != null) {
    conditions.push(sql`${filter.keyAssistanceCounty ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM county_designations d
      WHERE d.county_code = s.county_code AND d.key_assistance)`);
  }
  if (filter.indicator) addIndicatorFilter(SITE_FIGURES, filter.indicator, joins, conditions);
  const spatial = spatialConditions(sql`s.location`, filter.spatial);
  conditions.push(...spatial.where);

  const ordering = chooseOrdering(order, {
    key: sql`s.id`,
    keyType: 'int4',
    name: sql`s.name`,
    distance: spatial.distance,
    figures: SITE_FIGURES,
    joins,
  });
  return {
    from: sql`relocation_sites s ${sql.join(joins, sql` `)}`,
    columns: sql`${COLUMNS}, ${spatial.distance ?? sql`NULL::float8`} AS "distanceMeters"`,
    conditions,
    ordering,
  };
}

export function findRelocationSites(
  db: Executor,
  filter: RelocationSiteFilter,
  page: { first: number; after?: KeysetPosition | null },
  order?: RelocationSiteOrder,
): Promise<PageResult<RelocationSiteRow>> {
  return runList<RelocationSiteRow>(db, siteListQuery(filter, order), page);
}

export function countRelocationSites(db: Executor, filter: RelocationSiteFilter): Promise<number> {
  return countList(db, siteListQuery(filter));
}

export async function findRelocationSitesById(
  db: Executor,
  ids: readonly number[],
): Promise<RelocationSiteRow[]> {
  if (!ids.length) return [];
  return queryRows<RelocationSiteRow>(
    db,
    sql`SELECT ${COLUMNS}, NULL::float8 AS "distanceMeters", s.id AS sort_value, s.id AS sort_key
        FROM relocation_sites s WHERE s.id IN ${sqlList(ids)}`,
  );
}
