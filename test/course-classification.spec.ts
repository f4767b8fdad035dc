/**
 * Chapter 04's experiment code, checked by second methods on small cases: the exact risks of
 * linear rules against quadrature of the textbook densities and against simulation, the
 * enumerated maximum margin against a search over directions, the derivative-jump measure on
 * a smooth and a kinked loss, and the refusal of bad arguments by the exported helpers.
 */
import { expect } from 'chai';
import { LossInputError, losses } from '../src/index';
import { normalCdf, normalPdf } from '../src/course/stats';
import {
  derivativeJump,
  excessRiskFigure,
  geometricMargin,
  maximumMargin,
  psiBound,
  psiTransform,
  rateRows,
  ratesConvergenceFigure,
  separableSet,
  tooCorrectFigure,
  worstCell,
  type RateCell,
} from '../src/course/chapters/classification';
import {
  gaussianClasses,
  linearRisk,
  linearZeroOneRisk,
  lowNoiseClasses,
  marginCdf,
  marginLossRisk,
} from '../src/course/chapters/marginRisk';
import {
  calibrationForms,
  comparisonFigure,
  conditionalRisk,
  conditionalRiskFigure,
  convexEnvelope,
  lateHingeLoss,
  minimiseConvex,
  minimiserFigure,
  perceptronLoss,
  psiFigure,
} from '../src/course/chapters/calibrationTheory';
import { optimalConstant } from '../src/index';

/** Composite Simpson on [lo, hi] with a fine fixed step: the plain textbook integral, no cuts, no layer-cake form. */
function integrate(g: (t: number) => number, lo: number, hi: number, intervals = 200000): number {
  const h = (hi - lo) / intervals;
  let s = g(lo) + g(hi);
  for (let k = 1; k < intervals; k++) s += (k % 2 === 1 ? 4 : 2) * g(lo + k * h);
  return (s * h) / 3;
}

