/**
 * Regression losses: functions of the residual r = y - f between a real target y and a
 * real prediction f.
 */
import { defineBuiltIn } from './define';
import {
  epsilonInsensitiveLoops,
  huberLoops,
  l1Loops,
  l2Loops,
  logCoshLoops,
  pseudoHuberLoops,
  quantileLoops,
} from './kernels.generated';
import { family } from './family';
import { meanConstant, quantileConstant, tubeConstant } from './constants';
import {
  coshTerm,
  logcoshFrom,
  positivePart,
  sech2,
  signOf,
  tanhFrom,
  uncheckedLogcosh,
  uncheckedTanh,
} from './stable';
import type { Loss } from './types';

/*
 * Derivatives of the kinked losses use `+(cond)` instead of branches: over random residuals
 * a branch mispredicts about half the time (10.7 vs 2.0 ns per element for sign(f - y),
 * bench/risk.bench.ts). The comparisons give exactly 0 at the kink, the smallest subgradient.
 */
const sign = (x: number): number => +(x > 0) - +(x < 0);

/**
 * Absolute error (L1 loss, least absolute deviations): l(y, f) = |y - f|.
 *
 * ∂l/∂f = sign(f - y); at y = f the subgradient set is [-1, 1] and we return 0, its
 * element of smallest magnitude. The population minimiser is any median of Y given x —
 * a whole interval when the distribution puts mass 1/2 on each side of a gap, which is why
 * a least-absolute-deviations fit need not be unique.
 * Source: Boscovich (1757); Koenker, *Quantile Regression* (2005), §1.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.l1.value(3, 1);      // 2
 * losses.l1.derivative(3, 1); // -1
 * ```
 */
export const l1: Loss = defineBuiltIn(l1Loops, {
  id: 'l1',
  name: 'Absolute error (L1)',
  task: 'regression',
  target: 'real',
  prediction: 'real',
  value: (y, f) => Math.abs(y - f),
  derivative: (y, f) => sign(f - y),
  secondDerivative: () => 0,
  expression: 'abs(y - f)',
  pieces: [
    { where: 'y - f > 0', expression: 'y - f' },
    { where: 'y - f < 0', expression: 'f - y' },
  ],
  latex: '\\ell(y, f) = \\lvert y - f \\rvert',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 1,
    smoothness: null,
    marginBased: false,
    axis: 'residual',
    kinks: [0],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: null,
    minimizer: 'any median of Y given x (can be a whole interval)',
  },
  capabilities: {
    optimalConstant: quantileConstant(0.5),
    linearProgram: { lower: -1, upper: 1, flat: 0 },
  },
});

/**
 * Squared error (L2 loss, least squares): l(y, f) = (y - f)².
 *
 * ∂l/∂f = 2 (f - y), ∂²l/∂f² = 2. The population minimiser is the conditional mean
 * E[Y | x]; over a linear model the empirical minimiser solves the normal equations and is
 * unique when X has full column rank.
 * Source: Legendre (1805), Gauss (1809); Hastie, Tibshirani & Friedman, *ESL* (2009), §3.2.
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.l2.value(3, 1);      // 4
 * losses.l2.derivative(3, 1); // -4
 * ```
 */
export const l2: Loss = defineBuiltIn(l2Loops, {
  id: 'l2',
  name: 'Squared error (L2)',
  task: 'regression',
  target: 'real',
  prediction: 'real',
  value: (y, f) => {
    const r = y - f;
    return r * r;
  },
  derivative: (y, f) => 2 * (f - y),
  secondDerivative: () => 2,
  expression: '(y - f)^2',
  latex: '\\ell(y, f) = (y - f)^2',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: null,
    smoothness: 2,
    marginBased: false,
    axis: 'residual',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: false,
    classificationCalibrated: null,
    minimizer: 'the conditional mean E[Y | x]',
  },
  capabilities: { optimalConstant: meanConstant, squaredError: true },
});

/**
 * Huber loss with threshold δ > 0, on r = y - f:
 * r²/2 if |r| <= δ, otherwise δ (|r| - δ/2).
 *
 * Quadratic near zero (efficient like L2 under Gaussian noise), linear in the tails
 * (bounded influence like L1). ∂l/∂f = -r clipped to [-δ, δ]; ∂²l/∂f² = 1 inside,
 * 0 outside (it jumps at |r| = δ, where we return 1).
 * Source: P. J. Huber, "Robust estimation of a location parameter", Ann. Math. Statist.
 * 35(1), 1964.
 *
 * @example
 * ```ts
 * import { huber } from 'losslab';
 * huber(1).value(0, 0.5); // 0.125
 * huber(1).value(0, 3);   // 2.5
 * ```
 */
