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
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser, type Database, type Role } from '@rrm/db';
import { sql } from 'drizzle-orm';
import {
  markdownTable,
  startServer,
  waitForQuietDatabase,
  withNationalServer,
} from './support/national-server.ts';
import { findPostgres } from './support/postgres-cluster.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 8];
const PEER_DIR = new URL('./bench-peer/', import.meta.url).pathname;
const PEER_NODE = join(PEER_DIR, 'node_modules/.bin/node');

/** One answer, reduced to what all three sides return: a key per row and the values compared. */
import { type Canonical, type Scenario, scenarios } from './support/bench-scenarios.ts';

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

/** Bearer tokens of the users the scenarios log in as, per server. */
const tokens = new Map<string, string>();

/**
 * The benchmark's own user of a role ('bench-analyst'): the product runs as deployed
 * (NODE_ENV=production), where the demo logins are refused, so the benchmark creates a real user
 * with a password of this run's (and removes nothing: a later run reuses the name with a new one).
 */
const BENCH_PASSWORD = randomBytes(12).toString('base64url');
async function ensureBenchUser(database: Database, role: Role): Promise<string> {
  const username = `bench-${role}`;
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM users WHERE username = ${username}`);
    await createUser(tx, {
      username,
      displayName: `基准测试 ${role}`,
      role,
      regionScope: null,
      password: BENCH_PASSWORD,
    });
  });
  return username;
}

async function tokenFor(base: string, username: string): Promise<string> {
  const key = `${base}|${username}`;
  if (!tokens.has(key)) {
    const login = () =>
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
          variables: { u: username, p: BENCH_PASSWORD },
        }),
      });
    // A kept-alive socket that the server closes just as it is reused fails once: ask again.
    const response = await login().catch(login);
    const body = (await response.json()) as { data?: { login: { token: string } }; errors?: unknown };
    if (!body.data) throw new Error(`login as ${username} failed: ${JSON.stringify(body.errors)}`);
    tokens.set(key, body.data.login.token);
  }
  return tokens.get(key)!;
}

async function fetchAnswer(base: string, request: Scenario['product'], login?: string): Promise<unknown> {
  const token = login ? await tokenFor(base, login) : undefined;
  // A kept-alive socket that the server closes just as it is reused fails once: ask again.
  const response = await send(base, request, token).catch(() => send(base, request, token));
  const body = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || body.errors)
    throw new Error(`${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

function send(base: string, request: Scenario['product'], token?: string): Promise<Response> {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if ('get' in request) return fetch(`${base}${request.get}`, { headers: authorization });
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization },
    body: JSON.stringify(request),
  });
}

// ---------------------------------------------------------------------------------------------
// Load: autocannon for HTTP, pgbench for SQL, each its own process

interface Measured {
  perSecond: number;
  p50: number;
}

function autocannon(
  base: string,
  request: Scenario['product'],
  connections: number,
  token?: string,
): Measured {
  const args = ['-c', String(connections), '-d', String(SECONDS), '-j'];
  if (token) args.push('-H', `authorization=Bearer ${token}`);
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
    // It cuts the national tiles ahead as it starts, like the first one: measure after that.
    await waitForQuietDatabase(database);
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
  const chosen = scenarios.filter((s) => !only || s.name.includes(only));
  const exportGoals: string[] = [];
  // The user each logged-in scenario reads as, made once per run (ensureBenchUser).
  const users = new Map<string, string>();
  for (const role of new Set(chosen.map((s) => s.login).filter((r) => r != null)))
    users.set(role, await ensureBenchUser(database, role));
  for (const scenario of chosen) {
    const s = { ...scenario, login: scenario.login ? users.get(scenario.login) : undefined };
    const productAnswer = s.canonical.product(await fetchAnswer(products.cached, s.product, s.login));
    const rawAnswer = s.canonical.raw(await database.rows(sql.raw(s.raw)));
    const problems = differences(productAnswer, rawAnswer).map((d) => `product vs raw SQL: ${d}`);
    const uncachedAnswer = s.canonical.product(await fetchAnswer(products.uncached, s.product, s.login));
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
      await fetchAnswer(products.cached, s.product, s.login);
      await fetchAnswer(products.uncached, s.product, s.login);
      if (s.peer) await fetchAnswer(peer, s.peer);
    }
    let productAtEight: Measured | undefined;
    for (const c of CONCURRENCY) {
      const login = (base: string) => (s.login ? tokens.get(`${base}|${s.login}`) : undefined);
      const cached = autocannon(products.cached, s.product, c, login(products.cached));
      const uncached = autocannon(products.uncached, s.product, c, login(products.uncached));
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
      if (c === 8) productAtEight = cached;
    }
    // The exports' goal (issue #14): at 8 clients, ≥ 0.8× what PostgreSQL's json_agg does at 4.
    if ('get' in s.product) {
      const rawAtFour = pgbench(databaseUrl, s.raw, 4);
      exportGoals.push(
        `${s.name}: product at 8 clients ${rate(productAtEight)}/s ÷ raw SQL at 4 ${rate(rawAtFour)}/s = ${ratio(productAtEight, rawAtFour)} (goal ≥ 0.8)`,
      );
    }
  }
  console.log(`\n${markdownTable(header, rows)}`);
  if (exportGoals.length) console.log(`\n${exportGoals.join('\n')}`);
  console.log(
    '\nThroughput ratios in this run; the goal is ≥ 2 against the peer. "product": as deployed, anonymous answers cached by data version; "uncached": RESPONSE_CACHE_MB=0. Answers compared first. Command: pnpm bench',
  );
}

await main();
