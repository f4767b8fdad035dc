/**
 * Loss functions drawn against the one variable each depends on: the margin m = y·f for
 * classification, the residual r = y − f for regression.
 */
import { sigmoid, sigmoidSlope } from '../losses/stable';
import type { Loss } from '../losses/types';
import { LossInputError } from '../errors';
import { checkLoss } from '../validate';
import { checkCount, checkFlag, checkInterval, checkLabel, checkList, optionalLabel, readOptions } from './checks';
import { builtFigure, type Figure, type Layout, type Trace } from './figure';
import { axis, baseConfig, baseLayout, padRange } from './layout';
import { lossColor } from './palette';
import { plotText } from './text';

export interface LossCurvesOptions {
  /** Interval of the horizontal axis (margin and residual alike); default [-3, 3]. */
  range?: [number, number];
  /** Add a row with each curve's slope dφ/dm or dρ/dr. */
  derivative?: boolean;
  /** Evenly spaced samples per curve (kinks are added exactly); default 401. */
  points?: number;
  /** Chart title (shown as typed). */
  title?: string;
}

type Panel = 'margin' | 'residual';

/** A loss as a function of the panel's variable: φ(m) = ℓ(+1, m) or ρ(r) = ℓ(r, 0). */
interface AxisView {
  panel: Panel;
  /** out_i = the loss at xs_i. */
  value(xs: Float64Array, out: Float64Array): void;
  /** out_i = its slope with respect to the panel's variable at xs_i. */
  slope(xs: Float64Array, out: Float64Array): void;
  /** Where the loss's own kinks lie on the panel's axis. */
  kinks: number[];
  /** Extra grid points: kinks and curvature jumps, so corners are drawn exactly. */
  special: number[];
  /** The probability the loss sees, when it is drawn through p = σ(m). */
  probability: boolean;
}

const PANEL_TEXT: Record<Panel, { x: string; y: string; dy: string; symbol: string; fn: string; title: string }> = {
  margin: {
    x: 'margin m = y·f',
    y: 'loss φ(m)',
    dy: 'slope φ′(m)',
    symbol: 'm',
    fn: 'φ',
    title: 'Classification losses against the margin m = y·f',
  },
  residual: {
    x: 'residual r = y − f',
    y: 'loss ρ(r)',
    dy: 'slope ρ′(r)',
    symbol: 'r',
    fn: 'ρ',
    title: 'Regression losses against the residual r = y − f',
  },
};

/**
 * Line charts of loss functions, each on its natural axis:
 *
 * - classification losses ℓ(y, f) = φ(y f) against the margin m = y·f, drawn as φ(m) = ℓ(+1, m);
 *   cross-entropy on logits (targets t in [0, 1]) with t = (1 + y)/2, i.e. φ(m) = ℓ(1, m);
 * - cross-entropy on probabilities, whose natural axis is p in [0, 1], is drawn on the same
 *   margin axis through p = σ(m) = 1/(1 + e^{−m}) (the probability a logistic model gives the
 *   true class), so it sits next to the margin losses it is compared with; its legend entry
 *   says so and its hover shows p;
 * - regression losses ℓ(y, f) = ρ(y − f) against the residual r = y − f, drawn as ρ(r) = ℓ(r, 0).
 *
 * Classification and regression losses given together get two panels side by side;
 * `derivative: true` adds a row with the slopes φ′(m) and ρ′(r) (for a residual loss
 * ρ′(r) = −∂ℓ/∂f). Each declared kink is a grid point; where a curve jumps there (the 0–1
 * loss at m = 0, the hinge's slope at m = 1) the line is broken rather than joined by a
 * steep segment, so a step is drawn as a step. Infinite values (cross-entropy far out) break
 * the line too. The vertical axis fits every curve unless one dwarfs the rest: it then stops
 * at 4 times the (lower) median of the curves' largest values, never below the second
 * largest, and the steepest curve leaves the top.
 * Each loss keeps its colour from `lossColor`.
 *
 * @example
 * ```ts
 * import { lossCurves, losses } from 'losslab';
 * lossCurves([losses.hinge]).data.length;                                   // 1
 * lossCurves([losses.hinge, losses.l2], { derivative: true }).data.length; // 4
 * ```
 */
