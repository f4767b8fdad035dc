/**
 * Margin-based classification losses: functions of the margin m = y f of a label
 * y in {-1, +1} and a real score f. A positive margin is a correct classification; the
 * larger, the more confident.
 *
 * Bartlett, Jordan & McAuliffe, "Convexity, classification, and risk bounds", JASA 101(473),
 * 2006, show that a convex φ(m) differentiable at 0 with φ'(0) < 0 is classification-calibrated:
 * minimising its population risk gives the Bayes classifier's sign.
 */
import { markResidentLoop } from './brand';
import { defineBuiltIn } from './define';
import { exp } from './elementary';
import {
  exponentialLoops,
  hingeLoops,
  logisticLoops,
  modifiedHuberLoops,
  squaredHingeLoops,
  squareLoops,
  zeroOneLoops,
} from './kernels.generated';
import { hingeConstant, logOddsConstant } from './constants';
import { log1pUnit } from './elementary';
import { positivePart, sigmoidSlope, uncheckedSigmoid, uncheckedSoftplus } from './stable';
import type { Loss } from './types';

/*
 * Several formulas below are written without data-dependent branches (`+(cond)`,
 * positivePart) because the kernels run them over random labels and scores, where a branch
 * mispredicts about half the time: 4.4 vs 1.4 ns per element for the hinge value, 4.8 vs
 * 1.9 ns for its derivative (bench/risk.bench.ts). `+ 0` turns a -0 into +0.
 */

/**
 * max(0, 1 - y f) for a label y = ±1, as h + |h| with h = (1 - y f) / 2: the same double as
 * positivePart(1 - y f), since 1 - y f is 0 or at least 2^-53 in size (never subnormal), so
 * halving and doubling it are exact; and cheaper, with no integer conversion (1.5 against 1.9 ns
 * per element in the hinge risk).
 */
function slack(y: number, f: number): number {
  const h = 0.5 - 0.5 * y * f;
  return h + Math.abs(h);
}

/**
 * The 0–1 loss: 1 if y f <= 0 (a mistake, counting a zero score as one), else 0.
 *
 * What classification accuracy actually counts, but piecewise constant: its derivative is 0
 * wherever it exists, so gradient methods cannot minimise it (we return 0 everywhere).
 * Minimising it over a hypothesis class is NP-hard in general; for 1-D thresholds it is a
 * sort and a scan (see `fitThreshold`).
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.zeroOne.value(1, -0.2); // 1
 * losses.zeroOne.value(-1, -3);  // 0
 * ```
 */
export const zeroOne: Loss = defineBuiltIn(zeroOneLoops, {
  id: 'zeroOne',
  name: '0–1 loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => +(y * f <= 0),
  derivative: () => 0,
  secondDerivative: () => 0,
  expression: 'y * f <= 0 ? 1 : 0',
  pieces: [
    { where: 'y * f < 0', expression: '1' },
    { where: 'y * f > 0', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\mathbb{1}[\\, y f \\le 0 \\,]',
  properties: {
    convex: false,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: null,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [0],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: 'sign(2η − 1): the Bayes classifier',
  },
  capabilities: { piecewiseConstant: true },
});

/**
 * Square loss in margin form: l(y, f) = (1 - y f)², which equals (y - f)² because y² = 1.
 *
 * Convex and smooth, passes through 1 at m = 0 and 0 at m = 1 (where the 0–1 loss is 1 and
 * 0). But it rises again for m > 1: a point classified correctly with a large margin is
 * penalised for being "too correct". ∂l/∂f = -2 y (1 - y f), ∂²l/∂f² = 2.
 * Source: Rifkin, *Everything Old Is New Again* (PhD thesis, MIT, 2002).
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.square.value(1, 0); // 1
 * losses.square.value(1, 3); // 4  (correct, yet penalised)
 * ```
 */
export const square: Loss = defineBuiltIn(squareLoops, {
  id: 'square',
  name: 'Square loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => {
    const s = 1 - y * f;
    return s * s;
  },
  derivative: (y, f) => -2 * y * (1 - y * f),
  secondDerivative: () => 2,
  expression: '(1 - y * f)^2',
  latex: '\\ell(y, f) = (1 - y f)^2',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: null,
    smoothness: 2,
    marginBased: true,
    axis: 'margin',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: false,
    classificationCalibrated: true,
    minimizer: '2η − 1 = E[Y | x]',
  },
  // (1 − y f)² = (y − f)² for y = ±1.
  capabilities: { squaredError: true },
});

