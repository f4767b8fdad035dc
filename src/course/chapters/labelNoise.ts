/**
 * Chapter 11's computations: symmetric label noise on two Gaussian classes, where every
 * calibrated loss still aims at the Bayes rule; then the construction of Long & Servedio
 * ("Random classification noise defeats all convex potential boosters", Machine Learning 78,
 * 2010), where it does not: three points a line through the origin classifies perfectly, on
 * which the minimiser of a convex margin loss under any symmetric label noise misclassifies
 * half of the mass once the small margin γ is small enough; and two non-convex losses, the
 * 0–1 loss and a symmetric ramp, whose minimisers are not moved by the noise.
 */
import { makeClassification } from '../../data/generators';
import { createRng } from '../../random/rng';
import { LossInputError, readGuarded } from '../../errors';
import { readResult } from '../arguments';
import { fitLinear } from '../../fit/fitLinear';
import { defineLoss } from '../../losses/define';
import { losses } from '../../losses/registry';
import type { Loss } from '../../losses/types';
import type { Matrix } from '../../matrix';
import { builtFigure, type Figure, type Trace } from '../../plot/figure';
import { axis, baseConfig, baseLayout } from '../../plot/layout';
import { lossColor } from '../../plot/palette';
import { plotText } from '../../plot/text';
import { sweep } from '../../plot/sweep';
import { risk } from '../../risk';
import { checkMatrix, checkNumbers, materialise, type NumberArray, readMatrix } from '../../validate';
import type { Experiment, ExperimentResult } from '../experiment';
import { meanInterval, normalCdf, type Interval } from '../stats';

const CHAPTER = '11-label-noise.ipynb';

/** The convex margin losses of both experiments. */
export const noiseLosses: readonly Loss[] = [losses.hinge, losses.logistic, losses.square, losses.exponential];

// ---------------------------------------------------------------------------------------------
// §1: symmetric noise on Gaussian classes

const FLIP_RATES = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
const SEEDS = 30;
const SEPARATION = 2;
const N_TRAIN = 200;
const N_TEST = 10_000;

/**
 * Flips each label of `y` (±1) independently with probability `rate`, with its own seeded
 * generator: random classification noise in the sense of Angluin & Laird (Machine Learning 2,
 * 1988), which leaves P(flip) the same at every x. Returns the noisy labels and how many flipped.
 */
/** Labels ±1 in an array or typed array (what these helpers read y.length and y[i] from). */
/**
 * The points and labels of a fit, each read once and checked: the fits loop over them many
 * times, and a getter or Proxy could answer differently on a later read.
 */
function readPoints(X: Matrix, y: ArrayLike<number>): { rows: number; data: Float64Array; labels: NumberArray } {
  const labels = materialise(undefined, 'y', y, 'sign');
  const M = readMatrix(X, 'X');
  checkNumbers(undefined, 'y', labels, 'sign');
  checkMatrix(M, 'X');
  if (M.cols !== 2 || M.rows !== labels.length) {
    throw new LossInputError({
      argument: 'X',
      value: X,
      problem: 'is not two features per label',
      domain: 'a Matrix with 2 columns and one row per label',
    });
  }
  return { rows: M.rows, data: M.data, labels };
}

export function flipLabels(y: ArrayLike<number>, rate: number, seed: number): { y: Float64Array; flipped: number } {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 0.5))
    throw new LossInputError({
      argument: 'rate',
      value: rate,
      problem: 'is not a flip rate below ½',
      domain: '[0, 0.5)',
    });
  // createRng refuses a seed that is no safe integer, naming it, as the check here did.
  const rng = createRng(seed);
  // Each label read once, under the guard: a getter or trap that throws is a LossInputError naming y.
  const labels = readGuarded(
    'y',
    () => (Array.isArray(y) || ArrayBuffer.isView(y) ? Array.from(y as ArrayLike<unknown>) : undefined),
    'labels ±1',
  );
  if (labels === undefined)
    throw new LossInputError({ argument: 'y', value: y, problem: 'is not an array of labels', domain: 'labels ±1' });
  if (labels.length === 0)
    throw new LossInputError({ argument: 'y', value: y, problem: 'is empty', domain: 'at least one label ±1' });
  const out = new Float64Array(labels.length);
  let flipped = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 1 && label !== -1)
      throw new LossInputError({
        argument: 'y',
        index: i,
        value: label,
        problem: 'is not a label ±1',
        domain: 'labels ±1',
      });
    const flip = rng.uniform() < rate;
    out[i] = flip ? -label : label;
    if (flip) flipped++;
  }
  return { y: out, flipped };
}

