// `pnpm test:load`: the product under load on PostgreSQL + PostGIS with the national dataset. This
// process drives it over loopback (the product runs as its own process) with a mix of what its
// users do — choropleths, filtered village lists, radius searches, tiles at several zooms, exports,
// region statistics and supervisors' writes — from LOAD_CLIENTS concurrent clients (default 8):
//   1. steady load for LOAD_SECONDS (default 60): errors must be 0;
//   2. load while PostgreSQL restarts (pg_ctl stop -m fast, then start): every request is answered
//      (an error or a result, never a hang past the client's own 30 s timeout), /healthz says not
//      ready, and the API serves again by itself within 30 s of the database returning;
//   3. load again for LOAD_AFTER_SECONDS (default 5) once it serves: errors must be 0;
//   4. every acknowledged write is in the database exactly once (writes carry idempotency keys,
//      and a write that got no answer is retried with its key, as a client would).
// No check bounds how fast anything is: the machine's load decides that, and a check on it would
// pass or fail by chance. Latencies are printed (p50/p95/p99 per kind) as figures to read; the
// bounds that remain are an order of magnitude above normal and mean "hung".
// Our own driver rather than autocannon: it needs per-kind latencies, a weighted mix with request
// bodies built per call, and to know which writes were acknowledged.
import { migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { createRealUser, loginWith, markdownTable, startServer } from './support/national-server.ts';
import { findPostgres, startCluster } from './support/postgres-cluster.ts';
import { tileOf } from './support/tile-math.ts';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 8);
const STEADY_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const RESTART_SECONDS = Number(process.env.LOAD_RESTART_SECONDS ?? 20);
const AFTER_SECONDS = Number(process.env.LOAD_AFTER_SECONDS ?? 5);
/** The client's own timeout: an answer later than this is a hang. */
const CLIENT_TIMEOUT_MS = 30_000;
/** Recovery slower than this is a product that does not come back by itself. */
const RECOVERY_BOUND_MS = 30_000;

interface Sample {
  kind: string;
  started: number;
  ms: number;
  ok: boolean;
  status: number;
  error?: string;
}

interface Target {
  base: string;
  token: string;
  points: { lon: number; lat: number }[];
  provinces: string[];
  counties: string[];
  listing: { id: number; county: string };
}

