// Relocation sites (易地扶贫搬迁集中安置点).
import { countRelocationSites, findRelocationSites, type RelocationSiteRow } from '@rrm/db';
import { builder } from './builder.ts';
import { CountyRef } from './county.ts';
import { pointGeoJSON } from './geometry.ts';
import { decodeNumericCursor, pageSize, toConnection } from './pagination.ts';
import { regionCodePrefix } from './validation.ts';

export const RelocationSiteRef = builder.objectRef<RelocationSiteRow>('RelocationSite');

const PlacementType = builder.enumType('PlacementType', {
  description: '安置方式: where the site was built.',
  values: {
    COUNTY_TOWN: { value: 'county_town', description: '县城安置' },
    TOWNSHIP: { value: 'township', description: '乡镇安置 (集镇)' },
    CENTRAL_VILLAGE: { value: 'central_village', description: '中心村安置' },
    INDUSTRIAL_PARK: { value: 'industrial_park', description: '产业园区安置' },
    TOURIST_AREA: { value: 'tourist_area', description: '旅游景区安置' },
  } as const,
});

const SizeClass = builder.enumType('SiteSizeClass', {
  description: '安置点规模 by people relocated.',
  values: {
    SMALL: { value: 'small', description: 'fewer than 800 people' },
    MEDIUM: { value: 'medium', description: '800 – 3,000 people' },
    LARGE: { value: 'large', description: '3,000 – 10,000 people' },
    EXTRA_LARGE: { value: 'extra_large', description: '10,000 people or more' },
  } as const,
});

RelocationSiteRef.implement({
  description: '易地扶贫搬迁集中安置点 (concentrated relocation site).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Site id.' }),
    name: t.exposeString('name', { description: 'Name (安置点名称).' }),
    countyCode: t.exposeString('countyCode', { description: '6-digit code of the county it stands in.' }),
    county: t.field({
      type: CountyRef,
      description: 'The county it stands in.',
      resolve: async (s, _args, ctx) => (await ctx.loaders.county.load(s.countyCode))!,
    }),
    location: t.field({
      type: 'GeoJSON',
      nullable: true,
      description: 'Location as a GeoJSON Point, WGS84 unless gcj02 is true.',
      args: {
        gcj02: t.arg.boolean({
          required: false,
          description: 'Return GCJ-02 (火星坐标, for AMap/Tencent base maps).',
        }),
      },
      resolve: (s, { gcj02 }) => pointGeoJSON(s.lon, s.lat, !!gcj02),
    }),
    placementType: t.field({
      type: PlacementType,
      description: '安置方式.',
      resolve: (s) => s.placementType as never,
    }),
    sizeClass: t.field({ type: SizeClass, description: '规模.', resolve: (s) => s.sizeClass as never }),
    hasSchool: t.exposeBoolean('hasSchool', { description: 'Has a school (学校).' }),
    hasClinic: t.exposeBoolean('hasClinic', { description: 'Has a clinic (卫生室).' }),
    hasWorkshop: t.exposeBoolean('hasWorkshop', {
      description: 'Has a poverty-alleviation workshop (帮扶车间).',
    }),
    hasCommunityServiceCentre: t.exposeBoolean('hasCommunityServiceCentre', {
      description: 'Has a community service centre (社区服务中心).',
    }),
    yearBuilt: t.exposeInt('yearBuilt', { description: 'Year built (建成年份).' }),
  }),
});

const RelocationSiteFilterInput = builder.inputType('RelocationSiteFilter', {
  description: 'Filters on relocation sites.',
  fields: (t) => ({
    regionCode: t.string({ required: false, description: 'Region code prefix (2, 4 or 6 digits).' }),
  }),
});

builder.queryFields((t) => ({
  relocationSites: t.connection(
    {
      type: RelocationSiteRef,
      description:
        'Relocation sites (安置点), ordered by id. Page with first/after (at most 1,000 per page).',
      args: { filter: t.arg({ type: RelocationSiteFilterInput, required: false }) },
      resolve: async (_root, args, ctx) => {
        const first = pageSize(args);
        const filter = { regionCode: regionCodePrefix('filter.regionCode', args.filter?.regionCode) };
        const page = await findRelocationSites(ctx.database.db, filter, {
          first,
          after: decodeNumericCursor('site', args.after),
        });
        return { ...toConnection('site', page.rows, page.hasNextPage, (s) => s.id), filter };
      },
    },
    {
      name: 'RelocationSiteConnection',
      description: 'A page of relocation sites.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many sites match the filter (all pages).',
          resolve: (connection, _args, ctx) =>
            countRelocationSites(ctx.database.db, (connection as unknown as { filter: object }).filter),
        }),
      }),
    },
    { name: 'RelocationSiteEdge', description: 'A relocation site and its cursor.' },
  ),
}));
