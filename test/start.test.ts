// The one-command path: `pnpm start`'s server process on an empty embedded database migrates it,
// loads the demo data, serves, shuts down cleanly on SIGTERM, and starts again on its data intact,
// a write made before the restart included.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@rrm/db';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './support/databases.ts';
import { digest } from './support/demo-digest.ts';
import { loginAt } from './support/http.ts';

const root = new URL('..', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the server as `pnpm start` does and waits for its "ready on" line. */
async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      PGLITE_DATA_DIR: dataDir,
      DEMO_SCALE: 'tiny',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = output.match(/ready on (http:\/\/localhost:\d+)/);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Waits until the server has written a line matching `pattern`. */
async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return exited;
}

/**
 * The cluster's state in PostgreSQL's control file (global/pg_control, a uint32 after the system
 * identifier and two version numbers): 1 once it was shut down, 6 while it runs, and still 6 after
 * a process that exited without closing it, whose next start replays the write-ahead log.
 */
const SHUT_DOWN = 1;
const clusterState = (dataDir: string) =>
  readFileSync(join(dataDir, 'global', 'pg_control')).readUInt32LE(16);

/** Stops the server with SIGTERM and checks it closed the database before exiting. */
async function stopAndCheckClosed(started: Started, dataDir: string) {
  expect(await stop(started)).toBe(0);
  expect(started.output()).toMatch(/stopped: the database is closed/);
  expect(clusterState(dataDir)).toBe(SHUT_DOWN);
}

const countiesQuery = async (url: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ dataset { scale dataVersion } counties { totalCount } supervised: villages(filter: { supervised: true }) { totalCount } }',
    }),
  });
  return (await response.json()) as {
    data: {
      dataset: { scale: string; dataVersion: number };
      counties: { totalCount: number };
      supervised: { totalCount: number };
    };
  };
};

/** Posts GraphQL as a logged-in supervisor (logging in first). */
async function asSupervisor<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const post = async (body: object, token?: string) =>
    (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      })
    ).json() as Promise<{ data: Record<string, unknown>; errors?: unknown }>;
  const answer = await post({ query, variables }, await loginAt(url, 'supervisor'));
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

const LEDGER = '{ problems(first: 5, filter: { search: "重启测试" }) { totalCount nodes { description } } }';

describe('starting the product on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rrm-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prepares an empty database on first start, serves it, and stops cleanly on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    const first = await startServer(dataDir);
    expect(first.output()).toMatch(/empty database: loading the tiny demo dataset/);
    // The monitored households come after "ready", in the background (db/seed/pending-households.ts).
    await waitForOutput(first, /loaded [\d,]+ monitored households/);
    expect(first.output().indexOf('ready on')).toBeLessThan(
      first.output().indexOf('loading the monitored households'),
    );
    const { data } = await countiesQuery(first.url);
    expect(data.dataset.scale).toBe('tiny');
    expect(data.counties.totalCount).toBeGreaterThan(2_800);
    expect(data.supervised.totalCount).toBeGreaterThan(0);
    // A write acknowledged before the restart must be there after it.
    const { me, listings } = await asSupervisor<{
      me: { regionScope: string };
      listings: { nodes: { id: number; countyCode: string; villageCode: string | null }[] };
    }>(first.url, '{ me { regionScope } listings { nodes { id countyCode villageCode } } }');
    const listing = listings.nodes.find((l) => l.countyCode.startsWith(me.regionScope))!;
    await asSupervisor(
      first.url,
      'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
      {
        input: {
          countyCode: listing.countyCode,
          villageCode: listing.villageCode,
          listingId: listing.id,
          category: 'PROCEDURE',
          department: '乡村振兴局',
          description: '重启测试：台账资料不全',
          foundOn: '2026-10-01',
          deadline: '2026-12-31',
        },
      },
    );
    expect(clusterState(dataDir)).not.toBe(SHUT_DOWN);
    await stopAndCheckClosed(first, dataDir);
    expect(first.output()).toMatch(/SIGTERM: finishing requests in flight/);
  });

  it('starts again on the same data without loading it twice', { timeout: 120_000 }, async () => {
    const second = await startServer(dataDir);
    expect(second.output()).not.toMatch(/empty database/);
    const { data } = await countiesQuery(second.url);
    // The load's two stages, then one write: the version moved twice after the first, and the
    // write is there, once. The households are not loaded again.
    expect(data.dataset.dataVersion).toBe(3);
    expect(second.output()).not.toMatch(/loading the monitored households/);
    expect(data.supervised.totalCount).toBeGreaterThan(0);
    const ledger = await asSupervisor<{ problems: { totalCount: number } }>(second.url, LEDGER);
    expect(ledger.problems.totalCount).toBe(1);
    // Outside production the demo admin can log in: no hint to create one.
    expect(second.output()).not.toMatch(/no enabled admin can log in/);
    await stopAndCheckClosed(second, dataDir);
  });

  it('says at start how to create the first admin when no admin can log in (production)', {
    timeout: 120_000,
  }, async () => {
    const production = await startServer(dataDir, { NODE_ENV: 'production' });
    expect(production.output()).toMatch(/no enabled admin can log in: create one with/);
    expect(production.output()).toContain(
      'pnpm users create --username <name> --name <display name> --role admin',
    );
    await stopAndCheckClosed(production, dataDir);
  });
});

