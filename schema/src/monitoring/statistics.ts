// The monitoring's public side: each province's yearly monitoring line (监测标准), set by admins,
// and the statistics leaders watch per region and year (counts only, public like the other
// aggregates).
import {
  findMonitoringLines,
  MONITORING_FIRST_YEAR,
  MONITORING_LINE_RANGE,
  type MonitoringBreakdown,
  type MonitoringLevel,
  type MonitoringLineRow,
  type MonitoringStatsRow,
  monitoringBreakdown,
  monitoringStats,
  REGION_CODE_DIGITS,
  setMonitoringLine,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { requireRole } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import { queryCost, regionsAt, SCAN_COST, sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { checkYear, LAST_YEAR, RegionLevelEnum, regionCodePrefix } from '../inputs.ts';
import { auditWhoOf, write } from '../supervision/workflow.ts';
import { HouseholdTypeEnum, RiskCauseEnum } from './households.ts';
import { requireHouseholds } from './loading.ts';

const MonitoringLineSourceEnum = builder.enumType('MonitoringLineSource', {
  description: 'Where a monitoring line comes from.',
  values: {
    GENERATED: { value: 'generated', description: 'The demo generator: not a published line.' },
    PUBLISHED: { value: 'published', description: 'A published notice, imported.' },
    SET: { value: 'set', description: 'Set by an admin (setMonitoringLine), with the note they gave.' },
  } as const,
});

const MonitoringLineRef = builder.objectRef<MonitoringLineRow>('MonitoringLine').implement({
  description: "监测标准: a province's monitoring line for one year, yuan per person.",
  fields: (t) => ({
    provinceCode: t.exposeString('provinceCode', { description: '2-digit province code.' }),
    provinceName: t.exposeString('provinceName', { description: '省.' }),
    year: t.exposeInt('year', { description: 'Year.' }),
    lineYuan: t.exposeInt('lineYuan', { description: 'The line, yuan per person per year.' }),
    source: t.field({
      type: MonitoringLineSourceEnum,
      description: 'Where it comes from.',
      resolve: (l) => l.source,
    }),
    sourceNote: t.exposeString('sourceNote', {
      nullable: true,
      description: 'The notice and its date, or what the demo did.',
    }),
    updatedBy: t.exposeString('updatedBy', { nullable: true, description: 'Who set it last.' }),
    updatedAt: t.exposeString('updatedAt', { description: 'When (ISO time, UTC).' }),
    version: t.exposeInt('version', { description: 'Version, for concurrent edits.' }),
  }),
});

const MonitoringStatsRef = builder.objectRef<MonitoringStatsRow>('MonitoringStats').implement({
  description: '防止返贫监测 in one region and year: what leaders watch. Counts only (public).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Region code.' }),
    name: t.exposeString('name', { description: 'Region name.' }),
    year: t.exposeInt('year', { description: 'Year.' }),
    monitored: t.exposeInt('monitored', {
      description: 'Under monitoring at the end of the year (identified, risk not removed by then).',
    }),
    identified: t.exposeInt('identified', { description: 'Newly identified during the year.' }),
    riskRemoved: t.exposeInt('riskRemoved', { description: 'Risk removed (风险消除) during the year.' }),
    removalRate: t.exposeFloat('removalRate', {
      nullable: true,
      description:
        'Of all identified by the end of the year, the share whose risk was removed by then (0–1).',
    }),
    withoutMeasure: t.exposeInt('withoutMeasure', {
      description: 'Under monitoring at the end of the year with no measure started by then.',
    }),
    underLine: t.exposeInt('underLine', {
      nullable: true,
      description:
        "Under monitoring with that year's income under the province's line of that year; null when no income of that year is stored.",
    }),
    withoutLine: t.exposeInt('withoutLine', {
      description: 'Households whose income year has no stored line (measured against none).',
    }),
    earlyWarning: t.exposeInt('earlyWarning', {
      description: 'Today: 预警 households (monitored, income under the line + 10 %, no running measure).',
    }),
    smallLoanBalance: t.exposeFloat('smallLoanBalance', {
      description: 'Today: small loans not repaid, yuan.',
    }),
    smallLoanOverdueShare: t.exposeFloat('smallLoanOverdueShare', {
      nullable: true,
      description: 'Today: the share of that balance overdue (0–1).',
    }),
  }),
});

const TypeCountRef = builder
  .objectRef<MonitoringBreakdown['byType'][number]>('MonitoringTypeCount')
  .implement({
    description: 'Households of one type.',
    fields: (t) => ({
      type: t.field({ type: HouseholdTypeEnum, description: 'Type.', resolve: (r) => r.type }),
      monitoring: t.exposeInt('monitoring', { description: 'Under monitoring now.' }),
      riskRemoved: t.exposeInt('riskRemoved', { description: 'Risk removed.' }),
    }),
  });

const CauseCountRef = builder
  .objectRef<MonitoringBreakdown['byCause'][number]>('MonitoringCauseCount')
  .implement({
    description: 'Households under monitoring with one cause.',
    fields: (t) => ({
      cause: t.field({ type: RiskCauseEnum, description: 'Cause.', resolve: (r) => r.cause }),
      households: t.exposeInt('households', {
        description: 'Households (one with two causes counts in both).',
      }),
    }),
  });

const MonthCountRef = builder.objectRef<MonitoringBreakdown['byMonth'][number]>('MonitoringMonth').implement({
  description: 'One month of identification and removal.',
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM.' }),
    identified: t.exposeInt('identified', { description: 'Households identified in the month.' }),
    riskRemoved: t.exposeInt('riskRemoved', {
      description: 'Households whose risk was removed in the month.',
    }),
  }),
});

