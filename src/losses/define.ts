/**
 * Turns the raw formulas of a loss into a `Loss`: checked scalar methods for users, and
 * specialised array kernels for `risk` and the solvers.
 */
import { checkScalar } from '../validate';
import { SUM_BLOCK } from './summation';
import type { Loss, LossKernels, LossPiece, LossProperties, PredictionDomain, Task, TargetDomain } from './types';

/** A formula of (y, f) that trusts its arguments to be in the loss's domain. */
export type RawFn = (y: number, f: number) => number;

/**
 * Value and derivative at once, for losses whose two formulas share an expensive step (one
 * `Math.exp` for the logistic family): returns l(y, f) and writes ∂l/∂f to `out[i]`.
 */
export type RawValueAndDerivative = (y: number, f: number, out: Float64Array, i: number) => number;

export interface LossSpec {
  id: string;
  name: string;
  task: Task;
  target: TargetDomain;
  prediction: PredictionDomain;
  value: RawFn;
  derivative: RawFn;
  secondDerivative: RawFn;
  /** Optional fused form used by the solvers' hot loop; must agree with `value` and `derivative`. */
  valueAndDerivative?: RawValueAndDerivative;
  expression: string;
  /** Defaults to the single piece `expression` on the whole domain. */
  pieces?: readonly LossPiece[];
  latex: string;
  properties: LossProperties;
  params?: Readonly<Record<string, number>>;
}

export function defineLoss(spec: LossSpec): Loss {
  const { id, target, prediction, value, derivative, secondDerivative } = spec;
  return Object.freeze({
    id,
    name: spec.name,
    task: spec.task,
    target,
    prediction,
    value(y: number, f: number): number {
      checkScalar(id, 'y', y, target);
      checkScalar(id, 'f', f, prediction);
      return value(y, f);
    },
    derivative(y: number, f: number): number {
      checkScalar(id, 'y', y, target);
      checkScalar(id, 'f', f, prediction);
      return derivative(y, f);
    },
    secondDerivative(y: number, f: number): number {
      checkScalar(id, 'y', y, target);
      checkScalar(id, 'f', f, prediction);
      return secondDerivative(y, f);
    },
    expression: spec.expression,
    pieces: Object.freeze(spec.pieces ?? [{ where: 'true', expression: spec.expression }]),
    latex: spec.latex,
    properties: Object.freeze({ ...spec.properties }),
    params: Object.freeze({ ...(spec.params ?? {}) }),
    kernels: compileKernels(id, value, derivative, secondDerivative, spec.valueAndDerivative),
  });
}

/**
 * Why generated code: a loop that calls `loss.value` through a shared function sees many
 * different losses at one call site, goes megamorphic and runs 5-20x slower than a loop
 * written for one loss (bench/risk.bench.ts shows both). A closure made by an ordinary
 * factory shares its call-site feedback with every other closure from that factory, so it
 * does not help. `new Function` with a source text unique to the loss gives each loss its
 * own compiled loops, whose single call target V8 inlines. The source must differ per loss:
 * V8 caches compilations by source text, and identical text would share feedback again.
 */
export function compileKernels(id: string, value: RawFn, derivative: RawFn, second: RawFn, fused?: RawValueAndDerivative): LossKernels {
  const tag = id.replace(/[^A-Za-z0-9_]/g, '_');
  // Each kernel that sums does so as compensatedSum (summation.ts) does, block by block, with
  // the loss's own formula inlined in the block loop; sum and sumAndDerivatives share the
  // blocking, so they return the same bits.
  const blocks = (body: string): string => `let s = 0, c = 0;
    for (let start = 0; start < n; start += ${SUM_BLOCK}) {
      const end = start + ${SUM_BLOCK} < n ? start + ${SUM_BLOCK} : n;
      let b = 0;
      ${body}
      const t = s + b;
      c += Math.abs(s) >= Math.abs(b) ? s - t + b : b - t + s;
      s = t;
    }
    return s - s === 0 ? s + c : s;`;
  const source = `"use strict";
return {
  sum: function ${tag}_sum(y, f, n) {
    ${blocks('for (let i = start; i < end; i++) b += value(y[i], f[i]);')}
  },
  weightedSum: function ${tag}_weightedSum(y, f, w, n) {
    ${blocks('for (let i = start; i < end; i++) { const wi = w[i]; if (wi !== 0) b += wi * value(y[i], f[i]); }')}
  },
  values: function ${tag}_values(y, f, out, n) {
    for (let i = 0; i < n; i++) out[i] = value(y[i], f[i]);
  },
  derivatives: function ${tag}_derivatives(y, f, out, n) {
    for (let i = 0; i < n; i++) out[i] = derivative(y[i], f[i]);
  },
  secondDerivatives: function ${tag}_secondDerivatives(y, f, out, n) {
    for (let i = 0; i < n; i++) out[i] = second(y[i], f[i]);
  },
  sumAndDerivatives: function ${tag}_sumAndDerivatives(y, f, out, n) {
    ${blocks(fused === undefined
      ? 'for (let i = start; i < end; i++) { const yi = y[i], fi = f[i]; b += value(yi, fi); out[i] = derivative(yi, fi); }'
      : 'for (let i = start; i < end; i++) b += fused(y[i], f[i], out, i);')}
  },
};`;
  const make = new Function('value', 'derivative', 'second', 'fused', source) as (v: RawFn, d: RawFn, h: RawFn, vd: RawValueAndDerivative | undefined) => LossKernels;
  return Object.freeze(make(value, derivative, second, fused));
}
