/**
 * Node-side helpers of the front-end render tests: pages that load the bundled harnesses,
 * notebooks as the Jupyter server hands them to JupyterLab, the kernel's IOPub messages
 * recorded through the real protocol, and counts of what each renderer drew.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { watchPage, type PageWatch } from '../helpers/browser';
import { jupyterEnv, run, SYSTEM_PYTHON, type Notebook, type NotebookOutput } from '../helpers/notebook';
import { frontendBundles } from './bundle';
import type { CellRun, SavedCell } from './lab';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/**
 * nbformat's `rejoin_lines`, which the Jupyter server applies before JupyterLab sees a
 * notebook: text stored as a list of lines becomes one string (JSON MIME types excepted).
 * Fed the lists, JupyterLab's renderers would join them with commas.
 */
export function rejoin(outputs: NotebookOutput[]): NotebookOutput[] {
  const isJSON = (mime: string): boolean =>
    mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
  return outputs.map((o) => {
    const out: NotebookOutput = { ...o };
    if (Array.isArray(o.text)) out.text = o.text.join('');
    if (o.data !== undefined) {
      out.data = Object.fromEntries(
        Object.entries(o.data).map(([mime, value]) => [
          mime,
          !isJSON(mime) && Array.isArray(value) ? value.join('') : value,
        ]),
      );
    }
    return out;
  });
}

/** A saved notebook's cells as the Lab harness opens them (Markdown source, or rejoined outputs). */
export function savedCells(nb: Notebook): SavedCell[] {
  return nb.cells.flatMap((cell): SavedCell[] => {
    if (cell.cell_type === 'markdown')
      return [{ markdown: Array.isArray(cell.source) ? cell.source.join('') : cell.source }];
    return cell.cell_type === 'code' ? [{ outputs: rejoin(cell.outputs ?? []) as unknown as nbformat.IOutput[] }] : [];
  });
}

/** Charts a notebook's outputs hold (outputs with the Plotly MIME type). */
export function chartsIn(nb: Notebook): number {
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined).length;
}

