/**
 * riskSurface: the grid of empirical risks against a brute-force mean of scalar loss values,
 * the lowest grid point against an independent scan, the least-squares minimum against its
 * closed form, and the chart's structure in both contour and surface form.
 */
import { expect } from 'chai';
import { LossInputError, lossColor, losses, riskSurface, type Loss, type Trace } from '../src/index';
import { unsafeValues } from './helpers/figure-checks';
import { allLosses } from './helpers/losses';
import { mulberry32 } from './helpers/rng';

function sample(loss: Loss, n: number, seed: number): { x: number[]; y: number[] } {
  const rng = mulberry32(seed);
  const x = Array.from({ length: n }, () => 4 * rng() - 2);
  const y = x.map((v) => {
    if (loss.target === 'real') return 1.5 * v - 0.5 + rng() - 0.5;
    const positive = rng() < 1 / (1 + Math.exp(-2 * v));
    return loss.target === 'sign' ? (positive ? 1 : -1) : positive ? 1 : 0;
  });
  return { x, y };
}

/** (1/n) Σ ℓ(yᵢ, w xᵢ + b) through the checked scalar method, p = σ(·) for probability losses. */
function bruteRisk(loss: Loss, x: number[], y: number[], w: number, b: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const z = w * x[i] + b;
    s += loss.value(y[i], loss.prediction === 'probability' ? 1 / (1 + Math.exp(-z)) : z);
  }
  return s / x.length;
}

const grid = (t: Trace): { w: number[]; b: number[]; z: Array<Array<number | null>> } => ({
  w: t.x as number[],
  b: t.y as number[],
  z: t.z as Array<Array<number | null>>,
});

