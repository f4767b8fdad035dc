/**
 * Chapter 08's code: expected scores against their closed forms, the scoring experiment's
 * minimisers and divergence identities, the links from scores to probabilities, the ECE
 * against a hand computation, the scenarios' η against independent formulas and simulation,
 * and bad input.
 */
import { expect } from 'chai';
import { losses, LossInputError, sigmoid } from '../src/index';
import {
  calibrationScenarios,
  expectedCalibrationError,
  expectedScore,
  probabilitiesScoring,
  probabilityFromScore,
  reliabilityFigure,
  scoringFigure,
  scoringRules,
  separationFigure,
} from '../src/course/index';

const EPS = Number.EPSILON;
const rule = (id: string) => scoringRules.find((r) => r.id === id)!;

describe('course chapter 08: probabilities', () => {
  it("expectedScore matches each rule's closed form", () => {
    const closed: Record<string, (eta: number, q: number) => number> = {
      crossEntropy: (eta, q) => -eta * Math.log(q) - (1 - eta) * Math.log(1 - q),
      l2: (eta, q) => eta * (1 - q) ** 2 + (1 - eta) * q ** 2,
      hinge: (eta, q) => 1 + (1 - 2 * eta) * (2 * q - 1),
      l1: (eta, q) => eta * (1 - q) + (1 - eta) * q,
    };
    for (const r of scoringRules) {
      for (const eta of [0.05, 0.3, 0.5, 0.9]) {
        for (const q of [0.01, 0.2, 0.5, 0.77, 0.99]) {
          expect(expectedScore(r, eta, q), `${r.id} at η = ${eta}, q = ${q}`).to.be.closeTo(
            closed[r.id](eta, q),
            16 * EPS * (1 + Math.abs(closed[r.id](eta, q))),
          );
        }
      }
    }
    // An impossible outcome costs nothing: no 0 · ∞.
    expect(expectedScore(rule('crossEntropy'), 0, 0)).to.equal(0);
    expect(expectedScore(rule('crossEntropy'), 1, 1)).to.equal(0);
  });

  it('the log and Brier scores are minimised at q = η, the hinge and absolute rules at 0 or 1; the excess scores are KL and (q − η)²', () => {
    const r = probabilitiesScoring.run();
    for (const m of r.minimisers) {
      // Golden-section search locates a smooth minimum to about √ε relative, a linear one to the end of the bracket.
      if (m.rule.proper) expect(m.largestGapToEta, m.rule.id).to.be.below(1e-7);
      else expect(m.largestGapToSign, m.rule.id).to.be.below(1e-7);
    }
    expect(r.divergenceGaps.log).to.be.below(1);
    expect(r.divergenceGaps.brier).to.be.below(1);
    for (const link of r.links) {
      const expected = link.loss === losses.hinge ? (link.eta === 0.5 ? 0.5 : link.eta > 0.5 ? 1 : 0) : link.eta;
      expect(link.recovered, `${link.loss.id} at η = ${link.eta}`).to.be.closeTo(expected, 1e-9);
    }
  });

  it('probabilityFromScore inverts the minimisers: σ of the log-odds, (1 + f)/2 clipped', () => {
    expect(probabilityFromScore(losses.logistic, Math.log(0.3 / 0.7))).to.be.closeTo(0.3, 1e-15);
    expect(probabilityFromScore(losses.square, 2 * 0.3 - 1)).to.be.closeTo(0.3, 1e-15);
    expect(probabilityFromScore(losses.square, 1.7)).to.equal(1);
    expect(probabilityFromScore(losses.square, -3)).to.equal(0);
    expect(probabilityFromScore(losses.crossEntropyWithLogits, 2)).to.equal(sigmoid(2));
  });

  it('expectedCalibrationError: equal-mass and equal-width bins by hand, labels ±1 and 0/1 alike, soft targets', () => {
    const p = [0.1, 0.2, 0.35, 0.4, 0.8, 0.9];
    const y = [0, 0, 1, 0, 1, 1];
    // Equal mass, 2 bins: {0.1, 0.2, 0.35} with 1 positive, {0.4, 0.8, 0.9} with 2.
    const byHand = 0.5 * Math.abs(1 / 3 - 0.65 / 3) + 0.5 * Math.abs(2 / 3 - 2.1 / 3);
    expect(expectedCalibrationError(y, p, { bins: 2 })).to.be.closeTo(byHand, 1e-15);
    expect(
      expectedCalibrationError(
        y.map((v) => 2 * v - 1),
        p,
        { bins: 2 },
      ),
    ).to.equal(expectedCalibrationError(y, p, { bins: 2 }));
    // Equal width, 2 bins: [0, 0.5) holds four predictions, [0.5, 1] two.
    const width = (4 / 6) * Math.abs(1 / 4 - 1.05 / 4) + (2 / 6) * Math.abs(1 - 0.85);
    expect(expectedCalibrationError(y, p, { bins: 2, binning: 'width' })).to.be.closeTo(width, 1e-15);
    // Against the predictions themselves the error is 0.
    expect(expectedCalibrationError(p, p, { bins: 3 })).to.equal(0);
  });

  it('the scenarios draw η as their formulas say, and labels with those probabilities', () => {
    for (const scenario of calibrationScenarios) {
      const { X, y, eta } = scenario.draw(20_000, 9);
      let positives = 0;
      let meanEta = 0;
      for (let i = 0; i < y.length; i++) {
        if (y[i] === 1) positives++;
        meanEta += eta[i] / y.length;
        const [a, b] = [X.data[2 * i], X.data[2 * i + 1]];
        const formula = scenario.id.startsWith('blobs-')
          ? sigmoid(Number(scenario.id.slice(6)) * a)
          : scenario.id === 'noisy-link'
            ? 0.1 + 0.8 * sigmoid(4 * a)
            : sigmoid(3 * (b - a * a + 1));
        expect(eta[i]).to.be.closeTo(formula, 1e-14);
      }
      // Four standard errors of a frequency of 20 000.
      expect(Math.abs(positives / y.length - meanEta), scenario.id).to.be.below(4 * Math.sqrt(0.25 / y.length));
    }
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => expectedScore({} as never, 0.5, 0.5),
      () => expectedScore(rule('l2'), 1.5, 0.5),
      () => expectedScore(rule('l2'), 0.5, NaN),
      () => probabilityFromScore(losses.l1, 0),
      () => probabilityFromScore(losses.logistic, NaN),
      () => expectedCalibrationError([0, 1], [0.2, 1.2]),
      () => expectedCalibrationError([0, 1, 1], [0.2, 0.4]),
      () => expectedCalibrationError([0, 2], [0.2, 0.4]),
      () => expectedCalibrationError([0, 1], [0.2, 0.4], { bins: 0 }),
      () => expectedCalibrationError([0, 1], [0.2, 0.4], { binning: 'quantile' as never }),
      () => expectedCalibrationError([0, 1], [0.2, 0.4], null as never),
      () => scoringFigure(1),
      () => reliabilityFigure(null as never, 'blobs-1'),
      () => reliabilityFigure({ scenarios: [], measurements: {}, bins: 10, seeds: 30 }, 'blobs-1'),
      () => separationFigure({} as never),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
