/**
 * Exact least squares (and ridge): the l2 loss with an optional l2 penalty, solved on the
 * centred data by one of two methods that both decide the rank and answer with the minimum-norm
 * solution:
 *
 * - large, well-conditioned problems: the Gram matrix of the centred [X y] (one pass, in the
 *   SIMD kernels of linalg/wasm.ts, over the spans of linalg/spans.ts, which LOSSLAB_THREADS
 *   lets worker threads share: linalg/threads.ts), its Cholesky factor, and iterative
 *   refinement on the residuals of the data (one more pass per step). The normal equations alone would lose
 *   κ² ε instead of the κ ε of QR; each refinement step multiplies the error by at most
 *   ρ = κ² (m + d + 1) d ε (the rounding of the Gram matrix, m-term blocked sums, and of its
 *   factor, relative to σ_min²), and the limit of the iteration has the forward error of a
 *   backward-stable solver, κ ε ‖w‖ + κ² ε ‖r‖ / ‖X‖ (Higham, *Accuracy and Stability of
 *   Numerical Algorithms*, 2nd ed., §20.5; Björck, *Numerical Methods for Least Squares
 *   Problems*, §2.9). The method is used only when the factor says ρ <= 1/8, i.e. κ below
 *   about 1e5 for n = 1e5 and d = 50, where X also has full numerical rank. Measured at
 *   n = 1e5, d = 50: ~35 ms against ~190 ms for the QR below.
 * - everything else (ill-conditioned or rank-deficient X, small problems, data whose
 *   differences overflow): blocked Householder QR and an SVD of the triangle.
 */
import { dot, max, mean, min } from '../../linalg/dense';
import { choleskyInPlace, choleskySolve } from '../../linalg/cholesky';
import { gramStride } from '../../linalg/kernels';
import { QRAccumulator } from '../../linalg/qr';
import { centreAndScale, scaledDifference, spreadScale } from '../../linalg/scale';
import { jacobiSVD, numericalRank, singularValues, truncatedSolve } from '../../linalg/svd';
import { Pass, passParams, SPAN_ROWS, BLOCK_ROWS as SPAN_BLOCK_ROWS } from '../../linalg/spans';
import { type SpanRunner, spanRunner } from '../../linalg/threads';
import { subgradientResidual } from '../core/certificate';
import { penalty } from '../core/objective';
import { LARGE_COLUMN, largestEntry } from '../core/scaling';
import { certified } from '../core/stopping';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** Rows folded into R at a time: 128 rows of ≤ 100 columns stay in L2 cache. */
const BLOCK_ROWS = 128;
/**
 * The Gram method from n (d + 1)² >= 2^22 multiply-adds on: below, QR takes a few
 * milliseconds, and small fits (the course's) keep the method whose backward error they quote.
 */
const GRAM_MIN_WORK = 2 ** 22;
/** Refinement steps at most: with ρ <= 1/8 four steps reduce the error 4096-fold past the normal equations'. */
const MAX_REFINEMENTS = 4;

/** A solution in the original units, and how it was found. */
interface Solution {
  weights: Float64Array;
  rank: number;
  /** Of the column-scaled X (with its ridge rows). */
  condition: number;
  method: string;
}

/**
 * The minimiser of (1/n) Σ (y_i − w·x_i − b)² + (l2/2)‖w‖².
 *
 * 1. centre X and y (the intercept is then ȳ − x̄·w, so it is neither penalised nor mixed
 *    into the rank decision) and scale each column by a power of two (exact, so nothing is
 *    rounded) to keep squares far from overflow;
 * 2. the ridge penalty adds the rows √(n·l2/2) eⱼ, so ridge is least squares on augmented
 *    data (Hoerl & Kennard 1970): QR takes them as rows, the Gram method on its diagonal;
 * 3. the rank is decided on the scaled triangle: singular values below max(n, d)·ε·σ_max count
 *    as zero (numpy.linalg.lstsq's rule, made independent of the features' units), and a
 *    rank-deficient X gets the minimum-norm solution in the original units (Golub & Van Loan,
 *    *Matrix Computations*, 4th ed., §5.5).
 */
