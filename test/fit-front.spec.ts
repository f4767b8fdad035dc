/**
 * The front door, fitLinear: which solver `auto` picks for each kind of problem, that every
 * solver named explicitly either solves the problem or refuses it with a LossInputError
 * saying why, honest endings (converged: false with a reason, never NaN), and bad input.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkOptimality,
  epsilonInsensitive,
  fitLinear,
  fitPath,
  huber,
  LossInputError,
  losses,
  makeClassification,
  makeRegression,
  optimalConstant,
  quantile,
  UnsupportedProblemError,
  type FitOptions,
  type LinearFit,
  type Loss,
  type SolverName,
} from '../src/index';
import { solvers } from '../src/fit/solvers/registry';

const regression = makeRegression({ n: 60, d: 3, seed: 1, noise: 'studentT' });
const classification = makeClassification({ n: 60, d: 3, seed: 2, flipFraction: 0.1 });
const binary = { X: classification.X, y: classification.y.map((v) => (v > 0 ? 1 : 0)) };

function dataFor(loss: Loss): { X: typeof regression.X; y: ArrayLike<number> } {
  if (loss.target === 'sign') return classification;
  if (loss.target === 'binary') return binary;
  return regression;
}

describe('fitLinear: solver: auto', () => {
  const policy: Array<[string, Loss, Partial<FitOptions>, SolverName]> = [
    ['l2 → exact least squares', losses.l2, {}, 'leastSquares'],
    ['l2 + l2 penalty (ridge) → least squares', losses.l2, { l2: 0.1 }, 'leastSquares'],
    ['l2 + l1 penalty (lasso) → coordinate descent', losses.l2, { l1: 0.1 }, 'coordinateDescent'],
    ['l1 → linear programming', losses.l1, {}, 'lp'],
    ['l1 + l1 penalty → linear programming', losses.l1, { l1: 0.1 }, 'lp'],
    ['quantile → linear programming', quantile(0.8), {}, 'lp'],
    ['epsilonInsensitive → linear programming', epsilonInsensitive(0.5), {}, 'lp'],
    ['hinge without penalty → linear programming', losses.hinge, {}, 'lp'],
    ['hinge + l1 penalty → linear programming', losses.hinge, { l1: 0.05 }, 'lp'],
    ['hinge + l2 penalty (SVM) → dual coordinate descent', losses.hinge, { l2: 0.1 }, 'dualCD'],
    ['squared hinge + l2 penalty → Newton (dualCD solves it when named)', losses.squaredHinge, { l2: 0.1 }, 'newton'],
    ['square (classification) → Newton (leastSquares solves it when named)', losses.square, {}, 'newton'],
    ['logistic, small d → Newton', losses.logistic, { l2: 0.01 }, 'newton'],
    ['crossEntropyWithLogits, small d → Newton', losses.crossEntropyWithLogits, { l2: 0.01 }, 'newton'],
    ['huber → Newton', huber(1), {}, 'newton'],
    ['logCosh → Newton', losses.logCosh, {}, 'newton'],
    ['logistic + l1 penalty → proximal gradient', losses.logistic, { l1: 0.01 }, 'proximal'],
    ['huber + l1 penalty → proximal gradient', huber(1), { l1: 0.01 }, 'proximal'],
  ];
  for (const [what, loss, extra, want] of policy) {
    it(what, () => {
      const { X, y } = dataFor(loss);
      const fit = fitLinear(X, y, { loss, ...extra });
      expect(fit.solver).to.equal(want);
      expect(fit.converged, fit.reason).to.equal(true);
      const report = checkOptimality(X, y, fit);
      expect(report.residual, `${what}: residual ${report.residual}`).to.be.below(1e-6 * Math.max(report.scale, 1));
    });
  }

  it('Newton up to the number of parameters fitLinear and the README state, L-BFGS beyond', () => {
    const stated = [
      /`newton` for up to (\d+)\s+\*?\s*parameters/.exec(
        readFileSync(join(__dirname, '..', 'src', 'fit', 'fitLinear.ts'), 'utf8'),
      ),
      /`newton` \(d \+ 1 ≤ (\d+)\)/.exec(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')),
    ].map((m) => Number(m?.[1]));
    expect(stated[0], 'fitLinear.ts and README.md state the same limit').to.equal(stated[1]);
    const limit = stated[0];
    for (const [parameters, want] of [
      [limit, 'newton'],
      [limit + 1, 'lbfgs'],
    ] as const) {
      const data = makeClassification({ n: 3 * parameters, d: parameters - 1, seed: 4, flipFraction: 0.2 });
      expect(
        fitLinear(data.X, data.y, { loss: losses.logistic, l2: 0.01, maxIter: 1 }).solver,
        `${parameters} parameters`,
      ).to.equal(want);
    }
  });

  it('large d with a smooth loss → L-BFGS', () => {
    const wide = makeClassification({ n: 200, d: 40, seed: 3, flipFraction: 0.2 });
    const fit = fitLinear(wide.X, wide.y, { loss: losses.logistic, l2: 0.01 });
    expect(fit.solver).to.equal('lbfgs');
  });

  it('zeroOne: a LossInputError that points to fitThreshold, for auto and for every named solver', () => {
    const { X, y } = classification;
    const attempts: Array<SolverName | 'auto'> = ['auto', ...([...solvers.keys()] as SolverName[])];
    for (const solver of attempts) {
      expect(() => fitLinear(X, y, { loss: losses.zeroOne, solver }), solver).to.throw(LossInputError, /fitThreshold/);
    }
  });

  it('a named solver that cannot solve the problem refuses with the reason', () => {
    expect(() => fitLinear(regression.X, regression.y, { loss: losses.l1, solver: 'leastSquares' })).to.throw(
      LossInputError,
      /squared-error losses only/,
    );
    expect(() => fitLinear(regression.X, regression.y, { loss: losses.l2, solver: 'lp' })).to.throw(
      LossInputError,
      /piecewise-linear/,
    );
    expect(() => fitLinear(regression.X, regression.y, { loss: losses.l1, l2: 0.1, solver: 'lp' })).to.throw(
      LossInputError,
      /quadratic/,
    );
    expect(() => fitLinear(regression.X, regression.y, { loss: losses.l2, l1: 0.1, solver: 'leastSquares' })).to.throw(
      LossInputError,
      /l1 penalty/,
    );
    expect(() => fitLinear(regression.X, regression.y, { loss: losses.l2, solver: 'simplex' as SolverName })).to.throw(
      LossInputError,
      /is not a solver/,
    );
  });

  it('names of Object.prototype members are not solvers: a LossInputError, not a TypeError', () => {
    for (const name of [
      'toString',
      '__proto__',
      'constructor',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      '__defineGetter__',
    ]) {
      expect(
        () => fitLinear(regression.X, regression.y, { loss: losses.l2, solver: name as SolverName }),
        name,
      ).to.throw(LossInputError, /is not a solver/);
    }
    for (const name of [null, 3, {}] as unknown[]) {
      expect(
        () => fitLinear(regression.X, regression.y, { loss: losses.l2, solver: name as SolverName }),
        String(name),
      ).to.throw(LossInputError, /solver/);
    }
  });

  it('a refusal is an UnsupportedProblemError, still a LossInputError by class and by name; bad input is not one', () => {
    const caught = (call: () => unknown): unknown => {
      try {
        call();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const refusals: Array<[string, () => unknown, string]> = [
      [
        'a named solver',
        () => fitLinear(regression.X, regression.y, { loss: losses.l1, solver: 'leastSquares' }),
        'leastSquares',
      ],
      ['no solver at all', () => fitLinear(classification.X, classification.y, { loss: losses.zeroOne }), 'fitLinear'],
      ['the path', () => fitPath(regression.X, regression.y, { loss: losses.l1 }), 'fitPath'],
      ['a non-convex constant', () => optimalConstant(losses.zeroOne, [1, -1, 1]), 'optimalConstant'],
      [
        'a non-convex certificate',
        () => checkOptimality([[1]], [1], { weights: [0], intercept: 0, loss: losses.zeroOne }),
        'checkOptimality',
      ],
    ];
    for (const [what, call, solver] of refusals) {
      const err = caught(call);
      expect(err, what).to.be.instanceOf(UnsupportedProblemError);
      expect(err, what).to.be.instanceOf(LossInputError);
      expect(err, what).to.be.instanceOf(RangeError);
      const e = err as UnsupportedProblemError;
      expect([e.name, e.solver], what).to.deep.equal(['LossInputError', solver]);
    }
    const bad: Array<[string, () => unknown]> = [
      [
        'an unknown solver name',
        () => fitLinear(regression.X, regression.y, { loss: losses.l2, solver: 'simplex' as SolverName }),
      ],
      ['a NaN target', () => fitLinear([[1], [2]], [1, NaN], { loss: losses.l2 })],
      ['a probability loss', () => fitLinear([[1], [2]], [1, 0], { loss: losses.crossEntropy })],
    ];
    for (const [what, call] of bad) {
      const err = caught(call);
      expect(err, what).to.be.instanceOf(LossInputError);
      expect(err, what).to.not.be.instanceOf(UnsupportedProblemError);
    }
  });

  it('every solver named explicitly either returns finite parameters with a reason or refuses with LossInputError', () => {
    const cases: Array<[Loss, Partial<FitOptions>]> = [
      [losses.l2, {}],
      [losses.l1, {}],
      [losses.hinge, { l2: 0.1 }],
      [losses.logistic, { l2: 0.1 }],
      [huber(1), { l1: 0.01 }],
    ];
    for (const [loss, extra] of cases) {
      const { X, y } = dataFor(loss);
      for (const name of [...solvers.keys()] as SolverName[]) {
        let fit: LinearFit;
        try {
          fit = fitLinear(X, y, { loss, ...extra, solver: name, maxIter: 50 });
        } catch (e) {
          expect(e, `${loss.id} with ${name}`).to.be.instanceOf(LossInputError);
          continue;
        }
        expect(fit.solver).to.equal(name);
        expect(Number.isFinite(fit.objective), `${loss.id} with ${name}: objective`).to.equal(true);
        expect(Array.from(fit.weights).every(Number.isFinite), `${loss.id} with ${name}: weights`).to.equal(true);
        expect(fit.reason.length).to.be.above(0);
        expect(fit.converged, `${loss.id} with ${name}: ${fit.status}`).to.equal(fit.status === 'converged');
      }
    }
  });
});

describe('fitLinear: honest endings', () => {
  it('every iterative solver that runs out of iterations says so with status maxIterations, in one wording', () => {
    const runs: Array<[SolverName, Loss, Partial<FitOptions>, string, string]> = [
      ['lp', losses.l1, {}, 'iterations', 'relative duality gap'],
      ['lbfgs', losses.logistic, { l2: 0.1 }, 'iterations', 'gradient norm'],
      ['newton', losses.logistic, { l2: 0.1 }, 'iterations', 'gradient norm'],
      ['gd', losses.logistic, { l2: 0.1 }, 'iterations', 'gradient norm'],
      ['sgd', losses.logistic, { l2: 0.1 }, 'epochs', 'gradient norm'],
      ['subgradient', losses.hinge, { l2: 0.1 }, 'iterations', 'subgradient norm'],
      ['proximal', losses.logistic, { l1: 0.01 }, 'iterations', 'KKT residual'],
      ['coordinateDescent', losses.l2, { l1: 0.01 }, 'sweeps', 'KKT residual'],
      ['dualCD', losses.hinge, { l2: 0.001 }, 'epochs', 'duality gap'],
    ];
    for (const [solver, loss, extra, unit, measure] of runs) {
      const { X, y } = dataFor(loss);
      const fit = fitLinear(X, y, { loss, ...extra, solver, maxIter: 1, tol: 1e-15 });
      expect(fit.status, solver).to.equal('maxIterations');
      expect(fit.converged, solver).to.equal(false);
      expect(fit.reason, solver).to.match(
        new RegExp(`^maxIter 1 ${unit} reached with ${measure} \\S+ > tol 1e-15(;|$)`),
      );
    }
  });

  it('optimality is one quantity for every solver: a subgradient norm at least the smallest one checkOptimality finds', () => {
    const cases: Array<[Loss, Partial<FitOptions>]> = [
      [losses.l2, {}],
      [losses.l2, { l1: 0.05 }],
      [losses.l1, {}],
      [losses.l1, { l1: 0.05 }],
      [losses.hinge, {}],
      [losses.hinge, { l2: 0.1 }],
      [losses.squaredHinge, { l2: 0.1 }],
      [losses.logistic, { l2: 0.1 }],
      [huber(1), { l1: 0.01 }],
      [epsilonInsensitive(0.5), {}],
    ];
    for (const [loss, extra] of cases) {
      const { X, y } = dataFor(loss);
      for (const name of [...solvers.keys()] as SolverName[]) {
        let fit: LinearFit;
        try {
          fit = fitLinear(X, y, { loss, ...extra, solver: name, maxIter: 200 });
        } catch (e) {
          expect(e).to.be.instanceOf(LossInputError);
          continue;
        }
        const report = checkOptimality(X, y, fit);
        const what = `${loss.id} ${JSON.stringify(extra)} by ${name}`;
        // Both sum n terms of size up to report.scale: they may differ by their rounding.
        expect(fit.optimality, what).to.be.at.least(report.residual - 1e-12 * report.scale);
        if (fit.converged && name !== 'lp' && name !== 'dualCD') expect(fit.optimality, what).to.be.at.most(1e-10);
      }
    }
  });

  it('maxIter reached → converged: false with the reason, finite parameters, objective at them', () => {
    const fit = fitLinear(regression.X, regression.y, { loss: quantile(0.3), maxIter: 1 });
    expect(fit.converged).to.equal(false);
    expect(fit.status).to.equal('maxIterations');
    expect(Array.from(fit.weights).every(Number.isFinite)).to.equal(true);
    const f = fit.predict(regression.X);
    const direct = Array.from(f).reduce((s, v, i) => s + quantile(0.3).value(regression.y[i], v), 0) / 60;
    expect(fit.objective).to.be.closeTo(direct, 1e-14);
  });

  it('logistic and exponential on separable data without l2: converged: false and a reason, no NaN', () => {
    const separable = makeClassification({ n: 100, seed: 4, separation: 12 });
    for (const loss of [losses.logistic, losses.exponential]) {
      const fit = fitLinear(separable.X, separable.y, { loss });
      expect(fit.converged, loss.id).to.equal(false);
      expect(fit.status, loss.id).to.equal('noMinimiser');
      expect(fit.reason, loss.id).to.match(/separable/);
      expect(Array.from(fit.weights).every(Number.isFinite)).to.equal(true);
      expect(Number.isFinite(fit.objective)).to.equal(true);
    }
  });

  it('the objective reported is the documented one, recomputed here', () => {
    const fit = fitLinear(regression.X, regression.y, { loss: losses.l1, l1: 0.2 });
    const f = fit.predict(regression.X);
    const mean = Array.from(f).reduce((s, v, i) => s + Math.abs(regression.y[i] - v), 0) / 60;
    const penalty = 0.2 * Array.from(fit.weights).reduce((s, w) => s + Math.abs(w), 0);
    expect(fit.objective).to.be.closeTo(mean + penalty, 1e-14);
  });
});

describe('fitLinear: bad input → LossInputError', () => {
  const X = [
    [1, 2],
    [3, 4],
    [5, 7],
  ];
  const y = [1, 2, 3];
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['ragged X', () => fitLinear([[1, 2], [3]], [1, 2], { loss: losses.l2 }), /ragged/],
    ['n ≠ len(y)', () => fitLinear(X, [1, 2], { loss: losses.l2 }), /length/],
    [
      'NaN in X',
      () =>
        fitLinear(
          [
            [1, Number.NaN],
            [3, 4],
            [5, 7],
          ],
          y,
          { loss: losses.l2 },
        ),
      /NaN/,
    ],
    ['Infinity in y', () => fitLinear(X, [1, Infinity, 3], { loss: losses.l1 }), /infinite/],
    ['labels 0/1 for hinge', () => fitLinear(X, [0, 1, 1], { loss: losses.hinge }), /-1 or \+1/],
    [
      'labels ±1 for crossEntropyWithLogits',
      () => fitLinear(X, [-1, 1, 1], { loss: losses.crossEntropyWithLogits }),
      /\[0, 1\]/,
    ],
    ['probability loss', () => fitLinear(X, [0, 1, 1], { loss: losses.crossEntropy }), /crossEntropyWithLogits/],
    ['negative l1', () => fitLinear(X, y, { loss: losses.l2, l1: -1 }), /negative/],
    ['negative l2', () => fitLinear(X, y, { loss: losses.l2, l2: -0.5 }), /negative/],
    ['NaN l2', () => fitLinear(X, y, { loss: losses.l2, l2: Number.NaN }), /NaN/],
    ['maxIter 0', () => fitLinear(X, y, { loss: losses.l1, maxIter: 0 }), /maxIter/],
    ['negative tol', () => fitLinear(X, y, { loss: losses.l1, tol: -1 }), /tol/],
    ['null options', () => fitLinear(X, y, null as never), /opts/],
    ['an array as options', () => fitLinear(X, y, [{ loss: losses.l2 }] as never), /opts is missing/],
    ['an array as fitPath options', () => fitPath(X, y, [{ loss: losses.l2 }] as never), /opts is missing/],
    ['null l1', () => fitLinear(X, y, { loss: losses.l2, l1: null as never }), /l1/],
    ['null l2', () => fitLinear(X, y, { loss: losses.l2, l2: null as never }), /l2/],
    ['null fitIntercept', () => fitLinear(X, y, { loss: losses.l2, fitIntercept: null as never }), /fitIntercept/],
    ['null maxIter', () => fitLinear(X, y, { loss: losses.l1, maxIter: null as never }), /maxIter/],
    ['null tol', () => fitLinear(X, y, { loss: losses.l1, tol: null as never }), /tol/],
    ['null stepSize', () => fitLinear(X, y, { loss: losses.l2, solver: 'gd', stepSize: null as never }), /stepSize/],
    [
      'null batchSize',
      () => fitLinear(X, y, { loss: losses.l2, solver: 'sgd', batchSize: null as never }),
      /batchSize/,
    ],
    ['null seed', () => fitLinear(X, y, { loss: losses.l2, solver: 'sgd', seed: null as never }), /seed/],
    [
      'null initialIntercept',
      () => fitLinear(X, y, { loss: losses.l2, solver: 'gd', initialIntercept: null as never }),
      /initialIntercept/,
    ],
    [
      'null initialWeights',
      () => fitLinear(X, y, { loss: losses.l2, solver: 'gd', initialWeights: null as never }),
      /initialWeights/,
    ],
    ['no loss', () => fitLinear(X, y, {} as FitOptions), /not a loss/],
    ['empty X', () => fitLinear([], [], { loss: losses.l2 }), /no rows/],
    [
      'Matrix with wrong data length',
      () => fitLinear({ rows: 2, cols: 2, data: new Float64Array(3) }, [1, 2], { loss: losses.l2 }),
      /entries/,
    ],
    ['predict with the wrong width', () => fitLinear(X, y, { loss: losses.l2 }).predict([[1, 2, 3]]), /columns/],
  ];
  for (const [what, call, message] of bad) {
    it(what, () => {
      expect(call).to.throw(LossInputError, message);
    });
  }
});
