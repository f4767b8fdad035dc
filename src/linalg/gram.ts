/**
 * The weighted cross-product of the interior-point method's normal equations. Four rows at
 * a time: each entry of the small p × p result is loaded and stored once per four rows
 * instead of once per row, which measured 2.4x faster than one row at a time for p = 50
 * (the same trick as in `QRAccumulator.absorb`).
 */

/** Lower triangle of M = Aᵀ diag(θ) A (row-major p × p; the strict upper part is not touched). */
export function weightedGram(A: Float64Array, n: number, p: number, theta: ArrayLike<number>, M: Float64Array): void {
  for (let j = 0; j < p; j++) M.fill(0, j * p, j * p + j + 1);
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const a = i * p,
      b = a + p,
      c = b + p,
      e = c + p;
    const ta = theta[i],
      tb = theta[i + 1],
      tc = theta[i + 2],
      te = theta[i + 3];
    for (let j = 0; j < p; j++) {
      const xa = ta * A[a + j],
        xb = tb * A[b + j],
        xc = tc * A[c + j],
        xe = te * A[e + j];
      const row = j * p;
      for (let k = 0; k <= j; k++) M[row + k] += xa * A[a + k] + xb * A[b + k] + xc * A[c + k] + xe * A[e + k];
    }
  }
  for (; i < n; i++) {
    const a = i * p;
    const ta = theta[i];
    for (let j = 0; j < p; j++) {
      const xa = ta * A[a + j];
      const row = j * p;
      for (let k = 0; k <= j; k++) M[row + k] += xa * A[a + k];
    }
  }
}
