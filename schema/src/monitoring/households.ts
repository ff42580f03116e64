// Monitored households (防止返贫动态监测, #17) in the API: the list with its filters, one household
// with its measures and history, and the two moves of its life (风险消除, 再识别). Household rows
// need a login, a supervisor or department user reads those of their region only, and every read
// of rows leaves an entry in the audit log.
import {
  addHouseholdMeasure,
  appendAudit,
  countHouseholds,
  endHouseholdMeasure,
  findHouseholds,
  findHouseholdsById,
  HOUSEHOLD_STATUS_LABELS,
  HOUSEHOLD_TYPE_LABELS,
  type HouseholdFilter,
  type HouseholdHistoryRow,
  type HouseholdMove,
  type HouseholdRow,
  LOAN_STATE_LABELS,
  type LoanState,
  MEASURE_KIND_LABELS,
  type MeasureKind,
  type MeasureRow,
  maskName,
  RISK_CAUSE_LABELS,
  reidentifyHousehold,
  removeHouseholdRisk,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { householdReadScope, readsHolderNames } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { queryCost, SCAN_COST, sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { enumOf, regionCodePrefix, SortDirectionEnum } from '../inputs.ts';
import { listConnection } from '../list-connection.ts';
import { checkDate, id, requiredDate, text, write, writer } from '../supervision/workflow.ts';
import { requireHouseholds } from './loading.ts';

/** Each read of household rows also appends to the audit log: at most a few dozen per request. */
const AUDITED_READ_COST = 5 * SCAN_COST;

export const HouseholdTypeEnum = enumOf(
  'HouseholdType',
  'The kind of monitoring object (监测对象).',
  HOUSEHOLD_TYPE_LABELS,
);
export const RiskCauseEnum = enumOf('RiskCause', 'A risk cause (风险类型).', RISK_CAUSE_LABELS);
export const HouseholdStatusEnum = enumOf(
  'HouseholdStatus',
  'Under monitoring, or its risk removed (风险消除).',
  HOUSEHOLD_STATUS_LABELS,
);
export const MeasureKindEnum = enumOf(
  'MeasureKind',
  'An assistance measure (帮扶措施).',
  MEASURE_KIND_LABELS,
);
const LoanStateEnum = enumOf('LoanState', "A small loan's state (小额信贷).", LOAN_STATE_LABELS);

const MeasureRef = builder.objectRef<MeasureRow>('AssistanceMeasure').implement({
  description: '帮扶措施: one measure for a household, "缺什么补什么".',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Measure number.' }),
    kind: t.field({ type: MeasureKindEnum, description: 'Kind.', resolve: (m) => m.kind }),
    description: t.exposeString('description', { description: 'What it is.' }),
    startedOn: t.exposeString('startedOn', { description: 'Started (ISO date).' }),
    endedOn: t.exposeString('endedOn', {
      nullable: true,
      description: 'Ended (ISO date); null while it lasts.',
    }),
    active: t.exposeBoolean('active', { description: 'Still running today (China).' }),
    amountYuan: t.exposeInt('amountYuan', {
      nullable: true,
      description: 'Amount, yuan (small loans, grants).',
    }),
    loanTermMonths: t.exposeInt('loanTermMonths', { nullable: true, description: 'A small loan’s term.' }),
    loanState: t.field({
      type: LoanStateEnum,
      nullable: true,
      description: 'A small loan’s state.',
      resolve: (m) => m.loanState,
    }),
    responsibleUnit: t.exposeString('responsibleUnit', { nullable: true, description: '责任单位.' }),
  }),
});

const HouseholdHistoryRef = builder.objectRef<HouseholdHistoryRow>('HouseholdHistoryEntry').implement({
  description: 'One move in a household’s life under monitoring; the history is append-only.',
  fields: (t) => ({
    onDate: t.exposeString('onDate', { description: 'The day it happened (ISO date).' }),
    recordedAt: t.exposeString('recordedAt', { description: 'When it was recorded (ISO time, UTC).' }),
    recordedBy: t.exposeString('recordedBy', {
      description: 'Who recorded it (system:demo for generated data).',
    }),
    action: t.exposeString('action', {
      description: 'identified, risk_removed, reidentified, measure_added or measure_ended.',
    }),
    fromStatus: t.field({
      type: HouseholdStatusEnum,
      nullable: true,
      description: 'Status before.',
      resolve: (h) => h.fromStatus,
    }),
    toStatus: t.field({
      type: HouseholdStatusEnum,
      nullable: true,
      description: 'Status after.',
      resolve: (h) => h.toStatus,
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'How the removal was verified, or why re-identified.',
    }),
  }),
});

