/**
 * Synthetic data sets for the experiments: a linear model plus noise of a chosen shape,
 * with optional contamination (vertical outliers, leverage points, flipped labels). Every
 * generator is a pure function of its options: the same `seed` gives the same data.
 */
import { LossInputError } from '../errors';
import { displayAs } from '../losses/display-hook';
import type { Matrix } from '../matrix';
import { createRng, internals } from '../random/rng';
import { orDefault, readOptions } from './options';

/** What every generator returns. */
export interface Dataset {
  /** n × d design matrix, row-major. */
  X: Matrix;
  y: Float64Array;
  /** The weights of the model the clean data follow (for blobs: the Bayes-optimal linear rule). */
  trueWeights: Float64Array;
  trueIntercept: number;
  /** 1 where the example was contaminated (outlier, leverage point or flipped label), else 0. */
  outlierMask: Uint8Array;
}

export type NoiseKind = 'normal' | 'studentT' | 'cauchy';

export interface RegressionOptions {
  n: number;
  /** Number of features (default 1). */
  d?: number;
  seed: number;
  /** True weights (default: drawn from N(0, 1)); length d. */
  weights?: ArrayLike<number>;
  /** True intercept (default 0). */
  intercept?: number;
  /** Shape of the noise (default 'normal'). */
  noise?: NoiseKind;
  /** Scale of the noise: sd for normal, scale for studentT and cauchy (default 1). */
  noiseScale?: number;
  /** Degrees of freedom of studentT noise (default 3). */
  df?: number;
  /**
   * Vertical outliers: a fraction of the examples get y shifted by `shift` + N(0, spread²)
   * (defaults: shift 10, spread 1), x unchanged.
   */
  outliers?: { fraction: number; shift?: number; spread?: number };
  /**
   * Leverage points: a fraction of the examples get x moved to `at` + N(0, 0.25) in every
   * coordinate (default at = 5) and y from a different line, `weights` (default: minus the
   * true weights) with the true intercept, plus the usual noise.
   */
  leverage?: { fraction: number; at?: number; weights?: ArrayLike<number> };
}

/**
 * Regression data from a linear model, y = X w + b + noise, with x ~ N(0, I):
 * Gaussian, Student-t or Cauchy noise, optionally contaminated with vertical outliers
 * (y shifted, x unchanged) and leverage points (x far out, y from another line). The two
 * kinds of contamination go to disjoint sets of examples, marked in `outlierMask`.
 *
 * @example
 * ```ts
 * import { makeRegression } from 'losslab';
 * const data = makeRegression({ n: 100, d: 2, seed: 1, weights: [2, -1], intercept: 3,
 *   noise: 'studentT', outliers: { fraction: 0.1 } });
 * data.X.rows;                                  // 100
 * data.outlierMask.reduce((s, m) => s + m, 0);  // 10
 * Array.from(data.trueWeights);                 // [2,-1]
 * ```
 */
