// Counties (县级行政区): the unit of the leadership map, with designations, boundary, figures and
// their villages and relocation sites.
import {
  countCounties,
  type Executor,
  findBoundaries,
  findCounties,
  findRelocationSites,
  findVillages,
  type KeysetPosition,
  type ListRow,
  type PageResult,
  YEAR_RANGE,
} from '@rrm/db';
import { builder } from './builder.ts';
import { DesignationSourceEnum } from './dataset.ts';
import { badInput } from './errors.ts';
import { RegionYearRef, seriesField, yearField } from './figures.ts';
import { pointField } from './geometry.ts';
import { IndicatorRangeInput, SpatialFilterInput } from './inputs.ts';
import { commonFilter } from './list-args.ts';
import { listConnection } from './list-connection.ts';
import { requireHouseholdsFor } from './monitoring/loading.ts';
import { orderInput } from './ordering.ts';
import { type ConnectionArgs, decodeCursor, pageSize, toConnection } from './pagination.ts';
import { CountyRef, RegionRef, RelocationSiteRef, VillageRef } from './refs.ts';

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

/**
 * A page of a county's villages or relocation sites, in key order. First pages of many counties
 * come from one query (see loaders); a later page (after a cursor) is a list query of its own.
 */
async function countyPage<Row extends ListRow>(
  countyCode: string,
  args: ConnectionArgs,
  list: {
    cursor: string;
    ordering: string;
    find: (
      db: Executor,
      filter: { regionCode: string },
      page: { first: number; after: KeysetPosition | null },
    ) => Promise<PageResult<Row>>;
    firstPages: { load: (key: { code: string; first: number }) => Promise<Row[]> };
    db: Executor;
  },
) {
  const first = pageSize(args);
  if (args.after) {
    const page = await list.find(
      list.db,
      { regionCode: countyCode },
      { first, after: decodeCursor(list.cursor, list.ordering, args.after) },
    );
    return { ...toConnection(list.cursor, list.ordering, page.rows, page.hasNextPage), countyCode };
  }
  const rows = await list.firstPages.load({ code: countyCode, first: first + 1 });
  return {
    ...toConnection(list.cursor, list.ordering, rows.slice(0, first), rows.length > first),
    countyCode,
  };
}