export const HouseholdRef = builder.objectRef<HouseholdRow>('Household').implement({
  description:
    '监测户: a monitored household, by a pseudonymous number (the demo data names no one). Needs a login.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Household id.' }),
    number: t.exposeString('number', { description: 'Household number (监测户编号), pseudonymous.' }),
    holderName: t.string({
      nullable: true,
      description:
        '户主姓名, where a real deployment imported it (the demo has none): in full for admins and for supervisors and departments of the region, masked (张*) for leaders and analysts.',
      resolve: (h, _args, ctx) =>
        h.holderName == null ? null : readsHolderNames(ctx.viewer) ? h.holderName : maskName(h.holderName),
    }),
    villageCode: t.exposeString('villageCode', { description: '12-digit village code.' }),
    villageName: t.exposeString('villageName', { description: '村.' }),
    townshipName: t.exposeString('townshipName', { description: '乡镇.' }),
    countyCode: t.exposeString('countyCode', { description: '6-digit county code.' }),
    countyName: t.exposeString('countyName', { description: '县.' }),
    size: t.exposeInt('size', { description: 'People in the household.' }),
    labour: t.exposeInt('labour', { description: 'Of them, able to work (劳动力).' }),
    type: t.field({
      type: HouseholdTypeEnum,
      description: 'Kind of monitoring object.',
      resolve: (h) => h.type,
    }),
    causes: t.field({
      type: [RiskCauseEnum],
      // At most one of each cause (the table's CHECK).
      ...sized(10),
      description: 'Risk causes.',
      resolve: (h) => h.causes,
    }),
    identifiedOn: t.exposeString('identifiedOn', { description: 'First identified (ISO date).' }),
    incomeYear: t.exposeInt('incomeYear', {
      nullable: true,
      description: 'Year of the last income assessment.',
    }),
    incomePerCapita: t.exposeInt('incomePerCapita', {
      nullable: true,
      description: 'Per-capita income of that year, yuan.',
    }),
    monitoringLine: t.exposeInt('monitoringLine', {
      nullable: true,
      description: "The province's monitoring line of that year, yuan (null when none is stored).",
    }),
    status: t.field({ type: HouseholdStatusEnum, description: 'Status.', resolve: (h) => h.status }),
    removedOn: t.exposeString('removedOn', {
      nullable: true,
      description: 'The last 风险消除 date (ISO); kept when the household is re-identified.',
    }),
    removalVerification: t.exposeString('removalVerification', {
      nullable: true,
      description: 'How the last removal was verified.',
    }),
    reidentifiedOn: t.exposeString('reidentifiedOn', {
      nullable: true,
      description:
        'When the risk returned after the last removal (返贫风险再识别, ISO date); null if it has not.',
    }),
    activeMeasure: t.exposeBoolean('activeMeasure', { description: 'Whether a measure is running today.' }),
    earlyWarning: t.exposeBoolean('earlyWarning', {
      description: '预警: monitored, income under the line or within 10 % above it, and no measure running.',
    }),
    version: t.exposeInt('version', { description: 'Version, for concurrent edits.' }),
    measures: t.field({
      type: [MeasureRef],
      // A household gets a handful of measures ("缺什么补什么").
      ...sized(20),
      description: 'Its assistance measures, oldest first.',
      resolve: (h, _a, ctx) => ctx.loaders.householdMeasures.load(h.id),
    }),
    history: t.field({
      type: [HouseholdHistoryRef],
      ...sized(20),
      description: 'Every move, oldest first.',
      resolve: (h, _a, ctx) => ctx.loaders.householdHistory.load(h.id),
    }),
  }),
});

