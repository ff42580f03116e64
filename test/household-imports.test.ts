// Imports of the monitored households and their assistance measures (#17: "importable through the
// same import path as the other datasets"), on both backends, against the tiny demo database: the
// households export imports back as it is; new households, a removal and a re-identification each
// write the household's history; measures refresh the household's summary (and so its early
// warning); every rule refuses its row by column; a supervisor imports only inside their region and
// an analyst not at all; holder names are masked for leaders, analysts and every export; and a
// rollback puts back every row, history entry and summary as they were.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, ledgerToday, MEASURE_SUMMARY_SQL, rollbackImport } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint, type FingerprintPart } from './support/fingerprint.ts';
import {
  giveDemoUsersRealPasswords,
  graphqlClient,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

const PARTS: readonly FingerprintPart[] = ['households', 'household_history', 'household_measures'];

const HOUSEHOLD_HEADER = [
  '户编号',
  '村代码',
  '户主姓名',
  '家庭人口',
  '劳动力',
  '监测对象类型',
  '风险类型',
  '识别日期',
  '收入年度',
  '人均纯收入',
  '状态',
  '风险消除日期',
  '消除核实情况',
  '再识别日期',
];
const MEASURE_HEADER = [
  '户编号',
  '村代码',
  '措施类别',
  '措施内容',
  '开始日期',
  '结束日期',
  '金额',
  '贷款期限',
  '还款状态',
  '责任单位',
];

type Cells = ReadonlyArray<string | number | null>;
const csv = (header: readonly string[], rows: readonly Cells[]) =>
  `${header.join(',')}\n${rows.map((r) => r.map((c) => (c == null ? '' : String(c))).join(',')).join('\n')}\n`;

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(`imports of monitored households and measures (${backend.name})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let dir: string;
    const tokens: Record<string, string> = {};
    const { ok } = graphqlClient(() => server);
    /**
     * A household of the supervisor's region outside supervisor2's (`scope`), its village, and a
     * village of another county.
     */
    let village: string;
    let otherVillage: string;
    let scope: string;
    let household: { id: number; number: string; status: string };
    let n = 0;
    const file = (content: string) => {
      const path = join(dir, `${n++}.csv`);
      writeFileSync(path, content);
      return path;
    };
    const households = (rows: readonly Cells[]) => file(csv(HOUSEHOLD_HEADER, rows));
    const measures = (rows: readonly Cells[]) => file(csv(MEASURE_HEADER, rows));
    const run = (dataset: string, path: string, options: { dryRun?: boolean; regionScope?: string } = {}) =>
      importFile(database, { dataset, path, who: 'user:admin', ...options });
    const fingerprint = () => databaseFingerprint(database, PARTS);
    /** A new household row of `village`, monitoring, with its fields overridden by position name. */
    const newHousehold = (
      number: string,
      over: Partial<Record<string, string | number | null>> = {},
    ): Cells => {
      const row: Record<string, string | number | null> = {
        number,
        village,
        name: null,
        size: 4,
        labour: 2,
        type: '脱贫不稳定户',
        causes: '因病、务工不稳',
        identified: '2022-04-01',
        incomeYear: 2023,
        income: 5000,
        status: '监测中',
        removed: null,
        verification: null,
        reidentified: null,
        ...over,
      };
      return Object.values(row);
    };
    const historyOf = (id: number) =>
      database.rows<{ action: string; on_date: string; note: string | null }>(
        sql`SELECT action, on_date::text, note FROM household_history WHERE household_id = ${id} ORDER BY id`,
      );
    const byNumber = async (number: string) =>
      (
        await database.rows<{ id: number; status: string; version: number; holder_name: string | null }>(
          sql`SELECT id, status, version, holder_name FROM households WHERE number = ${number}`,
        )
      )[0];

    beforeAll(async () => {
      database = await openTestDatabase(backend.name);
      // This file imports real data, after which the demo password opens no login.
      await giveDemoUsersRealPasswords(database);
      server = await startTestServer(database);
      dir = mkdtempSync(join(tmpdir(), 'rrm-household-imports-'));
      for (const name of ['leader', 'analyst', 'admin', 'supervisor'])
        tokens[name] = await loginAs(server, name, REAL_PASSWORD);
      // `supervisor` works a prefecture; `supervisor2` a region outside `village` (another
      // province, or a county of the tiny data's one prefecture).
      const scopes = new Map(
        (
          await database.rows<{ username: string; scope: string }>(
            sql`SELECT username, region_scope AS scope FROM users WHERE username IN ('supervisor', 'supervisor2')`,
          )
        ).map((u) => [u.username, u.scope]),
      );
      scope = scopes.get('supervisor2')!;
      const [inside] = await database.rows<{
        id: number;
        number: string;
        status: string;
        village: string;
      }>(sql`
        SELECT id, number, status, village_code AS village FROM households
        WHERE county_code LIKE ${`${scopes.get('supervisor')}%`} AND county_code NOT LIKE ${`${scope}%`}
          AND status = 'monitoring' ORDER BY id LIMIT 1`);
      household = inside!;
      village = inside!.village;
      [{ code: otherVillage }] = (await database.rows<{ code: string }>(
        sql`SELECT code FROM villages WHERE left(code, 6) <> ${village.slice(0, 6)} ORDER BY code LIMIT 1`,
      )) as [{ code: string }];
    });
    afterAll(async () => {
      await server?.close();
      await database?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads the households export of a county back as it is: nothing new, nothing changed', async () => {
      const county = village.slice(0, 6);
      const filter = encodeURIComponent(JSON.stringify({ regionCode: county }));
      const answer = await fetch(`${server.url}/export/households.csv?filter=${filter}`, {
        headers: { authorization: `Bearer ${tokens.admin}` },
      });
      expect(answer.status).toBe(200);
      const text = await answer.text();
      const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
      const [stored] = await database.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM households WHERE county_code = ${county}`,
      );
      expect(rows.length).toBe(stored!.n);
      expect(rows.some((r) => r['状态'] === '风险已消除' && r['消除核实情况'])).toBe(true);
      const result = await run('households', file(text), { dryRun: true });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ result: 'checked', rows: stored!.n, newRows: 0, changedRows: 0 });
    });

    it('adds households with their history, moves them on, and rolls an import back exactly', async () => {
      const before = await fingerprint();
      const today = ledgerToday();
      const file1 = () =>
        households([
          newHousehold('T-0001'),
          newHousehold('T-0002', {
            status: '风险已消除',
            removed: '2023-11-20',
            verification: '入户核实，收入稳定超过监测标准',
          }),
        ]);
      const first = await run('households', file1());
      expect(first.errors).toEqual([]);
      expect(first).toMatchObject({ result: 'applied', newRows: 2, changedRows: 0 });
      const one = (await byNumber('T-0001'))!;
      const two = (await byNumber('T-0002'))!;
      expect(await historyOf(one.id)).toEqual([
        { action: 'identified', on_date: '2022-04-01', note: `import #${first.importId}` },
      ]);
      expect((await historyOf(two.id)).map((h) => `${h.action} ${h.on_date}`)).toEqual([
        'identified 2022-04-01',
        'risk_removed 2023-11-20',
      ]);
      // The API reads them as any household, causes as a set in the vocabulary's order.
      const read = await ok<{ household: { number: string; causes: string[]; type: string } }>(
        'query($id: Int!) { household(id: $id) { number causes type } }',
        { id: one.id },
        tokens.admin,
      );
      expect(read.household).toEqual({
        number: 'T-0001',
        causes: ['ILLNESS', 'UNSTABLE_WORK'],
        type: 'UNSTABLE',
      });
      // Rolled back: the households and their history go, and nothing else moved.
      expect(await rollbackImport(database, { dataset: 'households', who: 'test' })).toMatchObject({
        deletedRows: 2,
      });
      expect(await fingerprint()).toEqual(before);

      // Added again, then moved on by a second file: T-0001's risk removed, T-0002 re-identified.
      await run('households', file1());
      const added = { one: (await byNumber('T-0001'))!, two: (await byNumber('T-0002'))! };
      const movedFile = () =>
        households([
          newHousehold('T-0001', { status: '风险已消除', removed: '2024-01-15', verification: '收入稳定' }),
          // Re-identified: the removal stays beside the day the risk returned.
          newHousehold('T-0002', {
            removed: '2023-11-20',
            verification: '入户核实，收入稳定超过监测标准',
            reidentified: today,
          }),
        ]);
      const moved = await run('households', movedFile());
      expect(moved.errors).toEqual([]);
      expect(moved).toMatchObject({ newRows: 0, changedRows: 2 });
      expect(await byNumber('T-0001')).toMatchObject({ status: 'risk_removed', version: 2 });
      expect(await byNumber('T-0002')).toMatchObject({ status: 'monitoring', version: 2 });
      expect((await historyOf(added.one.id)).map((h) => `${h.action} ${h.on_date}`)).toEqual([
        'identified 2022-04-01',
        'risk_removed 2024-01-15',
      ]);
      expect((await historyOf(added.two.id)).map((h) => `${h.action} ${h.on_date}`)).toEqual([
        'identified 2022-04-01',
        'risk_removed 2023-11-20',
        `reidentified ${today}`,
      ]);
      // The same file again changes nothing, and a rollback passes over it to the moves.
      expect(await run('households', movedFile())).toMatchObject({ newRows: 0, changedRows: 0 });
      await rollbackImport(database, { dataset: 'households', who: 'test' });
      expect(await byNumber('T-0001')).toMatchObject({ status: 'monitoring', version: 3 });
      expect(await byNumber('T-0002')).toMatchObject({ status: 'risk_removed', version: 3 });
      expect((await historyOf(added.two.id)).map((h) => h.action)).toEqual(['identified', 'risk_removed']);
      // The households' adding is not undone over the later work on them.
      await expect(rollbackImport(database, { dataset: 'households', who: 'test' })).rejects.toThrow(
        /rows it added were changed since \(T-0001, T-0002\)/,
      );
    });

    it('refuses each broken household row by its column, and writes nothing', async () => {
      const before = await fingerprint();
      const cases: Array<[Cells, string, RegExp]> = [
        [newHousehold('=1+1'), '户编号', /公式/],
        [newHousehold('T 01'), '户编号', /数字、字母/],
        [newHousehold('T-1', { size: 0, labour: 0 }), '家庭人口', /1–30/],
        [newHousehold('T-2', { size: 31 }), '家庭人口', /1–30/],
        [newHousehold('T-3', { labour: 5 }), '劳动力', /大于家庭人口/],
        [newHousehold('T-4', { type: '低保户' }), '监测对象类型', /脱贫不稳定户/],
        [newHousehold('T-5', { causes: '因病、因赌' }), '风险类型', /因赌/],
        [newHousehold('T-16', { causes: '、、' }), '风险类型', /必填/],
        [newHousehold('T-17', { causes: '因病'.repeat(150) }), '风险类型', /过长/],
        [newHousehold('T-6', { identified: '2019-12-31' }), '识别日期', /2020-01-01/],
        [newHousehold('T-7', { identified: '2022-02-30' }), '识别日期', /有效日期/],
        [newHousehold('T-8', { income: null }), '人均纯收入', /同时填写/],
        [newHousehold('T-9', { status: '风险已消除' }), '风险消除日期', /须填写风险消除日期/],
        [newHousehold('T-10', { removed: '2023-01-01', verification: 'x' }), '再识别日期', /同时填写/],
        [
          newHousehold('T-14', { removed: '2023-01-01', verification: 'x', reidentified: '2022-12-01' }),
          '再识别日期',
          /早于风险消除日期/,
        ],
        [
          newHousehold('T-15', {
            status: '风险已消除',
            removed: '2023-01-01',
            verification: 'x',
            reidentified: '2023-06-01',
          }),
          '再识别日期',
          /不应晚于风险消除日期/,
        ],
        // T-0002's risk is removed (the test before): back to monitoring needs the day it returned.
        [newHousehold('T-0002'), '再识别日期', /须填写再识别日期/],
        [
          newHousehold('T-11', { status: '风险已消除', removed: '2021-01-01', verification: 'x' }),
          '风险消除日期',
          /识别日期/,
        ],
        [newHousehold('T-12', { village: '110101999999' }), '村代码', /不存在/],
        [newHousehold('T-13', { name: '张\u202e三' }), '户主姓名', /控制字符/],
        // An existing household cannot move village; the message names no village of it.
        [newHousehold(household.number, { village: otherVillage }), '村代码', /另一个村的户/],
      ];
      for (const [row, column, message] of cases) {
        const result = await run('households', households([row]));
        expect(result.result, `${column}: ${row.join(',')}`).toBe('rejected');
        expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
        expect(result.errors[0]).toMatchObject({ column });
        expect(result.errors[0]!.zh).toMatch(message);
        expect(result.errors[0]!.en.length).toBeGreaterThan(10);
      }
      const moved = await run(
        'households',
        households([newHousehold(household.number, { village: otherVillage })]),
      );
      // (The demo's numbers begin with their village's code, as the national system's do; the
      // message adds nothing to the number the importer gave.)
      expect(moved.errors[0]!.en).toBe(
        `household number ${household.number} belongs to a household of another village; an import cannot move a household`,
      );
      // Two rows of one number in one file.
      const twice = await run('households', households([newHousehold('T-20'), newHousehold('T-20')]));
      expect(twice.errors[0]).toMatchObject({ row: 3, column: '户编号' });
      expect(await fingerprint()).toEqual(before);
    });

    it('keeps a supervisor inside their region, and household data away from analysts', async () => {
      const before = await fingerprint();
      // `village` lies outside supervisor2's region.
      const outside = await run('households', households([newHousehold('T-30')]), { regionScope: scope });
      expect(outside.result).toBe('rejected');
      expect(outside.errors[0]!.en).toMatch(/outside your region/);
      const upload = (dataset: string, as: string, body: string) =>
        fetch(`${server.url}/api/data/imports/${dataset}?dryRun=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[as]}`, 'x-file-name': encodeURIComponent('h.csv') },
          body,
        });
      for (const dataset of ['households', 'household-measures']) {
        const refused = await upload(dataset, 'analyst', csv(HOUSEHOLD_HEADER, [newHousehold('T-31')]));
        expect(refused.status).toBe(403);
        expect(JSON.stringify(await refused.json())).toMatch(/admin, or a supervisor in their region/);
      }
      const allowed = await upload('households', 'supervisor', csv(HOUSEHOLD_HEADER, [newHousehold('T-32')]));
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toMatchObject({ result: 'checked', newRows: 1 });
      // A dry run shows stored household rows (its examples of changes): a read, in the audit log.
      const [read] = await database.rows<{ username: string; note: string }>(sql`
        SELECT username, note FROM audit_log WHERE action = 'households.read' ORDER BY id DESC LIMIT 1`);
      expect(read).toMatchObject({ username: 'supervisor' });
      expect(read!.note).toMatch(/^import dry run of households from h\.csv: 1 rows compared/);
      expect(await fingerprint()).toEqual(before);
    });

    it('masks holder names for leaders, analysts and exports, and keeps a name a file leaves empty', async () => {
      await run('households', households([newHousehold('T-40', { name: '欧阳娜娜' })]));
      const id = (await byNumber('T-40'))!.id;
      const nameAs = async (who: string) =>
        (
          await ok<{ household: { holderName: string | null } }>(
            'query($id: Int!) { household(id: $id) { holderName } }',
            { id },
            tokens[who],
          )
        ).household.holderName;
      expect(await nameAs('admin')).toBe('欧阳娜娜');
      expect(await nameAs('supervisor')).toBe('欧阳娜娜');
      expect(await nameAs('leader')).toBe('欧***');
      expect(await nameAs('analyst')).toBe('欧***');
      const filter = encodeURIComponent(JSON.stringify({ regionCode: village }));
      const exported = await (
        await fetch(`${server.url}/export/households.csv?filter=${filter}`, {
          headers: { authorization: `Bearer ${tokens.admin}` },
        })
      ).text();
      expect(exported).not.toContain('欧阳娜娜');
      expect(exported).toContain('欧***');
      // The export (masked names) imported back keeps the stored name.
      expect(await run('households', file(exported))).toMatchObject({ changedRows: 0 });
      expect((await byNumber('T-40'))!.holder_name).toBe('欧阳娜娜');
      // The export's import changed nothing: the rollback passes over it and removes T-40.
      await rollbackImport(database, { dataset: 'households', who: 'test' });
      expect(await byNumber('T-40')).toBeUndefined();
    });

    it('adds measures, refreshes the summary and the early warning, and rolls a change back', async () => {
      const summary = () =>
        database.rows<Record<string, unknown>>(
          sql`SELECT h.first_measure_on::text AS first, h.measures_until::text AS until, h.loan_balance_yuan::int AS balance,
              h.loan_overdue_yuan::int AS overdue, s.first_measure_on::text AS first_expected,
              s.measures_until::text AS until_expected, coalesce(s.loan_balance_yuan, 0)::int AS balance_expected,
              coalesce(s.loan_overdue_yuan, 0)::int AS overdue_expected
            FROM households h LEFT JOIN (${MEASURE_SUMMARY_SQL} GROUP BY m.household_id) s ON s.household_id = h.id
            WHERE h.id = ${household.id}`,
        );
      const [old] = await summary();
      /** The household's small loan of 2024-03-01, ended or not, in a given state. */
      const loan = (ended: string | null, state: string): Cells => [
        household.number,
        village,
        '小额信贷',
        '发展养殖',
        '2024-03-01',
        ended,
        50000,
        36,
        state,
        '县乡村振兴局',
      ];
      const result = await run(
        'household-measures',
        measures([
          loan(null, '逾期'),
          [household.number, village, '公益岗位', '护林员', '2024-05-01', null, 6000, null, null, null],
        ]),
      );
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ result: 'applied', newRows: 2 });
      const [after] = await summary();
      expect(after!.until).toBe('infinity');
      expect(after!.balance).toBe(after!.balance_expected);
      expect(after!.overdue).toBe(Number(old!.overdue) + 50000);
      expect(after!.first).toBe(after!.first_expected);
      const read = await ok<{
        household: {
          activeMeasure: boolean;
          earlyWarning: boolean;
          measures: { kind: string; loanState: string | null }[];
        };
      }>(
        'query($id: Int!) { household(id: $id) { activeMeasure earlyWarning measures { kind loanState } } }',
        { id: household.id },
        tokens.admin,
      );
      expect(read.household.activeMeasure).toBe(true);
      expect(read.household.earlyWarning).toBe(false);
      expect(read.household.measures).toContainEqual({ kind: 'SMALL_LOAN', loanState: 'OVERDUE' });
      // The loan repaid: one changed row, the summary follows.
      const repaid = await run('household-measures', measures([loan('2025-03-01', '已结清')]));
      expect(repaid).toMatchObject({ newRows: 0, changedRows: 1 });
      expect((await summary())[0]!.overdue).toBe(old!.overdue);
      // Rolled back: the loan is overdue again, and the summary follows.
      await rollbackImport(database, { dataset: 'household-measures', who: 'test' });
      expect((await summary())[0]!.overdue).toBe(Number(old!.overdue) + 50000);
      // The rows the first import added were changed since (by the import rolled back, which
      // raised their version): not deleted under that work.
      await expect(rollbackImport(database, { dataset: 'household-measures', who: 'test' })).rejects.toThrow(
        /changed since/,
      );
    });

    it('rolls an import of measures back to the measures and summary there were', async () => {
      const before = await fingerprint();
      const [old] = await database.rows<Record<string, unknown>>(
        sql`SELECT first_measure_on::text AS first, measures_until::text AS until, loan_balance_yuan::int AS balance
          FROM households WHERE id = ${household.id}`,
      );
      const result = await run(
        'household-measures',
        measures([
          [household.number, village, '健康帮扶', '大病保险倾斜', '2024-06-01', null, null, null, null, null],
        ]),
      );
      expect(result).toMatchObject({ result: 'applied', newRows: 1 });
      expect(await rollbackImport(database, { dataset: 'household-measures', who: 'test' })).toMatchObject({
        deletedRows: 1,
      });
      const [back] = await database.rows<Record<string, unknown>>(
        sql`SELECT first_measure_on::text AS first, measures_until::text AS until, loan_balance_yuan::int AS balance
          FROM households WHERE id = ${household.id}`,
      );
      expect(back).toEqual(old);
      expect(await fingerprint()).toEqual(before);
    });

    it('does not roll back measures the API has worked on since', async () => {
      const imported = await run(
        'household-measures',
        measures([
          [household.number, village, '教育帮扶', '雨露计划助学', '2024-09-01', null, 3000, null, null, null],
        ]),
      );
      expect(imported).toMatchObject({ result: 'applied', newRows: 1 });
      const { household: read } = await ok<{
        household: { version: number; measures: { id: number; kind: string; startedOn: string }[] };
      }>(
        'query($id: Int!) { household(id: $id) { version measures { id kind startedOn } } }',
        { id: household.id },
        tokens.admin,
      );
      const measure = read.measures.find((m) => m.kind === 'EDUCATION' && m.startedOn === '2024-09-01')!;
      await ok(
        'mutation($i: EndHouseholdMeasureInput!) { endHouseholdMeasure(input: $i) { id } }',
        { i: { measureId: measure.id, expectedVersion: read.version, endedOn: '2025-07-01' } },
        tokens.admin,
      );
      await expect(rollbackImport(database, { dataset: 'household-measures', who: 'test' })).rejects.toThrow(
        /rows it added were changed since/,
      );
      const [kept] = await database.rows<{ ended: string }>(
        sql`SELECT ended_on::text AS ended FROM household_measures WHERE id = ${measure.id}`,
      );
      expect(kept!.ended).toBe('2025-07-01');
    });

    it('refuses each broken measure row by its column, and a household of another village as no household', async () => {
      const before = await fingerprint();
      const row = (over: Partial<Record<number, string | number | null>>): Cells => {
        const base: Array<string | number | null> = [
          household.number,
          village,
          '产业帮扶',
          '奖补',
          '2024-03-01',
          null,
          2000,
          null,
          null,
          null,
        ];
        for (const [i, v] of Object.entries(over)) base[Number(i)] = v ?? null;
        return base;
      };
      const [foreign] = await database.rows<{ number: string; village: string }>(
        sql`SELECT number, village_code AS village FROM households WHERE county_code NOT LIKE ${`${scope}%`} ORDER BY id LIMIT 1`,
      );
      const cases: Array<[Cells, string, RegExp, string?]> = [
        [row({ 0: 'NOPE-1' }), '户编号', /没有户编号为 NOPE-1/],
        [row({ 1: otherVillage }), '户编号', new RegExp(`村 ${otherVillage} 没有户编号`)],
        [row({ 2: '扶贫' }), '措施类别', /产业帮扶/],
        [row({ 4: '2099-01-01' }), '开始日期', /晚于今天/],
        [row({ 5: '2024-01-01' }), '结束日期', /早于开始日期/],
        [row({ 2: '小额信贷' }), '贷款期限', /小额信贷须填写/],
        [row({ 7: 12 }), '贷款期限', /只有小额信贷/],
        [row({ 2: '小额信贷', 6: null, 7: 12, 8: '正常还款' }), '金额', /小额信贷须填写金额/],
        [row({ 2: '小额信贷', 7: 121, 8: '正常还款' }), '贷款期限', /1–120/],
        [row({ 3: '' }), '措施内容', /必填/],
        // A supervisor naming another region's household by its own village: outside the region.
        [
          [foreign!.number, foreign!.village, '产业帮扶', '奖补', '2024-03-01', null, null, null, null, null],
          '',
          /管辖范围/,
          scope,
        ],
      ];
      for (const [cells, column, message, regionScope] of cases) {
        const result = await run('household-measures', measures([cells]), regionScope ? { regionScope } : {});
        expect(result.result, cells.join(',')).toBe('rejected');
        expect(result.errors[0]!.column ?? '').toBe(column);
        expect(result.errors[0]!.zh).toMatch(message);
      }
      const twice = await run('household-measures', measures([row({}), row({})]));
      expect(twice.errors[0]).toMatchObject({ row: 3 });
      expect(await fingerprint()).toEqual(before);
    });
  });
}
