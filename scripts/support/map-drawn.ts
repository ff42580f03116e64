// "The map is drawn", as the leadership map page tells it (web/src/map/map-view.tsx exposes
// `window.__rrm`, and `window.__rrmCompare` for the compare view's second map): the choropleth has
// coloured its counties, and the map and every tile in view have loaded. The browser tests and the
// first-start benchmark wait for the same thing.
import type { Page } from 'playwright-core';

export interface MapDrawnOptions {
  /** Which map: the page's own, or the compare view's second one. */
  handle?: '__rrm' | '__rrmCompare';
  timeout?: number;
  /** How often to look, in ms (Playwright's default: every animation frame). */
  polling?: number;
}

/** Resolves once the page's map is drawn; rejects after `timeout` (default 60 s). */
export async function waitForMapDrawn(page: Page, options: MapDrawnOptions = {}): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const h = (
        globalThis as unknown as Record<
          string,
          { coloured: number; map: { loaded(): boolean; areTilesLoaded(): boolean } } | undefined
        >
      )[name];
      return !!h && h.coloured > 0 && h.map.loaded() && h.map.areTilesLoaded();
    },
    options.handle ?? '__rrm',
    { timeout: options.timeout ?? 60_000, ...(options.polling ? { polling: options.polling } : {}) },
  );
}
