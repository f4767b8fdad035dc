/** A shaded band between two curves, shared by the charts that show a spread. */
import type { Trace } from './figure';
import { withAlpha } from './palette';

/**
 * One closed polygon (along `upper`, back along `lower`) filled with the series colour.
 * A single self-contained trace, so it does not depend on the order of other traces
 * (as `fill: 'tonexty'` would); it is grouped with its line and not listed in the legend.
 */
export function bandTrace(
  x: number[],
  lower: number[],
  upper: number[],
  colour: string,
  group: string,
  extra: Record<string, string> = {},
): Trace {
  return {
    type: 'scatter',
    mode: 'lines',
    x: [...x, ...[...x].reverse()],
    y: [...upper, ...[...lower].reverse()],
    fill: 'toself',
    fillcolor: withAlpha(colour, 0.18),
    line: { width: 0, color: colour },
    hoverinfo: 'skip',
    showlegend: false,
    legendgroup: group,
    ...extra,
  };
}
