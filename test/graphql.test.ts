// The GraphQL path end to end on both backends: HTTP → Apollo → Pothos → drizzle → PostGIS.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './support/databases.ts';
import type { TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `GraphQL on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const count = async (query: ReturnType<typeof sql>) =>
        (await database.rows<{ n: number }>(query))[0]!.n;

      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
      });
      afterAll(() => stopServing(server, database));

      it('counts counties, and filters them by designation, as the database does', async () => {
        const { data, errors } = await server.graphql(`{
        all: counties { totalCount }
        poverty: counties(filter: { povertyCounty: true }) { totalCount }
        key: counties(filter: { keyAssistance: true }) { totalCount }
        supervised: counties(filter: { supervised: true }) { totalCount }
        guizhouSupervised: counties(filter: { supervised: true, regionCode: "52" }) { totalCount }
      }`);
        expect(errors).toBeUndefined();
        const t = (k: string) => (data as Record<string, { totalCount: number }>)[k]!.totalCount;
        expect(t('all')).toBe(
          await count(sql`SELECT count(*)::int AS n FROM regions WHERE level = 'county'`),
        );
        expect(t('all')).toBeGreaterThan(2_800);
        // Designations are national, whatever the scale of the villages loaded.
        // The 832 listed poverty counties are 831 county units of 2023 (冷湖 and 茫崖 merged into 茫崖市).
        expect(t('poverty')).toBe(831);
        expect(t('key')).toBe(160);
        expect(t('supervised')).toBe(52);
        expect(t('guizhouSupervised')).toBe(9);
      });

      it('pages through every county with keyset cursors: no gaps, no repeats, in code order', async () => {
        const codes: string[] = [];
        let after: string | null = null;
        for (let i = 0; i < 10; i++) {
          const result: {
            data?: {
              counties: {
                edges: { cursor: string; node: { code: string } }[];
                pageInfo: { hasNextPage: boolean; endCursor: string };
              };
            };
          } = await server.graphql(
            'query($after: String) { counties(first: 1000, after: $after) { edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }',
            { after },
          );
          const page = result.data!.counties;
          codes.push(...page.edges.map((e) => e.node.code));
          expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]!.cursor);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        const expected = (
          await database.rows<{ code: string }>(
            sql`SELECT code FROM regions WHERE level = 'county' ORDER BY code`,
          )
        ).map((r) => r.code);
        expect(codes).toEqual(expected);
      });

      it('lists villages and relocation sites with their county and location', async () => {
        const { data, errors } = await server.graphql<{
          villages: {
            totalCount: number;
            nodes: {
              code: string;
              name: string;
              township: string;
              county: { code: string; name: string };
              location: { type: string; coordinates: number[] };
              gcj: { coordinates: number[] };
            }[];
          };
          supervisedVillages: { totalCount: number };
          relocationSites: {
            totalCount: number;
            nodes: {
              id: string;
              name: string;
              placementType: string;
              sizeClass: string;
              county: { code: string };
            }[];
          };
        }>(`{
        villages(first: 3) { totalCount nodes { code name township county { code name } location gcj: location(gcj02: true) } }
        supervisedVillages: villages(filter: { supervised: true }) { totalCount }
        relocationSites(first: 2) { totalCount nodes { id name placementType sizeClass county { code } } }
      }`);
        expect(errors).toBeUndefined();
        expect(data!.villages.totalCount).toBe(await count(sql`SELECT count(*)::int AS n FROM villages`));
        expect(data!.supervisedVillages.totalCount).toBe(
          await count(sql`SELECT count(*)::int AS n FROM villages WHERE supervised`),
        );
        const village = data!.villages.nodes[0]!;
        expect(village.code).toMatch(/^\d{12}$/);
        expect(village.county.code).toBe(village.code.slice(0, 6));
        expect(village.location.type).toBe('Point');
        const shift = Math.hypot(
          village.gcj.coordinates[0]! - village.location.coordinates[0]!,
          village.gcj.coordinates[1]! - village.location.coordinates[1]!,
        );
        expect(shift).toBeGreaterThan(0.001); // GCJ-02 moves points in China by hundreds of metres
        expect(shift).toBeLessThan(0.01);
        expect(data!.relocationSites.totalCount).toBe(
          await count(sql`SELECT count(*)::int AS n FROM relocation_sites`),
        );
        expect(data!.relocationSites.nodes[0]!.name).toMatch(/安置点$/);
        expect(['SMALL', 'MEDIUM', 'LARGE', 'EXTRA_LARGE']).toContain(
          data!.relocationSites.nodes[0]!.sizeClass,
        );
      });

      it('filters villages by region prefix at every level', async () => {
        const [v] = await database.rows<{ code: string }>(
          sql`SELECT code FROM villages ORDER BY code LIMIT 1`,
        );
        for (const length of [2, 4, 6, 9, 12]) {
          const prefix = v!.code.slice(0, length);
          const { data } = await server.graphql<{ villages: { totalCount: number } }>(
            'query($p: String) { villages(filter: { regionCode: $p }) { totalCount } }',
            { p: prefix },
          );
          expect(data!.villages.totalCount, prefix).toBe(
            await count(sql`SELECT count(*)::int AS n FROM villages WHERE code LIKE ${`${prefix}%`}`),
          );
        }
      });

      it('returns a county boundary as GeoJSON, simplified or in GCJ-02 on request', async () => {
        const [c] = await database.rows<{ code: string; area: number }>(sql`
        SELECT code, ST_Area(boundary) AS area FROM regions WHERE level = 'county' AND boundary IS NOT NULL ORDER BY code LIMIT 1`);
        const { data, errors } = await server.graphql<{
          county: {
            name: string;
            full: { type: string; coordinates: number[][][][] };
            simple: { type: string; coordinates: number[][][][] };
            gcj: { coordinates: number[][][][] };
          };
        }>(
          `query($code: String!) { county(code: $code) { name full: geometry simple: geometry(options: { simplifyTolerance: 0.05 }) gcj: geometry(options: { gcj02: true }) } }`,
          { code: c!.code },
        );
        expect(errors).toBeUndefined();
        expect(data!.county.full.type).toBe('MultiPolygon');
        expect(data!.county.simple.type).toBe('MultiPolygon');
        const vertices = (g: { coordinates: number[][][][] }) => g.coordinates.flat(2).length;
        expect(vertices(data!.county.simple)).toBeLessThan(vertices(data!.county.full));
        const [lon, lat] = data!.county.full.coordinates[0]![0]![0]!;
        const [gLon, gLat] = data!.county.gcj.coordinates[0]![0]![0]!;
        // GCJ-02 moves points in China by a few hundred metres, never by kilometres.
        expect(Math.hypot(gLon! - lon!, gLat! - lat!)).toBeGreaterThan(0.001);
        expect(Math.hypot(gLon! - lon!, gLat! - lat!)).toBeLessThan(0.01);
      });

      it('answers null for a county that does not exist, and an error naming the argument for a malformed code', async () => {
        const missing = await server.graphql('{ county(code: "999999") { name } }');
        expect(missing.errors).toBeUndefined();
        expect(missing.data).toEqual({ county: null });
        const bad = await server.graphql('{ county(code: "52x") { name } }');
        expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
      });

      it('refuses pages over 1,000, negative pages, backward paging and foreign cursors, naming the argument', async () => {
        const cases: Array<[string, string]> = [
          ['{ villages(first: 1001) { totalCount } }', 'first'],
          ['{ villages(first: -1) { totalCount } }', 'first'],
          ['{ villages(last: 5) { totalCount } }', 'last'],
          ['{ villages(after: "bm90LWEtY3Vyc29y") { totalCount } }', 'after'],
          ['{ villages(filter: { regionCode: "5" }) { totalCount } }', 'filter.regionCode'],
          [
            '{ county(code: "522623") { geometry(options: { simplifyTolerance: -1 }) } }',
            'options.simplifyTolerance',
          ],
        ];
        for (const [query, argument] of cases) {
          const { errors } = await server.graphql(query);
          expect(errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', argument });
          expect(errors?.[0]?.message, query).toContain(argument);
        }
      });

      it('says the data is the generated demo dataset', async () => {
        const { data } = await server.graphql<{
          dataset: { label: string; demo: boolean; scale: string; dataVersion: number };
        }>('{ dataset { label demo scale dataVersion } }');
        expect(data!.dataset).toMatchObject({ demo: true, scale: 'tiny' });
        expect(data!.dataset.label).toContain('生成的演示数据');
        expect(data!.dataset.dataVersion).toBeGreaterThanOrEqual(1);
      });

      it('reports readiness, backend, PostGIS and the dataset at /healthz', async () => {
        const response = await fetch(`${server.url}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({
          status: 'ready',
          backend: backend.name,
          postgis: expect.stringMatching(/^3\./),
          capabilities: { asMvt: backend.name === 'postgres' },
          dataset: expect.stringContaining('Generated demo data'),
        });
      });

      it('refuses an oversized body with a coded error, and has no CDN landing page', async () => {
        const big = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ dataset { label } }#${'x'.repeat(1_100_000)}` }),
        });
        expect(big.status).toBe(413);
        expect(
          ((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
        ).toBe('PAYLOAD_TOO_LARGE');
        const landing = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
        expect(await landing.text()).not.toMatch(/cdn\.|apollographql\.com|embeddable-sandbox/);
      });

      it('refuses queries too deep or too costly before running them, and batched requests', async () => {
        const deep = await server.graphql(
          '{ villages { nodes { county { villages { nodes { county { villages { nodes { county { villages { nodes { county { name } } } } } } } } } } } } }',
        );
        expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 12 });
        expect(deep.status).toBe(400);
        // 1,000 counties × 1,000 villages × 12 years: refused with the figure.
        const costly = await server.graphql(
          '{ counties(first: 1000) { nodes { villages(first: 1000) { nodes { series { year } } } } } }',
        );
        expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: 50_000 });
        expect(costly.errors?.[0]?.message).toMatch(/nested lists multiply/);
        // Variables count: a page size passed as a variable is costed too.
        const viaVariable = await server.graphql(
          'query($n: Int) { counties(first: $n) { nodes { villages(first: $n) { nodes { code } } } } }',
          { n: 1000 },
        );
        expect(viaVariable.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
        // Aliases multiply too.
        const aliases = Array.from(
          { length: 30 },
          (_, i) => `a${i}: villages(first: 1000) { nodes { series { year } } }`,
        ).join(' ');
        expect((await server.graphql(`{ ${aliases} }`)).errors?.[0]?.extensions?.code).toBe(
          'QUERY_TOO_COSTLY',
        );
        const ok = await server.graphql(
          '{ counties(first: 20) { nodes { villages(first: 20) { nodes { series { year } } } } } }',
        );
        expect(ok.errors).toBeUndefined();
        const batch = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([{ query: '{ dataset { label } }' }, { query: '{ dataset { label } }' }]),
        });
        expect(batch.status).toBe(400);
      });

      it('serves its own GraphQL explorer, with every asset from localhost', async () => {
        const page = await fetch(`${server.url}/explorer/`);
        const html = await page.text();
        // No inline script (the Content-Security-Policy would block it): the start-up is a file.
        expect(html).not.toMatch(/<script>/);
        expect(await (await fetch(`${server.url}/explorer/assets/explorer.js`)).text()).toContain(
          'GraphiQL.createFetcher',
        );
        const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
        expect(sources.length).toBe(5);
        for (const source of sources) {
          expect(source.startsWith('/explorer/assets/'), source).toBe(true);
          const asset = await fetch(`${server.url}${source}`);
          expect(asset.status, source).toBe(200);
          // No asset pulls anything from the network at run time (links in comments are fine).
          expect(await asset.text(), source).not.toMatch(/(import|@import|url)\(\s*["']?https?:/);
        }
        expect((await fetch(`${server.url}/explorer/assets/..%2Fpackage.json`)).status).toBe(404);
      });

      it('serves the web page at /', async () => {
        const page = await fetch(`${server.url}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('巩固拓展脱贫攻坚成果监测');
      });
    },
  );
}
