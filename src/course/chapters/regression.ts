/**
 * Chapter 03's experiments: the L1 and L2 regression losses as optimisation problems. The
 * definitions, whether the optimum is unique, whether the fit jumps when the data move a
 * little, the work each solver does, and what the L1 loss and the L1 penalty do to the
 * weights and to the test error with fewer and with more features than rows.
 */
import { renamed } from '../arguments';
import { makeRegression, type Dataset } from '../../data/generators';
import { createRng, type Rng } from '../../random/rng';
import { LossInputError } from '../../errors';
import { fitLinear } from '../../fit/fitLinear';
import { optimalConstant } from '../../fit/optimalConstant';
import type { FitOptions, LinearFit } from '../../fit/types';
import { losses } from '../../losses/registry';
import type { Matrix } from '../../matrix';
import { risk } from '../../risk';
import { checkMatrix, checkNumbers, materialise, type NumberArray, readMatrix } from '../../validate';
import type { Experiment, ExperimentResult } from '../experiment';
import {
  bootstrapInterval,
  exactly,
  meanInterval,
  proportionInterval,
  ratioInterval,
  slopeInterval,
  type Interval,
} from '../stats';
import { measured } from '../verdict';

const CHAPTER = '03-regression-losses.ipynb';
const EPS = Number.EPSILON;

/**
 * Higham's bound on the error of a sum of n terms added one by one, (n − 1)u Σ|tᵢ| with
 * u = ε/2 (Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2), taken as n ε Σ|tᵢ|
 * for margin; the smallest positive double keeps the unit defined when every term is 0.
 */
const sumBound = (n: number, absoluteTotal: number): number => Math.max(n * EPS * absoluteTotal, Number.MIN_VALUE);

/** Row i of a row-major matrix times w, plus b, by a plain loop (no package kernel). */
function predictRow(X: Matrix, i: number, w: ArrayLike<number>, b: number): number {
  let f = b;
  for (let j = 0; j < X.cols; j++) f += X.data[i * X.cols + j] * w[j];
  return f;
}

/** Σ_j |x_ij w_j| + |b|: the size a rounding bound on the computed prediction scales with. */
function predictionSize(X: Matrix, i: number, w: ArrayLike<number>, b: number): number {
  let s = Math.abs(b);
  for (let j = 0; j < X.cols; j++) s += Math.abs(X.data[i * X.cols + j] * w[j]);
  return s;
}

/** The count of entries that are exactly 0. */
function exactZeros(w: ArrayLike<number>): number {
  let k = 0;
  for (let j = 0; j < w.length; j++) if (w[j] === 0) k++;
  return k;
}

/** A sample that is all one value gives an exact statistic; otherwise `interval` builds one. */
function allSame(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}

/**
 * The mean of paired differences a − b with its t interval, or the difference itself, exactly,
 * when every pair differs by the same amount (a t interval of width 0 would claim a 95% level
 * that a sample without spread cannot support; the value is simply what was counted).
 */
function meanDifference(a: ArrayLike<number>, b: ArrayLike<number>): Interval {
  const d = Float64Array.from(a, (v, i) => v - b[i]);
  return allSame(d) ? exactly(d[0], 0, `the same in all ${d.length} pairs`) : meanInterval(d);
}

/** mean(a) / mean(b) with a seeded percentile-bootstrap interval over the pairs; exact when every pair is the same. */
function ratioOfMeans(a: ArrayLike<number>, b: ArrayLike<number>, seed: number): Interval {
  if (allSame(a) && allSame(b)) return exactly(a[0] / b[0], 0, `the same in all ${a.length} pairs`);
  const pick = (xs: ArrayLike<number>, idx: Uint32Array): number => {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += xs[idx[k]];
    return s;
  };
  return bootstrapInterval(a.length, (idx) => pick(a, idx) / pick(b, idx), { seed });
}

// ---------------------------------------------------------------------------------------------
// 1. Definitions

export interface RegressionDefinitions extends ExperimentResult {
  /** |r| on a log-spaced grid over (1, 100], and ℓ2(r) / ℓ1(r) there. */
  residuals: Float64Array;
  ratios: Float64Array;
}

const DEFINITION_SETS = 20;
const DEFINITION_ROWS = 50;

