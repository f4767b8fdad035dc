import { markBuiltIn } from './brand';
import { LossInputError } from '../errors';
import type { Loss } from './types';

/** How many of the most recently used members a family keeps alive on its own. */
export const RECENT_MEMBERS = 16;

/** Each family's count of cached members, for tests that bound it. */
const cacheSizes = new WeakMap<object, () => number>();

/** A parametrised family as the test suites and the README's table see it. */
export interface LossFamily {
  /** The family's name, also its members' ids up to the parameter: `huber` for `huber(2)`. */
  readonly id: string;
  /** The parameter's name in `params`, e.g. `delta`. */
  readonly param: string;
  readonly member: (v: number) => Loss;
  /** Parameters whose members the suites test beside the registry's default. */
  readonly examples: readonly number[];
}

const families: LossFamily[] = [];

/** Every family made so far (all of the package's, once `losses` is loaded), in the order made. */
export function lossFamilies(): readonly LossFamily[] {
  return families;
}

/** How many members of the family `member` its cache still reaches (collected ones excluded). */
export function familyCacheSize(member: object): number {
  return cacheSizes.get(member)?.() ?? 0;
}

/**
 * A parametrised family of losses (huber(δ), quantile(τ), ...). Asking twice for one parameter
 * gives one object (`huber(2) === huber(2)`) for as long as anyone holds it: users compare
 * losses by identity (a chart's series, a fit's loss), and each member compiles its own
 * kernels, which a sweep asking for the same member again should not redo.
 *
 * The cache must not grow with the number of parameters ever asked for (20,000 values of τ
 * kept 99 MB of compiled kernels in a long-running kernel). So members are held weakly —
 * a WeakRef per parameter, its entry removed once the member is collected — and only the
 * RECENT_MEMBERS most recently used are held strongly, so that a loop alternating between a
 * few parameters keeps its compiled kernels. A WeakRef keeps its target alive until the
 * synchronous job that made it ends: a sweep frees its members once it returns. What stays
 * is V8's own: its compilation cache keeps about 80 bytes per distinct kernel source compiled
 * (test/losses-family.spec.ts measures the heap after 20,000 values of τ).
 *
 * `examples` are parameters worth testing beside the default: every suite that runs over all
 * losses runs over these members too, so a new family is tested the moment it is made.
 */
export function family(
  id: string,
  param: string,
  allowed: string,
  ok: (v: number) => boolean,
  make: (v: number) => Loss,
  examples: readonly number[],
): (v: number) => Loss {
  const held = new Map<number, WeakRef<Loss>>();
  const recent = new Map<number, Loss>(); // in order of use, the most recent last
  const collected = new FinalizationRegistry<number>((v) => {
    // A newer member may have taken the parameter over since: remove only a dead entry.
    if (held.get(v)?.deref() === undefined) held.delete(v);
  });
  const member = (v: number): Loss => {
    if (typeof v !== 'number' || !ok(v)) {
      const problem = Number.isNaN(v)
        ? 'is NaN'
        : typeof v === 'number'
          ? 'is outside the allowed range'
          : 'is not a number';
      throw new LossInputError({ loss: id, argument: param, value: v, domain: allowed, problem });
    }
    let loss = recent.get(v) ?? held.get(v)?.deref();
    if (loss === undefined) {
      loss = make(v);
      markBuiltIn(loss);
      held.set(v, new WeakRef(loss));
      collected.register(loss, v);
    }
    recent.delete(v);
    recent.set(v, loss);
    if (recent.size > RECENT_MEMBERS) recent.delete(recent.keys().next().value as number);
    return loss;
  };
  cacheSizes.set(member, () => [...held.values()].filter((ref) => ref.deref() !== undefined).length);
  families.push(Object.freeze({ id, param, member, examples: Object.freeze([...examples]) }));
  return member;
}
