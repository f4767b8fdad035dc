/**
 * The linear program of a piecewise-linear ERM: the loss's declared form, the data centred and
 * scaled by powers of two, the boxed dual variables, and the maps between the scaled
 * coordinates the interior point works in and the original (w, b).
 */
import { LossInputError } from '../../../errors';
import { max, mean, min, transposeTimes } from '../../../linalg/dense';
import { centreAndScale, scaledDifference, spreadScale } from '../../../linalg/scale';
import { slopesAt } from '../../../losses/capabilities';
import type { Loss } from '../../../losses/types';
import type { Matrix } from '../../../matrix';
import type { Problem } from '../../types';
import type { Arena } from './arena';

/** How a supported loss enters the linear program. */
export interface PiecewiseLinear {
  /** Bounds of the dual variable aᵢ for a target y: the loss's slopes in the residual. */
  lower(y: number): number;
  upper(y: number): number;
  /** Half-width of the flat part around the kink (ε-insensitive), else 0. */
  epsilon: number;
  /**
   * Whether the loss is a function of the residual alone (constant slopes), so that y may be
   * centred and rescaled (not hinge: its slopes depend on the label, its kink is at y f = 1).
   */
  homogeneous: boolean;
  /**
   * Labels ±1 whose loss vanishes for every large enough margin y f (the slope is 0 on the
   * side of y f → ∞, as for hinge): a separating (w, b), scaled up, reaches the objective 0.
   */
  vanishesWithMargin: boolean;
}

/** The LP form `loss` declares, or null when it declares none. */
export function piecewiseLinear(loss: Loss): PiecewiseLinear | null {
  const form = loss.capabilities.linearProgram;
  if (form === undefined) return null;
  const { lower, upper, flat } = form;
  return {
    lower: typeof lower === 'number' ? () => lower : lower,
    upper: typeof upper === 'number' ? () => upper : upper,
    epsilon: flat,
    homogeneous: typeof lower === 'number' && typeof upper === 'number',
    vanishesWithMargin: loss.target === 'sign' && slopesAt(form, 1)[0] === 0 && slopesAt(form, -1)[1] === 0,
  };
}

/**
 * The LP in the scaled coordinates the iterations run in: X̃ = [(X − x̄) S, 1] (centred,
 * columns scaled by powers of two, a column of ones for the intercept) and ỹ = t y. Both
 * transformations are exact or invertible without rounding surprises, and they make the
 * normal matrix's conditioning independent of the units of the features.
 */
export interface ScaledProblem {
  n: number;
  /** Columns of X̃ (d, plus 1 for the intercept): the equality constraints of the LP, and the length of β. */
  m: number;
  A: Float64Array;
  /** ỹ = t (y − shift). */
  y: Float64Array;
  /** Bounds of each example's dual variable aᵢ (they depend on the original label for hinge). */
  lower: Float64Array;
  upper: Float64Array;
  means: Float64Array;
  colScale: Float64Array;
  yShift: number;
  yScale: number;
  /** ε̃ = t ε. */
  epsilon: number;
  /** Penalty weight of each scaled coordinate: l1 sⱼ, and 0 for the intercept. */
  penalty: Float64Array;
  /** Coordinates an overwhelming l1 penalty fixes at 0 (see `penaltyEffect`); their columns of A are zero. */
  fixedZero: Int32Array;
}

/**
 * What the l1 penalty does to coordinate j, measured against the most any dual point can put
 * there, |Σᵢ aᵢ x̃ᵢⱼ| <= Σᵢ |x̃ᵢⱼ| max(|loᵢ|, |hiᵢ|) (the reach):
 * - 'fixes': n l1 sⱼ beyond the reach, so the constraint can never bind and by complementary
 *   slackness no optimum has wⱼ ≠ 0;
 * - 'vanishes': n l1 sⱼ below 2^-60 of the reach, under the rounding of any sum the LP forms
 *   (a feature near 1e200 makes sⱼ ~ 1e-200), so the coordinate is as good as unpenalised;
 * - 'acts' otherwise.
 * Only penalties 2^20 times beyond the reach count as fixing: there the penalty variable's box
 * would dwarf the others (l1 = 1e300: 1e290 times) and wreck the interior point's scaling, as a
 * box 1e-200 times the others does at the other end. In between, the LP handles the penalty as
 * it always has.
 */
function penaltyEffect(
  A: Float64Array,
  n: number,
  cols: number,
  j: number,
  lower: Float64Array,
  upper: Float64Array,
  weight: number,
): 'fixes' | 'vanishes' | 'acts' {
  let reach = 0;
  for (let i = 0; i < n; i++) reach += Math.abs(A[i * cols + j]) * Math.max(Math.abs(lower[i]), Math.abs(upper[i]));
  if (n * weight > 2 ** 20 * reach) return 'fixes';
  return n * weight < 2 ** -60 * reach ? 'vanishes' : 'acts';
}

