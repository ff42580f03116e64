import type { Database } from '@rrm/db';
import type { TileLayer } from './layers.ts';
export declare const EXTENT = 4096;
/** How many geojson-vt indexes a database's tile cache holds (PGlite; for tests of the bound). */
export declare function tileIndexCount(database: Database): number;
/** A tile as protobuf bytes (possibly empty). `version` is part of the cache key. */
export declare function cutTile(
  database: Database,
  layer: TileLayer,
  year: number,
  z: number,
  x: number,
  y: number,
  version: string,
): Promise<Uint8Array>;
/** Tile x/y ranges covering China (73.4–135.1° E, 3.8–53.6° N) at a zoom. */
export declare function chinaTiles(z: number): Array<[number, number, number]>;
/**
 * Cuts, in the background and one at a time, the tiles a national view asks for first: zooms 0–5
 * of each base layer for `year`. Errors are ignored (a request will cut the tile and say why).
 */
export declare function prewarm(
  database: Database,
  layers: TileLayer[],
  year: number,
  version: string,
  maxZoom?: number,
): Promise<number>;
