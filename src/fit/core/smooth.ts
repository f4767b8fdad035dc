/**
 * The smooth part of the ERM objective as a function of θ = (w, b):
 *   S(θ) = (1/n) Σ_i loss(y_i, w·x_i + b) + (l2/2) ‖w‖²
 * with its gradient, its generalised Hessian and its restriction to a line, on buffers
 * allocated once per fit. The intercept b is the last entry of θ when it is fitted.
 *
 * Along a line θ + αp the scores are s + α (X p_w + p_b), so after one product X p every
 * trial step of a line search costs O(n) instead of O(n d): an iteration of L-BFGS or Newton
 * then does exactly two passes over X (X p and Xᵀ l'), like scikit-learn's L-BFGS.
 *
 * Those passes run in a workspace (linalg/wasm.ts): X is copied into WebAssembly memory once
 * per fit, beside the vectors of length n, and no iteration allocates. `release` hands the
 * memory back when the solver has finished. For the logistic loss and cross-entropy with logits
 * the fused loss loop runs there too (on a copy of y), with the bits of the loss's JavaScript loop.
 */
import { dot, mean, sum } from '../../linalg/dense';
import { weightedGram } from '../../linalg/gram';
import { powerOfTwoScale } from '../../linalg/scale';
import { kernelBackend, type Workspace, workspace } from '../../linalg/wasm';
import { residentLoopOf } from '../../losses/brand';
import { ELEMENTARY_TABLES } from '../../losses/elementary';
import { maxAbs } from './progress';
import { l2At, weightDot } from './scaling';
import type { Problem } from '../types';

/** Beyond this |score| every tested loss has reached its limit value in double precision. */
const FAR = 1e300;

export class SmoothObjective {
  /** Number of parameters: d, plus one for the intercept. */
  readonly dim: number;
  /** Scores w·x_i + b at the current point (the last one evaluated or accepted). */
  scores: Float64Array;
  /** Loss derivatives l'(y_i, f_i) at the last evaluated scores. */
  readonly derivatives: Float64Array;
  /** φ'(α) of the last `along` call. */
  slope = 0;

  private trial: Float64Array;
  private readonly lineScores: Float64Array;
  private readonly curvature: Float64Array;
  private losses: Float64Array | undefined;
  private gram: Float64Array | undefined;
  private lastAlpha = NaN;
  private lastValue = NaN;
  private ww = 0;
  private wp = 0;
  private pp = 0;
  private readonly ws: Workspace;
  /** X as the kernels read it. */
  private readonly x: Float64Array;
  /** The weights of a product, copied where the kernels read them. */
  private readonly weights: Float64Array;
  /** Xᵀ of something, and the chunk sums it is made of. */
  private readonly transposed: Float64Array;
  private readonly partial: Float64Array;
  /** Σ_i loss(y_i, f_i), with the derivatives into `derivatives`, for scores f in the workspace. */
  private readonly sumAndDerivatives: (f: Float64Array) => number;
  /**
   * The same at the scores s + α ds, which it stores in `trial`, leaving Σ_i l'_i ds_i (summed
   * in index order, as `dot` does) in `lineDot`.
   */
  private readonly lossAlong: (s: Float64Array, ds: Float64Array, alpha: number, trial: Float64Array) => number;
  private lineDot = 0;

  constructor(readonly p: Problem) {
    const { n, d } = p;
    this.dim = d + (p.fitIntercept ? 1 : 0);
    // Decided once: the targets, which decide whether the loop applies, do not change during a fit.
    const loop = residentLoopOf(p.loss);
    const resident = loop !== undefined && kernelBackend() === 'wasm' && loop.accepts(p.y, n);
    const lengths = [n, n, n, n, n, d, d, d];
    this.ws = workspace(resident ? [...lengths, n, ELEMENTARY_TABLES.length, 1] : lengths, p.X.data);
    [
      this.scores,
      this.derivatives,
      this.trial,
      this.lineScores,
      this.curvature,
      this.weights,
      this.transposed,
      this.partial,
    ] = this.ws.arrays;
    this.x = this.ws.resident;
    const fused = loop !== undefined && resident ? this.ws.lossLoops?.[loop.name] : undefined;
    if (fused === undefined) {
      this.sumAndDerivatives = (f) => p.loss.kernels.sumAndDerivatives(p.y, f, this.derivatives, n);
      this.lossAlong = (s, ds, alpha, trial) => {
        for (let i = 0; i < n; i++) trial[i] = s[i] + alpha * ds[i];
        const sum = p.loss.kernels.sumAndDerivatives(p.y, trial, this.derivatives, n);
        this.lineDot = dot(this.derivatives, ds, n);
        return sum;
      };
    } else {
      const [y, tables, lineDot] = this.ws.arrays.slice(lengths.length);
      y.set(p.y);
      tables.set(ELEMENTARY_TABLES);
      this.sumAndDerivatives = (f) => fused.sumAndDerivatives(y, f, this.derivatives, n, tables);
      this.lossAlong = (s, ds, alpha, trial) => {
        const sum = fused.along(y, s, ds, alpha, trial, this.derivatives, n, tables, lineDot);
        this.lineDot = lineDot[0];
        return sum;
      };
    }
  }

