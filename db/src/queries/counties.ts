// County lists and lookups: regions of level "county" joined with their designations.
import { type AnyColumn, and, asc, eq, gt, inArray, like, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { geometryToGcj02 } from '../postgis/gcj02.ts';
import { countyDesignations, regions } from '../tables/index.ts';
import { type Page, type PageResult, toPageResult } from './pagination.ts';

export interface CountyFilter {
  /** Code prefix of any level: "52" (province), "5226" (prefecture), "522623" (county). */
  regionCode?: string | null;
  povertyCounty?: boolean | null;
  keyAssistance?: boolean | null;
  supervised?: boolean | null;
}

export interface CountyRow {
  code: string;
  name: string;
  prefectureCode: string | null;
  provinceCode: string;
  hasBoundary: boolean;
  povertyCounty: boolean;
  povertyExitYear: number | null;
  keyAssistance: boolean;
  supervised: boolean;
  eastWestPartnerProvince: string | null;
  eastWestPartnerCounty: string | null;
}

const countyColumns = {
  code: regions.code,
  name: regions.name,
  prefectureCode: regions.prefectureCode,
  provinceCode: regions.provinceCode,
  hasBoundary: sql<boolean>`${regions.boundary} IS NOT NULL`.as('has_boundary'),
  povertyCounty: sql<boolean>`coalesce(${countyDesignations.povertyCounty}, false)`.as('poverty_county'),
  povertyExitYear: countyDesignations.povertyExitYear,
  keyAssistance: sql<boolean>`coalesce(${countyDesignations.keyAssistance}, false)`.as('key_assistance'),
  supervised: sql<boolean>`coalesce(${countyDesignations.supervised}, false)`.as('supervised'),
  eastWestPartnerProvince: countyDesignations.eastWestPartnerProvince,
  eastWestPartnerCounty: countyDesignations.eastWestPartnerCounty,
};

function countyConditions(filter: CountyFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(regions.level, 'county')];
  if (filter.regionCode) conditions.push(like(regions.code, `${filter.regionCode}%`));
  const flag = (column: AnyColumn, value: boolean | null | undefined) => {
    if (value == null) return;
    conditions.push(sql`coalesce(${column}, false) = ${value}`);
  };
  flag(countyDesignations.povertyCounty, filter.povertyCounty);
  flag(countyDesignations.keyAssistance, filter.keyAssistance);
  flag(countyDesignations.supervised, filter.supervised);
  return and(...conditions);
}

/** One page of counties ordered by code (keyset: `after` is the last code seen). */
export async function findCounties(
  db: Executor,
  filter: CountyFilter,
  page: Page<string>,
): Promise<PageResult<CountyRow>> {
  const rows = await db
    .select(countyColumns)
    .from(regions)
    .leftJoin(countyDesignations, eq(countyDesignations.countyCode, regions.code))
    .where(and(countyConditions(filter), page.after ? gt(regions.code, page.after) : undefined))
    .orderBy(asc(regions.code))
    .limit(page.first + 1);
  return toPageResult(rows, page.first);
}

export async function countCounties(db: Executor, filter: CountyFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(regions)
    .leftJoin(countyDesignations, eq(countyDesignations.countyCode, regions.code))
    .where(countyConditions(filter));
  return row?.n ?? 0;
}

export async function findCountiesByCode(db: Executor, codes: readonly string[]): Promise<CountyRow[]> {
  if (!codes.length) return [];
  return db
    .select(countyColumns)
    .from(regions)
    .leftJoin(countyDesignations, eq(countyDesignations.countyCode, regions.code))
    .where(and(eq(regions.level, 'county'), inArray(regions.code, [...codes])));
}

export interface GeometryOptions {
  /** Douglas–Peucker tolerance in degrees (ST_SimplifyPreserveTopology); none when absent. */
  simplifyTolerance?: number | null;
  /** Return GCJ-02 coordinates (for AMap/Tencent base maps) instead of WGS84. */
  gcj02?: boolean;
}

/** Boundaries of regions as GeoJSON geometries, keyed by code (absent when a region has none). */
export async function findBoundaries(
  db: Executor,
  codes: readonly string[],
  options: GeometryOptions = {},
): Promise<Map<string, object>> {
  if (!codes.length) return new Map();
  const geometry = options.simplifyTolerance
    ? sql`ST_Multi(ST_SimplifyPreserveTopology(boundary, ${options.simplifyTolerance}))`
    : sql`boundary`;
  const rows = await queryRows<{ code: string; geojson: string }>(
    db,
    sql`SELECT code, ST_AsGeoJSON(${geometry}, 6) AS geojson FROM regions
        WHERE code IN ${sql`(${sql.join(
          codes.map((c) => sql`${c}`),
          sql`, `,
        )})`} AND boundary IS NOT NULL`,
  );
  return new Map(
    rows.map((r) => {
      const g = JSON.parse(r.geojson);
      return [r.code, options.gcj02 ? geometryToGcj02(g) : g];
    }),
  );
}
