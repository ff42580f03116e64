// Enums and inputs shared by the lists and aggregates, with their validation. Every error names the
// argument (e.g. "filter.spatial.near.radiusMeters") and says what would be valid.
import {
  type Database,
  FIRST_YEAR,
  INDICATORS,
  type Indicator,
  LAST_YEAR,
  polygonValidity,
  regionHasBoundary,
  type SpatialFilter,
  YEAR_RANGE,
} from '@rrm/db';
import { builder } from './builder.ts';
import { badInput } from './errors.ts';
import { checkPolygonGeoJSON } from './geojson.ts';

export { FIRST_YEAR, LAST_YEAR } from '@rrm/db';

const INDICATOR_DESCRIPTIONS: Record<Indicator, string> = {
  PER_CAPITA_NET_INCOME:
    '脱贫人口人均纯收入: per-capita net income of lifted households, yuan/year (weighted by lifted population)',
  EMPLOYMENT_RATE: '务工就业率: employed lifted labourers / lifted labour force (0–1)',
  OUT_MIGRANT_WORKERS: '外出务工: lifted labourers working away from home, people',
  MONITORED_HOUSEHOLDS: '防止返贫监测对象: households under monitoring (all three types)',
  MONITORED_PER_1000: 'Monitored households per 1,000 people',
  RISK_REMOVED_SHARE:
    '风险消除占比: of the monitored households identified by the end of the year, the share whose risk was removed by then (0–1; from the household rows)',
  HOUSEHOLDS_UNDER_LINE:
    "低于监测标准: households under monitoring whose income of the year is under their province's stored monitoring line of that year (from the household rows; null for a year with no income assessed)",
  PUBLIC_WELFARE_POSTS: '公益岗位: public-welfare posts held by lifted people',
  WORKSHOP_JOBS: '帮扶车间: jobs in poverty-alleviation workshops',
  RELOCATED_PEOPLE: '易地扶贫搬迁: people living in relocation sites',
  RELOCATION_EMPLOYMENT_COVERAGE: 'Share of relocated labour households with someone employed (0–1)',
  ZERO_EMPLOYMENT_HOUSEHOLDS: '零就业家庭: relocated labour households with nobody employed',
};

export const IndicatorEnum = builder.enumType('Indicator', {
  description: 'An indicator the map can colour and lists can filter or order by (指标).',
  values: Object.fromEntries(
    INDICATORS.map((i) => [i, { value: i, description: INDICATOR_DESCRIPTIONS[i] }]),
  ) as {
    [K in Indicator]: { value: K; description: string };
  },
});

/**
 * An enum from stored values and their labels: value `k`, GraphQL name `K`, the label as
 * description. Its values are typed as strings, as the rows that carry them are.
 */
export const enumOf = (name: string, description: string, labels: Record<string, string>) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(
      Object.entries(labels).map(([k, zh]) => [k.toUpperCase(), { value: k, description: zh }]),
    ) as Record<string, { value: string; description: string }>,
  });

export const SortDirectionEnum = builder.enumType('SortDirection', {
  description: 'Sort direction; missing values always come last.',
  values: {
    ASC: { value: 'ASC', description: 'Ascending (升序).' },
    DESC: { value: 'DESC', description: 'Descending (降序).' },
  } as const,
});

export const RegionLevelEnum = builder.enumType('RegionLevel', {
  description: 'Administrative level (行政级别).',
  values: {
    PROVINCE: { value: 'province', description: '省级' },
    PREFECTURE: { value: 'prefecture', description: '地级' },
    COUNTY: { value: 'county', description: '县级' },
  } as const,
});

export const NearInput = builder.inputType('NearInput', {
  description: 'Within a radius of a point (WGS84); results carry distanceMeters and can be ordered by it.',
  fields: (t) => ({
    lon: t.float({ required: true, description: 'Longitude, −180 to 180.' }),
    lat: t.float({ required: true, description: 'Latitude, −90 to 90.' }),
    radiusMeters: t.float({ required: true, description: 'Radius in metres, up to 1,000,000.' }),
  }),
});

export const SpatialFilterInput = builder.inputType('SpatialFilter', {
  description: 'Spatial conditions (空间筛选); all given must hold. Each uses the spatial index.',
  fields: (t) => ({
    bbox: t.floatList({
      required: false,
      description: 'Bounding box [minLon, minLat, maxLon, maxLat] (WGS84).',
    }),
    near: t.field({ type: NearInput, required: false, description: 'Within a radius of a point.' }),
    within: t.field({
      type: 'GeoJSON',
      required: false,
      description: 'Inside a GeoJSON Polygon or MultiPolygon (WGS84).',
    }),
    inRegion: t.string({
      required: false,
      description: 'Inside the stored boundary of a region (2, 4 or 6-digit code).',
    }),
  }),
});

