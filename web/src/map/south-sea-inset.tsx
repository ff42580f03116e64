// 南海诸岛附图: the South China Sea islands in a box at the lower right of the national map, as
// Chinese national maps draw them, so that the main map can frame the mainland. Drawn from the
// product's own province tiles (the islands are kept in 海南's outline, see docs/data.md); the
// published standard map's nine-dash line is not in that data and is not drawn.
import { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { type Lang, t } from '../i18n.ts';
import { LAND_COLOUR, provincesSource, SEA_COLOUR } from './style.ts';

declare global {
  interface Window {
    /** For tests: the inset's map while it is shown. */
    __rrmInset?: MapLibreMap;
  }
}

/** What the box shows: the sea from 海南 and 台湾 south to 曾母暗沙 (3.9° N). */
export const INSET_BOUNDS: [number, number, number, number] = [106.5, 2.8, 123, 24.5];

export function SouthSeaInset({
  lang,
  onMap,
}: {
  lang: Lang;
  /** Hands the inset's map to the page (the PNG export draws it in). */
  onMap?: (map: MapLibreMap | null) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  // Created once; the page's callback is only told of it.
  const tell = useRef(onMap);
  tell.current = onMap;
  useEffect(() => {
    const map = new MapLibreMap({
      container: container.current!,
      bounds: INSET_BOUNDS,
      interactive: false,
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
      style: {
        version: 8,
        sources: { provinces: provincesSource(window.location.origin) },
        layers: [
          { id: 'sea', type: 'background', paint: { 'background-color': SEA_COLOUR } },
          {
            id: 'land',
            type: 'fill',
            source: 'provinces',
            'source-layer': 'provinces',
            paint: { 'fill-color': LAND_COLOUR },
          },
          {
            id: 'outline',
            type: 'line',
            source: 'provinces',
            'source-layer': 'provinces',
            paint: { 'line-color': '#52606d', 'line-width': 0.6 },
          },
        ],
      },
    });
    tell.current?.(map);
    window.__rrmInset = map;
    return () => {
      tell.current?.(null);
      if (window.__rrmInset === map) window.__rrmInset = undefined;
      map.remove();
    };
  }, []);
  return (
    <div className="south-sea-inset" data-testid="south-sea-inset">
      <div ref={container} className="south-sea-map" />
      <div className="south-sea-title">{t('southSeaIslands', lang)}</div>
    </div>
  );
}
