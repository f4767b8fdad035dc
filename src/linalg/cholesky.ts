/**
 * Cholesky factorisation of the small p × p normal matrices of the interior-point method.
 * Hand-written: the matrices are tiny (p <= a few hundred) and refactored every iteration,
 * and the pivot rule below (treating a vanishing pivot as a dependent direction, as in
 * S. J. Wright, "Modified Cholesky factorizations in interior-point algorithms for linear
 * programming", SIAM J. Optim. 9(4), 1999) is not something a general library offers.
 */

/**
 * Factors the symmetric positive semi-definite row-major M (lower triangle read) as L Lᵀ,
 * in place (L in the lower triangle). A pivot below `relativeTolerance` times its original
 * diagonal entry marks a direction that depends on earlier ones: its row and column of L are
 * zeroed and `dependent[k]` set, so solves return 0 in that coordinate instead of dividing
 * by rounding noise. Returns the number of dependent directions.
 */
export function choleskyInPlace(M: Float64Array, p: number, dependent: Uint8Array, relativeTolerance: number): number {
  let count = 0;
  for (let k = 0; k < p; k++) {
    const rowK = k * p;
    const original = M[rowK + k];
    let pivot = original;
    for (let m = 0; m < k; m++) pivot -= M[rowK + m] * M[rowK + m];
    if (!(pivot > relativeTolerance * original) || !(original > 0)) {
      dependent[k] = 1;
      count++;
      M[rowK + k] = 1;
      for (let m = 0; m < k; m++) M[rowK + m] = 0;
      for (let i = k + 1; i < p; i++) M[i * p + k] = 0;
      continue;
    }
    dependent[k] = 0;
    const lkk = Math.sqrt(pivot);
    M[rowK + k] = lkk;
    for (let i = k + 1; i < p; i++) {
      const rowI = i * p;
      let s = M[rowI + k];
      for (let m = 0; m < k; m++) s -= M[rowI + m] * M[rowK + m];
      M[rowI + k] = s / lkk;
    }
  }
  return count;
}

/** Solves L Lᵀ x = rhs with the factor from `choleskyInPlace`; dependent coordinates get 0. */
export function choleskySolve(
  L: Float64Array,
  p: number,
  dependent: Uint8Array,
  rhs: ArrayLike<number>,
  x: Float64Array,
): Float64Array {
  for (let i = 0; i < p; i++) {
    if (dependent[i]) {
      x[i] = 0;
      continue;
    }
    let s = rhs[i];
    for (let m = 0; m < i; m++) s -= L[i * p + m] * x[m];
    x[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    if (dependent[i]) {
      x[i] = 0;
      continue;
    }
    let s = x[i];
    for (let m = i + 1; m < p; m++) s -= L[m * p + i] * x[m];
    x[i] = s / L[i * p + i];
  }
  return x;
}
