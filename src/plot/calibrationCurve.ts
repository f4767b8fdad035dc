/** Reliability diagram: do predicted probabilities mean what they say? */
import { LossInputError } from '../errors';
import type { Vec } from '../losses/types';
import { checkSameLength, checkVector } from '../validate';
import { checkCount, checkLabel, checkList, checkLossId, checkOptionsObject, optionalLabel } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { axis, baseConfig, baseLayout } from './layout';
import { seriesColor } from './palette';
import { formatNumber, plotText } from './text';

/** One model's predicted probabilities of the positive class, with the true labels. */
export interface CalibrationSeries {
  label: string;
  lossId?: string;
  /** Labels ±1 or 0/1 (soft targets in [0, 1] also work: the bin's frequency is their mean). */
  y: Vec;
  /** Predicted P(y = +1 | x), in [0, 1]. */
  p: Vec;
}

export interface CalibrationOptions {
  /** Equal-width probability bins over [0, 1]; default 10. */
  bins?: number;
  title?: string;
}

/** Two-sided 95% normal quantile, for the Wilson intervals. */
const Z95 = 1.959963984540054;

/**
 * Reliability diagram: predictions are grouped into equal-width bins of p; each non-empty
 * bin is drawn at (mean predicted p, observed frequency of y = +1) with a 95% Wilson score
 * interval for the frequency (E. B. Wilson, "Probable inference, the law of succession, and
 * statistical inference", JASA 22, 1927). A calibrated model lies on the diagonal, drawn as
 * a reference. Each legend entry carries the expected calibration error
 * ECE = Σ_bins (n_bin / n) |frequency − mean p| (Naeini, Cooper & Hauskrecht, AAAI 2015).
 *
 * Traces: the diagonal, then one line per model.
 *
 * @example
 * ```ts
 * import { calibrationCurve } from 'losslab';
 * const fig = calibrationCurve([{ label: 'logistic', y: [0, 0, 1, 1], p: [0.1, 0.2, 0.8, 0.9] }], { bins: 2 });
 * fig.data[1].x;      // [0.15000000000000002,0.8500000000000001]
 * fig.data[1].name;   // "logistic (ECE = 0.15)"
 * ```
 */
export function calibrationCurve(models: readonly CalibrationSeries[], opts: CalibrationOptions = {}): Figure {
  const list = checkList<CalibrationSeries>('models', models);
  checkOptionsObject(opts);
  const title = optionalLabel('title', opts.title);
  const bins = opts.bins === undefined ? 10 : checkCount('bins', opts.bins, 1, 1000);
  const data: Trace[] = [{
    type: 'scatter', mode: 'lines', name: 'perfectly calibrated', x: [0, 1], y: [0, 1],
    line: { color: '#7f7f7f', width: 1.5, dash: 'dash' }, hoverinfo: 'skip',
  }];
  list.forEach((model, i) => {
    const at = `models[${i}]`;
    const label = plotText(checkLabel(`${at}.label`, model?.label));
    const lossId = checkLossId(`${at}.lossId`, model.lossId);
    const t = targets(`${at}.y`, model.y);
    const n = checkVector(undefined, `${at}.p`, model.p, 'probability');
    checkSameLength(undefined, `${at}.p`, n, `${at}.y`, t.length);
    const table = binTable(t, model.p, bins);
    const colour = seriesColor(lossId, i);
    data.push({
      type: 'scatter', mode: 'lines+markers', name: `${label} (ECE = ${formatNumber(table.ece)})`,
      x: table.meanP, y: table.frequency,
      customdata: table.count.map((c, k) => [c, table.lower[k], table.upper[k]]),
      error_y: {
        type: 'data', symmetric: false, color: colour, thickness: 1, width: 3,
        array: table.upper.map((u, k) => u - table.frequency[k]),
        arrayminus: table.lower.map((l, k) => table.frequency[k] - l),
      },
      line: { color: colour, width: 2 }, marker: { color: colour, size: 7 },
      hovertemplate: 'mean predicted p = %{x:.3f}<br>observed frequency = %{y:.3f}<br>95% interval [%{customdata[1]:.3f}, %{customdata[2]:.3f}]<br>%{customdata[0]} predictions<extra>%{fullData.name}</extra>',
    });
  });
  const layout: Layout = baseLayout(title === undefined ? 'Reliability diagram (calibration curve)' : plotText(title));
  layout.height = 500;
  layout.xaxis = axis('mean predicted probability p̂', { range: [-0.02, 1.02], constrain: 'domain' });
  layout.yaxis = axis('observed frequency of y = +1', { range: [-0.02, 1.02], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
  return builtFigure(data, layout, baseConfig());
}

/** Targets in [0, 1]: ±1 labels become (1 + y)/2; 0/1 and soft labels stay. */
function targets(argument: string, y: Vec): number[] {
  const values = y !== null && typeof y === 'object' && typeof y.length === 'number' ? Array.from(y) : [];
  const signs = values.length > 0 && values.every((v) => v === 1 || v === -1);
  if (signs) return values.map((v) => (1 + v) / 2);
  const minusOne = values.indexOf(-1);
  if (minusOne >= 0 && values.every((v) => v === -1 || v === 0 || v === 1)) {
    throw new LossInputError({ argument, index: minusOne, value: -1, problem: 'mixes the ±1 and 0/1 codings', domain: 'labels -1/+1, or 0/1 (or soft targets in [0, 1])' });
  }
  checkVector(undefined, argument, y, 'binary');
  return values;
}

interface BinTable { meanP: number[]; frequency: number[]; lower: number[]; upper: number[]; count: number[]; ece: number }

function binTable(t: number[], p: Vec, bins: number): BinTable {
  const n = t.length;
  const sumP = new Float64Array(bins);
  const sumT = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = Math.min(bins - 1, Math.floor(p[i] * bins));
    sumP[k] += p[i];
    sumT[k] += t[i];
    count[k] += 1;
  }
  const table: BinTable = { meanP: [], frequency: [], lower: [], upper: [], count: [], ece: 0 };
  for (let k = 0; k < bins; k++) {
    const c = count[k];
    if (c === 0) continue;
    const mp = sumP[k] / c;
    const f = sumT[k] / c;
    const [lo, hi] = wilson(f, c);
    table.meanP.push(mp);
    table.frequency.push(f);
    table.lower.push(lo);
    table.upper.push(hi);
    table.count.push(c);
    table.ece += (c / n) * Math.abs(f - mp);
  }
  return table;
}

/** Wilson score interval for a proportion f observed in c trials, clamped to contain f. */
function wilson(f: number, c: number): [number, number] {
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / c;
  const centre = (f + z2 / (2 * c)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((f * (1 - f)) / c + z2 / (4 * c * c));
  return [Math.max(0, Math.min(f, centre - half)), Math.min(1, Math.max(f, centre + half))];
}