/**
 * Hinge loss (support vector machines): l(y, f) = max(0, 1 - y f).
 *
 * Zero once the margin reaches 1; for smaller margins it grows linearly in the margin
 * (with slope 1 in |f| on the wrong side, whatever y is). ∂l/∂f = -y for y f < 1 and 0 for
 * y f > 1; at y f = 1 the subgradient set is the segment between -y and 0 and we return 0.
 * Source: Cortes & Vapnik, "Support-vector networks", Machine Learning 20, 1995.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.hinge.value(1, 0.25);  // 0.75
 * losses.hinge.value(-1, 2);    // 3
 * losses.hinge.derivative(1, 1); // 0  (kink: smallest subgradient)
 * ```
 */
export const hinge: Loss = defineBuiltIn(hingeLoops, {
  id: 'hinge',
  name: 'Hinge loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: slack,
  derivative: (y, f) => -y * +(y * f < 1) + 0,
  secondDerivative: () => 0,
  expression: 'max(0, 1 - y * f)',
  pieces: [
    { where: 'y * f < 1', expression: '1 - y * f' },
    { where: 'y * f > 1', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\max(0,\\ 1 - y f)',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 1,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [1],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: 'sign(2η − 1): the Bayes classifier itself, with no probability in it',
  },
  capabilities: {
    optimalConstant: hingeConstant,
    // max(0, 1 − y f) = max(0, y (y − f)) for y = ±1: slopes 0 and 1 in the residual for y = +1, −1 and 0 for y = −1.
    linearProgram: { lower: (y) => (y > 0 ? 0 : -1), upper: (y) => (y > 0 ? 1 : 0), flat: 0 },
    svmDual: { power: 1 },
  },
});

/**
 * Squared hinge loss (L2-SVM): l(y, f) = max(0, 1 - y f)².
 *
 * Differentiable everywhere (its derivative -2 y max(0, 1 - y f) is continuous), with a
 * curvature jump at y f = 1 (∂²l/∂f² is 2 below, 0 from there on).
 * Source: Keerthi & DeCoste, "A modified finite Newton method for fast solution of large
 * scale linear SVMs", JMLR 6, 2005.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.squaredHinge.value(1, -1); // 4
 * ```
 */
export const squaredHinge: Loss = defineBuiltIn(squaredHingeLoops, {
  id: 'squaredHinge',
  name: 'Squared hinge loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => {
    const s = slack(y, f);
    return s * s;
  },
  derivative: (y, f) => -2 * y * slack(y, f) + 0,
  secondDerivative: (y, f) => 2 * +(y * f < 1),
  expression: 'max(0, 1 - y * f)^2',
  pieces: [
    { where: 'y * f < 1', expression: '(1 - y * f)^2' },
    { where: 'y * f > 1', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\max(0,\\ 1 - y f)^2',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: true,
    twiceDifferentiable: false,
    lipschitz: null,
    smoothness: 2,
    marginBased: true,
    axis: 'margin',
    kinks: [],
    curvatureJumps: [1],
    boundedInfluence: false,
    classificationCalibrated: true,
    minimizer: '2η − 1 (in [−1, 1])',
  },
  capabilities: { svmDual: { power: 2 } },
});

/**
 * Logistic loss, base-2 normalised: l(y, f) = log₂(1 + e^{-y f}) = ln(1 + e^{-y f}) / ln 2.
 *
 * The ln 2 makes it pass through 1 at y f = 0, like the 0–1 loss. Multiplied by ln 2 it is
 * the cross-entropy of a sigmoid model: logistic(y, f) · ln 2 =
 * crossEntropyWithLogits((1 + y)/2, f). Computed as softplus(-y f) / ln 2, so it is finite
 * and accurate for any finite score (the literal formula overflows for y f < -709).
 * ∂l/∂f = -y σ(-y f) / ln 2, ∂²l/∂f² = σ(y f) σ(-y f) / ln 2.
 * Source: Rosasco, De Vito, Caponnetto, Piana & Verri, "Are loss functions all the same?",
 * Neural Computation 16(5), 2004.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.logistic.value(1, 0);     // 1
 * losses.logistic.value(1, -1e4);  // 14426.950408889634 (= 1e4 / ln 2)
 * ```
 */
export const logistic: Loss = defineBuiltIn(logisticLoops, {
  id: 'logistic',
  name: 'Logistic loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => uncheckedSoftplus(-y * f) / Math.LN2,
  derivative: (y, f) => (-y * uncheckedSigmoid(-y * f)) / Math.LN2,
  secondDerivative: (y, f) => sigmoidSlope(y * f) / Math.LN2,
  valueAndDerivative: (y, f, out, i) => {
    // One exp for both, e = e^{-|m|}: softplus(-m) = max(-m, 0) + ln(1 + e), and σ(-m) is
    // e/(1+e) for m > 0, 1/(1+e) otherwise — the same roundings as the separate formulas.
    const x = -y * f;
    const e = exp(-Math.abs(x));
    const one = +(x >= 0);
    out[i] = (-y * ((one + (1 - one) * e) / (1 + e))) / Math.LN2;
    return (positivePart(x) + log1pUnit(e)) / Math.LN2;
  },
  expression: 'log(1 + exp(-y * f)) / log(2)',
  latex: '\\ell(y, f) = \\frac{1}{\\ln 2} \\ln\\left(1 + e^{-y f}\\right)',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: 1 / Math.LN2,
    smoothness: 0.25 / Math.LN2,
    marginBased: true,
    axis: 'margin',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: 'the log-odds ln(η / (1 − η))',
  },
  capabilities: { optimalConstant: logOddsConstant('labels', 1) },
});
markResidentLoop(logistic, { name: 'logistic', accepts: () => true });

