/**
 * The one-sided Jacobi SVD of small matrices (src/linalg/svd.ts), and `singularValues`, which
 * skips the singular vectors for callers that need only the values (least squares' condition
 * number).
 */
import { expect } from 'chai';
import { eigs, multiply, transpose } from 'mathjs';
import { createRng } from '../src/index';
import { jacobiSVD, singularValues } from '../src/linalg/svd';

function randomMatrices(): Array<{ what: string; A: Float64Array; n: number }> {
  const rng = createRng(11);
  const out: Array<{ what: string; A: Float64Array; n: number }> = [];
  for (const n of [1, 2, 5, 12, 30]) {
    const full = Float64Array.from({ length: n * n }, () => 2 * rng.uniform() - 1);
    const upper = full.map((v, k) => (k % n >= Math.floor(k / n) ? v : 0));
    out.push({ what: `${n} x ${n}`, A: full, n }, { what: `${n} x ${n} upper triangle`, A: upper, n });
    if (n > 1) {
      // Two equal columns: rank n − 1, one singular value at rounding level.
      const deficient = Float64Array.from(full);
      for (let i = 0; i < n; i++) deficient[i * n + n - 1] = deficient[i * n];
      out.push({ what: `${n} x ${n} rank-deficient`, A: deficient, n });
    }
  }
  return out;
}

describe('singularValues', () => {
  it('gives the bits of jacobiSVD(A).sigma', () => {
    for (const { what, A, n } of randomMatrices()) {
      const want = jacobiSVD(A, n).sigma;
      const got = singularValues(A, n);
      expect(Buffer.from(got.buffer).toString('hex'), what).to.equal(Buffer.from(want.buffer).toString('hex'));
    }
  });

  it('agrees with the square roots of the eigenvalues of AᵀA (mathjs) to their rounding', () => {
    for (const { what, A, n } of randomMatrices()) {
      if (what.includes('deficient')) continue;
      const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));
      const gram = multiply(transpose(rows), rows) as number[][];
      const reference = (eigs(gram).values as number[]).map((l) => Math.sqrt(Math.max(l, 0))).sort((a, b) => a - b);
      const got = Array.from(singularValues(A, n)).sort((a, b) => a - b);
      const largest = reference[n - 1];
      for (let i = 0; i < n; i++) {
        // Eigenvalues of AᵀA are good to about n ε σ_max² in absolute terms; through the square
        // root that is n ε σ_max² / (2 σ_i) on σ_i. Eight times that bound.
        const bound = (8 * n * Number.EPSILON * largest * largest) / (2 * reference[i]);
        expect(Math.abs(got[i] - reference[i]), `${what}, σ_${i}`).to.be.at.most(bound);
      }
    }
  });
});
