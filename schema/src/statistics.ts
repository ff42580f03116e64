// Aggregates for maps and KPI cards: statistics per region, and choropleth values with class breaks.
import {
  choroplethValues,
  HOUSEHOLD_INDICATORS,
  type Indicator,
  type RegionLevel,
  type RegionStatRow,
  regionStats,
  villageChoroplethValues,
  villageIncomesByRegion,
  YEAR_RANGE,
} from '@rrm/db';
import { builder } from './builder.ts';
import { type ChoroplethClasses, type ChoroplethValue, classifyRegions } from './choropleth.ts';
import { type ClassificationMethod, MAX_CLASSES, MIN_CLASSES } from './classification.ts';
import { regionsAt, SCAN_COST, sized, villagesUnder } from './cost.ts';
import { badInput } from './errors.ts';
import { ratio } from './figures.ts';
import {
  checkYear,
  FIRST_YEAR,
  IndicatorEnum,
  LAST_YEAR,
  RegionLevelEnum,
  regionCodePrefix,
} from './inputs.ts';
import { requireHouseholdsFor } from './monitoring/loading.ts';
import { RegionRef } from './refs.ts';

type RegionStat = RegionStatRow & { isTotal: boolean; level: string };

const RegionStatRef = builder.objectRef<RegionStat>('RegionStat').implement({
  description:
    'Statistics of one region for a year (区域统计); the last row of regionStats is the parent total.',
  fields: (t) => ({
    code: t.string({
      description: 'Region code; for the total, the parent code ("00" for the nation).',
      resolve: (r) => r.code ?? '00',
    }),
    name: t.string({
      description: 'Region name; for the total, the parent name (全国 for the nation).',
      resolve: (r) => r.name ?? '全国',
    }),
    isTotal: t.exposeBoolean('isTotal', { description: 'True on the parent-total row.' }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region (null for the national total).',
      resolve: (r, _a, ctx) => (r.code && r.code !== '00' ? ctx.loaders.region.load(r.code) : null),
    }),
    counties: t.exposeInt('counties', { description: '县级行政区 counted.' }),
    povertyCounties: t.exposeInt('povertyCounties', { description: '贫困县.' }),
    keyAssistanceCounties: t.exposeInt('keyAssistanceCounties', { description: '国家乡村振兴重点帮扶县.' }),
    supervisedCounties: t.exposeInt('supervisedCounties', { description: '挂牌督战县.' }),
    villages: t.exposeInt('villages', { description: 'Monitored villages (监测村).' }),
    povertyVillages: t.exposeInt('povertyVillages', { description: '贫困村.' }),
    supervisedVillages: t.exposeInt('supervisedVillages', { description: '挂牌督战村.' }),
    relocationSites: t.exposeInt('relocationSites', { description: '易地扶贫搬迁安置点.' }),
    relocatedPeople: t.exposeFloat('relocatedPeople', { description: '搬迁人口.' }),
    population: t.exposeFloat('population', {
      description: 'Registered population of the monitored villages.',
    }),
    liftedPopulation: t.exposeFloat('liftedPopulation', { description: '脱贫人口.' }),
    perCapitaNetIncome: t.exposeFloat('perCapitaNetIncome', {
      nullable: true,
      description: '脱贫人口人均纯收入 (yuan), the mean weighted by lifted population.',
    }),
    labourForce: t.exposeFloat('labourForce', { description: '脱贫劳动力.' }),
    employed: t.exposeFloat('employed', { description: '务工就业.' }),
    employmentRate: t.float({
      nullable: true,
      description: '务工就业率 (0–1).',
      resolve: (r) => ratio(r.employed, r.labourForce),
    }),
    outMigrantWorkers: t.exposeFloat('employedOutMigrant', { description: '外出务工.' }),
    publicWelfarePosts: t.exposeFloat('publicWelfarePosts', { description: '公益岗位.' }),
    monitoredHouseholds: t.exposeFloat('monitoredHouseholds', {
      description: '防止返贫监测对象 households.',
    }),
    zeroEmploymentHouseholds: t.exposeFloat('zeroEmploymentHouseholds', {
      description: '零就业家庭 in relocation sites.',
    }),
    openProblems: t.exposeInt('openProblems', {
      description: 'Problems in the ledger not yet closed (未销号问题), today.',
    }),
    overdueProblems: t.exposeInt('overdueProblems', {
      description: 'Problems past their deadline and not closed (逾期), today.',
    }),
  }),
});

