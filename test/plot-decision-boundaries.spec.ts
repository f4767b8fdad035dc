/**
 * decisionBoundaries: classes by marker, and each boundary segment against the geometry of
 * the box: its ends on the line and on the box's edges, present exactly when the line
 * separates two of the box's corners (a property test over random lines).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { decisionBoundaries, LossInputError, lossColor, type LinearClassifier } from '../src/index';

const X = [
  [0, 0],
  [1, 2],
  [2, 1],
  [3, 3],
  [4, 2],
];
const y = [-1, -1, 1, 1, 1];

type Box = { x: [number, number]; y: [number, number] };
const boxOf = (layout: Record<string, unknown>): Box => ({
  x: (layout.xaxis as { range: [number, number] }).range,
  y: (layout.yaxis as { range: [number, number] }).range,
});

describe('decisionBoundaries', () => {
  it('draws the classes as two marker traces, then one line per model', () => {
    const models: LinearClassifier[] = [{ label: 'hinge', weights: [1, 0], intercept: -1.5, lossId: 'hinge' }];
    const fig = decisionBoundaries({ X, y }, models);
    expect(fig.data).to.have.length(3);
    const [pos, neg, line] = fig.data;
    expect(pos.x).to.deep.equal([2, 3, 4]);
    expect(pos.y).to.deep.equal([1, 3, 2]);
    expect(neg.x).to.deep.equal([0, 1]);
    expect([pos.name, neg.name]).to.deep.equal(['y = +1 (n = 3)', 'y = −1 (n = 2)']);
    expect((pos.marker as { symbol: string }).symbol).to.not.equal((neg.marker as { symbol: string }).symbol);
    expect(line.x).to.deep.equal([1.5, 1.5]);
    expect(line.y).to.deep.equal(boxOf(fig.layout).y);
    expect((line.line as { color: string }).color).to.equal(lossColor('hinge'));
  });

  it('accepts 0/1 labels and a Matrix, and keeps one scale on both axes', () => {
    const matrix = { rows: 5, cols: 2, data: Float64Array.from(X.flat()) };
    const fig = decisionBoundaries({ X: matrix, y: y.map((v) => (v + 1) / 2) }, [
      { label: 'm', weights: [1, 1], intercept: -3 },
    ]);
    expect(fig.data[1].name).to.equal('y = 0 (n = 2)');
    expect(fig.data[0].x).to.deep.equal([2, 3, 4]);
    expect(fig.layout.yaxis).to.include({ scaleanchor: 'x', scaleratio: 1 });
    const box = boxOf(fig.layout);
    [...box.x, ...box.y].forEach((v, i) => {
      expect(v).to.be.closeTo([-0.2, 4.2, -0.15, 3.15][i], 1e-12);
    });
  });

  it('clips every boundary to the box: ends on the line and on the edges, present iff the line crosses the box', () => {
    const fig0 = decisionBoundaries({ X, y }, [{ label: 'probe', weights: [1, 1], intercept: 0 }]);
    const box = boxOf(fig0.layout);
    const corners = [
      [box.x[0], box.y[0]],
      [box.x[0], box.y[1]],
      [box.x[1], box.y[0]],
      [box.x[1], box.y[1]],
    ];
    const onEdge = (px: number, py: number): boolean =>
      [Math.abs(px - box.x[0]), Math.abs(px - box.x[1]), Math.abs(py - box.y[0]), Math.abs(py - box.y[1])].some(
        (d) => d < 1e-9,
      );
    const coefficient = fc.double({ min: -5, max: 5, noNaN: true });
    fc.assert(
      fc.property(coefficient, coefficient, fc.double({ min: -30, max: 30, noNaN: true }), (w1, w2, b) => {
        fc.pre(Math.abs(w1) + Math.abs(w2) > 1e-3);
        const fig = decisionBoundaries({ X, y }, [{ label: 'm', weights: [w1, w2], intercept: b }]);
        const t = fig.data[2];
        const side = corners.map(([cx, cy]) => w1 * cx + w2 * cy + b);
        const crosses = Math.min(...side) < -1e-9 && Math.max(...side) > 1e-9;
        const missesClearly = Math.min(...side) > 1e-6 || Math.max(...side) < -1e-6;
        const xs = t.x as Array<number | null>;
        const ys = t.y as Array<number | null>;
        if (crosses) {
          expect(xs).to.have.length(2);
          for (let k = 0; k < 2; k++) {
            const px = xs[k] as number;
            const py = ys[k] as number;
            expect(Math.abs(w1 * px + w2 * py + b)).to.be.below(1e-9 * (1 + Math.abs(b)));
            expect(px).to.be.within(box.x[0] - 1e-9, box.x[1] + 1e-9);
            expect(py).to.be.within(box.y[0] - 1e-9, box.y[1] + 1e-9);
            expect(onEdge(px, py)).to.equal(true);
          }
        }
        if (missesClearly) {
          expect(xs).to.deep.equal([null]);
          expect(t.name).to.equal('m (boundary outside the plot)');
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('keeps a legend entry, with a note, for a model with no boundary (w = 0)', () => {
    const fig = decisionBoundaries({ X, y }, [{ label: 'flat', weights: [0, 0], intercept: 1 }]);
    expect(fig.data[2].name).to.equal('flat (w = 0: no boundary)');
    expect(fig.data[2].x).to.deep.equal([null]);
  });

  it('escapes labels and titles', () => {
    const fig = decisionBoundaries({ X, y }, [{ label: '<script>', weights: [1, 0], intercept: -2 }], { title: '$t$' });
    expect(fig.data[2].name).to.equal('&lt;script&gt;');
    expect((fig.layout.title as { text: string }).text).to.equal('&#36;t&#36;');
  });

  it('rejects bad input with LossInputError', () => {
    const model = [{ label: 'm', weights: [1, 1], intercept: 0 }];
    const bad: Array<() => unknown> = [
      () => decisionBoundaries({ X: [[0, 0, 0]], y: [1] }, model),
      () => decisionBoundaries({ X, y: [1, 1] }, model),
      () => decisionBoundaries({ X, y: [1, 0, -1, 1, 1] }, model),
      () => decisionBoundaries({ X, y: [1, 2, 1, 1, 1] }, model),
      () => decisionBoundaries({ X: [[0, 0], [1]], y: [1, -1] }, model),
      () => decisionBoundaries({ X, y }, [{ label: 'm', weights: [1], intercept: 0 }]),
      () => decisionBoundaries({ X, y }, []),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
