/**
 * Multinomial logistic regression: a linear score per class, softmax probabilities, and the
 * mean softmax cross-entropy (`softmaxCrossEntropy`) as the empirical risk, minimised by
 * Newton's method on the convex objective.
 */
import { LossInputError } from '../errors';
import { choleskyInPlace, choleskySolve } from '../linalg/cholesky';
import { compensatedSum } from '../losses/summation';
import type { Vec } from '../vec';
import type { Matrix, MatrixLike } from '../matrix';
import { checkNonNegative, checkNumbers, checkOptions, materialise, readMatrix, checkMatrix } from '../validate';
import { optional } from './core/options';
import { converged, noMinimiser, NO_DECREASE, outOfIterations, stalled, type FitStatus } from './core/stopping';

const ID = 'softmaxCrossEntropy';
const MEASURE = 'gradient norm';
const DEFAULT_MAX_ITER = 100;
const DEFAULT_TOL = 1e-10;
/** A Cholesky pivot below this fraction of its diagonal entry counts as a dependent direction (as in solvers/newton.ts). */
const PIVOT_TOLERANCE = 1e-12;
/** Armijo's sufficient-decrease constant (Nocedal & Wright, *Numerical Optimization*, §3.1). */
const ARMIJO = 1e-4;
/** Halvings of the step before the line search gives up: 2^-60 is below any useful step. */
const MAX_HALVINGS = 60;

export interface SoftmaxRegressionOptions {
  /** Weight of the penalty (l2 / 2) ‖W‖² on the class weights, intercepts unpenalised (default 0). */
  l2?: number;
  /** Newton iterations at most (default 100). */
  maxIter?: number;
  /** Stop when ‖∇F‖∞ ≤ tol (default 1e-10). */
  tol?: number;
  /** Number of classes K (default: the largest label + 1); every class 0 … K − 1 must occur. */
  classes?: number;
}

/** One entry of the fit's history: the objective and ‖∇F‖∞ at the start and after each iteration. */
export interface SoftmaxIteration {
  iteration: number;
  objective: number;
  optimality: number;
}

export interface SoftmaxRegressionFit {
  /** K × d: row k holds the weights of class k. */
  weights: Matrix;
  /** One intercept per class, shifted to sum to 0 (a common shift changes no probability). */
  intercepts: Float64Array;
  classes: number;
  /** (1/n) Σ CE(yᵢ, W xᵢ + b) + (l2/2) ‖W‖², at the returned parameters. */
  objective: number;
  iterations: number;
  /** Exactly `status === 'converged'`. */
  converged: boolean;
  /** 'converged', 'maxIterations', 'noMinimiser' or 'stalled' (see `FitStatus`). */
  status: FitStatus;
  reason: string;
  /** ‖∇F‖∞ over all weights and intercepts at the returned parameters. */
  optimality: number;
  history: SoftmaxIteration[];
  l2: number;
  /** Scores W x + b for new rows: an n × K matrix. */
  logits(X: MatrixLike): Matrix;
  /** softmax(W x + b) for new rows: an n × K matrix whose rows sum to 1. */
  probabilities(X: MatrixLike): Matrix;
  /** The class of largest score for each new row (the first one on a tie). */
  predict(X: MatrixLike): Int32Array;
}

/**
 * The parametrisation the solver moves in. F is unchanged when one vector is added to every
 * class's (w_k, b_k) — the same constant is added to every logit — so the full parameter
 * vector has a flat direction in every intercept, and in every weight when l2 = 0. Newton's
 * Hessian would be singular along them. The last class's intercept (and its weights, when
 * l2 = 0) is therefore held at 0 during the solve; nothing is lost, since every point of the
 * full space has an equivalent one there. At the end the intercepts (and, when l2 = 0, the
 * weights) are centred to sum to 0 over the classes, the representative of smallest norm.
 * With l2 > 0 no centring is needed for W: at a stationary point l2 Σ_k w_k = −Σ_k ∇_k CE = 0.
 */
interface Layout {
  n: number;
  d: number;
  K: number;
  /** Length of the full vector θ = (W row by row, then the K intercepts). */
  size: number;
  /** Indices into θ that the solver moves. */
  free: Int32Array;
  /** For each free index: its class, and its feature (d for the intercept). */
  freeClass: Int32Array;
  freeFeature: Int32Array;
}

