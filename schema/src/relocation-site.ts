// Relocation sites (易地扶贫搬迁集中安置点).
import { countRelocationSites, findRelocationSites } from '@rrm/db';
import { builder } from './builder.ts';
import { sized } from './cost.ts';
import { badInput } from './errors.ts';
import { SiteYearRef, seriesField, yearField } from './figures.ts';
import { pointField } from './geometry.ts';
import { enumOf, IndicatorRangeInput, SpatialFilterInput } from './inputs.ts';
import { commonFilter } from './list-args.ts';
import { listConnection } from './list-connection.ts';
import { orderInput } from './ordering.ts';
import { CountyRef, RelocationSiteRef, VillageRef } from './refs.ts';

const PlacementType = enumOf('PlacementType', '安置方式: where the site was built.', {
  county_town: '县城安置',
  township: '乡镇安置 (集镇)',
  central_village: '中心村安置',
  industrial_park: '产业园区安置',
  tourist_area: '旅游景区安置',
});

const SizeClass = enumOf('SiteSizeClass', '安置点规模 by people relocated.', {
  small: 'fewer than 800 people',
  medium: '800 – 3,000 people',
  large: '3,000 – 10,000 people',
  extra_large: '10,000 people or more',
});

const OriginRef = builder
  .objectRef<{ villageCode: string; households: number }>('RelocationOrigin')
  .implement({
    description: 'A village the households came from (迁出村), with how many.',
    fields: (t) => ({
      households: t.exposeInt('households', { description: 'Households from this village.' }),
      villageCode: t.exposeString('villageCode', { description: '12-digit village code.' }),
      village: t.field({
        type: VillageRef,
        nullable: true,
        description: 'The village.',
        resolve: (o, _a, ctx) => ctx.loaders.village.load(o.villageCode),
      }),
    }),
  });

builder.node(RelocationSiteRef, {
  description: '易地扶贫搬迁集中安置点 (concentrated relocation site).',
  id: { resolve: (s) => String(s.id), description: 'Global id (for node(id)); siteId is the plain number.' },
  loadMany: (ids, ctx) => ids.map((id) => (/^\d{1,9}$/.test(id) ? ctx.loaders.site.load(Number(id)) : null)),
  fields: (t) => ({
    siteId: t.exposeInt('id', { description: 'Site number (安置点编号).' }),
    name: t.exposeString('name', { description: 'Name (安置点名称).' }),
    countyCode: t.exposeString('countyCode', { description: '6-digit code of the county it stands in.' }),
    county: t.field({
      type: CountyRef,
      description: 'The county it stands in.',
      resolve: async (s, _args, ctx) => (await ctx.loaders.county.load(s.countyCode))!,
    }),
    location: pointField(t, 'Location as a GeoJSON Point,'),
    distanceMeters: t.exposeFloat('distanceMeters', {
      nullable: true,
      description: 'Metres from filter.spatial.near, when the list was filtered by it.',
    }),
    placementType: t.field({
      type: PlacementType,
      description: '安置方式.',
      resolve: (s) => s.placementType,
    }),
    sizeClass: t.field({ type: SizeClass, description: '规模.', resolve: (s) => s.sizeClass }),
    hasSchool: t.exposeBoolean('hasSchool', { description: 'Has a school (学校).' }),
    hasClinic: t.exposeBoolean('hasClinic', { description: 'Has a clinic (卫生室).' }),
    hasWorkshop: t.exposeBoolean('hasWorkshop', {
      description: 'Has a poverty-alleviation workshop (帮扶车间).',
    }),
    hasCommunityServiceCentre: t.exposeBoolean('hasCommunityServiceCentre', {
      description: 'Has a community service centre (社区服务中心).',
    }),
    yearBuilt: t.exposeInt('yearBuilt', { description: 'Year built (建成年份).' }),
    figures: yearField(
      t,
      SiteYearRef,
      (p, ctx) => ctx.loaders.siteYears.load(p.id),
      'Figures for a year (null before the site was built).',
    ),
    series: seriesField(
      t,
      SiteYearRef,
      (p, ctx) => ctx.loaders.siteYears.load(p.id),
      'Figures for each year in [from, to] since it was built.',
    ),
    originVillages: t.field({
      type: [OriginRef],
      ...sized(50),
      description: 'Villages the households came from (迁出村), with household counts.',
      resolve: (s, _a, ctx) => ctx.loaders.siteOrigins.load(s.id),
    }),
  }),
});

const RelocationSiteFilterInput = builder.inputType('RelocationSiteFilter', {
  description: 'Filters on relocation sites; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({ required: false, description: 'Region code prefix (2, 4 or 6 digits).' }),
    search: t.string({ required: false, description: 'Part of the name, up to 50 characters.' }),
    placementType: t.field({ type: PlacementType, required: false, description: '安置方式.' }),
    sizeClass: t.field({ type: SizeClass, required: false, description: '规模.' }),
    keyAssistanceCounty: t.boolean({ required: false, description: 'In a 国家乡村振兴重点帮扶县 or not.' }),
    spatial: t.field({
      type: SpatialFilterInput,
      required: false,
      description: 'Spatial conditions on the location.',
    }),
    indicator: t.field({
      type: IndicatorRangeInput,
      required: false,
      description:
        'A range of RELOCATED_PEOPLE, RELOCATION_EMPLOYMENT_COVERAGE, EMPLOYMENT_RATE or ZERO_EMPLOYMENT_HOUSEHOLDS in a year.',
    }),
  }),
});

const SiteOrderInput = orderInput('RelocationSite', 'relocation sites', 'ID', 'Site number');

builder.queryFields((t) => ({
  relocationSites: listConnection(t, {
    name: 'RelocationSite',
    type: RelocationSiteRef,
    description: 'Relocation sites (安置点). Page with first/after (at most 1,000 per page).',
    filter: RelocationSiteFilterInput,
    orderBy: SiteOrderInput,
    orderByDescription: 'Ordering (default: by site number).',
    list: {
      cursor: 'site',
      defaultOrder: 'ID',
      checkFilter: (ctx, filter) => commonFilter(ctx, filter, [2, 4, 6]),
      find: findRelocationSites,
    },
    count: countRelocationSites,
    connectionDescription: 'A page of relocation sites.',
    totalCountDescription: 'How many sites match the filter (all pages).',
    edgeDescription: 'A relocation site and its cursor.',
  }),
  relocationSite: t.field({
    type: RelocationSiteRef,
    nullable: true,
    description: 'One relocation site by its number (siteId) or global id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'Site number or global id.' }) },
    resolve: (_root, { id }, ctx) => {
      const text = String(id);
      let number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isNaN(number)) {
        const decoded = Buffer.from(text, 'base64')
          .toString('utf8')
          .match(/^RelocationSite:(\d+)$/);
        number = decoded ? Number(decoded[1]) : Number.NaN;
      }
      if (!Number.isSafeInteger(number) || number <= 0 || number > 2_147_483_647) {
        throw badInput('id', `"${text}" is not a relocation site number or id`);
      }
      return ctx.loaders.site.load(number);
    },
  }),
}));