describe('course chapter 04: exact risks of linear rules', () => {
  it('the margin distribution function is Φ for a Gaussian margin and the convolution integral for an exponentially modified one', () => {
    expect(marginCdf({ centre: 1, expScale: 0, sd: 2 }, 0)).to.be.closeTo(normalCdf(-0.5), 1e-15);
    for (const [a, s, v] of [
      [1, 0.5, 0.3],
      [2, 0.05, -0.01],
      [0.5, 3, 1],
      [1, 0.01, 0.02],
    ]) {
      // P(aE + sZ ≤ v) = ∫ e^{−e} Φ((v − a e)/s) de over e ≥ 0.
      const byConvolution = integrate((e) => Math.exp(-e) * normalCdf((v - a * e) / s), 0, 60);
      expect(marginCdf({ centre: 0, expScale: a, sd: s }, v), `a=${a}, s=${s}, v=${v}`).to.be.closeTo(
        byConvolution,
        1e-9,
      );
      // The mirrored law: P(−aE + sZ ≤ −v) = 1 − P(aE + sZ ≤ v).
      expect(marginCdf({ centre: 0, expScale: -a, sd: s }, -v)).to.be.closeTo(1 - byConvolution, 1e-9);
    }
    expect(marginCdf({ centre: 0.5, expScale: 2, sd: 0 }, 1.5)).to.be.closeTo(1 - Math.exp(-0.5), 1e-15);
    expect(marginCdf({ centre: 0.5, expScale: 2, sd: 0 }, 0.4)).to.equal(0);
  });

  it("the hinge risk of a Gaussian margin is (1−μ)Φ((1−μ)/s) + s φ((1−μ)/s), and of an exponential one (1−μ) − a(1 − e^{−(1−μ)/a}), to 1e-9 (the error of Simpson's rule with 64 steps per unit of scale)", () => {
    for (const [mu, s] of [
      [0.3, 1],
      [2, 0.7],
      [-1, 3],
      [0.9, 0.01],
    ]) {
      const c = 1 - mu;
      expect(marginLossRisk(losses.hinge, { centre: mu, expScale: 0, sd: s }), `μ=${mu}, s=${s}`).to.be.closeTo(
        c * normalCdf(c / s) + s * normalPdf(c / s),
        1e-9,
      );
    }
    for (const [mu, a] of [
      [0.2, 1],
      [-0.5, 3],
      [0.9, 0.05],
    ]) {
      const c = 1 - mu;
      expect(marginLossRisk(losses.hinge, { centre: mu, expScale: a, sd: 0 }), `μ=${mu}, a=${a}`).to.be.closeTo(
        c - a * (1 - Math.exp(-c / a)),
        1e-9,
      );
    }
  });

  it('the logistic risk agrees with the integral of the loss against the margin density, to 1e-9', () => {
    for (const [mu, s] of [
      [0.5, 1],
      [3, 4],
      [-1, 0.2],
    ]) {
      const direct = integrate(
        (m) => (losses.logistic.value(1, m) * normalPdf((m - mu) / s)) / s,
        mu - 14 * s,
        mu + 14 * s,
      );
      expect(marginLossRisk(losses.logistic, { centre: mu, expScale: 0, sd: s }), `μ=${mu}, s=${s}`).to.be.closeTo(
        direct,
        1e-9,
      );
    }
    // Exponential plus Gaussian: the density is ∫ e^{−e} φ((m − μ − a e)/s)/s de; integrate over e and m together as E_e E_Z.
    const [mu, a, s] = [0.2, 1.5, 0.3];
    const inner = (e: number) =>
      integrate((z) => losses.logistic.value(1, mu + a * e + s * z) * normalPdf(z), -12, 12, 400);
    expect(marginLossRisk(losses.logistic, { centre: mu, expScale: a, sd: s })).to.be.closeTo(
      integrate((e) => Math.exp(-e) * inner(e), 0, 45, 4000),
      1e-9,
    );
  });

  it('exact 0–1 risks agree with simulation: within 4 standard errors on 400 000 draws of each distribution', () => {
    for (const classes of [gaussianClasses, lowNoiseClasses]) {
      const w = [1.3, -0.6];
      const b = 0.25;
      const data = classes.sample(400000, 12345);
      let wrong = 0;
      for (let i = 0; i < data.y.length; i++)
        if (data.y[i] * (w[0] * data.X.data[2 * i] + w[1] * data.X.data[2 * i + 1] + b) <= 0) wrong++;
      const exact = linearZeroOneRisk(classes, w, b);
      const se = Math.sqrt((exact * (1 - exact)) / data.y.length);
      expect(Math.abs(wrong / data.y.length - exact), classes.id).to.be.below(4 * se);
    }
  });

  it("the deterministic-label sample has y = sign(x₁), and the Gaussian classes' best logistic risk is that of the log-odds line", () => {
    const data = lowNoiseClasses.sample(1000, 3);
    for (let i = 0; i < 1000; i++) expect(Math.sign(data.X.data[2 * i])).to.equal(data.y[i]);
    // Any other line has a larger logistic risk than w = 2μ, b = 0.
    const best = gaussianClasses.bayesSurrogateRisk(losses.logistic);
    for (const [w0, w1, b] of [
      [2.4, 0, 0],
      [2.6, 0.1, 0],
      [2.5, 0, 0.05],
    ])
      expect(linearRisk(gaussianClasses, losses.logistic, [w0, w1], b)).to.be.above(best);
  });

  it('refuses laws, losses and rules it cannot handle', () => {
    expect(() => marginCdf({ centre: 0, expScale: 1, sd: -1 }, 0)).to.throw(LossInputError);
    expect(() => marginCdf({ centre: NaN, expScale: 1, sd: 1 }, 0)).to.throw(LossInputError);
    expect(() => marginLossRisk(losses.square, { centre: 0, expScale: 0, sd: 1 })).to.throw(LossInputError);
    expect(() => linearZeroOneRisk(gaussianClasses, [1], 0)).to.throw(LossInputError);
    expect(() => lowNoiseClasses.sample(0, 1)).to.throw(LossInputError);
  });
});

