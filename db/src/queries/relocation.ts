// Relocation site lists and lookups.
import { and, asc, gt, inArray, like, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';
import { relocationSites } from '../tables/index.ts';
import { type Page, type PageResult, toPageResult } from './pagination.ts';

export interface RelocationSiteFilter {
  regionCode?: string | null;
}

export interface RelocationSiteRow {
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
}

const siteColumns = {
  id: relocationSites.id,
  name: relocationSites.name,
  countyCode: relocationSites.countyCode,
  placementType: relocationSites.placementType,
  sizeClass: relocationSites.sizeClass,
  hasSchool: relocationSites.hasSchool,
  hasClinic: relocationSites.hasClinic,
  hasWorkshop: relocationSites.hasWorkshop,
  hasCommunityServiceCentre: relocationSites.hasCommunityServiceCentre,
  yearBuilt: relocationSites.yearBuilt,
  lon: sql<number | null>`ST_X(${relocationSites.location})`.as('lon'),
  lat: sql<number | null>`ST_Y(${relocationSites.location})`.as('lat'),
};

function siteConditions(filter: RelocationSiteFilter): SQL | undefined {
  return and(
    filter.regionCode ? like(relocationSites.countyCode, `${filter.regionCode.slice(0, 6)}%`) : undefined,
  );
}

/** One page of sites ordered by id (keyset on id). */
export async function findRelocationSites(
  db: Executor,
  filter: RelocationSiteFilter,
  page: Page<number>,
): Promise<PageResult<RelocationSiteRow>> {
  const rows = await db
    .select(siteColumns)
    .from(relocationSites)
    .where(and(siteConditions(filter), page.after != null ? gt(relocationSites.id, page.after) : undefined))
    .orderBy(asc(relocationSites.id))
    .limit(page.first + 1);
  return toPageResult(rows, page.first);
}

export async function countRelocationSites(db: Executor, filter: RelocationSiteFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(relocationSites)
    .where(siteConditions(filter));
  return row?.n ?? 0;
}

export async function findRelocationSitesById(
  db: Executor,
  ids: readonly number[],
): Promise<RelocationSiteRow[]> {
  if (!ids.length) return [];
  return db
    .select(siteColumns)
    .from(relocationSites)
    .where(inArray(relocationSites.id, [...ids]));
}
