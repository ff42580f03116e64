// Every query in docs/cookbook.md runs as written, on both backends, without an error.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { loginAs, startTestServer, type TestServer } from './support/http.ts';

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
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        token = await loginAs(server, 'analyst');
      });
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it.each(queries)('runs "$title"', async ({ query }) => {
        const result = await server.graphql(query, {}, { token });
        expect(result.errors).toBeUndefined();
        expect(result.data).toBeTruthy();
      });
    },
  );
}
