/**
 * What the generated loops (kernels.generated.ts, written by scripts/generate-kernels.js) are
 * made from and what they make.
 */
import type { Vec } from '../vec';
import type { LossKernels, PredictionDomain, TargetDomain } from './types';

/** A formula of (y, f) that trusts its arguments to be in the loss's domain. */
export type RawFn = (y: number, f: number) => number;

/**
 * Value and derivative at once, for losses whose two formulas share an expensive step (one
 * exponential for the logistic family): returns l(y, f) and writes ∂l/∂f to `out[i]`.
 */
export type RawValueAndDerivative = (y: number, f: number, out: Float64Array, i: number) => number;

/** The formulas a loss's loops call. */
export interface Formulas {
  value: RawFn;
  derivative: RawFn;
  second: RawFn;
  fused?: RawValueAndDerivative;
}

/**
 * The loops of risk, values, derivatives and secondDerivatives, with the checks of their inputs
 * folded into the one pass (see scripts/generate-kernels.js). None of them throws: each says
 * whether every input was in its domain, and the caller then runs validate.ts's checks, which
 * find the first bad index and throw. A loop that saw bad input may have written `out`.
 */
export interface CheckedKernels {
  /**
   * Σ_{i<n} l(y_i, f_i), compensated as LossKernels.sum; NaN when an input is outside its domain.
   * An input that is merely not finite may instead show as an infinite or NaN sum, where the
   * loss carries it through: a sum that is not finite must go to the full checks.
   */
  sum(y: Vec, f: Vec, n: number): number;
  /**
   * Σ_{i<n} w_i l(y_i, f_i) as LossKernels.weightedSum, and Σ w_i (compensated, as
   * compensatedSum adds it) in `total[0]`; NaN when any y, f or w is outside its domain.
   */
  weightedSum(y: Vec, f: Vec, w: Vec, n: number, total: Float64Array): number;
  /** out_i = l(y_i, f_i); true when every input was in its domain. */
  values(y: Vec, f: Vec, out: Float64Array, n: number): boolean;
  /** out_i = ∂l/∂f (y_i, f_i); true when every input was in its domain. */
  derivatives(y: Vec, f: Vec, out: Float64Array, n: number): boolean;
  /** out_i = ∂²l/∂f² (y_i, f_i); true when every input was in its domain. */
  secondDerivatives(y: Vec, f: Vec, out: Float64Array, n: number): boolean;
}

/** A loss's two sets of loops: the public ones, which trust their inputs, and the checked ones. */
export interface KernelPair {
  kernels: LossKernels;
  checked: CheckedKernels;
}

/** Makes the loops of one built-in loss (or family) from its formulas; they check these domains. */
export interface LoopFactory {
  readonly target: TargetDomain;
  readonly prediction: PredictionDomain;
  make(formulas: Formulas): KernelPair;
}
