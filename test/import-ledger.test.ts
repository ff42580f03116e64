// Long on purpose: a specification, one case per ledger import rule, each on both backends.
// Imports of the 挂牌督战 ledger (issue #12, datasets `problems` and `listings`), on both backends:
// the ledger export imports as it is and changes nothing; an edited export updates the problems it
// names and adds the rows without a number, with history and new versions; the workflow's rules
// and a supervisor's region hold on import; rollback restores the ledger as it was. Listings are
// keyed by their place (a county's has no village code) and only move forward.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ImportResult,
  importFile,
  ledgerToday,
  rollbackImport,
  runReminders,
  writeTemplate,
} from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint } from './support/fingerprint.ts';
import {
  giveDemoUsersRealPasswords,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

type LedgerRow = Record<string, string>;

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(`imports of the problem ledger (${backend.name})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let token: string;
    let dir: string;
    /** The county with the most open problems, and its ledger as the export writes it. */
    let county: string;
    let exported: { text: string; rows: LedgerRow[] };
    let n = 0;
    const file = (name: string, content: string) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    };
    const run = (path: string, options: { dryRun?: boolean; regionScope?: string; who?: string } = {}) =>
      importFile(database, { dataset: 'problems', path, who: 'user:test', ...options });
    const csv = (rows: LedgerRow[]) =>
      `\uFEFF${stringify(rows, { header: true, columns: Object.keys(exported.rows[0]!) })}`;
    const problem = async (id: number) => {
      const [row] = await database.rows<Record<string, unknown>>(
        sql`SELECT id, status, deadline::text AS deadline, department, version, closed_on::text AS closed_on
          FROM supervision_problems WHERE id = ${id}`,
      );
      return row;
    };
    const ledgerFingerprint = () =>
      databaseFingerprint(database, ['problems', 'problem_history', 'data_version']);
    const messages = (r: ImportResult) => r.errors.map((e) => `${e.row} ${e.column}: ${e.zh} / ${e.en}`);

    beforeAll(async () => {
      database = await openTestDatabase(backend.name);
      // This file imports real data, after which the demo password opens no login.
      await giveDemoUsersRealPasswords(database);
      server = await startTestServer(database);
      token = await loginAs(server, 'admin', REAL_PASSWORD);
      dir = mkdtempSync(join(tmpdir(), 'rrm-import-problems-'));
      const [c] = await database.rows<{
        code: string;
      }>(sql`SELECT county_code AS code FROM supervision_problems
        WHERE status = 'open' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
      county = c!.code;
      const response = await fetch(
        `${server.url}/export/problems.csv?filter=${encodeURIComponent(JSON.stringify({ regionCode: county }))}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      const text = await response.text();
      exported = { text, rows: parse(text.replace(/^\uFEFF/, ''), { columns: true }) };
      expect(exported.rows.length).toBeGreaterThan(2);
    });

    afterAll(async () => {
      await server?.close();
      await database?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports the ledger export as it is and changes nothing', async () => {
      const before = await ledgerFingerprint();
      const dry = await run(file('ledger.csv', exported.text), { dryRun: true });
      expect(messages(dry)).toEqual([]);
      expect(dry).toMatchObject({ rows: exported.rows.length, newRows: 0, changedRows: 0 });
      const applied = await run(file('ledger.csv', exported.text));
      expect(applied).toMatchObject({ result: 'applied', newRows: 0, changedRows: 0 });
      // No problem and no history changes; only the dataset's record of the ledger part now names
      // this file, so the data version moves by one (no kept answer may still name the old source).
      const after = await ledgerFingerprint();
      expect({ ...after, data_version: undefined }).toEqual({ ...before, data_version: undefined });
      expect(Number(after.data_version)).toBe(Number(before.data_version) + 1);
      // The same file again changes nothing at all.
      await run(file('ledger.csv', exported.text));
      expect(await ledgerFingerprint()).toEqual(after);
      // The XLSX export too.
      const response = await fetch(
        `${server.url}/export/problems.xlsx?filter=${encodeURIComponent(JSON.stringify({ regionCode: county }))}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const xlsx = join(dir, 'ledger.xlsx');
      writeFileSync(xlsx, Buffer.from(await response.arrayBuffer()));
      const fromXlsx = await run(xlsx, { dryRun: true });
      expect(messages(fromXlsx)).toEqual([]);
      expect(JSON.stringify(fromXlsx.examples)).toBe('[]');
      expect(fromXlsx).toMatchObject({ rows: exported.rows.length, newRows: 0, changedRows: 0 });
    });

    it('updates the problems an edited export names, adds rows without a number, and writes their history', async () => {
      const open = exported.rows.find((r) => r['整改状态'] === '待整改')!;
      const id = Number(open['问题编号']);
      const stored = (await problem(id))!;
      const edited = exported.rows.map((r) =>
        r === open ? { ...r, 整改状态: '整改中', 整改时限: '2031-12-31', 责任单位: '住建局' } : r,
      );
      const added: LedgerRow = {
        ...open,
        序号: '',
        问题编号: '',
        问题类别: '饮水安全',
        问题描述: '=HYPERLINK("x") 3 户饮水不达标',
        整改状态: '待整改',
      };
      const path = file('edited.csv', csv([...edited, added]));
      const before = await ledgerFingerprint();
      const dry = await run(path, { dryRun: true });
      expect(messages(dry)).toEqual([]);
      expect(dry).toMatchObject({ newRows: 1, changedRows: 1, unchangedRows: exported.rows.length - 1 });
      expect(dry.examples).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            key: String(id),
            column: '整改状态 (status)',
            old: 'open',
            new: 'in_progress',
          }),
          expect.objectContaining({ key: String(id), column: '整改时限 (deadline)', new: '2031-12-31' }),
        ]),
      );
      expect(await ledgerFingerprint()).toEqual(before);

      const applied = await run(path);
      expect(applied).toMatchObject({ result: 'applied', newRows: 1, changedRows: 1 });
      expect(await problem(id)).toMatchObject({
        status: 'in_progress',
        deadline: '2031-12-31',
        department: '住建局',
        version: Number(stored.version) + 1,
      });
      const history = await database.rows<Record<string, unknown>>(
        sql`SELECT action, from_status, to_status, changed_by, changes FROM supervision_problem_history
          WHERE problem_id = ${id} ORDER BY id DESC LIMIT 1`,
      );
      const changes =
        typeof history[0]!.changes === 'string' ? JSON.parse(history[0]!.changes) : history[0]!.changes;
      expect(history[0]).toMatchObject({
        action: 'imported',
        from_status: 'open',
        to_status: 'in_progress',
        changed_by: 'user:test',
      });
      expect(changes).toMatchObject({
        import: String(applied.importId),
        deadline: { to: '2031-12-31' },
        department: { to: '住建局' },
      });
      // The new problem: its description as written before the export's formula guard.
      const [created] = await database.rows<Record<string, unknown>>(
        sql`SELECT id, category, description, status, county_code FROM supervision_problems
          WHERE description LIKE '%3 户饮水不达标'`,
      );
      expect(created).toMatchObject({
        category: 'drinking_water',
        description: '=HYPERLINK("x") 3 户饮水不达标',
        status: 'open',
        county_code: county,
      });
      // The API sees both at once (the data version moved).
      const api = await server.graphql<{ problems: { nodes: Array<Record<string, unknown>> } }>(
        `{ problems(filter: { regionCode: "${county}" }, first: 1000) { nodes { id status department } } }`,
        {},
        { token },
      );
      expect(api.errors).toBeUndefined();
      expect(api.data!.problems.nodes.find((p) => Number(p.id) === id)).toEqual({
        id: String(id),
        status: 'IN_PROGRESS',
        department: '住建局',
      });

      // The same file again changes nothing.
      const again = await run(file('edited-again.csv', csv([...edited])));
      expect(again).toMatchObject({ newRows: 0, changedRows: 0 });

      // Work done on the problem since (a ledger edit) is not rolled over.
      await database.rows(sql`UPDATE supervision_problems SET version = version + 1 WHERE id = ${id}`);
      await expect(rollbackImport(database, { dataset: 'problems', who: 'test' })).rejects.toThrow(
        `cannot roll back import ${applied.importId} of problems: rows it changed were changed again since (${id})`,
      );
      await database.rows(sql`UPDATE supervision_problems SET version = version - 1 WHERE id = ${id}`);
      // Nor is work done since on a problem it added (a supervisor moved it on): the rollback says
      // so, rather than failing on the history that work wrote.
      const [addedRow] = await database.rows<{ id: number }>(
        sql`SELECT max(id) AS id FROM supervision_problems WHERE description LIKE '%3 户饮水不达标'`,
      );
      const bump = (by: number) =>
        database.rows(
          sql`UPDATE supervision_problems SET version = version + ${by} WHERE id = ${addedRow!.id}`,
        );
      await bump(1);
      await expect(rollbackImport(database, { dataset: 'problems', who: 'test' })).rejects.toThrow(
        `cannot roll back import ${applied.importId} of problems: rows it added were changed since (${addedRow!.id})`,
      );
      await bump(-1);
      // The daily reminders recorded for the problems it added do not hold the rollback up (one is
      // recorded for a day it was overdue, whatever its deadline is today).
      const [{ deadline }] = (await database.rows<{ deadline: string }>(
        sql`SELECT deadline::text AS deadline FROM supervision_problems WHERE id = ${addedRow!.id}`,
      )) as [{ deadline: string }];
      const overdueDay = new Date(Date.parse(`${deadline}T00:00:00Z`) + 86_400_000)
        .toISOString()
        .slice(0, 10);
      if (overdueDay <= ledgerToday())
        await runReminders(database, {
          day: overdueDay,
          channels: [],
          who: { userId: null, username: 'system:test' },
        });
      else
        await database.rows(sql`INSERT INTO problem_reminders (problem_id, day, days_overdue, level, county_code, department)
          SELECT id, ${ledgerToday()}::date, 1, 0, county_code, department FROM supervision_problems WHERE id = ${addedRow!.id}`);
      const reminded = await database.rows(
        sql`SELECT 1 FROM problem_reminders WHERE problem_id = ${addedRow!.id}`,
      );
      expect(reminded.length).toBe(1);
      // The rollback skips the no-op import and undoes the edit: the ledger as it was.
      const undone = await rollbackImport(database, { dataset: 'problems', who: 'test' });
      expect(undone).toMatchObject({ importId: applied.importId, restoredRows: 1, deletedRows: 1 });
      expect(await problem(id)).toMatchObject({
        status: 'open',
        deadline: stored.deadline,
        department: stored.department,
      });
      expect(Number((await problem(id))!.version)).toBeGreaterThan(Number(stored.version) + 1);
      const [last] = await database.rows<Record<string, unknown>>(
        sql`SELECT action, from_status, to_status FROM supervision_problem_history WHERE problem_id = ${id} ORDER BY id DESC LIMIT 1`,
      );
      expect(last).toEqual({ action: 'import rolled back', from_status: 'in_progress', to_status: 'open' });
      const gone = await database.rows(
        sql`SELECT id FROM supervision_problems WHERE description LIKE '%3 户饮水不达标'`,
      );
      expect(gone).toEqual([]);
    });

    it('refuses, row by row and in both languages, what the ledger workflow forbids', async () => {
      const open = exported.rows.find((r) => r['整改状态'] === '待整改')!;
      const id = open['问题编号']!;
      const second = exported.rows.find((r) => r !== open)!;
      const [other] = await database.rows<{ code: string }>(
        sql`SELECT code FROM regions WHERE level = 'county' AND code <> ${county} ORDER BY code LIMIT 1`,
      );
      // The earlier test moved `open` on (import, rollback): rows that change it carry its version now.
      const version = String((await problem(Number(id)))!.version);
      const rows: LedgerRow[] = [
        { ...open, 版本: version, 整改状态: '已销号', 销号日期: ledgerToday() }, // row 2: skips two steps
        { ...open, 问题编号: '99999999' }, // 3: no such problem
        { ...second, 县代码: other!.code, 村代码: '' }, // 4: moves county
        { ...open, 问题编号: '', 整改状态: '已销号', 销号日期: '' }, // 5: closed without date
        { ...open, 问题编号: '', 发现日期: '2021-02-30' }, // 6: no such date
        { ...open, 问题编号: '', 问题类别: '天气' }, // 7: unknown category
        { ...open, 问题编号: '', 村代码: `${other!.code}001001` }, // 8: village outside the county
        { ...open, 问题编号: '', 整改时限: '2000-01-01' }, // 9: deadline before found
        { ...open, 问题编号: '', 问题描述: 'x'.repeat(2001) }, // 10: too long
        { ...open, 问题编号: exported.rows[2]!['问题编号']!, 版本: '0', 责任单位: '别的局' }, // 11: stale
      ];
      const before = await ledgerFingerprint();
      const r = await run(file('bad.csv', csv(rows)));
      expect(r.result).toBe('rejected');
      expect(r.invalidRows).toBe(rows.length);
      const text = messages(r).join('\n');
      expect(text).toContain(
        `2 整改状态: 问题 ${id} 不能从“待整改”直接改为“已销号” / problem ${id} cannot go from open to closed in one step`,
      );
      expect(text).toContain('3 问题编号: 问题编号 99999999 不存在');
      expect(text).toContain(
        `4 县代码: 问题 ${second['问题编号']} 属于县 ${county}，不能改为 ${other!.code}`,
      );
      expect(text).toContain(
        '5 销号日期: 已销号的问题须填写销号日期 / a closed problem needs the date it was closed',
      );
      expect(text).toContain('6 发现日期: 发现日期不是有效日期（应为 YYYY-MM-DD）：“2021-02-30”');
      expect(text).toContain('7 问题类别: 问题类别应为 收入、就业、义务教育');
      expect(text).toContain(`8 村代码: 村代码 ${other!.code}001001 不在县 ${county} 内`);
      expect(text).toContain('9 整改时限: 整改时限 2000-01-01 早于发现日期');
      expect(text).toContain('10 问题描述: 问题描述过长：2001 个字符，最多 2000 个');
      expect(text).toContain(
        `11 版本: 问题 ${exported.rows[2]!['问题编号']} 在导出后已被修改（版本 0 → ${exported.rows[2]!['版本']}），请重新导出后再改`,
      );
      expect(await ledgerFingerprint()).toEqual(before);
      // The department's sign-off is its own act, made in the ledger page, never by a file.
      const signing = await run(file('sign.csv', csv([{ ...open, 版本: version, 整改状态: '已签收' }])));
      expect(signing.result).toBe('rejected');
      expect(messages(signing).join('\n')).toContain(`2 整改状态: 问题 ${id} 改为“已签收”须在台账页面办理`);
      expect(await ledgerFingerprint()).toEqual(before);
    });

    it('keeps a supervisor inside their region, and reopening needs the ledger page', async () => {
      // A supervisor lists a place of their region (as createListing does on the ledger page).
      const [unlisted] = await database.rows<{ code: string }>(
        sql`SELECT v.code FROM villages v WHERE v.county_code = ${county}
          AND NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code) LIMIT 1`,
      );
      const listing = await importFile(database, {
        dataset: 'listings',
        path: file(
          'new-listing.csv',
          `县代码,村代码,挂牌日期,督战单位,督战状态\n${county},${unlisted!.code},2020-03-10,队,督战中\n`,
        ),
        who: 'user:supervisor',
        regionScope: county.slice(0, 4),
        dryRun: true,
      });
      expect(messages(listing)).toEqual([]);
      expect(listing).toMatchObject({ newRows: 1 });
      const rows = exported.rows.slice(0, 2);
      const outside = county.startsWith('11') ? '12' : '11';
      const r = await run(file('scoped.csv', csv(rows)), { regionScope: outside });
      expect(r.result).toBe('rejected');
      expect(messages(r)[0]).toContain(`不在您的管辖范围（${outside}）内：${county}`);
      const inside = await run(file('scoped.csv', csv(rows)), { regionScope: county.slice(0, 4) });
      expect(messages(inside)).toEqual([]);
      // Datasets that do not say where a row lies cannot be imported for one region.
      await expect(
        importFile(database, {
          dataset: 'villages',
          path: file('v.csv', 'x'),
          who: 'test',
          regionScope: county,
        }),
      ).rejects.toThrow('villages cannot be imported for one region only');
      const [closed] = await database.rows<{ id: number }>(
        sql`SELECT id FROM supervision_problems WHERE county_code = ${county} AND status = 'closed' LIMIT 1`,
      );
      if (closed) {
        const row = exported.rows.find((e) => Number(e['问题编号']) === Number(closed.id));
        if (row) {
          const reopen = await run(file('reopen.csv', csv([{ ...row, 整改状态: '待整改', 销号日期: '' }])));
          expect(messages(reopen)[0]).toContain('须说明理由，请在台账页面操作');
        }
      }
    });

    it('imports listings keyed by their place, forward only, closing only when the ledger is closed', async () => {
      const [listed] = await database.rows<{ county: string; village: string | null; open: number }>(
        sql`SELECT l.county_code AS county, l.village_code AS village,
            (SELECT count(*) FROM supervision_problems p WHERE p.listing_id = l.id AND p.status <> 'closed')::int AS open
          FROM supervision_listings l WHERE l.unit_type = 'county' AND l.status = 'lifted' ORDER BY 3 DESC LIMIT 1`,
      );
      const [unlisted] = await database.rows<{ code: string; county: string }>(
        sql`SELECT v.code, v.county_code AS county FROM villages v
          WHERE NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code) ORDER BY v.code LIMIT 1`,
      );
      const header = '县代码,村代码,挂牌日期,督战单位,督战状态,摘帽/出列日期,销号日期';
      const today = ledgerToday();
      // Row 2: the county listing again as it is (its unit changed); 3: a new village listing.
      const [current] = await database.rows<Record<string, string>>(
        sql`SELECT listed_on::text AS listed, lifted_on::text AS lifted FROM supervision_listings
          WHERE county_code = ${listed!.county} AND village_code IS NULL`,
      );
      const good = [
        header,
        `${listed!.county},,${current!.listed},新督战组,已摘帽,${current!.lifted},`,
        `${unlisted!.county},${unlisted!.code},2020-03-10,驻村督战工作队,督战中,,`,
      ].join('\n');
      const dry = await importFile(database, {
        dataset: 'listings',
        path: file('listings.csv', good),
        who: 'user:test',
        dryRun: true,
      });
      expect(messages(dry)).toEqual([]);
      expect(dry).toMatchObject({ newRows: 1, changedRows: 1 });
      const applied = await importFile(database, {
        dataset: 'listings',
        path: file('listings.csv', good),
        who: 'user:test',
      });
      expect(applied).toMatchObject({ result: 'applied', newRows: 1, changedRows: 1 });
      // The listing it added has its history, as the ledger page writes it: listed on its date
      // (midnight in China) by the importer, noting the import (its rollback removes it).
      const history = await database.rows<Record<string, unknown>>(sql`
        SELECT h.action, h.changed_by, h.note, to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at
        FROM supervision_listing_history h JOIN supervision_listings l ON l.id = h.listing_id
        WHERE l.village_code = ${unlisted!.code}`);
      expect(history).toEqual([
        {
          action: 'listed',
          changed_by: 'user:test',
          note: `import #${applied.importId}`,
          at: '2020-03-09T16:00',
        },
      ]);
      const api = await server.graphql<{
        listings: { nodes: Array<{ villageCode: string | null; status: string; supervisingUnit: string }> };
      }>(
        `{ listings(filter: { regionCode: "${unlisted!.county}" }) { nodes { villageCode status supervisingUnit } } }`,
        {},
        { token },
      );
      expect(api.errors).toBeUndefined();
      expect(api.data!.listings.nodes).toContainEqual({
        villageCode: unlisted!.code,
        status: 'SUPERVISING',
        supervisingUnit: '驻村督战工作队',
      });
      const again = await importFile(database, {
        dataset: 'listings',
        path: file('listings.csv', good),
        who: 'user:test',
      });
      expect(again).toMatchObject({ newRows: 0, changedRows: 0 });

      const bad = [
        header,
        `${listed!.county},,${current!.listed},组,督战中,,`, // 2: backwards
        `${listed!.county},,${current!.listed},组,已销号,${current!.lifted},${today}`, // 3: open problems (and a duplicate of 2)
        `${unlisted!.county},110101001001,2020-03-10,队,督战中,,`, // 4: village outside the county
        `${unlisted!.county},,2020-03-10,队,已摘帽,,`, // 5: lifted without a date
      ].join('\n');
      const refused = await importFile(database, {
        dataset: 'listings',
        path: file('bad-listings.csv', bad),
        who: 'user:test',
      });
      const text = messages(refused).join('\n');
      expect(text).toContain(`2 督战状态: ${listed!.county} 的挂牌不能从“已摘帽/已出列”改为“督战中”`);
      expect(text).toContain(`3 县代码: 与第 2 行重复（${listed!.county}）`);
      expect(text).toContain(`4 村代码: 村代码 110101001001 不在县 ${unlisted!.county} 内`);
      expect(text).toContain('5 摘帽/出列日期: 已摘帽/已出列的须填写摘帽/出列日期');
      if (listed!.open > 0) {
        const closing = await importFile(database, {
          dataset: 'listings',
          path: file(
            'close.csv',
            `${header}\n${listed!.county},,${current!.listed},新督战组,已销号,${current!.lifted},${today}`,
          ),
          who: 'user:test',
        });
        expect(messages(closing)[0]).toContain(`还有 ${listed!.open} 个问题未销号，不能销号`);
      }

      const undone = await rollbackImport(database, { dataset: 'listings', who: 'test' });
      expect(undone).toMatchObject({ restoredRows: 1, deletedRows: 1 });
      const left = await database.rows(
        sql`SELECT 1 FROM supervision_listings WHERE village_code = ${unlisted!.code}`,
      );
      expect(left).toEqual([]);
    });

    it('writes a template that imports as it is', async () => {
      for (const dataset of ['problems', 'listings']) {
        const path = join(dir, `${dataset}-template.csv`);
        await writeTemplate(dataset, 'csv', path);
        const r = await importFile(database, { dataset, path, who: 'test', dryRun: true });
        expect(messages(r)).toEqual([]);
        expect(r.rows).toBe(0);
      }
    });
    it('creates a problem only at the start of the workflow, and closes one only along it, for a supervisor too', async () => {
      const scope = county.slice(0, 4);
      const today = ledgerToday();
      const open = exported.rows.find((r) => r['整改状态'] === '待整改')!;
      const id = Number(open['问题编号']);
      const fresh: LedgerRow = { ...open, 问题编号: '', 版本: '', 问题描述: '新发现：2 户危房未改造' };
      const before = await ledgerFingerprint();
      const created = await run(
        file(
          'new-closed.csv',
          csv([
            { ...fresh, 整改状态: '已销号', 销号日期: today }, // row 2: born closed
            { ...fresh, 整改状态: '已整改' }, // 3: born rectified
            { ...fresh }, // 4: open, as a new problem must be
          ]),
        ),
        { regionScope: scope },
      );
      expect(created.result).toBe('rejected');
      expect(messages(created)).toEqual([
        '2 整改状态: 新问题的整改状态须为“待整改”，不能直接导入为“已销号”：请先导入问题，再按流程整改、销号 / a new problem starts as open, not closed: import it, then move it along the workflow',
        '3 整改状态: 新问题的整改状态须为“待整改”，不能直接导入为“已整改”：请先导入问题，再按流程整改、销号 / a new problem starts as open, not rectified: import it, then move it along the workflow',
      ]);
      expect(created.invalidRows).toBe(2);
      expect(await ledgerFingerprint()).toEqual(before);

      // Closing an open problem skips the workflow's steps; rectified first, then closed, follows it.
      const version = () => problem(id).then((p) => String(p!.version));
      const close = { ...open, 整改状态: '已销号', 销号日期: today };
      const skipped = await run(file('close-open.csv', csv([{ ...close, 版本: await version() }])), {
        regionScope: scope,
      });
      expect(messages(skipped)).toEqual([
        `2 整改状态: 问题 ${id} 不能从“待整改”直接改为“已销号” / problem ${id} cannot go from open to closed in one step`,
      ]);
      const rectified = await run(
        file('rectify.csv', csv([{ ...open, 整改状态: '已整改', 版本: await version() }])),
        { regionScope: scope },
      );
      expect(rectified).toMatchObject({ result: 'applied', changedRows: 1, errorCount: 0 });
      // Whoever marked it rectified may not close it: someone else verifies (the same rule as the page's).
      const own = await run(file('close.csv', csv([{ ...close, 版本: await version() }])), {
        regionScope: scope,
      });
      expect(messages(own)).toEqual([
        `2 整改状态: 问题 ${id} 由您标记为已整改，须由其他人员验收销号 / you marked problem ${id} rectified; someone else verifies and closes it`,
      ]);
      const closed = await run(file('close.csv', csv([{ ...close, 版本: await version() }])), {
        regionScope: scope,
        who: 'user:verifier',
      });
      expect(closed).toMatchObject({ result: 'applied', changedRows: 1, errorCount: 0 });
      expect(await problem(id)).toMatchObject({ status: 'closed', closed_on: today });
      const history = await database.rows<Record<string, unknown>>(
        sql`SELECT action, from_status, to_status FROM supervision_problem_history
          WHERE problem_id = ${id} ORDER BY id DESC LIMIT 2`,
      );
      expect(history).toEqual([
        { action: 'imported', from_status: 'rectified', to_status: 'closed' },
        { action: 'imported', from_status: 'open', to_status: 'rectified' },
      ]);
    });

    it('keeps text with tabs, line breaks, backslashes, "\\N" and "\\." exactly as written (COPY escapes each)', async () => {
      // The staged rows travel as COPY text on both backends (db/src/copy.ts): each of these would
      // end a line, split a column, mean NULL or end the data if it were not escaped.
      const description = 'line one\tcol\r\nline two\n\\.\n\\N\nC:\\path\\new 5 户';
      const open = exported.rows.find((r) => r.整改状态 === '待整改')!;
      const added: LedgerRow = { ...open, 序号: '', 问题编号: '', 版本: '', 问题描述: description };
      const applied = await run(file('escapes.csv', csv([added])));
      expect(messages(applied)).toEqual([]);
      expect(applied).toMatchObject({ result: 'applied', newRows: 1 });
      const stored = await database.rows<{ description: string }>(
        sql`SELECT description FROM supervision_problems WHERE description LIKE 'line one%'`,
      );
      // Line ends are read as LF (read.ts, as Excel and CSV tools differ); all else as written.
      expect(stored).toEqual([{ description: description.replace('\r\n', '\n') }]);
      await rollbackImport(database, { dataset: 'problems', who: 'test' });
      expect(
        await database.rows(sql`SELECT id FROM supervision_problems WHERE description LIKE 'line one%'`),
      ).toEqual([]);
    });
  });
}
