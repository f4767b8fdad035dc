/**
 * Chapter 11's code: label flipping against its rate, the construction's accuracy and exact
 * population risk against hand computations, the exact 0–1 search against a fine scan of
 * directions, the symmetric ramp's identity and its minimum under noise, and bad input.
 */
import { expect } from 'chai';
import { createRng, losses, LossInputError, risk } from '../src/index';
import {
  constructionAccuracy,
  constructionFigure,
  flipLabels,
  gammaFigure,
  longServedioPoints,
  noisyPopulation,
  rampFit,
  rateFigure,
  symmetricNoiseFigure,
  symmetricRamp,
  zeroOneDirection,
} from '../src/course/index';

describe('course chapter 11: label noise', () => {
  it('flipLabels flips each label with the given probability, and only flips', () => {
    const y = Float64Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? -1 : 1));
    expect(flipLabels(y, 0, 1).flipped).to.equal(0);
    const noisy = flipLabels(y, 0.3, 2);
    let changed = 0;
    for (let i = 0; i < y.length; i++) {
      expect(Math.abs(noisy.y[i])).to.equal(1);
      if (noisy.y[i] !== y[i]) changed++;
    }
    expect(changed).to.equal(noisy.flipped);
    // Four standard errors of a proportion of 40 000.
    expect(Math.abs(changed / y.length - 0.3)).to.be.below(4 * Math.sqrt((0.3 * 0.7) / y.length));
  });

  it('the construction: sign(x₁) is right on all the mass, and a = (1, 3.8) loses the penalizer', () => {
    const points = longServedioPoints(0.05);
    expect(points.reduce((s, p) => s + p.mass, 0)).to.equal(1);
    expect(constructionAccuracy(0.05, [1, 0])).to.equal(1);
    // Large margin 1 > 0 and puller 0.05 + 0.95 > 0 are right; penalizer 0.05 − 0.19 < 0 is wrong.
    expect(constructionAccuracy(0.05, [1, 3.8])).to.equal(0.5);
    expect(constructionAccuracy(0.05, [-1, 0])).to.equal(0);
  });

  it('noisyPopulation is the noisy distribution exactly: its mean loss is Σ mass·((1 − ρ)φ(a·x) + ρφ(−a·x))', () => {
    const rng = createRng(3);
    for (const k of [0, 1, 4, 9]) {
      const data = noisyPopulation(0.05, k);
      expect(data.X.rows).to.equal(80);
      for (let trial = 0; trial < 10; trial++) {
        const a = [rng.uniform(-5, 5), rng.uniform(-5, 5)];
        const f = Float64Array.from(
          { length: 80 },
          (_, i) => a[0] * data.X.data[2 * i] + a[1] * data.X.data[2 * i + 1],
        );
        for (const loss of [losses.logistic, losses.hinge, losses.exponential]) {
          const byHand = longServedioPoints(0.05).reduce((s, p) => {
            const m = a[0] * p.x[0] + a[1] * p.x[1];
            return s + p.mass * ((1 - k / 20) * loss.value(1, m) + (k / 20) * loss.value(-1, m));
          }, 0);
          expect(risk(loss, data.y, f)).to.be.closeTo(byHand, 1e-12 * (1 + byHand));
        }
      }
    }
  });

  it('zeroOneDirection finds the smallest 0–1 risk that a scan of 36 000 directions finds', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 5; trial++) {
      const n = 30;
      const data = Float64Array.from({ length: 2 * n }, () => rng.normal());
      const y = Float64Array.from({ length: n }, (_, i) =>
        data[2 * i] + 0.5 * data[2 * i + 1] + 0.8 * rng.normal() > 0 ? 1 : -1,
      );
      const X = { rows: n, cols: 2, data };
      let scan = Infinity;
      for (let k = 0; k < 36_000; k++) {
        const [c, s] = [Math.cos((2 * Math.PI * k) / 36_000), Math.sin((2 * Math.PI * k) / 36_000)];
        let wrong = 0;
        for (let i = 0; i < n; i++) if (y[i] * (c * data[2 * i] + s * data[2 * i + 1]) <= 0) wrong++;
        scan = Math.min(scan, wrong / n);
      }
      const found = zeroOneDirection(X, y);
      // Exact search is never worse than the scan, and the scan samples every arc wider than 2π/36 000.
      expect(found.risk).to.be.at.most(scan);
      expect(found.risk).to.be.at.least(scan - 1 / n);
    }
  });

  it('the symmetric ramp: r(m) + r(−m) = 1, so under flip rate ρ its smallest risk on the construction is ρ', () => {
    for (const m of [-3, -1, -0.4, 0, 0.25, 1, 7])
      expect(symmetricRamp.value(1, m) + symmetricRamp.value(1, -m)).to.equal(1);
    expect(symmetricRamp.value(1, 0.5)).to.equal(0.25);
    expect(symmetricRamp.value(-1, 0.5)).to.equal(0.75);
    for (const k of [2, 6]) {
      const data = noisyPopulation(0.05, k);
      const fit = rampFit(data.X, data.y);
      // Each noisy copy costs 1 and each clean one 0 once every margin is at least 1: the bound ρ is reached.
      expect(fit.risk).to.be.closeTo(k / 20, 1e-15);
      expect(constructionAccuracy(0.05, fit.a)).to.equal(1);
    }
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => flipLabels([1, -1], 0.5, 1),
      () => flipLabels([1, -1], -0.1, 1),
      () => flipLabels([1, 0], 0.1, 1),
      () => flipLabels([1, -1], 0.1, 1.5),
      () => longServedioPoints(0),
      () => longServedioPoints(2),
      () => constructionAccuracy(0.05, [1]),
      () => constructionAccuracy(0.05, [NaN, 1]),
      () => noisyPopulation(0.05, 10),
      () => noisyPopulation(0.05, 1.5),
      () => zeroOneDirection({ rows: 2, cols: 3, data: new Float64Array(6) }, [1, 1]),
      () => rampFit({ rows: 2, cols: 2, data: new Float64Array(4) }, [1]),
      () => symmetricNoiseFigure({} as never),
      () => constructionFigure(null as never),
      () => rateFigure({} as never),
      () => gammaFigure({ byRate: {}, byGamma: { gammas: [], rates: [0.1], accuracy: [] } } as never, 3),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
