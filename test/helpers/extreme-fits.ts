/**
 * The cases of test/fit-extreme.spec.ts, and the child process that runs them: every solver,
 * and fitPath, with every loss on data whose features are 1e5 … 1e300 or whose targets are
 * near the largest double. The spec forks this file and kills it when a case overruns its time
 * limit, so a solver that hangs fails its case instead of hanging mocha.
 *
 * Child usage: node --require tsx/cjs test/helpers/extreme-fits.ts <first case index>
 * It writes the JSON line { start: i } before case i and { done: i, problems, ms } after it.
 */
import {
  checkOptimality,
  epsilonInsensitive,
  fitLinear,
  fitPath,
  LossInputError,
  losses,
  quantile,
  type FitOptions,
  type LinearFit,
  type Loss,
  type SolverName,
} from '../../src/index';
import { objectiveOf, type Data } from './fit-iter';

export type Runner = 'fitPath' | SolverName;

export interface ExtremeCase {
  /** Groups cases into one mocha test. */
  group: string;
  name: string;
  run(): LinearFit[];
  data: Data;
  loss: Loss;
  options: Partial<FitOptions>;
  /** What this particular case must also give, beyond the checks every case gets. */
  expect?: (fit: LinearFit) => string[];
}

export const RUNNERS: readonly Runner[] = [
  'leastSquares',
  'lp',
  'lbfgs',
  'newton',
  'dualCD',
  'gd',
  'sgd',
  'subgradient',
  'proximal',
  'coordinateDescent',
  'fitPath',
];

const LOSSES: readonly Loss[] = [
  losses.l1,
  losses.l2,
  losses.square,
  losses.hinge,
  losses.logistic,
  losses.crossEntropyWithLogits,
  losses.huber,
  losses.logCosh,
  losses.squaredHinge,
  losses.exponential,
  losses.modifiedHuber,
  quantile(0.3),
  epsilonInsensitive(0.5),
  losses.pseudoHuber,
];

const FEATURE_SCALES = [1e5, 1e150, 1e200, 1e300];

/** Two columns: one at `scale` (with small entries beside the large ones), one ordinary. */
function features(scale: number): number[][] {
  return [
    [scale, 1],
    [0, -1],
    [1, 0.5],
    [-scale / 2, 2],
    [2, -0.5],
  ];
}

function targets(loss: Loss, huge: boolean): number[] {
  if (loss.target === 'sign') return [1, -1, 1, -1, -1];
  if (loss.target === 'binary') return [1, 0, 1, 0, 0];
  return huge ? [1.7e308, -1.6e308, 1.2e308, -9e307, 1e308] : [1, 2, 3, -1, 0.5];
}

const OPTIONS: ReadonlyArray<Partial<FitOptions>> = [{}, { l2: 0.1 }, { l1: 0.1 }];

/** Differences from `want` beyond `tolerance` relative, as messages. */
function near(what: string, got: number, want: number, tolerance: number): string[] {
  return Math.abs(got - want) <= tolerance * Math.abs(want) ? [] : [`${what} ${got}, expected ${want}`];
}

/**
 * The three reported hangs and the reported nonsense, exactly as reported, each with what the
 * solver `auto` picks for it must give (the values worked out by hand in the comments).
 */
