// The problem ledger (问题台账): each problem with its history, the list with its filters, and the
// workflow steps that report a problem and move it along (permissions come from auth/policy.ts).
import {
  allowedNext,
  assignDepartment,
  changeProblemStatus,
  countProblems,
  type DepartmentDeadlines,
  findProblems,
  findProblemsById,
  ledgerDeadlines,
  MAX_DEADLINE_ROWS,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_STATUS_LABELS,
  type ProblemHistoryRow,
  type ProblemRow,
  type ProblemSource,
  type ProblemStatus,
  reportProblem,
  setDeadline,
  updateProblemDetails,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { problemReadScope, requireLogin } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { queryCost, SCAN_COST, sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { checkSearch, enumOf, regionCodePrefix, SortDirectionEnum } from '../inputs.ts';
import { listConnection } from '../list-connection.ts';
import { CountyRef, VillageRef } from '../refs.ts';
import { checkEvidence, EvidenceInput } from './evidence-input.ts';
import {
  checkDate,
  id,
  idempotencyKey,
  problemActor,
  requiredDate,
  type Transaction,
  text,
  type Writer,
  write,
  writer,
} from './workflow.ts';

export { PROBLEM_CATEGORY_LABELS, PROBLEM_STATUS_LABELS };

export const ProblemCategoryEnum = enumOf('ProblemCategory', '问题类别.', PROBLEM_CATEGORY_LABELS);

export const ProblemStatusEnum = enumOf(
  'ProblemStatus',
  '整改状态: open → signed for by the department (签收) → in progress → rectified → closed (verified, 销号).',
  PROBLEM_STATUS_LABELS,
);

export const ProblemSourceEnum = enumOf(
  'ProblemSource',
  '问题来源: how the problem was found.',
  PROBLEM_SOURCE_LABELS,
);

export const FieldChangeRef = builder
  .objectRef<{ field: string; from: unknown; to: unknown }>('FieldChange')
  .implement({
    description: 'One field a change set: its value before and after, as text (null: empty).',
    fields: (t) => ({
      field: t.exposeString('field', {
        description: 'The field: department, departmentId, deadline, source, measures, responsiblePerson.',
      }),
      from: t.string({ nullable: true, description: 'Before.', resolve: (c) => asText(c.from) }),
      to: t.string({ nullable: true, description: 'After.', resolve: (c) => asText(c.to) }),
    }),
  });

const asText = (value: unknown) => (value == null ? null : String(value));

/** A stored `{field: {from, to}}` as FieldChange items; other keys (an import's number) are skipped. */
export const fieldChangeList = (changes: Record<string, unknown> | null | undefined) =>
  Object.entries(changes ?? {})
    .filter((entry): entry is [string, { from: unknown; to: unknown }] => {
      const change = entry[1];
      return typeof change === 'object' && change !== null;
    })
    .map(([field, change]) => ({ field, from: change.from, to: change.to }));

const VerificationRef = builder
  .objectRef<{ by: string; at: string; result: string; note: string | null }>('Verification')
  .implement({
    description: '验收: the latest verification of a rectification.',
    fields: (t) => ({
      by: t.exposeString('by', { description: 'Who verified (never the one who marked it rectified).' }),
      at: t.exposeString('at', { description: 'When (ISO 8601, UTC).' }),
      passed: t.boolean({
        description: 'True: closed (销号); false: sent back to rectifying, the note saying why.',
        resolve: (v) => v.result === 'passed',
      }),
      note: t.exposeString('note', { nullable: true, description: 'Note, or the reason it was sent back.' }),
    }),
  });

const ProblemHistoryRef = builder.objectRef<ProblemHistoryRow>('ProblemChange').implement({
  description: 'One change to a problem (整改记录); the history is append-only.',
  fields: (t) => ({
    changedAt: t.exposeString('changedAt', { description: 'When (ISO 8601, UTC).' }),
    changedBy: t.exposeString('changedBy', { description: 'Who.' }),
    action: t.exposeString('action', {
      description:
        'What: reported, signed (签收), started, rectified, closed (verified), returned (verification failed), reopened, reassigned, deadline, edited.',
    }),
    changes: t.field({
      type: [FieldChangeRef],
      // At most the six editable fields.
      ...sized(6),
      description: 'The fields it changed, each from → to (empty for a move alone).',
      // Entries written by imports also carry the import's number ({import: "7"}): not a field.
      resolve: (h) => fieldChangeList(h.changes),
    }),
    fromStatus: t.field({
      type: ProblemStatusEnum,
      nullable: true,
      description: 'Status before.',
      resolve: (h) => h.fromStatus,
    }),
    toStatus: t.field({
      type: ProblemStatusEnum,
      nullable: true,
      description: 'Status after.',
      resolve: (h) => h.toStatus,
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'Note or reason (e.g. why it was reopened).',
    }),
  }),
});

export const ProblemRef = builder.objectRef<ProblemRow>('Problem').implement({
  description: '问题台账条目: a problem found at a village or county under supervision.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Problem number (问题编号).' }),
    listingId: t.exposeInt('listingId', {
      nullable: true,
      description: 'The 挂牌督战 listing it belongs to.',
    }),
    countyCode: t.exposeString('countyCode', { description: 'County code.' }),
    countyName: t.exposeString('countyName', { description: '县.' }),
    villageCode: t.exposeString('villageCode', {
      nullable: true,
      description: 'Village code, when found at a village.',
    }),
    villageName: t.exposeString('villageName', { nullable: true, description: '村.' }),
    townshipName: t.exposeString('townshipName', { nullable: true, description: '乡镇.' }),
    county: t.field({
      type: CountyRef,
      nullable: true,
      description: 'The county.',
      resolve: (p, _a, ctx) => ctx.loaders.county.load(p.countyCode),
    }),
    village: t.field({
      type: VillageRef,
      nullable: true,
      description: 'The village.',
      resolve: (p, _a, ctx) => (p.villageCode ? ctx.loaders.village.load(p.villageCode) : null),
    }),
    category: t.field({ type: ProblemCategoryEnum, description: '问题类别.', resolve: (p) => p.category }),
    department: t.exposeString('department', {
      description:
        "责任单位 as written: the registered department's name, or free text from before the registry.",
    }),
    departmentId: t.exposeInt('departmentId', {
      nullable: true,
      description: 'The registered department (Query.departments) that answers for it, when there is one.',
    }),
    source: t.field({
      type: ProblemSourceEnum,
      nullable: true,
      description: '问题来源; null when not recorded.',
      resolve: (p) => p.source,
    }),
    measures: t.exposeString('measures', { nullable: true, description: '整改措施.' }),
    responsiblePerson: t.exposeString('responsiblePerson', { nullable: true, description: '责任人.' }),
    signedBy: t.exposeString('signedBy', {
      nullable: true,
      description: '签收: the department user who signed for it.',
    }),
    signedAt: t.exposeString('signedAt', {
      nullable: true,
      description: 'When it was signed for (ISO 8601, UTC).',
    }),
    verification: t.field({
      type: VerificationRef,
      nullable: true,
      description: 'The latest verification (验收), if any.',
      resolve: (p) =>
        p.verifiedBy && p.verifiedAt && p.verificationResult
          ? { by: p.verifiedBy, at: p.verifiedAt, result: p.verificationResult, note: p.verificationNote }
          : null,
    }),
    description: t.exposeString('description', { description: '问题描述.' }),
    foundOn: t.exposeString('foundOn', { description: '发现日期 (ISO date).' }),
    deadline: t.exposeString('deadline', { description: '整改时限 (ISO date).' }),
    status: t.field({ type: ProblemStatusEnum, description: '整改状态.', resolve: (p) => p.status }),
    overdue: t.exposeBoolean('overdue', { description: '逾期: past the deadline and not closed, today.' }),
    rectifiedOn: t.exposeString('rectifiedOn', { nullable: true, description: '整改完成日期 (ISO date).' }),
    closedOn: t.exposeString('closedOn', { nullable: true, description: '销号日期 (ISO date).' }),
    version: t.exposeInt('version', {
      description: 'Version, for concurrent edits: every write names the version it read.',
    }),
    nextStatuses: t.field({
      type: [ProblemStatusEnum],
      ...sized(4),
      description:
        "The statuses it may move to now by the moves of the caller's kind: a department user's (sign, start, rectify), or a supervisor's (reopening and returning need a reason).",
      resolve: (p, _a, ctx) =>
        allowedNext(
          p.status as ProblemStatus,
          problemReadScope(ctx.viewer) != null ? 'department' : 'supervisor',
        ),
    }),
    history: t.field({
      type: [ProblemHistoryRef],
      // A problem's life is a handful of moves; only writers (supervisors in scope) can lengthen it.
      ...sized(30),
      description: 'Every change, oldest first.',
      resolve: (p, _a, ctx) => ctx.loaders.problemHistory.load(p.id),
    }),
  }),
});

