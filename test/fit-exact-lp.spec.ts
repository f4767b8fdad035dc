/**
 * The lp solver against brute force. The objective (1/n) Σ ρ(yᵢ − w·xᵢ − b) + l1 ‖w‖₁ of a
 * piecewise-linear loss is convex and linear between the hyperplanes where an example sits
 * at a kink (x̃ᵢ·β = yᵢ − κ) or a weight is zero (βⱼ = 0). When their normals span the
 * parameter space, a minimum is attained at a vertex where p of them meet, so the smallest
 * objective over all such vertices is the LP optimum (the Barrodale–Roberts / simplex
 * argument). The tests enumerate every vertex of small problems with mathjs's LU and compare;
 * the objective is coded here from the loss formulas, not taken from the package.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { lusolve } from 'mathjs';
import {
  checkOptimality,
  createRng,
  epsilonInsensitive,
  fitLinear,
  losses,
  makeClassification,
  makeRegression,
  quantile,
  type LinearFit,
  type Loss,
} from '../src/index';

interface Case {
  name: string;
  loss: Loss;
  /** ρ(y, f), written out. */
  rho: (y: number, f: number) => number;
  /** Kinks on the residual y − f (or, for hinge, the scores f = y at margin 1). */
  kinkScores: (y: number) => number[];
  labels: 'real' | 'sign';
}

const cases: Case[] = [
  { name: 'l1', loss: losses.l1, rho: (y, f) => Math.abs(y - f), kinkScores: (y) => [y], labels: 'real' },
  {
    name: 'quantile(0.25)',
    loss: quantile(0.25),
    rho: (y, f) => Math.max(0.25 * (y - f), -0.75 * (y - f)),
    kinkScores: (y) => [y],
    labels: 'real',
  },
  {
    name: 'quantile(0.9)',
    loss: quantile(0.9),
    rho: (y, f) => Math.max(0.9 * (y - f), -0.1 * (y - f)),
    kinkScores: (y) => [y],
    labels: 'real',
  },
  {
    name: 'epsilonInsensitive(0.4)',
    loss: epsilonInsensitive(0.4),
    rho: (y, f) => Math.max(0, Math.abs(y - f) - 0.4),
    kinkScores: (y) => [y - 0.4, y + 0.4],
    labels: 'real',
  },
  { name: 'hinge', loss: losses.hinge, rho: (y, f) => Math.max(0, 1 - y * f), kinkScores: (y) => [y], labels: 'sign' },
];

interface Sample {
  X: number[][];
  y: number[];
}

function sample(seed: number, n: number, d: number, labels: 'real' | 'sign'): Sample {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => Math.round(rng.normal() * 1e6) / 1e6));
  const y = X.map((r) => {
    const signal = r.reduce((s, v, j) => s + v * (j + 1), 0.5);
    return labels === 'sign'
      ? signal + rng.normal() > 0
        ? 1
        : -1
      : Math.round((signal + rng.studentT(2)) * 1e6) / 1e6;
  });
  return { X, y };
}

function objective(c: Case, s: Sample, beta: number[], fitIntercept: boolean, l1: number): number {
  const d = s.X[0].length;
  let total = 0;
  s.X.forEach((r, i) => {
    const f = r.reduce((acc, v, j) => acc + v * beta[j], fitIntercept ? beta[d] : 0);
    total += c.rho(s.y[i], f);
  });
  let pen = 0;
  for (let j = 0; j < d; j++) pen += Math.abs(beta[j]);
  return total / s.X.length + l1 * pen;
}

function* combinations(m: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= m - (k - prefix.length); i++) yield* combinations(m, k, i + 1, [...prefix, i]);
}

/** The smallest objective over every vertex of the arrangement of kink and zero-weight hyperplanes. */
function bruteForce(c: Case, s: Sample, fitIntercept: boolean, l1: number): number {
  const d = s.X[0].length;
  const p = d + (fitIntercept ? 1 : 0);
  const planes: Array<{ normal: number[]; offset: number }> = [];
  s.X.forEach((r, i) => {
    for (const f of c.kinkScores(s.y[i])) planes.push({ normal: fitIntercept ? [...r, 1] : [...r], offset: f });
  });
  if (l1 > 0)
    for (let j = 0; j < d; j++)
      planes.push({ normal: Array.from({ length: p }, (_, k) => (k === j ? 1 : 0)), offset: 0 });
  let best = Infinity;
  for (const chosen of combinations(planes.length, p)) {
    const A = chosen.map((k) => planes[k].normal);
    const b = chosen.map((k) => planes[k].offset);
    let beta: number[];
    try {
      beta = (lusolve(A, b) as number[][]).map((row) => row[0]);
    } catch {
      continue; // singular: these hyperplanes do not meet in a single point
    }
    if (!beta.every(Number.isFinite)) continue;
    best = Math.min(best, objective(c, s, beta, fitIntercept, l1));
  }
  return best;
}