export function makeRegression(options: RegressionOptions): Dataset {
  const opts = readOptions<RegressionOptions>(options, REGRESSION_KEYS, 'an object such as { n, seed }');
  const n = checkCount('n', opts.n, 1);
  const d = checkCount('d', orDefault(opts.d, 1), 1);
  const rng = createRng(opts.seed);
  const r = internals(rng);
  const weights = opts.weights === undefined ? drawWeights(r, d) : checkWeights('weights', opts.weights, d);
  const intercept = checkFinite('intercept', orDefault(opts.intercept, 0));
  const noiseScale = checkNonNegative('noiseScale', orDefault(opts.noiseScale, 1));
  const df = orDefault(opts.df, 3);
  if (typeof df !== 'number' || !(df > 0)) throw genError('df', df, 'is not positive', 'a number > 0');
  const drawNoise = noiseDrawer(r, orDefault(opts.noise, 'normal'), df);

  const outliers =
    opts.outliers === undefined
      ? undefined
      : readOptions<NonNullable<RegressionOptions['outliers']>>(
          opts.outliers,
          ['fraction', 'shift', 'spread'],
          'an object such as { fraction: 0.1 }',
          'outliers',
        );
  const leverage =
    opts.leverage === undefined
      ? undefined
      : readOptions<NonNullable<RegressionOptions['leverage']>>(
          opts.leverage,
          ['fraction', 'at', 'weights'],
          'an object such as { fraction: 0.1 }',
          'leverage',
        );
  const outlierCount = outliers === undefined ? 0 : fractionCount('outliers.fraction', outliers.fraction, n);
  const leverageCount = leverage === undefined ? 0 : fractionCount('leverage.fraction', leverage.fraction, n);
  if (outlierCount + leverageCount > n) {
    throw genError(
      'outliers.fraction',
      outliers?.fraction,
      'plus leverage.fraction exceeds 1',
      'fractions summing to at most 1',
    );
  }
  const shift = checkFinite('outliers.shift', orDefault(outliers?.shift, 10));
  const spread = checkNonNegative('outliers.spread', orDefault(outliers?.spread, 1));
  const at = checkFinite('leverage.at', orDefault(leverage?.at, 5));
  const leverageWeights =
    leverage?.weights === undefined ? weights.map((v) => -v) : checkWeights('leverage.weights', leverage.weights, d);

  const data = new Float64Array(n * d);
  for (let k = 0; k < data.length; k++) data[k] = r.standardNormal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = rowDot(data, i, d, weights) + intercept + noiseScale * drawNoise();

  // One draw picks both contaminated sets, so they are disjoint.
  const picked = rng.sample(n, outlierCount + leverageCount);
  const outlierMask = new Uint8Array(n);
  for (let k = 0; k < outlierCount; k++) {
    const i = picked[k];
    outlierMask[i] = 1;
    y[i] += shift + spread * r.standardNormal();
  }
  for (let k = outlierCount; k < picked.length; k++) {
    const i = picked[k];
    outlierMask[i] = 1;
    for (let j = 0; j < d; j++) data[i * d + j] = at + 0.5 * r.standardNormal();
    y[i] = rowDot(data, i, d, leverageWeights) + intercept + noiseScale * drawNoise();
  }
  return displayAs('dataset', {
    X: { rows: n, cols: d, data },
    y,
    trueWeights: weights,
    trueIntercept: intercept,
    outlierMask,
  });
}

const REGRESSION_KEYS = [
  'n',
  'd',
  'seed',
  'weights',
  'intercept',
  'noise',
  'noiseScale',
  'df',
  'outliers',
  'leverage',
] as const;

export interface ClassificationOptions {
  n: number;
  /** Number of features (default 2). */
  d?: number;
  seed: number;
  /**
   * 'blobs' (default): class ±1 with probability ½ each, x ~ N(±μ, I) with μ along the
   * first axis at distance `separation` between the centres.
   * 'logistic': x ~ N(0, I) and P(y = 1 | x) = σ(w·x + b).
   */
  model?: 'blobs' | 'logistic';
  /** Distance between the blob centres (default 2). */
  separation?: number;
  /** Logistic model weights (default: drawn from N(0, 4)); length d. */
  weights?: ArrayLike<number>;
  /** Logistic model intercept (default 0). */
  intercept?: number;
  /** Fraction of labels flipped after drawing (default 0); exactly round(fraction · n) of them. */
  flipFraction?: number;
  /** 'sign' (default): y in {−1, +1}; 'binary': y in {0, 1}. */
  labels?: 'sign' | 'binary';
}

/**
 * Two-class data: Gaussian blobs or a logistic model, with a fraction of labels flipped
 * (marked in `outlierMask`). `trueWeights`/`trueIntercept` give the Bayes-optimal linear
 * score: for blobs with identity covariance that is w = μ₊ − μ₋, b = (|μ₋|² − |μ₊|²)/2
 * (Hastie, Tibshirani & Friedman, *ESL*, §4.3), for the logistic model its own parameters.
 *
 * @example
 * ```ts
 * import { makeClassification } from 'losslab';
 * const data = makeClassification({ n: 200, seed: 7, flipFraction: 0.05, labels: 'binary' });
 * data.outlierMask.reduce((s, m) => s + m, 0);  // 10
 * new Set(data.y).size;                         // 2
 * Array.from(data.trueWeights);                 // [2,0]
 * ```
 */
const CLASSIFICATION_KEYS = [
  'n',
  'd',
  'seed',
  'model',
  'separation',
  'weights',
  'intercept',
  'flipFraction',
  'labels',
] as const;

