/**
 * Properties of the losses (fast-check) and the consistency of each loss's `properties`
 * with its pieces: convexity, dependence on the margin or the residual only, the
 * equivalences between formulations, values at perfect predictions, Lipschitz constants.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { epsilonInsensitive, losses, quantile, sigmoid, type Loss } from '../src/index';
import { predictionArb, targetArb } from './helpers/arbitraries';
import { allLosses, axisValue, predictionAt } from './helpers/losses';
import { exact, mismatch, referenceFor } from './helpers/reference';
import { mulberry32, smoothPoints } from './helpers/rng';
import { compileLoss } from './helpers/symbolic';

const U = 2 ** -53;

function targetsOf(loss: Loss): number[] {
  return loss.target === 'sign' ? [-1, 1] : loss.target === 'binary' ? [0, 0.25, 0.5, 1] : [-3, 0, 2.5];
}

/** Predictions spread over the domain: probabilities in (0, 1), scores in [-span, span]. */
function grid(loss: Loss, count: number, span: number): number[] {
  const lo = loss.prediction === 'probability' ? 1e-6 : -span;
  const hi = loss.prediction === 'probability' ? 1 - 1e-6 : span;
  // An irrational offset keeps grid points off the breakpoints, which sit at simple numbers.
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * (i + Math.SQRT1_2 / 7)) / count);
}

const convexLosses = allLosses.filter((l) => l.properties.convex);

