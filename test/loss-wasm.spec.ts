/**
 * The WebAssembly loops of the logistic loss and of cross-entropy with logits (assembly/loss.ts)
 * against the losses' JavaScript `kernels.sumAndDerivatives`: the same bits for every derivative
 * and for the sum, over a million random scores whose magnitudes spread log-uniformly up to 1e4
 * (so that every table entry and both branches of the compensated sum are taken) and over the
 * arguments where exp leaves its main range, tables change entry or the form of σ switches.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  createRng,
  defineLoss,
  fitLinear,
  type FitOptions,
  type LinearFit,
  type Loss,
  losses,
  makeClassification,
  type SolverName,
} from '../src/index';
import { SmoothObjective } from '../src/fit/core/smooth';
import { ELEMENTARY_TABLES } from '../src/losses/elementary';
import {
  kernelBackend,
  lossLoopCount,
  type ResidentLossLoops,
  setKernelPreference,
  workspace,
} from '../src/linalg/wasm';

function bits(a: Float64Array): string[] {
  return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));
}

const nextUp = (x: number): number => x + Math.abs(x) * 2 ** -52;
const nextDown = (x: number): number => x - Math.abs(x) * 2 ** -52;

/** |f| log-uniform on [1e-12, 1e4], either sign. */
function randomScores(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * 10 ** (16 * rng.uniform() - 12));
}

/** Scores where something changes: exp's range and its clamps, subnormals, table steps, zeros. */
function specialScores(): number[] {
  const out = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310, 1, 1e4, Infinity];
  for (const x of [708, 709, 745, 746, 750, 36.7]) out.push(x, nextUp(x), nextDown(x));
  // exp's table index changes at (k + 1/2) ln 2 / 128, log1pUnit's where e^-|z| = j / 128.
  for (let k = 1; k < 300; k += 7) out.push(((k + 0.5) * Math.LN2) / 128);
  for (let j = 1; j <= 128; j += 3) {
    const z = Math.log(128 / j);
    out.push(z, nextUp(z), nextDown(z));
  }
  return [...out, ...out.map((x) => -x)];
}

interface Case {
  name: keyof ResidentLossLoops;
  js: (y: Float64Array, f: Float64Array, out: Float64Array, n: number) => number;
  /** A random target of the loss's domain (for cross-entropy, one the WebAssembly loop takes). */
  target: (u: number, v: number) => number;
  /** Targets at its edges. */
  edges: number[];
}

const CASES: Case[] = [
  {
    name: 'logistic',
    js: losses.logistic.kernels.sumAndDerivatives,
    target: (u) => (u < 0.5 ? -1 : 1),
    edges: [-1, 1],
  },
  {
    name: 'crossEntropyWithLogits',
    js: losses.crossEntropyWithLogits.kernels.sumAndDerivatives,
    target: (u, v) => (u < 0.25 ? 0 : u < 0.5 ? 1 : u < 0.75 ? 0.25 * v : 1 - 0.25 * v * 0.999),
    edges: [0, 1, 0.2499999, 0.7500001, nextDown(0.25), nextUp(0.75), 1e-300, 5e-324, 1 - 2 ** -53],
  },
];

/** Both loops on (y, f): the WebAssembly sum and derivatives, then the JavaScript ones. */
function runBoth(
  loops: ResidentLossLoops,
  c: Case,
  y: number[] | Float64Array,
  f: number[] | Float64Array,
): { sum: number; out: Float64Array; jsSum: number; jsOut: Float64Array } {
  const n = y.length;
  const ws = workspace([n, n, n, ELEMENTARY_TABLES.length]);
  try {
    const [wy, wf, wOut, tables] = ws.arrays;
    wy.set(y);
    wf.set(f);
    tables.set(ELEMENTARY_TABLES);
    const jsOut = new Float64Array(n);
    const jsSum = c.js(Float64Array.from(y), Float64Array.from(f), jsOut, n);
    const sum = loops[c.name].sumAndDerivatives(wy, wf, wOut, n, tables);
    return { sum, out: Float64Array.from(wOut), jsSum, jsOut };
  } finally {
    ws.release();
  }
}

