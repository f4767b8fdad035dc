/**
 * risk / values / derivatives / secondDerivatives over a sample, for every loss: container
 * types, reductions, weights, out-buffers, against plain scalar loops over `loss.value`.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { derivatives, losses, risk, secondDerivatives, values, type Loss } from '../src/index';
import { allLosses } from './helpers/losses';
import { D, mismatch, UNIT_ROUNDOFF, type Dec } from './helpers/reference';
import { mulberry32, type Rng } from './helpers/rng';

/** Multiples of 1/256: exact in Float32Array as well, so all three containers hold the same numbers. */
function sample(loss: Loss, n: number, rng: Rng): { y: number[]; f: number[] } {
  const k = (lo: number, hi: number): number => Math.round((lo + (hi - lo) * rng()) * 256) / 256;
  const y: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < n; i++) {
    y.push(
      loss.target === 'sign'
        ? rng() < 0.5
          ? -1
          : 1
        : loss.target === 'binary'
          ? rng() < 0.5
            ? Math.round(rng())
            : k(0, 1)
          : k(-4, 4),
    );
    f.push(loss.prediction === 'probability' ? k(1 / 256, 255 / 256) : k(-4, 4));
  }
  return { y, f };
}

function second(loss: Loss): (y: number, f: number) => number {
  const h = loss.secondDerivative;
  if (h === undefined) throw new Error(`${loss.id} has no secondDerivative`);
  return h;
}

function loopSum(loss: Loss, y: ArrayLike<number>, f: ArrayLike<number>, w?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (w === undefined ? 1 : w[i]) * loss.value(y[i], f[i]);
  return s;
}

function expectOk(what: string, why: string | null): void {
  expect(why, `${what}: ${why}`).to.equal(null);
}

function expectRel(what: string, got: number, want: number, tol = 1e-12): void {
  expect(Math.abs(got - want) <= tol * Math.abs(want), `${what}: got ${got}, want ${want}`).to.equal(true);
}

/** How many Float64Arrays `fn` constructs (the global constructor is swapped for a counting proxy). */
function float64Allocations(fn: () => void): number {
  const original = globalThis.Float64Array;
  let count = 0;
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args, newTarget) {
      count++;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float64Array = original;
  }
  return count;
}