function expectCertified(s: Sample, fit: LinearFit): void {
  const report = checkOptimality(s.X, s.y, fit);
  expect(report.residual, `0 ∈ ∂F: residual ${report.residual}, scale ${report.scale}`).to.be.below(
    1e-10 * Math.max(report.scale, 1e-300) + 1e-15,
  );
}

describe('lp (exact piecewise-linear fits)', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('reaches the brute-force vertex optimum to 1e-10 relative, and certifies 0 ∈ ∂F', () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 1e6 }),
            fc.integer({ min: 1, max: 2 }),
            fc.boolean(),
            fc.constantFrom(0, 0.05),
            (seed, d, fitIntercept, l1) => {
              const n = c.loss === epsilonInsensitive(0.4) ? 6 : 7;
              const s = sample(seed, n, d, c.labels);
              const fit = fitLinear(s.X, s.y, { loss: c.loss, fitIntercept, l1 });
              expect(fit.solver).to.equal('lp');
              expect(fit.converged, fit.reason).to.equal(true);
              const want = bruteForce(c, s, fitIntercept, l1);
              const got = objective(c, s, [...fit.weights, fit.intercept], fitIntercept, l1);
              // Relative 1e-10, plus rounding of O(1) terms when the optimum is 0 (separable hinge).
              expect(Math.abs(got - want), `objective ${got} vs brute force ${want}`).to.be.at.most(
                1e-10 * want + 1e-14,
              );
              expect(Math.abs(fit.objective - got)).to.be.at.most(1e-12 * got + 1e-15);
              expectCertified(s, fit);
            },
          ),
          { numRuns: 25 },
        );
      });
    });
  }

  it('matches brute force on larger LAD problems (n = 12, d = 2: 220 vertices)', () => {
    const c = cases[0];
    for (const seed of [1, 2, 3]) {
      const s = sample(seed, 12, 2, 'real');
      const fit = fitLinear(s.X, s.y, { loss: c.loss });
      const want = bruteForce(c, s, true, 0);
      expect(Math.abs(fit.objective - want)).to.be.at.most(1e-12 * want);
      expect(fit.unique).to.equal(true);
    }
  });

  it('says when the minimiser is not unique: the 1-D location problem with an even sample', () => {
    const ones = [[1], [1], [1], [1]];
    const fit = fitLinear(ones, [1, 2, 6, 10], { loss: losses.l1, fitIntercept: false });
    expect(fit.unique).to.equal(false);
    expect(fit.weights[0]).to.be.within(2, 6);
    expect(fit.objective).to.be.closeTo(13 / 4, 1e-14);
    const odd = fitLinear([[1], [1], [1]], [1, 2, 6], { loss: losses.l1, fitIntercept: false });
    expect(odd.unique).to.equal(true);
    expect(odd.weights[0]).to.be.closeTo(2, 1e-14);
    const median = fitLinear([[0], [0], [0], [0]], [1, 2, 6, 10], { loss: losses.l1 });
    expect(median.intercept).to.be.within(2, 6);
    expect(median.unique).to.equal(false);
  });

  it('objective 0: unique for an exactly linear y, not unique inside a wide tube or for one class under hinge', () => {
    const X = [
      [0, 1],
      [1, 0],
      [2, 2],
      [3, -1],
      [4, 0.5],
    ];
    const exact = fitLinear(
      X,
      X.map(([a, b]) => 1 + 2 * a - b),
      { loss: losses.l1 },
    );
    expect(exact.objective).to.equal(0);
    expect(exact.unique).to.equal(true);
    expect(exact.weights[0]).to.be.closeTo(2, 1e-12);
    const tube = fitLinear(X, [1, 2, 3, 2, 1], { loss: epsilonInsensitive(10) });
    expect(tube.objective).to.equal(0);
    expect(tube.unique).to.equal(false);
    for (const l1 of [0, 0.1]) {
      const oneClass = fitLinear(X, [1, 1, 1, 1, 1], { loss: losses.hinge, l1 });
      expect(oneClass.objective).to.equal(0);
      expect(oneClass.unique, `l1 = ${l1}`).to.equal(false);
    }
  });

  it('says when the minimiser is not unique: a duplicated column', () => {
    const s = sample(5, 15, 1, 'real');
    const X = s.X.map((r) => [r[0], r[0]]);
    const fit = fitLinear(X, s.y, { loss: losses.l1 });
    expect(fit.unique).to.equal(false);
    const single = fitLinear(s.X, s.y, { loss: losses.l1 });
    expect(fit.objective).to.be.closeTo(single.objective, 1e-12 * single.objective);
    expect(fit.weights[0] + fit.weights[1]).to.be.closeTo(single.weights[0], 1e-9);
  });

  it('gives exact zeros under a large l1 penalty, with |∂ⱼ loss| <= l1 at each', () => {
    const s = sample(6, 40, 3, 'real');
    const fit = fitLinear(s.X, s.y, { loss: losses.l1, l1: 10 });
    expect(Array.from(fit.weights)).to.deep.equal([0, 0, 0]);
    expectCertified(s, fit);
    // All weights zero: b is any median of y, and with 40 values the medians form an interval.
    expect(fit.unique).to.equal(false);
    const sparse = fitLinear(s.X, s.y, { loss: losses.l1, l1: 0.5 });
    expect(Array.from(sparse.weights).filter((w) => w === 0).length).to.equal(1);
    expectCertified(s, sparse);
  });

  it('hinge without penalty on separable data: objective 0, margins >= 1, not unique', () => {
    const data = makeClassification({ n: 200, seed: 2, separation: 12 });
    const fit = fitLinear(data.X, data.y, { loss: losses.hinge });
    expect(fit.objective).to.equal(0);
    expect(fit.unique).to.equal(false);
    const margins = fit.predict(data.X).map((f, i) => f * data.y[i]);
    expect(Math.min(...margins)).to.be.at.least(1 - 1e-12);
  });

  it('stops at maxIter with converged: false, a reason, and finite parameters', () => {
    const s = sample(7, 200, 3, 'real');
    const fit = fitLinear(s.X, s.y, { loss: losses.l1, maxIter: 2 });
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('maxIterations');
    expect(Array.from(fit.weights).every(Number.isFinite)).to.equal(true);
    expect(fit.history.length).to.equal(3);
  });

  it('reports every iteration to onIteration: a shrinking duality gap, and the objective of the iterate it hands over', () => {
    const s = sample(8, 300, 2, 'real');
    const c = cases[2];
    const seen: number[] = [];
    const fit = fitLinear(s.X, s.y, {
      loss: quantile(0.9),
      onIteration: (st) => {
        seen.push(st.optimality ?? Number.NaN);
        const w = st.weights ?? [];
        expect(st.objective).to.be.closeTo(
          objective(c, s, [...w, st.intercept ?? Number.NaN], true, 0),
          1e-12 * st.objective,
        );
      },
    });
    expect(seen.length).to.equal(fit.history.length);
    expect(seen[seen.length - 1]).to.be.below(1e-9);
    expect(seen[seen.length - 1]).to.be.below(seen[0]);
  });

  it('is invariant to the units of x and y (rescaled data, rescaled answer)', () => {
    const s = sample(9, 50, 2, 'real');
    const base = fitLinear(s.X, s.y, { loss: losses.l1 });
    const X = s.X.map((r) => [r[0] * 1e6, r[1] * 1e-6]);
    const y = s.y.map((v) => v * 1e3 + 1e9);
    const scaled = fitLinear(X, y, { loss: losses.l1 });
    expect(scaled.weights[0]).to.be.closeTo(
      (base.weights[0] * 1e3) / 1e6,
      1e-9 * Math.abs((base.weights[0] * 1e3) / 1e6),
    );
    expect(scaled.weights[1]).to.be.closeTo(
      (base.weights[1] * 1e3) / 1e-6,
      1e-9 * Math.abs((base.weights[1] * 1e3) / 1e-6),
    );
    expect(scaled.objective).to.be.closeTo(base.objective * 1e3, 1e-9 * base.objective * 1e3);
  });
});

