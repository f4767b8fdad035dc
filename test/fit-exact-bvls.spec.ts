/**
 * The bounded least-squares search behind the optimality certificate, min ‖A x − b‖ over a
 * box: checked by its duality gap (a certificate computed here, independent of how the
 * point was found), by the work it needs when thousands of examples sit exactly on a kink
 * (tied integer data), and end to end through checkOptimality on such data at n = 1e5.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { checkOptimality, losses } from '../src/index';
import { solveBoundedLeastSquares } from '../src/linalg/bvls';

const eps = Number.EPSILON;

/**
 * For x in the box and r = A x − b, every v gives the lower bound
 * min over the box of ⟨Aᵀv, x'⟩ − ⟨v, b⟩ − ½‖v‖² <= ½‖A x' − b‖²; at v = r the gap to ½‖r‖² is
 * Σₖ cₖ xₖ − min(loₖ cₖ, hiₖ cₖ) with c = Aᵀ r, and ½‖r − r*‖² <= gap (r* the optimal residual).
 */
function dualityGap(
  A: Float64Array,
  p: number,
  m: number,
  b: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  x: ArrayLike<number>,
): number {
  const r = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = -b[i];
    for (let k = 0; k < m; k++) s += A[i * m + k] * x[k];
    r[i] = s;
  }
  let gap = 0;
  for (let k = 0; k < m; k++) {
    let c = 0;
    for (let i = 0; i < p; i++) c += A[i * m + k] * r[i];
    gap += c * x[k] - Math.min(lo[k] * c, hi[k] * c);
  }
  return gap;
}

/** Σ over rows and columns of |A_ik| max(|lo_k|, |hi_k|) + |b_i|: the size of every term in A x − b. */
function termSize(
  A: Float64Array,
  p: number,
  m: number,
  b: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < p; i++) {
    s += Math.abs(b[i]);
    for (let k = 0; k < m; k++) s += Math.abs(A[i * m + k]) * Math.max(Math.abs(lo[k]), Math.abs(hi[k]));
  }
  return s;
}

/**
 * The certificate's problem for least absolute deviations on tied data at its optimum: one
 * column (x, 1) per example with residual exactly 0, x in {0, 1, 2}, box [−1, 1]/n; b = minus
 * the derivatives of the other examples. The residuals e = y − (2x) follow the pattern
 * −1, 0, −1, 0, 1 (period 5, independent of x's period 3), so every x-group has 2 below,
 * 2 on and 1 above the line: the examples on it must make up the imbalance, a fifth of their
 * boxes' total each way. The optimum is 0 (t = −1/2 · 1/n on every kink example does it).
 */
function tiedLad(n: number): { A: Float64Array; b: Float64Array; lo: Float64Array; hi: Float64Array; m: number } {
  const pattern = [-1, 0, -1, 0, 1];
  const kinks: number[] = [];
  const b = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const x = i % 3;
    const e = pattern[i % 5];
    if (e === 0) kinks.push(x);
    else {
      // ∂|y − f|/∂f = sign(f − y) = −sign(e); b is minus the sum.
      b[0] += (Math.sign(e) * x) / n;
      b[1] += Math.sign(e) / n;
    }
  }
  const m = kinks.length;
  const A = new Float64Array(2 * m);
  kinks.forEach((x, k) => {
    A[k] = x;
    A[m + k] = 1;
  });
  return { A, b, lo: new Float64Array(m).fill(-1 / n), hi: new Float64Array(m).fill(1 / n), m };
}

describe('solveBoundedLeastSquares', () => {
  it('reaches the optimum: a feasible point with a duality gap at rounding level (random small problems, tied and zero columns)', () => {
    const column = fc.oneof(
      fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.constantFrom([1, 0, 1], [0, 0, 0], [2, -1, 0.5]),
    );
    const box = fc.tuple(
      fc.double({ min: -2, max: 2, noNaN: true }),
      fc.double({ min: 0, max: 3, noNaN: true }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(column, box), { minLength: 1, maxLength: 10 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (p, cols, bAll) => {
          const m = cols.length;
          const A = new Float64Array(p * m);
          cols.forEach(([a], k) => {
            for (let i = 0; i < p; i++) A[i * m + k] = a[i];
          });
          const lo = cols.map(([, [l]]) => l);
          const hi = cols.map(([, [l, w, fixed]]) => (fixed ? l : l + w));
          const b = bAll.slice(0, p);
          const { x } = solveBoundedLeastSquares(A, p, m, b, lo, hi);
          x.forEach((v, k) => {
            expect(v).to.be.within(lo[k], hi[k]);
          });
          // Wolfe's stopping test leaves a gap of at most (p + 1)·eps·‖x‖·‖x − q‖ <= 2(p + 1)·eps·S²
          // (every point of Z is within S of 0), and evaluating it here rounds by at most
          // (p + m)·eps·S² more (dot products of length p, then a sum of m terms).
          const S = termSize(A, p, m, b, lo, hi);
          expect(dualityGap(A, p, m, b, lo, hi, x)).to.be.at.most((3 * p + m + 2) * eps * S * S + Number.MIN_VALUE);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tied kinks: passes over A do not grow with the number of examples on the kink', () => {
    for (const n of [1e3, 1e4, 1e5]) {
      const { A, b, lo, hi, m } = tiedLad(n);
      const { x, iterations } = solveBoundedLeastSquares(A, 2, m, b, lo, hi);
      // The optimum is 0; rounding of the m-term sums in A x − b is at most m·eps times their size.
      const r0 = -b[0] + x.reduce((s, v, k) => s + A[k] * v, 0);
      const r1 = -b[1] + x.reduce((s, v) => s + v, 0);
      const size = termSize(A, 2, m, b, lo, hi);
      expect(Math.max(Math.abs(r0), Math.abs(r1)), `n = ${n}`).to.be.at.most(m * eps * size);
      // Three distinct columns make Z a hexagon: Wolfe's corrals of at most 3 of its 6 vertices
      // never repeat, so at most C(6,1) + C(6,2) + C(6,3) = 41 major steps, whatever n is.
      expect(iterations, `passes over A for n = ${n}`).to.be.at.most(41);
    }
  });

  it('checkOptimality certifies the LAD optimum of tied data at n = 1e5 (40 000 examples on the kink)', () => {
    const n = 1e5;
    const pattern = [-1, 0, -1, 0, 1];
    const X = Array.from({ length: n }, (_, i) => [i % 3]);
    const y = X.map(([x], i) => 2 * x + pattern[i % 5]);
    // At w = 2, b = 0 the certificate needs a subgradient of exactly 0 (see tiedLad).
    const report = checkOptimality(X, y, { weights: [2], intercept: 0, loss: losses.l1 });
    expect(report.atKink).to.equal((2 * n) / 5);
    expect(report.residual).to.be.at.most(n * eps * report.scale);
    // One step off the optimum in the intercept: the examples on the kink all leave it, and the
    // subgradient is then the single value (1/n) Σ sign(f − y) x̃, which no search can shrink.
    const moved = checkOptimality(X, y, { weights: [2], intercept: 0.5, loss: losses.l1 });
    expect(moved.atKink).to.equal(0);
    expect(moved.residual).to.be.above(0.1);
  });
});
