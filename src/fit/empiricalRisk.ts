import { LossInputError, readGuarded } from '../errors';
import { checkLoss, checkOptions } from '../validate';
import type { Loss } from '../losses/types';
import type { Vec } from '../vec';
import { risk, type RiskOptions } from '../risk';

/** Anything that scores inputs: a `LinearFit`, a `ThresholdClassifier`, or your own model. */
export interface Scorer<Inputs> {
  predict(X: Inputs): ArrayLike<number>;
}

/**
 * The empirical risk (1/n) Σ loss(yᵢ, f(xᵢ)) of a fitted model on a sample, e.g. a test set:
 * `risk(loss, y, model.predict(X))`, with the same options (weights, reduction). The loss
 * need not be the one the model was fitted with: fit with hinge, evaluate with zeroOne.
 *
 * @example
 * ```ts
 * import { empiricalRisk, fitLinear, fitThreshold, losses } from 'losslab';
 * const fit = fitLinear([[0], [1], [2]], [0, 1, 2], { loss: losses.l2 });
 * empiricalRisk(fit, [[3], [4]], [3, 5], losses.l2).toFixed(9);  // "0.500000000"
 * const h = fitThreshold([1, 2, 3, 4], [-1, -1, 1, 1]);
 * empiricalRisk(h, [0, 2.6, 10], [1, 1, 1], losses.zeroOne);      // 0.3333333333333333
 * ```
 */
export function empiricalRisk<Inputs>(
  model: Scorer<Inputs>,
  X: Inputs,
  y: Vec,
  loss: Loss,
  opts?: RiskOptions,
): number {
  // Checked first: the errors below name the loss, and reading loss.id of a bad loss could throw.
  checkLoss(loss);
  const predict: unknown = readGuarded('model', () =>
    typeof model === 'object' && model !== null ? model.predict : undefined,
  );
  if (typeof predict !== 'function') {
    throw new LossInputError({
      loss: loss.id,
      argument: 'model',
      value: model,
      problem: 'has no predict method',
      domain: 'a fitted model such as fitLinear(...) or fitThreshold(...)',
    });
  }
  // Read once here, so the model's predict runs only on good options.
  const o = opts === undefined ? undefined : checkOptions(loss.id, opts, ['reduction', 'weights']);
  // The model's predict is the caller's code, and X is read only by it: what it throws is named after it.
  let f: unknown;
  try {
    f = predict.call(model, X);
  } catch (cause) {
    if (cause instanceof LossInputError) throw cause;
    throw new LossInputError({
      loss: loss.id,
      argument: 'model.predict',
      problem: 'threw when called on X',
      domain: 'a predict that accepts X',
      cause,
    });
  }
  try {
    return risk(loss, y, f as ArrayLike<number>, o);
  } catch (e) {
    // The caller passed no f: the scores are the model's, so the model is what to fix.
    if (!(e instanceof LossInputError) || e.argument !== 'f') throw e;
    throw new LossInputError({
      loss: e.loss,
      argument: 'model.predict',
      ...(e.index === undefined ? {} : { index: e.index }),
      ...(e.value === undefined ? {} : { value: e.value }),
      problem: `returned f, and f ${e.problem}`,
      ...(e.domain === undefined ? {} : { domain: e.domain }),
      cause: e,
    });
  }
}
