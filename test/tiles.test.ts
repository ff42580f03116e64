// Vector tiles on both backends (ST_AsMVT on PostgreSQL, geojson-vt in Node on PGlite): decoded with
// @mapbox/vector-tile and checked for features and properties; ETags follow the data version.
import { VectorTile } from '@mapbox/vector-tile';
import { bumpFiguresVersion, mvtTileWithin, TILE_SOURCES, type TileSource, tileFeaturePages } from '@rrm/db';
import { cachedTileCount, chinaTiles, TILE_LAYERS } from '@rrm/server';
import { sql } from 'drizzle-orm';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileOf } from '../scripts/support/tile-math.ts';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { startTestServer, type TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

/** The tile containing a point at a zoom (Web Mercator). */

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `vector tiles on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      let village: {
        code: string;
        name: string;
        lon: number;
        lat: number;
        supervised: boolean;
        income: number;
      };
      const tile = async (
        layer: string,
        [z, x, y]: [number, number, number],
        year = 2020,
        headers: Record<string, string> = {},
      ) => {
        const response = await fetch(`${server.url}/tiles/${layer}/${z}/${x}/${y}.pbf?year=${year}`, {
          headers,
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { response, layer: new VectorTile(new Pbf(bytes)).layers[layer] };
      };
      const features = (
        layer:
          | { length: number; feature: (i: number) => { properties: Record<string, unknown> } }
          | undefined,
      ) => (layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties) : []);

      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
        village = (
          await database.rows(sql`
        SELECT v.code, v.name, ST_X(v.location) AS lon, ST_Y(v.location) AS lat, v.supervised, round(vi.per_capita_net_income)::int AS income
        FROM villages v JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2020 ORDER BY v.code LIMIT 1`)
        )[0] as typeof village;
      });
      afterAll(() => stopServing(server, database));

      it('reads a layer a page at a time, in key order, each feature once (the PGlite index)', async () => {
        for (const [id, key] of [
          ['villages', 'code'],
          ['relocation-sites', 'id'],
          ['village-clusters', 'county'],
        ] as const) {
          const source = TILE_SOURCES[id];
          const [all] = await database.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM (${source.select(2021, sql`true`)}) f`,
          );
          // Pages of a third of the features, so that several boundaries fall inside the test data.
          const pageSize = Math.max(1, Math.floor(all!.n / 3));
          const pages: number[] = [];
          const keys: unknown[] = [];
          for await (const page of tileFeaturePages(database.db, source, 2021, pageSize)) {
            pages.push(page.length);
            for (const row of page) {
              expect(JSON.parse(row.geojson).type).toBe('Point');
              keys.push(row[key]);
            }
          }
          expect(keys.length, id).toBe(all!.n);
          expect(new Set(keys).size, id).toBe(keys.length);
          const sorted = [...keys].sort((a, b) =>
            typeof a === 'number' ? a - (b as number) : String(a).localeCompare(String(b)),
          );
          expect(keys, id).toEqual(sorted);
          expect(
            pages.slice(0, -1).every((n) => n === pageSize),
            id,
          ).toBe(true);
          expect(all!.n, id).toBeGreaterThan(0);
          expect(pages.length, id).toBeGreaterThanOrEqual(Math.min(3, all!.n));
        }
      });

      it.skipIf(backend.name !== 'postgres')(
        'cancels a cut that runs past its time bound, and the connection serves on',
        async () => {
          // A source whose rows take a second each: the cut is cancelled by PostgreSQL at 200 ms.
          const slow: TileSource = {
            geometryType: 'Point',
            geometry: sql`ST_Point(0, 0, 4326)`,
            key: 'n',
            fields: { n: 'Number' },
            select: (_year, where) =>
              sql`SELECT ST_Point(0, 0, 4326) AS __geom, 1 AS n FROM pg_sleep(1) WHERE ${where}`,
          };
          const tile = { layer: 'slow', year: 2021, z: 0, x: 0, y: 0, extent: 4096, buffer: 64 };
          const error = (await mvtTileWithin(database.db, 200, slow, tile).catch((e) => e)) as Error;
          // drizzle wraps the driver's error: PostgreSQL's own reason is its cause.
          expect(String((error.cause as Error | undefined)?.message)).toMatch(
            /canceling statement due to statement timeout/,
          );
          // The bound was the cut's own: the next statements on the pool run unbounded as before.
          const [row] = await database.rows<{ timeout: string }>(
            sql`SELECT current_setting('statement_timeout') AS timeout`,
          );
          expect(row!.timeout).toBe('0');
          expect((await mvtTileWithin(database.db, 60_000, slow, tile)).length).toBeGreaterThan(0);
        },
      );

      it('describes each layer with TileJSON', async () => {
        const response = await fetch(`${server.url}/tiles/villages.json?year=2020`);
        const json = (await response.json()) as {
          tilejson: string;
          tiles: string[];
          minzoom: number;
          vector_layers: { id: string; fields: Record<string, string> }[];
        };
        expect(json.tilejson).toBe('3.0.0');
        // A path, never a URL built from the request's Host header (PUBLIC_URL makes it absolute).
        expect(json.tiles[0]).toBe('/tiles/villages/{z}/{x}/{y}.pbf?year=2020');
        expect(json.vector_layers[0]!.fields).toHaveProperty('income');
      });

      it('puts a village in its tile with the properties the map styles by', async () => {
        for (const z of [8, 12]) {
          const { response, layer } = await tile('villages', tileOf(village.lon, village.lat, z));
          expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
          const found = features(layer).find((p) => p.code === village.code);
          expect(found, `z${z}`).toMatchObject({
            name: village.name,
            supervised: village.supervised,
            income: village.income,
          });
          expect(layer!.feature(0).loadGeometry()[0]![0]!.x).toBeGreaterThanOrEqual(-64);
        }
        // Another year, another income.
        const { layer } = await tile('villages', tileOf(village.lon, village.lat, 12), 2014);
        expect(features(layer).find((p) => p.code === village.code)!.income).toBeLessThan(village.income);
      });

      it('draws counties at national zoom and relocation sites with people and coverage', async () => {
        const counties = await tile('counties', tileOf(village.lon, village.lat, 4), 2021);
        const county = features(counties.layer).find((p) => p.code === village.code.slice(0, 6));
        expect(county).toMatchObject({ poverty: expect.any(Boolean), supervised: expect.any(Boolean) });
        expect(counties.layer!.feature(0).type).toBe(3); // polygon
        const [site] = await database.rows<{ id: number; lon: number; lat: number }>(
          sql`SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat FROM relocation_sites ORDER BY id LIMIT 1`,
        );
        const sites = await tile('relocation-sites', tileOf(site!.lon, site!.lat, 10), 2021);
        expect(features(sites.layer).find((p) => p.id === site!.id)).toMatchObject({
          people: expect.any(Number),
          coverage: expect.any(Number),
        });
      });

      it('carries the 挂牌督战 listing status and open and overdue problems of listed places', async () => {
        const [listed] = await database.rows<{
          code: string;
          status: string;
          lon: number;
          lat: number;
          open: number;
          overdue: number;
        }>(sql`
          SELECT v.code, l.status, ST_X(v.location) AS lon, ST_Y(v.location) AS lat,
            count(p.id) FILTER (WHERE p.status <> 'closed')::int AS open,
            count(p.id) FILTER (WHERE p.status <> 'closed' AND p.deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
          FROM supervision_listings l JOIN villages v ON v.code = l.village_code
          LEFT JOIN supervision_problems p ON p.village_code = v.code
          WHERE l.unit_type = 'village' GROUP BY v.code, l.status ORDER BY open DESC, v.code LIMIT 1`);
        expect(listed, 'the test data has a listed village').toBeDefined();
        const { layer } = await tile('supervision-villages', tileOf(listed!.lon, listed!.lat, 12));
        expect(features(layer).find((p) => p.code === listed!.code)).toMatchObject({
          listing: listed!.status,
          open_problems: listed!.open,
          overdue_problems: listed!.overdue,
        });
        // Only listed places or places with problems are in the layer.
        const [{ n }] = (await database.rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM villages v WHERE v.code IN (${sql.join(
            features(layer).map((p) => sql`${String(p.code)}`),
            sql`, `,
          )}) AND NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code)
            AND NOT EXISTS (SELECT 1 FROM supervision_problems p WHERE p.village_code = v.code)`)) as [
          { n: number },
        ];
        expect(n).toBe(0);
        // The base village layer carries no ledger figures: a supervisor's write does not re-cut it.
        const base = await tile('villages', tileOf(listed!.lon, listed!.lat, 12));
        expect(features(base.layer).find((p) => p.code === listed!.code)).not.toHaveProperty('listing');
      });

      it('cuts the national view ahead at start, and again when the figures version moves: zooms 0–5 (within its own) of every base layer for 2021', {
        timeout: 300_000,
      }, async () => {
        const fresh = await openTestDatabase(backend.name);
        const warming = await startTestServer(fresh, { prewarmTiles: true });
        try {
          const expected = Object.values(TILE_LAYERS)
            .filter((l) => l.changesWith === 'figures')
            .reduce((n, l) => {
              for (let z = l.minzoom; z <= Math.min(5, l.maxzoom); z++) n += chinaTiles(z).length;
              return n;
            }, 0);
          const until = async (count: number) => {
            const deadline = Date.now() + 120_000; // a bound meaning "never finished", not "slow"
            while (cachedTileCount(fresh) < count && Date.now() < deadline)
              await new Promise((r) => setTimeout(r, 200));
          };
          await until(expected);
          expect(cachedTileCount(fresh)).toBe(expected);
          // An import or a reload moves the figures version: the same tiles are cut again for it,
          // with no tile asked for (the first version's stay in the cache beside them).
          await bumpFiguresVersion(fresh.db);
          await until(2 * expected);
          expect(cachedTileCount(fresh)).toBe(2 * expected);
        } finally {
          await warming.close();
          await fresh.dispose();
        }
      });

      it("counts each county's villages in a cluster at its label point, for the zooms below the points", async () => {
        const at = tileOf(village.lon, village.lat, 3);
        const { layer } = await tile('village-clusters', at, 2021);
        const clusters = features(layer) as { county: string; villages: number; poverty_villages: number }[];
        const stored = await database.rows<{ county: string; villages: number; poverty: number }>(sql`
          SELECT v.county_code AS county, count(*)::int AS villages, count(*) FILTER (WHERE v.poverty_village)::int AS poverty
          FROM villages v JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021
          WHERE v.county_code LIKE ${`${village.code.slice(0, 2)}%`} GROUP BY 1`);
        expect(stored.length).toBeGreaterThan(3);
        const byCounty = new Map(clusters.map((c) => [c.county, c]));
        // Every county of the village's province with villages is one cluster with their count.
        for (const s of stored) {
          expect(byCounty.get(s.county), s.county).toMatchObject({
            villages: s.villages,
            poverty_villages: s.poverty,
          });
        }
        expect(clusters.every((c) => c.villages > 0)).toBe(true);
      });

      it('gives no village points below the layer minzoom', async () => {
        const { layer } = await tile('villages', tileOf(village.lon, village.lat, 3));
        expect(layer).toBeUndefined();
      });

      it('answers 304 while the data is unchanged, and a new tile the moment it changes', async () => {
        const at = tileOf(village.lon, village.lat, 12);
        const first = await tile('villages', at);
        const etag = first.response.headers.get('etag')!;
        expect(etag).toMatch(/^W\/"f\d+-villages-2020-12-/);
        expect(first.response.headers.get('cache-control')).toBe('no-cache');
        const again = await fetch(`${server.url}/tiles/villages/${at.join('/')}.pbf?year=2020`, {
          headers: { 'if-none-match': etag },
        });
        expect(again.status).toBe(304);
        // A write to the village: the next request sees it.
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`UPDATE villages SET supervised = NOT supervised WHERE code = ${village.code}`);
          await bumpFiguresVersion(tx);
        });
        const changed = await tile('villages', at, 2020, { 'if-none-match': etag });
        expect(changed.response.status).toBe(200);
        expect(changed.response.headers.get('etag')).not.toBe(etag);
        expect(features(changed.layer).find((p) => p.code === village.code)!.supervised).toBe(
          !village.supervised,
        );
      });

      it('refuses out-of-range tiles and unknown layers with a coded error', async () => {
        for (const [path, argument] of [
          ['/tiles/villages/17/0/0.pbf', 'z'],
          ['/tiles/villages/2/4/0.pbf', 'x'],
          ['/tiles/villages/2/0/4.pbf', 'y'],
          ['/tiles/villages/-1/0/0.pbf', 'z'],
          ['/tiles/villages/2/0/0.png', 'y'],
          ['/tiles/rivers/2/0/0.pbf', 'layer'],
          ['/tiles/villages/2/0/0.pbf?year=1999', 'year'],
          ['/tiles/lakes.json', 'layer'],
        ] as const) {
          const response = await fetch(`${server.url}${path}`);
          expect(response.status, path).toBe(400);
          expect(
            ((await response.json()) as { errors: { extensions: { argument: string } }[] }).errors[0]!
              .extensions.argument,
            path,
          ).toBe(argument);
        }
      });
    },
  );
}
