/**
 * The knobs of the course (#10 item 9): the step size of gradient descent (chapter 01), the
 * contamination level of the robust fits (chapter 05) and Huber's δ (chapter 09), each one
 * figure with a slider, checked against numbers recomputed here by other means.
 */
import { expect } from 'chai';
import { contaminationSlider, huberDeltas, huberDeltaSlider, stepSizeSlider } from '../src/course/index';
import { LossInputError, type Figure } from '../src/index';

interface Trace {
  name: string;
  x: number[];
  y: number[];
  xaxis?: string;
  yaxis?: string;
}
interface SliderLayout {
  sliders: Array<{ active?: number; steps: Array<{ label: string; args: [{ visible: boolean[] }, ...unknown[]] }> }>;
}

const tracesOf = (fig: Figure): Trace[] => fig.data as unknown as Trace[];
const sliderOf = (fig: Figure): SliderLayout['sliders'][number] => (fig.layout as unknown as SliderLayout).sliders[0]!;
/** The traces shown at slider position k. */
const shownAt = (fig: Figure, k: number): Trace[] =>
  tracesOf(fig).filter((_, i) => sliderOf(fig).steps[k]!.args[0].visible[i]);

const EPS = Number.EPSILON;

describe('stepSizeSlider (chapter 01)', () => {
  // Spread-out points, so the two eigenvalues of the Hessian are far apart and neither formula below cancels.
  const x = [0, 1, 2, 3, 10];
  const y = [1, 2, 2, 5, 9];
  const n = x.length;
  const sum = (f: (i: number) => number): number => x.reduce((s, _, i) => s + f(i), 0);

  it('takes λ_max of the Hessian (2/n)[[Σx², Σx], [Σx, n]], here from its trace and determinant', () => {
    const [a, b, d] = [(2 / n) * sum((i) => x[i]! ** 2), (2 / n) * sum((i) => x[i]!), 2];
    const trace = a + d;
    const det = a * d - b * b;
    const largest = (trace + Math.sqrt(trace * trace - 4 * det)) / 2;
    // Both are a few sums of n terms and a square root of well-separated data: each within (n + 10)ε, relative.
    expect(Math.abs(stepSizeSlider(x, y, [1]).curvature - largest)).to.be.at.most(2 * (n + 10) * EPS * largest);
  });

  it('each path starts at (−2, −2) and takes steps of (m/λ_max) times the gradient, computed here by hand', () => {
    const multiples = [0.5, 1.9];
    const { figure, curvature } = stepSizeSlider(x, y, multiples, 3);
    multiples.forEach((m, k) => {
      const path = shownAt(figure, k).find((t) => t.name === `gradient descent, step ${m}/λ_max`)!;
      expect([path.x[0], path.y[0]]).to.deep.equal([-2, -2]);
      expect(path.x).to.have.length(4);
      for (let s = 0; s < 3; s++) {
        const [w, b] = [path.x[s]!, path.y[s]!];
        const gw = (2 / n) * sum((i) => (w * x[i]! + b - y[i]!) * x[i]!);
        const gb = (2 / n) * sum((i) => w * x[i]! + b - y[i]!);
        const eta = m / curvature;
        // One step adds rounding of the order of n ε times the terms' size; 64 n ε of the iterate's scale covers it.
        const scale = Math.abs(w) + Math.abs(b) + eta * (Math.abs(gw) + Math.abs(gb)) + 1;
        expect(Math.abs(path.x[s + 1]! - (w - eta * gw)), `m = ${m}, step ${s}, w`).to.be.at.most(64 * n * EPS * scale);
        expect(Math.abs(path.y[s + 1]! - (b - eta * gb)), `m = ${m}, step ${s}, b`).to.be.at.most(64 * n * EPS * scale);
      }
    });
  });

  it('below 2/λ_max every path ends closer to the least-squares line; the surfaces share one frame, stored once', () => {
    const multiples = [0.1, 1, 1.9, 2.05];
    const { figure, distances } = stepSizeSlider(x, y, multiples);
    multiples.forEach((m, k) => {
      if (m < 2) expect(distances[k]!.end, `m = ${m}`).to.be.below(distances[k]!.start);
      expect(distances[k]!.steps, `m = ${m}`).to.equal(
        shownAt(figure, k).find((t) => t.name.startsWith('gradient descent'))!.x.length - 1,
      );
    });
    // One contour and one lowest-point marker for every position, plus a path per position.
    expect(figure.data).to.have.length(2 + multiples.length);
    expect(sliderOf(figure).steps.map((s) => s.label)).to.deep.equal(multiples.map(String));
  });

  it('refuses a bad sample, step list or iteration count with LossInputError naming it', () => {
    const bad: Array<[string, () => unknown]> = [
      ...[null, 5, 'ab', [1], [1, 1], [NaN, 1], [Infinity, 1]].map((v): [string, () => unknown] => [
        'x',
        () => stepSizeSlider(v as number[], [1, 2], [1]),
      ]),
      ...[null, 5, [1], [1, NaN], 'ab'].map((v): [string, () => unknown] => [
        'y',
        () => stepSizeSlider([0, 1], v as number[], [1]),
      ]),
      ...[null, 'x', [], [0], [-1], [NaN], [Infinity], ['1'], Array(101).fill(1)].map((v): [string, () => unknown] => [
        'multiples',
        () => stepSizeSlider([0, 1], [1, 2], v as number[]),
      ]),
      ...[0, 1.5, 1001, NaN, '3', null].map((v): [string, () => unknown] => [
        'iterations',
        () => stepSizeSlider([0, 1], [1, 2], [1], v as number),
      ]),
    ];
    for (const [argument, call] of bad)
      expect(call, argument).to.throw(LossInputError).with.property('argument', argument);
  });
});

