/**
 * Every `derivative` and `secondDerivative` against (a) mathjs's symbolic derivative of the
 * piece of the loss that holds at the point and (b) central finite differences, at 2000
 * random points per loss away from kinks and curvature jumps; and, at the kinks, the
 * contract's rule: the subgradient of smallest magnitude.
 */
import { expect } from 'chai';
import { epsilonInsensitive, losses, quantile, type Loss } from '../src/index';
import { allLosses, predictionAt } from './helpers/losses';
import { mulberry32, smoothPoints } from './helpers/rng';
import { compileLoss } from './helpers/symbolic';

const POINTS = 2000;

function expectNear(what: string, got: number, want: number, tol: number): void {
  expect(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: got ${got}, want ${want}`).to.equal(true);
}

/** A few targets of each domain, for the checks done at fixed points. */
function someTargets(loss: Loss): number[] {
  return loss.target === 'sign' ? [-1, 1] : loss.target === 'binary' ? [0, 0.3, 1] : [-2.5, 0, 0.75, 3];
}

describe('derivatives', () => {
  for (const loss of allLosses) {
    describe(loss.id, () => {
      it(`derivative and secondDerivative equal mathjs's symbolic derivatives of the piece that holds, at ${POINTS} points`, () => {
        const symbolic = compileLoss(loss);
        const h = loss.secondDerivative;
        for (const [y, f] of smoothPoints(loss, mulberry32(10), POINTS)) {
          const piece = symbolic.pieceAt(y, f);
          expectNear(
            `${loss.id}.derivative(${y}, ${f}) vs d/df ${piece.expression} = ${piece.firstText}`,
            loss.derivative(y, f),
            piece.first(y, f),
            1e-9,
          );
          expectNear(
            `${loss.id}.secondDerivative(${y}, ${f}) vs ${piece.secondText}`,
            h(y, f),
            piece.second(y, f),
            1e-9,
          );
        }
      });

      it(`derivative and secondDerivative equal central finite differences, at ${POINTS} points`, () => {
        const step = loss.prediction === 'probability' ? 1e-6 : 1e-5;
        const h = loss.secondDerivative;
        for (const [y, f] of smoothPoints(loss, mulberry32(11), POINTS)) {
          const fd1 = (loss.value(y, f + step) - loss.value(y, f - step)) / (2 * step);
          const fd2 = (loss.derivative(y, f + step) - loss.derivative(y, f - step)) / (2 * step);
          expectNear(`${loss.id}.derivative(${y}, ${f}) vs finite difference`, loss.derivative(y, f), fd1, 1e-6);
          expectNear(`${loss.id}.secondDerivative(${y}, ${f}) vs finite difference`, h(y, f), fd2, 1e-6);
        }
      });

      if (loss.properties.kinks.length > 0 && loss.properties.convex) {
        it('at each kink, derivative is the subgradient of smallest magnitude (from the one-sided derivatives of the adjacent pieces)', () => {
          const symbolic = compileLoss(loss);
          for (const k of loss.properties.kinks) {
            for (const y of someTargets(loss)) {
              const f = predictionAt(loss, y, k);
              const sides = [-1e-3, 1e-3].map((d) => symbolic.pieceAt(y, predictionAt(loss, y, k + d)).first(y, f));
              const lo = Math.min(...sides);
              const hi = Math.max(...sides);
              expect(lo, `${loss.id}: one-sided derivatives at the kink differ`).to.be.below(hi);
              const smallest = lo <= 0 && hi >= 0 ? 0 : Math.abs(lo) < Math.abs(hi) ? lo : hi;
              expectNear(
                `${loss.id}.derivative(${y}, ${f}) at kink ${k}, subdifferential [${lo}, ${hi}]`,
                loss.derivative(y, f),
                smallest,
                1e-12,
              );
            }
          }
        });
      }
    });
  }

  describe('the contract’s kink table', () => {
    it('l1 at y = f gives 0', () => {
      for (const y of [-3, 0, 0.1, 7]) expect(losses.l1.derivative(y, y)).to.equal(0);
    });
    it('hinge at y f = 1 gives 0, and -y just below', () => {
      expect(losses.hinge.derivative(1, 1)).to.equal(0);
      expect(losses.hinge.derivative(-1, -1)).to.equal(0);
      expect(losses.hinge.derivative(1, 0.999)).to.equal(-1);
      expect(losses.hinge.derivative(-1, -0.999)).to.equal(1);
    });
    it('quantile at r = 0 gives 0', () => {
      for (const tau of [0.1, 0.5, 0.9]) for (const y of [-2, 0, 5]) expect(quantile(tau).derivative(y, y)).to.equal(0);
    });
    it('epsilonInsensitive at |r| = ε gives 0', () => {
      for (const eps of [0, 0.5, 2]) {
        expect(epsilonInsensitive(eps).derivative(0, eps)).to.equal(0);
        expect(epsilonInsensitive(eps).derivative(0, -eps)).to.equal(0);
        expect(epsilonInsensitive(eps).derivative(1, 1 + eps)).to.equal(0);
      }
    });
    it('zeroOne.derivative is 0 everywhere, the jump at y f = 0 included', () => {
      for (const y of [-1, 1])
        for (const f of [-5, -1e-300, 0, 1e-300, 2]) expect(losses.zeroOne.derivative(y, f)).to.equal(0);
    });
    it('every non-convex loss with kinks has a stated rule here', () => {
      const uncovered = allLosses.filter(
        (l) => l.properties.kinks.length > 0 && !l.properties.convex && l.id !== 'zeroOne',
      );
      expect(uncovered.map((l) => l.id)).to.deep.equal([]);
    });
  });
});