describe('lp: the word "exact" is earned', () => {
  // One residual of 1e6 makes the objective ~1e4, so the default relative gap leaves room for a
  // neighbouring vertex: the reason must say so instead of calling it the optimum.
  const data = makeRegression({ n: 100, d: 1, seed: 7, weights: [2], intercept: 1 });
  const y = Float64Array.from(data.y);
  y[0] += 1e6;

  it('calls a vertex optimal only when 0 ∈ ∂F there, and says when a smaller tol would find the optimum', () => {
    const loose = fitLinear(data.X, y, { loss: losses.l1 });
    const tight = fitLinear(data.X, y, { loss: losses.l1, tol: 1e-14 });
    expect(tight.reason).to.match(/exact optimal vertex/);
    expect(checkOptimality(data.X, y, tight).residual).to.be.below(1e-12);
    if (/exact optimal vertex/.test(loose.reason)) {
      expect(checkOptimality(data.X, y, loose).residual).to.be.below(1e-12);
    } else {
      expect(loose.reason).to.match(/not certified optimal/);
      expect(checkOptimality(data.X, y, loose).residual).to.be.above(1e-6);
      expect(Math.abs(loose.weights[0] - tight.weights[0])).to.be.above(1e-8);
    }
  });
});

describe('lp: an interpolating fit (objective at rounding level) is known not to be unique', () => {
  // More features than rows: LAD interpolates and the minimisers form an affine set of
  // dimension 61, so `unique` must be false. On these seeds the objective the interior point
  // reaches (~1e-16) and the optimal face's (~1e-16) differed by rounding alone, and the
  // relative comparison rejected the face and left `unique` undefined.
  const weights = new Float64Array(120);
  weights.set([3, -2, 1.5]);
  for (const seed of [1410, 1413, 1429]) {
    it(`60 rows, 120 features, seed ${seed}: unique is false and every residual is at rounding level`, () => {
      const data = makeRegression({ n: 60, d: 120, seed, weights, intercept: 1, noiseScale: 1 });
      const fit = fitLinear(data.X, data.y, { loss: losses.l1, solver: 'lp' });
      expect(fit.converged).to.equal(true);
      expect(fit.unique).to.equal(false);
      expect(fit.objective).to.be.below(1e-12);
    });
  }
});

