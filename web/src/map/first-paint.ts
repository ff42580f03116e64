import type { Map as MapLibreMap } from 'maplibre-gl';

/** Longest the first picture waits for the tiles in view before it is painted anyway. */
const FIRST_PAINT_WAIT_MS = 8000;

interface Painter {
  render: (...args: unknown[]) => void;
}

/**
 * Paints a map's first picture only once every tile in view has arrived, and returns whether the
 * hold could be installed.
 *
 * Why: without a GPU (SwiftShader, as on most office machines' remote desktops and in headless
 * Chromium) a frame of the national map costs 0.5–1.2 s of CPU, and MapLibre paints one each time a
 * tile arrives: the partial pictures slowed the tiles still to come, and the full map came later
 * (measured in docs/performance.md, "Speed of the map"). The frames still run — tiles are asked
 * for, feature states applied — only their drawing is skipped. After the first full picture, or at
 * the latest FIRST_PAINT_WAIT_MS after the map was made, every frame is painted as usual.
 *
 * `painter` is MapLibre's renderer, not public API (MapLibre has no public way to skip a frame's
 * drawing). Without it (another MapLibre) the map paints as before, and the browser test that
 * checks `firstPaintHeld` fails, so an upgrade cannot lose the hold unnoticed.
 */
export function holdFirstPaint(map: MapLibreMap): boolean {
  const painter = (map as unknown as { painter?: Partial<Painter> }).painter;
  if (!painter || typeof painter.render !== 'function') return false;
  const render = painter.render;
  const since = performance.now();
  let held = true;
  // Until the first tiles are asked for, "every tile loaded" is true of none.
  let asked = false;
  map.on('dataloading', (e) => {
    if ((e as { tile?: unknown }).tile) asked = true;
  });
  // A frame must come after the deadline even if nothing else moves the map then.
  const deadline = setTimeout(() => map.triggerRepaint(), FIRST_PAINT_WAIT_MS);
  painter.render = function (this: unknown, ...args: unknown[]) {
    if (held && (performance.now() - since >= FIRST_PAINT_WAIT_MS || (asked && map.areTilesLoaded()))) {
      held = false;
      clearTimeout(deadline);
    }
    if (!held) render.apply(this, args);
  };
  map.once('remove', () => clearTimeout(deadline));
  return true;
}
