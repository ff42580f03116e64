// The vector tiles' statements: one select per tile source (what features it holds and which
// properties they carry), and the two ways a tile is read from them: ST_AsMVT on PostgreSQL, the
// features as GeoJSON for geojson-vt on PGlite. The server decides which, and caches the result.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { AppDb } from '../client.ts';
import { regionEmploymentRate, siteEmploymentCoverage } from './filters.ts';
import { problemCountsBy } from './ledger.ts';

export interface TileSource {
  geometryType: 'Point' | 'Polygon';
  /** The properties each feature carries, with their TileJSON types; the select has these columns. */
  fields: Record<string, string>;
  /** The features as (`__geom` in 4326, then one column per field) for a year; `where` narrows to a box. */
  select: (year: number, where: SQL) => SQL;
  /** The geometry column the && prefilter uses. */
  geometry: SQL;
  /**
   * A field unique and never null per feature (a primary key), that orders the features when they
   * are read a page at a time (tileFeaturePages).
   */
  key: string;
}

/** A value rounded to 4 decimals, as a double (the tiles carry rates at that precision). */
const rate = (value: SQL) => sql`round((${value})::numeric, 4)::float8`;

/** Province or prefecture outlines for the base map (drawn from the product's own boundaries). */
function outlines(level: 'province' | 'prefecture'): TileSource {
  return {
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    key: 'code',
    fields: { code: 'String', name: 'String' },
    select: (_year, where) => sql`
      SELECT r.boundary AS __geom, r.code, r.name FROM regions r
      WHERE r.level = ${level} AND r.boundary IS NOT NULL AND ${where}`,
  };
}

/** The 挂牌督战 properties of a listed place: its listing status and its open and overdue problems. */
const SUPERVISION_FIELDS = { listing: 'String', open_problems: 'Number', overdue_problems: 'Number' };
const SUPERVISION_COLUMNS = sql`l.status AS listing,
        coalesce(p.open, 0) AS open_problems, coalesce(p.overdue, 0) AS overdue_problems`;

export const TILE_SOURCES = {
  provinces: outlines('province'),
  prefectures: outlines('prefecture'),
  counties: {
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    key: 'code',
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
        ${rate(regionEmploymentRate('ri'))} AS employment_rate
      FROM regions r
      LEFT JOIN county_designations d ON d.county_code = r.code
      LEFT JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = ${year}
      WHERE r.level = 'county' AND r.boundary IS NOT NULL AND ${where}`,
  },
  villages: {
    geometryType: 'Point',
    geometry: sql`v.location`,
    key: 'code',
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
  // The monitored villages counted per county at its label point, for the zooms below the points:
  // where they are, on a national or provincial map (the rollup's count, so no scan of villages).
  'village-clusters': {
    geometryType: 'Point',
    geometry: sql`r.label_point`,
    key: 'county',
    fields: { county: 'String', name: 'String', villages: 'Number', poverty_villages: 'Number' },
    select: (year, where) => sql`
      SELECT r.label_point AS __geom, r.code AS county, r.name, ri.villages, ri.poverty_villages
      FROM regions r JOIN region_indicators ri ON ri.region_code = r.code AND ri.year = ${year}
      WHERE r.level = 'county' AND r.label_point IS NOT NULL AND ri.villages > 0 AND ${where}`,
  },
  'relocation-sites': {
    geometryType: 'Point',
    geometry: sql`s.location`,
    key: 'id',
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
        ${rate(siteEmploymentCoverage('si'))} AS coverage,
        s.placement_type AS placement
      FROM relocation_sites s LEFT JOIN relocation_site_indicators si ON si.site_id = s.id AND si.year = ${year}
      WHERE s.location IS NOT NULL AND ${where}`,
  },
  'supervision-counties': {
    geometryType: 'Polygon',
    geometry: sql`r.boundary`,
    key: 'code',
    fields: { code: 'String', name: 'String', ...SUPERVISION_FIELDS },
    select: (_year, where) => sql`
      SELECT r.boundary AS __geom, r.code, r.name, ${SUPERVISION_COLUMNS}
      FROM regions r
      LEFT JOIN supervision_listings l ON l.county_code = r.code AND l.unit_type = 'county'
      LEFT JOIN (${problemCountsBy('county_code')}) p ON p.code = r.code
      WHERE r.level = 'county' AND r.boundary IS NOT NULL AND (l.id IS NOT NULL OR p.code IS NOT NULL) AND ${where}`,
  },
  'supervision-villages': {
    geometryType: 'Point',
    geometry: sql`v.location`,
    key: 'code',
    fields: { code: 'String', name: 'String', county: 'String', ...SUPERVISION_FIELDS },
    select: (_year, where) => sql`
      SELECT v.location AS __geom, v.code, v.name, v.county_code AS county, ${SUPERVISION_COLUMNS}
      FROM villages v
      LEFT JOIN supervision_listings l ON l.village_code = v.code AND l.unit_type = 'village'
      LEFT JOIN (${problemCountsBy('village_code')}) p ON p.code = v.code
      WHERE v.location IS NOT NULL AND (l.id IS NOT NULL OR p.code IS NOT NULL) AND ${where}`,
  },
} as const satisfies Record<string, TileSource>;