const RegionStatsFilterInput = builder.inputType('RegionStatsFilter', {
  description: 'Which counties to count.',
  fields: (t) => ({
    povertyCounty: t.boolean({ required: false, description: '贫困县 or not.' }),
    keyAssistance: t.boolean({ required: false, description: '国家乡村振兴重点帮扶县 or not.' }),
    supervised: t.boolean({ required: false, description: '挂牌督战县 or not.' }),
  }),
});

const ClassificationMethodEnum = builder.enumType('ClassificationMethod', {
  description: 'How values are grouped into classes (分级方法).',
  values: {
    QUANTILE: { description: '分位数: about the same number of regions per class.' },
    EQUAL_INTERVAL: { description: '等间距: classes of equal width.' },
    NATURAL_BREAKS: {
      description: '自然断点: optimal grouping of similar values (Ckmeans, the exact Jenks optimisation).',
    },
  } as const,
});

interface ChoroplethShape extends ChoroplethClasses {
  level: RegionLevel;
  indicator: Indicator;
  year: number;
  method: ClassificationMethod;
  change: boolean;
}

const ChoroplethValueRef = builder.objectRef<ChoroplethValue>('ChoroplethValue').implement({
  description: "One region's value and class.",
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Region code.' }),
    name: t.exposeString('name', { description: 'Region name.' }),
    value: t.exposeFloat('value', { description: 'The indicator value.' }),
    classIndex: t.exposeInt('classIndex', { description: 'Class, 0-based, from the lowest.' }),
    rank: t.exposeInt('rank', { description: 'Rank among the regions returned, 1 = highest value.' }),
  }),
});

const ChoroplethRef = builder.objectRef<ChoroplethShape>('Choropleth').implement({
  description: 'Values of one indicator for one year by region, with class breaks (分级设色).',
  fields: (t) => ({
    level: t.field({
      type: RegionLevelEnum,
      description: 'Level of the regions.',
      resolve: (c) => c.level,
    }),
    indicator: t.field({
      type: IndicatorEnum,
      description: 'The indicator.',
      resolve: (c) => c.indicator,
    }),
    year: t.exposeInt('year', { description: 'The year.' }),
    change: t.exposeBoolean('change', {
      description:
        'True when values are the change from the previous year (rates in fractions: 0.02 = 2 percentage points).',
    }),
    method: t.field({
      type: ClassificationMethodEnum,
      description: 'The classification method.',
      resolve: (c) => c.method,
    }),
    // The choropleth field itself is sized by its regions; its lists are paid there.
    breaks: t.exposeFloatList('breaks', {
      ...sized(1),
      description:
        'Ascending class bounds [b0 … bk]: class i holds [b_i, b_{i+1}), the last class includes bk.',
    }),
    classes: t.int({
      description: 'Number of classes actually formed (may be fewer than asked).',
      resolve: (c) => Math.max(0, c.breaks.length - 1),
    }),
    counts: t.exposeIntList('counts', { ...sized(1), description: 'How many regions fall in each class.' }),
    values: t.field({
      type: [ChoroplethValueRef],
      ...sized(1),
      description: 'Regions with a value.',
      resolve: (c) => c.values,
    }),
    noData: t.exposeStringList('noData', {
      ...sized(1),
      description:
        'Codes of regions with no value (无数据): those in noVillages have no monitored village; the others have villages but no figure for the year (未上报), or with `change` none for the year or the one before.',
    }),
    noVillages: t.exposeStringList('noVillages', {
      ...sized(1),
      description: 'Codes among noData of regions with no monitored village at all (无监测村).',
    }),
  }),
});

const RegionIncomesRef = builder
  .objectRef<{ code: string; name: string; incomes: number[] }>('RegionIncomes')
  .implement({
    description: "A region's monitored villages' per-capita net incomes in a year.",
    fields: (t) => ({
      code: t.exposeString('code', { description: 'Region code.' }),
      name: t.exposeString('name', { description: 'Region name.' }),
      // Paid by villageIncomes, which is sized by its regions and villages.
      incomes: t.exposeIntList('incomes', {
        ...sized(1),
        description: '脱贫人口人均纯收入 of each village (yuan, rounded), ascending.',
      }),
    }),
  });

interface VillageChoroplethShape extends ChoroplethClasses {
  countyCode: string;
  indicator: Indicator;
  year: number;
  method: ClassificationMethod;
  change: boolean;
  /** Locations by village code (the classes carry code, name, value, class and rank). */
  locations: Map<string, { lon: number | null; lat: number | null }>;
  /** The villages without a figure, with their names and places. */
  unreported: VillagePlace[];
}

interface VillagePlace {
  code: string;
  name: string;
  lon: number | null;
  lat: number | null;
}

