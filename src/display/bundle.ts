/**
 * The MIME bundle of one chart: what a notebook stores for `show(fig)`.
 *
 * Each front end picks the richest type it can render: JupyterLab's plotly extension and
 * VS Code read `application/vnd.plotly.v1+json`; classic Notebook and nbconvert's HTML run the
 * `text/html` script; GitHub and untrusted notebooks show the static fallback inside that HTML
 * (or `image/png`); terminals print `text/plain`.
 */
import { createHash } from 'node:crypto';
import { LossInputError } from '../errors';
import type { Figure, PlotlyValue } from '../plot/figure';
import { PENDING_QUEUE } from './plotlyjs';
import { displayState } from './state';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** A notebook MIME bundle: MIME type → content. */
export interface MimeBundle {
  [PLOTLY_MIME]: { data: unknown[]; layout: Record<string, unknown>; config?: Record<string, unknown> };
  'text/html': string;
  'text/plain': string;
  'image/png'?: string;
}

/** Options of `show`, `mimeBundle` and `toHTML`. */
export interface ShowOptions {
  /** A static render of the chart (base64 text or the PNG bytes, e.g. from `toPNG`): shown until the chart is drawn, where scripts do not run, and stored as `image/png`. */
  png?: string | Uint8Array;
  /** Height of the chart area in CSS pixels. Default: the layout's `height`, else 450. */
  height?: number;
  /** Element id of the chart. Default: a hash of the figure and a per-kernel counter, so re-running a notebook gives identical outputs. */
  id?: string;
}

/** A bundle and the metadata stored beside it in the notebook. */
export interface DisplayData {
  data: MimeBundle;
  metadata: { losslab: { id: string; height: number } };
}

const DEFAULT_HEIGHT = 450;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The figure as JSON text. Typed arrays become plain arrays: `JSON.stringify` would otherwise
 * write them as objects keyed by index, which Plotly ignores (JavaScript callers can pass the
 * `Float64Array`s this package returns even though the `Figure` type asks for arrays).
 */
export function figureJSON(fig: Figure): string {
  if (typeof fig !== 'object' || fig === null || !Array.isArray(fig.data) || typeof fig.layout !== 'object' || fig.layout === null) {
    throw new LossInputError({ argument: 'fig', value: fig, problem: 'is not a Plotly figure', domain: '{ data: Trace[], layout: Layout, config?: Config }' });
  }
  const { data, layout, config } = fig;
  return JSON.stringify(config === undefined ? { data, layout } : { data, layout, config }, (_key, value: unknown) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value,
  );
}

/**
 * JSON made safe to paste into a <script> element: `<`, `>` and `&` become \u escapes, so
 * neither `</script>` nor `<!--` in a title can end the script or start markup, and U+2028 /
 * U+2029 cannot break older JavaScript parsers. These characters only occur inside JSON
 * strings, where the escapes mean the same characters.
 */
export function escapeJSONForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text made safe as HTML element content or a quoted attribute value. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `losslab-<12 hex digits of SHA-256 of the figure JSON>`, plus `-<n>` when a counter is given. */
export function figureId(json: string, counter?: number): string {
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 12);
  return counter === undefined ? `losslab-${hash}` : `losslab-${hash}-${counter}`;
}

/** The next id for a chart in this kernel: unique on the page, identical when the notebook is re-run from the top. */
export function nextFigureId(json: string): string {
  return figureId(json, ++displayState().figureCount);
}

function textOf(value: PlotlyValue | undefined): string | undefined {
  const raw = typeof value === 'string' ? value : typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.text === 'string' ? value.text : undefined;
  if (raw === undefined) return undefined;
  const text = raw.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** The layout's title as plain text (line breaks as spaces), if it has one. */
export function figureTitle(fig: Figure): string | undefined {
  return textOf(fig.layout.title);
}

const MAX_NAMED_TRACES = 6;

/**
 * One line saying what the chart shows: title, traces (by name, else type) and axis titles.
 *
 * @example
 * ```ts
 * import { describeFigure } from 'losslab';
 * const fig = { data: [{ type: 'scatter', name: 'hinge' }, { type: 'bar' }], layout: { title: { text: 'Losses' }, xaxis: { title: 'margin' } } };
 * describeFigure(fig); // "Plotly chart \"Losses\": 2 traces (hinge, bar); x: margin"
 * ```
 */
export function describeFigure(fig: Figure): string {
  const title = figureTitle(fig);
  const labels = fig.data.map((trace) => textOf(trace.name) ?? trace.type ?? 'scatter');
  const shown = labels.slice(0, MAX_NAMED_TRACES).join(', ') + (labels.length > MAX_NAMED_TRACES ? `, +${labels.length - MAX_NAMED_TRACES} more` : '');
  const axes = (['xaxis', 'yaxis'] as const).flatMap((axis) => {
    const spec = fig.layout[axis];
    const label = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? textOf(spec.title) : undefined;
    return label === undefined ? [] : [`${axis[0]}: ${label}`];
  });
  const count = `${labels.length} trace${labels.length === 1 ? '' : 's'}`;
  return `Plotly chart${title === undefined ? '' : ` ${JSON.stringify(title)}`}: ${count}${labels.length > 0 ? ` (${shown})` : ''}${axes.map((a) => `; ${a}`).join('')}`;
}

/** The PNG as base64, after checking that it is one. */
function pngBase64(png: string | Uint8Array): string {
  const bytes = typeof png === 'string' ? Buffer.from(png, 'base64') : Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new LossInputError({ argument: 'png', problem: 'is not a PNG image (wrong signature)', domain: 'PNG bytes or their base64 text, e.g. from toPNG(fig)' });
  }
  return typeof png === 'string' ? png.replace(/\s+/g, '') : bytes.toString('base64');
}