export interface SymmetricNoise extends ExperimentResult {
  rates: number[];
  /** Accuracy on clean test labels, [loss][rate][seed], and its t interval, [loss][rate]. */
  accuracy: Float64Array[][];
  meanAccuracy: Interval[][];
  /** Fits with w = 0 (a constant classifier), [loss][rate]. */
  constantFits: number[][];
  /** Share of training labels flipped, over all seeds, per rate. */
  flippedShare: number[];
  /** Φ(separation/2): the accuracy of the Bayes rule on clean labels. */
  bayesAccuracy: number;
}

export const labelNoiseSymmetric: Experiment<SymmetricNoise> = {
  id: 'label-noise-symmetric',
  title: 'Symmetric label noise on two Gaussian classes',
  design:
    `Two Gaussian classes in the plane, centres ${SEPARATION} apart, identity covariance; for each flip rate ρ = ${FLIP_RATES.join(', ')} and ${SEEDS} seeds: ` +
    `${N_TRAIN} training points (seed 5000 + 100·k + s for rate k) whose labels are flipped independently with probability ρ (seed 7000 + 100·k + s); ` +
    `hinge, logistic, square and exponential fits (fitLinear, with intercept, no penalty), scored on the same ${N_TEST} clean test points (seed 4999); t intervals over the seeds.`,
  evidence: { chapter: CHAPTER, heading: '1. Symmetric noise on Gaussian classes' },
  run() {
    const test = makeClassification({ n: N_TEST, seed: 4999, separation: SEPARATION });
    const accuracy = noiseLosses.map(() => FLIP_RATES.map(() => new Float64Array(SEEDS)));
    const constantFits = noiseLosses.map(() => FLIP_RATES.map(() => 0));
    const flippedShare = FLIP_RATES.map((rate, k) => {
      let flipped = 0;
      for (let s = 0; s < SEEDS; s++) {
        const clean = makeClassification({ n: N_TRAIN, seed: 5000 + 100 * k + s, separation: SEPARATION });
        const noisy = flipLabels(clean.y, rate, 7000 + 100 * k + s);
        flipped += noisy.flipped;
        noiseLosses.forEach((loss, j) => {
          const fit = fitLinear(clean.X, noisy.y, { loss });
          accuracy[j][k][s] = 1 - risk(losses.zeroOne, test.y, fit.predict(test.X));
          if (Math.hypot(...fit.weights) < 1e-9) constantFits[j][k]++;
        });
      }
      return flipped / (SEEDS * N_TRAIN);
    });
    return {
      measurements: {},
      rates: FLIP_RATES,
      accuracy,
      meanAccuracy: accuracy.map((byRate) => byRate.map((a) => meanInterval(a))),
      constantFits,
      flippedShare,
      bayesAccuracy: normalCdf(SEPARATION / 2),
    };
  },
};