describe('riskSurface', () => {
  it('holds the empirical risk of every loss at every grid cell', () => {
    for (const loss of allLosses) {
      const { x, y } = sample(loss, 40, 3);
      const fig = riskSurface(loss, x, y, { wRange: [-3, 3], bRange: [-2, 2], resolution: [7, 5] });
      const { w, b, z } = grid(fig.data[0]);
      expect(w).to.have.length(7);
      expect(b).to.have.length(5);
      expect(z).to.have.length(5);
      z.forEach((row, j) => {
        expect(row).to.have.length(7);
        row.forEach((r, i) => {
          const want = bruteRisk(loss, x, y, w[i], b[j]);
          expect(r, `${loss.id} at w=${w[i]}, b=${b[j]}`).to.be.a('number');
          expect(Math.abs((r as number) - want) <= 1e-12 * Math.max(1, want), `${loss.id}: ${r} vs ${want}`).to.equal(
            true,
          );
        });
      });
      expect(w[0]).to.equal(-3);
      expect(w[6]).to.equal(3);
      expect(b[0]).to.equal(-2);
      expect(b[4]).to.equal(2);
    }
  });

  it('marks the lowest grid point', () => {
    const { x, y } = sample(losses.hinge, 60, 5);
    const fig = riskSurface(losses.hinge, x, y, { resolution: 25 });
    const { w, b, z } = grid(fig.data[0]);
    let best = { w: NaN, b: NaN, r: Infinity };
    z.forEach((row, j) => {
      row.forEach((r, i) => {
        if (r !== null && r < best.r) best = { w: w[i], b: b[j], r };
      });
    });
    const star = fig.data[1];
    expect(star.x).to.deep.equal([best.w]);
    expect(star.y).to.deep.equal([best.b]);
    expect(star.marker).to.have.property('symbol', 'star');
  });

  it('finds the least-squares line as the bottom of the L2 bowl (within a grid step)', () => {
    const { x, y } = sample(losses.l2, 100, 9);
    const n = x.length;
    const mx = x.reduce((a, v) => a + v, 0) / n;
    const my = y.reduce((a, v) => a + v, 0) / n;
    const slope = x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / x.reduce((a, v) => a + (v - mx) ** 2, 0);
    const intercept = my - slope * mx;
    const fig = riskSurface(losses.l2, x, y, { resolution: 41 });
    const { w, b } = grid(fig.data[0]);
    const [bw] = fig.data[1].x as number[];
    const [bb] = fig.data[1].y as number[];
    expect(Math.abs(bw - slope)).to.be.at.most(w[1] - w[0]);
    expect(Math.abs(bb - intercept)).to.be.at.most(b[1] - b[0]);
    // The default ranges are centred on that line.
    expect((w[0] + w[w.length - 1]) / 2).to.be.closeTo(slope, 1e-9);
    expect((b[0] + b[b.length - 1]) / 2).to.be.closeTo(intercept, 1e-9);
  });

  it('overlays an optimiser path in the loss colour, widening the default ranges to hold it', () => {
    const { x, y } = sample(losses.logistic, 50, 2);
    const path = [
      { w: -9, b: 4 },
      { w: 0, b: 0 },
      { w: 1, b: 0.1 },
    ];
    const fig = riskSurface(losses.logistic, x, y, { path, resolution: 11 });
    expect(fig.data.map((t) => t.type)).to.deep.equal(['contour', 'scatter', 'scatter']);
    const trace = fig.data[2];
    expect(trace.x).to.deep.equal([-9, 0, 1]);
    expect(trace.y).to.deep.equal([4, 0, 0.1]);
    expect((trace.line as { color: string }).color).to.equal(lossColor('logistic'));
    (trace.customdata as number[]).forEach((r, i) => {
      expect(r).to.be.closeTo(bruteRisk(losses.logistic, x, y, path[i].w, path[i].b), 1e-12);
    });
    const { w, b } = grid(fig.data[0]);
    expect(w[0]).to.be.at.most(-9);
    expect(b[b.length - 1]).to.be.at.least(4);
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('slope w');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('intercept b');
  });

  it('draws a 3-D surface with the path lifted onto it', () => {
    const { x, y } = sample(losses.l1, 30, 4);
    const path = [
      { w: 0, b: 0 },
      { w: 1, b: -0.3 },
    ];
    const fig = riskSurface(
      losses.l1,
      x.map((v) => [v]),
      y,
      { type: 'surface', path, resolution: 9 },
    );
    expect(fig.data.map((t) => t.type)).to.deep.equal(['surface', 'scatter3d', 'scatter3d']);
    const z = fig.data[2].z as number[];
    z.forEach((r, i) => {
      expect(r).to.be.closeTo(bruteRisk(losses.l1, x, y, path[i].w, path[i].b), 1e-12);
    });
    const scene = fig.layout.scene as Record<string, { title: { text: string } }>;
    expect([scene.xaxis.title.text, scene.yaxis.title.text, scene.zaxis.title.text]).to.deep.equal([
      'slope w',
      'intercept b',
      'R̂(w, b)',
    ]);
  });

  it('accepts the feature as a vector, a Float64Array, rows, or a one-column Matrix', () => {
    const { x, y } = sample(losses.huber, 20, 8);
    const opts = { resolution: 5, wRange: [0, 2] as [number, number], bRange: [-1, 1] as [number, number] };
    const ref = JSON.stringify(riskSurface(losses.huber, x, y, opts));
    expect(JSON.stringify(riskSurface(losses.huber, Float64Array.from(x), y, opts))).to.equal(ref);
    expect(
      JSON.stringify(
        riskSurface(
          losses.huber,
          x.map((v) => [v]),
          y,
          opts,
        ),
      ),
    ).to.equal(ref);
    expect(
      JSON.stringify(riskSurface(losses.huber, { rows: x.length, cols: 1, data: Float64Array.from(x) }, y, opts)),
    ).to.equal(ref);
  });

  it('leaves cells where the risk is infinite empty instead of writing Infinity', () => {
    const { x, y } = sample(losses.crossEntropy, 40, 6);
    const fig = riskSurface(losses.crossEntropy, x, y, { wRange: [-500, 500], bRange: [-50, 50], resolution: 9 });
    const z = grid(fig.data[0]).z.flat();
    expect(z).to.include(null);
    expect(unsafeValues(fig)).to.deep.equal([]);
  });

  it('titles the chart with the loss and n, escaping user titles and path labels', () => {
    const { x, y } = sample(losses.hinge, 12, 1);
    const fig = riskSurface(losses.hinge, x, y, { resolution: 3 });
    expect((fig.layout.title as { text: string }).text).to.equal(
      'Empirical risk of the Hinge loss for f(x) = w·x + b (n = 12)',
    );
    const mine = riskSurface(losses.hinge, x, y, {
      resolution: 3,
      title: '<b>t</b>',
      pathLabel: '$p$',
      path: [{ w: 0, b: 0 }],
    });
    expect((mine.layout.title as { text: string }).text).to.equal('&lt;b&gt;t&lt;/b&gt;');
    expect(mine.data[2].name).to.equal('&#36;p&#36;');
  });

  it('rejects bad input with LossInputError', () => {
    const x = [0, 1, 2];
    const bad: Array<() => unknown> = [
      () => riskSurface(losses.hinge, x, [1, 0, 1]), // 0 is not a ±1 label
      () => riskSurface(losses.l2, x, [1, 2]), // length mismatch
      () =>
        riskSurface(
          losses.l2,
          [
            [0, 1],
            [1, 2],
            [2, 3],
          ],
          [1, 2, 3],
        ), // two features
      () => riskSurface(losses.l2, [0, NaN, 2], [1, 2, 3]),
      () => riskSurface(losses.l2, x, [1, 2, 3], { resolution: 1 }),
      () => riskSurface(losses.l2, x, [1, 2, 3], { wRange: [2, 1] }),
      () => riskSurface(losses.l2, x, [1, 2, 3], { path: [{ w: 0, b: Infinity }] }),
      () => riskSurface(losses.l2, x, [1, 2, 3], { type: 'heatmap' as 'contour' }),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
