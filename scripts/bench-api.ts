// `pnpm bench`: the analyst API beside its peer and beside raw SQL, in one run, on PostgreSQL +
// PostGIS with the national dataset (issue #14).
//
// - product: this API, started as its own process (NODE_ENV=production);
// - peer: PostGraphile v5 (connection-filter, aggregates; the radius search as a SQL function with
//   the same && prefilter) over the same database, on the Node 22 it needs — dev-only tools installed
//   apart from the product in scripts/bench-peer/ (pnpm --ignore-workspace), never a dependency;
// - raw SQL: the statement that answers the same question, run by pgbench (C, prepared statements)
//   against the same server: the floor no HTTP API can beat.
//
// Each scenario's three answers are compared first (same codes, same values); a scenario whose
// answers differ is reported and not timed. Product and peer are driven by autocannon, a separate
// process, at 1 and 8 connections; pgbench at the same client counts. Ratios are throughput ratios
// in the same run, so they compare between machines where absolute figures do not.
//
// DATABASE_URL=postgres://… uses that server (loading the national demo data if it is empty);
// otherwise a throwaway cluster is started and loaded. BENCH_SECONDS sets the time per measurement
// (default 5); BENCH_ONLY=substring runs the matching scenarios only.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@rrm/db';
import { sql } from 'drizzle-orm';
import { markdownTable, startServer, withNationalServer } from './support/national-server.ts';
import { findPostgres } from './support/postgres-cluster.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 8];
const PEER_DIR = new URL('./bench-peer/', import.meta.url).pathname;
const PEER_NODE = join(PEER_DIR, 'node_modules/.bin/node');

/** One answer, reduced to what all three sides return: a key per row and the values compared. */
// biome-ignore lint/suspicious/noExplicitAny: answers are JSON of the shapes the queries ask for; the comparison checks them.
type Json = any;
type Value = string | number | boolean | null;
type Canonical = Map<string, Value[]>;

interface Scenario {
  name: string;
  /** The product's request: a GraphQL document, or a GET path. */
  product: { query: string; variables?: Record<string, unknown> } | { get: string };
  peer?: { query: string; variables?: Record<string, unknown> };
  raw: string;
  canonical: {
    product: (answer: Json) => Canonical;
    peer?: (answer: Json) => Canonical;
    raw: (rows: Json[]) => Canonical;
  };
}

const NEAR = { lon: 106.71, lat: 26.58, radiusMeters: 30_000 }; // 贵阳
const rowsBy = <T>(rows: T[], key: (row: T) => string, values: (row: T) => Value[]): Canonical =>
  new Map(rows.map((row) => [key(row), values(row)]));

