// The set-up most test files share: a throwaway copy of the database and the product serving it,
// opened before a backend's tests and closed after them.
import { type BackendName, openTestDatabase, type TestDatabase } from './databases.ts';
import { startTestServer, type TestServer } from './http.ts';

type ServeOptions = Parameters<typeof startTestServer>[1];

export async function serveTestDatabase(
  backend: BackendName,
  options?: ServeOptions,
): Promise<{ database: TestDatabase; server: TestServer }> {
  const database = await openTestDatabase(backend);
  try {
    return { database, server: await startTestServer(database, options) };
  } catch (error) {
    await database.dispose();
    throw error;
  }
}

/** Closes what serveTestDatabase opened; either may be missing when the set-up failed. */
export async function stopServing(server: TestServer | undefined, database: TestDatabase | undefined) {
  await server?.close();
  await database?.dispose();
}
