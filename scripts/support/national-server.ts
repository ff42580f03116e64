// For the benchmarks: PostgreSQL + PostGIS with the national demo dataset (a throwaway cluster
// unless DATABASE_URL names one), and the product started as its own process against it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createUser, type Database, migrateDatabase, openDatabase, type Role } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { type Cluster, findPostgres, startCluster } from './postgres-cluster.ts';

/**
 * A real (non-demo) user for a product started in production mode, where demo logins are refused:
 * the same role and scope as a demo user, a random password. Returns the password.
 */
export async function createRealUser(
  databaseUrl: string,
  user: { username: string; role: Role; regionScope: string | null },
): Promise<string> {
  const password = randomBytes(12).toString('base64url');
  const database = await openDatabase({ url: databaseUrl, maxConnections: 1 });
  try {
    await createUser(database.db, { ...user, displayName: user.username, password });
  } finally {
    await database.close();
  }
  return password;
}

/** Logs in over HTTP and returns the token. */
export async function loginWith(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: username, p: password },
    }),
  });
  const result = (await response.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!result.data) throw new Error(`login as ${username} failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}

/** Starts `server/src/main.ts` on a free port against the database and waits until it is ready. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ url: string; stop: () => void; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    // The hourly jobs (reminders over the national ledger, the evidence cleanup) stay off, as in a
    // deployment that runs them from cron: benchmarks and the load test measure requests alone, the
    // same in every run (test/reminders.test.ts tests the jobs).
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      NODE_ENV: 'production',
      HOURLY_JOBS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const m = output.match(/ready on (http:\/\/localhost:\d+)/);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { url, stop: () => child.kill('SIGTERM'), child };
}

/**
 * Runs `work` with the national dataset loaded on PostgreSQL and the product serving it; cleans up
 * the server and the throwaway cluster afterwards, also on failure.
 */
export async function withNationalServer<T>(
  work: (context: { database: Database; url: string; databaseUrl: string }) => Promise<T>,
): Promise<T> {
  let cluster: Cluster | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const found = findPostgres();
    if ('skip' in found) throw new Error(`cannot benchmark: ${found.skip}`);
    cluster = await startCluster(found.bin);
    databaseUrl = cluster.url;
  }
  const database = await openDatabase({ url: databaseUrl, maxConnections: 10 });
  let server: { url: string; stop: () => void } | undefined;
  try {
    await migrateDatabase(database);
    const [{ n } = { n: 0 }] = await database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM villages`,
    );
    if (n < 100_000) {
      console.log('loading the national demo dataset (about a minute)…');
      await seedDemoData(database, { scale: 'national', replace: true, log: () => {} });
    }
    await database.rows(sql`ANALYZE`);
    // The API runs as its own process, as deployed: the load generator does not steal its CPU.
    server = await startServer(databaseUrl);
    // The server cuts the national tiles ahead of its first visitor as it starts: measuring while
    // that runs would charge its work to whatever is measured first.
    await waitForQuietDatabase(database);
    return await work({ database, url: server.url, databaseUrl });
  } finally {
    server?.stop();
    await database.close();
    cluster?.stop();
  }
}

/** Waits until no other session of this database runs a statement for two seconds in a row (at most 5 min). */
export async function waitForQuietDatabase(database: Database): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < 2000) {
    const [{ busy } = { busy: 0 }] = await database.rows<{ busy: number }>(
      sql`SELECT count(*)::int AS busy FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    if (busy > 0) quietSince = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Rows as a Markdown table: the first column left-aligned, the others right-aligned. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