builder.node(CountyRef, {
  description: '县级行政区 (county-level unit) with its designations. Codes are the 2023 GB/T 2260 codes.',
  id: { resolve: (c) => c.code, description: 'Global id (for node(id)).' },
  loadMany: (codes, ctx) => codes.map((code) => ctx.loaders.county.load(code)),
  fields: (t) => ({
    code: t.exposeString('code', { description: '6-digit county code (行政区划代码).' }),
    name: t.exposeString('name', { description: 'Name (名称).' }),
    provinceCode: t.exposeString('provinceCode', { description: '2-digit province code (省).' }),
    prefectureCode: t.exposeString('prefectureCode', {
      nullable: true,
      description: '4-digit prefecture code (地级).',
    }),
    province: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The province (省).',
      resolve: (c, _a, ctx) => ctx.loaders.region.load(c.provinceCode),
    }),
    prefecture: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The prefecture (地级市/州).',
      resolve: (c, _a, ctx) => (c.prefectureCode ? ctx.loaders.region.load(c.prefectureCode) : null),
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
      description:
        '国家乡村振兴重点帮扶县 (national key assistance county); keyAssistanceSource says whether it is a fact.',
    }),
    keyAssistanceSource: t.field({
      type: DesignationSourceEnum,
      nullable: true,
      description:
        'Where keyAssistance (true or false) comes from: PUBLISHED_LIST (the 2021 list), IMPORTED, or GENERATED (the demo drew it: the published list shipped is partial). Null where no designation is stored.',
      resolve: (c) => c.keyAssistanceSource,
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
    distanceMeters: t.exposeFloat('distanceMeters', {
      nullable: true,
      description: 'Metres from filter.spatial.near to the label point, when the list was filtered by it.',
    }),
    labelPoint: pointField(t, 'A point inside the county for its label (GeoJSON Point),'),
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
    indicators: yearField(
      t,
      RegionYearRef,
      (p, ctx) => ctx.loaders.regionYears.load(p.code),
      "The county's figures for a year (null when it has no monitored villages or sites).",
    ),
    series: seriesField(
      t,
      RegionYearRef,
      (p, ctx) => ctx.loaders.regionYears.load(p.code),
      `The county's figures for each year in [from, to] (default ${YEAR_RANGE}).`,
    ),
    villages: t.connection(
      {
        type: VillageRef,
        description: "The county's monitored villages, by code.",
        resolve: (c, args, ctx) =>
          countyPage(c.code, args, {
            cursor: 'village',
            ordering: 'CODE:ASC',
            find: findVillages,
            firstPages: ctx.loaders.villagesOfCounty,
            db: ctx.database.db,
          }),
      },
      {
        name: 'CountyVillageConnection',
        description: "A page of a county's villages.",
        fields: (conn) => ({
          totalCount: conn.int({
            description: 'How many villages the county has.',
            resolve: (connection, _a, ctx) => ctx.loaders.villageCount.load(connection.countyCode),
          }),
        }),
      },
      { name: 'CountyVillageEdge', description: 'A village of the county and its cursor.' },
    ),
    relocationSites: t.connection(
      {
        type: RelocationSiteRef,
        description: "The county's relocation sites, by id.",
        resolve: (c, args, ctx) =>
          countyPage(c.code, args, {
            cursor: 'site',
            ordering: 'ID:ASC',
            find: findRelocationSites,
            firstPages: ctx.loaders.sitesOfCounty,
            db: ctx.database.db,
          }),
      },
      {
        name: 'CountyRelocationSiteConnection',
        description: "A page of a county's relocation sites.",
        fields: (conn) => ({
          totalCount: conn.int({
            description: 'How many relocation sites the county has.',
            resolve: (connection, _a, ctx) => ctx.loaders.siteCount.load(connection.countyCode),
          }),
        }),
      },
      { name: 'CountyRelocationSiteEdge', description: 'A relocation site of the county and its cursor.' },
    ),
  }),
});

export const CountyFilterInput = builder.inputType('CountyFilter', {
  description:
    'Filters on counties; all given conditions must hold. Spatial conditions apply to the label point.',
  fields: (t) => ({
    regionCode: t.string({
      required: false,
      description: 'Region code prefix of any level, e.g. "52" (贵州) or "5226".',
    }),
    povertyCounty: t.boolean({ required: false, description: '贫困县 or not.' }),
    keyAssistance: t.boolean({ required: false, description: '国家乡村振兴重点帮扶县 or not.' }),
    supervised: t.boolean({ required: false, description: '挂牌督战县 or not.' }),
    search: t.string({ required: false, description: 'Part of the name (名称包含), up to 50 characters.' }),
    spatial: t.field({
      type: SpatialFilterInput,
      required: false,
      description: 'Spatial conditions on the label point.',
    }),
    indicator: t.field({
      type: IndicatorRangeInput,
      required: false,
      description: 'An indicator range in a year.',
    }),
  }),
});

const CountyOrderInput = orderInput('County', 'counties', 'CODE', 'Code');

builder.queryFields((t) => ({
  counties: listConnection(t, {
    name: 'County',
    type: CountyRef,
    description: 'Counties (县级行政区). Page with first/after (at most 1,000 per page).',
    filter: CountyFilterInput,
    orderBy: CountyOrderInput,
    orderByDescription: 'Ordering (default: by code).',
    // Two indicators are counted from the monitored households, which may still be loading.
    authorize: (ctx, filter, orderBy) =>
      requireHouseholdsFor(ctx, filter?.indicator?.indicator, orderBy?.indicator),
    list: {
      cursor: 'county',
      defaultOrder: 'CODE',
      checkFilter: (ctx, filter) => commonFilter(ctx, filter),
      find: findCounties,
    },
    count: countCounties,
    connectionDescription: 'A page of counties.',
    totalCountDescription: 'How many counties match the filter (all pages).',
    edgeDescription: 'A county and its cursor.',
  }),
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
