/**
 * The MIME bundle of one chart: what a notebook stores for `show(fig)`.
 *
 * Each front end picks the richest type it can render: JupyterLab's plotly extension and
 * VS Code read `application/vnd.plotly.v1+json`; classic Notebook and nbconvert's HTML run the
 * `text/html` script; GitHub and untrusted notebooks show the static fallback inside that HTML
 * (or `image/png`); terminals print `text/plain`.
 */
import { createHash } from 'node:crypto';
import { LossInputError, readGuarded } from '../errors';
import { readOptions } from '../plot/checks';
import type { Figure, PlotlyValue } from '../plot/figure';
import { plotPlainText } from '../plot/text';
import { LOADING_FLAG, PENDING_QUEUE, PROBLEM_FLAG } from './plotlyjs';
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
  /**
   * A static render of the chart, e.g. from `toPNG`: the PNG bytes, or their base64 text
   * (standard alphabet with padding, no line breaks or `data:` prefix). Shown until the chart
   * is drawn and where scripts do not run, and stored as `image/png`. Anything but a PNG with a
   * valid header is a LossInputError; the page gets base64 losslab encoded from the bytes.
   */
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
const FIGURE_SHAPE = '{ data: Trace[], layout: Layout, config?: Config }';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Throws unless `fig` has the shape of a Plotly figure: an array of trace objects, a layout
 * object, an optional config object. Errors name `argument` (`fig`, or where the figure sits).
 */
export function checkFigure(fig: unknown, argument = 'fig'): asserts fig is Figure {
  readGuarded(argument, () => checkFigureShape(fig, argument), FIGURE_SHAPE);
}

function checkFigureShape(fig: unknown, argument: string): void {
  if (!isRecord(fig))
    throw new LossInputError({ argument, value: fig, problem: 'is not a Plotly figure', domain: FIGURE_SHAPE });
  if (!Array.isArray(fig.data))
    throw new LossInputError({
      argument: `${argument}.data`,
      value: fig.data,
      problem: 'is not an array of traces',
      domain: FIGURE_SHAPE,
    });
  const bad = fig.data.findIndex(
    (trace: unknown) => !isRecord(trace) || (trace.type !== undefined && typeof trace.type !== 'string'),
  );
  if (bad >= 0) {
    throw new LossInputError({
      argument: `${argument}.data`,
      index: bad,
      value: fig.data[bad],
      problem: 'is not a trace',
      domain: 'objects with an optional string `type`',
    });
  }
  if (!isRecord(fig.layout))
    throw new LossInputError({
      argument: `${argument}.layout`,
      value: fig.layout,
      problem: 'is not a layout object',
      domain: FIGURE_SHAPE,
    });
  if (fig.config !== undefined && !isRecord(fig.config)) {
    throw new LossInputError({
      argument: `${argument}.config`,
      value: fig.config,
      problem: 'is not a config object',
      domain: FIGURE_SHAPE,
    });
  }
}

/**
 * The figure as JSON text. Typed arrays become plain arrays: `JSON.stringify` would otherwise
 * write them as objects keyed by index, which Plotly ignores (JavaScript callers can pass the
 * `Float64Array`s this package returns even though the `Figure` type asks for arrays). JSON
 * has no BigInt (caught in the replacer, to name its key) and no cycles (`JSON.stringify`
 * throws a TypeError): both are a bad figure, named `argument`.
 */