describe('huberDeltaSlider (chapter 09)', () => {
  const fig = huberDeltaSlider();

  it('has a position per δ of the trade-off experiment, shown first at 1.345', () => {
    expect(sliderOf(fig).steps.map((s) => s.label)).to.deep.equal(huberDeltas.map(String));
    expect(sliderOf(fig).active).to.equal(huberDeltas.indexOf(1.345));
  });

  it("at each δ, the slope row shows Huber's pull clipped at ±δ, and the loss row ½r² inside and δ(|r| − δ/2) outside", () => {
    huberDeltas.forEach((delta, k) => {
      const huber = shownAt(fig, k).filter((t) => t.name.startsWith('Huber loss'));
      expect(huber, `δ = ${delta}`).to.have.length(2);
      const slope = huber.find((t) => t.yaxis === 'y2')!;
      const loss = huber.find((t) => t.yaxis !== 'y2')!;
      slope.x.forEach((r, i) => {
        expect(slope.y[i], `ψ(${r}), δ = ${delta}`).to.equal(Math.max(-delta, Math.min(delta, r)));
      });
      loss.x.forEach((r, i) => {
        const expected = Math.abs(r) <= delta ? (r * r) / 2 : delta * (Math.abs(r) - delta / 2);
        // Each side is a couple of products of numbers below 16: a few ulps of 16.
        expect(Math.abs(loss.y[i]! - expected), `ρ(${r}), δ = ${delta}`).to.be.at.most(8 * EPS * 16);
      });
    });
  });
});

describe('contaminationSlider (chapter 05)', () => {
  const fig = contaminationSlider();
  const levels = sliderOf(fig).steps.map((s) => s.label);

  it('has a position per level of the contamination experiment, with as many marked outliers as the level says', () => {
    expect(levels).to.deep.equal(['0%', '5%', '10%', '15%', '20%', '25%', '30%', '35%', '40%', '45%']);
    levels.forEach((label, k) => {
      const outliers = shownAt(fig, k).find((t) => t.name.startsWith('outliers'))!;
      expect(outliers.name, label).to.equal(`outliers (n = ${Number.parseInt(label, 10)})`);
    });
  });

  it('the L2 line at each level is the least-squares line of the points shown, solved here in closed form', () => {
    levels.forEach((label, k) => {
      const shown = shownAt(fig, k);
      const points = shown
        .filter((t) => t.name.startsWith('inliers') || t.name.startsWith('outliers'))
        .flatMap((t) => t.x.map((v, i) => [v, t.y[i]!] as const))
        .filter(([v]) => v !== null);
      const m = points.length;
      const mx = points.reduce((s, [v]) => s + v, 0) / m;
      const my = points.reduce((s, [, v]) => s + v, 0) / m;
      const w =
        points.reduce((s, [u, v]) => s + (u - mx) * (v - my), 0) / points.reduce((s, [u]) => s + (u - mx) ** 2, 0);
      const b = my - w * mx;
      const line = shown.find((t) => t.name === 'Squared error (L2)')!;
      // Two solvers of a well-conditioned 100 × 2 problem agree to a few multiples of m ε of the data's size.
      const size = Math.max(...points.map(([u, v]) => Math.abs(u) + Math.abs(v))) * (Math.abs(w) + 1);
      expect(m, label).to.equal(100);
      line.x.forEach((u, i) => {
        expect(Math.abs(line.y[i]! - (w * u + b)), `${label} at x = ${u}`).to.be.at.most(64 * m * EPS * size);
      });
    });
  });
});
