/**
 * Chapter 01's experiments: the identities behind "risk", "average" and "objective", and
 * training as minimisation, each over 20 seeded data sets; the law of large numbers for a
 * fixed predictor; the optimism of a training risk minimised by ERM; overfitting in a degree
 * sweep; and the small pieces of plumbing the chapter's figures need.
 */
import { makeClassification, makeRegression, type Dataset } from '../../data/generators';
import { createRng } from '../../random/rng';
import { LossInputError, readGuarded } from '../../errors';
import { readRecord, renamed } from '../arguments';
import { fitLinear } from '../../fit/fitLinear';
import { fitThreshold } from '../../fit/threshold';
import type { IterationState } from '../../fit/types';
import { losses } from '../../losses/registry';
import type { Figure } from '../../plot/figure';
import { riskSurface } from '../../plot/riskSurface';
import { MAX_SLIDER_STEPS, sliderFigure } from '../../plot/slider';
import { risk, values } from '../../risk';
import { materialise } from '../../validate';
import type { Experiment, ExperimentResult } from '../experiment';
import {
  bootstrapInterval,
  exactly,
  mean,
  meanInterval,
  median,
  normalCdf,
  normalPdf,
  quantile,
  ratioInterval,
  sd,
  slopeInterval,
  type Interval,
} from '../stats';
import { findingOf, measured, type Condition, type Finding, type Measurements } from '../verdict';

const CHAPTER = '01-empirical-risk-minimisation.ipynb';
const DATA_SETS = 20;
const EPS = Number.EPSILON;

/**
 * A bound on the rounding error of a sum of n terms of total size Σ|xᵢ| added one by one:
 * n·ε·Σ|xᵢ| (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2, which gives
 * (n − 1)u with u = ε/2; we keep the factor 2 as margin). The smallest positive double keeps
 * the unit defined when every term is 0.
 */
const sumRounding = (n: number, absoluteTotal: number): number => Math.max(n * EPS * absoluteTotal, Number.MIN_VALUE);

/** Σ|xᵢ| of an array. */
function absoluteTotal(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.abs(xs[i]);
  return s;
}

const blobs = (seed: number): Dataset => makeClassification({ n: 50, d: 2, seed });
const line = (seed: number): Dataset =>
  makeRegression({ n: 50, d: 1, seed, weights: [2], intercept: 1, noiseScale: 0.8 });

/**
 * A copy of the grid, each entry read once under the guard: the loops below must see the values
 * checked here, and a getter or trap that throws is a LossInputError naming the grid.
 */
function checkGrid(argument: string, grid: readonly number[]): Float64Array {
  const domain = '1 to 10 000 finite numbers';
  const refuse = (): LossInputError =>
    new LossInputError({ argument, value: grid, problem: 'is not a grid of finite numbers', domain });
  return readGuarded(
    argument,
    () => {
      const length = Array.isArray(grid) ? grid.length : 0;
      if (!(length >= 1 && length <= 10_000)) throw refuse();
      const copy = new Float64Array(length);
      for (let k = 0; k < length; k++) {
        const v: unknown = grid[k];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw refuse();
        copy[k] = v;
      }
      return copy;
    },
    domain,
  );
}

/** A point of a (w, b) grid and the L2 risk of the line w x + b there. */
export interface GridMinimum {
  w: number;
  b: number;
  value: number;
}

/**
 * The grid points (w, b) where the total and where the mean L2 loss of the lines w x + b are
 * smallest, over a data set of one feature; ties go to the first point in the order w, then b.
 */
export function gridMinimisers(
  data: Dataset,
  ws: readonly number[],
  bs: readonly number[],
): { sum: GridMinimum; mean: GridMinimum } {
  // isView, not only instanceof: a Proxy around a Float64Array passes instanceof and then throws on length.
  const isFloat64 = (v: unknown): v is Float64Array => ArrayBuffer.isView(v) && v instanceof Float64Array;
  const problem = 'is not a data set of one feature';
  const domain = 'makeRegression({ d: 1, ... })';
  // The records are read once, under guards naming them; the arrays in them are then real
  // Float64Arrays (a Proxy is no view), whose reads cannot throw.
  const set = readRecord('data', data, problem, domain);
  const X = readRecord('data.X', set.X, 'is not a matrix of one column', domain);
  const { y } = set;
  const x = X.data;
  if (X.cols !== 1 || !isFloat64(y) || !isFloat64(x) || x.length !== y.length) {
    throw new LossInputError({ argument: 'data', value: data, problem, domain });
  }
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new LossInputError({
      argument: 'data.X',
      index: [bad, 0],
      value: x[bad],
      problem: 'is not a finite number',
      domain: 'finite numbers',
    });
  const wGrid = checkGrid('ws', ws);
  const bGrid = checkGrid('bs', bs);
  const f = new Float64Array(y.length);
  const best = { sum: { w: NaN, b: NaN, value: Infinity }, mean: { w: NaN, b: NaN, value: Infinity } };
  for (const w of wGrid) {
    for (const b of bGrid) {
      for (let i = 0; i < f.length; i++) f[i] = w * x[i] + b;
      const total = risk(losses.l2, y, f, { reduction: 'sum' });
      const average = risk(losses.l2, y, f);
      if (total < best.sum.value) best.sum = { w, b, value: total };
      if (average < best.mean.value) best.mean = { w, b, value: average };
    }
  }
  return best;
}