/** Accuracy on clean labels against the flip rate, per loss, with the t intervals as bands and the Bayes rule. */
export function symmetricNoiseFigure(given: SymmetricNoise): Figure {
  const result = readResult('result', given, 'labelNoiseSymmetric', (r) => Array.isArray(r.meanAccuracy));
  return sweep(
    [
      ...noiseLosses.map((loss, j) => ({
        label: loss.name,
        lossId: loss.id,
        x: result.rates,
        mean: result.meanAccuracy[j].map((m) => m.estimate),
        lower: result.meanAccuracy[j].map((m) => m.lower),
        upper: result.meanAccuracy[j].map((m) => m.upper),
      })),
      {
        label: 'Bayes rule',
        lossId: 'zeroOne',
        x: [result.rates[0], result.rates[result.rates.length - 1]],
        mean: [result.bayesAccuracy, result.bayesAccuracy],
      },
    ],
    {
      xTitle: 'flip rate ρ of the training labels',
      yTitle: 'accuracy on clean test labels (mean, 95% t)',
      title: `Symmetric label noise: four convex losses, ${SEEDS} samples of ${N_TRAIN} per rate`,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// §2–4: the construction of Long & Servedio

/**
 * The three points of the construction, all labelled +1: the "large margin" example (1, 0) with
 * probability ¼, the "puller" (γ, 5γ) with probability ¼ and the "penalizer" (γ, −γ) with
 * probability ½. The classifier sign(x₁) gets all three right, with margins 1, γ and γ.
 */
export function longServedioPoints(gamma: number): Array<{ name: string; x: [number, number]; mass: number }> {
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1))
    throw new LossInputError({
      argument: 'gamma',
      value: gamma,
      problem: 'is not a margin in (0, 1]',
      domain: '(0, 1]',
    });
  return [
    { name: 'large margin', x: [1, 0], mass: 0.25 },
    { name: 'puller', x: [gamma, 5 * gamma], mass: 0.25 },
    { name: 'penalizer', x: [gamma, -gamma], mass: 0.5 },
  ];
}

/** Accuracy on clean labels of sign(a·x) on the construction: the mass of the points with a·x > 0. */
export function constructionAccuracy(gamma: number, a: ArrayLike<number>): number {
  // Each weight read once, under the guard: a getter or Proxy could give another value on a
  // second read, or throw, which is then a LossInputError naming `a`.
  const [a0, a1] = readGuarded(
    'a',
    (): unknown[] => (typeof a === 'object' && a !== null && a.length === 2 ? [a[0], a[1]] : []),
    '[a₁, a₂]',
  );
  if (typeof a0 !== 'number' || typeof a1 !== 'number' || !Number.isFinite(a0) || !Number.isFinite(a1)) {
    throw new LossInputError({ argument: 'a', value: a, problem: 'is not two finite weights', domain: '[a₁, a₂]' });
  }
  return longServedioPoints(gamma).reduce((s, p) => s + (a0 * p.x[0] + a1 * p.x[1] > 0 ? p.mass : 0), 0);
}

/**
 * The population under flip rate k/20 as a weighted sample: per unit of mass 20 copies of each
 * point, 20 − k labelled +1 and k labelled −1, so that the mean loss over the 80 rows is the
 * expected loss under the noisy distribution exactly (as chapter 07 uses optimalConstant).
 */
export function noisyPopulation(gamma: number, flipsOutOf20: number): { X: Matrix; y: Float64Array } {
  if (!Number.isInteger(flipsOutOf20) || flipsOutOf20 < 0 || flipsOutOf20 >= 10) {
    throw new LossInputError({
      argument: 'flipsOutOf20',
      value: flipsOutOf20,
      problem: 'is not a flip count k for a rate k/20 below ½',
      domain: 'an integer in [0, 9]',
    });
  }
  const rows: number[] = [];
  const y: number[] = [];
  for (const point of longServedioPoints(gamma)) {
    const copies = Math.round(80 * point.mass);
    const flipped = (copies * flipsOutOf20) / 20;
    for (let c = 0; c < copies; c++) {
      rows.push(...point.x);
      y.push(c < flipped ? -1 : 1);
    }
  }
  return { X: { rows: y.length, cols: 2, data: Float64Array.from(rows) }, y: Float64Array.from(y) };
}

/**
 * A symmetric ramp: r(m) = 1 for m ≤ −1, (1 − m)/2 on [−1, 1], 0 for m ≥ 1. It satisfies
 * r(m) + r(−m) = 1, so under flip rate ρ the expected loss is (1 − 2ρ) × the clean one + ρ: the
 * same minimiser (Ghosh, Manwani & Sastry, Neurocomputing 160, 2015). It is not convex.
 */
export const symmetricRamp: Loss = defineLoss({
  id: 'symmetricRamp',
  name: 'Symmetric ramp loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => Math.min(1, Math.max(0, (1 - y * f) / 2)),
  derivative: (y, f) => (Math.abs(y * f) < 1 ? -y / 2 : 0),
  secondDerivative: () => 0,
  expression: 'min(1, max(0, (1 - y * f) / 2))',
  pieces: [
    { where: 'y * f < -1', expression: '1' },
    { where: 'y * f > -1 and y * f < 1', expression: '(1 - y * f) / 2' },
    { where: 'y * f > 1', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\min\\big(1, \\max(0, (1 - y f)/2)\\big)',
  properties: {
    convex: false,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 0.5,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [-1, 1],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: 'sign(2η − 1) · (any value ≥ 1)',
  },
});

/** Directions searched by the non-convex fits: angles θ_k = 2πk/3600, a = r (cos θ, sin θ). */
const ANGLES = 3600;
/** Scales r searched for the ramp: 10^(−1 + 4j/80), from 0.1 to 1000. */
const SCALES = Array.from({ length: 81 }, (_, j) => 10 ** (-1 + j / 20));

/**
 * Minimises the empirical 0–1 risk of sign(a·x) (no intercept) exactly: the risk depends only on
 * the direction of a and changes only where a is perpendicular to some xᵢ, so its value on each
 * arc between those angles is its value at the arc's midpoint. Returns the first best midpoint.
 */
export function zeroOneDirection(X: Matrix, y: ArrayLike<number>): { a: [number, number]; risk: number } {
  const { rows, data, labels } = readPoints(X, y);
  const cuts: number[] = [];
  for (let i = 0; i < rows; i++) {
    const angle = Math.atan2(data[2 * i + 1], data[2 * i]);
    for (const c of [angle + Math.PI / 2, angle - Math.PI / 2])
      cuts.push(((c % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
  }
  const sorted = [...new Set(cuts)].sort((p, q) => p - q);
  let best = { a: [1, 0] as [number, number], risk: Infinity };
  for (let k = 0; k < sorted.length; k++) {
    const next = k + 1 < sorted.length ? sorted[k + 1] : sorted[0] + 2 * Math.PI;
    const mid = (sorted[k] + next) / 2;
    const a: [number, number] = [Math.cos(mid), Math.sin(mid)];
    let wrong = 0;
    for (let i = 0; i < rows; i++) if (labels[i] * (a[0] * data[2 * i] + a[1] * data[2 * i + 1]) <= 0) wrong++;
    if (wrong / rows < best.risk) best = { a, risk: wrong / rows };
  }
  return best;
}

/** Minimises the ramp risk of a = r (cos θ, sin θ) over the grid of directions and scales. */
export function rampFit(X: Matrix, y: ArrayLike<number>): { a: [number, number]; risk: number } {
  const { rows, data, labels } = readPoints(X, y);
  // Distinct (point, label) pairs with their counts: the risk is a weighted sum over a handful of them.
  const groups = new Map<string, { x0: number; x1: number; y: number; count: number }>();
  for (let i = 0; i < rows; i++) {
    const key = `${data[2 * i]},${data[2 * i + 1]},${labels[i]}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { x0: data[2 * i], x1: data[2 * i + 1], y: labels[i], count: 1 });
    else g.count++;
  }
  const list = [...groups.values()];
  let best = { a: [1, 0] as [number, number], risk: Infinity };
  for (let k = 0; k < ANGLES; k++) {
    const [c, s] = [Math.cos((2 * Math.PI * k) / ANGLES), Math.sin((2 * Math.PI * k) / ANGLES)];
    for (const r of SCALES) {
      let total = 0;
      for (const g of list) total += g.count * symmetricRamp.value(g.y, r * (c * g.x0 + s * g.x1));
      if (total / rows < best.risk) best = { a: [r * c, r * s], risk: total / rows };
    }
  }
  return best;
}

export const GAMMA = 0.05;
const GAMMAS = Array.from({ length: 61 }, (_, k) => 10 ** (-3 + k / 20));
const POPULATION_FLIPS = [1, 2, 4];

export interface PopulationFit {
  loss: Loss;
  flipsOutOf20: number;
  gamma: number;
  a: [number, number];
  status: string;
  accuracy: number;
}

export interface LongServedio extends ExperimentResult {
  gamma: number;
  /** At γ = GAMMA and each flip rate k/20, k = 0 … 9: the population minimiser of each convex loss, and of the 0–1 and ramp risks. */
  byRate: { rates: number[]; convex: PopulationFit[][]; zeroOne: number[]; ramp: number[] };
  /** Clean accuracy of each convex loss's population minimiser against γ, for the flip rates 1/20, 2/20, 4/20. */
  byGamma: { gammas: number[]; rates: number[]; accuracy: number[][][] };
  /** The one-dimensional version (x₁ only): each convex loss's population minimiser at each flip rate. */
  oneDimension: Array<{ loss: Loss; rate: number; a: number; accuracy: number }>;
  /** Sampled: n = 400 draws, flip rate 0.1, 30 seeds, at γ near the convex losses' thresholds (0.05) and well below them (0.01); clean accuracy per method. */
  sampled: {
    methods: string[];
    n: number;
    rate: number;
    byGamma: Array<{ gamma: number; accuracy: Float64Array[]; meanAccuracy: Interval[] }>;
  };
}

function populationFit(loss: Loss, gamma: number, k: number): PopulationFit {
  const data = noisyPopulation(gamma, k);
  const fit = fitLinear(data.X, data.y, { loss, fitIntercept: false });
  const a: [number, number] = [fit.weights[0], fit.weights[1]];
  return { loss, flipsOutOf20: k, gamma, a, status: fit.status, accuracy: constructionAccuracy(gamma, a) };
}

/** n draws from the construction with each label flipped with probability `rate`. */
function sampleConstruction(gamma: number, n: number, rate: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const points = longServedioPoints(gamma);
  const data = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const point = u < 0.25 ? points[0] : u < 0.5 ? points[1] : points[2];
    data[2 * i] = point.x[0];
    data[2 * i + 1] = point.x[1];
    y[i] = rng.uniform() < rate ? -1 : 1;
  }
  return { X: { rows: n, cols: 2, data }, y };
}

const SAMPLED_N = 400;
const SAMPLED_RATE = 0.1;
const SAMPLED_GAMMAS = [GAMMA, 0.01];

export const labelNoiseLongServedio: Experiment<LongServedio> = {
  id: 'label-noise-long-servedio',
  title: 'Long & Servedio: symmetric noise defeats convex losses on three points',
  design:
    `Points (1, 0), (γ, 5γ), (γ, −γ) with masses ¼, ¼, ½, all labelled +1, linear classifiers sign(a·x) without intercept. Population: flip rate k/20 as 80 weighted rows (exact expected loss); ` +
    `at γ = ${GAMMA} and k = 0 … 9, fitLinear for hinge, logistic, square and exponential, and the exact 0–1 minimiser (arc midpoints) and the symmetric ramp (${ANGLES} directions × ${SCALES.length} scales); ` +
    `clean accuracy against γ = 10^(−3 … −1) for k = ${POPULATION_FLIPS.join(', ')}; the same fits on x₁ alone. ` +
    `Sampled: ${SAMPLED_N} draws with flip rate ${SAMPLED_RATE}, γ = ${SAMPLED_GAMMAS.join(' and ')}, ${SEEDS} seeds (seed 9000 + s, the same draws for both γ); clean accuracy per method with t intervals.`,
  evidence: { chapter: CHAPTER, heading: '3. The failure, computed' },
  run() {
    const rates = Array.from({ length: 10 }, (_, k) => k / 20);
    const convex = noiseLosses.map((loss) => rates.map((_, k) => populationFit(loss, GAMMA, k)));
    const zeroOne = rates.map((_, k) => {
      const data = noisyPopulation(GAMMA, k);
      return constructionAccuracy(GAMMA, zeroOneDirection(data.X, data.y).a);
    });
    const ramp = rates.map((_, k) => {
      const data = noisyPopulation(GAMMA, k);
      return constructionAccuracy(GAMMA, rampFit(data.X, data.y).a);
    });
    const byGamma = {
      gammas: GAMMAS,
      rates: POPULATION_FLIPS.map((k) => k / 20),
      accuracy: noiseLosses.map((loss) =>
        POPULATION_FLIPS.map((k) => GAMMAS.map((g) => populationFit(loss, g, k).accuracy)),
      ),
    };
    const oneDimension = noiseLosses.flatMap((loss) =>
      rates.slice(1).map((rate, k) => {
        const data = noisyPopulation(GAMMA, k + 1);
        const first = {
          rows: data.X.rows,
          cols: 1,
          data: Float64Array.from({ length: data.X.rows }, (_, i) => data.X.data[2 * i]),
        };
        const a = fitLinear(first, data.y, { loss, fitIntercept: false }).weights[0];
        return { loss, rate, a, accuracy: constructionAccuracy(GAMMA, [a, 0]) };
      }),
    );
    const methods = [...noiseLosses.map((l) => l.name), '0–1 loss (exact search)', 'symmetric ramp (grid search)'];
    const sampled = SAMPLED_GAMMAS.map((gamma) => {
      const accuracy = methods.map(() => new Float64Array(SEEDS));
      for (let s = 0; s < SEEDS; s++) {
        const data = sampleConstruction(gamma, SAMPLED_N, SAMPLED_RATE, 9000 + s);
        noiseLosses.forEach((loss, j) => {
          accuracy[j][s] = constructionAccuracy(
            gamma,
            fitLinear(data.X, data.y, { loss, fitIntercept: false }).weights,
          );
        });
        accuracy[noiseLosses.length][s] = constructionAccuracy(gamma, zeroOneDirection(data.X, data.y).a);
        accuracy[noiseLosses.length + 1][s] = constructionAccuracy(gamma, rampFit(data.X, data.y).a);
      }
      // A t interval needs spread; a method right (or wrong) on every seed gets its value as a degenerate interval.
      const meanAccuracy = accuracy.map((a) =>
        a.every((v) => v === a[0])
          ? { estimate: a[0], lower: a[0], upper: a[0], level: 0.95, method: `all ${SEEDS} seeds equal` }
          : meanInterval(a),
      );
      return { gamma, accuracy, meanAccuracy };
    });
    return {
      measurements: {},
      gamma: GAMMA,
      byRate: { rates, convex, zeroOne, ramp },
      byGamma,
      oneDimension,
      sampled: { methods, n: SAMPLED_N, rate: SAMPLED_RATE, byGamma: sampled },
    };
  },
};

function readLongServedio(result: LongServedio): LongServedio {
  return readResult(
    'result',
    result,
    'labelNoiseLongServedio',
    (r) => typeof r.byRate === 'object' && typeof r.byGamma === 'object',
  );
}

/**
 * The three points (marker area by mass) and the boundary a·x = 0 of each convex loss's
 * population minimiser at flip rate k/20, beside sign(x₁); equal axis scales, so the angles are
 * true. The boundaries pass through the origin, close to the two small-margin points.
 */
export function constructionFigure(given: LongServedio, flipsOutOf20 = 2): Figure {
  const result = readLongServedio(given);
  if (!Number.isInteger(flipsOutOf20) || flipsOutOf20 < 1 || flipsOutOf20 >= 10)
    throw new LossInputError({
      argument: 'flipsOutOf20',
      value: flipsOutOf20,
      problem: 'is not a flip count in 1 … 9',
      domain: 'an integer in [1, 9]',
    });
  const points = longServedioPoints(result.gamma);
  const boundary = (a: readonly [number, number]) => {
    const norm = Math.hypot(a[0], a[1]);
    return { x: [(2 * a[1]) / norm, (-2 * a[1]) / norm], y: [(-2 * a[0]) / norm, (2 * a[0]) / norm] };
  };
  const lines: Trace[] = [
    {
      label: 'sign(x₁): right on all three',
      a: [1, 0] as [number, number],
      colour: lossColor('zeroOne'),
      dash: 'dash',
    },
    ...result.byRate.convex.map((fits) => {
      const fit = fits[flipsOutOf20];
      return {
        label: `${fit.loss.name}: a = (${fit.a[0].toFixed(2)}, ${fit.a[1].toFixed(2)})`,
        a: fit.a,
        colour: lossColor(fit.loss.id),
        dash: 'solid',
      };
    }),
  ].map((l) => ({
    type: 'scatter',
    mode: 'lines',
    name: plotText(l.label),
    ...boundary(l.a),
    line: { color: l.colour, width: 2, dash: l.dash },
    hoverinfo: 'skip',
  }));
  const data: Trace[] = [
    ...lines,
    {
      type: 'scatter',
      mode: 'markers+text',
      name: 'the three points (all labelled +1)',
      x: points.map((p) => p.x[0]),
      y: points.map((p) => p.x[1]),
      text: points.map((p) => `${p.name} (mass ${p.mass})`),
      textposition: 'top center',
      marker: { size: points.map((p) => 10 + 20 * p.mass), color: '#404040', line: { color: '#ffffff', width: 1 } },
      hovertemplate: '%{text}<br>x = (%{x:.3f}, %{y:.3f})<extra></extra>',
    },
  ];
  const layout = baseLayout(
    `γ = ${result.gamma}, flip rate ${flipsOutOf20}/20: the boundary of each convex loss's population minimiser`,
  );
  layout.height = 520;
  layout.xaxis = axis('feature x₁', { range: [-0.1, 1.3], constrain: 'domain' });
  layout.yaxis = axis('feature x₂', { range: [-0.4, 0.4], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
  layout.legend = { orientation: 'h', x: 0, y: -0.2 };
  return builtFigure(data, layout, baseConfig());
}

/** Clean accuracy of each loss's population minimiser against the flip rate, with the two non-convex losses. */
export function rateFigure(given: LongServedio): Figure {
  const result = readLongServedio(given);
  const { rates, convex, zeroOne, ramp } = result.byRate;
  return sweep(
    [
      ...convex.map((fits) => ({
        label: fits[0].loss.name,
        lossId: fits[0].loss.id,
        x: rates,
        mean: fits.map((f) => f.accuracy),
      })),
      { label: '0–1 loss', lossId: 'zeroOne', x: rates, mean: zeroOne },
      { label: 'symmetric ramp', lossId: 'symmetricRamp', x: rates, mean: ramp },
    ],
    {
      xTitle: 'flip rate ρ',
      yTitle: 'accuracy on clean labels of the population minimiser',
      title: `γ = ${result.gamma}: clean accuracy of each population minimiser against the flip rate`,
    },
  );
}

/** Clean accuracy against γ (log axis) per loss, at one flip rate of byGamma. */
export function gammaFigure(given: LongServedio, rateIndex = 1): Figure {
  const result = readLongServedio(given);
  const { gammas, rates, accuracy } = result.byGamma;
  if (!Number.isInteger(rateIndex) || rateIndex < 0 || rateIndex >= rates.length)
    throw new LossInputError({
      argument: 'rateIndex',
      value: rateIndex,
      problem: 'is not an index of byGamma.rates',
      domain: `0 … ${rates.length - 1}`,
    });
  return sweep(
    noiseLosses.map((loss, j) => ({ label: loss.name, lossId: loss.id, x: gammas, mean: accuracy[j][rateIndex] })),
    {
      logX: true,
      xTitle: 'small margin γ of the puller and the penalizer',
      yTitle: 'accuracy on clean labels of the population minimiser',
      title: `Flip rate ${rates[rateIndex]}: clean accuracy of each convex loss's population minimiser against γ`,
    },
  );
}
