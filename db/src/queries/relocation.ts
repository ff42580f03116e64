// Relocation site lists and lookups.
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
  siteIndicatorSql,
  spatialConditions,
} from './filters.ts';
import { countList, type ListQuery, type ListRow, runList } from './lists.ts';
import type { PageResult } from './pagination.ts';

export interface RelocationSiteFilter {
  /** County code prefix (2, 4 or 6 digits). */
  regionCode?: string | null;
  search?: string | null;
  placementType?: string | null;
  sizeClass?: string | null;
  spatial?: SpatialFilter | null;
  indicator?: IndicatorRange | null;
}

export type RelocationSiteOrderField = 'ID' | 'NAME' | 'INDICATOR' | 'DISTANCE';

export interface RelocationSiteOrder {
  field: RelocationSiteOrderField;
  direction?: SortDirection | null;
  indicator?: Indicator | null;
  year?: number | null;
}

export interface RelocationSiteRow extends ListRow {
  id: number;
  name: string;
  countyCode: string;
  placementType: string;
  sizeClass: string;
  hasSchool: boolean;
  hasClinic: boolean;
  hasWorkshop: boolean;
  hasCommunityServiceCentre: boolean;
  yearBuilt: number;
  lon: number | null;
  lat: number | null;
  distanceMeters: number | null;
}

const COLUMNS = sql`s.id, s.name, s.county_code AS "countyCode", s.placement_type AS "placementType",
  s.size_class AS "sizeClass", s.has_school AS "hasSchool", s.has_clinic AS "hasClinic",
  s.has_workshop AS "hasWorkshop", s.has_community_service_centre AS "hasCommunityServiceCentre",
  s.year_built AS "yearBuilt", ST_X(s.location) AS lon, ST_Y(s.location) AS lat`;

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
  if (filter.indicator) {
    const value = siteIndicatorSql(filter.indicator.indicator, 'fi');
    if (!value)
      throw new RangeError(`indicator ${filter.indicator.indicator} is not collected for relocation sites`);
    joins.push(
      sql`JOIN relocation_site_indicators fi ON fi.site_id = s.id AND fi.year = ${filter.indicator.year}`,
    );
    conditions.push(...rangeConditions(value, filter.indicator));
  }
  const spatial = spatialConditions(sql`s.location`, filter.spatial);
  conditions.push(...spatial.where);

  const direction = order.direction ?? 'ASC';
  const key = sql`s.id`;
  let ordering: Ordering;
  switch (order.field) {
    case 'NAME':
      ordering = { expr: sql`s.name`, type: 'text', direction, key, keyType: 'int4' };
      break;
    case 'DISTANCE':
      if (!spatial.distance) throw new RangeError('ordering by DISTANCE needs filter.spatial.near');
      ordering = { expr: spatial.distance, type: 'float8', direction, key, keyType: 'int4' };
      break;
    case 'INDICATOR': {
      if (!order.indicator || order.year == null)
        throw new RangeError('ordering by INDICATOR needs indicator and year');
      const value = siteIndicatorSql(order.indicator, 'oi');
      if (!value) throw new RangeError(`indicator ${order.indicator} is not collected for relocation sites`);
      joins.push(
        sql`LEFT JOIN relocation_site_indicators oi ON oi.site_id = s.id AND oi.year = ${order.year}`,
      );
      ordering = { expr: value, type: 'float8', direction, key, keyType: 'int4' };
      break;
    }
    default:
      ordering = { expr: key, type: 'int4', direction, key, keyType: 'int4' };
  }
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
        FROM relocation_sites s WHERE s.id IN ${sql`(${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`}`,
  );
}
