/**
 * The losses `defineLoss` made, so that `risk` and the solvers can tell one from a look-alike
 * object: they run a loss's compiled kernels without checking them, and only ours are known
 * to exist, to match the loss's formulas and to read exactly the n elements they are given.
 */
const defined = new WeakSet<object>();
/** The package's own losses, whose formulas are known never to give NaN on checked inputs. */
const builtIn = new WeakSet<object>();

export function markDefined(loss: object): void {
  defined.add(loss);
}

export function isDefinedLoss(x: unknown): boolean {
  return typeof x === 'object' && x !== null && defined.has(x);
}

export function markBuiltIn(loss: object): void {
  builtIn.add(loss);
}

/** Made by this package (the registry and the families), not by a user's `defineLoss`. */
export function isBuiltInLoss(x: object): boolean {
  return builtIn.has(x);
}