export type TileSourceId = keyof typeof TILE_SOURCES;

/** The source's fields as `f.<field>` columns of its select aliased `f`. */
function fieldColumns(source: TileSource): SQL {
  return sql.join(
    Object.keys(source.fields).map((f) => sql`f.${sql.identifier(f)}`),
    sql`, `,
  );
}

/**
 * A cut of mvtTile that PostgreSQL cancels after `timeoutMs`: a cut holds one of the pool's
 * connections (and one of the two cut slots), so one that runs away must not hold them for ever.
 */
export async function mvtTileWithin(
  db: AppDb,
  timeoutMs: number,
  source: TileSource,
  tile: Parameters<typeof mvtTile>[2],
): Promise<Uint8Array> {
  // Read only: a cut writes nothing, and says so (a writing transaction would make the server read
  // the data version per request while it runs, db/src/dataset-watch.ts).
  return db.transaction(
    async (tx) => {
      // set_config(…, true) is SET LOCAL with the value as a parameter.
      await tx.execute(
        sql`SELECT set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true)`,
      );
      return mvtTile(tx, source, tile);
    },
    { accessMode: 'read only' },
  );
}

/** Douglas–Peucker tolerance of a cut, in tile units (geojson-vt's `tolerance` on PGlite). */
const SIMPLIFY_UNITS = 3;
/** The width of the world in EPSG:3857 metres. */
const WEB_MERCATOR_WIDTH = 40_075_016.685_578_49;

/**
 * One Mapbox Vector Tile of a source's features for a year (PostGIS with ST_AsMVT), as layer
 * `layer`; empty bytes when no feature falls in the tile. The `&&` prefilter on the tile's box in
 * 4326 lets the GiST index pick the features; clipping happens in 3857.
 */
export async function mvtTile(
  db: Executor,
  source: TileSource,
  tile: { layer: string; year: number; z: number; x: number; y: number; extent: number; buffer: number },
): Promise<Uint8Array> {
  const { z, x, y, extent } = tile;
  const envelope = sql`ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}), 4326)`;
  // Simplified as geojson-vt does on PGlite (tolerance 3 of the tile's 4096 units, under half a
  // pixel): without it a national view's county tiles carried two to three times the vertices the
  // picture can show, each to triangulate in the browser's worker and draw. Collapsed shapes kept.
  const tolerance = (SIMPLIFY_UNITS * WEB_MERCATOR_WIDTH) / 2 ** z / extent;
  const [row] = await queryRows<{ tile: Uint8Array | null }>(
    db,
    sql`
    SELECT ST_AsMVT(t, ${tile.layer}, ${extent}, 'geom') AS tile FROM (
      SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(f.__geom, 3857), ${tolerance}::float8, true), ST_TileEnvelope(${z}, ${x}, ${y}), ${extent}, ${tile.buffer}, true) AS geom,
        ${fieldColumns(source)}
      FROM (${source.select(tile.year, sql`${source.geometry} && ${envelope}`)}) f
    ) t WHERE t.geom IS NOT NULL`,
  );
  return row?.tile ? new Uint8Array(row.tile) : new Uint8Array();
}

/**
 * Every feature of a source for a year — its geometry as GeoJSON text and its fields — a page at a
 * time in the order of the source's key (each page its own statement, after the last key seen). On
 * PGlite a statement holds Node's one thread while it runs: the national villages read in one piece
 * stalled every other request for seconds, a page of them for a fraction of one.
 */
export async function* tileFeaturePages(
  db: Executor,
  source: TileSource,
  year: number,
  pageSize = 20_000,
): AsyncGenerator<Array<Record<string, unknown> & { geojson: string }>> {
  if (!(source.key in source.fields))
    throw new Error(`tile source key ${source.key} is not one of its fields`);
  const key = sql`f.${sql.identifier(source.key)}`;
  let after: SQL = sql`true`;
  for (;;) {
    const page: Array<Record<string, unknown> & { geojson: string }> = await queryRows(
      db,
      sql`
      SELECT ST_AsGeoJSON(f.__geom, 6) AS geojson, ${fieldColumns(source)} FROM (${source.select(year, sql`true`)}) f
      WHERE ${after}
      ORDER BY ${key} LIMIT ${pageSize}`,
    );
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page.at(-1)![source.key];
    if (last == null) throw new Error(`tile source key ${source.key} is null: it must be a primary key`);
    after = sql`${key} > ${last}`;
  }
}
