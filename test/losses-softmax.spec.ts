/**
 * softmax, softmaxCrossEntropy, softmaxCrossEntropyValues and softmaxCrossEntropyGradient
 * against decimal.js (logits up to ±1e4), finite differences, the binary loss they reduce to
 * at K = 2, and their input checks.
 */
import { expect } from 'chai';
import {
  losses,
  LossInputError,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  softmaxCrossEntropyValues,
} from '../src/index';
import { D, exact, log1p, mismatch, referenceFor, UNIT_ROUNDOFF, type Dec } from './helpers/reference';
import { mulberry32, uniform, type Rng } from './helpers/rng';

interface Row {
  z: number[];
  /** The target distribution (one-hot for a class index). */
  t: number[];
  /** The class index, when the target is one-hot. */
  label?: number;
}

/** Rows of logits of every kind: moderate, huge (±1e3, ±1e4), ties, confident right and wrong. */
function rows(rng: Rng): Row[] {
  const out: Row[] = [];
  const extremes = [1e4, -1e4, 1e3, -1e3, 700, -700, 40, -40, 0, 1e-8];
  for (let i = 0; i < 120; i++) {
    const K = [2, 3, 5][i % 3];
    const z = Array.from({ length: K }, () =>
      rng() < 0.4 ? extremes[Math.floor(rng() * extremes.length)] : uniform(rng, -5, 5),
    );
    if (i % 10 === 0) z[1] = z[0]; // a tie for the maximum, sometimes
    if (i % 2 === 0) {
      const label = Math.floor(rng() * K);
      out.push({ z, t: z.map((_, k) => (k === label ? 1 : 0)), label });
    } else {
      const raw = z.map(() => (rng() < 0.3 ? 0 : rng()));
      raw[Math.floor(rng() * K)] += 0.5;
      const total = raw.reduce((a, b) => a + b, 0);
      out.push({ z, t: raw.map((v) => v / total) });
    }
  }
  return out;
}

interface RowTruth {
  loss: Dec;
  p: Dec[];
  gradient: Dec[];
  /** Σ_j |p_j - t_j| |z_j - max z|: how far the double rounding of z_j - max z moves the loss. */
  conditioning: Dec;
  spread: number;
}

/** Log-sum-exp with the max shift, ln(1 + S) kept exact for tiny S, at 50 digits. */
function truthOf({ z, t }: Row): RowTruth {
  const Z = z.map(exact);
  const T = t.map(exact);
  const top = Z.reduce((best, v, k) => (v.gt(Z[best]) ? k : best), 0);
  const M = Z[top];
  const e = Z.map((v) => v.sub(M).exp());
  const others = e.reduce((s, v, k) => (k === top ? s : s.add(v)), new D(0));
  const total = others.add(1);
  const logNormaliser = log1p(others);
  const loss = T.reduce((s, tk, k) => s.add(tk.mul(M.sub(Z[k]).add(logNormaliser))), new D(0));
  const p = e.map((v) => v.div(total));
  // p_k - 1 = -(Σ_{j≠k} e_j) / Σ_j e_j, summed without cancellation.
  const gradient = p.map((pk, k) =>
    T[k].eq(1)
      ? e
          .reduce((s, v, j) => (j === k ? s : s.add(v)), new D(0))
          .div(total)
          .neg()
      : pk.sub(T[k]),
  );
  const conditioning = p.reduce((s, pk, k) => s.add(pk.sub(T[k]).abs().mul(Z[k].sub(M).abs())), new D(0));
  const spread = Math.max(...z.map((v) => Math.abs(v - z[top])));
  return { loss, p, gradient, conditioning, spread };
}

const U = UNIT_ROUNDOFF;
const REL = new D(1e-14);
const ALL = rows(mulberry32(7));

function expectOk(what: string, why: string | null): void {
  expect(why, `${what}: ${why}`).to.equal(null);
}