export function solveLeastSquares(p: Problem): SolverOutput {
  const { y, n, d, fitIntercept } = p;
  const runner = spanRunner(p.X, y, gramStride(d + 1));
  try {
    const { means, scales, finite, ordinary } = columnSummary(p, runner);
    const yMean = fitIntercept ? mean(y, n) : 0;
    const yMax = max(y, n);
    const yMin = min(y, n);
    const colScale = new Float64Array(d + 1);
    colScale.set(scales);
    colScale[d] = spreadScale(yMax, yMean, yMin);
    const centrable = finite && Number.isFinite(yMax - yMean) && Number.isFinite(yMean - yMin);
    const solution =
      (centrable && n * (d + 1) ** 2 >= GRAM_MIN_WORK ? gramSolution(p, runner, means, yMean, colScale) : null) ??
      householderSolution(p, means, yMean, colScale);
    return finish(p, runner, solution, yMean - dot(means, solution.weights, d), ordinary);
  } finally {
    runner.release();
  }
}

/**
 * What `centreAndScale` computes, from one pass of the kernels over the spans (which worker
 * threads may share: each span's column sums start from zero and the spans are added in
 * order, a blocked sum whose bits do not depend on who computed a span), and whether every
 * column is of ordinary size (`core/scaling.ts`); the plain JavaScript pass when a column's sum
 * overflows, for its term-by-term mean. The same pass checks X's entries for the front door
 * (`checksEntries`): an infinite entry shows in its column's minimum or maximum, a NaN in its
 * column's sum (the kernels' minimum and maximum pass NaN over), and only then is the first bad
 * entry looked for (`largestEntry`, as for every solver). A sum is NaN without a NaN entry only
 * when spans overflow to both infinities; the look finds nothing then, and the plain pass
 * takes over.
 */
function columnSummary(
  p: Problem,
  runner: SpanRunner,
): { means: Float64Array; scales: Float64Array; finite: boolean; ordinary: boolean } {
  const { d } = p;
  const sums = new Float64Array(d);
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  runner.run(Pass.Stats, (slot) => {
    // As the kernel scans rows: the first of equal extremes (+0 or −0) is kept.
    for (let j = 0; j < d; j++) {
      sums[j] += slot[j];
      if (slot[d + j] < lo[j]) lo[j] = slot[d + j];
      if (hi[j] < slot[2 * d + j]) hi[j] = slot[2 * d + j];
    }
  });
  for (let j = 0; j < d; j++) {
    if (!(Number.isFinite(lo[j]) && Number.isFinite(hi[j])) || Number.isNaN(sums[j])) largestEntry(p);
  }
  return summarise(p, sums, lo, hi);
}

/** Means, scales and the size checks from the column sums, minima and maxima. */
function summarise(
  p: Problem,
  sums: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
): { means: Float64Array; scales: Float64Array; finite: boolean; ordinary: boolean } {
  const { X, n, d } = p;
  let ordinary = true;
  let overflowed = false;
  for (let j = 0; j < d; j++) {
    ordinary &&= Math.max(-lo[j], hi[j]) <= LARGE_COLUMN;
    overflowed ||= !Number.isFinite(sums[j]);
  }
  if (overflowed) return { ...centreAndScale(X, p.fitIntercept), ordinary };
  const means = new Float64Array(d);
  const scales = new Float64Array(d);
  let finite = true;
  for (let j = 0; j < d; j++) {
    if (p.fitIntercept) means[j] = sums[j] / n;
    scales[j] = spreadScale(hi[j], means[j], lo[j]);
    finite &&= Number.isFinite(hi[j] - means[j]) && Number.isFinite(means[j] - lo[j]);
  }
  return { means, scales, finite, ordinary };
}

