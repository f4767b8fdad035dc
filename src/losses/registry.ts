import { crossEntropy, crossEntropyWithLogits } from './probability';
import { exponential, hinge, logistic, modifiedHuber, square, squaredHinge, zeroOne } from './margin';
import { huber, l1, l2, logCosh, pseudoHuber } from './regression';
import { markBuiltIn } from './brand';
import type { Loss } from './types';

/**
 * Every built-in loss by name; the parametrised families appear with their defaults
 * (huber and pseudoHuber with δ = 1). Use `huber(δ)`, `pseudoHuber(δ)`, `quantile(τ)`,
 * `epsilonInsensitive(ε)` for others. A loss added here is picked up by every suite that runs
 * over all losses, the README's table and the palette's check (CONTRIBUTING.md).
 *
 * @example
 * ```ts
 * import { huber, losses, risk } from 'losslab';
 * losses.huber === huber(1);                      // true (the family's default)
 * risk(losses.hinge, [1, -1, 1], [2, 0.5, 0.5]);  // 0.6666666666666666
 * ```
 *
 * The registry has no prototype, so a name such as 'toString' or '__proto__' finds nothing
 * instead of an Object.prototype member.
 */
export const losses = Object.freeze(
  Object.assign(Object.create(null) as object, {
    l1,
    l2,
    square,
    hinge,
    logistic,
    crossEntropy,
    crossEntropyWithLogits,
    zeroOne,
    huber: huber(1),
    logCosh,
    squaredHinge,
    exponential,
    modifiedHuber,
    pseudoHuber: pseudoHuber(1),
  } satisfies Record<string, Loss>),
);

for (const loss of Object.values(losses)) markBuiltIn(loss);

export type LossName = keyof typeof losses;
