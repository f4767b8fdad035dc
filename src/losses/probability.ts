/**
 * Binary cross-entropy, on a probability p or on a score (logit) z with p = σ(z). The target
 * t is a probability in [0, 1]: hard labels 0/1, or soft labels. With the ±1 labels of the
 * margin losses, t = (1 + y) / 2.
 */
import { markResidentLoop } from './brand';
import { defineBuiltIn } from './define';
import { exp, log1pUnit } from './elementary';
import { crossEntropyLoops, crossEntropyWithLogitsLoops } from './kernels.generated';
import { logOddsConstant, meanConstant } from './constants';
import { outerSigmoidMinus, sigmoidSlope, uncheckedSigmoidMinus } from './stable';
import type { Loss } from './types';

/**
 * Binary cross-entropy on a probability: l(t, p) = -t ln p - (1 - t) ln(1 - p), t, p in [0, 1].
 *
 * The negative log-likelihood of a Bernoulli(p) model; its expectation over t is the entropy
 * of t plus the Kullback–Leibler divergence KL(t ‖ p), so it is minimised at p = t (at
 * p = η in the population). Convex in p, unbounded: a confident wrong prediction costs
 * without limit, and l(1, 0) is Infinity (honest, not clamped). 0 ln 0 is taken as 0, so
 * l(0, 0) = l(1, 1) = 0. ∂l/∂p = -t/p + (1 - t)/(1 - p) = (p - t) / (p (1 - p)), computed in
 * the second form so that it keeps relative precision where p ≈ t; ln(1 - p) is computed as
 * log1p(-p) to keep precision for small p.
 * Source: Goodfellow, Bengio & Courville, *Deep Learning* (2016), §3.13 and §6.2.2.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.crossEntropy.value(1, 0.5); // 0.6931471805599453 (ln 2)
 * losses.crossEntropy.value(1, 0);   // Infinity
 * ```
 */
export const crossEntropy: Loss = defineBuiltIn(crossEntropyLoops, {
  id: 'crossEntropy',
  name: 'Cross-entropy (on probabilities)',
  task: 'classification',
  target: 'binary',
  prediction: 'probability',
  value: (t, p) => (t === 0 ? 0 : -t * Math.log(p)) + (t === 1 ? 0 : -(1 - t) * Math.log1p(-p)),
  // -t/p + (1 - t)/(1 - p) over one denominator: the two terms cancel where p ≈ t, while p - t
  // is exact there (Sterbenz), so the quotient keeps relative precision (4u) everywhere. Hard
  // labels keep their own one-term forms, which give 1 and -1 at p = 0 and p = 1 instead of 0/0.
  derivative: (t, p) => (t === 0 ? 1 / (1 - p) : t === 1 ? -1 / p : (p - t) / (p * (1 - p))),
  // t/p/p, not t/(p p): p² underflows for p < 1.5e-154 while t/p² is still a normal number
  // (t = 1e-300, p = 1e-200 gives 1e100); dividing twice costs no more accuracy than squaring.
  secondDerivative: (t, p) => {
    const q = 1 - p;
    return (t === 0 ? 0 : t / p / p) + (t === 1 ? 0 : (1 - t) / q / q);
  },
  expression: '-y * log(f) - (1 - y) * log(1 - f)',
  latex: '\\ell(t, p) = -t \\ln p - (1 - t) \\ln (1 - p)',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: null,
    smoothness: null,
    marginBased: false,
    axis: 'probability',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: false,
    classificationCalibrated: true,
    minimizer: 'the conditional probability η = P(Y = 1 | x)',
  },
  capabilities: { optimalConstant: meanConstant },
});

/**
 * Binary cross-entropy on a score z (logit), with p = σ(z) = 1 / (1 + e^{-z}):
 * l(t, z) = ln(1 + e^z) - t z.
 *
 * Computed as (1 - t) z + ln(1 + e^{-z}) for z > 0 and -t z + ln(1 + e^{z}) otherwise: two
 * non-negative terms, so nothing cancels and the value is good to a few ulps for any finite z
 * and any t (PyTorch's `BCEWithLogitsLoss`, TensorFlow's `sigmoid_cross_entropy_with_logits`
 * use the same idea). ∂l/∂z = σ(z) - t is computed without cancellation except where σ(z) is
 * close to a t away from 0, 1/2 and 1 (`uncheckedSigmoidMinus` in stable.ts states the bound);
 * ∂²l/∂z² = σ(z) σ(-z). With t = (1 + y)/2 it is ln 2 times the logistic loss.
 * Source: Goodfellow, Bengio & Courville, *Deep Learning* (2016), §6.2.2.2.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.crossEntropyWithLogits.value(1, 0);     // 0.6931471805599453
 * losses.crossEntropyWithLogits.value(0, 1e4);   // 10000
 * losses.crossEntropyWithLogits.derivative(1, 40); // -4.248354255291589e-18
 * ```
 */
/**
 * `uncheckedSigmoidMinus(z, t)` (stable.ts, where its error bound is derived) from a given
 * e = e^{-|z|}, so that the fused value-and-gradient loop needs one exp. It rounds exactly as
 * the separate form does (test/kernels.spec.ts).
 */
function logitGradient(t: number, z: number, e: number): number {
  if (t >= 0.25 && t <= 0.75) return 0.5 * Math.tanh(0.5 * z) - (t - 0.5);
  return outerSigmoidMinus(z, t, e);
}

/**
 * (1 - t) z for z > 0 and -t z otherwise, as (b - t) z with b = 0 or 1: the same products,
 * without a branch on the sign of z.
 */
function linearPart(t: number, z: number): number {
  return (+(z > 0) - t) * z;
}

export const crossEntropyWithLogits: Loss = defineBuiltIn(crossEntropyWithLogitsLoops, {
  id: 'crossEntropyWithLogits',
  name: 'Cross-entropy with logits',
  task: 'classification',
  target: 'binary',
  prediction: 'real',
  value: (t, z) => linearPart(t, z) + log1pUnit(exp(-Math.abs(z))),
  derivative: (t, z) => uncheckedSigmoidMinus(z, t),
  secondDerivative: (_t, z) => sigmoidSlope(z),
  valueAndDerivative: (t, z, out, i) => {
    // One exp for both value and gradient: e = e^{-|z|}.
    const e = exp(-Math.abs(z));
    out[i] = logitGradient(t, z, e);
    return linearPart(t, z) + log1pUnit(e);
  },
  expression: 'log(1 + exp(f)) - y * f',
  latex:
    '\\ell(t, z) = -t \\ln \\sigma(z) - (1 - t) \\ln\\big(1 - \\sigma(z)\\big) = \\ln\\left(1 + e^{z}\\right) - t z',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: 1,
    smoothness: 0.25,
    marginBased: false,
    axis: 'logit',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: 'the log-odds ln(η / (1 − η))',
  },
  capabilities: { optimalConstant: logOddsConstant('mean', 1) },
});

/**
 * The WebAssembly loop has no tanh, the gradient's form for targets in [1/4, 3/4]: a fit with
 * any such target keeps the JavaScript loop.
 */
markResidentLoop(crossEntropyWithLogits, {
  name: 'crossEntropyWithLogits',
  accepts: (t, n) => {
    for (let i = 0; i < n; i++) if (t[i] >= 0.25 && t[i] <= 0.75) return false;
    return true;
  },
});