function layout(n: number, d: number, K: number, l2: number): Layout {
  const weightClasses = l2 > 0 ? K : K - 1;
  const indices: number[] = [];
  const classes: number[] = [];
  const features: number[] = [];
  for (let k = 0; k < weightClasses; k++) {
    for (let j = 0; j < d; j++) {
      indices.push(k * d + j);
      classes.push(k);
      features.push(j);
    }
  }
  for (let k = 0; k < K - 1; k++) {
    indices.push(K * d + k);
    classes.push(k);
    features.push(d);
  }
  return {
    n,
    d,
    K,
    size: K * (d + 1),
    free: Int32Array.from(indices),
    freeClass: Int32Array.from(classes),
    freeFeature: Int32Array.from(features),
  };
}

/** Logits Z = X Wᵀ + b (n × K) into `z`. */
function logitsInto(X: Float64Array, n: number, d: number, K: number, theta: Float64Array, z: Float64Array): void {
  const b0 = K * d;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let k = 0; k < K; k++) {
      let s = theta[b0 + k];
      const wk = k * d;
      for (let j = 0; j < d; j++) s += X[row + j] * theta[wk + j];
      z[i * K + k] = s;
    }
  }
}

/**
 * Per-row losses into `losses` and softmax probabilities into `p` (overwriting the logits in
 * place): with M the row's largest logit and S = Σ_{k ≠ argmax} e^{z_k − M}, the loss is
 * M − z_y + log1p(S), as `softmaxCrossEntropy` computes it, so no exponential overflows.
 */
function lossesAndProbabilities(z: Float64Array, labels: Int32Array, n: number, K: number, losses: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const base = i * K;
    let top = 0;
    for (let k = 1; k < K; k++) if (z[base + k] > z[base + top]) top = k;
    const M = z[base + top];
    const zy = z[base + labels[i]];
    let others = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[base + k] - M);
      z[base + k] = e;
      if (k !== top) others += e;
    }
    losses[i] = M - zy + Math.log1p(others);
    const total = 1 + others;
    for (let k = 0; k < K; k++) z[base + k] /= total;
  }
}

function penalty(theta: Float64Array, K: number, d: number, l2: number): number {
  if (l2 === 0) return 0;
  let s = 0;
  for (let j = 0; j < K * d; j++) s += theta[j] * theta[j];
  return 0.5 * l2 * s;
}

/** Everything one fit evaluates, with its buffers allocated once. */
class Objective {
  readonly z: Float64Array;
  readonly rowLoss: Float64Array;
  readonly grad: Float64Array;

  constructor(
    readonly X: Float64Array,
    readonly labels: Int32Array,
    readonly L: Layout,
    readonly l2: number,
  ) {
    this.z = new Float64Array(L.n * L.K);
    this.rowLoss = new Float64Array(L.n);
    this.grad = new Float64Array(L.size);
  }

  /** F(θ); leaves the probabilities at θ in `z`. */
  value(theta: Float64Array): number {
    const { n, d, K } = this.L;
    logitsInto(this.X, n, d, K, theta, this.z);
    lossesAndProbabilities(this.z, this.labels, n, K, this.rowLoss);
    return compensatedSum(this.rowLoss, n) / n + penalty(theta, K, d, this.l2);
  }

