/** Data and the lines different losses fit through it: where outliers pull, and which give way. */
import { LossInputError, readGuarded } from '../errors';
import type { Vec } from '../vec';
import { checkList, checkModel, finiteArray, optionalLabel, readFields, readOptions } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { axis, baseConfig, baseLayout, extent, padRange, pointsOrGap } from './layout';
import { seriesColor } from './palette';
import { formatNumber, plotText } from './text';

export interface ScatterData {
  x: Vec;
  y: Vec;
  /** Truthy where the point is an outlier (drawn apart, as red crosses). */
  outlierMask?: ArrayLike<boolean | number>;
}

/** A fitted one-feature linear model ŷ = w·x + b; `lossId` picks its colour. */
export interface LineFit {
  label: string;
  weights: Vec;
  intercept: number;
  lossId?: string;
}

export interface FitLinesOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/**
 * A scatter of (x, y) with each fitted line ŷ = w·x + b drawn across the data's range
 * (plus 5% each side). With `outlierMask`, outliers form their own trace of red crosses, so
 * one sees which points a non-robust loss follows. Each fit takes its loss's colour
 * (`lossColor(lossId)`), or a fixed series colour without `lossId`. Labels are shown as typed.
 *
 * Traces: the inliers (or all points), the outliers when a mask is given, then one line per fit.
 *
 * @example
 * ```ts
 * import { fitLines } from 'losslab';
 * const fig = fitLines(
 *   { x: [0, 1, 2, 3], y: [0, 1, 2, 9], outlierMask: [false, false, false, true] },
 *   [{ label: 'L1', weights: [1], intercept: 0, lossId: 'l1' }],
 * );
 * fig.data.length;    // 3
 * fig.data[2].name;   // "L1"
 * ```
 */
export function fitLines(data: ScatterData, fits: readonly LineFit[], opts: FitLinesOptions = {}): Figure {
  const input = readFields('data', data, ['x', 'y', 'outlierMask']);
  const x = finiteArray('data.x', input.x);
  const y = finiteArray('data.y', input.y, x.length, 'data.x');
  const mask =
    input.outlierMask === undefined
      ? undefined
      : readGuarded('data.outlierMask', () => checkMask(input.outlierMask, x.length));
  const models = checkList<LineFit>('fits', fits).map((fit, i) => checkModel(`fits[${i}]`, fit, 1));
  const o = readOptions(opts, ['title', 'xTitle', 'yTitle']);
  const title = optionalLabel('title', o.title);
  const xTitle = optionalLabel('xTitle', o.xTitle);
  const yTitle = optionalLabel('yTitle', o.yTitle);

  const traces: Trace[] = [];
  const pointHover = 'x = %{x:.4g}<br>y = %{y:.4g}<extra>%{fullData.name}</extra>';
  const pick = (outlier: boolean): { x: number[]; y: number[] } => {
    const idx = x.map((_, i) => i).filter((i) => (mask === undefined ? !outlier : mask[i] === outlier));
    return { x: idx.map((i) => x[i]), y: idx.map((i) => y[i]) };
  };
  const inliers = pick(false);
  traces.push({
    type: 'scatter',
    mode: 'markers',
    name: mask === undefined ? `data (n = ${x.length})` : `inliers (n = ${inliers.x.length})`,
    x: pointsOrGap(inliers.x),
    y: pointsOrGap(inliers.y),
    marker: { color: '#7f7f7f', size: 7, opacity: 0.75 },
    hovertemplate: pointHover,
  });
  if (mask !== undefined) {
    const outliers = pick(true);
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: `outliers (n = ${outliers.x.length})`,
      x: pointsOrGap(outliers.x),
      y: pointsOrGap(outliers.y),
      marker: { color: '#d62728', symbol: 'x', size: 10, line: { width: 1 } },
      hovertemplate: pointHover,
    });
  }

  const [xlo, xhi] = padRange(...extent(x));
  models.forEach((fit, i) => {
    const w = fit.weights[0];
    const b = fit.intercept;
    const name = plotText(fit.label);
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name,
      x: [xlo, xhi],
      y: [w * xlo + b, w * xhi + b],
      line: { color: seriesColor(fit.lossId, i), width: 2.5 },
      hovertemplate: `ŷ = ${formatNumber(w)}·x + ${formatNumber(b)}<br>x = %{x:.4g}<br>ŷ = %{y:.4g}<extra>${name}</extra>`,
    });
  });

  const layout: Layout = baseLayout(title === undefined ? 'Fitted lines ŷ = w·x + b' : plotText(title));
  layout.height = 450;
  layout.xaxis = axis(plotText(xTitle ?? 'x'), { range: [xlo, xhi] });
  layout.yaxis = axis(plotText(yTitle ?? 'y'));
  return builtFigure(traces, layout, baseConfig());
}

function checkMask(mask: unknown, n: number): boolean[] {
  const m = mask as ArrayLike<unknown>;
  if (typeof mask !== 'object' || mask === null || typeof m.length !== 'number') {
    throw new LossInputError({
      argument: 'data.outlierMask',
      value: mask,
      problem: 'is not an array',
      domain: 'booleans (or 0/1), one per point',
    });
  }
  if (m.length !== n) {
    throw new LossInputError({
      argument: 'data.outlierMask',
      problem: `has length ${m.length} but data.x has length ${n}`,
      domain: `length ${n}`,
    });
  }
  // Indexed up to the length checked above, not Array.from(m): that reads the length again.
  return Array.from({ length: n }, (_, i) => {
    const v = m[i];
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    throw new LossInputError({
      argument: 'data.outlierMask',
      index: i,
      value: v,
      problem: 'is not a boolean',
      domain: 'true/false or 1/0',
    });
  });
}