/** The grid of erm-identities: 101 × 101 lines, w in [−1, 3] and b in [0, 4] by steps of 0.04. */
const IDENTITY_GRID = Array.from({ length: 101 }, (_, k) => -1 + 0.04 * k);
const IDENTITY_INTERCEPTS = IDENTITY_GRID.map((v) => v + 1);

/** Do the grid minimisers of the total and of the mean L2 risk of lines w x + b over one data set agree? */
function argminsAgree(data: Dataset): boolean {
  const best = gridMinimisers(data, IDENTITY_GRID, IDENTITY_INTERCEPTS);
  return best.sum.w === best.mean.w && best.sum.b === best.mean.b;
}

export interface ErmIdentities extends ExperimentResult {
  /** Per data set: the penalised objective minus the mean loss (the penalty's share). */
  penaltyShares: Float64Array;
  /** Per data set: the 0–1 error rate and the logistic risk of the same fit. */
  errorRates: Float64Array;
  surrogateRisks: Float64Array;
}

/** How the definitions of chapter 01 hold up in the package, measured over 20 data sets. */
export const ermIdentities: Experiment<ErmIdentities> = {
  id: 'erm-identities',
  title: 'Risk, average, total and objective on 20 data sets',
  design:
    'On 20 seeded data sets of 50 rows (Gaussian classes for the classification identities, a noisy line for the regression ones): ' +
    'the risk against the hand-computed average of per-example losses; the objective of an unpenalised and of an l2-penalised (λ = 0.1) logistic fit against its mean loss; ' +
    "its 0–1 error rate against its logistic risk; the grid minimisers (101 × 101 lines) of the total and of the mean L2 risk; each example's share of the total (leave-one-out); " +
    'and, on 1000 random (target, two feature contributions) triples, whether the L2 loss of a sum of contributions is the sum of their losses. Gaps are in units of the rounding bound of the sums involved.',
  evidence: { chapter: CHAPTER, heading: '1. Loss and risk' },
  run() {
    let averageGap = 0;
    let unpenalisedGap = 0;
    let penalisedGap = Infinity;
    let errorGap = Infinity;
    let looGap = 0;
    let disagreements = 0;
    let totalOverAverage = NaN;
    const penaltyShares = new Float64Array(DATA_SETS);
    const errorRates = new Float64Array(DATA_SETS);
    const surrogateRisks = new Float64Array(DATA_SETS);
    for (let s = 0; s < DATA_SETS; s++) {
      const cls = blobs(100 + s);
      const plain = fitLinear(cls.X, cls.y, { loss: losses.logistic });
      const scores = plain.predict(cls.X);
      const perExample = values(losses.logistic, cls.y, scores);
      const n = perExample.length;
      let byHand = 0;
      for (let i = 0; i < n; i++) byHand += perExample[i];
      const unit = sumRounding(n, absoluteTotal(perExample)) / n;
      const mean = risk(losses.logistic, cls.y, scores);
      averageGap = Math.max(averageGap, Math.abs(mean - byHand / n) / unit);
      unpenalisedGap = Math.max(unpenalisedGap, Math.abs(plain.objective - mean) / unit);

      const penalised = fitLinear(cls.X, cls.y, { loss: losses.logistic, l2: 0.1 });
      const penalisedScores = penalised.predict(cls.X);
      const penalisedMean = risk(losses.logistic, cls.y, penalisedScores);
      penaltyShares[s] = penalised.objective - penalisedMean;
      penalisedGap = Math.min(penalisedGap, Math.abs(penaltyShares[s]) / unit);
      errorRates[s] = risk(losses.zeroOne, cls.y, penalisedScores);
      surrogateRisks[s] = penalisedMean;
      errorGap = Math.min(errorGap, Math.abs(errorRates[s] - penalisedMean) / unit);

      const reg = line(200 + s);
      if (!argminsAgree(reg)) disagreements++;
      const f = Float64Array.from(reg.X.data, (x) => 2 * x + 1);
      const regLosses = values(losses.l2, reg.y, f);
      const total = risk(losses.l2, reg.y, f, { reduction: 'sum' });
      totalOverAverage = total / risk(losses.l2, reg.y, f);
      const totalUnit = sumRounding(n, absoluteTotal(regLosses));
      for (let i = 0; i < n; i++) {
        const without = risk(
          losses.l2,
          [...reg.y.slice(0, i), ...reg.y.slice(i + 1)],
          [...f.slice(0, i), ...f.slice(i + 1)],
          { reduction: 'sum' },
        );
        // Two sums and one subtraction: three rounding bounds of the total.
        looGap = Math.max(looGap, Math.abs(total - without - regLosses[i]) / (3 * totalUnit));
      }
    }

    const triples = makeRegression({ n: 1000, d: 2, seed: 300, weights: [0, 0], noiseScale: 1 });
    const ratios = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) {
      const y = triples.y[i];
      const f1 = triples.X.data[2 * i];
      const f2 = triples.X.data[2 * i + 1];
      const joint = losses.l2.value(y, f1 + f2);
      const split = losses.l2.value(y, f1) + losses.l2.value(y, f2);
      // Each squared error is within 2ε of itself, the sum adds one more rounding.
      ratios[i] = Math.abs(joint - split) / Math.max(4 * EPS * (Math.abs(joint) + Math.abs(split)), Number.MIN_VALUE);
    }
    const featureGap = bootstrapInterval(1000, (idx) => median(Array.from(idx, (i) => ratios[i])), { seed: 301 });

    const exact = (value: number, method: string) => exactly(value, 0, method);
    return {
      measurements: {
        averageGap: measured(
          '|risk − average of per-example losses|, in rounding units (largest of 20)',
          exact(averageGap, 'largest of 20 data sets'),
        ),
        unpenalisedObjectiveGap: measured(
          '|objective − mean loss| without a penalty, in rounding units (largest of 20)',
          exact(unpenalisedGap, 'largest of 20 data sets'),
        ),
        penalisedObjectiveGap: measured(
          '|objective − mean loss| with an l2 penalty, in rounding units (smallest of 20)',
          exact(penalisedGap, 'smallest of 20 data sets'),
        ),
        errorRateVsSurrogateGap: measured(
          '|0–1 error rate − logistic risk|, in rounding units (smallest of 20)',
          exact(errorGap, 'smallest of 20 data sets'),
        ),
        argminDisagreements: measured(
          'data sets where the grid minimisers of the total and of the mean differ (of 20)',
          exact(disagreements, 'count over 20 data sets'),
        ),
        totalOverAverage: measured('total / average of the L2 losses (n = 50)', exact(totalOverAverage, 'computed')),
        exampleAdditivityGap: measured(
          '|total − total without example i − loss of i|, in rounding units (largest over 20 × 50)',
          exact(looGap, 'largest over 1000 examples'),
        ),
        featureAdditivityGap: measured(
          '|loss of f₁ + f₂ − (loss of f₁ + loss of f₂)|, in rounding units (median of 1000)',
          featureGap,
        ),
      },
      penaltyShares,
      errorRates,
      surrogateRisks,
    };
  },
};