/** The output for a solution: the reason, and its certificate from a fresh pass over the data. */
function finish(
  p: Problem,
  runner: SpanRunner,
  solution: Solution,
  centredIntercept: number,
  ordinary: boolean,
): SolverOutput {
  const { d } = p;
  const { weights, rank, condition, method } = solution;
  const intercept = p.fitIntercept ? centredIntercept : 0;
  const full = rank === d;
  // With a ridge the triangle is that of X stacked on its ridge rows: a strictly convex
  // objective, whose minimiser is unique however small the penalty. A rank below d then only
  // says the penalty is below rounding along some directions.
  const ridged = p.l2 > 0;
  const fitted = `${method}: rank ${rank} of ${d}, condition number of the column-scaled X${ridged ? ' with its ridge rows' : ''} ${condition.toPrecision(3)}`;
  const reason = full
    ? `exact: ${fitted}`
    : ridged
      ? `exact: ${fitted}; the penalty is below rounding along ${d - rank} direction${d - rank === 1 ? '' : 's'}, where the minimum-norm solution is the unique minimiser to working precision`
      : `exact: ${fitted}; X is rank-deficient, so this is the minimum-norm solution (adding any null-space direction of X gives the same objective)`;
  const { value, gradientNorm, scores } = stationarity(p, runner, weights, intercept);
  const end = certified(reason);
  // The shared certificate when the plain sums overflowed or a column is measured in its own units.
  const optimality =
    Number.isFinite(gradientNorm) && ordinary ? gradientNorm : subgradientResidual(p, weights, intercept).residual;
  return {
    weights,
    intercept,
    iterations: 1,
    status: end.status,
    reason: end.reason,
    history: [{ iteration: 1, objective: value }],
    unique: full || p.l2 > 0,
    optimality,
    scores,
  };
}

/**
 * The Gram method (see the top of the file), or null when the factor says the problem is too
 * ill-conditioned for it (then QR decides the rank).
 */
function gramSolution(
  p: Problem,
  runner: SpanRunner,
  means: Float64Array,
  yMean: number,
  colScale: Float64Array,
): Solution | null {
  const { n, d } = p;
  const stride = gramStride(d + 1);
  const { inputs } = runner;
  const parts = passParams(inputs, d);
  inputs[0] = yMean;
  inputs[1] = colScale[d];
  parts.means.set(means);
  parts.scales.set(colScale.subarray(0, d));
  const { w } = parts;
  const yScale = colScale[d];
  const G = new Float64Array(stride * stride);
  runner.run(Pass.Gram, (slot) => {
    for (let i = 0; i < slot.length; i++) G[i] += slot[i];
  });

  const ridge = p.l2 > 0 ? ridgeSquares(p, colScale) : null;
  const L = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let c = 0; c <= j; c++) L[j * d + c] = G[j * stride + c];
    if (ridge !== null) L[j * d + j] += ridge[j];
    rhs[j] = G[d * stride + j];
  }
  for (let i = 0; i < d * d; i++) if (!Number.isFinite(L[i])) return null;
  const dependent = new Uint8Array(d);
  // A pivot lost to rounding (relative size below ε) means κ² ε >= 1: far past ρ <= 1/8.
  if (choleskyInPlace(L, d, dependent, Number.EPSILON) > 0) return null;

  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) R[i * d + j] = L[j * d + i];
  const sigma = singularValues(R, d);
  const condition = max(sigma, d) / min(sigma, d);
  // The depth of the sums: rows within a block, blocks within a span, spans, then the factor.
  const terms = SPAN_BLOCK_ROWS + SPAN_ROWS / SPAN_BLOCK_ROWS + Math.ceil(n / SPAN_ROWS) + d + 1;
  const contraction = condition * condition * terms * d * Number.EPSILON;
  if (!(contraction <= 1 / 8)) return null;

  choleskySolve(L, d, dependent, rhs, w);
  const delta = new Float64Array(d);
  const g = new Float64Array(d);
  for (let step = 0; step < MAX_REFINEMENTS; step++) {
    g.fill(0);
    runner.run(Pass.Residual, (slot) => {
      for (let j = 0; j < d; j++) g[j] += slot[j];
    });
    if (ridge !== null) for (let j = 0; j < d; j++) g[j] -= ridge[j] * w[j];
    choleskySolve(L, d, dependent, g, delta);
    let change = 0;
    let size = 0;
    for (let j = 0; j < d; j++) {
      w[j] += delta[j];
      change = Math.max(change, Math.abs(delta[j]));
      size = Math.max(size, Math.abs(w[j]));
    }
    // The next step would change w by at most ρ times this one: stop once that is below rounding.
    if (contraction * change <= Number.EPSILON * size) break;
  }
  const weights = new Float64Array(d);
  for (let j = 0; j < d; j++) weights[j] = (w[j] * colScale[j]) / yScale;
  return { weights, rank: d, condition, method: 'Cholesky of the Gram matrix, refined on the residuals' };
}

