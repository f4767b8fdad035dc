/**
 * Loss values, and derivatives at many magnitudes, against two independent computations:
 * mathjs evaluating each loss's `expression` and each piece's expression (double precision),
 * and the decimal.js references of test/helpers/reference.ts (50 digits).
 */
import { expect } from 'chai';
import { losses, pseudoHuber, type Loss } from '../src/index';
import { allLosses, axisValue } from './helpers/losses';
import { D, exact, mismatch, referenceFor, UNIT_ROUNDOFF, type Dec } from './helpers/reference';
import { breakpoints, mulberry32, sampleTarget, samplePrediction, smoothPoints, widePoint } from './helpers/rng';
import { compileLoss } from './helpers/symbolic';

const REL = new D(1e-14);

/** |a - b| <= 1e-12 max(1, |a|): mathjs evaluates the literal formula in doubles. */
function expectNear(what: string, got: number, want: number): void {
  expect(
    Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)),
    `${what}: got ${got}, mathjs gives ${want}`,
  ).to.equal(true);
}

/**
 * For residual losses the double y - f is itself rounded, by up to u (|y| + |f|): no formula
 * of (y, f) in doubles can beat that error times the slope of what it computes.
 */
function residualSlack(loss: Loss, y: number, f: number, slope: Dec): Dec {
  if (loss.properties.axis !== 'residual') return new D(0);
  return UNIT_ROUNDOFF.mul(2 * (Math.abs(y) + Math.abs(f))).mul(slope.abs());
}

describe('loss values', () => {
  for (const loss of allLosses) {
    describe(loss.id, () => {
      it('value equals its mathjs expression at 500 random admissible points', () => {
        const rng = mulberry32(1);
        const symbolic = compileLoss(loss);
        for (let i = 0; i < 500; i++) {
          const y = sampleTarget(loss, rng);
          const f = samplePrediction(loss, rng);
          expectNear(`${loss.id}(${y}, ${f}) vs ${loss.expression}`, loss.value(y, f), symbolic.expression(y, f));
        }
      });

      it('exactly one piece holds at each point off the breakpoints, and its expression equals value there', () => {
        const rng = mulberry32(2);
        const symbolic = compileLoss(loss);
        const used = new Set<string>();
        for (const [y, f] of smoothPoints(loss, rng, 1000)) {
          const piece = symbolic.pieceAt(y, f);
          used.add(piece.where);
          expectNear(
            `${loss.id}(${y}, ${f}) on piece ${piece.where}: ${piece.expression}`,
            loss.value(y, f),
            piece.value(y, f),
          );
        }
        // A piece that no random point ever selects is either empty or mislabelled.
        const unused = symbolic.pieces.filter((p) => !used.has(p.where));
        expect(
          unused.map((p) => p.where),
          'pieces never selected',
        ).to.deep.equal([]);
      });

      it('value, derivative and second derivative match decimal.js at 150 points over six orders of magnitude', () => {
        const truth = referenceFor(loss);
        const rng = mulberry32(3);
        const stops = breakpoints(loss);
        let checked = 0;
        while (checked < 150) {
          const [y, f] = widePoint(loss, rng);
          const a = axisValue(loss, y, f);
          if (stops.some((k) => Math.abs(a - k) <= 1e-6 * (1 + Math.abs(y) + Math.abs(f)))) continue;
          checked++;
          const Y = exact(y);
          const F = exact(f);
          const v = truth.value(Y, F);
          const d = truth.derivative(Y, F);
          const h = truth.second(Y, F);
          const at = `${loss.id} at (${y}, ${f})`;
          const fail = (what: string, why: string | null): void => {
            expect(why, `${what} ${at}: ${why}`).to.equal(null);
          };
          fail(
            'value',
            mismatch(
              loss.value(y, f),
              v,
              v
                .abs()
                .mul(REL)
                .add(residualSlack(loss, y, f, d)),
            ),
          );
          const scale = truth.derivativeScale?.(Y, F) ?? d.abs();
          fail('derivative', mismatch(loss.derivative(y, f), d, scale.mul(REL).add(residualSlack(loss, y, f, h))));
          let third = new D(0);
          if (loss.properties.axis === 'residual' && !h.isZero()) {
            const step = F.abs().add(1).mul(1e-20);
            third = truth
              .second(Y, F.add(step))
              .sub(truth.second(Y, F.sub(step)))
              .div(step.mul(2));
          }
          fail(
            'second derivative',
            mismatch(
              loss.secondDerivative(y, f),
              h,
              h
                .abs()
                .mul(REL)
                .add(residualSlack(loss, y, f, third)),
            ),
          );
        }
      });
    });
  }
});

describe('pseudoHuber: a stable formula', () => {
  it('value, derivative and second derivative keep their precision for |r| from 1e-300 to 1e300 and δ from 1e-300 to 1e150', () => {
    for (const delta of [1e-300, 1e-150, 0.5, 1, 3, 1e150]) {
      const loss = pseudoHuber(delta);
      const truth = referenceFor(loss);
      for (const r of [1e-300, 1e-160, 1e-9, 0.7, 1e5, 1e150, 1e300, -1e-9, -1e300]) {
        // y = 0 and f = −r make the residual exactly r.
        const Y = exact(0);
        const F = exact(-r);
        const at = `${loss.id} at r = ${r}`;
        const check = (what: string, got: number, want: Dec): void => {
          const why = mismatch(got, want, want.abs().mul(REL));
          expect(why, `${what} ${at}: ${why}`).to.equal(null);
        };
        check('value', loss.value(0, -r), truth.value(Y, F));
        check('derivative', loss.derivative(0, -r), truth.derivative(Y, F));
        check('second derivative', loss.secondDerivative(0, -r), truth.second(Y, F));
      }
    }
  });

  it('where the textbook formula δ² (√(1 + (r/δ)²) − 1) gives 0 or Infinity, the loss does not', () => {
    const textbook = (r: number): number => Math.sqrt(1 + r * r) - 1;
    expect([textbook(1e-9), textbook(1e200)]).to.deep.equal([0, Infinity]);
    expect(losses.pseudoHuber.value(0, 1e-9)).to.equal(5e-19);
    expect(losses.pseudoHuber.value(0, 1e200)).to.equal(1e200);
  });
});