export function scaleProblem(p: Problem, form: PiecewiseLinear, arena: Arena): ScaledProblem {
  const { n, d, X, y, fitIntercept } = p;
  const cols = d + (fitIntercept ? 1 : 0);
  const { means, scales: colScale } = centreAndScale(X, fitIntercept);
  // With an intercept, shifting y only shifts b; for hinge the labels must stay ±1.
  const yShift = fitIntercept && form.homogeneous ? mean(y, n) : 0;
  const A = arena.take(n * cols);
  for (let i = 0; i < n; i++) {
    const src = i * d;
    const dst = i * cols;
    for (let j = 0; j < d; j++) A[dst + j] = scaledDifference(X.data[src + j], means[j], colScale[j]);
    if (fitIntercept) A[dst + d] = 1;
  }
  const yScale = form.homogeneous ? spreadScale(max(y, n), yShift, min(y, n)) : 1;
  const ys = arena.take(n);
  const lower = arena.take(n);
  const upper = arena.take(n);
  for (let i = 0; i < n; i++) {
    ys[i] = scaledDifference(y[i], yShift, yScale);
    lower[i] = form.lower(y[i]);
    upper[i] = form.upper(y[i]);
    // A user's slopes, functions of y, were checked at a few targets only: check each one used.
    if (!(lower[i] <= 0 && upper[i] >= 0 && lower[i] < upper[i] && upper[i] - lower[i] < Infinity)) {
      throw new LossInputError({
        loss: p.loss.id,
        argument: 'loss',
        index: i,
        problem: `declares linear-programming slopes ${lower[i]} and ${upper[i]} at y[${i}] = ${y[i]}`,
        domain: 'slopes with lower <= 0 <= upper and lower < upper, both finite',
      });
    }
  }
  // In scaled coordinates β̃ⱼ = t wⱼ / sⱼ the penalty t·l1 |wⱼ| reads l1 sⱼ |β̃ⱼ|.
  const penalty = new Float64Array(cols);
  const fixedZero: number[] = [];
  for (let j = 0; j < d; j++) {
    penalty[j] = p.l1 * colScale[j];
    const effect = penalty[j] === 0 ? 'acts' : penaltyEffect(A, n, cols, j, lower, upper, penalty[j]);
    if (effect === 'vanishes') penalty[j] = 0;
    if (effect === 'fixes') {
      // wⱼ = 0 at every optimum: leave the coordinate out (a zero column keeps β̃ⱼ at 0).
      for (let i = 0; i < n; i++) A[i * cols + j] = 0;
      penalty[j] = 0;
      fixedZero.push(j);
    }
  }
  return {
    n,
    m: cols,
    A,
    y: ys,
    lower,
    upper,
    means,
    colScale,
    yShift,
    yScale,
    epsilon: form.epsilon * yScale,
    penalty,
    fixedZero: Int32Array.from(fixedZero),
  };
}

/**
 * Variables of the LP, all boxed: x ∈ [0, u] after shifting each by its lower bound.
 *   - one per example (aᵢ), or two (aᵢ = pᵢ − qᵢ, pᵢ ∈ [0, hiᵢ], qᵢ ∈ [0, −loᵢ]) when ε > 0, so
 *     that −ε|aᵢ| is linear;
 *   - one per penalised coordinate j with l1 > 0: zⱼ = Σ aᵢ x̃ᵢⱼ ∈ [−n l1 sⱼ, n l1 sⱼ].
 * Constraint column of an example variable: sign · x̃ᵢ (sign −1 for a or p, +1 for q); of a
 * penalty variable: eⱼ. Costs: −ỹᵢ for a; −ỹᵢ + ε̃ for p; ỹᵢ + ε̃ for q; 0 for z.
 * With these signs the equality multipliers β are the scaled regression coefficients.
 */
export interface BoxLP {
  s: ScaledProblem;
  /** X̃ as a Matrix, for the dense kernels. */
  matrix: Matrix;
  N: number;
  exampleVars: number;
  paired: boolean;
  /** Penalised coordinates, in the order of their variables. */
  penalised: Int32Array;
  lower: Float64Array;
  upper: Float64Array;
  cost: Float64Array;
  /** b = −A·lower, so that A x = b with x = a − lower. */
  rhs: Float64Array;
  /** Labels ±1 whose loss vanishes for large margins, as hinge's (see `PiecewiseLinear`). */
  vanishesWithMargin: boolean;
  /** Where the fit's long arrays come from. */
  arena: Arena;
  /** n numbers of scratch for `applyA` (and whatever else needs n numbers between two of its calls). */
  scratch: Float64Array;
  /**
   * Such a loss without penalty: any (w, b) with all margins positive, scaled up, reaches the
   * objective 0, the smallest possible, so positive margins end the search.
   */
  separable: boolean;
}