/** Blocked Householder QR of the centred [X y] and the SVD of its triangle. */
function householderSolution(p: Problem, means: Float64Array, yMean: number, colScale: Float64Array): Solution {
  const { X, y, n, d } = p;
  const data = X.data;
  const cols = d + 1;
  const qr = new QRAccumulator(cols);
  // Rows √(n l2 / 2) eⱼ in the scaled coordinates w̃ⱼ = wⱼ / sⱼ, with target 0.
  const ridgeRows = p.l2 > 0 ? ridge(p, colScale) : null;
  // A reflector whose leading entry is far smaller than the rest of its column leaves
  // 1 − τ = α/β to cancellation, and with it the data's part of R: when the ridge outweighs
  // the data that much (l2 = 1e100 made w = 0), the ridge rows go in first, where their zero
  // targets make the update exact. Otherwise they go in last, as they always have.
  const ridgeFirst = ridgeRows !== null && ridgeOutweighs(p, means, colScale, ridgeRows);
  if (ridgeRows !== null && ridgeFirst) qr.absorb(ridgeRows, d);
  const block = new Float64Array(BLOCK_ROWS * cols);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - start);
    for (let i = 0; i < rows; i++) {
      const src = (start + i) * d;
      const dst = i * cols;
      for (let j = 0; j < d; j++) block[dst + j] = scaledDifference(data[src + j], means[j], colScale[j]);
      block[dst + d] = scaledDifference(y[start + i], yMean, colScale[d]);
    }
    qr.absorb(block, rows);
  }
  if (ridgeRows !== null && !ridgeFirst) qr.absorb(ridgeRows, d);

  // The rank is decided on the scaled triangle, so that features in different units (metres
  // next to micrometres) do not look collinear; the solution is then computed in the
  // original units, where "minimum norm" is meant.
  const rcond = Math.max(n, d) * Number.EPSILON;
  const scaledR = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) scaledR[i * d + j] = qr.R[i * cols + j];
    rhs[i] = qr.R[i * cols + d] / colScale[d];
  }
  const scaledSVD = jacobiSVD(scaledR, d);
  const rank = numericalRank(scaledSVD, rcond);
  const method = 'Householder QR + SVD of R';
  if (rank === d) {
    // w = S w̃ with R̃ w̃ = Qᵀy: exact rescaling by powers of two.
    const { x: weights, condition } = truncatedSolve(scaledSVD, rhs, d);
    for (let j = 0; j < d; j++) weights[j] *= colScale[j];
    return { weights, rank, condition, method };
  }
  // R = R̃ S⁻¹ (exact); its SVD gives the minimum-norm w among all minimisers.
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) R[i * d + j] = scaledR[i * d + j] / colScale[j];
  return { weights: truncatedSolve(jacobiSVD(R, d), rhs, rank).x, rank, condition: Infinity, method };
}