const INDICATORS = ['PER_CAPITA_NET_INCOME', 'EMPLOYMENT_RATE', 'RELOCATED_PEOPLE', 'MONITORED_PER_1000'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

let writeSerial = 0;
/** Acknowledged write keys, and keys sent whose answer never came (retried later). */
const acknowledged = new Set<string>();
const unanswered = new Set<string>();

/** One request of a kind: returns whether it succeeded. */
async function request(kind: string, t: Target): Promise<{ ok: boolean; status: number; error?: string }> {
  const graphql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${t.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    return { ok: response.ok && !body.errors, status: response.status, error: code };
  };
  const get = async (path: string) => {
    const response = await fetch(`${t.base}${path}`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    await response.arrayBuffer();
    return {
      ok: response.ok,
      status: response.status,
      error: response.ok ? undefined : String(response.status),
    };
  };
  switch (kind) {
    case 'choropleth':
      return graphql(
        'query($i: Indicator!, $y: Int!) { choropleth(level: COUNTY, indicator: $i, year: $y) { breaks counts values { code value classIndex } } }',
        { i: pick(INDICATORS), y: 2014 + Math.floor(Math.random() * 12) },
      );
    case 'village list':
      return graphql(
        'query($f: VillageFilter) { villages(first: 50, filter: $f) { totalCount nodes { code name stats(year: 2021) { perCapitaNetIncome } } } }',
        {
          f: {
            regionCode: pick(t.provinces),
            indicator: { indicator: 'PER_CAPITA_NET_INCOME', year: 2021, max: 9000 },
          },
        },
      );
    case 'radius search': {
      const p = pick(t.points);
      return graphql(
        'query($f: VillageFilter) { villages(first: 20, filter: $f, orderBy: { field: DISTANCE }) { nodes { name distanceMeters } } }',
        { f: { spatial: { near: { lon: p.lon, lat: p.lat, radiusMeters: 20_000 } } } },
      );
    }
    case 'tile': {
      const p = pick(t.points);
      const z = pick([4, 6, 8, 10]);
      const layer = z < 6 ? 'counties' : pick(['counties', 'villages', 'relocation-sites']);
      const [, x, y] = tileOf(p.lon, p.lat, z);
      return get(`/tiles/${layer}/${z}/${x}/${y}.pbf?year=${pick([2020, 2021])}`);
    }
    case 'export':
      return get(
        `/export/counties.csv?filter=${encodeURIComponent(JSON.stringify({ regionCode: pick(t.provinces) }))}`,
      );
    case 'region stats':
      return graphql(
        'query($y: Int!) { regionStats(level: PROVINCE, year: $y) { code openProblems perCapitaNetIncome } }',
        {
          y: 2014 + Math.floor(Math.random() * 12),
        },
      );
    case 'supervisor write': {
      // A retry of an unanswered write first (as a client would), else a new one.
      const retry = unanswered.values().next().value as string | undefined;
      const key = retry ?? `load-${process.pid}-${++writeSerial}`;
      unanswered.delete(key);
      const answer = await graphql(
        'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
        {
          input: {
            countyCode: t.listing.county,
            listingId: t.listing.id,
            category: 'PROCEDURE',
            department: '乡村振兴局',
            description: `负载测试写入 ${key}`,
            foundOn: '2026-10-01',
            deadline: '2026-12-31',
            idempotencyKey: key,
          },
        },
        t.token,
      ).catch((error: Error) => {
        unanswered.add(key);
        throw error;
      });
      if (answer.ok) acknowledged.add(key);
      else unanswered.add(key);
      return answer;
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const MIX: [string, number][] = [
  ['choropleth', 20],
  ['village list', 20],
  ['radius search', 15],
  ['tile', 25],
  ['export', 3],
  ['region stats', 7],
  ['supervisor write', 10],
];
const WEIGHTS = MIX.reduce((sum, [, w]) => sum + w, 0);
function nextKind(): string {
  let r = Math.random() * WEIGHTS;
  for (const [kind, w] of MIX) {
    r -= w;
    if (r < 0) return kind;
  }
  return MIX[0]![0];
}

/** CLIENTS loops, each sending one request after another, until the time is up. */
async function drive(t: Target, seconds: number, samples: Sample[]): Promise<void> {
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const kind = nextKind();
        const started = performance.now();
        try {
          const r = await request(kind, t);
          samples.push({ kind, started, ms: performance.now() - started, ...r });
        } catch (error) {
          samples.push({
            kind,
            started,
            ms: performance.now() - started,
            ok: false,
            status: 0,
            error: (error as Error).name,
          });
        }
      }
    }),
  );
}

/** Failed requests counted by kind and code, e.g. "tile: 503 ×3". */
function errorCodes(xs: Sample[]): string {
  const counts = new Map<string, number>();
  for (const x of xs.filter((x) => !x.ok)) {
    const key = `${x.kind}: ${x.error ?? x.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
}

function report(title: string, samples: Sample[]) {
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  const row = (kind: string, xs: Sample[]) => {
    const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
    const at = (p: number) =>
      ms.length ? ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1) : '-';
    return [kind, String(xs.length), String(xs.filter((s) => !s.ok).length), at(0.5), at(0.95), at(0.99)];
  };
  console.log(`\n${title}\n`);
  console.log(
    markdownTable(
      ['kind', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'],
      [
        ...kinds.map((k) =>
          row(
            k,
            samples.filter((s) => s.kind === k),
          ),
        ),
        row('all', samples),
      ],
    ),
  );
}

async function main() {
  const found = findPostgres();
  if ('skip' in found) throw new Error(`cannot run the load test: ${found.skip}`);
  const cluster = await startCluster(found.bin);
  let product: Awaited<ReturnType<typeof startServer>> | undefined;
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  try {
    const database = await openDatabase({ url: cluster.url, maxConnections: 4 });
    await migrateDatabase(database);
    console.log('loading the national demo dataset (about a minute)…');
    await seedDemoData(database, { scale: 'national', log: () => {} });
    await database.rows(sql`ANALYZE`);
    const points = await database.rows<{ lon: number; lat: number }>(
      sql`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM villages TABLESAMPLE SYSTEM (1) LIMIT 200`,
    );
    const provinces = (
      await database.rows<{ code: string }>(sql`SELECT DISTINCT left(county_code, 2) AS code FROM villages`)
    ).map((r) => r.code);
    const [listing] = await database.rows<{ id: number; county: string }>(sql`
      SELECT l.id, l.county_code AS county FROM supervision_listings l JOIN users u ON l.county_code LIKE u.region_scope || '%'
      WHERE u.username = 'supervisor' ORDER BY l.id LIMIT 1`);
    const problemsBefore = (
      await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM supervision_problems`)
    )[0]!.n;
    const [scope] = await database.rows<{ scope: string }>(
      sql`SELECT region_scope AS scope FROM users WHERE username = 'supervisor'`,
    );
    await database.close();
    const supervisorPassword = await createRealUser(cluster.url, {
      username: 'load.supervisor',
      role: 'supervisor',
      regionScope: scope!.scope,
    });

    product = await startServer(cluster.url);
    // The product runs in production mode, where demo logins are refused: a real supervisor with
    // the demo supervisor's scope writes instead.
    const token = await loginWith(product.url, 'load.supervisor', supervisorPassword);
    const target: Target = { base: product.url, token, points, provinces, counties: [], listing: listing! };

    console.log(
      `\n${CLIENTS} clients; steady load for ${STEADY_SECONDS} s, then ${RESTART_SECONDS} s with a PostgreSQL restart`,
    );
    const steady: Sample[] = [];
    await drive(target, STEADY_SECONDS, steady);
    report(
      `steady load (${STEADY_SECONDS} s, ${(steady.length / STEADY_SECONDS).toFixed(0)} requests/s)`,
      steady,
    );
    check(
      steady.filter((s) => !s.ok).length === 0,
      `no errors under steady load (${steady.length} requests; ${errorCodes(steady)})`,
    );

    // Load again, with PostgreSQL stopped 3 s in and started again 2 s later.
    const restart: Sample[] = [];
    const outage = { stopped: 0, started: 0, healthWhileDown: 0 };
    const loadDone = drive(target, RESTART_SECONDS, restart);
    await new Promise((r) => setTimeout(r, 3_000));
    outage.stopped = performance.now();
    cluster.pause();
    outage.healthWhileDown = (await fetch(`${product.url}/healthz`)).status;
    await new Promise((r) => setTimeout(r, 2_000));
    cluster.resume();
    outage.started = performance.now();
    await loadDone;
    const firstOk = restart
      .filter((s) => s.ok && s.started >= outage.started)
      .sort((a, b) => a.started + a.ms - (b.started + b.ms))[0];
    const recoveredMs = firstOk ? firstOk.started + firstOk.ms - outage.started : Number.POSITIVE_INFINITY;
    const during = restart.filter((s) => s.started >= outage.stopped && s.started < outage.started);
    const slowest = Math.max(0, ...restart.map((s) => s.ms));
    const hung = (xs: Sample[]) => xs.filter((s) => s.error === 'TimeoutError' || s.ms >= CLIENT_TIMEOUT_MS);
    report(
      `load through a PostgreSQL restart (${RESTART_SECONDS} s; database down for ${((outage.started - outage.stopped) / 1000).toFixed(1)} s)`,
      restart,
    );
    console.log(
      `\nwhile down: ${during.length} requests, ${during.filter((s) => !s.ok).length} answered with an error, /healthz ${outage.healthWhileDown}; ` +
        `slowest answer of the phase ${slowest.toFixed(0)} ms; serving again ${recoveredMs.toFixed(0)} ms after PostgreSQL was back`,
    );
    console.log(`errors while down: ${errorCodes(during)}`);
    console.log(
      `errors after the database returned: ${errorCodes(restart.filter((s) => s.started >= outage.started))}`,
    );
    check(outage.healthWhileDown === 503, '/healthz says not ready while the database is down');
    check(
      hung(restart).length === 0,
      `every request answered (an error or a result) within the client's ${CLIENT_TIMEOUT_MS / 1000} s timeout (${restart.length})`,
    );
    check(
      recoveredMs <= RECOVERY_BOUND_MS,
      `serving again by itself after the database returned (${recoveredMs.toFixed(0)} ms; hung if over ${RECOVERY_BOUND_MS / 1000} s)`,
    );

    // Once it serves again, it serves without errors.
    const after: Sample[] = [];
    await drive(target, AFTER_SECONDS, after);
    report(`load after the restart (${AFTER_SECONDS} s)`, after);
    console.log(`errors after the restart: ${errorCodes(after)}`);
    check(
      after.length > 0 && after.filter((s) => !s.ok).length === 0,
      `no errors under load after the restart (${after.length} requests)`,
    );

    // Retry what never got an answer, as a client would; then count every write.
    for (let i = 0; i < 20 && unanswered.size > 0; i++)
      await request('supervisor write', target).catch(() => undefined);
    const check2 = await openDatabase({ url: cluster.url, maxConnections: 1 });
    const rows = await check2.rows<{ key: string; n: number }>(
      sql`SELECT k.key, count(p.id)::int AS n FROM idempotency_keys k JOIN supervision_problems p ON p.description = '负载测试写入 ' || k.key WHERE k.key LIKE 'load-%' GROUP BY 1`,
    );
    const [total] = await check2.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM supervision_problems`,
    );
    await check2.close();
    const stored = new Map(rows.map((r) => [r.key, r.n]));
    const lost = [...acknowledged].filter((k) => stored.get(k) !== 1);
    const doubled = rows.filter((r) => r.n > 1);
    console.log(
      `\nwrites: ${acknowledged.size} acknowledged, ${stored.size} stored, ${unanswered.size} still unanswered; problems ${problemsBefore} → ${total!.n}`,
    );
    check(lost.length === 0, `every acknowledged write is stored exactly once (${acknowledged.size})`);
    check(doubled.length === 0, 'no write is stored twice');
    check(total!.n - problemsBefore === stored.size, 'no other rows appeared');
  } finally {
    product?.stop();
    cluster.stop();
  }
  if (failures.length) {
    console.log(`\nload test FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('\nload test passed');
}

await main();
