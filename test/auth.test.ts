// Security review items 7–9 (issue #11) on both backends: demo logins never reach production,
// tokens end when they should (sessions), the token lives in an HttpOnly cookie, and every answer
// carries the security headers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createUser,
  DEMO_PASSWORD,
  hashPassword,
  importFile,
  migrateDatabase,
  rollbackImport,
} from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { signToken } from '@rrm/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, resignedToken, startTestServer, type TestServer, unsignedToken } from './support/http.ts';

const LOGIN = `mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { token expiresAt user { id username } }
}`;
const ME = '{ me { username role } }';
type Result = Awaited<ReturnType<TestServer['graphql']>>;
const codeOf = (r: Result) => r.errors?.[0]?.extensions?.code ?? 'OK';
const sessionCookieOf = (r: Result) => r.cookies.find((c) => c.startsWith('rrm_session='));
/** "rrm_session=<token>" from a Set-Cookie header, for a Cookie header. */
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `logins, sessions and headers on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      /** The same database served with the production rules (NODE_ENV of this process untouched). */
      let production: TestServer;
      let adminToken: string;
      let counter = 0;

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        production = await startTestServer(database, { production: true });
        adminToken = await loginAs(server, 'admin');
      });
      afterAll(async () => {
        await server?.close();
        await production?.close();
        await database?.dispose();
      });

      const login = (username: string, password: string, on = server) =>
        on.graphql<{ login: { token: string; expiresAt: string; user: { id: number } } }>(LOGIN, {
          u: username,
          p: password,
        });
      /** A new analyst with its own password; returns its id. */
      const newUser = async (password = 'a-real-password-1') => {
        const username = `auth.user${counter++}`;
        const r = await server.graphql<{ createUser: { id: number } }>(
          'mutation($u: String!, $p: String!) { createUser(username: $u, displayName: "Test", role: ANALYST, password: $p) { id } }',
          { u: username, p: password },
          { token: adminToken },
        );
        expect(r.errors).toBeUndefined();
        return { id: r.data!.createUser.id, username, password };
      };
      const tokenOf = async (user: { username: string; password: string }) => {
        const r = await login(user.username, user.password);
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        return r.data!.login.token;
      };
      const updateUser = async (id: number, changes: string) => {
        const r = await server.graphql(
          `mutation { updateUser(id: ${id}, ${changes}) { id } }`,
          {},
          {
            token: adminToken,
          },
        );
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      };
      const refusedOn = async (on: TestServer, token: string) => {
        const r = await on.graphql(ME, {}, { token });
        expect(codeOf(r)).toBe('UNAUTHENTICATED');
        return r.errors![0]!.extensions!.reason;
      };
      const refused = (token: string) => refusedOn(server, token);

      it('seeds no demo users under production', { timeout: 180_000 }, async () => {
        const empty = await openTestDatabase(backend.name, { empty: true });
        try {
          await migrateDatabase(empty);
          await seedDemoData(empty, { scale: 'tiny', production: true, log: () => {} });
          const [row] = await empty.rows<{ users: number; kind: string }>(
            sql`SELECT (SELECT count(*)::int FROM users) AS users, (SELECT kind FROM dataset) AS kind`,
          );
          expect(row).toEqual({ users: 0, kind: 'demo' });
        } finally {
          await empty.dispose();
        }
        // Outside production (the template this file runs on) they are there.
        const [demo] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM users WHERE username IN ('leader', 'admin', 'supervisor')`,
        );
        expect(demo!.n).toBe(3);
      });

      it('refuses demo users and the demo password in production, saying what to do', async () => {
        for (const [username, password] of [
          ['leader', DEMO_PASSWORD],
          ['admin', DEMO_PASSWORD],
          ['admin', 'not-the-password'],
        ] as const) {
          const r = await login(username, password, production);
          expect(codeOf(r), username).toBe('DEMO_LOGIN_REFUSED');
          expect(r.errors![0]!.message).toContain('pnpm users create');
          expect(r.errors![0]!.message).toContain('production');
        }
        // A real user who was given the demo password cannot use it there either.
        await createUser(database.db, {
          username: 'real.demo.password',
          displayName: 'Real',
          role: 'analyst',
          regionScope: null,
          password: DEMO_PASSWORD,
        });
        const withDemo = await login('real.demo.password', DEMO_PASSWORD, production);
        expect(codeOf(withDemo)).toBe('DEMO_LOGIN_REFUSED');
        // A real user with a real password logs in in production.
        const real = await newUser();
        expect(codeOf(await login(real.username, real.password, production))).toBe('OK');
        // Outside production the demo users log in.
        expect(codeOf(await login('leader', DEMO_PASSWORD))).toBe('OK');
      });

      it.skipIf(backend.name !== 'postgres')(
        'makes a login with the demo password wait at most a few seconds for a write holding the dataset, then answers BUSY',
        { timeout: 60_000 },
        async () => {
          // A long write (an import) holds the dataset row; a real password does not wait for it.
          const real = await newUser();
          let answer: Awaited<ReturnType<typeof login>> | undefined;
          let realAnswer: Awaited<ReturnType<typeof login>> | undefined;
          await database.db.transaction(async (tx) => {
            await tx.execute(sql`SELECT 1 FROM dataset WHERE id = 'current' FOR UPDATE`);
            realAnswer = await login(real.username, real.password);
            answer = await login('leader', DEMO_PASSWORD);
          });
          expect(codeOf(realAnswer!)).toBe('OK');
          expect(codeOf(answer!)).toBe('BUSY');
          expect(answer!.errors![0]!.message).toContain('try again');
          // Once the write is over, the demo login goes through.
          expect(codeOf(await login('leader', DEMO_PASSWORD))).toBe('OK');
        },
      );

      it('refuses the demo password as a new password', async () => {
        const r = await server.graphql(
          'mutation($p: String!) { createUser(username: "auth.demo.pw", displayName: "Test", role: ANALYST, password: $p) { id } }',
          { p: DEMO_PASSWORD },
          { token: adminToken },
        );
        expect(r.errors![0]!.message).toContain('published demo password');
        expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
        const [row] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM users WHERE username = 'auth.demo.pw'`,
        );
        expect(row!.n).toBe(0);
      });

      it('ends logins with the demo password once real data is imported, and lets them in again when the import is rolled back', {
        timeout: 120_000,
      }, async () => {
        // Its own database: the import ends this file's demo sessions too.
        const own = await openTestDatabase(backend.name);
        const ownServer = await startTestServer(own);
        const dir = mkdtempSync(join(tmpdir(), 'rrm-auth-import-'));
        try {
          const ownLogin = (username: string, password: string) => login(username, password, ownServer);
          const before = await ownLogin('supervisor', DEMO_PASSWORD);
          expect(codeOf(before)).toBe('OK');
          const demoToken = before.data!.login.token;
          // An admin gave the demo analyst a real password before the import: theirs is kept.
          await own.rows(sql`UPDATE users SET password_hash = ${await hashPassword('an-own-password-9')}
            WHERE username = 'analyst'`);
          const ownedToken = (await ownLogin('analyst', 'an-own-password-9')).data!.login.token;
          // One county's designations as they are: no row changes, but a real file is in.
          const [county] = await own.rows<{ code: string; poverty: boolean; exit: number | null }>(
            sql`SELECT county_code AS code, poverty_county AS poverty, poverty_exit_year AS exit
                FROM county_designations ORDER BY county_code LIMIT 1`,
          );
          const yesNo = (b: boolean) => (b ? '是' : '否');
          const file = join(dir, 'designations.csv');
          writeFileSync(
            file,
            '县代码,是否贫困县,摘帽年份,是否国家乡村振兴重点帮扶县,是否挂牌督战县,东西部协作省份代码,东西部协作县代码\n' +
              `${county!.code},${yesNo(county!.poverty)},${county!.exit ?? ''},否,否,,\n`,
          );
          const imported = await importFile(own, { dataset: 'county-designations', path: file, who: 'test' });
          expect(imported.result, JSON.stringify(imported)).toBe('applied');

          // The session opened with the demo password has ended; the one with a real password has not.
          expect(await refusedOn(ownServer, demoToken)).toBe('ended');
          expect(codeOf(await ownServer.graphql(ME, {}, { token: ownedToken }))).toBe('OK');
          for (const username of ['supervisor', 'admin']) {
            const after = await ownLogin(username, DEMO_PASSWORD);
            expect(codeOf(after), username).toBe('DEMO_LOGIN_REFUSED');
            expect(after.errors![0]!.message).toContain('before any real data is imported');
            expect(after.errors![0]!.message).toContain(`pnpm users set-password --username ${username}`);
          }
          // Nor for a real user who was given it.
          await createUser(own.db, {
            username: 'real.after.import',
            displayName: 'Real',
            role: 'analyst',
            regionScope: null,
            password: DEMO_PASSWORD,
          });
          expect(codeOf(await ownLogin('real.after.import', DEMO_PASSWORD))).toBe('DEMO_LOGIN_REFUSED');
          // A demo user with a real password logs in.
          expect(codeOf(await ownLogin('analyst', 'an-own-password-9'))).toBe('OK');

          await rollbackImport(own, { dataset: 'county-designations', who: 'test' });
          expect(codeOf(await ownLogin('supervisor', DEMO_PASSWORD))).toBe('OK');
        } finally {
          rmSync(dir, { recursive: true, force: true });
          await ownServer.close();
          await own.dispose();
        }
      });

      it('ends every token of a user whose password changes', async () => {
        const user = await newUser();
        const [first, second] = [await tokenOf(user), await tokenOf(user)];
        expect(codeOf(await server.graphql(ME, {}, { token: first }))).toBe('OK');
        await updateUser(user.id, 'password: "another-password-2"');
        expect(await refused(first)).toBe('ended');
        expect(await refused(second)).toBe('ended');
        expect(codeOf(await login(user.username, 'another-password-2'))).toBe('OK');
      });

      it('ends tokens on a role change, not on a name change', async () => {
        const user = await newUser();
        const token = await tokenOf(user);
        await updateUser(user.id, 'displayName: "Renamed"');
        expect(codeOf(await server.graphql(ME, {}, { token }))).toBe('OK');
        await updateUser(user.id, 'role: LEADER');
        expect(await refused(token)).toBe('ended');
      });

      it('ends tokens on a scope change', async () => {
        const token = await loginAs(server, 'supervisor2');
        const [u] = await database.rows<{ id: number; scope: string }>(
          sql`SELECT id, region_scope AS scope FROM users WHERE username = 'supervisor2'`,
        );
        await updateUser(u!.id, `regionScope: "${u!.scope.slice(0, 2)}"`);
        expect(await refused(token)).toBe('ended');
        await updateUser(u!.id, `regionScope: "${u!.scope}"`);
      });

      it('ends tokens when the user is disabled', async () => {
        const user = await newUser();
        const token = await tokenOf(user);
        await updateUser(user.id, 'disabled: true');
        expect(await refused(token)).toBe('ended');
        await updateUser(user.id, 'disabled: false');
        // Enabling again does not bring the old token back.
        expect(await refused(token)).toBe('ended');
      });

      it('logout ends the token on the server and clears the cookie', async () => {
        const user = await newUser();
        const token = await tokenOf(user);
        const out = await server.graphql<{ logout: boolean }>('mutation { logout }', {}, { token });
        expect(out.data).toEqual({ logout: true });
        expect(sessionCookieOf(out)).toMatch(/^rrm_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
        expect(await refused(token)).toBe('ended');
        // Without a login, logout still clears the cookie.
        const anonymous = await server.graphql<{ logout: boolean }>('mutation { logout }');
        expect(anonymous.data).toEqual({ logout: false });
        expect(sessionCookieOf(anonymous)).toMatch(/Max-Age=0/);
      });

      it('logs in by cookie: HttpOnly, SameSite=Strict, and the cookie alone authenticates', async () => {
        const user = await newUser();
        const r = await login(user.username, user.password);
        const setCookie = sessionCookieOf(r)!;
        expect(setCookie).toContain(`rrm_session=${r.data!.login.token}`);
        for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=28800'])
          expect(setCookie.split('; ')).toContain(attribute);
        expect(setCookie).not.toContain('Secure'); // plain http, PUBLIC_URL unset
        const cookie = cookiePair(setCookie);
        const session = await server.graphql<{
          session: { user: { username: string }; expiresAt: string };
          problems: { totalCount: number };
        }>('{ session { user { username } expiresAt } problems(first: 1) { totalCount } }', {}, { cookie });
        expect(session.errors, JSON.stringify(session.errors)).toBeUndefined();
        expect(session.data!.session.user.username).toBe(user.username);
        expect(session.data!.session.expiresAt).toBe(r.data!.login.expiresAt);
        // The ledger export goes with the cookie, no Authorization header.
        const download = await fetch(`${server.url}/export/problems.csv`, { headers: { cookie } });
        expect(download.status).toBe(200);
        expect((await fetch(`${server.url}/export/problems.csv`)).status).toBe(401);
        // A header wins over the cookie.
        const supervisor = await loginAs(server, 'supervisor');
        const both = await server.graphql<{ me: { username: string } }>(
          ME,
          {},
          { cookie, token: supervisor },
        );
        expect(both.data!.me.username).toBe('supervisor');
        // After logout the cookie is dropped: served as anonymous, and the answer clears it.
        await server.graphql('mutation { logout }', {}, { cookie });
        const stale = await server.graphql<{ session: null }>('{ session { expiresAt } }', {}, { cookie });
        expect(stale.data).toEqual({ session: null });
        expect(sessionCookieOf(stale)).toMatch(/Max-Age=0/);
        expect(codeOf(await server.graphql('{ problems(first: 1) { totalCount } }', {}, { cookie }))).toBe(
          'UNAUTHENTICATED',
        );
      });

      it('refuses alg:none, another key and tokens without a session', async () => {
        const token = await loginAs(server, 'analyst');
        expect(codeOf(await server.graphql(ME, {}, { token }))).toBe('OK');
        expect(await refused(unsignedToken(token))).toBe('invalid');
        expect(await refused(resignedToken(token, randomBytes(32)))).toBe('invalid');
        const [analyst] = await database.rows<{ id: number }>(
          sql`SELECT id FROM users WHERE username = 'analyst'`,
        );
        const noSession = await signToken({ userId: analyst!.id, role: 'analyst', scope: null });
        expect(await refused(noSession.token)).toBe('invalid');
        const unknownSession = await signToken({
          userId: analyst!.id,
          sessionId: randomBytes(16).toString('base64url'),
          role: 'analyst',
          scope: null,
        });
        expect(await refused(unknownSession.token)).toBe('ended');
        // The same forgeries in the cookie authenticate nobody.
        for (const forged of [unsignedToken(token), resignedToken(token, randomBytes(32))]) {
          const r = await server.graphql<{ me: null }>(ME, {}, { cookie: `rrm_session=${forged}` });
          expect(r.data).toEqual({ me: null });
        }
      });

      it("keeps Apollo's CSRF prevention: a simple cross-site POST is refused", async () => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ query: 'mutation { logout }' }),
        });
        expect(response.status).toBe(400);
      });

      it('sends the security headers on every kind of answer', async () => {
        for (const path of [
          '/',
          '/graphql?query=%7B__typename%7D',
          '/explorer/',
          '/tiles/counties.json',
          '/healthz',
        ]) {
          const response = await fetch(`${server.url}${path}`, {
            headers: { 'apollo-require-preflight': 'true' },
          });
          const csp = response.headers.get('content-security-policy') ?? '';
          expect(csp, path).toContain("frame-ancestors 'none'");
          expect(csp, path).toMatch(/script-src 'self'(;|$)/);
          expect(csp, path).not.toContain('unsafe-eval');
          expect(csp, path).toContain('worker-src');
          expect(response.headers.get('x-frame-options'), path).toBe('DENY');
          expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
          expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
        }
      });
    },
  );
}
