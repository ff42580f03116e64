// The ledger as county departments run it (#16), on both backends: the department registry, the
// department role (its own problems only, read and write), the sign-off, the rectification with its
// measures, and the verification by someone other than who rectified — with the database unchanged
// wherever a write is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, MAX_SUMMARY_DEPARTMENTS, rollbackImport } from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint, SUPERVISION_PARTS } from './support/fingerprint.ts';
import {
  errorCode,
  giveDemoUsersRealPasswords,
  graphqlClient,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

const PROBLEM =
  'id version status department departmentId measures responsiblePerson signedBy signedAt nextStatuses verification { by passed note } history { action changedBy fromStatus toStatus note changes { field from to } }';

interface Problem {
  id: string;
  version: number;
  status: string;
  department: string;
  departmentId: number | null;
  measures: string | null;
  responsiblePerson: string | null;
  signedBy: string | null;
  signedAt: string | null;
  nextStatuses: string[];
  verification: { by: string; passed: boolean; note: string | null } | null;
  history: {
    action: string;
    changedBy: string;
    fromStatus: string | null;
    toStatus: string | null;
    note: string | null;
    changes: { field: string; from: string | null; to: string | null }[];
  }[];
}

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `departments in the ledger on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      /** The demo department user's department, and another department of the same county. */
      let mine: { id: number; countyCode: string; name: string };
      let other: { id: number; name: string };
      /** A listing of that county, for new problems. */
      let listingId: number;
      const { gql, ok } = graphqlClient(() => server);
      const fingerprint = () => databaseFingerprint(database, SUPERVISION_PARTS);

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        // This file imports real data, after which the demo password opens no login.
        await giveDemoUsersRealPasswords(database);
        server = await startTestServer(database);
        for (const name of ['department', 'supervisor', 'supervisor2', 'admin', 'leader'])
          tokens[name] = await loginAs(server, name, REAL_PASSWORD);
        const [user] = await database.rows<{ id: number; countyCode: string; name: string }>(sql`
          SELECT d.id, d.county_code AS "countyCode", d.name FROM users u JOIN departments d ON d.id = u.department_id
          WHERE u.username = 'department'`);
        expect(user, 'the demo data has a department user').toBeDefined();
        mine = user!;
        // Another department of the same county: created if the county has only the one.
        const [second] = await database.rows<{ id: number; name: string }>(sql`
          SELECT id, name FROM departments WHERE county_code = ${mine.countyCode} AND id <> ${mine.id} ORDER BY id LIMIT 1`);
        other =
          second ??
          (
            await ok<{ createDepartment: { id: number; name: string } }>(
              'mutation($c: String!) { createDepartment(countyCode: $c, input: { name: "民政", kind: CIVIL_AFFAIRS }) { id name } }',
              { c: mine.countyCode },
              tokens.admin,
            )
          ).createDepartment;
        const [listing] = await database.rows<{ id: number }>(sql`
          SELECT id FROM supervision_listings WHERE county_code = ${mine.countyCode} AND village_code IS NULL`);
        const [anyListing] = await database.rows<{ id: number }>(sql`
          SELECT id FROM supervision_listings WHERE county_code = ${mine.countyCode} ORDER BY id LIMIT 1`);
        listingId = (listing ?? anyListing)!.id;
      }, 60_000);
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      /** A new problem handed to a department by the supervisor. */
      const report = async (departmentId = mine.id, extra: Record<string, unknown> = {}) =>
        (
          await ok<{ reportProblem: Problem }>(
            `mutation($input: ReportProblemInput!) { reportProblem(input: $input) { ${PROBLEM} } }`,
            {
              input: {
                countyCode: mine.countyCode,
                listingId,
                category: 'HOUSING_SAFETY',
                departmentId,
                source: 'SUPERVISION_CHECK',
                description: '危房改造未验收',
                foundOn: '2026-10-01',
                deadline: '2026-12-31',
                ...extra,
              },
            },
            tokens.supervisor,
          )
        ).reportProblem;

      const mutate = (name: string, args: string, variables: Record<string, unknown>, token: string) =>
        gql<Record<string, Problem>>(
          `mutation($id: Int!, $v: Int!, $note: String) { ${name}(id: $id, expectedVersion: $v, note: $note${args}) { ${PROBLEM} } }`,
          variables,
          token,
        );
      const sign = (p: Problem, token = tokens.department!) =>
        mutate('signProblem', '', { id: Number(p.id), v: p.version }, token);
      const submit = (p: Problem, measures: string | null, token = tokens.department!) =>
        gql<{ submitRectification: Problem }>(
          `mutation($id: Int!, $v: Int!, $m: String!) { submitRectification(id: $id, expectedVersion: $v, measures: $m, responsiblePerson: "王建国") { ${PROBLEM} } }`,
          { id: Number(p.id), v: p.version, m: measures },
          token,
        );
      const verify = (p: Problem, passed: boolean, note: string | null, token = tokens.supervisor!) =>
        mutate('verifyProblem', `, passed: ${passed}`, { id: Number(p.id), v: p.version, note }, token);

      it('keeps a registry of each county’s departments, and links every demo problem to one of its county', async () => {
        const [links] = await database.rows<{ unlinked: number; wrongCounty: number; wrongName: number }>(sql`
          SELECT count(*) FILTER (WHERE p.department_id IS NULL)::int AS unlinked,
            count(*) FILTER (WHERE d.county_code <> p.county_code)::int AS "wrongCounty",
            count(*) FILTER (WHERE d.name <> p.department)::int AS "wrongName"
          FROM supervision_problems p LEFT JOIN departments d ON d.id = p.department_id`);
        expect(links).toEqual({ unlinked: 0, wrongCounty: 0, wrongName: 0 });
        const listed = await ok<{
          departments: { id: number; name: string; kind: string; problems: number }[];
        }>(
          'query($c: String!) { departments(countyCode: $c) { id name kind problems openProblems } }',
          { c: mine.countyCode },
          tokens.leader,
        );
        const [count] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM supervision_problems WHERE department_id = ${mine.id}`,
        );
        expect(listed.departments.find((d) => d.id === mine.id)).toMatchObject({
          name: mine.name,
          problems: count!.n,
        });
        // The registry needs a login, and a county code.
        expect(errorCode(await gql('{ departments(countyCode: "520000") { id } }'))).toBe('UNAUTHENTICATED');
        const bad = await gql('{ departments(countyCode: "52x") { id } }', {}, tokens.leader);
        expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'countyCode' });
      });

      it('shows a department user its own problems only: the list, a filter for another’s, the export', async () => {
        const [count] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM supervision_problems WHERE department_id = ${mine.id}`,
        );
        const all = await ok<{ problems: { totalCount: number; nodes: { departmentId: number }[] } }>(
          '{ problems(first: 1000) { totalCount nodes { departmentId } } }',
          {},
          tokens.department,
        );
        expect(all.problems.totalCount).toBe(count!.n);
        expect(all.problems.nodes.every((n) => n.departmentId === mine.id)).toBe(true);
        const others = await ok<{ problems: { totalCount: number } }>(
          'query($d: [Int!]) { problems(filter: { departmentIds: $d }) { totalCount } }',
          { d: [other.id] },
          tokens.department,
        );
        expect(others.problems.totalCount).toBe(0);
        // By number, another department's problem is as absent as in the list.
        const [theirs] = await database.rows<{ id: number }>(
          sql`SELECT id FROM supervision_problems WHERE department_id <> ${mine.id} ORDER BY id LIMIT 1`,
        );
        const byId = await ok<{ problem: null | { id: string } }>(
          'query($id: Int!) { problem(id: $id) { id } }',
          { id: theirs!.id },
          tokens.department,
        );
        expect(byId.problem).toBeNull();
        const bySupervisor = await ok<{ problem: null | { id: string } }>(
          'query($id: Int!) { problem(id: $id) { id } }',
          { id: theirs!.id },
          tokens.leader,
        );
        expect(bySupervisor.problem?.id).toBe(String(theirs!.id));
        expect(errorCode(await gql('query { problem(id: 1) { id } }'))).toBe('UNAUTHENTICATED');
        const csv = await fetch(`${server.url}/export/problems.csv`, {
          headers: { authorization: `Bearer ${tokens.department}` },
        });
        expect(csv.status).toBe(200);
        const lines = (await csv.text()).trim().split('\n');
        expect(lines.length - 1).toBe(count!.n);
        // A supervisor sees every department's.
        const supervisor = await ok<{ problems: { totalCount: number } }>(
          'query($r: String) { problems(filter: { regionCode: $r }) { totalCount } }',
          { r: mine.countyCode },
          tokens.supervisor,
        );
        expect(supervisor.problems.totalCount).toBeGreaterThanOrEqual(count!.n);
      });

      it('runs a problem’s life: the department signs and rectifies, a supervisor sends it back with a reason, then verifies and closes it', async () => {
        let p = await report();
        expect(p).toMatchObject({ status: 'OPEN', department: mine.name, departmentId: mine.id });
        // The department is offered its own moves only, and reads it by number.
        const seen = await ok<{ problem: Problem }>(
          `query($id: Int!) { problem(id: $id) { ${PROBLEM} } }`,
          { id: Number(p.id) },
          tokens.department,
        );
        expect(seen.problem.nextStatuses).toEqual(['SIGNED', 'IN_PROGRESS', 'RECTIFIED']);
        const signed = await sign(p);
        expect(errorCode(signed)).toBe('OK');
        p = signed.data!.signProblem!;
        expect(p).toMatchObject({ status: 'SIGNED', signedBy: 'department' });
        expect(p.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

        // Rectified needs measures; the refusal changes nothing.
        const before = await fingerprint();
        const noMeasures = await mutate(
          'updateProblemStatus',
          ', status: RECTIFIED',
          { id: Number(p.id), v: p.version },
          tokens.department!,
        );
        expect(noMeasures.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'measures',
        });
        expect(await fingerprint()).toEqual(before);

        const submitted = await submit(p, '完成危房改造并组织竣工验收');
        expect(errorCode(submitted)).toBe('OK');
        p = submitted.data!.submitRectification;
        expect(p).toMatchObject({
          status: 'RECTIFIED',
          measures: '完成危房改造并组织竣工验收',
          responsiblePerson: '王建国',
        });
        expect(p.history.at(-1)).toMatchObject({
          action: 'rectified',
          changedBy: 'department',
          changes: expect.arrayContaining([
            { field: 'measures', from: null, to: '完成危房改造并组织竣工验收' },
            { field: 'responsiblePerson', from: null, to: '王建国' },
          ]),
        });

        // The department can never verify or close its own problem.
        const rectified = await fingerprint();
        for (const passed of [true, false]) {
          const own = await verify(p, passed, '自查通过', tokens.department);
          expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
        const closeOwn = await mutate(
          'updateProblemStatus',
          ', status: CLOSED',
          { id: Number(p.id), v: p.version },
          tokens.department!,
        );
        expect(closeOwn.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(await fingerprint()).toEqual(rectified);

        // Sent back: the reason is required, and kept in the history and the verification.
        const noReason = await verify(p, false, null);
        expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'note' });
        const returned = await verify(p, false, '现场核查：尚未入住');
        expect(errorCode(returned)).toBe('OK');
        p = returned.data!.verifyProblem!;
        expect(p.status).toBe('IN_PROGRESS');
        expect(p.verification).toEqual({ by: 'supervisor', passed: false, note: '现场核查：尚未入住' });
        expect(p.history.at(-1)).toMatchObject({
          action: 'returned',
          fromStatus: 'RECTIFIED',
          toStatus: 'IN_PROGRESS',
          note: '现场核查：尚未入住',
        });

        p = (await submit(p, '完成危房改造，农户已入住')).data!.submitRectification;
        const closed = await verify(p, true, '复核通过，予以销号');
        expect(errorCode(closed)).toBe('OK');
        p = closed.data!.verifyProblem!;
        expect(p).toMatchObject({
          status: 'CLOSED',
          verification: { by: 'supervisor', passed: true, note: '复核通过，予以销号' },
        });
        expect(p.history.map((h) => `${h.action}:${h.changedBy}`)).toEqual([
          'reported:supervisor',
          'signed:department',
          'rectified:department',
          'returned:supervisor',
          'rectified:department',
          'closed:supervisor',
        ]);
        // Closed: the department has nothing more to do with it.
        expect(errorCode(await submit(p, '再次提交'))).toBe('INVALID_TRANSITION');
      });

      it('refuses a verification by whoever marked the problem rectified, and of a problem not rectified; lets someone else verify', async () => {
        let p = await report();
        const early = await verify(p, false, '尚未整改');
        expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', argument: 'id' });
        p = (await submit(p, '已整改', tokens.supervisor)).data!.submitRectification;
        const before = await fingerprint();
        for (const passed of [true, false]) {
          const self = await verify(p, passed, '自己验收', tokens.supervisor);
          expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          expect(self.errors?.[0]?.message).toMatch(/someone else verifies/);
        }
        expect(await fingerprint()).toEqual(before);
        expect(errorCode(await verify(p, true, null, tokens.admin))).toBe('OK');
      });

      it('counts what is overdue and what falls due within N days, by department, as the rows say; a department its own only', async () => {
        // Two fresh problems of the department: one past its deadline, one due in three days (China's day).
        const [{ today }] = (await database.rows<{ today: string }>(
          sql`SELECT ((now() AT TIME ZONE 'Asia/Shanghai')::date)::text AS today`,
        )) as [{ today: string }];
        const plus = (days: number) =>
          new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        await report(mine.id, { foundOn: plus(-30), deadline: plus(-1) });
        await report(mine.id, { foundOn: plus(-30), deadline: plus(3) });
        const query =
          'query($r: String, $d: Int) { ledgerDeadlines(regionCode: $r, withinDays: $d) { withinDays overdue dueSoon byDepartment { department departmentId overdue dueSoon } } }';
        type Deadlines = {
          ledgerDeadlines: {
            withinDays: number;
            overdue: number;
            dueSoon: number;
            byDepartment: {
              department: string;
              departmentId: number | null;
              overdue: number;
              dueSoon: number;
            }[];
          };
        };
        const expected = await database.rows<{ department: string; overdue: number; dueSoon: number }>(sql`
          SELECT department, count(*) FILTER (WHERE deadline < ${today}::date)::int AS overdue,
            count(*) FILTER (WHERE deadline BETWEEN ${today}::date AND ${today}::date + 7)::int AS "dueSoon"
          FROM supervision_problems WHERE county_code = ${mine.countyCode} AND status <> 'closed'
          GROUP BY department HAVING count(*) FILTER (WHERE deadline <= ${today}::date + 7) > 0`);
        const all = (await ok<Deadlines>(query, { r: mine.countyCode }, tokens.supervisor)).ledgerDeadlines;
        expect(all.withinDays).toBe(7);
        expect(
          Object.fromEntries(all.byDepartment.map((d) => [d.department, [d.overdue, d.dueSoon]])),
        ).toEqual(Object.fromEntries(expected.map((d) => [d.department, [d.overdue, d.dueSoon]])));
        expect(all.overdue).toBe(expected.reduce((n, d) => n + d.overdue, 0));
        const mineOnly = (await ok<Deadlines>(query, { r: null }, tokens.department)).ledgerDeadlines;
        expect(mineOnly.byDepartment.map((d) => d.departmentId)).toEqual([mine.id]);
        const [own] = expected.filter((d) => d.department === mine.name);
        expect([mineOnly.overdue, mineOnly.dueSoon]).toEqual([own!.overdue, own!.dueSoon]);
        // The list behind "due soon" is the same count.
        const list = await ok<{ problems: { totalCount: number } }>(
          'query($r: String) { problems(filter: { regionCode: $r, dueWithinDays: 7 }) { totalCount } }',
          { r: mine.countyCode },
          tokens.supervisor,
        );
        expect(list.problems.totalCount).toBe(all.dueSoon);
        // Refusals name the argument; no numbers without a login.
        const wide = await gql(query, { r: mine.countyCode, d: 367 }, tokens.supervisor);
        expect(wide.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'withinDays',
        });
        const zero = await gql(
          '{ problems(filter: { dueWithinDays: 0 }) { totalCount } }',
          {},
          tokens.supervisor,
        );
        expect(zero.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'filter.dueWithinDays',
        });
        expect(errorCode(await gql(query, { r: mine.countyCode }))).toBe('UNAUTHENTICATED');
      });

      it('refuses by file what only the ledger page does: handing a signed problem to another department', async () => {
        const p = (await sign(await report())).data!.signProblem!;
        const response = await fetch(
          `${server.url}/export/problems.csv?filter=${encodeURIComponent(JSON.stringify({ regionCode: mine.countyCode }))}`,
          { headers: { authorization: `Bearer ${tokens.admin}` } },
        );
        const rows = parse((await response.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<
          string,
          string
        >[];
        const edited = rows
          .filter((r) => r['问题编号'] === p.id)
          .map((r) => ({ ...r, 责任单位: other.name }));
        expect(edited).toHaveLength(1);
        const dir = mkdtempSync(join(tmpdir(), 'rrm-dept-import-'));
        try {
          const path = join(dir, 'ledger.csv');
          writeFileSync(path, `\uFEFF${stringify(edited, { header: true, columns: Object.keys(rows[0]!) })}`);
          const before = await fingerprint();
          const result = await importFile(database, { dataset: 'problems', path, who: 'user:admin' });
          expect(result.result).toBe('rejected');
          expect(result.errors.map((e) => `${e.column}: ${e.en}`)).toEqual([
            `责任单位: problem ${p.id} was signed for by its department: hand it to another in the ledger page`,
          ]);
          expect(await fingerprint()).toEqual(before);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('gives a department user no more of the ledger in numbers than an anonymous caller', async () => {
        const [village] = await database.rows<{ code: string }>(
          sql`SELECT village_code AS code FROM supervision_problems WHERE village_code IS NOT NULL LIMIT 1`,
        );
        const below = await gql(
          'query($r: String) { supervisionSummary(regionCode: $r) { total { total } } }',
          { r: village!.code },
          tokens.department,
        );
        expect(errorCode(below)).toBe('FORBIDDEN');
        const county =
          'query($r: String) { supervisionSummary(regionCode: $r) { detailsWithheld byDepartment { key total } } }';
        const asDepartment = await ok(county, { r: mine.countyCode }, tokens.department);
        expect(asDepartment).toEqual(await ok(county, { r: mine.countyCode }));
      });

      it('keeps the sign-off the department’s own: a supervisor cannot sign for it', async () => {
        const p = await report();
        const before = await fingerprint();
        const result = await sign(p, tokens.supervisor);
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(result.errors?.[0]?.message).toMatch(/department's own act/);
        expect(await fingerprint()).toEqual(before);
      });

      it('refuses a department every write outside its own problems’ sign-off, measures and rectification, and changes nothing', async () => {
        const theirs = await report(other.id);
        const own = await report();
        const refusals: [string, Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>][] = [];
        const before = await fingerprint();
        const as = tokens.department!;
        const v = (p: Problem) => ({ id: Number(p.id), v: p.version });
        refusals.push(
          ['sign another department’s', sign(theirs)],
          ['rectify another department’s', submit(theirs, '措施')],
          ['edit another department’s', mutate('updateProblemDetails', ', measures: "措施"', v(theirs), as)],
          [
            'move another department’s',
            mutate('updateProblemStatus', ', status: IN_PROGRESS', v(theirs), as),
          ],
          ['reassign its own', mutate('assignDepartment', `, departmentId: ${other.id}`, v(own), as)],
          ['move its deadline', mutate('setDeadline', ', deadline: "2027-06-30"', v(own), as)],
          ['change its source', mutate('updateProblemDetails', ', source: AUDIT', v(own), as)],
          [
            'report a problem',
            gql(
              'mutation($c: String!) { reportProblem(input: { countyCode: $c, category: FUNDS, department: "财政", description: "x", foundOn: "2026-10-01", deadline: "2026-12-01" }) { id } }',
              { c: mine.countyCode },
              as,
            ),
          ],
          [
            'add a department',
            gql(
              'mutation($c: String!) { createDepartment(countyCode: $c, input: { name: "新部门", kind: OTHER }) { id } }',
              { c: mine.countyCode },
              as,
            ),
          ],
          [
            'record an inspection',
            gql(
              'mutation($l: Int!) { recordInspection(input: { listingId: $l, kind: SPOT_CHECK, inspectedOn: "2026-10-01", inspectors: "x", householdsChecked: 1, villagesChecked: 1, findings: "x" }) { id } }',
              { l: listingId },
              as,
            ),
          ],
          ['read the users', gql('{ users { id } }', {}, as)],
        );
        for (const [what, pending] of refusals) {
          const result = await pending;
          // Another department's problem is, to a department, as absent as in its list.
          const expected = what.includes('another department') ? 'NOT_FOUND' : 'FORBIDDEN';
          expect(result.errors?.[0]?.extensions?.code, what).toBe(expected);
        }
        expect(await fingerprint()).toEqual(before);
        // What it may do on its own problem: its measures and responsible person.
        const edited = await mutate(
          'updateProblemDetails',
          ', measures: "入户核查", responsiblePerson: "李明"',
          v(own),
          as,
        );
        expect(edited.data?.updateProblemDetails).toMatchObject({
          measures: '入户核查',
          responsiblePerson: '李明',
        });
        expect(edited.data?.updateProblemDetails?.history.at(-1)).toMatchObject({ action: 'edited' });
      });

      it('sends a signed problem handed to another department back to open, out of the first department’s hands', async () => {
        let p = (await sign(await report())).data!.signProblem!;
        const moved = await mutate(
          'assignDepartment',
          `, departmentId: ${other.id}`,
          { id: Number(p.id), v: p.version, note: '职责调整' },
          tokens.supervisor!,
        );
        expect(errorCode(moved)).toBe('OK');
        p = moved.data!.assignDepartment!;
        expect(p).toMatchObject({
          status: 'OPEN',
          signedBy: null,
          departmentId: other.id,
          department: other.name,
        });
        expect(p.history.at(-1)).toMatchObject({
          action: 'reassigned',
          fromStatus: 'SIGNED',
          toStatus: 'OPEN',
          changes: expect.arrayContaining([
            { field: 'departmentId', from: String(mine.id), to: String(other.id) },
          ]),
        });
        expect(errorCode(await sign(p))).toBe('NOT_FOUND');
        // A department of another county is refused by name.
        const [far] = await database.rows<{ id: number }>(
          sql`SELECT id FROM departments WHERE county_code <> ${mine.countyCode} ORDER BY id LIMIT 1`,
        );
        if (far) {
          const wrong = await mutate(
            'assignDepartment',
            `, departmentId: ${far.id}`,
            { id: Number(p.id), v: p.version },
            tokens.supervisor!,
          );
          expect(wrong.errors?.[0]?.extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            argument: 'departmentId',
          });
          expect(wrong.errors?.[0]?.message).toMatch(/is in county/);
        }
      });

      it('lets admins keep the registry: names unique in a county, kinds from the list, a rename followed by its problems', async () => {
        const create = (name: string, token = tokens.admin!) =>
          gql<{ createDepartment: { id: number; version: number } }>(
            'mutation($c: String!, $n: String!) { createDepartment(countyCode: $c, input: { name: $n, kind: WATER, contact: "张伟 0851-5551234" }) { id version } }',
            { c: mine.countyCode, n: name },
            token,
          );
        const before = await fingerprint();
        expect(errorCode(await create('县水务局', tokens.supervisor))).toBe('FORBIDDEN');
        const taken = await create(mine.name);
        expect(taken.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'input.name',
        });
        const blank = await create('   ');
        expect(blank.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'input.name',
        });
        const badKind = await gql(
          'mutation($c: String!) { createDepartment(countyCode: $c, input: { name: "x", kind: NAVY }) { id } }',
          { c: mine.countyCode },
          tokens.admin,
        );
        expect(badKind.errors?.[0]?.message).toMatch(/NAVY/);
        const noCounty = await gql(
          'mutation { createDepartment(countyCode: "999999", input: { name: "x", kind: OTHER }) { id } }',
          {},
          tokens.admin,
        );
        expect(noCounty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(await fingerprint()).toEqual(before);

        const made = (await create('县水务局')).data!.createDepartment;
        const p = await report(made.id);
        const renamed = await gql<{ updateDepartment: { name: string; version: number } }>(
          'mutation($id: Int!, $v: Int!) { updateDepartment(id: $id, expectedVersion: $v, input: { name: "县水利局", kind: WATER }) { name version } }',
          { id: made.id, v: made.version },
          tokens.admin,
        );
        expect(renamed.data?.updateDepartment).toEqual({ name: '县水利局', version: 2 });
        const [row] = await database.rows<{ department: string }>(
          sql`SELECT department FROM supervision_problems WHERE id = ${Number(p.id)}`,
        );
        expect(row!.department).toBe('县水利局');
        const stale = await gql(
          'mutation($id: Int!) { updateDepartment(id: $id, expectedVersion: 1, input: { name: "y", kind: WATER }) { name } }',
          { id: made.id },
          tokens.admin,
        );
        expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      });

      it('imports the registry from a file (admins): adds departments, changes kinds and contacts, refuses what it cannot keep, and rolls back', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'rrm-dept-registry-'));
        const write = (name: string, lines: string[]) => {
          const path = join(dir, name);
          writeFileSync(path, `\uFEFF单位名称,县代码,单位类别,联系方式\n${lines.join('\n')}\n`);
          return path;
        };
        const run = (path: string) =>
          importFile(database, { dataset: 'departments', path, who: 'user:admin' });
        try {
          const before = await fingerprint();
          const bad = await run(
            write('bad.csv', [
              `县档案局,999999,其他,`,
              `县档案局,${mine.countyCode},海军,`,
              `${'局'.repeat(51)},${mine.countyCode},其他,`,
              `县民政局,${mine.countyCode},民政,x`,
              `县民政局,${mine.countyCode},民政,y`,
            ]),
          );
          expect(bad.result).toBe('rejected');
          expect(bad.errors.map((e) => `${e.row} ${e.column}`)).toEqual([
            '2 县代码',
            '3 单位类别',
            '4 单位名称',
            '6 县代码',
          ]);
          expect(await fingerprint()).toEqual(before);

          // A new department, and the demo department's kind and contact changed (its name is its key).
          const [stored] = await database.rows<{ kind: string; contact: string | null; version: number }>(
            sql`SELECT kind, contact, version FROM departments WHERE id = ${mine.id}`,
          );
          const applied = await run(
            write('registry.csv', [
              `县档案局,${mine.countyCode},其他,李四 0857-7654321`,
              `${mine.name},${mine.countyCode},民政局,王五`,
            ]),
          );
          expect(applied).toMatchObject({ result: 'applied', newRows: 1, changedRows: 1 });
          const registry = await ok<{
            departments: { name: string; kind: string; contact: string | null }[];
          }>(
            'query($c: String!) { departments(countyCode: $c) { name kind contact } }',
            { c: mine.countyCode },
            tokens.department,
          );
          expect(registry.departments).toContainEqual({
            name: '县档案局',
            kind: 'OTHER',
            contact: '李四 0857-7654321',
          });
          expect(registry.departments).toContainEqual({
            name: mine.name,
            kind: 'CIVIL_AFFAIRS',
            contact: '王五',
          });

          // A user of the department it added: the rollback cannot take the department away, and says why.
          const [added] = await database.rows<{ id: number }>(
            sql`SELECT id FROM departments WHERE county_code = ${mine.countyCode} AND name = '县档案局'`,
          );
          await ok(
            'mutation($d: Int!) { createUser(username: "archive.user", displayName: "档案", role: DEPARTMENT, departmentId: $d, password: "archive-password") { id } }',
            { d: added!.id },
            tokens.admin,
          );
          await expect(rollbackImport(database, { dataset: 'departments', who: 'test' })).rejects.toThrow(
            /rows it added are used by rows of users written since/,
          );
          await database.rows(
            sql`UPDATE users SET role = 'analyst', department_id = NULL, region_scope = NULL WHERE username = 'archive.user'`,
          );
          expect(await rollbackImport(database, { dataset: 'departments', who: 'test' })).toMatchObject({
            restoredRows: 1,
            deletedRows: 1,
          });
          const [restored] = await database.rows<{ kind: string; contact: string | null; version: number }>(
            sql`SELECT kind, contact, version FROM departments WHERE id = ${mine.id}`,
          );
          expect({ kind: restored!.kind, contact: restored!.contact }).toEqual({
            kind: stored!.kind,
            contact: stored!.contact,
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('files a county’s ledger as offices print it: title, 填报 line, merged two-row header, one bordered row per problem, A4 landscape with the header repeated, the signature line', async () => {
        const sheetOf = async (token: string | null, query = `county=${mine.countyCode}`) => {
          const response = await fetch(`${server.url}/export/ledger-sheet.xlsx?${query}`, {
            headers: token ? { authorization: `Bearer ${token}` } : {},
          });
          return response;
        };
        const response = await sheetOf(
          tokens.supervisor!,
          `county=${mine.countyCode}&preparedBy=${encodeURIComponent('李四')}`,
        );
        expect(response.status).toBe(200);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(await response.arrayBuffer());
        const ws = workbook.getWorksheet('问题整改台账')!;
        const [county] = await database.rows<{ name: string }>(
          sql`SELECT name FROM regions WHERE code = ${mine.countyCode}`,
        );
        expect(ws.getCell('A1').value).toMatch(new RegExp(`^${county!.name}脱贫攻坚问题整改台账`));
        expect(ws.getCell('A2').value).toBe(`填报单位：${county!.name}（盖章）`);
        expect(ws.getCell('J2').value).toMatch(/^填报日期：\d{4}-\d\d-\d\d$/);
        const header = (row: number) =>
          Array.from({ length: 13 }, (_, i) => ws.getRow(row).getCell(i + 1).value);
        // A merged cell reads as its first cell's value: 整改情况 spans K and L.
        expect(header(3)).toEqual([
          '序号',
          '乡镇',
          '村',
          '问题来源',
          '问题类别',
          '问题描述',
          '责任单位',
          '责任人',
          '整改措施',
          '整改时限',
          '整改情况',
          '整改情况',
          '备注',
        ]);
        expect(header(4).slice(10, 12)).toEqual(['整改进展', '销号日期']);
        const merges = (ws.model as unknown as { merges: string[] }).merges;
        for (const range of ['A1:M1', 'A2:F2', 'J2:M2', 'A3:A4', 'F3:F4', 'K3:L3', 'M3:M4'])
          expect(merges, range).toContain(range);
        expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', printTitlesRow: '3:4' });
        expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
        // Every problem of the county is one row, numbered, bordered, and found again by its number.
        const problems = await database.rows<{ id: number }>(
          sql`SELECT id FROM supervision_problems WHERE county_code = ${mine.countyCode}`,
        );
        const rows: ExcelJS.Row[] = [];
        for (let r = 5; r < 5 + problems.length; r++) rows.push(ws.getRow(r));
        expect(rows.map((r) => r.getCell(1).value)).toEqual(problems.map((_, i) => i + 1));
        const numbers = rows.map((r) => Number(/问题编号(\d+)/.exec(String(r.getCell(13).value))?.[1]));
        expect(new Set(numbers)).toEqual(new Set(problems.map((p) => p.id)));
        expect(rows.every((r) => r.getCell(6).border?.top?.style === 'thin')).toBe(true);
        const foot = ws.getRow(5 + problems.length + 1);
        expect(foot.getCell(1).value).toBe('审核人：');
        expect(foot.getCell(8).value).toBe('填表人：李四');
        expect(ws.pageSetup.printArea).toBe(`A1:M${5 + problems.length + 1}`);

        // A department's sheet holds its own problems only.
        const own = new ExcelJS.Workbook();
        await own.xlsx.load(await (await sheetOf(tokens.department!)).arrayBuffer());
        const [count] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM supervision_problems WHERE department_id = ${mine.id}`,
        );
        const ownSheet = own.getWorksheet('问题整改台账')!;
        const departments = new Set<unknown>();
        for (let r = 5; r < 5 + count!.n; r++) departments.add(ownSheet.getRow(r).getCell(7).value);
        expect(departments).toEqual(new Set([mine.name]));
        expect(ownSheet.getRow(5 + count!.n + 1).getCell(1).value).toBe('审核人：');

        // Refusals name the problem; no sheet without a login, nor of another county for a department.
        expect((await sheetOf(null)).status).toBe(401);
        const [far] = await database.rows<{ code: string }>(
          sql`SELECT county_code AS code FROM supervision_problems WHERE county_code <> ${mine.countyCode} LIMIT 1`,
        );
        const elsewhere = await sheetOf(tokens.department!, `county=${far!.code}`);
        expect(elsewhere.status).toBe(403);
        expect(
          ((await elsewhere.json()) as { errors: { extensions: { argument: string } }[] }).errors[0]!
            .extensions.argument,
        ).toBe('county');
        for (const [query, argument] of [
          ['county=52', 'county'],
          ['county=999999', 'county'],
          [`county=${mine.countyCode}&year=2021`, 'year'],
          [`county=${mine.countyCode}&unit=${'单'.repeat(51)}`, 'unit'],
          [`county=${mine.countyCode}&unit=%01`, 'unit'],
        ] as const) {
          const refused = await sheetOf(tokens.supervisor!, query);
          expect(refused.status, query).toBe(400);
          const body = (await refused.json()) as { errors: { extensions: { argument: string } }[] };
          expect(body.errors[0]!.extensions.argument, query).toBe(argument);
        }
      });

      it('lists a place for supervision (挂牌) by hand, refuses a second listing or a wrong place, and keeps each listing’s history', async () => {
        const [village] = await database.rows<{ code: string }>(sql`
          SELECT v.code FROM villages v WHERE v.county_code = ${mine.countyCode}
            AND NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code)
          ORDER BY v.code LIMIT 1`);
        const [elsewhere] = await database.rows<{ code: string }>(
          sql`SELECT code FROM villages WHERE county_code <> ${mine.countyCode} ORDER BY code LIMIT 1`,
        );
        const create = (input: Record<string, unknown>, token = tokens.supervisor!) =>
          gql<{
            createListing: {
              id: number;
              status: string;
              version: number;
              history: { action: string; changedBy: string; toStatus: string }[];
            };
          }>(
            'mutation($input: CreateListingInput!) { createListing(input: $input) { id status version history { action changedBy toStatus } } }',
            {
              input: {
                unitType: 'VILLAGE',
                countyCode: mine.countyCode,
                villageCode: village!.code,
                listedOn: '2026-11-20',
                supervisingUnit: '县督战队',
                ...input,
              },
            },
            token,
          );
        const before = await fingerprint();
        const refusals: [string, Record<string, unknown>, string, string | undefined][] = [
          [
            'a village of another county',
            { villageCode: elsewhere!.code },
            'BAD_USER_INPUT',
            'input.villageCode',
          ],
          [
            'a village listing without its village',
            { villageCode: null },
            'BAD_USER_INPUT',
            'input.villageCode',
          ],
          ['a date in the future', { listedOn: '2099-01-01' }, 'BAD_USER_INPUT', 'input.listedOn'],
          [
            'a supervising unit too long',
            { supervisingUnit: '队'.repeat(101) },
            'BAD_USER_INPUT',
            'input.supervisingUnit',
          ],
          [
            'a county listed already',
            { unitType: 'COUNTY', villageCode: null },
            'BAD_USER_INPUT',
            'input.countyCode',
          ],
        ];
        for (const [what, input, code, argument] of refusals) {
          const result = await create(input);
          expect(result.errors?.[0]?.extensions, what).toMatchObject({
            code,
            ...(argument ? { argument } : {}),
          });
        }
        expect(errorCode(await create({}, tokens.department))).toBe('FORBIDDEN');
        expect(errorCode(await create({}, tokens.leader))).toBe('FORBIDDEN');
        expect(await fingerprint()).toEqual(before);

        const made = await create({});
        expect(errorCode(made)).toBe('OK');
        const listing = made.data!.createListing;
        expect(listing).toMatchObject({
          status: 'SUPERVISING',
          history: [{ action: 'listed', changedBy: 'supervisor', toStatus: 'SUPERVISING' }],
        });
        const again = await create({});
        expect(again.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          listingId: listing.id,
        });
        const lifted = await ok<{ liftListing: { version: number } }>(
          'mutation($id: Int!, $v: Int!) { liftListing(id: $id, expectedVersion: $v, liftedOn: "2026-11-25") { version } }',
          { id: listing.id, v: listing.version },
          tokens.supervisor,
        );
        const closed = await ok<{
          closeListing: { history: { action: string; fromStatus: string | null; toStatus: string }[] };
        }>(
          'mutation($id: Int!, $v: Int!) { closeListing(id: $id, expectedVersion: $v) { history { action fromStatus toStatus } } }',
          { id: listing.id, v: lifted.liftListing.version },
          tokens.admin,
        );
        expect(closed.closeListing.history).toEqual([
          { action: 'listed', fromStatus: null, toStatus: 'SUPERVISING' },
          { action: 'lifted', fromStatus: 'SUPERVISING', toStatus: 'LIFTED' },
          { action: 'closed', fromStatus: 'LIFTED', toStatus: 'CLOSED' },
        ]);
        // Loaded listings have their history from their own dates, by their supervising unit.
        const [loaded] = await database.rows<{ id: number; unit: string; lifted: string | null }>(sql`
          SELECT id, supervising_unit AS unit, lifted_on::text AS lifted FROM supervision_listings
          WHERE id <> ${listing.id} AND lifted_on IS NOT NULL ORDER BY id LIMIT 1`);
        const history = await ok<{
          listing: { history: { action: string; changedBy: string; changedAt: string }[] };
        }>(
          'query($id: Int!) { listing(id: $id) { history { action changedBy changedAt } } }',
          { id: loaded!.id },
          tokens.leader,
        );
        // It names people: not without a login.
        const anonymous = await gql('query($id: Int!) { listing(id: $id) { history { changedBy } } }', {
          id: loaded!.id,
        });
        expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
        expect(history.listing.history.slice(0, 2).map((h) => [h.action, h.changedBy])).toEqual([
          ['listed', loaded!.unit],
          ['lifted', loaded!.unit],
        ]);
        // Stamped at midnight of that day in China (the ledger's day), given in UTC.
        const chinaDayOf = (iso: string) =>
          new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
        expect(history.listing.history[1]!.changedAt).toMatch(/T16:00:00Z$/);
        expect(chinaDayOf(history.listing.history[1]!.changedAt)).toBe(loaded!.lifted);
      });

      it('creates department users with their department’s county as their scope, and refuses a department user without one', async () => {
        const create = (extra: string) =>
          gql<{ createUser: { role: string; regionScope: string | null; departmentId: number | null } }>(
            `mutation { createUser(username: "dept-${Math.random().toString(36).slice(2, 8)}", displayName: "责任单位", role: DEPARTMENT, password: "a-long-password-2026"${extra}) { role regionScope departmentId } }`,
            {},
            tokens.admin,
          );
        const before = await fingerprint();
        const missing = await create('');
        expect(missing.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'departmentId',
        });
        const scoped = await create(`, departmentId: ${mine.id}, regionScope: "52"`);
        expect(scoped.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'regionScope',
        });
        const unknown = await create(', departmentId: 999999');
        expect(unknown.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'departmentId',
        });
        expect(await fingerprint()).toEqual(before);
        const made = await create(`, departmentId: ${other.id}`);
        expect(made.data?.createUser).toEqual({
          role: 'DEPARTMENT',
          regionScope: mine.countyCode,
          departmentId: other.id,
        });
        // Another role cannot carry a department.
        const leader = await gql(
          `mutation { createUser(username: "leader-x1", displayName: "x", role: LEADER, departmentId: ${mine.id}, password: "a-long-password-2026") { id } }`,
          {},
          tokens.admin,
        );
        expect(leader.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'departmentId',
        });
      });

      it('lists at most the 200 busiest departments in a ledger summary, however many names a ledger holds', async () => {
        // Department names are free text: a county's file can hold hundreds. 230 names, one problem
        // each, and one name with 101 (more than any real department of the county has): the
        // summary lists 200, the busiest first.
        const names = Array.from({ length: 230 }, (_, i) => `压力测试部门${String(i).padStart(3, '0')}`);
        const rows = [...names, ...Array<string>(100).fill(names[7]!)];
        await database.rows(sql`
          INSERT INTO supervision_problems (listing_id, county_code, category, department, description, found_on, deadline, status)
          SELECT ${listingId}, ${mine.countyCode}, 'FUNDS', d, '部门名称压力测试', DATE '2026-10-01', DATE '2026-12-31', 'open'
          FROM unnest(${`{${rows.join(',')}}`}::text[]) AS d`);
        try {
          const summary = await ok<{
            supervisionSummary: { byDepartment: { key: string; total: number }[] };
          }>(
            'query($r: String) { supervisionSummary(regionCode: $r) { byDepartment { key total } } }',
            { r: mine.countyCode },
            tokens.admin,
          );
          const listed = summary.supervisionSummary.byDepartment;
          expect(listed).toHaveLength(MAX_SUMMARY_DEPARTMENTS);
          expect(listed[0]).toEqual({ key: names[7], total: 101 });
          // Sorted by problems, most first, and the cut drops the least busy only: no department
          // left out has more problems than the last one listed.
          for (let i = 1; i < listed.length; i++)
            expect(listed[i]!.total).toBeLessThanOrEqual(listed[i - 1]!.total);
          const all = await database.rows<{ department: string; total: number }>(sql`
            SELECT department, count(*)::int AS total FROM supervision_problems
            WHERE county_code = ${mine.countyCode} GROUP BY department`);
          const shown = new Set(listed.map((d) => d.key));
          const leftOut = all.filter((d) => !shown.has(d.department));
          expect(leftOut.length).toBe(all.length - MAX_SUMMARY_DEPARTMENTS);
          expect(Math.max(...leftOut.map((d) => d.total))).toBeLessThanOrEqual(listed.at(-1)!.total);
        } finally {
          await database.rows(sql`DELETE FROM supervision_problems WHERE description = '部门名称压力测试'`);
        }
      });
    },
  );
}
