/**
 * A loss knows what it is: the exact solvers ask a loss for its declared capabilities (its
 * linear-programming form, SVM dual, closed form, optimal constant), never for its identity.
 * So a loss a user writes from scratch with `defineLoss` and the same declaration gets the
 * same exact solver as the built-in, with the same bits; without the declaration it does not;
 * and a declaration that does not describe the loss is refused when the loss is made.
 */
import { expect } from 'chai';
import {
  defineLoss,
  fitLinear,
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
  type LossSpec,
} from '../src/index';

const TAU = 0.3;

/** The pinball loss at τ = 0.3 written from scratch: under-predictions cost 0.3 per unit, over-predictions 0.7. */
const pinballSpec: LossSpec = {
  id: 'asymmetricAbsolute',
  name: 'Asymmetric absolute error',
  task: 'regression',
  target: 'real',
  prediction: 'real',
  value: (y, f) => {
    const r = y - f;
    return r >= 0 ? TAU * r : (TAU - 1) * r;
  },
  derivative: (y, f) => (1 - TAU) * +(f > y) - TAU * +(f < y),
  secondDerivative: () => 0,
  expression: 'y >= f ? 0.3 * (y - f) : 0.7 * (f - y)',
  latex: '0.3 (y - f)_+ + 0.7 (f - y)_+',
  properties: {
    convex: true,
    strictlyConvex: false,
    differentiable: false,
    twiceDifferentiable: false,
    lipschitz: 0.7,
    smoothness: null,
    marginBased: false,
    axis: 'residual',
    kinks: [0],
    curvatureJumps: [],
    boundedInfluence: true,
    classificationCalibrated: null,
    minimizer: 'the 0.3-quantile of Y given x',
  },
};
const pinball = defineLoss({
  ...pinballSpec,
  capabilities: { linearProgram: { lower: TAU - 1, upper: TAU, flat: 0 } },
});
const undeclared = defineLoss({ ...pinballSpec, id: 'undeclared' });

/** Hinge written from scratch, declaring its SVM dual and its linear-programming form. */
const hingeSpec: LossSpec = {
  id: 'myHinge',
  name: 'My hinge',
  task: 'classification',
  target: 'sign',
  prediction: 'real',
  value: (y, f) => Math.max(0, 1 - y * f),
  derivative: (y, f) => (y * f < 1 ? -y : 0),
  secondDerivative: () => 0,
  expression: 'max(0, 1 - y * f)',
  latex: '\\max(0, 1 - y f)',
  properties: { ...losses.hinge.properties },
};
const myHinge = defineLoss({
  ...hingeSpec,
  capabilities: {
    svmDual: { power: 1 },
    linearProgram: { lower: (y) => (y > 0 ? 0 : -1), upper: (y) => (y > 0 ? 1 : 0), flat: 0 },
  },
});

const regression = makeRegression({ n: 80, d: 3, seed: 5, noise: 'studentT', intercept: 2 });
const classification = makeClassification({ n: 70, d: 2, seed: 6, flipFraction: 0.15 });

/** Everything a fit reports, as exact bits, except the loss object itself. */
function fingerprint(fit: LinearFit): string {
  const { loss: _loss, predict: _predict, ...rest } = fit;
  return JSON.stringify(rest, (_key, v: unknown) =>
    v instanceof Float64Array ? Array.from(v, (x) => (Object.is(x, -0) ? '-0' : x)) : v,
  );
}

function sameFits(
  mine: Loss,
  theirs: Loss,
  data: { X: typeof regression.X; y: ArrayLike<number> },
  options: Array<Partial<FitOptions>>,
): void {
  for (const extra of options) {
    const a = fitLinear(data.X, data.y, { loss: mine, ...extra });
    const b = fitLinear(data.X, data.y, { loss: theirs, ...extra });
    expect(a.solver, JSON.stringify(extra)).to.equal(b.solver);
    expect(fingerprint(a), JSON.stringify(extra)).to.equal(fingerprint(b));
  }
}

