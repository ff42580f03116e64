// The daily reminders of overdue problems (催办): once a day (the ledger's day in China) every
// problem that is open past its deadline gets one reminder, addressed by how long it has been
// overdue — its department; after ESCALATE_TO_SUPERVISOR_DAYS the county's supervisors; after
// ESCALATE_TO_ADMIN_DAYS the admins. The reminders of a day are then sent as digests, one per
// addressee, through the configured channels (email and SMS are adapters of ReminderChannel; the
// product ships the log channel only). The server runs this on a timer; `pnpm ledger:remind` runs it
// by hand. Running it twice a day, or on two servers at once, records and sends each reminder once.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import type { Database } from '../client.ts';
import { ledgerToday } from '../facts.ts';
import { openProblem } from '../queries/ledger.ts';
import { type AuditWho, appendAudit } from './audit.ts';

export const ESCALATE_TO_SUPERVISOR_DAYS = 7;
export const ESCALATE_TO_ADMIN_DAYS = 30;

/** 0: the department; 1: the county's supervisors; 2: the admins. */
export type ReminderLevel = 0 | 1 | 2;
export const REMINDER_LEVELS = ['department', 'supervisor', 'admin'] as const;

export interface ReminderRow {
  id: number;
  problemId: number;
  day: string;
  daysOverdue: number;
  level: ReminderLevel;
  countyCode: string;
  departmentId: number | null;
  department: string;
  deadline: string;
  description: string;
  deliveredAt: string | null;
}

/** One addressee's reminders of a day. */
export interface ReminderDigest {
  day: string;
  level: ReminderLevel;
  /** The county (levels 0 and 1); null for the admins' digest, which covers every county. */
  countyCode: string | null;
  /** The department (level 0): the registered one's number, and its name (or the free text). */
  departmentId: number | null;
  department: string | null;
  reminders: ReminderRow[];
}

/** Where digests go. An email or SMS adapter implements this; a failed send throws. */
export interface ReminderChannel {
  name: string;
  send(digest: ReminderDigest): Promise<void>;
}

/** The channel the product ships: one line per digest in the server's log. */
export function logChannel(log: (line: string) => void = console.log): ReminderChannel {
  return {
    name: 'log',
    async send(d) {
      const to =
        d.level === 0
          ? `department ${d.department} of county ${d.countyCode}`
          : d.level === 1
            ? `the supervisors of county ${d.countyCode}`
            : 'the admins';
      const oldest = Math.max(...d.reminders.map((r) => r.daysOverdue));
      log(
        `reminders ${d.day} → ${to}: ${d.reminders.length} overdue problem(s), the oldest ${oldest} days (problems ${d.reminders
          .slice(0, 10)
          .map((r) => r.problemId)
          .join(', ')}${d.reminders.length > 10 ? ', …' : ''})`,
      );
    },
  };
}

export interface ReminderRun {
  day: string;
  /** Overdue problems on that day. */
  overdue: number;
  /** Reminders this run recorded (0 when the day's were recorded already). */
  recorded: number;
  /** Reminders this run delivered, and in how many digests. */
  delivered: number;
  digests: number;
  byLevel: Record<(typeof REMINDER_LEVELS)[number], number>;
}

/** From how many days overdue each level is reached, highest first: the one rule, in JS and SQL. */
const LEVEL_FROM: ReadonlyArray<[ReminderLevel, number]> = [
  [2, ESCALATE_TO_ADMIN_DAYS],
  [1, ESCALATE_TO_SUPERVISOR_DAYS],
];

/** The reminder level of a problem overdue by `days` days. */
export function reminderLevel(days: number): ReminderLevel {
  return LEVEL_FROM.find(([, from]) => days >= from)?.[0] ?? 0;
}

const LEVEL_SQL = sql.raw(
  `CASE ${LEVEL_FROM.map(([level, from]) => `WHEN day_count >= ${from} THEN ${level}`).join(' ')} ELSE 0 END`,
);

