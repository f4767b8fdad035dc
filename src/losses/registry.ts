import { crossEntropy, crossEntropyWithLogits } from './probability';
import { exponential, hinge, logistic, modifiedHuber, square, squaredHinge, zeroOne } from './margin';
import { huber, l1, l2, logCosh } from './regression';
import { markBuiltIn } from './brand';
import type { Loss } from './types';

/**
 * Every built-in loss by name; the parametrised families appear with their defaults
 * (huber with δ = 1). Use `huber(δ)`, `quantile(τ)`, `epsilonInsensitive(ε)` for others.
 *
 * @example
 * ```ts
 * import { losses, risk } from 'losslab';
 * Object.keys(losses).length;                     // 13
 * risk(losses.hinge, [1, -1, 1], [2, 0.5, 0.5]);  // 0.6666666666666666
 * ```
 */
export const losses = Object.freeze({
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
} satisfies Record<string, Loss>);

for (const loss of Object.values(losses)) markBuiltIn(loss);

export type LossName = keyof typeof losses;
