// The filter vocabulary shared by every list: spatial conditions (always with a bounding-box `&&`
// prefilter so the GiST index is used), indicator expressions, and keyset ordering.
import { type SQL, sql } from 'drizzle-orm';
import { householdsUnderLineSql, riskRemovedShareSql } from '../monitoring/figures.ts';

/** Bounding box, radius, polygon or region: every given condition must hold. */
export interface SpatialFilter {
  /** [minLon, minLat, maxLon, maxLat] in WGS84. */
  bbox?: [number, number, number, number] | null;
  near?: { lon: number; lat: number; radiusMeters: number } | null;
  /** A GeoJSON Polygon or MultiPolygon (already validated). */
  within?: object | null;
  /** A region code whose stored boundary the results must lie in. */
  inRegion?: string | null;
}

export const INDICATORS = [
  'PER_CAPITA_NET_INCOME',
  'EMPLOYMENT_RATE',
  'OUT_MIGRANT_WORKERS',
  'MONITORED_HOUSEHOLDS',
  'MONITORED_PER_1000',
  'RISK_REMOVED_SHARE',
  'HOUSEHOLDS_UNDER_LINE',
  'PUBLIC_WELFARE_POSTS',
  'WORKSHOP_JOBS',
  'RELOCATED_PEOPLE',
  'RELOCATION_EMPLOYMENT_COVERAGE',
  'ZERO_EMPLOYMENT_HOUSEHOLDS',
] as const;
export type Indicator = (typeof INDICATORS)[number];

/** The indicators counted from household rows: regions only (householdIndicatorSql). */
export const HOUSEHOLD_INDICATORS: readonly Indicator[] = ['RISK_REMOVED_SHARE', 'HOUSEHOLDS_UNDER_LINE'];

/** Whether `indicator` is one counted from household rows (a list filtered or ordered by it reads them). */
export function isHouseholdIndicator(indicator: unknown): boolean {
  return HOUSEHOLD_INDICATORS.includes(indicator as Indicator);
}

/**
 * The monitoring indicators counted from the household rows (#17), of region `regionCode` in `year`
 * (SQL), from their stored counts (monitoring/figures.ts): the share of the households identified
 * by the year's end whose risk was removed by then, and those monitored at the year's end whose
 * income of that year is under their province's line (null for a year with no income assessed).
 * Regions only: a village's would tell one household's situation, and villages have none.
 */
export function householdIndicatorSql(indicator: Indicator, regionCode: SQL, year: SQL): SQL | null {
  const stored = (value: SQL) =>
    sql`(SELECT ${value} FROM region_monitoring_figures f WHERE f.region_code = ${regionCode} AND f.year = ${year})`;
  switch (indicator) {
    case 'RISK_REMOVED_SHARE':
      return stored(riskRemovedShareSql('f'));
    case 'HOUSEHOLDS_UNDER_LINE':
      return stored(householdsUnderLineSql('f'));
    default:
      return null;
  }
}

export interface IndicatorRange {
  indicator: Indicator;
  year: number;
  min?: number | null;
  max?: number | null;
}

/** An indicator over one row of village_indicators (alias `vi` unless given); null where villages have none. */
export function villageIndicatorSql(indicator: Indicator, alias = 'vi'): SQL | null {
  const vi = sql.raw(alias);
  switch (indicator) {
    case 'PER_CAPITA_NET_INCOME':
      return sql`${vi}.per_capita_net_income`;
    case 'EMPLOYMENT_RATE':
      return sql`(${vi}.employed_out_migrant + ${vi}.employed_local)::float8 / nullif(${vi}.labour_force, 0)`;
    case 'OUT_MIGRANT_WORKERS':
      return sql`${vi}.employed_out_migrant::float8`;
    case 'MONITORED_HOUSEHOLDS':
      return sql`(${vi}.monitored_unstable + ${vi}.monitored_marginal + ${vi}.monitored_sudden_hardship)::float8`;
    case 'MONITORED_PER_1000':
      return sql`(${vi}.monitored_unstable + ${vi}.monitored_marginal + ${vi}.monitored_sudden_hardship) * 1000.0 / nullif(${vi}.population, 0)`;
    case 'PUBLIC_WELFARE_POSTS':
      return sql`${vi}.public_welfare_posts::float8`;
    case 'WORKSHOP_JOBS':
      return sql`${vi}.workshop_jobs::float8`;
    default:
      // Relocation figures belong to sites and regions; the household indicators to regions
      // (householdIndicatorSql: a village's would tell one household's situation).
      return null;
  }
}