const MonitoringBreakdownRef = builder.objectRef<MonitoringBreakdown>('MonitoringBreakdown').implement({
  description: "A region's monitored households broken down by type, cause and month (counts only, public).",
  fields: (t) => ({
    byType: t.field({ type: [TypeCountRef], ...sized(3), description: 'By type.', resolve: (b) => b.byType }),
    byCause: t.field({
      type: [CauseCountRef],
      ...sized(10),
      description: 'By cause.',
      resolve: (b) => b.byCause,
    }),
    byMonth: t.field({
      type: [MonthCountRef],
      // Months since monitoring began.
      ...sized(12 * 8),
      description: 'Identified and risk removed, month by month, oldest first.',
      resolve: (b) => b.byMonth,
    }),
  }),
});

builder.queryFields((t) => ({
  monitoringBreakdown: t.field({
    type: MonitoringBreakdownRef,
    ...queryCost(3 * SCAN_COST),
    description:
      "A province's, prefecture's or county's monitored households by type, cause and month (counts only, public; not below the county).",
    args: { regionCode: t.arg.string({ required: true, description: '2, 4 or 6 digits.' }) },
    resolve: async (_r, args, ctx) => {
      const regionCode = regionCodePrefix('regionCode', args.regionCode, [2, 4, 6])!;
      await requireHouseholds(ctx);
      return monitoringBreakdown(ctx.database.db, regionCode);
    },
  }),
  monitoringLines: t.field({
    type: [MonitoringLineRef],
    ...sized((args) => (args.year == null ? 34 * 10 : 34)),
    description: "Each province's monitoring line (监测标准), by year then province (public).",
    args: {
      year: t.arg.int({ required: false, description: 'One year (default: every year).' }),
      provinceCode: t.arg.string({ required: false, description: 'One province (2 digits).' }),
    },
    resolve: async (_r, args, ctx) => {
      const filter = {
        year: args.year == null ? null : checkYear('year', args.year),
        provinceCode: regionCodePrefix('provinceCode', args.provinceCode, [2]),
      };
      await requireHouseholds(ctx);
      return findMonitoringLines(ctx.database.db, filter);
    },
  }),
  monitoringStats: t.field({
    type: [MonitoringStatsRef],
    // One pass over the households under the parent, whatever the level.
    ...sized((args, sizes) => regionsAt(args.level, args.parentCode, sizes), { queryCost: 5 * SCAN_COST }),
    description:
      '防止返贫监测 per region of a level under a parent, for one year: monitored, identified, removed, removal rate, without a measure, under the line, early warning, small loans (public counts).',
    args: {
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'Group by this level.' }),
      parentCode: t.arg.string({
        required: false,
        description: 'Only regions under this code (2 or 4 digits; a county for its own row).',
      }),
      year: t.arg.int({ required: false, description: `Year (default ${LAST_YEAR}).` }),
    },
    resolve: async (_r, args, ctx) => {
      const year = checkYear('year', args.year ?? LAST_YEAR);
      if (year < MONITORING_FIRST_YEAR)
        throw badInput('year', `monitoring began in ${MONITORING_FIRST_YEAR}; got ${year}`);
      const level = args.level as MonitoringLevel;
      const parentCode = regionCodePrefix('parentCode', args.parentCode, [2, 4, 6]);
      if (parentCode) {
        // A row is a whole region: a code narrower than the level would count part of one under its name.
        if (parentCode.length > REGION_CODE_DIGITS[level])
          throw badInput(
            'parentCode',
            `a ${level}'s rows are whole ${level}s: give a code of at most ${REGION_CODE_DIGITS[level]} digits, got ${parentCode}`,
          );
        if (!(await ctx.loaders.region.load(parentCode)))
          throw new GraphQLError(`no region has code ${parentCode}`, {
            extensions: { code: 'NOT_FOUND', argument: 'parentCode' },
          });
      }
      await requireHouseholds(ctx);
      return monitoringStats(ctx.database.db, { level, parentCode, year });
    },
  }),
}));

builder.mutationFields((t) => ({
  setMonitoringLine: t.field({
    type: MonitoringLineRef,
    ...queryCost(1),
    description: `Sets a province's monitoring line for a year (admins only; ${MONITORING_LINE_RANGE[0]}–${MONITORING_LINE_RANGE[1]} yuan), with where it comes from. The map's monitoring colours follow on the next request.`,
    args: {
      provinceCode: t.arg.string({ required: true, description: '2-digit province code.' }),
      year: t.arg.int({ required: true, description: `Year (${MONITORING_FIRST_YEAR} on).` }),
      lineYuan: t.arg.int({ required: true, description: 'The line, yuan per person per year.' }),
      sourceNote: t.arg.string({
        required: true,
        description: 'The notice and its date (1–300 characters).',
      }),
      expectedVersion: t.arg.int({
        required: false,
        description:
          'The version you read: required to replace a stored line (a concurrent change is refused).',
      }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'setMonitoringLine');
      const provinceCode = regionCodePrefix('provinceCode', args.provinceCode, [2])!;
      await write(ctx, (tx) =>
        setMonitoringLine(
          tx,
          { ...args, provinceCode },
          { ...auditWhoOf(ctx, admin), username: admin.username },
        ),
      );
      const [line] = await findMonitoringLines(ctx.database.db, { year: args.year, provinceCode });
      return line!;
    },
  }),
}));
