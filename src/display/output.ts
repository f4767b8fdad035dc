/**
 * Sending outputs to the notebook, and the renderers through which the package's values
 * show themselves (see losses/display-hook.ts): as a tslab cell's last value, the value is
 * sent exactly as `show` or `showCard` would send it; printed any other way (`console.log`,
 * nested in another value, plain Node), it prints one line; asked by Deno's kernel or
 * IJavascript, it returns its bundle.
 */
import type { InspectOptionsStylized, inspect as utilInspect } from 'node:util';
import type { ValueRenderer } from '../losses/display-hook';
import type { Figure } from '../plot/figure';
import { describeFigure, displayData } from './bundle';
import { dropNextNewline, printedAsCellValue } from './lastValue';
import { plotlyLibrary, plotlyLoaderHTML } from './plotlyjs';
import { displayState, warnOnce } from './state';
import { kernelOutput, type KernelOutput } from './tslab';

type Content = Record<string, unknown>;

/** The output that brings plotly.js (see plotlyLoaderHTML). */
function libraryData(): { 'text/html': string; 'text/plain': string } {
  return {
    'text/html': plotlyLoaderHTML(),
    'text/plain': `plotly.js ${plotlyLibrary().version} (offline, from plotly.js-dist-min)`,
  };
}

/**
 * Sends plotly.js now unless this cell execution has it already (or `force`). Once per kernel
 * is not enough: re-running the cell that held the only copy replaces its outputs, and the
 * saved notebook then has charts and no library. Where the execution cannot be told apart
 * (tslab's public API only), every chart brings its own copy.
 */
export function sendPlotly(output: KernelOutput, force: boolean): void {
  const state = displayState();
  if (!force && output.execution !== undefined && state.plotlySentTo === output.execution) return;
  output.send(libraryData(), {});
  state.plotlySentTo = output.execution;
}

/** Sends one output; when its HTML draws a chart, plotly.js goes first, once per cell execution. */
export function sendOutput(output: KernelOutput, data: Content, metadata: Content, chart: boolean): void {
  if (chart) sendPlotly(output, false);
  output.send({ ...data }, metadata);
}

/**
 * A bundle for kernels that ask the value itself (Deno, IJavascript). They give no output
 * channel of their own and no way to tell one cell execution from the next, so every bundle
 * with a chart carries plotly.js ahead of its HTML (unpacked once per page).
 */
export function selfContained<T extends { 'text/html': string }>(data: T, chart: boolean): T {
  return chart ? { ...data, 'text/html': `${plotlyLoaderHTML()}\n${data['text/html']}` } : data;
}

/** What a kind of value shows: its one line, and its output. */
export interface Presenter<T> {
  summary(value: T): string;
  output(value: T): { data: Content & { 'text/html': string }; metadata: Content; chart: boolean };
}

/**
 * The renderer of a kind of value. A failure while rendering never breaks the printing: the
 * value then prints as it would have without its hook, and a warning says why (once per kernel).
 */
export function rendererOf<T extends object>(presenter: Presenter<T>): ValueRenderer {
  return {
    inspect(value: object, depth: number, options: InspectOptionsStylized, inspect: typeof utilInspect): string {
      try {
        const output = printedAsCellValue(depth, options) ? kernelOutput() : undefined;
        if (output === undefined) return presenter.summary(value as T);
        const { data, metadata, chart } = presenter.output(value as T);
        sendOutput(output, data, metadata, chart);
        // The value is on the page: the empty line console.log would add after '' is dropped.
        dropNextNewline();
        return '';
      } catch (error) {
        warnOnce(
          'display-value',
          `losslab: could not display a value (${error instanceof Error ? error.message : String(error)}); printing it as before.`,
        );
        return inspect(value, { ...options, depth, customInspect: false });
      }
    },
    bundle(value: object): Content {
      const { data, chart } = presenter.output(value as T);
      return selfContained(data, chart);
    },
  };
}

/** Figures: the bundle `show` sends. */
export const figureRenderer = rendererOf<Figure>({
  summary: describeFigure,
  output(fig) {
    const { data, metadata } = displayData(fig);
    return { data: { ...data }, metadata, chart: true };
  },
});
