// The leadership map in a real headless Chromium (Debian's, through playwright-core): it loads with
// no request leaving localhost, draws the choropleth, follows the year, the language and the URL.
// Screenshots go to test-output/screenshots for a person to look at.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@rrm/db';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM } from '../global-setup.ts';
import { startTestServer, type TestServer } from '../support/http.ts';

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

const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;
const built = existsSync(new URL('../../web/dist/index.html', import.meta.url));
const skip = !existsSync(CHROMIUM)
  ? 'Chromium is not installed (apt-get install chromium fonts-wqy-microhei)'
  : !built
    ? 'the web app is not built (pnpm --filter @rrm/web build; pnpm test does it)'
    : false;

describe.skipIf(skip)(`leadership map in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let close: () => Promise<void>;
  const external: string[] = [];

  /** Waits until the map has drawn its tiles and the choropleth has coloured counties. */
  async function mapDrawn() {
    await page.waitForFunction(
      () => {
        const handle = (window as unknown as { __rrm?: { map: MapHandle; coloured: number } }).__rrm;
        return !!handle && handle.coloured > 0 && handle.map.loaded() && handle.map.areTilesLoaded();
      },
      undefined,
      { timeout: 60_000 },
    );
  }

  /** The class each rendered county is coloured with. */
  function renderedClasses() {
    return page.evaluate(() => {
      const map = (window as unknown as { __rrm: { map: MapHandle } }).__rrm.map;
      const out: Record<string, number | null> = {};
      for (const f of map.queryRenderedFeatures({ layers: ['county-fill'] })) {
        const state = map.getFeatureState({ source: 'counties', sourceLayer: 'counties', id: f.id! });
        out[String(f.id)] = (state.cls as number | undefined) ?? null;
      }
      return out;
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rrm-e2e-'));
    cpSync(inject('pgliteProvinceDir'), dataDir, { recursive: true });
    const database = await openDatabase({ dataDir });
    server = await startTestServer(database);
    close = async () => {
      await server.close();
      await database.close();
    };
    mkdirSync(SCREENSHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rrm-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
    // Any request that would leave localhost fails the test (and is refused).
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (
        url.hostname === '127.0.0.1' ||
        url.hostname === 'localhost' ||
        url.protocol === 'data:' ||
        url.protocol === 'blob:'
      ) {
        return route.continue();
      }
      external.push(url.toString());
      return route.abort();
    });
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
    const classes = await renderedClasses();
    const coloured = Object.values(classes).filter((c) => c !== null);
    expect(coloured.length).toBeGreaterThan(50);
    expect(new Set(coloured).size).toBe(5);
    await expect(page.getByTestId('legend').textContent()).resolves.toContain('脱贫人口人均纯收入');
    await expect(page.getByTestId('demo-banner').textContent()).resolves.toContain('演示数据');
    await page.screenshot({ path: join(SCREENSHOTS, 'map-income-2021-zh.png') });
    expect(external).toEqual([]);
  });

  it('exports the map as a PNG with title band, legend and the demo note', { timeout: 60_000 }, async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-png').click(),
    ]);
    expect(download.suggestedFilename()).toBe('map-per_capita_net_income-2021.png');
    const path = join(SCREENSHOTS, 'export-income-2021.png');
    await download.saveAs(path);
    const bytes = readFileSync(path);
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const map = (await page.getByTestId('map').boundingBox())!;
    expect(width).toBe(Math.round(map.width));
    expect(height).toBe(Math.round(map.height) + 64);
    // Every legend colour is painted as a swatch: count pixels of exactly that colour.
    const colours = await page.$$eval('[data-testid=legend] .swatch', (els) =>
      els.map((e) => getComputedStyle(e).backgroundColor),
    );
    const counts = await page.evaluate(
      async ({ data, colours }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(image, 0, 0);
        const pixels = ctx.getImageData(0, 0, image.width, image.height).data;
        return colours.map((css) => {
          const [r, g, b] = css.match(/\d+/g)!.map(Number);
          let n = 0;
          for (let i = 0; i < pixels.length; i += 4)
            if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b) n++;
          return n;
        });
      },
      { data: bytes.toString('base64'), colours },
    );
    expect(colours.length).toBe(6); // 5 classes and no data
    for (const n of counts) expect(n).toBeGreaterThanOrEqual(150);
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
    const after = await renderedClasses();
    const changed = Object.keys(before).filter(
      (code) => before[code] !== null && after[code] !== null && before[code] !== after[code],
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(page.url()).toContain('year=2016');
    // Play advances the years on its own; pause stops it.
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=year-label]')?.textContent === '2018',
      undefined,
      { timeout: 10_000 },
    );
    await page.getByTestId('play').click();
    const stoppedAt = await page.getByTestId('year-label').textContent();
    await page.waitForTimeout(1_500);
    await expect(page.getByTestId('year-label').textContent()).resolves.toBe(stoppedAt);
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
        window as unknown as { __rrm: { map: { project(p: [number, number]): { x: number; y: number } } } }
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
    await expect(page.getByTestId('kpi-counties').locator('.kpi-value').textContent()).resolves.toBe('88');
    await page.screenshot({ path: join(SCREENSHOTS, 'map-guizhou-2021-zh.png') });
    await page.getByTestId('breadcrumbs').getByRole('button').click();
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
    await page.screenshot({ path: join(SCREENSHOTS, 'map-income-2016-en.png') });
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
    await page.screenshot({ path: join(SCREENSHOTS, 'map-employment-2019-en.png') });
    expect(external).toEqual([]);
  });
});