const ProblemFilterInput = builder.inputType('ProblemFilter', {
  description: 'Filters on the ledger; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({
      required: false,
      description: 'Code prefix: 2–6 digits for counties, 9 or 12 for villages.',
    }),
    categories: t.field({
      type: [ProblemCategoryEnum],
      required: false,
      description: 'Any of these categories.',
    }),
    departments: t.stringList({
      required: false,
      description: 'Any of these departments (责任单位), by name.',
    }),
    departmentIds: t.intList({ required: false, description: 'Any of these registered departments.' }),
    sources: t.field({ type: [ProblemSourceEnum], required: false, description: 'Any of these sources.' }),
    statuses: t.field({ type: [ProblemStatusEnum], required: false, description: 'Any of these statuses.' }),
    overdue: t.boolean({ required: false, description: 'Overdue (逾期) or not.' }),
    deadlineFrom: t.string({ required: false, description: 'Deadline on or after (ISO date).' }),
    deadlineTo: t.string({ required: false, description: 'Deadline on or before (ISO date).' }),
    listingId: t.int({ required: false, description: 'Of this 挂牌督战 listing.' }),
    search: t.string({ required: false, description: 'Part of the description, up to 50 characters.' }),
    dueWithinDays: t.int({
      required: false,
      description: '即将到期: not closed, deadline from today (China) to today + N days (1–366).',
    }),
  }),
});