/** Runs both loops on (y, f) and expects the same bits. */
function compare(loops: ResidentLossLoops, c: Case, y: number[] | Float64Array, f: number[] | Float64Array): void {
  const { sum, out, jsSum, jsOut } = runBoth(loops, c, y, f);
  expect(bits(Float64Array.of(sum)), 'sum').to.deep.equal(bits(Float64Array.of(jsSum)));
  const mine = bits(out);
  const theirs = bits(jsOut);
  for (let i = 0; i < y.length; i++) {
    if (mine[i] !== theirs[i]) expect.fail(`out[${i}] at y = ${y[i]}, f = ${f[i]}: ${out[i]} against ${jsOut[i]}`);
  }
}

describe('loss loops in WebAssembly: the bits of the JavaScript loops', () => {
  let loops: ResidentLossLoops;
  before(function () {
    if (kernelBackend() !== 'wasm') this.skip();
    const ws = workspace([1]);
    loops = ws.lossLoops as ResidentLossLoops;
    ws.release();
  });

  for (const c of CASES) {
    it(`${c.name}: 2^20 + 1 random scores, |f| up to 1e4`, () => {
      const n = 2 ** 20 + 1;
      const f = randomScores(n, 12);
      const rng = createRng(13);
      const y = Float64Array.from({ length: n }, () => c.target(rng.uniform(), rng.uniform()));
      compare(loops, c, y, f);
    });

    it(`${c.name}: special scores with every edge target`, () => {
      const scores = specialScores();
      const y: number[] = [];
      const f: number[] = [];
      for (const t of c.edges) {
        for (const s of scores) {
          y.push(t);
          f.push(s);
        }
      }
      compare(loops, c, y, f);
    });

    it(`${c.name}: NaN scores give NaN where JavaScript does`, () => {
      const f = [0.5, Number.NaN, -3, Number.NaN, Number.NaN];
      const y = [c.edges[0], c.edges[1], c.edges[0], c.edges[1], c.edges[0]];
      const { sum, out, jsSum, jsOut } = runBoth(loops, c, y, f);
      expect(Number.isNaN(sum)).to.equal(Number.isNaN(jsSum));
      for (let i = 0; i < f.length; i++)
        expect(Object.is(out[i], jsOut[i]) || (Number.isNaN(out[i]) && Number.isNaN(jsOut[i]))).to.equal(true);
    });

    for (const n of [1, 2, 3, 5]) {
      it(`${c.name}: n = ${n} (a lone last element)`, () => {
        const f = randomScores(n, 20 + n);
        const y = Array.from({ length: n }, (_, i) => c.edges[i % 2]);
        compare(loops, c, y, f);
      });
    }
  }

  for (const c of CASES) {
    it(`${c.name}: along a line, the trial scores, the derivatives, the sum and Σ l'_i ds_i of the JavaScript steps`, () => {
      // core/smooth.ts along() in JavaScript: trial = s + α ds, the fused loop, then dot(l', ds).
      const rng = createRng(31);
      for (const n of [1, 2, 7, 4096 + 3]) {
        const s = randomScores(n, 40 + n);
        const ds = randomScores(n, 50 + n).map((v, i) => (i % 5 === 0 ? 0 : v));
        const y = Float64Array.from({ length: n }, () => c.target(rng.uniform(), rng.uniform()));
        for (const alpha of [0, 1, 0.37, -2.5e-3, 1e-300, 3e4, 1e300]) {
          const jsTrial = Float64Array.from(s, (v, i) => v + alpha * ds[i]);
          const jsOut = new Float64Array(n);
          const jsSum = c.js(y, jsTrial, jsOut, n);
          let jsDot = 0;
          for (let i = 0; i < n; i++) jsDot += jsOut[i] * ds[i];
          const ws = workspace([n, n, n, n, n, ELEMENTARY_TABLES.length, 1]);
          try {
            const [wy, ws_, wds, wTrial, wOut, tables, dot] = ws.arrays;
            wy.set(y);
            ws_.set(s);
            wds.set(ds);
            tables.set(ELEMENTARY_TABLES);
            const sum = loops[c.name].along(wy, ws_, wds, alpha, wTrial, wOut, n, tables, dot);
            const what = `n = ${n}, alpha = ${alpha}`;
            expect(bits(wTrial), `${what}: trial`).to.deep.equal(bits(jsTrial));
            expect(bits(wOut), `${what}: derivatives`).to.deep.equal(bits(jsOut));
            expect(Object.is(sum, jsSum) || (Number.isNaN(sum) && Number.isNaN(jsSum)), `${what}: sum`).to.equal(true);
            expect(Object.is(dot[0], jsDot) || (Number.isNaN(dot[0]) && Number.isNaN(jsDot)), `${what}: dot`).to.equal(
              true,
            );
          } finally {
            ws.release();
          }
        }
      }
    });
  }

  it("logTail's coefficients in assembly/loss.ts are those of tables.generated.ts", () => {
    // A changed last digit moves few results, too few for the random scores to be sure to show it.
    const literals = (file: string, from: RegExp, to: RegExp): string[] => {
      const text = readFileSync(path.join(__dirname, '..', file), 'utf8');
      const start = text.search(from);
      const body = text.slice(start, start + text.slice(start).search(to));
      return [...body.matchAll(/-?0\.\d{6,}/g)].map((m) => m[0]);
    };
    const generated = literals('src/losses/tables.generated.ts', /export function logTail/, /\n}/);
    const assembly = literals('assembly/loss.ts', /const tail = /, /const poly = /);
    expect(generated).to.have.length(8);
    expect(assembly).to.deep.equal(generated);
  });

  it('the loops count their runs (what the fit tests rely on)', () => {
    const before = lossLoopCount();
    compare(loops, CASES[0], [1], [0.5]);
    expect(lossLoopCount()).to.equal(before + 1);
  });
});

