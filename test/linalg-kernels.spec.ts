/**
 * The dense kernels in WebAssembly (assembly/dense.ts, SIMD) and in JavaScript
 * (src/linalg/kernels.ts) add in the same order, so they must agree to the bit, on every shape
 * (odd and even widths, row counts that are not multiples of 4 or of a chunk) and on values
 * whose sums round differently in another order (magnitudes spread over 2^±40).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHUNK_ROWS, gramStride, jsKernels } from '../src/linalg/kernels';
import { kernelBackend, setKernelPreference, workspace } from '../src/linalg/wasm';
import { createRng, fitLinear, losses, makeRegression, type LinearFit } from '../src/index';

const ROOT = path.join(__dirname, '..');

function fill(a: Float64Array, seed: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * 2 ** Math.round(80 * rng.uniform() - 40);
}

function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

const SHAPES: Array<[number, number]> = [
  [1, 1],
  [3, 2],
  [4, 3],
  [7, 5],
  [9, 8],
  [CHUNK_ROWS + 5, 7],
  [2 * CHUNK_ROWS + 3, 4],
  [130, 51],
];

describe('dense kernels: WebAssembly SIMD and JavaScript give the same bits', () => {
  before(function () {
    // Without WebAssembly SIMD there is nothing to compare (CI's Node has it).
    if (kernelBackend() !== 'wasm') this.skip();
  });

  for (const [rows, cols] of SHAPES) {
    it(`scores, transposeTimes: ${rows} × ${cols}`, () => {
      const ws = workspace([rows * cols, cols, rows, rows, cols, cols]);
      expect(ws.kernels.name).to.equal('wasm');
      const [x, v, out, g, tOut, partial] = ws.arrays;
      fill(x, rows * 31 + cols);
      fill(v, 7);
      fill(g, 8);
      const jsOut = new Float64Array(rows);
      ws.kernels.scores(x, rows, cols, v, 0.25, out);
      jsKernels.scores(x, rows, cols, v, 0.25, jsOut);
      expect(bits(out)).to.equal(bits(jsOut));
      const jsT = new Float64Array(cols);
      ws.kernels.transposeTimes(x, rows, cols, g, tOut, partial);
      jsKernels.transposeTimes(x, rows, cols, g, jsT, new Float64Array(cols));
      expect(bits(tOut)).to.equal(bits(jsT));
      // The first chunk again, in blocks of 8 rows added one after another onto the same partial
      // sum: the same groups of four, so the same bits as the chunk taken whole.
      const chunk = Math.min(rows, CHUNK_ROWS);
      const whole = new Float64Array(cols);
      jsKernels.transposeTimes(x.subarray(0, chunk * cols), chunk, cols, g, whole, new Float64Array(cols));
      for (const kernels of [ws.kernels, jsKernels]) {
        partial.fill(0);
        for (let at = 0; at < chunk; at += 8) {
          const r = Math.min(8, chunk - at);
          kernels.transposeTimesAdd(x.subarray(at * cols, (at + r) * cols), r, cols, g.subarray(at, at + r), partial);
        }
        expect(bits(partial.map((v) => 0 + v)), `${kernels.name}: blocks`).to.equal(bits(whole));
      }
      ws.release();
    });

    it(`weightedGram: ${rows} × ${cols}`, () => {
      const ws = workspace([rows * cols, rows, cols * cols, (rows + 4) * cols]);
      const [a, theta, C, scratch] = ws.arrays;
      fill(a, rows * 7 + cols);
      fill(theta, 16);
      fill(C, 17);
      const js = Float64Array.from(C);
      ws.kernels.weightedGram(a, rows, cols, theta, scratch, C);
      jsKernels.weightedGram(a, rows, cols, theta, scratch, js);
      for (let j = 0; j < cols; j++) {
        expect(bits(C.subarray(j * cols, j * cols + j + 1)), `row ${j}`).to.equal(
          bits(js.subarray(j * cols, j * cols + j + 1)),
        );
      }
      ws.release();
    });

    it(`weightedSquares: ${rows} × ${cols}`, () => {
      const ws = workspace([rows * cols, rows, cols]);
      const [x, c, out] = ws.arrays;
      fill(x, rows * 5 + cols);
      fill(c, 18);
      // Whatever out held before must not count.
      out.fill(Number.NaN);
      const js = new Float64Array(cols).fill(Number.NaN);
      ws.kernels.weightedSquares(x, rows, cols, c, out);
      jsKernels.weightedSquares(x, rows, cols, c, js);
      expect(bits(out)).to.equal(bits(js));
      ws.release();
    });

    it(`columnStats: ${rows} × ${cols}, with ±0, infinities and NaN among the entries`, () => {
      const ws = workspace([rows * cols, cols, cols, cols]);
      const [raw, sums, lo, hi] = ws.arrays;
      fill(raw, rows * 3 + cols);
      const rng = createRng(rows + cols);
      const specials = [0, -0, Infinity, -Infinity, Number.NaN, Number.MAX_VALUE];
      for (let k = 0; k < Math.min(rows, 6); k++) raw[rng.integer(rows * cols)] = specials[k];
      // A column that only holds zeros of both signs keeps whichever came first in lo and hi.
      for (let i = 0; i < rows; i++) raw[i * cols + cols - 1] = i % 2 === 0 ? 0 : -0;
      const js = { sums: new Float64Array(cols), lo: new Float64Array(cols), hi: new Float64Array(cols) };
      for (const a of [sums, js.sums]) a.fill(0.5);
      for (const a of [lo, js.lo]) a.fill(Infinity);
      for (const a of [hi, js.hi]) a.fill(-Infinity);
      // Twice over, so that the second call starts from the first call's results.
      for (let pass = 0; pass < 2; pass++) {
        ws.kernels.columnStats(raw, rows, cols, sums, lo, hi);
        jsKernels.columnStats(raw, rows, cols, js.sums, js.lo, js.hi);
      }
      // NaN's payload may differ between the engines; any other number must match to the bit.
      const canonical = (a: Float64Array) => bits(a.map((v) => (Number.isNaN(v) ? Number.NaN : v)));
      expect(canonical(sums), 'sums').to.equal(canonical(js.sums));
      expect(bits(lo), 'lo').to.equal(bits(js.lo));
      expect(bits(hi), 'hi').to.equal(bits(js.hi));
      expect(Object.is(lo[cols - 1], 0) && Object.is(hi[cols - 1], 0), 'the first zero, +0, stays').to.equal(true);
      for (let j = 0; j < cols; j++) {
        let nan = false;
        let above = false;
        let below = false;
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < rows; i++) {
          const v = raw[i * cols + j];
          nan ||= Number.isNaN(v);
          above ||= v === Infinity;
          below ||= v === -Infinity;
          if (!Number.isNaN(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
        expect(Number.isNaN(sums[j]), `column ${j}: a NaN shows in the sum`).to.equal(nan || (above && below));
        expect(lo[j] === min && hi[j] === max, `column ${j}: lo and hi are the extremes of the numbers`).to.equal(true);
      }
      ws.release();
    });

    it(`centre, gram, residualGradient: ${rows} × ${cols}`, () => {
      const d = cols;
      const stride = gramStride(d + 1);
      const ws = workspace([rows * d, rows, d, d, rows * stride, stride * stride, d, d]);
      const [raw, y, means, scales, work, C, w, g] = ws.arrays;
      fill(raw, rows + 3 * cols);
      fill(y, 11);
      fill(means, 12);
      for (let j = 0; j < d; j++) scales[j] = 2 ** (j % 5);
      fill(w, 13);
      fill(C, 14);
      fill(g, 15);
      const js = {
        work: new Float64Array(rows * stride),
        C: Float64Array.from(C),
        g: Float64Array.from(g),
      };
      ws.kernels.centre(raw, rows, d, means, scales, y, 0.5, 0.125, work, stride);
      jsKernels.centre(raw, rows, d, means, scales, y, 0.5, 0.125, js.work, stride);
      expect(bits(work)).to.equal(bits(js.work));
      ws.kernels.gram(work, rows, stride, C);
      jsKernels.gram(js.work, rows, stride, js.C);
      // Only the lower triangle (and the diagonal tiles) is defined; compare it.
      for (let j = 0; j < stride; j++) {
        const end = (j & ~3) + 4;
        expect(bits(C.subarray(j * stride, j * stride + end)), `row ${j}`).to.equal(
          bits(js.C.subarray(j * stride, j * stride + end)),
        );
      }
      const squares = ws.kernels.residualGradient(work, rows, stride, d, w, g, 1.5);
      const jsSquares = jsKernels.residualGradient(js.work, rows, stride, d, w, js.g, 1.5);
      expect(Object.is(squares, jsSquares)).to.equal(true);
      expect(bits(g)).to.equal(bits(js.g));
      ws.release();
    });
  }
});

describe('dense kernels: the module and the choice of backend', () => {
  it('src/linalg/wasm/denseBytes.ts is what assembly/dense.ts compiles to (npm run build:wasm)', async function () {
    this.timeout(120_000);
    const { compile, generated, GENERATED } = require(path.join(ROOT, 'scripts', 'wasm.js'));
    expect(readFileSync(GENERATED, 'utf8')).to.equal(generated(await compile()));
  });

  it('LOSSLAB_WASM=0 turns WebAssembly off', () => {
    const run = (env: Record<string, string>): string =>
      spawnSync(
        process.execPath,
        ['-r', 'tsx/cjs', '-e', "process.stdout.write(require('./src/linalg/wasm').kernelBackend())"],
        { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      ).stdout;
    expect(run({ LOSSLAB_WASM: '0' })).to.equal('js');
    expect(run({ LOSSLAB_WASM: '' })).to.equal(kernelBackend());
  });

  it('a fit returns the same bits whichever backend ran (lbfgs, gd, proximal, leastSquares by its Gram method)', () => {
    const data = makeRegression({ n: 5000, d: 7, seed: 5 });
    // Large enough for least squares' Gram method (n (d + 1)² >= 2^22).
    const large = makeRegression({ n: 20_000, d: 15, seed: 6 });
    const labels = Float64Array.from(data.y, (v) => (v > 0 ? 1 : -1));
    const fits = (): LinearFit[] => [
      fitLinear(data.X, labels, { loss: losses.logistic, l2: 1e-3, solver: 'lbfgs' }),
      fitLinear(data.X, labels, { loss: losses.logistic, solver: 'gd', maxIter: 50 }),
      fitLinear(data.X, labels, { loss: losses.logistic, l1: 1e-3, solver: 'proximal' }),
      fitLinear(large.X, large.y, { loss: losses.l2 }),
      fitLinear(large.X, large.y, { loss: losses.l2, l2: 0.1 }),
    ];
    const wasm = fits();
    setKernelPreference('js');
    let js: LinearFit[];
    try {
      js = fits();
    } finally {
      setKernelPreference('auto');
    }
    expect(wasm[3].reason).to.match(/Gram/);
    for (let k = 0; k < wasm.length; k++) {
      expect([...js[k].weights, js[k].intercept], js[k].solver).to.deep.equal([...wasm[k].weights, wasm[k].intercept]);
      expect(js[k].iterations).to.equal(wasm[k].iterations);
    }
  });
});
