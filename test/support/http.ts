// Serves the real application on a loopback port for a test file and posts GraphQL to it.
import type { AddressInfo } from 'node:net';
import type { Database } from '@rrm/db';
import { createApp } from '@rrm/server';

export interface TestServer {
  url: string;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string },
  ): Promise<{
    status: number;
    data?: T;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
  close(): Promise<void>;
}

export async function startTestServer(database: Database): Promise<TestServer> {
  const app = await createApp(database);
  const server = app.express.listen(0, '127.0.0.1');
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
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
    },
  };
}

/** Logs in as a demo user and returns the token (the demo users are created with the demo data). */
export async function loginAs(server: TestServer, username: string): Promise<string> {
  const { DEMO_PASSWORD } = await import('@rrm/db/seed');
  const result = await server.graphql<{ login: { token: string } }>(
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: username, p: DEMO_PASSWORD },
  );
  if (!result.data) throw new Error(`login as ${username} failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}