export function lossCurves(losses: readonly Loss[], opts: LossCurvesOptions = {}): Figure {
  const list = checkList<Loss>('losses', losses);
  list.forEach((loss, i) => {
    try {
      checkLoss(loss);
    } catch (e) {
      // checkLoss speaks of `loss`; here the bad one is an entry of `losses`.
      if (!(e instanceof LossInputError)) throw e;
      throw new LossInputError({
        argument: `losses[${i}]`,
        value: loss,
        problem: 'is not a loss',
        domain: e.domain,
        cause: e,
      });
    }
    checkLabel(`losses[${i}].name`, loss.name);
  });
  const o = readOptions(opts, ['range', 'points', 'derivative', 'title']);
  const [lo, hi] = o.range === undefined ? [-3, 3] : checkInterval('range', o.range);
  const points = o.points === undefined ? 401 : checkCount('points', o.points, 2, 100_000);
  const withSlope = checkFlag('derivative', o.derivative) ?? false;
  const title = optionalLabel('title', o.title);

  const views = list.map((loss) => ({ loss, view: axisView(loss) }));
  const panels = (['margin', 'residual'] as const).filter((p) => views.some((v) => v.view.panel === p));
  const cols = panels.length;
  const rows = withSlope ? 2 : 1;

  const data: Trace[] = [];
  const layout: Layout = baseLayout(
    title !== undefined
      ? plotText(title)
      : cols === 1
        ? PANEL_TEXT[panels[0]].title
        : 'Loss functions: classification (margin) and regression (residual)',
  );
  layout.height = rows === 1 ? 450 : 680;

  panels.forEach((panel, col) => {
    const members = views.filter((v) => v.view.panel === panel);
    const text = PANEL_TEXT[panel];
    const grid = gridWith(
      lo,
      hi,
      points,
      members.flatMap((m) => m.view.special),
    );
    for (let row = 0; row < rows; row++) {
      const slope = row === 1;
      const axisIndex = row * cols + col + 1;
      const suffix = axisIndex === 1 ? '' : String(axisIndex);
      const curves = members.map(({ view }) => sampleCurve(view, grid, slope));
      const yRange = verticalRange(curves.map((c) => c.y));
      members.forEach(({ loss, view }, k) => {
        const curve = curves[k];
        dropFarOff(curve.y, yRange);
        const name = plotText(loss.name) + (view.probability ? ', at p = σ(m)' : '');
        const hover = [
          name,
          `${text.symbol} = %{x:.3f}`,
          `${slope ? `${text.fn}′` : text.fn}(${text.symbol}) = %{y:.4g}`,
          ...(view.probability ? ['p = σ(m) = %{customdata:.4g}'] : []),
        ].join('<br>');
        const trace: Trace = {
          type: 'scatter',
          mode: 'lines',
          name,
          legendgroup: loss.id,
          showlegend: !slope,
          x: curve.x,
          y: curve.y,
          xaxis: `x${suffix}`,
          yaxis: `y${suffix}`,
          line: { color: lossColor(loss.id), width: 2.5 },
          connectgaps: false,
          hovertemplate: `${hover}<extra></extra>`,
        };
        if (view.probability) trace.customdata = curve.x.map((m, i) => (curve.y[i] === null ? null : sigmoid(m)));
        data.push(trace);
      });
      const xDomain: [number, number] = cols === 1 ? [0, 1] : col === 0 ? [0, 0.46] : [0.54, 1];
      const yDomain: [number, number] = rows === 1 ? [0, 1] : slope ? [0, 0.42] : [0.58, 1];
      layout[`xaxis${suffix}`] = axis(text.x, {
        domain: xDomain,
        range: [lo, hi],
        anchor: `y${suffix}`,
        ...(slope ? { matches: col === 0 ? 'x' : `x${col + 1}` } : {}),
      });
      layout[`yaxis${suffix}`] = axis(slope ? text.dy : text.y, {
        domain: yDomain,
        range: yRange,
        anchor: `x${suffix}`,
      });
    }
  });
  return builtFigure(data, layout, baseConfig());
}

