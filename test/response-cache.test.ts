// The cache of anonymous answers (server/src/response-cache.ts) on both backends: a repeated
// question is answered from the cache with the same bytes; a write moves the data version and the
// next answer is computed afresh with the new data; logged-in requests, mutations and answers with
// errors never come from it; and a hostile request cannot plant an answer under another's key.
import { DEMO_PASSWORD } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, startTestServer, type TestServer } from './support/http.ts';

const STATS = '{ regionStats(level: PROVINCE, year: 2021) { code openProblems } }';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `the response cache on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;

      /** Posts a GraphQL request and returns the cache header, the status and the body as text. */
      const post = async (
        body: unknown,
        headers: Record<string, string> = {},
      ): Promise<{ cache: string | null; status: number; text: string }> => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          // A string is sent as it is (malformed bodies); anything else as JSON.
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
        return {
          cache: response.headers.get('x-rrm-cache'),
          status: response.status,
          text: await response.text(),
        };
      };

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database, { responseCacheBytes: 8 * 1024 * 1024 });
      }, 60_000);
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('answers a repeated anonymous query from the cache, byte for byte', async () => {
        const first = await post({ query: STATS });
        const second = await post({ query: STATS });
        expect(first.cache).toBe('miss');
        expect(second.cache).toBe('hit');
        expect(second.status).toBe(200);
        expect(second.text).toBe(first.text);
        // Other variables, another operation name: another question, computed afresh.
        const query = 'query Stats($y: Int!) { regionStats(level: PROVINCE, year: $y) { code villages } }';
        expect((await post({ query, variables: { y: 2020 } })).cache).toBe('miss');
        expect((await post({ query, variables: { y: 2021 } })).cache).toBe('miss');
        expect((await post({ query, variables: { y: 2021 } })).cache).toBe('hit');
        expect((await post({ query, variables: { y: 2021 }, operationName: 'Stats' })).cache).toBe('miss');
      });

      it('computes afresh after a write, with the written data', async () => {
        const before = await post({ query: STATS });
        expect((await post({ query: STATS })).cache).toBe('hit');
        const supervisor = await loginAs(server, 'supervisor');
        const [listing] = await database.rows<{ id: number; county: string; village: string | null }>(sql`
          SELECT l.id, l.county_code AS county, l.village_code AS village FROM supervision_listings l
          JOIN users u ON u.username = 'supervisor' AND l.county_code LIKE u.region_scope || '%'
          WHERE l.status <> 'closed' ORDER BY l.id LIMIT 1`);
        expect(listing, "a listing in the supervisor's region").toBeDefined();
        const reported = await server.graphql(
          'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
          {
            input: {
              countyCode: listing!.county,
              villageCode: listing!.village,
              listingId: listing!.id,
              category: 'HOUSING_SAFETY',
              department: '住建局',
              description: '危房改造未完成',
              foundOn: '2026-10-01',
              deadline: '2099-12-31',
            },
          },
          { token: supervisor },
        );
        expect(reported.errors).toBeUndefined();

        const after = await post({ query: STATS });
        expect(after.cache).toBe('miss');
        const open = (text: string) =>
          (
            JSON.parse(text) as { data: { regionStats: { code: string; openProblems: number }[] } }
          ).data.regionStats.find((r) => r.code === listing!.county.slice(0, 2))!.openProblems;
        expect(open(after.text)).toBe(open(before.text) + 1);
        expect((await post({ query: STATS })).cache).toBe('hit');
      });

      /** The statements the server sent while `work` ran. */
      const statementsDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
        const statements: string[] = [];
        database.onQuery = (statement) => statements.push(statement);
        try {
          await work();
        } finally {
          database.onQuery = undefined;
        }
        return statements;
      };

      /** Asks until the answer is computed afresh (a miss); at most 10 s, which would mean "never". */
      const untilMiss = async (body: unknown) => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const answer = await post(body);
          if (answer.cache === 'miss' || Date.now() > deadline) return answer;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };

      it("sees a write it did not make itself (another process) through the database's notification", async () => {
        // The versions are kept in memory from notifications (db/src/dataset-watch.ts): a write that
        // is no transaction of this process, as another server or `pnpm data:import` would make.
        const [county] = await database.rows<{ code: string; name: string }>(
          sql`SELECT code, name FROM regions WHERE level = 'county' ORDER BY code LIMIT 1`,
        );
        const query = { query: `{ county(code: "${county!.code}") { name } }` };
        await post(query);
        // A hit costs no statement at all, not even a read of the version.
        // (Polled: the watch's own once-a-second read of the versions may fall inside one try.)
        await expect
          .poll(() => statementsDuring(async () => expect((await post(query)).cache).toBe('hit')), {
            timeout: 10_000,
          })
          .toEqual([]);
        await database.rows(sql`UPDATE regions SET name = name || '（测试）' WHERE code = ${county!.code}`);
        await database.rows(sql`UPDATE dataset SET data_version = data_version + 1`);
        const after = await untilMiss(query);
        expect(after.cache).toBe('miss');
        expect(JSON.parse(after.text).data.county.name).toBe(`${county!.name}（测试）`);
        expect((await post(query)).cache).toBe('hit');
        await database.rows(sql`UPDATE regions SET name = ${county!.name} WHERE code = ${county!.code}`);
        await database.rows(sql`UPDATE dataset SET data_version = data_version + 1`);
        expect(JSON.parse((await untilMiss(query)).text).data.county.name).toBe(county!.name);
      });

      it.skipIf(backend.name !== 'postgres')(
        'keeps seeing writes after its listening connection is cut (PostgreSQL)',
        async () => {
          const listeners = () =>
            database.rows<{ pid: number }>(sql`SELECT pid FROM pg_stat_activity
              WHERE datname = current_database() AND query = 'LISTEN "rrm_dataset"'`);
          const [listener] = await listeners();
          expect(listener, "the server's LISTEN connection").toBeDefined();
          await database.rows(sql`SELECT pg_terminate_backend(${listener!.pid})`);
          // Reconnected within the 10 s that would mean "never" (it retries every half second).
          await expect
            .poll(async () => (await listeners()).map((l) => l.pid), { timeout: 10_000 })
            .not.toContain(listener!.pid);
          await expect.poll(async () => (await listeners()).length, { timeout: 10_000 }).toBe(1);
          const query = { query: '{ regionStats(level: PROVINCE, year: 2020) { code villages } }' };
          await post(query);
          // Listening again: hits cost no statement (while it was away, each read the version).
          await expect
            .poll(() => statementsDuring(async () => expect((await post(query)).cache).toBe('hit')), {
              timeout: 10_000,
            })
            .toEqual([]);
          await database.rows(sql`UPDATE dataset SET data_version = data_version + 1`);
          expect((await untilMiss(query)).cache).toBe('miss');
        },
      );

      it('answers a hit with the same headers as any answer, before Express', async () => {
        const query = { query: '{ regionStats(level: PROVINCE, year: 2019) { code } }' };
        const send = () =>
          fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(query),
          });
        const miss = await send();
        await miss.text();
        const hit = await send();
        expect(hit.headers.get('x-rrm-cache')).toBe('hit');
        // Every header Express would have sent, but those that differ by nature.
        const differing = new Set([
          'date',
          'etag',
          'x-request-id',
          'x-rrm-cache',
          'connection',
          'keep-alive',
        ]);
        const headers = (response: Response) => {
          const kept: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            if (!differing.has(name)) kept[name] = value;
          });
          return kept;
        };
        expect(headers(hit)).toEqual(headers(miss));
        expect(hit.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(hit.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(hit.headers.get('x-request-id')).not.toBe(miss.headers.get('x-request-id'));
      });

      it('refuses a malformed body with a coded error, and leaves odd requests to Express', async () => {
        // Read by the cache's handler, refused as Express's parser refuses it: 400, BAD_REQUEST.
        for (const body of ['{"query": ', '{"query": "{ me { username } }"', '\u0000']) {
          const refused = await post(body);
          expect(refused.status, body).toBe(400);
          const error = JSON.parse(refused.text).errors[0];
          expect(error.extensions.code, body).toBe('BAD_REQUEST');
          expect(error.message, body).toMatch(/JSON|Unexpected/);
        }
        // A byte-order mark, as some clients send: accepted, as Express's parser accepts it.
        const bom = await post(`\uFEFF${JSON.stringify({ query: STATS })}`);
        expect(bom.status).toBe(200);
        expect(JSON.parse(bom.text).data.regionStats.length).toBeGreaterThan(0);
        // JSON that is no object: Apollo's own refusal.
        expect((await post('"{ me { username } }"')).status).toBe(400);
        // Larger than a question worth keeping (64 KB): answered by Express, never kept.
        const padded = {
          query: `{ regionStats(level: PROVINCE, year: 2021) { code } }${' '.repeat(70_000)}`,
        };
        for (let i = 0; i < 2; i++) {
          const large = await post(padded);
          expect(large.status).toBe(200);
          expect(large.cache).toBeNull();
        }
        // Another path or media type: Express's, never the cache's.
        const other = await fetch(`${server.url}/graphql?x=1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: STATS }),
        });
        expect(other.headers.get('x-rrm-cache')).toBeNull();
        expect(other.status).toBe(200);
      });

      it('keeps a public download whole, serves it again byte for byte, and computes it afresh after a write', async () => {
        const get = async (path: string, headers: Record<string, string> = {}) => {
          const response = await fetch(`${server.url}${path}`, { headers });
          return {
            status: response.status,
            cache: response.headers.get('x-rrm-cache'),
            type: response.headers.get('content-type'),
            bytes: Buffer.from(await response.arrayBuffer()),
          };
        };
        for (const format of ['geojson', 'csv', 'xlsx']) {
          const path = `/export/counties.${format}?year=2021&lang=en&filter=${encodeURIComponent('{"regionCode":"52"}')}`;
          const first = await get(path);
          expect(first.status, format).toBe(200);
          expect(first.cache, format).toBe('miss');
          const second = await get(path);
          expect(second.cache, format).toBe('hit');
          expect(second.type, format).toBe(first.type);
          expect(second.bytes.equals(first.bytes), format).toBe(true);
          // The same URL with a token is the user's own download: never from the cache.
          const analyst = await loginAs(server, 'analyst');
          expect((await get(path, { authorization: `Bearer ${analyst}` })).cache, format).toBeNull();
        }
        // Three downloads of a file not made yet, at once: one makes it, the others wait and get it.
        const together = '/export/counties.csv?year=2020&lang=zh';
        const three = await Promise.all([get(together), get(together), get(together)]);
        expect(three.map((d) => d.cache).sort()).toEqual(['hit', 'hit', 'miss']);
        expect(three.every((d) => d.bytes.equals(three[0]!.bytes))).toBe(true);
        const path = '/export/counties.csv?year=2021&lang=en';
        await get(path);
        expect((await get(path)).cache).toBe('hit');
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`UPDATE dataset SET data_version = data_version + 1`);
        });
        expect((await get(path)).cache).toBe('miss');
        // A refused download is never kept.
        const refused = '/export/counties.csv?year=1999';
        expect((await get(refused)).status).toBe(400);
        expect((await get(refused)).cache).toBeNull();
        // The ledger needs a login: never kept, never served to the anonymous.
        expect((await get('/export/problems.csv')).status).toBe(401);
      });

      it('tells the watch of every transaction that may write, and of no read-only one', async () => {
        const events: string[] = [];
        const unwatch = database.onTransaction(() => {
          events.push('start');
          return () => events.push('end');
        });
        try {
          await database.db.transaction(async (tx) => {
            await tx.execute(sql`SELECT 1`);
            events.push('inside');
          });
          await database.db.transaction(async (tx) => tx.execute(sql`SELECT 1`), { accessMode: 'read only' });
          await expect(
            database.db.transaction(async () => {
              throw new Error('refused');
            }),
          ).rejects.toThrow('refused');
        } finally {
          unwatch();
        }
        expect(events).toEqual(['start', 'inside', 'end', 'start', 'end']);
      });

      it('never serves or keeps what a logged-in user asks', async () => {
        const analyst = await loginAs(server, 'analyst');
        await post({ query: STATS });
        const withToken = await post({ query: STATS }, { authorization: `Bearer ${analyst}` });
        expect(withToken.cache).toBeNull();
        expect(withToken.status).toBe(200);
        const withCookie = await post({ query: STATS }, { cookie: `rrm_session=${analyst}` });
        expect(withCookie.cache).toBeNull();
        // The cookie parser trims names: a spaced cookie is still the analyst's session, never cached.
        const me = '{ me { username } }';
        const spaced = await post({ query: me }, { cookie: `theme=dark; rrm_session =${analyst}` });
        expect(spaced.cache).toBeNull();
        expect(JSON.parse(spaced.text).data.me.username).toBe('analyst');
        // A client that has just written (its WAL position) and one asking for the newer media type.
        expect((await post({ query: STATS }, { 'x-rrm-write-lsn': '0/1' })).cache).toBeNull();
        expect((await post({ query: STATS }, { cookie: 'rrm_write_lsn=0/1' })).cache).toBeNull();
        expect(
          (await post({ query: STATS }, { accept: 'application/graphql-response+json' })).cache,
        ).toBeNull();
        // Logged in, `me` is the analyst; anonymous, it is null — never the analyst's answer.
        expect(
          JSON.parse((await post({ query: me }, { authorization: `Bearer ${analyst}` })).text).data.me
            .username,
        ).toBe('analyst');
        const anonymous = await post({ query: me });
        expect(JSON.parse(anonymous.text).data.me).toBeNull();
      });

      it('never keeps mutations or answers with errors', async () => {
        const login = {
          query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
          variables: { u: 'analyst', p: DEMO_PASSWORD },
        };
        const first = await post(login);
        const second = await post(login);
        expect(second.cache).toBe('miss');
        // Each login is its own session: a second token, not the first one again.
        expect(JSON.parse(second.text).data.login.token).not.toBe(JSON.parse(first.text).data.login.token);

        // Refused by validation (no such field), then by the cost limits (a page far too large).
        for (const query of ['{ noSuchField }', '{ villages(first: 100000) { nodes { code } } }']) {
          const refused = await post({ query });
          expect(JSON.parse(refused.text).errors, query).toBeDefined();
          const again = await post({ query });
          expect(again.cache, query).toBe('miss');
          expect(JSON.parse(again.text).errors, query).toBeDefined();
        }
      });

      it('cannot be made to keep an answer under another request, nor serve other content types', async () => {
        // A client-sent cache header means nothing to the cache: a question not asked before is a miss.
        const planted = await post({ query: '{ me { username role } }' }, { 'x-rrm-cache': 'hit' });
        expect(planted.cache).toBe('miss');
        // Persisted-query extensions and batches bypass it; so does a form post (CSRF-safe by Apollo).
        expect(
          (await post({ query: STATS, extensions: { persistedQuery: { version: 1 } } })).cache,
        ).toBeNull();
        expect((await post([{ query: STATS }, { query: STATS }])).cache).toBeNull();
        const form = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ query: STATS }),
        });
        expect(form.headers.get('x-rrm-cache')).toBeNull();
        expect(form.status).toBeGreaterThanOrEqual(400);
      });
    },
  );
}
