/**
 * Time to build each figure at the sizes the notebooks use, above all riskSurface's
 * 100 × 100 grid over n = 200 points (2 · 10⁶ loss evaluations through the loss's kernel).
 * Run: `npm run build && npx tsx bench/plot.bench.ts`.
 */
// The built package, as users get it (see risk.bench.ts for why not the sources).
import { lossCurves, losses, riskSurface, type Loss } from 'losslab';
import { medianMs, uniformStream } from './harness';

function data(loss: Loss, n: number): { x: Float64Array; y: Float64Array } {
  const u = uniformStream(777);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 4 * u() - 2;
    const positive = u() < 1 / (1 + Math.exp(-2 * x[i]));
    y[i] =
      loss.target === 'real' ? 1.5 * x[i] + u() - 0.5 : loss.target === 'sign' ? (positive ? 1 : -1) : positive ? 1 : 0;
  }
  return { x, y };
}

/** Median milliseconds of `reps` runs after two warm-ups. */
const time = (run: () => unknown, reps = 7): number => medianMs(run, reps, 2);

console.log('riskSurface, 100 × 100 grid, n = 200 (median ms, and ns per loss evaluation)');
for (const loss of [
  losses.l2,
  losses.huber,
  losses.hinge,
  losses.logistic,
  losses.crossEntropyWithLogits,
  losses.crossEntropy,
  losses.exponential,
]) {
  const { x, y } = data(loss, 200);
  const ms = time(() => riskSurface(loss, x, y, { resolution: 100 }));
  console.log(
    `  ${loss.id.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms  ${((ms * 1e6) / (100 * 100 * 200)).toFixed(1).padStart(5)} ns`,
  );
}
const every = Object.values(losses);
console.log(
  `lossCurves, all ${every.length} losses with the derivative row: ${time(() => lossCurves(every, { derivative: true })).toFixed(1)} ms`,
);
