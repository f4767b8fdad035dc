/**
 * Singular value decomposition of a small square matrix by one-sided Jacobi rotations, and
 * the minimum-norm solution it gives. Used on the d × d triangle of a QR factorisation, so
 * its O(d³) per sweep never meets n.
 *
 * Why hand-written: mathjs has no SVD (only eigenvalues of symmetric matrices, which would
 * square the condition number), and one-sided Jacobi (Hestenes 1958; Demmel & Veselić,
 * SIAM J. Matrix Anal. Appl. 13(4), 1992) computes even the small singular values of a
 * triangular factor to high relative accuracy, which is what a rank decision needs.
 */

export interface SmallSVD {
  n: number;
  /** Column j of U is `U[j*n .. j*n+n)` (stored transposed, one singular vector per row). */
  U: Float64Array;
  /** Singular values, not sorted. */
  sigma: Float64Array;
  /** Column j of V is `V[j*n .. j*n+n)`. */
  V: Float64Array;
}

const MAX_SWEEPS = 60;

/** A = U diag(σ) Vᵀ for the n × n row-major matrix A (not modified). */
export function jacobiSVD(A: Float64Array, n: number): SmallSVD {
  return rotations(A, n, true);
}

/**
 * The singular values of A alone, the same bits as `jacobiSVD` gives: the rotations of V, a
 * third of the work, never feed back into the values.
 */
export function singularValues(A: Float64Array, n: number): Float64Array {
  return rotations(A, n, false).sigma;
}

function rotations(A: Float64Array, n: number, vectors: boolean): SmallSVD {
  // W holds the columns of A as rows, so rotations of column pairs run over contiguous memory.
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = A[i * n + j];
  const V = new Float64Array(vectors ? n * n : 0);
  if (vectors) for (let j = 0; j < n; j++) V[j * n + j] = 1;
  const eps = Number.EPSILON;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0, a = p * n, b = q * n; k < n; k++) {
          const x = W[a + k];
          const y = W[b + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(W, p * n, q * n, n, c, s);
        if (vectors) rotate(V, p * n, q * n, n, c, s);
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += W[j * n + k] * W[j * n + k];
    const norm = Math.sqrt(s);
    sigma[j] = norm;
    if (vectors && norm > 0) for (let k = 0; k < n; k++) W[j * n + k] /= norm;
  }
  return { n, U: W, sigma, V };
}

function rotate(M: Float64Array, a: number, b: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const x = M[a + k];
    const y = M[b + k];
    M[a + k] = c * x - s * y;
    M[b + k] = s * x + c * y;
  }
}

/**
 * The number of singular values above `rcond · σ_max`: the numerical rank under the rule of
 * LAPACK's dgelsd and numpy.linalg.lstsq.
 */
export function numericalRank(svd: SmallSVD, rcond: number): number {
  let max = 0;
  for (let j = 0; j < svd.n; j++) max = Math.max(max, svd.sigma[j]);
  let rank = 0;
  for (let j = 0; j < svd.n; j++) if (svd.sigma[j] > rcond * max) rank++;
  return rank;
}

/**
 * x = Σ over the `rank` largest singular values of vⱼ (uⱼ·c) / σⱼ: the minimum-norm
 * least-squares solution of A x ≈ c once the other singular values count as zero
 * (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.5). Also returns the condition
 * number of what was kept, σ_max / (smallest kept σ).
 */
export function truncatedSolve(
  svd: SmallSVD,
  c: ArrayLike<number>,
  rank: number,
): { x: Float64Array; condition: number } {
  const { n, U, sigma, V } = svd;
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => sigma[b] - sigma[a]);
  const x = new Float64Array(n);
  for (let r = 0; r < rank; r++) {
    const j = order[r];
    let coef = 0;
    for (let k = 0; k < n; k++) coef += U[j * n + k] * c[k];
    coef /= sigma[j];
    for (let k = 0; k < n; k++) x[k] += coef * V[j * n + k];
  }
  const condition = rank === 0 ? Infinity : sigma[order[0]] / sigma[order[rank - 1]];
  return { x, condition };
}
