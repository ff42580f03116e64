// Long on purpose: a specification, one failing file per validation rule with its exact error.
// Imports of `villages` and `village-years` (issue #12), on both backends, against the tiny demo
// database: templates round-trip, every validation rule names sheet, row and column in Chinese and
// English, a GBK CSV keeps its Chinese names, dry runs and refused files write nothing, re-imports
// change nothing, rollback restores the old values exactly, and the API shows imported figures.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeGb18030,
  FIRST_YEAR,
  type ImportResult,
  importFile,
  parseCell,
  queryRows,
  rollbackImport,
  writeTemplate,
} from '@rrm/db';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The rollback's reader of the undo records (not part of the package's API).
import { insertedKeys } from '../db/src/imports/write.ts';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { importFingerprint } from './support/fingerprint.ts';
import {
  giveDemoUsersRealPasswords,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

const YEAR_COLUMNS = [
  ['village_code', '村代码'],
  ['year', '年份'],
  ['population', '户籍人口'],
  ['households', '户数'],
  ['lifted_population', '脱贫人口'],
  ['lifted_households', '脱贫户数'],
  ['per_capita_net_income', '脱贫人口人均纯收入'],
  ['labour_force', '脱贫劳动力'],
  ['employed_out_migrant', '外出务工人数'],
  ['employed_local', '就近就业人数'],
  ['public_welfare_posts', '公益岗位人数'],
  ['workshop_jobs', '帮扶车间就业人数'],
  ['monitored_unstable', '脱贫不稳定户'],
  ['monitored_marginal', '边缘易致贫户'],
  ['monitored_sudden_hardship', '突发严重困难户'],
  ['monitored_risk_removed', '风险消除户数'],
  ['dropouts', '义务教育阶段失学辍学人数'],
  ['uninsured', '未参加基本医疗保险人数'],
  ['unsafe_houses', '住房不安全户数'],
  ['households_without_safe_water', '饮水不安全户数'],
] as const;
const VILLAGE_HEADER = '村代码,村名称,乡镇代码,乡镇名称,是否贫困村,出列年份,经度,纬度,是否挂牌督战村';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(`imports of villages and village-years (${backend.name})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let dir: string;
    let county: { code: string; lon: number; lat: number };
    let other: { lon: number; lat: number };
    let villages: Array<{
      code: string;
      township_code: string;
      township_name: string;
      poverty_village: boolean;
    }>;
    let n = 0;
    const file = (name: string, content: string | Buffer) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    };
    const run = (dataset: string, path: string, dryRun = false, batchSize?: number) =>
      importFile(database, { dataset, path, dryRun, who: 'test', batchSize });
    const yearRow = async (code: string, year: number) => {
      const [row] = await database.rows<Record<string, number | string>>(
        sql`SELECT * FROM village_indicators WHERE village_code = ${code} AND year = ${year}`,
      );
      return row!;
    };
    const yearsCsv = (rows: Array<Record<string, unknown>>) =>
      `${YEAR_COLUMNS.map(([, zh]) => zh).join(',')}\n${rows
        .map((r) => YEAR_COLUMNS.map(([key]) => String(r[key] ?? '')).join(','))
        .join('\n')}\n`;
    const fingerprint = () => importFingerprint(database);

    beforeAll(async () => {
      database = await openTestDatabase(backend.name);
      // This file imports real data, after which the demo password opens no login.
      await giveDemoUsersRealPasswords(database);
      server = await startTestServer(database);
      dir = mkdtempSync(join(tmpdir(), 'rrm-import-test-'));
      // A county with villages and a boundary; a point inside it and one inside another county.
      const [c] = await database.rows<{ code: string; lon: number; lat: number }>(sql`
        SELECT r.code, ST_X(r.label_point) AS lon, ST_Y(r.label_point) AS lat FROM regions r
        WHERE r.level = 'county' AND r.boundary IS NOT NULL AND ST_Covers(r.boundary, r.label_point)
          AND EXISTS (SELECT 1 FROM villages v WHERE v.county_code = r.code)
        ORDER BY (SELECT count(*) FROM villages v WHERE v.county_code = r.code) DESC, r.code LIMIT 1`);
      county = c!;
      const [o] = await database.rows<{ lon: number; lat: number }>(sql`
        SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions
        WHERE level = 'county' AND code <> ${county.code} AND boundary IS NOT NULL
          AND NOT ST_Covers((SELECT boundary FROM regions WHERE code = ${county.code}), label_point)
        ORDER BY code LIMIT 1`);
      other = o!;
      villages = await database.rows(sql`SELECT code, township_code, township_name, poverty_village
        FROM villages WHERE county_code = ${county.code} ORDER BY code LIMIT 3`);
    });

    afterAll(async () => {
      await server?.close();
      await database?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a filled XLSX template of villages: one changed, one new, the notes sheet explains', async () => {
      const template = join(dir, 'villages-template.xlsx');
      await writeTemplate('villages', 'xlsx', template);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(template);
      const [data, notes] = workbook.worksheets;
      expect(data!.name).toBe('村');
      expect((data!.getRow(1).values as unknown[]).slice(1).join(',')).toBe(VILLAGE_HEADER);
      expect(notes!.getCell('A2').value).toBe('村代码');
      expect(String(notes!.getCell('D2').value)).toContain('必填');
      const v = villages[0]!;
      const newCode = `${v.township_code}999`;
      data!.addRow([
        v.code,
        '改名村',
        v.township_code,
        v.township_name,
        v.poverty_village ? '是' : '否',
        null,
        null,
        null,
        '否',
      ]);
      data!.addRow([
        newCode,
        '新建村',
        v.township_code,
        v.township_name,
        '是',
        2019,
        county.lon,
        county.lat,
        '是',
      ]);
      const filled = join(dir, 'villages-filled.xlsx');
      await workbook.xlsx.writeFile(filled);
      const before = await fingerprint();
      const dry = await run('villages', filled, true);
      expect(dry).toMatchObject({
        errorCount: 0,
        newRows: 1,
        changedRows: 1,
        unchangedRows: 0,
        result: 'checked',
      });
      expect(dry.examples).toContainEqual(
        expect.objectContaining({ key: v.code, column: '村名称 (name)', new: '改名村' }),
      );
      expect(await fingerprint()).toEqual(before);
      const applied = await run('villages', filled);
      expect(applied).toMatchObject({ result: 'applied', newRows: 1, changedRows: 1, errorCount: 0 });
      const rows = await database.rows<{ code: string; name: string; located: boolean; supervised: boolean }>(
        sql`SELECT code, name, location IS NOT NULL AS located, supervised FROM villages
          WHERE code IN (${v.code}, ${newCode}) ORDER BY code`,
      );
      expect(rows).toEqual([
        { code: v.code, name: '改名村', located: true, supervised: expect.any(Boolean) },
        { code: newCode, name: '新建村', located: true, supervised: true },
      ]);
      const again = await run('villages', filled);
      expect(again).toMatchObject({ result: 'applied', newRows: 0, changedRows: 0, unchangedRows: 2 });
    });

    it('imports a GBK CSV (as Excel on Chinese Windows saves it) with its Chinese names intact', async () => {
      const v = villages[1]!;
      const csv = `${VILLAGE_HEADER}\r\n${v.code},龙井坝村,${v.township_code},${v.township_name},${v.poverty_village ? '是' : '否'},,,,否\r\n`;
      const path = file('villages-gbk.csv', encodeGb18030(csv));
      const result = await run('villages', path);
      expect(result).toMatchObject({ encoding: 'gb18030', result: 'applied', changedRows: 1, errorCount: 0 });
      const [row] = await database.rows<{ name: string; township_name: string }>(
        sql`SELECT name, township_name FROM villages WHERE code = ${v.code}`,
      );
      expect(row).toEqual({ name: '龙井坝村', township_name: v.township_name });
      // UTF-8 with a BOM and English keys as headers read the same.
      const utf8 = file(
        'villages-bom.csv',
        `\uFEFFcode,name,township_code,township_name,poverty_village\n${v.code},龙井坝村,${v.township_code},${v.township_name},${v.poverty_village}\n`,
      );
      expect(await run('villages', utf8, true)).toMatchObject({
        encoding: 'utf-8',
        errorCount: 0,
        unchangedRows: 1,
      });
    });

    it('dry-runs, applies, shows the new figure in the API, re-imports as a no-op and rolls back exactly', async () => {
      const code = villages[2]!.code;
      const template = join(dir, 'village-years-template.csv');
      await writeTemplate('village-years', 'csv', template);
      const old2021 = await yearRow(code, 2021);
      const old2022 = await yearRow(code, 2022);
      const changed: Record<string, unknown> = {
        ...old2021,
        population: Number(old2021.population) + 1000,
        per_capita_net_income: 12345.67,
        labour_force: Number(old2021.labour_force) + 5,
        employed_out_migrant: Number(old2021.employed_out_migrant) + 5,
      };
      const { readFileSync } = await import('node:fs');
      const path = file(
        'village-years-filled.csv',
        readFileSync(template, 'utf8') +
          [changed, old2022].map((r) => YEAR_COLUMNS.map(([k]) => String(r[k])).join(',')).join('\r\n'),
      );
      const choropleth = async () => {
        const r = await server.graphql<{ choropleth: { values: Array<{ code: string; value: number }> } }>(
          `query($p: String) { choropleth(indicator: OUT_MIGRANT_WORKERS, level: COUNTY, year: 2021, parentCode: $p) { values { code value } } }`,
          { p: county.code.slice(0, 4) },
        );
        return r.data!.choropleth.values.find((x) => x.code === county.code)!.value;
      };
      const stats = async () => {
        const r = await server.graphql<{ village: { stats: { population: number } } }>(
          `query($c: String!) { village(code: $c) { stats(year: 2021) { population } } }`,
          { c: code },
        );
        return r.data!.village.stats.population;
      };
      const countyBefore = await choropleth();
      expect(await stats()).toBe(Number(old2021.population));
      const before = await fingerprint();

      const dry = await run('village-years', path, true);
      expect(dry).toMatchObject({ errorCount: 0, rows: 2, newRows: 0, changedRows: 1, unchangedRows: 1 });
      expect(dry.examples).toEqual([
        {
          key: `${code} 2021`,
          sheet: expect.any(String),
          row: expect.any(Number),
          column: '户籍人口 (population)',
          old: Number(old2021.population),
          new: Number(old2021.population) + 1000,
        },
        expect.objectContaining({ column: '脱贫人口人均纯收入 (per_capita_net_income)', new: 12345.67 }),
        expect.objectContaining({ column: '脱贫劳动力 (labour_force)' }),
        expect.objectContaining({
          column: '外出务工人数 (employed_out_migrant)',
          old: Number(old2021.employed_out_migrant),
          new: Number(old2021.employed_out_migrant) + 5,
        }),
      ]);
      expect(await fingerprint()).toEqual(before);

      const applied = await run('village-years', path);
      expect(applied).toMatchObject({ result: 'applied', changedRows: 1, unchangedRows: 1, newRows: 0 });
      expect(await stats()).toBe(Number(old2021.population) + 1000);
      expect(await choropleth()).toBe(countyBefore + 5);
      const dataset = await server.graphql<{
        dataset: { parts: Array<{ name: string; kind: string; file: string }> };
      }>('{ dataset { parts { name kind file } } }');
      expect(dataset.data!.dataset.parts).toContainEqual({
        name: 'village-years',
        kind: 'IMPORTED',
        file: applied.file,
      });
      const afterApply = await fingerprint();

      const again = await run('village-years', path);
      expect(again).toMatchObject({ result: 'applied', changedRows: 0, newRows: 0, unchangedRows: 2 });
      expect(await fingerprint()).toEqual(afterApply);

      // The same rows from another file: no row changes, but the part now names that file, so the
      // data version moves and no kept answer (the anonymous answer cache) still names the first.
      const version = async () =>
        Number((await database.rows<{ v: string }>(sql`SELECT data_version::text AS v FROM dataset`))[0]!.v);
      const versionBefore = await version();
      const other = await run(
        'village-years',
        file('village-years-again.csv', `${readFileSync(path, 'utf8')}\r\n`),
      );
      expect(other).toMatchObject({ result: 'applied', changedRows: 0, newRows: 0, unchangedRows: 2 });
      expect(await version()).toBeGreaterThan(versionBefore);
      const parts = await server.graphql<{ dataset: { parts: Array<{ name: string; file: string }> } }>(
        '{ dataset { parts { name file } } }',
      );
      expect(parts.data!.dataset.parts.find((p) => p.name === 'village-years')?.file).toBe(other.file);

      // The no-op re-imports are undone first, then the import that changed the figures.
      const undone = await rollbackImport(database, { dataset: 'village-years', who: 'test' });
      expect(undone).toMatchObject({ importId: applied.importId, restoredRows: 1, deletedRows: 0 });
      expect(await yearRow(code, 2021)).toEqual(old2021);
      // The versions move on and the change log keeps the rolled-back import's record.
      const { dataset: _versions, import_changes: _log, ...restored } = await fingerprint();
      const { dataset: _before, import_changes: _logBefore, ...original } = before;
      expect(restored).toEqual(original);
      expect(await stats()).toBe(Number(old2021.population));
      expect(await choropleth()).toBe(countyBefore);
    });

    it('writes nothing when the database refuses an apply in its second batch, and records the failure', async () => {
      // Every yearly row of the tiny data, written in batches of 1,000: the first row changed, the
      // last refused by a trigger standing in for any database error during a later batch.
      const all = await database.rows<Record<string, unknown>>(
        sql`SELECT * FROM village_indicators ORDER BY village_code, year`,
      );
      expect(all.length).toBeGreaterThan(2_000);
      all[0]!.population = Number(all[0]!.population) + 1;
      all[all.length - 1]!.population = 424242;
      await database.rows(
        sql.raw(`CREATE FUNCTION refuse_424242() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.population = 424242 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`),
      );
      await database.rows(
        sql.raw(`CREATE TRIGGER refuse_424242 BEFORE INSERT OR UPDATE ON village_indicators
          FOR EACH ROW EXECUTE FUNCTION refuse_424242()`),
      );
      try {
        const path = file('village-years-all.csv', yearsCsv(all));
        const before = await fingerprint();
        await expect(run('village-years', path, false, 1_000)).rejects.toThrow();
        expect(await fingerprint()).toEqual(before);
        const [last] = await database.rows<{ result: string; rows: number }>(
          sql`SELECT result, rows FROM imports ORDER BY id DESC LIMIT 1`,
        );
        expect(last).toEqual({ result: 'failed', rows: all.length });
      } finally {
        await database.rows(sql`DROP TRIGGER refuse_424242 ON village_indicators`);
        await database.rows(sql`DROP FUNCTION refuse_424242()`);
      }
    });

    it('copies new rows straight in lot by lot, compares once a lot meets rows already there, and rolls back exactly', async () => {
      // The first 300 yearly rows in key order; the first 150 are taken out (so they are new to the
      // import), and one of the others is changed. Small lots: several go straight into the table
      // (PostgreSQL), until the lot that reaches row 151 is refused there and goes through the stage.
      const key = (r: Record<string, unknown>) => `${r.village_code} ${r.year}`;
      const first300 = () =>
        database.rows<Record<string, unknown>>(
          sql`SELECT * FROM village_indicators ORDER BY village_code, year LIMIT 300`,
        );
      const original = await first300();
      const before = await fingerprint();
      const last = original[149]!;
      await database.rows(
        sql`DELETE FROM village_indicators WHERE (village_code, year) <= (${last.village_code as string}, ${Number(last.year)})`,
      );
      const gone = (await fingerprint()).village_years;
      // New rows, several lots of them straight in, then a row found wrong: nothing stays.
      const refused = await importFile(database, {
        dataset: 'village-years',
        path: file(
          'village-years-late-error.csv',
          yearsCsv([...original.slice(0, 150), { ...original[0], year: 1900 }]),
        ),
        who: 'test',
        batchSize: 10,
        lotRows: 64,
      });
      expect(refused).toMatchObject({ result: 'rejected', errorCount: 1, newRows: 0 });
      expect((await fingerprint()).village_years).toBe(gone);
      const fileRows = original.map((r, i) =>
        i === 250 ? { ...r, population: Number(r.population) + 7 } : r,
      );
      const lines: string[] = [];
      const applied = await importFile(database, {
        dataset: 'village-years',
        path: file('village-years-lots.csv', yearsCsv(fileRows)),
        who: 'test',
        batchSize: 10,
        lotRows: 64,
        log: (line) => lines.push(line),
      });
      expect(applied).toMatchObject({ result: 'applied', newRows: 150, changedRows: 1, unchangedRows: 149 });
      expect((await first300()).map(key)).toEqual(original.map(key));
      expect(await first300()).toEqual(fileRows);
      const copied = lines
        .map((l) => /(\d+) new rows copied straight into village_indicators/.exec(l)?.[1])
        .find(Boolean);
      // Lots of 10, 10, 10, 20 and 40 rows (batches of 10, lots doubling towards 64) go straight
      // in; the next, rows 91–160, meets row 151 and is compared, with all after it.
      expect(Number(copied)).toBe(90);

      const undone = await rollbackImport(database, { dataset: 'village-years', who: 'test' });
      expect(undone).toMatchObject({ importId: applied.importId, restoredRows: 1, deletedRows: 150 });
      expect((await fingerprint()).village_years).toBe(gone);

      // Put back as they were (all new again: straight in on PostgreSQL), rollup included.
      const restored = await importFile(database, {
        dataset: 'village-years',
        path: file('village-years-back.csv', yearsCsv(original.slice(0, 150))),
        who: 'test',
        lotRows: 64,
      });
      expect(restored).toMatchObject({ result: 'applied', newRows: 150, changedRows: 0 });
      const after = await fingerprint();
      expect(after.village_years).toBe(before.village_years);
      expect(after.region_rollup).toBe(before.region_rollup);
    });

    it('turns the undo records of added keys written before migration 0010 round, key by key, and keeps them as json (0024)', async () => {
      const [latest] = await database.rows<{ id: number }>(sql`SELECT max(id)::int AS id FROM imports`);
      const statements = (name: string) =>
        readFileSync(new URL(`../db/migrations/${name}.sql`, import.meta.url), 'utf8').split(
          '--> statement-breakpoint',
        );
      const old = [
        { village_code: '520102001001', year: 2014 },
        { village_code: 'a "quoted" \\ code', year: 2015 },
      ];
      let converted: unknown;
      const villageYearsSpec = { key: ['village_code', 'year'], table: 'village_indicators' };
      // Replayed on the table as it stood before 0024 (jsonb), then rolled back: the record, the
      // column's type and the rows all stay as they were.
      await database.db
        .transaction(async (tx) => {
          await tx.execute(
            sql`ALTER TABLE import_changes ALTER COLUMN inserted TYPE jsonb USING inserted::jsonb`,
          );
          await tx.execute(
            sql`INSERT INTO import_changes (import_id, inserted) VALUES (${latest!.id}, ${JSON.stringify(old)}::jsonb)`,
          );
          await tx.execute(sql.raw(statements('0010_inserted_keys_by_column')[0]!));
          for (const statement of statements('0024_inserted_keys_as_json'))
            await tx.execute(sql.raw(statement));
          const [row] = await queryRows<{ inserted: string; type: string }>(
            tx,
            sql`SELECT inserted::text AS inserted, pg_typeof(inserted)::text AS type FROM import_changes
              WHERE import_id = ${latest!.id} AND inserted::text LIKE '%quoted%'`,
          );
          expect(row?.type).toBe('json');
          converted = JSON.parse(row!.inserted);
          // And a rollback reads it back as the key it was, quotes and backslash included.
          const keys = await queryRows<{ village_code: string; year: number }>(
            tx,
            sql`SELECT k.village_code, k.year FROM (${insertedKeys(villageYearsSpec, latest!.id)}) k
              WHERE k.village_code LIKE '%quoted%'`,
          );
          expect(keys).toEqual([{ village_code: 'a "quoted" \\ code', year: 2015 }]);
          tx.rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof TransactionRollbackError)) throw error;
        });
      expect(converted).toEqual({ village_code: ['520102001001', 'a "quoted" \\ code'], year: [2014, 2015] });
      const [after] = await database.rows<{ type: string; records: number }>(
        sql`SELECT (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = 'import_changes'::regclass AND attname = 'inserted') AS type,
          (SELECT count(*)::int FROM import_changes WHERE inserted::text LIKE '%quoted%') AS records`,
      );
      expect(after).toEqual({ type: 'json', records: 0 });
    });

    it('rolls back the villages it inserted, and refuses when there is nothing to roll back', async () => {
      const v = villages[0]!;
      const code = `${v.township_code}998`;
      const path = file(
        'villages-new.csv',
        `${VILLAGE_HEADER}\n${code},又一村,${v.township_code},${v.township_name},否,,,,\n`,
      );
      const before = await fingerprint();
      expect(await run('villages', path)).toMatchObject({ newRows: 1 });
      const r = await rollbackImport(database, { dataset: 'villages', who: 'test' });
      expect(r).toMatchObject({ deletedRows: 1 });
      const { dataset: _a, import_changes: _c, ...after } = await fingerprint();
      const { dataset: _b, import_changes: _d, ...original } = before;
      expect(after).toEqual(original);
    });

    const y = (over: Record<string, unknown>) => async () => ({
      ...(await yearRow(villages[0]!.code, 2021)),
      ...over,
    });
    const cases = (): Array<{
      name: string;
      dataset: string;
      content: () => Promise<string>;
      error: { row: number; column: string | null; zh: string; en: string };
    }> => [
      {
        name: 'a code that is not 12 digits',
        dataset: 'villages',
        content: async () => `${VILLAGE_HEADER}\n52010200100,甲村,520102001,甲镇,否,,,,\n`,
        error: {
          row: 2,
          column: '村代码',
          zh: '村代码应为 12 位数字，实为“52010200100”',
          en: 'code must be 12 digits, got "52010200100"',
        },
      },
      {
        name: 'a village whose county does not exist',
        dataset: 'villages',
        content: async () => `${VILLAGE_HEADER}\n999999001001,甲村,999999001,甲镇,否,,,,\n`,
        error: {
          row: 2,
          column: '村代码',
          zh: '前 6 位 999999 不是已有的县',
          en: 'its first 6 digits 999999 are not a county',
        },
      },
      {
        name: 'a township code that is not the prefix of the village code',
        dataset: 'villages',
        content: async () => `${VILLAGE_HEADER}\n${county.code}001001,甲村,${county.code}002,甲镇,否,,,,\n`,
        error: {
          row: 2,
          column: '乡镇代码',
          zh: `乡镇代码 ${county.code}002 不是村代码 ${county.code}001001 的前 9 位`,
          en: `township code ${county.code}002 is not the first 9 digits of village code ${county.code}001001`,
        },
      },
      {
        name: 'an exit year for a village that was not poor',
        dataset: 'villages',
        content: async () =>
          `${VILLAGE_HEADER}\n${county.code}001001,甲村,${county.code}001,甲镇,否,2018,,,\n`,
        error: {
          row: 2,
          column: '出列年份',
          zh: '非贫困村不应填写出列年份',
          en: 'only a poverty village has an exit year',
        },
      },
      {
        name: 'an exit year out of range',
        dataset: 'villages',
        content: async () =>
          `${VILLAGE_HEADER}\n${county.code}001001,甲村,${county.code}001,甲镇,是,2015,,,\n`,
        error: {
          row: 2,
          column: '出列年份',
          zh: '出列年份应在 2016–2020 之间：2015',
          en: 'poverty_exit_year must lie within 2016–2020: 2015',
        },
      },
      {
        name: 'a yes/no cell that is neither',
        dataset: 'villages',
        content: async () => `${VILLAGE_HEADER}\n${county.code}001001,甲村,${county.code}001,甲镇,也许,,,,\n`,
        error: {
          row: 2,
          column: '是否贫困村',
          zh: '是否贫困村应为“是”或“否”，实为“也许”',
          en: 'poverty_village must be 是/否 (true/false), got "也许"',
        },
      },
      {
        name: 'a point outside the county',
        dataset: 'villages',
        content: async () =>
          `${VILLAGE_HEADER}\n${county.code}001001,甲村,${county.code}001,甲镇,否,,${other.lon},${other.lat},\n`,
        error: {
          row: 2,
          column: '经度',
          zh: expect.stringMatching(
            new RegExp(`^位置（${other.lon}, ${other.lat}）不在所属县 .+（${county.code}）境内$`),
          ),
          en: expect.stringMatching(
            new RegExp(`^the point \\(${other.lon}, ${other.lat}\\) lies outside its county ${county.code}`),
          ),
        } as never,
      },
      {
        name: 'a missing required column',
        dataset: 'villages',
        content: async () =>
          `村代码,乡镇代码,乡镇名称,是否贫困村\n${county.code}001001,${county.code}001,甲镇,否\n`,
        error: {
          row: 1,
          column: '村名称',
          zh: '缺少必填列“村名称”（name）',
          en: 'required column "name" (村名称) is missing',
        },
      },
      {
        name: 'an unknown column',
        dataset: 'villages',
        content: async () =>
          `${VILLAGE_HEADER},备注说明\n${county.code}001001,甲村,${county.code}001,甲镇,否,,,,,x\n`,
        error: {
          row: 1,
          column: '备注说明',
          zh: '未知的列“备注说明”（第 J 列）',
          en: 'unknown column "备注说明" (column J)',
        },
      },
      {
        name: 'a row twice in the file',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({})(), await y({})()]),
        error: {
          row: 3,
          column: '村代码',
          zh: expect.stringMatching(/^与第 2 行重复（\d{12} 2021）$/),
          en: expect.stringMatching(/^duplicates row 2 \(\d{12} 2021\)$/),
        } as never,
      },
      {
        name: 'a year out of range',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ year: FIRST_YEAR - 1 })()]),
        error: {
          row: 2,
          column: '年份',
          zh: `年份应在 2014–2025 之间：${FIRST_YEAR - 1}`,
          en: `year must lie within 2014–2025: ${FIRST_YEAR - 1}`,
        },
      },
      {
        name: 'a figure that is not a number',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ population: '约1200' })()]),
        error: {
          row: 2,
          column: '户籍人口',
          zh: '户籍人口不是数字：“约1200”',
          en: 'population is not a number: "约1200"',
        },
      },
      {
        name: 'a negative figure',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ dropouts: -1 })()]),
        error: {
          row: 2,
          column: '义务教育阶段失学辍学人数',
          zh: '义务教育阶段失学辍学人数不能为负数：-1',
          en: 'dropouts must not be negative: -1',
        },
      },
      {
        name: 'a fractional count',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ households: 12.5 })()]),
        error: {
          row: 2,
          column: '户数',
          zh: '户数应为整数：12.5',
          en: 'households must be a whole number: 12.5',
        },
      },
      {
        name: 'an empty required figure',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ labour_force: '' })()]),
        error: {
          row: 2,
          column: '脱贫劳动力',
          zh: '脱贫劳动力必填，不能为空',
          en: 'labour_force is required and empty',
        },
      },
      {
        name: 'more employed than the labour force',
        dataset: 'village-years',
        content: async () =>
          yearsCsv([await y({ labour_force: 10, employed_out_migrant: 8, employed_local: 5 })()]),
        error: {
          row: 2,
          column: '脱贫劳动力',
          zh: '外出务工 8 与就近就业 5 之和 13 超过脱贫劳动力 10',
          en: 'employed (out-migrant 8 + local 5 = 13) exceeds the labour force 10',
        },
      },
      {
        name: 'more lifted people than people',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ population: 100, lifted_population: 101 })()]),
        error: {
          row: 2,
          column: '脱贫人口',
          zh: '脱贫人口 101 超过户籍人口 100',
          en: 'lifted population 101 exceeds the population 100',
        },
      },
      {
        name: 'a village that does not exist',
        dataset: 'village-years',
        content: async () => yearsCsv([await y({ village_code: '520000000000' })()]),
        error: {
          row: 2,
          column: '村代码',
          zh: '村代码 520000000000 不存在',
          en: 'there is no village 520000000000',
        },
      },
    ];

    /** The workbook with its worksheet replaced by 40 MB that deflates to some 40 KB. */
    const bombOf = async (workbook: string) => {
      const zip = await JSZip.loadAsync(readFileSync(workbook));
      zip.file(
        'xl/worksheets/sheet1.xml',
        `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${' '.repeat(40_000_000)}</sheetData></worksheet>`,
      );
      return zip.generateAsync({
        type: 'nodebuffer',
        compression: 'DEFLATE',
        compressionOptions: { level: 9 },
      });
    };

    it('refuses a zip bomb before inflating it, hostile cells and rows without echoing them, and leaves no temporary file', async () => {
      // exceljs writes a worksheet that precedes its shared strings to a file in the system's temp
      // folder: this file's own folder here (one process per test file), to see that none stays.
      const privateTemp = mkdtempSync(join(tmpdir(), 'rrm-exceljs-'));
      const systemTemp = process.env.TMPDIR;
      process.env.TMPDIR = privateTemp;
      const temp = () => readdirSync(privateTemp).length;
      const template = join(dir, 'bomb-template.xlsx');
      await writeTemplate('village-years', 'xlsx', template);
      const bomb = file('bomb.xlsx', await bombOf(template));
      await expect(run('village-years', bomb, true)).rejects.toThrow(
        /is not an ordinary workbook: its part xl\/worksheets\/sheet1.xml inflates \d+-fold/,
      );
      // A row of 600 cells, a record of megabytes, NUL and a direction override in a name.
      await expect(
        run('villages', file('utf16.csv', Buffer.from(`\ufeff${VILLAGE_HEADER}\n`, 'utf16le')), true),
      ).rejects.toThrow('is UTF-16 text (Excel\'s "Unicode text"): save it as "CSV UTF-8" or as .xlsx');
      await expect(run('villages', file('wide.csv', `${'a,'.repeat(600)}\n`), true)).rejects.toThrow(
        'row 1 has 601 columns; a dataset has at most 500',
      );
      await expect(
        run('villages', file('long.csv', `${VILLAGE_HEADER}\n"${'x'.repeat(2_000_000)}"\n`), true),
      ).rejects.toThrow(/cannot read .* as CSV/);
      // A quote never closed, then many short lines: refused once the open record passes the
      // bound, before the parser holds (and re-parses) the rest of the file as one cell.
      await expect(
        run('villages', file('unclosed.csv', `${VILLAGE_HEADER}\n1,"open\n${'x,y\n'.repeat(400_000)}`), true),
      ).rejects.toThrow('a record holds over 1,000,000 characters (a quote not closed?)');
      // A quote inside a cell (not at its start) is a character: 1.6 M characters of such rows read
      // as rows (each refused for its own cells, none for its length).
      const inches = await run(
        'villages',
        file('inches.csv', `${VILLAGE_HEADER}\n${`1,${'长'.repeat(60)} 5" screen,,,,,,,\n`.repeat(20_000)}`),
        true,
      );
      expect(inches.rows).toBe(20_000);
      const v = villages[0]!;
      const hostile = await run(
        'villages',
        file(
          'control.csv',
          `${VILLAGE_HEADER}\n${v.code},坏\u0000村,${v.township_code},${v.township_name},否,,,,\n${v.code.slice(0, 11)}8,\u202e村,${v.township_code},${v.township_name},否,,,,\n${v.code.slice(0, 11)}7,${'长'.repeat(5000)},${v.township_code},${v.township_name},否,,,,\n`,
        ),
        true,
      );
      expect(hostile.errors.map((e) => `${e.row} ${e.column}: ${e.en}`)).toEqual([
        '2 村名称: name contains an invisible control character U+0000',
        '3 村名称: name contains an invisible control character U+202E',
        '4 村名称: name is too long: over 400 characters, at most 200',
      ]);
      // The workbook read to its header and no further (the rows after it are not needed).
      await run('village-years', template, true);
      // (exceljs deletes them asynchronously.)
      await expect.poll(temp, { timeout: 5_000 }).toBe(0);
      if (systemTemp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = systemTemp;
      rmSync(privateTemp, { recursive: true, force: true });
    });

    it('refuses a workbook whose zip directory lies about a part, without inflating the part whole', async () => {
      const template = join(dir, 'lying-template.xlsx');
      await writeTemplate('village-years', 'xlsx', template);
      // A bomb by its honest directory (see above).
      const honest = await bombOf(template);
      // jszip writes true sizes: the lie is patched into the central directory's entry for the part.
      const lying = (patch: (bytes: Buffer, entry: number) => void) => {
        const bytes = Buffer.from(honest);
        const part = Buffer.from('xl/worksheets/sheet1.xml');
        for (let at = bytes.length - 46; at >= 0; at--) {
          if (bytes.readUInt32LE(at) !== 0x02014b50) continue; // a central directory file header
          const nameLength = bytes.readUInt16LE(at + 28);
          if (!bytes.subarray(at + 46, at + 46 + nameLength).equals(part)) continue;
          patch(bytes, at);
          return bytes;
        }
        throw new Error('no directory entry for the worksheet');
      };
      // The directory says 1,000 bytes (no bomb by its sizes); inflating finds out at once.
      const understated = lying((bytes, entry) => {
        bytes.writeUInt32LE(1000, entry + 24); // uncompressed size
      });
      await expect(run('village-years', file('understated.xlsx', understated), true)).rejects.toThrow(
        'understated.xlsx is not an ordinary workbook: its part xl/worksheets/sheet1.xml inflates beyond the 1000 bytes its directory declares',
      );
      // A part the directory does not list at all (renamed there, and small there) is refused too.
      const hidden = lying((bytes, entry) => {
        bytes.writeUInt32LE(1000, entry + 24);
        bytes.write('xl/worksheets/sheet9.xml', entry + 46, 'latin1');
      });
      await expect(run('village-years', file('hidden.xlsx', hidden), true)).rejects.toThrow(
        'hidden.xlsx is not an ordinary workbook: its part xl/worksheets/sheet1.xml is missing from its directory',
      );
      // The unpatched template still reads.
      expect(await run('village-years', template, true)).toMatchObject({ result: 'checked' });
    });

    it('refuses each invalid file with the exact error, writes nothing, and records the refusal', async () => {
      const before = await fingerprint();
      const refusedSoFar = async () =>
        (
          (await database.rows<{ refused: number }>(
            sql`SELECT count(*)::int AS refused FROM imports WHERE result = 'rejected'`,
          )) as [{ refused: number }]
        )[0].refused;
      const refusedBefore = await refusedSoFar();
      const all = cases();
      for (const c of all) {
        const name = `bad-${c.dataset}.csv`;
        const path = file(name, await c.content());
        const result = await run(c.dataset, path);
        expect(result.result, c.name).toBe('rejected');
        expect(result.errorCount, c.name).toBe(1);
        expect(result.errors[0], c.name).toEqual({ sheet: result.file, ...c.error });
        expect(result.importId, c.name).not.toBeNull();
      }
      expect(await fingerprint()).toEqual(before);
      expect((await refusedSoFar()) - refusedBefore).toBe(all.length);
    });

    it('names the sheet of an XLSX, counts every error and lists the first 1,000', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('村年度数据');
      sheet.addRow(YEAR_COLUMNS.map(([, zh]) => zh));
      const base = await yearRow(villages[0]!.code, 2021);
      for (let i = 0; i < 1200; i++)
        sheet.addRow(
          YEAR_COLUMNS.map(([k]) => (k === 'population' ? -1 - i : k === 'year' ? 2021 : base[k])),
        );
      const path = join(dir, 'many-errors.xlsx');
      await workbook.xlsx.writeFile(path);
      const before = await fingerprint();
      const result: ImportResult = await run('village-years', path);
      expect(result).toMatchObject({ result: 'rejected', errorCount: 2399, invalidRows: 1200 });
      expect(result.errors).toHaveLength(1000);
      expect(result.errors[0]).toEqual({
        sheet: '村年度数据',
        row: 2,
        column: '户籍人口',
        zh: '户籍人口不能为负数：-1',
        en: 'population must not be negative: -1',
      });
      expect(result.errors[1]).toMatchObject({ sheet: '村年度数据', row: 3, column: '户籍人口' });
      expect(result.errors[2]).toMatchObject({
        sheet: '村年度数据',
        row: 3,
        column: '村代码',
        en: 'duplicates row 2 (' + base.village_code + ' 2021)',
      });
      expect(await fingerprint()).toEqual(before);
    });

    it('checks shares within 0–1', () => {
      const errors: string[] = [];
      const share = {
        key: 'share',
        zh: '比例',
        en: 'share',
        type: 'share',
        required: true,
        noteZh: '',
        noteEn: '',
        sqlType: 'float8',
      } as const;
      expect(parseCell(share, '0.25', (zh, en) => errors.push(`${zh}|${en}`))).toBe(0.25);
      expect(parseCell(share, '1.2', (zh, en) => errors.push(`${zh}|${en}`))).toBeUndefined();
      expect(errors).toEqual(['比例应在 0–1 之间：1.2|is a share and must lie within 0–1: 1.2']);
    });

    it('lists imports newest first: all to admins and analysts, their own to supervisors, none to leaders', async () => {
      const query = '{ imports { id dataset fileName sha256 who result rows newRows changedRows at } }';
      const anonymous = await server.graphql(query);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const leader = await server.graphql(
        query,
        {},
        { token: await loginAs(server, 'leader', REAL_PASSWORD) },
      );
      expect(leader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The supervisor has imported nothing here: their history is empty, not everyone's.
      const supervisor = await server.graphql<{ imports: unknown[] }>(
        query,
        {},
        { token: await loginAs(server, 'supervisor', REAL_PASSWORD) },
      );
      expect(supervisor.errors).toBeUndefined();
      expect(supervisor.data!.imports).toEqual([]);
      const analyst = await server.graphql<{ imports: Array<{ id: string; who: string; sha256: string }> }>(
        query,
        {},
        { token: await loginAs(server, 'analyst', REAL_PASSWORD) },
      );
      expect(analyst.errors).toBeUndefined();
      const ids = analyst.data!.imports.map((i) => Number(i.id));
      expect(ids.length).toBeGreaterThan(5);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(analyst.data!.imports[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}
