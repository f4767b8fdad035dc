/**
 * The iterates that `onIteration` reports (an optimiser's path): each reported (w, b) is
 * checked against the objective reported with it, recomputed here from the data with the
 * loss's own `value`, and the path must end where the fit ends.
 */
import { expect } from 'chai';
import { createRng, fitLinear, losses, type IterationState, type Loss, type SolverName } from '../src/index';

interface Sample {
  X: number[][];
  y: number[];
}

function sample(seed: number, n: number, labels: 'real' | 'sign'): Sample {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const y = X.map(([a, b]) => {
    const score = 1.5 * a - b + 0.5 + rng.normal();
    return labels === 'sign' ? (score > 0 ? 1 : -1) : score;
  });
  return { X, y };
}

/** (1/n) Σ loss(y_i, w·x_i + b) + l1 ‖w‖₁ + (l2/2) ‖w‖², written out independently of the package's kernels. */
function objective(loss: Loss, { X, y }: Sample, w: ArrayLike<number>, b: number, l1: number, l2: number): number {
  let s = 0;
  for (let i = 0; i < X.length; i++) s += loss.value(y[i], X[i][0] * w[0] + X[i][1] * w[1] + b);
  return s / X.length + l1 * (Math.abs(w[0]) + Math.abs(w[1])) + (l2 / 2) * (w[0] ** 2 + w[1] ** 2);
}

const cases: Array<{ solver: SolverName; loss: Loss; labels: 'real' | 'sign'; l1?: number; l2?: number }> = [
  { solver: 'gd', loss: losses.logistic, labels: 'sign', l2: 0.1 },
  { solver: 'subgradient', loss: losses.hinge, labels: 'sign', l2: 0.1 },
  { solver: 'sgd', loss: losses.l2, labels: 'real' },
  { solver: 'lbfgs', loss: losses.logistic, labels: 'sign', l2: 0.1 },
  { solver: 'newton', loss: losses.logistic, labels: 'sign', l2: 0.1 },
  { solver: 'proximal', loss: losses.l2, labels: 'real', l1: 0.05 },
];

describe('onIteration reports the iterate (w, b)', () => {
  for (const { solver, loss, labels, l1 = 0, l2 = 0 } of cases) {
    it(`${solver} on ${loss.id}: each reported (w, b) has the reported objective, and the path ends at the fit`, () => {
      const data = sample(11, 40, labels);
      const seen: IterationState[] = [];
      const fit = fitLinear(data.X, data.y, {
        loss,
        solver,
        l1,
        l2,
        maxIter: 30,
        tol: 1e-12,
        onIteration: (s) => seen.push(s),
      });
      expect(seen.length).to.equal(fit.history.length);
      for (const state of seen) {
        expect(state.weights, `iteration ${state.iteration}`).to.be.instanceOf(Float64Array);
        expect(state.weights!.length).to.equal(2);
        const recomputed = objective(loss, data, state.weights!, state.intercept!, l1, l2);
        expect(recomputed, `iteration ${state.iteration}`).to.be.closeTo(
          state.objective,
          1e-12 * Math.max(1, Math.abs(recomputed)),
        );
      }
      expect(seen[0].weights).to.deep.equal(new Float64Array(2));
      expect(seen[0].intercept).to.equal(0);
      // The subgradient method returns its best iterate, the others their last one.
      const returned =
        solver === 'subgradient' ? seen.reduce((a, b) => (b.objective < a.objective ? b : a)) : seen[seen.length - 1];
      expect(Array.from(returned.weights!)).to.deep.equal(Array.from(fit.weights));
      expect(returned.intercept).to.equal(fit.intercept);
    });
  }

  it('hands out copies: changing one does not move the solver or later reports', () => {
    const data = sample(12, 30, 'sign');
    const firsts: number[] = [];
    const reference = fitLinear(data.X, data.y, { loss: losses.logistic, solver: 'gd', maxIter: 20 });
    const fit = fitLinear(data.X, data.y, {
      loss: losses.logistic,
      solver: 'gd',
      maxIter: 20,
      onIteration: (s) => {
        firsts.push(s.weights![0]);
        s.weights!.fill(1e6);
      },
    });
    expect(Array.from(fit.weights)).to.deep.equal(Array.from(reference.weights));
    expect(firsts).not.to.include(1e6);
  });

  it('keeps history free of iterates, and reports no intercept as 0 without one', () => {
    const data = sample(13, 30, 'real');
    const intercepts: number[] = [];
    const fit = fitLinear(data.X, data.y, {
      loss: losses.l2,
      solver: 'gd',
      fitIntercept: false,
      maxIter: 5,
      onIteration: (s) => intercepts.push(s.intercept!),
    });
    expect(intercepts).to.deep.equal(new Array(fit.history.length).fill(0));
    for (const entry of fit.history)
      expect(Object.keys(entry).sort()).to.deep.equal(['iteration', 'objective', 'optimality']);
  });
});