describe('lp with an l1 penalty: exact zeros', () => {
  it('leaves no weight at rounding level (1e-13 … 1e-21 beside weights of 1e-3): each is exactly 0, and certified so', () => {
    // Features in units from 1e-3 to 1e3; with l1 = 0.001 the hinge fits of this seeded set
    // ended with weights like 2.3e-18 and 3.8e-13 where 0 is optimal, and interior iterates
    // stranded at the rounding of their bounds. Each loss's labels are drawn in turn, as drawn
    // when those cases were found.
    const rng = createRng(1);
    let fits = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = 5 + rng.integer(40);
      const d = 1 + rng.integer(5);
      const units = Array.from({ length: d }, () => 10 ** (rng.integer(7) - 3));
      const X = Array.from({ length: n }, () => Array.from({ length: d }, (_, j) => rng.normal() * units[j]));
      for (const kind of ['real', 'sign', 'real', 'real'] as const) {
        const y = X.map((row) => {
          const z = row.reduce((s, v, j) => s + v / units[j], 0) + rng.normal();
          return kind === 'sign' ? (z > 0 ? 1 : -1) : z;
        });
        if (kind !== 'sign') continue;
        for (const fitIntercept of [true, false]) {
          const fit = fitLinear(X, y, { loss: losses.hinge, l1: 0.001, fitIntercept });
          fits++;
          const largest = Math.max(...Array.from(fit.weights, Math.abs));
          const what = `trial ${trial}, fitIntercept ${fitIntercept}: ${Array.from(fit.weights)} (${fit.reason})`;
          for (const w of fit.weights) expect(w === 0 || Math.abs(w) >= 1e-9 * largest, what).to.equal(true);
          if (fit.weights.some((w) => w === 0) && fit.converged) {
            const report = checkOptimality(X, y, { ...fit, fitIntercept });
            expect(report.residual, what).to.be.at.most(1e-9 * report.scale);
          }
        }
      }
    }
    expect(fits).to.equal(800);
  });
});