export function figureJSON(fig: Figure, argument = 'fig'): string {
  checkFigure(fig, argument);
  const { data, layout, config } = fig;
  try {
    return JSON.stringify(config === undefined ? { data, layout } : { data, layout, config }, (key, value: unknown) => {
      if (typeof value === 'bigint') {
        throw new LossInputError({
          argument,
          value,
          problem: `holds a BigInt (at key ${JSON.stringify(key)}), which JSON cannot carry`,
          domain: 'numbers, strings, booleans, null, arrays and objects',
        });
      }
      return ArrayBuffer.isView(value) && !(value instanceof DataView)
        ? Array.from(value as unknown as ArrayLike<number>)
        : value;
    });
  } catch (error) {
    if (error instanceof LossInputError) throw error;
    // A cycle is JSON.stringify's own TypeError; anything else came from the caller's getters or Proxy traps.
    const why = error instanceof TypeError ? ` (${error.message.split('\n')[0]})` : '';
    throw new LossInputError({
      argument,
      problem: `cannot be written as JSON${why}`,
      domain: 'a figure without cycles, BigInts or getters that throw',
      cause: error,
    });
  }
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

/** A title or name as the plain text Plotly shows for it, on one line; undefined when it has none. */
function textOf(value: PlotlyValue | undefined): string | undefined {
  const raw =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.text === 'string'
        ? value.text
        : undefined;
  if (raw === undefined) return undefined;
  const text = plotPlainText(raw).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** The layout's title as plain text (Plotly markup decoded, line breaks as spaces), if it has one. */
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
  // Described from a JSON copy: the caller's figure is read once, inside figureJSON's guard.
  return summarise(JSON.parse(figureJSON(fig)) as Figure);
}

function summarise(fig: Figure): string {
  const title = figureTitle(fig);
  const labels = fig.data.map((trace) => textOf(trace.name) ?? trace.type ?? 'scatter');
  const shown =
    labels.slice(0, MAX_NAMED_TRACES).join(', ') +
    (labels.length > MAX_NAMED_TRACES ? `, +${labels.length - MAX_NAMED_TRACES} more` : '');
  const axes = (['xaxis', 'yaxis'] as const).flatMap((axis) => {
    const spec = fig.layout[axis];
    const label = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? textOf(spec.title) : undefined;
    return label === undefined ? [] : [`${axis[0]}: ${label}`];
  });
  const count = `${labels.length} trace${labels.length === 1 ? '' : 's'}`;
  return `Plotly chart${title === undefined ? '' : ` ${JSON.stringify(title)}`}: ${count}${labels.length > 0 ? ` (${shown})` : ''}${axes.map((a) => `; ${a}`).join('')}${sliderSummary(fig.layout.sliders)}`;
}

/** `; slider δ: 5 positions` for each slider (see sliderFigure), named by its current-value prefix. */
function sliderSummary(sliders: PlotlyValue | undefined): string {
  if (!Array.isArray(sliders)) return '';
  return sliders
    .map((slider) => {
      if (typeof slider !== 'object' || slider === null || Array.isArray(slider) || !Array.isArray(slider.steps))
        return '';
      const current = slider.currentvalue;
      const prefix =
        typeof current === 'object' && current !== null && !Array.isArray(current)
          ? textOf(current.prefix)?.replace(/\s*[=:]\s*$/, '')
          : undefined;
      const n = slider.steps.length;
      return `; slider${prefix ? ` ${prefix}` : ''}: ${n} position${n === 1 ? '' : 's'}`;
    })
    .join('');
}

const PNG_DOMAIN = 'PNG bytes (a Uint8Array) or their base64 text, e.g. from toPNG(fig)';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Allowed bit depths per colour type (PNG specification, 2nd edition, table 11.1). */
const PNG_BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/**
 * The PNG as base64 that this function encoded itself from checked bytes, so nothing the
 * caller wrote reaches the page. Node's base64 decoder stops quietly at the first character
 * outside the alphabet, so base64 text is matched whole against the strict grammar first.
 */
function pngBase64(png: unknown): string {
  let bytes: Buffer;
  if (typeof png === 'string') {
    if (
      png.length === 0 ||
      png.length % 4 !== 0 ||
      !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(png)
    ) {
      throw new LossInputError({
        argument: 'png',
        value: png.length > 40 ? `${png.slice(0, 40)}…` : png,
        problem: 'is not base64 text',
        domain: PNG_DOMAIN,
      });
    }
    bytes = Buffer.from(png, 'base64');
  } else if (png instanceof Uint8Array) {
    bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  } else {
    throw new LossInputError({
      argument: 'png',
      value: png,
      problem: 'is neither bytes nor base64 text',
      domain: PNG_DOMAIN,
    });
  }
  const problem = pngHeaderProblem(bytes);
  if (problem !== undefined)
    throw new LossInputError({ argument: 'png', problem: `is not a PNG image (${problem})`, domain: PNG_DOMAIN });
  return bytes.toString('base64');
}

/**
 * What is wrong with the start of a PNG file, or undefined: the signature, then an IHDR chunk
 * of 13 bytes whose fields are in range and whose CRC matches (sections 5.2, 5.3, 11.2.2).
 */
function pngHeaderProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return 'no PNG signature and header';
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR')
    return 'the first chunk is not a 13-byte IHDR';
  if (crc32(bytes, 12, 29) !== bytes.readUInt32BE(29)) return 'the IHDR checksum does not match';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [depth, colour, compression, filter, interlace] = bytes.subarray(24, 29);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return `size ${width} x ${height}`;
  if (!Object.hasOwn(PNG_BIT_DEPTHS, colour) || !PNG_BIT_DEPTHS[colour].includes(depth))
    return `colour type ${colour} at bit depth ${depth}`;
  if (compression !== 0 || filter !== 0 || interlace > 1) return 'unknown compression, filter or interlace method';
  return undefined;
}

/** CRC-32 (ISO 3309, as PNG uses it) of bytes[start, end), bit by bit: only 17 header bytes are ever checked. */
function crc32(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chartHeight(layoutHeight: unknown, height: unknown): number {
  const chosen = height !== undefined ? height : typeof layoutHeight === 'number' ? layoutHeight : DEFAULT_HEIGHT;
  if (typeof chosen !== 'number' || !(chosen > 0 && Number.isFinite(chosen))) {
    throw new LossInputError({
      argument: height === undefined ? 'fig.layout.height' : 'height',
      value: chosen,
      problem: 'is not a positive number of pixels',
      domain: 'finite numbers > 0',
    });
  }
  return chosen;
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z][\w-]*$/.test(id)) {
    throw new LossInputError({
      argument: 'id',
      value: id,
      problem: 'is not a usable element id',
      domain: 'a letter followed by letters, digits, _ or -',
    });
  }
  return id;
}