const HouseholdFilterInput = builder.inputType('HouseholdFilter', {
  description: 'Filters on monitored households; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({
      required: false,
      description:
        'Code prefix: 2, 4 or 6 digits (province, prefecture, county), 9 (township) or 12 (village).',
    }),
    types: t.field({ type: [HouseholdTypeEnum], required: false, description: 'Any of these types.' }),
    causes: t.field({ type: [RiskCauseEnum], required: false, description: 'Any of these causes.' }),
    status: t.field({ type: HouseholdStatusEnum, required: false, description: 'This status.' }),
    incomeUnderLinePlusPercent: t.float({
      required: false,
      description:
        "Last income under the province's line of its year raised by this percentage (0: under the line; 10: under it or within 10 % above). 0–100.",
    }),
    identifiedFrom: t.string({ required: false, description: 'Identified on or after (ISO date).' }),
    identifiedTo: t.string({ required: false, description: 'Identified on or before (ISO date).' }),
    withMeasures: t.field({
      type: [MeasureKindEnum],
      required: false,
      description: 'With a measure of each of these kinds.',
    }),
    withoutMeasures: t.field({
      type: [MeasureKindEnum],
      required: false,
      description: 'With no measure of any of these kinds.',
    }),
    activeMeasure: t.boolean({
      required: false,
      description: 'With (true) or without (false) a running measure.',
    }),
    earlyWarning: t.boolean({
      required: false,
      description: '预警 (true): monitored, income under the line + 10 %, no running measure.',
    }),
  }),
});

const HouseholdOrderField = builder.enumType('HouseholdOrderField', {
  description: 'What to order households by.',
  values: {
    ID: { description: 'Household id (default).' },
    INCOME: { description: 'Per-capita income of the last assessment.' },
    IDENTIFIED_ON: { description: 'Date first identified.' },
  } as const,
});

const HouseholdOrderInput = builder.inputType('HouseholdOrder', {
  description: 'Ordering of households.',
  fields: (t) => ({
    field: t.field({ type: HouseholdOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirectionEnum, required: false, description: 'ASC (default) or DESC.' }),
  }),
});

type HouseholdFilterShape = typeof HouseholdFilterInput.$inferInput;

/** At most this many values in one of the filter's lists (each list has fewer kinds than this). */
const MAX_FILTER_LIST = 20;

/** Checks the filter and adds the reader's scope (never from the client). */
export function checkHouseholdFilter(
  filter: HouseholdFilterShape | null | undefined,
  scope: string,
): HouseholdFilter {
  for (const list of ['types', 'causes', 'withMeasures', 'withoutMeasures'] as const)
    if ((filter?.[list]?.length ?? 0) > MAX_FILTER_LIST)
      throw badInput(`filter.${list}`, `at most ${MAX_FILTER_LIST} values`);
  const percent = filter?.incomeUnderLinePlusPercent;
  if (percent != null && !(Number.isFinite(percent) && percent >= 0 && percent <= 100))
    throw badInput('filter.incomeUnderLinePlusPercent', `must be 0–100, got ${percent}`);
  const identifiedFrom = checkDate('filter.identifiedFrom', filter?.identifiedFrom);
  const identifiedTo = checkDate('filter.identifiedTo', filter?.identifiedTo);
  if (identifiedFrom && identifiedTo && identifiedFrom > identifiedTo)
    throw badInput('filter.identifiedFrom', `${identifiedFrom} is after identifiedTo ${identifiedTo}`);
  // The enums' values are the data layer's vocabularies (GraphQL has checked each one); a value
  // given twice is one condition, not two subqueries.
  const once = <T>(list: readonly T[] | null | undefined) => (list ? [...new Set(list)] : list);
  return {
    ...(filter as Omit<HouseholdFilter, 'scope'>),
    types: once(filter?.types) as HouseholdFilter['types'],
    causes: once(filter?.causes) as HouseholdFilter['causes'],
    withMeasures: once(filter?.withMeasures) as HouseholdFilter['withMeasures'],
    withoutMeasures: once(filter?.withoutMeasures) as HouseholdFilter['withoutMeasures'],
    regionCode: regionCodePrefix('filter.regionCode', filter?.regionCode),
    identifiedFrom,
    identifiedTo,
    scope,
  };
}

/** The audit entry of a read of household rows: who read how many, with which filter. */
async function auditRead(
  ctx: Context,
  read: { rows: number; householdId?: number; filter?: object; regionCode?: string | null },
) {
  if (ctx.viewer.kind !== 'user') return;
  const { scope: _scope, ...filter } = (read.filter ?? {}) as Record<string, unknown>;
  const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v != null));
  await appendAudit(
    ctx.primary.db,
    {
      userId: ctx.viewer.user.id,
      username: ctx.viewer.user.username,
      clientAddress: ctx.http?.clientAddress ?? null,
    },
    {
      action: 'households.read',
      targetKind: 'household',
      targetId: read.householdId ?? null,
      regionCode: read.regionCode ?? null,
      note: `${read.rows} household row(s)${Object.keys(given).length ? `; filter ${JSON.stringify(given)}` : ''}`,
    },
  );
}

