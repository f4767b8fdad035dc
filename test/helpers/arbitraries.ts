/** fast-check arbitraries for the points a loss accepts. */
import fc from 'fast-check';
import type { Loss } from '../../src/index';

/** A target in the loss's domain; real targets in [-bound, bound]. */
export function targetArb(loss: Loss, bound = 1e3): fc.Arbitrary<number> {
  switch (loss.target) {
    case 'sign':
      return fc.constantFrom(-1, 1);
    case 'binary':
      return fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
    case 'real':
      return fc.double({ min: -bound, max: bound, noNaN: true });
  }
}

/** A prediction in the loss's domain; real scores in [-bound, bound]. */
export function predictionArb(loss: Loss, bound = 50): fc.Arbitrary<number> {
  return loss.prediction === 'probability'
    ? fc.double({ min: 0, max: 1, noNaN: true })
    : fc.double({ min: -bound, max: bound, noNaN: true });
}
