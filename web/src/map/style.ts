// The base map is the product's own boundaries, served as vector tiles by the product: no external
// URL at all. No `glyphs` either: MapLibre draws labels from local fonts (Noto Sans for Latin,
// bundled; a system CJK font through localIdeographFontFamily).
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { overlayLayers, overlaySources } from './layers/registry.ts';
import { NO_DATA_COLOUR, OUTSIDE_COLOUR } from './palette.ts';

export const COUNTY_SOURCE = 'counties';
export const COUNTY_FILL = 'county-fill';
export const PREFECTURE_FILL = 'prefecture-choropleth';
export const PROVINCE_FILL = 'province-choropleth';

/** Where each level's choropleth is drawn: its fill layer and its tile source and layer. */
export const LEVEL_LAYERS = {
  COUNTY: { layer: COUNTY_FILL, source: COUNTY_SOURCE, sourceLayer: 'counties' },
  PREFECTURE: { layer: PREFECTURE_FILL, source: 'prefectures', sourceLayer: 'prefectures' },
  PROVINCE: { layer: PROVINCE_FILL, source: 'provinces', sourceLayer: 'provinces' },
} as const;
export const LABEL_SOURCE = 'province-labels';
export const ORIGINS_SOURCE = 'site-origins';
/** The villages of the county drilled into, as points classed by the API (see map-view.tsx). */
export const COUNTY_VILLAGES_SOURCE = 'county-villages';
export const COUNTY_VILLAGE_POINTS = 'county-village-points';

