// The vector tile layers: what each carries (the properties the map styles by) and from which zoom.
// One SQL select per layer feeds both paths: ST_AsMVT on PostgreSQL, and geojson-vt on PGlite.
// The base layers (outlines, counties, villages, sites) change only with the figures version; the
// 挂牌督战 status lives in its own light layers (the listed places), so a supervisor's write
// re-cuts ~50 county outlines and ~1,100 points, not the national county map.
import { problemCountsBy } from '@rrm/db';
import { type SQL, sql } from 'drizzle-orm';

export interface TileLayer {
  id: string;
  description: string;
  /**
   * Which version a cut tile is valid for: `figures` (moves with imports and reloads) or
   * `supervision` (moves with every write, and with the day: "overdue" turns at midnight).
   */
  changesWith: 'figures' | 'supervision';
  minzoom: number;
  maxzoom: number;
  geometryType: 'Point' | 'Polygon';
  fields: Record<string, string>;
  /** The features as (`__geom` in 4326, then one column per field) for a year; `where` narrows to a box. */
  select: (year: number, where: SQL) => SQL;
  /** The geometry column the && prefilter uses. */
  geometry: SQL;
}

/** Province or prefecture outlines for the base map (drawn from the product's own boundaries). */
function outlines(level: 'province' | 'prefecture', maxzoom: number): TileLayer {
  return {
    id: `${level}s`,
    description: `${level === 'province' ? '省级' : '地级'} boundaries with names`,
    minzoom: 0,
    maxzoom,
    changesWith: 'figures',
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    fields: { code: 'String', name: 'String' },
    select: (_year, where) => sql`
      SELECT r.boundary AS __geom, r.code, r.name FROM regions r
      WHERE r.level = ${level} AND r.boundary IS NOT NULL AND ${where}`,
  };
}

export const TILE_LAYERS: Record<string, TileLayer> = {
  provinces: outlines('province', 10),
  prefectures: outlines('prefecture', 10),
  counties: {
    id: 'counties',
    description: "县级行政区 with designations and the year's key indicators",
    minzoom: 0,
    maxzoom: 12,
    changesWith: 'figures',
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    fields: {
      code: 'String',
      name: 'String',
      poverty: 'Boolean',
      key_assistance: 'Boolean',
      supervised: 'Boolean',
      income: 'Number',
      employment_rate: 'Number',
    },
    select: (year, where) => sql`
      SELECT r.boundary AS __geom, r.code, r.name, coalesce(d.poverty_county, false) AS poverty,
        coalesce(d.key_assistance, false) AS key_assistance, coalesce(d.supervised, false) AS supervised,
        round(ri.per_capita_net_income)::int AS income,
        round((ri.employed::float8 / nullif(ri.labour_force, 0))::numeric, 4)::float8 AS employment_rate
      FROM regions r
      LEFT JOIN county_designations d ON d.county_code = r.code
      LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = ${year}
      WHERE r.level = 'county' AND r.boundary IS NOT NULL AND ${where}`,
  },
  villages: {
    id: 'villages',
    description: "村 under monitoring, with the year's income",
    minzoom: 5,
    maxzoom: 14,
    changesWith: 'figures',
    geometryType: 'Point',
    geometry: sql`v.location`,
    fields: {
      code: 'String',
      name: 'String',
      county: 'String',
      poverty: 'Boolean',
      supervised: 'Boolean',
      income: 'Number',
      lifted: 'Number',
    },
    select: (year, where) => sql`
      SELECT v.location AS __geom, v.code, v.name, v.county_code AS county, v.poverty_village AS poverty, v.supervised,
        round(vi.per_capita_net_income)::int AS income, vi.lifted_population AS lifted
      FROM villages v LEFT JOIN village_indicators vi ON vi.village_code = v.code AND vi.year = ${year}
      WHERE v.location IS NOT NULL AND ${where}`,
  },
  'relocation-sites': {
    id: 'relocation-sites',
    description: '易地扶贫搬迁安置点 with people and employment coverage in the year',
    minzoom: 5, // 35,000 sites: at z4 one tile over south China would be 1.8 MB
    maxzoom: 14,
    changesWith: 'figures',
    geometryType: 'Point',
    geometry: sql`s.location`,
    fields: {
      id: 'Number',
      name: 'String',
      county: 'String',
      people: 'Number',
      coverage: 'Number',
      placement: 'String',
    },
    select: (year, where) => sql`
      SELECT s.location AS __geom, s.id, s.name, s.county_code AS county, si.people,
        round(((si.labour_households - si.zero_employment_households)::float8 / nullif(si.labour_households, 0))::numeric, 4)::float8 AS coverage,
        s.placement_type AS placement
      FROM relocation_sites s LEFT JOIN relocation_site_indicators si ON si.site_id = s.id AND si.year = ${year}
      WHERE s.location IS NOT NULL AND ${where}`,
  },
  'supervision-counties': {
    id: 'supervision-counties',
    description:
      '挂牌督战 counties and counties with problems in the ledger: listing status, open and overdue problems',
    minzoom: 0,
    maxzoom: 12,
    changesWith: 'supervision',
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    fields: {
      code: 'String',
      name: 'String',
      listing: 'String',
      open_problems: 'Number',
      overdue_problems: 'Number',
    },
    select: (_year, where) => sql`
      SELECT r.boundary AS __geom, r.code, r.name, l.status AS listing,
        coalesce(p.open, 0) AS open_problems, coalesce(p.overdue, 0) AS overdue_problems
      FROM regions r
      LEFT JOIN supervision_listings l ON l.county_code = r.code AND l.unit_type = 'county'
      LEFT JOIN (${problemCountsBy('county_code')}) p ON p.code = r.code
      WHERE r.level = 'county' AND r.boundary IS NOT NULL AND (l.id IS NOT NULL OR p.code IS NOT NULL) AND ${where}`,
  },
  'supervision-villages': {
    id: 'supervision-villages',
    description:
      '挂牌督战 villages and villages with problems in the ledger: listing status, open and overdue problems',
    minzoom: 3,
    maxzoom: 14,
    changesWith: 'supervision',
    geometryType: 'Point',
    geometry: sql`v.location`,
    fields: {
      code: 'String',
      name: 'String',
      county: 'String',
      listing: 'String',
      open_problems: 'Number',
      overdue_problems: 'Number',
    },
    select: (_year, where) => sql`
      SELECT v.location AS __geom, v.code, v.name, v.county_code AS county, l.status AS listing,
        coalesce(p.open, 0) AS open_problems, coalesce(p.overdue, 0) AS overdue_problems
      FROM villages v
      LEFT JOIN supervision_listings l ON l.village_code = v.code AND l.unit_type = 'village'
      LEFT JOIN (${problemCountsBy('village_code')}) p ON p.code = v.code
      WHERE v.location IS NOT NULL AND (l.id IS NOT NULL OR p.code IS NOT NULL) AND ${where}`,
  },
};
