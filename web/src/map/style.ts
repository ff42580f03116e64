// The base map is the product's own boundaries, served as vector tiles by the product: no external
// URL at all. No `glyphs` either: MapLibre draws labels from local fonts (Noto Sans for Latin,
// bundled; a system CJK font through localIdeographFontFamily).
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { NO_DATA_COLOUR, STATUS_COLOURS } from './palette.ts';

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

/** Tile URLs of the layers whose properties change by year. */
export function yearTiles(origin: string, layer: 'villages' | 'relocation-sites', year: number): string[] {
  return [`${origin}/tiles/${layer}/{z}/{x}/{y}.pbf?year=${year}`];
}

/** Village income classes (yuan) for the villages layer: pinks to purple, apart from the choropleth's hues. */
export const VILLAGE_INCOME_CLASSES = [
  { from: 0, colour: '#fcc5c0' },
  { from: 6_000, colour: '#fa9fb5' },
  { from: 9_000, colour: '#dd3497' },
  { from: 12_000, colour: '#ae017e' },
  { from: 15_000, colour: '#49006a' },
] as const;

/** 挂牌督战 status of a tile feature: overdue problems first, then the listing status. */
const STATUS_COLOUR: ExpressionSpecification = [
  'case',
  ['>', ['coalesce', ['get', 'overdue_problems'], 0], 0],
  STATUS_COLOURS.overdue,
  [
    'match',
    ['get', 'listing'],
    'lifted',
    STATUS_COLOURS.lifted,
    'closed',
    STATUS_COLOURS.closed,
    STATUS_COLOURS.supervising,
  ],
];

/**
 * Village colour: under/over the monitoring line when one is set; otherwise by income class, and
 * from zoom 9 by kind (poverty village or other). Listed villages' 挂牌督战 status is drawn on top
 * by the supervision overlay, from its own tiles.
 */
export function villageColour(line: number | null): ExpressionSpecification {
  if (line != null) return ['case', ['<', ['coalesce', ['get', 'income'], 0], line], '#c81e1e', '#4d9a5b'];
  const income: ExpressionSpecification = [
    'step',
    ['coalesce', ['get', 'income'], 0],
    VILLAGE_INCOME_CLASSES[0].colour,
  ];
  for (const c of VILLAGE_INCOME_CLASSES.slice(1)) income.push(c.from, c.colour);
  const kind: ExpressionSpecification = ['case', ['==', ['get', 'poverty'], true], '#e8a33d', '#7b8794'];
  return ['step', ['zoom'], income, 9, kind];
}

/** Outline of 国家乡村振兴重点帮扶县. */
export const KEY_ASSISTANCE_COLOUR = '#1f2933';

/**
 * Relocation sites by employment coverage of labour households. Nearly all sites are at or near
 * 100 %, so the classes single out the ones that are not: under 95 % red, under 100 % amber.
 */
export const SITE_COVERAGE = [
  { from: 0, colour: '#d64545' },
  { from: 0.95, colour: '#f0b429' },
  { from: 1, colour: '#1f6fb2' },
] as const;

/** Overlay name → the map layers it shows. */
export const OVERLAY_LAYERS = {
  villages: ['village-points'],
  sites: ['site-circles'],
  supervision: ['supervision-county', 'supervision-village'],
  keyAssistance: ['key-assistance-line'],
} as const;

