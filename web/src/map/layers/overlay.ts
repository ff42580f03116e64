// What an overlay of the map is: everything about it in one folder (its tiles, map layers, key in
// the layer panel, tooltip, URL key and labels), listed once in registry.ts.
import type { LayerSpecification, MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import type { Lang } from '../../i18n.ts';

export type Label = { zh: string; en: string };

/** The key under an overlay's switch: colour swatches (dots for points, bars for lines), a note. */
export interface LegendKey {
  rows: { colour: string; label: string }[];
  shape: 'dot' | 'bar';
  note?: string;
}

export interface Overlay<Key extends string = string> {
  /** Its name in the URL's `layers` list (never renamed: old links keep working) and in test ids. */
  key: Key;
  label: Label;
  /** Vector tile sources it adds, by tile layer name; `perYear` ones are cut for the map's year. */
  sources?: Record<string, { minzoom: number; maxzoom: number; perYear?: boolean }>;
  /** Its map layers, hidden until switched on; `order` places them among all overlays' layers. */
  layers: { order: number; spec: LayerSpecification }[];
  /** The key the layer panel shows while it is on; `line` is the monitoring line, if set. */
  legend: (lang: Lang, line: number | null) => LegendKey;
  /** The tooltip of a feature of `layers` under the pointer. */
  tooltip?: { layers: string[]; html: (feature: MapGeoJSONFeature, lang: Lang) => string };
  /** Restyles its layers for a new monitoring line. */
  onLine?: (map: MapLibreMap, line: number | null) => void;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
