// Checks more than one dataset makes against the database.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
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
