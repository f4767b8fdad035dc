/**
 * Exact population risks of linear classifiers, for chapters 04 and 07: the 0–1 risk and the
 * hinge and logistic risks of a rule sign(w·x + b) on two distributions whose margin
 * M = y (w·x + b) has a law we can write down, so no test set (and no test-set noise) enters
 * an excess risk.
 *
 * - `gaussianClasses`: y = ±1 with probability ½, x | y ~ N(y μ, I₂), μ = (1.25, 0): the
 *   classes overlap, the Bayes rule is linear and η(x) = σ(2 μ·x) (the logistic model holds).
 * - `lowNoiseClasses`: y = ±1 with probability ½, x₁ = y E with E ~ Exp(1), x₂ ~ N(0, 1):
 *   the label is a function of x (η ∈ {0, 1}, Tsybakov's noise exponent is infinite), the
 *   Bayes risk is 0, yet points come arbitrarily close to the boundary x₁ = 0.
 *
 * In both the margin given y is M = c + a E + s Z (E ~ Exp(1), Z ~ N(0, 1) independent), an
 * exponentially modified Gaussian, whose distribution function is closed-form in Φ and exp.
 */
import { LossInputError } from '../../errors';
import { createRng } from '../../random/rng';
import type { Dataset } from '../../data/generators';
import { makeClassification } from '../../data/generators';
import { hinge, logistic } from '../../losses/margin';
import type { Loss } from '../../losses/types';
import { normalCdf } from '../stats';