function overlayLayers(): LayerSpecification[] {
  const hidden = { visibility: 'none' } as const;
  return [
    {
      id: 'key-assistance-line',
      type: 'line',
      source: COUNTY_SOURCE,
      'source-layer': 'counties',
      filter: ['==', ['get', 'key_assistance'], true],
      layout: hidden,
      paint: {
        'line-color': KEY_ASSISTANCE_COLOUR,
        'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.2, 8, 2.5],
        'line-dasharray': [2, 1],
      },
    },
    {
      id: 'supervision-county',
      type: 'line',
      source: 'supervision-counties',
      'source-layer': 'supervision-counties',
      filter: ['has', 'listing'],
      layout: hidden,
      paint: {
        'line-color': STATUS_COLOUR,
        'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.5, 8, 3.5],
      },
    },
    {
      id: 'village-points',
      type: 'circle',
      source: 'villages',
      'source-layer': 'villages',
      layout: hidden,
      paint: {
        'circle-color': villageColour(null),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 1.2, 9, 3, 12, 5],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['step', ['zoom'], 0, 9, 0.6],
      },
    },
    {
      id: 'supervision-village',
      type: 'circle',
      source: 'supervision-villages',
      'source-layer': 'supervision-villages',
      filter: ['has', 'listing'],
      layout: hidden,
      paint: {
        'circle-color': STATUS_COLOUR,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 2.5, 10, 5],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.8,
      },
    },
    {
      id: 'site-circles',
      type: 'circle',
      source: 'relocation-sites',
      'source-layer': 'relocation-sites',
      layout: hidden,
      paint: {
        // Area proportional to people: the radius grows with the square root.
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          3,
          ['max', 1.2, ['*', 0.025, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
          8,
          ['max', 2, ['*', 0.1, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
          12,
          ['max', 4, ['*', 0.3, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
        ],
        'circle-color': [
          'step',
          ['coalesce', ['get', 'coverage'], -1],
          '#9aa5b1',
          0,
          SITE_COVERAGE[0].colour,
          SITE_COVERAGE[1].from,
          SITE_COVERAGE[1].colour,
          SITE_COVERAGE[2].from,
          SITE_COVERAGE[2].colour,
        ],
        'circle-opacity': 0.85,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.6,
      },
    },
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

export function baseStyle(origin: string, year: number): StyleSpecification {
  const tiles = (layer: string) => [`${origin}/tiles/${layer}/{z}/{x}/{y}.pbf`];
  return {
    version: 8,
    sources: {
      provinces: {
        type: 'vector',
        tiles: tiles('provinces'),
        minzoom: 0,
        maxzoom: 10,
        promoteId: { provinces: 'code' },
      },
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
      villages: { type: 'vector', tiles: yearTiles(origin, 'villages', year), minzoom: 5, maxzoom: 14 },
      // 挂牌督战 status: light layers of the listed places, re-cut on every supervision write.
      'supervision-counties': {
        type: 'vector',
        tiles: tiles('supervision-counties'),
        minzoom: 0,
        maxzoom: 12,
      },
      'supervision-villages': {
        type: 'vector',
        tiles: tiles('supervision-villages'),
        minzoom: 3,
        maxzoom: 14,
      },
      'relocation-sites': {
        type: 'vector',
        tiles: yearTiles(origin, 'relocation-sites', year),
        minzoom: 5,
        maxzoom: 14,
      },
      [LABEL_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [ORIGINS_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef3f7' } },
      {
        id: 'province-fill',
        type: 'fill',
        source: 'provinces',
        'source-layer': 'provinces',
        paint: { 'fill-color': '#fbfaf6' },
      },
      {
        id: PROVINCE_FILL,
        type: 'fill',
        source: 'provinces',
        'source-layer': 'provinces',
        layout: { visibility: 'none' },
        paint: { 'fill-color': NO_DATA_COLOUR, 'fill-opacity': 0.92 },
      },
      {
        id: PREFECTURE_FILL,
        type: 'fill',
        source: 'prefectures',
        'source-layer': 'prefectures',
        layout: { visibility: 'none' },
        paint: { 'fill-color': NO_DATA_COLOUR, 'fill-opacity': 0.92 },
      },
      {
        id: COUNTY_FILL,
        type: 'fill',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
        paint: { 'fill-color': NO_DATA_COLOUR, 'fill-opacity': 0.92 },
      },
      // Invisible, always there: finds the county under the pointer whatever level is coloured.
      {
        id: 'county-hit',
        type: 'fill',
        source: COUNTY_SOURCE,
        'source-layer': 'counties',
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
      ...overlayLayers(),
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
