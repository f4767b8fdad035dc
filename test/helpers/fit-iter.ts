/**
 * Independent computations for the iterative solvers' tests: the objective written out
 * with the scalar loss methods (no kernels, no shared linear algebra), its gradient by
 * central differences, a derivative-free compass search, and seeded data sets.
 */
import { createRng, type Loss } from '../../src/index';

export interface Data {
  X: number[][];
  y: number[];
}

/** F(w, b) = (1/n) Σ loss.value(y_i, w·x_i + b) + l1 ‖w‖₁ + (l2/2)‖w‖², summed plainly. */
export function objectiveOf(data: Data, loss: Loss, w: ArrayLike<number>, b: number, l1 = 0, l2 = 0): number {
  const { X, y } = data;
  let total = 0;
  for (let i = 0; i < X.length; i++) {
    let f = b;
    for (let j = 0; j < w.length; j++) f += X[i][j] * w[j];
    total += loss.value(y[i], f);
  }
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < w.length; j++) {
    abs += Math.abs(w[j]);
    sq += w[j] * w[j];
  }
  return total / X.length + l1 * abs + 0.5 * l2 * sq;
}

/** ∇F at θ = (w, b) (b last, when `withIntercept`) by central differences with step h. */
export function finiteDifferenceGradient(F: (theta: number[]) => number, theta: number[], h = 1e-5): number[] {
  return theta.map((_, j) => {
    const plus = theta.slice();
    const minus = theta.slice();
    plus[j] += h;
    minus[j] -= h;
    return (F(plus) - F(minus)) / (2 * h);
  });
}

/**
 * Compass search (Kolda, Lewis & Torczon, SIAM Review 45(3), 2003): try ± step along each
 * axis, move on improvement, halve the step otherwise. Derivative-free, so it checks the
 * solvers without sharing anything with them; on a convex function it reaches the minimiser
 * to about the final step.
 */
export function compassSearch(
  F: (theta: number[]) => number,
  start: number[],
  step: number,
  minStep = 1e-9,
): { theta: number[]; value: number } {
  const theta = start.slice();
  let value = F(theta);
  while (step > minStep) {
    let moved = false;
    for (let j = 0; j < theta.length; j++) {
      for (const sign of [1, -1]) {
        const trial = theta.slice();
        trial[j] += sign * step;
        const v = F(trial);
        if (v < value) {
          value = v;
          theta[j] = trial[j];
          moved = true;
        }
      }
    }
    if (!moved) step /= 2;
  }
  return { theta, value };
}

/** Best point of a grid over the box [lo, hi]^k with `points` per axis. */
export function gridMinimum(
  F: (theta: number[]) => number,
  k: number,
  lo: number,
  hi: number,
  points: number,
): number[] {
  let best: number[] = [];
  let bestValue = Infinity;
  const index = new Array<number>(k).fill(0);
  for (;;) {
    const theta = index.map((t) => lo + ((hi - lo) * t) / (points - 1));
    const v = F(theta);
    if (v < bestValue) {
      bestValue = v;
      best = theta;
    }
    let j = 0;
    while (j < k && ++index[j] === points) index[j++] = 0;
    if (j === k) return best;
  }
}

/** Gaussian features (scale 1.5, shifted by 0.5 so the intercept matters), targets of the asked kind. */
export function makeData(n: number, d: number, seed: number, kind: 'sign' | 'binary' | 'real', noise = 1): Data {
  const rng = createRng(seed);
  const w = Array.from({ length: d }, () => rng.normal());
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 0.5 + 1.5 * rng.normal()));
  const y = X.map((row) => {
    const z = row.reduce((s, v, j) => s + v * w[j], 0.3) + noise * rng.normal();
    return kind === 'real' ? z : kind === 'sign' ? (z > 0 ? 1 : -1) : z > 0 ? 1 : 0;
  });
  return { X, y };
}

/** Data of the kind `loss` takes (labels ±1, 0/1 or real). */
export function dataFor(loss: Loss, n: number, d: number, seed: number, noise = 1): Data {
  return makeData(n, d, seed, loss.target, noise);
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
