/** Reliability diagram: do predicted probabilities mean what they say? */
import { LossInputError } from '../errors';
import type { Vec } from '../vec';
import { checkSameLength, checkVector, materialise } from '../validate';
import { bandTrace } from './band';
import { checkCount, checkLabel, checkList, checkLossId, optionalLabel, readOptions } from './checks';
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

/**
 * One model fitted and tested several times (seeds, samples): one curve through the bins'
 * averages over the runs, with a band over the runs instead of per-bin intervals.
 */
export interface CalibrationRuns {
  label: string;
  lossId?: string;
  runs: ReadonlyArray<{ y: Vec; p: Vec }>;
}

/** How predictions are grouped: 'width', equal-width bins of [0, 1]; 'mass', bins holding equally many predictions. */
export type CalibrationBinning = 'width' | 'mass';

export interface CalibrationOptions {
  /** Number of bins; default 10. */
  bins?: number;
  /** 'width' (default): equal-width bins of [0, 1]; 'mass': equal-mass bins (quantiles of p̂). */
  binning?: CalibrationBinning;
  title?: string;
}

/** Two-sided 95% normal quantile, for the Wilson intervals. */
const Z95 = 1.959963984540054;

/**
 * Reliability diagram: predictions are grouped into bins of p — equal-width bins of [0, 1]
 * by default, or with `binning: 'mass'` bins holding equally many predictions (the k-th of B
 * bins takes the predictions of rank ⌊k n/B⌋ to ⌊(k+1) n/B⌋ − 1 in increasing p, ties in input
 * order), which put the bins where the predictions are. Each non-empty bin is drawn at (mean
 * predicted p, observed frequency of y = +1) with a 95% Wilson score interval for the
 * frequency (E. B. Wilson, "Probable inference, the law of succession, and statistical
 * inference", JASA 22, 1927). A calibrated model lies on the diagonal, drawn as a reference.
 * Each legend entry carries the expected calibration error
 * ECE = Σ_bins (n_bin / n) |frequency − mean p| (Naeini, Cooper & Hauskrecht, AAAI 2015).
 *
 * A model given as `runs` (the same model fitted on several seeded samples) is drawn as one
 * line through the averages over the runs of each bin's mean p and frequency (bin k of every
 * run: with equal-mass bins, the same quantile range of each run's predictions), with a band
 * from the 5% to the 95% quantile over the runs of the bin's frequency; its legend gives the
 * mean ECE over the runs. A bin empty in some runs is averaged over the others.
 *
 * Traces: the diagonal, then per model its band (runs only) and its line.
 *
 * @example
 * ```ts
 * import { calibrationCurve } from 'losslab';
 * const fig = calibrationCurve([{ label: 'logistic', y: [0, 0, 1, 1], p: [0.1, 0.2, 0.8, 0.9] }], { bins: 2 });
 * fig.data[1].x;      // [0.15000000000000002,0.8500000000000001]
 * fig.data[1].name;   // "logistic (ECE = 0.15)"
 * ```
 */