const REPORTED: Array<{
  name: string;
  data: Data;
  loss: Loss;
  options: Partial<FitOptions>;
  solver: Runner;
  expect: (fit: LinearFit) => string[];
}> = [
  {
    // Rows 2 and 3 (x = 0, 1) fix b = 2.5 (huber's slopes -1/2 and +1/2 cancel), and row 1 is
    // then fitted exactly: w 1e200 + 2.5 = 1, w = -1.5e-200; the objective is (0 + 1/8 + 1/8) / 3.
    name: 'huber, x = 1e200 (reported hang)',
    data: { X: [[1e200], [0], [1]], y: [1, 2, 3] },
    loss: losses.huber,
    options: {},
    solver: 'newton',
    expect: (fit) => [
      ...(fit.status === 'converged' ? [] : [`status ${fit.status}`]),
      ...near('w', fit.weights[0], -1.5e-200, 1e-12),
      ...near('b', fit.intercept, 2.5, 1e-12),
      ...near('objective', fit.objective, 1 / 12, 1e-12),
    ],
  },
  {
    name: 'logistic l2 0.1, x = 1e160 (reported hang)',
    data: { X: [[1e160], [0], [1]], y: [1, -1, 1] },
    loss: losses.logistic,
    options: { l2: 0.1 },
    solver: 'newton',
    expect: (fit) => (fit.status === 'converged' ? [] : [`status ${fit.status}: ${fit.reason}`]),
  },
  {
    name: 'exponential l2 0.1, x = ±1e5, warm start (reported hang)',
    data: { X: [[1e5], [-1e5], [1]], y: [1, 1, -1] },
    loss: losses.exponential,
    options: { l2: 0.1, initialWeights: [-0.0069], maxIter: 5 },
    solver: 'newton',
    // The start has exp(690) ≈ 1.5e299 in its objective; five honest steps must leave it far below.
    expect: (fit) => [
      ...(fit.status === 'maxIterations' && fit.iterations === 5
        ? []
        : [`status ${fit.status} after ${fit.iterations}`]),
      ...(fit.objective < 1e3 ? [] : [`objective ${fit.objective}`]),
    ],
  },
  {
    // w = 1e-6, b = 0 puts every margin at >= 1 (hinge 0) for the penalty 0.1e-6. Lowering w by δ
    // saves 0.1 δ of penalty, but the examples at x = ±1e6 (both at margin 1) then pay 1e6 δ / 4
    // of hinge between them whatever b does; raising it only adds penalty.
    name: 'hinge l1 0.1, x ~ 1e6 (reported NaN)',
    data: { X: [[-1e6], [1e6], [2e6], [3e6]], y: [-1, 1, 1, 1] },
    loss: losses.hinge,
    options: { l1: 0.1 },
    solver: 'lp',
    expect: (fit) => [
      ...(fit.status === 'converged' ? [] : [`status ${fit.status}: ${fit.reason}`]),
      ...near('w', fit.weights[0], 1e-6, 1e-12),
      ...(Math.abs(fit.intercept) <= 1e-12 ? [] : [`b ${fit.intercept}`]),
      ...near('objective', fit.objective, 1e-7, 1e-12),
    ],
  },
  {
    // Such a penalty keeps w = 0, and then b is the median of y, 1: objective (2 + 0 + 0 + 0) / 4.
    name: 'l1 with l1 = 1e300 (reported nonsense)',
    data: { X: [[-1e6], [1e6], [2e6], [3e6]], y: [-1, 1, 1, 1] },
    loss: losses.l1,
    options: { l1: 1e300 },
    solver: 'lp',
    expect: (fit) => [
      ...(fit.status === 'converged' ? [] : [`status ${fit.status}`]),
      ...(fit.weights[0] === 0 ? [] : [`w ${fit.weights[0]}`]),
      ...near('b', fit.intercept, 1, 1e-12),
      ...near('objective', fit.objective, 0.5, 1e-12),
    ],
  },
];

function runnerCall(runner: Runner, data: Data, loss: Loss, options: Partial<FitOptions>): () => LinearFit[] {
  if (runner === 'fitPath') {
    const { l1: _l1, initialWeights: _w, ...rest } = options;
    return () => fitPath(data.X, data.y, { loss, nValues: 4, ...rest }).fits;
  }
  return () => [fitLinear(data.X, data.y, { loss, ...options, solver: runner })];
}

export function extremeCases(): ExtremeCase[] {
  const cases: ExtremeCase[] = [];
  for (const runner of RUNNERS) {
    for (const { name, data, loss, options, solver, expect } of REPORTED) {
      cases.push({
        group: `${runner}: the reported cases`,
        name,
        data,
        loss,
        options,
        run: runnerCall(runner, data, loss, options),
        ...(runner === solver ? { expect } : {}),
      });
    }
    const sets: Array<{ label: string; scale: number; huge: boolean }> = [
      ...FEATURE_SCALES.map((scale) => ({ label: `features ${scale}`, scale, huge: false })),
      { label: 'targets near 1.7e308', scale: 1, huge: true },
      { label: 'features 1e300, targets near 1.7e308', scale: 1e300, huge: true },
    ];
    for (const { label, scale, huge } of sets) {
      for (const loss of LOSSES) {
        if (huge && loss.target !== 'real') continue;
        const data = { X: features(scale), y: targets(loss, huge) };
        for (const options of OPTIONS) {
          if (runner === 'fitPath' && options.l1 !== undefined) continue;
          cases.push({
            group: `${runner}: ${label}`,
            name: `${loss.id} ${JSON.stringify(options)}`,
            data,
            loss,
            options,
            run: runnerCall(runner, data, loss, options),
          });
        }
      }
    }
  }
  return cases;
}

const STATUSES = ['converged', 'maxIterations', 'diverged', 'noMinimiser', 'stalled'];

/**
 * What is wrong with one outcome: anything not finite where it must be, NaN anywhere, a
 * status that disagrees with `converged`, or a claim of convergence that the certificate or
 * the objective at w = 0 contradicts. Empty when the outcome is acceptable.
 */
