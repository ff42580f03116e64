// Villages (村): the unit the indicators are collected for.
import { countVillages, findVillages, type VillageRow } from '@rrm/db';
import { builder } from './builder.ts';
import { CountyRef } from './county.ts';
import { pointGeoJSON } from './geometry.ts';
import { decodeCursor, pageSize, toConnection } from './pagination.ts';
import { regionCodePrefix } from './validation.ts';

export const VillageRef = builder.objectRef<VillageRow>('Village');

VillageRef.implement({
  description: '村 (village) under monitoring, keyed by its 12-digit statistical code (统计用区划代码).',
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
      resolve: (v, { gcj02 }) => pointGeoJSON(v.lon, v.lat, !!gcj02),
    }),
    povertyVillage: t.exposeBoolean('povertyVillage', { description: '贫困村 (poverty village).' }),
    povertyExitYear: t.exposeInt('povertyExitYear', {
      nullable: true,
      description: '出列 year: when it exited poverty.',
    }),
    supervised: t.exposeBoolean('supervised', { description: '挂牌督战村 (listed for supervision).' }),
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
  }),
});

builder.queryFields((t) => ({
  villages: t.connection(
    {
      type: VillageRef,
      description: 'Villages (村), ordered by code. Page with first/after (at most 1,000 per page).',
      args: { filter: t.arg({ type: VillageFilterInput, required: false }) },
      resolve: async (_root, args, ctx) => {
        const first = pageSize(args);
        const filter = {
          ...args.filter,
          regionCode: regionCodePrefix('filter.regionCode', args.filter?.regionCode),
        };
        const page = await findVillages(ctx.database.db, filter, {
          first,
          after: decodeCursor('village', args.after),
        });
        return { ...toConnection('village', page.rows, page.hasNextPage, (v) => v.code), filter };
      },
    },
    {
      name: 'VillageConnection',
      description: 'A page of villages.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many villages match the filter (all pages).',
          resolve: (connection, _args, ctx) =>
            countVillages(ctx.database.db, (connection as unknown as { filter: object }).filter),
        }),
      }),
    },
    { name: 'VillageEdge', description: 'A village and its cursor.' },
  ),
}));
