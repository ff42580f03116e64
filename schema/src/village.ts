// Villages (村): the unit the indicators are collected for.
import { countVillages, findVillages, YEAR_RANGE } from '@rrm/db';
import { builder } from './builder.ts';
import { sized } from './cost.ts';
import { badInput } from './errors.ts';
import { seriesField, VillageYearRef, yearField } from './figures.ts';
import { pointField } from './geometry.ts';
import { IndicatorRangeInput, SpatialFilterInput } from './inputs.ts';
import { commonFilter } from './list-args.ts';
import { listConnection } from './list-connection.ts';
import { orderInput } from './ordering.ts';
import { CountyRef, RelocationSiteRef, VillageRef } from './refs.ts';

const VillageDestinationRef = builder
  .objectRef<{ siteId: number; households: number }>('VillageDestination')
  .implement({
    description: 'A relocation site households of the village moved to (迁入安置点), with how many.',
    fields: (t) => ({
      households: t.exposeInt('households', { description: 'Households that moved there.' }),
      site: t.field({
        type: RelocationSiteRef,
        description: 'The site.',
        resolve: async (d, _a, ctx) => (await ctx.loaders.site.load(d.siteId))!,
      }),
    }),
  });

builder.node(VillageRef, {
  description: '村 (village) under monitoring, keyed by its 12-digit statistical code (统计用区划代码).',
  id: { resolve: (v) => v.code, description: 'Global id (for node(id)).' },
  loadMany: (codes, ctx) => codes.map((code) => ctx.loaders.village.load(code)),
  fields: (t) => ({
    code: t.exposeString('code', {
      description: '12-digit village code; its first 6 digits are the county.',
    }),
    name: t.exposeString('name', { description: 'Name (村名).' }),
    townshipCode: t.exposeString('townshipCode', { description: '9-digit township code (乡镇).' }),
    township: t.exposeString('townshipName', { description: 'Township name (乡镇).' }),
    countyCode: t.exposeString('countyCode', { description: '6-digit county code.' }),
    county: t.field({
      type: CountyRef,
      description: 'The county the village lies in.',
      resolve: async (v, _args, ctx) => (await ctx.loaders.county.load(v.countyCode))!,
    }),
    location: pointField(t, 'Location as a GeoJSON Point,'),
    distanceMeters: t.exposeFloat('distanceMeters', {
      nullable: true,
      description: 'Metres from filter.spatial.near, when the list was filtered by it.',
    }),
    povertyVillage: t.exposeBoolean('povertyVillage', { description: '贫困村 (poverty village).' }),
    povertyExitYear: t.exposeInt('povertyExitYear', {
      nullable: true,
      description: '出列 year: when it exited poverty.',
    }),
    supervised: t.exposeBoolean('supervised', { description: '挂牌督战村 (listed for supervision).' }),
    stats: yearField(
      t,
      VillageYearRef,
      (p, ctx) => ctx.loaders.villageYears.load(p.code),
      "The village's figures for a year.",
    ),
    series: seriesField(
      t,
      VillageYearRef,
      (p, ctx) => ctx.loaders.villageYears.load(p.code),
      `The village's figures for each year in [from, to] (default ${YEAR_RANGE}).`,
    ),
    relocatedTo: t.field({
      type: [VillageDestinationRef],
      ...sized(5),
      description: 'Relocation sites its households moved to (易地扶贫搬迁去向).',
      resolve: (v, _a, ctx) => ctx.loaders.villageDestinations.load(v.code),
    }),
  }),
});

const VillageFilterInput = builder.inputType('VillageFilter', {
  description: 'Filters on villages; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({
      required: false,
      description: 'Region code prefix of any level (2, 4, 6, 9 or 12 digits).',
    }),
    povertyVillage: t.boolean({ required: false, description: '贫困村 or not.' }),
    supervised: t.boolean({ required: false, description: '挂牌督战村 or not.' }),
    keyAssistanceCounty: t.boolean({ required: false, description: 'In a 国家乡村振兴重点帮扶县 or not.' }),
    search: t.string({
      required: false,
      description: 'Part of the village or township name (名称包含), up to 50 characters.',
    }),
    spatial: t.field({
      type: SpatialFilterInput,
      required: false,
      description: 'Spatial conditions on the location.',
    }),
    indicator: t.field({
      type: IndicatorRangeInput,
      required: false,
      description: 'An indicator range in a year.',
    }),
  }),
});

const VillageOrderInput = orderInput('Village', 'villages', 'CODE', 'Code');

builder.queryFields((t) => ({
  villages: listConnection(t, {
    name: 'Village',
    type: VillageRef,
    description: 'Villages (村). Page with first/after (at most 1,000 per page).',
    filter: VillageFilterInput,
    orderBy: VillageOrderInput,
    orderByDescription: 'Ordering (default: by code).',
    list: {
      cursor: 'village',
      defaultOrder: 'CODE',
      checkFilter: (ctx, filter) => commonFilter(ctx, filter),
      find: findVillages,
    },
    count: countVillages,
    connectionDescription: 'A page of villages.',
    totalCountDescription: 'How many villages match the filter (all pages).',
    edgeDescription: 'A village and its cursor.',
  }),
  village: t.field({
    type: VillageRef,
    nullable: true,
    description: 'One village by its 12-digit code; null when there is none.',
    args: { code: t.arg.string({ required: true, description: '12-digit village code.' }) },
    resolve: (_root, { code }, ctx) => {
      if (!/^\d{12}$/.test(code)) throw badInput('code', `"${code}" is not a 12-digit village code`);
      return ctx.loaders.village.load(code);
    },
  }),
}));
