/**
 * Plotly figure JSON, typed just enough to build and check figures without depending on
 * plotly.js's own (very large) type package. Builders in this folder are pure: data in,
 * JSON out; no DOM, no Jupyter.
 */
import { displayAs } from '../losses/display-hook';

/**
 * Any JSON value Plotly accepts as an attribute. Plain arrays only: `JSON.stringify` turns a
 * typed array into an object keyed by index, which Plotly would reject, so builders copy
 * numbers into `number[]` (with `null` for a gap in a line).
 */
export type PlotlyValue = string | number | boolean | null | PlotlyValue[] | { [key: string]: PlotlyValue | undefined };

/** A trace: `type` plus Plotly attributes. */
export interface Trace {
  type: string;
  [attribute: string]: PlotlyValue | undefined;
}

/** A layout: Plotly attributes. */
export interface Layout {
  [attribute: string]: PlotlyValue | undefined;
}

export interface Config {
  [attribute: string]: PlotlyValue | undefined;
}

/** A Plotly figure: what `Plotly.newPlot(el, data, layout, config)` takes. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: Config;
}

/**
 * A builder's figure: the Plotly JSON as it always was, plus non-enumerable hooks through which
 * a notebook draws it when it is a cell's last value (see losses/display-hook.ts). A figure
 * written by hand has none; wrapping it with `figure(...)` gives it the same behaviour.
 */
export function builtFigure(data: Trace[], layout: Layout, config: Config): Figure {
  return displayAs('figure', { data, layout, config });
}