export const huber: (delta?: number) => Loss = ((): ((delta?: number) => Loss) => {
  const member = family(
    'huber',
    'delta',
    'a finite number > 0',
    (d) => d > 0 && Number.isFinite(d),
    (delta) => {
      const d = String(delta);
      return defineBuiltIn(huberLoops, {
        id: delta === 1 ? 'huber' : `huber(${d})`,
        name: delta === 1 ? 'Huber loss' : `Huber loss (δ = ${d})`,
        task: 'regression',
        target: 'real',
        prediction: 'real',
        value: (y, f) => {
          const a = Math.abs(y - f);
          return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
        },
        derivative: (y, f) => {
          const g = f - y;
          return g > delta ? delta : g < -delta ? -delta : g;
        },
        secondDerivative: (y, f) => (Math.abs(y - f) <= delta ? 1 : 0),
        expression: `abs(y - f) <= ${d} ? (y - f)^2 / 2 : ${d} * (abs(y - f) - ${d} / 2)`,
        pieces: [
          { where: `abs(y - f) < ${d}`, expression: '(y - f)^2 / 2' },
          { where: `y - f > ${d}`, expression: `${d} * (y - f - ${d} / 2)` },
          { where: `y - f < -${d}`, expression: `${d} * (f - y - ${d} / 2)` },
        ],
        latex: `\\ell_\\delta(y, f) = \\begin{cases} \\tfrac12 (y - f)^2 & \\lvert y - f \\rvert \\le \\delta \\\\ \\delta \\left(\\lvert y - f \\rvert - \\tfrac{\\delta}{2}\\right) & \\text{otherwise} \\end{cases},\\quad \\delta = ${d}`,
        properties: {
          convex: true,
          strictlyConvex: false,
          differentiable: true,
          twiceDifferentiable: false,
          lipschitz: delta,
          smoothness: 1,
          marginBased: false,
          axis: 'residual',
          kinks: [],
          curvatureJumps: [-delta, delta],
          boundedInfluence: true,
          classificationCalibrated: null,
          minimizer: 'a Huber M-estimate of location of Y given x (the mean and median when the noise is symmetric)',
        },
        params: { delta },
      });
    },
    [0.5, 2],
  );
  return (delta = 1) => member(delta);
})();

/**
 * Pseudo-Huber loss with scale δ > 0, on r = y - f: δ² (√(1 + (r/δ)²) − 1).
 *
 * A smooth (C^∞) stand-in for Huber's loss: r²/2 near zero, δ |r| − δ² far away, with a
 * curvature that falls off gradually instead of jumping at |r| = δ. ∂l/∂f = (f − y) / √(1 + (r/δ)²),
 * bounded by δ; ∂²l/∂f² = (1 + (r/δ)²)^(−3/2), at most 1 (at r = 0). Evaluated through
 * √(δ² + r²) so that nothing cancels and nothing overflows: δ² (√(1 + (r/δ)²) − 1) =
 * r² / (√(1 + (r/δ)²) + 1) = |r| · δ · |r| / (√(δ² + r²) + δ), every factor a positive number of
 * at most the size of the answer, so the value keeps a relative error of a few ulps for any
 * finite residual, where the literal formula gives 0 below |r/δ| ≈ 1e-8 and overflows
 * beyond 1e154.
 * Source: Charbonnier, Blanc-Féraud, Aubert & Barlaud, "Deterministic edge-preserving
 * regularization in computed imaging", IEEE Trans. Image Process. 6(2), 1997; Hartley &
 * Zisserman, *Multiple View Geometry in Computer Vision* (2nd ed., 2004), §A6.8.
 *
 * @example
 * ```ts
 * import { pseudoHuber, losses } from 'losslab';
 * losses.pseudoHuber.value(0, 1e-9);   // 5e-19  (≈ r²/2, where the literal formula gives 0)
 * pseudoHuber(2).value(0, 1.5);        // 1
 * losses.pseudoHuber.derivative(0, 1e200); // 1  (bounded by δ)
 * ```
 */