export interface ErmTraining extends ExperimentResult {
  /** Per data set: the objective at each of the 101 iterates of gradient descent. */
  paths: Float64Array[];
}

/** Gradient descent on the logistic risk of 20 data sets: does training make the loss small? */
export const ermTraining: Experiment<ErmTraining> = {
  id: 'erm-training',
  title: 'Gradient descent on 20 logistic risks',
  design:
    '100 steps of gradient descent (step 1/L) on the logistic risk of a linear classifier, from w = 0, on 20 seeded data sets of 100 rows from two Gaussian classes; ' +
    'the statistic is the largest ratio of the final to the initial objective.',
  evidence: { chapter: CHAPTER, heading: '4b. By gradient descent on a surrogate' },
  run() {
    const paths: Float64Array[] = [];
    let worst = 0;
    for (let s = 0; s < DATA_SETS; s++) {
      const data = makeClassification({ n: 100, seed: 400 + s });
      const fit = fitLinear(data.X, data.y, { loss: losses.logistic, solver: 'gd', maxIter: 100, tol: 0 });
      const path = Float64Array.from(fit.history, (h) => h.objective);
      paths.push(path);
      worst = Math.max(worst, path[path.length - 1] / path[0]);
    }
    return {
      measurements: {
        trainingObjectiveRatio: measured(
          'final / initial objective of gradient descent (largest of 20)',
          exactly(worst, 0, 'largest of 20 data sets'),
        ),
      },
      paths,
    };
  },
};

/**
 * Rules the chapter checks that are not claims of the note (theory it demonstrates): each is a
 * condition on a measured interval, judged exactly like a claim's condition.
 */
export function judgeRules(rules: readonly Condition[], measurements: Measurements): Finding[] {
  const domain = 'Condition[] with at least one entry';
  // The length and then each rule are read once, under guards naming the list, so a getter or
  // trap that throws is a LossInputError and the loop runs over what was checked.
  const count = readGuarded('rules', () => (Array.isArray(rules) ? rules.length : 0), domain);
  // An empty list would judge nothing and read as "every rule holds".
  if (count === 0) {
    throw new LossInputError({
      argument: 'rules',
      value: rules,
      problem: 'is not a non-empty list of conditions',
      domain,
    });
  }
  const record = readRecord(
    'measurements',
    measurements,
    'is not a record of measurements',
    '{ [statistic]: Measurement }',
  );
  const findings: Finding[] = [];
  // A for loop, not map: map skips the holes of a sparse list, which would drop a rule unjudged.
  for (let i = 0; i < count; i++) {
    const condition = readGuarded('rules', () => rules[i], domain);
    if (typeof condition !== 'object' || condition === null) {
      throw new LossInputError({
        argument: `rules[${i}]`,
        value: condition,
        problem: 'is not a condition',
        domain: 'a Condition',
      });
    }
    const statistic: unknown = readGuarded(`rules[${i}]`, () => condition.statistic, 'a Condition');
    // The rule is what names the statistic, so a name with no measurement is the rule's to fix.
    if (typeof statistic !== 'string' || !Object.hasOwn(record, statistic)) {
      throw new LossInputError({
        argument: `rules[${i}].statistic`,
        value: statistic,
        problem: 'names no measurement',
        domain: `one of ${Object.keys(record).join(', ') || '(no measurements)'}`,
      });
    }
    const measurement = record[statistic];
    findings.push(renamed(`rules[${i}]`, 'condition', () => findingOf(condition, statistic, measurement)));
  }
  return findings;
}

