import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, geometryToGcj02, wgs84ToGcj02 } from './gcj02.ts';

describe('GCJ-02', () => {
  it('shifts Tiananmen (WGS84 116.3912, 39.9073) by the well-known ~+0.006° E, +0.0014° N', () => {
    const [lon, lat] = wgs84ToGcj02(116.3912, 39.9073);
    expect(lon - 116.3912).toBeCloseTo(0.00624, 4);
    expect(lat - 39.9073).toBeCloseTo(0.0014, 3);
  });

  it('inverts the transform to under a centimetre across China', () => {
    for (const [lon, lat] of [
      [116.39, 39.9],
      [87.6, 43.8],
      [91.1, 29.65],
      [113.26, 23.13],
      [126.6, 45.75],
      [112.3, 16.8],
    ] as const) {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
      expect(Math.abs(wLon - lon)).toBeLessThan(1e-7);
      expect(Math.abs(wLat - lat)).toBeLessThan(1e-7);
    }
  });

  it('converts every position of a geometry and leaves the input alone', () => {
    const polygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [100, 30],
            [101, 30],
            [101, 31],
            [100, 30],
          ],
        ],
      ],
    };
    const out = geometryToGcj02(polygon) as typeof polygon;
    expect(polygon.coordinates[0]![0]![0]).toEqual([100, 30]);
    expect(out.coordinates[0]![0]!.length).toBe(4);
    expect(out.coordinates[0]![0]![1]).toEqual(wgs84ToGcj02(101, 30));
  });
});
