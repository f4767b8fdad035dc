/**
 * Chapter 10's code: the three-class Bayes accuracy against its limit and a seeded simulation,
 * the network's risk and example gradient against their definitions and central differences,
 * the polished minima against the derivative of the risk, the log–log slope against known
 * power laws and slopeInterval, the two claim experiments' measurements, and bad input.
 */
import { expect } from 'chai';
import { createRng, losses, LossInputError } from '../src/index';
import {
  classRegionsFigure,
  logLogSlope,
  networkData,
  networkExampleGradient,
  networkRisk,
  networkSegmentFigure,
  networksConvexity,
  networksSgd,
  networkSurfaceFigure,
  polishNetworkMinimum,
  sgdGapFigure,
  slopeInterval,
  softmaxFigure,
  threeClassBayesAccuracy,
  threeClasses,
} from '../src/course/index';

const ce = losses.crossEntropyWithLogits;

describe('course chapter 10: multi-class and networks', () => {
  it('threeClassBayesAccuracy: 1/3 for coinciding centres, and a seeded simulation of the nearest-centre rule', () => {
    // Radius → 0: a centred Gaussian falls in each 120° sector with probability 1/3; the
    // quadrature changes by O(radius) there.
    expect(threeClassBayesAccuracy(1e-9)).to.be.closeTo(1 / 3, 1e-8);
    const radius = 1.5;
    const { X, y } = threeClasses(200_000, 5, radius);
    let right = 0;
    for (let i = 0; i < y.length; i++) {
      const [a, b] = [X.data[2 * i], X.data[2 * i + 1]];
      const distances = [0, 1, 2].map((k) =>
        Math.hypot(a - radius * Math.cos((2 * Math.PI * k) / 3), b - radius * Math.sin((2 * Math.PI * k) / 3)),
      );
      if (distances.indexOf(Math.min(...distances)) === y[i]) right++;
    }
    const p = threeClassBayesAccuracy(radius);
    // Four standard errors of a proportion of 200 000.
    expect(Math.abs(right / y.length - p)).to.be.below(4 * Math.sqrt((p * (1 - p)) / y.length));
  });

  it('networkRisk is the mean cross-entropy of v·tanh(u·x), mirror-symmetric, and ln 2 on the axes', () => {
    const data = networkData(50, 3);
    const byHand =
      Array.from(data.x, (x, i) => ce.value(data.t[i], 1.3 * Math.tanh(-0.7 * x))).reduce((s, v) => s + v, 0) / 50;
    expect(networkRisk(data, -0.7, 1.3)).to.be.closeTo(byHand, 50 * 4 * Number.EPSILON);
    // tanh is odd in IEEE arithmetic as well, so the mirror image gives identical scores.
    for (const [u, v] of [
      [2, 3],
      [-0.4, 5],
      [1e-3, -7],
    ])
      expect(networkRisk(data, -u, -v)).to.equal(networkRisk(data, u, v));
    expect(networkRisk(data, 0, 4)).to.be.closeTo(Math.LN2, 1e-15);
    expect(networkRisk(data, 4, 0)).to.be.closeTo(Math.LN2, 1e-15);
  });

  it('networkExampleGradient matches central differences of the loss of one example', () => {
    const rng = createRng(8);
    const g = new Float64Array(2);
    for (let k = 0; k < 100; k++) {
      const [x, t, u, v] = [rng.normal(), rng.bernoulli(0.5), rng.uniform(-3, 3), rng.uniform(-4, 4)];
      networkExampleGradient(x, t, u, v, g);
      const loss = (a: number, b: number) => ce.value(t, b * Math.tanh(a * x));
      const h = 1e-6;
      // Truncation h² · (third derivative, below 50 here) plus rounding 4ε · 10 / h.
      const bound = 50 * h * h + (40 * Number.EPSILON) / h;
      expect(g[0]).to.be.closeTo((loss(u + h, v) - loss(u - h, v)) / (2 * h), bound);
      expect(g[1]).to.be.closeTo((loss(u, v + h) - loss(u, v - h)) / (2 * h), bound);
    }
  });

  it('polishNetworkMinimum ends where central differences of the risk vanish, and mirror starts give mirror minima', () => {
    const data = networkData(200, 7);
    const m = polishNetworkMinimum(data, 1, 2);
    const h = 1e-5;
    const du = (networkRisk(data, m.u + h, m.v) - networkRisk(data, m.u - h, m.v)) / (2 * h);
    const dv = (networkRisk(data, m.u, m.v + h) - networkRisk(data, m.u, m.v - h)) / (2 * h);
    // Rounding of two risks near 0.33 divided by 2h, plus truncation h² · O(10).
    expect(Math.abs(du)).to.be.below(1e-9);
    expect(Math.abs(dv)).to.be.below(1e-9);
    const mirror = polishNetworkMinimum(data, -1, -2);
    expect(mirror.u).to.be.closeTo(-m.u, 1e-8);
    expect(mirror.v).to.be.closeTo(-m.v, 1e-8);
    expect(mirror.risk).to.be.closeTo(m.risk, 1e-15);
  });

  it('logLogSlope recovers a power law and agrees with slopeInterval on noisy data', () => {
    const epochs = Array.from({ length: 50 }, (_, k) => k + 1);
    expect(
      logLogSlope(
        epochs,
        epochs.map((e) => 3 * e ** -0.7),
      ),
    ).to.be.closeTo(-0.7, 1e-13);
    const rng = createRng(4);
    const gap = epochs.map((e) => e ** -1.2 * Math.exp(0.3 * rng.normal()));
    expect(logLogSlope(epochs, gap)).to.be.closeTo(
      slopeInterval(epochs.map(Math.log), gap.map(Math.log)).estimate,
      1e-12,
    );
  });

  it('the claim experiments measure what ce-convex and ce-sgd read, as intervals around their estimates', function () {
    this.timeout(30_000);
    const convexity = networksConvexity.run();
    const sgd = networksSgd.run();
    for (const [key, m] of Object.entries({ ...convexity.measurements, ...sgd.measurements })) {
      expect(m.lower, key).to.be.at.most(m.estimate);
      expect(m.upper, key).to.be.at.least(m.estimate);
    }
    expect(Object.keys(convexity.measurements).sort()).to.deep.equal([
      'crossEntropyMinSecondDerivative',
      'networkLargestChordViolation',
    ]);
    expect(Object.keys(sgd.measurements).sort()).to.deep.equal(['sgdGapExponentLinear', 'sgdGapExponentNetwork']);
    // The smallest second derivative in the score is σ'(20) = e^20/(1 + e^20)², at the grid's end.
    expect(convexity.secondDerivative.score.estimate).to.be.closeTo(
      Math.exp(20) / (1 + Math.exp(20)) ** 2,
      1e-6 * Math.exp(-20),
    );
    expect(convexity.classic.plus).to.equal(convexity.classic.minus);
    expect(sgd.network.gaps.every((g) => g.every((v) => v > 0))).to.equal(true);
    for (const fig of [networkSurfaceFigure(convexity), networkSegmentFigure(convexity), sgdGapFigure(sgd)])
      expect(fig.data.length).to.be.above(1);
  });

  it('rejects bad input with LossInputError', () => {
    const data = networkData(10, 1);
    const bad: Array<() => unknown> = [
      () => threeClasses(2, 1),
      () => threeClasses(10, 1.5),
      () => threeClasses(10, 1, -1),
      () => threeClassBayesAccuracy(0),
      () => networkData(1, 1),
      () => networkData(10, NaN),
      () => networkRisk({ x: new Float64Array(3), t: new Float64Array(2) }, 1, 1),
      () => networkRisk(data, NaN, 1),
      () => networkRisk(data, 1, Infinity),
      () => polishNetworkMinimum(null as never, 1, 1),
      () => logLogSlope([1, 1, 1], [1, 2, 3]),
      () => logLogSlope([1, 2, 3], [1, 0, 3]),
      () => logLogSlope([1, 2, 3], [1, 2]),
      () => softmaxFigure([1] as never),
      () => classRegionsFigure({} as never),
      () => networkSurfaceFigure(null as never),
      () => networkSegmentFigure({} as never),
      () => sgdGapFigure({ linear: null } as never),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
