// `pnpm bench:web`: the leadership map with the national dataset on PostgreSQL, in Debian's headless
// Chromium on localhost. Prints, each with a baseline measured in the same run:
// - time from navigation to the county choropleth drawn (p50 of BENCH_RUNS cold and warm loads),
//   against a bare MapLibre page drawing the same counties from one GeoJSON file (timed in the same
//   runs, alternating: scripts/support/bare-map.ts), and against the floor of fetching what that view
//   needs (page, scripts, choropleth, tiles) from Node;
// - JavaScript and CSS shipped, gzip, per chunk (maplibre stays in its own chunk);
// - tile sizes and times at z4, z6 and z10 for counties, villages and relocation sites, against a
//   304 answer for the same tile (the HTTP floor);
// - the page's JS heap once the map is drawn.
// Needs the web app built (pnpm --filter @rrm/web build) and /usr/bin/chromium.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { startBareMap } from './support/bare-map.ts';
import { markdownTable, withNationalServer } from './support/national-server.ts';
import { tileOf } from './support/tile-math.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DIST = new URL('../web/dist/', import.meta.url).pathname;
const VIEW = '/?indicator=PER_CAPITA_NET_INCOME&year=2021';
/** 贵阳: where the tile samples are cut. */
const SAMPLE: [number, number] = [106.71, 26.58];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

function bundleSizes() {
  const assets = join(DIST, 'assets');
  return readdirSync(assets)
    .filter((f) => /\.(m?js|css)$/.test(f))
    .map((file) => {
      const bytes = readFileSync(join(assets, file));
      return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

async function timed(url: string, init?: RequestInit) {
  const started = performance.now();
  const response = await fetch(url, init);
  const bytes = (await response.arrayBuffer()).byteLength;
  return {
    ms: performance.now() - started,
    bytes,
    status: response.status,
    etag: response.headers.get('etag'),
  };
}

/** What the first view downloads, fetched from Node one after another: the floor under the page. */
async function dataFloor(base: string, tiles: string[]) {
  const started = performance.now();
  const html = await (await fetch(`${base}/`)).text();
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  await Promise.all(scripts.map((s) => fetch(`${base}${s}`).then((r) => r.arrayBuffer())));
  await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, classes: 5) { breaks counts values { code name value classIndex rank } noData } }',
    }),
  }).then((r) => r.arrayBuffer());
  await Promise.all(tiles.map((t) => fetch(t).then((r) => r.arrayBuffer())));
  return performance.now() - started;
}

