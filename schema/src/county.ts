// Counties (县级行政区): the unit of the leadership map, with their designations and boundary.
import { type CountyRow, countCounties, findBoundaries, findCounties } from '@rrm/db';
import { builder } from './builder.ts';
import { badInput } from './errors.ts';
import { decodeCursor, pageSize, toConnection } from './pagination.ts';
import { regionCodePrefix } from './validation.ts';

export const CountyRef = builder.objectRef<CountyRow>('County');

export const GeometryOptionsInput = builder.inputType('GeometryOptions', {
  description: 'How to return a geometry.',
  fields: (t) => ({
    simplifyTolerance: t.float({
      required: false,
      description:
        'Simplification tolerance in degrees (topology-preserving); e.g. 0.01 ≈ 1 km. None by default.',
    }),
    gcj02: t.boolean({
      required: false,
      description: 'Return GCJ-02 coordinates (火星坐标, for AMap/Tencent base maps) instead of WGS84.',
    }),
  }),
});

CountyRef.implement({
  description: '县级行政区 (county-level unit) with its designations. Codes are the 2023 GB/T 2260 codes.',
  fields: (t) => ({
    code: t.exposeString('code', { description: '6-digit county code (行政区划代码).' }),
    name: t.exposeString('name', { description: 'Name (名称).' }),
    provinceCode: t.exposeString('provinceCode', { description: '2-digit province code (省).' }),
    prefectureCode: t.exposeString('prefectureCode', {
      nullable: true,
      description: '4-digit prefecture code (地级).',
    }),
    hasBoundary: t.exposeBoolean('hasBoundary', {
      description:
        'Whether a boundary is stored; a few re-cut 2023 units have none and are drawn as no-boundary.',
    }),
    povertyCounty: t.exposeBoolean('povertyCounty', { description: '贫困县 (poverty county).' }),
    povertyExitYear: t.exposeInt('povertyExitYear', {
      nullable: true,
      description: '摘帽 year: when it was lifted out of poverty.',
    }),
    keyAssistance: t.exposeBoolean('keyAssistance', {
      description: '国家乡村振兴重点帮扶县 (national key assistance county).',
    }),
    supervised: t.exposeBoolean('supervised', {
      description: '挂牌督战县 (listed for supervision in 2020).',
    }),
    eastWestPartnerProvince: t.exposeString('eastWestPartnerProvince', {
      nullable: true,
      description: '东西部协作: code of the eastern partner province.',
    }),
    eastWestPartnerCounty: t.exposeString('eastWestPartnerCounty', {
      nullable: true,
      description: '东西部协作: code of the eastern partner county.',
    }),
    geometry: t.field({
      type: 'GeoJSON',
      nullable: true,
      description:
        'Boundary as a GeoJSON MultiPolygon (WGS84 unless options.gcj02); null where none is stored.',
      args: { options: t.arg({ type: GeometryOptionsInput, required: false }) },
      resolve: async (county, { options }, ctx) => {
        const tolerance = options?.simplifyTolerance;
        if (tolerance != null && (!(tolerance >= 0) || tolerance > 1)) {
          throw badInput('options.simplifyTolerance', `must be between 0 and 1 degree, got ${tolerance}`);
        }
        if (!tolerance && !options?.gcj02) return ctx.loaders.boundary.load(county.code);
        const one = await findBoundaries(ctx.database.db, [county.code], {
          simplifyTolerance: tolerance,
          gcj02: !!options?.gcj02,
        });
        return one.get(county.code) ?? null;
      },
    }),
  }),
});

export const CountyFilterInput = builder.inputType('CountyFilter', {
  description: 'Filters on counties; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({
      required: false,
      description: 'Region code prefix of any level, e.g. "52" (贵州) or "5226".',
    }),
    povertyCounty: t.boolean({ required: false, description: '贫困县 or not.' }),
    keyAssistance: t.boolean({ required: false, description: '国家乡村振兴重点帮扶县 or not.' }),
    supervised: t.boolean({ required: false, description: '挂牌督战县 or not.' }),
  }),
});

builder.queryFields((t) => ({
  counties: t.connection(
    {
      type: CountyRef,
      description: 'Counties (县级行政区), ordered by code. Page with first/after (at most 1,000 per page).',
      args: { filter: t.arg({ type: CountyFilterInput, required: false }) },
      resolve: async (_root, args, ctx) => {
        const first = pageSize(args);
        const filter = {
          ...args.filter,
          regionCode: regionCodePrefix('filter.regionCode', args.filter?.regionCode),
        };
        const page = await findCounties(ctx.database.db, filter, {
          first,
          after: decodeCursor('county', args.after),
        });
        return { ...toConnection('county', page.rows, page.hasNextPage, (c) => c.code), filter };
      },
    },
    {
      name: 'CountyConnection',
      description: 'A page of counties.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many counties match the filter (all pages).',
          resolve: (connection, _args, ctx) =>
            countCounties(ctx.database.db, (connection as unknown as { filter: object }).filter),
        }),
      }),
    },
    { name: 'CountyEdge', description: 'A county and its cursor.' },
  ),
  county: t.field({
    type: CountyRef,
    nullable: true,
    description: 'One county by its 6-digit code; null when there is none.',
    args: { code: t.arg.string({ required: true, description: '6-digit county code.' }) },
    resolve: (_root, { code }, ctx) => {
      if (!/^\d{6}$/.test(code)) throw badInput('code', `"${code}" is not a 6-digit county code`);
      return ctx.loaders.county.load(code);
    },
  }),
}));
