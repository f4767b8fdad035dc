/**
 * Bounded-variable least squares for small problems: min ‖A x − b‖₂ over lo <= x <= hi.
 * The active-set method of P. B. Stark & R. L. Parker, "Bounded-variable least-squares: an
 * algorithm and applications", Computational Statistics 10(2), 1995 (Lawson & Hanson's NNLS
 * with two-sided bounds). Each least-squares subproblem is solved through the QR + SVD of
 * its free columns, taking the minimum-norm solution when they are dependent.
 *
 * Hand-written: the only JavaScript implementations on npm are unmaintained ports, and the
 * certificate needs just this small, exact piece.
 */
import { QRAccumulator } from './qr';
import { jacobiSVD, numericalRank, truncatedSolve } from './svd';

/**
 * A is `rows` × m, row-major. Returns a feasible x; at convergence it minimises ‖A x − b‖₂.
 * The iteration count is capped (3m outer steps), so an unlucky degenerate case returns the
 * best feasible point reached rather than cycling.
 */
export function boundedLeastSquares(A: Float64Array, rows: number, m: number, b: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>): Float64Array {
  const x = new Float64Array(m);
  // −1 at lower bound, +1 at upper bound, 0 free.
  const state = new Int8Array(m);
  for (let j = 0; j < m; j++) {
    x[j] = lo[j];
    state[j] = -1;
  }
  const residual = new Float64Array(rows);
  const gradient = new Float64Array(m);
  let scale = 0;
  for (let k = 0; k < A.length; k++) scale = Math.max(scale, Math.abs(A[k]));
  let bScale = 0;
  for (let i = 0; i < rows; i++) bScale = Math.max(bScale, Math.abs(b[i]));
  const tolerance = 1e-14 * scale * Math.max(bScale, 1e-300) * m;

  for (let outer = 0; outer < 3 * m; outer++) {
    // w = Aᵀ (b − A x): moving a bound variable into the box helps where w points inward.
    for (let i = 0; i < rows; i++) {
      let s = b[i];
      for (let j = 0; j < m; j++) s -= A[i * m + j] * x[j];
      residual[i] = s;
    }
    gradient.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < m; j++) gradient[j] += A[i * m + j] * residual[i];
    let entering = -1;
    let best = tolerance;
    for (let j = 0; j < m; j++) {
      const pull = state[j] === -1 ? gradient[j] : state[j] === 1 ? -gradient[j] : 0;
      if (pull > best && hi[j] > lo[j]) {
        best = pull;
        entering = j;
      }
    }
    if (entering < 0) return x;
    state[entering] = 0;

    for (let inner = 0; inner <= m; inner++) {
      const free: number[] = [];
      for (let j = 0; j < m; j++) if (state[j] === 0) free.push(j);
      const z = solveFree(A, rows, m, b, x, state, free);
      let step = 1;
      let blocking = -1;
      free.forEach((j, k) => {
        const target = z[k];
        if (target < lo[j] && x[j] - target > 0) {
          const ratio = (x[j] - lo[j]) / (x[j] - target);
          if (ratio < step) {
            step = ratio;
            blocking = j;
          }
        } else if (target > hi[j] && target - x[j] > 0) {
          const ratio = (hi[j] - x[j]) / (target - x[j]);
          if (ratio < step) {
            step = ratio;
            blocking = j;
          }
        }
      });
      free.forEach((j, k) => {
        x[j] += step * (z[k] - x[j]);
      });
      if (blocking < 0) break;
      // Variables that reached a bound leave the free set, pinned exactly to it.
      for (const j of free) {
        if (j === blocking || x[j] <= lo[j]) {
          const toLower = x[j] - lo[j] <= hi[j] - x[j];
          x[j] = toLower ? lo[j] : hi[j];
          state[j] = toLower ? -1 : 1;
        } else if (x[j] >= hi[j]) {
          x[j] = hi[j];
          state[j] = 1;
        }
      }
      if (blocking === entering && step === 0) return x;
    }
  }
  return x;
}

/** Minimum-norm least-squares values of the free variables, the bound ones held fixed. */
function solveFree(A: Float64Array, rows: number, m: number, b: ArrayLike<number>, x: Float64Array, state: Int8Array, free: number[]): Float64Array {
  const f = free.length;
  const cols = f + 1;
  const block = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let rhs = b[i];
    for (let j = 0; j < m; j++) if (state[j] !== 0) rhs -= A[i * m + j] * x[j];
    free.forEach((j, k) => {
      block[i * cols + k] = A[i * m + j];
    });
    block[i * cols + f] = rhs;
  }
  const qr = new QRAccumulator(cols);
  qr.absorb(block, rows);
  const R = new Float64Array(f * f);
  const c = new Float64Array(f);
  for (let i = 0; i < f; i++) {
    for (let j = i; j < f; j++) R[i * f + j] = qr.R[i * cols + j];
    c[i] = qr.R[i * cols + f];
  }
  const svd = jacobiSVD(R, f);
  return truncatedSolve(svd, c, numericalRank(svd, 1e-12)).x;
}
