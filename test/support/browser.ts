// Debian's headless Chromium for the browser tests (through playwright-core: nothing downloaded),
// with every request that would leave localhost refused and recorded, so a test can fail on it.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM } from '../global-setup.ts';

export const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;

/** Why the browser tests cannot run here, or false when they can. */
export const browserSkip: string | false = !existsSync(CHROMIUM)
  ? 'Chromium is not installed (apt-get install chromium fonts-wqy-microhei)'
  : !existsSync(new URL('../../web/dist/index.html', import.meta.url))
    ? 'the web app is not built (pnpm --filter @rrm/web build; pnpm test does it)'
    : false;

/** A fresh profile in Chromium; URLs of refused external requests are pushed to `external`. */
export async function openBrowser(external: string[]): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rrm-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local =
      url.hostname === '127.0.0.1' ||
      url.hostname === 'localhost' ||
      url.protocol === 'data:' ||
      url.protocol === 'blob:';
    if (local) return route.continue();
    external.push(url.toString());
    return route.abort();
  });
  return context;
}
