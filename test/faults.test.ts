// Faults, on a PostgreSQL cluster of this file's own: the database restarts under the product (the
// API answers promptly while it is away, /healthz says not ready, and it serves again on its own
// when the database returns); the product is killed in the middle of a write (the database holds
// all of it or none); an acknowledged write survives, and a retried one is not doubled.
import type { ChildProcess } from 'node:child_process';
import { migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealUser, loginWith, startServer } from '../scripts/support/national-server.ts';
import { type Cluster, findPostgres, startCluster } from '../scripts/support/postgres-cluster.ts';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : false;

interface Answer {
  status: number;
  ms: number;
  code?: string;
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe.skipIf(skip)(`faults on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cluster: Cluster;
  let product: { url: string; stop: () => void; child: ChildProcess };
  let admin: ReturnType<typeof postgres>;
  let token = '';
  let target = { countyCode: '', listingId: 0 };

  async function post(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const started = performance.now();
    try {
      const response = await fetch(`${product.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as Answer['body'];
      return {
        status: response.status,
        ms: performance.now() - started,
        code: body.errors?.[0]?.extensions?.code,
        body,
      };
    } catch (error) {
      return { status: 0, ms: performance.now() - started, code: (error as Error).name, body: {} };
    }
  }

  const report = (key: string, description = '故障测试') =>
    post('mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }', {
      input: {
        countyCode: target.countyCode,
        listingId: target.listingId,
        category: 'FUNDS',
        department: '财政局',
        description,
        foundOn: '2026-10-01',
        deadline: '2026-12-31',
        idempotencyKey: key,
      },
    });
  const rowsWithKey = async (key: string) =>
    (
      await admin`SELECT count(*)::int AS n FROM supervision_problems p JOIN idempotency_keys k ON k.result_id = p.id AND k.operation = 'reportProblem' WHERE k.key = ${key}`
    )[0]!.n as number;

  // The product runs in production mode (demo logins refused): a real supervisor writes.
  let password = '';
  async function startProduct() {
    product = await startServer(cluster.url);
    token = await loginWith(product.url, 'fault.supervisor', password);
  }

  beforeAll(async () => {
    cluster = await startCluster((found as { bin: string }).bin);
    const database = await openDatabase({ url: cluster.url });
    await migrateDatabase(database);
    await seedDemoData(database, { scale: 'tiny', log: () => {} });
    await database.close();
    admin = postgres(cluster.url, { max: 2, onnotice: () => {} });
    const [scope] = await admin`SELECT region_scope AS s FROM users WHERE username = 'supervisor'`;
    const [listing] =
      await admin`SELECT id, county_code FROM supervision_listings WHERE county_code LIKE ${`${scope!.s}%`} ORDER BY id LIMIT 1`;
    target = { countyCode: listing!.county_code, listingId: listing!.id };
    password = await createRealUser(cluster.url, {
      username: 'fault.supervisor',
      role: 'supervisor',
      regionScope: scope!.s,
    });
    await startProduct();
  }, 180_000);

  afterAll(async () => {
    product?.stop();
    await admin?.end({ timeout: 1 });
    cluster?.stop();
  });

  // Time bounds here mean "hung", not "slow": an order of magnitude above the normal case, so the
  // machine's load cannot decide the result (the figures are printed).
  it('answers (not hangs) while the database restarts, and serves again by itself', {
    timeout: 120_000,
  }, async () => {
    const acknowledged = await report('before-restart');
    expect(acknowledged.code).toBeUndefined();
    await admin.end({ timeout: 1 });

    cluster.pause(); // pg_ctl stop -m fast
    const health = await fetch(`${product.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('not_ready');
    const read = await post('{ counties(first: 1) { totalCount } }');
    expect(read.status).toBe(503);
    expect(read.code).toBe('DATABASE_UNAVAILABLE');
    console.log(`answered in ${read.ms.toFixed(0)} ms while the database was down`);
    expect(read.ms).toBeLessThan(30_000);
    // A write while the database is away is refused, not acknowledged.
    const refused = await report('during-outage');
    expect(refused.code).toBe('DATABASE_UNAVAILABLE');

    cluster.resume();
    const back = performance.now();
    let recovered = -1;
    while (performance.now() - back < 30_000) {
      const answer = await post('{ counties(first: 1) { totalCount } }');
      if (answer.status === 200 && !answer.code) {
        recovered = performance.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`served again ${recovered.toFixed(0)} ms after PostgreSQL accepted connections`);
    expect(recovered).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${product.url}/healthz`)).status).toBe(200);

