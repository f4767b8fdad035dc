/** Pieces every builder's layout shares, so the charts look like one family. */
import type { Config, Layout, PlotlyValue } from './figure';

/** The layout every chart starts from; `title` is already escaped or our own text. */
export function baseLayout(title: string): Layout {
  return {
    title: { text: title, x: 0.02, xanchor: 'left' },
    font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 },
    hovermode: 'closest',
    margin: { l: 64, r: 24, t: 56, b: 56 },
  };
}

/** An axis with a title and the light grid every chart uses. */
export function axis(title: string, extra: Record<string, PlotlyValue> = {}): Record<string, PlotlyValue> {
  return { title: { text: title }, gridcolor: '#e5e5e5', zerolinecolor: '#b0b0b0', ...extra };
}

/** Interactive but without the Plotly logo; resizes with its container. */
export function baseConfig(): Config {
  return { displaylogo: false, responsive: true };
}

/**
 * Plotly drops a trace with no points (it "defaults to not visible", which its validator
 * reports); a single null point keeps the legend entry and draws nothing.
 */
export function pointsOrGap(values: number[]): Array<number | null> {
  return values.length > 0 ? values : [null];
}

/** [lo, hi] widened by `fraction` of its span on each side (by 1 when it has no span). */
export function padRange(lo: number, hi: number, fraction = 0.05): [number, number] {
  const span = hi - lo;
  if (!(span > 0)) return [lo - 1, hi + 1];
  return [lo - fraction * span, hi + fraction * span];
}

/** [min, max] of finite numbers, in one pass (no spread: arrays may be long). */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