/** E max(0, 1 − M) for M ~ N(μ, 1): the integral of (1 − m) φ(m − μ) over m < 1, which is a Φ(a) + φ(a) with a = 1 − μ. */
function hingeOfNormalMargin(mu: number): number {
  const a = 1 - mu;
  return a * normalCdf(a) + normalPdf(a);
}

function checkFiniteNumber(argument: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new LossInputError({ argument, value: x, problem: 'is not a finite number', domain: 'a finite number' });
  return x;
}

/**
 * The true hinge risk of h(x) = x − shift on the classes of `makeClassification({ d: 1 })`
 * (labels ±1 with probability ½, X | Y ~ N(Y, 1)): the margin Y h(X) is N(1 − shift, 1) given
 * Y = 1 and N(1 + shift, 1) given Y = −1, so no sampling is involved.
 *
 * @example
 * ```ts
 * import { hingeRiskOfShift } from 'losslab/course';
 * hingeRiskOfShift(0.3).toFixed(4); // "0.4168"
 * hingeRiskOfShift(0).toFixed(4);   // "0.3989"
 * ```
 */
export function hingeRiskOfShift(shift: number): number {
  checkFiniteNumber('shift', shift);
  return 0.5 * (hingeOfNormalMargin(1 - shift) + hingeOfNormalMargin(1 + shift));
}

/**
 * The true 0–1 risk of the threshold classifier "predict `direction` above t, −`direction`
 * below" on the classes of `makeClassification({ d: 1 })`: ½ [Φ(t − 1) + Φ(−t − 1)] for
 * direction +1 (a positive below t, or a negative above it), one minus that for −1. Its
 * smallest value, at t = 0, is the Bayes risk Φ(−1).
 */
export function thresholdRisk(threshold: number, direction: 1 | -1): number {
  if (typeof threshold !== 'number' || Number.isNaN(threshold))
    throw new LossInputError({
      argument: 'threshold',
      value: threshold,
      problem: 'is not a number',
      domain: 'a number or ±Infinity',
    });
  if (direction !== 1 && direction !== -1)
    throw new LossInputError({
      argument: 'direction',
      value: direction,
      problem: 'is not a direction',
      domain: '1 or -1',
    });
  // An infinite threshold predicts one class everywhere and is wrong on the other half.
  const up = Number.isFinite(threshold) ? 0.5 * (normalCdf(threshold - 1) + normalCdf(-threshold - 1)) : 0.5;
  return direction === 1 ? up : 1 - up;
}

/**
 * The naive version of `fitThreshold`: every midpoint between consecutive distinct x (and
 * ±Infinity), each with its training 0–1 risk recomputed from scratch by `risk`, direction +1
 * first. Quadratic in n, so only for checking the fast scan.
 */
export function scanThresholds(
  points: ArrayLike<number>,
  labels: ArrayLike<number>,
): { thresholds: number[]; risksUp: number[]; best: { threshold: number; direction: 1 | -1; risk: number } } {
  // One read of each point, under the guard (a throwing getter or trap is a LossInputError naming
  // x): the scan below uses what was checked.
  const x = readGuarded(
    'x',
    () => {
      if (
        typeof points !== 'object' ||
        points === null ||
        !Number.isInteger(points.length) ||
        points.length < 1 ||
        points.length > 10_000
      ) {
        throw new LossInputError({
          argument: 'x',
          value: points,
          problem: 'is not a sample of 1 to 10 000 numbers',
          domain: 'an array of finite numbers',
        });
      }
      return Array.from(points, (v) => checkFiniteNumber('x', v));
    },
    'an array of finite numbers',
  );
  // y too is read once: every threshold's risk below reads this copy, which `risk` checks.
  const y = materialise('zeroOne', 'y', labels, 'sign');
  const distinct = Array.from(new Set(x)).sort((a, b) => a - b);
  const thresholds = [-Infinity, ...distinct.slice(1).map((v, k) => (distinct[k] + v) / 2), Infinity];
  const scores = new Float64Array(x.length);
  const risksUp: number[] = [];
  let best = { threshold: NaN, direction: 1 as 1 | -1, risk: Infinity };
  for (const t of thresholds) {
    for (const s of [1, -1] as const) {
      for (let i = 0; i < x.length; i++) scores[i] = t === -Infinity ? s : t === Infinity ? -s : s * (x[i] - t);
      const r = risk(losses.zeroOne, y, scores);
      if (s === 1) risksUp.push(r);
      if (r < best.risk) best = { threshold: t, direction: s, risk: r };
    }
  }
  return { thresholds, risksUp, best };
}

const LLN_SIZES = [10, 20, 50, 100, 200, 500, 1000, 3000];
const LLN_SAMPLES = 200;
const LLN_SHIFT = 0.3;
/** Family-wise error of the bias intervals: 5% shared over the sizes (Bonferroni). */
const LLN_BIAS_LEVEL = 1 - 0.05 / LLN_SIZES.length;
/** Midpoint rule for the true risk: step and lower end (the integrand is below 1e-20 beyond it). */
const QUADRATURE_STEP = 1e-4;
const QUADRATURE_FROM = -10;

/**
 * The hinge risk of h(x) = x − shift as an integral over the margin m, by the midpoint rule on
 * [−10, 1], with its error bound: (b − a) h² max|g''| / 24 for g(m) = (1 − m) ψ(m), ψ the
 * mixture density of the margin. |g''| ≤ 2 max|ψ'| + 11 max|ψ''| ≤ 2 φ(1) + 11 φ(0) < 5, and
 * the k-th rounding of the running sum adds at most k ε of it.
 */