describe('course chapter 04: the maximum margin by enumeration', () => {
  it('finds the margin of a hand-made set whose optimum needs a triple', () => {
    // Positives (0, 1) and (2, 1), negative (1, −1): the best line is y = 0 (margin 1), not the bisector of a pair.
    const X = { rows: 3, cols: 2, data: Float64Array.of(0, 1, 2, 1, 1, -1) };
    const y = Float64Array.of(1, 1, -1);
    expect(maximumMargin(X, y).margin).to.be.closeTo(1, 1e-15);
  });

  it('agrees with a search over directions on seeded separable sets', () => {
    for (const seed of [700, 701, 702]) {
      const { X, y } = separableSet(seed);
      // For a unit direction u the best offset gives margin (min over positives of u·x − max over negatives of u·x)/2.
      const marginAlong = (angle: number) => {
        let lowPos = Infinity;
        let highNeg = -Infinity;
        for (let i = 0; i < X.rows; i++) {
          const p = Math.cos(angle) * X.data[2 * i] + Math.sin(angle) * X.data[2 * i + 1];
          if (y[i] > 0) lowPos = Math.min(lowPos, p);
          else highNeg = Math.max(highNeg, p);
        }
        return (lowPos - highNeg) / 2;
      };
      let best = -Infinity;
      let at = 0;
      for (let k = 0; k < 200000; k++) {
        const angle = (2 * Math.PI * k) / 200000;
        const m = marginAlong(angle);
        if (m > best) [best, at] = [m, angle];
      }
      // Refine by golden-section search around the best grid angle (the margin is unimodal there).
      let [lo, hi] = [at - 1e-4, at + 1e-4];
      for (let k = 0; k < 100; k++) {
        const a = hi - 0.618 * (hi - lo);
        const b = lo + 0.618 * (hi - lo);
        if (marginAlong(a) < marginAlong(b)) lo = a;
        else hi = b;
      }
      best = Math.max(best, marginAlong((lo + hi) / 2));
      const exact = maximumMargin(X, y);
      expect(exact.margin, `seed ${seed}`).to.be.closeTo(best, 1e-12);
      expect(geometricMargin(X, y, exact.w, exact.b)).to.equal(exact.margin);
      expect(exact.margin).to.be.at.least(0.25 - 1e-12);
    }
  });
});

describe('course chapter 04: the derivative-jump measure and the ψ-transforms', () => {
  it('reports no jump for the square and logistic losses and a kink-sized one for the hinge', () => {
    expect(derivativeJump(losses.square).largest).to.be.below(1);
    expect(derivativeJump(losses.logistic).largest).to.be.below(1);
    const hinge = derivativeJump(losses.hinge);
    expect(hinge.largest).to.be.above(1e14);
    expect(Math.abs(hinge.where)).to.equal(1);
  });

  it('ψ is |θ| for the hinge and the base-2 entropy gap for the logistic, and psiBound inverts it', () => {
    expect(psiTransform(losses.hinge, -0.3)).to.equal(0.3);
    // ψ(θ) = 1 − H₂((1 + θ)/2), H₂ the binary entropy in bits.
    const entropy = (p: number) => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
    for (const t of [0.1, 0.5, 0.9])
      expect(psiTransform(losses.logistic, t)).to.be.closeTo(1 - entropy((1 + t) / 2), 1e-15);
    for (const v of [1e-6, 0.01, 0.3])
      expect(psiTransform(losses.logistic, psiBound(losses.logistic, v))).to.be.closeTo(v, 1e-14);
    expect(psiBound(losses.logistic, 2)).to.equal(1);
    expect(() => psiTransform(losses.square, 0.5)).to.throw(LossInputError);
  });
});

describe('course chapter 04: summaries and helpers', () => {
  const cell = (n: number, estimate: number): RateCell => ({
    n,
    excess: { hinge: Float64Array.of(1), logistic: Float64Array.of(1) },
    surrogateExcess: { hinge: Float64Array.of(0.1), logistic: Float64Array.of(0.1) },
    ratio: { estimate, lower: estimate / 2, upper: estimate * 2, level: 0.95, method: '' },
  });
  it('the deciding n is the one farthest from 1 on a log scale, either way', () => {
    expect(worstCell([cell(40, 1.3), cell(160, 0.7), cell(640, 1.1)]).n).to.equal(160);
    expect(worstCell([cell(40, 1.5), cell(160, 0.7)]).n).to.equal(40);
  });
  it('the figure and table helpers refuse anything but the results they show', () => {
    expect(() => tooCorrectFigure({} as never)).to.throw(LossInputError);
    expect(() => ratesConvergenceFigure(null as never)).to.throw(LossInputError);
    expect(() => excessRiskFigure({ statistical: {} } as never, 'other' as never)).to.throw(LossInputError);
    expect(() => rateRows('cells' as never)).to.throw(LossInputError);
    expect(rateRows([cell(40, 1.3)])[0][0]).to.equal(40);
  });
});