const ProblemOrderField = builder.enumType('ProblemOrderField', {
  description: 'What to order problems by.',
  values: {
    DEADLINE: { description: '整改时限 (default).' },
    FOUND_ON: { description: '发现日期.' },
    ID: { description: 'Problem number.' },
  } as const,
});

const ProblemOrderInput = builder.inputType('ProblemOrder', {
  description: 'Ordering of problems.',
  fields: (t) => ({
    field: t.field({ type: ProblemOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirectionEnum, required: false, description: 'ASC (default) or DESC.' }),
  }),
});

/** The furthest ahead "due soon" may look: a year. */
const MAX_DUE_DAYS = 366;

export function checkProblemFilter(
  filter:
    | {
        regionCode?: string | null;
        search?: string | null;
        deadlineFrom?: string | null;
        deadlineTo?: string | null;
        departments?: readonly string[] | null;
        departmentIds?: readonly number[] | null;
        dueWithinDays?: number | null;
      }
    | null
    | undefined,
  /** The viewer's own department, for a department user (auth/policy.ts problemReadScope). */
  ofDepartment: number | null = null,
) {
  const checked = {
    ...filter,
    regionCode: regionCodePrefix('filter.regionCode', filter?.regionCode),
    search: checkSearch('filter.search', filter?.search),
    deadlineFrom: checkDate('filter.deadlineFrom', filter?.deadlineFrom),
    deadlineTo: checkDate('filter.deadlineTo', filter?.deadlineTo),
  };
  if (checked.deadlineFrom && checked.deadlineTo && checked.deadlineFrom > checked.deadlineTo) {
    throw badInput(
      'filter.deadlineFrom',
      `${checked.deadlineFrom} is after deadlineTo ${checked.deadlineTo}`,
    );
  }
  if ((filter?.departments?.length ?? 0) > 50) throw badInput('filter.departments', 'at most 50 departments');
  if ((filter?.departmentIds?.length ?? 0) > 50)
    throw badInput('filter.departmentIds', 'at most 50 departments');
  const due = filter?.dueWithinDays;
  if (due != null && !(Number.isInteger(due) && due >= 1 && due <= MAX_DUE_DAYS))
    throw badInput('filter.dueWithinDays', `must be 1–${MAX_DUE_DAYS} days, got ${due}`);
  return { ...checked, ofDepartment };
}