export function makeClassification(options: ClassificationOptions): Dataset {
  const opts = readOptions<ClassificationOptions>(options, CLASSIFICATION_KEYS, 'an object such as { n, seed }');
  const n = checkCount('n', opts.n, 1);
  const d = checkCount('d', orDefault(opts.d, 2), 1);
  const model = orDefault(opts.model, 'blobs');
  if (model !== 'blobs' && model !== 'logistic')
    throw genError('model', model, 'is not a model', "'blobs' or 'logistic'");
  const labels = orDefault(opts.labels, 'sign');
  if (labels !== 'sign' && labels !== 'binary')
    throw genError('labels', labels, 'is not a label set', "'sign' or 'binary'");
  const flipCount = fractionCount('flipFraction', orDefault(opts.flipFraction, 0), n);
  const rng = createRng(opts.seed);
  const r = internals(rng);

  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  let weights: Float64Array;
  let intercept: number;
  if (model === 'blobs') {
    const half = checkNonNegative('separation', orDefault(opts.separation, 2)) / 2;
    weights = new Float64Array(d);
    weights[0] = 2 * half;
    intercept = 0;
    for (let i = 0; i < n; i++) {
      const label = r.unit() < 0.5 ? 1 : -1;
      y[i] = label;
      for (let j = 0; j < d; j++) data[i * d + j] = r.standardNormal() + (j === 0 ? label * half : 0);
    }
  } else {
    weights =
      opts.weights === undefined ? drawWeights(r, d).map((v) => 2 * v) : checkWeights('weights', opts.weights, d);
    intercept = checkFinite('intercept', orDefault(opts.intercept, 0));
    for (let k = 0; k < data.length; k++) data[k] = r.standardNormal();
    for (let i = 0; i < n; i++) {
      const score = rowDot(data, i, d, weights) + intercept;
      y[i] = r.unit() < 1 / (1 + Math.exp(-score)) ? 1 : -1;
    }
  }
  const outlierMask = new Uint8Array(n);
  for (const i of rng.sample(n, flipCount)) {
    outlierMask[i] = 1;
    y[i] = -y[i];
  }
  if (labels === 'binary') for (let i = 0; i < n; i++) y[i] = y[i] > 0 ? 1 : 0;
  return displayAs('dataset', {
    X: { rows: n, cols: d, data },
    y,
    trueWeights: weights,
    trueIntercept: intercept,
    outlierMask,
  });
}

type Draws = ReturnType<typeof internals>;

function noiseDrawer(r: Draws, kind: unknown, df: number): () => number {
  switch (kind) {
    case 'normal':
      return () => r.standardNormal();
    case 'studentT':
      return () => r.standardT(df);
    case 'cauchy':
      return () => r.standardCauchy();
    default:
      throw genError('noise', kind, 'is not a noise kind', "'normal', 'studentT' or 'cauchy'");
  }
}

function drawWeights(r: Draws, d: number): Float64Array {
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = r.standardNormal();
  return w;
}

function rowDot(data: Float64Array, i: number, d: number, w: Float64Array): number {
  let s = 0;
  for (let j = 0, base = i * d; j < d; j++) s += data[base + j] * w[j];
  return s;
}

function genError(argument: string, value: unknown, problem: string, domain: string): LossInputError {
  return new LossInputError({ argument, value, problem, domain });
}

function checkCount(argument: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    throw genError(argument, v, 'is not a valid count', `an integer >= ${min}`);
  return v;
}

function checkFinite(argument: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw genError(argument, v, 'is not a finite number', 'a finite number');
  return v;
}

function checkNonNegative(argument: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && Number.isFinite(v)))
    throw genError(argument, v, 'is not a finite number >= 0', 'a finite number >= 0');
  return v;
}

function fractionCount(argument: string, v: unknown, n: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    throw genError(argument, v, 'is not a fraction', 'a number in [0, 1]');
  return Math.round(v * n);
}

function checkWeights(argument: string, v: unknown, d: number): Float64Array {
  if (typeof v !== 'object' || v === null || typeof (v as ArrayLike<number>).length !== 'number') {
    throw genError(argument, v, 'is not an array of numbers', `${d} finite numbers`);
  }
  const a = v as ArrayLike<number>;
  if (a.length !== d)
    throw new LossInputError({
      argument,
      problem: `has length ${a.length} but d is ${d}`,
      domain: `${d} finite numbers`,
    });
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const x = a[j];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new LossInputError({
        argument,
        index: j,
        value: x,
        problem: 'is not a finite number',
        domain: 'finite numbers',
      });
    w[j] = x;
  }
  return w;
}
