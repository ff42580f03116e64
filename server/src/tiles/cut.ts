// Cutting tiles. On PostgreSQL: ST_AsMVT, with a `&&` bounding-box prefilter so the GiST index
// picks the features. On PGlite (its PostGIS has no protobuf-c, so no ST_AsMVT): a geojson-vt index
// per layer, year and version, built once from the same select, then vt-pbf encodes tiles.
//
// Three rules keep a heavy cut from holding up everyone else:
//   - a tile is cut once per version: concurrent requests for the same tile share one cut, and the
//     result stays in a byte-bounded LRU;
//   - at most CUT_CONCURRENCY cuts run at once, so tiles never take every pooled connection from
//     the API's other requests;
//   - the national view's tiles (zooms 0–5 of the default year) are cut ahead, in the background,
//     when the server starts and whenever the figures version moves (see prewarm).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Database, mvtTileWithin, tileFeaturePages } from '@rrm/db';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import geojsonvt from 'geojson-vt';
import { LRUCache } from 'lru-cache';
import vtpbf from 'vt-pbf';
import { ConcurrencyLimit } from '../concurrency.ts';
import type { TileLayer } from './layers.ts';

export const EXTENT = 4096;
const BUFFER = 64;
const CUT_CONCURRENCY = 2;
/**
 * geojson-vt indexes kept on PGlite, per database: at most this many layer-years (a map shows seven
 * layers of a year, a compare view two years), and at most INDEX_BYTES of feature text behind them
 * (the national villages' is ~35 MB of text and a few times that as an index): walking the years
 * evicts the least recently used.
 */
const MAX_INDEXES = 32;
const INDEX_BYTES = 256 * 1024 * 1024;

interface TileCache {
  tiles: LRUCache<string, Uint8Array>;
  /** Cuts under way, by the same key: a second request for the tile waits for the first cut. */
  cutting: Map<string, Promise<Uint8Array>>;
  /** PGlite only: geojson-vt indexes by layer, year and version, least recently used dropped. */
  indexes: LRUCache<string, Promise<{ index: ReturnType<typeof geojsonvt>; bytes: number }>>;
  slots: ConcurrencyLimit;
}

/**
 * Tiles already cut, by layer, year, z/x/y and version: a write moves the version on, so a cached
 * tile is never stale. Bounded by bytes; empty tiles count as one byte.
 */
const caches = new WeakMap<Database, TileCache>();

function cacheOf(database: Database): TileCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = {
      // An empty tile still costs its key and the entry: counted so, millions of them cannot fit.
      tiles: new LRUCache({
        maxSize: 64 * 1024 * 1024,
        sizeCalculation: (t, key) => t.byteLength + key.length + 100,
      }),
      cutting: new Map(),
      indexes: new LRUCache({
        max: MAX_INDEXES,
        maxSize: INDEX_BYTES,
        sizeCalculation: () => 1, // replaced by the text size once built (see cutInNode)
      }),
      slots: new ConcurrencyLimit(CUT_CONCURRENCY),
    };
    caches.set(database, cache);
  }
  return cache;
}

/** How many tiles a database's tile cache holds (for tests of the warm-up). */
export function cachedTileCount(database: Database): number {
  return caches.get(database)?.tiles.size ?? 0;
}

/** How many geojson-vt indexes a database's tile cache holds (PGlite; for tests of the bound). */
export function tileIndexCount(database: Database): number {
  return caches.get(database)?.indexes.size ?? 0;
}

/**
 * The longest a cut may run on PostgreSQL before it is cancelled (and answered with an error, not
 * cached): the heaviest national tile cuts in about a second on two cores.
 */
const CUT_TIMEOUT_MS = 30_000;

/** A tile as protobuf bytes (possibly empty). `version` is part of the cache key. */
export async function cutTile(
  database: Database,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
  version: string,
): Promise<Uint8Array> {
  // Outside the layer's zooms there is nothing to cut (maps overzoom past maxzoom): nothing cached.
  if (z < layer.minzoom || z > layer.maxzoom) return new Uint8Array();
  const key = `${layer.id}|${year}|${z}/${x}/${y}|${version}`;
  const cache = cacheOf(database);
  const cached = cache.tiles.get(key);
  if (cached) return cached;
  let cut = cache.cutting.get(key);
  if (!cut) {
    cut = cache.slots
      .run(() =>
        database.capabilities.asMvt
          ? mvtTileWithin(database.db, CUT_TIMEOUT_MS, layer, {
              layer: layer.id,
              year,
              z,
              x,
              y,
              extent: EXTENT,
              buffer: BUFFER,
            })
          : cutInNode(database, cache, layer, year, z, x, y, version),
      )
      .then((tile) => {
        cache.tiles.set(key, tile);
        return tile;
      })
      .finally(() => cache.cutting.delete(key));
    cache.cutting.set(key, cut);
  }
  return cut;
}