/** The fit and how many WebAssembly loss loops ran during it. */
function counted(X: Parameters<typeof fitLinear>[0], y: ArrayLike<number>, opts: FitOptions): [LinearFit, number] {
  const before = lossLoopCount();
  const fit = fitLinear(X, y, opts);
  return [fit, lossLoopCount() - before];
}

function fitBits(fit: LinearFit): string[] {
  return bits(Float64Array.from([...fit.weights, fit.intercept, fit.objective]));
}

describe('smooth solvers: the WebAssembly loss loop, with the bits of the JavaScript one', () => {
  const sign = makeClassification({ n: 3001, d: 7, seed: 4, flipFraction: 0.1 });
  const binary = Float64Array.from(sign.y, (v) => (v > 0 ? 1 : 0));
  before(function () {
    if (kernelBackend() !== 'wasm') this.skip();
  });
  afterEach(() => setKernelPreference('auto'));

  const cases: Array<[string, Loss, ArrayLike<number>, SolverName]> = [
    ['logistic', losses.logistic, sign.y, 'lbfgs'],
    ['logistic', losses.logistic, sign.y, 'newton'],
    ['logistic', losses.logistic, sign.y, 'gd'],
    ['crossEntropyWithLogits', losses.crossEntropyWithLogits, binary, 'lbfgs'],
    ['crossEntropyWithLogits', losses.crossEntropyWithLogits, binary, 'newton'],
    ['crossEntropyWithLogits', losses.crossEntropyWithLogits, binary, 'gd'],
  ];
  for (const [name, loss, y, solver] of cases) {
    it(`${name} ${solver}: weights, intercept and objective as with the JavaScript kernels`, () => {
      const opts: FitOptions = { loss, l2: 1e-3, solver, maxIter: 40 };
      const [wasm, runs] = counted(sign.X, y, opts);
      setKernelPreference('js');
      const [js, jsRuns] = counted(sign.X, y, opts);
      expect(runs, 'WebAssembly loss loops in the first fit').to.be.greaterThan(wasm.iterations);
      expect(jsRuns).to.equal(0);
      expect(fitBits(wasm)).to.deep.equal(fitBits(js));
      expect(wasm.iterations).to.equal(js.iterations);
    });
  }

  it('crossEntropyWithLogits with one target in [1/4, 3/4] keeps the JavaScript loop', () => {
    const soft = Float64Array.from(binary);
    soft[17] = 0.5;
    const [, runs] = counted(sign.X, soft, { loss: losses.crossEntropyWithLogits, l2: 1e-3, solver: 'lbfgs' });
    expect(runs).to.equal(0);
    const [, hard] = counted(sign.X, binary, { loss: losses.crossEntropyWithLogits, l2: 1e-3, solver: 'lbfgs' });
    expect(hard).to.be.greaterThan(0);
  });

  it("a user's loss named 'logistic' or 'crossEntropyWithLogits' runs its own formulas, not the built-in loop", () => {
    const spec = (base: Loss, id: string, scale: number): Parameters<typeof defineLoss>[0] => ({
      id,
      name: `twice ${id}`,
      task: 'classification',
      target: base.target,
      prediction: 'real',
      value: (y: number, f: number) => scale * base.value(y, f),
      derivative: (y: number, f: number) => scale * base.derivative(y, f),
      secondDerivative: (y: number, f: number) => scale * base.secondDerivative(y, f),
      expression: base.expression,
      latex: base.latex,
      properties: {
        ...base.properties,
        lipschitz: scale * (base.properties.lipschitz as number),
        smoothness: scale * (base.properties.smoothness as number),
      },
    });
    for (const [base, y] of [
      [losses.logistic, sign.y],
      [losses.crossEntropyWithLogits, binary],
    ] as const) {
      const opts = (loss: Loss): FitOptions => ({ loss, l2: 1e-2, solver: 'lbfgs', tol: 1e-12 });
      // The same formulas under the same id: its own loop ran (the counter), giving the same bits.
      const [same, sameRuns] = counted(sign.X, y, opts(defineLoss(spec(base, base.id, 1))));
      expect(sameRuns, base.id).to.equal(0);
      const [twice, twiceRuns] = counted(sign.X, y, opts(defineLoss(spec(base, base.id, 2))));
      expect(twiceRuns, base.id).to.equal(0);
      const [builtIn, builtInRuns] = counted(sign.X, y, opts(base));
      expect(builtInRuns, base.id).to.be.greaterThan(0);
      // Twice the loss at the same l2 is the built-in loss at l2 / 2: another minimiser, whose w_0
      // lies about 0.02 away here; with l2 = 1e-2 (strongly convex) and tol 1e-12 each fit is far closer
      // than 1e-3 to its own minimiser.
      expect(Math.abs(twice.weights[0] - builtIn.weights[0]), base.id).to.be.greaterThan(1e-3);
      expect(fitBits(same), base.id).to.deep.equal(fitBits(builtIn));
    }
  });
});

