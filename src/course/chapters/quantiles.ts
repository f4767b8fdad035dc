/**
 * Chapter 09's experiments: quantile regression and its prediction intervals on data whose
 * noise grows with x, and Huber's δ, as a trade-off between efficiency and robustness and as
 * a quantity with units. No claim of the note is decided here (the note says nothing about
 * either); the intervals feed the chapter's checks.
 */
import { makeRegression, type Dataset } from '../../data/generators';
import { createRng } from '../../random/rng';
import { fitLinear } from '../../fit/fitLinear';
import type { LinearFit } from '../../fit/types';
import { huber, l1, l2, quantile as pinball } from '../../losses/regression';
import type { Figure } from '../../plot/figure';
import { lossCurves } from '../../plot/lossCurves';
import { sliderFigure } from '../../plot/slider';
import type { Experiment, ExperimentResult } from '../experiment';
import { fitScaledHuber, interquartileRange, parameterError } from '../robust';
import {
  bootstrapInterval,
  meanInterval,
  median,
  normalCdf,
  normalPdf,
  normalQuantile,
  proportionInterval,
  quantile,
  type Interval,
} from '../stats';
import { measured } from '../verdict';
import { LossInputError } from '../../errors';

/** `v` when it is a number that `ok` accepts; else a LossInputError naming `argument`. */
function checkNumberIn(argument: string, v: unknown, ok: (x: number) => boolean, domain: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v))
    throw new LossInputError({ argument, value: v, problem: 'is outside its domain', domain });
  return v;
}
const checkTau = (tau: unknown): number => checkNumberIn('tau', tau, (t) => t > 0 && t < 1, 'a number in (0, 1)');
const checkShare = (share: unknown): number =>
  checkNumberIn(
    'share',
    share,
    (q) => q >= 0 && q < 0.5,
    'a fraction in [0, 0.5): from ½ on, the contamination is the majority',
  );
const checkDistance = (distance: unknown): number =>
  checkNumberIn('distance', distance, (d) => d >= 0 && Number.isFinite(d), 'a finite number >= 0');

const CHAPTER = '09-quantiles-and-huber.ipynb';

// ---------------------------------------------------------------------------------------------
// The pinball loss in the population

/**
 * The pinball risk E ρ_τ(Y − c) of a constant c ≥ 0 when Y ~ Exp(1): with ρ_τ(u) = τu + max(−u, 0)
 * and E max(c − Y, 0) = c − 1 + e^{−c}, it is (1 − τ)(c − 1) + e^{−c}, minimised where
 * e^{−c} = 1 − τ, at the τ-quantile −ln(1 − τ).
 */
export function exponentialPinballRisk(tau: number, c: number): number {
  checkTau(tau);
  checkNumberIn('c', c, Number.isFinite, 'a finite number');
  return (1 - tau) * (c - 1) + Math.exp(-c);
}

// ---------------------------------------------------------------------------------------------
// Heteroscedastic data and the coverage of prediction intervals

/** Enough for any chart of the chapter; more would only allocate gigabytes. */
const MAX_ROWS = 10_000_000;

/** σ(x) = 0.5 + 0.5x: the noise of the chapter's data grows with x. */
const noiseSd = (x: number): number => 0.5 + 0.5 * x;

/**
 * n rows of y = 1 + 2x + (0.5 + 0.5x) z with x ~ U(0, 4) and z ~ N(0, 1). Its conditional
 * τ-quantile is the line 1 + 0.5 z_τ + (2 + 0.5 z_τ) x, so linear quantile regression is
 * correctly specified at every τ.
 */
export function heteroscedasticLine(n: number, seed: number): Dataset {
  checkNumberIn('n', n, (k) => Number.isInteger(k) && k >= 1 && k <= MAX_ROWS, `an integer from 1 to ${MAX_ROWS}`);
  const rng = createRng(seed);
  const X = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i] = rng.uniform(0, 4);
    y[i] = 1 + 2 * X[i] + noiseSd(X[i]) * rng.normal();
  }
  return {
    X: { rows: n, cols: 1, data: X },
    y,
    trueWeights: Float64Array.of(2),
    trueIntercept: 1,
    outlierMask: new Uint8Array(n),
  };
}

