// The demo load's second stage (db/seed/pending-households.ts): a first start commits the map's
// data, answers "ready", and loads the monitored households after. Meanwhile every monitoring
// read, write, export and import answers "still loading" (STILL_LOADING) — never a count from
// empty tables — while the rest of the API answers as usual. A load cut short starts over and ends
// with exactly the rows of a load in one go; a reload meanwhile takes over from it.

import { join } from 'node:path';
import { findDataset, migrateDatabase } from '@rrm/db';
import { HouseholdsLoadSuperseded, loadPendingHouseholds, seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForMapDrawn } from '../scripts/support/map-drawn.ts';
import { browserSkipOn, openBrowser, SCREENSHOTS } from './support/browser.ts';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { digest } from './support/demo-digest.ts';
import { errorCode, loginAs, startTestServer, type TestServer } from './support/http.ts';

const HOUSEHOLD_TABLES = [
  'households',
  'household_measures',
  'household_history',
  'monitoring_lines',
  'region_monitoring_figures',
];

/** The keys and indexes of the household tables, as the catalogue lists them. */
const KEYS = `SELECT conname || ':' || pg_get_constraintdef(oid) AS k FROM pg_constraint
  WHERE conrelid IN ('households'::regclass, 'household_measures'::regclass, 'household_history'::regclass)
  UNION ALL SELECT indexrelid::regclass::text FROM pg_index
  WHERE indrelid IN ('households'::regclass, 'household_measures'::regclass, 'household_history'::regclass)
  ORDER BY 1`;

/** Every GraphQL read of the households, with who asks (a login where one is needed). */
const READS: Array<[name: string, query: string, as?: 'supervisor']> = [
  ['monitoringLines', '{ monitoringLines { provinceCode year lineYuan } }'],
  ['monitoringStats', '{ monitoringStats(level: PROVINCE) { code } }'],
  ['monitoringBreakdown', '{ monitoringBreakdown(regionCode: "51") { __typename } }'],
  [
    'choropleth of a household indicator',
    '{ choropleth(level: COUNTY, indicator: RISK_REMOVED_SHARE, year: 2021) { breaks } }',
  ],
  [
    'counties filtered by a household indicator',
    '{ counties(first: 5, filter: { indicator: { indicator: HOUSEHOLDS_UNDER_LINE, year: 2021, min: 0 } }) { totalCount } }',
  ],
  [
    'counties ordered by a household indicator',
    '{ counties(first: 5, orderBy: { field: INDICATOR, indicator: RISK_REMOVED_SHARE, year: 2021 }) { nodes { code } } }',
  ],
  ['households', '{ households(first: 5) { totalCount nodes { id } } }', 'supervisor'],
  ['household', '{ household(id: 1) { id } }', 'supervisor'],
];