describe('softmax cross-entropy', () => {
  it('softmaxCrossEntropyValues matches decimal.js for logits up to ±1e4, within the conditioning of z_j - max z', () => {
    for (const row of ALL) {
      const truth = truthOf(row);
      const labels = row.label === undefined ? [row.t] : [row.label];
      const [got] = softmaxCrossEntropyValues(labels, [row.z]);
      expectOk(
        `loss at z=${JSON.stringify(row.z)}, t=${JSON.stringify(row.t)}`,
        mismatch(got, truth.loss, truth.loss.abs().mul(REL).add(truth.conditioning.mul(U).mul(4))),
      );
    }
  });

  it('softmax matches decimal.js entry by entry, and each row sums to 1', () => {
    for (const row of ALL) {
      const truth = truthOf(row);
      const got = softmax([row.z]);
      let total = 0;
      got.forEach((pk, k) => {
        total += pk;
        const tol = truth.p[k].abs().mul(REL.add(U.mul(8 * truth.spread)));
        expectOk(`softmax(${JSON.stringify(row.z)})[${k}]`, mismatch(pk, truth.p[k], tol));
      });
      expect(total).to.be.closeTo(1, 1e-15 * row.z.length);
    }
  });

  it('softmaxCrossEntropyGradient matches decimal.js within the bounds its JSDoc derives', () => {
    for (const row of ALL) {
      const truth = truthOf(row);
      const K = row.z.length;
      const got = softmaxCrossEntropyGradient(row.label === undefined ? [row.t] : [row.label], [row.z]);
      const confident = row.label ?? row.t.findIndex((tk) => tk > 0.5);
      got.forEach((g, k) => {
        const t = exact(row.t[k]);
        // K = 2: (7 + Δ) u (|g| + d(t)); K >= 3: (2K + 4 + 2Δ) u (|g| + m), m = 1 - t for the
        // confident class and t for the others (zero for class labels: relative precision).
        const floor = K === 2 ? D.min(t, t.sub(0.5).abs(), new D(1).sub(t)) : k === confident ? new D(1).sub(t) : t;
        const factor = K === 2 ? 7 + truth.spread : 2 * K + 4 + 2 * truth.spread;
        const tol = truth.gradient[k].abs().add(floor).mul(U.mul(factor));
        expectOk(
          `gradient[${k}] at z=${JSON.stringify(row.z)}, t=${JSON.stringify(row.t)}`,
          mismatch(g, truth.gradient[k], tol),
        );
      });
    }
  });

  it('the gradient equals central finite differences of the loss', () => {
    const rng = mulberry32(8);
    const h = 1e-6;
    for (let i = 0; i < 200; i++) {
      const K = 2 + (i % 4);
      const z = Array.from({ length: K }, () => uniform(rng, -4, 4));
      const label = i % K;
      const g = softmaxCrossEntropyGradient([label], [z]);
      for (let k = 0; k < K; k++) {
        const up = z.slice();
        const down = z.slice();
        up[k] += h;
        down[k] -= h;
        const fd =
          (softmaxCrossEntropyValues([label], [up])[0] - softmaxCrossEntropyValues([label], [down])[0]) / (2 * h);
        expect(g[k]).to.be.closeTo(fd, 1e-8);
      }
    }
  });

  it('K = 2 is crossEntropyWithLogits on z1 - z0: values and gradients, hard and soft labels', () => {
    const rng = mulberry32(9);
    for (let i = 0; i < 300; i++) {
      // Multiples of 1/64 below 2^40: z1 - z0 is exact, so both sides see the same score.
      const z0 = Math.round(uniform(rng, -60, 60) * 64) / 64;
      const z1 = Math.round(uniform(rng, -60, 60) * 64) / 64;
      const t1 = i % 3 === 0 ? Math.round(uniform(rng, 0, 1) * 64) / 64 : i % 2;
      const binary = losses.crossEntropyWithLogits;
      const value = softmaxCrossEntropyValues([[1 - t1, t1]], [[z0, z1]])[0];
      const want = binary.value(t1, z1 - z0);
      expect(
        Math.abs(value - want) <= 1e-14 * Math.abs(want),
        `value at ${z0}, ${z1}, t1=${t1}: ${value} vs ${want}`,
      ).to.equal(true);
      const g = softmaxCrossEntropyGradient([[1 - t1, t1]], [[z0, z1]]);
      const d = binary.derivative(t1, z1 - z0);
      const scale = t1 === 0 || t1 === 1 ? Math.abs(d) : Math.abs(d) + t1 + 1;
      expect(Math.abs(g[1] - d) <= 1e-15 * scale + 1e-300, `∂/∂z1 at ${z0}, ${z1}, t1=${t1}: ${g[1]} vs ${d}`).to.equal(
        true,
      );
      expect(
        Math.abs(g[0] + d) <= 1e-15 * scale + 1e-300,
        `∂/∂z0 at ${z0}, ${z1}, t1=${t1}: ${g[0]} vs ${-d}`,
      ).to.equal(true);
    }
  });

  it('integer labels give exactly what one-hot rows give: values, gradient, risk', () => {
    const rng = mulberry32(10);
    const z = Array.from({ length: 50 }, (_, i) =>
      Array.from({ length: 2 + (i % 4) }, () => (rng() < 0.2 ? 1e3 * (rng() - 0.5) : uniform(rng, -5, 5))),
    );
    const labels = z.map((row) => Math.floor(rng() * row.length));
    const byRow = z.map((row, i) => row.map((_, k) => (k === labels[i] ? 1 : 0)));
    // Rows of one length only: a matrix has one K.
    for (const K of [2, 3, 4, 5]) {
      const keep = z
        .map((row, i) => [row, i] as const)
        .filter(([row]) => row.length === K)
        .map(([, i]) => i);
      const Z = keep.map((i) => z[i]);
      const L = keep.map((i) => labels[i]);
      const R = keep.map((i) => byRow[i]);
      expect(Array.from(softmaxCrossEntropyValues(L, Z))).to.deep.equal(Array.from(softmaxCrossEntropyValues(R, Z)));
      expect(Array.from(softmaxCrossEntropyGradient(L, Z))).to.deep.equal(
        Array.from(softmaxCrossEntropyGradient(R, Z)),
      );
      expect(softmaxCrossEntropy(Float64Array.from(L), Z)).to.equal(softmaxCrossEntropy(R, Z));
    }
  });

  it('reductions and weights: mean, sum, Σ w l / Σ w, and integer weights equal repeated rows', () => {
    const Z = [
      [1, 2, 3],
      [0, 0, 0],
      [5, -5, 0],
      [1e4, 0, -1e4],
    ];
    const L = [2, 0, 1, 1];
    const per = Array.from(softmaxCrossEntropyValues(L, Z));
    const sum = per.reduce((a, b) => a + b, 0);
    expect(softmaxCrossEntropy(L, Z, { reduction: 'sum' })).to.equal(sum);
    expect(softmaxCrossEntropy(L, Z)).to.equal(sum / 4);
    const w = [2, 0, 1, 3];
    const weighted = per.reduce((a, l, i) => a + w[i] * l, 0) / 6;
    expect(softmaxCrossEntropy(L, Z, { weights: w })).to.be.closeTo(weighted, 1e-12 * weighted);
    const repeatedZ = [Z[0], Z[0], Z[2], Z[3], Z[3], Z[3]];
    const repeatedL = [2, 2, 1, 1, 1, 1];
    expect(softmaxCrossEntropy(L, Z, { weights: w })).to.be.closeTo(
      softmaxCrossEntropy(repeatedL, repeatedZ),
      1e-12 * weighted,
    );
  });

  it('out buffers are filled and returned', () => {
    const out = new Float64Array(2);
    expect(
      softmaxCrossEntropyValues(
        [0, 1],
        [
          [1, 2],
          [3, 4],
        ],
        out,
      ),
    ).to.equal(out);
    const grad = new Float64Array(4);
    expect(
      softmaxCrossEntropyGradient(
        [0, 1],
        [
          [1, 2],
          [3, 4],
        ],
        grad,
      ),
    ).to.equal(grad);
    const p = new Float64Array(4);
    expect(
      softmax(
        [
          [1, 2],
          [3, 4],
        ],
        p,
      ),
    ).to.equal(p);
    expect(Array.from(p)).to.deep.equal(
      Array.from(
        softmax([
          [1, 2],
          [3, 4],
        ]),
      ),
    );
  });

  describe('out may share memory with an input', () => {
    // Soft and hard targets over K = 2, 3, 5, with logits from the extremes too.
    const cases = [2, 3, 5].map((K) => {
      const own = ALL.filter((r) => r.z.length === K);
      const soft = own.filter((r) => r.label === undefined).slice(0, 6);
      const hard = own.filter((r) => r.label !== undefined).slice(0, 6);
      const matrix = (rs: number[][]): { rows: number; cols: number; data: Float64Array } => ({
        rows: rs.length,
        cols: K,
        data: Float64Array.from(rs.flat()),
      });
      return {
        K,
        Z: matrix(soft.map((r) => r.z)),
        T: matrix(soft.map((r) => r.t)),
        hardZ: matrix(hard.map((r) => r.z)),
        labels: hard.map((r) => r.label ?? -1),
      };
    });
    const copy = (m: {
      rows: number;
      cols: number;
      data: Float64Array;
    }): { rows: number; cols: number; data: Float64Array } => ({ ...m, data: m.data.slice() });
    const same = (got: Float64Array, want: Float64Array, what: string): void => {
      expect(Array.from(got), what).to.deep.equal(Array.from(want));
    };

    it('softmaxCrossEntropyGradient into the target rows or the logits gives what a fresh array gets', () => {
      for (const { K, Z, T, hardZ, labels } of cases) {
        const want = softmaxCrossEntropyGradient(T, Z);
        const t = copy(T);
        same(softmaxCrossEntropyGradient(t, Z, t.data), want, `K = ${K}, out = labels.data`);
        const z = copy(Z);
        same(softmaxCrossEntropyGradient(T, z, z.data), want, `K = ${K}, out = logits.data`);
        const hardWant = softmaxCrossEntropyGradient(labels, hardZ);
        const h = copy(hardZ);
        same(softmaxCrossEntropyGradient(labels, h, h.data), hardWant, `K = ${K}, class labels, out = logits.data`);
      }
    });

    it('out overlapping an input one row later or earlier, and softmax and per-row losses into the logits', () => {
      for (const { K, Z, T } of cases) {
        const n = Z.rows;
        const want = softmaxCrossEntropyGradient(T, Z);
        for (const shift of [K, -K, 1]) {
          // One buffer holds the logits at offset max(shift, 0) and out at max(-shift, 0).
          const buffer = new Float64Array(n * K + Math.abs(shift));
          const z = { rows: n, cols: K, data: buffer.subarray(Math.max(shift, 0), Math.max(shift, 0) + n * K) };
          z.data.set(Z.data);
          const out = buffer.subarray(Math.max(-shift, 0), Math.max(-shift, 0) + n * K);
          same(softmaxCrossEntropyGradient(T, z, out), want, `K = ${K}, out shifted by ${-shift} from the logits`);
        }
        const p = softmax(Z);
        const z = copy(Z);
        same(softmax(z, z.data), p, `K = ${K}, softmax into its logits`);
        const shifted = new Float64Array(n * K + 1);
        shifted.set(Z.data, 1);
        same(
          softmax({ rows: n, cols: K, data: shifted.subarray(1) }, shifted.subarray(0, n * K)),
          p,
          `K = ${K}, softmax one element back`,
        );
        const losses = softmaxCrossEntropyValues(T, Z);
        const w = copy(Z);
        same(
          softmaxCrossEntropyValues(T, w, w.data.subarray(n * K - n)),
          losses,
          `K = ${K}, per-row losses into the last n logits`,
        );
      }
    });
  });

  it('K = 2 with soft labels near a tie keeps relative precision: the binary gradient on z1 - z0', () => {
    // z1 - z0 = z exactly here, and the true gradient is ±(σ(z) - 1/2) ≈ ±z/4.
    const binary = referenceFor(losses.crossEntropyWithLogits);
    for (const z of [1e-16, -1e-20, 1e-300, 1e-10, -3e-8]) {
      const g = softmaxCrossEntropyGradient([[0.5, 0.5]], [[0, z]]);
      const truth = binary.derivative(exact(0.5), exact(z));
      // The t = 1/2 form of uncheckedSigmoidMinus: tanh to 2u, then one exact halving and one
      // subtraction of 0 (stable.ts).
      const tol = truth.abs().mul(U.mul(3));
      expectOk(`g1 at z = ${z}`, mismatch(g[1], truth, tol));
      expectOk(`g0 at z = ${z}`, mismatch(g[0], truth.neg(), tol));
    }
  });

  describe('bad labels throw LossInputError', () => {
    const Z = [
      [1, 2, 3],
      [0, 0, 0],
    ];
    const cases: Array<[string, unknown, RegExp]> = [
      ['a non-integer class index', [0, 1.5], /labels\[1\].*1\.5.*integers in \[0, 3\)/],
      ['a class index out of range', [3, 0], /labels\[0\].*got 3.*integers in \[0, 3\)/],
      ['a negative class index', [0, -1], /labels\[1\].*got -1/],
      ['NaN as a class index', [NaN, 0], /labels\[0\].*NaN/],
      ['too few labels', [0], /labels.*length 1.*2 rows/],
      [
        'a row that does not sum to 1',
        [
          [0.5, 0.4, 0],
          [1, 0, 0],
        ],
        /labels\[0\].*does not sum to 1.*0\.9/,
      ],
      [
        'a negative probability',
        [
          [1.5, -0.5, 0],
          [1, 0, 0],
        ],
        /labels\[0\]\[0\].*1\.5.*\[0, 1\]/,
      ],
      [
        'rows of the wrong width',
        [
          [0.5, 0.5],
          [1, 0],
        ],
        /labels.*shape 2 x 2.*2 x 3/,
      ],
      [
        'too many rows',
        [
          [1, 0, 0],
          [1, 0, 0],
          [1, 0, 0],
        ],
        /labels.*shape 3 x 3/,
      ],
      [
        'ragged rows',
        [
          [1, 0, 0],
          [1, 0],
        ],
        /labels\[1\].*ragged/,
      ],
      ['a string', 'cat', /labels.*neither class indices nor target rows/],
    ];
    for (const [what, labels, message] of cases) {
      it(what, () => {
        for (const fn of [softmaxCrossEntropy, softmaxCrossEntropyValues, softmaxCrossEntropyGradient] as const) {
          let caught: unknown;
          try {
            fn(labels as number[], Z);
          } catch (e) {
            caught = e;
          }
          expect(caught, `${fn.name} threw`).to.be.instanceOf(LossInputError);
          const err = caught as LossInputError;
          expect(err.name).to.equal('LossInputError');
          expect(err).to.be.instanceOf(RangeError);
          expect(err.message).to.match(/^softmaxCrossEntropy: /);
          expect(err.message).to.match(message);
        }
      });
    }
  });
});
