import type { FieldRef } from '@pothos/core';
import { wgs84ToGcj02 } from '@rrm/db';
import type { Types } from './builder.ts';

/** A stored WGS84 point as GeoJSON, optionally shifted to GCJ-02. */
export function pointGeoJSON(lon: number | null, lat: number | null, gcj02: boolean): object | null {
  if (lon == null || lat == null) return null;
  return { type: 'Point', coordinates: gcj02 ? wgs84ToGcj02(lon, lat) : [lon, lat] };
}

/** A nullable GeoJSON Point field read from the row's lon/lat, with the GCJ-02 option every point has. */
export function pointField<Row extends { lon: number | null; lat: number | null }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>,
  description: string,
): FieldRef<Types, object | null | undefined, 'Object'> {
  return t.field({
    type: 'GeoJSON',
    nullable: true,
    description: `${description} WGS84 unless gcj02 is true.`,
    args: {
      gcj02: t.arg.boolean({
        required: false,
        description: 'Return GCJ-02 (火星坐标, for AMap/Tencent base maps).',
      }),
    },
    resolve: (row, { gcj02 }) => pointGeoJSON(row.lon, row.lat, !!gcj02),
  });
}
