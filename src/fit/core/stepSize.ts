/**
 * Step sizes for the first-order solvers (gd, sgd, subgradient, proximal): the curvature
 * scale L of the objective, and the fixed or decaying schedule built on it.
 */
import { dot } from '../../linalg/dense';
import { largestL2 } from './scaling';
import type { Problem } from '../types';

const POWER_ITERATIONS = 40;

/**
 * λ_max((1/n) X̃ᵀ diag(c) X̃) with X̃ = [X 1] (no column of ones without an intercept), by
 * power iteration from a fixed start. It approaches λ_max from below; after 40 steps it is
 * within a few per cent on real data, and a step 1/λ̂ stays below the stability limit 2/λ_max
 * as long as λ̂ > λ_max / 2.
 */
function largestCurvature(p: Problem, c: Float64Array | null): number {
  const { n, d, X } = p;
  const m = d + (p.fitIntercept ? 1 : 0);
  const data = X.data;
  const v = new Float64Array(m);
  const next = new Float64Array(m);
  for (let j = 0; j < m; j++) v[j] = 1 + j / m;
  let lambda = 0;
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    const norm = Math.sqrt(dot(v, v, m));
    if (!(norm > 0)) return 0;
    for (let j = 0; j < m; j++) v[j] /= norm;
    next.fill(0);
    for (let i = 0, base = 0; i < n; i++, base += d) {
      let u = m > d ? v[d] : 0;
      for (let j = 0; j < d; j++) u += data[base + j] * v[j];
      if (c !== null) u *= c[i];
      for (let j = 0; j < d; j++) next[j] += data[base + j] * u;
      if (m > d) next[d] += u;
    }
    for (let j = 0; j < m; j++) next[j] /= n;
    lambda = dot(v, next, m);
    v.set(next);
  }
  return lambda;
}

/**
 * max_i c_i ‖x̃_i‖²: the curvature of the worst single example, which bounds the step of a
 * stochastic update (c ≡ constant κ when `c` is a number).
 */
export function largestRowCurvature(p: Problem, c: Float64Array | number): number {
  const { n, d, X } = p;
  const data = X.data;
  let best = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let sq = p.fitIntercept ? 1 : 0;
    for (let j = 0; j < d; j++) sq += data[base + j] * data[base + j];
    const ci = typeof c === 'number' ? c : c[i];
    best = Math.max(best, ci * sq);
  }
  return best;
}

/**
 * The loss's curvature κ for the step scale: its global smoothness constant when it has one;
 * otherwise its Lipschitz constant (non-smooth losses, for subgradient steps); otherwise
 * null, and callers use the local curvature l''(y_i, f_i) at the starting scores.
 */
export function lossCurvature(p: Problem): number | null {
  const { smoothness, lipschitz } = p.loss.properties;
  return smoothness ?? (p.loss.properties.differentiable ? null : lipschitz);
}

/** L = κ λ_max((1/n) X̃ᵀX̃) + l2 (or its local version), never 0, so 1/L is a usable step. */
export function curvatureScale(p: Problem, startScores: Float64Array): number {
  const kappa = lossCurvature(p);
  let lambda: number;
  if (kappa !== null) {
    lambda = kappa * largestCurvature(p, null);
  } else {
    const c = new Float64Array(p.n);
    p.loss.kernels.secondDerivatives(p.y, startScores, c, p.n);
    lambda = largestCurvature(p, c);
    if (!(lambda > 0)) lambda = largestCurvature(p, null);
  }
  const L = lambda + largestL2(p);
  return L > 0 && Number.isFinite(L) ? L : 1;
}

/** The step at iteration t ≥ 0: fixed η, or η₀ / √(t + 1) with η₀ = `base`. */
export function stepAt(schedule: number | 'decaying', base: number, t: number): number {
  return schedule === 'decaying' ? base / Math.sqrt(t + 1) : schedule;
}
