/** calibrationCurve: bins, frequencies, ECE and Wilson intervals against brute force and closed forms. */
import { expect } from 'chai';
import { calibrationCurve, LossInputError, lossColor } from '../src/index';
import { mulberry32 } from './helpers/rng';

describe('calibrationCurve', () => {
  const rng = mulberry32(99);
  const p = Array.from({ length: 500 }, () => rng());
  const y = p.map((q) => (rng() < q ** 1.5 ? 1 : -1));

  it('puts each non-empty bin at (mean p, frequency of y = +1), matching a brute-force pass', () => {
    const bins = 7;
    const fig = calibrationCurve([{ label: 'm', y, p }], { bins });
    const xs: number[] = [];
    const fs: number[] = [];
    let ece = 0;
    for (let k = 0; k < bins; k++) {
      const idx = p
        .map((_, i) => i)
        .filter((i) => (k === bins - 1 ? p[i] >= k / bins : p[i] >= k / bins && p[i] < (k + 1) / bins));
      if (idx.length === 0) continue;
      const mp = idx.reduce((a, i) => a + p[i], 0) / idx.length;
      const f = idx.filter((i) => y[i] === 1).length / idx.length;
      xs.push(mp);
      fs.push(f);
      ece += (idx.length / p.length) * Math.abs(f - mp);
    }
    const t = fig.data[1];
    (t.x as number[]).forEach((v, i) => {
      expect(v).to.be.closeTo(xs[i], 1e-12);
    });
    (t.y as number[]).forEach((v, i) => {
      expect(v).to.be.closeTo(fs[i], 1e-12);
    });
    expect(t.name).to.equal(`m (ECE = ${Number(ece.toPrecision(4))})`);
  });

  it('draws the diagonal first and the same curve for ±1 and 0/1 labels', () => {
    const a = calibrationCurve([{ label: 'm', y, p, lossId: 'logistic' }]);
    const b = calibrationCurve([{ label: 'm', y: y.map((v) => (v + 1) / 2), p, lossId: 'logistic' }]);
    expect(a.data[0]).to.include({ name: 'perfectly calibrated' });
    expect(a.data[0].x).to.deep.equal([0, 1]);
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
    expect((a.data[1].line as { color: string }).color).to.equal(lossColor('logistic'));
  });

  it('gives each bin a 95% Wilson interval (closed form at 0 of n and n of n)', () => {
    const n = 10;
    const fig = calibrationCurve(
      [
        {
          label: 'm',
          y: [...Array(n).fill(0), ...Array(n).fill(1)],
          p: [...Array(n).fill(0.05), ...Array(n).fill(0.95)],
        },
      ],
      { bins: 2 },
    );
    const z2 = 1.959963984540054 ** 2;
    const edge = z2 / (n + z2); // Wilson upper limit at 0 successes, and 1 minus the lower at n
    const err = fig.data[1].error_y as { array: number[]; arrayminus: number[] };
    expect(fig.data[1].y).to.deep.equal([0, 1]);
    expect(err.array[0]).to.be.closeTo(edge, 1e-12);
    expect(err.arrayminus[1]).to.be.closeTo(edge, 1e-12);
    expect(err.arrayminus[0]).to.equal(0);
    expect(err.array[1]).to.equal(0);
  });

  it('has square unit axes titled for the diagram', () => {
    const fig = calibrationCurve([{ label: 'm', y, p }]);
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('mean predicted probability p̂');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('observed frequency of y = +1');
    expect(fig.layout.yaxis).to.include({ scaleanchor: 'x' });
  });

  it('with equal-mass bins gives each bin a consecutive block of the sorted predictions, as a brute-force pass does', () => {
    const bins = 6;
    const fig = calibrationCurve([{ label: 'm', y, p }], { bins, binning: 'mass' });
    const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
    const xs: number[] = [];
    const fs: number[] = [];
    let ece = 0;
    for (let k = 0; k < bins; k++) {
      // Ranks ⌈k n/B⌉ … ⌈(k+1) n/B⌉ − 1: the same blocks as ⌊r B/n⌋ = k.
      const idx = order.slice(Math.ceil((k * p.length) / bins), Math.ceil(((k + 1) * p.length) / bins));
      const mp = idx.reduce((a, i) => a + p[i], 0) / idx.length;
      const f = idx.filter((i) => y[i] === 1).length / idx.length;
      xs.push(mp);
      fs.push(f);
      ece += (idx.length / p.length) * Math.abs(f - mp);
    }
    const t = fig.data[1];
    expect((t.x as number[]).length).to.equal(bins);
    (t.x as number[]).forEach((v, i) => {
      expect(v).to.be.closeTo(xs[i], 1e-12);
    });
    (t.y as number[]).forEach((v, i) => {
      expect(v).to.be.closeTo(fs[i], 1e-12);
    });
    expect(t.name).to.equal(`m (ECE = ${Number(ece.toPrecision(4))})`);
  });

  it("draws repeated runs as the bins' averages with a 5%–95% band over the runs and the mean ECE", () => {
    const runs = [1, 2, 3, 4, 5].map((seed) => {
      const r = mulberry32(seed);
      const q = Array.from({ length: 200 }, () => r());
      return { p: q, y: q.map((v) => (r() < v ? 1 : 0)) };
    });
    const bins = 4;
    const fig = calibrationCurve([{ label: 'runs', lossId: 'logistic', runs }], { bins, binning: 'mass' });
    // Each run alone, drawn by the single-series path, gives the per-run bins.
    const single = runs.map(
      (run) => calibrationCurve([{ label: 'one', y: run.y, p: run.p }], { bins, binning: 'mass' }).data[1],
    );
    const perRun = (field: 'x' | 'y') => single.map((t) => t[field] as number[]);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const typeSeven = (v: number[], q: number) => {
      const s = v.slice().sort((a, b) => a - b);
      const pos = q * (s.length - 1);
      const lo = Math.floor(pos);
      return s[lo] + (pos - lo) * ((s[lo + 1] ?? s[lo]) - s[lo]);
    };
    const [band, line] = [fig.data[1], fig.data[2]];
    for (let k = 0; k < bins; k++) {
      expect((line.x as number[])[k]).to.be.closeTo(mean(perRun('x').map((xs) => xs[k])), 1e-12);
      expect((line.y as number[])[k]).to.be.closeTo(mean(perRun('y').map((ys) => ys[k])), 1e-12);
      const frequencies = perRun('y').map((ys) => ys[k]);
      expect((band.y as number[])[k]).to.be.closeTo(typeSeven(frequencies, 0.95), 1e-12);
      expect((band.y as number[])[2 * bins - 1 - k]).to.be.closeTo(typeSeven(frequencies, 0.05), 1e-12);
    }
    expect(band.fill).to.equal('toself');
    const eces = single.map((t) => Number(/ECE = ([^)]*)\)/.exec(t.name as string)![1]));
    expect(line.name).to.match(/^runs \(mean ECE = [0-9.]+, 5 runs\)$/);
    expect(Number(/mean ECE = ([0-9.]+)/.exec(line.name as string)![1])).to.be.closeTo(mean(eces), 1e-3);
  });

  it('rejects bad input with LossInputError', () => {
    const bad: Array<() => unknown> = [
      () => calibrationCurve([]),
      () => calibrationCurve([{ label: 'm', y: [1, 0, -1], p: [0.1, 0.2, 0.3] }]),
      () => calibrationCurve([{ label: 'm', y: [1, 0], p: [0.1, 1.2] }]),
      () => calibrationCurve([{ label: 'm', y: [1, 0], p: [0.1] }]),
      () => calibrationCurve([{ label: 'm', y: [1, 0], p: [0.1, 0.2] }], { bins: 0 }),
      () => calibrationCurve([{ label: 'm', y: [1, 0], p: [0.1, 0.2] }], { binning: 'quantile' as never }),
      () => calibrationCurve([{ label: 'm', runs: [] }]),
      () => calibrationCurve([{ label: 'm', runs: [null as never] }]),
      () => calibrationCurve([{ label: 'm', runs: [{ y: [1, 0], p: [0.1] }] }]),
      () => calibrationCurve([{ label: 'm', runs: [{ y: [1, 0], p: [0.1, 1.5] }] }]),
    ];
    for (const f of bad) expect(f).to.throw(LossInputError);
  });
});