function hingeRiskByQuadrature(shift: number): { value: number; errorBound: number } {
  const steps = Math.round((1 - QUADRATURE_FROM) / QUADRATURE_STEP);
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    const m = QUADRATURE_FROM + (k + 0.5) * QUADRATURE_STEP;
    sum += (1 - m) * 0.5 * (normalPdf(m - (1 - shift)) + normalPdf(m - (1 + shift)));
  }
  const value = sum * QUADRATURE_STEP;
  return { value, errorBound: ((1 - QUADRATURE_FROM) * QUADRATURE_STEP ** 2 * 5) / 24 + steps * EPS * value };
}

/** One sample size of the law-of-large-numbers experiment. */
export interface SampleSizeSummary {
  n: number;
  /** Mean, standard deviation, 5% and 95% quantiles of the 200 empirical risks. */
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  /** Interval for E R̂ₙ − R(h) at level `biasLevel`. */
  bias: Interval;
}

export interface ErmLawOfLargeNumbers extends ExperimentResult {
  shift: number;
  /** R(h) in closed form, and by quadrature with its error bound. */
  trueRisk: number;
  quadrature: { value: number; errorBound: number };
  samples: number;
  biasLevel: number;
  sizes: SampleSizeSummary[];
}

/** The rule for the spread of a fixed predictor's empirical risk, stated before the run. */
export const lawOfLargeNumbersRules: readonly Condition[] = [
  {
    statistic: 'spreadSlope',
    test: 'within',
    threshold: [-0.6, -0.4],
    because:
      "theory gives −½; a slope off by 0.1 would change the spread at n = 3000 relative to n = 10 by a factor 300^0.1 ≈ 1.8, a difference the chart would show, while the interval's expected half-width is about 0.03",
  },
];

/** The empirical hinge risk of a fixed classifier over 200 seeded samples at each of 8 sizes. */
export const ermLawOfLargeNumbers: Experiment<ErmLawOfLargeNumbers> = {
  id: 'erm-law-of-large-numbers',
  title: 'The empirical risk of a fixed classifier, 200 samples at each of 8 sizes',
  design:
    'h(x) = x − 0.3 and the hinge loss on two Gaussian classes (X | Y ~ N(Y, 1)); for n in 10, 20, 50, 100, 200, 500, 1000, 3000, 200 samples (sample r of size n has seed 1000 n + r). ' +
    'At each n: the mean, spread and 5–95% range of the 200 empirical risks, and an interval for their bias against the closed-form R(h) at level 1 − 0.05/8 (5% family-wise). ' +
    "The statistic: the least-squares slope of log sd against log n with its t interval (6 degrees of freedom). Each log sd has a standard error near 1/√(2·199) ≈ 0.05, so over these sizes the slope's standard error is about 0.01.",
  evidence: { chapter: CHAPTER, heading: '3. The empirical risk of a fixed predictor approaches its true risk' },
  run() {
    const trueRisk = hingeRiskOfShift(LLN_SHIFT);
    const sizes = LLN_SIZES.map((n): SampleSizeSummary => {
      const estimates = new Float64Array(LLN_SAMPLES);
      const scores = new Float64Array(n);
      for (let r = 0; r < LLN_SAMPLES; r++) {
        const sample = makeClassification({ n, d: 1, seed: 1000 * n + r });
        for (let i = 0; i < n; i++) scores[i] = sample.X.data[i] - LLN_SHIFT;
        estimates[r] = risk(losses.hinge, sample.y, scores);
      }
      const bias = meanInterval(
        estimates.map((e) => e - trueRisk),
        LLN_BIAS_LEVEL,
      );
      return {
        n,
        mean: mean(estimates),
        sd: sd(estimates),
        lower: quantile(estimates, 0.05),
        upper: quantile(estimates, 0.95),
        bias,
      };
    });
    const slope = slopeInterval(
      sizes.map((s) => Math.log(s.n)),
      sizes.map((s) => Math.log(s.sd)),
    );
    return {
      measurements: { spreadSlope: measured('log–log slope of sd(R̂ₙ) against n', slope) },
      shift: LLN_SHIFT,
      trueRisk,
      quadrature: hingeRiskByQuadrature(LLN_SHIFT),
      samples: LLN_SAMPLES,
      biasLevel: LLN_BIAS_LEVEL,
      sizes,
    };
  },
};

const OPTIMISM_SAMPLES = 200;
const OPTIMISM_SIZE = 40;

export interface ErmThresholdOptimism extends ExperimentResult {
  /** Per sample: the training and the true 0–1 risk of the threshold ERM chose. */
  trainingRisks: Float64Array;
  trueRisks: Float64Array;
  bayesRisk: number;
}

/** The rule for the optimism of ERM's training risk, stated before the run. */
export const optimismRules: readonly Condition[] = [
  {
    statistic: 'optimism',
    test: 'above',
    threshold: 0,
    because: 'above 0 means the training risk of the chosen classifier is, on average, below its true risk',
  },
];

