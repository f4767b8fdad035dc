/**
 * The front door of empirical risk minimisation for linear models: validates once, builds
 * the `Problem`, picks a solver, and reports the objective at the returned parameters.
 */
import { LossInputError, readGuarded, UnsupportedProblemError } from '../errors';
import { scores } from '../linalg/dense';
import { displayAs } from '../losses/display-hook';
import type { Vec } from '../vec';
import type { MatrixLike } from '../matrix';
import {
  checkLoss,
  checkMatrix,
  checkNonNegative,
  checkSameLength,
  checkUnwritten,
  readMatrix,
  type SharedMatrix,
  toMatrix,
  toVector,
} from '../validate';
import { objective, objectiveAtScores } from './core/objective';
import { checkBoolean, optional } from './core/options';
import { columnScales, largestEntry, scaleColumns } from './core/scaling';
import { AUTO_ORDER, solvers } from './solvers/registry';
import type { FitOptions, LinearFit, Problem, SolverEntry, SolverName, SolverSettings } from './types';

const DEFAULT_MAX_ITER = 1000;
const DEFAULT_TOL = 1e-10;

/**
 * Fits a linear model f(x) = w·x + b by minimising the regularised empirical risk
 *   (1/n) Σ_i loss(y_i, w·x_i + b) + l1 ‖w‖₁ + (l2/2) ‖w‖₂²
 * (the intercept b is not penalised). `fit.status` says how it ended ('converged',
 * 'maxIterations', 'diverged', 'noMinimiser' or 'stalled'; see `FitStatus`), `fit.reason` says
 * the same in words, and `fit.converged` is `status === 'converged'`; `fit.optimality` is the
 * first-order residual at the answer, whichever solver ran. `fit.unique` is false when the
 * solver can tell that other parameters reach the same objective. A loss without a minimiser
 * (logistic on separable data, l2 = 0) ends with status 'noMinimiser', never NaN.
 *
 * `solver: 'auto'` takes the first solver in `AUTO_ORDER` (solvers/registry.ts) that supports
 * the problem and prefers it. The exact solvers go by what the loss declares in
 * `loss.capabilities`, so a loss made with `defineLoss` gets them too. It works out as:
 * - l2 loss: `leastSquares` (exact QR; ridge too); with l1 > 0, `coordinateDescent`;
 * - l1, quantile(τ), epsilonInsensitive(ε), and hinge without l2 (a linear-programming form):
 *   `lp` (interior point to a certified duality gap, then the exact vertex; l1 penalty allowed);
 * - hinge with l2 > 0 (an SVM dual): `dualCD`;
 * - smooth convex losses (squared hinge and square included): `newton` for up to 16
 *   parameters (d + 1 ≤ 16), `lbfgs` beyond; with l1 > 0, `proximal`;
 * - zeroOne (piecewise constant): an UnsupportedProblemError pointing to `fitThreshold` (no
 *   gradient carries information, and the ERM is NP-hard beyond one dimension).
 * Every solver can also be named; one that cannot solve the problem exactly as posed
 * refuses with an UnsupportedProblemError (a LossInputError) saying why.
 *
 * Every loop of every solver is bounded, so a fit always returns. The gradient and coordinate
 * solvers (lbfgs, newton, gd, sgd, subgradient, proximal, coordinateDescent) work on columns
 * beyond 2^64 in magnitude divided by a power of two (`core/scaling.ts`), so that features near
 * 1e200 neither overflow nor leave tol out of reach; `optimality` measures such a column's
 * partial derivative per unit of its size.
 *
 * X and y are read in place when they are plain Float64Arrays (X as `{ rows, cols, data }`),
 * and X also when its data lies in a SharedArrayBuffer: that is how a large X reaches the
 * worker threads of least squares (`LOSSLAB_THREADS`, README) without a second copy. Nothing
 * may write them while the fit runs (an `onIteration` callback or another thread); a fit that
 * such a write makes fail, or end with a non-finite objective, throws a `LossInputError` naming
 * the entry written. Other array-likes, and y in shared memory, are copied once.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const fit = fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: losses.l2 });
 * fit.weights[0];          // 2
 * fit.intercept;           // 1
 * fit.predict([[10]])[0];  // 21
 * fit.status;              // "converged"
 * ```
 */
