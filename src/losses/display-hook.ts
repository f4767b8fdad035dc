/**
 * Values that show themselves in notebooks: losses, fits, figures, datasets.
 *
 * A notebook kernel prints a cell's last value its own way: tslab (and plain Node) through
 * `util.inspect`, Deno's kernel through `Symbol.for('Jupyter.display')`, IJavascript through
 * `_toMime()`. The package's values are made here and in fit/, data/ and plot/, all upstream
 * of display/, which may not be imported from there. So a value only carries hooks that look
 * up its renderer, by kind, in a registry that display/ fills when it loads. The registry is on
 * `globalThis` under a registered symbol because one kernel can load two copies of losslab
 * (the built package and the sources); either copy's renderers serve both copies' values.
 * Without a renderer a value prints as it always did.
 */
import { inspect as utilInspect, type InspectOptionsStylized } from 'node:util';

/** What a value is, for choosing its renderer. `card` values describe themselves (see display/values.ts). */
export type DisplayKind = 'figure' | 'loss' | 'fit' | 'optimalConstant' | 'dataset' | 'card';

/** How display shows one kind of value. */
export interface ValueRenderer {
  /**
   * The text `util.inspect` prints for the value. It may instead send the value to the
   * notebook as an output (when it is a tslab cell's last value) and return ''.
   */
  inspect(value: object, depth: number, options: InspectOptionsStylized, inspect: typeof utilInspect): string;
  /** The MIME bundle, for kernels that ask the value for one. */
  bundle(value: object): Record<string, unknown>;
}

const REGISTRY = Symbol.for('losslab.display.renderers');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');

/** The renderers display registered in this process, by kind. */
export function displayRenderers(): Map<DisplayKind, ValueRenderer> {
  const host = globalThis as typeof globalThis & { [REGISTRY]?: Map<DisplayKind, ValueRenderer> };
  host[REGISTRY] ??= new Map();
  return host[REGISTRY];
}

interface Hooks {
  inspect(this: object, depth: number, options: InspectOptionsStylized, inspect: typeof utilInspect): string;
  bundle(this: object): Record<string, unknown>;
}

const hooks = new Map<DisplayKind, Hooks>();

/** One pair of functions per kind, shared by every value of that kind. */
function hooksFor(kind: DisplayKind): Hooks {
  let made = hooks.get(kind);
  if (made === undefined) {
    made = {
      inspect(depth, options, inspect) {
        const renderer = displayRenderers().get(kind);
        // `customInspect: false` prints the value as if it had no hook: what it printed before.
        return renderer === undefined
          ? inspect(this, { ...options, depth, customInspect: false })
          : renderer.inspect(this, depth, options, inspect);
      },
      bundle() {
        const renderer = displayRenderers().get(kind);
        return renderer === undefined
          ? { 'text/plain': utilInspect(this, { customInspect: false }) }
          : renderer.bundle(this);
      },
    };
    hooks.set(kind, made);
  }
  return made;
}

/**
 * Gives `value` the hooks through which kernels display it, and returns it. They are
 * non-enumerable, so `JSON.stringify`, `Object.keys`, spreading and deep equality see the value
 * exactly as before; a copy made by spreading is a plain object again. Call it before freezing.
 */
export function displayAs<T extends object>(kind: DisplayKind, value: T): T {
  const { inspect, bundle } = hooksFor(kind);
  Object.defineProperties(value, {
    [INSPECT]: { value: inspect, configurable: true },
    [JUPYTER_DISPLAY]: { value: bundle, configurable: true },
    _toMime: { value: bundle, configurable: true },
  });
  return value;
}