/** The true conditional τ-quantile line of `heteroscedasticLine`: [slope, intercept]. */
export function trueQuantileLine(tau: number): [number, number] {
  checkTau(tau);
  const z = normalQuantile(tau);
  return [2 + 0.5 * z, 1 + 0.5 * z];
}

const TAUS = [0.05, 0.25, 0.5, 0.75, 0.95];
const COVERAGE_SEEDS = 300;
const TRAIN = 200;
const BINS = 4;
/** Family-wise 99% over the τs and over the bins (Bonferroni). */
const TAU_LEVEL = 1 - 0.01 / TAUS.length;
const BIN_LEVEL = 1 - 0.01 / BINS;

export interface QuantileCoverage extends ExperimentResult {
  taus: number[];
  /** Share of fresh points below the fitted τ-quantile, Wilson interval (level 1 − 0.01/5), per τ: quantile regression, and the LS line plus the τ-quantile of its residuals. */
  belowQuantileFit: Interval[];
  belowLeastSquares: Interval[];
  /** Coverage of the 90% intervals on fresh points, Wilson interval at 99%. */
  quantileInterval: Interval;
  leastSquaresInterval: Interval;
  /** Coverage by x-bin [b, b + 1), b = 0 … 3, Wilson intervals at level 1 − 0.01/4. */
  bins: number[];
  quantileByBin: Interval[];
  leastSquaresByBin: Interval[];
  /** Mean over seeds of the slope of the width q̂₀.₉₅(x) − q̂₀.₀₅(x), t interval (theory 0.5·(z₀.₉₅ − z₀.₀₅)). */
  widthSlope: Interval;
  /** One training set (seed 0 of the experiment) with its fits, for the picture. */
  example: {
    data: Dataset;
    lower: LinearFit;
    middle: LinearFit;
    upper: LinearFit;
    leastSquares: LinearFit;
    residualLow: number;
    residualHigh: number;
  };
}

interface Fitted {
  byTau: LinearFit[];
  leastSquares: LinearFit;
  /** The τ-quantiles of the least-squares residuals, per τ. */
  residualQuantiles: number[];
}

function fitAll(data: Dataset): Fitted {
  const byTau = TAUS.map((tau) => fitLinear(data.X, data.y, { loss: pinball(tau) }));
  const leastSquares = fitLinear(data.X, data.y, { loss: l2 });
  const f = leastSquares.predict(data.X);
  const residuals = Float64Array.from(f, (v, i) => data.y[i] - v);
  return { byTau, leastSquares, residualQuantiles: TAUS.map((tau) => quantile(residuals, tau)) };
}

const at = (fit: LinearFit, x: number): number => fit.weights[0] * x + fit.intercept;

