// Prepares the databases once per test run (not per test): the geography cache, a PGlite data
// folder and a PostgreSQL template database, both migrated and loaded with the tiny demo scale.
// Test files then open a private copy of each in about a second.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '@rrm/db';
import { ensureGeography, seedDemoData } from '@rrm/db/seed';
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
  ensureGeography(console.log);
  let cluster: Cluster | undefined;
  let adminUrl = process.env.DATABASE_URL ?? '';
  let skipReason = '';
  if (!adminUrl) {
    const found = findPostgres();
    if ('skip' in found) skipReason = found.skip;
    else cluster = await startCluster(found.bin);
    adminUrl = cluster?.url ?? '';
  }

  const pgliteDir = mkdtempSync(join(tmpdir(), 'rrm-pglite-template-'));
  const prepareTemplate = async (open: () => ReturnType<typeof openDatabase>) => {
    const database = await open();
    try {
      await migrateDatabase(database);
      await seedDemoData(database, { scale: 'tiny', log });
    } finally {
      await database.close();
    }
  };
  await prepareTemplate(() => openDatabase({ dataDir: pgliteDir }));
  // The browser tests draw a province with real variety between counties.
  const provinceDir = existsSync(CHROMIUM) ? mkdtempSync(join(tmpdir(), 'rrm-pglite-province-')) : '';
  const prepareProvince = async (open: () => ReturnType<typeof openDatabase>) => {
    const database = await open();
    try {
      await migrateDatabase(database);
      await seedDemoData(database, { scale: 'province', province: '52', log });
    } finally {
      await database.close();
    }
  };
  if (provinceDir) await prepareProvince(() => openDatabase({ dataDir: provinceDir }));
  if (adminUrl) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    await prepareTemplate(() => openDatabase({ url: withDatabase(adminUrl, TEMPLATE_DATABASE) }));
    if (provinceDir) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${PROVINCE_DATABASE}`);
      await admin.unsafe(`CREATE DATABASE ${PROVINCE_DATABASE}`);
      await admin.end();
      await prepareProvince(() => openDatabase({ url: withDatabase(adminUrl, PROVINCE_DATABASE) }));
      const copier = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await copier.unsafe(`DROP DATABASE IF EXISTS ${SUPERVISION_DATABASE}`);
      await copier.unsafe(`CREATE DATABASE ${SUPERVISION_DATABASE} TEMPLATE ${PROVINCE_DATABASE}`);
      await copier.unsafe(`DROP DATABASE IF EXISTS ${DATA_DATABASE}`);
      await copier.unsafe(`CREATE DATABASE ${DATA_DATABASE} TEMPLATE ${PROVINCE_DATABASE}`);
      await copier.end();
    }
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
