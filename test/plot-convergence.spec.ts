/** convergence: objectives or gaps per run, the log axis never fed a value <= 0, divergence shown. */
import { expect } from 'chai';
import { convergence, LossInputError, lossColor, type ConvergenceSeries } from '../src/index';

const history = (objectives: number[]): ConvergenceSeries['history'] =>
  objectives.map((objective, iteration) => ({ iteration, objective }));

describe('convergence', () => {
  const runs: ConvergenceSeries[] = [
    { label: 'newton', history: history([3, 1.5, 1.01, 1.0000001, 1, 1 - 1e-15]), lossId: 'logistic' },
    { label: 'gd', history: history([3, 2, 1.5, 1.25]) },
  ];

  it('plots the gap J − J* on a log axis, one trace per run', () => {
    const fig = convergence(runs, { optimum: 1 });
    expect(fig.data).to.have.length(2);
    expect((fig.layout.yaxis as { type: string }).type).to.equal('log');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('J(w_k, b_k) − J*');
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('iteration k');
    expect(fig.data[1].x).to.deep.equal([0, 1, 2, 3]);
    expect(fig.data[1].y).to.deep.equal([2, 1, 0.5, 0.25]);
  });

  it('floors gaps at or below rounding level instead of taking log of 0 or a negative, and says so', () => {
    const fig = convergence(runs, { optimum: 1 });
    const y = fig.data[0].y as number[];
    const floor = Number.EPSILON;
    for (const v of y) expect(v).to.be.above(0);
    expect(y.slice(4)).to.deep.equal([floor, floor]);
    expect(y[3]).to.be.closeTo(1e-7, 1e-15);
    const text = fig.data[0].text as string[];
    expect(text[4]).to.contain('at or below the floor');
    expect(text[4]).to.contain('gap J − J* = 0,');
    expect(text[5]).to.contain('gap J − J* = -9.992e-16,'); // (1 - 1e-15) - 1 in doubles
    expect(text[3]).to.not.contain('floor');
    const symbols = (fig.data[0].marker as { symbol: string[] }).symbol;
    expect(symbols.slice(3)).to.deep.equal(['circle', 'triangle-down-open', 'triangle-down-open']);
  });

  it('scales the floor with the optimum (relative precision of J)', () => {
    const fig = convergence([{ label: 'r', history: history([2e6, 1e6 + 1, 1e6]) }], { optimum: 1e6 });
    expect(fig.data[0].y).to.deep.equal([1e6, 1, 1e6 * Number.EPSILON]);
  });

  it('accepts one optimum per label', () => {
    const fig = convergence(runs, { optimum: { newton: 1, gd: 1.25 } });
    expect((fig.data[1].y as number[]).slice(0, 3)).to.deep.equal([1.75, 0.75, 0.25]);
    expect(() => convergence(runs, { optimum: { newton: 1 } })).to.throw(LossInputError, /optimum\["gd"\]/);
  });

  it('plots the objective itself without an optimum, linear on request (then nothing is floored)', () => {
    const plain = convergence(runs);
    expect(plain.data[1].y).to.deep.equal([3, 2, 1.5, 1.25]);
    expect((plain.layout.yaxis as { title: { text: string } }).title.text).to.equal('objective J(w_k, b_k)');
    const linear = convergence(runs, { optimum: 1, logY: false });
    expect((linear.layout.yaxis as { type?: string }).type).to.equal(undefined);
    expect((linear.data[0].y as number[])[4]).to.equal(0);
  });

  it('puts iterations on a log axis on request, leaving out iteration 0, which it cannot place', () => {
    const fig = convergence(runs, { optimum: 1, logX: true });
    expect(fig.layout.xaxis).to.include({ type: 'log' });
    expect(fig.data[1].x).to.deep.equal([1, 2, 3]);
    expect(fig.data[1].y).to.deep.equal([1, 0.5, 0.25]);
    expect(fig.data[1].text).to.have.length(3);
    expect((fig.data[0].marker as { symbol: string[] }).symbol).to.have.length(5);
    expect((convergence(runs, { optimum: 1 }).layout.xaxis as { type?: string }).type).to.equal(undefined);
  });

  it('breaks the line where a run diverges and names the iteration', () => {
    const fig = convergence([{ label: 'sgd', history: history([1, 0.5, Infinity, NaN]) }]);
    expect(fig.data[0].y).to.deep.equal([1, 0.5, null, null]);
    expect(fig.data[0].name).to.equal('sgd (non-finite from iteration 2)');
  });

  it('colours runs by loss, escapes labels', () => {
    const fig = convergence([{ label: '<b>x</b>', history: history([1]), lossId: 'hinge' }]);
    expect((fig.data[0].line as { color: string }).color).to.equal(lossColor('hinge'));
    expect(fig.data[0].name).to.equal('&lt;b&gt;x&lt;/b&gt;');
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => convergence([]),
      () => convergence([{ label: 'a', history: [] }]),
      () => convergence([{ label: 'a', history: [{ iteration: NaN, objective: 1 }] }]),
      () => convergence([{ label: 'a', history: [{ iteration: 0 } as { iteration: number; objective: number }] }]),
      () => convergence(runs, { optimum: Infinity }),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
