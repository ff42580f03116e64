// The map: MapLibre with the base style, the choropleth applied through feature-state (classes from
// the page's thematic model, colours from the palette), overlays switched on and off, and tooltips.
import {
  type GeoJSONSource,
  type MapGeoJSONFeature,
  Map as MapLibreMap,
  Popup,
  setWorkerUrl,
  type VectorTileSource,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import type { Province } from '../data/queries.ts';
import { type Lang, t } from '../i18n.ts';
import type { Camera } from '../state/url-state.ts';
import { type FirstPaintHold, holdFirstPaint } from './first-paint.ts';
import { escapeHtml } from './layers/overlay.ts';
import {
  OVERLAYS,
  type OverlayKey,
  overlayTiles,
  PER_YEAR_SOURCES,
  TOOLTIP_LAYERS,
} from './layers/registry.ts';
import { SITE_LAYER } from './layers/sites/index.ts';
import { MISSING_CLASS, NO_DATA_COLOUR, NO_VILLAGES_COLOUR } from './palette.ts';
import { SouthSeaInset } from './south-sea-inset.tsx';
import {
  baseStyle,
  CHOROPLETH_OPACITY,
  COUNTY_VILLAGE_POINTS,
  COUNTY_VILLAGES_SOURCE,
  choroplethFill,
  LABEL_SOURCE,
  LEVEL_LAYERS,
  ORIGINS_SOURCE,
} from './style.ts';
import type { Thematic, ThematicValue, villageThematic } from './thematic.ts';

// maplibre-gl 6 is ESM only: without its worker URL the worker never loads and the map never finishes.
setWorkerUrl(workerUrl);
// The worker script is fetched only when the first map starts: ask for it now, while React renders.
const preload = document.createElement('link');
preload.rel = 'modulepreload';
preload.href = workerUrl;
document.head.append(preload);

export type GeoJsonFeatures = { type: 'FeatureCollection'; features: unknown[] };

interface Props {
  /** "main" is window.__rrm for tests; "compare" is window.__rrmCompare. */
  name: 'main' | 'compare';
  thematic: Thematic | null;
  lang: Lang;
  year: number;
  provinces: Province[];
  /** The area to show: a region's bounding box [west, south, east, north], or null for the whole country. */
  bbox: number[] | null;
  /** Which regions the choropleth colours. */
  level: keyof typeof LEVEL_LAYERS;
  overlays: readonly OverlayKey[];
  /** The monitoring line, when villages are coloured under/over it. */
  line: number | null;
  /** The county drilled into (its side panel open): outlined, veiled, its villages drawn. */
  selectedCounty: string | null;
  /** The villages of the county drilled into, classed; none when absent. */
  villages?: ReturnType<typeof villageThematic> | null;
  /** Lines from the selected relocation site to its origin villages. */
  origins: GeoJsonFeatures | null;
  /**
   * What a click drills into: the province under it (national view), its prefecture (a province's
   * prefecture map), or nothing, when a click selects the county.
   */
  drill: 'province' | 'prefecture' | null;
  onDrill?: (code: string) => void;
  onCountyClick?: (code: string) => void;
  onSiteClick?: (id: number) => void;
  /** Hands the map to the page once (for the picture export and the compare sync). */
  onMap?: (map: MapLibreMap) => void;
  /** The province or prefecture drilled into (its code), or null for the whole country. */
  region?: string | null;
  /** The camera of the URL: while set, the map stays there instead of framing the region. */
  camera?: Camera | null;
  /** Told where the map looks after every move, for the URL. */
  onCamera?: (camera: Camera) => void;
  /** Hands the South China Sea inset's map to the page while it is shown (the PNG draws it in). */
  onInset?: (map: MapLibreMap | null) => void;
}

interface MapHandle {
  map: MapLibreMap;
  /** How many regions the choropleth coloured. */
  coloured: number;
  /** Whether the first picture waited for every tile in view, and was then drawn (first-paint.ts). */
  firstPaint: FirstPaintHold;
}

declare global {
  interface Window {
    /** For tests and debugging: the main map and how many regions its choropleth coloured. */
    __rrm?: MapHandle;
    /** For tests: the village points drawn for the county drilled into (code → class). */
    __rrmVillages?: Record<string, number>;
    /** The same on the compare view's second map. */
    __rrmCompareVillages?: Record<string, number>;
    /** The second map of the compare view. */
    __rrmCompare?: MapHandle;
  }
}

/**
 * The national view frames the mainland, 海南 and 台湾 (to 18° N); the South China Sea islands are
 * in their inset at the lower right, as on China's national maps.
 */
export const MAINLAND_BOUNDS: [number, number, number, number] = [73.5, 17.8, 135.1, 53.6];
// More on the right: the KPI cards sit over the map's upper right corner (黑龙江).
const NATION_PADDING = { top: 20, bottom: 20, left: 20, right: 200 };
/** Zoomed in further than this, the map is no longer a national map: the inset goes. */
const INSET_MAX_ZOOM = 5;
const EMPTY: GeoJsonFeatures = { type: 'FeatureCollection', features: [] };

/** The maps whose style has loaded once (their 'style.load' event has passed). */
const loadedMaps = new WeakSet<MapLibreMap>();

/**
 * Runs `fn` now if the map's style has loaded, else once it has. Not `isStyleLoaded()`: that is
 * false again while any source is loading (a GeoJSON update, tiles after a jump), and the event it
 * would wait for never comes twice, so the change would be lost. The style, not the map's 'load':
 * feature states, filters and data set then apply to the tiles as they arrive, instead of
 * re-doing tiles already drawn.
 */
function whenReady(map: MapLibreMap, fn: () => void) {
  if (loadedMaps.has(map)) fn();
  else map.once('style.load', fn);
}

function publish(name: Props['name'], handle: MapHandle) {
  if (name === 'main') window.__rrm = handle;
  else window.__rrmCompare = handle;
}

export function MapView(props: Props) {
  const {
    name,
    thematic,
    year,
    provinces,
    bbox,
    level,
    overlays,
    line,
    origins,
    selectedCounty,
    region,
    villages,
  } = props;
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const firstPaint = useRef<FirstPaintHold>({ installed: false, released: false, framesSkipped: 0 });
  const [drawn, setDrawn] = useState(false);
  const [national, setNational] = useState(() => (props.camera?.zoom ?? 0) < INSET_MAX_ZOOM);
  const applied = useRef<{ source: string; sourceLayer: string; codes: string[] }>({
    source: LEVEL_LAYERS.COUNTY.source,
    sourceLayer: 'counties',
    codes: [],
  });
  const byCode = useRef(new Map<string, ThematicValue>());
  /** Whether the county's villages or a site's origins are on the map (not the style's empty data). */
  const villagesShown = useRef(false);
  const originsShown = useRef(false);
  // Handlers are registered once; they read the current props here.
  const current = useRef(props);
  current.current = props;

  useEffect(() => {
    const start = current.current.camera;
    const map = new MapLibreMap({
      container: container.current!,
      style: baseStyle(window.location.origin, current.current.year, current.current.region),
      ...(start
        ? { center: [start.lon, start.lat] as [number, number], zoom: start.zoom, bearing: start.bearing }
        : { bounds: MAINLAND_BOUNDS, fitBoundsOptions: { padding: NATION_PADDING } }),
      minZoom: 2,
      maxZoom: 13,
      localIdeographFontFamily:
        '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif',
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    mapRef.current = map;
    firstPaint.current = holdFirstPaint(map);
    map.once('style.load', () => loadedMaps.add(map));
    // The inset (and the provinces' names) wait for the main map's first full drawing: they must
    // not delay it. 'idle' comes as that drawing is handed to the browser, before it is on screen:
    // a new map made then (its WebGL context, shaders, tiles) held the picture back by a second or
    // two without a GPU. So the next frame, once this one is shown.
    map.once('idle', () => requestAnimationFrame(() => setTimeout(() => setDrawn(true), 0)));
    map.on('zoomend', () => setNational(map.getZoom() < INSET_MAX_ZOOM));
    publish(name, { map, coloured: 0, firstPaint: firstPaint.current });
    // The reader's own moves only (they carry the input event): the map's framing of a region, or
    // the compare view following the other map, is not "where the reader left it".
    map.on('moveend', (e) => {
      if (!e.originalEvent) return;
      const { lng, lat } = map.getCenter();
      current.current.onCamera?.({ lon: lng, lat, zoom: map.getZoom(), bearing: map.getBearing() });
    });
    current.current.onMap?.(map);
    const popup = new Popup({ closeButton: false, closeOnClick: false, maxWidth: '320px' });
    let hovered: { source: string; sourceLayer: string; id: string | number } | undefined;
    const unhover = () => {
      if (hovered) map.setFeatureState(hovered, { hover: false });
      hovered = undefined;
    };
    const visible = (layers: readonly string[]) =>
      layers.filter((l) => map.getLayer(l) && map.getLayoutProperty(l, 'visibility') !== 'none');

    map.on('mousemove', (e) => {
      const { lang: l, level: lv } = current.current;
      const village = map.queryRenderedFeatures(e.point, { layers: [COUNTY_VILLAGE_POINTS] })[0];
      const point = village ?? map.queryRenderedFeatures(e.point, { layers: visible(TOOLTIP_LAYERS) })[0];
      const target = LEVEL_LAYERS[lv];
      const region = point
        ? undefined
        : (map.queryRenderedFeatures(e.point, { layers: visible([target.layer]) })[0] as
            | MapGeoJSONFeature
            | undefined);
      unhover();
      if (region?.id !== undefined) {
        hovered = { source: target.source, sourceLayer: target.sourceLayer, id: region.id };
        map.setFeatureState(hovered, { hover: true });
      }
      const html = village
        ? countyVillageTooltip(
            String(village.properties.code),
            String(village.properties.name),
            current.current,
          )
        : point
          ? pointTooltip(point, l)
          : region
            ? regionTooltip(
                String(region.id),
                String(region.properties.name),
                byCode.current.get(String(region.id)),
                current.current,
              )
            : null;
      map.getCanvas().style.cursor = html ? 'pointer' : '';
      if (html) popup.setLngLat(e.lngLat).setHTML(html).addTo(map);
      else popup.remove();
    });
    map.getCanvasContainer().addEventListener('mouseleave', () => {
      unhover();
      popup.remove();
    });
    map.on('click', (e) => {
      const p = current.current;
      const site = map.queryRenderedFeatures(e.point, { layers: visible([SITE_LAYER]) })[0];
      if (site && p.onSiteClick) return p.onSiteClick(Number(site.properties.id));
      if (p.drill === 'province') {
        const province = map.queryRenderedFeatures(e.point, { layers: ['province-fill'] })[0];
        if (province?.properties.code) return p.onDrill?.(String(province.properties.code));
      }
      const county = map.queryRenderedFeatures(e.point, { layers: ['county-hit'] })[0];
      const code = county?.properties.code ? String(county.properties.code) : null;
      if (!code) return;
      // A county's prefecture is the first four digits of its code.
      if (p.drill === 'prefecture') p.onDrill?.(code.slice(0, 4));
      else p.onCountyClick?.(code);
    });
    return () => map.remove();
  }, [name]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    // A camera from the URL wins until the reader drills elsewhere (which clears it).
    if (current.current.camera) return;
    // The whole country keeps the South China Sea islands in view; a province fills the map.
    // A county drilled into has its side panel open over the map's right edge: keep clear of it.
    const right = Math.min(380, map.getContainer().clientWidth / 2);
    const padding = current.current.selectedCounty ? { top: 40, bottom: 40, left: 40, right } : 40;
    if (bbox) map.fitBounds([bbox[0]!, bbox[1]!, bbox[2]!, bbox[3]!], { padding, duration: 0 });
    else map.fitBounds(MAINLAND_BOUNDS, { padding: NATION_PADDING, duration: 0 });
  }, [bbox]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      const values = thematic?.values ?? [];
      const colours = thematic?.colours ?? [];
      const target = LEVEL_LAYERS[level];
      const previous = applied.current;
      for (const code of previous.codes)
        map.removeFeatureState({ source: previous.source, sourceLayer: previous.sourceLayer, id: code });
      byCode.current = new Map(values.map((v) => [v.code, v]));
      for (const v of values) {
        map.setFeatureState(
          { source: target.source, sourceLayer: target.sourceLayer, id: v.code },
          { cls: v.classIndex, colour: colours[v.classIndex] ?? NO_DATA_COLOUR },
        );
      }
      const missing = [...(thematic?.missing ?? [])];
      for (const [code, why] of missing) {
        map.setFeatureState(
          { source: target.source, sourceLayer: target.sourceLayer, id: code },
          {
            cls: MISSING_CLASS[why],
            colour: why === 'noVillages' ? NO_VILLAGES_COLOUR : NO_DATA_COLOUR,
          },
        );
      }
      applied.current = {
        source: target.source,
        sourceLayer: target.sourceLayer,
        codes: [...values.map((v) => v.code), ...missing.map(([code]) => code)],
      };
      for (const [key, layers] of Object.entries(LEVEL_LAYERS)) {
        if (
          (map.getLayoutProperty(layers.layer, 'visibility') ?? 'visible') !==
          (key === level ? 'visible' : 'none')
        )
          map.setLayoutProperty(layers.layer, 'visibility', key === level ? 'visible' : 'none');
      }
      // The colour expression is the same for every choropleth (each region's colour is in its
      // feature-state): set only when the region drilled into changes what is outside it, as a
      // data-driven paint change lays out every tile again.
      const fill = choroplethFill(region);
      if (JSON.stringify(map.getPaintProperty(target.layer, 'fill-color')) !== JSON.stringify(fill))
        map.setPaintProperty(target.layer, 'fill-color', fill as never);
      // Without a choropleth (loading, or the supervision page's map) the light base shows through.
      map.setPaintProperty(target.layer, 'fill-opacity', colours.length ? CHOROPLETH_OPACITY : 0);
      publish(name, { map, coloured: values.length, firstPaint: firstPaint.current });
    });
  }, [thematic, level, name, region]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      for (const overlay of OVERLAYS) {
        const on = overlays.includes(overlay.key);
        for (const { spec } of overlay.layers)
          map.setLayoutProperty(spec.id, 'visibility', on ? 'visible' : 'none');
      }
    });
  }, [overlays]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      for (const overlay of OVERLAYS) overlay.onLine?.(map, line);
    });
  }, [line]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      for (const layer of ['county-selected', 'county-focus'])
        map.setFilter(layer, ['==', ['get', 'code'], selectedCounty ?? '']);
    });
  }, [selectedCounty]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      const classes = new Map((villages?.values ?? []).map((v) => [v.code, v.classIndex]));
      const features = (villages?.located ?? []).map((v) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [v.lon, v.lat] },
        properties: { code: v.code, name: v.name, cls: classes.get(v.code) ?? -1 },
      }));
      const match: unknown[] = ['match', ['get', 'cls']];
      for (const [i, c] of (villages?.colours ?? []).entries()) match.push(i, c);
      match.push(NO_DATA_COLOUR);
      map.setPaintProperty(
        COUNTY_VILLAGE_POINTS,
        'circle-color',
        (match.length > 3 ? match : NO_DATA_COLOUR) as never,
      );
      const drawn = Object.fromEntries(features.map((f) => [f.properties.code, f.properties.cls]));
      if (name === 'main') window.__rrmVillages = drawn;
      else window.__rrmCompareVillages = drawn;
      // Nothing drawn and nothing to draw (the first view): the source is left as it is, without a
      // round trip through the worker.
      if (!features.length && !villagesShown.current) return;
      villagesShown.current = features.length > 0;
      (map.getSource(COUNTY_VILLAGES_SOURCE) as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features,
      } as never);
    });
  }, [villages, name]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      for (const source of PER_YEAR_SOURCES) {
        const tiles = overlayTiles(window.location.origin, source, year, true);
        const vector = map.getSource(source) as VectorTileSource | undefined;
        // The style was made for the first year: the same URLs would only reload the source.
        if (vector && vector.tiles?.[0] !== tiles[0]) vector.setTiles(tiles);
      }
    });
  }, [year]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    whenReady(map, () => {
      if (!origins && !originsShown.current) return;
      originsShown.current = origins !== null;
      (map.getSource(ORIGINS_SOURCE) as GeoJSONSource).setData((origins ?? EMPTY) as never);
    });
  }, [origins]);

  useEffect(() => {
    const map = mapRef.current;
    // The provinces' names come once the choropleth is drawn (as the inset does): their glyphs and
    // placement would otherwise hold back the map's first full drawing.
    if (!map || !drawn || !provinces.length) return;
    whenReady(map, () =>
      (map.getSource(LABEL_SOURCE) as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: provinces
          .filter((p) => p.labelPoint)
          .map((p) => ({ type: 'Feature', geometry: p.labelPoint!, properties: { name: p.name } })),
      }),
    );
  }, [provinces, drawn]);

  const inset = drawn && national && !region && !selectedCounty;
  return (
    <>
      <div ref={container} className="map" data-testid={name === 'main' ? 'map' : 'map-compare'} />
      {inset && <SouthSeaInset lang={props.lang} onMap={props.onInset} />}
    </>
  );
}

