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
    if (/^(file|data|blob):/.test(url) || allowedOrigins.some((origin) => url.startsWith(origin)))
      return route.continue();
    watch.offsite.push(url);
    return route.abort();
  });
  return watch;
}

/** Charts on the page that plotly.js has drawn (an SVG inside, the fallback gone). */
export function drawnCharts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      Array.from(document.querySelectorAll('.losslab-figure')).filter(
        (chart) =>
          chart.querySelector('.plot-container .main-svg') !== null &&
          chart.querySelector('.losslab-fallback') === null,
      ).length,
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

/**
 * Page JavaScript (text, so tsx adds no helpers the page lacks): a function of (Plotly, figure)
 * giving Plotly.validate's messages. A figure with a slider (see sliderFigure) is validated at
 * each position with that position's traces shown, and messages about traces hidden there are
 * dropped: plotly.js does not coerce a trace with `visible: false`, so its validator reports
 * every attribute of a hidden trace as "did not get coerced". Each trace is shown at some
 * position, so every attribute is still checked. Slider step arguments are objects and arrays
 * (valType 'any'), which the validator of every plotly.js version (2.35, 3.7, 4.1) reports as
 * "reset" to the identical value because it compares them by identity after copying; those
 * messages are dropped too (the browser specs turn every slider to show that they work).
 */
export const VALIDATE_EACH_POSITION = `(function (Plotly, f) {
  var sliders = f.layout && f.layout.sliders;
  var states = sliders && sliders[0] && sliders[0].steps ? sliders[0].steps.map(function (s) { return s.args[0].visible; }) : [null];
  var seen = {}, out = [];
  states.forEach(function (visible) {
    var data = visible ? f.data.map(function (t, i) { return Object.assign({}, t, { visible: visible[i] }); }) : f.data;
    (Plotly.validate(data, f.layout) || []).forEach(function (e) {
      if (visible && e.container === 'data' && visible[e.trace] === false) return;
      var reset = /^In layout, key sliders\\[\\d+\\]\\.steps\\[\\d+\\]\\.args\\[\\d+\\] \\(set to '(.*)'\\) got reset to '(.*)' during defaults\\.$/.exec(e.msg);
      if (reset && reset[1] === reset[2]) return;
      if (!seen[e.msg]) { seen[e.msg] = true; out.push(e.msg); }
    });
  });
  return out;
})`;
