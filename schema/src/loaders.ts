// Per-request batch loaders: every lookup by key inside one GraphQL response becomes one query, so
// nested selections (county → villages → yearly figures) cost a fixed number of statements.
import {
  type CountyRow,
  countByCounty,
  countProblemsByCounty,
  type Database,
  type EvidenceRow,
  findBoundaries,
  findChildRegions,
  findCountiesByCode,
  findDataset,
  findEvidence,
  findHouseholdHistory,
  findListingHistory,
  findListings,
  findMeasures,
  findOrigins,
  findProblemHistory,
  findProblemReminders,
  findProblemsById,
  findRegionsByCode,
  findRegionYears,
  findRelocationSitesById,
  findSitesOfCounties,
  findSiteYears,
  findVillagesByCode,
  findVillagesOfCounties,
  findVillageYears,
  type HouseholdFiguresRow,
  type HouseholdHistoryRow,
  householdFiguresByRegion,
  type ListingHistoryRow,
  type ListingRow,
  type MeasureRow,
  type OriginRow,
  type ProblemHistoryRow,
  type ProblemRow,
  type RegionRow,
  type RegionYearRow,
  type RelocationSiteRow,
  type ReminderRow,
  type SiteYearRow,
  type VillageRow,
  type VillageYearRow,
} from '@rrm/db';
import DataLoader from 'dataloader';

/** Groups rows by a key, keeping every requested key (empty list when none). */
function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((k) => map.get(k) ?? []);
}

function byKey<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

/** A nested page of a county's children: all keys with the same size share one query. */
function nestedPages<T>(
  fetch: (codes: readonly string[], first: number) => Promise<T[]>,
  countyOf: (row: T) => string,
) {
  return new DataLoader<{ code: string; first: number }, T[], string>(
    async (keys) => {
      const out = new Map<string, T[]>();
      const sizes = new Set(keys.map((k) => k.first));
      for (const first of sizes) {
        const codes = keys.filter((k) => k.first === first).map((k) => k.code);
        for (const [i, rows] of groupBy(codes, await fetch(codes, first), countyOf).entries())
          out.set(`${codes[i]}|${first}`, rows);
      }
      return keys.map((k) => out.get(`${k.code}|${k.first}`) ?? []);
    },
    { cacheKeyFn: (k) => `${k.code}|${k.first}` },
  );
}

export function createLoaders(database: Database) {
  const db = database.db;
  let dataset: ReturnType<typeof findDataset> | undefined;
  return {
    county: new DataLoader<string, CountyRow | null>(async (codes) =>
      byKey(codes, await findCountiesByCode(db, codes), (r) => r.code),
    ),
    village: new DataLoader<string, VillageRow | null>(async (codes) =>
      byKey(codes, await findVillagesByCode(db, codes), (r) => r.code),
    ),
    site: new DataLoader<number, RelocationSiteRow | null>(async (ids) =>
      byKey(ids, await findRelocationSitesById(db, ids), (r) => r.id),
    ),
    region: new DataLoader<string, RegionRow | null>(async (codes) =>
      byKey(codes, await findRegionsByCode(db, codes), (r) => r.code),
    ),
    childRegions: new DataLoader<string, RegionRow[]>(async (codes) =>
      groupBy(codes, await findChildRegions(db, codes), (r) => r.parentCode!),
    ),
    /** Full-resolution boundaries in WGS84 (simplified or GCJ-02 requests go straight to the database). */
    boundary: new DataLoader<string, object | null>(async (codes) => {
      const geometries = await findBoundaries(db, codes);
      return codes.map((c) => geometries.get(c) ?? null);
    }),
    villageYears: new DataLoader<string, VillageYearRow[]>(async (codes) =>
      groupBy(codes, await findVillageYears(db, codes), (r) => r.villageCode),
    ),
    regionYears: new DataLoader<string, RegionYearRow[]>(async (codes) =>
      groupBy(codes, await findRegionYears(db, codes), (r) => r.regionCode),
    ),
    siteYears: new DataLoader<number, SiteYearRow[]>(async (ids) =>
      groupBy(ids, await findSiteYears(db, ids), (r) => r.siteId),
    ),
    siteOrigins: new DataLoader<number, OriginRow[]>(async (ids) =>
      groupBy(ids, await findOrigins(db, { siteIds: ids }), (r) => r.siteId),
    ),
    villageDestinations: new DataLoader<string, OriginRow[]>(async (codes) =>
      groupBy(codes, await findOrigins(db, { villageCodes: codes }), (r) => r.villageCode),
    ),
    villagesOfCounty: nestedPages(
      (codes, first) => findVillagesOfCounties(db, codes, first),
      (r) => r.countyCode,
    ),
    sitesOfCounty: nestedPages(
      (codes, first) => findSitesOfCounties(db, codes, first),
      (r) => r.countyCode,
    ),
    villageCount: new DataLoader<string, number>(async (codes) => {
      const counts = await countByCounty(db, 'villages', codes);
      return codes.map((c) => counts.get(c) ?? 0);
    }),
    siteCount: new DataLoader<string, number>(async (codes) => {
      const counts = await countByCounty(db, 'relocation_sites', codes);
      return codes.map((c) => counts.get(c) ?? 0);
    }),
    problemCounts: new DataLoader<string, { open: number; overdue: number }>(async (codes) => {
      const rows = await countProblemsByCounty(database.db, codes);
      const byCode = new Map(rows.map((r) => [r.countyCode, r]));
      return codes.map((c) => byCode.get(c) ?? { open: 0, overdue: 0 });
    }),
    /** Each county's listings (its own and its villages'). */
    listingsOfCounty: new DataLoader<string, ListingRow[]>(async (codes) =>
      groupBy(codes, await findListings(database.db, { countyCodes: codes }), (l) => l.countyCode),
    ),
    listingHistory: new DataLoader<number, ListingHistoryRow[]>(async (ids) =>
      groupBy(ids, await findListingHistory(db, ids), (r) => r.listingId),
    ),
    problemHistory: new DataLoader<number, ProblemHistoryRow[]>(async (ids) =>
      groupBy(ids, await findProblemHistory(db, ids), (r) => r.problemId),
    ),
    problemById: new DataLoader<number, ProblemRow | null>(async (ids) => {
      const byId = new Map((await findProblemsById(db, ids)).map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    problemEvidence: new DataLoader<number, EvidenceRow[]>(async (ids) =>
      groupBy(ids, await findEvidence(db, ids), (r) => r.problemId),
    ),
    problemReminders: new DataLoader<number, ReminderRow[]>(async (ids) =>
      groupBy(ids, await findProblemReminders(db, ids), (r) => r.problemId),
    ),
    householdMeasures: new DataLoader<number, MeasureRow[]>(async (ids) =>
      groupBy(ids, await findMeasures(db, ids), (r) => r.householdId),
    ),
    householdHistory: new DataLoader<number, HouseholdHistoryRow[]>(async (ids) =>
      groupBy(ids, await findHouseholdHistory(db, ids), (r) => r.householdId),
    ),
    /** Each region's monitoring indicators from its stored household counts, every monitoring year. */
    householdFigures: new DataLoader<string, HouseholdFiguresRow[]>(async (codes) =>
      groupBy(codes, await householdFiguresByRegion(db, codes), (r) => r.code),
    ),
    dataset: () => {
      dataset ??= findDataset(db);
      return dataset;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
