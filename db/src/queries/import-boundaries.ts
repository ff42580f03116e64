// Imports real, licensed boundaries in place of the demo geometry: a GeoJSON FeatureCollection
// whose features carry `code` (any region level) and `name`. Everything is validated before
// anything is written, and the write is one transaction: on any error nothing changes.
import { sql } from 'drizzle-orm';
import { bulkInsertRows, queryRows } from '../bulk.ts';
import type { Database } from '../client.ts';
import { gcj02ToWgs84 } from '../postgis/gcj02.ts';

export class BoundaryImportError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `boundary import refused, nothing was changed:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
  }
}

export interface BoundaryImportResult {
  imported: number;
  /** Parents (prefectures, provinces) whose outline was re-derived from imported counties. */
  derivedParents: number;
  /** Region names in the file that differ from the stored names (imported anyway, by code). */
  nameMismatches: Array<{ code: string; stored: string; file: string }>;
  /** Villages whose point now falls outside their county's new boundary. */
  villagesOutside: number;
}

type Position = number[];

function checkRing(ring: unknown): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions';
  for (const p of ring as Position[]) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      return `${JSON.stringify(p)} is not a [longitude, latitude] position`;
    }
    if (Math.abs(p[0]!) > 180 || Math.abs(p[1]!) > 90) {
      return `${JSON.stringify(p)} is outside longitude ±180 / latitude ±90 (projected coordinates? use WGS84)`;
    }
  }
  const first = (ring as Position[])[0]!;
  const last = (ring as Position[])[ring.length - 1]!;
  return first[0] !== last[0] || first[1] !== last[1] ? 'the ring is not closed' : null;
}

function checkPositions(rings: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(rings) || rings.length === 0) {
    problems.push(`${where}: a polygon needs at least one ring`);
    return;
  }
  for (const [i, ring] of rings.entries()) {
    const problem = checkRing(ring);
    if (problem) problems.push(`${where}, ring ${i}: ${problem}`);
  }
}

type Geometry = { type: string; coordinates: unknown };

function convertGcj(geometry: Geometry): Geometry {
  const convert = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? gcj02ToWgs84((c as number[])[0]!, (c as number[])[1]!)
      : (c as unknown[]).map(convert);
  return { type: geometry.type, coordinates: convert(geometry.coordinates) };
}

/** Checks one feature: its problem(s), or its code and geometry when it is fine. */
function checkFeature(
  raw: unknown,
  index: number,
  known: Map<string, string>,
  seen: Set<string>,
  nameMismatches: BoundaryImportResult['nameMismatches'],
): string | string[] | { code: string; geometry: Geometry } {
  const feature = raw as {
    type?: unknown;
    properties?: Record<string, unknown> | null;
    geometry?: { type?: unknown; coordinates?: unknown } | null;
  };
  const code = feature?.properties?.code;
  const where = `feature ${index}${typeof code === 'string' ? ` (code ${code})` : ''}`;
  if (feature?.type !== 'Feature') return `${where}: not a GeoJSON Feature`;
  if (typeof code !== 'string' || !/^\d{2}(\d{2}(\d{2})?)?$/.test(code)) {
    return `${where}: properties.code must be a 2-, 4- or 6-digit region code, got ${JSON.stringify(code)}`;
  }
  if (!known.has(code))
    return `${where}: no region has code ${code} (the product keys regions by 2023 codes)`;
  if (seen.has(code)) return `${where}: code ${code} appears twice`;
  seen.add(code);
  const name = feature.properties?.name;
  if (typeof name !== 'string' || !name.trim()) return `${where}: properties.name is missing`;
  if (name !== known.get(code)) nameMismatches.push({ code, stored: known.get(code)!, file: name });
  const geometry = feature.geometry;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    return `${where}: geometry must be a Polygon or MultiPolygon, got ${JSON.stringify(geometry?.type ?? null)}`;
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return `${where}: geometry has no coordinates`;
  const problems: string[] = [];
  for (const [p, rings] of polygons.entries()) checkPositions(rings, `${where}, polygon ${p}`, problems);
  return problems.length ? problems : { code, geometry: geometry as Geometry };
}

/**
 * Validates and imports boundaries. `fromGcj02` converts input coordinates to WGS84 first (for
 * boundaries digitised on AMap/Tencent maps).
 */
export async function importBoundaries(
  database: Database,
  input: unknown,
  options: { fromGcj02?: boolean } = {},
): Promise<BoundaryImportResult> {
  const problems: string[] = [];
  const collection = input as { type?: unknown; features?: unknown };
  if (
    typeof input !== 'object' ||
    input === null ||
    collection.type !== 'FeatureCollection' ||
    !Array.isArray(collection.features)
  ) {
    throw new BoundaryImportError(['the file is not a GeoJSON FeatureCollection']);
  }
  if (collection.features.length === 0)
    throw new BoundaryImportError(['the FeatureCollection has no features']);

  const known = new Map(
    (await database.rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions`)).map((r) => [
      r.code,
      r.name,
    ]),
  );
  const seen = new Set<string>();
  const rows: Array<{ code: string; geojson: string }> = [];
  const nameMismatches: BoundaryImportResult['nameMismatches'] = [];
  for (const [index, raw] of collection.features.entries()) {
    const checked = checkFeature(raw, index, known, seen, nameMismatches);
    if (typeof checked === 'string') problems.push(checked);
    else if (Array.isArray(checked)) problems.push(...checked);
    else {
      const geometry = options.fromGcj02 ? convertGcj(checked.geometry) : checked.geometry;
      rows.push({ code: checked.code, geojson: JSON.stringify(geometry) });
    }
  }
  if (problems.length) throw new BoundaryImportError(problems);

  let result: BoundaryImportResult = { imported: 0, derivedParents: 0, nameMismatches, villagesOutside: 0 };
  await database.db.transaction(async (tx) => {
    await tx.execute(
      sql`CREATE TEMP TABLE boundary_import (code text PRIMARY KEY, boundary geometry(MultiPolygon, 4326)) ON COMMIT DROP`,
    );
    await bulkInsertRows(
      tx,
      'boundary_import',
      rows,
      [
        ['code', 'text', (r) => r.code],
        ['_geojson', 'text', (r) => r.geojson],
      ],
      {
        // Self-intersections and wrong ring order are repaired, as at demo load.
        boundary: sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(u._geojson), 4326)), 3))`,
      },
      200,
    );
    const empty = await queryRows<{ code: string }>(
      tx,
      sql`SELECT code FROM boundary_import WHERE boundary IS NULL OR ST_IsEmpty(boundary) OR ST_Area(boundary) = 0`,
    );
    if (empty.length) {
      throw new BoundaryImportError(
        empty.map((r) => `code ${r.code}: the geometry has no area once made valid`),
      );
    }
    await tx.execute(sql`
      UPDATE regions r SET boundary = i.boundary, label_point = ST_PointOnSurface(i.boundary)
      FROM boundary_import i WHERE i.code = r.code`);
    // Outlines of prefectures and provinces follow their imported counties unless the file gave them.
    const derived = await queryRows<{ code: string }>(
      tx,
      sql`
      WITH touched AS (
        SELECT DISTINCT unnest(ARRAY[r.prefecture_code, r.province_code]) AS code
        FROM boundary_import i JOIN regions r ON r.code = i.code WHERE r.level = 'county'
      )
      UPDATE regions p SET boundary = d.boundary, label_point = ST_PointOnSurface(d.boundary)
      FROM (
        SELECT t.code, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(c.boundary)), 3)) AS boundary
        FROM touched t JOIN regions c ON c.level = 'county' AND c.code LIKE t.code || '%' AND c.boundary IS NOT NULL
        WHERE t.code IS NOT NULL AND t.code NOT IN (SELECT code FROM boundary_import)
        GROUP BY t.code
      ) d
      WHERE p.code = d.code
      RETURNING p.code`,
    );
    const [outside] = await queryRows<{ n: number }>(
      tx,
      sql`
      SELECT count(*)::int AS n FROM villages v JOIN boundary_import i ON i.code = v.county_code
      WHERE NOT ST_Intersects(v.location, i.boundary)`,
    );
    await tx.execute(sql`
      UPDATE dataset SET data_version = data_version + 1, figures_version = figures_version + 1,
        details = details || jsonb_build_object('boundaries', 'imported', 'boundariesImportedAt', now())`);
    result = {
      imported: rows.length,
      derivedParents: derived.length,
      nameMismatches,
      villagesOutside: outside?.n ?? 0,
    };
  });
  return result;
}