/** The two losses against their formulas, and how their ratio grows with the size of the error. */
export const regressionDefinitions: Experiment<RegressionDefinitions> = {
  id: 'regression-definitions',
  title: 'The L1 and L2 risks against their formulas; ℓ2/ℓ1 beyond |r| = 1',
  design:
    `On ${DEFINITION_SETS} seeded pairs of vectors (targets and predictions, ${DEFINITION_ROWS} entries, N(0, 3²) each): the package's L1 and L2 risks ` +
    'against the mean of |y − f| and of (y − f)² summed by hand, the gap in units of the rounding bound of the two sums plus the forming of each term (the largest gap of all pairs). ' +
    'Then, on 400 log-spaced |r| in (1, 100], with both signs: the smallest ratio ℓ2(r)/ℓ1(r) (rounding bound 4ε of it), and the least-squares slope of log(ℓ2/ℓ1) against log|r| with its t interval.',
  evidence: { chapter: CHAPTER, heading: '1. Three losses, three slopes' },
  run() {
    let l1Gap = 0;
    let l2Gap = 0;
    for (let s = 0; s < DEFINITION_SETS; s++) {
      const rng = createRng(700 + s);
      const y = Float64Array.from({ length: DEFINITION_ROWS }, () => rng.normal(0, 3));
      const f = Float64Array.from({ length: DEFINITION_ROWS }, () => rng.normal(0, 3));
      let absolute = 0;
      let squared = 0;
      for (let i = 0; i < DEFINITION_ROWS; i++) {
        const r = y[i] - f[i];
        absolute += Math.abs(r);
        squared += r * r;
      }
      // Two sums (ours and the package's), and up to 2ε per term for forming r and r² in each.
      const unit = (total: number) => (2 * sumBound(DEFINITION_ROWS, total) + 4 * EPS * total) / DEFINITION_ROWS;
      l1Gap = Math.max(l1Gap, Math.abs(risk(losses.l1, y, f) - absolute / DEFINITION_ROWS) / unit(absolute));
      l2Gap = Math.max(l2Gap, Math.abs(risk(losses.l2, y, f) - squared / DEFINITION_ROWS) / unit(squared));
    }

    const count = 400;
    const residuals = Float64Array.from({ length: count }, (_, k) => 10 ** ((2 * (k + 1)) / count));
    const ratios = new Float64Array(count);
    let smallest = Infinity;
    for (let k = 0; k < count; k++) {
      for (const sign of [1, -1]) {
        const ratio = losses.l2.value(0, sign * residuals[k]) / losses.l1.value(0, sign * residuals[k]);
        smallest = Math.min(smallest, ratio);
        if (sign === 1) ratios[k] = ratio;
      }
    }
    const growth = slopeInterval(Array.from(residuals, Math.log), Array.from(ratios, Math.log));
    return {
      measurements: {
        l1DefinitionGap: measured(
          '|L1 risk − mean |y − f| by hand|, in rounding units (largest of 20)',
          exactly(l1Gap, 0, `largest of ${DEFINITION_SETS} pairs of vectors`),
        ),
        l2DefinitionGap: measured(
          '|L2 risk − mean (y − f)² by hand|, in rounding units (largest of 20)',
          exactly(l2Gap, 0, `largest of ${DEFINITION_SETS} pairs of vectors`),
        ),
        // Squaring and dividing round twice (ε/2 each); 4ε of the ratio is twice that.
        l2OverL1BeyondOne: measured(
          'smallest ℓ2(r)/ℓ1(r) over 800 residuals with 1 < |r| ≤ 100',
          exactly(smallest, 4 * EPS * smallest, 'smallest on the grid, ± its rounding bound'),
        ),
        l2OverL1Growth: measured('log–log slope of ℓ2/ℓ1 against |r| on (1, 100]', growth),
      },
      residuals,
      ratios,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 3. Uniqueness

/** One family of cases of the uniqueness experiment: what the solver said, and what was verified by hand. */
export interface UniquenessFamily {
  label: string;
  cases: number;
  /** Cases where the package (optimalConstant / fitLinear) reported `unique: false`. */
  solverNonUnique: number;
  /** Whether the cases were also checked by hand (not for the untied designs: no closed form tells their optimum). */
  byHand: boolean;
  /** Cases where two different parameters were shown optimal, by a computation that does not use the solver. */
  verifiedNonUnique: number;
  /** Cases where the package's objective missed the optimum found by hand by more than rounding. */
  missedOptimum: number;
}

export interface RegressionUniqueness extends ExperimentResult {
  families: UniquenessFamily[];
}

const UNIQUENESS_CASES = 30;

/** The L1 risk of a constant c on a sample, summed by hand, and the bound on its rounding. */
function constantL1(y: ArrayLike<number>, c: number): { value: number; bound: number } {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - c);
  return { value: s / y.length, bound: (sumBound(y.length, s) + EPS * s) / y.length };
}

/**
 * Whether c minimises Σ|yᵢ − c|: exactly when at most half the sample lies on either side
 * of c (0 is then in the subdifferential). Counting compares, it does not round.
 */
function isMedian(y: ArrayLike<number>, c: number): boolean {
  let below = 0;
  let above = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < c) below++;
    else if (y[i] > c) above++;
  }
  return 2 * below <= y.length && 2 * above <= y.length;
}

/** The two middle order statistics (the same one twice for an odd size). */
function middlePair(y: ArrayLike<number>): [number, number] {
  const sorted = Float64Array.from(y).sort();
  return [sorted[Math.floor((sorted.length - 1) / 2)], sorted[Math.floor(sorted.length / 2)]];
}

/**
 * Two different constants, both medians and with the same L1 risk up to rounding: the ends
 * of the interval of middle values, found by sorting (not by `optimalConstant`). For an odd
 * size the middle value is alone, and no second median exists.
 */
function constantHasTwoOptima(y: Float64Array): boolean {
  const [a, b] = middlePair(y);
  const ra = constantL1(y, a);
  const rb = constantL1(y, b);
  return a < b && isMedian(y, a) && isMedian(y, b) && Math.abs(ra.value - rb.value) <= ra.bound + rb.bound;
}

/** A design with two distinct x values, each repeated an even number of times. */
function tiedDesign(rng: Rng): {
  X: Matrix;
  y: Float64Array;
  groups: [Float64Array, Float64Array];
  at: [number, number];
} {
  const x0 = rng.normal();
  const x1 = x0 + 0.5 + rng.uniform(0, 2);
  const sizes = [2 + 2 * rng.integer(4), 2 + 2 * rng.integer(4)];
  const n = sizes[0] + sizes[1];
  const X = { rows: n, cols: 1, data: new Float64Array(n) };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X.data[i] = i < sizes[0] ? x0 : x1;
    y[i] = 1 + 2 * X.data[i] + rng.normal();
  }
  return { X, y, groups: [y.slice(0, sizes[0]), y.slice(sizes[0])], at: [x0, x1] };
}

/**
 * The L1 risk of a line only depends on its values c₀, c₁ at the two x values, and it is
 * minimal exactly when each is a median of its group. The lines through the lower and through
 * the upper middle values are two different optimal lines when either group's middle pair
 * differs; their risks agree up to rounding. Returns that verdict and the common risk.
 */
function tiedDesignOptima(groups: [Float64Array, Float64Array]): { twoOptima: boolean; risk: number; bound: number } {
  const [a0, b0] = middlePair(groups[0]);
  const [a1, b1] = middlePair(groups[1]);
  const n = groups[0].length + groups[1].length;
  const lineRisk = (c0: number, c1: number) => {
    let s = 0;
    for (const [group, c] of [
      [groups[0], c0],
      [groups[1], c1],
    ] as const)
      for (let i = 0; i < group.length; i++) s += Math.abs(group[i] - c);
    return { value: s / n, bound: (sumBound(n, s) + EPS * s) / n };
  };
  const low = lineRisk(a0, a1);
  const high = lineRisk(b0, b1);
  const optimal =
    isMedian(groups[0], a0) && isMedian(groups[0], b0) && isMedian(groups[1], a1) && isMedian(groups[1], b1);
  const twoOptima = (a0 < b0 || a1 < b1) && optimal && Math.abs(low.value - high.value) <= low.bound + high.bound;
  return { twoOptima, risk: low.value, bound: low.bound };
}

/**
 * The centred Gram matrix Σ (xᵢ − x̄)(xᵢ − x̄)ᵀ is positive definite exactly when the L2
 * objective with an intercept is strictly convex, i.e. has one minimiser. Its Cholesky
 * factorisation, done here by hand, meets a pivot at rounding level when it is not.
 */
function gramIsSingular(X: Matrix): boolean {
  const { rows: n, cols: d, data } = X;
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += data[i * d + j] / n;
  const G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      for (let k = 0; k <= j; k++) G[j * d + k] += (data[i * d + j] - means[j]) * (data[i * d + k] - means[k]);
    }
  }
  let largest = 0;
  for (let j = 0; j < d; j++) largest = Math.max(largest, G[j * d + j]);
  // A pivot below the rounding error of forming G (n terms per entry, d eliminations) is 0.
  const zero = 4 * (n + d) * EPS * largest;
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) G[j * d + j] -= G[j * d + k] * G[j * d + k];
    if (!(G[j * d + j] > zero)) return true;
    const pivot = Math.sqrt(G[j * d + j]);
    G[j * d + j] = pivot;
    for (let i = j + 1; i < d; i++) {
      for (let k = 0; k < j; k++) G[i * d + j] -= G[i * d + k] * G[j * d + k];
      G[i * d + j] /= pivot;
    }
  }
  return false;
}