  /** Gives the workspace back; the objective must not be used afterwards. */
  release(): void {
    this.ws.release();
  }

  /** out = X̃ v (the first d entries of v, plus its intercept entry) in the kernels' memory. */
  private times(v: Float64Array, out: Float64Array): void {
    const { n, d } = this.p;
    for (let j = 0; j < d; j++) this.weights[j] = v[j];
    this.ws.kernels.scores(this.x, n, d, this.weights, this.intercept(v), out);
  }

  /** The first d entries of out = Xᵀ g. */
  private transposeProduct(g: Float64Array, out: Float64Array): void {
    const { n, d } = this.p;
    this.ws.kernels.transposeTimes(this.x, n, d, g, this.transposed, this.partial);
    for (let j = 0; j < d; j++) out[j] = this.transposed[j];
  }

  /** The intercept entry of θ (0 when it is not fitted). */
  intercept(theta: Float64Array): number {
    return this.p.fitIntercept ? theta[this.p.d] : 0;
  }

  /** S(θ); fills `grad` with ∇S(θ) and leaves the scores and derivatives of θ in place. */
  evaluate(theta: Float64Array, grad: Float64Array): number {
    const { p } = this;
    this.times(theta, this.scores);
    const sum = this.sumAndDerivatives(this.scores);
    this.gradientFromDerivatives(theta, grad);
    this.lastAlpha = NaN;
    return notNaN(this.meanLoss(sum, this.scores) + 0.5 * p.l2 * weightDot(p, theta, theta));
  }

  /**
   * Prepares φ(α) = S(θ + α dir): one product X dir. A direction so long that X dir overflows
   * (the gradient where a loss is near overflow can be 1e300) is shortened in place by powers
   * of two, first to entries <= 1 and then, if need be, by the largest row sum of |X̃|, after
   * which |X̃ dir| <= 1; returns whether it was, so that the caller recomputes its slope.
   */
  setLine(theta: Float64Array, dir: Float64Array): boolean {
    const { p, dim } = this;
    const ds = this.lineScores;
    this.times(dir, ds);
    let shortened = false;
    for (let attempt = 0; attempt < 2 && !allFinite(ds, p.n); attempt++) {
      const t = powerOfTwoScale(attempt === 0 ? maxAbs(dir, dim) : this.largestRowSum());
      if (!(t < 1)) break;
      for (let j = 0; j < dim; j++) dir[j] *= t;
      this.times(dir, ds);
      shortened = true;
    }
    this.ww = weightDot(p, theta, theta);
    this.wp = weightDot(p, theta, dir);
    this.pp = weightDot(p, dir, dir);
    this.lastAlpha = NaN;
    return shortened;
  }

  /**
   * sum / n, the mean loss; when the sum overflowed though the losses did not (targets near
   * the largest double), the mean of the losses at `at` taken term by term instead.
   */
  private meanLoss(sum: number, at: Float64Array): number {
    const { p } = this;
    if (Number.isFinite(sum)) return sum / p.n;
    this.losses ??= new Float64Array(p.n);
    const values = this.losses;
    p.loss.kernels.values(p.y, at, values, p.n);
    return mean(values, p.n);
  }

  /** max_i Σ_j |x̃_ij| (the intercept's 1 included): a bound on |x̃_i · u| for ‖u‖∞ <= 1. */
  private largestRowSum(): number {
    const { n, d, X } = this.p;
    let largest = 0;
    for (let i = 0, base = 0; i < n; i++, base += d) {
      let s = this.dim > d ? 1 : 0;
      for (let j = 0; j < d; j++) s += Math.abs(X.data[base + j]);
      largest = Math.max(largest, s);
    }
    return largest;
  }

  /** φ(α) for the line set by `setLine`; leaves φ'(α) in `slope`. O(n). */
  along(alpha: number): number {
    const { p, trial } = this;
    const sum = this.lossAlong(this.scores, this.lineScores, alpha, trial);
    this.slope = this.lineDot / p.n + p.l2 * (this.wp + alpha * this.pp);
    this.lastAlpha = alpha;
    this.lastValue = notNaN(
      this.meanLoss(sum, trial) + 0.5 * p.l2 * (this.ww + alpha * (2 * this.wp + alpha * this.pp)),
    );
    return this.lastValue;
  }

