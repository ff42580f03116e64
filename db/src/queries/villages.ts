// Village lists and lookups.
import { and, asc, eq, gt, inArray, like, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../bulk.ts';
import { countyDesignations, villages } from '../tables/index.ts';
import { type Page, type PageResult, toPageResult } from './pagination.ts';

export interface VillageFilter {
  regionCode?: string | null;
  povertyVillage?: boolean | null;
  supervised?: boolean | null;
  keyAssistanceCounty?: boolean | null;
}

export interface VillageRow {
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
}

const villageColumns = {
  code: villages.code,
  name: villages.name,
  townshipCode: villages.townshipCode,
  townshipName: villages.townshipName,
  countyCode: villages.countyCode,
  povertyVillage: villages.povertyVillage,
  povertyExitYear: villages.povertyExitYear,
  supervised: villages.supervised,
  lon: sql<number | null>`ST_X(${villages.location})`.as('lon'),
  lat: sql<number | null>`ST_Y(${villages.location})`.as('lat'),
};

function villageConditions(filter: VillageFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.regionCode) conditions.push(like(villages.code, `${filter.regionCode}%`));
  if (filter.povertyVillage != null) conditions.push(eq(villages.povertyVillage, filter.povertyVillage));
  if (filter.supervised != null) conditions.push(eq(villages.supervised, filter.supervised));
  if (filter.keyAssistanceCounty != null) {
    conditions.push(
      sql`${filter.keyAssistanceCounty ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM ${countyDesignations}
        WHERE ${countyDesignations.countyCode} = ${villages.countyCode} AND ${countyDesignations.keyAssistance})`,
    );
  }
  return and(...conditions);
}

/** One page of villages ordered by code (keyset on the 12-digit code). */
export async function findVillages(
  db: Executor,
  filter: VillageFilter,
  page: Page<string>,
): Promise<PageResult<VillageRow>> {
  const rows = await db
    .select(villageColumns)
    .from(villages)
    .where(and(villageConditions(filter), page.after ? gt(villages.code, page.after) : undefined))
    .orderBy(asc(villages.code))
    .limit(page.first + 1);
  return toPageResult(rows, page.first);
}

export async function countVillages(db: Executor, filter: VillageFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(villages)
    .where(villageConditions(filter));
  return row?.n ?? 0;
}

export async function findVillagesByCode(db: Executor, codes: readonly string[]): Promise<VillageRow[]> {
  if (!codes.length) return [];
  return db
    .select(villageColumns)
    .from(villages)
    .where(inArray(villages.code, [...codes]));
}
