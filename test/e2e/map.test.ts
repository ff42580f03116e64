// Long on purpose: one browser session walks the map as a leader does, step by step.
// The leadership map in a real headless Chromium (Debian's, through playwright-core): it loads with
// no request leaving localhost, draws the choropleth, follows the year, the language and the URL.
// Screenshots go to test-output/screenshots for a person to look at.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForMapDrawn } from '../../scripts/support/map-drawn.ts';
import { PROVINCE_DATABASE, withDatabase } from '../global-setup.ts';
import { browserSkipOn, openBrowser, SCREENSHOTS } from '../support/browser.ts';
import { loginAt, startTestServer, type TestServer } from '../support/http.ts';

/** What the page exposes for tests (see web/src/map/map-view.tsx). */
interface MapHandle {
  loaded(): boolean;
  areTilesLoaded(): boolean;
  queryRenderedFeatures(options: { layers: string[] }): { id?: string | number }[];
  getFeatureState(feature: {
    source: string;
    sourceLayer: string;
    id: string | number;
  }): Record<string, unknown>;
}

// The same tests on both backends: tiles from geojson-vt on PGlite, from ST_AsMVT on PostgreSQL.
for (const backend of ['pglite', 'postgres'] as const) {
  const reason = browserSkipOn(backend);
  describe.skipIf(reason)(
    `leadership map in Chromium on ${backend}${reason ? ` (skipped: ${reason})` : ''}`,
    () => {
      let server: TestServer;
      let context: BrowserContext;
      let page: Page;
      let dataDir: string;
      let close: () => Promise<void>;
      const external: string[] = [];
      /** Where a screenshot goes: PGlite's under their own names, PostgreSQL's with a prefix. */
      const shot = (name: string) => join(SCREENSHOTS, backend === 'pglite' ? name : `postgres-${name}`);

      /** Waits until the map has drawn its tiles and the choropleth has coloured counties. */
      async function mapDrawn() {
        await waitForMapDrawn(page);
      }

      /**
       * The class each rendered county is coloured with (on the compare view's second map if asked);
       * null for a county without a value, or -1 for one with no monitored village when `noVillages`.
       */
      function renderedClasses(which: '__rrm' | '__rrmCompare' = '__rrm', noVillages = false) {
        return page.evaluate(
          ({ which, noVillages }) => {
            const map = (window as unknown as Record<string, { map: MapHandle }>)[which]!.map;
            const out: Record<string, number | null> = {};
            for (const f of map.queryRenderedFeatures({ layers: ['county-fill'] })) {
              const state = map.getFeatureState({ source: 'counties', sourceLayer: 'counties', id: f.id! });
              const cls = state.cls as number | undefined;
              out[String(f.id)] = cls == null || (cls < 0 && !noVillages) ? null : cls;
            }
            return out;
          },
          { which, noVillages },
        );
      }
      /**
       * Pixels of a PNG counted in the page (decoded by the browser): per query, those in `box` (the
       * whole picture if none) of exactly the colour `css`, or of ink (darker than the light map).
       */
      const countPixels = (
        png: Buffer,
        queries: { box?: { x: number; y: number; w: number; h: number }; css?: string }[],
      ) =>
        page.evaluate(
          async ({ data, queries }) => {
            const image = new Image();
            image.src = `data:image/png;base64,${data}`;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width;
            canvas.height = image.height;
            const ctx = canvas.getContext('2d')!;
            ctx.drawImage(image, 0, 0);
            return queries.map(({ box, css }) => {
              const { x, y, w, h } = box ?? { x: 0, y: 0, w: image.width, h: image.height };
              const pixels = ctx.getImageData(x, y, w, h).data;
              const rgb = css ? css.match(/\d+/g)!.map(Number) : null;
              let n = 0;
              for (let i = 0; i < pixels.length; i += 4) {
                const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
                if (rgb ? r === rgb[0] && g === rgb[1] && b === rgb[2] : r + g + b < 600) n++;
              }
              return n;
            });
          },
          { data: png.toString('base64'), queries },
        );
      /** The class bounds a legend shows, row by row. */
      const legendRanges = (testId: string) =>
        page.locator(`[data-testid=${testId}] .range`).allTextContents();

      beforeAll(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'rrm-e2e-'));
        let database: Awaited<ReturnType<typeof openDatabase>>;
        if (backend === 'pglite') {
          cpSync(inject('pgliteProvinceDir'), dataDir, { recursive: true });
          database = await openDatabase({ dataDir });
        } else {
          database = await openDatabase({ url: withDatabase(inject('postgresAdminUrl'), PROVINCE_DATABASE) });
        }
        server = await startTestServer(database);
        close = async () => {
          await server.close();
          await database.close();
        };
        context = await openBrowser(external);
        page = await context.newPage();
      }, 180_000);

      afterAll(async () => {
        await context?.close();
        await close?.();
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('draws the county choropleth with a legend, from localhost only', { timeout: 90_000 }, async () => {
        await page.goto(`${server.url}/?year=2021`);
        await mapDrawn();
        // The first picture waited for every tile (web/src/map/first-paint.ts; headless Chromium
        // draws WebGL in software): it wraps MapLibre's renderer, which is not public API, so a
        // MapLibre that no longer calls it must fail here, not go slow.
        const firstPaint = await page.evaluate(
          () =>
            (window as unknown as { __rrm: { firstPaint: { installed: boolean; released: boolean } } }).__rrm
              .firstPaint,
        );
        expect(firstPaint).toMatchObject({ installed: true, released: true });
        const classes = await renderedClasses();
        const coloured = Object.values(classes).filter((c) => c !== null);
        expect(coloured.length).toBeGreaterThan(50);
        expect(new Set(coloured).size).toBe(5);
        // Counties of the provinces without data are "no monitored village", in the legend and on
        // the map, exactly the API's; the tooltip of one says so.
        const withState = await renderedClasses('__rrm', true);
        const noVillageShown = Object.keys(withState).filter((code) => withState[code] === -1);
        const { data } = await server.graphql<{ choropleth: { noVillages: string[] } }>(
          '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021) { noVillages } }',
        );
        expect(noVillageShown.length).toBeGreaterThan(50);
        expect(noVillageShown.every((code) => data!.choropleth.noVillages.includes(code))).toBe(true);
        const legend = await page.getByTestId('legend').textContent();
        expect(legend).toContain(`无监测村${data!.choropleth.noVillages.length}`);
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('脱贫人口人均纯收入');
        await expect(page.getByTestId('demo-banner').textContent()).resolves.toContain('演示数据');
        // 南海诸岛附图: the islands in their inset at the lower right, drawn from the province tiles
        // down to 曾母暗沙 (the main map frames the mainland, to 18° N).
        await page.getByTestId('south-sea-inset').waitFor();
        type Shown = {
          loaded(): boolean;
          queryRenderedFeatures(o: object): unknown[];
          getBounds(): { getSouth(): number };
        };
        type Maps = { __rrmInset?: Shown; __rrm: { map: Shown } };
        await page.waitForFunction(() => (window as unknown as Maps).__rrmInset?.loaded());
        const inset = await page.evaluate(() => {
          const map = (window as unknown as Maps).__rrmInset!;
          const land = map.queryRenderedFeatures({ layers: ['land'] });
          return { features: land.length, south: map.getBounds().getSouth() };
        });
        expect(inset.features).toBeGreaterThan(0);
        expect(inset.south).toBeLessThan(3.9);
        const [insetBox, mapBox] = [
          (await page.getByTestId('south-sea-inset').boundingBox())!,
          (await page.getByTestId('map').boundingBox())!,
        ];
        expect(insetBox.x + insetBox.width).toBeGreaterThan(mapBox.x + mapBox.width * 0.8);
        expect(insetBox.y + insetBox.height).toBeGreaterThan(mapBox.y + mapBox.height * 0.8);
        expect(
          await page.evaluate(() => (window as unknown as Maps).__rrm.map.getBounds().getSouth()),
        ).toBeGreaterThan(10);
        await page.screenshot({ path: shot('map-income-2021-zh.png') });
        expect(external).toEqual([]);
      });

      it('exports the map as a PNG with title band, legend and the demo note', {
        timeout: 60_000,
      }, async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('export-png').click(),
        ]);
        expect(download.suggestedFilename()).toBe('map-per_capita_net_income-2021.png');
        const path = shot('export-income-2021.png');
        await download.saveAs(path);
        const bytes = readFileSync(path);
        expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
        const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
        const map = (await page.getByTestId('map').boundingBox())!;
        expect(width).toBe(Math.round(map.width));
        expect(height).toBe(Math.round(map.height) + 64 + 26);
        // Every legend colour is painted as a swatch: count pixels of exactly that colour.
        const colours = await page.$$eval('[data-testid=legend] .swatch', (els) =>
          els.map((e) => getComputedStyle(e).backgroundColor),
        );
        const counts = await countPixels(
          bytes,
          colours.map((css) => ({ css })),
        );
        expect(colours.length).toBe(6); // 5 classes and no monitored village
        for (const n of counts) expect(n).toBeGreaterThanOrEqual(150);
        // The South China Sea inset where it is on the page (its frame, islands and title), the
        // scale bar above it, and the source line (the footer) are ink.
        const insetBox = (await page.getByTestId('south-sea-inset').boundingBox())!;
        const inset = {
          x: Math.round(insetBox.x - map.x),
          y: Math.round(64 + insetBox.y - map.y),
          w: Math.round(insetBox.width),
          h: Math.round(insetBox.height),
        };
        const ink = await countPixels(bytes, [
          { box: { x: width - 150, y: inset.y - 34 - 30, w: 134, h: 40 } },
          { box: { x: 0, y: height - 26, w: width, h: 26 } },
          { box: { x: width - 60, y: 8, w: 48, h: 48 } },
          // Inside the frame, away from its edges: the islands and the title.
          { box: { x: inset.x + 4, y: inset.y + 60, w: inset.w - 8, h: inset.h - 64 } },
          // The frame's left edge.
          { box: { x: inset.x - 1, y: inset.y + 10, w: 2, h: inset.h - 20 } },
        ]);
        expect(ink[0]).toBeGreaterThan(150);
        expect(ink[1]).toBeGreaterThan(300);
        expect(ink[3]).toBeGreaterThan(60);
        expect(ink[4]).toBeGreaterThan(inset.h - 30);
        // No north arrow on a map facing north; turned, it has one (in the title band's right end).
        expect(ink[2]).toBe(0);
        await page.evaluate(() =>
          (window as unknown as { __rrm: { map: { setBearing(b: number): void } } }).__rrm.map.setBearing(30),
        );
        const [turned] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('export-png').click(),
        ]);
        const turnedPath = shot('export-income-2021-turned.png');
        await turned.saveAs(turnedPath);
        const arrow = await countPixels(readFileSync(turnedPath), [
          { box: { x: width - 60, y: 8, w: 48, h: 48 } },
        ]);
        expect(arrow[0]).toBeGreaterThan(40);
        await page.evaluate(() =>
          (window as unknown as { __rrm: { map: { setBearing(b: number): void } } }).__rrm.map.setBearing(0),
        );
      });

      it("downloads the numbers behind the map, equal to the API's, from the header", {
        timeout: 60_000,
      }, async () => {
        await page.goto(`${server.url}/?indicator=PER_CAPITA_NET_INCOME&year=2021&method=QUANTILE&classes=5`);
        await mapDrawn();
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('export-csv').click(),
        ]);
        expect(download.suggestedFilename()).toBe('map-per_capita_net_income-2021.csv');
        const path = join(dataDir, 'map-values-2021.csv');
        await download.saveAs(path);
        const rows = parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        const { data } = await server.graphql<{
          choropleth: {
            values: { code: string; value: number; classIndex: number; rank: number }[];
            noData: string[];
          };
        }>(
          '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: QUANTILE, classes: 5) { values { code value classIndex rank } noData } }',
        );
        const c = data!.choropleth;
        expect(rows.length).toBe(c.values.length + c.noData.length);
        const byCode = new Map(rows.map((r) => [r['区划代码'], r]));
        for (const v of c.values) {
          const row = byCode.get(v.code)!;
          expect([Number(row['数值']), Number(row['分级(1为最低)']), Number(row['排名'])]).toEqual([
            v.value,
            v.classIndex + 1,
            v.rank,
          ]);
        }
      });

      it('recolours when the year changes', { timeout: 90_000 }, async () => {
        const before = await renderedClasses();
        const legendBefore = await page.getByTestId('legend').textContent();
        await page.getByTestId('year').fill('2016');
        await page.waitForFunction(
          () => document.querySelector('[data-testid=year-label]')?.textContent === '2016',
        );
        await page.waitForFunction(
          (old) => document.querySelector('[data-testid=legend]')?.textContent !== old,
          legendBefore,
        );
        await mapDrawn();
        // The legend renders with the new answer; the counties' feature states are set by the map's
        // own effect right after, so a read at this instant can still see the old classes: poll.
        const changedCount = async () => {
          const after = await renderedClasses();
          return Object.keys(before).filter(
            (code) => before[code] !== null && after[code] !== null && before[code] !== after[code],
          ).length;
        };
        await expect.poll(changedCount, { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);
        expect(page.url()).toContain('year=2016');
        // Play advances the years on its own, keeping the classes of the year it started from (so
        // that a colour means the same income in each year); pause stops it.
        const startRanges = await legendRanges('legend');
        await page.getByTestId('play').click();
        await page.waitForFunction(
          () => document.querySelector('[data-testid=year-label]')?.textContent === '2018',
          undefined,
          { timeout: 10_000 },
        );
        // The legend follows the playing year a moment later; by then play may have moved on, so
        // any year after the start shows that it redrew (not 2018 exactly).
        await page.waitForFunction(() =>
          /20(1[7-9]|2\d)/.test(
            document.querySelector('[data-testid=legend] .legend-title')?.textContent ?? '',
          ),
        );
        await expect(legendRanges('legend')).resolves.toEqual(startRanges);
        await page.getByTestId('play').click();
        const stoppedAt = await page.getByTestId('year-label').textContent();
        await page.waitForTimeout(1_500);
        await expect(page.getByTestId('year-label').textContent()).resolves.toBe(stoppedAt);
      });

      it('recolours the monitoring map when an admin sets a new monitoring line', {
        timeout: 90_000,
      }, async () => {
        // Counties coloured by their monitored households under the stored line, in fixed classes
        // so that a colour means the same count before and after.
        const year = 2025;
        const admin = await loginAt(server.url, 'admin');
        const { data: lines } = await server.graphql<{
          monitoringLines: { provinceCode: string; lineYuan: number; version: number }[];
        }>(`{ monitoringLines(year: ${year}) { provinceCode lineYuan version } }`);
        const line = lines!.monitoringLines[0]!;
        await page.goto(
          `${server.url}/?indicator=HOUSEHOLDS_UNDER_LINE&year=${year}&breaks=0,5,20,50,100,200`,
        );
        await mapDrawn();
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('收入低于监测标准的监测户');
        const before = await renderedClasses();
        const coloured = Object.keys(before).filter((code) => before[code] !== null);
        expect(coloured.length).toBeGreaterThan(10);
        await page.screenshot({ path: shot('map-under-line-before.png') });
        const setLine = async (lineYuan: number, version: number) => {
          const answer = await server.graphql<{ setMonitoringLine: { version: number } }>(
            `mutation($p: String!, $l: Int!, $v: Int) { setMonitoringLine(provinceCode: $p, year: ${year}, lineYuan: $l,
              sourceNote: "e2e: a line above every income", expectedVersion: $v) { version } }`,
            { p: line.provinceCode, l: lineYuan, v: version },
            { token: admin },
          );
          expect(answer.errors).toBeUndefined();
          return answer.data!.setMonitoringLine.version;
        };
        // Every monitored household is under a line of 100,000 yuan: every county of the province
        // moves to a class at least as high, and some higher.
        const version = await setLine(100_000, line.version);
        try {
          await page.reload();
          await mapDrawn();
          const rose = async () => {
            const after = await renderedClasses();
            const inProvince = coloured.filter((code) => code.startsWith(line.provinceCode));
            const lower = inProvince.filter((code) => after[code] !== null && after[code]! < before[code]!);
            const higher = inProvince.filter((code) => after[code] !== null && after[code]! > before[code]!);
            return lower.length === 0 && higher.length > 0;
          };
          await expect.poll(rose, { timeout: 20_000, interval: 250 }).toBe(true);
          await page.screenshot({ path: shot('map-under-line-after.png') });
        } finally {
          await setLine(line.lineYuan, version);
        }
      });

      it('drills into a province by clicking it, with breadcrumbs and KPI cards, and back out', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/?year=2021`);
        await mapDrawn();
        await expect(page.getByTestId('kpi-counties').textContent()).resolves.toMatch(/\d/);
        const nationCounties = await page.getByTestId('kpi-counties').textContent();
        // Click 贵阳, in 贵州.
        const point = await page.evaluate(() =>
          (
            window as unknown as {
              __rrm: { map: { project(p: [number, number]): { x: number; y: number } } };
            }
          ).__rrm.map.project([106.71, 26.58]),
        );
        const box = (await page.getByTestId('map').boundingBox())!;
        await page.mouse.click(box.x + point.x, box.y + point.y);
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=breadcrumbs]')?.textContent?.includes('贵州省'),
        );
        expect(page.url()).toContain('region=52');
        await mapDrawn();
        await page.waitForFunction(
          (before) => document.querySelector('[data-testid=kpi-counties]')?.textContent !== before,
          nationCounties,
        );
        await expect(page.getByTestId('kpi-counties').locator('.kpi-value').textContent()).resolves.toBe(
          '88',
        );
        await page.screenshot({ path: shot('map-guizhou-2021-zh.png') });

        // A province's prefecture map drills into a prefecture: 贵阳市, its counties only.
        await page.getByTestId('level').selectOption('PREFECTURE');
        await page.waitForFunction(() => window.location.search.includes('level=PREFECTURE'));
        await page.waitForFunction(
          () => ((window as unknown as { __rrm: { coloured: number } }).__rrm.coloured ?? 0) < 20,
        );
        await mapDrawn();
        const guiyang = await pagePoint(106.71, 26.58);
        await page.mouse.click(guiyang.x, guiyang.y);
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=breadcrumbs]')?.textContent?.includes('贵阳市'),
        );
        expect(page.url()).toContain('region=5201');
        expect(page.url()).not.toContain('level=');
        await mapDrawn();
        const inPrefecture = await renderedClasses();
        const coloured = Object.keys(inPrefecture).filter((code) => inPrefecture[code] !== null);
        expect(coloured.length).toBeGreaterThan(3);
        expect(coloured.every((code) => code.startsWith('5201'))).toBe(true);
        await expect(page.getByTestId('breadcrumbs').textContent()).resolves.toBe('全国›贵州省›贵阳市');
        await page.screenshot({ path: shot('map-guiyang-2021-zh.png') });
        // Up to the province's prefecture map, then to the nation.
        await page.getByTestId('breadcrumbs').getByRole('button', { name: '贵州省' }).click();
        await page.waitForFunction(() => /region=52(&|$)/.test(window.location.search));
        expect(page.url()).toContain('level=PREFECTURE');
        await page.getByTestId('breadcrumbs').getByRole('button', { name: '全国' }).click();
        await page.waitForFunction(() => !document.querySelector('[data-testid=breadcrumbs] button'));
        expect(page.url()).not.toContain('region=');
      });

      it('colours provinces or prefectures when the level is switched', { timeout: 90_000 }, async () => {
        await page.goto(`${server.url}/?level=PROVINCE&year=2021`);
        await mapDrawn();
        const states = await page.evaluate(() => {
          const map = (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map;
          return map.queryRenderedFeatures({ layers: ['province-choropleth'] }).map((f) => ({
            id: String(f.id),
            cls: map.getFeatureState({ source: 'provinces', sourceLayer: 'provinces', id: f.id! }).cls,
          }));
        });
        expect(states.find((s) => s.id === '52')?.cls).toBe(0);
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('个省');
        await page.getByTestId('level').selectOption('PREFECTURE');
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=legend]')?.textContent?.includes('个地市'),
        );
        expect(page.url()).toContain('level=PREFECTURE');
      });

      it('switches to English and back', { timeout: 60_000 }, async () => {
        await page.getByTestId('language').click();
        await expect(page.locator('h1').textContent()).resolves.toBe('Rural Revitalization Monitor');
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('Per-capita net income');
        await page.screenshot({ path: shot('map-income-2016-en.png') });
        await page.getByTestId('language').click();
        await expect(page.locator('h1').textContent()).resolves.toBe('巩固拓展脱贫攻坚成果监测');
      });

      it('restores a view from its URL', { timeout: 90_000 }, async () => {
        await page.goto(
          `${server.url}/?indicator=EMPLOYMENT_RATE&year=2019&method=NATURAL_BREAKS&classes=7&lang=en`,
        );
        await mapDrawn();
        await expect(page.getByTestId('indicator').inputValue()).resolves.toBe('EMPLOYMENT_RATE');
        await expect(page.getByTestId('method').inputValue()).resolves.toBe('NATURAL_BREAKS');
        await expect(page.getByTestId('classes').inputValue()).resolves.toBe('7');
        await expect(page.getByTestId('year-label').textContent()).resolves.toBe('2019');
        const legend = (await page.getByTestId('legend').textContent()) ?? '';
        expect(legend).toContain('Employment rate');
        expect(legend).toMatch(/%/);
        await page.screenshot({ path: shot('map-employment-2019-en.png') });
        expect(external).toEqual([]);
      });

      it('keeps a fixed legend the reader typed across years and in the link, and says what is wrong with a bad one', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/?year=2021`);
        await mapDrawn();
        const computed = await legendRanges('legend');
        // "Fixed bounds" starts from the map's own, rounded.
        await page.getByTestId('method').selectOption('FIXED');
        await page.waitForFunction(() => window.location.search.includes('breaks='));
        expect(await page.getByTestId('breaks').inputValue()).toMatch(/^\d[\d., ]+$/);
        expect((await legendRanges('legend')).length).toBe(computed.length);
        // A typo is named beside the field and changes nothing.
        const before = page.url();
        await page.getByTestId('breaks').fill('0, 9000, 9000');
        await page.getByTestId('breaks').press('Enter');
        await expect(page.getByTestId('breaks-problem').textContent()).resolves.toBe(
          '界值须由低到高：9000 不大于 9000',
        );
        expect(page.url()).toBe(before);
        // Bands at the monitoring line's multiples, kept when the year changes.
        await page.getByTestId('breaks').fill('0, 4000, 8000, 12000, 16000');
        await page.getByTestId('breaks').press('Enter');
        await page.waitForFunction(() =>
          window.location.search.includes('breaks=0%2C4000%2C8000%2C12000%2C16000'),
        );
        const bands = ['0 – 4000', '4000 – 8000', '8000 – 1.2万', '1.2万 – 1.6万'];
        await page.waitForFunction(
          (first) => document.querySelector('[data-testid=legend] .range')?.textContent === first,
          bands[0],
        );
        expect((await legendRanges('legend')).slice(0, 4)).toEqual(bands);
        await page.getByTestId('year').fill('2018');
        await page.waitForFunction(() => window.location.search.includes('year=2018'));
        await mapDrawn();
        expect((await legendRanges('legend')).slice(0, 4)).toEqual(bands);
        // The link opens the same legend; another indicator drops it (other units).
        await page.goto(page.url());
        await mapDrawn();
        expect((await legendRanges('legend')).slice(0, 4)).toEqual(bands);
        await page.screenshot({ path: shot('fixed-breaks-2018-zh.png') });
        await page.getByTestId('indicator').selectOption('EMPLOYMENT_RATE');
        await page.waitForFunction(() => !window.location.search.includes('breaks='));
      });

      it('keeps the camera in the URL: a link opens where the reader left the map, turned or not', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/?year=2021&at=106.7,26.6,6.5,20`);
        await mapDrawn();
        const camera = () =>
          page.evaluate(() => {
            const map = (
              window as unknown as {
                __rrm: {
                  map: { getCenter(): { lng: number; lat: number }; getZoom(): number; getBearing(): number };
                };
              }
            ).__rrm.map;
            const { lng, lat } = map.getCenter();
            return { lon: lng, lat, zoom: map.getZoom(), bearing: map.getBearing() };
          });
        const opened = await camera();
        expect(opened.lon).toBeCloseTo(106.7, 3);
        expect(opened.lat).toBeCloseTo(26.6, 3);
        expect(opened.zoom).toBeCloseTo(6.5, 3);
        expect(opened.bearing).toBeCloseTo(20, 3);
        // The reader drags the map: the URL follows, and opening it again gives the same view.
        const box = (await page.getByTestId('map').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 60, { steps: 8 });
        await page.mouse.up();
        await page.waitForFunction(() => !window.location.search.includes('at=106.7%2C26.6%2C'));
        const moved = await camera();
        expect(moved.lon).toBeGreaterThan(106.7);
        const link = page.url();
        expect(new URL(link).searchParams.get('at')).toMatch(/^[\d.]+,[\d.]+,6\.5,20$/);
        await page.goto(link);
        await mapDrawn();
        const reopened = await camera();
        expect(reopened.lon).toBeCloseTo(moved.lon, 3);
        expect(reopened.lat).toBeCloseTo(moved.lat, 3);
        await page.screenshot({ path: shot('camera-from-url-zh.png') });
      });

      /** Screen position (relative to the page) of a longitude/latitude on the main map. */
      async function pagePoint(lon: number, lat: number, testId = 'map') {
        const point = await page.evaluate(
          ([lon, lat]) =>
            (
              window as unknown as {
                __rrm: { map: MapHandle & { project(p: [number, number]): { x: number; y: number } } };
              }
            ).__rrm.map.project([lon!, lat!]),
          [lon, lat],
        );
        const box = (await page.getByTestId(testId).boundingBox())!;
        return { x: box.x + point.x, y: box.y + point.y };
      }

      /** Features drawn in a layer of the main map (properties only). */
      function rendered(layer: string) {
        return page.evaluate(
          (layer) =>
            (
              window as unknown as {
                __rrm: {
                  map: {
                    queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[];
                  };
                };
              }
            ).__rrm.map
              .queryRenderedFeatures({ layers: [layer] })
              .map((f) => f.properties),
          layer,
        );
      }

      it('opens a side panel for a clicked county with its name, the value the API gives, counts and trends', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/?region=52&year=2021`);
        await mapDrawn();
        const at = await pagePoint(106.71, 26.58);
        const code = await page.evaluate(({ x, y }) => {
          const map = (
            window as unknown as {
              __rrm: {
                map: {
                  queryRenderedFeatures(
                    p: [number, number],
                    o: { layers: string[] },
                  ): { properties: { code: string } }[];
                };
              };
            }
          ).__rrm.map;
          const box = document.querySelector('[data-testid=map]')!.getBoundingClientRect();
          return map.queryRenderedFeatures([x - box.x, y - box.y], { layers: ['county-hit'] })[0]?.properties
            .code;
        }, at);
        expect(code).toMatch(/^52\d{4}$/);
        await page.mouse.click(at.x, at.y);
        await page.getByTestId('county-name').waitFor();
        const api = await server.graphql<{
          county: { name: string; overdueProblems: number; indicators: { perCapitaNetIncome: number } };
        }>(
          'query($code: String!) { county(code: $code) { name overdueProblems indicators(year: 2021) { perCapitaNetIncome } } }',
          { code },
        );
        await expect(page.getByTestId('county-name').textContent()).resolves.toBe(api.data!.county.name);
        const shown = Number(await page.getByTestId('county-value').getAttribute('data-value'));
        expect(shown).toBeCloseTo(api.data!.county.indicators.perCapitaNetIncome, 6);
        await expect(page.getByTestId('county-value').textContent()).resolves.toMatch(/元$/);
        await expect(page.getByTestId('county-overdue').locator('dd').textContent()).resolves.toBe(
          String(api.data!.county.overdueProblems),
        );
        expect(page.url()).toContain(`county=${code}`);
        // The trend chart is drawn: its canvas has ink.
        const inked = await page.evaluate(() => {
          const canvas = document.querySelector('[data-testid=county-trend] canvas') as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let n = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++;
          return n;
        });
        expect(inked).toBeGreaterThan(500);
        // Its 防止返贫监测 section: households by type as the API counts them, the monthly chart,
        // and (anonymous here) no household rows, only the note to log in.
        const monitoring = await server.graphql<{
          monitoringBreakdown: { byType: { monitoring: number }[] };
          monitoringStats: { earlyWarning: number }[];
        }>(
          'query($c: String!) { monitoringBreakdown(regionCode: $c) { byType { monitoring } } monitoringStats(level: COUNTY, parentCode: $c, year: 2021) { earlyWarning } }',
          { c: code },
        );
        await page.getByTestId('county-monitoring-types').waitFor();
        await expect(page.getByTestId('county-monitoring-types').locator('li').count()).resolves.toBe(
          monitoring.data!.monitoringBreakdown.byType.length,
        );
        await expect(
          page.getByTestId('county-monitoring-stats').locator('strong').textContent(),
        ).resolves.toBe(String(monitoring.data!.monitoringStats[0]?.earlyWarning ?? ''));
        await page.getByTestId('county-monitoring-months').locator('canvas').waitFor();
        await expect(page.getByTestId('county-warnings-login').isVisible()).resolves.toBe(true);
        await expect(page.getByTestId('county-warnings').count()).resolves.toBe(0);
        await page.getByTestId('county-monitoring').scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('county-panel-2021-zh.png') });

        // A click drills into a county: its villages drawn in the API's village classes, with their
        // own legend, a breadcrumb, and the download of their values. Clicked on the province's
        // county with the most villages (the first may have a handful).
        const stats = await server.graphql<{ regionStats: { code: string; villages: number }[] }>(
          '{ regionStats(level: COUNTY, year: 2021, parentCode: "52") { code villages } }',
        );
        const busiest = stats
          .data!.regionStats.filter((r) => r.code.length === 6)
          .sort((a, b) => b.villages - a.villages)[0]!;
        const where = await server.graphql<{
          county: { name: string; labelPoint: { coordinates: [number, number] } };
        }>('query($c: String!) { county(code: $c) { name labelPoint } }', { c: busiest.code });
        // The drill switched the relocation sites on (in the layer panel too); off again, so that
        // the next click lands on a county, not a site.
        expect(page.url()).toContain('layers=sites');
        await expect(page.getByTestId('layer-sites').isChecked()).resolves.toBe(true);
        await page.getByTestId('breadcrumbs').locator('button').last().click();
        await page.waitForFunction(() => !window.location.search.includes('county='));
        await page.getByTestId('layer-sites').uncheck();
        await mapDrawn();
        const [lon, lat] = where.data!.county.labelPoint.coordinates;
        const target = await pagePoint(lon, lat);
        await page.mouse.click(target.x, target.y);
        await page.waitForFunction((c) => window.location.search.includes(`county=${c}`), busiest.code);
        const classes = (
          await server.graphql<{
            villageChoropleth: { counts: number[]; values: { code: string; classIndex: number }[] };
          }>(
            'query($c: String!) { villageChoropleth(countyCode: $c, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: QUANTILE, classes: 5) { counts values { code classIndex } } }',
            { c: busiest.code },
          )
        ).data!.villageChoropleth;
        expect(classes.values.length).toBeGreaterThan(20);
        const expected = Object.fromEntries(classes.values.map((v) => [v.code, v.classIndex]));
        await page.waitForFunction(
          (n) =>
            Object.keys((window as unknown as { __rrmVillages?: object }).__rrmVillages ?? {}).length === n,
          classes.values.length,
        );
        expect(
          await page.evaluate(() => (window as unknown as { __rrmVillages: object }).__rrmVillages),
        ).toEqual(expected);
        // Drawn once the map has painted the points (under load, a frame or two after they arrive).
        let drawn: { code: string; cls: number }[] = [];
        await expect
          .poll(
            async () => {
              drawn = (await rendered('county-village-points')) as { code: string; cls: number }[];
              return drawn.length;
            },
            { timeout: 15_000, interval: 250 },
          )
          .toBeGreaterThan(5);
        for (const v of drawn) expect(v.cls).toBe(expected[v.code]);
        // Each class is painted in the colour its legend row shows.
        const swatches = await page
          .locator('[data-testid=legend-villages] .swatch')
          .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
        const paint = (await page.evaluate(() =>
          (
            window as unknown as { __rrm: { map: { getPaintProperty(l: string, p: string): unknown } } }
          ).__rrm.map.getPaintProperty('county-village-points', 'circle-color'),
        )) as unknown[];
        const hex = (rgb: string) =>
          `#${(rgb.match(/\d+/g) ?? [])
            .slice(0, 3)
            .map((n) => Number(n).toString(16).padStart(2, '0'))
            .join('')}`;
        for (const [i] of classes.counts.entries())
          expect(paint[paint.indexOf(i, 2) + 1]).toBe(hex(swatches[i]!));
        const counts = await page.locator('[data-testid=legend-villages] .count').allTextContents();
        expect(counts.slice(0, classes.counts.length).map((c) => Number.parseInt(c, 10))).toEqual(
          classes.counts,
        );
        await expect(page.getByTestId('breadcrumbs').textContent()).resolves.toContain(
          where.data!.county.name,
        );
        const csv = await page.locator('a', { hasText: 'CSV' }).getAttribute('href');
        expect(csv).toContain(`county=${busiest.code}`);
        await page.screenshot({ path: shot('county-villages-2021-zh.png') });

        // Back out to the province: the villages go.
        await page.getByTestId('breadcrumbs').locator('button').last().click();
        await page.waitForFunction(
          () =>
            Object.keys((window as unknown as { __rrmVillages?: object }).__rrmVillages ?? {}).length === 0,
        );
        expect(page.url()).not.toContain('county=');
      });

      it('maps the change from the previous year with a diverging legend', { timeout: 90_000 }, async () => {
        await page.goto(`${server.url}/?region=52&year=2021&indicator=EMPLOYMENT_RATE`);
        await mapDrawn();
        await page.getByTestId('mode').selectOption('change');
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=legend]')?.textContent?.includes('比上年增减'),
        );
        await mapDrawn();
        expect(page.url()).toContain('change=1');
        const legend = (await page.getByTestId('legend').textContent()) ?? '';
        expect(legend).toContain('个百分点');
        // 2021 employment rose after the 2020 dip: the largest class is a rise, drawn green.
        const swatches = await page.$$eval('[data-testid=legend] .swatch', (els) =>
          els.map((e) => getComputedStyle(e).backgroundColor),
        );
        const top = swatches[swatches.length - 1 - (legend.includes('无数据') ? 1 : 0)]!;
        const [r, g] = top.match(/\d+/g)!.map(Number);
        expect(g).toBeGreaterThan(r!);
        const classes = Object.values(await renderedClasses()).filter((c) => c !== null);
        expect(classes.length).toBeGreaterThan(50);
        await page.screenshot({ path: shot('change-employment-2021-zh.png') });
      });

      it('recolours by the share of villages under a monitoring line as the line moves, without asking the server again', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/?region=52&year=2020`);
        await mapDrawn();
        await page.getByTestId('mode').selectOption('line');
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=legend]')?.textContent?.includes('监测线'),
        );
        expect(page.url()).toContain('line=4000');
        const requests: string[] = [];
        const count = (request: { url(): string }) => {
          if (request.url().includes('/graphql')) requests.push(request.url());
        };
        page.on('request', count);
        const before = await page.getByTestId('legend').textContent();
        await page.getByTestId('line-number').fill('9000');
        await page.waitForFunction(
          (old) => document.querySelector('[data-testid=legend]')?.textContent !== old,
          before,
        );
        await mapDrawn();
        page.off('request', count);
        expect(requests).toEqual([]);
        expect(page.url()).toContain('line=9000');
        // Each county's class is the share of its villages under 9,000 yuan, from the API's incomes.
        const api = await server.graphql<{ villageIncomes: { code: string; incomes: number[] }[] }>(
          '{ villageIncomes(level: COUNTY, year: 2020, parentCode: "52") { code incomes } }',
        );
        const bounds = [0, 0.05, 0.1, 0.25, 0.5, 1];
        const expected = Object.fromEntries(
          api.data!.villageIncomes.map((r) => {
            const share = r.incomes.filter((x) => x < 9000).length / r.incomes.length;
            return [r.code, bounds.findIndex((b) => share <= b)];
          }),
        );
        const shown = await renderedClasses();
        const compared = Object.keys(shown).filter((c) => c in expected);
        expect(compared.length).toBeGreaterThan(50);
        for (const c of compared) expect(shown[c], c).toBe(expected[c]);
        expect(new Set(compared.map((c) => shown[c])).size).toBeGreaterThan(1);
        await page.screenshot({ path: shot('monitoring-line-9000-2020-zh.png') });
        // The CSV of what is shown: each county's share under the line from the API's incomes, its
        // class as drawn; made in the page, so still no request.
        page.on('request', count);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('export-csv').click(),
        ]);
        page.off('request', count);
        expect(requests).toEqual([]);
        expect(download.suggestedFilename()).toBe('map-line-9000-2020-52.csv');
        const text = readFileSync(await download.path()).toString('utf8');
        const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
        const incomes = new Map(api.data!.villageIncomes.map((r) => [r.code, r.incomes]));
        const valued = rows.filter((r) => r['数值'] !== '');
        expect(valued.length).toBe(api.data!.villageIncomes.length);
        for (const r of valued) {
          const own = incomes.get(r['代码']!)!;
          expect(Number(r['数值'])).toBeCloseTo(own.filter((x) => x < 9000).length / own.length, 12);
          expect(Number(r['分级(1为最低)']) - 1).toBe(expected[r['代码']!]);
        }
        expect(rows.filter((r) => r['数值'] === '').every((r) => r['无数据原因'] !== '')).toBe(true);
      });

      it('switches overlays on: villages, relocation sites, 挂牌督战 status and key assistance counties', {
        timeout: 120_000,
      }, async () => {
        // At the national view, villages are clusters per county: together, every monitored village.
        await page.goto(`${server.url}/?year=2021&layers=villages`);
        await mapDrawn();
        await page.waitForFunction(
          () =>
            (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map.queryRenderedFeatures({
              layers: ['village-clusters'],
            }).length > 0,
          undefined,
          { timeout: 60_000 },
        );
        const clusters = new Map(
          (await rendered('village-clusters')).map((p) => [String(p.county), Number(p.villages)]),
        );
        const total = await server.graphql<{ regionStats: { isTotal: boolean; villages: number }[] }>(
          '{ regionStats(level: PROVINCE, year: 2021) { isTotal villages } }',
        );
        const sum = [...clusters.values()].reduce((a, b) => a + b, 0);
        expect(sum).toBe(total.data!.regionStats.find((r) => r.isTotal)!.villages);
        await page.screenshot({ path: shot('village-clusters-2021-zh.png') });

        await page.goto(`${server.url}/?region=52&year=2021`);
        await mapDrawn();
        for (const layer of ['villages', 'sites', 'supervision', 'keyAssistance']) {
          await page.getByTestId(`layer-${layer}`).check();
        }
        expect(page.url()).toContain('layers=villages%2Csites%2Csupervision%2CkeyAssistance');
        await mapDrawn();
        // Each overlay's tiles are asked for once its layer shows: wait until every one has drawn.
        // 60 s means "never drew", not "slow": the first overlay tiles on PGlite build their indexes.
        await page.waitForFunction(
          () => {
            const map = (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map;
            return ['village-points', 'site-circles', 'supervision-county'].every(
              (layer) => map.queryRenderedFeatures({ layers: [layer] }).length > 0,
            );
          },
          undefined,
          { timeout: 60_000 },
        );
        const villages = await rendered('village-points');
        expect(villages.length).toBeGreaterThan(100);
        expect(villages[0]).toHaveProperty('income');
        const sites = await rendered('site-circles');
        expect(sites.length).toBeGreaterThan(10);
        expect(sites.some((s) => typeof s.people === 'number')).toBe(true);
        const [expectedKey] = await server
          .graphql<{ counties: { totalCount: number } }>(
            '{ counties(filter: { regionCode: "52", keyAssistance: true }) { totalCount } }',
          )
          .then((r) => [r.data!.counties.totalCount]);
        // Outlines of neighbouring provinces' key counties are in view too: count Guizhou's.
        const key = new Set(
          (await rendered('key-assistance-line'))
            .map((p) => String(p.code))
            .filter((c) => c.startsWith('52')),
        );
        expect(key.size).toBe(expectedKey);
        const listed = await rendered('supervision-county');
        expect(listed.length).toBeGreaterThan(0);
        expect(listed.every((p) => ['supervising', 'lifted', 'closed'].includes(String(p.listing)))).toBe(
          true,
        );
        await page.screenshot({ path: shot('overlays-guizhou-2021-zh.png') });
      });

      it('draws lines from a selected relocation site to its origin villages, with household counts', {
        timeout: 90_000,
      }, async () => {
        // The overlays are still on from the last test; pick the biggest site drawn and click it.
        const site = await page.evaluate(() => {
          const map = (
            window as unknown as {
              __rrm: {
                map: {
                  queryRenderedFeatures(o: { layers: string[] }): {
                    properties: { id: number; people?: number };
                    geometry: { coordinates: [number, number] };
                  }[];
                };
              };
            }
          ).__rrm.map;
          const sites = map.queryRenderedFeatures({ layers: ['site-circles'] });
          sites.sort((a, b) => (b.properties.people ?? 0) - (a.properties.people ?? 0));
          return { id: sites[0]!.properties.id, at: sites[0]!.geometry.coordinates };
        });
        const at = await pagePoint(site.at[0], site.at[1]);
        await page.mouse.click(at.x, at.y);
        await page.getByTestId('site-panel').waitFor();
        const shownId = await page.evaluate(
          () => document.querySelector('[data-testid=site-panel] h2')?.textContent,
        );
        const api = await server.graphql<{
          relocationSite: { name: string; originVillages: { households: number }[] };
        }>('query($id: ID!) { relocationSite(id: $id) { name originVillages { households } } }', {
          id: String(site.id),
        });
        expect(shownId).toBe(api.data!.relocationSite.name);
        const origins = api.data!.relocationSite.originVillages;
        await expect(page.getByTestId('site-origins').textContent()).resolves.toBe(String(origins.length));
        // Lines first, then their labels: symbols are placed a frame or more later.
        await page.waitForFunction((n) => {
          const map = (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map;
          return (
            map.queryRenderedFeatures({ layers: ['origin-lines'] }).length >= Math.min(n, 1) &&
            map.queryRenderedFeatures({ layers: ['origin-labels'] }).length >= Math.min(n, 1)
          );
        }, origins.length);
        const labels = await rendered('origin-labels');
        expect(labels.length).toBeGreaterThan(0);
        expect(String(labels[0]!.label)).toMatch(/\d+ 户$/);
        await page.screenshot({ path: shot('site-origins-zh.png') });
      });

      it('compares two years side by side on two maps that move together', { timeout: 90_000 }, async () => {
        await page.goto(`${server.url}/?region=52&year=2021&compare=year:2016`);
        await mapDrawn();
        await waitForMapDrawn(page, { handle: '__rrmCompare' });
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('2021');
        await expect(page.getByTestId('legend-compare').textContent()).resolves.toContain('2016');
        const box = (await page.getByTestId('map').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 6 });
        await page.mouse.up();
        const centres = await page.evaluate(() => {
          const w = window as unknown as {
            __rrm: { map: { getCenter(): { lng: number; lat: number }; getZoom(): number } };
            __rrmCompare: { map: { getCenter(): { lng: number; lat: number }; getZoom(): number } };
          };
          return [
            w.__rrm.map.getCenter(),
            w.__rrmCompare.map.getCenter(),
            w.__rrm.map.getZoom(),
            w.__rrmCompare.map.getZoom(),
          ] as const;
        });
        expect(centres[1].lng).toBeCloseTo(centres[0].lng, 6);
        expect(centres[1].lat).toBeCloseTo(centres[0].lat, 6);
        expect(centres[3]).toBeCloseTo(centres[2], 6);
        // One legend for both years by default: the class bounds are computed over both years (the
        // API's), and each side's counties are coloured by their class under those bounds.
        const api = async (year: number, other: number) =>
          (
            await server.graphql<{
              choropleth: { breaks: number[]; values: { code: string; classIndex: number }[] };
            }>(
              `query($y: Int!, $o: [Int!]) { choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: $y,
                parentCode: "52", breaksOverYears: $o) { breaks values { code classIndex } } }`,
              { y: year, o: [other] },
            )
          ).data!.choropleth;
        const [main, second] = [await api(2021, 2016), await api(2016, 2021)];
        expect(second.breaks).toEqual(main.breaks);
        await expect(legendRanges('legend-compare')).resolves.toEqual(await legendRanges('legend'));
        const matches = async (which: '__rrm' | '__rrmCompare', c: typeof main) => {
          const expected = new Map(c.values.map((v) => [v.code, v.classIndex]));
          const shown = Object.entries(await renderedClasses(which)).filter(([code]) => expected.has(code));
          return shown.length > 50 && shown.every(([code, cls]) => cls === expected.get(code));
        };
        await expect.poll(() => matches('__rrm', main), { timeout: 20_000 }).toBe(true);
        await expect.poll(() => matches('__rrmCompare', second), { timeout: 20_000 }).toBe(true);
        await page.screenshot({ path: shot('compare-2016-2021-zh.png') });
        // Separate legends on request: each year's own bounds (2016's incomes were lower).
        await page.getByTestId('separate-legends').check();
        expect(page.url()).toContain('legends=separate');
        await expect
          .poll(
            async () =>
              (await legendRanges('legend-compare')).join() !== (await legendRanges('legend')).join(),
            {
              timeout: 20_000,
            },
          )
          .toBe(true);
        await page.screenshot({ path: shot('compare-2016-2021-separate-legends-zh.png') });
        await page.getByTestId('separate-legends').uncheck();
        await page.getByTestId('compare').selectOption('indicator');
        expect(page.url()).toContain('compare=indicator%3AEMPLOYMENT_RATE');
        await page.waitForFunction(() =>
          document.querySelector('[data-testid=legend-compare]')?.textContent?.includes('就业率'),
        );
      });

      it('draws a county’s villages on both sides of the compare view, in one legend for both years', {
        timeout: 90_000,
      }, async () => {
        const stats = await server.graphql<{ regionStats: { code: string; villages: number }[] }>(
          '{ regionStats(level: COUNTY, year: 2021, parentCode: "52") { code villages } }',
        );
        const busiest = stats
          .data!.regionStats.filter((r) => r.code.length === 6)
          .sort((a, b) => b.villages - a.villages)[0]!;
        await page.goto(`${server.url}/?region=52&year=2021&compare=year:2016&county=${busiest.code}`);
        await mapDrawn();
        // The API's village classes: 2021's own, and 2016's under 2021's bounds (one legend).
        const villageClasses = async (year: number, breaks?: number[]) =>
          (
            await server.graphql<{
              villageChoropleth: { breaks: number[]; values: { code: string; classIndex: number }[] };
            }>(
              `query($c: String!, $y: Int!, $b: [Float!]) { villageChoropleth(countyCode: $c, indicator: PER_CAPITA_NET_INCOME,
                year: $y, method: QUANTILE, classes: 5, breaks: $b) { breaks values { code classIndex } } }`,
              { c: busiest.code, y: year, b: breaks ?? null },
            )
          ).data!.villageChoropleth;
        const main = await villageClasses(2021);
        const second = await villageClasses(2016, main.breaks);
        const drawn = (which: '__rrmVillages' | '__rrmCompareVillages') =>
          page.evaluate(
            (w) => (window as unknown as Record<string, Record<string, number> | undefined>)[w] ?? {},
            which,
          );
        const expected = (c: typeof main) => Object.fromEntries(c.values.map((v) => [v.code, v.classIndex]));
        await expect.poll(() => drawn('__rrmVillages'), { timeout: 20_000 }).toEqual(expected(main));
        await expect.poll(() => drawn('__rrmCompareVillages'), { timeout: 20_000 }).toEqual(expected(second));
        // 2016's incomes were lower: under the same bounds its villages sit in lower classes.
        const mean = (c: Record<string, number>) =>
          Object.values(c).reduce((a, b) => a + b, 0) / Object.values(c).length;
        expect(mean(expected(second))).toBeLessThan(mean(expected(main)));
        await expect(legendRanges('legend-compare-villages')).resolves.toEqual(
          await legendRanges('legend-villages'),
        );
        await page.screenshot({ path: shot('compare-county-villages-2016-2021-zh.png') });
      });

      it('restores overlays, mode and compare from a link', { timeout: 90_000 }, async () => {
        await page.goto(
          `${server.url}/?region=52&year=2020&line=5000&layers=sites,keyAssistance&compare=indicator:EMPLOYMENT_RATE&county=520102`,
        );
        await mapDrawn();
        await expect(page.getByTestId('mode').inputValue()).resolves.toBe('line');
        await expect(page.getByTestId('line-number').inputValue()).resolves.toBe('5000');
        await expect(page.getByTestId('layer-sites').isChecked()).resolves.toBe(true);
        await expect(page.getByTestId('layer-villages').isChecked()).resolves.toBe(false);
        await expect(page.getByTestId('compare-indicator').inputValue()).resolves.toBe('EMPLOYMENT_RATE');
        await page.getByTestId('county-name').waitFor();
        await expect(page.getByTestId('legend').textContent()).resolves.toContain('5000');
        expect(external).toEqual([]);
      });
    },
  );
}
