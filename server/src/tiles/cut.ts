// Cutting tiles. On PostgreSQL: ST_AsMVT, with a `&&` bounding-box prefilter so the GiST index
// picks the features. On PGlite (its PostGIS has no protobuf-c, so no ST_AsMVT): a geojson-vt index
// per layer, year and data version, built once from the same select, then vt-pbf encodes tiles.
import type { Database } from '@rrm/db';
import { sql } from 'drizzle-orm';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import geojsonvt from 'geojson-vt';
import { LRUCache } from 'lru-cache';
import vtpbf from 'vt-pbf';
import type { TileLayer } from './layers.ts';

export const EXTENT = 4096;
const BUFFER = 64;

/**
 * Tiles already cut, by layer, year, z/x/y and data version: a write moves the data version on, so
 * a cached tile is never stale, and the national view's heavy low-zoom tiles are cut once. Bounded
 * by bytes; empty tiles count as one byte.
 */
const cutByDatabase = new WeakMap<Database, LRUCache<string, Uint8Array>>();

function cacheOf(database: Database) {
  let cache = cutByDatabase.get(database);
  if (!cache) {
    cache = new LRUCache({
      maxSize: 64 * 1024 * 1024,
      sizeCalculation: (tile) => Math.max(1, tile.byteLength),
    });
    cutByDatabase.set(database, cache);
  }
  return cache;
}

/** A tile as protobuf bytes (possibly empty). */
export async function cutTile(
  database: Database,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
  /** The data version (and day): part of the cache key, so a write is seen at once. */
  dataVersion: string,
) {
  if (z < layer.minzoom) return new Uint8Array();
  const key = `${layer.id}|${year}|${z}/${x}/${y}|${dataVersion}`;
  const cache = cacheOf(database);
  const cached = cache.get(key);
  if (cached) return cached;
  const tile = await (database.capabilities.asMvt
    ? cutWithPostgis(database, layer, year, z, x, y)
    : cutInNode(database, layer, year, z, x, y, dataVersion));
  cache.set(key, tile);
  return tile;
}

async function cutWithPostgis(
  database: Database,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
) {
  // The box is in 4326 for the index (the columns are 4326); clipping happens in 3857.
  const envelope = sql`ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}), 4326)`;
  const properties = sql.join(
    Object.keys(layer.fields).map((f) => sql`f.${sql.identifier(f)}`),
    sql`, `,
  );
  const [row] = await database.rows<{ tile: Uint8Array | null }>(sql`
    SELECT ST_AsMVT(t, ${layer.id}, ${EXTENT}, 'geom') AS tile FROM (
      SELECT ST_AsMVTGeom(ST_Transform(f.__geom, 3857), ST_TileEnvelope(${z}, ${x}, ${y}), ${EXTENT}, ${BUFFER}, true) AS geom,
        ${properties}
      FROM (${layer.select(year, sql`${layer.geometry} && ${envelope}`)}) f
    ) t WHERE t.geom IS NOT NULL`);
  return row?.tile ? new Uint8Array(row.tile) : new Uint8Array();
}

type Index = ReturnType<typeof geojsonvt>;
const indexes = new Map<string, Promise<Index>>();

async function buildIndex(database: Database, layer: TileLayer, year: number): Promise<Index> {
  const rows = await database.rows<Record<string, unknown> & { geojson: string }>(sql`
    SELECT ST_AsGeoJSON(f.__geom, 6) AS geojson, f.* FROM (${layer.select(year, sql`true`)}) f`);
  const features: Feature[] = rows.map(({ geojson, __geom: _geom, ...properties }) => ({
    type: 'Feature',
    geometry: JSON.parse(geojson) as Geometry,
    properties,
  }));
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  return geojsonvt(collection as never, {
    maxZoom: layer.maxzoom,
    indexMaxZoom: 5,
    extent: EXTENT,
    buffer: BUFFER,
    tolerance: 3,
  });
}

async function cutInNode(
  database: Database,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
  dataVersion: string,
) {
  const key = `${layer.id}|${year}|${dataVersion}`;
  let index = indexes.get(key);
  if (!index) {
    // One index per layer and year, rebuilt when the data version moves on; older ones are dropped.
    for (const k of indexes.keys()) if (k.startsWith(`${layer.id}|${year}|`)) indexes.delete(k);
    index = buildIndex(database, layer, year);
    indexes.set(key, index);
    index.catch(() => indexes.delete(key));
  }
  const tile = (await index).getTile(z, x, y);
  if (!tile) return new Uint8Array();
  return vtpbf.fromGeojsonVt({ [layer.id]: tile } as never, { version: 2, extent: EXTENT });
}