describe('capabilities: a user loss opts in to the exact solvers by declaring what it is', () => {
  it('a pinball loss written from scratch with a linear-programming form is solved by lp, bit for bit as quantile(0.3)', () => {
    sameFits(pinball, quantile(TAU), regression, [
      {},
      { l1: 0.05 },
      { fitIntercept: false },
      { solver: 'lp', tol: 1e-6 },
    ]);
    const fit = fitLinear(regression.X, regression.y, { loss: pinball });
    expect(fit.solver).to.equal('lp');
    expect(fit.status).to.equal('converged');
    expect(fit.reason).to.match(/exact optimal vertex/);
  });

  it('without the declaration the same loss is not an lp problem: lp refuses it and auto picks a first-order method', () => {
    expect(() => fitLinear(regression.X, regression.y, { loss: undeclared, solver: 'lp' })).to.throw(
      UnsupportedProblemError,
      /capabilities.linearProgram/,
    );
    expect(fitLinear(regression.X, regression.y, { loss: undeclared, maxIter: 20 }).solver).to.equal('subgradient');
  });

  it('a hinge written from scratch gets dualCD with l2 and lp without, bit for bit as the built-in hinge', () => {
    sameFits(myHinge, losses.hinge, classification, [{ l2: 0.1 }, {}, { l1: 0.02 }, { l2: 0.05, fitIntercept: false }]);
    expect(fitLinear(classification.X, classification.y, { loss: myHinge, l2: 0.1 }).solver).to.equal('dualCD');
  });

  it('a squared error written from scratch gets the closed form, bit for bit as l2, and its lasso the coordinate descent', () => {
    const mine = defineLoss({
      id: 'mySquares',
      name: 'My squares',
      task: 'regression',
      target: 'real',
      prediction: 'real',
      value: (y, f) => (y - f) * (y - f),
      derivative: (y, f) => 2 * (f - y),
      secondDerivative: () => 2,
      expression: '(y - f)^2',
      latex: '(y - f)^2',
      properties: { ...losses.l2.properties },
      capabilities: { squaredError: true },
    });
    sameFits(mine, losses.l2, regression, [{}, { l2: 0.5 }, { l1: 0.1 }]);
    expect(fitLinear(regression.X, regression.y, { loss: mine }).solver).to.equal('leastSquares');
  });

  it('a declared optimal constant is what optimalConstant answers; a malformed one is a LossInputError', () => {
    const withConstant = defineLoss({
      ...pinballSpec,
      id: 'pinballWithConstant',
      // The 0.3-quantile: ⌈0.3 n⌉-th smallest, or an interval when 0.3 n is an integer.
      capabilities: {
        optimalConstant: (s) =>
          s.length === 10
            ? { lower: s[2], upper: s[3] }
            : { lower: s[Math.ceil(0.3 * s.length) - 1], upper: s[Math.ceil(0.3 * s.length) - 1] },
      },
    });
    const sample = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    expect(optimalConstant(withConstant, sample)).to.deep.include({ interval: [3, 4], unique: false, value: 3.5 });
    expect(optimalConstant(withConstant, sample).interval).to.deep.equal(
      optimalConstant(quantile(TAU), sample).interval,
    );
    for (const bad of [{ lower: 2, upper: 1 }, { lower: NaN, upper: 1 }, { limit: 5, infimum: 0 }, null]) {
      const broken = defineLoss({
        ...pinballSpec,
        id: 'broken',
        capabilities: { optimalConstant: () => bad as never },
      });
      expect(() => optimalConstant(broken, [1, 2, 3]), JSON.stringify(bad)).to.throw(
        LossInputError,
        /capabilities.optimalConstant/,
      );
    }
  });

  it('a piecewise-constant loss is refused by fitLinear with the way out, whoever defined it', () => {
    const steps = defineLoss({
      id: 'steps',
      name: 'Steps',
      task: 'classification',
      target: 'sign',
      prediction: 'real',
      value: (y, f) => +(y * f <= 0),
      derivative: () => 0,
      secondDerivative: () => 0,
      expression: 'y * f <= 0 ? 1 : 0',
      latex: '1[yf <= 0]',
      properties: { ...losses.zeroOne.properties },
      capabilities: { piecewiseConstant: true },
    });
    expect(() => fitLinear(classification.X, classification.y, { loss: steps })).to.throw(
      UnsupportedProblemError,
      /fitThreshold/,
    );
  });
});

