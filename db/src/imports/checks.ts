// Checks more than one dataset makes against the database.
import { sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows } from '../bulk.ts';
import type { Reporter, Row } from './spec.ts';

/**
 * Reports each located row whose point (`longitude`, `latitude`) lies outside its county's
 * boundary (PostGIS, one query per batch). Rows without a point, or in a county without a
 * boundary to test against, pass.
 */
export async function checkInsideCounty(
  db: Executor,
  rows: ReadonlyArray<{ row: Row; report: Reporter }>,
  countyOf: (row: Row) => string,
  counties: ReadonlyMap<string, { name: string; hasBoundary: boolean }>,
): Promise<void> {
  const located = rows.filter(({ row }) => row.longitude != null && counties.get(countyOf(row))?.hasBoundary);
  if (located.length === 0) return;
  const inside = await queryRows<{ i: number }>(
    db,
    sql`SELECT u.i FROM unnest(${`{${located.map((_, i) => i).join(',')}}`}::int4[],
        ${`{${located.map(({ row }) => countyOf(row)).join(',')}}`}::text[],
        ${`{${located.map(({ row }) => row.longitude).join(',')}}`}::float8[],
        ${`{${located.map(({ row }) => row.latitude).join(',')}}`}::float8[]) AS u(i, county, lon, lat)
      JOIN regions r ON r.code = u.county
      WHERE ST_Covers(r.boundary, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326))`,
  );
  const ok = new Set(inside.map((r) => Number(r.i)));
  located.forEach(({ row, report }, i) => {
    if (ok.has(i)) return;
    const county = countyOf(row);
    const name = counties.get(county)?.name ?? county;
    report.error(
      'longitude',
      `位置（${row.longitude}, ${row.latitude}）不在所属县 ${name}（${county}）境内`,
      `the point (${row.longitude}, ${row.latitude}) lies outside its county ${county} (${name})`,
    );
  });
}

/** The counties (code → name, and whether a boundary is stored to place points in). */
export async function loadCounties(
  db: Executor,
): Promise<Map<string, { name: string; hasBoundary: boolean }>> {
  const rows = await queryRows<{ code: string; name: string; has_boundary: boolean }>(
    db,
    sql`SELECT code, name, boundary IS NOT NULL AS has_boundary FROM regions WHERE level = 'county'`,
  );
  return new Map(rows.map((r) => [r.code, { name: r.name, hasBoundary: r.has_boundary }]));
}

/**
 * The place of a ledger row (a listing, a problem): its county is a county and its village, when
 * given, lies in it by code. (Whether the village exists is checked per batch: checkVillagesExist.)
 */
export function checkLedgerPlace(row: Row, counties: ReadonlyMap<string, unknown>, report: Reporter): void {
  const county = row.county_code as string;
  if (!counties.has(county))
    report.error('county_code', `${county} 不是已有的县`, `${county} is not a county`);
  const village = row.village_code as string | null;
  if (village != null && !village.startsWith(county))
    report.error(
      'village_code',
      `村代码 ${village} 不在县 ${county} 内`,
      `village ${village} does not lie in county ${county}`,
    );
}

/** Reports each row whose `village_code` names no village (one query per batch). */
export async function checkVillagesExist(
  db: Executor,
  rows: ReadonlyArray<{ row: Row; report: Reporter }>,
): Promise<void> {
  const codes = rows.map(({ row }) => row.village_code).filter((v): v is string => v != null);
  if (codes.length === 0) return;
  const known = await queryRows<{ code: string }>(
    db,
    sql`SELECT code FROM villages WHERE code = ANY(${arrayLiteral(codes)}::text[])`,
  );
  const found = new Set(known.map((v) => v.code));
  for (const { row, report } of rows)
    if (row.village_code != null && !found.has(row.village_code as string))
      report.error(
        'village_code',
        `村代码 ${row.village_code} 不存在`,
        `there is no village ${row.village_code}`,
      );
}
