/**
 * The polish of dualCD: near a degenerate optimum (points exactly on the margin) dual
 * coordinate descent crawls, so the optimality conditions are solved exactly for a guessed
 * active set, and the caller certifies the answer by its duality gap.
 */
import { scores } from '../../../linalg/dense';
import { minimumNormSolve, solveDense } from '../../../linalg/gauss';
import type { Problem } from '../../types';

/** Finite Newton steps the squared-hinge polish takes to settle its active set. */
const SQUARED_HINGE_ROUNDS = 5;
/** Thresholds s: α_i ≥ (1 - s) C counts as at the bound C, α_i ≤ s C as 0, for the polish's guess. */
const SUPPORT_THRESHOLDS = [1e-9, 1e-6, 1e-3];
/** Largest set of examples on the margin the polish solves for (a dense system of this size). */
const MAX_POLISH_MARGIN = 200;

/**
 * The exact hinge-SVM solution for a guessed active set, or null when every guess fails. Near
 * the optimum the examples split into L (margin y f < 1, β = 1), R (margin > 1, β = 0) and M
 * (margin exactly 1, β in [0, 1]), and the optimality conditions become linear:
 *   w = C (Σ_L y_i x_i + Σ_M β_i y_i x_i),  Σ_L y_i + Σ_M β_i y_i = 0,  y_i (w·x_i + b) = 1 (i ∈ M),
 * an (|M| + 1)-square system in β_M and b (no b and no middle equation without an intercept).
 * Generically |M| ≤ d + 1; more (degenerate data) get the minimum-norm solution. The split is guessed from the dual point α = C β (L: α_i near C,
 * M: strictly inside) for a few thresholds, and from the margins at the primal point (w, b)
 * (M: the k examples closest to the margin, k = d + 1, d, ..., 0). A solution with β_M in
 * [0, 1] gives a dual point and its w, which the caller certifies. This is the "polishing" of
 * active-set QP solvers (e.g. OSQP's): it turns an iterate that has nearly found the support
 * vectors into the exact solution.
 */
export function polishHinge(
  p: Problem,
  alphaGuess: Float64Array,
  w: Float64Array,
  b: number,
  accept: (w: Float64Array, alpha: Float64Array) => boolean,
): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const split = new Int8Array(n); // -1: L (β = 1), 0: M, 1: R (β = 0)
  for (const share of SUPPORT_THRESHOLDS) {
    for (let i = 0; i < n; i++) split[i] = alphaGuess[i] >= (1 - share) * C ? -1 : alphaGuess[i] > share * C ? 0 : 1;
    if (trySplit(p, split, insideSums(p, split), accept)) return true;
  }
  const gaps = scores(X, w, b, new Float64Array(n));
  for (let i = 0; i < n; i++) gaps[i] = y[i] * gaps[i] - 1;
  const closest = nearestToZero(gaps, Math.min(d + (p.fitIntercept ? 1 : 0), n));
  for (let i = 0; i < n; i++) split[i] = gaps[i] < 0 ? -1 : 1;
  const all = insideSums(p, split);
  // Moving the k closest examples into M only changes their own terms of the sums over L.
  for (let k = closest.length; k >= 0; k--) {
    const sums = { inside: Float64Array.from(all.inside), insideY: all.insideY };
    for (let r = 0; r < closest.length; r++) {
      const i = closest[r];
      split[i] = r < k ? 0 : gaps[i] < 0 ? -1 : 1;
      if (r < k && gaps[i] < 0) {
        sums.insideY -= y[i];
        for (let j = 0; j < d; j++) sums.inside[j] -= y[i] * data[i * d + j];
      }
    }
    if (trySplit(p, split, sums, accept)) return true;
  }
  return false;
}

/** Indices of the k entries of smallest magnitude, closest first (one pass, k small). */
function nearestToZero(v: Float64Array, k: number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (picked.length === k && !(a < Math.abs(v[picked[k - 1]]))) continue;
    let at = picked.length === k ? k - 1 : picked.length;
    while (at > 0 && Math.abs(v[picked[at - 1]]) > a) {
      picked[at] = picked[at - 1];
      at--;
    }
    picked[at] = i;
  }
  return picked;
}

/** Σ_L y_i x_i and Σ_L y_i over the examples the split puts in L. */
function insideSums(p: Problem, split: Int8Array): { inside: Float64Array; insideY: number } {
  const { n, d, X, y } = p;
  const data = X.data;
  const inside = new Float64Array(d);
  let insideY = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    if (split[i] !== -1) continue;
    insideY += y[i];
    for (let j = 0; j < d; j++) inside[j] += y[i] * data[base + j];
  }
  return { inside, insideY };
}