const DepartmentDeadlinesRef = builder.objectRef<DepartmentDeadlines>('DepartmentDeadlines').implement({
  description: "A county department's overdue and due-soon problems.",
  fields: (t) => ({
    countyCode: t.exposeString('countyCode', { description: 'Its county.' }),
    countyName: t.exposeString('countyName', { description: '县.' }),
    department: t.exposeString('department', { description: '责任单位 as written.' }),
    departmentId: t.exposeInt('departmentId', {
      nullable: true,
      description: 'The registered department, if any.',
    }),
    overdue: t.exposeInt('overdue', { description: '逾期: past the deadline, not closed.' }),
    dueSoon: t.exposeInt('dueSoon', { description: '即将到期: due within the days asked.' }),
  }),
});

const LedgerDeadlinesRef = builder
  .objectRef<{ withinDays: number; overdue: number; dueSoon: number; byDepartment: DepartmentDeadlines[] }>(
    'LedgerDeadlines',
  )
  .implement({
    description: 'What is overdue and what falls due soon, by county department.',
    fields: (t) => ({
      withinDays: t.exposeInt('withinDays', { description: '"Due soon" means within this many days.' }),
      overdue: t.exposeInt('overdue', { description: 'Overdue problems in all.' }),
      dueSoon: t.exposeInt('dueSoon', { description: 'Problems due soon in all.' }),
      byDepartment: t.field({
        type: [DepartmentDeadlinesRef],
        ...sized(MAX_DEADLINE_ROWS),
        description: `Per county department, the most overdue first, at most ${MAX_DEADLINE_ROWS}; departments with neither are left out.`,
        resolve: (d) => d.byDepartment,
      }),
    }),
  });