const VillagePlaceRef = builder.objectRef<VillagePlace>('VillagePlace').implement({
  description: 'A village and where it lies.',
  fields: (t) => ({
    code: t.exposeString('code', { description: '12-digit village code.' }),
    name: t.exposeString('name', { description: 'Village name.' }),
    lon: t.exposeFloat('lon', {
      nullable: true,
      description: 'Longitude (WGS84); null where the county has no boundary to place it in.',
    }),
    lat: t.exposeFloat('lat', { nullable: true, description: 'Latitude (WGS84).' }),
  }),
});

const VillageChoroplethValueRef = builder
  .objectRef<ChoroplethValue & { lon: number | null; lat: number | null }>('VillageChoroplethValue')
  .implement({
    description: "One village's value and class, and where it lies.",
    fields: (t) => ({
      code: t.exposeString('code', { description: '12-digit village code.' }),
      name: t.exposeString('name', { description: 'Village name.' }),
      value: t.exposeFloat('value', { description: 'The indicator value.' }),
      classIndex: t.exposeInt('classIndex', { description: 'Class, 0-based, from the lowest.' }),
      rank: t.exposeInt('rank', { description: "Rank among the county's villages, 1 = highest value." }),
      lon: t.exposeFloat('lon', {
        nullable: true,
        description: 'Longitude (WGS84); null where the county has no boundary to place it in.',
      }),
      lat: t.exposeFloat('lat', { nullable: true, description: 'Latitude (WGS84).' }),
    }),
  });

const VillageChoroplethRef = builder.objectRef<VillageChoroplethShape>('VillageChoropleth').implement({
  description:
    "Values of one indicator for one year for a county's monitored villages, with class breaks computed over them: the map of a county drilled into.",
  fields: (t) => ({
    countyCode: t.exposeString('countyCode', { description: 'The county.' }),
    indicator: t.field({ type: IndicatorEnum, description: 'The indicator.', resolve: (c) => c.indicator }),
    year: t.exposeInt('year', { description: 'The year.' }),
    change: t.exposeBoolean('change', {
      description: 'True when values are the change from the previous year.',
    }),
    method: t.field({
      type: ClassificationMethodEnum,
      description: 'The classification method.',
      resolve: (c) => c.method,
    }),
    // The field itself is sized by the county's villages; its lists are paid there.
    breaks: t.exposeFloatList('breaks', {
      ...sized(1),
      description:
        'Ascending class bounds [b0 … bk]: class i holds [b_i, b_{i+1}), the last class includes bk.',
    }),
    classes: t.int({
      description: 'Number of classes actually formed (may be fewer than asked).',
      resolve: (c) => Math.max(0, c.breaks.length - 1),
    }),
    counts: t.exposeIntList('counts', { ...sized(1), description: 'How many villages fall in each class.' }),
    values: t.field({
      type: [VillageChoroplethValueRef],
      ...sized(1),
      description: 'Villages with a value.',
      resolve: (c) => c.values.map((v) => ({ ...v, ...c.locations.get(v.code)! })),
    }),
    noData: t.exposeStringList('noData', {
      ...sized(1),
      description:
        'Codes of villages with no figure for the year (未上报), or with `change` none for the year or the one before.',
    }),
    unreported: t.field({
      type: [VillagePlaceRef],
      ...sized(1),
      description: 'The villages of noData with their names and places, for a map to draw them as such.',
      resolve: (c) => c.unreported,
    }),
  }),
});

