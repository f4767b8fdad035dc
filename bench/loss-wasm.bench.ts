/**
 * Issue #12's gate for the WebAssembly loss loops (assembly/loss.ts): ns per element of
 * `loss.kernels.sumAndDerivatives` in JavaScript against the WebAssembly loop on the same
 * arrays, already in WebAssembly memory (as the smooth solvers hold them), for the logistic loss
 * (labels ±1) and cross-entropy with logits (targets 0 and 1), scores N(0, 9). The two are timed
 * in alternation, best of the repeats; the loop was to stay out unless at least 1.4x faster.
 * Run after `npm run build`: `npx tsx bench/loss-wasm.bench.ts` (`--n 1e5`, `--reps 15`).
 */
import { createRng, losses } from '../dist/index';
import { type ResidentLossLoops, workspace } from '../dist/linalg/wasm';
import { ELEMENTARY_TABLES } from '../dist/losses/elementary';

const arg = (name: string): string | undefined =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const n = Number(arg('--n') ?? 1e6);
const reps = Number(arg('--reps') ?? 25);

const ws = workspace([n, n, n, ELEMENTARY_TABLES.length]);
const loops = ws.lossLoops;
if (loops === null) throw new Error('no WebAssembly SIMD here (or LOSSLAB_WASM=0): nothing to compare');
const [y, f, out, tables] = ws.arrays;
tables.set(ELEMENTARY_TABLES);
const rng = createRng(5);
for (let i = 0; i < n; i++) f[i] = 3 * rng.normal();

const targets: Record<keyof ResidentLossLoops, () => number> = {
  logistic: () => (rng.uniform() < 0.5 ? -1 : 1),
  crossEntropyWithLogits: () => (rng.uniform() < 0.5 ? 0 : 1),
};
for (const name of ['logistic', 'crossEntropyWithLogits'] as const) {
  for (let i = 0; i < n; i++) y[i] = targets[name]();
  const js = losses[name].kernels.sumAndDerivatives;
  const jsY = Float64Array.from(y);
  const jsF = Float64Array.from(f);
  const jsOut = new Float64Array(n);
  let bestJs = Infinity;
  let bestWasm = Infinity;
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    js(jsY, jsF, jsOut, n);
    bestJs = Math.min(bestJs, performance.now() - t);
    t = performance.now();
    loops[name].sumAndDerivatives(y, f, out, n, tables);
    bestWasm = Math.min(bestWasm, performance.now() - t);
  }
  const ns = (ms: number): string => ((ms * 1e6) / n).toFixed(2);
  console.log(
    `${name.padEnd(24)} n = ${n}: JavaScript ${ns(bestJs)} ns, WebAssembly ${ns(bestWasm)} ns per element: ${(bestJs / bestWasm).toFixed(2)}x (best of ${reps})`,
  );
}
ws.release();
