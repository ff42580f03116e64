// Prepares the databases once per test run (not per test): the geography cache, a PGlite data
// folder and a PostgreSQL template database, both migrated and loaded with the tiny demo scale.
// Test files then open a private copy of each in about a second.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrateDatabase, openDatabase } from '@rrm/db';
import { buildGeographyInBackground, ensureGeography, type SeedOptions, seedDemoData } from '@rrm/db/seed';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { type Cluster, findPostgres, startCluster } from '../scripts/support/postgres-cluster.ts';

export const TEMPLATE_DATABASE = 'rrm_test_template';
/** The map tests' province on PostgreSQL (no copy per file: the one test that writes, a monitoring line, puts it back). */
export const PROVINCE_DATABASE = 'rrm_e2e_province';
/** A copy of it that the supervision browser test writes to. */
export const SUPERVISION_DATABASE = 'rrm_e2e_supervision';
/** Another copy, that the data page's browser test imports into. */
export const DATA_DATABASE = 'rrm_e2e_data';
export const CHROMIUM = '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    /** A PGlite folder with the province scale (贵州) for the browser tests, or '' without Chromium. */
    pgliteProvinceDir: string;
    /** Admin URL of the PostgreSQL server, or '' when the PostgreSQL tests are skipped. */
    postgresAdminUrl: string;
    postgresSkipReason: string;
  }
}

const log = (line: string) => {
  if (process.env.RRM_TEST_VERBOSE) console.log(line);
};

export default async function setup(project: TestProject) {
  const started = Date.now();
  // The geography builds in a child process (as on a first `pnpm start`) while the databases are
  // created and migrated here; the demo loads wait for it.
  const geography = buildGeographyInBackground();
  let cluster: Cluster | undefined;
  let adminUrl = process.env.DATABASE_URL ?? '';
  let skipReason = '';
  if (!adminUrl) {
    const found = findPostgres();
    if ('skip' in found) skipReason = found.skip;
    else cluster = await startCluster(found.bin);
    adminUrl = cluster?.url ?? '';
  }

  /** A migrated database, open, and what it is loaded with once the geography is there. */
  const prepared: { database: Database; seed: SeedOptions }[] = [];
  const prepare = async (open: () => Promise<Database>, seed: SeedOptions) => {
    const database = await open();
    prepared.push({ database, seed });
    await migrateDatabase(database);
  };
  const tiny: SeedOptions = { scale: 'tiny', log };
  // The browser tests draw a province with real variety between counties.
  const province: SeedOptions = { scale: 'province', province: '52', log };
  const pgliteDir = mkdtempSync(join(tmpdir(), 'rrm-pglite-template-'));
  const provinceDir = existsSync(CHROMIUM) ? mkdtempSync(join(tmpdir(), 'rrm-pglite-province-')) : '';
  const closeAll = () => Promise.allSettled(prepared.splice(0).map(({ database }) => database.close()));
  try {
    await prepare(() => openDatabase({ dataDir: pgliteDir }), tiny);
    if (provinceDir) await prepare(() => openDatabase({ dataDir: provinceDir }), province);
    if (adminUrl) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      for (const name of [TEMPLATE_DATABASE, ...(provinceDir ? [PROVINCE_DATABASE] : [])]) {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
        await admin.unsafe(`CREATE DATABASE ${name}`);
      }
      await admin.end();
      await prepare(() => openDatabase({ url: withDatabase(adminUrl, TEMPLATE_DATABASE) }), tiny);
      if (provinceDir)
        await prepare(() => openDatabase({ url: withDatabase(adminUrl, PROVINCE_DATABASE) }), province);
    }
    await geography?.finished;
    await ensureGeography(console.log); // builds here if the child failed, and says why
    // Each closed once loaded: four open databases hold some hundreds of megabytes.
    while (prepared.length) {
      const { database, seed } = prepared.shift()!;
      try {
        await seedDemoData(database, seed);
      } finally {
        await database.close();
      }
    }
  } catch (error) {
    geography?.stop();
    throw error;
  } finally {
    await closeAll();
  }
  if (adminUrl && provinceDir) {
    const copier = postgres(adminUrl, { max: 1, onnotice: () => {} });
    for (const name of [SUPERVISION_DATABASE, DATA_DATABASE]) {
      await copier.unsafe(`DROP DATABASE IF EXISTS ${name}`);
      await copier.unsafe(`CREATE DATABASE ${name} TEMPLATE ${PROVINCE_DATABASE}`);
    }
    await copier.end();
  }
  console.log(
    `test databases ready in ${((Date.now() - started) / 1000).toFixed(0)} s: PGlite` +
      (adminUrl ? ' and PostgreSQL' : ` only (PostgreSQL skipped: ${skipReason})`),
  );

  project.provide('pgliteTemplateDir', pgliteDir);
  project.provide('pgliteProvinceDir', provinceDir);
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresSkipReason', skipReason);

  return async () => {
    rmSync(pgliteDir, { recursive: true, force: true });
    if (provinceDir) rmSync(provinceDir, { recursive: true, force: true });
    cluster?.stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