function axisView(loss: Loss): AxisView {
  const { axis: natural, kinks, curvatureJumps } = loss.properties;
  const { kernels } = loss;
  if (natural === 'residual') {
    return {
      panel: 'residual',
      value: (xs, out) => kernels.values(xs, new Float64Array(xs.length), out, xs.length),
      slope: (xs, out) => {
        kernels.derivatives(xs, new Float64Array(xs.length), out, xs.length);
        for (let i = 0; i < out.length; i++) out[i] = -out[i];
      },
      kinks: [...kinks],
      special: [...kinks, ...curvatureJumps],
      probability: false,
    };
  }
  if (natural === 'probability') {
    const toMargin = (p: number): number[] => (p > 0 && p < 1 ? [Math.log(p / (1 - p))] : []);
    const probabilities = (xs: Float64Array): Float64Array => xs.map(sigmoid);
    return {
      panel: 'margin',
      value: (xs, out) => kernels.values(positives(xs.length), probabilities(xs), out, xs.length),
      slope: (xs, out) => {
        // dℓ/dm = ∂ℓ/∂p · σ′(m); where p rounds to 0 this is −∞ · 0 = NaN, drawn as a gap.
        kernels.derivatives(positives(xs.length), probabilities(xs), out, xs.length);
        for (let i = 0; i < out.length; i++) out[i] *= sigmoidSlope(xs[i]);
      },
      kinks: kinks.flatMap(toMargin),
      special: [...kinks, ...curvatureJumps].flatMap(toMargin),
      probability: true,
    };
  }
  // 'margin' and 'logit': with y = +1 (t = 1) the score is the margin.
  return {
    panel: 'margin',
    value: (xs, out) => kernels.values(positives(xs.length), xs, out, xs.length),
    slope: (xs, out) => kernels.derivatives(positives(xs.length), xs, out, xs.length),
    kinks: [...kinks],
    special: [...kinks, ...curvatureJumps],
    probability: false,
  };
}

/** The label +1 (or target 1) repeated: every margin-axis view evaluates ℓ(+1, m). */
function positives(n: number): Float64Array {
  return new Float64Array(n).fill(1);
}

/** `points` evenly spaced values over [lo, hi] plus the special points inside, sorted. */
function gridWith(lo: number, hi: number, points: number, special: number[]): Float64Array {
  const values = new Set<number>();
  for (let i = 0; i < points; i++) values.add(i === points - 1 ? hi : lo + ((hi - lo) * i) / (points - 1));
  for (const s of special) if (s > lo && s < hi) values.add(s);
  return Float64Array.from(values).sort();
}

/**
 * The curve over the grid, with a break at each kink where it jumps: the left piece ends at
 * (k, left limit), the right piece starts at (k, right limit), nothing joins them.
 */
function sampleCurve(view: AxisView, grid: Float64Array, slope: boolean): { x: number[]; y: Array<number | null> } {
  const evaluate = (xs: Float64Array): Float64Array => {
    const out = new Float64Array(xs.length);
    (slope ? view.slope : view.value)(xs, out);
    return out;
  };
  const v = evaluate(grid);
  const jumps = new Map<number, [number, number]>();
  for (const k of view.kinks) {
    const h = 1e-9 * Math.max(1, Math.abs(k));
    const [left, right] = evaluate(Float64Array.of(k - h, k + h));
    if (Math.abs(left - right) > 1e-6 * Math.max(1, Math.abs(left), Math.abs(right))) jumps.set(k, [left, right]);
  }
  const x: number[] = [];
  const y: Array<number | null> = [];
  for (let i = 0; i < grid.length; i++) {
    const jump = jumps.get(grid[i]);
    if (jump === undefined) {
      x.push(grid[i]);
      y.push(finiteOrNull(v[i]));
    } else {
      x.push(grid[i], grid[i], grid[i]);
      y.push(finiteOrNull(jump[0]), null, finiteOrNull(jump[1]));
    }
  }
  return { x, y };
}

/**
 * Leaves out points more than 1000 axis heights above or below the chart: nobody sees them,
 * and plotly.js turns pixel positions of values near 1e308 into NaN paths.
 */
function dropFarOff(ys: Array<number | null>, [lo, hi]: [number, number]): void {
  const margin = 1000 * (hi - lo);
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (v !== null && (v < lo - margin || v > hi + margin)) ys[i] = null;
  }
}

/** Finite values as they are (−0 as 0, which JSON writes anyway), anything else a break. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v + 0 : null;
}

/**
 * A vertical range holding 0 and every curve, except that it stops at 4 times the lower
 * median of the curves' largest magnitudes (but not below the second largest), so one
 * exploding curve (the exponential loss) does not flatten all the others.
 */
function verticalRange(curves: Array<Array<number | null>>): [number, number] {
  let min = 0;
  let max = 0;
  const peaks: number[] = [];
  for (const ys of curves) {
    let peak = 0;
    for (const v of ys) {
      if (v === null) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      peak = Math.max(peak, Math.abs(v));
    }
    peaks.push(peak);
  }
  peaks.sort((a, b) => a - b);
  // The lower median, so that with two curves the tamer one sets the scale.
  const median = peaks[(peaks.length - 1) >> 1];
  const secondHighest = peaks.length > 1 ? peaks[peaks.length - 2] : peaks[0];
  const cap = median > 0 ? Math.max(4 * median, secondHighest) : Infinity;
  return padRange(Math.max(min, -cap), Math.min(max, cap));
}
