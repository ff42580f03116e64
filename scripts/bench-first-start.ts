// `pnpm bench:first-start`: a first `pnpm start` as a new user makes it — empty data folder, empty
// geography and source-package caches, the embedded PGlite, the national demo data — timed from the
// command to the leadership map drawn in Debian's headless Chromium (the county choropleth coloured
// and every tile in view loaded), and on to the monitored households in (the load's second stage).
// The baseline, in the same run: a later start on the folder the first one prepared, to its map
// drawn the same way. Prints each phase's second from the server's own log. Needs /usr/bin/chromium
// and the npm registry (the geography's source packages are fetched as on a new machine).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { waitForMapDrawn } from './support/map-drawn.ts';
import { markdownTable } from './support/national-server.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('..', import.meta.url).pathname;
/** The map as each start drew it. */
const screenshot = (name: string) => join(ROOT, 'test-output', `${name}-map.png`);
/** The log lines timed, as the server writes them. */
const PHASES: Array<[name: string, line: RegExp]> = [
  ['database created and migrated', /^database: /],
  ['geography ready', /geography ready in/],
  ['map data loaded', /demo data \(national\) loaded in/],
  ['ready (serving)', /^ready on /],
];

interface Run {
  seconds: Map<string, number>;
  drawn: number;
  households: number | null;
}

/** Starts `pnpm start` with `env`, times its log lines, draws the map once ready; stops it after `untilLine`. */
async function timedStart(name: string, env: Record<string, string>, untilLine: RegExp | null): Promise<Run> {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const child: ChildProcess = spawn('pnpm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_URL: '', HOURLY_JOBS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const seconds = new Map<string, number>();
  const lines: Array<[number, string]> = [];
  let buffered = '';
  const onData = (data: Buffer) => {
    buffered += data.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      const at = since();
      lines.push([at, line]);
      process.stderr.write(`${at.toFixed(1).padStart(6)} ${line}\n`);
      for (const [name, pattern] of PHASES)
        if (!seconds.has(name) && pattern.test(line)) seconds.set(name, at);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const hit = lines.find(([, l]) => pattern.test(l));
        if (hit) {
          clearInterval(timer);
          resolve(hit[1]);
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the server exited (${child.exitCode}) before a line matching ${pattern}`));
        }
      }, 50);
    });
  try {
    const url = /ready on (http:\/\/localhost:\d+)/.exec(await waitFor(/ready on http/))![1]!;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    let drawn: number;
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${url}/?indicator=PER_CAPITA_NET_INCOME&year=2021`);
      await waitForMapDrawn(page, { polling: 100, timeout: 300_000 });
      drawn = since();
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: screenshot(name) });
    } finally {
      await browser.close();
    }
    let households: number | null = null;
    if (untilLine) {
      await waitFor(untilLine);
      households = since();
    }
    return { seconds, drawn, households };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
  }
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const dir = mkdtempSync(join(tmpdir(), 'rrm-first-start-'));
  const env = {
    PGLITE_DATA_DIR: join(dir, 'pglite'),
    GEO_CACHE_DIR: join(dir, 'geography'),
    RRM_SOURCE_CACHE: join(dir, 'sources'),
  };
  try {
    const first = await timedStart('first-start', env, /loaded [\d,]+ monitored households/);
    const later = await timedStart('later-start', env, null);
    const f = (x: number | null | undefined) => (x == null ? '—' : x.toFixed(1));
    console.log(
      `\nfirst start on an empty folder vs a later start on the folder it prepared (${new Date().toISOString().slice(0, 10)}, seconds from the command):\n`,
    );
    console.log(
      markdownTable(
        ['phase', 'first start', 'later start'],
        [
          ...PHASES.map(([name]) => [name, f(first.seconds.get(name)), f(later.seconds.get(name))]),
          ['**map drawn in Chromium**', `**${f(first.drawn)}**`, `**${f(later.drawn)}**`],
          ['monitored households in (second stage)', f(first.households), '—'],
        ],
      ),
    );
    console.log(`\nfirst start's map drawn ÷ later start's: ${(first.drawn / later.drawn).toFixed(1)}×`);
    console.log(`the maps as drawn: ${screenshot('first-start')}, ${screenshot('later-start')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
