// `pnpm data:import` as a county's operator runs it, on both backends: exit 0 when applied or when a
// dry run found no errors, 1 when the file has errors or cannot be read (nothing written), 2 on
// usage errors (issue #12). The tool runs as its own process, as it does for a user.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@rrm/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseForAnotherProcess, testBackends } from './support/databases.ts';

const HEADER =
  '县代码,是否贫困县,摘帽年份,是否国家乡村振兴重点帮扶县,是否挂牌督战县,东西部协作省份代码,东西部协作县代码';

/** Runs `pnpm data:import …` (the script behind it) against `env`'s database. */
function dataImport(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
    execFile(
      process.execPath,
      ['--max-old-space-size=384', '--import', 'tsx', 'scripts/data-import.ts', ...args],
      { env: childEnv, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `pnpm data:import on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let target: Awaited<ReturnType<typeof databaseForAnotherProcess>>;
      let dir: string;
      let county: { code: string; poverty: boolean; exit: number | null };
      const file = (name: string, content: string | Buffer) => {
        const path = join(dir, name);
        writeFileSync(path, content);
        return path;
      };
      /** Opens the database between runs of the tool (never while one runs). */
      const look = async <T>(read: (db: Database) => Promise<T>): Promise<T> => {
        const database = await target.open();
        try {
          return await read(database);
        } finally {
          await database.close();
        }
      };
      const imports = () =>
        look((db) => db.rows<{ result: string }>(sql`SELECT result FROM imports ORDER BY id`));

      beforeAll(async () => {
        target = await databaseForAnotherProcess(backend.name);
        dir = mkdtempSync(join(tmpdir(), 'rrm-data-cli-'));
        [county] = (await look((db) =>
          db.rows<typeof county>(
            sql`SELECT county_code AS code, poverty_county AS poverty, poverty_exit_year AS exit
                FROM county_designations ORDER BY county_code LIMIT 1`,
          ),
        )) as [typeof county];
      }, 120_000);
      afterAll(async () => {
        rmSync(dir, { recursive: true, force: true });
        await target?.dispose();
      });

      it('exits 2 on usage errors, naming what is wrong', { timeout: 120_000 }, async () => {
        const none = await dataImport([], target.env);
        expect(none.code).toBe(2);
        expect(none.stderr).toContain('usage: pnpm data:import');
        const unknown = await dataImport(['no-such-dataset', 'x.csv'], target.env);
        expect(unknown.code).toBe(2);
        const missing = await dataImport(['county-designations', join(dir, 'not-there.csv')], target.env);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain('not-there.csv');
      });

      it('exits 1 for a file with errors or one that cannot be read, and writes nothing', {
        timeout: 120_000,
      }, async () => {
        const bad = await dataImport(
          ['county-designations', file('bad.csv', `${HEADER}\n999999,是,2019,否,否,,\n`)],
          target.env,
        );
        expect(bad.code, bad.stderr).toBe(1);
        expect(bad.stdout).toContain('refused (nothing written)');
        expect(bad.stdout).toMatch(/!2 \[县代码\]/);
        const garbled = await dataImport(
          ['county-designations', file('garbled.xlsx', Buffer.from('PK\u0003\u0004 this is not a workbook'))],
          target.env,
        );
        expect(garbled.code, garbled.stderr).toBe(1);
        expect(garbled.stderr).toContain('garbled.xlsx');
        expect(await imports()).toEqual([{ result: 'rejected' }]);
      });

      it('exits 0 for a clean dry run (nothing written) and for an apply', { timeout: 120_000 }, async () => {
        const yesNo = (b: boolean) => (b ? '是' : '否');
        const good = file(
          'good.csv',
          `${HEADER}\n${county.code},${yesNo(county.poverty)},${county.exit ?? ''},否,否,,\n`,
        );
        const dry = await dataImport(['county-designations', good, '--dry-run'], target.env);
        expect(dry.code, dry.stderr).toBe(0);
        expect(dry.stdout).toContain('dry run (nothing written)');
        expect(await imports()).toEqual([{ result: 'rejected' }]);
        const applied = await dataImport(['county-designations', good], target.env);
        expect(applied.code, applied.stderr).toBe(0);
        expect(applied.stdout).toContain('applied');
        expect(await imports()).toEqual([{ result: 'rejected' }, { result: 'applied' }]);
      });
    },
  );
}