describe('course chapter 07: calibration theory', () => {
  it('the closed-form H(η) of every loss is the minimum of its conditional risk, found by optimalConstant on a sample with share η', () => {
    for (const form of calibrationForms) {
      for (const eta of [0.1, 0.35, 0.5, 0.9]) {
        const y = Float64Array.from({ length: 200 }, (_, i) => (i < 200 * eta ? 1 : -1));
        const best = optimalConstant(form.loss, y);
        // optimalConstant's risk is the mean loss over the sample, i.e. C_η at its minimiser: a sum of 200 terms of size ≤ 2.
        expect(best.risk, `${form.loss.id}, η = ${eta}`).to.be.closeTo(form.bayes(eta), 1e-12);
        expect(conditionalRisk(form.loss, eta, best.value)).to.be.closeTo(best.risk, 1e-12);
      }
    }
  });

  it('ψ of the exponential loss at θ = 0.6 is 1 − 0.8, and the slope test at 0 separates the calibrated losses', () => {
    const exponential = calibrationForms.find((f) => f.loss === losses.exponential)!;
    expect(exponential.psi(0.6)).to.be.closeTo(0.2, 1e-15);
    for (const form of calibrationForms) {
      const left = form.loss.derivative(1, -1e-9);
      const right = form.loss.derivative(1, 1e-9);
      const predicted = Math.abs(left - right) < 1e-6 && right < 0;
      expect(predicted, form.loss.id).to.equal(form.loss.properties.classificationCalibrated === true);
    }
  });

  it('golden-section search finds the minimum of a convex function, and the convex envelope of a hand-made curve', () => {
    const found = minimiseConvex((f) => (f - 0.3) ** 2 + 2, -40, 40);
    expect(found.value).to.equal(2);
    expect(found.at).to.be.closeTo(0.3, 1e-7);
    // Points (0,0), (1,2), (2,1), (3,3): (1,2) lies above the chord from (0,0) to (2,1), so the envelope there is 0.5.
    expect(convexEnvelope([0, 1, 2, 3], [0, 2, 1, 3])).to.deep.equal([0, 0.5, 1, 3]);
    expect(convexEnvelope([0, 1, 2], [0, 1, 4])).to.deep.equal([0, 1, 4]);
  });

  it('the non-calibrated losses have wrong-sign minimisers: every f in [−1, 1] for the moved hinge, only 0 for the perceptron', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 80 ? 1 : -1));
    expect(optimalConstant(lateHingeLoss, y).interval).to.deep.equal([-1, 1]);
    expect(optimalConstant(perceptronLoss, y).interval).to.deep.equal([0, 0]);
    expect(conditionalRisk(lateHingeLoss, 0.8, -0.7)).to.equal(0);
    expect(conditionalRisk(losses.hinge, 0.8, -0.7)).to.be.above(conditionalRisk(losses.hinge, 0.8, 1));
  });

  it('refuses bad arguments', () => {
    expect(() => conditionalRisk(losses.hinge, 1.5, 0)).to.throw(LossInputError);
    expect(() => conditionalRisk({} as never, 0.5, 0)).to.throw(LossInputError);
    expect(() => conditionalRiskFigure(0, [losses.hinge])).to.throw(LossInputError);
    expect(() => psiFigure({} as never)).to.throw(LossInputError);
    expect(() => minimiserFigure(null as never)).to.throw(LossInputError);
    expect(() => comparisonFigure({ perLoss: [] } as never, losses.hinge)).to.throw(LossInputError);
  });
});