export const pseudoHuber: (delta?: number) => Loss = ((): ((delta?: number) => Loss) => {
  const member = family(
    'pseudoHuber',
    'delta',
    'a finite number > 0',
    (d) => d > 0 && Number.isFinite(d),
    (delta) => {
      const d = String(delta);
      const delta2 = delta * delta;
      // √(δ² + r²): plainly where neither square can overflow nor lose δ² to underflow (the
      // usual case, 5x faster than Math.hypot), else by Math.hypot, which scales first.
      const plain = delta >= 1e-100 && delta <= 1e100;
      const root = (r: number): number =>
        plain && Math.abs(r) <= 1e100 ? Math.sqrt(delta2 + r * r) : Math.hypot(delta, r);
      return defineBuiltIn(pseudoHuberLoops, {
        id: delta === 1 ? 'pseudoHuber' : `pseudoHuber(${d})`,
        name: delta === 1 ? 'Pseudo-Huber loss' : `Pseudo-Huber loss (δ = ${d})`,
        task: 'regression',
        target: 'real',
        prediction: 'real',
        value: (y, f) => {
          const a = Math.abs(y - f);
          return a * (a / (root(a) + delta)) * delta;
        },
        // (f − y)/√(1 + (r/δ)²) = δ (f − y)/√(δ² + r²), in whichever order keeps the first
        // result at least |f − y| in size (√(δ² + r²) >= δ), so that a tiny f − y neither
        // underflows nor is rounded as a subnormal on the way: multiplied first for δ >= 1 unless
        // that overflows (then the quotient, in [−1, 1], is safe), divided first for δ < 1.
        derivative: (y, f) => {
          const g = f - y;
          if (delta < 1) return delta * (g / root(g));
          const m = delta * g;
          return m - m === 0 ? m / root(g) : delta * (g / root(g));
        },
        secondDerivative: (y, f) => {
          const c = delta / root(y - f);
          return c * c * c;
        },
        expression: `${d}^2 * (sqrt(1 + ((y - f) / ${d})^2) - 1)`,
        latex: `\\ell_\\delta(y, f) = \\delta^2 \\left(\\sqrt{1 + \\left(\\tfrac{y - f}{\\delta}\\right)^2} - 1\\right),\\quad \\delta = ${d}`,
        properties: {
          convex: true,
          strictlyConvex: true,
          differentiable: true,
          twiceDifferentiable: true,
          lipschitz: delta,
          smoothness: 1,
          marginBased: false,
          axis: 'residual',
          kinks: [],
          curvatureJumps: [],
          boundedInfluence: true,
          classificationCalibrated: null,
          minimizer:
            'a pseudo-Huber M-estimate of location of Y given x (the mean and median when the noise is symmetric)',
        },
        params: { delta },
      });
    },
    [0.5, 2],
  );
  return (delta = 1) => member(delta);
})();

/**
 * Log-cosh loss: l(y, f) = ln cosh(f - y).
 *
 * Behaves like r²/2 near zero and like |r| - ln 2 far away: a smooth (C^∞) relative of
 * Huber's loss. ∂l/∂f = tanh(f - y), ∂²l/∂f² = sech²(f - y). Evaluated without overflow for
 * any finite residual (see `logcosh` in stable.ts).
 * Source: Saleh & Saleh, "Statistical properties of the log-cosh loss function used in
 * machine learning", arXiv:2208.04564 (2022).
 *
 * @example
 * ```ts
 * import { losses } from 'losslab';
 * losses.logCosh.value(0, 1e4); // 9999.30685281944 (= 1e4 - ln 2)
 * ```
 */
export const logCosh: Loss = defineBuiltIn(logCoshLoops, {
  id: 'logCosh',
  name: 'Log-cosh loss',
  task: 'regression',
  target: 'real',
  prediction: 'real',
  value: (y, f) => uncheckedLogcosh(f - y),
  derivative: (y, f) => uncheckedTanh(f - y),
  secondDerivative: (y, f) => sech2(f - y),
  valueAndDerivative: (y, f, out, i) => {
    // One exponential for both (see stable.ts); the same roundings as the separate formulas.
    const r = f - y;
    const a = Math.abs(r);
    const E = coshTerm(a);
    out[i] = r === 0 ? r : signOf(r) * tanhFrom(E);
    return logcoshFrom(a, E);
  },
  expression: 'log(cosh(f - y))',
  latex: '\\ell(y, f) = \\ln \\cosh(f - y)',
  properties: {
    convex: true,
    strictlyConvex: true,
    differentiable: true,
    twiceDifferentiable: true,
    lipschitz: 1,
    smoothness: 1,
    marginBased: false,
    axis: 'residual',
    kinks: [],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: null,
    minimizer: 'an M-estimate of location of Y given x between mean and median (both, for symmetric noise)',
  },
});

/**
 * Quantile (pinball) loss for level τ in (0, 1), on r = y - f: max(τ r, (τ - 1) r).
 *
 * Under-predictions cost τ per unit, over-predictions 1 - τ, so the population minimiser is
 * the τ-quantile of Y given x. τ = 0.5 gives half the absolute error. ∂l/∂f is -τ for
 * r > 0 and 1 - τ for r < 0; at r = 0 the subgradient set [-τ, 1 - τ] contains 0, which we
 * return.
 * Source: Koenker & Bassett, "Regression quantiles", Econometrica 46(1), 1978.
 *
 * @example
 * ```ts
 * import { quantile } from 'losslab';
 * quantile(0.9).value(10, 8); // 1.8  (under-prediction by 2, costs 0.9 each)
 * quantile(0.9).value(8, 10); // 0.19999999999999996  (over-prediction by 2, costs 1 - 0.9 each; 0.9 is inexact in binary)
 * ```
 */
