/**
 * The synthetic data sets: shapes, reproducibility, the contamination they promise (counts,
 * where it sits, what it does), and that the clean part follows the stated model — checked
 * with estimators computed here (least squares by mathjs, class frequencies), not by the
 * package's own solvers.
 */
import { expect } from 'chai';
import { lusolve, multiply, transpose } from 'mathjs';
import { LossInputError, makeClassification, makeRegression, trainTestSplit, type Dataset } from '../src/index';

function rows(data: Dataset): number[][] {
  const { rows: n, cols: d, data: flat } = data.X;
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));
}

/** Least squares with intercept by the normal equations, solved by mathjs (an independent method). */
function olsWithIntercept(X: number[][], y: ArrayLike<number>): number[] {
  const A = X.map((r) => [...r, 1]);
  const AtA = multiply(transpose(A), A) as number[][];
  const Aty = multiply(transpose(A), Array.from(y)) as number[];
  return (lusolve(AtA, Aty) as number[][]).map((r) => r[0]);
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

describe('makeRegression', () => {
  it('follows y = X w + b + noise: least squares recovers w and b', () => {
    const data = makeRegression({ n: 4000, d: 3, seed: 1, weights: [2, -1, 0.5], intercept: 3, noiseScale: 0.5 });
    expect(data.X.rows).to.equal(4000);
    expect(data.X.cols).to.equal(3);
    expect(Array.from(data.trueWeights)).to.deep.equal([2, -1, 0.5]);
    expect(data.trueIntercept).to.equal(3);
    const beta = olsWithIntercept(rows(data), data.y);
    // Standard error of each coefficient ≈ 0.5 / √4000 ≈ 0.008.
    [2, -1, 0.5, 3].forEach((want, j) => {
      expect(Math.abs(beta[j] - want), `coefficient ${j}`).to.be.below(0.05);
    });
    expect(sum(data.outlierMask)).to.equal(0);
  });

  it('draws x from N(0, I) and the noise with the requested shape (residual quantiles)', () => {
    const quantileOf = (v: number[], q: number): number => [...v].sort((a, b) => a - b)[Math.floor(q * (v.length - 1))];
    const residuals = (noise: 'normal' | 'studentT' | 'cauchy'): number[] => {
      const data = makeRegression({ n: 20000, d: 1, seed: 2, weights: [1], noise, df: 3 });
      return Array.from(data.y, (v, i) => v - data.X.data[i]);
    };
    // Upper quartiles: Φ⁻¹(0.75) = 0.674, t₃ 0.765, Cauchy 1.
    expect(quantileOf(residuals('normal'), 0.75)).to.be.within(0.65, 0.7);
    expect(quantileOf(residuals('studentT'), 0.75)).to.be.within(0.74, 0.79);
    expect(quantileOf(residuals('cauchy'), 0.75)).to.be.within(0.96, 1.04);
    const x = Array.from(makeRegression({ n: 20000, d: 1, seed: 3 }).X.data);
    expect(Math.abs(sum(x) / x.length)).to.be.below(0.03);
    expect(quantileOf(x, 0.75)).to.be.within(0.65, 0.7);
  });

  it('adds exactly round(fraction · n) vertical outliers: y shifted, x untouched', () => {
    const clean = makeRegression({ n: 500, d: 2, seed: 4, weights: [1, 1], noiseScale: 0.1 });
    const dirty = makeRegression({
      n: 500,
      d: 2,
      seed: 4,
      weights: [1, 1],
      noiseScale: 0.1,
      outliers: { fraction: 0.1, shift: 20, spread: 0 },
    });
    expect(sum(dirty.outlierMask)).to.equal(50);
    expect(Array.from(dirty.X.data)).to.deep.equal(Array.from(clean.X.data));
    for (let i = 0; i < 500; i++) {
      const moved = dirty.y[i] - clean.y[i];
      if (dirty.outlierMask[i] === 1) expect(moved).to.be.closeTo(20, 1e-9);
      else expect(moved).to.equal(0);
    }
  });

  it('puts leverage points far out in x with y on the other line, disjoint from the outliers', () => {
    const data = makeRegression({
      n: 1000,
      d: 2,
      seed: 5,
      weights: [1, 2],
      intercept: 1,
      noiseScale: 0.01,
      outliers: { fraction: 0.05 },
      leverage: { fraction: 0.05, at: 8 },
    });
    expect(sum(data.outlierMask)).to.equal(100);
    const X = rows(data);
    let far = 0;
    for (let i = 0; i < 1000; i++) {
      if (X[i][0] > 5 && X[i][1] > 5) {
        far++;
        expect(data.outlierMask[i]).to.equal(1);
        // The other line: minus the true weights, the true intercept.
        expect(data.y[i]).to.be.closeTo(-X[i][0] - 2 * X[i][1] + 1, 0.1);
      }
    }
    expect(far).to.equal(50);
  });

  it('is reproducible and seed-dependent', () => {
    const a = makeRegression({ n: 50, d: 2, seed: 9, noise: 'cauchy', outliers: { fraction: 0.2 } });
    const b = makeRegression({ n: 50, d: 2, seed: 9, noise: 'cauchy', outliers: { fraction: 0.2 } });
    const c = makeRegression({ n: 50, d: 2, seed: 10, noise: 'cauchy', outliers: { fraction: 0.2 } });
    expect(Array.from(a.y)).to.deep.equal(Array.from(b.y));
    expect(Array.from(a.X.data)).to.deep.equal(Array.from(b.X.data));
    expect(Array.from(a.y)).to.not.deep.equal(Array.from(c.y));
  });

  it('rejects bad options with LossInputError', () => {
    const bad: Array<Record<string, unknown>> = [
      { n: 0, seed: 1 },
      { n: 10.5, seed: 1 },
      { n: 10, seed: 1.5 },
      { n: 10, d: 0, seed: 1 },
      { n: 10, seed: 1, noise: 'laplace' },
      { n: 10, seed: 1, noiseScale: -1 },
      { n: 10, seed: 1, df: 0 },
      { n: 10, seed: 1, weights: [1, 2] },
      { n: 10, seed: 1, weights: [Number.NaN] },
      { n: 10, seed: 1, outliers: { fraction: 1.5 } },
      { n: 10, seed: 1, outliers: { fraction: 0.6 }, leverage: { fraction: 0.6 } },
    ];
    for (const opts of bad) expect(() => makeRegression(opts as never), JSON.stringify(opts)).to.throw(LossInputError);
  });
});

describe('makeClassification', () => {
  it('blobs: classes about half and half, centres at ±separation/2 on the first axis', () => {
    const data = makeClassification({ n: 4000, d: 3, seed: 1, separation: 4 });
    const X = rows(data);
    const positives = Array.from(data.y).filter((v) => v === 1).length;
    expect(Array.from(new Set(data.y)).sort()).to.deep.equal([-1, 1]);
    expect(positives).to.be.within(1850, 2150);
    const centre = (label: number, j: number): number => {
      const members = X.filter((_, i) => data.y[i] === label);
      return members.reduce((s, r) => s + r[j], 0) / members.length;
    };
    expect(centre(1, 0)).to.be.closeTo(2, 0.08);
    expect(centre(-1, 0)).to.be.closeTo(-2, 0.08);
    expect(centre(1, 1)).to.be.closeTo(0, 0.08);
    expect(Array.from(data.trueWeights)).to.deep.equal([4, 0, 0]);
    expect(data.trueIntercept).to.equal(0);
  });

  it('logistic model: P(y = 1 | x) follows σ(w·x + b) in bins of the true score', () => {
    const data = makeClassification({ n: 40000, d: 2, seed: 2, model: 'logistic', weights: [1.5, -1], intercept: 0.5 });
    const X = rows(data);
    const bins = [
      [-10, -1],
      [-1, 0],
      [0, 1],
      [1, 10],
    ];
    for (const [lo, hi] of bins) {
      let count = 0;
      let positives = 0;
      let expected = 0;
      X.forEach((r, i) => {
        const score = 1.5 * r[0] - r[1] + 0.5;
        if (score < lo || score >= hi) return;
        count++;
        if (data.y[i] === 1) positives++;
        expected += 1 / (1 + Math.exp(-score));
      });
      // Binomial sd <= 0.5 √count; 4 sd.
      expect(Math.abs(positives - expected), `bin [${lo}, ${hi})`).to.be.below(2 * Math.sqrt(count));
    }
  });

  it('flips exactly round(fraction · n) labels, marked in outlierMask, and nothing else changes', () => {
    for (const model of ['blobs', 'logistic'] as const) {
      const clean = makeClassification({ n: 300, seed: 3, model });
      const noisy = makeClassification({ n: 300, seed: 3, model, flipFraction: 0.1 });
      expect(Array.from(noisy.X.data)).to.deep.equal(Array.from(clean.X.data));
      expect(sum(noisy.outlierMask)).to.equal(30);
      for (let i = 0; i < 300; i++) expect(noisy.y[i]).to.equal(noisy.outlierMask[i] === 1 ? -clean.y[i] : clean.y[i]);
    }
  });

  it("labels: 'binary' maps +1 → 1 and −1 → 0", () => {
    const sign = makeClassification({ n: 100, seed: 4, flipFraction: 0.2 });
    const binary = makeClassification({ n: 100, seed: 4, flipFraction: 0.2, labels: 'binary' });
    expect(Array.from(binary.y)).to.deep.equal(Array.from(sign.y, (v) => (v > 0 ? 1 : 0)));
  });

  it('rejects bad options with LossInputError', () => {
    const bad: Array<Record<string, unknown>> = [
      { n: 10, seed: 1, model: 'tree' },
      { n: 10, seed: 1, labels: '01' },
      { n: 10, seed: 1, flipFraction: -0.1 },
      { n: 10, seed: 1, separation: -1 },
      { n: 10, seed: 1, model: 'logistic', weights: [1] },
    ];
    for (const opts of bad)
      expect(() => makeClassification(opts as never), JSON.stringify(opts)).to.throw(LossInputError);
  });
});

describe('trainTestSplit', () => {
  it('partitions the rows, keeping each row with its label', () => {
    const X = Array.from({ length: 21 }, (_, i) => [i, 10 * i]);
    const y = Array.from({ length: 21 }, (_, i) => 100 * i);
    const s = trainTestSplit(X, y, { testFraction: 0.3, seed: 4 });
    expect(s.XTest.rows).to.equal(6);
    expect(s.XTrain.rows).to.equal(15);
    const all = [...s.trainIndex, ...s.testIndex].sort((a, b) => a - b);
    expect(all).to.deep.equal(Array.from({ length: 21 }, (_, i) => i));
    s.testIndex.forEach((row, k) => {
      expect(Array.from(s.XTest.data.subarray(2 * k, 2 * k + 2))).to.deep.equal(X[row]);
      expect(s.yTest[k]).to.equal(y[row]);
    });
    s.trainIndex.forEach((row, k) => {
      expect(s.yTrain[k]).to.equal(y[row]);
    });
  });

  it('is reproducible, seed-dependent, and defaults to a quarter for testing', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i]);
    const y = X.map((r) => r[0]);
    const a = trainTestSplit(X, y, { seed: 1 });
    expect(a.XTest.rows).to.equal(10);
    expect(Array.from(trainTestSplit(X, y, { seed: 1 }).testIndex)).to.deep.equal(Array.from(a.testIndex));
    expect(Array.from(trainTestSplit(X, y, { seed: 2 }).testIndex)).to.not.deep.equal(Array.from(a.testIndex));
  });

  it('rejects ragged X, mismatched lengths, NaN and bad fractions', () => {
    expect(() => trainTestSplit([[1], [2, 3]], [1, 2], { seed: 1 })).to.throw(LossInputError);
    expect(() => trainTestSplit([[1], [2]], [1], { seed: 1 })).to.throw(LossInputError);
    expect(() => trainTestSplit([[1], [2]], [1, Number.NaN], { seed: 1 })).to.throw(LossInputError);
    expect(() => trainTestSplit([[1], [2]], [1, 2], { seed: 1, testFraction: 2 })).to.throw(LossInputError);
  });
});