function chartHeight(fig: Figure, height: number | undefined): number {
  const chosen = height ?? (typeof fig.layout.height === 'number' ? fig.layout.height : DEFAULT_HEIGHT);
  if (!(chosen > 0 && Number.isFinite(chosen))) {
    throw new LossInputError({ argument: height === undefined ? 'fig.layout.height' : 'height', value: chosen, problem: 'is not a positive number of pixels', domain: 'finite numbers > 0' });
  }
  return chosen;
}

function checkId(id: string): string {
  if (!/^[A-Za-z][\w-]*$/.test(id)) {
    throw new LossInputError({ argument: 'id', value: id, problem: 'is not a usable element id', domain: 'a letter followed by letters, digits, _ or -' });
  }
  return id;
}

/**
 * The chart's HTML: a fixed-height box holding the static fallback, and a script that draws
 * over it with `window.Plotly` (now, or when plotly.js arrives) and then removes the fallback.
 * The height is fixed so the page does not jump when the chart replaces the fallback.
 */
export function figureHTML(json: string, id: string, height: number, summary: string, png?: string): string {
  const fallback = png === undefined
    ? `<div style="padding:1em;font:14px sans-serif;color:#444">${escapeHTML(summary)}<br><small>(the interactive chart is drawn where the notebook is trusted and scripts run)</small></div>`
    : `<img src="data:image/png;base64,${png}" alt="${escapeHTML(summary)}" style="max-width:100%;max-height:100%">`;
  return [
    `<div id="${id}" class="losslab-figure" style="position:relative;width:100%;height:${height}px">`,
    `<div class="losslab-fallback">${fallback}</div>`,
    '<div class="losslab-plot" style="position:absolute;top:0;left:0;right:0;bottom:0"></div>',
    '</div>',
    '<script type="text/javascript">',
    '(function () {',
    `  var figure = ${escapeJSONForScript(json)};`,
    '  function draw() {',
    `    var root = document.getElementById(${JSON.stringify(id)});`,
    '    if (!root) return;',
    '    var fallback = root.querySelector(".losslab-fallback");',
    '    var config = Object.assign({ responsive: true }, figure.config);',
    '    window.Plotly.newPlot(root.querySelector(".losslab-plot"), figure.data, figure.layout, config).then(function () {',
    '      if (fallback && fallback.parentNode) fallback.parentNode.removeChild(fallback);',
    '    }, function (error) {',
    `      console.error("losslab: could not draw chart ${id}", error);`,
    '    });',
    '  }',
    '  if (window.Plotly && window.Plotly.newPlot) draw();',
    `  else (window.${PENDING_QUEUE} = window.${PENDING_QUEUE} || []).push(draw);`,
    '})();',
    '</script>',
  ].join('\n');
}

/** The bundle and its notebook metadata; `show` sends exactly this. */
export function displayData(fig: Figure, opts: ShowOptions = {}): DisplayData {
  const json = figureJSON(fig);
  const id = opts.id === undefined ? nextFigureId(json) : checkId(opts.id);
  const height = chartHeight(fig, opts.height);
  const summary = describeFigure(fig);
  const png = opts.png === undefined ? undefined : pngBase64(opts.png);
  const data: MimeBundle = {
    [PLOTLY_MIME]: JSON.parse(json) as MimeBundle[typeof PLOTLY_MIME],
    'text/html': figureHTML(json, id, height, summary, png),
    'text/plain': summary,
  };
  if (png !== undefined) data['image/png'] = png;
  return { data, metadata: { losslab: { id, height } } };
}

/**
 * The multi-MIME bundle a notebook stores for a chart: the Plotly JSON, HTML that draws it
 * (with a static fallback inside), a one-line text summary, and `image/png` when `opts.png`
 * is given. The HTML expects plotly.js on the page (see `init`).
 *
 * @example
 * ```ts
 * import { mimeBundle } from 'losslab';
 * const bundle = mimeBundle({ data: [{ type: 'scatter', x: [0, 1], y: [1, 0], name: 'hinge' }], layout: {} }, { id: 'chart' });
 * Object.keys(bundle); // ["application/vnd.plotly.v1+json","text/html","text/plain"]
 * bundle['text/plain']; // "Plotly chart: 1 trace (hinge)"
 * ```
 */
export function mimeBundle(fig: Figure, opts: ShowOptions = {}): MimeBundle {
  return displayData(fig, opts).data;
}
