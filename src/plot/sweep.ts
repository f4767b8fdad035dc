/** An error metric as the data get worse: the robustness experiment of the regression notebook. */
import { LossInputError, readGuarded } from '../errors';
import { checkFlag, checkLabel, checkList, checkLossId, finiteArray, optionalLabel, readFields } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { bandTrace } from './band';
import { axis, baseConfig, baseLayout } from './layout';
import { seriesColor } from './palette';
import { plotText } from './text';

/** One loss's results over the sweep: the mean over repetitions and, optionally, a spread. */
export interface SweepSeries {
  label: string;
  lossId?: string;
  /** The swept level (contamination fraction, noise scale, ...). */
  x: readonly number[];
  mean: readonly number[];
  /** Lower and upper edge of the band (e.g. 10% and 90% quantiles over repetitions); both or neither. */
  lower?: readonly number[];
  upper?: readonly number[];
}

export interface SweepOptions {
  /** Title of the horizontal axis, e.g. 'fraction of outliers'. */
  xTitle: string;
  /** Title of the vertical axis, e.g. 'slope error |ŵ − w|'. */
  yTitle: string;
  title?: string;
  /** Logarithmic vertical axis (default false). */
  logY?: boolean;
  /** Logarithmic horizontal axis (default false), e.g. for sample sizes or penalty weights; every x must then be > 0. */
  logX?: boolean;
}

/**
 * One line per loss of an error metric's mean against a swept level (contamination,
 * noise), with a shaded band from `lower` to `upper` (the spread over repetitions) in the
 * line's colour. Hover gives the mean and the band. Titles and labels are shown as typed.
 *
 * Traces, per series: the band (when given, not in the legend), then the line.
 *
 * @example
 * ```ts
 * import { sweep } from 'losslab';
 * const fig = sweep(
 *   [{ label: 'L2', lossId: 'l2', x: [0, 0.1, 0.2], mean: [0.1, 0.8, 1.6], lower: [0, 0.5, 1.2], upper: [0.2, 1.1, 2] }],
 *   { xTitle: 'fraction of outliers', yTitle: 'slope error' },
 * );
 * fig.data.map((t) => t.fill ?? 'line'); // ["toself","line"]
 * ```
 */
export function sweep(results: readonly SweepSeries[], opts: SweepOptions): Figure {
  const list = checkList<SweepSeries>('results', results);
  if (typeof opts !== 'object' || opts === null || readGuarded('opts', () => Array.isArray(opts))) {
    throw new LossInputError({
      argument: 'opts',
      value: opts,
      problem: 'is missing',
      domain: '{ xTitle, yTitle, title? }',
    });
  }
  const o = readFields('opts', opts, ['xTitle', 'yTitle', 'title', 'logX', 'logY']);
  const xTitle = checkLabel('opts.xTitle', o.xTitle);
  const yTitle = checkLabel('opts.yTitle', o.yTitle);
  const title = optionalLabel('opts.title', o.title);
  const logX = checkFlag('opts.logX', o.logX) ?? false;
  const logY = checkFlag('opts.logY', o.logY) ?? false;
  const data: Trace[] = [];
  list.forEach((s, i) => {
    const at = `results[${i}]`;
    const label = checkLabel(`${at}.label`, s?.label);
    const lossId = checkLossId(`${at}.lossId`, s.lossId);
    const x = finiteArray(`${at}.x`, s.x);
    const nonPositive = logX ? x.findIndex((v) => !(v > 0)) : -1;
    if (nonPositive >= 0) {
      throw new LossInputError({
        argument: `${at}.x`,
        index: nonPositive,
        value: x[nonPositive],
        problem: 'cannot be placed on a log axis',
        domain: 'numbers > 0 (with logX: true)',
      });
    }
    const mean = finiteArray(`${at}.mean`, s.mean, x.length, `${at}.x`);
    const band = checkBand(at, s, x.length);
    const colour = seriesColor(lossId, i);
    const group = `series ${i}`;
    if (band !== undefined)
      data.push(bandTrace(x, band.lower, band.upper, colour, group, { name: `${plotText(label)} band` }));
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: plotText(label),
      legendgroup: group,
      x,
      y: mean,
      line: { color: colour, width: 2.5 },
      marker: { color: colour, size: 6 },
      ...(band === undefined
        ? { hovertemplate: `${plotText(xTitle)} = %{x:.4g}<br>mean = %{y:.4g}<extra>%{fullData.name}</extra>` }
        : {
            customdata: band.lower.map((lo, k) => [lo, band.upper[k]]),
            hovertemplate: `${plotText(xTitle)} = %{x:.4g}<br>mean = %{y:.4g}<br>band [%{customdata[0]:.4g}, %{customdata[1]:.4g}]<extra>%{fullData.name}</extra>`,
          }),
    });
  });
  const layout: Layout = baseLayout(
    title === undefined ? `${plotText(yTitle)} against ${plotText(xTitle)}` : plotText(title),
  );
  layout.height = 450;
  layout.xaxis = axis(plotText(xTitle), logX ? { type: 'log', exponentformat: 'power' } : {});
  layout.yaxis = axis(plotText(yTitle), logY ? { type: 'log', exponentformat: 'power' } : {});
  return builtFigure(data, layout, baseConfig());
}

function checkBand(at: string, s: SweepSeries, n: number): { lower: number[]; upper: number[] } | undefined {
  if (s.lower === undefined && s.upper === undefined) return undefined;
  if (s.lower === undefined || s.upper === undefined) {
    throw new LossInputError({
      argument: `${at}.${s.lower === undefined ? 'lower' : 'upper'}`,
      problem: 'is missing',
      domain: 'both lower and upper, or neither',
    });
  }
  const lower = finiteArray(`${at}.lower`, s.lower, n, `${at}.x`);
  const upper = finiteArray(`${at}.upper`, s.upper, n, `${at}.x`);
  const bad = lower.findIndex((lo, k) => lo > upper[k]);
  if (bad >= 0) {
    throw new LossInputError({
      argument: `${at}.lower`,
      index: bad,
      value: lower[bad],
      problem: `is above upper[${bad}] = ${upper[bad]}`,
      domain: 'lower <= upper',
    });
  }
  return { lower, upper };
}
