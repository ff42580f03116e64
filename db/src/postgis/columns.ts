// PostGIS column types. SRID policy: every geometry is stored in EPSG:4326 (true WGS84 lon/lat,
// never GCJ-02); distances are computed through `geography` in metres; tiles are cut in EPSG:3857.
// drizzle's built-in geometry() only knows points, so the types are declared here.

import { sql } from 'drizzle-orm';
import { customType } from 'drizzle-orm/pg-core';
import type { Geometry, MultiPolygon, Point } from 'geojson';

export const SRID = 4326;

function geometryColumn<G extends Geometry>(type: 'MultiPolygon' | 'Point') {
  return customType<{ data: G; driverData: string }>({
    dataType: () => `geometry(${type}, ${SRID})`,
    // Writes go through PostGIS' own GeoJSON parser; reads select ST_AsGeoJSON explicitly.
    toDriver: (value) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(value)}), ${SRID})`,
  });
}

export const multiPolygon = geometryColumn<MultiPolygon>('MultiPolygon');
export const point = geometryColumn<Point>('Point');