  /** ∇F over the full θ, from the probabilities the last `value(theta)` left in `z`. */
  gradient(theta: Float64Array): Float64Array {
    const { n, d, K } = this.L;
    const { X, labels, z, grad } = this;
    grad.fill(0);
    const b0 = K * d;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let k = 0; k < K; k++) {
        const r = z[i * K + k] - (labels[i] === k ? 1 : 0);
        if (r === 0) continue;
        const wk = k * d;
        for (let j = 0; j < d; j++) grad[wk + j] += r * X[row + j];
        grad[b0 + k] += r;
      }
    }
    for (let j = 0; j < grad.length; j++) grad[j] /= n;
    if (this.l2 > 0) for (let j = 0; j < K * d; j++) grad[j] += this.l2 * theta[j];
    return grad;
  }

  /**
   * The Hessian over the free coordinates (m × m, both triangles), from the probabilities in
   * `z`: (1/n) Σᵢ (diag pᵢ − pᵢ pᵢᵀ) ⊗ x̃ᵢ x̃ᵢᵀ with x̃ᵢ = (xᵢ, 1), plus l2 on the weights.
   */
  hessian(H: Float64Array): void {
    const { n, d, K, free, freeClass, freeFeature } = this.L;
    const { X, z } = this;
    const m = free.length;
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      const pi = i * K;
      for (let a = 0; a < m; a++) {
        const ka = freeClass[a];
        const xa = freeFeature[a] === d ? 1 : X[row + freeFeature[a]];
        const pa = z[pi + ka];
        if (xa === 0 || pa === 0) continue;
        for (let c = 0; c <= a; c++) {
          const kc = freeClass[c];
          const xc = freeFeature[c] === d ? 1 : X[row + freeFeature[c]];
          const curvature = ka === kc ? pa * (1 - pa) : -pa * z[pi + kc];
          H[a * m + c] += curvature * xa * xc;
        }
      }
    }
    for (let a = 0; a < m; a++) {
      for (let c = 0; c <= a; c++) {
        H[a * m + c] /= n;
        H[c * m + a] = H[a * m + c];
      }
      if (this.l2 > 0 && freeFeature[a] < d) H[a * m + a] += this.l2;
    }
  }

  /** True when every row's own class has the strictly largest logit at θ (z holds probabilities). */
  separates(): boolean {
    const { n, K } = this.L;
    for (let i = 0; i < n; i++) {
      const own = this.z[i * K + this.labels[i]];
      for (let k = 0; k < K; k++) if (k !== this.labels[i] && !(this.z[i * K + k] < own)) return false;
    }
    return true;
  }
}

function maxAbs(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s = Math.max(s, Math.abs(v[j]));
  return s;
}

interface Ending {
  status: FitStatus;
  reason: string;
}

/**
 * Fits a multinomial logistic regression on class labels 0 … K − 1 by minimising the convex
 *   F(W, b) = (1/n) Σᵢ −ln softmax(W xᵢ + b)_{yᵢ} + (l2/2) ‖W‖²
 * (intercepts unpenalised) with Newton's method: the exact Hessian
 * (1/n) Σᵢ (diag pᵢ − pᵢ pᵢᵀ) ⊗ x̃ᵢ x̃ᵢᵀ + l2 I, factorised by Cholesky, and a backtracking
 * (Armijo) line search from the full step. Flat directions of F (a vector added to every
 * class) are removed by holding the last class's intercept, and its weights when l2 = 0, at 0;
 * the answer is then centred (see `Layout`). Each iteration costs n (K(d+1))² operations, so
 * the solver suits the course's problems (K(d+1) up to a few hundred parameters).
 *
 * It stops with status 'converged' when ‖∇F‖∞ ≤ tol, 'noMinimiser' when l2 = 0 and an iterate
 * gives every example's own class the strictly largest score (then F decreases to 0 along
 * that ray and is positive everywhere, so no minimiser exists; add l2 > 0), 'stalled' when no
 * step lowers F beyond its rounding, and 'maxIterations' otherwise.
 *
 * With K = 2 it is the binary logistic model: P(class 1) = σ((w₁ − w₀)·x + b₁ − b₀), and with
 * l2 the centred weights are ±w/2, so the penalty (l2/2)‖W‖² equals (l2/4)‖w‖² — the binary
 * fit with penalty l2/2.
 *
 * @example
 * ```ts
 * import { fitSoftmaxRegression } from 'losslab';
 * const X = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [0, 2]];
 * const fit = fitSoftmaxRegression(X, [0, 1, 2, 0, 1, 2], { l2: 0.1 });
 * fit.status;                                      // "converged"
 * fit.optimality <= 1e-10;                         // true
 * Array.from(fit.predict([[3, 0], [0, 3]]));       // [1,2]
 * const p = fit.probabilities([[3, 0]]).data;
 * Math.abs(p[0] + p[1] + p[2] - 1) < 1e-15;        // true
 * fitSoftmaxRegression(X, [0, 1, 3, 0, 1, 3]);     // throws LossInputError: softmaxCrossEntropy: labels has no example of class 2 of 0 … 3 (its intercept would fall without bound); allowed: at least one example of every class
 * ```
 */
