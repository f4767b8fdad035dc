/**
 * plotly.js, offline: the minified library from the `plotly.js-dist-min` dependency, wrapped so
 * that it always lands on `window.Plotly`, whatever module loader the page runs.
 *
 * Classic Notebook and nbconvert's templates load require.js, whose global `define` makes UMD
 * bundles register an anonymous AMD module instead of a global (or fail with "Mismatched
 * anonymous define()"). Shadowing `define`, `module`, `exports` and `require` as parameters of
 * a wrapper function hides the loader from the bundle without touching `window.define`, which
 * the notebook itself still needs. Figures drawn before the library arrives wait in
 * `window.__losslabPending` (see bundle.ts); the wrapper drains that queue.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The global queue figure scripts push their draw functions to until plotly.js is there. */
export const PENDING_QUEUE = '__losslabPending';

interface PlotlyLibrary {
  version: string;
  source: string;
}

let library: PlotlyLibrary | undefined;

/** The minified plotly.js source and its version, read once per process. */
export function plotlyLibrary(): PlotlyLibrary {
  if (library) return library;
  const file = require.resolve('plotly.js-dist-min/plotly.min.js');
  const { version } = JSON.parse(readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8')) as {
    version: string;
  };
  const source = readFileSync(file, 'utf8');
  // Inline in a <script> element, "</script" would end the element early and "<script" after
  // "<!--" would switch the HTML parser into a state where the real end tag is missed.
  // Escaping inside minified code is not safe (a regex literal may not accept "\/"), so refuse.
  if (/<\/?script/i.test(source)) {
    throw new Error(`${file} contains "<script" or "</script" and cannot be inlined in an HTML page`);
  }
  library = { version, source };
  return library;
}

/** JavaScript (no <script> tags) that defines `window.Plotly` and draws the queued figures. */
export function plotlyLoaderScript(): string {
  const { version, source } = plotlyLibrary();
  return [
    `/* plotly.js ${version} from the plotly.js-dist-min package, inlined by losslab (no network) */`,
    '(function () {',
    'var m = { exports: {} };',
    '(function (define, module, exports, require) {',
    source,
    '\n})(undefined, m, m.exports, undefined);',
    'window.Plotly = m.exports;',
    `var pending = window.${PENDING_QUEUE} || [];`,
    `window.${PENDING_QUEUE} = [];`,
    'for (var i = 0; i < pending.length; i++) pending[i]();',
    '})();',
  ].join('\n');
}

/** Set while a page unpacks plotly.js, so that the other copies on the page stand by. */
export const LOADING_FLAG = '__losslabPlotlyLoading';
/** Set when a page cannot unpack plotly.js: the charts' hints say why instead of blaming trust. */
export const PROBLEM_FLAG = '__losslabPlotlyProblem';

let packed: string | undefined;

/** `plotlyLoaderScript()` gzipped (level 9) and base64-encoded, once per process: identical bytes in every run. */
function packedLoader(): string {
  packed ??= gzipSync(Buffer.from(plotlyLoaderScript(), 'utf8'), { level: 9 }).toString('base64');
  return packed;
}

/**
 * The notebook output that brings plotly.js: the loader script gzipped and base64-encoded (2.0
 * MB instead of 4.8 MB), unpacked with the browser's DecompressionStream and run as a script
 * element, so it lands on `window.Plotly` exactly as the plain script would. Every cell
 * execution that draws a chart carries one copy (see output.ts); the first copy on a page does
 * the work and the others do nothing, so a page unpacks plotly.js once however many cells carry it.
 */
export function plotlyLoaderHTML(): string {
  const { version } = plotlyLibrary();
  return [
    '<script type="text/javascript">',
    `/* plotly.js ${version} (MIT) from plotly.js-dist-min, gzip + base64, unpacked once per page by losslab */`,
    '(function () {',
    '  var w = window;',
    `  if ((w.Plotly && w.Plotly.newPlot) || w.${LOADING_FLAG}) return;`,
    '  if (typeof DecompressionStream !== "function" || typeof Response !== "function") {',
    `    w.${PROBLEM_FLAG} = "this browser cannot unpack plotly.js (it needs DecompressionStream: Chrome 80, Firefox 113, Safari 16.4 or later)";`,
    '    return;',
    '  }',
    `  w.${LOADING_FLAG} = true;`,
    `  var packed = "${packedLoader()}";`,
    '  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });',
    '  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (source) {',
    '    var script = document.createElement("script");',
    '    script.type = "text/javascript";',
    '    script.text = source;',
    '    document.head.appendChild(script);',
    '  }).catch(function (error) {',
    `    w.${PROBLEM_FLAG} = "plotly.js could not be unpacked: " + error;`,
    `    console.error("losslab: " + w.${PROBLEM_FLAG});`,
    '  }).then(function () {',
    `    w.${LOADING_FLAG} = false;`,
    '  });',
    '})();',
    '</script>',
  ].join('\n');
}

/** A page's plain copy of plotly.js (standalone pages: one copy, no unpacking). */
export function plotlyInlineHTML(): string {
  return `<script type="text/javascript">\n${plotlyLoaderScript()}\n</script>`;
}