/**
 * The L2 objective at (w, b) and at (w', b'), both by hand, and whether they agree up to the
 * rounding of the predictions (Higham's dot-product bound, (d + 1)ε of Σ|x_ij w_j| + |b|) and
 * of the sums.
 */
function sameL2Objective(
  X: Matrix,
  y: Float64Array,
  w: ArrayLike<number>,
  b: number,
  w2: ArrayLike<number>,
  b2: number,
): boolean {
  const n = X.rows;
  const gamma = (X.cols + 2) * EPS;
  let first = 0;
  let second = 0;
  let bound = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - predictRow(X, i, w, b);
    const r2 = y[i] - predictRow(X, i, w2, b2);
    const apart = gamma * (predictionSize(X, i, w, b) + predictionSize(X, i, w2, b2) + 2 * Math.abs(y[i]));
    first += r * r;
    second += r2 * r2;
    bound += apart * (Math.abs(r) + Math.abs(r2) + apart);
  }
  bound += sumBound(n, first) + sumBound(n, second);
  return Math.abs(first - second) <= bound;
}

/** Whether the package's objective is within `bound` (+ its own rounding) of the optimum found by hand. */
const misses = (objective: number, optimum: number, bound: number): boolean =>
  Math.abs(objective - optimum) > bound + 8 * EPS * Math.abs(optimum);

