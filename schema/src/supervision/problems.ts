// The problem ledger (问题台账): each problem with its history, the list with its filters, and the
// workflow steps that report a problem and move it along (permissions come from auth/policy.ts).
import {
  allowedNext,
  assignDepartment,
  changeProblemStatus,
  countProblems,
  findProblems,
  findProblemsById,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_STATUS_LABELS,
  type ProblemHistoryRow,
  type ProblemRow,
  type ProblemStatus,
  reportProblem,
  setDeadline,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { requireLogin } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { checkSearch, enumOf, regionCodePrefix, SortDirectionEnum } from '../inputs.ts';
import { listConnection } from '../list-connection.ts';
import { CountyRef, VillageRef } from '../refs.ts';
import {
  checkDate,
  id,
  idempotencyKey,
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
  '整改状态: open → in progress → rectified → closed (verified, 销号).',
  PROBLEM_STATUS_LABELS,
);

const ProblemHistoryRef = builder.objectRef<ProblemHistoryRow>('ProblemChange').implement({
  description: 'One change to a problem (整改记录); the history is append-only.',
  fields: (t) => ({
    changedAt: t.exposeString('changedAt', { description: 'When (ISO 8601, UTC).' }),
    changedBy: t.exposeString('changedBy', { description: 'Who.' }),
    action: t.exposeString('action', {
      description: 'What: reported, started, rectified, closed, reopened, reassigned, deadline.',
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
    department: t.exposeString('department', { description: '责任单位, e.g. 教育, 住建, 水利.' }),
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
      description: 'The statuses it may move to now (reopening and returning need a reason).',
      resolve: (p) => allowedNext(p.status as ProblemStatus),
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
    departments: t.stringList({ required: false, description: 'Any of these departments (责任单位).' }),
    statuses: t.field({ type: [ProblemStatusEnum], required: false, description: 'Any of these statuses.' }),
    overdue: t.boolean({ required: false, description: 'Overdue (逾期) or not.' }),
    deadlineFrom: t.string({ required: false, description: 'Deadline on or after (ISO date).' }),
    deadlineTo: t.string({ required: false, description: 'Deadline on or before (ISO date).' }),
    listingId: t.int({ required: false, description: 'Of this 挂牌督战 listing.' }),
    search: t.string({ required: false, description: 'Part of the description, up to 50 characters.' }),
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

export function checkProblemFilter(
  filter:
    | {
        regionCode?: string | null;
        search?: string | null;
        deadlineFrom?: string | null;
        deadlineTo?: string | null;
        departments?: readonly string[] | null;
      }
    | null
    | undefined,
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
  return checked;
}

builder.queryFields((t) => ({
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
      checkFilter: (_ctx, filter) => checkProblemFilter(filter),
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
  if (!row) throw new GraphQLError(`there is no problem ${problemId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}

export const NewProblemFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  category: t.field({ type: ProblemCategoryEnum, required: true, description: '问题类别.' }),
  department: t.string({ required: true, description: '责任单位 (up to 50 characters).' }),
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
  p: { category: string; department: string; description: string; deadline: string },
) {
  if (!(p.category in PROBLEM_CATEGORY_LABELS))
    throw badInput(`${field}.category`, `unknown category ${p.category}`);
  return {
    category: p.category,
    department: text(`${field}.department`, p.department, 50)!,
    description: text(`${field}.description`, p.description, 2000)!,
    deadline: requiredDate(`${field}.deadline`, p.deadline),
  };
}

const versioned = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
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
async function changeProblem<Step>(
  ctx: Context,
  what: string,
  args: { id: number; expectedVersion: number; note?: string | null },
  checkStep: () => Step,
  apply: (tx: Transaction, actor: Writer, change: VersionedChange & Step) => Promise<void>,
) {
  const actor = writer(ctx, what);
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
      'Moves a problem along: open → in progress → rectified → closed; reopen or return with a reason.',
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
      ),
  }),
  assignDepartment: t.field({
    type: ProblemRef,
    description: 'Hands a problem to another responsible department (责任单位).',
    args: {
      ...versioned(t),
      department: t.arg.string({ required: true, description: '责任单位 (up to 50 characters).' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'assignDepartment',
        args,
        () => ({ department: text('department', args.department, 50)! }),
        assignDepartment,
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
