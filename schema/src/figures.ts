// Yearly figures: of a village, of a region (the rollup), and of a relocation site.

import type { FieldRef, ObjectRef } from '@pothos/core';
import type { RegionYearRow, SiteYearRow, VillageYearRow } from '@rrm/db';
import { YEAR_RANGE } from '@rrm/db';
import { builder, type Types } from './builder.ts';
import type { Context } from './context.ts';
import { queryCost, sized, YEAR_COUNT } from './cost.ts';
import { badInput } from './errors.ts';
import { checkYear, FIRST_YEAR, LAST_YEAR } from './inputs.ts';
import { nullWhileLoading } from './monitoring/loading.ts';

/** a / b, or null when b is not positive (a rate of nothing). */
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export const VillageYearRef = builder.objectRef<VillageYearRow>('VillageYear').implement({
  description:
    'A village\'s figures for one year (村年度指标). "Lifted" (脱贫) covers registered poor households.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Year.' }),
    population: t.exposeInt('population', { description: '户籍人口: registered population.' }),
    households: t.exposeInt('households', { description: '户数: households.' }),
    liftedPopulation: t.exposeInt('liftedPopulation', {
      description: '脱贫人口: people in lifted households.',
    }),
    liftedHouseholds: t.exposeInt('liftedHouseholds', { description: '脱贫户: lifted households.' }),
    perCapitaNetIncome: t.exposeFloat('perCapitaNetIncome', {
      description: '脱贫人口人均纯收入, yuan/year.',
    }),
    labourForce: t.exposeInt('labourForce', { description: '脱贫劳动力: lifted labour force.' }),
    employed: t.int({
      description: '务工就业: lifted labourers in work.',
      resolve: (r) => r.employedOutMigrant + r.employedLocal,
    }),
    employmentRate: t.float({
      nullable: true,
      description: '务工就业率: employed / labour force (0–1).',
      resolve: (r) => ratio(r.employedOutMigrant + r.employedLocal, r.labourForce),
    }),
    employedOutMigrant: t.exposeInt('employedOutMigrant', {
      description: '外出务工: working away from home.',
    }),
    employedLocal: t.exposeInt('employedLocal', {
      description: '就近就业: working locally (incl. posts and workshops).',
    }),
    publicWelfarePosts: t.exposeInt('publicWelfarePosts', { description: '公益岗位.' }),
    workshopJobs: t.exposeInt('workshopJobs', { description: '帮扶车间 jobs.' }),
    monitoredHouseholds: t.int({
      description: '防止返贫监测对象: households under monitoring (all types).',
      resolve: (r) => r.monitoredUnstable + r.monitoredMarginal + r.monitoredSuddenHardship,
    }),
    monitoredUnstable: t.exposeInt('monitoredUnstable', { description: '脱贫不稳定户.' }),
    monitoredMarginal: t.exposeInt('monitoredMarginal', { description: '边缘易致贫户.' }),
    monitoredSuddenHardship: t.exposeInt('monitoredSuddenHardship', { description: '突发严重困难户.' }),
    monitoredRiskRemoved: t.exposeInt('monitoredRiskRemoved', {
      description: '风险消除: monitored households whose risk is removed.',
    }),
    dropouts: t.exposeInt('dropouts', { description: '辍学: compulsory-education dropouts.' }),
    uninsured: t.exposeInt('uninsured', { description: '未参保: people without basic medical insurance.' }),
    unsafeHouses: t.exposeInt('unsafeHouses', { description: '危房: households in unsafe houses.' }),
    householdsWithoutSafeWater: t.exposeInt('householdsWithoutSafeWater', {
      description: '饮水不安全: households without safe drinking water.',
    }),
  }),
});

