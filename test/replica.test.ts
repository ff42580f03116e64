// Reads that scale out, with a real streaming replica (pg_basebackup + a standby on another port):
// queries, tiles and exports read from the replica, writes go to the primary, and a user who has
// just written reads their write on the very next request even while the replica lags behind.
import { type Database, migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, findPostgres, startCluster } from '../scripts/support/postgres-cluster.ts';
import { loginAt, startTestServer, type TestServer } from './support/http.ts';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : false;

describe.skipIf(skip)(`read replica${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let primary: Cluster;
  let standby: Cluster;
  let database: Database;
  let server: TestServer;
  const statements = { primary: 0, replica: 0 };
  const counted = async <T>(work: () => Promise<T>) => {
    statements.primary = 0;
    statements.replica = 0;
    const result = await work();
    return { result, ...statements };
  };

  async function post(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return { body, headers: response.headers };
  }
  const login = (username: string) => loginAt(server.url, username);

  beforeAll(async () => {
    primary = await startCluster((found as { bin: string }).bin);
    const loader = await openDatabase({ url: primary.url });
    await migrateDatabase(loader);
    await seedDemoData(loader, { scale: 'tiny', log: () => {} });
    await loader.close();
    standby = await primary.startStandby();
    database = await openDatabase({ url: primary.url, readUrl: standby.url });
    database.onQuery = () => {
      statements.primary += 1;
    };
    database.replica!.onQuery = () => {
      statements.replica += 1;
    };
    server = await startTestServer(database);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
    standby?.stop();
    primary?.stop();
  });

  it('is a real streaming standby: read only, and in recovery', async () => {
    const [row] = await database.replica!.rows<{ recovery: boolean; readOnly: string }>(
      sql`SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS "readOnly"`,
    );
    expect(row).toEqual({ recovery: true, readOnly: 'on' });
    const [sender] = await database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_stat_replication`,
    );
    expect(sender!.n).toBe(1);
  });

  it('reads queries, tiles and exports from the replica', async () => {
    const query = await counted(() => post('{ counties(first: 5) { totalCount nodes { name } } }', {}));
    expect(query.replica).toBeGreaterThan(0);
    expect(query.primary).toBe(0);
    const tile = await counted(() =>
      fetch(`${server.url}/tiles/counties/4/12/6.pbf?year=2021`).then((r) => r.arrayBuffer()),
    );
    expect(tile.replica).toBeGreaterThan(0);
    expect(tile.primary).toBe(0);
    const exported = await counted(() => fetch(`${server.url}/export/counties.csv`).then((r) => r.text()));
    expect(exported.replica).toBeGreaterThan(0);
    expect(exported.primary).toBe(0);
  });

  it('writes to the primary, and shows a user their own write at once while the replica lags', {
    timeout: 120_000,
  }, async () => {
    const supervisor = await login('supervisor');
    const analyst = await login('analyst');
    const [listing] = await database.rows<{ id: number; county: string }>(sql`
      SELECT l.id, l.county_code AS county FROM supervision_listings l JOIN users u ON l.county_code LIKE u.region_scope || '%'
      WHERE u.username = 'supervisor' ORDER BY l.id LIMIT 1`);
    // Hold the standby still: from now on it does not replay what the primary writes. A pause is
    // taken at the next WAL record, so give it one and wait until it is paused.
    await database.replica!.rows(sql`SELECT pg_wal_replay_pause()`);
    let replay = '';
    // Up to ~30 s, a bound that means "never" (it pauses within a WAL record or two).
    for (let i = 0; i < 600 && replay !== 'paused'; i++) {
      await database.rows(sql`SELECT pg_switch_wal()`);
      const [state] = await database.replica!.rows<{ s: string }>(
        sql`SELECT pg_get_wal_replay_pause_state() AS s`,
      );
      replay = state!.s;
      if (replay !== 'paused') await new Promise((r) => setTimeout(r, 50));
    }
    expect(replay).toBe('paused');

    const write = await counted(() =>
      post(
        'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
        {
          input: {
            countyCode: listing!.county,
            listingId: listing!.id,
            category: 'EMPLOYMENT',
            department: '人社局',
            description: '副本测试：公益岗位补贴未发放',
            foundOn: '2026-10-01',
            deadline: '2026-12-31',
          },
        },
        { authorization: `Bearer ${supervisor}` },
      ),
    );
    expect(write.replica).toBe(0);
    const lsn = write.result.headers.get('x-rrm-write-lsn');
    expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const cookie = write.result.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe(`rrm_write_lsn=${encodeURIComponent(lsn!)}`);

    const ledger = '{ problems(first: 200, filter: { search: "副本测试" }) { totalCount } }';
    // The writer, carrying the cookie, reads from the primary and sees the write.
    const own = await counted(() => post(ledger, {}, { authorization: `Bearer ${supervisor}`, cookie }));
    expect((own.result.body.data!.problems as { totalCount: number }).totalCount).toBe(1);
    expect(own.primary).toBeGreaterThan(0);
    // Someone else reads the replica, which has not replayed it yet.
    const other = await counted(() => post(ledger, {}, { authorization: `Bearer ${analyst}` }));
    expect((other.result.body.data!.problems as { totalCount: number }).totalCount).toBe(0);
    expect(other.replica).toBeGreaterThan(0);

    await database.replica!.rows(sql`SELECT pg_wal_replay_resume()`);
    let seen = 0;
    for (let i = 0; i < 600 && seen === 0; i++) {
      seen = (
        (await post(ledger, {}, { authorization: `Bearer ${analyst}` })).body.data!.problems as {
          totalCount: number;
        }
      ).totalCount;
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(1);
    // Caught up: the writer's reads go back to the replica.
    const after = await counted(() => post(ledger, {}, { authorization: `Bearer ${supervisor}`, cookie }));
    expect((after.result.body.data!.problems as { totalCount: number }).totalCount).toBe(1);
    expect(after.replica).toBeGreaterThan(0);
  });
});
