import type { ResidentLossLoops } from '../linalg/wasm';
import type { Vec } from '../vec';
import type { CheckedKernels } from './kernel';

/**
 * The losses `defineLoss` made, with their checked loops, so that `risk` and the solvers can
 * tell one from a look-alike object: they run a loss's compiled kernels without checking them,
 * and only ours are known to exist, to match the loss's formulas and to read exactly the n
 * elements they are given.
 */
const defined = new WeakMap<object, CheckedKernels>();
/** The package's own losses, whose formulas are known never to give NaN on checked inputs. */
const builtIn = new WeakSet<object>();

export function markDefined(loss: object, checked: CheckedKernels): void {
  defined.set(loss, checked);
}

export function isDefinedLoss(x: unknown): boolean {
  return typeof x === 'object' && x !== null && defined.has(x);
}

/** The loops of risk, values and derivatives with their input checks folded in (kernel.ts). */
export function checkedKernels(loss: object): CheckedKernels {
  const checked = defined.get(loss);
  if (checked === undefined) throw new Error('checkedKernels: not a loss made by defineLoss (call checkLoss first)');
  return checked;
}

export function markBuiltIn(loss: object): void {
  builtIn.add(loss);
}

/** Made by this package (the registry and the families), not by a user's `defineLoss`. */
export function isBuiltInLoss(x: object): boolean {
  return builtIn.has(x);
}

/**
 * The WebAssembly loop (src/linalg/wasm.ts) that gives the same bits as a built-in loss's
 * `kernels.sumAndDerivatives`, and whether it does so for the given targets.
 */
export interface ResidentLoop {
  readonly name: keyof ResidentLossLoops;
  accepts(y: Vec, n: number): boolean;
}

/** Keyed by the loss object, so that a user's loss with the same id never gets one. */
const residentLoops = new WeakMap<object, ResidentLoop>();

export function markResidentLoop(loss: object, loop: ResidentLoop): void {
  residentLoops.set(loss, loop);
}

export function residentLoopOf(loss: object): ResidentLoop | undefined {
  return residentLoops.get(loss);
}