/** 务工就业率 of a region_indicators row (alias `ri` unless given): employed / labour force. */
export function regionEmploymentRate(alias = 'ri'): SQL {
  const ri = sql.raw(alias);
  return sql`${ri}.employed::float8 / nullif(${ri}.labour_force, 0)`;
}

/** Share of a site's labour households with someone employed (relocation_site_indicators, alias `si`). */
export function siteEmploymentCoverage(alias = 'si'): SQL {
  const si = sql.raw(alias);
  return sql`(${si}.labour_households - ${si}.zero_employment_households)::float8 / nullif(${si}.labour_households, 0)`;
}

/** An indicator over one row of region_indicators (alias `ri` unless given). */
export function regionIndicatorSql(indicator: Indicator, alias = 'ri'): SQL {
  const ri = sql.raw(alias);
  switch (indicator) {
    case 'PER_CAPITA_NET_INCOME':
      return sql`${ri}.per_capita_net_income`;
    case 'EMPLOYMENT_RATE':
      return regionEmploymentRate(alias);
    case 'OUT_MIGRANT_WORKERS':
      return sql`${ri}.employed_out_migrant::float8`;
    case 'MONITORED_HOUSEHOLDS':
      return sql`${ri}.monitored_households::float8`;
    case 'MONITORED_PER_1000':
      return sql`${ri}.monitored_households * 1000.0 / nullif(${ri}.population, 0)`;
    case 'PUBLIC_WELFARE_POSTS':
      return sql`${ri}.public_welfare_posts::float8`;
    case 'WORKSHOP_JOBS':
      return sql`${ri}.workshop_jobs::float8`;
    case 'RELOCATED_PEOPLE':
      return sql`${ri}.relocated_people::float8`;
    case 'RELOCATION_EMPLOYMENT_COVERAGE':
      return sql`(${ri}.site_labour_households - ${ri}.zero_employment_households)::float8 / nullif(${ri}.site_labour_households, 0)`;
    case 'ZERO_EMPLOYMENT_HOUSEHOLDS':
      return sql`${ri}.zero_employment_households::float8`;
    case 'RISK_REMOVED_SHARE':
    case 'HOUSEHOLDS_UNDER_LINE':
      return householdIndicatorSql(indicator, sql`${ri}.region_code`, sql`${ri}.year`)!;
  }
}

/** An indicator over one row of relocation_site_indicators (alias `si` unless given); null where sites have none. */
export function siteIndicatorSql(indicator: Indicator, alias = 'si'): SQL | null {
  const si = sql.raw(alias);
  switch (indicator) {
    case 'RELOCATED_PEOPLE':
      return sql`${si}.people::float8`;
    case 'RELOCATION_EMPLOYMENT_COVERAGE':
      return siteEmploymentCoverage(alias);
    case 'EMPLOYMENT_RATE':
      return sql`${si}.employed::float8 / nullif(${si}.labour_households, 0)`;
    case 'ZERO_EMPLOYMENT_HOUSEHOLDS':
      return sql`${si}.zero_employment_households::float8`;
    default:
      return null;
  }
}

export function rangeConditions(value: SQL, range: IndicatorRange): SQL[] {
  const out: SQL[] = [];
  if (range.min != null) out.push(sql`${value} >= ${range.min}`);
  if (range.max != null) out.push(sql`${value} <= ${range.max}`);
  if (range.min == null && range.max == null) out.push(sql`${value} IS NOT NULL`);
  return out;
}