describe('risk over a sample', () => {
  for (const loss of allLosses) {
    describe(loss.id, () => {
      const { y, f } = sample(loss, 37, mulberry32(loss.id.length * 7919));
      const containers: Array<[string, ArrayLike<number>, ArrayLike<number>]> = [
        ['number[]', y, f],
        ['Float64Array', Float64Array.from(y), Float64Array.from(f)],
        ['Float32Array', Float32Array.from(y), Float32Array.from(f)],
        ['mixed', Float32Array.from(y), f],
      ];

      it('number[], Float64Array and Float32Array give the same values, derivatives and second derivatives as scalar calls', () => {
        const h = second(loss);
        const want = {
          values: y.map((yi, i) => loss.value(yi, f[i])),
          derivatives: y.map((yi, i) => loss.derivative(yi, f[i])),
          secondDerivatives: y.map((yi, i) => h(yi, f[i])),
        };
        for (const [name, Y, F] of containers) {
          expect(Array.from(values(loss, Y, F)), `values on ${name}`).to.deep.equal(want.values);
          expect(Array.from(derivatives(loss, Y, F)), `derivatives on ${name}`).to.deep.equal(want.derivatives);
          expect(Array.from(secondDerivatives(loss, Y, F)), `secondDerivatives on ${name}`).to.deep.equal(
            want.secondDerivatives,
          );
        }
      });

      it('mean (the default) is Σ l / n and sum is Σ l, on every container', () => {
        const total = loopSum(loss, y, f);
        for (const [name, Y, F] of containers) {
          expectRel(`sum on ${name}`, risk(loss, Y, F, { reduction: 'sum' }), total);
          expectRel(`mean on ${name}`, risk(loss, Y, F), total / y.length);
          expectRel(`explicit mean on ${name}`, risk(loss, Y, F, { reduction: 'mean' }), total / y.length);
        }
      });

      it('integer weights equal repeating rows (mean and sum), and the weighted mean is Σ w l / Σ w', () => {
        fc.assert(
          fc.property(
            fc
              .array(fc.integer({ min: 0, max: 3 }), { minLength: y.length, maxLength: y.length })
              .filter((w) => w.some((v) => v > 0)),
            (w) => {
              const Y: number[] = [];
              const F: number[] = [];
              w.forEach((c, i) => {
                for (let r = 0; r < c; r++) {
                  Y.push(y[i]);
                  F.push(f[i]);
                }
              });
              expectRel('weighted mean vs repetition', risk(loss, y, f, { weights: w }), risk(loss, Y, F));
              expectRel(
                'weighted sum vs repetition',
                risk(loss, y, f, { weights: Float64Array.from(w), reduction: 'sum' }),
                risk(loss, Y, F, { reduction: 'sum' }),
              );
            },
          ),
          { numRuns: 30 },
        );
        const w = y.map((_, i) => 0.25 + ((i * 37) % 11) / 4); // exact in Float32Array too
        const sw = w.reduce((a, b) => a + b, 0);
        expectRel('weighted mean', risk(loss, y, f, { weights: w }), loopSum(loss, y, f, w) / sw);
        expectRel(
          'weighted sum',
          risk(loss, y, f, { weights: Float32Array.from(w), reduction: 'sum' }),
          loopSum(loss, y, f, w),
        );
      });

      it('out buffers are filled and returned; typed arrays are read in place, and anything else is copied once', () => {
        const Y = Float64Array.from(y);
        const F = Float32Array.from(f);
        for (const [name, fn] of [
          ['values', values],
          ['derivatives', derivatives],
          ['secondDerivatives', secondDerivatives],
        ] as const) {
          const fresh = fn(loss, y, f);
          const out = new Float64Array(y.length).fill(NaN);
          let returned: Float64Array | undefined;
          expect(
            float64Allocations(() => {
              returned = fn(loss, Y, F, out);
            }),
            `${name} on typed arrays with out`,
          ).to.equal(0);
          expect(returned, `${name} returns out itself`).to.equal(out);
          expect(Array.from(out), `${name} fills out`).to.deep.equal(Array.from(fresh));
          expect(
            float64Allocations(() => fn(loss, Y, F)),
            `${name} without out allocates its result`,
          ).to.equal(1);
          // number[] is copied into a Float64Array once per argument, so that what is checked is what is computed on.
          expect(
            float64Allocations(() => fn(loss, y, f, out)),
            `${name} on number[] with out`,
          ).to.equal(2);
        }
        const ones = y.map(() => 1);
        const typedOnes = Float64Array.from(ones);
        expect(
          float64Allocations(() => risk(loss, Y, F, { weights: typedOnes })),
          'risk on typed arrays',
        ).to.equal(0);
        expect(
          float64Allocations(() => risk(loss, y, f, { weights: ones })),
          'risk on number[]',
        ).to.equal(3);
      });

      it('out may be y or f itself, or overlap them at another offset', () => {
        for (const [name, fn] of [
          ['values', values],
          ['derivatives', derivatives],
          ['secondDerivatives', secondDerivatives],
        ] as const) {
          const want = Array.from(fn(loss, y, f));
          const Y = Float64Array.from(y);
          expect(Array.from(fn(loss, Y, f, Y)), `${name} into y`).to.deep.equal(want);
          const F = Float64Array.from(f);
          expect(Array.from(fn(loss, y, F, F)), `${name} into f`).to.deep.equal(want);
          for (const shift of [1, -1]) {
            const buffer = new Float64Array(y.length + 1);
            const at = Math.max(shift, 0);
            const input = buffer.subarray(at, at + y.length);
            input.set(y);
            const out = buffer.subarray(1 - at, 1 - at + y.length);
            expect(Array.from(fn(loss, input, f, out)), `${name} into y shifted by ${shift}`).to.deep.equal(want);
          }
        }
      });
    });
  }

  describe('compensated summation', () => {
    // One loss of 1 first, then n - 1 losses of 2^-60: a plain running sum rounds every small
    // term away (1 + 2^-60 = 1). The exact sum 1 + (n - 1) 2^-60 is a dyadic rational that
    // decimal.js holds exactly. risk's JSDoc bounds Sum2's error by u |S| + γ_{n-1}² Σ|l_i|,
    // products of weights add u Σ|w_i l_i|, and a mean adds one rounding of the quotient.
    const n = 2 ** 20 + 3;
    const tiny = 2 ** -30; // (2^-30 - 0)² = 2^-60 exactly
    const y = new Float64Array(n).fill(tiny);
    y[0] = 1;
    const f = new Float64Array(n);
    const exactSum = new D(n - 1).mul(new D(2).pow(-60)).add(1);
    const u = UNIT_ROUNDOFF;
    const gamma = u.mul(n - 1).div(new D(1).sub(u.mul(n - 1)));
    /** The error bound of a sum of `roundings` u-terms (the sum's own, one per product) plus Sum2's γ². */
    const bound = (total: Dec, roundings: number): Dec => total.mul(u.mul(roundings).add(gamma.pow(2)));

    it('risk with reduction sum and mean: within the stated bound of the exact sum, where a plain loop is not', () => {
      let plain = 0;
      for (let i = 0; i < n; i++) plain += losses.l2.value(y[i], f[i]);
      expect(mismatch(plain, exactSum, bound(exactSum, 1)), 'the sequence defeats plain summation').to.not.equal(null);
      expectOk('sum', mismatch(risk(losses.l2, y, f, { reduction: 'sum' }), exactSum, bound(exactSum, 1)));
      // The mean: the sum's bound divided by n, plus one rounding of the quotient.
      expectOk('mean', mismatch(risk(losses.l2, y, f), exactSum.div(n), bound(exactSum.div(n), 2)));
      expectOk('kernels.sum', mismatch(losses.l2.kernels.sum(y, f, n), exactSum, bound(exactSum, 1)));
      const out = new Float64Array(n);
      expectOk(
        'kernels.sumAndDerivatives',
        mismatch(losses.l2.kernels.sumAndDerivatives(y, f, out, n), exactSum, bound(exactSum, 1)),
      );
    });

    it('weighted sums and their weight totals too', () => {
      const ones = new Float64Array(n).fill(1);
      expectOk(
        'weighted sum',
        mismatch(risk(losses.l2, y, f, { weights: ones, reduction: 'sum' }), exactSum, bound(exactSum, 2)),
      );
      // The adversarial sequence in the weights, on losses that are all 1 (y = 1, f = 0):
      // Σ w l and Σ w are both the exact sum, so the weighted mean is 1 up to the relative
      // bounds of the numerator (2u + γ²), of the denominator (u + γ²) and of the division (u).
      const w = new Float64Array(n).fill(2 ** -60);
      w[0] = 1;
      const yOne = new Float64Array(n).fill(1);
      const mean = risk(losses.l2, yOne, f, { weights: w });
      expectOk('weighted mean Σ w l / Σ w = 1', mismatch(mean, new D(1), u.mul(4).add(gamma.pow(2).mul(2))));
      expectOk(
        'weighted sum Σ w l',
        mismatch(risk(losses.l2, yOne, f, { weights: w, reduction: 'sum' }), exactSum, bound(exactSum, 2)),
      );
    });
  });

  describe('crossEntropy’s honest Infinity', () => {
    it('an example with p = 0 and t = 1 makes the risk Infinity, never NaN', () => {
      expect(risk(losses.crossEntropy, [1, 0], [0, 0.5])).to.equal(Infinity);
      expect(Array.from(values(losses.crossEntropy, [1, 0, 0.5], [0, 1, 0]))).to.deep.equal([
        Infinity,
        Infinity,
        Infinity,
      ]);
      expect(Array.from(derivatives(losses.crossEntropy, [1, 0], [0, 1]))).to.deep.equal([-Infinity, Infinity]);
    });
    it('a zero weight on that example removes it instead of making 0 · Infinity = NaN', () => {
      expect(risk(losses.crossEntropy, [1, 0], [0, 0.5], { weights: [0, 1] })).to.equal(Math.LN2);
      expect(risk(losses.crossEntropy, [1, 0], [0, 0.5], { weights: [0, 2], reduction: 'sum' })).to.equal(2 * Math.LN2);
      expect(risk(losses.crossEntropy, [1, 0], [0, 0.5], { weights: new Float32Array([0, 1]) })).to.equal(Math.LN2);
    });
  });
});
