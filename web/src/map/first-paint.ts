import type { Map as MapLibreMap } from 'maplibre-gl';

/** Longest the first picture waits for the tiles in view before it is painted anyway. */
const FIRST_PAINT_WAIT_MS = 8000;

/** WebGL drawn by the CPU: SwiftShader (Chromium), llvmpipe (Mesa), Microsoft Basic Render. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

interface Painter {
  render: (...args: unknown[]) => void;
}

/** What the hold did, kept current (the map's test handle shows it). */
export interface FirstPaintHold {
  /** The hold was put in place: software WebGL, and MapLibre's renderer found. */
  installed: boolean;
  /** MapLibre called the wrapped renderer and the hold ended: the first full picture was drawn. */
  released: boolean;
  /** Frames run but not drawn while the tiles arrived. */
  framesSkipped: number;
}

const releases = new WeakMap<MapLibreMap, () => void>();

/**
 * Paints a map's first picture only once every tile in view has arrived, where WebGL is drawn by
 * the CPU.
 *
 * Why: without a GPU (SwiftShader, llvmpipe: many office PCs on remote desktops, and headless
 * Chromium) a frame of the national map costs 0.5–1.2 s of CPU, and MapLibre paints one each time a
 * tile arrives: the partial pictures slowed the tiles still to come, and the full map came later
 * (docs/performance.md, "Speed of the map"). The frames still run — tiles asked for, feature states
 * applied — only their drawing is skipped, until the style and every tile of every source are
 * loaded, or FIRST_PAINT_WAIT_MS have passed, or `releaseFirstPaint` is called (a PNG export).
 * With a GPU a frame is cheap and the map fills in tile by tile as before.
 *
 * `painter` is MapLibre's renderer, not public API (MapLibre has no public way to skip a frame's
 * drawing). Without it (another MapLibre) the map paints as before, and the map's browser test
 * fails on `released`, so an upgrade cannot lose the hold unnoticed.
 */
export function holdFirstPaint(map: MapLibreMap): FirstPaintHold {
  const hold: FirstPaintHold = { installed: false, released: false, framesSkipped: 0 };
  const painter = (map as unknown as { painter?: Partial<Painter> }).painter;
  if (!painter || typeof painter.render !== 'function' || !drawnByCpu(map)) return hold;
  const render = painter.render;
  const since = performance.now();
  let held = true;
  const release = () => {
    held = false;
    clearTimeout(deadline);
  };
  // A frame must come after the deadline even if nothing else moves the map then.
  const deadline = setTimeout(() => map.triggerRepaint(), FIRST_PAINT_WAIT_MS);
  painter.render = function (this: unknown, ...args: unknown[]) {
    // isStyleLoaded: the style and every source loaded (a source whose tiles are not yet asked
    // for would pass areTilesLoaded alone); areTilesLoaded: every tile asked for has arrived.
    if (
      held &&
      (performance.now() - since >= FIRST_PAINT_WAIT_MS || (map.isStyleLoaded() && map.areTilesLoaded()))
    )
      release();
    if (held) {
      hold.framesSkipped++;
      return;
    }
    hold.released = true;
    render.apply(this, args);
  };
  releases.set(map, release);
  map.once('remove', release);
  hold.installed = true;
  return hold;
}

/** Ends the hold now (a picture is wanted as it is, e.g. for a PNG export). */
export function releaseFirstPaint(map: MapLibreMap): void {
  releases.get(map)?.();
}

function drawnByCpu(map: MapLibreMap): boolean {
  // The map's own context: asking the canvas for the type it already has returns it.
  const canvas = map.getCanvas();
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return SOFTWARE_RENDERER.test(renderer);
}
