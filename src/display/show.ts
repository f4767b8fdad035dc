/**
 * Showing charts in notebooks: `show` for tslab (the kernel these notebooks use), and
 * `figure` for figures written by hand, which then display themselves like the builders'.
 */
import { inspect as utilInspect, type InspectOptionsStylized } from 'node:util';
import { checkFlag, readOptions } from '../plot/checks';
import type { Config, Figure, Layout, Trace } from '../plot/figure';
import { checkFigure, describeFigure, displayData, type MimeBundle, type ShowOptions } from './bundle';
import { figureRenderer, selfContained, sendOutput, sendPlotly } from './output';
import { warnOnce } from './state';
import { kernelOutput } from './tslab';

/**
 * Sends plotly.js (the minified library, from the `plotly.js-dist-min` dependency, never a
 * CDN) into this cell's outputs, so that charts draw with no network. `show` and the values
 * that display themselves do this before the first chart of every cell execution, so a chart
 * cell still draws after it is re-run and the notebook saved and reopened; `init` is never
 * needed for that. Once per cell execution; `{ force: true }` sends another copy anyway.
 * Outside a Jupyter kernel it does nothing.
 *
 * @example
 * ```ts
 * import { init } from 'losslab';
 * init();
 * ```
 */
export function init(opts: { force?: boolean } = {}): void {
  const force = checkFlag('force', readOptions(opts, ['force']).force) ?? false;
  const output = kernelOutput();
  if (output) sendPlotly(output, force);
}

/**
 * Shows a chart in a tslab notebook cell as ONE display_data output holding the Plotly JSON,
 * HTML that draws it offline (with a static fallback inside), a one-line text summary, and a
 * PNG when `opts.png` is given (see `mimeBundle`). The first chart of each cell execution is
 * preceded by plotly.js (see `init`). Outside a notebook it prints the summary and, once, how
 * to get a page.
 *
 * @example
 * ```ts
 * import { show } from 'losslab';
 * show({ data: [{ type: 'scatter', x: [-2, 0, 1, 2], y: [3, 1, 0, 0], name: 'hinge' }], layout: { title: { text: 'Hinge loss' } } });
 * ```
 */
export function show(fig: Figure, opts?: ShowOptions): void {
  const { data, metadata } = displayData(fig, opts);
  const output = kernelOutput();
  if (output === undefined) {
    warnOnce(
      'no-kernel',
      'losslab: show() is not running in a tslab notebook; printing a summary. Use saveHTML(fig, path) for an interactive page.',
    );
    console.log(data['text/plain']);
    return;
  }
  sendOutput(output, { ...data }, metadata, true);
}

const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display');

/**
 * A figure that displays itself as a notebook cell's last value, as the builders' figures do:
 * drawn in tslab (exactly as `show` draws it), in Deno's Jupyter kernel and in IJavascript;
 * printed as its one-line summary by `console.log` and in plain Node.
 */
export class DisplayFigure implements Figure {
  data: Trace[];
  layout: Layout;
  config?: Config;

  constructor(fig: Figure) {
    checkFigure(fig);
    this.data = fig.data;
    this.layout = fig.layout;
    if (fig.config !== undefined) this.config = fig.config;
  }

  /** Deno's Jupyter kernel: the MIME bundle. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return selfContained(displayData(this).data, true);
  }

  /** IJavascript: the MIME bundle. */
  _toMime(): MimeBundle {
    return selfContained(displayData(this).data, true);
  }

  /** The plain figure, without these methods. */
  toJSON(): Figure {
    return this.config === undefined
      ? { data: this.data, layout: this.layout }
      : { data: this.data, layout: this.layout, config: this.config };
  }

  /** The one-line summary (also what `String(fig)` gives). */
  toString(): string {
    return describeFigure(this);
  }
}

// tslab and Node: drawn as a tslab cell's last value, else the one-line summary. Set on the
// prototype rather than declared in the class, so the published declarations need no Node types.
Object.defineProperty(DisplayFigure.prototype, utilInspect.custom, {
  value(this: DisplayFigure, depth: number, options: InspectOptionsStylized, inspect: typeof utilInspect): string {
    return figureRenderer.inspect(this, depth, options, inspect);
  },
});

/**
 * Wraps a figure written by hand so that it displays itself as a cell's last value, as the
 * builders' figures (`lossCurves`, `fitLines`, ...) do: in tslab it is drawn exactly as `show`
 * draws it, Deno's Jupyter kernel (`Symbol.for('Jupyter.display')`) and IJavascript
 * (`_toMime()`) get the same bundle, and `console.log` prints the one-line summary. A plain
 * `{ data, layout }` object stays a plain object: tslab prints it as it prints any object.
 *
 * @example
 * ```ts
 * import { figure } from 'losslab';
 * const fig = figure({ data: [{ type: 'bar', x: ['l1', 'l2'], y: [1, 2] }], layout: {} });
 * String(fig); // "Plotly chart: 1 trace (bar)"
 * ```
 */
export function figure(fig: Figure): DisplayFigure {
  return new DisplayFigure(fig);
}
