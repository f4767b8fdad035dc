/**
 * The built package where code generation from strings is forbidden, as under a
 * Content-Security-Policy without 'unsafe-eval': `node --disallow-code-generation-from-strings`
 * makes `new Function` and `eval` throw EvalError. Loading the package, computing a risk and
 * fitting must not need either; a user's `defineLoss` falls back to closures and gives the same
 * bits as the compiled loops it gets where code generation works (this process).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { defineLoss, fitLinear, losses, risk, type LossSpec } from '../src/index';

const ROOT = join(__dirname, '..');

/** A user's loss: (y - f)^4 under the id given, with a formula unlike any built-in's. */
const QUARTIC = `(id) => ({
  id, name: 'quartic', task: 'regression', target: 'real', prediction: 'real',
  value: (y, f) => (y - f) ** 4, derivative: (y, f) => 4 * (f - y) ** 3, secondDerivative: (y, f) => 12 * (y - f) ** 2,
  expression: '(y - f)^4', latex: '(y - f)^4',
  properties: { convex: true, strictlyConvex: false, differentiable: true, twiceDifferentiable: true, lipschitz: null,
    smoothness: null, marginBased: false, axis: 'residual', kinks: [], curvatureJumps: [], boundedInfluence: false,
    classificationCalibrated: null, minimizer: 'a point between the extremes' },
})`;

/** What the child computes, from whichever entry it loads; printed as JSON with exact doubles. */
const PROGRAM = (entry: string): string => `
const l = require(${JSON.stringify(entry)});
const quartic = ${QUARTIC};
let generated = 'allowed';
try { new Function('return 1'); } catch (e) { generated = e.constructor.name; }
const ids = ['1st', 'toString', '__proto__', 'constructor', 'a b', '*/ }) throw 1; ({', 'hinge'];
const mine = ids.map((id) => l.defineLoss(quartic(id)));
const y = [1, -1, 1, -1, 1], f = [2, 0.5, -0.25, -3, 0.75];
const X = [[0, 1], [1, 0], [2, 1], [3, 3], [4, 1], [5, 2]], t = [1, -1, 1, -1, 1, 1];
const hingeMine = mine[ids.indexOf('hinge')];
console.log(JSON.stringify({
  generated,
  hinge: l.risk(l.losses.hinge, y, f),
  logistic: l.risk(l.losses.logistic, y, f),
  fit: Array.from(l.fitLinear(X, t, { loss: l.losses.logistic, l2: 0.1 }).weights),
  mine: mine.map((loss, k) => [loss.id, l.risk(loss, y, f)]),
  mineFit: Array.from(l.fitLinear(X, t, { loss: hingeMine, l2: 0.1 }).weights),
  sharesBuiltIn: ['sum', 'weightedSum', 'values', 'derivatives', 'secondDerivatives', 'sumAndDerivatives']
    .some((k) => hingeMine.kernels[k] === l.losses.hinge.kernels[k] || String(hingeMine.kernels[k]) === String(l.losses.hinge.kernels[k])),
  course: typeof require(${JSON.stringify(join(ROOT, 'dist', 'course'))}).claims,
  badSpecs: [{ target: 'toString' }, { prediction: '__proto__' }, { id: '' }, { value: 'y - f' }].map((bad) => {
    try { l.defineLoss({ ...quartic('bad'), ...bad }); return 'accepted'; } catch (e) { return e.constructor.name; }
  }),
}));`;

interface Output {
  generated: string;
  hinge: number;
  logistic: number;
  fit: number[];
  mine: Array<[string, number]>;
  mineFit: number[];
  sharesBuiltIn: boolean;
  course: string;
  badSpecs: string[];
}

function runBlocked(entry: string, cwd: string): Output {
  const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', PROGRAM(entry)], {
    cwd,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as Output;
}

describe('the built package without code generation from strings', function () {
  this.timeout(60_000);
  const quartic = new Function(`return ${QUARTIC}`)() as (id: string) => LossSpec;
  const y = [1, -1, 1, -1, 1];
  const f = [2, 0.5, -0.25, -3, 0.75];
  const X = [
    [0, 1],
    [1, 0],
    [2, 1],
    [3, 3],
    [4, 1],
    [5, 2],
  ];
  const t = [1, -1, 1, -1, 1, 1];

  for (const [name, entry, cwd] of [
    ["require('./dist')", './dist', ROOT],
    ['the package entry (package.json main)', ROOT, __dirname],
  ] as const) {
    it(`${name}: loads, computes risks and fits, with the bits it has where code generation works`, () => {
      const out = runBlocked(entry, cwd);
      expect(out.generated, 'the flag did not block code generation').to.equal('EvalError');
      // (0 + 1.5 + 1.25 + 0 + 0.25) / 5, every step exact.
      expect(out.hinge).to.equal(0.6);
      expect(out.logistic).to.equal(risk(losses.logistic, y, f));
      expect(out.fit).to.deep.equal(Array.from(fitLinear(X, t, { loss: losses.logistic, l2: 0.1 }).weights));
      expect(out.course).to.equal('object');
    });
  }

  it("defineLoss falls back to closures: any id works ('1st', 'toString', '__proto__', …) and shares no code with a built-in", () => {
    const out = runBlocked('./dist', ROOT);
    // The residuals -1, -1.5, 1.25, 2, 0.25 are dyadic: every power and partial sum is exact.
    const expected = y.reduce((s, yi, i) => s + (yi - f[i]) ** 4, 0) / y.length;
    for (const [id, value] of out.mine) {
      expect(value, id).to.equal(expected);
      expect(value, id).to.equal(risk(defineLoss(quartic(id)), y, f));
    }
    expect(out.mine.map(([id]) => id)).to.deep.equal([
      '1st',
      'toString',
      '__proto__',
      'constructor',
      'a b',
      '*/ }) throw 1; ({',
      'hinge',
    ]);
    expect(out.sharesBuiltIn, "a user's 'hinge' runs the built-in hinge's loops").to.equal(false);
    expect(out.badSpecs, 'a bad spec').to.deep.equal([
      'LossInputError',
      'LossInputError',
      'LossInputError',
      'LossInputError',
    ]);
    expect(out.mineFit).to.deep.equal(
      Array.from(fitLinear(X, t, { loss: defineLoss(quartic('hinge')), l2: 0.1 }).weights),
    );
  });
});
