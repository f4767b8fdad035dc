/**
 * Plotly figure JSON, typed just enough to build and check figures without depending on
 * plotly.js's own (very large) type package. Builders in this folder are pure: data in,
 * JSON out; no DOM, no Jupyter.
 */

/** Any JSON-like value Plotly accepts as an attribute. */
export type PlotlyValue = string | number | boolean | null | PlotlyValue[] | Float64Array | { [key: string]: PlotlyValue | undefined };

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