// A stop while the households load (the second stage) ends it before its next step and still
// closes the database; the next start loads them again, whole.
describe('a stop while the monitored households load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rrm-start-stop-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('closes the database, and the next start loads them again', { timeout: 240_000 }, async () => {
    // One province: its households take a few seconds, time enough to stop in the middle.
    const env = { DEMO_SCALE: 'province' };
    const first = await startServer(dataDir, env);
    await waitForOutput(first, /loading the monitored households/);
    await stopAndCheckClosed(first, dataDir);
    expect(first.output()).not.toMatch(/loaded [\d,]+ monitored households/);

    const second = await startServer(dataDir, env);
    await waitForOutput(second, /loaded [\d,]+ monitored households/);
    const loaded = Number(
      /loaded ([\d,]+) monitored households/.exec(second.output())![1]!.replaceAll(',', ''),
    );
    await stopAndCheckClosed(second, dataDir);
    const database = await openDatabase({ dataDir });
    try {
      const [row] = await database.rows<{ households: number; expected: number; pending: boolean }>(
        sql`SELECT (SELECT count(*)::int FROM households) AS households,
              (SELECT sum(monitored_unstable + monitored_marginal + monitored_sudden_hardship)::int
                 FROM village_indicators WHERE year = (SELECT max(year) FROM village_indicators)) AS expected,
              (SELECT households_pending IS NOT NULL FROM dataset) AS pending`,
      );
      // One household per monitored one of the last year (those whose risk was removed among them).
      expect(row).toEqual({ households: loaded, expected: loaded, pending: false });
      expect(loaded).toBeGreaterThan(10_000);
    } finally {
      await database.close();
    }
  });
});

// A new machine has no geography cache either: the load plans from what the geography's child
// sends before it simplifies the boundaries, loads the village-years meanwhile, and must end with
// exactly the data of a load from the finished cache (the test set-up's).
describe('a first start on a machine without the geography cache', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rrm-start-geo-'));
  const geoDir = mkdtempSync(join(tmpdir(), 'rrm-geo-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(geoDir, { recursive: true, force: true });
  });

  it('builds the geography beside the load and loads the same data as from the cache', {
    timeout: 240_000,
  }, async () => {
    const first = await startServer(dataDir, { GEO_CACHE_DIR: geoDir });
    await waitForOutput(first, /loaded [\d,]+ monitored households/);
    const output = first.output();
    // Planned from what the geography's child sent before simplifying (db/seed/load.ts).
    expect(output).toMatch(/planning the national demo data from the geography's early lists/);
    expect(output).toMatch(/geography ready in/);
    await stopAndCheckClosed(first, dataDir);
    const loaded = await openDatabase({ dataDir });
    const prepared = await openTestDatabase('pglite');
    try {
      expect(await digest(loaded)).toEqual(await digest(prepared));
    } finally {
      await loaded.close();
      await prepared.dispose();
    }
  });
});
