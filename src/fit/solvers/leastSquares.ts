/**
 * Exact least squares (and ridge): the l2 loss with an optional l2 penalty, solved through a
 * Householder QR of the centred data and an SVD of the small triangle it leaves.
 *
 * Numerics: the normal equations XᵀX w = Xᵀy would be about twice as fast here (forming XᵀX
 * takes n d²/2 multiply-adds, QR 2 n d² flops) but square the condition number, so a
 * problem with κ(X) = 1e6 would lose 12 digits instead of 6. QR keeps the backward stability
 * of the data, and measured at n = 1e5, d = 50 it already runs about as fast as
 * numpy.linalg.lstsq (bench/fit-exact.bench.ts), so we keep the sounder method.
 */
import { dot, max, mean, min, transposeTimes } from '../../linalg/dense';
import { QRAccumulator } from '../../linalg/qr';
import { centreAndScale, scaledDifference, spreadScale } from '../../linalg/scale';
import { jacobiSVD, numericalRank, truncatedSolve } from '../../linalg/svd';
import { subgradientResidual } from '../core/certificate';
import { penalty } from '../core/objective';
import { columnScales } from '../core/scaling';
import { certified } from '../core/stopping';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/** Rows folded into R at a time: 128 rows of ≤ 100 columns stay in L2 cache. */
const BLOCK_ROWS = 128;

/**
 * The minimiser of (1/n) Σ (y_i − w·x_i − b)² + (l2/2)‖w‖².
 *
 * 1. centre X and y (the intercept is then ȳ − x̄·w, so it is neither penalised nor mixed
 *    into the rank decision) and scale each column by a power of two (exact, so nothing is
 *    rounded) to keep squares far from overflow;
 * 2. fold the rows, with y as a last column, into R by blocked Householder QR; the ridge
 *    penalty adds the rows √(n·l2/2) eⱼ, so ridge is least squares on augmented data
 *    (Hoerl & Kennard 1970) and never forms XᵀX;
 * 3. solve R w = Qᵀy through the SVD of R: singular values of the column-scaled R below
 *    max(n, d)·ε·σ_max count as zero (numpy.linalg.lstsq's rule, made independent of the
 *    features' units), and a rank-deficient X gets the minimum-norm solution in the original
 *    units (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.5).
 */
export function solveLeastSquares(p: Problem): SolverOutput {
  const { X, y, n, d, fitIntercept } = p;
  const data = X.data;
  const { means, scales } = centreAndScale(X, fitIntercept);
  const yMean = fitIntercept ? mean(y, n) : 0;
  const cols = d + 1;
  const colScale = new Float64Array(cols);
  colScale.set(scales);
  colScale[d] = spreadScale(max(y, n), yMean, min(y, n));

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
  let weights: Float64Array;
  let condition: number;
  if (rank === d) {
    // w = S w̃ with R̃ w̃ = Qᵀy: exact rescaling by powers of two.
    ({ x: weights, condition } = truncatedSolve(scaledSVD, rhs, d));
    for (let j = 0; j < d; j++) weights[j] *= colScale[j];
  } else {
    // R = R̃ S⁻¹ (exact); its SVD gives the minimum-norm w among all minimisers.
    const R = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) R[i * d + j] = scaledR[i * d + j] / colScale[j];
    weights = truncatedSolve(jacobiSVD(R, d), rhs, rank).x;
    condition = Infinity;
  }
  const intercept = fitIntercept ? yMean - dot(means, weights, d) : 0;

  const full = rank === d;
  // With a ridge the triangle is that of X stacked on its ridge rows: a strictly convex
  // objective, whose minimiser is unique however small the penalty. A rank below d then only
  // says the penalty is below rounding along some directions.
  const ridged = p.l2 > 0;
  const fitted = `Householder QR + SVD of R: rank ${rank} of ${d}, condition number of the column-scaled X${ridged ? ' with its ridge rows' : ''} ${condition.toPrecision(3)}`;
  const reason = full
    ? `exact: ${fitted}`
    : ridged
      ? `exact: ${fitted}; the penalty is below rounding along ${d - rank} direction${d - rank === 1 ? '' : 's'}, where the minimum-norm solution is the unique minimiser to working precision`
      : `exact: ${fitted}; X is rank-deficient, so this is the minimum-norm solution (adding any null-space direction of X gives the same objective)`;
  const { value, gradientNorm } = stationarity(p, weights, intercept);
  const end = certified(reason);
  // The shared certificate when the plain sums overflowed or a column is measured in its own units.
  const optimality =
    Number.isFinite(gradientNorm) && columnScales(p.X) === null
      ? gradientNorm
      : subgradientResidual(p, weights, intercept).residual;
  return {
    weights,
    intercept,
    iterations: 1,
    status: end.status,
    reason: end.reason,
    history: [{ iteration: 1, objective: value }],
    unique: full || p.l2 > 0,
    optimality,
  };
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
 * The objective and ‖∇objective‖∞ at (w, b) from one pass for the residuals: the gradient
 * norm certifies that the solution is a stationary point.
 */
function stationarity(p: Problem, w: Float64Array, b: number): { value: number; gradientNorm: number } {
  const { n, d } = p;
  const scaled = new Float64Array(n);
  const data = p.X.data;
  let squares = 0;
  let interceptGradient = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let f = b;
    for (let j = 0; j < d; j++) f += data[base + j] * w[j];
    const r = f - p.y[i];
    squares += r * r;
    scaled[i] = (2 / n) * r;
    interceptGradient += scaled[i];
  }
  const g = transposeTimes(p.X, scaled, new Float64Array(d));
  let max = p.fitIntercept ? Math.abs(interceptGradient) : 0;
  for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(g[j] + p.l2 * w[j]));
  return { value: squares / n + penalty(p, w), gradientNorm: max };
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
};
