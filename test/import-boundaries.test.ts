// Importing real boundaries: valid files replace the geometry (and the parents' outlines follow);
// any invalid feature refuses the whole file with a message naming it, and nothing changes.
import { BoundaryImportError, importBoundaries } from '@rrm/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint } from './support/fingerprint.ts';

const square = (lon: number, lat: number, d = 0.2) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ],
  ],
});
const feature = (code: string, name: string, geometry: unknown) => ({
  type: 'Feature',
  properties: { code, name },
  geometry,
});

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `boundary import on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let county: { code: string; name: string; lon: number; lat: number; prefecture: string };
      const fingerprint = () => databaseFingerprint(database, ['region_boundaries']);

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        county = (
          await database.rows(sql`
        SELECT code, name, ST_X(label_point) AS lon, ST_Y(label_point) AS lat, prefecture_code AS prefecture
        FROM regions WHERE code = (SELECT min(county_code) FROM villages)`)
        )[0] as typeof county;
      });
      afterAll(() => database?.dispose());

      it('refuses bad files whole, naming each problem, and changes nothing', async () => {
        const before = await fingerprint();
        const cases: Array<[unknown, RegExp]> = [
          [{ type: 'Feature' }, /not a GeoJSON FeatureCollection/],
          [{ type: 'FeatureCollection', features: [] }, /no features/],
          [
            { type: 'FeatureCollection', features: [feature('999999', 'x', square(100, 30))] },
            /no region has code 999999/,
          ],
          [
            { type: 'FeatureCollection', features: [feature('52x', 'x', square(100, 30))] },
            /properties\.code must be/,
          ],
          [
            {
              type: 'FeatureCollection',
              features: [feature(county.code, county.name, { type: 'Point', coordinates: [100, 30] })],
            },
            /must be a Polygon or MultiPolygon, got "Point"/,
          ],
          [
            {
              type: 'FeatureCollection',
              features: [feature(county.code, county.name, square(12_000_000, 3_000_000))],
            },
            /outside longitude ±180/,
          ],
          [
            {
              type: 'FeatureCollection',
              features: [
                feature(county.code, county.name, {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [100, 30],
                      [101, 30],
                      [101, 31],
                      [100, 31],
                    ],
                  ],
                }),
              ],
            },
            /not closed/,
          ],
          [
            { type: 'FeatureCollection', features: [feature(county.code, '', square(100, 30))] },
            /properties\.name is missing/,
          ],
          [
            {
              type: 'FeatureCollection',
              features: [
                feature(county.code, county.name, square(100, 30)),
                feature(county.code, county.name, square(100, 30)),
              ],
            },
            /appears twice/,
          ],
          // A good feature beside a bad one: the good one must not be written either.
          [
            {
              type: 'FeatureCollection',
              features: [
                feature(county.code, county.name, square(county.lon, county.lat)),
                feature('999999', 'x', square(1, 1)),
              ],
            },
            /feature 1 \(code 999999\)/,
          ],
          // Valid rings with no area once repaired.
          [
            {
              type: 'FeatureCollection',
              features: [
                feature(county.code, county.name, {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [100, 30],
                      [101, 30],
                      [102, 30],
                      [100, 30],
                    ],
                  ],
                }),
              ],
            },
            /no area/,
          ],
        ];
        for (const [input, message] of cases) {
          const error = await importBoundaries(database, input).catch((e) => e);
          expect(error, String(message)).toBeInstanceOf(BoundaryImportError);
          expect(error.message).toMatch(message);
          expect(error.message).toMatch(/nothing was changed/);
        }
        expect(await fingerprint()).toEqual(before);
      });

      it('imports a valid boundary, repairs a self-intersecting one, re-derives the parent outline, bumps the data version', async () => {
        const [{ v: versionBefore }] = (await database.rows(
          sql`SELECT data_version::int AS v FROM dataset`,
        )) as [{ v: number }];
        const [{ area: parentBefore }] = (await database.rows(
          sql`SELECT ST_Area(boundary) AS area FROM regions WHERE code = ${county.prefecture}`,
        )) as [{ area: number }];
        // A bow-tie ring (self-intersecting) is repaired, not refused.
        const bowTie = {
          type: 'Polygon',
          coordinates: [
            [
              [county.lon - 0.1, county.lat - 0.1],
              [county.lon + 0.1, county.lat + 0.1],
              [county.lon + 0.1, county.lat - 0.1],
              [county.lon - 0.1, county.lat + 0.1],
              [county.lon - 0.1, county.lat - 0.1],
            ],
          ],
        };
        const result = await importBoundaries(database, {
          type: 'FeatureCollection',
          features: [feature(county.code, `${county.name}（新）`, bowTie)],
        });
        expect(result.imported).toBe(1);
        expect(result.derivedParents).toBe(2); // its prefecture and its province
        expect(result.nameMismatches).toEqual([
          { code: county.code, stored: county.name, file: `${county.name}（新）` },
        ]);
        expect(result.villagesOutside).toBeGreaterThan(0); // the old villages mostly lie outside a tiny bow-tie
        const [row] = (await database.rows(sql`
        SELECT ST_IsValid(boundary) AS valid, ST_GeometryType(boundary) AS type, ST_Area(boundary) AS area,
          ST_Intersects(label_point, boundary) AS label_inside,
          (SELECT data_version::int FROM dataset) AS version,
          (SELECT ST_Area(boundary) FROM regions WHERE code = ${county.prefecture}) AS parent_area
        FROM regions WHERE code = ${county.code}`)) as [
          {
            valid: boolean;
            type: string;
            area: number;
            label_inside: boolean;
            version: number;
            parent_area: number;
          },
        ];
        expect(row).toMatchObject({
          valid: true,
          type: 'ST_MultiPolygon',
          label_inside: true,
          version: versionBefore + 1,
        });
        expect(row.area).toBeCloseTo(0.02, 3); // two triangles of 0.01 square degrees
        expect(row.parent_area).toBeLessThan(parentBefore);
      });
    },
  );
}