/**
 * The chart's HTML: a fixed-height box holding the static fallback, and a script that draws
 * over it with `window.Plotly` (now, or when plotly.js arrives) and then removes the fallback.
 * The height is fixed so the page does not jump when the chart replaces the fallback.
 * A `themed` chart (one inside a card) takes the page's colours: a transparent background,
 * the text colour of the element around it, grey grid lines; it is read when drawn, so the
 * chart matches a light or a dark notebook theme alike.
 */
export function figureHTML(
  json: string,
  id: string,
  height: number,
  summary: string,
  png?: string,
  themed = false,
): string {
  const fallback =
    png === undefined
      ? `<div style="padding:1em;font:14px sans-serif;opacity:0.75">${escapeHTML(summary)}<br><small class="losslab-hint">(the interactive chart is drawn where the notebook is trusted and scripts run)</small></div>`
      : `<img src="data:image/png;base64,${png}" alt="${escapeHTML(summary)}" style="max-width:100%;max-height:100%">`;
  // Notebook front ends run MathJax over HTML outputs; these classes (MathJax 2's and 3's) keep
  // it from reading a `$` in the summary or in Plotly's drawn text as the start of a formula.
  return [
    `<div id="${id}" class="losslab-figure tex2jax_ignore mathjax_ignore" style="position:relative;width:100%;height:${height}px">`,
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
    `    var layout = ${themed ? 'themed(figure.layout, window.getComputedStyle(root).color)' : 'figure.layout'};`,
    '    window.Plotly.newPlot(root.querySelector(".losslab-plot"), figure.data, layout, config).then(function () {',
    '      if (fallback && fallback.parentNode) fallback.parentNode.removeChild(fallback);',
    '    }, function (error) {',
    `      console.error("losslab: could not draw chart ${id}", error);`,
    '    });',
    '  }',
    ...(themed ? THEMED_LAYOUT : []),
    '  if (window.Plotly && window.Plotly.newPlot) { draw(); return; }',
    `  (window.${PENDING_QUEUE} = window.${PENDING_QUEUE} || []).push(draw);`,
    // This script runs, so the notebook is trusted: if plotly.js never comes, the hint must not
    // blame trust. It waits while a copy is being unpacked, at most a minute.
    '  var checks = 0;',
    '  function check() {',
    '    if (window.Plotly && window.Plotly.newPlot) return;',
    `    if (window.${LOADING_FLAG} && ++checks < 60) { setTimeout(check, 1000); return; }`,
    `    var hint = document.querySelector(${JSON.stringify(`#${id} .losslab-hint`)});`,
    `    if (hint) hint.textContent = "(" + (window.${PROBLEM_FLAG} || "scripts run here, but no output on this page brought plotly.js: run this cell again") + ")";`,
    '  }',
    '  setTimeout(check, 3000);',
    '})();',
    '</script>',
  ].join('\n');
}

/** Page script: a copy of a layout in the page's colours (see `figureHTML`). */
const THEMED_LAYOUT = [
  '  function themed(layout, color) {',
  '    var grey = "rgba(128, 128, 128, 0.3)";',
  '    var copy = Object.assign({}, layout, { paper_bgcolor: "rgba(0, 0, 0, 0)", plot_bgcolor: "rgba(0, 0, 0, 0)", font: Object.assign({}, layout.font, { color: color }) });',
  '    Object.keys(copy).forEach(function (key) {',
  '      if (/^[xy]axis[0-9]*$/.test(key)) copy[key] = Object.assign({}, copy[key], { gridcolor: grey, zerolinecolor: "rgba(128, 128, 128, 0.6)", linecolor: grey });',
  '    });',
  '    return copy;',
  '  }',
];

/** The bundle and its notebook metadata; `show` sends exactly this. */
export function displayData(fig: Figure, opts: ShowOptions = {}): DisplayData {
  const o = readOptions(opts, ['id', 'height', 'png']);
  const json = figureJSON(fig);
  const id = o.id === undefined ? nextFigureId(json) : checkId(o.id);
  // The height from the caller's layout: JSON writes a NaN or infinite one as null, which would pass as no height.
  const height = chartHeight(
    readGuarded('fig.layout', () => fig.layout.height),
    o.height,
  );
  // The rest reads figureJSON's copy, not the caller's figure a second time.
  const copy = JSON.parse(json) as Figure & MimeBundle[typeof PLOTLY_MIME];
  const summary = summarise(copy);
  const png = o.png === undefined ? undefined : pngBase64(o.png);
  const data: MimeBundle = {
    [PLOTLY_MIME]: copy,
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