for (const { name: backend, skip } of testBackends()) {
  describe.skipIf(skip)(
    `the households' second stage on ${backend}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let fresh: TestDatabase;
      let prepared: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      let county: string;

      beforeAll(async () => {
        fresh = await openTestDatabase(backend, { empty: true });
        prepared = await openTestDatabase(backend);
        await migrateDatabase(fresh);
        const summary = await seedDemoData(fresh, { scale: 'tiny', deferHouseholds: true, log: () => {} });
        expect(summary.households).toBe(0);
        server = await startTestServer(fresh);
        for (const user of ['supervisor', 'admin']) tokens[user] = await loginAs(server, user);
        const [row] = await fresh.rows<{ code: string }>(sql`SELECT min(county_code) AS code FROM villages`);
        county = row!.code;
      });
      afterAll(async () => {
        await server?.close();
        await fresh?.dispose();
        await prepared?.dispose();
      });

      const stillLoading = (answer: {
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      }) => {
        expect(errorCode(answer)).toBe('STILL_LOADING');
        expect(answer.errors![0]!.message).toMatch(/monitored households are still being loaded/);
      };

      it('commits the map data with the households marked pending, and the map answers', async () => {
        expect((await findDataset(fresh.db))?.householdsPending).toBe(true);
        const [counts] = await fresh.rows<{ households: number; villages: number }>(
          sql`SELECT (SELECT count(*) FROM households)::int AS households, (SELECT count(*) FROM villages)::int AS villages`,
        );
        expect(counts).toEqual({ households: 0, villages: expect.any(Number) });
        expect(counts!.villages).toBeGreaterThan(500);
        // What the map needs answers as usual, the households' own indicator (from village-years) too.
        const map = await server.graphql<{ choropleth: { breaks: number[] } }>(
          '{ choropleth(level: COUNTY, indicator: MONITORED_HOUSEHOLDS, year: 2021) { breaks } }',
        );
        expect(map.errors).toBeUndefined();
        expect(map.data!.choropleth.breaks.length).toBeGreaterThan(1);
      });

      it('answers STILL_LOADING for every read of the households, never an empty count', async () => {
        for (const [name, query, as] of READS) {
          const answer = await server.graphql(query, {}, { token: as ? tokens[as] : undefined });
          expect(errorCode(answer), name).toBe('STILL_LOADING');
          stillLoading(answer);
        }
        // Beside other fields, only the households' own are refused: the rest of the answer stands.
        const series = await server.graphql<{
          county: { series: Array<{ year: number; population: number; riskRemovedShare: number | null }> };
        }>(`{ county(code: "${county}") { series { year population riskRemovedShare } } }`);
        stillLoading(series);
        // One error for the request, not one per year: the other years' figures are null beside it.
        expect(series.errors).toHaveLength(1);
        expect(series.data!.county.series.every((y) => y.population > 0 && y.riskRemovedShare === null)).toBe(
          true,
        );
      });

      it('refuses the writes of monitoring with STILL_LOADING', async () => {
        stillLoading(
          await server.graphql(
            'mutation { setMonitoringLine(provinceCode: "51", year: 2021, lineYuan: 6000, sourceNote: "川乡振发〔2021〕1号") { year } }',
            {},
            { token: tokens.admin },
          ),
        );
        stillLoading(
          await server.graphql(
            'mutation($input: HouseholdMeasureInput!) { addHouseholdMeasure(input: $input) { id } }',
            {
              input: {
                householdId: 1,
                expectedVersion: 1,
                kind: 'EMPLOYMENT',
                description: '公益岗位',
                startedOn: '2026-01-05',
              },
            },
            { token: tokens.supervisor },
          ),
        );
        expect((await findDataset(fresh.db))?.householdsPending).toBe(true);
      });

      it('answers 503 STILL_LOADING on the exports and imports that touch the households', async () => {
        const indicatorFilter = encodeURIComponent(
          JSON.stringify({ indicator: { indicator: 'RISK_REMOVED_SHARE', year: 2021, min: 0 } }),
        );
        const requests: Array<[string, RequestInit]> = [
          ['/export/households.csv', { headers: { authorization: `Bearer ${tokens.admin}` } }],
          [`/export/counties.csv?filter=${indicatorFilter}`, {}],
          ['/export/map.csv?level=COUNTY&indicator=HOUSEHOLDS_UNDER_LINE&year=2021', {}],
          [
            '/api/data/imports/households?dryRun=true',
            {
              method: 'POST',
              headers: { authorization: `Bearer ${tokens.admin}`, 'x-file-name': 'h.csv' },
              body: 'a,b\n1,2\n',
            },
          ],
          [
            '/api/data/imports/village-years?dryRun=true',
            {
              method: 'POST',
              headers: { authorization: `Bearer ${tokens.admin}`, 'x-file-name': 'v.csv' },
              body: 'a,b\n1,2\n',
            },
          ],
          [
            '/api/data/imports/households/rollback',
            { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } },
          ],
        ];
        for (const [path, init] of requests) {
          const response = await fetch(`${server.url}${path}`, init);
          const body = (await response.json()) as {
            errors: Array<{ message: string; extensions: { code: string } }>;
          };
          expect([path, response.status, body.errors[0]!.extensions.code]).toEqual([
            path,
            503,
            'STILL_LOADING',
          ]);
          expect(response.headers.get('retry-after')).toBe('30');
        }
        // An export that reads no household answers as usual.
        expect((await fetch(`${server.url}/export/counties.csv`)).status).toBe(200);
      });

      it.skipIf(browserSkipOn(backend))(
        'draws the map in Chromium and says the households are loading, with no error',
        async () => {
          const external: string[] = [];
          const context = await openBrowser(external);
          try {
            const page = await context.newPage();
            await page.goto(`${server.url}/?indicator=PER_CAPITA_NET_INCOME&year=2021`);
            await waitForMapDrawn(page);
            await page.getByTestId('households-loading').waitFor();
            await page.getByTestId('kpis').waitFor();
            await page.screenshot({
              path: join(SCREENSHOTS, `${backend === 'pglite' ? '' : 'postgres-'}households-loading.png`),
            });
            expect(await page.getByTestId('households-loading').textContent()).toMatch(
              /防止返贫监测户数据正在加载/,
            );
            // Nothing asked for households while they load: no error shown, no monitoring card.
            expect(await page.locator('[role=alert]').count()).toBe(0);
            expect(await page.getByTestId('kpi-monitoring').count()).toBe(0);
            expect(external).toEqual([]);
          } finally {
            await context.close();
          }
        },
      );

      it('starts over after a load cut short, and ends with the rows of a load in one go', async () => {
        const before = (await findDataset(fresh.db))!;
        let steps = 0;
        await expect(
          loadPendingHouseholds(fresh, {
            log: () => {},
            between: async () => {
              if (++steps === 3) throw new Error('stopped half-way');
            },
          }),
        ).rejects.toThrow('stopped half-way');
        expect((await findDataset(fresh.db))?.householdsPending).toBe(true);
        // Half the rows are in, and the API still says "still loading" rather than counting them.
        const [partial] = await fresh.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM households`);
        expect(partial!.n).toBeGreaterThan(0);
        stillLoading(await server.graphql('{ monitoringStats(level: PROVINCE) { code identified } }'));

        const households = await loadPendingHouseholds(fresh, { log: () => {} });
        expect(households).toBeGreaterThan(1_000);
        const after = (await findDataset(fresh.db))!;
        expect(after.householdsPending).toBe(false);
        // Cached answers and tiles of the time before are not served again.
        expect(after.dataVersion).toBeGreaterThan(before.dataVersion);
        // The tiles show no household: those cut meanwhile stay valid.
        expect(after.figuresVersion).toBe(before.figuresVersion);
        expect(await digest(fresh, HOUSEHOLD_TABLES)).toEqual(await digest(prepared, HOUSEHOLD_TABLES));
        // The keys and indexes set aside are all back.
        expect(await fresh.rows(sql.raw(KEYS))).toEqual(await prepared.rows(sql.raw(KEYS)));
        // Nothing is pending any more: a second call does nothing.
        expect(await loadPendingHouseholds(fresh, { log: () => {} })).toBeNull();
      });

      it('answers the monitoring reads once the households are in', async () => {
        for (const [name, query, as] of READS) {
          const answer = await server.graphql(query, {}, { token: as ? tokens[as] : undefined });
          expect(answer.errors?.filter((e) => e.extensions?.code === 'STILL_LOADING') ?? [], name).toEqual(
            [],
          );
        }
        const stats = await server.graphql<{ monitoringStats: Array<{ identified: number }> }>(
          '{ monitoringStats(level: PROVINCE) { identified } }',
        );
        expect(stats.data!.monitoringStats.reduce((n, s) => n + s.identified, 0)).toBeGreaterThan(100);
      });

      it('starts over after a stop while the keys are being rebuilt, and loses none of them', async () => {
        await seedDemoData(fresh, { scale: 'tiny', replace: true, deferHouseholds: true, log: () => {} });
        // A load in one go, counting its steps: the last few are the keys' rebuilding, then the counts.
        let steps = 0;
        await loadPendingHouseholds(fresh, { log: () => {}, between: async () => void steps++ });
        await seedDemoData(fresh, { scale: 'tiny', replace: true, deferHouseholds: true, log: () => {} });
        let step = 0;
        await expect(
          loadPendingHouseholds(fresh, {
            log: () => {},
            between: async () => {
              if (++step === steps - 2) throw new Error('stopped while rebuilding keys');
            },
          }),
        ).rejects.toThrow('stopped while rebuilding keys');
        expect((await findDataset(fresh.db))?.householdsPending).toBe(true);
        await loadPendingHouseholds(fresh, { log: () => {} });
        expect(await fresh.rows(sql.raw(KEYS))).toEqual(await prepared.rows(sql.raw(KEYS)));
        expect(await digest(fresh, HOUSEHOLD_TABLES)).toEqual(await digest(prepared, HOUSEHOLD_TABLES));
      });

      it('gives way to a reload of the data meanwhile, which loads the households itself', async () => {
        await seedDemoData(fresh, { scale: 'tiny', replace: true, deferHouseholds: true, log: () => {} });
        let reloaded = false;
        await expect(
          loadPendingHouseholds(fresh, {
            log: () => {},
            between: async () => {
              if (reloaded) return;
              reloaded = true;
              await seedDemoData(fresh, {
                scale: 'tiny',
                replace: true,
                deferHouseholds: true,
                log: () => {},
              });
            },
          }),
        ).rejects.toBeInstanceOf(HouseholdsLoadSuperseded);
        expect((await findDataset(fresh.db))?.householdsPending).toBe(true);
        await loadPendingHouseholds(fresh, { log: () => {} });
        expect(await digest(fresh, HOUSEHOLD_TABLES)).toEqual(await digest(prepared, HOUSEHOLD_TABLES));
      });
    },
  );
}
