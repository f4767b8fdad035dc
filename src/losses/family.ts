import { LossInputError } from '../errors';
import type { Loss } from './types';

/**
 * A parametrised family of losses (huber(δ), quantile(τ), ...). Members are cached by
 * parameter value so that `huber(1) === huber(1)`: each member compiles its own kernels,
 * and a sweep that asks for the same member again should not compile them again.
 */
export function family(id: string, param: string, allowed: string, ok: (v: number) => boolean, make: (v: number) => Loss): (v: number) => Loss {
  const members = new Map<number, Loss>();
  return (v: number): Loss => {
    if (typeof v !== 'number' || !ok(v)) {
      throw new LossInputError({ loss: id, argument: param, value: v, domain: allowed, problem: 'is outside the allowed range' });
    }
    let loss = members.get(v);
    if (loss === undefined) {
      loss = make(v);
      members.set(v, loss);
    }
    return loss;
  };
}
