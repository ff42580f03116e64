// Checks of user input that need the database: PostGIS's view of a drawn polygon, and whether a
// region named in a filter exists with a boundary.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

/** PostGIS's verdict on a GeoJSON polygon: 'Valid Geometry', or the reason it is not valid. */
export async function polygonValidity(db: Executor, geojson: unknown): Promise<string> {
  const [row] = await queryRows<{ reason: string }>(
    db,
    sql`SELECT ST_IsValidReason(ST_GeomFromGeoJSON(${JSON.stringify(geojson)})) AS reason`,
  );
  return row?.reason ?? 'no answer';
}

/** Whether a region exists (null when not) and has a stored boundary. */
export async function regionHasBoundary(db: Executor, code: string): Promise<boolean | null> {
  const [row] = await queryRows<{ has: boolean }>(
    db,
    sql`SELECT boundary IS NOT NULL AS has FROM regions WHERE code = ${code}`,
  );
  return row ? row.has : null;
}