const scenarios: Scenario[] = [
  {
    name: 'page of 100 poverty villages of a province, income ≤ 9,000 in 2020',
    product: {
      query: `{ villages(first: 100, filter: { regionCode: "52", povertyVillage: true, indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, max: 9000 } }) {
        nodes { code name township povertyExitYear supervised } } }`,
    },
    peer: {
      query: `{ allVillages(first: 100, orderBy: CODE_ASC, filter: { code: { startsWith: "52" }, povertyVillage: { equalTo: true },
        villageIndicatorsByVillageCode: { some: { year: { equalTo: 2020 }, perCapitaNetIncome: { lessThanOrEqualTo: 9000 } } } }) {
        nodes { code name townshipName povertyExitYear supervised } } }`,
    },
    raw: `SELECT v.code, v.name, v.township_name, v.poverty_exit_year, v.supervised FROM villages v
      WHERE v.code LIKE '52%' AND v.poverty_village AND EXISTS (SELECT 1 FROM village_indicators vi
        WHERE vi.village_code = v.code AND vi.year = 2020 AND vi.per_capita_net_income <= 9000)
      ORDER BY v.code LIMIT 100`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.villages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.township, v.povertyExitYear, v.supervised],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allVillages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.townshipName, v.povertyExitYear, v.supervised],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.name, v.township_name, v.poverty_exit_year, v.supervised],
        ),
    },
  },
  {
    name: 'county choropleth input, one indicator and year',
    product: {
      query:
        '{ choropleth(level: COUNTY, indicator: PER_CAPITA_NET_INCOME, year: 2021, method: NATURAL_BREAKS, classes: 5) { breaks values { code value classIndex } noData } }',
    },
    peer: {
      query:
        '{ allRegionIndicators(condition: { level: "county", year: 2021 }, orderBy: REGION_CODE_ASC) { nodes { regionCode perCapitaNetIncome } } }',
    },
    raw: `SELECT r.code, ri.per_capita_net_income AS value FROM regions r
      LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = 2021
      WHERE r.level = 'county' ORDER BY r.code`,
    canonical: {
      // Counties without a figure: the product lists them as no data, the peer has no row.
      product: (a) =>
        rowsBy(
          a.data.choropleth.values.filter((v: Json) => v.value != null),
          (v: Json) => v.code,
          (v: Json) => [v.value],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allRegionIndicators.nodes.filter((v: Json) => v.perCapitaNetIncome != null),
          (v: Json) => v.regionCode,
          (v: Json) => [v.perCapitaNetIncome],
        ),
      raw: (rows) =>
        rowsBy(
          rows.filter((v) => v.value != null),
          (v) => v.code,
          (v) => [v.value],
        ),
    },
  },
  {
    name: 'villages within 30 km, nearest first, with distance',
    product: {
      query:
        'query($n: NearInput) { villages(first: 100, filter: { spatial: { near: $n } }, orderBy: { field: DISTANCE }) { nodes { code name distanceMeters } } }',
      variables: { n: NEAR },
    },
    peer: {
      query:
        'query($lon: Float!, $lat: Float!, $r: Float!) { benchPeerVillagesNear(lon: $lon, lat: $lat, radiusMeters: $r, first: 100) { nodes { code name distanceMeters } } }',
      variables: { lon: NEAR.lon, lat: NEAR.lat, r: NEAR.radiusMeters },
    },
    raw: `SELECT code, name, distance_meters FROM bench_peer.villages_near(${NEAR.lon}, ${NEAR.lat}, ${NEAR.radiusMeters}) LIMIT 100`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.data.villages.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.distanceMeters],
        ),
      peer: (a) =>
        rowsBy(
          a.data.benchPeerVillagesNear.nodes,
          (v: Json) => v.code,
          (v: Json) => [v.name, v.distanceMeters],
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.name, v.distance_meters],
        ),
    },
  },
  {
    name: 'one county by code',
    product: { query: '{ county(code: "522622") { code name povertyCounty keyAssistance supervised } }' },
    peer: {
      query:
        '{ regionByCode(code: "522622") { code name countyDesignationByCountyCode { povertyCounty keyAssistance supervised } } }',
    },
    raw: `SELECT r.code, r.name, d.poverty_county, d.key_assistance, d.supervised FROM regions r
      LEFT JOIN county_designations d ON d.county_code = r.code WHERE r.code = '522622'`,
    canonical: {
      product: (a) => {
        const c = a.data.county;
        return new Map([[c.code, [c.name, c.povertyCounty, c.keyAssistance, c.supervised]]]);
      },
      peer: (a) => {
        const c = a.data.regionByCode;
        const d = c.countyDesignationByCountyCode;
        return new Map([[c.code, [c.name, d.povertyCounty, d.keyAssistance, d.supervised]]]);
      },
      raw: (rows) =>
        rowsBy(
          rows,
          (c) => c.code,
          (c) => [c.name, c.poverty_county, c.key_assistance, c.supervised],
        ),
    },
  },
  {
    name: 'regionStats by province',
    product: {
      query:
        '{ regionStats(level: PROVINCE, year: 2021) { code villages povertyVillages relocatedPeople perCapitaNetIncome monitoredHouseholds } }',
    },
    peer: {
      query:
        '{ allRegionIndicators(condition: { level: "province", year: 2021 }, orderBy: REGION_CODE_ASC) { nodes { regionCode villages povertyVillages relocatedPeople perCapitaNetIncome monitoredHouseholds } } }',
    },
    raw: `SELECT region_code, villages, poverty_villages, relocated_people, per_capita_net_income, monitored_households
      FROM region_indicators WHERE level = 'province' AND year = 2021 ORDER BY region_code`,
    canonical: {
      // Provinces with monitored villages; the product also lists the others (zeros) and a total.
      product: (a) =>
        rowsBy(
          a.data.regionStats.filter((r: Json) => r.code !== '00' && r.villages > 0),
          (r: Json) => r.code,
          (r: Json) => [
            r.villages,
            r.povertyVillages,
            r.relocatedPeople,
            r.perCapitaNetIncome,
            r.monitoredHouseholds,
          ],
        ),
      peer: (a) =>
        rowsBy(
          a.data.allRegionIndicators.nodes.filter((r: Json) => r.villages > 0),
          (r: Json) => r.regionCode,
          (r: Json) => [
            r.villages,
            r.povertyVillages,
            r.relocatedPeople,
            r.perCapitaNetIncome,
            r.monitoredHouseholds,
          ],
        ),
      raw: (rows) =>
        rowsBy(
          rows.filter((r) => r.villages > 0),
          (r) => r.region_code,
          (r) => [
            r.villages,
            r.poverty_villages,
            r.relocated_people,
            r.per_capita_net_income,
            r.monitored_households,
          ],
        ),
    },
  },
  {
    name: 'nested county → villages → figures',
    product: {
      query:
        '{ counties(first: 20, filter: { regionCode: "5226" }) { nodes { code name villages(first: 10) { nodes { code name stats(year: 2021) { perCapitaNetIncome labourForce } } } } } }',
    },
    peer: {
      query: `{ allRegions(first: 20, orderBy: CODE_ASC, filter: { level: { equalTo: "county" }, code: { startsWith: "5226" } }) {
        nodes { code name villagesByCountyCode(first: 10, orderBy: CODE_ASC) { nodes { code name
          villageIndicatorsByVillageCode(condition: { year: 2021 }) { nodes { perCapitaNetIncome labourForce } } } } } } }`,
    },
    raw: `SELECT r.code AS county, v.code, v.name, vi.per_capita_net_income, vi.labour_force
      FROM (SELECT code FROM regions WHERE level = 'county' AND code LIKE '5226%' ORDER BY code LIMIT 20) r
      CROSS JOIN LATERAL (SELECT code, name FROM villages WHERE county_code = r.code ORDER BY code LIMIT 10) v
      LEFT JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = 2021`,
    canonical: {
      product: (a) =>
        new Map(
          a.data.counties.nodes.flatMap((c: Json) =>
            c.villages.nodes.map((v: Json) => [
              v.code,
              [c.code, v.name, v.stats?.perCapitaNetIncome ?? null, v.stats?.labourForce ?? null],
            ]),
          ),
        ),
      peer: (a) =>
        new Map(
          a.data.allRegions.nodes.flatMap((c: Json) =>
            c.villagesByCountyCode.nodes.map((v: Json) => {
              const s = v.villageIndicatorsByVillageCode.nodes[0];
              return [v.code, [c.code, v.name, s?.perCapitaNetIncome ?? null, s?.labourForce ?? null]];
            }),
          ),
        ),
      raw: (rows) =>
        rowsBy(
          rows,
          (v) => v.code,
          (v) => [v.county, v.name, v.per_capita_net_income, v.labour_force],
        ),
    },
  },
  {
    name: 'GeoJSON export of all counties',
    product: { get: '/export/counties.geojson?year=2021&lang=en' },
    // PostgreSQL builds the whole FeatureCollection itself: the cheapest way to the same bytes.
    raw: `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(r.boundary, 6)::json,
        'properties', json_build_object('code', r.code, 'name', r.name, 'perCapitaNetIncome', ri.per_capita_net_income))
        ORDER BY r.code)) AS collection
      FROM regions r LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = 2021
      WHERE r.level = 'county'`,
    canonical: {
      product: (a) =>
        rowsBy(
          a.features,
          (f: Json) => f.properties.code,
          (f: Json) => [f.properties.name],
        ),
      raw: (rows) =>
        rowsBy(
          rows[0].collection.features,
          (f: Json) => f.properties.code,
          (f: Json) => [f.properties.name],
        ),
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Answers compared

function differences(a: Canonical, b: Canonical): string[] {
  const out: string[] = [];
  if (a.size === 0) out.push('no rows');
  if (a.size !== b.size) out.push(`${a.size} rows vs ${b.size}`);
  for (const [key, values] of a) {
    const other = b.get(key);
    if (!other) {
      out.push(`${key} missing`);
      continue;
    }
    values.forEach((value, i) => {
      const v = other[i];
      const same =
        typeof value === 'number' && typeof v === 'number'
          ? Math.abs(value - v) <= 1e-6 * Math.max(1, Math.abs(value))
          : value === v;
      if (!same) out.push(`${key}[${i}]: ${value} vs ${v}`);
    });
  }
  return out.slice(0, 5);
}

async function fetchAnswer(base: string, request: Scenario['product']): Promise<unknown> {
  // A kept-alive socket that the server closes just as it is reused fails once: ask again.
  const response = await send(base, request).catch(() => send(base, request));
  const body = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || body.errors)
    throw new Error(`${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

function send(base: string, request: Scenario['product']): Promise<Response> {
  if ('get' in request) return fetch(`${base}${request.get}`);
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

// ---------------------------------------------------------------------------------------------
// Load: autocannon for HTTP, pgbench for SQL, each its own process

interface Measured {
  perSecond: number;
  p50: number;
}

function autocannon(base: string, request: Scenario['product'], connections: number): Measured {
  const args = ['-c', String(connections), '-d', String(SECONDS), '-j'];
  if ('get' in request) args.push(`${base}${request.get}`);
  else
    args.push(
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      JSON.stringify(request),
      `${base}/graphql`,
    );
  const output = execFileSync(PEER_NODE, [join(PEER_DIR, 'node_modules/autocannon/autocannon.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
    requests: { average: number };
    latency: { p50: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx || result.errors)
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { perSecond: result.requests.average, p50: result.latency.p50 };
}

function pgbench(databaseUrl: string, statement: string, clients: number): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'rrm-pgbench-'));
  try {
    const script = join(dir, 'statement.sql');
    writeFileSync(script, `${statement.replace(/\s+/g, ' ').trim()};\n`);
    const bin = findPostgres();
    const pgbenchPath = 'skip' in bin ? 'pgbench' : join(bin.bin, 'pgbench');
    const output = execFileSync(
      pgbenchPath,
      [
        '-n',
        '-M',
        'prepared',
        '-f',
        script,
        '-c',
        String(clients),
        '-j',
        String(Math.min(clients, 2)),
        '-T',
        String(SECONDS),
        '-l',
        '--log-prefix',
        join(dir, 'log'),
        databaseUrl,
      ],
      { encoding: 'utf8', cwd: dir },
    );
    const tps = Number(output.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1]);
    // Per-transaction log lines: client, transaction, latency in µs, …
    const latencies = readdirSync(dir)
      .filter((f) => f.startsWith('log'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    return { perSecond: tps, p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The peer

function installPeerTools() {
  if (existsSync(PEER_NODE)) return;
  console.log(
    'installing the dev-only benchmark tools (PostGraphile, autocannon, Node 22) into scripts/bench-peer…',
  );
  execFileSync('pnpm', ['install', '--ignore-workspace', '--frozen-lockfile'], {
    cwd: PEER_DIR,
    stdio: 'inherit',
  });
}

async function startPeer(databaseUrl: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(PEER_NODE, ['server.mjs'], {
    cwd: PEER_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const m = output.match(/peer ready on (http:\/\/[\d.:]+)/);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`peer exited (${code}): ${output}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function main() {
  installPeerTools();
  await withNationalServer(async ({ database, url: product, databaseUrl }) => {
    await database.rows(sql.raw('DROP SCHEMA IF EXISTS bench_peer CASCADE'));
    await database.rows(sql.raw(readFileSync(join(PEER_DIR, 'peer.sql'), 'utf8')));
    const peer = await startPeer(databaseUrl);
    // The same product with its cache of anonymous answers off: what the engine itself does.
    const uncached = await startServer(databaseUrl, { RESPONSE_CACHE_MB: '0' });
    try {
      await run(database, databaseUrl, { cached: product, uncached: uncached.url }, peer.url);
    } finally {
      uncached.stop();
      peer.stop();
      await database.rows(sql.raw('DROP SCHEMA IF EXISTS bench_peer CASCADE'));
    }
  });
}

async function run(
  database: Database,
  databaseUrl: string,
  products: { cached: string; uncached: string },
  peer: string,
) {
  const date = new Date().toISOString().slice(0, 10);
  console.log(
    `\n${date}: national dataset on PostgreSQL + PostGIS ${database.postgisVersion}; ${SECONDS} s per measurement\n`,
  );
  const header = [
    'scenario',
    'c',
    'product req/s',
    'p50 ms',
    'uncached req/s',
    'p50 ms',
    'peer req/s',
    'p50 ms',
    'raw SQL tps',
    'p50 ms',
    'product ÷ peer',
    'uncached ÷ peer',
    'uncached ÷ raw',
  ];
  const rows: string[][] = [];
  const only = process.env.BENCH_ONLY;
  const rate = (m: Measured | undefined) => (m ? m.perSecond.toFixed(0) : '—');
  const p50 = (m: Measured | undefined, digits = 1) => (m ? m.p50.toFixed(digits) : '—');
  const ratio = (a: Measured | undefined, b: Measured | undefined) =>
    a && b ? (a.perSecond / b.perSecond).toFixed(2) : '—';
  for (const s of scenarios.filter((s) => !only || s.name.includes(only))) {
    const productAnswer = s.canonical.product(await fetchAnswer(products.cached, s.product));
    const rawAnswer = s.canonical.raw(await database.rows(sql.raw(s.raw)));
    const problems = differences(productAnswer, rawAnswer).map((d) => `product vs raw SQL: ${d}`);
    const uncachedAnswer = s.canonical.product(await fetchAnswer(products.uncached, s.product));
    problems.push(...differences(productAnswer, uncachedAnswer).map((d) => `cached vs uncached: ${d}`));
    if (s.peer && s.canonical.peer) {
      const peerAnswer = s.canonical.peer(await fetchAnswer(peer, s.peer));
      problems.push(...differences(productAnswer, peerAnswer).map((d) => `product vs peer: ${d}`));
    }
    if (problems.length) {
      console.log(`  ${s.name}: ANSWERS DIFFER, not timed:\n    ${problems.join('\n    ')}`);
      rows.push([s.name, '-', 'answers differ', ...header.slice(3).map(() => '')]);
      continue;
    }
    // Warm the servers' caches and plans before timing.
    for (let i = 0; i < 3; i++) {
      await fetchAnswer(products.cached, s.product);
      await fetchAnswer(products.uncached, s.product);
      if (s.peer) await fetchAnswer(peer, s.peer);
    }
    for (const c of CONCURRENCY) {
      const cached = autocannon(products.cached, s.product, c);
      const uncached = autocannon(products.uncached, s.product, c);
      const g = s.peer ? autocannon(peer, s.peer, c) : undefined;
      const r = pgbench(databaseUrl, s.raw, c);
      rows.push([
        s.name,
        String(c),
        rate(cached),
        p50(cached),
        rate(uncached),
        p50(uncached),
        rate(g),
        p50(g),
        rate(r),
        p50(r, 2),
        ratio(cached, g),
        ratio(uncached, g),
        ratio(uncached, r),
      ]);
      console.log(
        `  ${s.name} ×${c}: product ${rate(cached)}/s (uncached ${rate(uncached)}/s), peer ${rate(g)}/s, raw ${rate(r)}/s`,
      );
    }
  }
  console.log(`\n${markdownTable(header, rows)}`);
  console.log(
    '\nThroughput ratios in this run; the goal is ≥ 2 against the peer. "product": as deployed, anonymous answers cached by data version; "uncached": RESPONSE_CACHE_MB=0. Answers compared first. Command: pnpm bench',
  );
}

await main();
