// Long on purpose: a specification, one case per analyst question, checked independently.
// The analyst API on both backends: spatial filters checked against independent computations,
// the spatial index in the plan, orderings and keyset paging, aggregates, choropleth, node(id),
// and a fixed number of SQL statements for nested queries (no N+1).

import { choroplethValues, listSql, villageChoroplethValues, villageListQuery } from '@rrm/db';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, type TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

interface Point {
  code: string;
  lon: number;
  lat: number;
}

/** Great-circle distance in metres (spherical; PostGIS uses the spheroid, within 0.5%). */
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `analyst API on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      let points: Point[];
      let centre: { lon: number; lat: number };
      // Analysts query logged in (the problem ledger needs it).
      let token: string;
      const q = async <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => {
        const result = await server.graphql<T>(query, variables, { token });
        expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
        return result.data!;
      };
      const errorOf = async (query: string, variables?: Record<string, unknown>) =>
        (await server.graphql(query, variables, { token })).errors?.[0];

      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
        token = await loginAs(server, 'analyst');
        points = await database.rows<Point>(
          sql`SELECT code, ST_X(location) AS lon, ST_Y(location) AS lat FROM villages ORDER BY code`,
        );
        const lons = points.map((p) => p.lon).sort((a, b) => a - b);
        const lats = points.map((p) => p.lat).sort((a, b) => a - b);
        centre = { lon: lons[Math.floor(lons.length / 2)]!, lat: lats[Math.floor(lats.length / 2)]! };
      });
      afterAll(() => stopServing(server, database));

      it('finds villages in a bounding box, as plain coordinate comparison does', async () => {
        const box = [centre.lon - 0.3, centre.lat - 0.2, centre.lon + 0.3, centre.lat + 0.2];
        const data = await q<{ villages: { totalCount: number } }>(
          'query($b: [Float!]) { villages(filter: { spatial: { bbox: $b } }) { totalCount } }',
          { b: box },
        );
        const expected = points.filter(
          (p) => p.lon >= box[0]! && p.lon <= box[2]! && p.lat >= box[1]! && p.lat <= box[3]!,
        ).length;
        expect(expected).toBeGreaterThan(0);
        expect(data.villages.totalCount).toBe(expected);
      });

      it('finds villages within a radius, nearest first, with distances that match the haversine', async () => {
        const near = { ...centre, radiusMeters: 15_000 };
        const data = await q<{
          villages: { totalCount: number; nodes: { code: string; distanceMeters: number }[] };
        }>(
          `query($n: NearInput) { villages(first: 1000, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) {
          totalCount nodes { code distanceMeters } } }`,
          { n: near },
        );
        const expected = points.filter(
          (p) => haversine(centre.lon, centre.lat, p.lon, p.lat) <= near.radiusMeters,
        );
        // The spheroid and the sphere differ by < 0.5%; only points right at the edge may differ.
        const clearlyInside = expected.filter(
          (p) => haversine(centre.lon, centre.lat, p.lon, p.lat) < near.radiusMeters * 0.995,
        );
        expect(data.villages.totalCount).toBeGreaterThanOrEqual(clearlyInside.length);
        expect(data.villages.totalCount).toBeLessThanOrEqual(expected.length + 2);
        const distances = data.villages.nodes.map((n) => n.distanceMeters);
        expect(distances).toEqual([...distances].sort((a, b) => a - b));
        for (const n of data.villages.nodes) {
          const p = points.find((x) => x.code === n.code)!;
          expect(n.distanceMeters).toBeLessThanOrEqual(near.radiusMeters);
          expect(
            Math.abs(n.distanceMeters - haversine(centre.lon, centre.lat, p.lon, p.lat)) /
              Math.max(1, n.distanceMeters),
          ).toBeLessThan(0.006);
        }
      });

      it('pages nearest-first across pages without gaps or repeats', async () => {
        const near = { ...centre, radiusMeters: 30_000 };
        const all: string[] = [];
        let after: string | null = null;
        for (let i = 0; i < 50; i++) {
          const data: {
            villages: { nodes: { code: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
          } = await q(
            'query($n: NearInput, $a: String) { villages(first: 7, after: $a, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) { nodes { code } pageInfo { hasNextPage endCursor } } }',
            { n: near, a: after },
          );
          all.push(...data.villages.nodes.map((n) => n.code));
          if (!data.villages.pageInfo.hasNextPage) break;
          after = data.villages.pageInfo.endCursor;
        }
        const once = await q<{ villages: { nodes: { code: string }[] } }>(
          'query($n: NearInput) { villages(first: 1000, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) { nodes { code } } }',
          { n: near },
        );
        expect(all).toEqual(once.villages.nodes.map((n) => n.code));
        expect(new Set(all).size).toBe(all.length);
      });

      it('finds villages inside a GeoJSON polygon, as a point-in-polygon test does', async () => {
        const triangle = {
          type: 'Polygon',
          coordinates: [
            [
              [centre.lon - 0.4, centre.lat - 0.3],
              [centre.lon + 0.4, centre.lat - 0.3],
              [centre.lon, centre.lat + 0.4],
              [centre.lon - 0.4, centre.lat - 0.3],
            ],
          ],
        };
        const data = await q<{ villages: { totalCount: number } }>(
          'query($g: GeoJSON) { villages(filter: { spatial: { within: $g } }) { totalCount } }',
          { g: triangle },
        );
        const expected = points.filter((p) =>
          booleanPointInPolygon([p.lon, p.lat], triangle as never),
        ).length;
        expect(expected).toBeGreaterThan(0);
        expect(data.villages.totalCount).toBe(expected);
      });

      it("finds a county's villages inside its boundary", async () => {
        const [county] = await database.rows<{ code: string; n: number }>(
          sql`SELECT county_code AS code, count(*)::int AS n FROM villages GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
        );
        const data = await q<{ villages: { totalCount: number } }>(
          'query($c: String) { villages(filter: { spatial: { inRegion: $c } }) { totalCount } }',
          { c: county!.code },
        );
        expect(data.villages.totalCount).toBe(county!.n);
      });

      it('uses the GiST index for every spatial filter', async () => {
        const filters = [
          {
            bbox: [centre.lon - 0.3, centre.lat - 0.2, centre.lon + 0.3, centre.lat + 0.2] as [
              number,
              number,
              number,
              number,
            ],
          },
          { near: { ...centre, radiusMeters: 10_000 } },
          {
            within: {
              type: 'Polygon',
              coordinates: [
                [
                  [centre.lon - 0.2, centre.lat - 0.2],
                  [centre.lon + 0.2, centre.lat - 0.2],
                  [centre.lon, centre.lat + 0.2],
                  [centre.lon - 0.2, centre.lat - 0.2],
                ],
              ],
            },
          },
          { inRegion: points[0]!.code.slice(0, 6) },
        ];
        for (const spatial of filters) {
          const query = listSql(villageListQuery({ spatial }, { field: 'CODE' }), { first: 100 });
          // The tiny dataset is small enough for a sequential scan to be cheaper; forbid it to see
          // whether the index can serve the filter at all.
          const plan = await database.db.transaction(async (tx) => {
            await tx.execute(sql`SET LOCAL enable_seqscan = off`);
            return JSON.stringify(await tx.execute(sql`EXPLAIN ${query}`));
          });
          expect(plan, JSON.stringify(spatial)).toContain('villages_location_gist');
        }
      });

      it('filters by an indicator range in a year: income under 4,000 yuan in 2020', async () => {
        const data = await q<{
          villages: { totalCount: number; nodes: { stats: { perCapitaNetIncome: number } }[] };
        }>(`{
        villages(first: 1000, filter: { indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, max: 4000 } }) {
          totalCount nodes { stats(year: 2020) { perCapitaNetIncome } } } }`);
        const [row] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM village_indicators WHERE year = 2020 AND per_capita_net_income <= 4000`,
        );
        expect(data.villages.totalCount).toBe(row!.n);
        for (const n of data.villages.nodes) expect(n.stats.perCapitaNetIncome).toBeLessThanOrEqual(4000);
      });

      it('orders by an indicator, highest first, across pages', async () => {
        const read = async (after: string | null) =>
          (
            await q<{
              villages: {
                nodes: { code: string; stats: { employmentRate: number | null } }[];
                pageInfo: { endCursor: string };
              };
            }>(
              `query($a: String) { villages(first: 40, after: $a, orderBy: { field: INDICATOR, indicator: EMPLOYMENT_RATE, year: 2021, direction: DESC }) {
              nodes { code stats(year: 2021) { employmentRate } } pageInfo { endCursor } } }`,
              { a: after },
            )
          ).villages;
        const first = await read(null);
        const second = await read(first.pageInfo.endCursor);
        const rates = [...first.nodes, ...second.nodes].map((n) => n.stats.employmentRate ?? -1);
        expect(rates).toEqual([...rates].sort((a, b) => b - a));
        const expected = await database.rows<{ code: string }>(sql`
        SELECT village_code AS code FROM village_indicators WHERE year = 2021
        ORDER BY coalesce((employed_out_migrant + employed_local)::float8 / nullif(labour_force, 0), '-Infinity') DESC, village_code DESC LIMIT 80`);
        expect([...first.nodes, ...second.nodes].map((n) => n.code)).toEqual(expected.map((r) => r.code));
      });

      it('filters relocation sites by the designation of their county', async () => {
        const data = await q<{
          key: { totalCount: number };
          other: { totalCount: number };
          all: { totalCount: number };
        }>(`{
        key: relocationSites(filter: { keyAssistanceCounty: true }) { totalCount }
        other: relocationSites(filter: { keyAssistanceCounty: false }) { totalCount }
        all: relocationSites { totalCount } }`);
        const [row] = await database.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM relocation_sites s JOIN county_designations d ON d.county_code = s.county_code WHERE d.key_assistance`);
        expect(data.key.totalCount).toBe(row!.n);
        expect(data.key.totalCount + data.other.totalCount).toBe(data.all.totalCount);
      });

      it('searches names in Chinese, partially', async () => {
        const [v] = await database.rows<{ name: string }>(
          sql`SELECT name FROM villages WHERE length(name) >= 3 ORDER BY code LIMIT 1`,
        );
        const part = v!.name.slice(1, 3);
        const data = await q<{
          villages: { totalCount: number; nodes: { name: string; township: string }[] };
        }>(
          'query($s: String) { villages(first: 1000, filter: { search: $s }) { totalCount nodes { name township } } }',
          { s: part },
        );
        const [row] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM villages WHERE name LIKE ${`%${part}%`} OR township_name LIKE ${`%${part}%`}`,
        );
        expect(data.villages.totalCount).toBe(row!.n);
        for (const n of data.villages.nodes) expect(`${n.name}${n.township}`).toContain(part);
        // LIKE wildcards in the search are taken literally.
        expect(
          (
            await q<{ villages: { totalCount: number } }>(
              '{ villages(filter: { search: "%" }) { totalCount } }',
            )
          ).villages.totalCount,
        ).toBe(0);
      });

      it('gives a county its hierarchy, figures, series, villages and sites', async () => {
        const [c] = await database.rows<{ code: string }>(
          sql`SELECT county_code AS code FROM relocation_sites GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        );
        const data = await q<{
          county: {
            name: string;
            province: { name: string; level: string };
            prefecture: { code: string };
            labelPoint: { type: string };
            indicators: {
              year: number;
              perCapitaNetIncome: number;
              employmentRate: number;
              villages: number;
            };
            series: { year: number; perCapitaNetIncome: number }[];
            villages: { totalCount: number; nodes: { countyCode: string }[] };
            relocationSites: {
              totalCount: number;
              nodes: {
                originVillages: { households: number; village: { countyCode: string } }[];
                figures: { employmentCoverage: number };
              }[];
            };
          };
        }>(
          `query($c: String!) { county(code: $c) { name province { name level } prefecture { code } labelPoint
          indicators(year: 2021) { year perCapitaNetIncome employmentRate villages }
          series(from: 2014, to: 2025) { year perCapitaNetIncome }
          villages(first: 3) { totalCount nodes { countyCode } }
          relocationSites(first: 2) { totalCount nodes { originVillages { households village { countyCode } } figures(year: 2021) { employmentCoverage } } } } }`,
          { c: c!.code },
        );
        const county = data.county;
        expect(county.province.level).toBe('PROVINCE');
        expect(county.prefecture.code).toBe(c!.code.slice(0, 4));
        expect(county.labelPoint.type).toBe('Point');
        expect(county.series.map((s) => s.year)).toEqual([
          2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025,
        ]);
        expect(county.series[7]!.perCapitaNetIncome).toBeCloseTo(county.indicators.perCapitaNetIncome, 6);
        expect(county.villages.nodes.every((v) => v.countyCode === c!.code)).toBe(true);
        expect(county.villages.totalCount).toBe(county.indicators.villages);
        const site = county.relocationSites.nodes[0]!;
        expect(site.originVillages.length).toBeGreaterThan(0);
        expect(site.originVillages.every((o) => o.households > 0 && o.village.countyCode === c!.code)).toBe(
          true,
        );
        expect(site.figures.employmentCoverage).toBeGreaterThan(0.5);
      });

      it("gives a village's destinations, a site's origins and the same households both ways", async () => {
        const [o] = await database.rows<{ site_id: number; village_code: string; households: number }>(
          sql`SELECT * FROM relocation_origins ORDER BY site_id LIMIT 1`,
        );
        const data = await q<{
          village: { relocatedTo: { households: number; site: { siteId: number } }[] };
          relocationSite: { siteId: number; originVillages: { villageCode: string; households: number }[] };
        }>(
          `query($v: String!, $s: ID!) { village(code: $v) { relocatedTo { households site { siteId } } }
          relocationSite(id: $s) { siteId originVillages { villageCode households } } }`,
          { v: o!.village_code, s: String(o!.site_id) },
        );
        expect(data.village.relocatedTo).toContainEqual({
          households: o!.households,
          site: { siteId: o!.site_id },
        });
        expect(data.relocationSite.originVillages).toContainEqual({
          villageCode: o!.village_code,
          households: o!.households,
        });
      });

      it('fetches any county, village or site by global id with node(id)', async () => {
        const data = await q<{
          villages: { nodes: { id: string; code: string; county: { id: string; code: string } }[] };
          relocationSites: { nodes: { id: string; siteId: number }[] };
        }>(
          '{ villages(first: 1) { nodes { id code county { id code } } } relocationSites(first: 1) { nodes { id siteId } } }',
        );
        const v = data.villages.nodes[0]!;
        const s = data.relocationSites.nodes[0]!;
        const nodes = await q<{
          a: { code: string };
          b: { code: string };
          c: { siteId: number };
          d: unknown;
        }>(
          `query($a: ID!, $b: ID!, $c: ID!) { a: node(id: $a) { ... on Village { code } } b: node(id: $b) { ... on County { code } }
          c: node(id: $c) { ... on RelocationSite { siteId } } d: relocationSite(id: $c) { siteId } }`,
          { a: v.id, b: v.county.id, c: s.id },
        );
        expect(nodes.a.code).toBe(v.code);
        expect(nodes.b.code).toBe(v.county.code);
        expect(nodes.c.siteId).toBe(s.siteId);
        expect(nodes.d).toEqual({ siteId: s.siteId });
      });

      it('sums regionStats rows to the parent total, for any level and designation filter', async () => {
        const data = await q<{
          provinces: {
            code: string;
            villages: number;
            relocatedPeople: number;
            counties: number;
            isTotal: boolean;
            perCapitaNetIncome: number | null;
            supervisedCounties: number;
          }[];
        }>(
          '{ provinces: regionStats(level: PROVINCE, year: 2021) { code isTotal villages relocatedPeople counties perCapitaNetIncome supervisedCounties } }',
        );
        const rows = data.provinces.filter((r) => !r.isTotal);
        const total = data.provinces.find((r) => r.isTotal)!;
        expect(total.code).toBe('00');
        expect(rows).toHaveLength(34);
        expect(rows.reduce((s, r) => s + r.villages, 0)).toBe(total.villages);
        expect(rows.reduce((s, r) => s + r.counties, 0)).toBe(total.counties);
        expect(total.supervisedCounties).toBe(52);
        const [direct] = await database.rows<{ villages: number; income: number }>(sql`
        SELECT villages, per_capita_net_income AS income FROM region_indicators WHERE region_code = '00' AND year = 2021`);
        expect(total.villages).toBe(direct!.villages);
        expect(total.perCapitaNetIncome).toBeCloseTo(direct!.income, 6);

        const province = points[0]!.code.slice(0, 2);
        const supervised = await q<{
          regionStats: { isTotal: boolean; counties: number; supervisedCounties: number; name: string }[];
        }>(
          'query($p: String) { regionStats(level: PREFECTURE, year: 2020, parentCode: $p, filter: { supervised: true }) { isTotal counties supervisedCounties name } }',
          { p: province },
        );
        const total2 = supervised.regionStats.find((r) => r.isTotal)!;
        expect(total2.counties).toBe(total2.supervisedCounties);
        expect(total2.name).not.toBe('全国');
      });

      it('classifies a choropleth three ways, counts each class and lists the regions without data', async () => {
        for (const method of ['QUANTILE', 'EQUAL_INTERVAL', 'NATURAL_BREAKS']) {
          const data = await q<{
            choropleth: {
              breaks: number[];
              classes: number;
              counts: number[];
              values: { code: string; value: number; classIndex: number; rank: number }[];
              noData: string[];
            };
          }>(
            `query($m: ClassificationMethod) { choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2020, method: $m, classes: 4) {
            breaks classes counts values { code value classIndex rank } noData } }`,
            { m: method },
          );
          const c = data.choropleth;
          const [row] = await database.rows<{ counties: number; with_data: number }>(sql`
          SELECT (SELECT count(*)::int FROM regions WHERE level = 'county') AS counties,
            (SELECT count(*)::int FROM region_indicators WHERE level = 'county' AND year = 2020 AND per_capita_net_income IS NOT NULL) AS with_data`);
          expect(c.values.length).toBe(row!.with_data);
          expect(c.values.length + c.noData.length).toBe(row!.counties);
          expect(c.counts.reduce((s, n) => s + n, 0)).toBe(c.values.length);
          expect(c.classes).toBe(c.breaks.length - 1);
          expect(c.classes).toBeLessThanOrEqual(4);
          for (let i = 1; i < c.breaks.length; i++) expect(c.breaks[i]).toBeGreaterThan(c.breaks[i - 1]!);
          for (const v of c.values) {
            expect(v.value).toBeGreaterThanOrEqual(c.breaks[v.classIndex]!);
            expect(v.value).toBeLessThanOrEqual(c.breaks[v.classIndex + 1]!);
          }
          const top = [...c.values].sort((a, b) => b.value - a.value)[0]!;
          expect(top.rank).toBe(1);
        }
        const bad = await errorOf(
          '{ choropleth(level: COUNTY, indicator: EMPLOYMENT_RATE, year: 2020, classes: 12) { classes } }',
        );
        expect(bad?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'classes' });
      });

      it('says which regions without data have no monitored village and which did not report', async () => {
        const ask = (level: string, parent: string | null) =>
          q<{ choropleth: { noData: string[]; noVillages: string[] } }>(
            `query($l: RegionLevel!, $p: String) { choropleth(level: $l, indicator: PER_CAPITA_NET_INCOME, year: 2021, parentCode: $p) { noData noVillages } }`,
            { l: level, p: parent },
          );
        const villageCounties = new Set(
          (await database.rows<{ c: string }>(sql`SELECT DISTINCT county_code AS c FROM villages`)).map(
            (r) => r.c,
          ),
        );
        const hasVillages = (code: string) => [...villageCounties].some((c) => c.startsWith(code));
        for (const [level, parent] of [
          ['COUNTY', null],
          ['PREFECTURE', null],
          ['PROVINCE', null],
        ] as const) {
          const { noData, noVillages } = (await ask(level, parent)).choropleth;
          expect(noVillages.length).toBeGreaterThan(0);
          expect(noVillages.every((c) => noData.includes(c) && !hasVillages(c))).toBe(true);
          expect(noData.filter((c) => !noVillages.includes(c)).every(hasVillages)).toBe(true);
        }
        // A county whose villages report nothing for the year is "not reported", not "no villages"
        // (asked of the query itself, in a transaction rolled back: the demo data has no such county).
        const [county] = await database.rows<{ code: string }>(
          sql`SELECT county_code AS code FROM villages GROUP BY 1 ORDER BY 1 LIMIT 1`,
        );
        let rows: Awaited<ReturnType<typeof choroplethValues>> = [];
        await database.db
          .transaction(async (tx) => {
            await tx.execute(
              sql`UPDATE region_indicators SET per_capita_net_income = NULL WHERE region_code = ${county!.code} AND year = 2021`,
            );
            rows = await choroplethValues(tx, {
              level: 'county',
              indicator: 'PER_CAPITA_NET_INCOME',
              year: 2021,
              parentCode: county!.code.slice(0, 2),
            });
            tx.rollback();
          })
          .catch((error: unknown) => {
            if (!(error instanceof TransactionRollbackError)) throw error;
          });
        expect(rows.find((r) => r.code === county!.code)).toMatchObject({ value: null, hasVillages: true });
      });

      it('shares class breaks between years, or takes fixed ones, so that a colour means the same value', async () => {
        type C = { breaks: number[]; counts: number[]; values: { value: number; classIndex: number }[] };
        const classes = async (variables: Record<string, unknown>) =>
          (
            await q<{ choropleth: C }>(
              `query($y: Int!, $over: [Int!], $breaks: [Float!]) { choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME,
                year: $y, classes: 5, breaksOverYears: $over, breaks: $breaks) { breaks counts values { value classIndex } } }`,
              variables,
            )
          ).choropleth;
        const inClass = (c: C) => {
          expect(c.counts.reduce((s, n) => s + n, 0)).toBe(c.values.length);
          for (const v of c.values) {
            const last = v.classIndex === c.breaks.length - 2;
            if (v.value >= c.breaks[0]! && v.value <= c.breaks[c.breaks.length - 1]!) {
              expect(v.value).toBeGreaterThanOrEqual(c.breaks[v.classIndex]!);
              if (!last) expect(v.value).toBeLessThan(c.breaks[v.classIndex + 1]!);
            } else expect([0, c.breaks.length - 2]).toContain(v.classIndex); // outside fixed bounds
          }
        };
        // Over both years: the same breaks from either side, spanning both years' values.
        const a = await classes({ y: 2016, over: [2021] });
        const b = await classes({ y: 2021, over: [2016, 2021] });
        expect(b.breaks).toEqual(a.breaks);
        const own2016 = await classes({ y: 2016 });
        const own2021 = await classes({ y: 2021 });
        expect(a.breaks).not.toEqual(own2016.breaks);
        expect(a.breaks[0]).toBe(Math.min(own2016.breaks[0]!, own2021.breaks[0]!));
        expect(a.breaks.at(-1)).toBe(Math.max(own2016.breaks.at(-1)!, own2021.breaks.at(-1)!));
        inClass(a);
        inClass(b);
        // Fixed: as given, whatever the values (a value outside them falls in the first or last class).
        const fixed = await classes({ y: 2020, breaks: [0, 8000, 10000, 12000, 50000] });
        expect(fixed.breaks).toEqual([0, 8000, 10000, 12000, 50000]);
        expect(fixed.counts).toHaveLength(4);
        inClass(fixed);
      });

      it('maps the change from the previous year, equal to the two years subtracted', async () => {
        const query = `query($year: Int!, $change: Boolean) {
          choropleth(level: PROVINCE, indicator: EMPLOYMENT_RATE, year: $year, change: $change, classes: 3) {
            change values { code value } noData } }`;
        type Values = {
          choropleth: { change: boolean; values: { code: string; value: number }[]; noData: string[] };
        };
        const [now, before, change] = await Promise.all([
          q<Values>(query, { year: 2020 }),
          q<Values>(query, { year: 2019 }),
          q<Values>(query, { year: 2020, change: true }),
        ]);
        expect(change.choropleth.change).toBe(true);
        expect(now.choropleth.change).toBe(false);
        const previous = new Map(before.choropleth.values.map((v) => [v.code, v.value]));
        const current = new Map(now.choropleth.values.map((v) => [v.code, v.value]));
        expect(change.choropleth.values.length).toBeGreaterThan(0);
        for (const v of change.choropleth.values) {
          expect(v.value).toBeCloseTo(current.get(v.code)! - previous.get(v.code)!, 9);
        }
        // A region with a value this year but none the year before has no change to show.
        for (const code of change.choropleth.noData) {
          expect(current.has(code) && previous.has(code)).toBe(false);
        }
        const bad = await errorOf(
          '{ choropleth(level: COUNTY, indicator: EMPLOYMENT_RATE, year: 2014, change: true) { classes } }',
        );
        expect(bad?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
        expect(bad?.message).toMatch(/previous year/);
      });

      it("classes a county's villages: every village, its value, class and place as stored, or named as unreported", async () => {
        type V = { code: string; name: string; value: number; classIndex: number; rank: number; lon: number };
        type VC = {
          breaks: number[];
          counts: number[];
          values: V[];
          noData: string[];
          unreported: { code: string }[];
          classes: number;
        };
        const [county] = await database.rows<{ code: string }>(
          sql`SELECT county_code AS code FROM villages GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
        );
        const ask = (variables: Record<string, unknown>) =>
          q<{ villageChoropleth: VC }>(
            `query($c: String!, $i: Indicator!, $y: Int!, $change: Boolean, $breaks: [Float!]) {
              villageChoropleth(countyCode: $c, indicator: $i, year: $y, change: $change, breaks: $breaks, classes: 4) {
                breaks counts classes noData unreported { code } values { code name value classIndex rank lon lat } } }`,
            { c: county!.code, i: 'PER_CAPITA_NET_INCOME', y: 2021, ...variables },
          ).then((d) => d.villageChoropleth);
        const stored = await database.rows<{
          code: string;
          name: string;
          income: number | null;
          lon: number;
        }>(sql`
          SELECT v.code, v.name, vi.per_capita_net_income AS income, ST_X(v.location) AS lon
          FROM villages v LEFT JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021
          WHERE v.county_code = ${county!.code} ORDER BY v.code`);
        const c = await ask({});
        expect(c.values.length + c.noData.length).toBe(stored.length);
        expect(c.unreported.map((u) => u.code)).toEqual(c.noData);
        expect(c.classes).toBe(4);
        expect(c.counts.reduce((s, n) => s + n, 0)).toBe(c.values.length);
        const byCode = new Map(c.values.map((v) => [v.code, v]));
        for (const s of stored) {
          const v = byCode.get(s.code);
          if (s.income == null) expect(c.noData).toContain(s.code);
          else {
            expect(v).toMatchObject({ name: s.name });
            expect(v!.value).toBeCloseTo(s.income, 6);
            expect(v!.lon).toBeCloseTo(s.lon, 9);
            const last = v!.classIndex === c.breaks.length - 2;
            expect(v!.value).toBeGreaterThanOrEqual(c.breaks[v!.classIndex]!);
            if (!last) expect(v!.value).toBeLessThan(c.breaks[v!.classIndex + 1]!);
          }
        }
        // Rank 1 is the highest income.
        const top = [...c.values].sort((a, b) => b.value - a.value)[0]!;
        expect(top.rank).toBe(1);
        // A fixed legend applies as it does to regions.
        const fixed = await ask({ breaks: [0, 8000, 12000, 90000] });
        expect(fixed.breaks).toEqual([0, 8000, 12000, 90000]);
        // The change is the two years subtracted.
        // A village without a figure for the year comes back as such, with its place (the map draws
        // it grey): asked of the query in a transaction rolled back (every demo village reports).
        const gap = stored[0]!;
        let withGap: Awaited<ReturnType<typeof villageChoroplethValues>> = null;
        await database.db
          .transaction(async (tx) => {
            await tx.execute(
              sql`DELETE FROM village_indicators WHERE village_code = ${gap.code} AND year = 2021`,
            );
            withGap = await villageChoroplethValues(tx, {
              countyCode: county!.code,
              indicator: 'PER_CAPITA_NET_INCOME',
              year: 2021,
            });
            tx.rollback();
          })
          .catch((error: unknown) => {
            if (!(error instanceof TransactionRollbackError)) throw error;
          });
        expect(withGap!.find((r) => r.code === gap.code)).toMatchObject({ value: null, lon: gap.lon });
        expect(withGap!.length).toBe(stored.length);
        const change = await ask({ change: true });
        const before = new Map((await ask({ y: 2020 })).values.map((v) => [v.code, v.value]));
        for (const v of change.values)
          expect(v.value).toBeCloseTo(byCode.get(v.code)!.value - before.get(v.code)!, 6);

        // Each refusal names its argument.
        const refused = async (variables: Record<string, unknown>, argument: string, message: RegExp) => {
          const error = await errorOf(
            'query($c: String!, $i: Indicator!) { villageChoropleth(countyCode: $c, indicator: $i, year: 2021) { classes } }',
            { c: county!.code, i: 'PER_CAPITA_NET_INCOME', ...variables },
          );
          expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
          expect(error?.message).toMatch(message);
        };
        await refused({ c: '52' }, 'countyCode', /not a region code/);
        await refused({ c: "52'; --" }, 'countyCode', /not a region code/);
        await refused({ c: '999999' }, 'countyCode', /no county has code 999999/);
        await refused({ c: county!.code.slice(0, 4) + '00' }, 'countyCode', /no county/);
        await refused({ i: 'RELOCATED_PEOPLE' }, 'indicator', /relocation sites and regions/);
      });

      it('lists every village income per county, sorted, for the monitoring line', async () => {
        const province = points[0]!.code.slice(0, 2);
        const data = await q<{ villageIncomes: { code: string; incomes: number[] }[] }>(
          'query($p: String) { villageIncomes(level: COUNTY, year: 2020, parentCode: $p) { code incomes } }',
          { p: province },
        );
        const [row] = await database.rows<{ villages: number; under: number }>(sql`
          SELECT count(*)::int AS villages, count(*) FILTER (WHERE round(vi.per_capita_net_income) < 4000)::int AS under
          FROM village_indicators vi JOIN villages v ON v.code = vi.village_code
          WHERE vi.year = 2020 AND v.county_code LIKE ${`${province}%`}`);
        const all = data.villageIncomes.flatMap((r) => r.incomes);
        expect(all.length).toBe(row!.villages);
        expect(all.filter((x) => x < 4000).length).toBe(row!.under);
        for (const r of data.villageIncomes) {
          expect(r.code).toMatch(new RegExp(`^${province}\\d{4}$`));
          expect(r.incomes).toEqual([...r.incomes].sort((a, b) => a - b));
        }
      });

      it('answers a nested query in a fixed number of SQL statements, however many rows it touches (no N+1)', async () => {
        const prefecture = points[0]!.code.slice(0, 4);
        // The small query reads the county with the most relocation origins, so that it meets every
        // relation the large one meets (the prefecture's first county may have few or no villages).
        const [busiest] = await database.rows<{ code: string }>(sql`
          SELECT v.county_code AS code FROM relocation_origins o JOIN villages v ON v.code = o.village_code
          WHERE v.county_code LIKE ${`${prefecture}%`} GROUP BY v.county_code ORDER BY count(*) DESC, v.county_code LIMIT 1`);
        const nested = (counties: number, villages: number, region = prefecture) => `{
        counties(first: ${counties}, filter: { regionCode: "${region}" }) { nodes { name
          province { name }
          villages(first: ${villages}) { totalCount nodes { name county { name } stats(year: 2020) { perCapitaNetIncome }
            series(from: 2018) { year employmentRate } relocatedTo { households site { name } } } }
          relocationSites(first: ${villages}) { nodes { name originVillages { village { name } } figures(year: 2021) { employed } } } } } }`;
        // The dataset's versions are read from memory or, about once a second and in the background,
        // from the database (server/src/dataset-versions.ts): those reads are not the query's.
        const count = async (query: string) => {
          let statements = 0;
          database.onQuery = (statement) => {
            if (!statement.includes("FROM dataset WHERE id = 'current'")) statements += 1;
          };
          try {
            await q(query);
          } finally {
            database.onQuery = undefined;
          }
          return statements;
        };
        const small = await count(nested(1, 20, busiest!.code));
        const large = await count(nested(5, 20));
        console.log(`nested query statements: ${small} (1 county × 20) vs ${large} (5 counties × 20)`);
        expect(large).toBe(small);
        expect(large).toBeLessThanOrEqual(14);
      });

      it('lists the problem ledger by deadline with its filters, overdue flag and full history', async () => {
        const data = await q<{
          all: { totalCount: number };
          overdue: {
            totalCount: number;
            nodes: {
              deadline: string;
              status: string;
              overdue: boolean;
              history: { toStatus: string; action: string }[];
            }[];
          };
          window: { totalCount: number; nodes: { deadline: string; category: string }[] };
        }>(`{
        all: problems { totalCount }
        overdue: problems(first: 50, filter: { overdue: true }) { totalCount nodes { deadline status overdue history { toStatus action } } }
        window: problems(first: 1000, filter: { deadlineFrom: "2024-01-01", deadlineTo: "2024-12-31", categories: [INCOME, EMPLOYMENT] }) {
          totalCount nodes { deadline category } }
      }`);
        const [row] = await database.rows<{ all: number; overdue: number; window: number }>(sql`
        SELECT count(*)::int AS all,
          count(*) FILTER (WHERE status <> 'closed' AND deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue,
          count(*) FILTER (WHERE deadline BETWEEN '2024-01-01' AND '2024-12-31' AND category IN ('income', 'employment'))::int AS window
        FROM supervision_problems`);
        expect(data.all.totalCount).toBe(row!.all);
        expect(data.overdue.totalCount).toBe(row!.overdue);
        expect(data.window.totalCount).toBe(row!.window);
        const deadlines = data.overdue.nodes.map((n) => n.deadline);
        expect(deadlines).toEqual([...deadlines].sort());
        for (const n of data.overdue.nodes) {
          expect(n.overdue).toBe(true);
          expect(n.status).not.toBe('CLOSED');
          expect(n.history[0]!.action).toBe('reported');
          expect(n.history[n.history.length - 1]!.toStatus).toBe(n.status);
        }
        for (const n of data.window.nodes) {
          expect(n.deadline >= '2024-01-01' && n.deadline <= '2024-12-31').toBe(true);
          expect(['INCOME', 'EMPLOYMENT']).toContain(n.category);
        }
        const bad = await errorOf('{ problems(filter: { deadlineFrom: "2024-13-01" }) { totalCount } }');
        expect(bad?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.deadlineFrom' });
      });

      it('refuses what cannot be answered, naming the argument', async () => {
        const cases: Array<[string, string, RegExp]> = [
          [
            '{ villages(orderBy: { field: DISTANCE }) { totalCount } }',
            'orderBy',
            /needs filter.spatial.near/,
          ],
          [
            '{ villages(orderBy: { field: INDICATOR }) { totalCount } }',
            'orderBy',
            /needs indicator and year/,
          ],
          [
            '{ villages(filter: { spatial: { near: { lon: 100, lat: 30, radiusMeters: -5 } } }) { totalCount } }',
            'filter.spatial.near.radiusMeters',
            /more than 0/,
          ],
          [
            '{ villages(filter: { spatial: { near: { lon: 200, lat: 30, radiusMeters: 5 } } }) { totalCount } }',
            'filter.spatial.near',
            /longitude/,
          ],
          [
            '{ villages(filter: { spatial: { bbox: [1, 2, 3] } }) { totalCount } }',
            'filter.spatial.bbox',
            /4 numbers/,
          ],
          [
            '{ villages(filter: { spatial: { bbox: [110, 30, 100, 40] } }) { totalCount } }',
            'filter.spatial.bbox',
            /min must not exceed max/,
          ],
          [
            '{ villages(filter: { spatial: { within: { type: "Point", coordinates: [100, 30] } } }) { totalCount } }',
            'filter.spatial.within',
            /Polygon or MultiPolygon/,
          ],
          [
            '{ villages(filter: { spatial: { within: { type: "Polygon", coordinates: [[[0,0],[1,1],[1,0],[0,1],[0,0]]] } } }) { totalCount } }',
            'filter.spatial.within',
            /invalid polygon: Self-intersection/,
          ],
          [
            '{ villages(filter: { spatial: { within: { type: "Polygon", coordinates: [[[0,0],[1,1],[1,0]]] } } }) { totalCount } }',
            'filter.spatial.within',
            /at least 4 positions/,
          ],
          [
            '{ villages(filter: { spatial: { inRegion: "999999" } }) { totalCount } }',
            'filter.spatial.inRegion',
            /no region has code/,
          ],
          [
            '{ villages(filter: { indicator: { indicator: RELOCATED_PEOPLE, year: 2020 } }) { totalCount } }',
            'filter.indicator',
            /not collected for villages/,
          ],
          [
            '{ villages(filter: { indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2030 } }) { totalCount } }',
            'filter.indicator.year',
            /2014–2025/,
          ],
          [
            '{ villages(filter: { indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, min: 5, max: 1 } }) { totalCount } }',
            'filter.indicator',
            /min \(5\) is above max/,
          ],
          [
            '{ villages(filter: { search: "' + 'x'.repeat(60) + '" }) { totalCount } }',
            'filter.search',
            /at most 50/,
          ],
          [
            '{ regionStats(level: PROVINCE, year: 2020, parentCode: "52") { code } }',
            'level',
            /not below region 52/,
          ],
          ['{ village(code: "12") { name } }', 'code', /12-digit/],
        ];
        for (const [query, argument, message] of cases) {
          const error = await errorOf(query);
          expect(error?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', argument });
          expect(error?.message, query).toMatch(message);
        }
        const page = await q<{ villages: { pageInfo: { endCursor: string } } }>(
          '{ villages(first: 2, orderBy: { field: NAME }) { pageInfo { endCursor } } }',
        );
        const misuse = await errorOf('query($a: String) { villages(first: 2, after: $a) { totalCount } }', {
          a: page.villages.pageInfo.endCursor,
        });
        expect(misuse?.message).toMatch(/another ordering/);
      });
    },
  );
}