export function fitLinear(X: MatrixLike, y: Vec, opts: FitOptions): LinearFit {
  const o = readFitOptions(opts, FIT_KEYS);
  const problem = makeProblem(X, y, o, { entries: false, shared: 'inPlace' });
  const settings = makeSettings(problem, o);
  const entry = pickSolver(problem, o.solver);
  // Every argument but X's entries is checked by now; a solver that reads X first checks them.
  if (entry.checksEntries !== true) largestEntry(problem);
  const scales = entry.columnScaled === true ? columnScales(problem.X, problem.largestEntry) : null;
  let out: ReturnType<SolverEntry['solve']>;
  try {
    out = entry.solve(scales === null ? problem : scaleColumns(problem, scales), settings);
  } catch (error) {
    if (error instanceof LossInputError) refuseIfWritten(problem);
    throw error;
  }
  // A column-scaled problem's scores are of X diag(c): powers of two keep the bits unless a
  // product under- or overflows, which is not worth a proof here; those are recomputed.
  const reached =
    out.scores === undefined || scales !== null
      ? objective(problem, out.weights, out.intercept)
      : objectiveAtScores(problem, out.weights, out.scores);
  if (!Number.isFinite(reached)) refuseIfWritten(problem);
  return displayAs('fit', {
    weights: out.weights,
    intercept: out.intercept,
    objective: reached,
    iterations: out.iterations,
    converged: out.status === 'converged',
    status: out.status,
    reason: out.reason,
    solver: entry.name,
    history: out.history,
    ...(out.unique === undefined ? {} : { unique: out.unique }),
    optimality: out.optimality,
    ...(out.dualityGap === undefined ? {} : { dualityGap: out.dualityGap }),
    loss: problem.loss,
    fitIntercept: problem.fitIntercept,
    l1: problem.l1,
    l2: problem.l2,
    predict(Xnew: MatrixLike): Float64Array {
      const M = toMatrix(Xnew, 'X', problem.loss.id);
      if (M.cols !== problem.d) {
        throw new LossInputError({
          loss: problem.loss.id,
          argument: 'X',
          problem: `has ${M.cols} columns but the model was fitted on ${problem.d}`,
          domain: `${problem.d} columns`,
        });
      }
      return scores(M, out.weights, out.intercept, new Float64Array(M.rows));
    },
  });
}

/** The fields of FitOptions, which readFitOptions copies. */
const FIT_KEYS = [
  'loss',
  'fitIntercept',
  'l1',
  'l2',
  'solver',
  'maxIter',
  'tol',
  'onIteration',
  'initialWeights',
  'initialIntercept',
  'stepSize',
  'batchSize',
  'seed',
] as const satisfies readonly (keyof FitOptions)[];

/**
 * The options object, checked, with the fields in `keys` read once into a plain copy that the
 * fit reads instead: Array.isArray and each field read run the caller's code on a Proxy or a
 * getter, so they run once, under the guard, and one that throws is an error naming `opts`.
 */
export function readFitOptions<T extends object>(opts: T, keys: readonly (keyof T & string)[]): T {
  return readGuarded('opts', () => {
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
      throw new LossInputError({ argument: 'opts', value: opts, problem: 'is missing', domain: '{ loss, ... }' });
    }
    // Starts without `loss` when the caller gave none; checkLoss refuses that in makeProblem.
    const copy = {} as T;
    for (const key of keys) {
      const value = opts[key];
      if (value !== undefined) copy[key] = value;
    }
    return copy;
  });
}

/**
 * Validates the inputs of a fit (options already copied by readFitOptions) and returns the
 * problem solvers work on. `entries: false` leaves the finiteness of X's entries to the caller
 * (fitLinear checks it after choosing the solver, or lets the solver check it).
 */
export function makeProblem(
  X: MatrixLike,
  y: Vec,
  opts: FitOptions,
  check: { entries: boolean; shared?: SharedMatrix } = { entries: true },
): Problem {
  const { loss } = opts;
  checkLoss(loss);
  if (loss.prediction !== 'real') {
    throw new LossInputError({
      loss: loss.id,
      argument: 'loss',
      problem: 'expects probabilities, which a linear score w·x + b is not',
      domain: 'a loss on real scores (use crossEntropyWithLogits instead of crossEntropy)',
    });
  }
  const M = readMatrix(X, 'X', loss.id, check.shared);
  const largestEntry = check.entries ? checkMatrix(M, 'X', loss.id) : undefined;
  // Read once, so the fit computes on the numbers just checked (a Proxy may answer differently
  // twice). A Float64Array comes back as it was given and is used in place, as X's data is: the
  // solvers only read it, and a copy cost 20 ms of a 1e6-row least-squares fit here (fresh
  // pages), 25 ns per element through Float64Array.from.
  const targets = toVector(loss.id, 'y', y, loss.target);
  const n = targets.length;
  checkSameLength(loss.id, 'y', n, 'the rows of X', M.rows);
  const l1 = checkNonNegative(loss.id, 'l1', optional(opts.l1, 0));
  const l2 = checkNonNegative(loss.id, 'l2', optional(opts.l2, 0));
  const fitIntercept = checkBoolean(loss.id, 'fitIntercept', optional(opts.fitIntercept, true));
  return {
    X: M,
    y: targets instanceof Float64Array ? targets : new Float64Array(targets),
    loss,
    n,
    d: M.cols,
    fitIntercept,
    l1,
    l2,
    largestEntry,
  };
}

/**
 * X and a Float64Array y are read where they are, so an `onIteration` callback (or another
 * thread) that writes them changes the problem under the solver, which then ended with a
 * non-finite objective, even as 'converged', or failed naming scores the caller never passed.
 * Such a fit looks at them once more, and an entry now outside its domain is named as written
 * during the fit. With every entry still valid, the overflow (l2 at y = ±1e160) or the failure is
 * the fit's own and stands.
 */
