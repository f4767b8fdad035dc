/**
 * Bounded-variable least squares, min ‖A x − b‖₂ over lo <= x <= hi, for A with few rows and
 * possibly very many columns: the optimality certificate has one row per parameter and one
 * column per example at a kink, and integer data put thousands of examples exactly on one.
 *
 * The residuals A x − b over the box form a zonotope Z = −b + Σₖ [loₖ, hiₖ] aₖ (aₖ the
 * columns), and the problem is the point of Z nearest the origin. Wolfe's algorithm
 * (P. Wolfe, "Finding the nearest point in a polytope", Mathematical Programming 11, 1976)
 * finds it as a convex combination of at most rows + 1 vertices of Z (the "corral"), and needs
 * only one operation on Z: the vertex minimising ⟨w, ·⟩, which puts xₖ at hiₖ where aₖ·w < 0
 * and at loₖ elsewhere — one pass over A that moves every variable at once. The rest works on
 * rows-sized vectors. Its number of steps depends on the shape of Z, not on the number of
 * columns: equal columns (tied examples) add up to one edge of Z however many there are.
 *
 * It replaces the active-set method of Stark & Parker (1995), which frees one variable per
 * pass over A: each tied example on a kink, with its box of width 2/n, took its own pass, so
 * the certificate cost O(m²): 8 s for LAD with 20 000 of n = 1e5 integer examples on the
 * kink, 50 s for hinge with 47 000 (now 4 to 5 passes and 0.05 s; bench/fit-exact.bench.ts).
 *
 * Hand-written: the only JavaScript implementations of bounded least squares on npm are
 * unmaintained ports of the active-set method, and none handles this shape.
 */
import { QRAccumulator } from './qr';
import { jacobiSVD, truncatedSolve } from './svd';

export interface BoundedLeastSquares {
  /** A feasible point, lo <= x <= hi: the minimiser when `converged`, else the best point reached. */
  x: Float64Array;
  /** Vertices of Z evaluated, each a pass over A of O(rows · m) (the start and the refinement add three passes and one O(m · rows²)). */
  iterations: number;
  /** Whether Wolfe's optimality test held (or no step could shorten the residual any more). */
  converged: boolean;
}

/** A = rows × m, row-major. See `solveBoundedLeastSquares`; returns its x. */
export function boundedLeastSquares(
  A: Float64Array,
  rows: number,
  m: number,
  b: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): Float64Array {
  return solveBoundedLeastSquares(A, rows, m, b, lo, hi).x;
}

/** A vertex of Z: which variables sit at their upper bound, and its point A x − b. */
interface Vertex {
  upper: Uint8Array;
  point: Float64Array;
}

/**
 * Caps the vertices evaluated. Wolfe's algorithm is finite (no corral repeats) and its steps
 * are bounded by the number of corrals, which a large Z can make huge; past this many the best
 * feasible point is returned, a valid but possibly weaker answer.
 */
const MAX_VERTICES = 2000;

/**
 * min ‖A x − b‖₂ over lo <= x <= hi (A rows × m, row-major) by Wolfe's nearest-point
 * algorithm on the zonotope of residuals. Every x it returns is feasible, so ‖A x − b‖ is a
 * valid upper bound on the minimum even when the cap stops it.
 */
