/**
 * Stochastic (mini-batch) gradient descent, for teaching: one pass over a seeded shuffle of
 * the examples per epoch, recording the full objective after every epoch.
 */
import { createRng } from '../../random/rng';
import { l2At, largestL2 } from '../core/scaling';
import { SmoothRun } from '../core/smoothRun';
import { largestRowCurvature, lossCurvature, stepAt } from '../core/stepSize';
import { firstReason, needsDifferentiable, needsNoL1 } from '../core/support';
import type { Problem, SolverEntry, SolverOutput, SolverSettings } from '../types';

/**
 * SGD on S(θ) = (1/n) Σ loss(y_i, w·x_i + b) + (l2/2)‖w‖² (Robbins & Monro, Ann. Math.
 * Statist. 22(3), 1951; Bottou, "Large-scale machine learning with stochastic gradient
 * descent", COMPSTAT 2010). Each epoch shuffles the examples (with `createRng(seed)`) and steps
 *   θ ← θ - η_e ( (1/|B|) Σ_{i∈B} l'(y_i, f_i) x̃_i + l2 (w, 0) )
 * for consecutive mini-batches B of `batchSize` examples. The default schedule is
 * 'decaying', η_e = η₀/√(e+1) in epoch e = 0, 1, ..., with η₀ = 1/L_max,
 * L_max = κ max_i ‖x̃_i‖² + l2 the curvature of the worst single example; a number is a
 * fixed step (which leaves the iterates hovering at a noise floor). `maxIter` counts epochs.
 * Stops when the full gradient's ‖∇S‖∞ ≤ tol after an epoch.
 *
 * @example
 * ```ts
 * import { fitLinear, losses } from 'losslab';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const y = [-1, -1, 1, -1, 1, 1];
 * const fit = fitLinear(X, y, { loss: losses.logistic, l2: 0.1, solver: 'sgd', maxIter: 20, seed: 1 });
 * fit.history.length;  // 21  (one entry per epoch, and the start)
 * fit.status;  // "maxIterations"
 * fit.reason.startsWith('maxIter 20 epochs reached'); // true
 * ```
 */
export function sgd(p: Problem, settings: SolverSettings): SolverOutput {
  const { n, d, X, y } = p;
  const data = X.data;
  const run = new SmoothRun(p, settings);
  const { S, theta } = run;
  const previous = new Float64Array(run.m);
  const bad = run.badStart();
  if (bad !== null) return bad;

  const kappa = lossCurvature(p);
  let localCurvature: Float64Array | undefined;
  if (kappa === null) {
    localCurvature = new Float64Array(n);
    p.loss.kernels.secondDerivatives(y, S.scores, localCurvature, n);
  }
  const worst = largestRowCurvature(p, localCurvature ?? kappa ?? 1) + largestL2(p);
  const base = worst > 0 && Number.isFinite(worst) ? 1 / worst : 1;
  const schedule = settings.stepSize ?? 'decaying';
  const batch = Math.min(settings.batchSize, n);
  const rng = createRng(settings.seed);
  const order = rng.permutation(n);
  const yB = new Float64Array(batch);
  const fB = new Float64Array(batch);
  const gB = new Float64Array(batch);

  for (let epoch = 1; ; epoch++) {
    const stop = run.stopBefore(epoch, { unit: 'epochs' });
    if (stop !== null) return stop;

    rng.shuffle(order);
    const eta = stepAt(schedule, base, epoch - 1);
    const shrink = 1 - eta * p.l2;
    const c = p.columnScale;
    previous.set(theta);
    for (let start = 0; start < n; start += batch) {
      const len = Math.min(batch, n - start);
      const b = p.fitIntercept ? theta[d] : 0;
      for (let t = 0; t < len; t++) {
        const i = order[start + t];
        const row = i * d;
        let f = b;
        for (let j = 0; j < d; j++) f += data[row + j] * theta[j];
        yB[t] = y[i];
        fB[t] = f;
      }
      p.loss.kernels.derivatives(yB, fB, gB, len);
      const scale = eta / len;
      if (c !== undefined) for (let j = 0; j < d; j++) theta[j] *= 1 - eta * l2At(p, j);
      else if (shrink !== 1) for (let j = 0; j < d; j++) theta[j] *= shrink;
      let gb = 0;
      for (let t = 0; t < len; t++) {
        const g = gB[t];
        if (g === 0) continue;
        gb += g;
        const row = order[start + t] * d;
        const c = scale * g;
        for (let j = 0; j < d; j++) theta[j] -= c * data[row + j];
      }
      if (p.fitIntercept) theta[d] -= scale * gb;
    }

    run.refresh();
    if (!run.finite()) return run.diverged(epoch, previous, eta);
    run.record(epoch);
  }
}

export const sgdSolver: SolverEntry = {
  name: 'sgd',
  columnScaled: true,
  solve: sgd,
  unsupported: (p) => firstReason(needsDifferentiable(p, 'sgd'), needsNoL1(p, 'sgd')),
  preferredFor: () => false,
};
