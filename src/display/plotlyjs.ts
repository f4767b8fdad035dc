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
  const { version } = JSON.parse(readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8')) as { version: string };
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

/** The HTML output that loads plotly.js into a notebook page. */
export function plotlyLoaderHTML(): string {
  return `<script type="text/javascript">\n${plotlyLoaderScript()}\n</script>`;
}
