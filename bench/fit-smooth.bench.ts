/**
 * Logistic regression, n = 1e5, d = 20: losslab's L-BFGS and Newton against scikit-learn's
 * LogisticRegression(solver='lbfgs') on the same data, at equal objective. Run:
 * `npx tsx bench/fit-smooth.bench.ts` (add `--n 1e4 --d 50` for other sizes).
 *
 * scikit-learn minimises C Σ log-loss + ½‖w‖²; divided by C n that is losslab's
 * crossEntropyWithLogits objective with 0/1 labels and l2 = 1/(C n). Its `tol` bounds the
 * gradient of the summed objective, n times losslab's mean-form gradient, so sklearn's
 * tol = 1e-4 corresponds to losslab's tol = 1e-4 / n. The data go to a binary file that
 * bench/python/logistic.py reads with numpy.
 *
 * What bounds losslab here (node --cpu-prof, L-BFGS, 11 iterations, 12 evaluations): 27% is
 * the crossEntropyWithLogits kernel (one exp and one log1p per example and evaluation, fused
 * value and derivative, ~25 ns), 45% the scalar products X·d and Xᵀg (two passes over X per
 * iteration at ~1 ns per multiply-add), the rest the line search and set-up. scikit-learn
 * does the products in BLAS (SIMD) and its Cython loss on both cores (OpenMP); with
 * OMP_NUM_THREADS=1 it is no slower here, so the gap is the vector arithmetic, not the threads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLinear, losses, type SolverName } from 'losslab';
import { fastestMs, logisticData } from './harness';

const arg = (name: string, fallback: number): number =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const n = arg('--n', 1e5);
const d = arg('--d', 20);
const C = 1;

const { X, y } = logisticData(n, d);
const dir = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
const file = join(dir, 'logistic.bin');
const bytes = new Float64Array(n * d + n);
bytes.set(X.data);
bytes.set(y, n * d);
writeFileSync(file, new Uint8Array(bytes.buffer));

const sklearnTols = [1e-4, 1e-8];
const python = execFileSync('/usr/bin/python3', [
  join(__dirname, 'python', 'logistic.py'),
  file,
  String(n),
  String(d),
  String(C),
  ...sklearnTols.map(String),
]);
rmSync(dir, { recursive: true, force: true });
const sklearn = python
  .toString()
  .trim()
  .split('\n')
  .map(
    (line) => JSON.parse(line) as { tol: number; ms: number; median: number; objective: number; iterations: number },
  );

console.log(
  `logistic regression (crossEntropyWithLogits, l2 = 1/(C n), C = ${C}), n = ${n}, d = ${d}; fastest of 9 fits`,
);
console.log(
  `${'method'.padEnd(44)}${'ms'.padStart(9)}${'iters'.padStart(7)}${'objective'.padStart(22)}${'ratio'.padStart(8)}`,
);
const row = (label: string, ms: number, iterations: number, objective: number, ratio?: number): void =>
  console.log(
    `${label.padEnd(44)}${ms.toFixed(1).padStart(9)}${String(iterations).padStart(7)}${objective.toPrecision(16).padStart(22)}${ratio === undefined ? '' : ratio.toFixed(2).padStart(8)}`,
  );
const fitWith = (solver: SolverName, tol: number) =>
  fitLinear(X, y, { loss: losses.crossEntropyWithLogits, l2: 1 / (C * n), solver, tol, maxIter: 10000 });
for (const sk of sklearn) {
  row(`sklearn lbfgs tol=${sk.tol} (median ${sk.median.toFixed(0)})`, sk.ms, sk.iterations, sk.objective);
  for (const solver of ['lbfgs', 'newton'] as SolverName[]) {
    // The same stopping rule (tol / n on the mean-form gradient), then the loosest tolerance
    // whose objective is at least as low as scikit-learn's: equal objective.
    const tols = [sk.tol / n, ...[1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12].filter((t) => t > sk.tol / n)];
    const matching = tols.slice(1).find((t) => fitWith(solver, t).objective <= sk.objective);
    for (const [label, tol] of [
      ['same rule', tols[0]],
      ['equal objective', matching],
    ] as const) {
      if (tol === undefined || (label === 'equal objective' && tol === tols[0])) continue;
      let fit = fitWith(solver, tol);
      const ms = fastestMs(() => {
        fit = fitWith(solver, tol);
      }, 9);
      row(`losslab ${solver} tol=${tol.toExponential(0)} (${label})`, ms, fit.iterations, fit.objective, ms / sk.ms);
    }
  }
}
