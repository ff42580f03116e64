// The data page in Chromium, on both backends: an analyst logs in at /data, uploads a village-years
// CSV that changes one village's 2021 income, sees the dry run (1 changed row, old → new), applies
// it, and finds the new income on the map (the village's point in the tiles, the county panel as
// the API gives it); then rolls the import back from the page. A supervisor sees nothing to import.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATASETS, type Database, openDatabase } from '@rrm/db';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATA_DATABASE, withDatabase } from '../global-setup.ts';
import { browserSkipOn, closeBrowserTest, openBrowser, SCREENSHOTS } from '../support/browser.ts';
import {
  giveDemoUsersRealPasswords,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from '../support/http.ts';

interface MapHandle {
  loaded(): boolean;
  areTilesLoaded(): boolean;
  jumpTo(options: { center: [number, number]; zoom: number }): void;
  queryRenderedFeatures(options: { layers: string[] }): { properties: Record<string, unknown> }[];
}

const COLUMNS = DATASETS['village-years']!.columns;

for (const backend of ['pglite', 'postgres'] as const) {
  const reason = browserSkipOn(backend);
  describe.skipIf(reason)(
    `the data page in Chromium on ${backend}${reason ? ` (skipped: ${reason})` : ''}`,
    () => {
      let server: TestServer;
      let database: Database;
      let context: BrowserContext;
      let page: Page;
      let dataDir = '';
      const external: string[] = [];
      const shot = (name: string) => join(SCREENSHOTS, backend === 'pglite' ? name : `postgres-${name}`);
      let village: Record<string, unknown> & { code: string; county: string; lon: number; lat: number };
      let oldIncome: number;
      let newIncome: number;

      beforeAll(async () => {
        if (backend === 'pglite') {
          dataDir = mkdtempSync(join(tmpdir(), 'rrm-e2e-data-'));
          cpSync(inject('pgliteProvinceDir'), dataDir, { recursive: true });
          database = await openDatabase({ dataDir });
        } else {
          database = await openDatabase({ url: withDatabase(inject('postgresAdminUrl'), DATA_DATABASE) });
        }
        // A village with a location and a 2021 income, in a county with a boundary.
        const [v] = await database.rows<typeof village>(sql`
        SELECT vi.*, v.code, v.county_code AS county, ST_X(v.location) AS lon, ST_Y(v.location) AS lat
        FROM village_indicators vi JOIN villages v ON v.code = vi.village_code
        JOIN regions r ON r.code = v.county_code AND r.boundary IS NOT NULL
        WHERE vi.year = 2021 AND v.location IS NOT NULL AND vi.per_capita_net_income IS NOT NULL
        ORDER BY v.code LIMIT 1`);
        village = v!;
        oldIncome = Number(village.per_capita_net_income);
        // A whole number: the village tiles carry the income rounded to one.
        newIncome = Math.round(oldIncome) + 2345;
        // The page imports real data, after which the demo password opens no login.
        await giveDemoUsersRealPasswords(database);
        server = await startTestServer(database);
        context = await openBrowser(external);
        page = await context.newPage();
      }, 120_000);

      afterAll(() => closeBrowserTest({ context, server, database, dataDir }));

      const api = async () => {
        const r = await server.graphql<{
          village: { stats: { perCapitaNetIncome: number } };
          county: { name: string; indicators: { perCapitaNetIncome: number } };
        }>(
          `query($v: String!, $c: String!) {
          village(code: $v) { stats(year: 2021) { perCapitaNetIncome } }
          county(code: $c) { name indicators(year: 2021) { perCapitaNetIncome } }
        }`,
          { v: village.code, c: village.county },
        );
        return {
          village: r.data!.village.stats.perCapitaNetIncome,
          county: r.data!.county.indicators.perCapitaNetIncome,
        };
      };

      async function logIn(username: string) {
        await page.goto(`${server.url}/data`);
        // No login yet: the page sends the user to log in, and back here afterwards.
        await page.waitForURL(/\/login\?next=%2Fdata$/);
        await page.getByTestId('login-username').fill(username);
        await page.getByTestId('login-password').fill(REAL_PASSWORD);
        await page.getByTestId('login-submit').click();
        await page.waitForURL(/\/data$/);
      }

      it('lets an analyst check a CSV, see 1 changed row old → new, apply it, and see the income on the map', {
        timeout: 150_000,
      }, async () => {
        const before = await api();
        expect(before.village).toBe(oldIncome);
        await logIn('analyst');
        const row = page.getByTestId('dataset-village-years');
        await row.waitFor();
        await expect(row.getByTestId('dataset-source').textContent()).resolves.toContain('演示生成');
        await expect(page.getByTestId('template-village-years-csv').getAttribute('href')).resolves.toBe(
          '/api/data/templates/village-years?format=csv',
        );

        const csv = `${COLUMNS.map((c) => c.zh).join(',')}\r\n${COLUMNS.map((c) =>
          c.key === 'per_capita_net_income' ? String(newIncome) : String(village[c.key] ?? ''),
        ).join(',')}\r\n`;
        await page.getByTestId('upload-dataset').selectOption('village-years');
        // First a file with an error: it is listed with sheet, row and column, and cannot be applied.
        const bad = `${COLUMNS.map((c) => c.zh).join(',')}\r\n${COLUMNS.map((c) =>
          c.key === 'population' ? '-5' : String(village[c.key] ?? ''),
        ).join(',')}\r\n`;
        await page.getByTestId('upload-file').setInputFiles({
          name: '有错误.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(bad),
        });
        await page.getByTestId('check').click();
        await page.getByTestId('import-errors').waitFor();
        await expect(
          page.getByTestId('import-errors').locator('tbody tr').first().locator('td').allTextContents(),
        ).resolves.toEqual(['有错误.csv', '2', '户籍人口', '户籍人口不能为负数：-5']);
        await expect(page.getByTestId('preview-invalidRows').textContent()).resolves.toBe('1');
        expect(await page.getByTestId('apply').count()).toBe(0);
        await page.screenshot({ path: shot('data-errors-zh.png'), fullPage: true });

        await page.getByTestId('upload-file').setInputFiles({
          name: '村年度数据-2021.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(csv),
        });
        await page.getByTestId('check').click();
        const preview = page.getByTestId('preview');
        await preview.waitFor();
        const count = (id: string) => page.getByTestId(id).textContent();
        await expect(count('preview-rows')).resolves.toBe('1');
        await expect(count('preview-changedRows')).resolves.toBe('1');
        await expect(count('preview-newRows')).resolves.toBe('0');
        await expect(count('preview-unchangedRows')).resolves.toBe('0');
        await expect(count('preview-invalidRows')).resolves.toBe('0');
        const example = page.getByTestId('examples').locator('tbody tr');
        expect(await example.count()).toBe(1);
        await expect(example.locator('td').allTextContents()).resolves.toEqual([
          `${village.code} 2021`,
          '2',
          '脱贫人口人均纯收入 (per_capita_net_income)',
          String(oldIncome),
          '→',
          String(newIncome),
        ]);
        // The dry run wrote nothing.
        expect(await api()).toEqual(before);
        await page.screenshot({ path: shot('data-preview-zh.png'), fullPage: true });

        await page.getByTestId('apply').click();
        await expect(page.getByTestId('confirm-apply').textContent()).resolves.toContain('修改 1 行');
        await page.getByTestId('confirm-apply-yes').click();
        await page.getByTestId('applied').waitFor();
        await expect(count('outcome-changedRows')).resolves.toBe('1');
        // The history and the dataset's source follow (the page asks again after the apply).
        const first = page.getByTestId('import-history').locator('tbody tr').first();
        await expect.poll(() => first.textContent()).toMatch(/村年度数据-2021\.csv.*analyst.*已导入/);
        await expect
          .poll(() => row.getByTestId('dataset-source').textContent())
          .toContain('导入村年度数据-2021.csv');
        await page.screenshot({ path: shot('data-applied-zh.png'), fullPage: true });

        const after = await api();
        expect(after.village).toBe(newIncome);
        expect(after.county).not.toBe(before.county);

        // The map of 2021: the county panel shows the county's new income, as the API gives it...
        await page.goto(`${server.url}/?region=52&year=2021&layers=villages&county=${village.county}`);
        await page.getByTestId('county-name').waitFor();
        await expect(page.getByTestId('county-name').textContent()).resolves.toBe(
          (
            await server.graphql<{ county: { name: string } }>(
              'query($c: String!) { county(code: $c) { name } }',
              {
                c: village.county,
              },
            )
          ).data!.county.name,
        );
        await expect
          .poll(async () => Number(await page.getByTestId('county-value').getAttribute('data-value')), {
            timeout: 30_000,
          })
          .toBeCloseTo(after.county, 6);
        // ...and the village's point, close up, carries the imported income.
        await page.waitForFunction(() => !!(window as unknown as { __rrm?: unknown }).__rrm, undefined, {
          timeout: 60_000,
        });
        await page.evaluate(
          ({ lon, lat }) =>
            (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map.jumpTo({
              center: [lon, lat],
              zoom: 12,
            }),
          { lon: Number(village.lon), lat: Number(village.lat) },
        );
        const shown = await page.waitForFunction(
          (code) => {
            const map = (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map;
            if (!map.loaded() || !map.areTilesLoaded()) return null;
            const found = map
              .queryRenderedFeatures({ layers: ['village-points'] })
              .find((f) => f.properties.code === code);
            return found ? found.properties.income : null;
          },
          village.code,
          { timeout: 60_000 },
        );
        expect(await shown.jsonValue()).toBe(newIncome);
        await page.screenshot({ path: shot('data-map-2021-zh.png') });
        expect(external).toEqual([]);
      });

      it('rolls the import back from the page, after confirming', { timeout: 60_000 }, async () => {
        await page.goto(`${server.url}/data`);
        await page.getByTestId('rollback-village-years').click();
        await expect(page.getByTestId('confirm-rollback').textContent()).resolves.toContain(
          '村年度数据-2021.csv',
        );
        await page.getByTestId('confirm-rollback-yes').click();
        await expect(page.getByTestId('rollback-message').textContent()).resolves.toMatch(
          /恢复 1 行，删除 0 行/,
        );
        expect((await api()).village).toBe(oldIncome);
        await expect
          .poll(() => page.getByTestId('import-history').locator('tbody tr').first().textContent())
          .toContain('已回退');
        // Nothing applied is left to roll back.
        await expect.poll(() => page.getByTestId('rollback-village-years').count()).toBe(0);
        // The page in English.
        await page.getByTestId('language').click();
        await page.waitForURL(/lang=en/);
        await expect(page.getByTestId('check').textContent()).resolves.toBe(
          'Check (dry run, nothing written)',
        );
        await page.screenshot({ path: shot('data-rolled-back-en.png'), fullPage: true });
        expect(external).toEqual([]);
      });

      it('shows a supervisor only the ledger and households of their region, and a leader nothing to import', {
        timeout: 60_000,
      }, async () => {
        await page.getByTestId('logout').click();
        await page.waitForURL(/\/login\?next=/);
        await logIn('supervisor');
        await page.getByTestId('dataset-problems').waitFor();
        const rows = await page
          .getByTestId('datasets')
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
        expect(rows).toEqual([
          'dataset-listings',
          'dataset-problems',
          'dataset-households',
          'dataset-household-measures',
        ]);
        expect(await page.getByTestId('upload').count()).toBe(1);
        await page.getByTestId('logout').click();
        await page.waitForURL(/\/login\?next=/);
        await logIn('leader');
        await expect(page.getByTestId('may-not-import').textContent()).resolves.toContain('leader');
        expect(await page.getByTestId('upload').count()).toBe(0);
        expect(external).toEqual([]);
      });
    },
  );
}
