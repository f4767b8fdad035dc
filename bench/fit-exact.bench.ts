/**
 * The exact solvers side by side with native code, on the same data (written from JS to a
 * binary file that bench/python/fit_exact.py reads with numpy):
 * - l2, n = 1e5, d = 50: losslab's leastSquares (blocked Householder QR + SVD of R) against
 *   numpy.linalg.lstsq, numpy.linalg.qr + solve, and scipy.linalg.qr(mode='r') + solve, all
 *   on OpenBLAS. Target: within 3x.
 * - l1 (LAD), n = 1e5, d = 10: losslab's lp (interior point + vertex) against scikit-learn's
 *   QuantileRegressor(quantile=0.5, alpha=0) with HiGHS. Target: well under, at equal objective.
 *   The default is solver='highs-ipm', HiGHS's fastest here; `--sklearn highs` lets HiGHS
 *   choose (dual simplex: minutes at this size).
 * - `--sizes`: ms per fit and the objective for n = 1e4 … 1e6 and d = 10 … 100; for l1 and
 *   hinge also on tied data (x in {0, 1, 2}, integer y), where a fifth to a half of the
 *   examples sit exactly on the kink at the optimum and the certificate must search over all
 *   of them (it was quadratic in their number: 8 s for LAD and 50 s for hinge at n = 1e5, d = 1).
 *   `--sizes --write README.md` also puts the continuous rows into the README's table (between
 *   its fit-sizes markers).
 * - a robustness sweep: 1 000 fits of n = 200, d = 2 each for l1, l2 and huber (target < 2 s).
 * Times are medians of repeated fits after one warm-up (wall clock; the machine has 2 cores).
 *
 * Run: `npx tsx bench/fit-exact.bench.ts [--sizes [--write README.md]] [--sklearn highs|highs-ipm|highs-ds]`.
 * The targets of issue #12 are in bench/fit-targets.bench.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkOptimality,
  fitLinear,
  huber,
  losses,
  makeRegression,
  type Dataset,
  type LinearFit,
  type Loss,
} from 'losslab';
import { medianMs, uniformStream } from './harness';

const argument = (name: string, fallback: string): string =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;
const sklearnSolver = argument('--sklearn', 'highs-ipm');
const dir = mkdtempSync(join(tmpdir(), 'losslab-bench-exact-'));

interface NativeResult {
  method: string;
  ms: number;
  objective: number;
}

function native(mode: 'l2' | 'lad', data: Dataset, reps: number): NativeResult[] {
  const { rows: n, cols: d } = data.X;
  const file = join(dir, `${mode}.bin`);
  const bytes = new Float64Array(n * d + n);
  bytes.set(data.X.data);
  bytes.set(data.y, n * d);
  writeFileSync(file, new Uint8Array(bytes.buffer));
  const args = [
    join(__dirname, 'python', 'fit_exact.py'),
    mode,
    file,
    String(n),
    String(d),
    String(reps),
    ...(mode === 'lad' ? [sklearnSolver] : []),
  ];
  const out = execFileSync('/usr/bin/python3', args, { maxBuffer: 1 << 20 }).toString();
  rmSync(file);
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as NativeResult);
}

function row(method: string, ms: number, objective: number, ratio?: number): string {
  const r = ratio === undefined ? '' : ratio.toFixed(2);
  return `${method.padEnd(40)}${ms.toFixed(1).padStart(10)}${objective.toPrecision(16).padStart(24)}${r.padStart(9)}`;
}

function timeFit(data: Dataset, loss: Loss, reps: number): { ms: number; fit: LinearFit } {
  let fit = fitLinear(data.X, data.y, { loss });
  const ms = medianMs(() => {
    fit = fitLinear(data.X, data.y, { loss });
  }, reps);
  return { ms, fit };
}

function headline(
  title: string,
  mode: 'l2' | 'lad',
  data: Dataset,
  loss: Loss,
  reps: number,
  nativeReps: number,
): void {
  const { ms, fit } = timeFit(data, loss, reps);
  const others = native(mode, data, nativeReps);
  console.log(`\n${title}`);
  console.log(`${'method'.padEnd(40)}${'ms'.padStart(10)}${'objective'.padStart(24)}${'losslab / it'.padStart(14)}`);
  console.log(row(`losslab ${fit.solver}`, ms, fit.objective));
  for (const o of others) console.log(row(o.method, o.ms, o.objective, ms / o.ms));
  const best = Math.min(...others.map((o) => o.objective));
  console.log(
    `objective: losslab ${fit.objective.toPrecision(16)}, best native ${best.toPrecision(16)}, (losslab − native) / native = ${((fit.objective - best) / best).toExponential(2)}; ${fit.reason}`,
  );
}

/**
 * Tied data: every xᵢⱼ in {0, 1, 2} and integer targets, so that the optimum puts many
 * examples exactly on the kink. l1: y = round(Σⱼ wⱼ xᵢⱼ + uniform(−2, 2)) with wⱼ in
 * {−1, 0, 1}; hinge: the sign of Σⱼ wⱼ xᵢⱼ + an integer in {−2, …, 2} (+1 on 0).
 */
