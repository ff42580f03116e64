// Debian's headless Chromium for the browser tests (through playwright-core: nothing downloaded),
// with every request that would leave localhost refused and recorded, so a test can fail on it.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@rrm/db';
import { type BrowserContext, chromium } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM } from '../global-setup.ts';

export const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;

/** Why the browser tests cannot run here, or false when they can. */
export const browserSkip: string | false = !existsSync(CHROMIUM)
  ? 'Chromium is not installed (apt-get install chromium fonts-wqy-microhei)'
  : !existsSync(new URL('../../web/dist/index.html', import.meta.url))
    ? 'the web app is not built (pnpm --filter @rrm/web build; pnpm test does it)'
    : false;

/** Why a browser test on `backend` cannot run here (no Chromium, no build, no PostgreSQL), or false. */
export function browserSkipOn(backend: 'pglite' | 'postgres'): string | false {
  if (browserSkip) return browserSkip;
  if (backend === 'postgres' && !inject('postgresAdminUrl'))
    return `PostgreSQL is not available: ${inject('postgresSkipReason')}`;
  return false;
}

/** Closes what a browser test opened, in reverse order; any of them may be missing after a failed set-up. */
export async function closeBrowserTest(opened: {
  context?: BrowserContext;
  server?: { close(): Promise<void> };
  database?: Pick<Database, 'close'>;
  dataDir?: string;
}): Promise<void> {
  await opened.context?.close();
  await opened.server?.close();
  await opened.database?.close();
  if (opened.dataDir) rmSync(opened.dataDir, { recursive: true, force: true });
}

/**
 * A fresh profile in Chromium; URLs of refused external requests are pushed to `external`, and so is
 * every Content-Security-Policy violation a page reports (as "CSP violation: …"), so the tests'
 * `expect(external).toEqual([])` fails on either.
 */
export async function openBrowser(external: string[]): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'rrm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
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
  // The profile goes with the browser (every run left one behind in /tmp): removed once the
  // browser has exited, which its 'close' event comes too early for.
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    rmSync(profile, { recursive: true, force: true });
  };
  // Violations as the page sees them (securitypolicyviolation) and as the console reports them.
  await context.exposeBinding('__rrmCspViolation', (_source, text: string) => {
    external.push(`CSP violation: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __rrmCspViolation(text: string): void }).__rrmCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  const watch = (page: import('playwright-core').Page) =>
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        external.push(`CSP violation: ${message.text()}`);
    });
  context.pages().forEach(watch);
  context.on('page', watch);
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