/** Exact 0–1 ERM over thresholds on 200 samples: how far below its true risk is the training risk of the winner? */
export const ermThresholdOptimism: Experiment<ErmThresholdOptimism> = {
  id: 'erm-threshold-optimism',
  title: 'Training vs true 0–1 risk of the ERM threshold, 200 samples of 40',
  design:
    '200 seeded samples (seeds 5000 to 5199) of 40 points from the two Gaussian classes; on each, fitThreshold picks the threshold classifier of smallest training 0–1 risk, ' +
    'and its true risk comes from the normal distribution function. The statistic is the mean of true − training risk with its t interval; ' +
    'with a spread of about 0.07 per sample its standard error is near 0.005, so an optimism of 0.02 or more would be detected with near certainty.',
  evidence: { chapter: CHAPTER, heading: '4a. By brute force: thresholds on one feature' },
  run() {
    const trainingRisks = new Float64Array(OPTIMISM_SAMPLES);
    const trueRisks = new Float64Array(OPTIMISM_SAMPLES);
    for (let r = 0; r < OPTIMISM_SAMPLES; r++) {
      const sample = makeClassification({ n: OPTIMISM_SIZE, d: 1, seed: 5000 + r });
      const chosen = fitThreshold(sample.X.data, sample.y);
      trainingRisks[r] = chosen.risk;
      trueRisks[r] = thresholdRisk(chosen.threshold, chosen.direction);
    }
    const gaps = trueRisks.map((t, r) => t - trainingRisks[r]);
    return {
      measurements: {
        optimism: measured('true − training 0–1 risk of the ERM threshold (mean of 200)', meanInterval(gaps)),
      },
      trainingRisks,
      trueRisks,
      bayesRisk: normalCdf(-1),
    };
  },
};

const DEGREES = Array.from({ length: 12 }, (_, k) => k + 1);
const SWEEP_RUNS = 40;
const SWEEP_SIZE = 15;

/** Powers x, x², …, x^degree of each point: the features of a polynomial model. */
function polynomialFeatures(xs: ArrayLike<number>, degree: number): number[][] {
  return Array.from(xs, (x) => Array.from({ length: degree }, (_, j) => x ** (j + 1)));
}

/** n points of y = sin(πx) + N(0, 0.3²), x uniform on [−1, 1]. */
function sineSample(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
  const y = x.map((v) => Math.sin(Math.PI * v) + rng.normal(0, 0.3));
  return { x, y };
}

function norm(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i];
  return Math.sqrt(s);
}

/**
 * How far a computed least-squares training risk can lie from the true minimum: Householder QR
 * solves a nearby problem with ‖ΔA‖_F ≤ γ‖A‖_F and ‖Δy‖ ≤ γ‖y‖, γ = c n m u for a small constant
 * c (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 20.3; we take c = 4,
 * so γ = 2 n m ε for m columns with the intercept), which moves the smallest residual norm by at
 * most δ = γ(‖A‖_F ‖w‖ + ‖y‖) and the mean squared residual by at most (2‖r‖ + δ) δ / n.
 */
function leastSquaresRiskBound(
  features: number[][],
  y: Float64Array,
  weights: Float64Array,
  intercept: number,
  residualNorm: number,
): number {
  const n = y.length;
  const m = weights.length + 1;
  let frobenius = n;
  for (const row of features) for (const v of row) frobenius += v * v;
  const gamma = 2 * n * m * EPS;
  const delta = gamma * (Math.sqrt(frobenius) * Math.hypot(norm(weights), intercept) + norm(y));
  return ((2 * residualNorm + delta) * delta) / n;
}

/** Median and 10–90% band per degree, over the runs. */
export interface DegreeSummary {
  median: number[];
  lower: number[];
  upper: number[];
}

export interface ErmOverfitting extends ExperimentResult {
  degrees: number[];
  /** Per run, per degree: training and test mean squared error. */
  training: Float64Array[];
  test: Float64Array[];
  trainingSummary: DegreeSummary;
  testSummary: DegreeSummary;
  /** Largest rise of the training risk from one degree to the next, in units of the two fits' rounding bounds (0 when it never rises). */
  trainingRiseInRoundingUnits: number;
}

/** The rules for the shape of the test risk, stated before the run. */
export const overfittingRules: readonly Condition[] = [
  {
    statistic: 'testRiskFall',
    test: 'below',
    threshold: 1,
    because: 'a ratio below 1 means the cubic predicts fresh points better than the line: the test risk falls at first',
  },
  {
    statistic: 'testRiskRise',
    test: 'above',
    threshold: 1,
    because: 'a ratio above 1 means degree 12 predicts fresh points worse than the cubic: the test risk turns back up',
  },
];

function summarise(runs: readonly Float64Array[], k: number, q: number): number {
  return quantile(
    runs.map((run) => run[k]),
    q,
  );
}

