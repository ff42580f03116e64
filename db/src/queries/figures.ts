// Yearly figures and relations fetched for many keys at once (the GraphQL loaders batch into these).
import { sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { regions } from '../tables/regions.ts';
import type { relocationOrigins, relocationSiteIndicators } from '../tables/relocation.ts';
import type { regionIndicators } from '../tables/rollup.ts';
import type { villageIndicators } from '../tables/villages.ts';

export type VillageYearRow = typeof villageIndicators.$inferSelect;

/** Every year of each village, in year order (or only `year`). */
export async function findVillageYears(
  db: Executor,
  codes: readonly string[],
  year?: number,
): Promise<VillageYearRow[]> {
  if (!codes.length) return [];
  return queryRows<VillageYearRow>(
    db,
    sql`SELECT village_code AS "villageCode", year, population, households, lifted_population AS "liftedPopulation",
          lifted_households AS "liftedHouseholds", per_capita_net_income AS "perCapitaNetIncome",
          labour_force AS "labourForce", employed_out_migrant AS "employedOutMigrant", employed_local AS "employedLocal",
          public_welfare_posts AS "publicWelfarePosts", workshop_jobs AS "workshopJobs",
          monitored_unstable AS "monitoredUnstable", monitored_marginal AS "monitoredMarginal",
          monitored_sudden_hardship AS "monitoredSuddenHardship", monitored_risk_removed AS "monitoredRiskRemoved",
          dropouts, uninsured, unsafe_houses AS "unsafeHouses", households_without_safe_water AS "householdsWithoutSafeWater"
        FROM village_indicators WHERE village_code IN ${sqlList(codes)} ${year ? sql`AND year = ${year}` : sql``}
        ORDER BY village_code, year`,
  );
}

export type RegionYearRow = typeof regionIndicators.$inferSelect;

export const REGION_YEAR_COLUMNS = sql`ri.region_code AS "regionCode", ri.level, ri.year, ri.villages,
  ri.poverty_villages AS "povertyVillages", ri.supervised_villages AS "supervisedVillages", ri.population,
  ri.lifted_population AS "liftedPopulation", ri.per_capita_net_income AS "perCapitaNetIncome",
  ri.labour_force AS "labourForce", ri.employed, ri.employed_out_migrant AS "employedOutMigrant",
  ri.employed_local AS "employedLocal", ri.public_welfare_posts AS "publicWelfarePosts", ri.workshop_jobs AS "workshopJobs",
  ri.monitored_households AS "monitoredHouseholds", ri.monitored_risk_removed AS "monitoredRiskRemoved",
  ri.relocation_sites AS "relocationSites", ri.relocated_households AS "relocatedHouseholds",
  ri.relocated_people AS "relocatedPeople", ri.site_labour_households AS "siteLabourHouseholds",
  ri.site_employed AS "siteEmployed", ri.zero_employment_households AS "zeroEmploymentHouseholds"`;

/** Every year of each region's rollup (nation is "00"), or only `year`. */
export async function findRegionYears(
  db: Executor,
  codes: readonly string[],
  year?: number,
): Promise<RegionYearRow[]> {
  if (!codes.length) return [];
  return queryRows<RegionYearRow>(
    db,
    sql`SELECT ${REGION_YEAR_COLUMNS} FROM region_indicators ri WHERE ri.region_code IN ${sqlList(codes)}
        ${year ? sql`AND ri.year = ${year}` : sql``} ORDER BY ri.region_code, ri.year`,
  );
}

export type SiteYearRow = typeof relocationSiteIndicators.$inferSelect;

export async function findSiteYears(
  db: Executor,
  ids: readonly number[],
  year?: number,
): Promise<SiteYearRow[]> {
  if (!ids.length) return [];
  return queryRows<SiteYearRow>(
    db,
    sql`SELECT site_id AS "siteId", year, households, people, labour_households AS "labourHouseholds", employed,
          zero_employment_households AS "zeroEmploymentHouseholds"
        FROM relocation_site_indicators WHERE site_id IN ${sqlList(ids)} ${year ? sql`AND year = ${year}` : sql``}
        ORDER BY site_id, year`,
  );
}

export type OriginRow = typeof relocationOrigins.$inferSelect;

/** Origin villages of sites (by site id), or destinations of villages (by village code). */
export async function findOrigins(
  db: Executor,
  by: { siteIds?: readonly number[]; villageCodes?: readonly string[] },
): Promise<OriginRow[]> {
  const condition = by.siteIds?.length
    ? sql`site_id IN ${sqlList(by.siteIds)}`
    : by.villageCodes?.length
      ? sql`village_code IN ${sqlList(by.villageCodes)}`
      : null;
  if (!condition) return [];
  return queryRows<OriginRow>(
    db,
    sql`SELECT site_id AS "siteId", village_code AS "villageCode", households FROM relocation_origins
        WHERE ${condition} ORDER BY site_id, village_code`,
  );
}

/** How many villages and sites each county has (for nested connections' totalCount). */
export async function countByCounty(
  db: Executor,
  table: 'villages' | 'relocation_sites',
  codes: readonly string[],
): Promise<Map<string, number>> {
  if (!codes.length) return new Map();
  const rows = await queryRows<{ code: string; n: number }>(
    db,
    sql`SELECT county_code AS code, count(*)::int AS n FROM ${sql.identifier(table)} WHERE county_code IN ${sqlList(codes)} GROUP BY county_code`,
  );
  return new Map(rows.map((r) => [r.code, r.n]));
}

/** A region's columns, its label point as lon/lat and its boundary's box. */
export type RegionRow = Pick<
  typeof regions.$inferSelect,
  'code' | 'name' | 'level' | 'parentCode' | 'provinceCode'
> & {
  hasBoundary: boolean;
  lon: number | null;
  lat: number | null;
  /** [minLon, minLat, maxLon, maxLat] of the boundary, for zooming to the region. */
  bbox: [number, number, number, number] | null;
};

const REGION_COLUMNS = sql`code, name, level, parent_code AS "parentCode", province_code AS "provinceCode",
  boundary IS NOT NULL AS "hasBoundary", ST_X(label_point) AS lon, ST_Y(label_point) AS lat,
  CASE WHEN boundary IS NULL THEN NULL
    ELSE ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)] END AS bbox`;

export async function findRegionsByCode(db: Executor, codes: readonly string[]): Promise<RegionRow[]> {
  if (!codes.length) return [];
  return queryRows<RegionRow>(db, sql`SELECT ${REGION_COLUMNS} FROM regions WHERE code IN ${sqlList(codes)}`);
}

export async function findChildRegions(db: Executor, parentCodes: readonly string[]): Promise<RegionRow[]> {
  if (!parentCodes.length) return [];
  return queryRows<RegionRow>(
    db,
    sql`SELECT ${REGION_COLUMNS} FROM regions WHERE parent_code IN ${sqlList(parentCodes)} ORDER BY code`,
  );
}

/** All provinces, by code (the top of the drill-down; provinces have no parent). */
export async function findProvinces(db: Executor): Promise<RegionRow[]> {
  return queryRows<RegionRow>(
    db,
    sql`SELECT ${REGION_COLUMNS} FROM regions WHERE level = 'province' ORDER BY code`,
  );
}
