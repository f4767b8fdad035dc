/** The law of large numbers for the empirical risk: R̂_n closing in on R as n grows. */
import { LossInputError } from '../errors';
import { checkLossId, finiteArray, optionalLabel, readFields, readOptions } from './checks';
import { builtFigure, type Figure, type Layout } from './figure';
import { bandTrace } from './band';
import { axis, baseConfig, baseLayout, extent } from './layout';
import { seriesColor } from './palette';
import { formatNumber, plotText } from './text';

/** Empirical risks over repeated samples of each size n. */
export interface RiskConvergenceSeries {
  /** Sample sizes (positive). */
  n: readonly number[];
  /** Mean empirical risk at each n. */
  mean: readonly number[];
  /** Band edges at each n (e.g. 5% and 95% quantiles over repetitions). */
  lower: readonly number[];
  upper: readonly number[];
  /** The true (population) risk R(f) the empirical risks approach. */
  trueRisk: number;
}

export interface RiskConvergenceOptions {
  /** Legend entry of the empirical risk; default 'empirical risk R̂ₙ(f)'. */
  label?: string;
  /** Colour of the line and band by loss. */
  lossId?: string;
  title?: string;
  /** Vertical axis title; default 'risk'. */
  yTitle?: string;
}

/**
 * The mean empirical risk R̂ₙ(f) = (1/n) Σᵢ ℓ(yᵢ, f(xᵢ)) against the sample size n on a
 * log axis, with a band for its spread over repeated samples, and the true risk
 * R(f) = E ℓ(Y, f(X)) as a dashed horizontal line. For a bounded loss the band narrows like
 * 1/√n (Hoeffding), a straight-line halving per factor 4 in n.
 *
 * Traces: the band, the mean, the true risk.
 *
 * @example
 * ```ts
 * import { riskConvergence } from 'losslab';
 * const fig = riskConvergence({ n: [10, 100, 1000], mean: [0.3, 0.26, 0.25], lower: [0.1, 0.2, 0.23], upper: [0.5, 0.32, 0.27], trueRisk: 0.25 });
 * fig.data.length;   // 3
 * fig.data[2].y;     // [0.25,0.25]
 * ```
 */
export function riskConvergence(series: RiskConvergenceSeries, opts: RiskConvergenceOptions = {}): Figure {
  const input = readFields('series', series, ['n', 'mean', 'lower', 'upper', 'trueRisk']);
  const n = finiteArray('series.n', input.n);
  const bad = n.findIndex((v) => !(v > 0));
  if (bad >= 0)
    throw new LossInputError({
      argument: 'series.n',
      index: bad,
      value: n[bad],
      problem: 'is not positive',
      domain: 'sample sizes > 0',
    });
  const mean = finiteArray('series.mean', input.mean, n.length, 'series.n');
  const lower = finiteArray('series.lower', input.lower, n.length, 'series.n');
  const upper = finiteArray('series.upper', input.upper, n.length, 'series.n');
  const crossed = lower.findIndex((lo, k) => lo > upper[k]);
  if (crossed >= 0) {
    throw new LossInputError({
      argument: 'series.lower',
      index: crossed,
      value: lower[crossed],
      problem: `is above upper[${crossed}] = ${upper[crossed]}`,
      domain: 'lower <= upper',
    });
  }
  const trueRisk = input.trueRisk;
  if (typeof trueRisk !== 'number' || !Number.isFinite(trueRisk)) {
    throw new LossInputError({
      argument: 'series.trueRisk',
      value: trueRisk,
      problem: 'is not a finite number',
      domain: 'finite numbers',
    });
  }
  const o = readOptions(opts, ['label', 'lossId', 'title', 'yTitle']);
  const given = optionalLabel('label', o.label);
  const label = given === undefined ? 'empirical risk R̂ₙ(f)' : plotText(given);
  const colour = seriesColor(checkLossId('lossId', o.lossId), 0);
  const title = optionalLabel('title', o.title);
  const yTitle = optionalLabel('yTitle', o.yTitle);
  const [nMin, nMax] = extent(n);
  const trueLabel = `true risk R(f) = ${formatNumber(trueRisk)}`;

  const layout: Layout = baseLayout(
    title === undefined ? 'Empirical risk approaching the true risk as n grows' : plotText(title),
  );
  layout.height = 450;
  layout.xaxis = axis('sample size n', { type: 'log', exponentformat: 'power' });
  layout.yaxis = axis(plotText(yTitle ?? 'risk'));
  return builtFigure(
    [
      bandTrace(n, lower, upper, colour, 'empirical', { name: `${label} band` }),
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: label,
        legendgroup: 'empirical',
        x: n,
        y: mean,
        customdata: lower.map((lo, k) => [lo, upper[k]]),
        line: { color: colour, width: 2.5 },
        marker: { color: colour, size: 6 },
        hovertemplate:
          'n = %{x}<br>mean R̂ₙ = %{y:.4g}<br>band [%{customdata[0]:.4g}, %{customdata[1]:.4g}]<extra>%{fullData.name}</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: trueLabel,
        x: [nMin, nMax],
        y: [trueRisk, trueRisk],
        line: { color: '#000000', width: 1.5, dash: 'dash' },
        hovertemplate: `${trueLabel}<extra></extra>`,
      },
    ],
    layout,
    baseConfig(),
  );
}