export function fitSoftmaxRegression(
  X: MatrixLike,
  labels: Vec,
  opts: SoftmaxRegressionOptions = {},
): SoftmaxRegressionFit {
  const o = checkOptions(ID, opts, ['l2', 'tol', 'maxIter', 'classes'], 'opts', 'an object such as { l2, maxIter }');
  const M = readMatrix(X, 'X', ID);
  const rawLabels = materialise(ID, 'labels', labels, 'real');
  checkMatrix(M, 'X', ID);
  const n = checkNumbers(ID, 'labels', rawLabels, 'real');
  if (n !== M.rows) {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      problem: `has length ${n} but X has ${M.rows} rows`,
      domain: `length ${M.rows}`,
    });
  }
  const l2 = checkNonNegative(ID, 'l2', optional(o.l2, 0));
  const tol = checkNonNegative(ID, 'tol', optional(o.tol, DEFAULT_TOL));
  const maxIter = optional(o.maxIter, DEFAULT_MAX_ITER);
  if (typeof maxIter !== 'number' || !Number.isSafeInteger(maxIter) || maxIter < 1) {
    throw new LossInputError({
      loss: ID,
      argument: 'maxIter',
      value: maxIter,
      problem: 'is not a positive integer',
      domain: 'an integer >= 1',
    });
  }
  const y = classLabels(rawLabels, n);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, y[i]);
  const K = optional(o.classes, largest + 1);
  if (typeof K !== 'number' || !Number.isSafeInteger(K) || K < 2) {
    throw new LossInputError({
      loss: ID,
      argument: 'classes',
      value: K,
      problem: 'is not a number of classes of at least 2',
      domain: 'an integer >= 2',
    });
  }
  if (largest >= K) {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      index: y.indexOf(largest),
      value: largest,
      problem: `is not a class of 0 … ${K - 1}`,
      domain: `integers in [0, ${K})`,
    });
  }
  const seen = new Uint8Array(K);
  for (let i = 0; i < n; i++) seen[y[i]] = 1;
  const missing = seen.indexOf(0);
  if (missing >= 0) {
    throw new LossInputError({
      loss: ID,
      argument: 'labels',
      problem: `has no example of class ${missing} of 0 … ${K - 1} (its intercept would fall without bound)`,
      domain: 'at least one example of every class',
    });
  }

  const d = M.cols;
  const L = layout(n, d, K, l2);
  const F = new Objective(M.data, y, L, l2);
  const m = L.free.length;
  const theta = new Float64Array(L.size);
  const trial = new Float64Array(L.size);
  const H = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const step = new Float64Array(m);
  const dependent = new Uint8Array(m);

  let value = F.value(theta);
  let optimality = maxAbs(F.gradient(theta));
  const history: SoftmaxIteration[] = [{ iteration: 0, objective: value, optimality }];
  let ending: Ending | null = null;
  let iterations = 0;
  for (let k = 1; ending === null; k++) {
    if (l2 === 0 && F.separates()) {
      ending = noMinimiser(
        "every example's own class has the strictly largest score, so along t·(W, b), t → ∞, the objective decreases to its infimum 0 without reaching it; add an l2 penalty (l2 > 0) for a finite solution",
      );
      break;
    }
    if (optimality <= tol) {
      ending = converged(MEASURE, optimality, tol);
      break;
    }
    if (k > maxIter) {
      ending = outOfIterations(maxIter, 'iterations', MEASURE, optimality, tol);
      break;
    }
    F.hessian(H);
    const grad = F.grad;
    for (let a = 0; a < m; a++) rhs[a] = -grad[L.free[a]];
    choleskyInPlace(H, m, dependent, PIVOT_TOLERANCE);
    choleskySolve(H, m, dependent, rhs, step);
    let slope = 0;
    for (let a = 0; a < m; a++) slope -= rhs[a] * step[a];
    if (!(slope < 0)) {
      // Rounding made the Newton direction useless: fall back to steepest descent.
      step.set(rhs);
      slope = 0;
      for (let a = 0; a < m; a++) slope -= rhs[a] * rhs[a];
    }
    const accepted = lineSearch(F, theta, trial, L.free, step, value, slope);
    if (accepted === null) {
      ending = stalled(MEASURE, optimality, tol, NO_DECREASE);
      break;
    }
    theta.set(trial);
    value = accepted;
    // The last evaluation was at the accepted point, so z holds its probabilities.
    optimality = maxAbs(F.gradient(theta));
    iterations = k;
    history.push({ iteration: k, objective: value, optimality });
  }

  centre(theta, K, d, l2 === 0);
  const objective = F.value(theta);
  const finalOptimality = maxAbs(F.gradient(theta));
  const weights: Matrix = { rows: K, cols: d, data: theta.slice(0, K * d) };
  const intercepts = theta.slice(K * d);
  return {
    weights,
    intercepts,
    classes: K,
    objective,
    iterations,
    converged: ending.status === 'converged',
    status: ending.status,
    reason: ending.reason,
    optimality: finalOptimality,
    history,
    l2,
    logits: (Xnew) => newLogits(Xnew, weights, intercepts),
    probabilities(Xnew) {
      const z = newLogits(Xnew, weights, intercepts);
      const scratch = new Float64Array(z.rows);
      lossesAndProbabilities(z.data, new Int32Array(z.rows), z.rows, K, scratch);
      return z;
    },
    predict(Xnew) {
      const z = newLogits(Xnew, weights, intercepts);
      const out = new Int32Array(z.rows);
      for (let i = 0; i < z.rows; i++) {
        let top = 0;
        for (let k = 1; k < K; k++) if (z.data[i * K + k] > z.data[i * K + top]) top = k;
        out[i] = top;
      }
      return out;
    },
  };
}

