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
import { createRng, losses } from '../src/index';
import { ELEMENTARY_TABLES } from '../src/losses/elementary';
import { kernelBackend, lossLoopCount, type ResidentLossLoops, workspace } from '../src/linalg/wasm';

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

/** Runs both loops on (y, f) and expects the same bits. */
function compare(loops: ResidentLossLoops, c: Case, y: number[] | Float64Array, f: number[] | Float64Array): void {
  const n = y.length;
  const ws = workspace([n, n, n, ELEMENTARY_TABLES.length]);
  try {
    const [wy, wf, wOut, tables] = ws.arrays;
    wy.set(y);
    wf.set(f);
    tables.set(ELEMENTARY_TABLES);
    const jsOut = new Float64Array(n);
    const jsSum = c.js(Float64Array.from(y), Float64Array.from(f), jsOut, n);
    const sum = loops[c.name](wy, wf, wOut, n, tables);
    expect(bits(Float64Array.of(sum)), 'sum').to.deep.equal(bits(Float64Array.of(jsSum)));
    const mine = bits(wOut);
    const theirs = bits(jsOut);
    for (let i = 0; i < n; i++) {
      if (mine[i] !== theirs[i]) expect.fail(`out[${i}] at y = ${y[i]}, f = ${f[i]}: ${wOut[i]} against ${jsOut[i]}`);
    }
  } finally {
    ws.release();
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
      const n = f.length;
      const ws = workspace([n, n, n, ELEMENTARY_TABLES.length]);
      const [wy, wf, wOut, tables] = ws.arrays;
      wy.set(y);
      wf.set(f);
      tables.set(ELEMENTARY_TABLES);
      const jsOut = new Float64Array(n);
      const jsSum = c.js(Float64Array.from(y), Float64Array.from(f), jsOut, n);
      const sum = loops[c.name](wy, wf, wOut, n, tables);
      expect(Number.isNaN(sum)).to.equal(Number.isNaN(jsSum));
      for (let i = 0; i < n; i++)
        expect(Object.is(wOut[i], jsOut[i]) || (Number.isNaN(wOut[i]) && Number.isNaN(jsOut[i]))).to.equal(true);
      ws.release();
    });

    for (const n of [1, 2, 3, 5]) {
      it(`${c.name}: n = ${n} (a lone last element)`, () => {
        const f = randomScores(n, 20 + n);
        const y = Array.from({ length: n }, (_, i) => c.edges[i % 2]);
        compare(loops, c, y, f);
      });
    }
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