    admin = postgres(cluster.url, { max: 2, onnotice: () => {} });
    // The acknowledged write is there once; the refused one is not there at all; its retry lands once.
    expect(await rowsWithKey('before-restart')).toBe(1);
    expect(await rowsWithKey('during-outage')).toBe(0);
    for (let i = 0; i < 3; i++) expect((await report('during-outage')).code).toBeUndefined();
    expect(await rowsWithKey('during-outage')).toBe(1);
  });

  // The driver kept a query cut off by the shutdown (and its 57P01) on the connection, and the
  // reconnected socket's first ReadyForQuery failed the next query with it although the server was
  // back: one request in ~3 load-test runs failed "after the restart" (patches/postgres@3.4.9.patch).
  it('fails no query after a restart with the error of one the shutdown cut off', {
    timeout: 120_000,
  }, async () => {
    // One connection, so the next query goes to the very connection whose query was cut off.
    const database = await openDatabase({ url: cluster.url, maxConnections: 1 });
    try {
      await database.rows(sql`SELECT 1`);
      const cutOff = database.rows(sql`SELECT pg_sleep(60)`).then(
        () => null,
        (error: unknown) => error,
      );
      await new Promise((r) => setTimeout(r, 500));
      cluster.pause(); // pg_ctl stop -m fast: the running query's backend is terminated
      const cut = (await cutOff) as { code?: string; cause?: { code?: string } } | null;
      cluster.resume();
      // The cut-off query itself fails as the connection closes (its 57P01 arrives just before).
      expect(cut?.cause?.code ?? cut?.code).toMatch(/^(CONNECTION_CLOSED|57P01)$/);
      for (let i = 0; i < 3; i++) expect(await database.rows(sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('keeps all of a write or none of it when the product is killed in the middle', {
    timeout: 120_000,
  }, async () => {
    const problemsBefore = (await admin`SELECT count(*)::int AS n FROM supervision_problems`)[0]!.n;
    // Hold the history table: the write inserts its problem row, then waits for the lock.
    const blocker = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const release = blocker.begin(async (tx) => {
      await tx`LOCK TABLE supervision_problem_history IN ACCESS EXCLUSIVE MODE`;
      const pending = report('killed-mid-write');
      // Wait until the product's transaction is blocked on the lock, then kill it.
      for (let i = 0; i < 100; i++) {
        const [waiting] =
          await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`;
        if (waiting!.n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      product.child.kill('SIGKILL');
      const answer = await pending;
      expect(answer.status).toBe(0); // the connection died: no acknowledgement
    });
    await release;
    await blocker.end({ timeout: 1 });
    // PostgreSQL rolls back the dead connection's transaction.
    for (let i = 0; i < 50; i++) {
      const [open] =
        await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' OR wait_event_type = 'Lock'`;
      if (open!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await rowsWithKey('killed-mid-write')).toBe(0);
    expect((await admin`SELECT count(*)::int AS n FROM supervision_problems`)[0]!.n).toBe(problemsBefore);
    // Started again, the product takes the retried write once.
    await startProduct();
    expect((await report('killed-mid-write')).code).toBeUndefined();
    expect((await report('killed-mid-write')).code).toBeUndefined();
    expect(await rowsWithKey('killed-mid-write')).toBe(1);
    const [history] = await admin`
      SELECT count(*)::int AS n FROM supervision_problem_history h
      JOIN idempotency_keys k ON k.result_id = h.problem_id AND k.operation = 'reportProblem'
      WHERE k.key = 'killed-mid-write'`;
    expect(history!.n).toBe(1);
  });
});
