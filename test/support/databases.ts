// Opens a private copy of the prepared tiny database on either backend, for one test file.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@rrm/db';
import postgres from 'postgres';
import { inject } from 'vitest';
import { TEMPLATE_DATABASE, withDatabase } from '../global-setup.ts';

export type BackendName = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** Closes the database and deletes the copy. */
  dispose(): Promise<void>;
}

/** The backends to run against, with the reason when one must be skipped. */
export function testBackends(): Array<{ name: BackendName; skip: string | false }> {
  const reason = inject('postgresSkipReason');
  return [
    { name: 'pglite', skip: false },
    { name: 'postgres', skip: inject('postgresAdminUrl') ? false : reason || 'no PostgreSQL available' },
  ];
}

let counter = 0;

export async function openTestDatabase(
  backend: BackendName,
  options: { empty?: boolean } = {},
): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'rrm-pglite-'));
    if (!options.empty) cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
    const database = await openDatabase({ dataDir: dir });
    return Object.assign(database, {
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  const adminUrl = inject('postgresAdminUrl');
  const name = `rrm_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`,
  );
  await admin.end();
  const database = await openDatabase({ url: withDatabase(adminUrl, name), maxConnections: 4 });
  return Object.assign(database, {
    dispose: async () => {
      await database.close();
      const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  });
}

/**
 * A private copy of the prepared tiny database for another process (a command-line tool) to open:
 * the environment that points it there, and `open` to look at it afterwards. A PGlite directory
 * must not be open in two processes at once, so nothing here holds it open while the tool runs.
 */
export async function databaseForAnotherProcess(backend: BackendName): Promise<{
  env: Record<string, string>;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'rrm-pglite-cli-'));
    cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
    return {
      env: { PGLITE_DATA_DIR: dir },
      open: () => openDatabase({ dataDir: dir }),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('postgresAdminUrl');
  const name = `rrm_test_cli_${process.pid}_${Date.now()}_${counter++}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  return {
    env: { DATABASE_URL: url },
    open: () => openDatabase({ url, maxConnections: 2 }),
    dispose: async () => {
      const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
