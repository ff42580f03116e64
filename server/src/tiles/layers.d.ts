import { type SQL } from 'drizzle-orm';
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
export declare const TILE_LAYERS: Record<string, TileLayer>;