/** Runs `steps` (code cell indices, or 'restart') of `notebook`'s code cells through the project kernel; cells run in the notebook's folder. */
export async function recordIOPub(
  notebook: string,
  nb: Notebook,
  steps: Array<number | 'restart'>,
  scratch: string,
): Promise<Array<CellRun | { restart: true }>> {
  const cells = nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  const spec = path.join(scratch, `iopub-${path.basename(notebook, '.ipynb')}.json`);
  const out = `${spec}.out`;
  writeFileSync(
    spec,
    JSON.stringify({ kernel: 'tslab-losslab', cwd: path.dirname(notebook), cells, steps, timeout: 300 }),
  );
  const result = await run(SYSTEM_PYTHON, [path.join(__dirname, 'record_iopub.py'), spec, out], jupyterEnv());
  if (result.code !== 0) throw new Error(`recording IOPub failed (${result.code}):\n${result.stderr.slice(-4000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Array<CellRun | { restart: true }>;
}

export type Harness = 'lab' | 'vscode';

/** A page that has loaded a harness bundle, watched for errors and for any request off the machine. */
export async function harnessPage(
  browser: Browser,
  harness: Harness,
  viewport = { width: 1100, height: 900 },
): Promise<{ page: Page; watch: PageWatch }> {
  const bundles = await frontendBundles();
  const file = path.join(bundles.dir, `${harness}.html`);
  const css = harness === 'lab' ? `<link rel="stylesheet" href="${path.basename(bundles.lab.css)}">` : '';
  writeFileSync(
    file,
    [
      '<!DOCTYPE html><html><head><meta charset="utf-8">',
      css,
      // JupyterLab's stylesheets read their sizes and colours from a theme's variables; the light
      // theme's main ones (@jupyterlab/theme-light-extension is not installed) so headings, tables
      // and code look as they do in JupyterLab.
      '<style>:root{--jp-content-font-size0:0.83333em;--jp-content-font-size1:14px;--jp-content-font-size2:1.2em;--jp-content-font-size3:1.44em;--jp-content-font-size4:1.728em;--jp-content-font-size5:2.0736em;',
      '--jp-content-line-height:1.6;--jp-content-heading-line-height:1;--jp-content-heading-margin-top:1.2em;--jp-content-heading-margin-bottom:0.8em;--jp-content-heading-font-weight:500;',
      '--jp-content-font-color0:rgba(0,0,0,1);--jp-content-font-color1:rgba(0,0,0,0.87);--jp-content-font-color2:rgba(0,0,0,0.54);--jp-content-font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;',
      '--jp-code-font-family:Menlo,Consolas,"DejaVu Sans Mono",monospace;--jp-code-font-size:13px;--jp-ui-font-size1:13px;--jp-border-color1:#bdbdbd;--jp-border-color2:#e0e0e0;--jp-layout-color0:#fff;--jp-layout-color1:#fff;--jp-layout-color2:#eee;',
      '--jp-rendermime-table-row-background:#f5f5f5;--jp-rendermime-table-row-hover-background:#e1f5fe;--jp-rendermime-error-background:#fdd;--jp-content-link-color:#1976d2}',
      'body{margin:0;padding:16px;background:#fff}.losslab-lab-cell{margin:8px 0}.losslab-lab-markdown{margin:8px 0}</style>',
      `</head><body><div id="host"></div><script src="${harness}.js"></script></body></html>`,
    ].join('\n'),
  );
  const page = await browser.newPage({ viewport });
  const watch = await watchPage(page);
  await page.goto(pathToFileURL(file).href);
  return { page, watch };
}

export interface Drawn {
  /** Charts our HTML output drew (plotly.js on the page, fallback gone). */
  html: number;
  /** Charts the jupyterlab-plotly renderer drew. */
  extension: number;
  /** Charts VS Code's renderer drew. */
  vscode: number;
  /** Our static fallbacks on screen: text, and pictures loaded. */
  fallbackText: number;
  fallbackImages: number;
  /** PNG pictures the extension shows in place of a chart until it is hovered. */
  extensionImages: number;
}

let dataFiles = 0;

/**
 * Puts `value` on the page as `window.losslabData`, loaded as a script file from disk. A course
 * chapter is up to 20 MB of outputs (plotly.js in every chart cell); as an argument of
 * page.evaluate it crosses the DevTools protocol as JSON, which took 2.5 s per chapter on CI's
 * two cores, against a tenth of that for the page to read the same bytes from a file.
 */
export async function loadData(page: Page, value: unknown): Promise<void> {
  const bundles = await frontendBundles();
  const file = path.join(bundles.dir, `data-${++dataFiles}.js`);
  writeFileSync(file, `window.losslabData = ${JSON.stringify(value)};\n`);
  await page.addScriptTag({ url: pathToFileURL(file).href });
  rmSync(file);
}

/**
 * Counted in the page. Plain JavaScript text: tsx compiles functions passed to page.evaluate
 * with a `__name` helper for named inner functions, which the page does not have.
 */
const COUNT_DRAWN = `(() => {
  const svg = (root) => root.querySelector('.plot-container .main-svg') !== null;
  const figures = Array.from(document.querySelectorAll('.losslab-figure'));
  const fallbacks = Array.from(document.querySelectorAll('.losslab-fallback')).filter((f) => f.offsetHeight > 0);
  return {
    html: figures.filter((f) => svg(f) && f.querySelector('.losslab-fallback') === null).length,
    extension: Array.from(document.querySelectorAll('.jp-RenderedPlotly')).filter((el) => svg(el) && el.querySelector('.plot-container').style.display !== 'none').length,
    vscode: Array.from(document.querySelectorAll('.losslab-vscode-output')).filter(svg).length,
    fallbackText: fallbacks.filter((f) => f.querySelector('img') === null && (f.textContent || '').startsWith('Plotly chart')).length,
    fallbackImages: fallbacks.filter((f) => { const img = f.querySelector('img'); return img !== null && img.complete && img.naturalWidth > 0; }).length,
    extensionImages: Array.from(document.querySelectorAll('.jp-RenderedPlotly .plot-img')).filter((img) => img.style.display !== 'none' && img.complete && img.naturalWidth > 0).length,
  };
})()`;

export function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(COUNT_DRAWN) as Promise<Drawn>;
}

/** Polls `count(drawn)` until it reaches `expected` or the time is up; returns the last counts. */
export async function waitDrawn(
  page: Page,
  count: (d: Drawn) => number,
  expected: number,
  timeoutMs: number,
): Promise<Drawn> {
  const deadline = Date.now() + timeoutMs;
  let d = await drawn(page);
  while (count(d) < expected && Date.now() < deadline) {
    await page.waitForTimeout(200);
    d = await drawn(page);
  }
  return d;
}

/**
 * Turns every slider on the page to its last position, by clicking the right end of its rail
 * as a reader would, and reports per chart whether plotly.js then shows exactly the traces the
 * last step names. Works for any renderer: every chart plotly.js draws is a `.js-plotly-plot`.
 */
export async function turnSliders(page: Page): Promise<Array<{ ok: boolean; visible: unknown; expected: unknown }>> {
  const plots = page.locator('.js-plotly-plot:has(.slider-rail-touch-rect)');
  const results: Array<{ ok: boolean; visible: unknown; expected: unknown }> = [];
  for (const plot of await plots.all()) {
    await plot.scrollIntoViewIfNeeded();
    const rail = await plot.locator('.slider-rail-touch-rect').boundingBox();
    if (rail === null) throw new Error('a slider with no rail on screen');
    await page.mouse.click(rail.x + rail.width - 2, rail.y + rail.height / 2);
    // plotly.js moves the slider and restyles after the click: give it up to two seconds.
    const handle = await plot.elementHandle();
    await page
      .waitForFunction(
        (gd) => {
          const slider = (gd as unknown as { layout: { sliders: Array<{ active: number; steps: unknown[] }> } }).layout
            .sliders[0];
          return slider.active === slider.steps.length - 1;
        },
        handle,
        { timeout: 2000, polling: 50 },
      )
      .catch(() => undefined);
    const state = await plot.evaluate((gd: HTMLElement) => {
      const plotted = gd as HTMLElement & {
        data: Array<{ visible?: unknown }>;
        layout: { sliders: Array<{ active: number; steps: Array<{ args: [{ visible: unknown[] }] }> }> };
      };
      const { steps, active } = plotted.layout.sliders[0];
      return {
        visible: plotted.data.map((t) => (t.visible === undefined ? true : t.visible)),
        expected: steps[steps.length - 1].args[0].visible,
        active,
        last: steps.length - 1,
      };
    });
    results.push({
      ok: state.active === state.last && JSON.stringify(state.visible) === JSON.stringify(state.expected),
      visible: state.visible,
      expected: state.expected,
    });
  }
  return results;
}