builder.queryFields((t) => ({
  regionStats: t.field({
    type: [RegionStatRef],
    ...sized((args, sizes) => regionsAt(args.level, args.parentCode, sizes) + 1, { queryCost: SCAN_COST }),
    description:
      'Statistics per region of a level for a year, under parentCode (or nationwide); the last row (isTotal) is the parent total.',
    args: {
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'Level of the rows.' }),
      year: t.arg.int({ required: true, description: `Year, ${YEAR_RANGE}.` }),
      parentCode: t.arg.string({
        required: false,
        description: 'Only regions under this code (2 or 4 digits).',
      }),
      filter: t.arg({
        type: RegionStatsFilterInput,
        required: false,
        description: 'Which counties to count.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      checkYear('year', args.year);
      const parentCode = regionCodePrefix('parentCode', args.parentCode, [2, 4]);
      if (parentCode && (parentCode.length === 4 ? args.level !== 'county' : args.level === 'province')) {
        throw badInput('level', `level ${args.level} is not below region ${parentCode}`);
      }
      const rows = await regionStats(ctx.database.db, {
        level: args.level,
        year: args.year,
        parentCode,
        filter: args.filter,
      });
      let parentName: string | null = null;
      if (parentCode) parentName = (await ctx.loaders.region.load(parentCode))?.name ?? null;
      return rows.map((r) => ({
        ...r,
        level: args.level,
        isTotal: r.code === null,
        ...(r.code === null ? { code: parentCode ?? '00', name: parentName ?? '全国' } : {}),
      }));
    },
  }),
  choropleth: t.field({
    type: ChoroplethRef,
    // One query per year the breaks are computed over, each as big as the first.
    ...sized(
      (args, sizes) =>
        regionsAt(args.level, args.parentCode, sizes) *
        (1 + (Array.isArray(args.breaksOverYears) ? args.breaksOverYears.length : 0)),
      { queryCost: SCAN_COST },
    ),
    description:
      'Values of an indicator for a year per region of a level, with class breaks for a map legend.',
    args: {
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'Level of the regions.' }),
      indicator: t.arg({ type: IndicatorEnum, required: true, description: 'The indicator.' }),
      year: t.arg.int({ required: true, description: `Year, ${YEAR_RANGE}.` }),
      parentCode: t.arg.string({
        required: false,
        description: 'Only regions under this code (2 or 4 digits).',
      }),
      method: t.arg({ type: ClassificationMethodEnum, required: false, description: 'Default QUANTILE.' }),
      classes: t.arg.int({
        required: false,
        description: `Number of classes, ${MIN_CLASSES}–${MAX_CLASSES} (default 5).`,
      }),
      change: t.arg.boolean({
        required: false,
        description:
          'Map the change from the previous year instead of the value (比上年增减); needs year ≥ 2015.',
      }),
      breaks: t.arg.floatList({
        required: false,
        description: `Fixed class bounds [b0 … bk], strictly ascending, 2–${MAX_CLASSES + 1} of them, instead of computing them (method and classes are then ignored); a value below b0 or above bk falls in the first or last class.`,
      }),
      breaksOverYears: t.arg.intList({
        required: false,
        description:
          'Compute the breaks over the values of these years as well as `year` (same level, indicator, parent and change), so that one colour means the same value on maps of each: the compare view, or a year slider.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { change, classes, method, breaks } = classification(args);
      const parentCode = regionCodePrefix('parentCode', args.parentCode, [2, 4]);
      const otherYears = breaksYears(args.breaksOverYears, args.year, change);
      if (breaks && otherYears.length) throw badInput('breaks', 'give breaks or breaksOverYears, not both');
      await requireHouseholdsFor(ctx, args.indicator);
      const valuesIn = (year: number, explainMissing = true) =>
        choroplethValues(ctx.database.db, {
          explainMissing,
          level: args.level,
          indicator: args.indicator,
          year,
          parentCode,
          change,
        });
      const rows = await valuesIn(args.year);
      const alsoOver: number[] = [];
      for (const year of otherYears)
        for (const r of await valuesIn(year, false)) if (r.value != null) alsoOver.push(Number(r.value));
      return {
        level: args.level,
        indicator: args.indicator,
        year: args.year,
        method,
        change,
        ...classifyRegions(rows, method, classes, { breaks, alsoOver }),
      };
    },
  }),
  villageChoropleth: t.field({
    type: VillageChoroplethRef,
    ...sized((args, sizes) => villagesUnder(args.countyCode, sizes), { queryCost: SCAN_COST }),
    description:
      "Values of an indicator for a year for each monitored village of a county, with class breaks over them (the county's villages on the map, coloured like the regions above them).",
    args: {
      countyCode: t.arg.string({ required: true, description: '6-digit county code.' }),
      indicator: t.arg({
        type: IndicatorEnum,
        required: true,
        description:
          'The indicator; the relocation indicators are figures of sites and regions, not villages.',
      }),
      year: t.arg.int({ required: true, description: `Year, ${YEAR_RANGE}.` }),
      method: t.arg({ type: ClassificationMethodEnum, required: false, description: 'Default QUANTILE.' }),
      classes: t.arg.int({
        required: false,
        description: `Number of classes, ${MIN_CLASSES}–${MAX_CLASSES} (default 5).`,
      }),
      change: t.arg.boolean({
        required: false,
        description: 'Map the change from the previous year (比上年增减); needs year ≥ 2015.',
      }),
      breaks: t.arg.floatList({
        required: false,
        description: `Fixed class bounds, strictly ascending, 2–${MAX_CLASSES + 1} of them (a fixed legend), instead of computing them.`,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { change, classes, method, breaks } = classification(args);
      const countyCode = regionCodePrefix('countyCode', args.countyCode, [6]);
      if (!countyCode) throw badInput('countyCode', 'give a 6-digit county code');
      const county = await ctx.loaders.region.load(countyCode);
      if (county?.level !== 'county') throw badInput('countyCode', `no county has code ${countyCode}`);
      const rows = await villageChoroplethValues(ctx.database.db, {
        countyCode,
        indicator: args.indicator,
        year: args.year,
        change,
      });
      if (!rows)
        throw badInput(
          'indicator',
          HOUSEHOLD_INDICATORS.includes(args.indicator)
            ? `${args.indicator} is counted from household rows and given for counties and wider regions only (a village's would tell one household's situation): map it at county level`
            : `${args.indicator} is a figure of relocation sites and regions, not of villages: map it at county level`,
        );
      return {
        countyCode,
        indicator: args.indicator,
        year: args.year,
        method,
        change,
        locations: new Map(rows.map((r) => [r.code, { lon: r.lon, lat: r.lat }])),
        unreported: rows
          .filter((r) => r.value == null)
          .map((r) => ({ code: r.code, name: r.name, lon: r.lon, lat: r.lat })),
        ...classifyRegions(rows, method, classes, { breaks }),
      };
    },
  }),
  villageIncomes: t.field({
    type: [RegionIncomesRef],
    // One row per region, and one number per village: the numbers dominate nationally.
    ...sized(
      (args, sizes) =>
        regionsAt(args.level, args.parentCode, sizes) + villagesUnder(args.parentCode, sizes) / 4,
      { queryCost: SCAN_COST },
    ),
    description:
      "Each region's monitored-village incomes for a year, sorted, for a monitoring line (监测线) the map can move without asking again.",
    args: {
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'Level of the regions.' }),
      year: t.arg.int({ required: true, description: `Year, ${YEAR_RANGE}.` }),
      parentCode: t.arg.string({
        required: false,
        description: 'Only regions under this code (2 or 4 digits).',
      }),
    },
    resolve: (_root, args, ctx) =>
      villageIncomesByRegion(ctx.database.db, {
        level: args.level,
        year: checkYear('year', args.year),
        parentCode: regionCodePrefix('parentCode', args.parentCode, [2, 4]),
      }),
  }),
}));