export function buildLP(s: ScaledProblem, vanishesWithMargin: boolean, arena: Arena): BoxLP {
  const { n, m, y, epsilon } = s;
  const paired = epsilon > 0;
  const exampleVars = paired ? 2 * n : n;
  const penaltyCoordinates: number[] = [];
  for (let j = 0; j < m; j++) if (s.penalty[j] > 0) penaltyCoordinates.push(j);
  const penalised = Int32Array.from(penaltyCoordinates);
  const N = exampleVars + penalised.length;
  const lower = arena.take(N);
  const upper = arena.take(N);
  const cost = arena.take(N);
  for (let i = 0; i < n; i++) {
    const lo = s.lower[i];
    const hi = s.upper[i];
    if (paired) {
      upper[i] = hi;
      cost[i] = -y[i] + epsilon;
      upper[n + i] = -lo;
      cost[n + i] = y[i] + epsilon;
    } else {
      lower[i] = lo;
      upper[i] = hi - lo;
      cost[i] = -y[i];
    }
  }
  for (let k = 0; k < penalised.length; k++) {
    const bound = n * s.penalty[penalised[k]];
    lower[exampleVars + k] = -bound;
    upper[exampleVars + k] = 2 * bound;
  }
  const lp: BoxLP = {
    s,
    matrix: { rows: n, cols: m, data: s.A },
    N,
    exampleVars,
    paired,
    penalised,
    lower,
    upper,
    cost,
    rhs: new Float64Array(m),
    vanishesWithMargin,
    separable: vanishesWithMargin && penalised.length === 0,
    arena,
    scratch: arena.take(n),
  };
  applyA(lp, lower, lp.rhs, lp.scratch);
  for (let j = 0; j < m; j++) lp.rhs[j] = -lp.rhs[j];
  return lp;
}

/** out = A v (length m); `perExample` is scratch of length n. */
export function applyA(lp: BoxLP, v: Float64Array, out: Float64Array, perExample: Float64Array): Float64Array {
  const { n } = lp.s;
  if (lp.paired) for (let i = 0; i < n; i++) perExample[i] = v[n + i] - v[i];
  else for (let i = 0; i < n; i++) perExample[i] = -v[i];
  transposeTimes(lp.matrix, perExample, out);
  const { penalised, exampleVars } = lp;
  for (let k = 0; k < penalised.length; k++) out[penalised[k]] += v[exampleVars + k];
  return out;
}

/** out = Aᵀ β (length N), given f = X̃ β. */
export function applyAT(lp: BoxLP, beta: Float64Array, f: Float64Array, out: Float64Array): Float64Array {
  const { n } = lp.s;
  for (let i = 0; i < n; i++) out[i] = -f[i];
  if (lp.paired) for (let i = 0; i < n; i++) out[n + i] = f[i];
  const { penalised, exampleVars } = lp;
  for (let k = 0; k < penalised.length; k++) out[exampleVars + k] = beta[penalised[k]];
  return out;
}

/** Objective of the scaled problem (t × the original objective) at β̃ with scores f = X̃ β̃. */
export function scaledObjective(s: ScaledProblem, f: Float64Array, beta: Float64Array): number {
  const { n, y, epsilon, lower, upper } = s;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - f[i];
    sum += Math.max(0, upper[i] * (r - epsilon), -lower[i] * (-r - epsilon));
  }
  let pen = 0;
  for (let j = 0; j < s.m; j++) pen += s.penalty[j] * Math.abs(beta[j]);
  return sum / n + pen;
}

/** Whether every example has a positive margin y f (labels ±1 are kept as they are for hinge). */
export function separates(s: ScaledProblem, f: Float64Array): boolean {
  for (let i = 0; i < s.n; i++) if (!(s.y[i] * f[i] > 0)) return false;
  return true;
}

/** wⱼ = sⱼ β̃ⱼ / t and b = β̃_b / t + shift − x̄·w (the inverse of `scaleProblem`). */
export function toOriginalCoordinates(
  p: Problem,
  s: ScaledProblem,
  beta: Float64Array,
): { weights: Float64Array; intercept: number } {
  const weights = new Float64Array(p.d);
  let intercept = 0;
  for (let j = 0; j < p.d; j++) {
    weights[j] = (s.colScale[j] * beta[j]) / s.yScale;
    intercept -= s.means[j] * weights[j];
  }
  intercept = p.fitIntercept ? beta[p.d] / s.yScale + s.yShift + intercept : 0;
  return { weights, intercept };
}