function refuseIfWritten({ X, y, loss }: Problem): void {
  checkUnwritten(loss.id, 'X', X.data, 'real', X.cols);
  checkUnwritten(loss.id, 'y', y, loss.target);
}

function makeSettings(p: Problem, opts: FitOptions): SolverSettings {
  const id = p.loss.id;
  const maxIter = optional(opts.maxIter, DEFAULT_MAX_ITER);
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new LossInputError({
      loss: id,
      argument: 'maxIter',
      value: maxIter,
      problem: 'is not a positive integer',
      domain: 'an integer >= 1',
    });
  }
  const tol = checkNonNegative(id, 'tol', optional(opts.tol, DEFAULT_TOL));
  if (opts.onIteration !== undefined && typeof opts.onIteration !== 'function') {
    throw new LossInputError({
      loss: id,
      argument: 'onIteration',
      value: opts.onIteration,
      problem: 'is not a function',
      domain: 'a function (state) => void',
    });
  }
  let initialWeights: Float64Array | undefined;
  if (opts.initialWeights !== undefined) {
    const given = toVector(id, 'initialWeights', opts.initialWeights, 'real');
    checkSameLength(id, 'initialWeights', given.length, 'the columns of X', p.d);
    initialWeights = new Float64Array(given);
  }
  const initialIntercept =
    opts.initialIntercept === undefined ? 0 : checkFinite(id, 'initialIntercept', opts.initialIntercept);
  const { stepSize } = opts;
  if (
    stepSize !== undefined &&
    stepSize !== 'decaying' &&
    !(typeof stepSize === 'number' && stepSize > 0 && Number.isFinite(stepSize))
  ) {
    throw new LossInputError({
      loss: id,
      argument: 'stepSize',
      value: stepSize,
      problem: 'is not a step size',
      domain: "a finite number > 0 or 'decaying'",
    });
  }
  const batchSize = optional(opts.batchSize, 1);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new LossInputError({
      loss: id,
      argument: 'batchSize',
      value: batchSize,
      problem: 'is not a positive integer',
      domain: 'an integer >= 1',
    });
  }
  const seed = optional(opts.seed, 0);
  if (!Number.isSafeInteger(seed)) {
    throw new LossInputError({
      loss: id,
      argument: 'seed',
      value: seed,
      problem: 'is not a safe integer',
      domain: 'an integer with |seed| <= 2^53 - 1',
    });
  }
  return { maxIter, tol, onIteration: opts.onIteration, initialWeights, initialIntercept, stepSize, batchSize, seed };
}

function checkFinite(loss: string, argument: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new LossInputError({
      loss,
      argument,
      value: v,
      problem: 'is not a finite number',
      domain: 'a finite number',
    });
  }
  return v;
}

/** The solver named by the caller (checked to support the problem), or the first `auto` prefers. */
export function pickSolver(p: Problem, requested: SolverName | 'auto' | undefined): SolverEntry {
  const id = p.loss.id;
  if (p.loss.capabilities.piecewiseConstant === true) {
    // Every solver would fail on this loss for the same reason; say it once, with the way out.
    throw new UnsupportedProblemError('fitLinear', {
      loss: id,
      argument: 'loss',
      problem:
        'is piecewise constant: its derivative is 0 wherever it exists, so no gradient or convex method can fit it, and minimising it over linear models is NP-hard in general (Ben-David, Eiron & Long, J. Comput. Syst. Sci. 66(3), 2003)',
      domain:
        'a convex surrogate such as hinge or logistic; or, for one feature, the exhaustive search fitThreshold(x, y)',
    });
  }
  if (requested === undefined || requested === 'auto') {
    for (const name of AUTO_ORDER) {
      const entry = solvers.get(name);
      if (entry !== undefined && entry.unsupported(p) === null && entry.preferredFor(p)) return entry;
    }
    const reasons = AUTO_ORDER.map((name) => `${name}: ${solvers.get(name)?.unsupported(p) ?? 'not preferred'}`).join(
      '; ',
    );
    throw new UnsupportedProblemError('auto', {
      loss: id,
      argument: 'loss',
      problem: `has no solver for this problem (${reasons})`,
      domain: 'a loss some solver supports',
    });
  }
  const entry = typeof requested === 'string' ? solvers.get(requested) : undefined;
  if (entry === undefined) {
    throw new LossInputError({
      loss: id,
      argument: 'solver',
      value: requested,
      problem: 'is not a solver',
      domain: `'auto' or one of ${[...solvers.keys()].join(', ')}`,
    });
  }
  const why = entry.unsupported(p);
  if (why !== null) {
    throw new UnsupportedProblemError(entry.name, {
      loss: id,
      argument: 'solver',
      value: requested,
      problem: `cannot solve this problem: ${why}`,
      domain: `'auto' or a solver that supports ${id}`,
    });
  }
  return entry;
}
