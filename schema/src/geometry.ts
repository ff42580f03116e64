import { wgs84ToGcj02 } from '@rrm/db';

/** A stored WGS84 point as GeoJSON, optionally shifted to GCJ-02. */
export function pointGeoJSON(lon: number | null, lat: number | null, gcj02: boolean): object | null {
  if (lon == null || lat == null) return null;
  return { type: 'Point', coordinates: gcj02 ? wgs84ToGcj02(lon, lat) : [lon, lat] };
}
