// Every query in docs/cookbook.md runs as written, on both backends, without an error.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, type TestServer } from './support/http.ts';
import { serveTestDatabase, stopServing } from './support/served.ts';

const cookbook = readFileSync(new URL('../docs/cookbook.md', import.meta.url), 'utf8');
const queries = [...cookbook.matchAll(/### (.+)\n\n```graphql\n([\s\S]+?)```/g)].map((m) => ({
  title: m[1]!,
  query: m[2]!,
}));

describe('the analyst cookbook', () => {
  it('has at least 8 questions with a query each', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
  });
});

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `cookbook on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      let token: string;
      beforeAll(async () => {
        ({ database, server } = await serveTestDatabase(backend.name));
        token = await loginAs(server, 'analyst');
      });
      afterAll(() => stopServing(server, database));

      it.each(queries)('runs "$title"', async ({ query }) => {
        const result = await server.graphql(query, {}, { token });
        expect(result.errors).toBeUndefined();
        expect(result.data).toBeTruthy();
      });
    },
  );
}