export function judge(c: ExtremeCase, fits: LinearFit[]): string[] {
  const problems: string[] = [];
  const say = (what: string): void => {
    problems.push(what);
  };
  if (c.expect !== undefined && fits.length === 1) problems.push(...c.expect(fits[0]));
  for (const fit of fits) {
    const where = fits.length > 1 ? `fit l1 = ${fit.l1}: ` : '';
    if (!Array.from(fit.weights).every(Number.isFinite)) say(`${where}weights ${Array.from(fit.weights)}`);
    if (!Number.isFinite(fit.intercept)) say(`${where}intercept ${fit.intercept}`);
    // +Infinity is honest where the objective exceeds the largest double (squares of residuals near 1e308).
    if (Number.isNaN(fit.objective) || fit.objective === -Infinity) say(`${where}objective ${fit.objective}`);
    if (fit.optimality !== undefined && Number.isNaN(fit.optimality)) say(`${where}optimality NaN`);
    if (fit.history.some((h) => Number.isNaN(h.objective) || Number.isNaN(h.optimality))) say(`${where}NaN in history`);
    if (typeof fit.reason !== 'string' || fit.reason.length === 0) say(`${where}no reason`);
    if (!STATUSES.includes(fit.status)) say(`${where}status ${String(fit.status)}`);
    if (fit.converged !== (fit.status === 'converged'))
      say(`${where}converged ${fit.converged} but status ${fit.status}`);
    if (problems.length > 0) continue;
    const report = checkOptimality(c.data.X, c.data.y, fit);
    if (Number.isNaN(report.residual) || Number.isNaN(report.scale)) say(`${where}checkOptimality gave NaN`);
    if (fit.dualityGap !== undefined && !(fit.dualityGap >= 0)) say(`${where}duality gap ${fit.dualityGap}`);
    // Nonsense check: a solver that only ever accepts descent (or keeps its best point) never
    // ends above where it started. sgd steps blindly, a diverged run returns its last finite
    // step, and a path's fits start from each other: those are left out.
    if (fits.length === 1 && fit.solver !== 'sgd' && fit.status !== 'diverged') {
      const w0 =
        c.options.initialWeights === undefined
          ? new Array<number>(fit.weights.length).fill(0)
          : Array.from(c.options.initialWeights);
      const start = objectiveOf(c.data, c.loss, w0, c.options.initialIntercept ?? 0, fit.l1, fit.l2);
      // Relative slack for the rounding of two sums of n terms, which may differ in order.
      if (Number.isFinite(start) && !(fit.objective <= start * (1 + 1e-12)))
        say(`${where}ended at objective ${fit.objective}, above ${start} where it started`);
    }
    if (!fit.converged) continue;
    // A claim of convergence must never lose to w = 0, b = 0, and, for the solvers that stop on
    // the gradient or KKT residual, survive the certificate. (A small duality gap bounds the
    // objective's excess, not the gradient: with features near 1e5 a gap of 1e-13 allows a
    // gradient of 1e-2, so lp and dualCD answer for their gap alone.)
    if (fit.dualityGap === undefined && !(report.residual <= 1e-6 * report.scale) && !(report.residual <= 1e-6)) {
      say(
        `${where}converged (${fit.reason}) but the certificate gives residual ${report.residual} at scale ${report.scale}`,
      );
    }
    const zero = objectiveOf(c.data, c.loss, new Array<number>(fit.weights.length).fill(0), 0, fit.l1, fit.l2);
    if (Number.isFinite(zero) && !(fit.objective <= zero * (1 + 1e-12) + 1e-300)) {
      say(`${where}converged to objective ${fit.objective}, worse than ${zero} at w = 0, b = 0`);
    }
  }
  return problems;
}

function runChild(first: number): void {
  const cases = extremeCases();
  // Writes to a pipe are synchronous on Linux and macOS, so a line is out before a case can hang.
  const send = (message: object): void => {
    process.stdout.write(`${JSON.stringify(message)}\n`);
  };
  for (let i = first; i < cases.length; i++) {
    send({ start: i });
    const started = Date.now();
    let problems: string[];
    try {
      const fits = cases[i].run();
      try {
        problems = judge(cases[i], fits);
      } catch (e) {
        problems = [`judging the result threw ${(e as Error)?.name}: ${(e as Error)?.message}`];
      }
    } catch (e) {
      // Refusing a problem it cannot honestly solve is allowed, with a LossInputError only.
      problems = e instanceof LossInputError ? [] : [`threw ${(e as Error)?.name}: ${(e as Error)?.message}`];
    }
    send({ done: i, problems, ms: Date.now() - started });
  }
}

if (require.main === module) runChild(Number(process.argv[2] ?? 0));