describe('smooth solvers: the diagonal preconditioner in the workspace', () => {
  afterEach(() => setKernelPreference('auto'));

  it('1 / diag of the generalised Hessian, the bits of the row-by-row sum, on either backend', () => {
    const data = makeClassification({ n: 4099, d: 7, seed: 9 });
    const n = data.X.rows;
    const d = data.X.cols;
    const x = data.X.data;
    const l2 = 1e-3;
    const theta = Float64Array.from({ length: d + 1 }, (_, j) => 0.3 - 0.1 * j);
    for (const backend of ['auto', 'js'] as const) {
      setKernelPreference(backend);
      const S = new SmoothObjective({
        X: data.X,
        y: data.y,
        loss: losses.logistic,
        n,
        d,
        fitIntercept: true,
        l1: 0,
        l2,
      });
      S.evaluate(theta, new Float64Array(d + 1));
      // Per column, the terms (c_i x_ij) x_ij added row after row from zero; the intercept's Σ c_i.
      const fromScores = new Float64Array(d + 1);
      for (let i = 0; i < n; i++) {
        const c = losses.logistic.secondDerivative(data.y[i], S.scores[i]);
        for (let j = 0; j < d; j++) fromScores[j] += c * x[i * d + j] * x[i * d + j];
        fromScores[d] += c;
      }
      for (let j = 0; j <= d; j++) fromScores[j] = 1 / (fromScores[j] / n + (j < d ? l2 : 0));
      expect(bits(S.inverseHessianDiagonal()), backend).to.deep.equal(bits(fromScores));
      S.release();
    }
  });
});