builder.queryFields((t) => ({
  ledgerDeadlines: t.field({
    type: LedgerDeadlinesRef,
    ...queryCost(SCAN_COST),
    description:
      'The deadlines view (needs a login): overdue and due-soon problems of a region by department. A department user gets its own department’s only.',
    args: {
      regionCode: t.arg.string({
        required: false,
        description: 'Code prefix: 2–6 digits, or 9 / 12 for villages.',
      }),
      withinDays: t.arg.int({
        required: false,
        description: `"Due soon": within this many days (default 7, at most ${MAX_DUE_DAYS}).`,
      }),
    },
    resolve: async (_r, args, ctx) => {
      requireLogin(ctx.viewer, 'the deadlines view');
      const days = args.withinDays ?? 7;
      if (!(Number.isInteger(days) && days >= 1 && days <= MAX_DUE_DAYS))
        throw badInput('withinDays', `must be 1–${MAX_DUE_DAYS} days, got ${days}`);
      const counts = await ledgerDeadlines(ctx.database.db, {
        regionCode: regionCodePrefix('regionCode', args.regionCode),
        ofDepartment: problemReadScope(ctx.viewer),
        days,
      });
      return {
        withinDays: days,
        overdue: counts.overdue,
        dueSoon: counts.dueSoon,
        byDepartment: counts.rows,
      };
    },
  }),
  problem: t.field({
    type: ProblemRef,
    nullable: true,
    description:
      'One problem by number, with its history (needs a login; a department user gets its own department’s only). Null when there is none.',
    args: { id: t.arg.int({ required: true, description: 'Problem number.' }) },
    resolve: async (_r, args, ctx) => {
      requireLogin(ctx.viewer, 'the problem ledger');
      const [row] = await findProblemsById(ctx.database.db, [id('id', args.id)]);
      const scope = problemReadScope(ctx.viewer);
      // Another department's problem is answered as absent, as the list leaves it out.
      return row && (scope == null || row.departmentId === scope) ? row : null;
    },
  }),
  problems: listConnection(t, {
    name: 'Problem',
    type: ProblemRef,
    description:
      'The problem ledger (问题台账), by deadline unless ordered otherwise. At most 1,000 per page.',
    filter: ProblemFilterInput,
    orderBy: ProblemOrderInput,
    orderByDescription: 'Ordering (default: by deadline).',
    authorize: (ctx) => requireLogin(ctx.viewer, 'the problem ledger'),
    list: {
      cursor: 'problem',
      defaultOrder: 'DEADLINE',
      checkFilter: (ctx, filter) => checkProblemFilter(filter, problemReadScope(ctx.viewer)),
      find: findProblems,
    },
    count: countProblems,
    connectionDescription: 'A page of problems.',
    totalCountDescription: 'How many problems match the filter (all pages).',
    edgeDescription: 'A problem and its cursor.',
  }),
}));

