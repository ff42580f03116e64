// The vector tile layers: which source each serves (db/src/queries/tiles.ts holds the selects) and
// from which zoom. One select per layer feeds both paths: ST_AsMVT on PostgreSQL, and geojson-vt on
// PGlite. The base layers (outlines, counties, villages, sites) change only with the figures version;
// the 挂牌督战 status lives in its own light layers (the listed places), so a supervisor's write
// re-cuts ~50 county outlines and ~1,100 points, not the national county map.
import { TILE_SOURCES, type TileSource, type TileSourceId } from '@rrm/db';

export interface TileLayer extends TileSource {
  id: TileSourceId;
  description: string;
  /**
   * Which version a cut tile is valid for: `figures` (moves with imports and reloads) or
   * `supervision` (moves with every write, and with the day: "overdue" turns at midnight).
   */
  changesWith: 'figures' | 'supervision';
  minzoom: number;
  maxzoom: number;
}

function layer(
  id: TileSourceId,
  description: string,
  changesWith: TileLayer['changesWith'],
  minzoom: number,
  maxzoom: number,
): TileLayer {
  return { ...TILE_SOURCES[id], id, description, changesWith, minzoom, maxzoom };
}

export const TILE_LAYERS: Record<string, TileLayer> = {
  provinces: layer('provinces', '省级 boundaries with names', 'figures', 0, 10),
  prefectures: layer('prefectures', '地级 boundaries with names', 'figures', 0, 10),
  counties: layer('counties', "县级行政区 with designations and the year's key indicators", 'figures', 0, 12),
  villages: layer('villages', "村 under monitoring, with the year's income", 'figures', 5, 14),
  'village-clusters': layer(
    'village-clusters',
    "Monitored villages counted per county at its label point, for the zooms below the villages' own (drawn below zoom 5 from tiles of zoom 4 at most)",
    'figures',
    0,
    4,
  ),
  'relocation-sites': layer(
    'relocation-sites',
    '易地扶贫搬迁安置点 with people and employment coverage in the year',
    'figures',
    5, // 35,000 sites: at z4 one tile over south China would be 1.8 MB
    14,
  ),
  'supervision-counties': layer(
    'supervision-counties',
    '挂牌督战 counties and counties with problems in the ledger: listing status, open and overdue problems',
    'supervision',
    0,
    12,
  ),
  'supervision-villages': layer(
    'supervision-villages',
    '挂牌督战 villages and villages with problems in the ledger: listing status, open and overdue problems',
    'supervision',
    3,
    14,
  ),
};