  /**
   * Moves θ to θ + α dir along the current line, makes its scores and derivatives current,
   * fills `grad` and returns S there.
   */
  step(theta: Float64Array, dir: Float64Array, alpha: number, grad: Float64Array): number {
    const value = this.lastAlpha === alpha ? this.lastValue : this.along(alpha);
    for (let j = 0; j < this.dim; j++) theta[j] += alpha * dir[j];
    const previous = this.scores;
    this.scores = this.trial;
    this.trial = previous;
    this.gradientFromDerivatives(theta, grad);
    this.lastAlpha = NaN;
    return value;
  }

  /**
   * The lower triangle of the generalised Hessian (1/n) X̃ᵀ D X̃ + l2 I_w at the current
   * scores, into `H` (dim × dim, row-major), with X̃ = [X 1] and D = diag l''(y_i, f_i). For
   * losses whose curvature jumps (huber, squaredHinge) this is the element of the Clarke
   * generalised Hessian that finite Newton methods use (Keerthi & DeCoste, JMLR 6, 2005).
   * The d × d block is `weightedGram` (shared with the LP solver); the intercept's row is Xᵀ D.
   */
  hessian(H: Float64Array): void {
    const { p, dim } = this;
    const { n, d } = p;
    this.gram ??= new Float64Array(d * d);
    const D = this.curvature;
    const block = this.gram;
    p.loss.kernels.secondDerivatives(p.y, this.scores, D, n);
    weightedGram(p.X.data, n, d, D, block);
    const inv = 1 / n;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k <= j; k++) H[j * dim + k] = block[j * d + k] * inv;
      H[j * dim + j] += l2At(p, j);
    }
    if (p.fitIntercept) {
      const row = H.subarray(d * dim, d * dim + d);
      this.transposeProduct(D, row);
      for (let j = 0; j < d; j++) row[j] *= inv;
      H[d * dim + d] = sum(D, n) * inv;
    }
  }

  /**
   * 1 / diag of the generalised Hessian at the current scores (1 where that diagonal is 0):
   * a diagonal preconditioner. One pass over X.
   */
  inverseHessianDiagonal(): Float64Array {
    const { p, dim } = this;
    const { n, d } = p;
    const D = this.curvature;
    p.loss.kernels.secondDerivatives(p.y, this.scores, D, n);
    this.ws.kernels.weightedSquares(this.x, n, d, D, this.transposed);
    const diag = new Float64Array(dim);
    for (let j = 0; j < d; j++) diag[j] = this.transposed[j];
    if (dim > d) diag[d] = sum(D, n);
    for (let j = 0; j < dim; j++) {
      const h = diag[j] / n + (j < d ? l2At(p, j) : 0);
      diag[j] = h > 0 && Number.isFinite(h) ? 1 / h : 1;
    }
    return diag;
  }

  /**
   * Why the objective has no minimiser, judged at the current scores, or null when this test
   * cannot tell. With l2 = 0 and a strictly convex loss: if along the ray t·θ (t → ∞) every
   * example's loss decreases (l'_i f_i < 0) towards the limit 0, then each loss is positive
   * everywhere (a strictly convex function with limit 0 at one end is), so the objective is
   * positive and tends to 0 along the ray: its infimum 0 is not attained. For logistic,
   * exponential and cross-entropy with 0/1 labels this is exactly linear separability.
   */
  noMinimiser(theta: Float64Array): string | null {
    const { p } = this;
    if (p.l2 !== 0 || p.l1 !== 0 || !p.loss.properties.strictlyConvex) return null;
    const { n } = p;
    const s = this.scores;
    const g = this.derivatives;
    for (let i = 0; i < n; i++) if (!(g[i] * s[i] < 0)) return null;
    const far = this.trial;
    for (let i = 0; i < n; i++) far[i] = s[i] > 0 ? FAR : -FAR;
    p.loss.kernels.values(p.y, far, far, n);
    for (let i = 0; i < n; i++) if (far[i] !== 0) return null;
    const norm = Math.sqrt(dot(theta, theta, this.dim));
    return (
      `the data are linearly separable by the current (w, b) (‖θ‖ = ${norm.toPrecision(3)}), and along t·(w, b), t → ∞, ` +
      `the objective decreases to its infimum 0 without reaching it; add an l2 penalty (l2 > 0) for a unique finite solution`
    );
  }

  private gradientFromDerivatives(theta: Float64Array, grad: Float64Array): void {
    const { p } = this;
    const { n, d } = p;
    this.transposeProduct(this.derivatives, grad);
    const inv = 1 / n;
    for (let j = 0; j < d; j++) grad[j] = grad[j] * inv + l2At(p, j) * theta[j];
    if (p.fitIntercept) grad[d] = sum(this.derivatives, n) * inv;
  }
}

function allFinite(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * A value that came out NaN (scores or losses that overflowed with opposite signs) as
 * +Infinity: not finite either way, so the line searches back off and the solvers stop, and
 * the objective a fit records is never NaN.
 */
function notNaN(v: number): number {
  return Number.isNaN(v) ? Infinity : v;
}