// Metres per degree of latitude; a degree of longitude shrinks with cos(latitude).
const METRES_PER_DEGREE = 111_320;

/**
 * Conditions on a point or polygon column, plus the distance expression when `near` is given.
 * Each condition starts with `&&` against a box so the planner can use the GiST index; the exact
 * test (ST_Intersects, or ST_DWithin on geography for true metres) follows.
 */
export function spatialConditions(
  geometry: SQL,
  spatial: SpatialFilter | null | undefined,
): { where: SQL[]; distance: SQL | null } {
  const where: SQL[] = [];
  let distance: SQL | null = null;
  if (!spatial) return { where, distance };
  if (spatial.bbox) {
    const [minLon, minLat, maxLon, maxLat] = spatial.bbox;
    const box = sql`ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`;
    where.push(sql`${geometry} && ${box}`, sql`ST_Intersects(${geometry}, ${box})`);
  }
  if (spatial.near) {
    const { lon, lat, radiusMeters } = spatial.near;
    const point = sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
    // A box a little larger than the circle, in degrees, for the index; then exact metres.
    const dLat = (radiusMeters / METRES_PER_DEGREE) * 1.01;
    const dLon = Math.min(
      180,
      dLat / Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat)) * Math.PI) / 180)),
    );
    const box = sql`ST_MakeEnvelope(${lon - dLon}, ${lat - dLat}, ${lon + dLon}, ${lat + dLat}, 4326)`;
    where.push(
      sql`${geometry} && ${box}`,
      sql`ST_DWithin(${geometry}::geography, ${point}::geography, ${radiusMeters})`,
    );
    distance = sql`ST_Distance(${geometry}::geography, ${point}::geography)`;
  }
  if (spatial.within) {
    const polygon = sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(spatial.within)}), 4326)`;
    where.push(sql`${geometry} && ${polygon}`, sql`ST_Intersects(${geometry}, ${polygon})`);
  }
  if (spatial.inRegion) {
    const boundary = sql`(SELECT boundary FROM regions WHERE code = ${spatial.inRegion})`;
    where.push(sql`${geometry} && ${boundary}`, sql`ST_Intersects(${geometry}, ${boundary})`);
  }
  return { where, distance };
}

export type SortDirection = 'ASC' | 'DESC';

/** A sort key: the expression, its SQL type, and the unique tie-breaker that makes order total. */
export interface Ordering {
  expr: SQL;
  type: 'text' | 'float8' | 'int4';
  direction: SortDirection;
  key: SQL;
  keyType: 'text' | 'int4';
}

/** Where a keyset cursor resumes: the last row's sort value and key. */
export type KeysetPosition = [value: string | number | null, key: string | number];

/** Nulls always sort last: a sentinel stands in for null in both directions. */
function sortable(o: Ordering): SQL {
  // The unique key is never null: bare, so an index on it can give the order.
  if (o.expr === o.key) return o.expr;
  if (o.type === 'text') return sql`coalesce(${o.expr}, ${o.direction === 'ASC' ? '\u{10FFFF}' : ''})`;
  if (o.type === 'int4') return sql`coalesce(${o.expr}, ${o.direction === 'ASC' ? 2147483647 : -2147483648})`;
  return sql`coalesce(${o.expr}, ${o.direction === 'ASC' ? sql`'Infinity'::float8` : sql`'-Infinity'::float8`})`;
}

export function orderBySql(o: Ordering): SQL {
  const dir = sql.raw(o.direction);
  return sql`${sortable(o)} ${dir}, ${o.key} ${dir}`;
}

/** The row-value comparison that continues after `after` in the ordering's direction. */
export function keysetCondition(o: Ordering, after: KeysetPosition): SQL {
  const [value, key] = after;
  // A cursor is client input: its parts must have the ordering's types before they reach SQL.
  const integer = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && Math.abs(x) < 2 ** 31;
  const keyOk = o.keyType === 'int4' ? integer(key) : typeof key === 'string';
  const valueOk =
    value === null ||
    (o.type === 'int4'
      ? integer(value)
      : o.type === 'float8'
        ? Number.isFinite(value)
        : typeof value === 'string');
  if (!keyOk || !valueOk)
    throw new ListArgumentError('after', 'malformed cursor: not one this list handed out');
  const op = sql.raw(o.direction === 'ASC' ? '>' : '<');
  const v =
    value === null
      ? sortable({ ...o, expr: sql`NULL` })
      : o.type === 'float8'
        ? sql`${Number(value)}::float8`
        : o.type === 'int4'
          ? sql`${Number(value)}::int4`
          : sql`${String(value)}::text`;
  const k = o.keyType === 'int4' ? sql`${Number(key)}::int4` : sql`${String(key)}::text`;
  return sql`(${sortable(o)}, ${o.key}) ${op} (${v}, ${k})`;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A list request that cannot be answered; `argument` names the input at fault. */
export class ListArgumentError extends RangeError {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

/** How a list's rows join their yearly figures, for indicator filters and orderings. */
export interface YearlyFigures {
  /** The JOIN clause bringing in the figures of `year` under `alias`. */
  join: (alias: string, year: number, kind: 'JOIN' | 'LEFT JOIN') => SQL;
  value: (indicator: Indicator, alias: string) => SQL | null;
  /** What the rows are called, for errors ("villages"). */
  noun: string;
}

function indicatorValue(figures: YearlyFigures, indicator: Indicator, alias: string, argument: string): SQL {
  const value = figures.value(indicator, alias);
  if (!value)
    throw new ListArgumentError(
      argument,
      HOUSEHOLD_INDICATORS.includes(indicator)
        ? `indicator ${indicator} is counted from household rows and given for counties and wider regions only, not for ${figures.noun}`
        : `indicator ${indicator} is not collected for ${figures.noun}`,
    );
  return value;
}

/** Adds an indicator-range filter: an inner join on that year's figures and the bounds. */
export function addIndicatorFilter(
  figures: YearlyFigures,
  range: IndicatorRange,
  joins: SQL[],
  conditions: SQL[],
): void {
  const value = indicatorValue(figures, range.indicator, 'fi', 'filter.indicator');
  joins.push(figures.join('fi', range.year, 'JOIN'));
  conditions.push(...rangeConditions(value, range));
}

export interface OrderRequest {
  field: 'CODE' | 'ID' | 'NAME' | 'INDICATOR' | 'DISTANCE';
  direction?: SortDirection | null;
  indicator?: Indicator | null;
  year?: number | null;
}

/**
 * The ordering a list asked for, on its unique key (code or id) with the name, distance and
 * yearly figures it offers. Impossible requests are ListArgumentErrors (answered as input errors).
 */
export function chooseOrdering(
  order: OrderRequest,
  list: {
    key: SQL;
    keyType: 'text' | 'int4';
    name: SQL;
    distance: SQL | null;
    figures: YearlyFigures;
    joins: SQL[];
  },
): Ordering {
  const direction = order.direction ?? 'ASC';
  const base = { direction, key: list.key, keyType: list.keyType };
  switch (order.field) {
    case 'NAME':
      return { ...base, expr: list.name, type: 'text' };
    case 'DISTANCE':
      if (!list.distance)
        throw new ListArgumentError('orderBy', 'ordering by DISTANCE needs filter.spatial.near');
      return { ...base, expr: list.distance, type: 'float8' };
    case 'INDICATOR': {
      if (!order.indicator || order.year == null) {
        throw new ListArgumentError('orderBy', 'ordering by INDICATOR needs indicator and year');
      }
      const value = indicatorValue(list.figures, order.indicator, 'oi', 'orderBy');
      list.joins.push(list.figures.join('oi', order.year, 'LEFT JOIN'));
      return { ...base, expr: value, type: 'float8' };
    }
    default:
      return { ...base, expr: list.key, type: list.keyType };
  }
}