/** The law of a margin M = centre + expScale · E + sd · Z, E ~ Exp(1), Z ~ N(0, 1). */
export interface MarginLaw {
  centre: number;
  expScale: number;
  sd: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Φ(z). Below z = −30, Φ is within a factor 1 ± 1e-10 of the first four terms of its
 * asymptotic series φ(z)/|z| (1 − 1/z² + 3/z⁴ − 15/z⁶) (Abramowitz & Stegun 26.2.12), and
 * it would underflow below z ≈ −38, so the logarithm is taken of the series.
 */
function logNormalCdf(z: number): number {
  if (z > -30) return Math.log(normalCdf(z));
  const z2 = z * z;
  return -0.5 * z2 - Math.log(-z) - LOG_SQRT_2PI + Math.log1p(-1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
}

/** P(a E + s Z ≤ v) for a ≥ 0, s ≥ 0: the exponentially modified Gaussian distribution function. */
function emgCdf(v: number, a: number, s: number): number {
  if (a === 0) return s > 0 ? normalCdf(v / s) : v >= 0 ? 1 : 0;
  if (s === 0) return v > 0 ? -Math.expm1(-v / a) : 0;
  // Φ(v/s) − exp(−v/a + s²/2a²) Φ(v/s − s/a); the exponential and Φ are combined in logs, so
  // the huge factor and the tiny one never meet as separate doubles.
  const r = s / a;
  return normalCdf(v / s) - Math.exp(-v / a + 0.5 * r * r + logNormalCdf(v / s - r));
}

function checkLaw(law: MarginLaw): void {
  if (
    typeof law !== 'object' ||
    law === null ||
    ![law.centre, law.expScale, law.sd].every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    law.sd < 0
  ) {
    throw new LossInputError({
      argument: 'law',
      value: law,
      problem: 'is not the law of a margin',
      domain: '{ centre, expScale, sd } finite, sd >= 0',
    });
  }
}

/** P(M ≤ t) for a margin of law `law`. */
export function marginCdf(law: MarginLaw, t: number): number {
  checkLaw(law);
  if (typeof t !== 'number' || Number.isNaN(t))
    throw new LossInputError({ argument: 't', value: t, problem: 'is not a number', domain: 'a number' });
  const v = t - law.centre;
  // With a < 0 the exponential part points left: P(−|a|E + sZ ≤ v) = 1 − P(|a|E + sZ ≤ −v), Z symmetric.
  return law.expScale >= 0 ? emgCdf(v, law.expScale, law.sd) : 1 - emgCdf(-v, -law.expScale, law.sd);
}

/** Composite Simpson's rule with `intervals` (even) intervals on [lo, hi]. */
function simpson(g: (t: number) => number, lo: number, hi: number, intervals: number): number {
  if (!(hi > lo)) return 0;
  const h = (hi - lo) / intervals;
  let s = g(lo) + g(hi);
  for (let k = 1; k < intervals; k++) s += (k % 2 === 1 ? 4 : 2) * g(lo + k * h);
  return (s * h) / 3;
}

/**
 * E φ(M) for φ = hinge or logistic (φ decreasing to 0 at +∞), as ∫ −φ′(t) P(M ≤ t) dt (the
 * layer-cake form: φ(M) = ∫ from M to ∞ of −φ′(t) dt, then Fubini), by composite Simpson.
 * The integrand is smooth except where F has its kink (t = centre when sd = 0) or φ′ has
 * one (t = 1 for the hinge); near the centre it varies on the scale sd, elsewhere on the
 * scales of φ′ (1) and of the exponential part (|expScale|). So the range is cut at those
 * points, at centre ± k·sd (k = 1 … 9) and, for the logistic, at −8 … 8, and each piece gets
 * at least 64 intervals and at least 32 per unit of its local scale (capped at 20 000).
 * Outside the range the integrand is below e^{−40} of its largest value: F(t) < Φ(−9) on
 * the left (0 when sd = 0 and expScale ≥ 0), the logistic's slope below e^{−40} on the right.
 * Halving every step changes the risks of the course's fits by less than 1e-9 (checked in
 * test/course-classification.spec.ts against closed forms).
 */
export function marginLossRisk(loss: Loss, law: MarginLaw): number {
  checkLaw(law);
  if (loss !== hinge && loss !== logistic) {
    throw new LossInputError({
      loss: typeof loss === 'object' && loss !== null ? loss.id : undefined,
      argument: 'loss',
      value: loss,
      problem: 'has no exact risk here',
      domain: 'losses.hinge or losses.logistic',
    });
  }
  const { centre, expScale: a, sd: s } = law;
  const lo = a >= 0 ? centre - 9 * s : centre + 40 * a - 9 * s;
  const hi = loss === hinge ? 1 : Math.max(lo, 0) + 40;
  if (!(hi > lo)) return 0;
  const cuts = new Set<number>([lo, hi, centre]);
  if (loss === hinge) cuts.add(1);
  else for (let t = -8; t <= 8; t++) cuts.add(t);
  for (let k = -9; k <= 9; k++) cuts.add(centre + k * s);
  const points = [...cuts].filter((t) => t >= lo && t <= hi).sort((x, y) => x - y);
  // The hinge's slope is −1 on the whole range (−∞, 1]; its `derivative` at the kink t = 1 is the subgradient 0, which
  // Simpson's rule would take as the value at the range's end.
  const g =
    loss === hinge
      ? (t: number): number => marginCdf(law, t)
      : (t: number): number => -loss.derivative(1, t) * marginCdf(law, t);
  const farScale = Math.min(1, a !== 0 ? Math.abs(a) : 1);
  let total = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const [from, to] = [points[k], points[k + 1]];
    const nearCentre = s > 0 && from >= centre - 9 * s && to <= centre + 9 * s;
    const scale = nearCentre ? Math.min(farScale, s) : farScale;
    const intervals = Math.min(20000, Math.max(64, 2 * Math.ceil((16 * (to - from)) / scale)));
    total += simpson(g, from, to, intervals);
  }
  return total;
}

/** A distribution of two classes in the plane on which linear rules have exact risks. */
export interface LinearClasses {
  id: 'gaussian' | 'lowNoise';
  name: string;
  /** n seeded draws. */
  sample(n: number, seed: number): Dataset;
  /** The laws of the margin y (w·x + b) given y = +1 and given y = −1. */
  marginLaws(w: ArrayLike<number>, b: number): [MarginLaw, MarginLaw];
  /** The Bayes (0–1) risk R*. */
  bayesRisk: number;
  /** inf over all measurable f of E φ(Y f(X)), for the hinge and the logistic loss. */
  bayesSurrogateRisk(loss: Loss): number;
}

const MU = 1.25;

function checkRule(w: ArrayLike<number>, b: number): void {
  if (
    typeof w !== 'object' ||
    w === null ||
    w.length !== 2 ||
    !Number.isFinite(w[0]) ||
    !Number.isFinite(w[1]) ||
    !Number.isFinite(b)
  ) {
    throw new LossInputError({
      argument: 'rule',
      value: [w, b],
      problem: 'is not a linear rule in the plane',
      domain: 'w of length 2 and b, all finite',
    });
  }
}

export const gaussianClasses: LinearClasses = {
  id: 'gaussian',
  name: 'Gaussian classes N(±μ, I), μ = (1.25, 0)',
  sample: (n, seed) => makeClassification({ n, seed, separation: 2 * MU }),
  marginLaws(w, b) {
    checkRule(w, b);
    // Given y, w·x + b ~ N(y w·μ + b, ‖w‖²), so y (w·x + b) ~ N(w·μ + y b, ‖w‖²).
    const sd = Math.hypot(w[0], w[1]);
    return [
      { centre: w[0] * MU + b, expScale: 0, sd },
      { centre: w[0] * MU - b, expScale: 0, sd },
    ];
  },
  bayesRisk: normalCdf(-MU),
  bayesSurrogateRisk(loss) {
    // Hinge: E min over f of the conditional risk = E 2 min(η, 1 − η) = 2 R*. Logistic: the
    // log-odds 2μ·x are linear, so the best rule is w = 2μ, b = 0, and its risk is exact here.
    if (loss === hinge) return 2 * normalCdf(-MU);
    return linearRisk(gaussianClasses, loss, [2 * MU, 0], 0);
  },
};

export const lowNoiseClasses: LinearClasses = {
  id: 'lowNoise',
  name: 'deterministic labels y = sign(x₁), x₁ = y·Exp(1), x₂ ~ N(0, 1)',
  sample(n, seed) {
    if (!Number.isInteger(n) || n < 1)
      throw new LossInputError({ argument: 'n', value: n, problem: 'is not a sample size', domain: 'an integer >= 1' });
    const rng = createRng(seed);
    const data = new Float64Array(2 * n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.uniform() < 0.5 ? 1 : -1;
      data[2 * i] = y[i] * -Math.log1p(-rng.uniform());
      data[2 * i + 1] = rng.normal();
    }
    return {
      X: { rows: n, cols: 2, data },
      y,
      trueWeights: Float64Array.of(1, 0),
      trueIntercept: 0,
      outlierMask: new Uint8Array(n),
    };
  },
  marginLaws(w, b) {
    checkRule(w, b);
    // y = +1: w₁E + w₂Z + b; y = −1: −(−w₁E + w₂Z + b) = w₁E − w₂Z − b, and −Z ~ Z.
    const sd = Math.abs(w[1]);
    return [
      { centre: b, expScale: w[0], sd },
      { centre: -b, expScale: w[0], sd },
    ];
  },
  bayesRisk: 0,
  // sign(x₁) scaled up drives both the hinge (at scale ≥ 1) and the logistic risk (in the limit) to 0.
  bayesSurrogateRisk: () => 0,
};

/** The exact 0–1 risk P(Y (w·X + b) ≤ 0) of a linear rule. */
export function linearZeroOneRisk(classes: LinearClasses, w: ArrayLike<number>, b: number): number {
  const [plus, minus] = classes.marginLaws(w, b);
  return 0.5 * (marginCdf(plus, 0) + marginCdf(minus, 0));
}

/** The exact hinge or logistic risk E φ(Y (w·X + b)) of a linear rule. */
export function linearRisk(classes: LinearClasses, loss: Loss, w: ArrayLike<number>, b: number): number {
  const [plus, minus] = classes.marginLaws(w, b);
  return 0.5 * (marginLossRisk(loss, plus) + marginLossRisk(loss, minus));
}
