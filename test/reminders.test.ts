// The daily reminders of overdue problems (#16), on both backends: one reminder per overdue problem
// per day, however often the job runs; escalation to the county's supervisors after 7 days overdue
// and to the admins after 30; digests per addressee through the channels, a failed send tried
// again by the next run; who reads which reminders through the API; and `pnpm ledger:remind`.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ESCALATE_TO_ADMIN_DAYS,
  ESCALATE_TO_SUPERVISOR_DAYS,
  ledgerToday,
  type ReminderChannel,
  type ReminderDigest,
  reminderLevel,
  runReminders,
} from '@rrm/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { errorCode, graphqlClient, loginAs, startTestServer, type TestServer } from './support/http.ts';

/** The day `days` before `day` (YYYY-MM-DD). */
const daysBefore = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** A channel that keeps what it is sent (a real implementation of the interface, not a stand-in for the log). */
function keepingChannel(): ReminderChannel & { digests: ReminderDigest[] } {
  const digests: ReminderDigest[] = [];
  return { name: 'kept', digests, send: async (d) => void digests.push(d) };
}

const SYSTEM = { userId: null, username: 'system:test' };

describe('reminder levels', () => {
  it('escalate to the supervisors after 7 days overdue and to the admins after 30', () => {
    expect([1, 6, 7, 29, 30, 400].map(reminderLevel)).toEqual([0, 0, 1, 1, 2, 2]);
    expect([ESCALATE_TO_SUPERVISOR_DAYS, ESCALATE_TO_ADMIN_DAYS]).toEqual([7, 30]);
  });
});

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `overdue reminders on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      const { gql, ok } = graphqlClient(() => server);
      const today = ledgerToday();
      /** The demo department user's department and county. */
      let mine: { id: number; countyCode: string };
      /** Problems of that department, by how many days overdue. */
      const overdueBy = new Map<number, number>();
      const reminderCount = async (day = today) =>
        Number(
          (
            await database.rows<{ n: number }>(
              sql`SELECT count(*)::int AS n FROM problem_reminders WHERE day = ${day}::date`,
            )
          )[0]!.n,
        );

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        for (const name of ['department', 'supervisor', 'admin', 'leader', 'analyst'])
          tokens[name] = await loginAs(server, name);
        const [department] = await database.rows<{ id: number; countyCode: string }>(sql`
          SELECT d.id, d.county_code AS "countyCode" FROM users u JOIN departments d ON d.id = u.department_id
          WHERE u.username = 'department'`);
        mine = department!;
        // Overdue by 3, 6, 7, 29 and 30 days; and one due today (not overdue).
        for (const days of [3, 6, 7, 29, 30, 0]) {
          const deadline = daysBefore(today, days);
          const reported = await ok<{ reportProblem: { id: number } }>(
            `mutation($c: String!, $d: Int!, $found: String!, $deadline: String!) { reportProblem(input: {
               countyCode: $c, departmentId: $d, category: DRINKING_WATER, description: "催办测试",
               foundOn: $found, deadline: $deadline }) { id } }`,
            { c: mine.countyCode, d: mine.id, found: daysBefore(today, 60), deadline },
            tokens.admin,
          );
          overdueBy.set(Number(reported.reportProblem.id), days);
        }
      }, 60_000);

      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('records one reminder per overdue problem, at its level, and sends each addressee a digest', async () => {
        const [{ n: overdueNow }] = (await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM supervision_problems WHERE status <> 'closed' AND deadline < ${today}::date`,
        )) as [{ n: number }];
        const channel = keepingChannel();
        const run = await runReminders(database, { channels: [channel], who: SYSTEM });
        expect(run).toMatchObject({
          day: today,
          overdue: overdueNow,
          recorded: overdueNow,
          delivered: overdueNow,
        });
        expect(run.byLevel.department + run.byLevel.supervisor + run.byLevel.admin).toBe(overdueNow);
        const levels = await database.rows<{ problemId: number; level: number; daysOverdue: number }>(sql`
          SELECT problem_id AS "problemId", level, days_overdue AS "daysOverdue" FROM problem_reminders
          WHERE day = ${today}::date AND problem_id IN (${sql.join([...overdueBy.keys()], sql`, `)})`);
        expect(
          Object.fromEntries(
            levels.map((r) => [overdueBy.get(Number(r.problemId)), [r.daysOverdue, r.level]]),
          ),
        ).toEqual({ 3: [3, 0], 6: [6, 0], 7: [7, 1], 29: [29, 1], 30: [30, 2] });
        // Digests: each reminder once; the department's holds its fresh ones, the county's
        // supervisors' the 7–29-day ones, the admins' the rest.
        expect(channel.digests.reduce((n, d) => n + d.reminders.length, 0)).toBe(overdueNow);
        expect(channel.digests.length).toBe(run.digests);
        const idOf = (days: number) => [...overdueBy].find(([, d]) => d === days)![0];
        const digestOf = (problemId: number) =>
          channel.digests.find((d) => d.reminders.some((r) => Number(r.problemId) === problemId))!;
        expect(digestOf(idOf(3))).toMatchObject({
          level: 0,
          departmentId: mine.id,
          countyCode: mine.countyCode,
        });
        expect(digestOf(idOf(7))).toMatchObject({
          level: 1,
          departmentId: null,
          countyCode: mine.countyCode,
        });
        expect(digestOf(idOf(30))).toMatchObject({ level: 2, countyCode: null });
        for (const d of channel.digests)
          for (const r of d.reminders) {
            expect(r.level).toBe(d.level);
            if (d.level < 2) expect(r.countyCode).toBe(d.countyCode);
          }
        expect(channel.digests.flatMap((d) => d.reminders).some((r) => Number(r.problemId) === idOf(0))).toBe(
          false,
        );
      });

      it('is idempotent per day: a second run records and sends nothing', async () => {
        const before = await reminderCount();
        const auditBefore = await database.rows(
          sql`SELECT id FROM audit_log WHERE action = 'reminders.recorded'`,
        );
        const channel = keepingChannel();
        const again = await runReminders(database, { channels: [channel], who: SYSTEM });
        expect(again).toMatchObject({ recorded: 0, delivered: 0, digests: 0, overdue: before });
        expect(channel.digests).toEqual([]);
        expect(await reminderCount()).toBe(before);
        // The first run is in the audit log, the second (which wrote nothing) is not.
        const auditAfter = await database.rows(
          sql`SELECT id FROM audit_log WHERE action = 'reminders.recorded'`,
        );
        expect(auditAfter.length).toBe(auditBefore.length);
        expect(auditAfter.length).toBeGreaterThan(0);
      });

      it('keeps the reminders of a failed send and sends them with the next run, on a later day too', async () => {
        const day = daysBefore(today, 1);
        const failing: ReminderChannel = {
          name: 'down',
          send: async () => {
            throw new Error('the mail server is down');
          },
        };
        await expect(runReminders(database, { day, channels: [failing], who: SYSTEM })).rejects.toThrow(
          'the mail server is down',
        );
        const recorded = await reminderCount(day);
        expect(recorded).toBeGreaterThan(0);
        const [{ n: undelivered }] = (await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM problem_reminders WHERE day = ${day}::date AND delivered_at IS NULL`,
        )) as [{ n: number }];
        expect(undelivered).toBe(recorded);
        const channel = keepingChannel();
        // Today's run sends yesterday's undelivered reminders (today's went out before).
        const retry = await runReminders(database, { channels: [channel], who: SYSTEM });
        expect(retry).toMatchObject({ recorded: 0, delivered: recorded });
        expect(new Set(channel.digests.map((d) => d.day))).toEqual(new Set([day]));
        // Yesterday a problem 3 days overdue today was 2 days overdue.
        const [row] = await database.rows<{ daysOverdue: number }>(sql`
          SELECT days_overdue AS "daysOverdue" FROM problem_reminders WHERE day = ${day}::date
            AND problem_id = ${[...overdueBy].find(([, d]) => d === 3)![0]}`);
        expect(row!.daysOverdue).toBe(2);
        await expect(
          runReminders(database, { day: daysBefore(today, -1), channels: [], who: SYSTEM }),
        ).rejects.toThrow(/future/);
        await expect(
          runReminders(database, { day: '2026-02-30', channels: [], who: SYSTEM }),
        ).rejects.toThrow(/not a date/);
      });

      it('shows a department its own reminders, a supervisor their region’s, an admin all; leaders none', async () => {
        const query = `query($m: ReminderLevel) { reminders(minLevel: $m, first: 500) { day total entries { problemId level departmentId countyCode daysOverdue deliveredAt } } }`;
        type Day = {
          reminders: {
            day: string;
            total: number;
            entries: { problemId: number; level: string; departmentId: number | null; countyCode: string }[];
          };
        };
        const asDepartment = (await ok<Day>(query, {}, tokens.department)).reminders;
        expect(asDepartment.day).toBe(today);
        expect(asDepartment.entries.length).toBe(asDepartment.total);
        for (const e of asDepartment.entries) expect(e.departmentId).toBe(mine.id);
        const seen = new Set(asDepartment.entries.map((e) => Number(e.problemId)));
        for (const [id, days] of overdueBy) expect(seen.has(id), `${days} days overdue`).toBe(days > 0);
        const [scope] = await database.rows<{ scope: string }>(
          sql`SELECT region_scope AS scope FROM users WHERE username = 'supervisor'`,
        );
        const asSupervisor = (await ok<Day>(query, {}, tokens.supervisor)).reminders;
        for (const e of asSupervisor.entries) expect(e.countyCode.startsWith(scope!.scope)).toBe(true);
        const [{ n: inScope }] = (await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM problem_reminders WHERE day = ${today}::date AND starts_with(county_code, ${scope!.scope})`,
        )) as [{ n: number }];
        expect(asSupervisor.total).toBe(inScope);
        const asAdmin = (await ok<Day>(query, {}, tokens.admin)).reminders;
        expect(asAdmin.total).toBe(await reminderCount());
        const escalated = (await ok<Day>(query, { m: 'ADMIN' }, tokens.admin)).reminders;
        expect(escalated.total).toBeGreaterThan(0);
        for (const e of escalated.entries) expect(e.level).toBe('ADMIN');
        for (const role of ['leader', 'analyst'])
          expect(errorCode(await gql(query, {}, tokens[role])), role).toBe('FORBIDDEN');
        expect(errorCode(await gql(query))).toBe('UNAUTHENTICATED');
      });

      it('lists a problem’s reminders with it, newest first', async () => {
        const id = [...overdueBy].find(([, d]) => d === 30)![0];
        const data = await ok<{
          problem: { reminders: { day: string; level: string; daysOverdue: number }[] };
        }>(
          'query($id: Int!) { problem(id: $id) { reminders { day level daysOverdue } } }',
          { id },
          tokens.department,
        );
        expect(data.problem.reminders.slice(0, 2)).toEqual([
          { day: today, level: 'ADMIN', daysOverdue: 30 },
          { day: daysBefore(today, 1), level: 'SUPERVISOR', daysOverdue: 29 },
        ]);
      });

      it('refuses bad arguments by name', async () => {
        for (const [args, argument] of [
          ['day: "2026-02-30"', 'day'],
          ['day: "tomorrow"', 'day'],
          [`day: "${daysBefore(today, -1)}"`, 'day'],
          ['first: 0', 'first'],
          ['first: 501', 'first'],
        ] as const) {
          const result = await gql(`{ reminders(${args}) { total } }`, {}, tokens.admin);
          expect(errorCode(result), args).toBe('BAD_USER_INPUT');
          expect(result.errors?.[0]?.extensions?.argument, args).toBe(argument);
        }
      });
    },
  );
}