async function oneHousehold(ctx: Context, householdId: number, what: string): Promise<HouseholdRow> {
  const scope = householdReadScope(ctx.viewer, what);
  const [row] = await findHouseholdsById(ctx.database.db, [householdId], scope);
  if (!row)
    throw new GraphQLError(
      `there is no household ${householdId}${scope ? ` in your region (${scope})` : ''}`,
      {
        extensions: { code: 'NOT_FOUND' },
      },
    );
  await auditRead(ctx, { rows: 1, householdId, regionCode: row.countyCode });
  return row;
}

builder.queryFields((t) => ({
  household: t.field({
    type: HouseholdRef,
    nullable: true,
    // A read of personal data writes its audit entry: priced so that aliases cannot multiply it.
    ...queryCost(AUDITED_READ_COST),
    description:
      'One monitored household, with its measures and history (needs a login; supervisors and departments: their region only). Null when there is none.',
    args: { id: t.arg.int({ required: true, description: 'Household id.' }) },
    resolve: async (_r, args, ctx) => {
      const scope = householdReadScope(ctx.viewer, 'monitored households');
      await requireHouseholds(ctx);
      const [row] = await findHouseholdsById(ctx.database.db, [id('id', args.id)], scope);
      await auditRead(ctx, { rows: row ? 1 : 0, householdId: args.id, regionCode: row?.countyCode });
      return row ?? null;
    },
  }),
  households: listConnection(t, {
    name: 'Household',
    type: HouseholdRef,
    description:
      '防止返贫监测: monitored households (needs a login; supervisors and departments see their region only; every read is in the audit log). At most 1,000 per page.',
    filter: HouseholdFilterInput,
    orderBy: HouseholdOrderInput,
    orderByDescription: 'Ordering (default: by id).',
    queryCost: AUDITED_READ_COST,
    authorize: async (ctx) => {
      householdReadScope(ctx.viewer, 'monitored households');
      await requireHouseholds(ctx);
    },
    list: {
      cursor: 'household',
      defaultOrder: 'ID',
      checkFilter: (ctx, filter) =>
        checkHouseholdFilter(filter, householdReadScope(ctx.viewer, 'monitored households')),
      find: findHouseholds,
    },
    afterPage: (ctx, rows, filter) =>
      auditRead(ctx, { rows: rows.length, filter, regionCode: filter.regionCode ?? (filter.scope || null) }),
    count: countHouseholds,
    connectionDescription: 'A page of monitored households.',
    totalCountDescription: 'How many households match the filter (all pages).',
    edgeDescription: 'A household and its cursor.',
  }),
}));