/** (√(n l2 / 2) sⱼ)², the ridge rows' contribution to the diagonal of the scaled Gram matrix. */
function ridgeSquares(p: Problem, colScale: Float64Array): Float64Array {
  const rows = ridge(p, colScale);
  const squares = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) squares[j] = rows[j * (p.d + 1) + j] ** 2;
  return squares;
}

/** The d ridge rows √(n l2 / 2) sⱼ eⱼ (cols wide, zero target); √(n/2) √l2 where n l2 overflows. */
function ridge(p: Problem, colScale: Float64Array): Float64Array {
  const { n, d, l2 } = p;
  const cols = d + 1;
  const direct = Math.sqrt((n * l2) / 2);
  const weight = Number.isFinite(direct) ? direct : Math.sqrt(n / 2) * Math.sqrt(l2);
  const rows = new Float64Array(d * cols);
  for (let j = 0; j < d; j++) rows[j * cols + j] = weight * colScale[j];
  return rows;
}

/**
 * Whether some ridge entry exceeds 2^5 times the norm of its (centred, scaled) data column:
 * then a reflector that took the data first would lose more than 2^5 ε of the data's part of R
 * (the relative error of 1 − τ is ε times that ratio). Penalties of everyday size (l2 up to
 * ~1000 on unit-scale features) stay below it.
 */
function ridgeOutweighs(p: Problem, means: Float64Array, colScale: Float64Array, ridgeRows: Float64Array): boolean {
  const { n, d, X } = p;
  const squares = new Float64Array(d);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    for (let j = 0; j < d; j++) {
      const v = scaledDifference(X.data[base + j], means[j], colScale[j]);
      squares[j] += v * v;
    }
  }
  for (let j = 0; j < d; j++) {
    const r = ridgeRows[j * (d + 1) + j];
    if (r * r > 2 ** 10 * squares[j]) return true;
  }
  return false;
}

/**
 * The objective and ‖∇objective‖∞ at (w, b) from one pass for the residuals, a block at a
 * time through the kernels: the gradient norm certifies that the solution is a stationary point.
 * The pass keeps the scores Xw + b too (the front door's objective is computed from them).
 */
function stationarity(
  p: Problem,
  runner: SpanRunner,
  w: Float64Array,
  b: number,
): { value: number; gradientNorm: number; scores: Float64Array } {
  const { n, d } = p;
  runner.inputs[2] = b;
  passParams(runner.inputs, d).w.set(w);
  const g = new Float64Array(d);
  const scores = new Float64Array(n);
  let squares = 0;
  let interceptGradient = 0;
  runner.keepScores(scores);
  runner.run(Pass.Check, (slot) => {
    for (let j = 0; j < d; j++) g[j] += slot[j];
    squares += slot[d];
    interceptGradient += slot[d + 1];
  });
  runner.keepScores(null);
  let largest = p.fitIntercept ? Math.abs(interceptGradient) : 0;
  for (let j = 0; j < d; j++) largest = Math.max(largest, Math.abs(g[j] + p.l2 * w[j]));
  return { value: squares / n + penalty(p, w), gradientNorm: largest, scores };
}

export const leastSquaresSolver: SolverEntry = {
  name: 'leastSquares',
  solve: (p: Problem, _settings: SolverSettings) => solveLeastSquares(p),
  unsupported(p) {
    if (p.loss.capabilities.squaredError !== true)
      return `leastSquares solves squared-error losses only (l2, square, or a loss declaring capabilities.squaredError), not ${p.loss.id}`;
    if (p.l1 > 0) return 'the l1 penalty has no closed form (use coordinateDescent or proximal)';
    return null;
  },
  // The square loss on labels ±1 is least squares too, but auto leaves classification losses
  // to newton as the README's table of solvers says; named, leastSquares fits it exactly.
  preferredFor: (p) => p.loss.task === 'regression',
  checksEntries: true,
};