export function solveBoundedLeastSquares(
  A: Float64Array,
  rows: number,
  m: number,
  b: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): BoundedLeastSquares {
  const p = rows;
  const c = new Float64Array(m);
  let iterations = 0;
  const vertex = (w: Float64Array): Vertex => {
    iterations++;
    c.fill(0);
    for (let i = 0; i < p; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      for (let k = 0, base = i * m; k < m; k++) c[k] += A[base + k] * wi;
    }
    const upper = new Uint8Array(m);
    for (let k = 0; k < m; k++) upper[k] = c[k] < 0 ? 1 : 0;
    const point = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = -b[i];
      for (let k = 0, base = i * m; k < m; k++) s += A[base + k] * (upper[k] === 1 ? hi[k] : lo[k]);
      point[i] = s;
    }
    return { upper, point };
  };

  // Start from the vertex opposite the centre of Z, the one furthest back towards the origin.
  const centre = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = -b[i];
    for (let k = 0, base = i * m; k < m; k++) s += A[base + k] * (lo[k] + (hi[k] - lo[k]) / 2);
    centre[i] = s;
  }
  let corral: Vertex[] = [vertex(centre)];
  let weights = [1];
  let x: Float64Array = Float64Array.from(corral[0].point);
  let xx = dot(x, x);
  let converged = false;

  while (iterations < MAX_VERTICES) {
    if (xx === 0) {
      converged = true;
      break;
    }
    const q = vertex(x);
    // Wolfe's test: ⟨x, x − q⟩ = max over Z of ⟨x, x − z⟩ bounds ‖x − x*‖² and is 0 exactly at
    // the nearest point. It is a dot product of length p, known to (p + 1)·eps·‖x‖·‖x − q‖
    // (Higham 2002, §3.1, with the rounding of x − q): below that it says nothing more.
    let gap = 0;
    let dd = 0;
    for (let i = 0; i < p; i++) {
      const d = x[i] - q.point[i];
      gap += x[i] * d;
      dd += d * d;
    }
    if (gap <= (p + 1) * Number.EPSILON * Math.sqrt(xx * dd)) {
      converged = true;
      break;
    }
    const before = { corral, weights, x, xx };
    corral = [...corral, q];
    weights = [...weights, 0];
    // Minor cycles: move to the nearest point of the corral's affine hull, or as far towards it
    // as stays in the convex hull, dropping the vertex whose weight reaches 0; each drops one.
    for (let minor = corral.length; minor > 0; minor--) {
      const alpha = affineNearest(corral, p);
      if (alpha.every((a) => a > 0)) {
        weights = alpha;
        break;
      }
      // The first weight to reach 0 on the way from the weights to α (some αⱼ <= 0, as Σα = 1).
      let theta = Infinity;
      let leaving = -1;
      alpha.forEach((a, j) => {
        if (a > 0) return;
        const ratio = weights[j] > a ? weights[j] / (weights[j] - a) : 0;
        if (ratio < theta) {
          theta = ratio;
          leaving = j;
        }
      });
      const moved = weights.map((w, j) => (1 - theta) * w + theta * alpha[j]);
      const keep = moved.map((w, j) => j !== leaving && w > 0);
      corral = corral.filter((_, j) => keep[j]);
      weights = normalised(moved.filter((_, j) => keep[j]));
    }
    x = combine(corral, weights, p);
    xx = dot(x, x);
    // In exact arithmetic every major step shortens x; once rounding stops that, the point
    // before the step is as near as this precision gets.
    if (!(xx < before.xx)) {
      ({ corral, weights, x, xx } = before);
      converged = true;
      break;
    }
  }

  // x = Σ λᵢ vᵢ over the corral's box vertices vᵢ: variable k sits at loₖ plus the share of
  // the weight on vertices that put it at hiₖ.
  const share = new Float64Array(m);
  corral.forEach((v, j) => {
    const w = weights[j];
    for (let k = 0; k < m; k++) if (v.upper[k] === 1) share[k] += w;
  });
  const solution = new Float64Array(m);
  for (let k = 0; k < m; k++)
    solution[k] = Math.min(hi[k], Math.max(lo[k], lo[k] + Math.min(1, share[k]) * (hi[k] - lo[k])));
  refine(A, p, m, b, lo, hi, solution);
  return { x: solution, iterations, converged };
}

/** ‖A x − b‖² and the residual itself, in `r`. */
function residual(
  A: Float64Array,
  p: number,
  m: number,
  b: ArrayLike<number>,
  x: Float64Array,
  r: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < p; i++) {
    let s = -b[i];
    for (let k = 0, base = i * m; k < m; k++) s += A[base + k] * x[k];
    r[i] = s;
    total += s * s;
  }
  return total;
}

/**
 * One step of iterative refinement on the variables strictly inside their boxes: the
 * smallest change δ with A_F δ = −r (δ = A_Fᵀ y, (A_F A_Fᵀ) y = −r, through the QR of A_Fᵀ
 * and the SVD of its R), clipped to the box, kept only if it shortens the residual. The corral's
 * affine solve works on differences of points of size ‖b‖ + Σ|aₖ| max(|loₖ|, |hiₖ|) and leaves
 * r at rounding of that size times its condition; this takes r down to the rounding of the
 * sums themselves. O(m · rows²).
 */
