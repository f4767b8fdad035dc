/** sweep and riskConvergence: lines with bands (polygons along upper and back along lower), axes, errors. */
import { expect } from 'chai';
import { LossInputError, lossColor, riskConvergence, sweep, type Trace } from '../src/index';

const rgbaOf = (hex: string, alpha: number): string => {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${v >> 16}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
};

describe('sweep', () => {
  const levels = [0, 0.1, 0.2];
  const series = [
    { label: 'L2', lossId: 'l2', x: levels, mean: [0.1, 0.8, 1.6], lower: [0, 0.5, 1.2], upper: [0.2, 1.1, 2] },
    { label: 'Huber', lossId: 'huber', x: levels, mean: [0.1, 0.2, 0.3] },
  ];
  const opts = { xTitle: 'fraction of outliers ε', yTitle: 'slope error |ŵ − w|' };

  it('draws a band then a line for a series with a spread, a line alone otherwise', () => {
    const fig = sweep(series, opts);
    expect(fig.data.map((t) => [t.fill ?? null, t.showlegend ?? true])).to.deep.equal([
      ['toself', false],
      [null, true],
      [null, true],
    ]);
    const [band, line] = fig.data;
    expect(band.x).to.deep.equal([0, 0.1, 0.2, 0.2, 0.1, 0]);
    expect(band.y).to.deep.equal([0.2, 1.1, 2, 1.2, 0.5, 0]);
    expect(band.legendgroup).to.equal(line.legendgroup);
    expect(line.x).to.deep.equal(levels);
    expect(line.y).to.deep.equal([0.1, 0.8, 1.6]);
    expect(line.customdata).to.deep.equal([
      [0, 0.2],
      [0.5, 1.1],
      [1.2, 2],
    ]);
  });

  it('colours line and band by loss', () => {
    const fig = sweep(series, opts);
    expect((fig.data[1].line as { color: string }).color).to.equal(lossColor('l2'));
    expect(fig.data[0].fillcolor).to.equal(rgbaOf(lossColor('l2'), 0.18));
    expect((fig.data[2].line as { color: string }).color).to.equal(lossColor('huber'));
  });

  it('titles axes as given (escaped) and derives the chart title', () => {
    const fig = sweep(series, { xTitle: 'a < b', yTitle: 'c & d' });
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('a &lt; b');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('c &amp; d');
    expect((fig.layout.title as { text: string }).text).to.equal('c &amp; d against a &lt; b');
    expect((sweep(series, { ...opts, logY: true }).layout.yaxis as { type: string }).type).to.equal('log');
  });

  it('puts x on a log axis on request, and refuses x <= 0 there, which the axis cannot place', () => {
    const positive = [{ label: 'L1', x: [10, 100, 1000], mean: [0.3, 0.1, 0.03] }];
    expect(sweep(positive, { ...opts, logX: true }).layout.xaxis).to.include({ type: 'log' });
    expect((sweep(positive, opts).layout.xaxis as { type?: string }).type).to.equal(undefined);
    expect(() => sweep(series, { ...opts, logX: true })).to.throw(LossInputError, /results\[0\]\.x\[0\]/);
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => sweep([], opts),
      () => sweep(series, { xTitle: 'x' } as typeof opts),
      () => sweep([{ label: 'a', x: [0, 1], mean: [1] }], opts),
      () => sweep([{ label: 'a', x: [0, 1], mean: [1, 2], lower: [0, 1] }], opts),
      () => sweep([{ label: 'a', x: [0, 1], mean: [1, 2], lower: [0, 3], upper: [2, 2.5] }], opts),
      () => sweep([{ label: 'a', x: [0, 1], mean: [1, NaN] }], opts),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});

describe('riskConvergence', () => {
  const series = {
    n: [10, 100, 1000],
    mean: [0.3, 0.26, 0.25],
    lower: [0.1, 0.2, 0.23],
    upper: [0.5, 0.32, 0.27],
    trueRisk: 0.25,
  };

  it('draws band, mean and the true risk as a dashed line across the sample sizes, on a log n axis', () => {
    const fig = riskConvergence(series, { lossId: 'zeroOne' });
    const [band, mean, truth] = fig.data as Trace[];
    expect(band.fill).to.equal('toself');
    expect(band.y).to.deep.equal([0.5, 0.32, 0.27, 0.23, 0.2, 0.1]);
    expect(mean.y).to.deep.equal([0.3, 0.26, 0.25]);
    expect((mean.line as { color: string }).color).to.equal(lossColor('zeroOne'));
    expect(truth.x).to.deep.equal([10, 1000]);
    expect(truth.y).to.deep.equal([0.25, 0.25]);
    expect((truth.line as { dash: string }).dash).to.equal('dash');
    expect(truth.name).to.equal('true risk R(f) = 0.25');
    expect(fig.layout.xaxis).to.include({ type: 'log' });
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('sample size n');
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => riskConvergence({ ...series, n: [0, 10, 100] }),
      () => riskConvergence({ ...series, mean: [1, 2] }),
      () => riskConvergence({ ...series, lower: [0.1, 0.4, 0.23] }),
      () => riskConvergence({ ...series, trueRisk: NaN }),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