export const RegionYearRef = builder.objectRef<RegionYearRow>('RegionYear').implement({
  description: "A region's figures for one year, summed from its villages and sites (区域年度汇总).",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Year.' }),
    villages: t.exposeInt('villages', { description: 'Monitored villages (监测村).' }),
    povertyVillages: t.exposeInt('povertyVillages', { description: '贫困村.' }),
    supervisedVillages: t.exposeInt('supervisedVillages', { description: '挂牌督战村.' }),
    population: t.exposeInt('population', {
      description: 'Registered population of the monitored villages.',
    }),
    liftedPopulation: t.exposeInt('liftedPopulation', { description: '脱贫人口.' }),
    perCapitaNetIncome: t.exposeFloat('perCapitaNetIncome', {
      nullable: true,
      description: '脱贫人口人均纯收入, yuan/year, weighted by lifted population.',
    }),
    labourForce: t.exposeInt('labourForce', { description: '脱贫劳动力.' }),
    employed: t.exposeInt('employed', { description: '务工就业.' }),
    employmentRate: t.float({
      nullable: true,
      description: '务工就业率 (0–1).',
      resolve: (r) => ratio(r.employed, r.labourForce),
    }),
    employedOutMigrant: t.exposeInt('employedOutMigrant', { description: '外出务工.' }),
    employedLocal: t.exposeInt('employedLocal', { description: '就近就业.' }),
    publicWelfarePosts: t.exposeInt('publicWelfarePosts', { description: '公益岗位.' }),
    workshopJobs: t.exposeInt('workshopJobs', { description: '帮扶车间 jobs.' }),
    monitoredHouseholds: t.exposeInt('monitoredHouseholds', { description: '防止返贫监测对象 households.' }),
    monitoredPer1000: t.float({
      nullable: true,
      description: 'Monitored households per 1,000 people.',
      resolve: (r) => (r.population > 0 ? (r.monitoredHouseholds * 1000) / r.population : null),
    }),
    monitoredRiskRemoved: t.exposeInt('monitoredRiskRemoved', { description: '风险消除.' }),
    riskRemovedShare: t.float({
      nullable: true,
      // The region's stored household counts (monitoring/figures.ts): one batched key lookup.
      ...queryCost(1),
      description:
        'From the household rows: of the monitored households identified by the end of the year, the share whose risk was removed by then (0–1).',
      resolve: async (r, _a, ctx) => {
        if (await nullWhileLoading(ctx)) return null;
        return (
          (await ctx.loaders.householdFigures.load(r.regionCode)).find((f) => f.year === r.year)
            ?.riskRemovedShare ?? null
        );
      },
    }),
    householdsUnderLine: t.int({
      nullable: true,
      // The region's stored household counts (monitoring/figures.ts): one batched key lookup.
      ...queryCost(1),
      description:
        "From the household rows: households under monitoring whose income of the year is under their province's stored monitoring line (null for a year with no income assessed).",
      resolve: async (r, _a, ctx) => {
        if (await nullWhileLoading(ctx)) return null;
        return (
          (await ctx.loaders.householdFigures.load(r.regionCode)).find((f) => f.year === r.year)
            ?.householdsUnderLine ?? null
        );
      },
    }),
    relocationSites: t.exposeInt('relocationSites', { description: '安置点 built by this year.' }),
    relocatedHouseholds: t.exposeInt('relocatedHouseholds', { description: '搬迁户.' }),
    relocatedPeople: t.exposeInt('relocatedPeople', { description: '搬迁人口.' }),
    relocationEmploymentCoverage: t.float({
      nullable: true,
      description: 'Share of relocated labour households with someone employed (0–1).',
      resolve: (r) => ratio(r.siteLabourHouseholds - r.zeroEmploymentHouseholds, r.siteLabourHouseholds),
    }),
    zeroEmploymentHouseholds: t.exposeInt('zeroEmploymentHouseholds', {
      description: '零就业家庭 in relocation sites.',
    }),
  }),
});

export const SiteYearRef = builder.objectRef<SiteYearRow>('RelocationSiteYear').implement({
  description: "A relocation site's figures for one year (安置点年度情况).",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Year.' }),
    households: t.exposeInt('households', { description: '搬迁户.' }),
    people: t.exposeInt('people', { description: '搬迁人口.' }),
    labourHouseholds: t.exposeInt('labourHouseholds', { description: '有劳动力家庭.' }),
    employed: t.exposeInt('employed', { description: '就业人数.' }),
    zeroEmploymentHouseholds: t.exposeInt('zeroEmploymentHouseholds', { description: '零就业家庭.' }),
    employedPerLabourHousehold: t.float({
      nullable: true,
      description: 'Employed people per labour household (target ≥ 1).',
      resolve: (r) => ratio(r.employed, r.labourHouseholds),
    }),
    employmentCoverage: t.float({
      nullable: true,
      description: 'Share of labour households with someone employed (0–1).',
      resolve: (r) => ratio(r.labourHouseholds - r.zeroEmploymentHouseholds, r.labourHouseholds),
    }),
  }),
});

/** Validates a series range and picks the rows inside it. */
export function seriesRange<T extends { year: number }>(
  rows: T[],
  from: number | null | undefined,
  to: number | null | undefined,
): T[] {
  const a = from == null ? FIRST_YEAR : checkYear('from', from);
  const b = to == null ? LAST_YEAR : checkYear('to', to);
  if (a > b) throw badInput('from', `from (${a}) is after to (${b})`);
  return rows.filter((r) => r.year >= a && r.year <= b);
}

type YearRow = { year: number };

/** The figures of one year (null when there are none), from the parent's yearly rows. */
export function yearField<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  type: ObjectRef<Types, YearRow>,
  rows: (parent: Parent, ctx: Context) => Promise<YearRow[]>,
  description: string,
): FieldRef<Types, YearRow | null | undefined, 'Object'> {
  return t.field({
    type,
    nullable: true,
    description,
    args: { year: t.arg.int({ required: true, description: `Year, ${YEAR_RANGE}.` }) },
    resolve: async (parent, { year }, ctx) => {
      checkYear('year', year);
      return (await rows(parent, ctx)).find((r) => r.year === year) ?? null;
    },
  });
}

/** The figures of each year in [from, to], from the parent's yearly rows. */
export function seriesField<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  type: ObjectRef<Types, YearRow>,
  rows: (parent: Parent, ctx: Context) => Promise<YearRow[]>,
  description: string,
): FieldRef<Types, readonly YearRow[], 'Object'> {
  return t.field({
    type: [type],
    ...sized(YEAR_COUNT),
    description,
    args: {
      from: t.arg.int({ required: false, description: 'First year.' }),
      to: t.arg.int({ required: false, description: 'Last year.' }),
    },
    resolve: async (parent, { from, to }, ctx) => seriesRange(await rows(parent, ctx), from, to),
  });
}
