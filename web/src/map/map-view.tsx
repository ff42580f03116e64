// The map: MapLibre with the base style, the county choropleth applied through feature-state from
// the API's choropleth values (breaks come from the API, colours from the palette), and a tooltip.
import { type MapGeoJSONFeature, Map as MapLibreMap, Popup, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { formatValue, INDICATOR_INFO, type Indicator, type Lang, t } from '../i18n.ts';
import { NO_DATA_COLOUR } from './palette.ts';
import { baseStyle, COUNTY_SOURCE, LABEL_SOURCE, LEVEL_LAYERS } from './style.ts';

// maplibre-gl 6 is ESM only: without its worker URL the worker never loads and the map never finishes.
setWorkerUrl(workerUrl);

export interface ChoroplethValue {
  code: string;
  name: string;
  value: number;
  classIndex: number;
  rank: number;
}

interface Props {
  values: ChoroplethValue[];
  colours: string[];
  indicator: Indicator;
  lang: Lang;
  provinces: { name: string; labelPoint: { type: 'Point'; coordinates: [number, number] } | null }[];
  /** Clicking a province drills into it (when the map shows the whole country). */
  onProvinceClick: (code: string) => void;
  /** The area to show: a region's bounding box, or null for the whole country. */
  bbox: [number, number, number, number] | null;
  /** Which regions the choropleth colours. */
  level: keyof typeof LEVEL_LAYERS;
  /** Hands the map to the page once (for the picture export). */
  onMap?: (map: MapLibreMap) => void;
}

declare global {
  interface Window {
    /** For tests and debugging: the map and how many counties the choropleth coloured. */
    __rrm?: { map: MapLibreMap; coloured: number };
  }
}

const NATION_CENTRE: [number, number] = [104.5, 35.5];
const NATION_ZOOM = 3.3;

export function MapView({
  values,
  colours,
  indicator,
  lang,
  provinces,
  onProvinceClick,
  bbox,
  onMap,
  level,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const applied = useRef<{ source: string; sourceLayer: string; codes: string[] }>({
    source: COUNTY_SOURCE,
    sourceLayer: 'counties',
    codes: [],
  });
  const byCode = useRef(new Map<string, ChoroplethValue>());
  // The tooltip handler is registered once; it reads the current indicator and language here.
  const current = useRef({ indicator, lang, onProvinceClick, onMap });
  current.current = { indicator, lang, onProvinceClick, onMap };

  useEffect(() => {
    const map = new MapLibreMap({
      container: container.current!,
      style: baseStyle(window.location.origin),
      center: NATION_CENTRE,
      zoom: NATION_ZOOM,
      minZoom: 2,
      maxZoom: 12,
      localIdeographFontFamily:
        '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif',
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    mapRef.current = map;
    window.__rrm = { map, coloured: 0 };
    current.current.onMap?.(map);
    const popup = new Popup({ closeButton: false, closeOnClick: false });
    let hovered: string | number | undefined;
    for (const target of Object.values(LEVEL_LAYERS)) {
      const at = (id: string | number) => ({ source: target.source, sourceLayer: target.sourceLayer, id });
      map.on('mousemove', target.layer, (e) => {
        const feature = e.features?.[0] as MapGeoJSONFeature | undefined;
        if (!feature) return;
        if (hovered !== undefined) map.setFeatureState(at(hovered), { hover: false });
        hovered = feature.id;
        if (hovered !== undefined) map.setFeatureState(at(hovered), { hover: true });
        map.getCanvas().style.cursor = 'pointer';
        const html = tooltipHtml(
          String(feature.properties.name),
          byCode.current.get(String(feature.id)),
          byCode.current.size,
          current.current,
        );
        popup.setLngLat(e.lngLat).setHTML(html).addTo(map);
      });
      map.on('mouseleave', target.layer, () => {
        if (hovered !== undefined) map.setFeatureState(at(hovered), { hover: false });
        hovered = undefined;
        map.getCanvas().style.cursor = '';
        popup.remove();
      });
    }
    map.on('click', (e) => {
      const province = map.queryRenderedFeatures(e.point, { layers: ['province-fill'] })[0];
      if (province?.properties.code) current.current.onProvinceClick(String(province.properties.code));
    });
    return () => map.remove();
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    // The whole country keeps the South China Sea islands in view; a province fills the map.
    if (bbox) map.fitBounds([bbox[0], bbox[1], bbox[2], bbox[3]], { padding: 40, duration: 0 });
    else map.jumpTo({ center: NATION_CENTRE, zoom: NATION_ZOOM });
  }, [bbox]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      const target = LEVEL_LAYERS[level];
      const previous = applied.current;
      for (const code of previous.codes)
        map.removeFeatureState({ source: previous.source, sourceLayer: previous.sourceLayer, id: code });
      byCode.current = new Map(values.map((v) => [v.code, v]));
      for (const v of values) {
        map.setFeatureState(
          { source: target.source, sourceLayer: target.sourceLayer, id: v.code },
          { cls: v.classIndex },
        );
      }
      applied.current = {
        source: target.source,
        sourceLayer: target.sourceLayer,
        codes: values.map((v) => v.code),
      };
      const match: unknown[] = ['match', ['feature-state', 'cls']];
      for (const [i, c] of colours.entries()) match.push(i, c);
      match.push(NO_DATA_COLOUR);
      for (const [name, layers] of Object.entries(LEVEL_LAYERS)) {
        map.setLayoutProperty(layers.layer, 'visibility', name === level ? 'visible' : 'none');
      }
      map.setPaintProperty(target.layer, 'fill-color', colours.length ? (match as never) : NO_DATA_COLOUR);
      window.__rrm = { map, coloured: values.length };
    };
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }, [values, colours, level]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const set = () => {
      const source = map.getSource(LABEL_SOURCE) as { setData?: (d: unknown) => void } | undefined;
      source?.setData?.({
        type: 'FeatureCollection',
        features: provinces
          .filter((p) => p.labelPoint)
          .map((p) => ({ type: 'Feature', geometry: p.labelPoint, properties: { name: p.name } })),
      });
    };
    if (map.isStyleLoaded()) set();
    else map.once('load', set);
  }, [provinces]);

  return <div ref={container} className="map" data-testid="map" />;
}

/** Name, value with unit, and rank among the counties with data. */
function tooltipHtml(
  name: string,
  v: ChoroplethValue | undefined,
  total: number,
  view: { indicator: Indicator; lang: Lang },
): string {
  const info = INDICATOR_INFO[view.indicator];
  const l = view.lang;
  const value = v
    ? `${formatValue(v.value, l, { ratio: info.ratio })}${info.ratio ? '' : ` ${info.unit[l]}`}`
    : t('noData', l);
  const rank = v ? `<br>${t('rank', l)} ${v.rank} / ${total}` : '';
  return `<strong>${escapeHtml(name)}</strong><br>${escapeHtml(info[l])}: ${escapeHtml(value)}${rank}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
