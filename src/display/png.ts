/**
 * Static images of charts (PNG, SVG), rendered by plotly.js itself in headless Chromium, so
 * the picture is exactly what the notebook draws. One browser page with plotly.js loaded
 * serves every render; it closes itself after a moment of idleness, letting scripts exit.
 */
import type { Browser, Page } from 'playwright-core';
import { LossInputError } from '../errors';
import { checkOptionsObject } from '../plot/checks';
import type { Figure } from '../plot/figure';
import { figureJSON } from './bundle';
import { chromiumPath, launchChromium } from './chromium';
import { plotlyLoaderScript } from './plotlyjs';

/** Options of `toPNG` and `toSVG`. */
export interface ImageOptions {
  /** Width in CSS pixels. Default: the layout's `width`, else 700. */
  width?: number;
  /** Height in CSS pixels. Default: the layout's `height`, else 450. */
  height?: number;
  /** Pixel density of the PNG (2 for sharp images on high-density screens). Default 1. */
  scale?: number;
  /** The Chromium binary. Default: $LOSSLAB_CHROMIUM, else /usr/bin/chromium. */
  executablePath?: string;
}

interface Renderer {
  browser: Browser;
  page: Page;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

const IDLE_CLOSE_MS = 1000;
const renderers = new Map<string, Promise<Renderer>>();

async function openRenderer(executablePath: string | undefined): Promise<Renderer> {
  const browser = await launchChromium(executablePath);
  try {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: plotlyLoaderScript() });
    return { browser, page, busy: 0 };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

async function withRenderer<T>(executablePath: string | undefined, work: (page: Page) => Promise<T>): Promise<T> {
  const key = executablePath ?? '';
  let pending = renderers.get(key);
  if (pending === undefined) {
    pending = openRenderer(executablePath);
    renderers.set(key, pending);
    pending.catch(() => renderers.delete(key));
  }
  const renderer = await pending;
  clearTimeout(renderer.idleTimer);
  renderer.busy++;
  try {
    return await work(renderer.page);
  } finally {
    if (--renderer.busy === 0) {
      renderer.idleTimer = setTimeout(() => {
        renderers.delete(key);
        void renderer.browser.close();
      }, IDLE_CLOSE_MS);
    }
  }
}

function dimension(name: 'width' | 'height' | 'scale', given: unknown, fromLayout: unknown, fallback: number): number {
  const value = given !== undefined ? given : typeof fromLayout === 'number' ? fromLayout : fallback;
  if (typeof value !== 'number' || !(value > 0 && Number.isFinite(value))) {
    throw new LossInputError({
      argument: given === undefined ? `fig.layout.${name}` : name,
      value,
      problem: 'is not a positive number',
      domain: 'finite numbers > 0',
    });
  }
  return value;
}

interface PlotlyImageOptions {
  format: 'png' | 'svg';
  width: number;
  height: number;
  scale: number;
}

/** Chromium's largest canvas is 32767 pixels a side and 2^28 in all: 16384 a side keeps within both. */
const MAX_PIXELS = 16384;

async function render(fig: Figure, format: 'png' | 'svg', opts: ImageOptions): Promise<string> {
  checkOptionsObject(opts);
  const figureData: unknown = JSON.parse(figureJSON(fig));
  const options: PlotlyImageOptions = {
    format,
    width: dimension('width', opts.width, fig.layout.width, 700),
    height: dimension('height', opts.height, fig.layout.height, 450),
    scale: dimension('scale', opts.scale, undefined, 1),
  };
  for (const side of ['width', 'height'] as const) {
    if (options[side] * options.scale > MAX_PIXELS) {
      throw new LossInputError({
        argument: opts[side] === undefined ? `fig.layout.${side}` : side,
        value: options[side],
        problem: `times scale ${options.scale} is over ${MAX_PIXELS} pixels`,
        domain: `${side} * scale <= ${MAX_PIXELS}`,
      });
    }
  }
  if (opts.executablePath !== undefined) chromiumPath(opts.executablePath);
  return withRenderer(opts.executablePath, (page) =>
    page.evaluate(
      ({ figure, imageOptions }) =>
        (
          globalThis as unknown as { Plotly: { toImage(fig: unknown, o: PlotlyImageOptions): Promise<string> } }
        ).Plotly.toImage(figure, imageOptions),
      { figure: figureData, imageOptions: options },
    ),
  );
}

/**
 * PNG bytes: a Node Buffer at run time. Written through `globalThis` so that the published
 * declarations need no `@types/node`: a consumer with Node's types sees `Buffer`, one without
 * sees `Uint8Array` (which a Buffer is), and neither needs `skipLibCheck`.
 */
export type PNGBytes = typeof globalThis extends { Buffer: { alloc(size: number): infer B } } ? B : Uint8Array;

/**
 * Renders the chart to PNG bytes in headless Chromium (plotly.js's own `toImage`), e.g. to
 * pass as `show(fig, { png })` so the chart shows where scripts do not run. Needs Chromium
 * (`apt-get install chromium`, or `npm run setup`) and the playwright-core package.
 *
 * @example
 * ```ts
 * import { toPNG } from 'losslab';
 * const png = await toPNG({ data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: {} }, { width: 300, height: 200 });
 * [png.readUInt32BE(16), png.readUInt32BE(20)]; // [300,200]  (width and height in the PNG header)
 * ```
 */
export async function toPNG(fig: Figure, opts: ImageOptions = {}): Promise<PNGBytes> {
  const url = await render(fig, 'png', opts);
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/**
 * Renders the chart to SVG text in headless Chromium (see `toPNG` for what it needs).
 *
 * @example
 * ```ts
 * import { toSVG } from 'losslab';
 * const svg = await toSVG({ data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: {} }, { width: 300, height: 200 });
 * svg.startsWith('<svg'); // true
 * ```
 */
export async function toSVG(fig: Figure, opts: Omit<ImageOptions, 'scale'> = {}): Promise<string> {
  const url = await render(fig, 'svg', opts);
  return decodeURIComponent(url.slice(url.indexOf(',') + 1));
}