export const quantile: (tau: number) => Loss = family(
  'quantile',
  'tau',
  'a number strictly between 0 and 1',
  (t) => t > 0 && t < 1,
  (tau) => {
    const t = String(tau);
    return defineBuiltIn(quantileLoops, {
      id: `quantile(${t})`,
      name: `Quantile (pinball) loss, τ = ${t}`,
      task: 'regression',
      target: 'real',
      prediction: 'real',
      value: (y, f) => {
        const r = y - f;
        return r >= 0 ? tau * r : (tau - 1) * r;
      },
      derivative: (y, f) => (1 - tau) * +(f > y) - tau * +(f < y),
      secondDerivative: () => 0,
      expression: `max(${t} * (y - f), (${t} - 1) * (y - f))`,
      pieces: [
        { where: 'y - f > 0', expression: `${t} * (y - f)` },
        { where: 'y - f < 0', expression: `(${t} - 1) * (y - f)` },
      ],
      latex: `\\ell_\\tau(y, f) = \\max\\big(\\tau (y - f),\\ (\\tau - 1)(y - f)\\big),\\quad \\tau = ${t}`,
      properties: {
        convex: true,
        strictlyConvex: false,
        differentiable: false,
        twiceDifferentiable: false,
        lipschitz: Math.max(tau, 1 - tau),
        smoothness: null,
        marginBased: false,
        axis: 'residual',
        kinks: [0],
        curvatureJumps: [],
        boundedInfluence: true,
        classificationCalibrated: null,
        minimizer: `any ${t}-quantile of Y given x (can be a whole interval)`,
      },
      params: { tau },
      capabilities: {
        optimalConstant: quantileConstant(tau),
        linearProgram: { lower: tau - 1, upper: tau, flat: 0 },
      },
    });
  },
  [0.1, 0.5, 0.9],
);

/**
 * ε-insensitive loss (support vector regression): max(0, |y - f| - ε), ε >= 0.
 *
 * Residuals inside the tube |r| <= ε cost nothing. ∂l/∂f = sign(f - y) outside the tube,
 * 0 inside; at |r| = ε the subgradient set contains 0, which we return. ε = 0 is L1.
 * Source: V. Vapnik, *The Nature of Statistical Learning Theory* (1995), §6.1.
 *
 * @example
 * ```ts
 * import { epsilonInsensitive } from 'losslab';
 * epsilonInsensitive(0.5).value(0, 0.3); // 0
 * epsilonInsensitive(0.5).value(0, 2);   // 1.5
 * ```
 */
export const epsilonInsensitive: (epsilon: number) => Loss = family(
  'epsilonInsensitive',
  'epsilon',
  'a finite number >= 0',
  (e) => e >= 0 && Number.isFinite(e),
  (epsilon) => {
    const e = String(epsilon);
    return defineBuiltIn(epsilonInsensitiveLoops, {
      id: `epsilonInsensitive(${e})`,
      name: `ε-insensitive loss, ε = ${e}`,
      task: 'regression',
      target: 'real',
      prediction: 'real',
      value: (y, f) => positivePart(Math.abs(y - f) - epsilon),
      derivative: (y, f) => {
        const g = f - y;
        return +(g > epsilon) - +(g < -epsilon);
      },
      secondDerivative: () => 0,
      expression: `max(0, abs(y - f) - ${e})`,
      pieces: [
        // For ε = 0 the tube is empty, and the loss is l1's two pieces.
        ...(epsilon === 0 ? [] : [{ where: `abs(y - f) < ${e}`, expression: '0' }]),
        { where: `y - f > ${e}`, expression: `y - f - ${e}` },
        { where: `y - f < -${e}`, expression: `f - y - ${e}` },
      ],
      latex: `\\ell_\\varepsilon(y, f) = \\max\\big(0,\\ \\lvert y - f \\rvert - \\varepsilon\\big),\\quad \\varepsilon = ${e}`,
      properties: {
        convex: true,
        strictlyConvex: false,
        differentiable: false,
        twiceDifferentiable: false,
        lipschitz: 1,
        smoothness: null,
        marginBased: false,
        axis: 'residual',
        kinks: epsilon === 0 ? [0] : [-epsilon, epsilon],
        curvatureJumps: [],
        boundedInfluence: true,
        classificationCalibrated: null,
        minimizer: 'a centre of the distribution of Y given x up to ±ε (the median as ε → 0; often not unique)',
      },
      params: { epsilon },
      capabilities: {
        optimalConstant: tubeConstant(epsilon),
        linearProgram: { lower: -1, upper: 1, flat: epsilon },
      },
    });
  },
  [0, 0.5],
);
