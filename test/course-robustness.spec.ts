/**
 * The experiment code of chapters 05 (robustness.ts) and 09 (quantiles.ts), each part against a
 * second computation: the claims' statistics against small runs of the experiments, the
 * exponent against errors with a known power law, the noise laws' theory against distribution
 * functions differentiated numerically, the Laplace draws against their tail, and the theory of
 * chapter 09 against numerical integration.
 */
import { expect } from 'chai';
import { claims, normalCdf, normalQuantile, proportionInterval, studentTCdf } from '../src/course/index';
import {
  distanceExponent,
  makeEfficiency,
  makeOutlierDistance,
  noiseLaws,
  noisyLine,
} from '../src/course/chapters/robustness';
import {
  exponentialPinballRisk,
  heteroscedasticLine,
  huberEfficiencyAtNormal,
  huberShiftUnderContamination,
  medianShiftUnderContamination,
  trueQuantileLine,
} from '../src/course/chapters/quantiles';

/** The statistics the claims of an experiment read, as written in robustness.claims.ts. */
function statisticsRead(experimentId: string): string[] {
  const keys = claims
    .filter((c) => c.experiment === experimentId)
    .flatMap((c) => c.readings)
    .flatMap((r) => r.conditions.map((cond) => cond.statistic));
  return [...new Set(keys)].sort();
}

/** ∫ g over [a, b] by the midpoint rule with `steps` steps. */
function integrate(g: (t: number) => number, a: number, b: number, steps = 200_000): number {
  const h = (b - a) / steps;
  let s = 0;
  for (let k = 0; k < steps; k++) s += g(a + (k + 0.5) * h);
  return s * h;
}

const phi = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

describe('course chapter 05: robustness experiments', function () {
  this.timeout(120_000);

  describe('the experiments that decide claims measure exactly what the claims read', () => {
    // Small runs; 30 samples keep every bootstrap resample's interquartile range above 0.
    for (const make of [() => makeOutlierDistance(6), () => makeEfficiency(30)]) {
      const experiment = make();
      it(`${experiment.id}: the statistics, each an interval around its estimate`, () => {
        const { measurements } = experiment.run();
        expect(Object.keys(measurements).sort()).to.deep.equal(statisticsRead(experiment.id));
        for (const m of Object.values(measurements)) {
          expect(m.lower <= m.estimate && m.estimate <= m.upper, m.label).to.equal(true);
          expect(m.label.length).to.be.greaterThan(10);
        }
      });
    }
  });

  describe('distanceExponent', () => {
    const logD = [1, 2, 3, 4];
    const errorsFor = (power: number) =>
      logD.map((l) => Float64Array.from({ length: 12 }, (_, r) => (1 + r) * 10 ** (power * l)));
    it('recovers the power of errors that follow D^p exactly, with a degenerate interval', () => {
      for (const p of [0.5, 1]) {
        const e = distanceExponent(logD, errorsFor(p), 3);
        // Logs of exact powers of ten up to 1e4 carry a few ulps; the slope sums four of them.
        expect(e.estimate).to.be.closeTo(p, 1e-13);
        expect(e.upper - e.lower).to.be.below(1e-12);
      }
    });
    it('gives exactly 0 when the medians do not change with the distance', () => {
      const e = distanceExponent(logD, errorsFor(0), 3);
      expect([e.lower, e.estimate, e.upper]).to.deep.equal([0, 0, 0]);
    });
  });

  describe('the noise laws', () => {
    it('have the theory ratio Var(ε)·4f(0)², with f(0) from the distribution function differentiated numerically', () => {
      const byId = new Map(noiseLaws.map((law) => [law.id, law]));
      expect(byId.get('gaussian')!.theory).to.be.closeTo(2 / Math.PI, 1e-15);
      expect(byId.get('laplace')!.theory).to.equal(2);
      for (const df of [3, 5, 10]) {
        // Central difference of the t distribution function: error h²f‴(0)/6 ≈ 1e-9 with h = 1e-4,
        // plus 1e-9 relative from the incomplete beta function over 2h.
        const h = 1e-4;
        const density = (studentTCdf(h, df) - studentTCdf(-h, df)) / (2 * h);
        expect(byId.get(`t${df}`)!.theory, `t${df}`).to.be.closeTo((df / (df - 2)) * 4 * density ** 2, 1e-4);
      }
      expect(byId.get('t2')!.theory).to.equal(Infinity);
      expect(byId.get('cauchy')!.theory).to.equal(Infinity);
    });
    it("take f(0) of the t laws from its closed forms to the last bits (mathjs's log-gamma left 1e-12)", () => {
      // f(0) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)): 2/(π√3), 8/(3π√5) and 945/(768√10) for ν = 3, 5, 10.
      const exact: Array<[number, number]> = [
        [3, 2 / (Math.PI * Math.sqrt(3))],
        [5, 8 / (3 * Math.PI * Math.sqrt(5))],
        [10, 945 / (768 * Math.sqrt(10))],
      ];
      const byId = new Map(noiseLaws.map((law) => [law.id, law]));
      for (const [df, density] of exact) {
        const theory = (df / (df - 2)) * 4 * density ** 2;
        expect(Math.abs(byId.get(`t${df}`)!.theory - theory) / theory, `t${df}`).to.be.below(1e-14);
      }
    });
    it('share the design across laws, and the Laplace draws have the Laplace tail P(|ε| > t) = e^{−t}', () => {
      const laplace = noiseLaws.find((law) => law.id === 'laplace')!;
      const gaussian = noiseLaws.find((law) => law.id === 'gaussian')!;
      expect(Array.from(noisyLine(laplace, 7).X.data)).to.deep.equal(Array.from(noisyLine(gaussian, 7).X.data));
      let beyond1 = 0;
      let beyond3 = 0;
      let total = 0;
      for (let r = 0; r < 100; r++) {
        const data = noisyLine(laplace, r);
        for (let i = 0; i < data.y.length; i++) {
          const e = Math.abs(data.y[i] - 2 * data.X.data[i] - 1);
          if (e > 1) beyond1++;
          if (e > 3) beyond3++;
          total++;
        }
      }
      // 10 000 independent draws: the 99.9% Wilson intervals must contain e^{−1} and e^{−3}.
      for (const [k, p] of [
        [beyond1, Math.exp(-1)],
        [beyond3, Math.exp(-3)],
      ] as const) {
        const ci = proportionInterval(k, total, 0.999);
        expect(ci.lower <= p && p <= ci.upper, `${k} of ${total} against ${p}`).to.equal(true);
      }
    });
  });
});