/** The arguments every map classification takes, checked, with their defaults. */
function classification(args: {
  year: number;
  change?: boolean | null;
  classes?: number | null;
  method?: ClassificationMethod | null;
  breaks?: readonly number[] | null;
}) {
  checkYear('year', args.year);
  const change = args.change ?? false;
  if (change && args.year <= FIRST_YEAR) {
    throw badInput('year', `change needs a previous year: year must be ${FIRST_YEAR + 1}–${LAST_YEAR}`);
  }
  const classes = args.classes ?? 5;
  if (!Number.isInteger(classes) || classes < MIN_CLASSES || classes > MAX_CLASSES) {
    throw badInput('classes', `must be ${MIN_CLASSES}–${MAX_CLASSES}, got ${classes}`);
  }
  return { change, classes, method: args.method ?? 'QUANTILE', breaks: fixedBreaks(args.breaks) };
}

/** A caller's fixed class bounds, checked: 2 to MAX_CLASSES + 1 of them, strictly ascending. */
function fixedBreaks(breaks: readonly number[] | null | undefined): number[] | undefined {
  if (breaks == null) return undefined;
  if (breaks.length < 2 || breaks.length > MAX_CLASSES + 1)
    throw badInput(
      'breaks',
      `needs 2–${MAX_CLASSES + 1} bounds (1–${MAX_CLASSES} classes), got ${breaks.length}`,
    );
  const i = breaks.findIndex((b, j) => j > 0 && !(b > breaks[j - 1]!));
  if (i > 0) throw badInput('breaks', `must be strictly ascending: ${breaks[i]} follows ${breaks[i - 1]}`);
  return [...breaks];
}

/** The other years the breaks are computed over, checked (each a year with data, no repeats). */
function breaksYears(years: readonly number[] | null | undefined, year: number, change: boolean): number[] {
  if (years == null) return [];
  if (years.length > LAST_YEAR - FIRST_YEAR + 1)
    throw badInput('breaksOverYears', `at most ${LAST_YEAR - FIRST_YEAR + 1} years, got ${years.length}`);
  const seen = new Set<number>();
  for (const y of years) {
    checkYear('breaksOverYears', y);
    if (change && y <= FIRST_YEAR)
      throw badInput(
        'breaksOverYears',
        `change needs a previous year: ${y} is not ${FIRST_YEAR + 1}–${LAST_YEAR}`,
      );
    seen.add(y);
  }
  seen.delete(year);
  return [...seen].sort((a, b) => a - b);
}
