/**
 * The opt-in worker threads of least squares (LOSSLAB_THREADS, src/linalg/threads.ts): the same
 * bits with one thread or two, a process that exits on its own after a threaded fit, and a
 * clear error for a thread count that is not one.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fitLinear, LossInputError, losses, type LinearFit, type Matrix } from '../src/index';
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
    // The first threaded fit starts the worker (under tsx it takes a few hundred ms to load),
    // so the main thread may do that fit alone; fits are repeated, a bounded number of times,
    // until the worker has computed spans in one of them. Every one must match.
    let byWorker = 0;
    for (let k = 0; k < 10 && byWorker === 0; k++) {
      const before = workerSpans();
      const two = withThreads('2', () => fitLinear(X, y, { loss: losses.l2 }));
      byWorker = workerSpans() - before;
      expect(bits(two), `threaded fit ${k + 1}`).to.equal(bits(one));
    }
    expect(byWorker, 'spans the worker computed').to.be.above(0);
  });

  it('a ridge fit too (its own passes), with the same bits', () => {
    const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2, l2: 1e-3 }));
    const two = withThreads('2', () => fitLinear(X, y, { loss: losses.l2, l2: 1e-3 }));
    expect(bits(two)).to.equal(bits(one));
  });

  it('a worker that stops making progress is given up on, and the main thread finishes the fit with the same bits', () => {
    const one = withThreads('1', () => fitLinear(X, y, { loss: losses.l2 }));
    // A threaded fit starts the worker; repeat (bounded) until it has computed spans, so that
    // it is awake for the next fit.
    let byWorker = 0;
    for (let k = 0; k < 10 && byWorker === 0; k++) {
      const before = workerSpans();
      withThreads('2', () => fitLinear(X, y, { loss: losses.l2 }));
      byWorker = workerSpans() - before;
    }
    expect(byWorker, 'spans the worker computed').to.be.above(0);
    // The worker will hold the next span it takes for 10 s; the main thread gives up after 0.1 s.
    const holdMs = 10_000;
    const stallBefore = setStallMsForTests(100);
    try {
      expect(stallWorkersForTests(holdMs), 'workers told to hold').to.equal(1);
      const t0 = Date.now();
      const two = withThreads('2', () => fitLinear(X, y, { loss: losses.l2 }));
      const elapsed = Date.now() - t0;
      expect(bits(two)).to.equal(bits(one));
      expect(pooledWorkers(), 'workers left in the pool: the held one was dropped').to.equal(0);
      // The fit alone takes a few hundred ms; waiting out the held span would take 10 s.
      expect(elapsed, 'ms the fit took').to.be.below(holdMs / 2);
    } finally {
      setStallMsForTests(stallBefore);
    }
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