describe('pnpm ledger:remind', () => {
  const run = promisify(execFile);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrm-remind-'));
    cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const remind = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/ledger-remind.ts', ...args], {
      env: { ...process.env, PGLITE_DATA_DIR: dir, DATABASE_URL: '' },
    });

  it('records and sends today’s reminders once, and refuses a malformed day', async () => {
    const first = await remind();
    const summary = first.stdout.split('\n').find((l) => l.startsWith('reminders of '))!;
    expect(first.stdout).toMatch(/^evidence: \d+ unattached upload\(s\) older than a day deleted$/m);
    const match =
      /^reminders of (\S+): (\d+) overdue .*; (\d+) recorded now, (\d+) sent in (\d+) digest/.exec(summary);
    expect(match, summary).not.toBeNull();
    expect(match![1]).toBe(ledgerToday());
    expect(Number(match![2])).toBeGreaterThan(0);
    expect(match![3]).toBe(match![2]);
    // The log channel wrote one line per digest.
    expect(first.stdout.split('\n').filter((l) => l.startsWith('reminders ') && l.includes('→')).length).toBe(
      Number(match![5]),
    );
    const second = await remind();
    expect(second.stdout).toMatch(/; 0 recorded now, 0 sent in 0 digest/);
    await expect(remind('--day', 'yesterday')).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});