/** Solves the linear optimality system of `polishHinge` for one split; offers the result to `accept`. */
function trySplit(
  p: Problem,
  split: Int8Array,
  sums: { inside: Float64Array; insideY: number },
  accept: (w: Float64Array, alpha: Float64Array) => boolean,
): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const withB = p.fitIntercept ? 1 : 0;
  const { inside, insideY } = sums;
  const onMargin: number[] = [];
  for (let i = 0; i < n; i++) if (split[i] === 0) onMargin.push(i);
  const m = onMargin.length;
  if (m > MAX_POLISH_MARGIN) return false;
  const size = m + withB;
  const K = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  for (let r = 0; r < m; r++) {
    const i = onMargin[r];
    for (let c = 0; c < m; c++) {
      const k = onMargin[c];
      let xx = 0;
      for (let j = 0; j < d; j++) xx += data[i * d + j] * data[k * d + j];
      K[r * size + c] = C * y[i] * y[k] * xx;
    }
    let xv = 0;
    for (let j = 0; j < d; j++) xv += data[i * d + j] * inside[j];
    rhs[r] = 1 - C * y[i] * xv;
    if (withB) {
      K[r * size + m] = y[i];
      K[m * size + r] = y[i];
    }
  }
  if (withB) rhs[m] = -insideY;
  // More than d + 1 examples on the margin (degenerate, common in small symmetric data): the
  // system is singular but consistent, and its minimum-norm solution, from the normal
  // equations with a tiny ridge, is the natural candidate.
  if (size > 0) {
    const original = rhs.slice();
    if (!(m <= d + withB && solveDense(K.slice(), rhs, size))) {
      rhs.set(original);
      if (!minimumNormSolve(K, rhs, size)) return false;
    }
  }
  for (let r = 0; r < m; r++) if (!(rhs[r] >= -1e-9 && rhs[r] <= 1 + 1e-9)) return false;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) if (split[i] === -1) alpha[i] = C;
  for (let r = 0; r < m; r++) alpha[onMargin[r]] = C * Math.min(Math.max(rhs[r], 0), 1);
  const w = new Float64Array(d);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    const c = alpha[i] * y[i];
    if (c !== 0) for (let j = 0; j < d; j++) w[j] += c * data[base + j];
  }
  return accept(w, alpha);
}

/**
 * The exact squared-hinge solution from a guess of its active set A = {i : y_i f_i < 1}: on a
 * fixed A the objective is quadratic, and its minimiser solves
 *   ((2/n) X̃_Aᵀ X̃_A + l2 I_w) θ = (2/n) X̃_Aᵀ y_A,
 * one finite Newton step (Keerthi & DeCoste, JMLR 6, 2005). A is taken from the margins at
 * (w, b) and updated from the new point, a few times; when it no longer changes, the dual point
 * α_i = 2C max(0, 1 - y_i f_i) satisfies Σ α_i y_i = 0 and w = Σ α_i y_i x_i, and the caller
 * certifies it.
 */
export function polishSquaredHinge(
  p: Problem,
  w: Float64Array,
  b: number,
  accept: (w: Float64Array, alpha: Float64Array) => boolean,
): boolean {
  const { n, d, X, y, l2 } = p;
  const data = X.data;
  const C = 1 / (n * l2);
  const m = d + (p.fitIntercept ? 1 : 0);
  const f = scores(X, w, b, new Float64Array(n));
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) active[i] = y[i] * f[i] < 1 ? 1 : 0;
  for (let round = 0; round < SQUARED_HINGE_ROUNDS; round++) {
    const H = new Float64Array(m * m);
    const theta = new Float64Array(m);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      if (active[i] === 0) continue;
      for (let j = 0; j < m; j++) {
        const xj = j < d ? data[base + j] : 1;
        theta[j] += xj * y[i];
        for (let k = 0; k <= j; k++) H[j * m + k] += xj * (k < d ? data[base + k] : 1);
      }
    }
    for (let j = 0; j < m; j++) {
      theta[j] *= 2 / n;
      for (let k = 0; k <= j; k++) {
        H[j * m + k] *= 2 / n;
        H[k * m + j] = H[j * m + k];
      }
      if (j < d) H[j * m + j] += l2;
    }
    if (!solveDense(H, theta, m)) return false;
    scores(X, theta, p.fitIntercept ? theta[d] : 0, f);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const now = y[i] * f[i] < 1 ? 1 : 0;
      if (now !== active[i]) changed = true;
      active[i] = now;
    }
    if (changed) continue;
    const alpha = new Float64Array(n);
    for (let i = 0; i < n; i++) alpha[i] = active[i] === 1 ? 2 * C * (1 - y[i] * f[i]) : 0;
    const wNew = new Float64Array(d);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const c = alpha[i] * y[i];
      if (c !== 0) for (let j = 0; j < d; j++) wNew[j] += c * data[base + j];
    }
    return accept(wNew, alpha);
  }
  return false;
}
