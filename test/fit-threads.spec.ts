/**
 * The opt-in worker threads of least squares (LOSSLAB_THREADS, src/linalg/threads.ts): the same
 * bits with one thread or two, with X in the caller's own memory (only the Gram pass is shared)
 * or in a SharedArrayBuffer (every pass is), a worker given up on in any pass, a process that
 * exits on its own after a threaded fit, and a clear error for a thread count that is not one.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fitLinear, LossInputError, losses, type LinearFit, type Matrix } from '../src/index';
import { Pass } from '../src/linalg/spans';
import {
  pooledWorkers,
  setStallMsForTests,
  stallWorkersForTests,
  THREAD_MIN_ROWS,
  workerSpans,
} from '../src/linalg/threads';

/** n rows of d uniform features, y linear in them plus uniform noise (a 32-bit LCG, seeded). */
function problem(n: number, d: number): { X: Matrix; y: Float64Array } {
  let state = 7;
  const u = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.25;
    for (let j = 0; j < d; j++) {
      data[i * d + j] = 2 * u() - 1;
      z += data[i * d + j] * (j - d / 2);
    }
    y[i] = z + u() - 0.5;
  }
  return { X: { rows: n, cols: d, data }, y };
}

function withThreads<T>(threads: string | undefined, run: () => T): T {
  const before = process.env.LOSSLAB_THREADS;
  if (threads === undefined) delete process.env.LOSSLAB_THREADS;
  else process.env.LOSSLAB_THREADS = threads;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.LOSSLAB_THREADS;
    else process.env.LOSSLAB_THREADS = before;
  }
}

/** The same matrix with its data in a SharedArrayBuffer, which fitLinear reads in place. */
function inSharedMemory(X: Matrix): Matrix {
  const data = new Float64Array(new SharedArrayBuffer(X.data.byteLength));
  data.set(X.data);
  return { rows: X.rows, cols: X.cols, data };
}

const PASSES = [Pass.Stats, Pass.Gram, Pass.Residual, Pass.Check] as const;
const PASS_NAMES: Record<Pass, string> = {
  [Pass.Stats]: 'column statistics',
  [Pass.Gram]: 'Gram',
  [Pass.Residual]: 'refinement',
  [Pass.Check]: 'certificate',
};

/** Spans the workers computed of each pass during `run`. */
function spansDuring(run: () => void): number[] {
  const before = PASSES.map((pass) => workerSpans(pass));
  run();
  return PASSES.map((pass, i) => workerSpans(pass) - before[i]);
}

/**
 * Threaded fits of (X, y), a bounded number of them, until the workers have computed spans in
 * one (the first threaded fit starts a worker, which under tsx takes a few hundred ms to load,
 * so the main thread may do that fit alone); each must match `expected` bit for bit. Returns
 * the spans the workers computed of each pass over all of them.
 */
function untilWorkersHelp(X: Matrix, y: Float64Array, expected: string): number[] {
  const total = PASSES.map(() => 0);
  for (let k = 0; k < 10 && total.every((count) => count === 0); k++) {
    const spans = spansDuring(() => {
      const two = withThreads('2', () => fitLinear(X, y, { loss: losses.l2 }));
      expect(bits(two), `threaded fit ${k + 1}`).to.equal(expected);
    });
    spans.forEach((count, i) => {
      total[i] += count;
    });
  }
  return total;
}

/**
 * Wakes the worker (`untilWorkersHelp`), has it hold the next span it takes (of `pass`, when
 * given) for 10 s, and checks that the main thread gives up on it after 0.1 s and finishes the
 * fit of (M, y) alone, with the bits of a one-thread fit on X.
 */
function expectGiveUp(M: Matrix, X: Matrix, y: Float64Array, pass?: Pass): void {
  const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2 }));
  const spans = untilWorkersHelp(M, y, bits(one));
  expect(
    spans.some((count) => count > 0),
    'the worker is awake',
  ).to.equal(true);
  const holdMs = 10_000;
  const stallBefore = setStallMsForTests(100);
  try {
    expect(stallWorkersForTests(holdMs, pass), 'workers told to hold').to.equal(1);
    // The worker holds a span only once it takes one of that pass, and the scheduler decides
    // whether it does: on a loaded machine the main thread can finish a whole pass alone (CI saw
    // it once for the certificate pass). So fits run, a bounded number of them, until one has
    // dropped the held worker; every one must give the bits of one thread without waiting out
    // the hold.
    for (let k = 0; k < 10 && pooledWorkers() > 0; k++) {
      const t0 = Date.now();
      const two = withThreads('2', () => fitLinear(M, y, { loss: losses.l2 }));
      const elapsed = Date.now() - t0;
      expect(bits(two), `fit ${k + 1}`).to.equal(bits(one));
      // The fit alone takes a few hundred ms; waiting out the held span would take 10 s.
      expect(elapsed, `ms fit ${k + 1} took`).to.be.below(holdMs / 2);
    }
    expect(pooledWorkers(), 'workers left in the pool: the held one was dropped').to.equal(0);
  } finally {
    setStallMsForTests(stallBefore);
  }
}

/** The bits of a fit's answer: weights, intercept, objective and the certificate's optimality as raw bytes. */
function bits(fit: LinearFit): string {
  const all = Float64Array.from([...fit.weights, fit.intercept, fit.objective, fit.optimality]);
  return Buffer.from(all.buffer).toString('hex');
}

