/**
 * lossCurves: the JSON it builds (traces, panels, axes, ranges) and the curves themselves,
 * checked against each loss evaluated point by point through its checked scalar methods and
 * against closed forms written here, and the slopes against finite differences.
 */
import { expect } from 'chai';
import { LossInputError, lossColor, lossCurves, losses, type Loss, type Trace } from '../src/index';
import { unsafeValues } from './helpers/figure-checks';
import { allLosses } from './helpers/losses';

type Points = Array<{ x: number; y: number }>;

const xs = (t: Trace): number[] => t.x as number[];
const ys = (t: Trace): Array<number | null> => t.y as Array<number | null>;
const defined = (t: Trace): Points =>
  xs(t).flatMap((x, i) => {
    const y = ys(t)[i];
    return y === null ? [] : [{ x, y }];
  });
const layoutAxis = (
  fig: { layout: Record<string, unknown> },
  key: string,
): { title: { text: string }; range: [number, number]; matches?: string } =>
  fig.layout[key] as { title: { text: string }; range: [number, number]; matches?: string };

/** ℓ as a function of the plotted variable, through the loss's checked scalar method. */
function reference(loss: Loss, v: number): number {
  switch (loss.properties.axis) {
    case 'residual':
      return loss.value(v, 0);
    case 'probability':
      return loss.value(1, 1 / (1 + Math.exp(-v)));
    default:
      return loss.value(1, v);
  }
}

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('lossCurves', () => {
  it('draws one trace per loss, two with the derivative row', () => {
    expect(lossCurves([losses.hinge]).data).to.have.length(1);
    expect(lossCurves([losses.hinge, losses.logistic, losses.l2]).data).to.have.length(3);
    expect(lossCurves([losses.hinge, losses.logistic, losses.l2], { derivative: true }).data).to.have.length(6);
    for (const t of lossCurves(allLosses, { derivative: true }).data) {
      expect(t.type).to.equal('scatter');
      expect(t.mode).to.equal('lines');
    }
  });

  it('puts classification losses on the margin axis and regression losses on the residual axis', () => {
    const fig = lossCurves([losses.l1, losses.hinge, losses.crossEntropy, losses.crossEntropyWithLogits, losses.l2]);
    expect(layoutAxis(fig, 'xaxis').title.text).to.equal('margin m = y·f');
    expect(layoutAxis(fig, 'xaxis2').title.text).to.equal('residual r = y − f');
    expect(layoutAxis(fig, 'yaxis').title.text).to.equal('loss φ(m)');
    expect(layoutAxis(fig, 'yaxis2').title.text).to.equal('loss ρ(r)');
    const onAxis = Object.fromEntries(fig.data.map((t) => [String(t.legendgroup), t.xaxis]));
    expect(onAxis).to.deep.equal({ hinge: 'x', crossEntropy: 'x', crossEntropyWithLogits: 'x', l1: 'x2', l2: 'x2' });
  });

  it('gives a single kind of loss one panel, titled for it', () => {
    const fig = lossCurves([losses.l1, losses.huber]);
    expect(layoutAxis(fig, 'xaxis').title.text).to.equal('residual r = y − f');
    expect(fig.layout.xaxis2).to.equal(undefined);
    expect((fig.layout.title as { text: string }).text).to.match(/Regression losses/);
  });

  it('lays out the derivative row under the values, sharing the horizontal axis', () => {
    const fig = lossCurves([losses.hinge, losses.l1], { derivative: true });
    expect(layoutAxis(fig, 'yaxis3').title.text).to.equal('slope φ′(m)');
    expect(layoutAxis(fig, 'yaxis4').title.text).to.equal('slope ρ′(r)');
    expect(layoutAxis(fig, 'xaxis3').matches).to.equal('x');
    expect(layoutAxis(fig, 'xaxis4').matches).to.equal('x2');
    const slopes = fig.data.filter((t) => t.showlegend === false);
    expect(slopes.map((t) => t.legendgroup)).to.deep.equal(['hinge', 'l1']);
  });

  it('uses the given range (default [-3, 3]) on every panel', () => {
    expect(layoutAxis(lossCurves([losses.hinge]), 'xaxis').range).to.deep.equal([-3, 3]);
    const fig = lossCurves([losses.hinge, losses.l2], { range: [-1, 2], derivative: true });
    for (const key of ['xaxis', 'xaxis2', 'xaxis3', 'xaxis4'])
      expect(layoutAxis(fig, key).range).to.deep.equal([-1, 2]);
    for (const t of fig.data) {
      const x = xs(t);
      expect(x[0]).to.equal(-1);
      expect(x[x.length - 1]).to.equal(2);
    }
  });

  it('draws every loss at the value its scalar method gives, everywhere on the grid', () => {
    for (const loss of allLosses) {
      const [trace] = lossCurves([loss], { range: [-4, 4], points: 161 }).data;
      const pts = defined(trace);
      expect(pts.length, loss.id).to.be.at.least(161);
      for (const { x, y } of pts) {
        if (loss.properties.kinks.includes(x)) continue; // at a jump the two one-sided limits are drawn
        expect(close(y, reference(loss, x)), `${loss.id} at ${x}: ${y} vs ${reference(loss, x)}`).to.equal(true);
      }
    }
  });

  it('matches closed forms: hinge, squared error, exponential, cross-entropy through p = σ(m)', () => {
    const fig = lossCurves([losses.hinge, losses.l2, losses.exponential, losses.crossEntropy], { points: 61 });
    const byGroup = (id: string): Points => defined(fig.data.find((t) => t.legendgroup === id) as Trace);
    for (const { x, y } of byGroup('hinge')) expect(y).to.equal(Math.max(0, 1 - x));
    for (const { x, y } of byGroup('l2')) expect(close(y, x * x)).to.equal(true);
    for (const { x, y } of byGroup('exponential')) expect(close(y, Math.exp(-x))).to.equal(true);
    for (const { x, y } of byGroup('crossEntropy')) expect(close(y, Math.log1p(Math.exp(-x)), 1e-9)).to.equal(true);
  });

  it('draws slopes that agree with finite differences of the curves', () => {
    for (const loss of allLosses) {
      if (loss.id === 'zeroOne') continue; // piecewise constant: its slope is 0 and differences see only the jump
      const fig = lossCurves([loss], { derivative: true, range: [-2.9, 3.1], points: 301 });
      const slope = defined(fig.data[1]);
      const skip = [...loss.properties.kinks, ...loss.properties.kinks.map((p) => Math.log(p / (1 - p)))];
      for (const { x, y } of slope) {
        if (skip.some((k) => Math.abs(x - k) < 1e-3)) continue;
        const h = 1e-6;
        const fd = (reference(loss, x + h) - reference(loss, x - h)) / (2 * h);
        expect(
          Math.abs(y - fd) <= 1e-5 * Math.max(1, Math.abs(fd)),
          `${loss.id} slope at ${x}: ${y} vs ${fd}`,
        ).to.equal(true);
      }
    }
  });

  it('draws the 0–1 loss as a true step: a break at m = 0, never a ramp between 1 and 0', () => {
    const [trace] = lossCurves([losses.zeroOne], { points: 7 }).data;
    const x = xs(trace);
    const y = ys(trace);
    for (const v of y) expect(v === null || v === 0 || v === 1).to.equal(true);
    for (let i = 1; i < y.length; i++) {
      const a = y[i - 1];
      const b = y[i];
      if (a !== null && b !== null && a !== b)
        expect.fail(`segment from (${x[i - 1]}, ${a}) to (${x[i]}, ${b}) joins the two levels`);
    }
    const gap = y.indexOf(null);
    expect(x[gap]).to.equal(0);
    expect([y[gap - 1], y[gap + 1]]).to.deep.equal([1, 0]);
    expect([x[gap - 1], x[gap + 1]]).to.deep.equal([0, 0]);
  });

  it('breaks slopes that jump at a kink (hinge at m = 1, L1 at r = 0) and draws kinks exactly', () => {
    const fig = lossCurves([losses.hinge, losses.l1], { derivative: true, points: 10 });
    for (const [t, k, left, right] of [
      [fig.data[1], 1, -1, 0],
      [fig.data[3], 0, -1, 1],
    ] as const) {
      const y = ys(t);
      const gap = y.indexOf(null);
      expect(xs(t)[gap]).to.equal(k);
      expect(y[gap - 1]).to.equal(left);
      expect(y[gap + 1]).to.equal(right);
    }
    // 10 points on [-3, 3] miss m = 1; the hinge's corner is still a grid point.
    expect(defined(fig.data[0])).to.deep.include({ x: 1, y: 0 });
  });

  it('keeps smooth losses unbroken (huber, logistic) and their curvature jumps on the grid', () => {
    const fig = lossCurves([losses.huber, losses.logistic], { derivative: true, points: 10 });
    for (const t of fig.data) expect(ys(t)).to.not.include(null);
    expect(xs(fig.data[2])).to.include.members([-1, 1]);
  });

  it('shows cross-entropy on probabilities through p = σ(m), saying so in legend and hover', () => {
    const [trace] = lossCurves([losses.crossEntropy], { points: 5 }).data;
    expect(trace.name).to.equal('Cross-entropy (on probabilities), at p = σ(m)');
    expect(trace.hovertemplate).to.contain('p = σ(m)');
    const p = trace.customdata as number[];
    xs(trace).forEach((m, i) => {
      expect(close(p[i], 1 / (1 + Math.exp(-m)))).to.equal(true);
    });
  });

  it('stays finite far out: infinite and astronomically large values become breaks, never NaN', () => {
    const fig = lossCurves([losses.crossEntropy, losses.exponential, losses.logistic], {
      range: [-800, 5],
      derivative: true,
    });
    expect(unsafeValues(fig)).to.deep.equal([]);
    const ce = ys(fig.data[0]);
    expect(ce[0]).to.equal(null); // σ(-800) rounds to 0: -ln 0 = Infinity
    expect(ce[ce.length - 1]).to.be.a('number');
    for (const t of fig.data) {
      const [lo, hi] = layoutAxis(fig, t.yaxis === 'y' ? 'yaxis' : `yaxis${String(t.yaxis).slice(1)}`).range;
      for (const v of ys(t)) if (v !== null) expect(v).to.be.within(lo - 1001 * (hi - lo), hi + 1001 * (hi - lo));
    }
  });

  it('fits the vertical range to the curves unless one dwarfs the rest', () => {
    // hinge alone: [0, 4] padded by 5%.
    expect(layoutAxis(lossCurves([losses.hinge]), 'yaxis').range).to.deep.equal([-0.2, 4.2]);
    // exponential (e^3 ≈ 20.1) next to six tamer losses is cut at 4 × the median peak.
    const fig = lossCurves([
      losses.zeroOne,
      losses.hinge,
      losses.logistic,
      losses.crossEntropyWithLogits,
      losses.squaredHinge,
      losses.modifiedHuber,
      losses.exponential,
    ]);
    const [, hi] = layoutAxis(fig, 'yaxis').range;
    const peaks = fig.data.map((t) => Math.max(...defined(t).map((p) => p.y))).sort((a, b) => a - b);
    expect(hi).to.be.below(Math.exp(3));
    expect(hi).to.be.above(peaks[peaks.length - 2]); // squared hinge (16) still fits
  });

  it('colours each loss with lossColor, the same in the value and slope panels', () => {
    const fig = lossCurves(allLosses, { derivative: true });
    for (const t of fig.data) expect((t.line as { color: string }).color).to.equal(lossColor(String(t.legendgroup)));
  });

  it('escapes user-defined text (title) and keeps hover templates to our own markup', () => {
    const fig = lossCurves([losses.hinge], { title: '<i>mine</i> & %{x}' });
    expect((fig.layout.title as { text: string }).text).to.equal('&lt;i&gt;mine&lt;/i&gt; &amp; %&#123;x}');
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => lossCurves([]),
      () => lossCurves([{ id: 'fake' } as unknown as Loss]),
      () => lossCurves([losses.hinge], { range: [1, 1] }),
      () => lossCurves([losses.hinge], { range: [0, Infinity] }),
      () => lossCurves([losses.hinge], { points: 1 }),
      () => lossCurves([losses.hinge], { points: 2.5 }),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