/** Least-squares polynomials of degree 1 to 12 on 40 samples of 15 points: training and test risk. */
export const ermOverfitting: Experiment<ErmOverfitting> = {
  id: 'erm-overfitting',
  title: 'Training and test risk of least-squares polynomials of degree 1 to 12, 40 samples of 15',
  design:
    '40 training samples of 15 points (seeds 100 to 139) from y = sin(πx) + N(0, 0.3²), x uniform on [−1, 1], and one test sample of 2000 (seed 999); ' +
    'polynomials of degree 1 to 12 fitted by least squares. The statistics are geometric means over the 40 samples of paired ratios of test risks, ' +
    'degree 3 to degree 1 and degree 12 to degree 3, with t intervals on the logs. Degree 3 is fixed in advance: the lowest degree that bends twice, as sin(πx) does on [−1, 1].',
  evidence: { chapter: CHAPTER, heading: '5. Training risk vs test risk: overfitting' },
  run() {
    const testSet = sineSample(2000, 999);
    const training: Float64Array[] = [];
    const test: Float64Array[] = [];
    let rise = 0;
    for (let r = 0; r < SWEEP_RUNS; r++) {
      const train = sineSample(SWEEP_SIZE, 100 + r);
      const trainRisk = new Float64Array(DEGREES.length);
      const testRisk = new Float64Array(DEGREES.length);
      const bounds = new Float64Array(DEGREES.length);
      DEGREES.forEach((d, k) => {
        const features = polynomialFeatures(train.x, d);
        const fit = fitLinear(features, train.y, { loss: losses.l2 });
        trainRisk[k] = risk(losses.l2, train.y, fit.predict(features));
        testRisk[k] = risk(losses.l2, testSet.y, fit.predict(polynomialFeatures(testSet.x, d)));
        bounds[k] = leastSquaresRiskBound(
          features,
          train.y,
          fit.weights,
          fit.intercept,
          Math.sqrt(trainRisk[k] * SWEEP_SIZE),
        );
        if (k > 0) rise = Math.max(rise, (trainRisk[k] - trainRisk[k - 1]) / (bounds[k] + bounds[k - 1]));
      });
      training.push(trainRisk);
      test.push(testRisk);
    }
    const at = (degree: number) => test.map((run) => run[degree - 1]);
    const summary = (runs: Float64Array[]): DegreeSummary => ({
      median: DEGREES.map((_, k) => summarise(runs, k, 0.5)),
      lower: DEGREES.map((_, k) => summarise(runs, k, 0.1)),
      upper: DEGREES.map((_, k) => summarise(runs, k, 0.9)),
    });
    return {
      measurements: {
        testRiskFall: measured(
          'test risk of degree 3 / degree 1 (geometric mean of 40 paired ratios)',
          ratioInterval(at(3), at(1)),
        ),
        testRiskRise: measured(
          'test risk of degree 12 / degree 3 (geometric mean of 40 paired ratios)',
          ratioInterval(at(12), at(3)),
        ),
      },
      degrees: DEGREES,
      training,
      test,
      trainingSummary: summary(training),
      testSummary: summary(test),
      trainingRiseInRoundingUnits: rise,
    };
  },
};

/**
 * Records the path (w, b) of a one-feature fit: pass `onIteration` to `fitLinear` and read
 * `path` afterwards (the solvers that move one point report it, the start included).
 */
export function pathRecorder(): {
  path: Array<{ w: number; b: number }>;
  onIteration: (state: IterationState) => void;
} {
  const path: Array<{ w: number; b: number }> = [];
  return {
    path,
    onIteration(state) {
      const domain = 'what fitLinear passes to onIteration';
      const { weights, intercept } = readRecord('state', state, 'is not an iteration state', domain);
      if (weights === undefined || intercept === undefined) return;
      const w: unknown = readGuarded(
        'state.weights',
        () => (typeof weights === 'object' && weights !== null ? weights[0] : undefined),
        domain,
      );
      if (typeof w !== 'number' || typeof intercept !== 'number') {
        throw new LossInputError({
          argument: 'state',
          value: state,
          problem: 'has no number for the weight or the intercept',
          domain,
        });
      }
      path.push({ w, b: intercept });
    },
  };
}

/**
 * 1 − λ_min/λ_max of the Hessian of the L2 risk of lines w x + b over the points x: gradient
 * descent with step 1/λ_max multiplies the distance to the least-squares line by at most this
 * factor per step (the error obeys e ← (I − H/λ_max) e exactly on a quadratic). A step 1/L̂ with
 * L̂ a little below λ_max, as power iteration gives, contracts at least as fast.
 */
export function lineFitContraction(x: ArrayLike<number>): number {
  const { largest, determinant } = lineMoments(x);
  // λ_min/λ_max = determinant / largest², with λ_min from the determinant, since λ_max − 2·spread
  // would cancel when the eigenvalues differ a lot.
  return 1 - determinant / largest / largest;
}

/**
 * The Hessian of the L2 risk of lines over the points x is 2 [[E x², E x], [E x, 1]]: the largest
 * eigenvalue of the bracket and its determinant, and the points as read and checked, for a
 * sample that determines a line.
 */
function lineMoments(points: unknown): { x: number[]; largest: number; determinant: number } {
  // One read of each point, under the guard (a throwing getter or trap is a LossInputError naming
  // x): the means below use what was checked.
  const x = readGuarded(
    'x',
    () => {
      const p = points as ArrayLike<number> | null;
      if (typeof p !== 'object' || p === null || !Number.isInteger(p.length) || p.length < 2 || p.length > 10_000_000) {
        throw new LossInputError({
          argument: 'x',
          value: points,
          problem: 'is not a sample of 2 to 10 000 000 numbers',
          domain: 'an array of finite numbers',
        });
      }
      return Array.from(p, (v) => checkFiniteNumber('x', v));
    },
    'an array of finite numbers',
  );
  const m1 = mean(x);
  const m2 = mean(Array.from(x, (v) => v * v));
  // The determinant E x² − (E x)², as the mean squared deviation: the difference would cancel for data far from 0.
  const determinant = mean(Array.from(x, (v) => (v - m1) ** 2));
  if (!(determinant > 0))
    throw new LossInputError({
      argument: 'x',
      value: x,
      problem: 'has no spread, so the line is not determined',
      domain: 'at least two distinct values',
    });
  return { x, largest: (m2 + 1) / 2 + Math.hypot((m2 - 1) / 2, m1), determinant };
}