describe('capabilities: a declaration must describe the loss', () => {
  const refused = (
    what: string,
    capabilities: unknown,
    argument: string,
    message: RegExp,
    spec: LossSpec = pinballSpec,
  ): void => {
    let err: unknown;
    try {
      defineLoss({ ...spec, capabilities } as LossSpec);
    } catch (e) {
      err = e;
    }
    expect(err, what).to.be.instanceOf(LossInputError);
    expect((err as LossInputError).argument, what).to.equal(argument);
    expect((err as Error).message, what).to.match(message);
  };

  it('slopes that disagree with the value, or that are not slopes of a convex non-negative loss', () => {
    refused(
      'slopes swapped',
      { linearProgram: { lower: -TAU, upper: 1 - TAU, flat: 0 } },
      'spec.capabilities.linearProgram',
      /does not match the loss's value/,
    );
    refused(
      'a flat part it has not',
      { linearProgram: { lower: TAU - 1, upper: TAU, flat: 0.5 } },
      'spec.capabilities.linearProgram',
      /does not match/,
    );
    refused(
      'lower above 0',
      { linearProgram: { lower: 0.2, upper: 0.3, flat: 0 } },
      'spec.capabilities.linearProgram',
      /has slopes 0.2 and 0.3/,
    );
    refused('no flat', { linearProgram: { lower: -1, upper: 1 } }, 'spec.capabilities.linearProgram', /flat >= 0/);
    refused(
      'a slope function that breaks the rule',
      { linearProgram: { lower: (y: number) => y, upper: 1, flat: 0 } },
      'spec.capabilities.linearProgram',
      /has slopes 2 and 1 at y = 2/,
    );
  });

  it('an SVM dual on a loss that is not max(0, 1 − y f)^power, or not on labels ±1', () => {
    refused(
      'hinge declared squared',
      { svmDual: { power: 2 } },
      'spec.capabilities.svmDual',
      /does not match/,
      hingeSpec,
    );
    refused('power 3', { svmDual: { power: 3 } }, 'spec.capabilities.svmDual', /power: 1/, hingeSpec);
    refused('a regression loss', { svmDual: { power: 1 } }, 'spec.capabilities.svmDual', /labels ±1/);
  });

  it('a closed form or a zero derivative the loss does not have, unknown capabilities, and wrong types', () => {
    refused('not squared error', { squaredError: true }, 'spec.capabilities.squaredError', /\(y − f\)²/);
    refused('not piecewise constant', { piecewiseConstant: true }, 'spec.capabilities.piecewiseConstant', /derivative/);
    refused(
      'a typo',
      { linearProgam: { lower: -1, upper: 1, flat: 0 } },
      'spec.capabilities.linearProgam',
      /is not a capability/,
    );
    refused('a string', 'lp', 'spec.capabilities', /an object/);
    refused(
      'a constant that is not a function',
      { optimalConstant: 3 },
      'spec.capabilities.optimalConstant',
      /a function/,
    );
    refused(
      'a boolean that is a string',
      { squaredError: 'yes' },
      'spec.capabilities.squaredError',
      /true, false or nothing/,
    );
  });

  it('slopes given as functions are checked again at every target a fit uses', () => {
    const lying = defineLoss({
      ...pinballSpec,
      id: 'lying',
      // Right at the few targets defineLoss tries, wrong (lower above 0) beyond 100.
      value: (y, f) => (y > 100 ? Math.abs(y - f) : pinballSpec.value(y, f)),
      capabilities: {
        linearProgram: { lower: (y) => (y > 100 ? 0.5 : TAU - 1), upper: (y) => (y > 100 ? 1 : TAU), flat: 0 },
      },
    });
    expect(() => fitLinear([[0], [1], [2]], [1, 200, 3], { loss: lying })).to.throw(
      LossInputError,
      /slopes 0.5 and 1 at y\[1\] = 200/,
    );
  });

  it('the built-in losses declare theirs, frozen', () => {
    expect(Object.isFrozen(losses.hinge.capabilities)).to.equal(true);
    expect(losses.hinge.capabilities.svmDual).to.deep.equal({ power: 1 });
    expect(losses.squaredHinge.capabilities.svmDual).to.deep.equal({ power: 2 });
    expect(losses.l2.capabilities.squaredError).to.equal(true);
    expect(losses.zeroOne.capabilities.piecewiseConstant).to.equal(true);
    expect(quantile(0.9).capabilities.linearProgram).to.deep.include({ upper: 0.9, flat: 0 });
    expect(losses.logCosh.capabilities).to.deep.equal({});
  });
});