describe('loss properties', () => {
  describe('convexity', () => {
    for (const loss of convexLosses) {
      it(`${loss.id}: l(y, λa + (1-λ)b) <= λ l(y, a) + (1-λ) l(y, b)`, () => {
        fc.assert(
          fc.property(
            targetArb(loss),
            predictionArb(loss),
            predictionArb(loss),
            fc.double({ min: 0.001, max: 0.999, noNaN: true }),
            (y, a, b, lambda) => {
              const m = lambda * a + (1 - lambda) * b;
              const mid = loss.value(y, m);
              const chord = lambda * loss.value(y, a) + (1 - lambda) * loss.value(y, b);
              // The double m is off the true convex combination by a few ulps; that moves the
              // loss by the slope times as much (e.g. -ln(1 - p) for p within 1e-13 of 1).
              const rounding = 8 * Math.abs(loss.derivative(y, m)) * (U * Math.abs(m) + Number.MIN_VALUE);
              return mid <= chord + 1e-9 * (1 + Math.abs(chord)) + rounding;
            },
          ),
          { numRuns: 300 },
        );
      });
    }
    for (const loss of allLosses.filter((l) => !l.properties.convex)) {
      it(`${loss.id} is declared non-convex, and a chord below the curve exists`, () => {
        const violated = targetsOf(loss).some((y) => {
          const fs = grid(loss, 200, 5);
          return fs.some((a) =>
            fs.some((b) => loss.value(y, (a + b) / 2) > (loss.value(y, a) + loss.value(y, b)) / 2 + 1e-9),
          );
        });
        expect(violated).to.equal(true);
      });
    }
  });

  describe('dependence on one variable', () => {
    for (const loss of allLosses.filter((l) => l.properties.marginBased)) {
      it(`${loss.id} depends on y and f only through y f: l(1, m) = l(-1, -m), and likewise its derivatives`, () => {
        const h = loss.secondDerivative ?? (() => 0);
        fc.assert(
          fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), (m) => {
            expect(loss.value(1, m)).to.equal(loss.value(-1, -m));
            expect(loss.derivative(1, m)).to.equal(-loss.derivative(-1, -m) + 0);
            expect(h(1, m)).to.equal(h(-1, -m));
          }),
          { numRuns: 300 },
        );
      });
    }
    for (const loss of allLosses.filter((l) => l.properties.axis === 'residual')) {
      it(`${loss.id} depends on y and f only through y - f: shifting both changes nothing`, () => {
        // Multiples of 1/8 below 2^40 add exactly, so the residual is the same double.
        const dyadic = fc.integer({ min: -8000, max: 8000 }).map((k) => k / 8);
        fc.assert(
          fc.property(dyadic, dyadic, dyadic, (y, f, c) => {
            expect(loss.value(y + c, f + c)).to.equal(loss.value(y, f));
            expect(loss.derivative(y + c, f + c)).to.equal(loss.derivative(y, f));
          }),
          { numRuns: 300 },
        );
      });
    }
    it('marginBased is exactly the margin axis, and the axis matches the domains', () => {
      for (const loss of allLosses) {
        const { axis, marginBased } = loss.properties;
        expect(marginBased, loss.id).to.equal(axis === 'margin');
        if (axis === 'margin') expect([loss.target, loss.prediction], loss.id).to.deep.equal(['sign', 'real']);
        if (axis === 'residual') expect([loss.target, loss.prediction], loss.id).to.deep.equal(['real', 'real']);
        if (axis === 'probability') expect(loss.prediction, loss.id).to.equal('probability');
        expect(loss.task, loss.id).to.equal(loss.target === 'real' ? 'regression' : 'classification');
      }
    });
  });

  describe('equivalences between formulations', () => {
    it('logistic(y, f) · ln 2 = crossEntropyWithLogits((1 + y)/2, f), derivatives too', () => {
      fc.assert(
        fc.property(fc.constantFrom(-1, 1), fc.double({ min: -1e4, max: 1e4, noNaN: true }), (y, f) => {
          const t = (1 + y) / 2;
          const pairs: Array<[number, number]> = [
            [losses.logistic.value(y, f) * Math.LN2, losses.crossEntropyWithLogits.value(t, f)],
            [losses.logistic.derivative(y, f) * Math.LN2, losses.crossEntropyWithLogits.derivative(t, f)],
            [
              (losses.logistic.secondDerivative?.(y, f) ?? NaN) * Math.LN2,
              losses.crossEntropyWithLogits.secondDerivative?.(t, f) ?? NaN,
            ],
          ];
          for (const [a, b] of pairs)
            expect(Math.abs(a - b) <= 4 * U * Math.abs(b), `${a} vs ${b} at y=${y}, f=${f}`).to.equal(true);
        }),
        { numRuns: 500 },
      );
    });

    it('crossEntropy(t, σ(z)) = crossEntropyWithLogits(t, z) where both are finite, to within the conditioning of rounding σ(z)', () => {
      // σ(z) carries a relative rounding error of a few u; through ∂l/∂p it moves the loss by
      // up to u (t + (1 - t) p/(1 - p)) per unit, and p/(1 - p) = e^z.
      fc.assert(
        fc.property(targetArb(losses.crossEntropy), fc.double({ min: -40, max: 40, noNaN: true }), (t, z) => {
          const p = sigmoid(z);
          const onP = losses.crossEntropy.value(t, p);
          const onZ = losses.crossEntropyWithLogits.value(t, z);
          if (!Number.isFinite(onP) || !Number.isFinite(onZ)) return;
          const tol = 16 * U * (Math.abs(onZ) + t + (1 - t) * Math.exp(z));
          expect(Math.abs(onP - onZ) <= tol, `t=${t}, z=${z}: ${onP} vs ${onZ}, tol ${tol}`).to.equal(true);
        }),
        { numRuns: 1000 },
      );
    });

    it('quantile(0.5) is half of l1, value and derivative; epsilonInsensitive(0) is l1', () => {
      fc.assert(
        fc.property(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          (y, f) => {
            expect(quantile(0.5).value(y, f)).to.equal(losses.l1.value(y, f) / 2);
            expect(quantile(0.5).derivative(y, f)).to.equal(losses.l1.derivative(y, f) / 2);
            expect(epsilonInsensitive(0).value(y, f)).to.equal(losses.l1.value(y, f));
            expect(epsilonInsensitive(0).derivative(y, f)).to.equal(losses.l1.derivative(y, f));
          },
        ),
      );
    });

    it('square, hinge and logistic pass through 1 at y f = 0 (where the 0–1 loss is 1); square and hinge are 0 at y f = 1', () => {
      for (const y of [-1, 1]) {
        for (const loss of [losses.square, losses.hinge, losses.logistic, losses.zeroOne])
          expect(loss.value(y, 0), `${loss.id}(${y}, 0)`).to.be.closeTo(1, 1e-15);
        for (const loss of [losses.square, losses.hinge, losses.zeroOne])
          expect(loss.value(y, y), `${loss.id}(${y}, ${y})`).to.equal(0);
      }
    });
  });

  describe('perfect predictions', () => {
    for (const loss of allLosses.filter((l) => l.properties.axis === 'residual')) {
      it(`${loss.id}(y, y) = 0 with derivative 0`, () => {
        fc.assert(
          fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (y) => {
            expect(loss.value(y, y)).to.equal(0);
            expect(loss.derivative(y, y) + 0).to.equal(0);
          }),
        );
      });
    }
    it('crossEntropy(t, t) is the entropy of t, and crossEntropyWithLogits is minimised at the log-odds of t', () => {
      const truth = referenceFor(losses.crossEntropy);
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (t) => {
          const entropy = truth.value(exact(t), exact(t));
          expect(mismatch(losses.crossEntropy.value(t, t), entropy, entropy.abs().mul(1e-14))).to.equal(null);
          if (t > 1e-300 && t < 1) {
            const z = Math.log(t) - Math.log1p(-t);
            expect(
              Math.abs(losses.crossEntropyWithLogits.derivative(t, z)) <= 8 * U * (1 + Math.abs(z)),
              `t=${t}`,
            ).to.equal(true);
          }
        }),
        { numRuns: 100 },
      );
      for (const t of [0, 1]) expect(losses.crossEntropy.value(t, t)).to.equal(0);
    });
  });

  describe('Lipschitz constants and smoothness', () => {
    for (const loss of allLosses) {
      const L = loss.properties.lipschitz;
      if (L !== null) {
        it(`${loss.id}: |∂l/∂f| <= L = ${L} everywhere, |l(f) - l(g)| <= L |f - g|, and the bound is attained`, () => {
          fc.assert(
            fc.property(targetArb(loss), predictionArb(loss, 1e6), predictionArb(loss, 1e6), (y, f, g) => {
              expect(Math.abs(loss.derivative(y, f)) <= L * (1 + 1e-15), `derivative at (${y}, ${f})`).to.equal(true);
              const change = Math.abs(loss.value(y, f) - loss.value(y, g));
              expect(
                change <= L * Math.abs(f - g) * (1 + 1e-12) + 1e-12 * (1 + Math.abs(loss.value(y, f))),
                `(${y}, ${f}, ${g})`,
              ).to.equal(true);
            }),
            { numRuns: 300 },
          );
          let sup = 0;
          for (const y of targetsOf(loss))
            for (const f of grid(loss, 4001, 100)) sup = Math.max(sup, Math.abs(loss.derivative(y, f)));
          expect(sup, `sup |∂l/∂f| over the grid`).to.be.within(0.99 * L, L);
        });
      } else {
        it(`${loss.id} has no Lipschitz constant: its difference quotients are unbounded`, () => {
          const h = 1e-7;
          let sup = 0;
          for (const y of targetsOf(loss)) {
            // Scores up to 700 keep e^{-y f} finite; a jump of 1 over h shows a discontinuity.
            for (const f of [...grid(loss, 2001, 700), -h / 2]) {
              if (loss.prediction === 'probability' && (f < 0 || f + h > 1)) continue;
              sup = Math.max(sup, Math.abs(loss.value(y, f + h) - loss.value(y, f)) / h);
            }
          }
          expect(sup).to.be.above(1e3);
        });
      }
      const S = loss.properties.smoothness;
      if (S !== null) {
        it(`${loss.id}: |∂²l/∂f²| <= smoothness = ${S}, attained, and the derivative is S-Lipschitz`, () => {
          const h2 = loss.secondDerivative ?? (() => 0);
          let sup = 0;
          for (const y of targetsOf(loss))
            for (const f of grid(loss, 4001, 20)) sup = Math.max(sup, Math.abs(h2(y, f)));
          expect(sup).to.be.within(0.99 * S, S * (1 + 1e-15));
          fc.assert(
            fc.property(targetArb(loss), predictionArb(loss, 100), predictionArb(loss, 100), (y, f, g) => {
              const df = loss.derivative(y, f);
              const dg = loss.derivative(y, g);
              // Each derivative carries a rounding error of a few ulps of its own size (2(f - y)
              // at y = 717 is off by ~1e-13), which a tiny |f - g| cannot absorb.
              const rounding = 4 * Number.EPSILON * (Math.abs(df) + Math.abs(dg));
              expect(Math.abs(df - dg) <= S * Math.abs(f - g) * (1 + 1e-12) + rounding).to.equal(true);
            }),
            { numRuns: 300 },
          );
        });
      }
      it(`${loss.id}: boundedInfluence ⇔ the derivative stays bounded`, () => {
        let sup = 0;
        for (const y of targetsOf(loss))
          for (const f of grid(loss, 2001, 700)) sup = Math.max(sup, Math.abs(loss.derivative(y, f)));
        expect(loss.properties.boundedInfluence, `sup |∂l/∂f| = ${sup}`).to.equal(sup < 1e3);
      });
    }
  });

  describe('smoothness flags agree with the pieces', () => {
    for (const loss of allLosses) {
      const { kinks, curvatureJumps, differentiable, twiceDifferentiable, convex, strictlyConvex } = loss.properties;
      it(`${loss.id}: differentiable ⇔ no kinks; twiceDifferentiable ⇔ also no curvature jumps`, () => {
        expect(differentiable).to.equal(kinks.length === 0);
        expect(twiceDifferentiable).to.equal(differentiable && curvatureJumps.length === 0);
        if (strictlyConvex) expect(convex).to.equal(true);
      });

      it(`${loss.id}: the pieces change exactly at the kinks and curvature jumps, which are kinks or jumps of the derivative there`, () => {
        if (loss.properties.axis !== 'margin' && loss.properties.axis !== 'residual') {
          expect(loss.pieces.length, 'a loss drawn on the prediction itself is one piece').to.equal(1);
          return;
        }
        const symbolic = compileLoss(loss);
        const stops = [...kinks, ...curvatureJumps];
        for (const y of targetsOf(loss)) {
          let previous: string | null = null;
          let previousA = 0;
          for (let a = -10 + Math.SQRT1_2 * 1e-3; a < 10; a += 2e-2) {
            const piece = symbolic.pieceAt(y, predictionAt(loss, y, a));
            if (previous !== null && piece.where !== previous) {
              expect(
                stops.some((k) => k > previousA && k < a),
                `${loss.id}: piece changes between ${previousA} and ${a} with no breakpoint listed`,
              ).to.equal(true);
            }
            previous = piece.where;
            previousA = a;
          }
          for (const k of stops) {
            const f = predictionAt(loss, y, k);
            const [left, right] = [-1e-4, 1e-4].map((d) => symbolic.pieceAt(y, predictionAt(loss, y, k + d)));
            const jumpsValue = Math.abs(left.value(y, f) - right.value(y, f)) > 1e-12;
            const jumpsSlope = Math.abs(left.first(y, f) - right.first(y, f)) > 1e-12;
            const jumpsCurvature = Math.abs(left.second(y, f) - right.second(y, f)) > 1e-12;
            if (kinks.includes(k))
              expect(jumpsValue || jumpsSlope, `${loss.id}: kink at ${k} is smooth`).to.equal(true);
            else
              expect([jumpsValue, jumpsSlope, jumpsCurvature], `${loss.id}: curvature jump at ${k}`).to.deep.equal([
                false,
                false,
                true,
              ]);
          }
        }
      });

      if (convex) {
        it(`${loss.id}: convex, so every piece curves upward, and it is strictly convex ⇔ no piece is flat (affine)`, () => {
          const symbolic = compileLoss(loss);
          const curvature = new Map<string, number>();
          for (const [y, f] of smoothPoints(loss, mulberry32(21), 1000)) {
            const piece = symbolic.pieceAt(y, f);
            const c = piece.second(y, f);
            expect(c, `${loss.id}: ∂²/∂f² of ${piece.expression} at (${y}, ${f})`).to.be.at.least(0);
            curvature.set(piece.where, Math.min(curvature.get(piece.where) ?? Infinity, c));
          }
          const flat = [...curvature].filter(([, c]) => c === 0).map(([where]) => where);
          expect(flat.length === 0, `${loss.id}: affine pieces ${flat.join(', ')}`).to.equal(strictlyConvex);
        });
      }
    }
  });

  it('every loss is one of the axes the suites know how to check', () => {
    for (const loss of allLosses) {
      const a = axisValue(loss, 1, 0.5);
      expect(Number.isFinite(a), loss.id).to.equal(true);
      expect(['margin', 'residual', 'probability', 'logit']).to.include(loss.properties.axis);
    }
  });
});