function refine(
  A: Float64Array,
  p: number,
  m: number,
  b: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  x: Float64Array,
): void {
  const r = new Float64Array(p);
  const before = residual(A, p, m, b, x, r);
  if (before === 0) return;
  const qr = new QRAccumulator(p);
  const BLOCK = 256;
  const block = new Float64Array(BLOCK * p);
  let filled = 0;
  let free = 0;
  for (let k = 0; k < m; k++) {
    if (!(x[k] > lo[k] && x[k] < hi[k])) continue;
    free++;
    for (let i = 0; i < p; i++) block[filled * p + i] = A[i * m + k];
    if (++filled === BLOCK) {
      qr.absorb(block, filled);
      filled = 0;
    }
  }
  if (free === 0) return;
  if (filled > 0) qr.absorb(block, filled);
  // RᵀR = A_F A_Fᵀ = V Σ² Vᵀ for R = U Σ Vᵀ, so y = −V Σ⁻² Vᵀ r over the singular values
  // above rounding (relative p·eps of the largest).
  const svd = jacobiSVD(qr.R, p);
  let largest = 0;
  for (let j = 0; j < p; j++) largest = Math.max(largest, svd.sigma[j]);
  const y = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const sigma = svd.sigma[j];
    if (!(sigma > p * Number.EPSILON * largest)) continue;
    let coef = 0;
    for (let i = 0; i < p; i++) coef += svd.V[j * p + i] * r[i];
    coef /= sigma * sigma;
    for (let i = 0; i < p; i++) y[i] -= coef * svd.V[j * p + i];
  }
  const candidate = Float64Array.from(x);
  for (let k = 0; k < m; k++) {
    if (!(x[k] > lo[k] && x[k] < hi[k])) continue;
    let delta = 0;
    for (let i = 0; i < p; i++) delta += A[i * m + k] * y[i];
    candidate[k] = Math.min(hi[k], Math.max(lo[k], x[k] + delta));
  }
  if (residual(A, p, m, b, candidate, r) < before) x.set(candidate);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalised(w: number[]): number[] {
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

function combine(corral: Vertex[], weights: number[], p: number): Float64Array {
  const x = new Float64Array(p);
  corral.forEach((v, j) => {
    for (let i = 0; i < p; i++) x[i] += weights[j] * v.point[i];
  });
  return x;
}

/**
 * The affine weights α (Σα = 1) of the point of the corral's affine hull nearest the origin:
 * with the first vertex v₀ as base, β minimises ‖v₀ + Σ βⱼ (vⱼ − v₀)‖ by QR and SVD of the
 * differences, and α = (1 − Σβ, β). Singular values below √(p·k)·eps times the largest vertex
 * norm are rounding in the differences (each entry is off by about eps·‖v‖), so those
 * directions count as dependent and get the minimum-norm β.
 */
function affineNearest(corral: Vertex[], p: number): number[] {
  const k = corral.length;
  if (k === 1) return [1];
  const f = k - 1;
  const base = corral[0].point;
  const block = new Float64Array(p * k);
  let largest = 0;
  for (const v of corral) largest = Math.max(largest, Math.sqrt(dot(v.point, v.point)));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < f; j++) block[i * k + j] = corral[j + 1].point[i] - base[i];
    block[i * k + f] = -base[i];
  }
  const qr = new QRAccumulator(k);
  qr.absorb(block, p);
  const R = new Float64Array(f * f);
  const rhs = new Float64Array(f);
  for (let i = 0; i < f; i++) {
    for (let j = i; j < f; j++) R[i * f + j] = qr.R[i * k + j];
    rhs[i] = qr.R[i * k + f];
  }
  const svd = jacobiSVD(R, f);
  const cutoff = Math.sqrt(p * k) * Number.EPSILON * largest;
  let rank = 0;
  for (let j = 0; j < f; j++) if (svd.sigma[j] > cutoff) rank++;
  const beta = truncatedSolve(svd, rhs, rank).x;
  let rest = 1;
  for (let j = 0; j < f; j++) rest -= beta[j];
  return [rest, ...beta];
}
