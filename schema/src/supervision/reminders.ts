// Overdue reminders (催办) through the API: the day's reminders addressed to the caller (their
// department's, their region's, or all for an admin), and each problem's own. The daily job that
// records and sends them is db/src/supervision/reminders.ts; nothing here writes.
import {
  ESCALATE_TO_ADMIN_DAYS,
  ESCALATE_TO_SUPERVISOR_DAYS,
  findReminders,
  ledgerToday,
  REMINDERS_PER_PROBLEM,
  type ReminderLevel,
  type ReminderRow,
} from '@rrm/db';
import { problemReadScope, reminderScope } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import { sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { ProblemRef } from './problems.ts';
import { checkDate } from './workflow.ts';

export const MAX_REMINDER_PAGE = 500;

const ReminderLevelEnum = builder.enumType('ReminderLevel', {
  description: `To whom a reminder goes, by how long its problem has been overdue: its department; after ${ESCALATE_TO_SUPERVISOR_DAYS} days the county's supervisors; after ${ESCALATE_TO_ADMIN_DAYS} the admins.`,
  values: {
    DEPARTMENT: { value: 0, description: `责任单位: overdue less than ${ESCALATE_TO_SUPERVISOR_DAYS} days.` },
    SUPERVISOR: {
      value: 1,
      description: `督战 supervisors of the county: ${ESCALATE_TO_SUPERVISOR_DAYS}–${ESCALATE_TO_ADMIN_DAYS - 1} days.`,
    },
    ADMIN: { value: 2, description: `Admins: ${ESCALATE_TO_ADMIN_DAYS} days or more.` },
  } as Record<string, { value: ReminderLevel; description: string }>,
});

const ReminderRef = builder.objectRef<ReminderRow>('Reminder').implement({
  description: 'One day’s reminder (催办) of an overdue problem; one per problem and day.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Reminder number.' }),
    problemId: t.exposeInt('problemId', { description: 'The overdue problem.' }),
    day: t.exposeString('day', { description: 'The ledger’s day (China) it is for.' }),
    daysOverdue: t.exposeInt('daysOverdue', { description: 'Days past the deadline on that day.' }),
    level: t.field({ type: ReminderLevelEnum, description: 'To whom.', resolve: (r) => r.level }),
    countyCode: t.exposeString('countyCode', { description: 'The problem’s county.' }),
    department: t.exposeString('department', { description: '责任单位 on that day.' }),
    departmentId: t.exposeInt('departmentId', { nullable: true, description: 'Its registered department.' }),
    // The problem itself, not copies of its text: a problem's reminders ask for it once.
    problem: t.field({
      type: ProblemRef,
      nullable: true,
      description:
        'The problem (null if the caller may no longer read it, e.g. handed to another department).',
      resolve: async (r, _a, ctx) => {
        const problem = await ctx.loaders.problemById.load(r.problemId);
        const department = problemReadScope(ctx.viewer);
        return problem && (department == null || problem.departmentId === department) ? problem : null;
      },
    }),
    deliveredAt: t.exposeString('deliveredAt', {
      nullable: true,
      description: 'When its digest was sent (ISO, UTC); null until it has been.',
    }),
  }),
});

const ReminderDayRef = builder
  .objectRef<{ day: string; total: number; entries: ReminderRow[] }>('ReminderDay')
  .implement({
    description: 'A day’s reminders the caller may see, the most overdue first.',
    fields: (t) => ({
      day: t.exposeString('day', { description: 'The day (China).' }),
      total: t.exposeInt('total', { description: 'How many in all (entries may be fewer).' }),
      entries: t.field({
        type: [ReminderRef],
        // Costed as a full page, whatever `first` asked.
        ...sized(MAX_REMINDER_PAGE),
        description: 'The reminders.',
        resolve: (d) => d.entries,
      }),
    }),
  });

builder.queryField('reminders', (t) =>
  t.field({
    type: ReminderDayRef,
    description:
      'A day’s overdue reminders you may see: a department user’s department’s (those addressed to it, and their escalations), a supervisor’s region’s, every one for an admin; `minLevel: SUPERVISOR` leaves those a supervisor was sent. Leaders and analysts are sent none (FORBIDDEN).',
    args: {
      day: t.arg.string({
        required: false,
        description: 'The day (YYYY-MM-DD, not in the future); today by default.',
      }),
      minLevel: t.arg({
        type: ReminderLevelEnum,
        required: false,
        description: 'Only reminders escalated this far (SUPERVISOR: those the county’s supervisors got).',
      }),
      first: t.arg.int({ required: false, description: `How many, 1–${MAX_REMINDER_PAGE} (default 100).` }),
    },
    resolve: async (_r, args, ctx) => {
      const scope = reminderScope(ctx.viewer, 'reminders');
      const day = checkDate('day', args.day) ?? ledgerToday();
      if (day > ledgerToday()) throw badInput('day', `${day} is in the future`);
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > MAX_REMINDER_PAGE)
        throw badInput('first', `must be 1–${MAX_REMINDER_PAGE}, got ${first}`);
      const { rows, total } = await findReminders(
        ctx.database.db,
        day,
        { ...scope, minLevel: args.minLevel ?? 0 },
        first,
      );
      return { day, total, entries: rows };
    },
  }),
);

builder.objectField(ProblemRef, 'reminders', (t) =>
  t.field({
    type: [ReminderRef],
    ...sized(REMINDERS_PER_PROBLEM),
    description: `The reminders sent while it was overdue, newest first (the latest ${REMINDERS_PER_PROBLEM}).`,
    resolve: (p, _a, ctx) => ctx.loaders.problemReminders.load(p.id),
  }),
);