/**
 * Exponential loss (AdaBoost): l(y, f) = e^{-y f}.
 *
 * Smooth and convex, but it grows exponentially for negative margins, so a few badly
 * mislabelled points can dominate the fit. ∂l/∂f = -y e^{-y f}, ∂²l/∂f² = e^{-y f}. It
 * overflows to Infinity only where the true value exceeds the largest double (y f < -709.78).
 * Source: Freund & Schapire, "A decision-theoretic generalization of on-line learning and an
 * application to boosting", JCSS 55(1), 1997; Friedman, Hastie & Tibshirani, "Additive
 * logistic regression", Ann. Statist. 28(2), 2000 (the population minimiser).
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.exponential.value(1, 0); // 1
 * ```
 */
export const exponential: Loss = defineBuiltIn(exponentialLoops, {
  id: 'exponential',
  name: 'Exponential loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => exp(-y * f),
  derivative: (y, f) => -y * exp(-y * f),
  secondDerivative: (y, f) => exp(-y * f),
  valueAndDerivative: (y, f, out, i) => {
    const e = exp(-y * f);
    out[i] = -y * e;
    return e;
  },
  expression: 'exp(-y * f)',
  latex: '\\ell(y, f) = e^{-y f}',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: null,
    smoothness: null,
    marginBased: true,
    axis: 'margin',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: false,
    classificationCalibrated: true,
    minimizer: 'half the log-odds, ½ ln(η / (1 − η))',
  },
  capabilities: { optimalConstant: logOddsConstant('labels', 0.5) },
});

/**
 * Modified Huber loss for classification: -4 y f if y f < -1, else max(0, 1 - y f)².
 *
 * The squared hinge near the boundary, continued linearly (slope 4) for badly wrong
 * margins, so it is smooth yet tolerant to outliers. ∂l/∂f is -4y, -2y(1 - y f) and 0 on the
 * three pieces and continuous; the curvature jumps at y f = ±1.
 * Source: T. Zhang, "Solving large scale linear prediction problems using stochastic
 * gradient descent algorithms", ICML 2004.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.modifiedHuber.value(1, -3); // 12
 * losses.modifiedHuber.value(1, 0);  // 1
 * ```
 */
export const modifiedHuber: Loss = defineBuiltIn(modifiedHuberLoops, {
  id: 'modifiedHuber',
  name: 'Modified Huber loss',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => {
    const m = y * f;
    if (m < -1) return -4 * m;
    const s = 1 - m;
    return s > 0 ? s * s : 0;
  },
  derivative: (y, f) => {
    const m = y * f;
    return m < -1 ? -4 * y : m < 1 ? -2 * y * (1 - m) : 0;
  },
  secondDerivative: (y, f) => {
    const m = y * f;
    return m >= -1 && m < 1 ? 2 : 0;
  },
  expression: 'y * f < -1 ? -4 * y * f : max(0, 1 - y * f)^2',
  pieces: [
    { where: 'y * f < -1', expression: '-4 * y * f' },
    { where: 'y * f > -1 and y * f < 1', expression: '(1 - y * f)^2' },
    { where: 'y * f > 1', expression: '0' },
  ],
  latex: '\\ell(y, f) = \\begin{cases} -4 y f & y f < -1 \\\\ \\max(0,\\ 1 - y f)^2 & \\text{otherwise} \\end{cases}',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: true,
    twiceDifferentiable: false,
    lipschitz: 4,
    smoothness: 2,
    marginBased: true,
    axis: 'margin',
    kinks: [],
    curvatureJumps: [-1, 1],
    boundedInfluence: true,
    classificationCalibrated: true,
    minimizer: '2η − 1 (in [−1, 1])',
  },
});
