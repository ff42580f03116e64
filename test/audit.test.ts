// The audit log (#16), on both backends: every kind of write appends one entry — who, when, what,
// from → to, the client's address — in the same transaction as the write (a refused write leaves
// none); failed logins are logged as typed; passwords never appear; only admins read it, with
// filters and pages that refuse bad arguments by name; and the database itself refuses to change
// or delete an entry.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import {
  errorCode,
  giveDemoUsersRealPasswords,
  graphqlClient,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

interface Entry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  regionCode: string | null;
  changes: { field: string; from: string | null; to: string | null }[];
  note: string | null;
  clientAddress: string | null;
}

const ENTRY =
  'id at userId username action targetKind targetId regionCode changes { field from to } note clientAddress';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `the audit log on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      const { gql, ok } = graphqlClient(() => server);
      /** The county of a supervisor's listing, where the writes below happen. */
      let county: string;
      let listingId: number;
      let villageCode: string;

      /** The admin's page of the log with a filter. */
      const audit = async (filter: Record<string, unknown>, first = 100) =>
        (
          await ok<{ auditLog: { entries: Entry[]; nextBefore: number | null } }>(
            `query($f: AuditFilter, $n: Int) { auditLog(filter: $f, first: $n) { entries { ${ENTRY} } nextBefore } }`,
            { f: filter, n: first },
            tokens.admin,
          )
        ).auditLog;
      const count = async () =>
        Number((await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n);
      const changesOf = (e: Entry) => Object.fromEntries(e.changes.map((c) => [c.field, [c.from, c.to]]));

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        // This file imports real data, after which the demo password opens no login.
        await giveDemoUsersRealPasswords(database);
        server = await startTestServer(database);
        for (const name of ['supervisor', 'admin', 'leader', 'analyst', 'department'])
          tokens[name] = await loginAs(server, name, REAL_PASSWORD);
        const [listing] = await database.rows<{ id: number; county: string; village: string }>(sql`
          SELECT l.id, l.county_code AS county, l.village_code AS village FROM supervision_listings l JOIN users u ON u.username = 'supervisor'
          WHERE l.village_code IS NOT NULL AND starts_with(l.county_code, u.region_scope)
          ORDER BY l.id LIMIT 1`);
        expect(listing, 'the supervisor has a listing in scope').toBeDefined();
        ({ id: listingId, county, village: villageCode } = listing!);
      });

      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('logs logins, successful and failed, with the name as typed and the client address', async () => {
        const [admin] = (await audit({ username: 'admin', actions: ['LOGIN_SUCCEEDED'] }, 1)).entries;
        expect(admin).toMatchObject({ action: 'LOGIN_SUCCEEDED', targetKind: 'USER', username: 'admin' });
        expect(admin!.clientAddress).toMatch(/127\.0\.0\.1|::1/);
        const login = (username: string, password: string) =>
          gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
            u: username,
            p: password,
          });
        expect(errorCode(await login('nobody-here', 'whatever-password'))).toBe('UNAUTHENTICATED');
        expect(errorCode(await login('supervisor', 'a-wrong-password'))).toBe('UNAUTHENTICATED');
        const failed = (await audit({ actions: ['LOGIN_FAILED'] }, 2)).entries;
        // A name that is no user's is not kept as typed (it may be a password typed in the wrong box).
        expect(
          failed.map((e) => [e.username, e.userId === null, e.note?.replace(/[0-9a-f]{12}…/, 'HASH')]),
        ).toEqual([
          ['supervisor', false, 'wrong password'],
          [null, true, 'no such user (name sha256 HASH)'],
        ]);
        expect(JSON.stringify(failed)).not.toContain('nobody-here');
        // The password typed is not in the log, right or wrong.
        const [{ text }] = (await database.rows<{ text: string }>(
          sql`SELECT coalesce(string_agg(audit_log::text, ' '), '') AS text FROM audit_log`,
        )) as [{ text: string }];
        expect(text).not.toContain('a-wrong-password');
        expect(text).not.toContain('whatever-password');
      });

      it('logs the ledger’s writes with each field from → to and the county, and nothing for a refused one', async () => {
        const reported = await ok<{ reportProblem: { id: string; version: number } }>(
          `mutation($l: Int!, $c: String!, $v: String) { reportProblem(input: { countyCode: $c, villageCode: $v, listingId: $l,
             category: HOUSING_SAFETY, department: "住建局", description: "审计日志测试", foundOn: "2026-01-05",
             deadline: "2026-06-30" }) { id version } }`,
          { l: listingId, c: county, v: villageCode },
          tokens.supervisor,
        );
        const problemId = reported.reportProblem.id;
        await ok(
          'mutation($id: Int!, $v: Int!) { setDeadline(id: $id, expectedVersion: $v, deadline: "2026-09-30", note: "延期") { id } }',
          { id: Number(problemId), v: reported.reportProblem.version },
          tokens.supervisor,
        );
        const before = await count();
        // A move the workflow refuses (open → closed) writes nothing, not even an audit entry.
        const refused = await gql(
          'mutation($id: Int!) { updateProblemStatus(id: $id, expectedVersion: 2, status: CLOSED) { id } }',
          { id: Number(problemId) },
          tokens.supervisor,
        );
        expect(errorCode(refused)).toBe('INVALID_TRANSITION');
        expect(await count()).toBe(before);
        const entries = (await audit({ targetKind: 'PROBLEM', targetId: problemId })).entries;
        expect(entries.map((e) => e.action)).toEqual(['PROBLEM_DEADLINE', 'PROBLEM_REPORTED']);
        for (const e of entries) expect(e).toMatchObject({ username: 'supervisor', regionCode: county });
        expect(changesOf(entries[0]!)).toEqual({ deadline: ['2026-06-30', '2026-09-30'] });
        expect(entries[0]!.note).toBe('延期');
        expect(changesOf(entries[1]!)).toEqual({ status: [null, 'open'] });
      });

      it('logs listings, inspections, departments and users; never a password', async () => {
        const inspected = await ok<{ recordInspection: { id: string } }>(
          `mutation($l: Int!) { recordInspection(input: { listingId: $l, kind: SPOT_CHECK, inspectedOn: "2026-02-01",
             inspectors: "审计组", householdsChecked: 3, villagesChecked: 1, findings: "抽查", problems: [] }) { id } }`,
          { l: listingId },
          tokens.supervisor,
        );
        const [inspection] = (await audit({ actions: ['INSPECTION_RECORDED'] }, 1)).entries;
        expect(inspection).toMatchObject({
          targetId: String(inspected.recordInspection.id),
          regionCode: county,
        });
        const department = await ok<{ createDepartment: { id: number; version: number } }>(
          'mutation($c: String!) { createDepartment(countyCode: $c, input: { name: "审计测试局", kind: OTHER }) { id version } }',
          { c: county },
          tokens.admin,
        );
        await ok(
          'mutation($id: Int!, $v: Int!) { updateDepartment(id: $id, expectedVersion: $v, input: { name: "审计测试办", kind: OTHER }) { id } }',
          { id: department.createDepartment.id, v: department.createDepartment.version },
          tokens.admin,
        );
        const departmentEntries = (
          await audit({ targetKind: 'DEPARTMENT', targetId: String(department.createDepartment.id) })
        ).entries;
        expect(departmentEntries.map((e) => [e.action, changesOf(e).name])).toEqual([
          ['DEPARTMENT_UPDATED', ['审计测试局', '审计测试办']],
          ['DEPARTMENT_CREATED', [null, '审计测试局']],
        ]);
        const created = await ok<{ createUser: { id: number } }>(
          'mutation { createUser(username: "audited.user", displayName: "审计", role: ANALYST, password: "first-secret-pw") { id } }',
          {},
          tokens.admin,
        );
        await ok(
          'mutation($id: Int!) { updateUser(id: $id, role: LEADER, password: "second-secret-pw") { id } }',
          { id: created.createUser.id },
          tokens.admin,
        );
        const userEntries = (await audit({ targetKind: 'USER', targetId: String(created.createUser.id) }))
          .entries;
        expect(userEntries.map((e) => e.action)).toEqual(['USER_UPDATED', 'USER_CREATED']);
        expect(changesOf(userEntries[0]!)).toEqual({ role: ['analyst', 'leader'] });
        expect(userEntries[0]!.note).toBe('password changed');
        expect(changesOf(userEntries[1]!)).toMatchObject({
          role: [null, 'analyst'],
          displayName: [null, '审计'],
        });
        const [{ text }] = (await database.rows<{ text: string }>(
          sql`SELECT string_agg(audit_log::text, ' ') AS text FROM audit_log`,
        )) as [{ text: string }];
        for (const secret of ['first-secret-pw', 'second-secret-pw', 'scrypt$'])
          expect(text).not.toContain(secret);
        // A listing created and lifted.
        const [village] = await database.rows<{ code: string }>(sql`
          SELECT v.code FROM villages v WHERE v.county_code = ${county}
            AND NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code) ORDER BY v.code LIMIT 1`);
        const listing = await ok<{ createListing: { id: number; version: number } }>(
          `mutation($c: String!, $v: String!) { createListing(input: { unitType: VILLAGE, countyCode: $c, villageCode: $v,
             listedOn: "2026-03-01", supervisingUnit: "审计督战组" }) { id version } }`,
          { c: county, v: village!.code },
          tokens.supervisor,
        );
        await ok(
          'mutation($id: Int!, $v: Int!) { liftListing(id: $id, expectedVersion: $v, liftedOn: "2026-04-01") { id } }',
          { id: listing.createListing.id, v: listing.createListing.version },
          tokens.supervisor,
        );
        const listingEntries = (
          await audit({ targetKind: 'LISTING', targetId: String(listing.createListing.id) })
        ).entries;
        expect(listingEntries.map((e) => [e.action, changesOf(e).status])).toEqual([
          ['LISTING_LIFTED', ['supervising', 'lifted']],
          ['LISTING_LISTED', [null, 'supervising']],
        ]);
        expect(changesOf(listingEntries[1]!).villageCode).toEqual([null, village!.code]);
      });

      it('logs an import applied and rolled back, with the importer and their address', async () => {
        const filter = encodeURIComponent(JSON.stringify({ regionCode: county }));
        const exported = await fetch(`${server.url}/export/problems.csv?filter=${filter}`, {
          headers: { authorization: `Bearer ${tokens.admin}` },
        });
        const rows = parse((await exported.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        const open = rows.find((r) => r['整改状态'] === '待整改')!;
        const edited = rows.map((r) => (r === open ? { ...r, 整改时限: '2031-12-31' } : r));
        const imported = await fetch(`${server.url}/api/data/imports/problems?dryRun=false`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.admin}`,
            'content-type': 'application/octet-stream',
            'x-file-name': 'audit.csv',
          },
          body: `\uFEFF${stringify(edited, { header: true })}`,
        });
        const result = (await imported.json()) as { importId: number; result: string; changedRows: number };
        expect(result, JSON.stringify(result).slice(0, 2000)).toMatchObject({
          result: 'applied',
          changedRows: 1,
        });
        const rolledBack = await fetch(`${server.url}/api/data/imports/problems/rollback`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.admin}` },
        });
        expect(rolledBack.status).toBe(200);
        const entries = (await audit({ targetKind: 'IMPORT', targetId: String(result.importId) })).entries;
        expect(entries.map((e) => [e.action, e.username])).toEqual([
          ['IMPORT_ROLLED_BACK', 'admin'],
          ['IMPORT_APPLIED', 'admin'],
        ]);
        expect(entries[1]!.note).toMatch(/^problems from audit\.csv .*1 changed$/);
        for (const e of entries) expect(e.clientAddress).toMatch(/127\.0\.0\.1|::1/);
      });

      it('pages newest first and filters by region, time and address', async () => {
        const first = await audit({}, 3);
        expect(first.entries).toHaveLength(3);
        const ids = first.entries.map((e) => e.id);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        const next = await ok<{ auditLog: { entries: Entry[] } }>(
          'query($b: Int) { auditLog(first: 3, before: $b) { entries { id } } }',
          { b: first.nextBefore },
          tokens.admin,
        );
        expect(next.auditLog.entries[0]!.id).toBeLessThan(ids[2]!);
        const inCounty = (await audit({ regionCode: county.slice(0, 4) }, 500)).entries;
        expect(inCounty.length).toBeGreaterThan(0);
        for (const e of inCounty) expect(e.regionCode?.startsWith(county.slice(0, 4))).toBe(true);
        const newest = first.entries[0]!;
        const atNewest = (
          await audit({ from: newest.at, to: new Date(Date.parse(newest.at) + 1).toISOString() })
        ).entries;
        expect(atNewest.map((e) => e.id)).toContain(newest.id);
        expect((await audit({ from: '2100-01-01' })).entries).toEqual([]);
        expect((await audit({ clientAddress: '203.0.113.9' })).entries).toEqual([]);
      });

      it('is read by admins only', async () => {
        const query = '{ auditLog(first: 1) { entries { id } } }';
        expect(errorCode(await gql(query))).toBe('UNAUTHENTICATED');
        for (const role of ['supervisor', 'leader', 'analyst', 'department'])
          expect(errorCode(await gql(query, {}, tokens[role])), role).toBe('FORBIDDEN');
      });

      it('refuses bad arguments by name', async () => {
        const refused = async (args: string, variables: Record<string, unknown> = {}) => {
          const result = await gql(
            `query${args.includes('$f') ? '($f: AuditFilter)' : ''} { auditLog(${args}) { entries { id } } }`,
            variables,
            tokens.admin,
          );
          expect(errorCode(result), args).toBe('BAD_USER_INPUT');
          return (result.errors?.[0]?.extensions as { argument?: string } | undefined)?.argument;
        };
        expect(await refused('first: 0')).toBe('first');
        expect(await refused('first: 501')).toBe('first');
        expect(await refused('before: -1')).toBe('before');
        expect(await refused('filter: $f', { f: { from: 'yesterday' } })).toBe('filter.from');
        expect(await refused('filter: $f', { f: { to: '2026-02-30' } })).toBe('filter.to');
        expect(await refused('filter: $f', { f: { from: '2026-02-01', to: '2026-01-01' } })).toBe(
          'filter.to',
        );
        expect(await refused('filter: $f', { f: { targetId: '1' } })).toBe('filter.targetId');
        expect(await refused('filter: $f', { f: { regionCode: '52abc' } })).toBe('filter.regionCode');
        expect(await refused('filter: $f', { f: { username: 'x'.repeat(101) } })).toBe('filter.username');
        expect(
          await refused('filter: $f', { f: { actions: Array.from({ length: 100 }, () => 'LOGOUT') } }),
        ).toBe('filter.actions');
        // The target id is text: anything that is not a number simply matches nothing.
        expect((await audit({ targetKind: 'PROBLEM', targetId: "1' OR '1'='1" })).entries).toEqual([]);
      });

      it('cannot be changed or deleted, even by the product’s own connection', async () => {
        const before = await count();
        for (const statement of [
          sql`UPDATE audit_log SET username = 'someone-else'`,
          sql`DELETE FROM audit_log`,
          sql`TRUNCATE audit_log`,
        ]) {
          const error = await database.rows(statement).then(
            () => null,
            (e: Error) => `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}`,
          );
          expect(error).toMatch(/append-only/);
        }
        expect(await count()).toBe(before);
        // No mutation touches it either.
        const mutations = await ok<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
          '{ __schema { mutationType { fields { name } } } }',
        );
        expect(
          mutations.__schema.mutationType.fields.map((f) => f.name).filter((n) => /audit/i.test(n)),
        ).toEqual([]);
      });
    },
  );
}

describe('the audit log of the command line', () => {
  it('logs a user created and disabled by `pnpm users`, as cli:<os user>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrm-users-cli-'));
    try {
      cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
      const env = {
        ...process.env,
        PGLITE_DATA_DIR: dir,
        DATABASE_URL: '',
        RRM_PASSWORD: 'cli-password-2026',
      };
      const users = (...args: string[]) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], { env });
      await users('create', '--username', 'cli.made', '--name', '命令行', '--role', 'analyst');
      await users('disable', '--username', 'cli.made');
      const database = await openDatabase({ dataDir: dir });
      try {
        const rows = await database.rows<{
          username: string;
          action: string;
          changes: unknown;
          note: string | null;
        }>(
          sql`SELECT a.username, a.action, a.changes, a.note FROM audit_log a JOIN users u ON a.target_id = u.id::text
              WHERE u.username = 'cli.made' AND a.target_kind = 'user' ORDER BY a.id`,
        );
        expect(rows.map((r) => [r.username, r.action])).toEqual([
          [`cli:${userInfo().username}`, 'user.created'],
          [`cli:${userInfo().username}`, 'user.updated'],
        ]);
        expect(JSON.stringify(rows)).not.toContain('cli-password-2026');
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