/** Name, value with unit, and rank among the regions shown. */
function regionTooltip(
  code: string,
  name: string,
  v: ThematicValue | undefined,
  view: { thematic: Thematic | null; lang: Lang },
) {
  const l = view.lang;
  const value = !view.thematic
    ? t('noData', l)
    : v
      ? view.thematic.format(v.value)
      : view.thematic.whyNoData(code);
  const detail = v?.detail ? ` (${escapeHtml(v.detail)})` : '';
  const rank = v ? `<br>${t('rank', l)} ${v.rank} / ${view.thematic?.values.length ?? 0}` : '';
  return `<strong>${escapeHtml(name)}</strong><br>${escapeHtml(value)}${detail}${rank}`;
}

/** A village of the county drilled into: its value in the villages' classes and its rank. */
function countyVillageTooltip(code: string, name: string, view: Pick<Props, 'villages' | 'lang'>) {
  const v = view.villages?.byCode.get(code);
  const value = v && view.villages ? view.villages.format(v.value) : t('notReported', view.lang);
  const rank = v ? `<br>${t('rank', view.lang)} ${v.rank} / ${view.villages?.values.length ?? 0}` : '';
  return `<strong>${escapeHtml(name)}</strong><br>${escapeHtml(value)}${rank}`;
}

/** A point of an overlay under the pointer, as its overlay tells it. */
function pointTooltip(feature: MapGeoJSONFeature, l: Lang) {
  const overlay = OVERLAYS.find((o) => o.tooltip?.layers.includes(feature.layer.id));
  return overlay?.tooltip?.html(feature, l) ?? null;
}