/** The lines from a selected relocation site to its origin villages, and their labels. */
function originLayers(): LayerSpecification[] {
  return [
    {
      id: 'origin-lines',
      type: 'line',
      source: ORIGINS_SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: {
        'line-color': '#3c4a5c',
        'line-width': ['interpolate', ['linear'], ['get', 'households'], 1, 1, 100, 4],
        'line-opacity': 0.8,
      },
    },
    {
      id: 'origin-villages',
      type: 'circle',
      source: ORIGINS_SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-color': '#3c4a5c',
        'circle-radius': 3,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'origin-labels',
      type: 'symbol',
      source: ORIGINS_SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: {
        'text-field': ['get', 'label'],
        'text-font': ['Noto Sans', 'sans-serif'],
        'text-size': 11,
        'text-offset': [0, 1],
        'text-anchor': 'top',
      },
      paint: { 'text-color': '#1f2933', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
  ];
}

/** The villages of the county drilled into (their colours are set with their classes, map-view.tsx). */
function countyVillagePoints(): LayerSpecification {
  return {
    id: COUNTY_VILLAGE_POINTS,
    type: 'circle',
    source: COUNTY_VILLAGES_SOURCE,
    paint: {
      'circle-color': NO_DATA_COLOUR,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, 3, 9, 5, 12, 7],
      'circle-stroke-color': '#3e4c59',
      'circle-stroke-width': 0.6,
    },
  };
}

/** The sea and the land of the base map (the South China Sea inset draws the same). */
export const SEA_COLOUR = '#eef3f7';
export const LAND_COLOUR = '#fbfaf6';

/** The province outlines' tiles, the base map's bottom layer. */
export function provincesSource(origin: string): SourceSpecification {
  return {
    type: 'vector',
    tiles: [`${origin}/tiles/provinces/{z}/{x}/{y}.pbf`],
    minzoom: 0,
    maxzoom: 10,
    promoteId: { provinces: 'code' },
  };
}

/**
 * The choropleth fills' colour: each region's own, from its feature-state (`colour`, set with its
 * class); a region without a state is grey (no data) or, beyond the region drilled into, unpainted.
 * The expression stays the same whatever the indicator, year or classes: changing a data-driven
 * paint property makes MapLibre lay out every tile of the source again, which on the first view
 * cost as much as loading the tiles.
 */
export function choroplethFill(region: string | null | undefined): unknown[] {
  return [
    'to-color',
    ['feature-state', 'colour'],
    region
      ? [
          'case',
          ['==', ['index-of', region, ['to-string', ['get', 'code']]], 0],
          NO_DATA_COLOUR,
          OUTSIDE_COLOUR,
        ]
      : NO_DATA_COLOUR,
  ];
}
/** The fills' opacity while a choropleth is shown (0 without one: the light base shows through). */
export const CHOROPLETH_OPACITY = 0.92;

export function baseStyle(origin: string, year: number, region: string | null = null): StyleSpecification {
  const tiles = (layer: string) => [`${origin}/tiles/${layer}/{z}/{x}/{y}.pbf`];
  return {
    version: 8,
    sources: {
      provinces: provincesSource(origin),
      prefectures: {
        type: 'vector',
        tiles: tiles('prefectures'),
        minzoom: 0,
        maxzoom: 10,
        promoteId: { prefectures: 'code' },
      },
      // promoteId lets the choropleth colour counties by code through feature-state.
      [COUNTY_SOURCE]: {
        type: 'vector',
        tiles: tiles('counties'),
        minzoom: 0,
        maxzoom: 12,
        promoteId: { counties: 'code' },
      },
      ...overlaySources(origin, year),
      [LABEL_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [ORIGINS_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [COUNTY_VILLAGES_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': SEA_COLOUR } },
      {
        id: 'province-fill',
        type: 'fill',
        source: 'provinces',
        'source-layer': 'provinces',
        paint: { 'fill-color': LAND_COLOUR },
      },
      // One choropleth fill per level; the map shows the level asked for (counties at first).
      ...(['PROVINCE', 'PREFECTURE', 'COUNTY'] as const).map(
        (level): LayerSpecification => ({
          id: LEVEL_LAYERS[level].layer,
          type: 'fill',
          source: LEVEL_LAYERS[level].source,
          'source-layer': LEVEL_LAYERS[level].sourceLayer,
          layout: { visibility: level === 'COUNTY' ? 'visible' : 'none' },
          paint: { 'fill-color': choroplethFill(region) as never, 'fill-opacity': 0 },
        }),
      ),
      // Invisible, always there: finds the county under the pointer whatever level is coloured.
      {
        id: 'county-hit',
        type: 'fill',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        // The same layout as the county choropleth's: MapLibre then builds one bucket for both
        // (the polygons are triangulated once per tile, not twice).
        layout: { visibility: 'visible' },
        paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
      },
      {
        id: 'county-line',
        type: 'line',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        paint: { 'line-color': '#ffffff', 'line-width': 0.3 },
      },
      {
        id: 'prefecture-line',
        type: 'line',
        // Not at the national view: fewer tiles to load first, and a cleaner picture.
        minzoom: 4.5,
        source: 'prefectures',
        'source-layer': 'prefectures',
        paint: { 'line-color': '#9aa5b1', 'line-width': 0.5 },
      },
      {
        id: 'province-line',
        type: 'line',
        source: 'provinces',
        'source-layer': 'provinces',
        paint: { 'line-color': '#52606d', 'line-width': 1 },
      },
      // The county drilled into: veiled, so that its villages' colours read against it.
      {
        id: 'county-focus',
        type: 'fill',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        filter: ['==', ['get', 'code'], ''],
        paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.8 },
      },
      // The county's villages above the village tiles (3), under the 挂牌督战 dots (4) and sites (5).
      ...overlayLayers([{ order: 3.5, spec: countyVillagePoints() }]),
      ...originLayers(),
      {
        id: 'county-selected',
        type: 'line',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#0b69a3', 'line-width': 3 },
      },
      {
        id: 'county-hover',
        type: 'line',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        paint: {
          'line-color': '#1f2933',
          'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2, 0],
        },
      },
      {
        id: 'province-label',
        type: 'symbol',
        source: LABEL_SOURCE,
        layout: { 'text-field': ['get', 'name'], 'text-font': ['Noto Sans', 'sans-serif'], 'text-size': 12 },
        paint: { 'text-color': '#323f4b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
      },
    ],
  };
}