describe('course chapter 09: theory behind the quantile and Huber experiments', () => {
  it('the pinball risk of a constant under Exp(1) matches numerical integration, and is smallest at −ln(1 − τ)', () => {
    for (const tau of [0.1, 0.5, 0.9]) {
      for (const c of [0, 0.4, 2.5]) {
        const byQuadrature = integrate((y) => Math.max(tau * (y - c), (tau - 1) * (y - c)) * Math.exp(-y), 0, 60);
        // Midpoint rule, step 3e-4: error below 1e-8 here (the kink at y = c adds O(h²)).
        expect(exponentialPinballRisk(tau, c), `τ = ${tau}, c = ${c}`).to.be.closeTo(byQuadrature, 1e-7);
      }
      const q = -Math.log(1 - tau);
      expect(exponentialPinballRisk(tau, q)).to.be.below(exponentialPinballRisk(tau, q - 1e-3));
      expect(exponentialPinballRisk(tau, q)).to.be.below(exponentialPinballRisk(tau, q + 1e-3));
    }
  });

  it('the heteroscedastic data put a share τ of the points below the true τ-quantile line', () => {
    const data = heteroscedasticLine(20_000, 4);
    for (const tau of [0.05, 0.5, 0.95]) {
      const [w, b] = trueQuantileLine(tau);
      let below = 0;
      for (let i = 0; i < data.y.length; i++) if (data.y[i] <= w * data.X.data[i] + b) below++;
      const ci = proportionInterval(below, data.y.length, 0.999);
      expect(ci.lower <= tau && tau <= ci.upper, `τ = ${tau}: ${below} below`).to.equal(true);
    }
  });

  it("Huber's efficiency at the normal matches numerical integration, with 0.95 at δ = 1.345 and the limits 2/π and 1", () => {
    for (const delta of [0.3, 1, 1.345, 2.5]) {
      const inside = integrate(phi, -delta, delta, 100_000);
      const second = integrate((z) => Math.min(z * z, delta * delta) * phi(z), -12, 12, 400_000);
      expect(huberEfficiencyAtNormal(delta), `δ = ${delta}`).to.be.closeTo((inside * inside) / second, 1e-8);
    }
    expect(huberEfficiencyAtNormal(1.345)).to.be.closeTo(0.95, 0.001);
    expect(huberEfficiencyAtNormal(1e-4)).to.be.closeTo(2 / Math.PI, 1e-4);
    expect(huberEfficiencyAtNormal(8)).to.be.closeTo(1, 1e-12);
  });

  it('the contaminated shifts solve their balance equations, computed here by quadrature', () => {
    const clip = (r: number, delta: number) => Math.max(-delta, Math.min(delta, r));
    for (const delta of [0.25, 1.345, 3]) {
      const b = huberShiftUnderContamination(delta, 0.1, 10);
      const pull =
        0.9 * integrate((z) => clip(z - b, delta) * phi(z), -12, 12) +
        0.1 * integrate((z) => clip(10 + Math.SQRT2 * z - b, delta) * phi(z), -12, 12);
      expect(Math.abs(pull), `δ = ${delta}`).to.be.below(1e-8);
    }
    expect(huberShiftUnderContamination(Infinity, 0.1, 10)).to.equal(1);
    const median = medianShiftUnderContamination(0.1, 10);
    // Bisection stops at a bracket of 1e-12 × 10; the mixture's density is below 0.4, so the
    // equation holds to 4e-12 plus the rounding of Φ.
    expect(0.9 * normalCdf(median) + 0.1 * normalCdf((median - 10) / Math.SQRT2)).to.be.closeTo(0.5, 1e-11);
    // Outliers 1000 away lie entirely above: the shift is the clean 1/(2(1 − α))-quantile.
    expect(medianShiftUnderContamination(0.3, 1000)).to.be.closeTo(normalQuantile(1 / 1.4), 1e-9);
    // A tiny δ makes Huber's balance the median's.
    expect(huberShiftUnderContamination(1e-6, 0.1, 10)).to.be.closeTo(median, 1e-5);
  });
});