/** When is the optimum of an L1 or an L2 fit unique? Four families of seeded cases, each verified by hand. */
export const regressionUniqueness: Experiment<RegressionUniqueness> = {
  id: 'regression-uniqueness',
  title: 'How many optima: L1 on even samples and tied designs, L2 with full rank and with a duplicated column',
  design:
    `Four families of ${UNIQUENESS_CASES} seeded cases. (a) Constant model, L1: samples of even size n ∈ {4, …, 50} from N(0, 1); ` +
    'optimalConstant(l1).unique, and by hand: the two middle order statistics are both medians (at most half the sample on either side) with the same risk. ' +
    '(b) Line, L1: tied designs, two distinct x values each repeated an even number (2–8) of times, y = 1 + 2x + N(0, 1); fitLinear(l1, lp).unique, and by hand: the lines through the ' +
    'lower and through the upper middle values of the two groups are both optimal with the same risk. l1NonUniqueCount: cases of (a) and (b) verified to have two optima (a count: an existence claim). ' +
    '(c) L2, full rank: 30 rows, 3 Gaussian features; a second optimum exists exactly when the centred Gram matrix is singular (Cholesky by hand); the statistic is their count. ' +
    '(d) L2, duplicated column: the same with a 4th column equal to the 1st; moving one unit of weight from one copy to the other must keep the objective (by hand, up to rounding); ' +
    'l2DuplicatedColumnUniqueShare: cases where it did not, Wilson interval. Controls: odd samples and untied designs for L1.',
  evidence: { chapter: CHAPTER, heading: '3. One L2 optimum, a whole interval of L1 optima' },
  run() {
    const family = (label: string, byHand = true): UniquenessFamily => ({
      label,
      cases: UNIQUENESS_CASES,
      byHand,
      solverNonUnique: 0,
      verifiedNonUnique: 0,
      missedOptimum: 0,
    });
    const even = family('L1, constant model, even n');
    const odd = family('L1, constant model, odd n (control)');
    const tied = family('L1, line, tied design');
    const untied = family('L1, line, untied design (control)', false);
    const fullRank = family('L2, full-rank design');
    const duplicated = family('L2, duplicated column');
    for (let s = 0; s < UNIQUENESS_CASES; s++) {
      const rng = createRng(800 + s);
      for (const [fam, n] of [
        [even, 2 * (2 + rng.integer(24))],
        [odd, 2 * (2 + rng.integer(24)) + 1],
      ] as const) {
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const best = optimalConstant(losses.l1, y);
        if (!best.unique) fam.solverNonUnique++;
        if (constantHasTwoOptima(y)) fam.verifiedNonUnique++;
        const middle = Float64Array.from(y).sort()[Math.floor((n - 1) / 2)];
        const byHand = constantL1(y, middle);
        if (!isMedian(y, middle) || misses(best.risk, byHand.value, byHand.bound)) fam.missedOptimum++;
      }

      const design = tiedDesign(rng);
      const lad = fitLinear(design.X, design.y, { loss: losses.l1, solver: 'lp' });
      if (lad.unique === false) tied.solverNonUnique++;
      const optima = tiedDesignOptima(design.groups);
      if (optima.twoOptima) tied.verifiedNonUnique++;
      if (!lad.converged || misses(lad.objective, optima.risk, optima.bound)) tied.missedOptimum++;

      const generic = makeRegression({ n: design.y.length, d: 1, seed: 850 + s, weights: [2], intercept: 1 });
      const genericFit = fitLinear(generic.X, generic.y, { loss: losses.l1, solver: 'lp' });
      if (genericFit.unique === false) untied.solverNonUnique++;
      if (!genericFit.converged) untied.missedOptimum++;

      const full = makeRegression({ n: 30, d: 3, seed: 900 + s });
      const ls = fitLinear(full.X, full.y, { loss: losses.l2 });
      if (ls.unique === false) fullRank.solverNonUnique++;
      if (gramIsSingular(full.X)) fullRank.verifiedNonUnique++;

      const copy = { rows: 30, cols: 4, data: new Float64Array(120) };
      for (let i = 0; i < 30; i++) {
        copy.data.set(full.X.data.subarray(3 * i, 3 * i + 3), 4 * i);
        copy.data[4 * i + 3] = full.X.data[3 * i];
      }
      const dup = fitLinear(copy, full.y, { loss: losses.l2 });
      if (dup.unique === false) duplicated.solverNonUnique++;
      const moved = Float64Array.from(dup.weights);
      moved[0] += 1;
      moved[3] -= 1;
      if (sameL2Objective(copy, full.y, dup.weights, dup.intercept, moved, dup.intercept))
        duplicated.verifiedNonUnique++;
    }
    const l1Cases = even.cases + tied.cases;
    return {
      measurements: {
        l1NonUniqueCount: measured(
          `even samples and tied designs (of ${l1Cases}) with two different L1 optima, verified by hand`,
          exactly(even.verifiedNonUnique + tied.verifiedNonUnique, 0, `count over ${l1Cases} cases`),
        ),
        l2FullRankNonUniqueShare: measured(
          `full-rank designs (of ${fullRank.cases}) with a second L2 optimum — a count`,
          exactly(fullRank.verifiedNonUnique, 0, `count over ${fullRank.cases} designs`),
        ),
        l2DuplicatedColumnUniqueShare: measured(
          'share of designs with a duplicated column whose L2 optimum is unique',
          proportionInterval(duplicated.cases - duplicated.verifiedNonUnique, duplicated.cases),
        ),
      },
      families: [even, odd, tied, untied, fullRank, duplicated],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 4. Stability

/** The largest jump of a function of one variable, located by bisection. */
export interface Jump {
  /** Where the largest step of the grid was, narrowed down: the final bracket [lo, hi]. */
  lo: number;
  hi: number;
  /** |g(hi) − g(lo)| on the final bracket. */
  change: number;
  /** The largest step between neighbouring grid points, before bisection. */
  gridStep: number;
}

/** Most halvings `largestJump` makes: 200 take any bracket of doubles down to adjacent values. */
const MAX_BISECTIONS = 200;

/**
 * Evaluates g on `steps` + 1 evenly spaced points of [from, to], takes the neighbouring pair
 * with the largest change, and halves that bracket, keeping the half whose ends differ more,
 * until it is at most `width` wide. A continuous g with Lipschitz constant L ends with a change
 * of at most L·width; a jump of g keeps its full size however narrow the bracket gets.
 *
 * @example
 * ```ts
 * import { largestJump } from 'losslab/course';
 * largestJump((t) => (t < 0.3 ? 0 : 1), 0, 1, 10).change;  // 1
 * largestJump((t) => 5 * t, 0, 1, 10).change < 1e-6;        // true
 * ```
 */
export function largestJump(g: (t: number) => number, from: number, to: number, steps: number, width = 1e-9): Jump {
  if (typeof g !== 'function')
    throw new LossInputError({
      argument: 'g',
      value: g,
      problem: 'is not a function',
      domain: '(t: number) => number',
    });
  if (
    typeof from !== 'number' ||
    typeof to !== 'number' ||
    !Number.isFinite(from) ||
    !Number.isFinite(to) ||
    !(from < to)
  ) {
    throw new LossInputError({
      argument: 'from, to',
      value: [from, to],
      problem: 'is not an interval',
      domain: 'finite numbers with from < to',
    });
  }
  if (!Number.isInteger(steps) || steps < 1 || steps > 1e6)
    throw new LossInputError({
      argument: 'steps',
      value: steps,
      problem: 'is not a usable number of grid steps',
      domain: 'an integer in [1, 1e6]',
    });
  if (typeof width !== 'number' || !(width > 0) || !Number.isFinite(width))
    throw new LossInputError({
      argument: 'width',
      value: width,
      problem: 'is not a positive width',
      domain: 'a finite number > 0',
    });
  const at = (t: number): number => {
    const v = g(t);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new LossInputError({
        argument: 'g',
        value: v,
        problem: `returned a value that is not a finite number at t = ${t}`,
        domain: 'finite numbers',
      });
    return v;
  };
  let lo = from;
  let vLo = at(from);
  let hi = from;
  let vHi = vLo;
  let gridStep = -1;
  let previous = vLo;
  for (let k = 1; k <= steps; k++) {
    const t = from + ((to - from) * k) / steps;
    const v = at(t);
    if (Math.abs(v - previous) > gridStep) {
      gridStep = Math.abs(v - previous);
      lo = from + ((to - from) * (k - 1)) / steps;
      vLo = previous;
      hi = t;
      vHi = v;
    }
    previous = v;
  }
  for (let k = 0; k < MAX_BISECTIONS && hi - lo > width; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const v = at(mid);
    if (Math.abs(v - vLo) >= Math.abs(vHi - v)) {
      hi = mid;
      vHi = v;
    } else {
      lo = mid;
      vLo = v;
    }
  }
  return { lo, hi, change: Math.abs(vHi - vLo), gridStep };
}

/** What the stability experiment found on one data set, for one loss and one kind of move. */
export interface StabilityCase {
  jump: Jump;
  jumped: boolean;
}

export interface RegressionStability extends ExperimentResult {
  /** Per data set: the L1 and L2 results when the target resp. the input of the point with the largest x moves. */
  cases: Array<{ l1Y: StabilityCase; l2Y: StabilityCase; l1X: StabilityCase; l2X: StabilityCase }>;
  /** The swept shifts and, on the first data set, the fitted slopes along them (for the charts). */
  shifts: Float64Array;
  firstSet: { l1Y: Float64Array; l2Y: Float64Array; l1X: Float64Array; l2X: Float64Array };
  /** The first data set itself. */
  data: Dataset;
  /** Fits that did not converge anywhere in the experiment (must be 0 for its numbers to mean anything). */
  unconverged: number;
}

const STABILITY_SETS = 30;
const SHIFT_RANGE: [number, number] = [-2, 2];
const SHIFT_STEPS = 200;
/** A continuous fit with Lipschitz constant below 1e3 moves less than 1e-6 across a step of 1e-9. */
const JUMP_WIDTH = 1e-9;
const JUMP_CHANGE = 1e-6;

/** The stability data sets: 40 points from y = 2x + 1 + N(0, 0.5²). */
export const stabilityData = (s: number): Dataset => {
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || !Number.isSafeInteger(1000 + s))
    throw new LossInputError({
      argument: 's',
      value: s,
      problem: 'is not an integer',
      domain: 'an integer (the data set number)',
    });
  return makeRegression({ n: 40, d: 1, seed: 1000 + s, weights: [2], intercept: 1, noiseScale: 0.5 });
};

/** Does the L1 fit jump when one point moves a little, and does the L2 fit? */
export const regressionStability: Experiment<RegressionStability> = {
  id: 'regression-stability',
  title: 'Moving one target, or one input, of 30 data sets: does the fitted slope jump?',
  design:
    `${STABILITY_SETS} seeded data sets of 40 points from y = 2x + 1 + N(0, 0.5²). On each, the point with the largest x is moved: its target y by a shift δ, ` +
    `or (separately) its input x by δ, with δ on ${SHIFT_STEPS + 1} evenly spaced values of [${SHIFT_RANGE.join(', ')}]. For the L1 fit (lp) and the L2 fit (least squares), ` +
    `the largest step of the fitted slope between neighbouring δ is narrowed by bisection to a bracket of width ${JUMP_WIDTH}; it is a jump when the slope still changes by more than ${JUMP_CHANGE} across it ` +
    '(a continuous fit with Lipschitz constant below 1e3 moves less than that). The statistics are the shares of data sets with a jump, Wilson intervals; L2 is the control.',
  evidence: { chapter: CHAPTER, heading: '4. Stability under a small perturbation' },
  run() {
    let unconverged = 0;
    const slope = (X: Matrix, y: Float64Array, loss: typeof losses.l1): number => {
      const fit = fitLinear(X, y, { loss });
      if (!fit.converged) unconverged++;
      return fit.weights[0];
    };
    const shifts = Float64Array.from(
      { length: SHIFT_STEPS + 1 },
      (_, k) => SHIFT_RANGE[0] + ((SHIFT_RANGE[1] - SHIFT_RANGE[0]) * k) / SHIFT_STEPS,
    );
    const cases: RegressionStability['cases'] = [];
    const firstSet = {
      l1Y: new Float64Array(0),
      l2Y: new Float64Array(0),
      l1X: new Float64Array(0),
      l2X: new Float64Array(0),
    };
    for (let s = 0; s < STABILITY_SETS; s++) {
      const data = stabilityData(s);
      let moved = 0;
      for (let i = 1; i < data.y.length; i++) if (data.X.data[i] > data.X.data[moved]) moved = i;
      const movingY = (loss: typeof losses.l1) => (delta: number) => {
        const y = Float64Array.from(data.y);
        y[moved] += delta;
        return slope(data.X, y, loss);
      };
      const movingX = (loss: typeof losses.l1) => (delta: number) => {
        const X = { rows: data.X.rows, cols: 1, data: Float64Array.from(data.X.data) };
        X.data[moved] += delta;
        return slope(X, data.y, loss);
      };
      const study = (g: (delta: number) => number): StabilityCase => {
        const jump = largestJump(g, SHIFT_RANGE[0], SHIFT_RANGE[1], SHIFT_STEPS, JUMP_WIDTH);
        return { jump, jumped: jump.change > JUMP_CHANGE };
      };
      cases.push({
        l1Y: study(movingY(losses.l1)),
        l2Y: study(movingY(losses.l2)),
        l1X: study(movingX(losses.l1)),
        l2X: study(movingX(losses.l2)),
      });
      if (s === 0) {
        firstSet.l1Y = shifts.map(movingY(losses.l1));
        firstSet.l2Y = shifts.map(movingY(losses.l2));
        firstSet.l1X = shifts.map(movingX(losses.l1));
        firstSet.l2X = shifts.map(movingX(losses.l2));
      }
    }
    // Counts, exact: an existence claim about the data sets drawn. A share with a confidence interval
    // could never come out false here (Wilson's interval for 0 of n starts at 0, never above it).
    const count = (key: 'l1Y' | 'l1X') =>
      exactly(cases.filter((c) => c[key].jumped).length, 0, `count over ${cases.length} data sets`);
    return {
      measurements: {
        l1JumpCountMovingY: measured(
          `data sets (of ${STABILITY_SETS}) where the L1 slope jumps as one target moves`,
          count('l1Y'),
        ),
        l1JumpCountMovingX: measured(
          `data sets (of ${STABILITY_SETS}) where the L1 slope jumps as one input moves`,
          count('l1X'),
        ),
      },
      cases,
      shifts,
      firstSet,
      data: stabilityData(0),
      unconverged,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 5. Cost

export type CostKey = 'leastSquares' | 'lp' | 'lasso' | 'ridge';

const COST_FEATURES = 10;
const COST_SIZES = [1e3, 1e4, 1e5] as const;
const COST_SEEDS = 5;
const RIDGE_PENALTY = 0.1;
const RIDGE_ZERO_SEEDS = 20;

/** The four fits of the cost experiment, as `fitLinear` options for n rows. */
export const costFits: ReadonlyArray<{ key: CostKey; label: string; lossId: string; options(n: number): FitOptions }> =
  [
    {
      key: 'leastSquares',
      label: 'least squares (QR, closed form)',
      lossId: 'l2',
      options: () => ({ loss: losses.l2, solver: 'leastSquares' }),
    },
    {
      key: 'lp',
      label: 'L1 loss (interior-point LP)',
      lossId: 'l1',
      options: () => ({ loss: losses.l1, solver: 'lp' }),
    },
    {
      key: 'lasso',
      label: 'lasso (coordinate descent)',
      options: (n) => ({ loss: losses.l2, l1: lassoPenalty(COST_FEATURES, n), solver: 'coordinateDescent' }),
      lossId: 'l2',
    },
    {
      key: 'ridge',
      label: 'ridge (QR, closed form)',
      lossId: 'l2',
      options: () => ({ loss: losses.l2, l2: RIDGE_PENALTY, solver: 'leastSquares' }),
    },
  ];

/**
 * The lasso penalty fixed in advance, by the universal threshold σ √(2 log p / n) with σ = 1
 * (Donoho & Johnstone, Biometrika 81(3), 1994; for the lasso, Bickel, Ritov & Tsybakov, Ann.
 * Statist. 37(4), 2009). That threshold belongs to (1/2n)‖y − Xw‖² + λ‖w‖₁; the package's
 * objective (1/n)‖y − Xw‖² + l1‖w‖₁ is twice it, so l1 = 2λ.
 */
export function lassoPenalty(features: number, rows: number): number {
  if (!Number.isInteger(features) || features < 2)
    throw new LossInputError({
      argument: 'features',
      value: features,
      problem: 'is not a count of at least 2 features',
      domain: 'an integer >= 2',
    });
  if (!Number.isInteger(rows) || rows < 1)
    throw new LossInputError({
      argument: 'rows',
      value: rows,
      problem: 'is not a positive count of rows',
      domain: 'an integer >= 1',
    });
  return 2 * Math.sqrt((2 * Math.log(features)) / rows);
}

/**
 * Floating-point operations of one fit on n rows and d features, from its iteration count
 * and the algorithm of its solver (leading terms; p = d + 1 columns with the intercept):
 * - least squares: one Householder QR of the centred [X y], 2n(d + 1)² (Golub & Van Loan,
 *   Matrix Computations, 4th ed., Alg. 5.2.1); ridge: the same with d more rows;
 * - the L1 LP: per iteration the lower triangle of X̃ᵀΘX̃, n p(p + 1), and five products
 *   with X̃ or X̃ᵀ, 10np; one more for the starting least-squares system;
 * - the lasso by coordinate descent: per sweep a dot product and a residual update of length n
 *   per weight, 4nd, one more sweep's worth for the final optimality check, and 3nd to centre
 *   and copy. After the first sweep the solver visits only the non-zero weights; `active` (d
 *   unless given) is how many it charges for those sweeps: d on dense data, where every weight
 *   stays non-zero.
 */
export function countedWork(key: CostKey, n: number, d: number, iterations: number, active = d): number {
  for (const [argument, v] of [
    ['n', n],
    ['d', d],
    ['iterations', iterations],
    ['active', active],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new LossInputError({ argument, value: v, problem: 'is not a count', domain: 'an integer >= 0' });
  }
  if (active > d)
    throw new LossInputError({
      argument: 'active',
      value: active,
      problem: `exceeds the ${d} weights`,
      domain: `an integer in [0, ${d}]`,
    });
  const p = d + 1;
  switch (key) {
    case 'leastSquares':
      return iterations * 2 * n * p * p;
    case 'ridge':
      return iterations * 2 * (n + d) * p * p;
    case 'lp':
      return (iterations + 1) * (n * p * (p + 1) + 10 * n * p);
    case 'lasso':
      return iterations === 0 ? 7 * n * d : 4 * n * d + 4 * n * active * (iterations - 1) + 4 * n * d + 3 * n * d;
    default:
      throw new LossInputError({
        argument: 'key',
        value: key,
        problem: 'is not a fit of the cost experiment',
        domain: "'leastSquares', 'ridge', 'lp' or 'lasso'",
      });
  }
}

export interface CostRow {
  n: number;
  seed: number;
  work: Record<CostKey, number>;
  iterations: Record<CostKey, number>;
}

export interface RegressionCost extends ExperimentResult {
  rows: CostRow[];
  sizes: readonly number[];
  /** Exact-zero ridge weights per seed (n = 1000). */
  ridgeZeros: number[];
  /** Exact-zero lasso weights per row of `rows`: on dense data they should be 0, as the work count assumes. */
  lassoZeros: number[];
  unconverged: number;
}

/** The cost data sets: dense weights drawn from N(0, 1), Gaussian features and noise. */
export const costData = (n: number, seed: number): Dataset => makeRegression({ n, d: COST_FEATURES, seed });

/** Counted work of the L1 LP against least squares, and of the lasso against ridge. */
export const regressionCost: Experiment<RegressionCost> = {
  id: 'regression-cost',
  title: 'Counted work of least squares, the L1 LP, the lasso and ridge at n = 1e3, 1e4, 1e5',
  design:
    `Dense data, d = ${COST_FEATURES} features with weights drawn from N(0, 1), at n ∈ {1e3, 1e4, 1e5}, ${COST_SEEDS} seeds each (${COST_SEEDS} per n so that the ` +
    'log–log slope has 13 degrees of freedom rather than 1). Each data set is fitted by least squares (QR), the L1 loss (interior-point LP), the lasso (coordinate descent, ' +
    `l1 = 2√(2 log d / n), the universal threshold with σ = 1) and ridge (QR, l2 = ${RIDGE_PENALTY}); the work is the iteration count times the flops per iteration of each algorithm ` +
    '(least squares and ridge 2m(d+1)² for a QR of m rows; LP per iteration n p(p+1) + 10np with p = d + 1, plus one; lasso 4nd per sweep, plus one, plus 3nd). ' +
    'Ratios are geometric means of the 15 paired ratios (t interval on the logs); the exponent is the slope of log(LP work / least-squares work) against log n (t interval). ' +
    `Ridge's exact zeros: the mean count over ${RIDGE_ZERO_SEEDS} seeds at n = 1000. Wall-clock times are shown beside, never used.`,
  evidence: { chapter: CHAPTER, heading: '5. Closed form vs iterative: the cost, measured' },
  run() {
    let unconverged = 0;
    const rows: CostRow[] = [];
    const lassoZeros: number[] = [];
    for (const n of COST_SIZES) {
      for (let s = 0; s < COST_SEEDS; s++) {
        const seed = 1100 + s;
        const data = costData(n, seed);
        const work = {} as Record<CostKey, number>;
        const iterations = {} as Record<CostKey, number>;
        for (const c of costFits) {
          const fit = fitLinear(data.X, data.y, c.options(n));
          if (!fit.converged) unconverged++;
          iterations[c.key] = fit.iterations;
          work[c.key] = countedWork(c.key, n, COST_FEATURES, fit.iterations);
          if (c.key === 'lasso') lassoZeros.push(exactZeros(fit.weights));
        }
        rows.push({ n, seed, work, iterations });
      }
    }
    const ridgeZeros: number[] = [];
    for (let s = 0; s < RIDGE_ZERO_SEEDS; s++) {
      const data = costData(1000, 1200 + s);
      const fit = fitLinear(data.X, data.y, { loss: losses.l2, l2: RIDGE_PENALTY, solver: 'leastSquares' });
      if (!fit.converged) unconverged++;
      ridgeZeros.push(exactZeros(fit.weights));
    }
    const of = (key: CostKey) => rows.map((r) => r.work[key]);
    const logN = rows.map((r) => Math.log(r.n));
    const exponent = slopeInterval(
      logN,
      rows.map((r) => Math.log(r.work.lp / r.work.leastSquares)),
    );
    return {
      measurements: {
        lpOverLeastSquaresWork: measured(
          'work of the L1 LP / work of least squares (geometric mean over n and seeds)',
          ratioInterval(of('lp'), of('leastSquares')),
        ),
        leastSquaresOverLpWork: measured(
          'work of least squares / work of the L1 LP (geometric mean over n and seeds)',
          ratioInterval(of('leastSquares'), of('lp')),
        ),
        lpMinusLeastSquaresExponent: measured('exponent of n in LP work minus that in least-squares work', exponent),
        lassoOverRidgeWork: measured(
          'work of the lasso / work of ridge (geometric mean over n and seeds)',
          ratioInterval(of('lasso'), of('ridge')),
        ),
        ridgeOverLassoWork: measured(
          'work of ridge / work of the lasso (geometric mean over n and seeds)',
          ratioInterval(of('ridge'), of('lasso')),
        ),
        ridgeExactZeros: measured(
          `mean count of ridge weights exactly 0 (of ${COST_FEATURES}, ${RIDGE_ZERO_SEEDS} seeds)`,
          allSame(ridgeZeros)
            ? exactly(ridgeZeros[0], 0, `the same in all ${RIDGE_ZERO_SEEDS} fits`)
            : meanInterval(ridgeZeros),
        ),
      },
      rows,
      sizes: COST_SIZES,
      ridgeZeros,
      lassoZeros,
      unconverged,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// 6–7. Sparsity and many features

export type DimensionFit = 'lad' | 'leastSquares' | 'lasso';

/** One regime (narrow or wide) of the dimensions experiment, per seed. */
export interface DimensionRegime {
  features: number;
  rows: number;
  /** Per fit: exact-zero weights, non-zero weights, test MSE on fresh rows, per seed. */
  zeros: Record<DimensionFit, number[]>;
  nonZeros: Record<DimensionFit, number[]>;
  testError: Record<DimensionFit, number[]>;
  /** Training residuals of the LAD fit that are 0 (to rounding), per seed: interpolation when it is all rows. */
  ladZeroResiduals: number[];
  /** LAD fits the solver reported as not unique. */
  ladNonUnique: number;
  /** Per fit: its mean absolute training residual (the LAD objective), per seed. */
  trainL1: Record<DimensionFit, number[]>;
  /**
   * With more features than rows: least squares on the first n − 1 features only (n parameters
   * with the intercept, so it interpolates), padded with zeros — a vertex of the LAD linear
   * program, to set beside the point the interior-point solver returns. Per seed.
   */
  vertex?: { zeros: number[]; trainL1: number[] };
}

export interface RegressionDimensions extends ExperimentResult {
  narrow: DimensionRegime;
  wide: DimensionRegime;
  seeds: number;
  testRows: number;
  unconverged: number;
}

const DIMENSION_SEEDS = 30;
const DIMENSION_ROWS = 60;
const TEST_ROWS = 2000;
const RELEVANT = [3, -2, 1.5];
/** Far more features than any experiment of the chapter uses: a bound that keeps a mistyped count from allocating gigabytes. */
const MAX_FEATURES = 10_000;

/** A data set of the dimensions experiment: 3 relevant features of `features`, intercept 1, N(0, 1) noise. */
export function dimensionData(features: number, rows: number, seed: number): Dataset {
  if (
    typeof features !== 'number' ||
    !Number.isInteger(features) ||
    features < RELEVANT.length ||
    features > MAX_FEATURES
  ) {
    throw new LossInputError({
      argument: 'features',
      value: features,
      problem: 'is not a usable number of features',
      domain: `an integer from ${RELEVANT.length} (the relevant ones) to ${MAX_FEATURES}`,
    });
  }
  const weights = new Float64Array(features);
  weights.set(RELEVANT);
  return renamed('rows', 'n', () =>
    makeRegression({ n: rows, d: features, seed, weights, intercept: 1, noiseScale: 1 }),
  );
}

/** Fits of the dimensions experiment: LAD, least squares (minimum norm when rank-deficient), the lasso at the universal threshold. */
export const dimensionFits: ReadonlyArray<{
  key: DimensionFit;
  label: string;
  lossId: string;
  options(features: number, rows: number): FitOptions;
}> = [
  { key: 'lad', label: 'L1 loss (LAD)', lossId: 'l1', options: () => ({ loss: losses.l1, solver: 'lp' }) },
  {
    key: 'leastSquares',
    label: 'least squares',
    lossId: 'l2',
    options: () => ({ loss: losses.l2, solver: 'leastSquares' }),
  },
  {
    key: 'lasso',
    label: 'lasso (L1 penalty)',
    lossId: 'l2',
    options: (features, rows) => ({ loss: losses.l2, l1: lassoPenalty(features, rows), solver: 'coordinateDescent' }),
  },
];

/** One regime of the dimensions experiment; `starting(s)` hears of each seed before it runs. */
function runRegime(
  features: number,
  seedBase: number,
  count: { unconverged: number },
  starting: (seed: number) => void,
): DimensionRegime {
  const empty = (): Record<DimensionFit, number[]> => ({ lad: [], leastSquares: [], lasso: [] });
  const regime: DimensionRegime = {
    features,
    rows: DIMENSION_ROWS,
    zeros: empty(),
    nonZeros: empty(),
    testError: empty(),
    ladZeroResiduals: [],
    ladNonUnique: 0,
    trainL1: empty(),
  };
  const vertex = features >= DIMENSION_ROWS ? { zeros: [] as number[], trainL1: [] as number[] } : undefined;
  for (let s = 0; s < DIMENSION_SEEDS; s++) {
    starting(s);
    const train = dimensionData(features, DIMENSION_ROWS, seedBase + s);
    const test = dimensionData(features, TEST_ROWS, seedBase + 5000 + s);
    for (const f of dimensionFits) {
      const fit: LinearFit = fitLinear(train.X, train.y, f.options(features, DIMENSION_ROWS));
      if (!fit.converged) count.unconverged++;
      const zeros = exactZeros(fit.weights);
      regime.zeros[f.key].push(zeros);
      regime.nonZeros[f.key].push(features - zeros);
      regime.testError[f.key].push(risk(losses.l2, test.y, fit.predict(test.X)));
      regime.trainL1[f.key].push(risk(losses.l1, train.y, fit.predict(train.X)));
      if (f.key === 'lad') {
        if (fit.unique === false) regime.ladNonUnique++;
        const scores = fit.predict(train.X);
        let interpolated = 0;
        for (let i = 0; i < DIMENSION_ROWS; i++) {
          // A residual at rounding level of the prediction counts as 0.
          const size = predictionSize(train.X, i, fit.weights, fit.intercept) + Math.abs(train.y[i]);
          if (Math.abs(train.y[i] - scores[i]) <= 4 * (features + 2) * EPS * size) interpolated++;
        }
        regime.ladZeroResiduals.push(interpolated);
      }
    }
    if (vertex !== undefined) {
      const kept = DIMENSION_ROWS - 1;
      const few = { rows: DIMENSION_ROWS, cols: kept, data: new Float64Array(DIMENSION_ROWS * kept) };
      for (let i = 0; i < DIMENSION_ROWS; i++)
        few.data.set(train.X.data.subarray(i * features, i * features + kept), i * kept);
      const fit = fitLinear(few, train.y, { loss: losses.l2, solver: 'leastSquares' });
      if (!fit.converged) count.unconverged++;
      vertex.zeros.push(features - kept + exactZeros(fit.weights));
      vertex.trainL1.push(risk(losses.l1, train.y, fit.predict(few)));
    }
  }
  return vertex === undefined ? regime : { ...regime, vertex };
}

/** Exact zeros, non-zeros and test error of LAD, least squares and the lasso, with 40 and with 120 features for 60 rows. */
export const regressionDimensions: Experiment<RegressionDimensions> = {
  id: 'regression-dimensions',
  title: 'LAD, least squares and the lasso with 40 and with 120 features for 60 rows',
  design:
    `${DIMENSION_SEEDS} seeds per regime: narrow (${DIMENSION_ROWS} rows, 40 features) and wide (${DIMENSION_ROWS} rows, 120 features), 3 relevant features (weights 3, −2, 1.5), ` +
    `intercept 1, Gaussian features and N(0, 1) noise; test error = mean squared error on ${TEST_ROWS} fresh rows of the same model. Fits: LAD (l1 loss, lp), least squares ` +
    '(the minimum-norm minimiser when p > n) and the lasso (l2 loss + l1 penalty, l1 = 2√(2 log p / n): the universal threshold with σ = 1, fixed in advance, never tuned on test data). ' +
    'Zeros are weights exactly 0. Differences of zero counts: mean over seeds with a t interval (exact when every seed gives the same); test errors: geometric mean of paired ' +
    'ratios (t interval on the logs); non-zeros: ratio of the mean counts with a seeded bootstrap interval (exact when every seed gives the same).',
  evidence: { chapter: CHAPTER, heading: '6. "Sparser solutions": the L1 loss vs the L1 penalty' },
  run(onProgress) {
    const count = { unconverged: 0 };
    // The course's longest chapter sweep (the LP fits): a step per seed of each regime.
    const total = 2 * DIMENSION_SEEDS;
    const narrow = runRegime(40, 1300, count, (s) =>
      onProgress?.(s, total, `40 features, seed ${s + 1} of ${DIMENSION_SEEDS}`),
    );
    const wide = runRegime(120, 1400, count, (s) =>
      onProgress?.(DIMENSION_SEEDS + s, total, `120 features, seed ${s + 1} of ${DIMENSION_SEEDS}`),
    );
    return {
      measurements: {
        ladMinusLeastSquaresZerosNarrow: measured(
          'exact zeros of LAD − of least squares, 40 features (mean over seeds)',
          meanDifference(narrow.zeros.lad, narrow.zeros.leastSquares),
        ),
        ladMinusLeastSquaresZerosWide: measured(
          'exact zeros of LAD − of least squares, 120 features (mean over seeds)',
          meanDifference(wide.zeros.lad, wide.zeros.leastSquares),
        ),
        lassoMinusLeastSquaresZerosNarrow: measured(
          'exact zeros of the lasso − of least squares, 40 features (mean over seeds)',
          meanDifference(narrow.zeros.lasso, narrow.zeros.leastSquares),
        ),
        ladOverLeastSquaresTestErrorNarrow: measured(
          'test MSE of LAD / of least squares, 40 features',
          ratioInterval(narrow.testError.lad, narrow.testError.leastSquares),
        ),
        ladOverLeastSquaresTestErrorWide: measured(
          'test MSE of LAD / of least squares, 120 features',
          ratioInterval(wide.testError.lad, wide.testError.leastSquares),
        ),
        lassoOverLeastSquaresTestErrorNarrow: measured(
          'test MSE of the lasso / of least squares, 40 features',
          ratioInterval(narrow.testError.lasso, narrow.testError.leastSquares),
        ),
        ladOverLeastSquaresNonZerosNarrow: measured(
          'non-zero weights of LAD / of least squares, 40 features (ratio of means)',
          ratioOfMeans(narrow.nonZeros.lad, narrow.nonZeros.leastSquares, 1501),
        ),
        ladOverLeastSquaresNonZerosWide: measured(
          'non-zero weights of LAD / of least squares, 120 features (ratio of means)',
          ratioOfMeans(wide.nonZeros.lad, wide.nonZeros.leastSquares, 1502),
        ),
        lassoOverLeastSquaresNonZerosNarrow: measured(
          'non-zero weights of the lasso / of least squares, 40 features (ratio of means)',
          ratioOfMeans(narrow.nonZeros.lasso, narrow.nonZeros.leastSquares, 1503),
        ),
      },
      narrow,
      wide,
      seeds: DIMENSION_SEEDS,
      testRows: TEST_ROWS,
      unconverged: count.unconverged,
    };
  },
};

export const regressionExperiments = [
  regressionDefinitions,
  regressionUniqueness,
  regressionStability,
  regressionCost,
  regressionDimensions,
];

// Section 6's illustration: the lasso's optimality conditions recomputed from the data.

/**
 * The largest violation of the lasso's optimality conditions for the objective
 * (1/n) Σ (yᵢ − w·xᵢ − b)² + l1 ‖w‖₁, recomputed from the data: with gⱼ = −(2/n) Σ xᵢⱼ rᵢ,
 * wⱼ ≠ 0 needs gⱼ + l1 sign(wⱼ) = 0 and wⱼ = 0 needs |gⱼ| ≤ l1; the unpenalised intercept
 * needs (1/n) Σ rᵢ = 0. Returns the worst violation and how many weights are exactly 0.
 *
 * @example
 * ```ts
 * import { lassoViolation } from 'losslab/course';
 * // One feature, targets equal to it: w = 1 − l1/2 and b = 0 satisfy the conditions.
 * const X = { rows: 2, cols: 1, data: Float64Array.from([-1, 1]) };
 * lassoViolation(X, [-1, 1], [0.75], 0, 0.5).worst;  // 0
 * ```
 */
export function lassoViolation(
  X: Matrix,
  y: ArrayLike<number>,
  weights: ArrayLike<number>,
  intercept: number,
  l1: number,
): { worst: number; zeros: number } {
  // Every array read once, before any is checked, and the conditions computed on these copies:
  // a getter or Proxy could answer differently on a second read.
  const M = readMatrix(X, 'X');
  const yv = materialise(undefined, 'y', y, 'real');
  const wv = materialise(undefined, 'weights', weights, 'real');
  checkMatrix(M, 'X');
  const checkFinite = (argument: string, xs: NumberArray, length: number): void => {
    if (xs.length !== length)
      throw new LossInputError({ argument, problem: `has ${xs.length} entries`, domain: `${length} finite numbers` });
    checkNumbers(undefined, argument, xs, 'real');
  };
  checkFinite('y', yv, M.rows);
  checkFinite('weights', wv, M.cols);
  if (typeof intercept !== 'number' || !Number.isFinite(intercept))
    throw new LossInputError({
      argument: 'intercept',
      value: intercept,
      problem: 'is not a finite number',
      domain: 'a finite number',
    });
  if (typeof l1 !== 'number' || !(l1 >= 0) || !Number.isFinite(l1))
    throw new LossInputError({
      argument: 'l1',
      value: l1,
      problem: 'is not a penalty weight',
      domain: 'a finite number >= 0',
    });
  const n = M.rows;
  const r = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    r[i] = yv[i] - predictRow(M, i, wv, intercept);
    sum += r[i];
  }
  let worst = Math.abs(sum) / n;
  let zeros = 0;
  for (let j = 0; j < M.cols; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += M.data[i * M.cols + j] * r[i];
    const g = (-2 / n) * s;
    const w = wv[j];
    if (w === 0) {
      zeros++;
      worst = Math.max(worst, Math.abs(g) - l1);
    } else {
      worst = Math.max(worst, Math.abs(g + l1 * Math.sign(w)));
    }
  }
  return { worst, zeros };
}