/** The start of the gradient-descent paths of section 6, far from the least-squares line on purpose. */
const SURFACE_START = { w: -2, b: -2 };

export interface StepSizeSlider {
  /** One risk surface per step size, switched by a slider. */
  figure: Figure;
  /** λ_max of the risk's Hessian: the steps are the multiples over it. */
  curvature: number;
  /**
   * Per step size, the steps taken (fewer than asked when gradient descent met its stopping
   * test first) and the distance of the start and of the last iterate from the least-squares line.
   */
  distances: Array<{ steps: number; start: number; end: number }>;
}

/**
 * Gradient descent on the L2 risk of lines w x + b over (x, y), from (w, b) = (−2, −2) as in
 * section 6, for `iterations` steps of fixed size m/λ_max for each multiple m (λ_max: the
 * largest eigenvalue of the risk's Hessian, in closed form for lines). On a quadratic the error
 * is multiplied by I − (m/λ_max) H at every step, so each step size below 2/λ_max converges and
 * each above it runs away along the steepest direction. The surfaces share one frame that holds
 * every path, so the slider moves only the path.
 */
export function stepSizeSlider(
  points: ArrayLike<number>,
  y: ArrayLike<number>,
  multiples: readonly number[],
  iterations = 20,
): StepSizeSlider {
  const { x, largest } = lineMoments(points);
  const curvature = 2 * largest;
  // One read of each target and each multiple, as of each point: every fit below uses what was
  // checked, and a getter or trap of the caller's that throws is reported as its argument.
  const ys = readGuarded('y', () => {
    const given = y as ArrayLike<number> | null;
    if (typeof given !== 'object' || given === null || given.length !== x.length) {
      throw new LossInputError({
        argument: 'y',
        value: y,
        problem: `is not a sample of ${x.length} numbers`,
        domain: 'as many finite numbers as x',
      });
    }
    return Array.from(given, (v) => checkFiniteNumber('y', v));
  });
  const steps = readGuarded('multiples', () => {
    if (!Array.isArray(multiples) || multiples.length === 0 || multiples.length > MAX_SLIDER_STEPS) {
      throw new LossInputError({
        argument: 'multiples',
        value: multiples,
        problem: 'is not a list of step sizes',
        domain: `1 to ${MAX_SLIDER_STEPS} positive numbers`,
      });
    }
    const copy: number[] = [];
    for (let k = 0; k < multiples.length; k++) {
      const m: unknown = multiples[k];
      if (typeof m !== 'number' || !(m > 0) || !Number.isFinite(m)) {
        throw new LossInputError({
          argument: 'multiples',
          index: k,
          value: m,
          problem: 'is not a positive step multiple',
          domain: 'finite numbers > 0',
        });
      }
      copy.push(m);
    }
    return copy;
  });
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) {
    throw new LossInputError({
      argument: 'iterations',
      value: iterations,
      problem: 'is not an allowed count',
      domain: 'an integer from 1 to 1000',
    });
  }
  const X = { rows: x.length, cols: 1, data: Float64Array.from(x) };
  const exact = fitLinear(X, ys, { loss: losses.l2 });
  const optimum = { w: exact.weights[0], b: exact.intercept };
  const paths = steps.map((m) => {
    const recorder = pathRecorder();
    fitLinear(X, ys, {
      loss: losses.l2,
      solver: 'gd',
      stepSize: m / curvature,
      maxIter: iterations,
      initialWeights: [SURFACE_START.w],
      initialIntercept: SURFACE_START.b,
      onIteration: recorder.onIteration,
    });
    return recorder.path;
  });
  const every = [optimum, ...paths.flat()];
  const frame = (key: 'w' | 'b'): [number, number] => {
    const lo = Math.min(...every.map((p) => p[key]));
    const hi = Math.max(...every.map((p) => p[key]));
    const pad = 0.1 * (hi - lo) + 0.1;
    return [lo - pad, hi + pad];
  };
  const [wRange, bRange] = [frame('w'), frame('b')];
  const distance = (p: { w: number; b: number }): number => Math.hypot(p.w - optimum.w, p.b - optimum.b);
  const figure = sliderFigure(
    steps.map((m, k) => ({
      label: String(m),
      figure: riskSurface(losses.l2, X.data, ys, {
        wRange,
        bRange,
        path: paths[k],
        pathLabel: `gradient descent, step ${m}/λ_max`,
        title: `L2 risk over (w, b): ${paths[k].length - 1} steps of gradient descent with step ${m}/λ_max`,
      }),
    })),
    { name: 'step × λ_max' },
  );
  return {
    figure,
    curvature,
    distances: paths.map((path) => ({
      steps: path.length - 1,
      start: distance(path[0]),
      end: distance(path[path.length - 1]),
    })),
  };
}

export const ermExperiments = [ermIdentities, ermTraining, ermLawOfLargeNumbers, ermThresholdOptimism, ermOverfitting];