export function calibrationCurve(
  models: ReadonlyArray<CalibrationSeries | CalibrationRuns>,
  opts: CalibrationOptions = {},
): Figure {
  const list = checkList<CalibrationSeries | CalibrationRuns>('models', models);
  const o = readOptions(opts, ['title', 'bins', 'binning']);
  const title = optionalLabel('title', o.title);
  const bins = o.bins === undefined ? 10 : checkCount('bins', o.bins, 1, 1000);
  const binning = checkBinning(o.binning);
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'perfectly calibrated',
      x: [0, 1],
      y: [0, 1],
      line: { color: '#7f7f7f', width: 1.5, dash: 'dash' },
      hoverinfo: 'skip',
    },
  ];
  list.forEach((model, i) => {
    const at = `models[${i}]`;
    const label = plotText(checkLabel(`${at}.label`, model?.label));
    const lossId = checkLossId(`${at}.lossId`, model.lossId);
    const colour = seriesColor(lossId, i);
    if ('runs' in model) {
      data.push(...runsTraces(at, model.runs, bins, binning, label, colour, `model ${i}`));
      return;
    }
    const t = targets(`${at}.y`, model.y);
    const p = materialise(undefined, `${at}.p`, model.p, 'probability');
    const n = checkVector(undefined, `${at}.p`, p, 'probability');
    checkSameLength(undefined, `${at}.p`, n, `${at}.y`, t.length);
    const table = reliabilityBins(t, p, bins, binning);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${label} (ECE = ${formatNumber(table.ece)})`,
      x: table.meanP,
      y: table.frequency,
      customdata: table.count.map((c, k) => [c, table.lower[k], table.upper[k]]),
      error_y: {
        type: 'data',
        symmetric: false,
        color: colour,
        thickness: 1,
        width: 3,
        array: table.upper.map((u, k) => u - table.frequency[k]),
        arrayminus: table.lower.map((l, k) => table.frequency[k] - l),
      },
      line: { color: colour, width: 2 },
      marker: { color: colour, size: 7 },
      hovertemplate:
        'mean predicted p = %{x:.3f}<br>observed frequency = %{y:.3f}<br>95% interval [%{customdata[1]:.3f}, %{customdata[2]:.3f}]<br>%{customdata[0]} predictions<extra>%{fullData.name}</extra>',
    });
  });
  const layout: Layout = baseLayout(title === undefined ? 'Reliability diagram (calibration curve)' : plotText(title));
  layout.height = 500;
  layout.xaxis = axis('mean predicted probability p̂', { range: [-0.02, 1.02], constrain: 'domain' });
  layout.yaxis = axis('observed frequency of y = +1', {
    range: [-0.02, 1.02],
    scaleanchor: 'x',
    scaleratio: 1,
    constrain: 'domain',
  });
  return builtFigure(data, layout, baseConfig());
}

/** Targets in [0, 1]: ±1 labels become (1 + y)/2; 0/1 and soft labels stay. */
function targets(argument: string, y: Vec): number[] {
  // materialise reads each element once and refuses lengths no array holds, before anything is allocated for them.
  const values = Array.from(materialise(undefined, argument, y, 'binary'));
  const signs = values.length > 0 && values.every((v) => v === 1 || v === -1);
  if (signs) return values.map((v) => (1 + v) / 2);
  const minusOne = values.indexOf(-1);
  if (minusOne >= 0 && values.every((v) => v === -1 || v === 0 || v === 1)) {
    throw new LossInputError({
      argument,
      index: minusOne,
      value: -1,
      problem: 'mixes the ±1 and 0/1 codings',
      domain: 'labels -1/+1, or 0/1 (or soft targets in [0, 1])',
    });
  }
  checkVector(undefined, argument, values, 'binary');
  return values;
}

function checkBinning(binning: unknown): CalibrationBinning {
  if (binning === undefined) return 'width';
  if (binning !== 'width' && binning !== 'mass') {
    throw new LossInputError({
      argument: 'binning',
      value: binning,
      problem: 'is not a way of binning',
      domain: "'width' or 'mass'",
    });
  }
  return binning;
}

/** The bins of a reliability diagram: the non-empty ones, in increasing p, with their bin numbers. */
export interface BinTable {
  bin: number[];
  meanP: number[];
  frequency: number[];
  lower: number[];
  upper: number[];
  count: number[];
  ece: number;
}

/** The bin of each prediction (checked p in [0, 1]): by value (equal width) or by rank (equal mass, ties in input order). */
export function binIndices(p: Vec, bins: number, binning: CalibrationBinning): Int32Array {
  const n = p.length;
  const bin = new Int32Array(n);
  if (binning === 'width') {
    for (let i = 0; i < n; i++) bin[i] = Math.min(bins - 1, Math.floor(p[i] * bins));
    return bin;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[a] - p[b] || a - b);
  for (let r = 0; r < n; r++) bin[order[r]] = Math.floor((r * bins) / n);
  return bin;
}

/**
 * The reliability table of targets t ∈ [0, 1] against predictions p ∈ [0, 1], both already
 * checked and of one length: for each non-empty bin its mean p, the mean of t (the observed
 * frequency) with a 95% Wilson interval, and its count; and the ECE. `which` can carry the
 * bins of p from `binIndices` when several targets are scored against the same predictions.
 * Shared with the course's calibration chapter, so the numbers it reports are the ones the
 * diagram draws.
 */
export function reliabilityBins(
  t: ArrayLike<number>,
  p: Vec,
  bins: number,
  binning: CalibrationBinning,
  which = binIndices(p, bins, binning),
): BinTable {
  const n = t.length;
  const sumP = new Float64Array(bins);
  const sumT = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = which[i];
    sumP[k] += p[i];
    sumT[k] += t[i];
    count[k] += 1;
  }
  const table: BinTable = { bin: [], meanP: [], frequency: [], lower: [], upper: [], count: [], ece: 0 };
  for (let k = 0; k < bins; k++) {
    const c = count[k];
    if (c === 0) continue;
    const mp = sumP[k] / c;
    const f = sumT[k] / c;
    const [lo, hi] = wilson(f, c);
    table.bin.push(k);
    table.meanP.push(mp);
    table.frequency.push(f);
    table.lower.push(lo);
    table.upper.push(hi);
    table.count.push(c);
    table.ece += (c / n) * Math.abs(f - mp);
  }
  return table;
}

/** The q-quantile of a few numbers, interpolating between order statistics (type 7). */
function quantileOf(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  return below + 1 < sorted.length
    ? sorted[below] + (position - below) * (sorted[below + 1] - sorted[below])
    : sorted[below];
}

/** A model given as runs: the band over the runs and the line through the bins' averages. */
function runsTraces(
  at: string,
  runs: unknown,
  bins: number,
  binning: CalibrationBinning,
  label: string,
  colour: string,
  group: string,
): Trace[] {
  const list = checkList<{ y: Vec; p: Vec }>(`${at}.runs`, runs);
  const meanPs: number[][] = Array.from({ length: bins }, () => []);
  const frequencies: number[][] = Array.from({ length: bins }, () => []);
  let eceTotal = 0;
  list.forEach((run, r) => {
    const where = `${at}.runs[${r}]`;
    if (typeof run !== 'object' || run === null)
      throw new LossInputError({ argument: where, value: run, problem: 'is not a run', domain: '{ y, p }' });
    const t = targets(`${where}.y`, run.y);
    const p = materialise(undefined, `${where}.p`, run.p, 'probability');
    const n = checkVector(undefined, `${where}.p`, p, 'probability');
    checkSameLength(undefined, `${where}.p`, n, `${where}.y`, t.length);
    const table = reliabilityBins(t, p, bins, binning);
    table.bin.forEach((k, j) => {
      meanPs[k].push(table.meanP[j]);
      frequencies[k].push(table.frequency[j]);
    });
    eceTotal += table.ece;
  });
  const used = meanPs.flatMap((m, k) => (m.length > 0 ? [k] : []));
  const average = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const x = used.map((k) => average(meanPs[k]));
  const y = used.map((k) => average(frequencies[k]));
  const lower = used.map((k) => quantileOf(frequencies[k], 0.05));
  const upper = used.map((k) => quantileOf(frequencies[k], 0.95));
  const name = `${label} (mean ECE = ${formatNumber(eceTotal / list.length)}, ${list.length} runs)`;
  return [
    bandTrace(x, lower, upper, colour, group, { name: `${name} band` }),
    {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      legendgroup: group,
      x,
      y,
      customdata: used.map((k, j) => [frequencies[k].length, lower[j], upper[j]]),
      line: { color: colour, width: 2 },
      marker: { color: colour, size: 7 },
      hovertemplate:
        'mean predicted p = %{x:.3f}<br>mean observed frequency = %{y:.3f}<br>5%–95% of runs [%{customdata[1]:.3f}, %{customdata[2]:.3f}]<br>%{customdata[0]} runs<extra>%{fullData.name}</extra>',
    },
  ];
}

/** Wilson score interval for a proportion f observed in c trials, clamped to contain f. */
function wilson(f: number, c: number): [number, number] {
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / c;
  const centre = (f + z2 / (2 * c)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((f * (1 - f)) / c + z2 / (4 * c * c));
  return [Math.max(0, Math.min(f, centre - half)), Math.min(1, Math.max(f, centre + half))];
}
