/**
 * Headless Chromium for tests: the same launcher the package renders images with, plus a
 * watcher that records console errors, page errors and any request leaving the machine.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/display/chromium';

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

export interface PageWatch {
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Requests to anything but the allowed origins (file:, data:, blob: are always allowed). */
  offsite: string[];
}

/** Records problems on `page`; requests outside `allowedOrigins` are aborted and recorded. */
export async function watchPage(page: Page, allowedOrigins: string[] = []): Promise<PageWatch> {
  const watch: PageWatch = { errors: [], offsite: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url) || allowedOrigins.some((origin) => url.startsWith(origin))) return route.continue();
    watch.offsite.push(url);
    return route.abort();
  });
  return watch;
}

/** Charts on the page that plotly.js has drawn (an SVG inside, the fallback gone). */
export function drawnCharts(page: Page): Promise<number> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.losslab-figure')).filter((chart) => chart.querySelector('.plot-container .main-svg') !== null && chart.querySelector('.losslab-fallback') === null).length,
  );
}

/** Waits until `count` charts are drawn (or the timeout passes) and returns how many are. */
export async function waitForCharts(page: Page, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let drawn = await drawnCharts(page);
  while (drawn < count && Date.now() < deadline) {
    await page.waitForTimeout(250);
    drawn = await drawnCharts(page);
  }
  return drawn;
}

/** Closes a browser that may not have started. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  await browser?.close();
}