const HouseholdMoveInput = builder.inputType('HouseholdMoveInput', {
  description: 'One move of a household: which, the version read, the day, and the note.',
  fields: (t) => ({
    id: t.int({ required: true, description: 'Household id.' }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    onDate: t.string({ required: true, description: 'The day it happened (ISO date; not in the future).' }),
    note: t.string({
      required: true,
      description: 'Removal: how it was verified (入户核实 …). Re-identification: why. 1–300 characters.',
    }),
  }),
});

function move(input: typeof HouseholdMoveInput.$inferInput): HouseholdMove {
  return {
    id: id('input.id', input.id),
    expectedVersion: input.expectedVersion,
    onDate: checkDate('input.onDate', input.onDate) ?? '',
    note: text('input.note', input.note, 300)!,
  };
}

const HouseholdMeasureInput = builder.inputType('HouseholdMeasureInput', {
  description: 'An assistance measure (帮扶措施) to record for a household.',
  fields: (t) => ({
    householdId: t.int({ required: true, description: 'Household id.' }),
    expectedVersion: t.int({ required: true, description: "The household's version you read." }),
    kind: t.field({ type: MeasureKindEnum, required: true, description: 'Kind.' }),
    description: t.string({ required: true, description: 'What is done (1–200 characters).' }),
    startedOn: t.string({ required: true, description: 'Start (ISO date, not in the future).' }),
    endedOn: t.string({ required: false, description: 'End (ISO date), if it has one already.' }),
    amountYuan: t.int({ required: false, description: 'Amount, yuan (required for a small loan).' }),
    loanTermMonths: t.int({ required: false, description: 'A small loan’s term, 1–120 months.' }),
    loanState: t.field({ type: LoanStateEnum, required: false, description: 'A small loan’s state.' }),
    responsibleUnit: t.string({ required: false, description: '责任单位 (up to 100 characters).' }),
  }),
});

const EndHouseholdMeasureInput = builder.inputType('EndHouseholdMeasureInput', {
  description: 'The end of a running measure.',
  fields: (t) => ({
    measureId: t.int({ required: true, description: 'Measure id.' }),
    expectedVersion: t.int({ required: true, description: "The household's version you read." }),
    endedOn: t.string({
      required: true,
      description: 'The day it ended (ISO date; from its start to today).',
    }),
    loanState: t.field({
      type: LoanStateEnum,
      required: false,
      description: 'For a small loan, required: REPAID, or OVERDUE if it ended unpaid.',
    }),
  }),
});

builder.mutationFields((t) => ({
  addHouseholdMeasure: t.field({
    type: HouseholdRef,
    description:
      '帮扶措施: records a measure for a household; its summary and early warning follow (supervisors in their region, admins).',
    args: { input: t.arg({ type: HouseholdMeasureInput, required: true }) },
    resolve: async (_r, args, ctx) => {
      const who = writer(ctx, 'addHouseholdMeasure');
      const input = args.input;
      const householdId = id('input.householdId', input.householdId);
      const measure = {
        kind: input.kind as MeasureKind,
        description: text('input.description', input.description, 200)!,
        started_on: requiredDate('input.startedOn', input.startedOn),
        ended_on: checkDate('input.endedOn', input.endedOn) ?? null,
        amount_yuan: input.amountYuan ?? null,
        loan_term_months: input.loanTermMonths ?? null,
        loan_state: (input.loanState as LoanState | null | undefined) ?? null,
        responsible_unit: text('input.responsibleUnit', input.responsibleUnit, 100, false),
      };
      await write(ctx, (tx) =>
        addHouseholdMeasure(
          tx,
          { householdId, expectedVersion: input.expectedVersion, measure },
          who,
          who.authorize,
        ),
      );
      return oneHousehold(ctx, householdId, 'addHouseholdMeasure');
    },
  }),
  endHouseholdMeasure: t.field({
    type: HouseholdRef,
    description:
      'Ends a running measure (a small loan repaid or overdue); the summary and early warning follow.',
    args: { input: t.arg({ type: EndHouseholdMeasureInput, required: true }) },
    resolve: async (_r, args, ctx) => {
      const who = writer(ctx, 'endHouseholdMeasure');
      const input = args.input;
      const end = {
        measureId: id('input.measureId', input.measureId),
        expectedVersion: input.expectedVersion,
        endedOn: requiredDate('input.endedOn', input.endedOn),
        loanState: (input.loanState as LoanState | null | undefined) ?? null,
      };
      const householdId = await write(ctx, (tx) => endHouseholdMeasure(tx, end, who, who.authorize));
      return oneHousehold(ctx, householdId, 'endHouseholdMeasure');
    },
  }),
  removeHouseholdRisk: t.field({
    type: HouseholdRef,
    description:
      '风险消除: a monitored household leaves the list, with how it was verified (supervisors in their region, admins).',
    args: { input: t.arg({ type: HouseholdMoveInput, required: true }) },
    resolve: async (_r, args, ctx) => {
      const who = writer(ctx, 'removeHouseholdRisk');
      const m = move(args.input);
      await write(ctx, (tx) => removeHouseholdRisk(tx, m, who, who.authorize));
      return oneHousehold(ctx, m.id, 'removeHouseholdRisk');
    },
  }),
  reidentifyHousehold: t.field({
    type: HouseholdRef,
    description:
      'The risk returns: a household whose risk was removed is monitored again (supervisors in their region, admins).',
    args: { input: t.arg({ type: HouseholdMoveInput, required: true }) },
    resolve: async (_r, args, ctx) => {
      const who = writer(ctx, 'reidentifyHousehold');
      const m = move(args.input);
      await write(ctx, (tx) => reidentifyHousehold(tx, m, who, who.authorize));
      return oneHousehold(ctx, m.id, 'reidentifyHousehold');
    },
  }),
}));
