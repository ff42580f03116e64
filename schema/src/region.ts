// Regions of any level (province, prefecture, county), for drill-down and lookups by code.
import { findProvinces, YEAR_RANGE } from '@rrm/db';
import { builder } from './builder.ts';
import { sized } from './cost.ts';
import { badInput } from './errors.ts';
import { RegionYearRef, seriesField, yearField } from './figures.ts';
import { pointField } from './geometry.ts';
import { RegionLevelEnum } from './inputs.ts';
import { CountyRef, RegionRef } from './refs.ts';

RegionRef.implement({
  description: '行政区: a province (省), prefecture (地级) or county (县级), with its figures.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Code: 2 (province), 4 (prefecture) or 6 digits (county).' }),
    name: t.exposeString('name', { description: 'Name (名称).' }),
    level: t.field({ type: RegionLevelEnum, description: 'Level (级别).', resolve: (r) => r.level }),
    parentCode: t.exposeString('parentCode', {
      nullable: true,
      description: 'Code of the region above; null for provinces.',
    }),
    parent: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region above.',
      resolve: (r, _a, ctx) => (r.parentCode ? ctx.loaders.region.load(r.parentCode) : null),
    }),
    children: t.field({
      type: [RegionRef],
      ...sized((_args, sizes) => Math.max(sizes.maxPrefecturesPerProvince, sizes.maxCountiesPerPrefecture)),
      description: 'The regions directly below, by code.',
      resolve: (r, _a, ctx) => ctx.loaders.childRegions.load(r.code),
    }),
    county: t.field({
      type: CountyRef,
      nullable: true,
      description: 'The county with its designations, when this region is a county.',
      resolve: (r, _a, ctx) => (r.level === 'county' ? ctx.loaders.county.load(r.code) : null),
    }),
    hasBoundary: t.exposeBoolean('hasBoundary', { description: 'Whether a boundary is stored.' }),
    bbox: t.field({
      type: ['Float'],
      ...sized(4),
      nullable: true,
      description:
        'Bounding box of the boundary [minLon, minLat, maxLon, maxLat] (WGS84), for zooming to it.',
      resolve: (r) => (r.bbox ? r.bbox.map(Number) : null),
    }),
    labelPoint: pointField(t, 'A point inside the region for its label (GeoJSON Point),'),
    indicators: yearField(
      t,
      RegionYearRef,
      (p, ctx) => ctx.loaders.regionYears.load(p.code),
      "The region's figures for a year.",
    ),
    series: seriesField(
      t,
      RegionYearRef,
      (p, ctx) => ctx.loaders.regionYears.load(p.code),
      `The region's figures for each year in [from, to] (default ${YEAR_RANGE}).`,
    ),
  }),
});

builder.queryFields((t) => ({
  region: t.field({
    type: RegionRef,
    nullable: true,
    description: 'One region of any level by code (2, 4 or 6 digits); null when there is none.',
    args: { code: t.arg.string({ required: true, description: 'Region code.' }) },
    resolve: (_root, { code }, ctx) => {
      if (!/^(\d{2}|\d{4}|\d{6})$/.test(code))
        throw badInput('code', `"${code}" is not a 2, 4 or 6-digit region code`);
      return ctx.loaders.region.load(code);
    },
  }),
  provinces: t.field({
    type: [RegionRef],
    ...sized((_args, sizes) => sizes.provinces),
    description: 'All provinces (省级), by code: the top of the drill-down.',
    resolve: (_root, _a, ctx) => findProvinces(ctx.database.db),
  }),
}));
