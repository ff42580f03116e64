// The map's overlays, in the order the layer panel lists them and the URL's `layers` writes them.
// A new overlay is a folder beside these (see overlay.ts) and one line here.
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { keyAssistance } from './key-assistance/index.ts';
import { sites } from './sites/index.ts';
import { supervision } from './supervision/index.ts';
import { villages } from './villages/index.ts';

export const OVERLAYS = [villages, sites, supervision, keyAssistance] as const;

export type OverlayKey = (typeof OVERLAYS)[number]['key'];
export const OVERLAY_KEYS: readonly OverlayKey[] = OVERLAYS.map((o) => o.key);

/** Tile URLs of a source; a per-year source's properties are those of `year`. */
export function overlayTiles(origin: string, source: string, year: number, perYear = false): string[] {
  return [`${origin}/tiles/${source}/{z}/{x}/{y}.pbf${perYear ? `?year=${year}` : ''}`];
}

/** Every overlay's tile sources, for the base style. */
export function overlaySources(origin: string, year: number): Record<string, SourceSpecification> {
  const sources: Record<string, SourceSpecification> = {};
  for (const overlay of OVERLAYS)
    for (const [name, s] of Object.entries(overlay.sources ?? {}))
      sources[name] = {
        type: 'vector',
        tiles: overlayTiles(origin, name, year, s.perYear),
        minzoom: s.minzoom,
        maxzoom: s.maxzoom,
      };
  return sources;
}

/** The sources whose tiles are cut for the map's year. */
export const PER_YEAR_SOURCES = OVERLAYS.flatMap((o) =>
  Object.entries(o.sources ?? {})
    .filter(([, s]) => s.perYear)
    .map(([name]) => name),
);

/**
 * Every overlay's map layers in drawing order, hidden until switched on; `between` are the base
 * map's own layers that draw among them (at their `order`), visible as they are.
 */
export function overlayLayers(
  between: readonly { order: number; spec: LayerSpecification }[] = [],
): LayerSpecification[] {
  const hidden = OVERLAYS.flatMap((o) => o.layers).map(({ order, spec }) => ({
    order,
    spec: { ...spec, layout: { ...spec.layout, visibility: 'none' } } as LayerSpecification,
  }));
  return [...hidden, ...between].sort((a, b) => a.order - b.order).map(({ spec }) => spec);
}

/** The layers whose features have a tooltip. */
export const TOOLTIP_LAYERS = OVERLAYS.flatMap((o) => o.tooltip?.layers ?? []);