function tied(n: number, d: number, classification: boolean, seed: number): Dataset {
  const u = uniformStream(seed);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < d; j++) {
      const x = Math.floor(3 * u());
      X[i * d + j] = x;
      score += ((j % 3) - 1 + (d === 1 ? 3 : 0)) * x;
    }
    y[i] = classification
      ? score - (d === 1 ? 3 : 0) + Math.floor(5 * u()) - 2 >= 0
        ? 1
        : -1
      : Math.round(score + 4 * u() - 2);
  }
  return {
    X: { rows: n, cols: d, data: X },
    y,
    trueWeights: new Float64Array(d),
    trueIntercept: 0,
    outlierMask: new Uint8Array(n),
  };
}

/** 10⁴ for 1e4. */
function power(n: number): string {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return `10${[...String(Math.round(Math.log10(n)))].map((c) => digits[Number(c)]).join('')}`;
}

/** Milliseconds as the README shows them: one decimal below 1000, else whole with a space per thousand. */
function readmeMs(ms: number): string {
  return ms < 1000 ? ms.toFixed(1) : String(Math.round(ms)).replace(/\B(?=(\d{3})+$)/g, ' ');
}

/** Replaces the README's size table (between its fit-sizes markers) with these rows. */
function writeSizes(file: string, table: string[]): void {
  const start = '<!-- fit-sizes:start -->';
  const end = '<!-- fit-sizes:end -->';
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} section`);
  const section = [
    start,
    `ms per fit (median of 3) and the objective reached, written by \`npx tsx bench/fit-exact.bench.ts --sizes --write README.md\` (load average ${load()} at the end):`,
    '',
    '| loss | n | d | ms | objective | solver |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...table,
    '',
    '',
  ].join('\n');
  writeFileSync(file, text.slice(0, a) + section + text.slice(b));
  console.log(`wrote the size table into ${file}`);
}

const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()} (2 cores; other work on the machine slows every column alike)`);
try {
  headline(
    'l2 loss, n = 1e5, d = 50 (median of 5 fits)',
    'l2',
    makeRegression({ n: 1e5, d: 50, seed: 1 }),
    losses.l2,
    5,
    5,
  );
  headline(
    `l1 loss (LAD), n = 1e5, d = 10, Student-t(3) noise (losslab median of 3 fits, sklearn 1 fit)`,
    'lad',
    makeRegression({ n: 1e5, d: 10, seed: 2, noise: 'studentT', df: 3 }),
    losses.l1,
    3,
    1,
  );

  if (process.argv.includes('--sizes')) {
    console.log('\nms per fit (median of 3) and objective reached, by size');
    console.log(
      `${'loss'.padEnd(8)}${'data'.padEnd(12)}${'n'.padStart(9)}${'d'.padStart(5)}${'ms'.padStart(10)}${'objective'.padStart(24)}${'at kink'.padStart(10)}  solver`,
    );
    const sizes: Array<[Loss, 'continuous' | 'tied', number, number]> = [];
    for (const n of [1e4, 1e5, 1e6]) for (const d of [10, 50, 100]) sizes.push([losses.l2, 'continuous', n, d]);
    for (const n of [1e4, 1e5, 1e6]) for (const d of [10, 50]) sizes.push([losses.l1, 'continuous', n, d]);
    for (const loss of [losses.l1, losses.hinge])
      for (const n of [1e4, 1e5, 1e6]) for (const d of [1, 10]) sizes.push([loss, 'tied', n, d]);
    const table: string[] = [];
    for (const [loss, kind, n, d] of sizes) {
      const data =
        kind === 'tied'
          ? tied(n, d, loss === losses.hinge, 3)
          : makeRegression({ n, d, seed: 3, noise: loss === losses.l1 ? 'studentT' : 'normal' });
      const { ms, fit } = timeFit(data, loss, 3);
      const atKink = loss === losses.l2 ? '' : String(checkOptimality(data.X, data.y, fit).atKink);
      console.log(
        `${loss.id.padEnd(8)}${kind.padEnd(12)}${n.toExponential(0).padStart(9)}${String(d).padStart(5)}${ms.toFixed(1).padStart(10)}${fit.objective.toPrecision(16).padStart(24)}${atKink.padStart(10)}  ${fit.solver}`,
      );
      if (kind === 'continuous')
        table.push(
          `| ${loss.id} | ${power(n)} | ${d} | ${readmeMs(ms)} | ${fit.objective.toPrecision(16)} | ${fit.solver} |`,
        );
    }
    const target = argument('--write', '');
    if (target !== '') writeSizes(target, table);
  }

  console.log('\nrobustness sweep: 1 000 fits of n = 200, d = 2 (data drawn before timing)');
  const sets = Array.from({ length: 1000 }, (_, k) =>
    makeRegression({ n: 200, d: 2, seed: 1000 + k, noise: 'studentT', df: 2, outliers: { fraction: 0.1 } }),
  );
  for (const loss of [losses.l1, losses.l2, huber(1)]) {
    for (const s of sets.slice(0, 50)) fitLinear(s.X, s.y, { loss });
    const t0 = process.hrtime.bigint();
    let converged = 0;
    for (const s of sets) if (fitLinear(s.X, s.y, { loss }).converged) converged++;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      `${loss.id.padEnd(8)}${ms.toFixed(0).padStart(8)} ms for 1000 fits (${converged} converged; target < 2000 ms)`,
    );
  }
  console.log(`\nload average at end: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
