/**
 * The losses `defineLoss` made, so that `risk` and the solvers can tell one from a look-alike
 * object: they run a loss's compiled kernels without checking them, and only ours are known
 * to exist, to match the loss's formulas and to read exactly the n elements they are given.
 */
const defined = new WeakSet<object>();

export function markDefined(loss: object): void {
  defined.add(loss);
}

export function isDefinedLoss(x: unknown): boolean {
  return typeof x === 'object' && x !== null && defined.has(x);
}
