/**
 * Cost per element of risk / derivatives for every loss, next to a plain sum over the same
 * arrays and a generic loop that calls `loss.value` through the object (what the generated
 * kernels replace). Run: `npm run bench:risk` (add `-- --n 1e6` for one size; build first).
 */
// The built package, as users get it: tsx's on-the-fly ESM-to-CJS exports go through
// getters that can stop V8 from inlining the loss formulas into the kernels.
import { derivatives, losses, risk, type Loss } from 'losslab';
import { medianMs, uniformStream } from './harness';

const sizes = process.argv.includes('--n') ? [Number(process.argv[process.argv.indexOf('--n') + 1])] : [1e6, 1e7];

/** Deterministic inputs in each loss's domain. */
function inputs(loss: Loss, n: number): { y: Float64Array; f: Float64Array } {
  const u = uniformStream(12345);
  const y = new Float64Array(n);
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = loss.target === 'sign' ? (u() < 0.5 ? -1 : 1) : loss.target === 'binary' ? (u() < 0.5 ? 0 : 1) : 4 * u() - 2;
    f[i] = loss.prediction === 'probability' ? u() : 4 * u() - 2;
  }
  return { y, f };
}

function plainSum(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function genericSum(loss: Loss, y: Float64Array, f: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += loss.value(y[i], f[i]);
  return s;
}

/** Median ns per element after warm-up. */
function nsPerElement(n: number, run: () => unknown): number {
  return (medianMs(run, n >= 1e7 ? 5 : 15, 3) * 1e6) / n;
}

const pad = (s: string, w: number): string => s.padEnd(w);
const num = (v: number): string => v.toFixed(2).padStart(8);

/** Makes the generic loop see every loss first, as it would in a program that uses several. */
function warmGeneric(): void {
  for (const loss of Object.values(losses) as Loss[]) {
    const { y, f } = inputs(loss, 1000);
    for (let r = 0; r < 50; r++) genericSum(loss, y, f, 1000);
  }
}

warmGeneric();
for (const n of sizes) {
  console.log(`\nn = ${n.toExponential(0)}  (ns per element, median; ratio = risk / plain sum)`);
  console.log(
    `${pad('loss', 24)}${'plain'.padStart(8)}${'risk'.padStart(8)}${'kernel'.padStart(8)}${'derivs'.padStart(8)}${'generic'.padStart(8)}${'ratio'.padStart(8)}`,
  );
  const out = new Float64Array(n);
  for (const loss of Object.values(losses) as Loss[]) {
    const { y, f } = inputs(loss, n);
    const plain = nsPerElement(n, () => plainSum(y, f, n));
    const checked = nsPerElement(n, () => risk(loss, y, f));
    const kernel = nsPerElement(n, () => loss.kernels.sum(y, f, n));
    const derivs = nsPerElement(n, () => derivatives(loss, y, f, out));
    const generic = nsPerElement(n, () => genericSum(loss, y, f, n));
    console.log(
      `${pad(loss.id, 24)}${num(plain)}${num(checked)}${num(kernel)}${num(derivs)}${num(generic)}${num(checked / plain)}`,
    );
  }
}