async function oneProblem(ctx: Context, problemId: number) {
  const [row] = await findProblemsById(ctx.database.db, [problemId]);
  // A department user acts on its own problems only, so this is one of them; checked all the same.
  const scope = problemReadScope(ctx.viewer);
  if (row && scope != null && row.departmentId !== scope)
    throw new GraphQLError(`problem ${problemId} is not your department's`, {
      extensions: { code: 'FORBIDDEN' },
    });
  if (!row) throw new GraphQLError(`there is no problem ${problemId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}

export const NewProblemFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  category: t.field({ type: ProblemCategoryEnum, required: true, description: '问题类别.' }),
  departmentId: t.int({
    required: false,
    description: 'The registered department of the county that answers for it (Query.departments).',
  }),
  department: t.string({
    required: false,
    description:
      '责任单位 as text (up to 50 characters), for a county without a registry; ignored with departmentId.',
  }),
  source: t.field({ type: ProblemSourceEnum, required: false, description: '问题来源.' }),
  measures: t.string({
    required: false,
    description: '整改措施, when already known (up to 2,000 characters).',
  }),
  responsiblePerson: t.string({ required: false, description: '责任人 (up to 50 characters).' }),
  description: t.string({ required: true, description: '问题描述 (up to 2,000 characters).' }),
  deadline: t.string({ required: true, description: '整改时限 (YYYY-MM-DD), not before the found date.' }),
});

const ReportProblemInput = builder.inputType('ReportProblemInput', {
  description: 'A problem to put in the ledger.',
  fields: (t) => ({
    countyCode: t.string({ required: true, description: '6-digit county code.' }),
    villageCode: t.string({
      required: false,
      description: '12-digit village code, when found at a village.',
    }),
    listingId: t.int({ required: false, description: 'The listing it belongs to.' }),
    ...NewProblemFields(t),
    foundOn: t.string({ required: true, description: '发现日期 (YYYY-MM-DD), not in the future.' }),
    idempotencyKey: t.string({
      required: false,
      description:
        'Your key for this write (up to 100 characters), seen only by you: a retry with the same key and the same input returns the first result (if you may still write its place); the same key with another input is refused (IDEMPOTENCY_KEY_REUSED).',
    }),
  }),
});

export function checkNewProblem(
  field: string,
  p: {
    category: string;
    department?: string | null;
    departmentId?: number | null;
    source?: string | null;
    measures?: string | null;
    responsiblePerson?: string | null;
    description: string;
    deadline: string;
  },
) {
  if (!(p.category in PROBLEM_CATEGORY_LABELS))
    throw badInput(`${field}.category`, `unknown category ${p.category}`);
  const departmentId = p.departmentId == null ? null : id(`${field}.departmentId`, p.departmentId);
  return {
    category: p.category,
    departmentId,
    department: departmentId == null ? text(`${field}.department`, p.department, 50)! : null,
    source: p.source as ProblemSource | null | undefined,
    measures: text(`${field}.measures`, p.measures, 2000, false),
    responsiblePerson: text(`${field}.responsiblePerson`, p.responsiblePerson, 50, false),
    description: text(`${field}.description`, p.description, 2000)!,
    deadline: requiredDate(`${field}.deadline`, p.deadline),
  };
}

export const versioned = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  id: t.arg.int({ required: true, description: 'Problem number.' }),
  expectedVersion: t.arg.int({
    required: true,
    description: 'The version you read; a different current version is a conflict.',
  }),
  note: t.arg.string({ required: false, description: 'Note or reason (up to 1,000 characters).' }),
});

type VersionedChange = { id: number; expectedVersion: number; note: string | null };

/**
 * One step of a problem's workflow: the caller may write, the change is checked (id, then the
 * step's own fields, then the note), applied in one transaction, and the problem read back.
 */
export async function changeProblem<Step>(
  ctx: Context,
  what: string,
  args: { id: number; expectedVersion: number; note?: string | null },
  checkStep: () => Step,
  apply: (tx: Transaction, actor: Writer, change: VersionedChange & Step) => Promise<void>,
  /** Who may make it: supervision writers only, or a problem's department users too. */
  who: 'writers' | 'department too' = 'writers',
) {
  const actor = who === 'writers' ? writer(ctx, what) : problemActor(ctx, what);
  const change = {
    id: id('id', args.id),
    expectedVersion: args.expectedVersion,
    ...checkStep(),
    note: text('note', args.note, 1000, false),
  };
  await write(ctx, (tx) => apply(tx, actor, change));
  return oneProblem(ctx, change.id);
}

builder.mutationFields((t) => ({
  reportProblem: t.field({
    type: ProblemRef,
    description: '报告问题: puts a problem in the ledger (supervisors in scope, admins).',
    args: { input: t.arg({ type: ReportProblemInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const actor = writer(ctx, 'reportProblem');
      const problem = {
        ...checkNewProblem('input', input),
        countyCode: regionCodePrefix('input.countyCode', input.countyCode, [6])!,
        villageCode: regionCodePrefix('input.villageCode', input.villageCode, [12]),
        listingId: input.listingId == null ? null : id('input.listingId', input.listingId),
        foundOn: requiredDate('input.foundOn', input.foundOn),
        idempotencyKey: idempotencyKey(input.idempotencyKey),
      };
      const problemId = await write(ctx, (tx) => reportProblem(tx, actor, problem));
      return oneProblem(ctx, problemId);
    },
  }),
  updateProblemStatus: t.field({
    type: ProblemRef,
    description:
      'Moves a problem along: open → signed → in progress → rectified → closed; reopen or return with a reason. A department user makes its own moves (sign, start, rectify) on its own problems; closing and returning record the verification, by someone other than who rectified.',
    args: {
      ...versioned(t),
      status: t.arg({ type: ProblemStatusEnum, required: true, description: 'The new status.' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'updateProblemStatus',
        args,
        () => ({ status: args.status as 'open' }),
        changeProblemStatus,
        // The data layer checks which moves each role makes (db workflow.ts MOVES_BY_ROLE).
        'department too',
      ),
  }),
  assignDepartment: t.field({
    type: ProblemRef,
    description:
      'Hands a problem to another responsible department (责任单位): a registered one of its county, or one named in text. A signed problem goes back to open for the new department to sign.',
    args: {
      ...versioned(t),
      departmentId: t.arg.int({ required: false, description: 'A registered department of the county.' }),
      department: t.arg.string({
        required: false,
        description: '责任单位 as text (up to 50 characters), for a county without a registry.',
      }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'assignDepartment',
        args,
        () =>
          args.departmentId != null
            ? { departmentId: id('departmentId', args.departmentId), department: null }
            : { departmentId: null, department: text('department', args.department, 50)! },
        assignDepartment,
      ),
  }),
  signProblem: t.field({
    type: ProblemRef,
    description: "签收: the responsible department signs for an open problem (its department's users only).",
    args: versioned(t),
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'signProblem',
        args,
        () => ({ status: 'signed' as const }),
        changeProblemStatus,
        'department too',
      ),
  }),
  updateProblemDetails: t.field({
    type: ProblemRef,
    description:
      "Records a problem's 整改措施 and 责任人 (its department's users, supervisors in scope, admins) and 问题来源 (supervisors, admins), while it is not closed.",
    args: {
      ...versioned(t),
      source: t.arg({ type: ProblemSourceEnum, required: false, description: '问题来源.' }),
      measures: t.arg.string({ required: false, description: '整改措施 (up to 2,000 characters).' }),
      responsiblePerson: t.arg.string({ required: false, description: '责任人 (up to 50 characters).' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'updateProblemDetails',
        args,
        () => ({
          ...(args.source != null ? { source: args.source as ProblemSource } : {}),
          ...(args.measures != null ? { measures: text('measures', args.measures, 2000)! } : {}),
          ...(args.responsiblePerson != null
            ? { responsiblePerson: text('responsiblePerson', args.responsiblePerson, 50)! }
            : {}),
        }),
        updateProblemDetails,
        'department too',
      ),
  }),
  submitRectification: t.field({
    type: ProblemRef,
    description:
      '整改完成: the department (or a supervisor) submits the rectification with its measures (整改措施) and 责任人; the problem becomes rectified and waits for someone else to verify it.',
    args: {
      ...versioned(t),
      measures: t.arg.string({ required: true, description: '整改措施 (up to 2,000 characters).' }),
      responsiblePerson: t.arg.string({ required: false, description: '责任人 (up to 50 characters).' }),
      evidence: t.arg({
        type: [EvidenceInput],
        required: false,
        description:
          '佐证材料: files you uploaded (POST /api/evidence), attached with the rectification (up to 10).',
      }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'submitRectification',
        args,
        () => ({
          status: 'rectified' as const,
          edits: {
            measures: text('measures', args.measures, 2000)!,
            ...(args.responsiblePerson != null
              ? { responsiblePerson: text('responsiblePerson', args.responsiblePerson, 50)! }
              : {}),
          },
          evidence: checkEvidence('evidence', args.evidence),
        }),
        changeProblemStatus,
        'department too',
      ),
  }),
  verifyProblem: t.field({
    type: ProblemRef,
    description:
      '验收: a supervisor in scope or an admin, not the one who marked it rectified, verifies a rectified problem: passed closes it (销号), failed sends it back to rectifying with the reason (note, required).',
    args: {
      ...versioned(t),
      passed: t.arg.boolean({ required: true, description: 'Whether the rectification holds.' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'verifyProblem',
        args,
        () => ({
          status: args.passed ? ('closed' as const) : ('in_progress' as const),
          verification: true,
        }),
        changeProblemStatus,
      ),
  }),
  setDeadline: t.field({
    type: ProblemRef,
    description: "Moves a problem's deadline (整改时限).",
    args: {
      ...versioned(t),
      deadline: t.arg.string({ required: true, description: 'New deadline (YYYY-MM-DD).' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'setDeadline',
        args,
        () => ({ deadline: requiredDate('deadline', args.deadline) }),
        setDeadline,
      ),
  }),
}));