export const IndicatorRangeInput = builder.inputType('IndicatorRange', {
  description: 'An indicator between bounds in one year, e.g. income below 4,000 in 2020.',
  fields: (t) => ({
    indicator: t.field({ type: IndicatorEnum, required: true, description: 'Which indicator.' }),
    year: t.int({ required: true, description: `Year, ${YEAR_RANGE}.` }),
    min: t.float({ required: false, description: 'Lower bound (inclusive).' }),
    max: t.float({ required: false, description: 'Upper bound (inclusive).' }),
  }),
});

export function checkYear(argument: string, year: number): number {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw badInput(argument, `year must be ${FIRST_YEAR}–${LAST_YEAR}, got ${year}`);
  }
  return year;
}

/** A region code prefix: 2 (province), 4 (prefecture), 6 (county), 9 (township) or 12 (village) digits. */
export function regionCodePrefix(
  argument: string,
  value: string | null | undefined,
  lengths = [2, 4, 6, 9, 12],
): string | null {
  if (value == null || value === '') return null;
  if (!/^\d+$/.test(value) || !lengths.includes(value.length)) {
    throw badInput(
      argument,
      `"${value}" is not a region code: use ${lengths.join(', ')} digits (GB/T 2260 / NBS)`,
    );
  }
  return value;
}

export function checkSearch(argument: string, value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (trimmed.length > 50) throw badInput(argument, `at most 50 characters, got ${trimmed.length}`);
  return trimmed;
}

/** An indicator range as a client sends it, before checkIndicatorRange. */
export type IndicatorRangeInputShape = {
  indicator: Indicator;
  year: number;
  min?: number | null;
  max?: number | null;
};

export function checkIndicatorRange<T extends IndicatorRangeInputShape>(
  argument: string,
  range: T | null | undefined,
): T | null {
  if (!range) return null;
  checkYear(`${argument}.year`, range.year);
  if (range.min != null && range.max != null && range.min > range.max) {
    throw badInput(argument, `min (${range.min}) is above max (${range.max})`);
  }
  return range;
}

/** The spatial filter as a client sends it, before checkSpatial. */
export type SpatialInput = {
  bbox?: number[] | null;
  near?: { lon: number; lat: number; radiusMeters: number } | null;
  within?: unknown;
  inRegion?: string | null;
};

const checkLonLat = (argument: string, lon: number, lat: number) => {
  if (!(lon >= -180 && lon <= 180)) throw badInput(argument, `longitude must be −180 to 180, got ${lon}`);
  if (!(lat >= -90 && lat <= 90)) throw badInput(argument, `latitude must be −90 to 90, got ${lat}`);
};

/** Validates a spatial filter; polygons are also checked for validity by PostGIS itself. */
export async function checkSpatial(
  argument: string,
  input: SpatialInput | null | undefined,
  database: Database,
): Promise<SpatialFilter | null> {
  if (!input) return null;
  const out: SpatialFilter = {};
  if (input.bbox) {
    if (input.bbox.length !== 4)
      throw badInput(
        `${argument}.bbox`,
        `needs 4 numbers [minLon, minLat, maxLon, maxLat], got ${input.bbox.length}`,
      );
    const [minLon, minLat, maxLon, maxLat] = input.bbox as [number, number, number, number];
    checkLonLat(`${argument}.bbox`, minLon, minLat);
    checkLonLat(`${argument}.bbox`, maxLon, maxLat);
    if (minLon > maxLon || minLat > maxLat)
      throw badInput(
        `${argument}.bbox`,
        'min must not exceed max (boxes across the antimeridian are not supported)',
      );
    out.bbox = [minLon, minLat, maxLon, maxLat];
  }
  if (input.near) {
    const { lon, lat, radiusMeters } = input.near;
    checkLonLat(`${argument}.near`, lon, lat);
    if (!(radiusMeters > 0 && radiusMeters <= 1_000_000)) {
      throw badInput(
        `${argument}.near.radiusMeters`,
        `must be more than 0 and at most 1,000,000 m, got ${radiusMeters}`,
      );
    }
    out.near = { lon, lat, radiusMeters };
  }
  if (input.within != null) {
    out.within = checkPolygonGeoJSON(`${argument}.within`, input.within);
    const reason = await polygonValidity(database.db, out.within);
    if (reason !== 'Valid Geometry') throw badInput(`${argument}.within`, `invalid polygon: ${reason}`);
  }
  if (input.inRegion != null) {
    const code = regionCodePrefix(`${argument}.inRegion`, input.inRegion, [2, 4, 6]);
    const hasBoundary = code === null ? null : await regionHasBoundary(database.db, code);
    if (hasBoundary === null) throw badInput(`${argument}.inRegion`, `no region has code ${code}`);
    if (!hasBoundary) throw badInput(`${argument}.inRegion`, `region ${code} has no stored boundary`);
    out.inRegion = code;
  }
  return out;
}