type Index = ReturnType<typeof geojsonvt>;

/** Features read per statement when a PGlite index is built: ~0.1 s of the thread on national villages. */
const PAGE_FEATURES = 5_000;

/**
 * A pause after a piece of background work that started at `since`, a quarter as long as the work
 * (at most 100 ms): on PGlite the work held Node's one thread, and requests that arrived meanwhile
 * need a few turns of the event loop (connection, body, their own queries) to be answered, which
 * one turn between pieces does not give them. Returns when the next piece starts.
 */
async function breathe(since: number): Promise<number> {
  await sleep(Math.min(100, Math.max(1, (performance.now() - since) / 4)));
  return performance.now();
}

/**
 * Reads a layer-year's features and indexes them with geojson-vt (PGlite, which has no ST_AsMVT).
 * On PGlite the database and this index share Node's one thread, so the work comes in pieces with
 * pauses between them (issue #10; `pnpm bench:warmup`): the features are read a page at a time, and
 * the index is built lazily (indexMaxZoom 0), each tile split out of its nearest parent when first
 * asked for. What stays in one piece: geojson-vt's conversion of all features when the index is
 * made, and the first split of a big layer (on the national villages, up to about a second).
 */
async function buildIndex(
  database: Database,
  layer: TileLayer,
  year: number,
): Promise<{ index: Index; bytes: number }> {
  let bytes = 0;
  const features: Feature[] = [];
  let since = performance.now();
  for await (const page of tileFeaturePages(database.db, layer, year, PAGE_FEATURES)) {
    for (const { geojson, ...fields } of page) {
      bytes += geojson.length;
      features.push({ type: 'Feature', geometry: JSON.parse(geojson) as Geometry, properties: fields });
    }
    since = await breathe(since);
  }
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  // geojson-vt's bundled types name their own GeoJSON interfaces, not @types/geojson's.
  const index = geojsonvt(collection as never, {
    maxZoom: layer.maxzoom,
    indexMaxZoom: 0,
    extent: EXTENT,
    buffer: BUFFER,
    tolerance: 3,
  });
  return { index, bytes };
}

async function cutInNode(
  database: Database,
  cache: TileCache,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
  version: string,
) {
  const key = `${layer.id}|${year}|${version}`;
  let built = cache.indexes.get(key);
  if (!built) {
    // One index per layer, year and version; an older version of it is dropped at once.
    const older = `${layer.id}|${year}|`;
    for (const k of cache.indexes.keys()) if (k.startsWith(older)) cache.indexes.delete(k);
    const building = buildIndex(database, layer, year);
    built = building;
    cache.indexes.set(key, building);
    building.then(
      // Counted by its size once known, while it is still the entry for this key.
      ({ bytes }) => {
        if (cache.indexes.peek(key) === building)
          cache.indexes.set(key, building, { size: Math.max(1, bytes) });
      },
      () => {
        if (cache.indexes.peek(key) === building) cache.indexes.delete(key);
      },
    );
  }
  const tile = (await built).index.getTile(z, x, y);
  if (!tile) return new Uint8Array();
  return vtpbf.fromGeojsonVt({ [layer.id]: tile } as never, { version: 2, extent: EXTENT });
}

/** Tile x/y ranges covering China (73.4–135.1° E, 3.8–53.6° N) at a zoom. */
export function chinaTiles(z: number): Array<[number, number, number]> {
  const n = 2 ** z;
  const x = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
  };
  const out: Array<[number, number, number]> = [];
  for (let tx = x(73.4); tx <= x(135.1); tx++)
    for (let ty = y(53.6); ty <= y(3.8); ty++) out.push([z, tx, ty]);
  return out;
}

/**
 * Cuts, in the background and one at a time, the tiles a national view asks for first: zooms 0–5
 * of each base layer for `year`. Errors are ignored (a request will cut the tile and say why).
 */
export async function prewarm(
  database: Database,
  layers: TileLayer[],
  year: number,
  version: string,
  signal: AbortSignal,
  maxZoom = 5,
): Promise<number> {
  let cut = 0;
  for (let z = 0; z <= maxZoom; z++) {
    for (const layer of layers) {
      if (z < layer.minzoom || z > layer.maxzoom) continue;
      for (const [tz, tx, ty] of chinaTiles(z)) {
        // Stopped when the server stops: no query may start on a database being closed.
        if (signal.aborted) return cut;
        const started = performance.now();
        await cutTile(database, layer, year, tz, tx, ty, version).catch(() => undefined);
        cut++;
        // On PGlite a cut is work on Node's one thread: requests that came in meanwhile go first.
        if (!database.capabilities.asMvt) await breathe(started);
      }
    }
  }
  return cut;
}
