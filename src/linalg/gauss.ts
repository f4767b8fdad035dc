/**
 * Gaussian elimination for the small dense square systems of active-set polishing (a few
 * hundred unknowns at most), where a factorisation library would cost more to call than the
 * elimination itself.
 */
/**
 * The minimum-norm solution of a consistent but singular square system K x = b, in place of
 * b: (KᵀK + εI) x = Kᵀb with ε = 1e-13 trace(KᵀK). False when the system is not consistent
 * (residual above 1e-9 of b's size).
 */
export function minimumNormSolve(K: Float64Array, b: Float64Array, m: number): boolean {
  const A = new Float64Array(m * m);
  const r = new Float64Array(m);
  let trace = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += K[k * m + i] * K[k * m + j];
      A[i * m + j] = s;
    }
    trace += A[i * m + i];
    let t = 0;
    for (let k = 0; k < m; k++) t += K[k * m + i] * b[k];
    r[i] = t;
  }
  for (let i = 0; i < m; i++) A[i * m + i] += 1e-13 * trace + 1e-300;
  if (!solveDense(A, r, m)) return false;
  let size = 0;
  let residual = 0;
  for (let i = 0; i < m; i++) {
    let s = -b[i];
    for (let k = 0; k < m; k++) s += K[i * m + k] * r[k];
    residual = Math.max(residual, Math.abs(s));
    size = Math.max(size, Math.abs(b[i]));
  }
  if (!(residual <= 1e-9 * (1 + size))) return false;
  b.set(r);
  return true;
}

/** Solves A x = b in place of b by Gaussian elimination with partial pivoting; false if A is singular to rounding. */
export function solveDense(A: Float64Array, b: Float64Array, m: number): boolean {
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(A[i]));
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * m + col]) > Math.abs(A[pivot * m + col])) pivot = r;
    if (!(Math.abs(A[pivot * m + col]) > 1e-13 * scale)) return false;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const t = A[col * m + c];
        A[col * m + c] = A[pivot * m + c];
        A[pivot * m + c] = t;
      }
      const t = b[col];
      b[col] = b[pivot];
      b[pivot] = t;
    }
    for (let r = col + 1; r < m; r++) {
      const f = A[r * m + col] / A[col * m + col];
      if (f === 0) continue;
      for (let c = col; c < m; c++) A[r * m + c] -= f * A[col * m + c];
      b[r] -= f * b[col];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let v = b[r];
    for (let c = r + 1; c < m; c++) v -= A[r * m + c] * b[c];
    b[r] = v / A[r * m + r];
  }
  return true;
}