/** One cold load and one reload of the bare MapLibre page, timed to its counties drawn. */
async function timeBarePage(browser: Browser, url: string, times: { cold: number[]; warm: number[] }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  for (const kind of ['cold', 'warm'] as const) {
    if (kind === 'cold') await page.goto(url);
    else await page.reload();
    const drawn = await page.waitForFunction(
      () => {
        const map = (
          globalThis as unknown as {
            __bare?: { loaded(): boolean; areTilesLoaded(): boolean; isSourceLoaded(id: string): boolean };
          }
        ).__bare;
        return map?.loaded() && map.areTilesLoaded() && map.isSourceLoaded('counties')
          ? performance.now()
          : false;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    times[kind].push((await drawn.jsonValue()) as number);
  }
  await context.close();
}

async function main() {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('build the web app first: pnpm --filter @rrm/web build');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  await withNationalServer(async ({ url: base }) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    try {
      const drawTimes = { cold: [] as number[], warm: [] as number[] };
      const bareTimes = { cold: [] as number[], warm: [] as number[] };
      const bare = await startBareMap(base);
      const tileUrls = new Set<string>();
      let heap = 0;
      for (let run = 0; run < RUNS; run++) {
        // Alternating which goes first, so neither always meets the browser cold.
        if (run % 2 === 0) await timeBarePage(browser, bare.url, bareTimes);
        // A fresh profile each run: nothing cached. Then a reload in the same profile: warm.
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        await context.route('**/*', (route) => {
          const url = new URL(route.request().url());
          return url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:'
            ? route.continue()
            : route.abort();
        });
        const page = await context.newPage();
        page.on('request', (r) => {
          if (r.url().includes('/tiles/counties/')) tileUrls.add(r.url());
        });
        for (const kind of ['cold', 'warm'] as const) {
          if (kind === 'cold') await page.goto(`${base}${VIEW}`);
          else await page.reload();
          // The time (since navigation start) of the first frame where the choropleth is coloured
          // and every tile in view is loaded.
          const drawn = await page.waitForFunction(
            () => {
              const h = (
                globalThis as unknown as {
                  __rrm?: { coloured: number; map: { loaded(): boolean; areTilesLoaded(): boolean } };
                }
              ).__rrm;
              return h && h.coloured > 0 && h.map.loaded() && h.map.areTilesLoaded()
                ? performance.now()
                : false;
            },
            undefined,
            { polling: 'raf', timeout: 60_000 },
          );
          drawTimes[kind].push((await drawn.jsonValue()) as number);
        }
        heap = await page.evaluate(
          () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
        );
        await context.close();
        if (run % 2 === 1) await timeBarePage(browser, bare.url, bareTimes);
        process.stdout.write('.');
      }
      await bare.close();
      const floors: number[] = [];
      for (let run = 0; run < RUNS; run++) floors.push(await dataFloor(base, [...tileUrls]));
      const floor = median(floors);

      console.log(`\n\nnational dataset; ${RUNS} runs; headless Chromium (SwiftShader, no GPU), 1400×900\n`);
      console.log(
        markdownTable(
          [
            'navigation → choropleth drawn',
            'p50 ms',
            'min ms',
            'max ms',
            'bare page p50 ms',
            'ratio to bare page',
            'floor ms',
            'ratio to floor',
          ],
          (['cold', 'warm'] as const).map((kind) => [
            kind === 'cold' ? 'cold (empty cache)' : 'warm (reload)',
            median(drawTimes[kind]).toFixed(0),
            Math.min(...drawTimes[kind]).toFixed(0),
            Math.max(...drawTimes[kind]).toFixed(0),
            median(bareTimes[kind]).toFixed(0),
            (median(drawTimes[kind]) / median(bareTimes[kind])).toFixed(2),
            floor.toFixed(0),
            (median(drawTimes[kind]) / floor).toFixed(2),
          ]),
        ),
      );
      console.log(
        `\nbare page = MapLibre alone drawing the same ${bare.features} counties from one GeoJSON file (${kb(bare.bytes)} KB, simplified 0.01°) coloured by a fixed property, same browser and viewport, alternating with the product run by run. Aim (issue #15): ≤ 1.2×.`,
      );
      console.log(
        `floor = fetching the page, its scripts, the choropleth and the ${tileUrls.size} county tiles of that view from Node, one after another.`,
      );
      console.log(`JS heap after drawing: ${(heap / 1024 / 1024).toFixed(1)} MB\n`);

      const bundles = bundleSizes();
      console.log(
        markdownTable(
          ['asset', 'KB', 'KB gzip'],
          [
            ...bundles.map((b) => [b.file, kb(b.raw), kb(b.gzip)]),
            [
              'total',
              kb(bundles.reduce((s, b) => s + b.raw, 0)),
              kb(bundles.reduce((s, b) => s + b.gzip, 0)),
            ],
          ],
        ),
      );

      const rows: string[][] = [];
      for (const layer of ['counties', 'villages', 'relocation-sites']) {
        for (const z of [4, 6, 10]) {
          const [, x, y] = tileOf(SAMPLE[0], SAMPLE[1], z);
          const url = `${base}/tiles/${layer}/${z}/${x}/${y}.pbf?year=2021`;
          const first = await timed(url);
          const warm: number[] = [];
          const revalidated: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            warm.push((await timed(url)).ms);
            revalidated.push((await timed(url, { headers: { 'if-none-match': first.etag ?? '' } })).ms);
          }
          rows.push([
            `${layer} z${z}`,
            kb(first.bytes),
            first.ms.toFixed(1),
            median(warm).toFixed(1),
            median(revalidated).toFixed(1),
            (median(warm) / median(revalidated)).toFixed(1),
          ]);
        }
      }
      console.log(
        `\n${markdownTable(['tile (贵阳)', 'KB', 'first ms', 'p50 ms', '304 p50 ms', 'ratio to 304'], rows)}`,
      );
      console.log(
        '\nfirst = first request for the tile; p50 over the repeats; 304 = the same tile revalidated by ETag.',
      );
    } finally {
      await browser.close();
    }
  });
}

await main();