/**
 * Records the day's reminders (once per problem and day), then delivers those of the day not yet
 * delivered. `day` defaults to today in China and may not be later. Delivery claims the rows in
 * a transaction and keeps the claim only when every channel took the digest, so a failed send is
 * tried again by the next run, and two servers never send the same reminder.
 */
export async function runReminders(
  database: Database,
  options: { day?: string; channels: readonly ReminderChannel[]; who: AuditWho },
): Promise<ReminderRun> {
  const day = options.day ?? ledgerToday();
  const parsed = Date.parse(`${day}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(parsed) ||
    new Date(parsed).toISOString().slice(0, 10) !== day
  )
    throw new Error(`"${day}" is not a date (YYYY-MM-DD)`);
  if (day > ledgerToday()) throw new Error(`${day} is in the future: reminders are for today or earlier`);
  const recorded = await database.db.transaction(async (tx) => {
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`WITH overdue AS (
            SELECT id, county_code, department_id, department, (${day}::date - deadline) AS day_count
            FROM supervision_problems
            WHERE ${openProblem()} AND deadline < ${day}::date AND found_on <= ${day}::date),
          added AS (
            INSERT INTO problem_reminders (problem_id, day, days_overdue, level, county_code, department_id, department)
            SELECT id, ${day}::date, day_count, ${LEVEL_SQL}, county_code, department_id, department FROM overdue
            ON CONFLICT (problem_id, day) DO NOTHING
            RETURNING 1)
          SELECT (SELECT count(*) FROM added)::int AS n`,
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0)
      await appendAudit(tx, options.who, {
        action: 'reminders.recorded',
        note: `${n} reminder(s) of overdue problems recorded for ${day}`,
      });
    return n;
  });
  const delivery = await deliver(database, day, options.channels);
  const [counts] = await queryRows<{ overdue: number; l0: number; l1: number; l2: number }>(
    database.db,
    sql`SELECT count(*)::int AS overdue, count(*) FILTER (WHERE level = 0)::int AS l0,
          count(*) FILTER (WHERE level = 1)::int AS l1, count(*) FILTER (WHERE level = 2)::int AS l2
        FROM problem_reminders WHERE day = ${day}::date`,
  );
  return {
    day,
    overdue: counts?.overdue ?? 0,
    recorded,
    ...delivery,
    byLevel: { department: counts?.l0 ?? 0, supervisor: counts?.l1 ?? 0, admin: counts?.l2 ?? 0 },
  };
}

const REMINDER_COLUMNS = sql`r.id, r.problem_id AS "problemId", r.day::text AS day, r.days_overdue AS "daysOverdue",
  r.level, r.county_code AS "countyCode", r.department_id AS "departmentId", r.department,
  p.deadline::text AS deadline, p.description,
  to_char(r.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "deliveredAt"`;

/**
 * Sends every reminder not yet delivered, up to `day` (a day the job missed or whose send failed
 * goes out with the next run), one digest per addressee and day. Each digest is claimed and sent
 * in its own transaction: a channel that fails leaves that digest for the next run and the ones
 * sent before it sent. Delivery is at least once: a commit that fails after a channel took the
 * digest sends it again next time.
 */
async function deliver(
  database: Database,
  day: string,
  channels: readonly ReminderChannel[],
): Promise<{ delivered: number; digests: number }> {
  const waiting = await queryRows<ReminderRow>(
    database.db,
    sql`SELECT ${REMINDER_COLUMNS} FROM problem_reminders r JOIN supervision_problems p ON p.id = r.problem_id
        WHERE r.day <= ${day}::date AND r.delivered_at IS NULL
        ORDER BY r.day, r.level, r.county_code, r.department, r.days_overdue DESC, r.problem_id`,
  );
  const days = [...new Set(waiting.map((r) => r.day))];
  let delivered = 0;
  let digests = 0;
  for (const d of days)
    for (const digest of digestsOf(
      d,
      waiting.filter((r) => r.day === d),
    )) {
      const sent = await database.db.transaction(async (tx) => {
        // The claim: another run that read the same rows finds them delivered and skips them.
        const claimed = await queryRows<{ id: number }>(
          tx,
          sql`UPDATE problem_reminders SET delivered_at = now()
              WHERE id IN ${sqlList(digest.reminders.map((r) => r.id))} AND delivered_at IS NULL RETURNING id`,
        );
        const ids = new Set(claimed.map((c) => Number(c.id)));
        const reminders = digest.reminders.filter((r) => ids.has(Number(r.id)));
        if (!reminders.length) return 0;
        for (const channel of channels) await channel.send({ ...digest, reminders });
        return reminders.length;
      });
      if (sent) {
        delivered += sent;
        digests += 1;
      }
    }
  return { delivered, digests };
}

/** Groups a day's reminders by addressee: a county's department, a county's supervisors, the admins. */
export function digestsOf(day: string, rows: readonly ReminderRow[]): ReminderDigest[] {
  const digests = new Map<string, ReminderDigest>();
  for (const r of rows) {
    const level = r.level as ReminderLevel;
    const key =
      level === 0
        ? `0 ${r.countyCode} ${r.departmentId ?? r.department}`
        : level === 1
          ? `1 ${r.countyCode}`
          : '2';
    let digest = digests.get(key);
    if (!digest) {
      digest = {
        day,
        level,
        countyCode: level === 2 ? null : r.countyCode,
        departmentId: level === 0 ? r.departmentId : null,
        department: level === 0 ? r.department : null,
        reminders: [],
      };
      digests.set(key, digest);
    }
    digest.reminders.push(r);
  }
  return [...digests.values()];
}

/** Whose reminders a reader sees: a department's, a region's (code prefix), or all. */
export interface ReminderScope {
  departmentId?: number | null;
  region?: string | null;
  /** Only these levels (a supervisor's digest starts at level 1, but they may look at all). */
  minLevel?: ReminderLevel;
}

/** A day's reminders in a scope, the most overdue first; `limit` rows and the total. */
export async function findReminders(
  db: Executor,
  day: string,
  scope: ReminderScope,
  limit: number,
): Promise<{ rows: ReminderRow[]; total: number }> {
  const where = sql`r.day = ${day}::date
    ${
      // A problem handed to another department since: its reminders are no longer this one's.
      scope.departmentId != null
        ? sql`AND r.department_id = ${scope.departmentId} AND p.department_id = ${scope.departmentId}`
        : sql``
    }
    ${scope.region ? sql`AND starts_with(r.county_code, ${scope.region})` : sql``}
    ${scope.minLevel ? sql`AND r.level >= ${scope.minLevel}` : sql``}`;
  const rows = await queryRows<ReminderRow & { total: number }>(
    db,
    sql`SELECT ${REMINDER_COLUMNS}, (count(*) OVER ())::int AS total
        FROM problem_reminders r JOIN supervision_problems p ON p.id = r.problem_id
        WHERE ${where}
        ORDER BY r.days_overdue DESC, r.problem_id LIMIT ${limit}`,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

/** A problem's reminders shown with it: the latest this many days. */
export const REMINDERS_PER_PROBLEM = 30;

/** The reminders of each problem, newest first (at most `perProblem` each). */
export function findProblemReminders(
  db: Executor,
  problemIds: readonly number[],
  perProblem = REMINDERS_PER_PROBLEM,
): Promise<ReminderRow[]> {
  if (!problemIds.length) return Promise.resolve([]);
  return queryRows<ReminderRow>(
    db,
    sql`SELECT ${REMINDER_COLUMNS} FROM supervision_problems p
        CROSS JOIN LATERAL (SELECT * FROM problem_reminders x WHERE x.problem_id = p.id
          ORDER BY x.day DESC LIMIT ${perProblem}) r
        WHERE p.id IN ${sqlList(problemIds)}
        ORDER BY r.problem_id, r.day DESC`,
  );
}
