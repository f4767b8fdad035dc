/** fitLines: the scatter split by the outlier mask, each line on ŷ = w·x + b, colours, errors. */
import { expect } from 'chai';
import { fitLines, LossInputError, lossColor, seriesColor, type LineFit } from '../src/index';

const x = [0, 1, 2, 3, 4];
const y = [0.1, 1.2, 1.9, 3.1, 20];
const mask = [false, false, false, false, true];
const fits: LineFit[] = [
  { label: 'L2', weights: [3.5], intercept: -2, lossId: 'l2' },
  { label: 'L1', weights: Float64Array.of(1), intercept: 0.1, lossId: 'l1' },
  { label: 'mine', weights: [0.5], intercept: 1 },
];

describe('fitLines', () => {
  it('splits the points by the mask and names the counts', () => {
    const fig = fitLines({ x, y, outlierMask: mask }, fits);
    expect(fig.data).to.have.length(2 + fits.length);
    const [inliers, outliers] = fig.data;
    expect(inliers.x).to.deep.equal([0, 1, 2, 3]);
    expect(inliers.y).to.deep.equal([0.1, 1.2, 1.9, 3.1]);
    expect(outliers.x).to.deep.equal([4]);
    expect(outliers.y).to.deep.equal([20]);
    expect([inliers.name, outliers.name]).to.deep.equal(['inliers (n = 4)', 'outliers (n = 1)']);
    expect(outliers.marker).to.include({ symbol: 'x' });
  });

  it('draws all points as one trace without a mask, and accepts 0/1 masks', () => {
    expect(fitLines({ x, y }, fits).data).to.have.length(1 + fits.length);
    expect(fitLines({ x, y }, fits).data[0].name).to.equal('data (n = 5)');
    const numeric = fitLines({ x, y, outlierMask: [0, 0, 0, 0, 1] }, fits);
    expect(numeric.data[1].x).to.deep.equal([4]);
  });

  it('keeps an empty outlier trace drawable (one null point)', () => {
    const fig = fitLines({ x, y, outlierMask: [false, false, false, false, false] }, fits);
    expect(fig.data[1].x).to.deep.equal([null]);
    expect(fig.data[1].name).to.equal('outliers (n = 0)');
  });

  it('draws each line across the padded data range on ŷ = w·x + b, in its loss colour', () => {
    const fig = fitLines({ x, y, outlierMask: mask }, fits);
    const range = (fig.layout.xaxis as { range: [number, number] }).range;
    expect(range).to.deep.equal([-0.2, 4.2]);
    fits.forEach((fit, i) => {
      const t = fig.data[2 + i];
      expect(t.x).to.deep.equal(range);
      (t.x as number[]).forEach((v, k) => {
        expect((t.y as number[])[k]).to.be.closeTo(fit.weights[0] * v + fit.intercept, 1e-12);
      });
      expect((t.line as { color: string }).color).to.equal(seriesColor(fit.lossId, i));
    });
    expect((fig.data[2].line as { color: string }).color).to.equal(lossColor('l2'));
    expect(fig.data[4].hovertemplate).to.contain('ŷ = 0.5·x + 1');
  });

  it('escapes labels and axis titles', () => {
    const fig = fitLines({ x, y }, [{ label: '<b>x</b>', weights: [1], intercept: 0 }], {
      title: 'a & b',
      xTitle: '$x$',
      yTitle: '%{y}',
    });
    expect(fig.data[1].name).to.equal('&lt;b&gt;x&lt;/b&gt;');
    expect((fig.layout.title as { text: string }).text).to.equal('a &amp; b');
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('&#36;x&#36;');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('%&#123;y}');
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => fitLines({ x, y: [1, 2] }, fits),
      () => fitLines({ x: [0, NaN], y: [1, 2] }, fits),
      () => fitLines({ x, y, outlierMask: [true] }, fits),
      () => fitLines({ x, y, outlierMask: [0, 0, 2, 0, 0] }, fits),
      () => fitLines({ x, y }, []),
      () => fitLines({ x, y }, [{ label: 'two', weights: [1, 2], intercept: 0 }]),
      () => fitLines({ x, y }, [{ label: 'b', weights: [1], intercept: NaN }]),
      () => fitLines({ x, y }, [{ label: 3 as unknown as string, weights: [1], intercept: 0 }]),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
