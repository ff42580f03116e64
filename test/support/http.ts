// Serves the real application on a loopback port for a test file and posts GraphQL to it.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Database, DEMO_USERNAMES, hashPassword } from '@rrm/db';
import { LoginThrottle } from '@rrm/schema';
import { type AppOptions, createApp } from '@rrm/server';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';

export interface TestServer {
  url: string;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; cookie?: string },
  ): Promise<{
    status: number;
    /** The response's Set-Cookie headers. */
    cookies: string[];
    data?: T;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
  close(): Promise<void>;
}

/**
 * The product on a loopback port. Test files log in from one address many times a minute, so the
 * per-address login limit is raised unless a test passes the product's own (test/security.test.ts).
 * `options.production`: the production rules (demo logins refused) without touching NODE_ENV.
 * Tiles are not cut ahead and data sizes not reread unless a test asks (test/tiles.test.ts does).
 */
export async function startTestServer(database: Database, options: AppOptions = {}): Promise<TestServer> {
  const app = await createApp(database, {
    // No background work a test would count as its own statements (test/analyst.test.ts counts them).
    prewarmTiles: false,
    sizesEveryMs: Number.POSITIVE_INFINITY,
    // Tests write fixtures straight into the database, behind the data version's back; the cache of
    // anonymous answers has its own test (test/response-cache.test.ts), the load test runs with it.
    responseCacheBytes: 0,
    ...options,
    loginThrottle:
      options.loginThrottle ??
      new LoginThrottle({ attemptsPerAddress: 10_000, hourlyFailuresPerName: 10_000 }),
  });
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    graphql: async (query, variables, options) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options?.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options?.cookie ? { cookie: options.cookie } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        cookies: response.headers.getSetCookie(),
        ...((await response.json()) as object),
      };
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
    },
  };
}

/** Logs in as a demo user at a product's URL and returns the token (demo users come with the demo data). */
export async function loginAt(url: string, username: string, password?: string): Promise<string> {
  const { DEMO_PASSWORD } = await import('@rrm/db/seed');
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: username, p: password ?? DEMO_PASSWORD },
    }),
  });
  const result = (await response.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!result.data) throw new Error(`login as ${username} failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}

/** Logs in as a demo user on a test server (with the demo password unless another is given). */
export function loginAs(server: TestServer, username: string, password?: string): Promise<string> {
  return loginAt(server.url, username, password);
}

/**
 * The password the tests give the demo users of a database they import real data into: from the
 * first import on, the published demo password opens no login (db/src/supervision/demo.ts).
 */
export const REAL_PASSWORD = 'a-real-password-2026';

/** Gives every demo user REAL_PASSWORD, as an admin would before importing real data. */
export async function giveDemoUsersRealPasswords(database: Database): Promise<void> {
  const hash = await hashPassword(REAL_PASSWORD);
  await database.rows(
    sql`UPDATE users SET password_hash = ${hash} WHERE username IN (${sql.join(
      DEMO_USERNAMES.map((name) => sql`${name}`),
      sql`, `,
    )})`,
  );
}

/** The same claims as `token` with `alg: none` and no signature (a server must refuse it). */
export function unsignedToken(token: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${token.split('.')[1]}.`;
}

/** The same claims as `token`, signed HS256 with another key (a server must refuse it). */
export function resignedToken(token: string, key: Uint8Array): string {
  const [header, payload] = token.split('.');
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The code of an answer's first error, or OK when it has none. */
export function errorCode(result: { errors?: Array<{ extensions?: Record<string, unknown> }> }): unknown {
  return result.errors?.[0]?.extensions?.code ?? 'OK';
}

/**
 * GraphQL as a user (by token) on the server a describe block started: `gql` gives the whole answer,
 * `ok` expects no errors and gives the data.
 */
export function graphqlClient(server: () => TestServer) {
  const gql = <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => server().graphql<T>(query, variables, { token });
  const ok = async <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => {
    const result = await gql<T>(query, variables, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  };
  return { gql, ok };
}