/** Prediction intervals from the 0.05 and 0.95 quantile fits, and from least squares, on fresh data. */
export const quantileCoverage: Experiment<QuantileCoverage> = {
  id: 'quantiles-coverage',
  title: 'Coverage of quantile-regression and least-squares prediction intervals on fresh data',
  design:
    `${COVERAGE_SEEDS} seeded training sets (seed 110 000 + s) of ${TRAIN} rows of y = 1 + 2x + (0.5 + 0.5x) z, x ~ U(0, 4). On each: quantile regression at τ = ${TAUS.join(', ')} ` +
    '(the pinball loss, fitted by linear programming) and least squares, whose τ-quantile prediction is the LS line plus the τ-quantile of its training residuals (a constant width). ' +
    'Fresh data from seed 120 000 + s: one point with x ~ U(0, 4), and one point in each bin x ∈ [b, b + 1), b = 0 … 3. One fresh point per training set and per question, so the outcomes ' +
    "counted in each proportion are independent and the Wilson interval applies. Levels: 99% for the 90% interval's coverage; Bonferroni family-wise 99% over the five τs and over the four bins.",
  evidence: { chapter: CHAPTER, heading: '3. Prediction intervals and their coverage' },
  run() {
    const below = { quantile: TAUS.map(() => 0), leastSquares: TAUS.map(() => 0) };
    const inside = { quantile: 0, leastSquares: 0 };
    const insideBin = { quantile: new Array<number>(BINS).fill(0), leastSquares: new Array<number>(BINS).fill(0) };
    const widthSlopes = new Float64Array(COVERAGE_SEEDS);
    const last = TAUS.length - 1;
    let example: QuantileCoverage['example'] | undefined;
    for (let s = 0; s < COVERAGE_SEEDS; s++) {
      const data = heteroscedasticLine(TRAIN, 110_000 + s);
      const fitted = fitAll(data);
      const { byTau, leastSquares, residualQuantiles } = fitted;
      widthSlopes[s] = byTau[last].weights[0] - byTau[0].weights[0];
      const covers = (x: number, y: number) => ({
        quantile: at(byTau[0], x) <= y && y <= at(byTau[last], x),
        leastSquares:
          at(leastSquares, x) + residualQuantiles[0] <= y && y <= at(leastSquares, x) + residualQuantiles[last],
      });
      const rng = createRng(120_000 + s);
      const fresh = (low: number) => {
        const x = rng.uniform(low, low + 1);
        return { x, y: 1 + 2 * x + noiseSd(x) * rng.normal() };
      };
      const ux = rng.uniform(0, 4);
      const uy = 1 + 2 * ux + noiseSd(ux) * rng.normal();
      TAUS.forEach((_, t) => {
        if (uy <= at(byTau[t], ux)) below.quantile[t]++;
        if (uy <= at(leastSquares, ux) + residualQuantiles[t]) below.leastSquares[t]++;
      });
      const c = covers(ux, uy);
      if (c.quantile) inside.quantile++;
      if (c.leastSquares) inside.leastSquares++;
      for (let b = 0; b < BINS; b++) {
        const p = fresh(b);
        const cb = covers(p.x, p.y);
        if (cb.quantile) insideBin.quantile[b]++;
        if (cb.leastSquares) insideBin.leastSquares[b]++;
      }
      if (s === 0) {
        example = {
          data,
          lower: byTau[0],
          middle: byTau[TAUS.indexOf(0.5)],
          upper: byTau[last],
          leastSquares,
          residualLow: residualQuantiles[0],
          residualHigh: residualQuantiles[last],
        };
      }
    }
    const wilson = (k: number, level: number) => proportionInterval(k, COVERAGE_SEEDS, level);
    const quantileInterval = wilson(inside.quantile, 0.99);
    return {
      measurements: {
        quantileIntervalCoverage: measured(
          'coverage of the [q̂₀.₀₅, q̂₀.₉₅] interval on fresh points (99% Wilson)',
          quantileInterval,
        ),
      },
      taus: TAUS,
      belowQuantileFit: below.quantile.map((k) => wilson(k, TAU_LEVEL)),
      belowLeastSquares: below.leastSquares.map((k) => wilson(k, TAU_LEVEL)),
      quantileInterval,
      leastSquaresInterval: wilson(inside.leastSquares, 0.99),
      bins: Array.from({ length: BINS }, (_, b) => b + 0.5),
      quantileByBin: insideBin.quantile.map((k) => wilson(k, BIN_LEVEL)),
      leastSquaresByBin: insideBin.leastSquares.map((k) => wilson(k, BIN_LEVEL)),
      widthSlope: meanInterval(widthSlopes),
      example: example!,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Huber's δ: efficiency at the normal, and the price under contamination

/** The δ grid of the chapter, in units of the noise's standard deviation. */
export const huberDeltas: readonly number[] = [0.1, 0.25, 0.5, 0.75, 1, 1.345, 2, 3];

/**
 * Huber's loss and its slope (the pull of one residual on the fit) at each δ of the trade-off
 * experiment, beside L1 and L2, as one figure with a slider over δ, shown first at 1.345.
 */
export function huberDeltaSlider(): Figure {
  return sliderFigure(
    huberDeltas.map((delta) => ({
      label: String(delta),
      figure: lossCurves([huber(delta), l1, l2], {
        range: [-4, 4],
        points: 161,
        derivative: true,
        title: `Huber's loss at δ = ${delta}: quadratic on [−δ, δ], linear outside, its slope clipped at ±δ`,
      }),
    })),
    { name: 'δ', active: huberDeltas.indexOf(1.345) },
  );
}

/**
 * The asymptotic efficiency of Huber's estimator relative to least squares under N(0, 1)
 * noise: Var(L2)/Var(Huber) = P(|Z| ≤ δ)² / E min(Z², δ²), with
 * E min(Z², δ²) = P(|Z| ≤ δ) − 2δφ(δ) + 2δ²(1 − Φ(δ)) (Huber, *Robust Statistics*, 1981, §4.6).
 */
export function huberEfficiencyAtNormal(delta: number): number {
  checkNumberIn('delta', delta, (d) => d > 0, 'a number > 0 (Infinity: the mean)');
  // Beyond δ = 30 the clipped mass is below 1e-190: the efficiency is 1 (least squares) to every
  // digit, and the formula would meet δ² · (1 − Φ(δ)) = ∞ · 0 on the way.
  if (delta > 30) return 1;
  const inside = 2 * normalCdf(delta) - 1;
  const second = inside - 2 * delta * normalPdf(delta) + 2 * delta * delta * (1 - normalCdf(delta));
  return (inside * inside) / second;
}

/** E clip(U, −δ, δ) for U ~ N(m, s²), in closed form. */
function expectedClip(m: number, s: number, delta: number): number {
  const a = (-delta - m) / s;
  const b = (delta - m) / s;
  return (
    m * (normalCdf(b) - normalCdf(a)) +
    s * (normalPdf(a) - normalPdf(b)) +
    delta * (1 - normalCdf(b)) -
    delta * normalCdf(a)
  );
}

/**
 * The population intercept shift of Huber's fit (δ in noise units, `Infinity` for L2) when a
 * share `share` of the rows have y moved by `distance` + N(0, 1) on top of N(0, 1) noise: the
 * root b of (1 − share)·E ψ(Z − b) + share·E ψ(distance + √2 Z − b) = 0, by bisection on
 * [0, distance] (the left side decreases in b). δ → 0 gives the L1 shift.
 */
export function huberShiftUnderContamination(delta: number, share: number, distance: number): number {
  checkNumberIn('delta', delta, (d) => d > 0, 'a number > 0 (Infinity: the mean)');
  checkShare(share);
  checkDistance(distance);
  if (delta === Infinity) return share * distance;
  const pull = (b: number) =>
    (1 - share) * expectedClip(-b, 1, delta) + share * expectedClip(distance - b, Math.SQRT2, delta);
  let lo = 0;
  let hi = distance;
  for (let k = 0; k < 200 && hi - lo > 1e-12 * distance; k++) {
    const mid = 0.5 * (lo + hi);
    if (pull(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The L1 shift: the median of the contaminated noise, (1 − share)Φ(b) + share·Φ((b − distance)/√2) = ½. */
export function medianShiftUnderContamination(share: number, distance: number): number {
  checkShare(share);
  checkDistance(distance);
  let lo = 0;
  let hi = distance;
  for (let k = 0; k < 200 && hi - lo > 1e-12 * distance; k++) {
    const mid = 0.5 * (lo + hi);
    if ((1 - share) * normalCdf(mid) + share * normalCdf((mid - distance) / Math.SQRT2) < 0.5) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

const DELTA_SAMPLES = 400;
const CONTAMINATED_SAMPLES = 100;
const SHARE = 0.1;
const DISTANCE = 10;

export interface HuberTradeOff extends ExperimentResult {
  deltas: readonly number[];
  /** (IQR of the L2 slope / IQR of the Huber slope)² under N(0, 1) noise, bootstrap interval, per δ. */
  efficiency: Interval[];
  /** Median intercept shift under 10% outliers 10 units up, bootstrap interval, per δ; and for L1 and L2. */
  shift: Interval[];
  l1Shift: Interval;
  l2Shift: Interval;
}

const pick = (xs: ArrayLike<number>, idx: Uint32Array): Float64Array => Float64Array.from(idx, (i) => xs[i]);
const spreadRatio = (a: Float64Array, b: Float64Array, seed: number, level = 0.95): Interval =>
  bootstrapInterval(a.length, (idx) => (interquartileRange(pick(a, idx)) / interquartileRange(pick(b, idx))) ** 2, {
    seed,
    level,
  });
const medianInterval = (xs: ArrayLike<number>, seed: number): Interval =>
  bootstrapInterval(xs.length, (idx) => median(pick(xs, idx)), { seed });

const line = (seed: number, extra: Partial<Parameters<typeof makeRegression>[0]> = {}): Dataset =>
  makeRegression({ n: 100, d: 1, seed, weights: [2], intercept: 1, ...extra });

/** Huber's δ from 0.1 to 3 noise units: efficiency on clean normal data, intercept shift under contamination. */
export const huberTradeOff: Experiment<HuberTradeOff> = {
  id: 'quantiles-huber-trade-off',
  title: "Huber's δ: efficiency at the normal against the shift under contamination",
  design:
    `Efficiency: ${DELTA_SAMPLES} seeded samples (seed 130 000 + r) of n = 100 rows of y = 2x + 1 + N(0, 1); for each δ in ${huberDeltas.join(', ')}, ` +
    '(IQR of the L2 slopes / IQR of the Huber slopes)² with a paired percentile-bootstrap interval (2000 resamples). ' +
    `Robustness: ${CONTAMINATED_SAMPLES} seeded samples (seed 140 000 + r) with ${100 * SHARE}% of the rows moved up by ${DISTANCE} + N(0, 1); the median intercept shift b̂ − b per δ, and for L1 and L2, with bootstrap intervals.`,
  evidence: { chapter: CHAPTER, heading: "4. Huber's δ: efficiency against robustness" },
  run() {
    const l2Slopes = new Float64Array(DELTA_SAMPLES);
    const slopes = huberDeltas.map(() => new Float64Array(DELTA_SAMPLES));
    for (let r = 0; r < DELTA_SAMPLES; r++) {
      const data = line(130_000 + r);
      l2Slopes[r] = fitLinear(data.X, data.y, { loss: l2 }).weights[0];
      huberDeltas.forEach((delta, k) => {
        slopes[k][r] = fitLinear(data.X, data.y, { loss: huber(delta) }).weights[0];
      });
    }
    const shifts = [
      ...huberDeltas.map(() => new Float64Array(CONTAMINATED_SAMPLES)),
      new Float64Array(CONTAMINATED_SAMPLES),
      new Float64Array(CONTAMINATED_SAMPLES),
    ];
    const contaminatedLosses = [...huberDeltas.map((delta) => huber(delta)), l1, l2];
    for (let r = 0; r < CONTAMINATED_SAMPLES; r++) {
      const data = line(140_000 + r, { outliers: { fraction: SHARE, shift: DISTANCE } });
      contaminatedLosses.forEach((loss, k) => {
        shifts[k][r] = fitLinear(data.X, data.y, { loss }).intercept - data.trueIntercept;
      });
    }
    const efficiency = slopes.map((s, k) => spreadRatio(l2Slopes, s, 1300 + k));
    const at1345 = huberDeltas.indexOf(1.345);
    const shift = shifts.map((s, k) => medianInterval(s, 1400 + k));
    return {
      measurements: {
        efficiencyAt1345: measured(
          '(IQR of the L2 slope / IQR of the Huber slope)² at δ = 1.345 (99% bootstrap)',
          spreadRatio(l2Slopes, slopes[at1345], 1300 + at1345, 0.99),
        ),
      },
      deltas: huberDeltas,
      efficiency,
      shift: shift.slice(0, huberDeltas.length),
      l1Shift: shift[huberDeltas.length],
      l2Shift: shift[huberDeltas.length + 1],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// δ has units: a fixed δ against δ = 1.345 × a robust scale

/** Noise scales σ of the units experiment. */
const SCALES = [0.1, 0.3, 1, 3, 10];
const SCALE_SAMPLES = 200;
const SCALE_CONTAMINATED = 100;
const FIXED_DELTA = 1.345;

export interface HuberUnits extends ExperimentResult {
  scales: number[];
  /** Efficiency against L2 on clean data, bootstrap interval, per σ: fixed δ = 1.345 and δ = 1.345 ŝ. */
  fixedEfficiency: Interval[];
  scaledEfficiency: Interval[];
  /** Median ‖θ̂ − θ*‖ / σ under 10% outliers 10σ away, bootstrap interval, per σ. */
  fixedError: Interval[];
  scaledError: Interval[];
}

/** The same samples in units σ = 0.1 … 10: Huber with δ fixed at 1.345, and with δ = 1.345 ŝ. */
export const huberUnits: Experiment<HuberUnits> = {
  id: 'quantiles-huber-units',
  title: 'Huber with a fixed δ and with δ = 1.345 ŝ as the noise scale changes',
  design:
    `For σ = ${SCALES.join(', ')}: clean data, ${SCALE_SAMPLES} seeded samples (seed 150 000 + r) of y = 2x + 1 + σ z, n = 100 — the same x and z at every σ, so only the units change; ` +
    `contaminated data, ${SCALE_CONTAMINATED} samples (seed 160 000 + r) with 10% of the rows moved up by σ(10 + z′). Fits: L2, Huber with δ = ${FIXED_DELTA} fixed, ` +
    'and the two-step fit (L1, then ŝ = MAD of its residuals / Φ⁻¹(¾), then Huber with δ = 1.345 ŝ). Statistics: efficiency against L2, (IQR ratio)² with a paired bootstrap interval, on clean data; ' +
    'the median of ‖θ̂ − θ*‖ / σ with a bootstrap interval on contaminated data.',
  evidence: { chapter: CHAPTER, heading: '5. δ has units: scale it by a robust estimate' },
  run() {
    const fixedLoss = huber(FIXED_DELTA);
    const fixedEfficiency: Interval[] = [];
    const scaledEfficiency: Interval[] = [];
    const fixedError: Interval[] = [];
    const scaledError: Interval[] = [];
    // One bootstrap seed per statistic at every σ: the resamples then match across σ, and so do
    // the intervals of an estimator that changes units with the data.
    SCALES.forEach((sigma) => {
      const slopes = [
        new Float64Array(SCALE_SAMPLES),
        new Float64Array(SCALE_SAMPLES),
        new Float64Array(SCALE_SAMPLES),
      ];
      for (let r = 0; r < SCALE_SAMPLES; r++) {
        const data = line(150_000 + r, { noiseScale: sigma });
        slopes[0][r] = fitLinear(data.X, data.y, { loss: l2 }).weights[0];
        slopes[1][r] = fitLinear(data.X, data.y, { loss: fixedLoss }).weights[0];
        slopes[2][r] = fitScaledHuber(data.X, data.y).fit.weights[0];
      }
      fixedEfficiency.push(spreadRatio(slopes[0], slopes[1], 1500));
      scaledEfficiency.push(spreadRatio(slopes[0], slopes[2], 1550));
      const errors = [new Float64Array(SCALE_CONTAMINATED), new Float64Array(SCALE_CONTAMINATED)];
      for (let r = 0; r < SCALE_CONTAMINATED; r++) {
        const data = line(160_000 + r, {
          noiseScale: sigma,
          outliers: { fraction: 0.1, shift: 10 * sigma, spread: sigma },
        });
        errors[0][r] = parameterError(fitLinear(data.X, data.y, { loss: fixedLoss }), data) / sigma;
        errors[1][r] = parameterError(fitScaledHuber(data.X, data.y).fit, data) / sigma;
      }
      fixedError.push(medianInterval(errors[0], 1600));
      scaledError.push(medianInterval(errors[1], 1650));
    });
    return { measurements: {}, scales: SCALES, fixedEfficiency, scaledEfficiency, fixedError, scaledError };
  },
};
