/**
 * The generated array kernels agree with the scalar formulas they are built from, element by
 * element and bit for bit — including the fused value-and-derivative loops some losses
 * provide for the solvers, which must round exactly as the separate formulas do.
 */
import { expect } from 'chai';
import type { Loss } from '../src/index';
import { compensatedSum, compensatedWeightedSum } from '../src/losses/summation';
import { allLosses } from './helpers/losses';

/** Admissible (y, f) pairs spanning the interesting ranges: extremes, kinks, zero. */
function sample(loss: Loss): { y: Float64Array; f: Float64Array } {
  const fs =
    loss.prediction === 'probability'
      ? [0, 1e-300, 1e-12, 0.1, 0.5, 0.9, 1 - 1e-12, 1]
      : [-1e4, -745, -40, -3, -1, -0.5, -1e-8, -1e-300, 0, 1e-20, 1e-8, 0.5, 1, 3, 40, 745, 1e4];
  // Binary targets from each of crossEntropyWithLogits' three gradient forms, and their edges.
  const ys =
    loss.target === 'sign'
      ? [-1, 1]
      : loss.target === 'binary'
        ? [0, 1e-300, 0.2, 0.25, 0.5, 0.75, 0.9, 1]
        : [-2, 0, 0.5, 3];
  const y: number[] = [];
  const f: number[] = [];
  for (const yi of ys)
    for (const fi of fs) {
      y.push(yi);
      f.push(fi);
    }
  return { y: Float64Array.from(y), f: Float64Array.from(f) };
}

describe('generated kernels', () => {
  for (const loss of allLosses) {
    it(`${loss.id}: every kernel equals the scalar formulas bit for bit`, () => {
      const { y, f } = sample(loss);
      const n = y.length;
      const values = new Float64Array(n);
      const derivs = new Float64Array(n);
      const seconds = new Float64Array(n);
      loss.kernels.values(y, f, values, n);
      loss.kernels.derivatives(y, f, derivs, n);
      loss.kernels.secondDerivatives(y, f, seconds, n);
      const fusedDerivs = new Float64Array(n);
      const fusedSum = loss.kernels.sumAndDerivatives(y, f, fusedDerivs, n);
      for (let i = 0; i < n; i++) {
        expect(Object.is(values[i], loss.value(y[i], f[i])), `value at (${y[i]}, ${f[i]})`).to.equal(true);
        expect(Object.is(derivs[i], loss.derivative(y[i], f[i])), `derivative at (${y[i]}, ${f[i]})`).to.equal(true);
        expect(
          Object.is(seconds[i], loss.secondDerivative(y[i], f[i])),
          `second derivative at (${y[i]}, ${f[i]})`,
        ).to.equal(true);
        expect(
          Object.is(fusedDerivs[i], derivs[i]),
          `fused derivative at (${y[i]}, ${f[i]}): ${fusedDerivs[i]} vs ${derivs[i]}`,
        ).to.equal(true);
      }
      // The summing kernels inline compensatedSum's blocks; its accuracy is tested in risk.spec.ts.
      const sum = compensatedSum(values, n);
      expect(Object.is(loss.kernels.sum(y, f, n), sum), `sum ${loss.kernels.sum(y, f, n)} vs ${sum}`).to.equal(true);
      expect(Object.is(fusedSum, sum), `fused sum ${fusedSum} vs ${sum}`).to.equal(true);
      const w = Float64Array.from(y, (_, i) => (i % 3) * 0.75);
      expect(
        Object.is(loss.kernels.weightedSum(y, f, w, n), compensatedWeightedSum(w, values, n)),
        'weighted sum',
      ).to.equal(true);
    });
  }
});