/** Labels read as class indices: integers >= 0. */
function classLabels(raw: ArrayLike<number>, n: number): Int32Array {
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) {
      throw new LossInputError({
        loss: ID,
        argument: 'labels',
        index: i,
        value: v,
        problem: 'is not a class index',
        domain: 'integers 0, 1, …, K − 1',
      });
    }
    y[i] = v;
  }
  return y;
}

/**
 * Backtracking from the full step until F drops by Armijo's fraction of the predicted
 * decrease, allowing the rounding of F itself (8 ε |F|): near the minimum the predicted
 * decrease falls below what F can resolve while the gradient can still be certified smaller.
 * Returns F at the accepted point (left in `trial`), or null when no step is accepted.
 */
function lineSearch(
  F: Objective,
  theta: Float64Array,
  trial: Float64Array,
  free: Int32Array,
  step: Float64Array,
  value: number,
  slope: number,
): number | null {
  const slack = 8 * Number.EPSILON * Math.abs(value);
  let alpha = 1;
  for (let h = 0; h <= MAX_HALVINGS; h++, alpha /= 2) {
    trial.set(theta);
    for (let a = 0; a < free.length; a++) trial[free[a]] += alpha * step[a];
    const v = F.value(trial);
    if (v <= value + ARMIJO * alpha * slope + slack && v - v === 0) {
      // Accept only a step that changes the parameters: a zero step would loop.
      for (let a = 0; a < free.length; a++) if (trial[free[a]] !== theta[free[a]]) return v;
      return null;
    }
  }
  return null;
}

/** Shifts the intercepts (and, when `weightsToo`, each feature's weights) to sum to 0 over the classes. */
function centre(theta: Float64Array, K: number, d: number, weightsToo: boolean): void {
  const shift = (indexOf: (k: number) => number) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += theta[indexOf(k)];
    const mean = s / K;
    for (let k = 0; k < K; k++) theta[indexOf(k)] -= mean;
  };
  shift((k) => K * d + k);
  if (weightsToo) for (let j = 0; j < d; j++) shift((k) => k * d + j);
}

function newLogits(Xnew: MatrixLike, W: Matrix, b: Float64Array): Matrix {
  const X = readMatrix(Xnew, 'X', ID);
  checkMatrix(X, 'X', ID);
  if (X.cols !== W.cols) {
    throw new LossInputError({
      loss: ID,
      argument: 'X',
      problem: `has ${X.cols} columns but the model was fitted on ${W.cols}`,
      domain: `${W.cols} columns`,
    });
  }
  const K = W.rows;
  const theta = new Float64Array(K * (W.cols + 1));
  theta.set(W.data);
  theta.set(b, K * W.cols);
  const z = new Float64Array(X.rows * K);
  logitsInto(X.data, X.rows, X.cols, K, theta, z);
  return { rows: X.rows, cols: K, data: z };
}