describe('least squares on worker threads (LOSSLAB_THREADS)', function () {
  this.timeout(120_000);
  const { X, y } = problem(THREAD_MIN_ROWS, 10);

  it('gives the same bits on one thread and on two, and the worker computes spans', () => {
    const one = withThreads(undefined, () => fitLinear(X, y, { loss: losses.l2 }));
    expect(one.reason).to.match(/Cholesky of the Gram matrix/);
    const spans = untilWorkersHelp(X, y, bits(one));
    expect(
      spans.reduce((a, b) => a + b),
      'spans the worker computed',
    ).to.be.above(0);
  });

  it('X in a SharedArrayBuffer: the workers read it in place and share every pass, with the same bits as one thread and as X in private memory', () => {
    const S = inSharedMemory(X);
    const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2 }));
    expect(bits(withThreads('1', () => fitLinear(S, y, { loss: losses.l2 })))).to.equal(bits(one));
    const spans = untilWorkersHelp(S, y, bits(one));
    // The worker joins while a fit runs, so it may miss the first passes of the first fit that
    // it helps with; one more fit sees it in all of them.
    const next = spansDuring(() =>
      expect(bits(withThreads('2', () => fitLinear(S, y, { loss: losses.l2 })))).to.equal(bits(one)),
    );
    PASSES.forEach((pass, i) => {
      expect(spans[i] + next[i], `spans of the ${PASS_NAMES[pass]} pass computed by the worker`).to.be.above(0);
    });
  });

  it('X in private memory: only the Gram pass goes to the workers (the others cost as much to copy as to compute)', () => {
    const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2 }));
    untilWorkersHelp(X, y, bits(one));
    const spans = spansDuring(() =>
      expect(bits(withThreads('2', () => fitLinear(X, y, { loss: losses.l2 })))).to.equal(bits(one)),
    );
    expect(spans, 'spans of the statistics, Gram, refinement and certificate passes').to.deep.equal([
      0,
      spans[1],
      0,
      0,
    ]);
    expect(spans[1]).to.be.above(0);
  });

  it('a ridge fit too (its own passes), with the same bits', () => {
    const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2, l2: 1e-3 }));
    const two = withThreads('2', () => fitLinear(X, y, { loss: losses.l2, l2: 1e-3 }));
    expect(bits(two)).to.equal(bits(one));
  });

  for (const pass of PASSES) {
    it(`X in a SharedArrayBuffer: a worker stalled in the ${PASS_NAMES[pass]} pass is given up on, and the main thread finishes the fit with the same bits`, () => {
      expectGiveUp(inSharedMemory(X), X, y, pass);
    });
  }

  it('X in a SharedArrayBuffer that another thread writes during the fits: each fit refuses with a LossInputError or returns no NaN', async () => {
    const S = inSharedMemory(X);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    // Puts NaN in one entry after another and restores it soon after, until told to stop.
    const writer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const stop = new Int32Array(workerData.stop);
       const x = new Float64Array(workerData.data);
       for (let k = 0; Atomics.load(stop, 0) === 0; k++) {
         const i = (k * 7919) % x.length;
         const v = x[i];
         x[i] = NaN;
         for (let t = 0; t < 2000; t++);
         x[i] = v;
       }`,
      { eval: true, workerData: { data: S.data.buffer, stop: stop.buffer } },
    );
    try {
      await new Promise((resolve) => writer.once('online', resolve));
      for (const threads of ['1', '2', '1', '2']) {
        let fit: LinearFit;
        try {
          fit = withThreads(threads, () => fitLinear(S, y, { loss: losses.l2 }));
        } catch (e) {
          expect(e).to.be.instanceOf(LossInputError);
          continue;
        }
        expect(
          [fit.objective, fit.intercept, fit.optimality, ...fit.weights].some(Number.isNaN),
          'NaN in the fit',
        ).to.equal(false);
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await writer.terminate();
    }
  });

  it('a worker that stops making progress is given up on, and the main thread finishes the fit with the same bits', () => {
    expectGiveUp(X, X, y);
  });

  it('a process that ran a threaded fit exits by itself (the idle worker does not keep it alive)', () => {
    const script = [
      "const { fitLinear, losses } = require('./src/index');",
      `const n = ${THREAD_MIN_ROWS}; const data = new Float64Array(n * 2); const y = new Float64Array(n);`,
      'for (let i = 0; i < n; i++) { data[2 * i] = Math.sin(i); data[2 * i + 1] = Math.cos(3 * i); y[i] = data[2 * i] - data[2 * i + 1] + Math.sin(7 * i) / 10; }',
      'const fit = fitLinear({ rows: n, cols: 2, data }, y, { loss: losses.l2 });',
      'console.log(fit.status);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, LOSSLAB_THREADS: '2' },
      timeout: 60_000,
      encoding: 'utf8',
    });
    expect(child.error, 'the child ran within 60 s (it would hang on a live worker)').to.equal(undefined);
    expect(child.stderr).to.equal('');
    expect(child.status).to.equal(0);
    expect(child.stdout.trim()).to.equal('converged');
  });

  it('a thread count that is not a whole number from 1 to 64 is a LossInputError', () => {
    for (const bad of ['two', '0', '1.5', '65']) {
      expect(() => withThreads(bad, () => fitLinear(X, y, { loss: losses.l2 })), bad).to.throw(
        LossInputError,
        /LOSSLAB_THREADS/,
      );
    }
  });
});
