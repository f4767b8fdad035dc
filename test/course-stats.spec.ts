/**
 * The course's statistics against independent references: quantiles and distribution functions
 * against scipy 1.10.1 (values printed by `python3 -c "import scipy.stats as s; print(repr(s.t.ppf(0.975, 19)))"`
 * and the like, pasted with all their digits), intervals against their textbook formulas
 * recomputed here by hand, and coverage of the interval constructions by simulation.
 */
import { expect } from 'chai';
import { createRng, LossInputError } from '../src/index';
import {
  bootstrapInterval,
  exactly,
  fmt,
  fmtInterval,
  mean,
  meanInterval,
  median,
  normalCdf,
  normalQuantile,
  proportionInterval,
  quantile,
  ratioInterval,
  sci,
  sd,
  sig,
  slopeInterval,
  studentTCdf,
  studentTQuantile,
  variance,
} from '../src/course/index';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('course statistics', () => {
  describe('distribution functions against scipy', () => {
    // scipy.stats.norm.cdf / norm.ppf
    const NORMAL_CDF: Array<[number, number]> = [
      [-1.25, 0.10564977366685535],
      [-6, 9.865876450376946e-10],
      [2, 0.9772498680518208],
    ];
    const NORMAL_PPF: Array<[number, number]> = [
      [1e-10, -6.361340902404056],
      [1e-5, -4.264890793922825],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.975, 1.959963984540054],
    ];
    // scipy.stats.t.ppf(0.975, df), t.ppf(0.995, df), t.cdf(1.5, df)
    const T: Array<[number, number, number, number]> = [
      [1, 12.706204736432095, 63.65674116287399, 0.8128329581890013],
      [2, 4.302652729911275, 9.92484320091807, 0.8638034375544996],
      [5, 2.5705818366147395, 4.032142983557536, 0.9030481598787634],
      [9, 2.2621571627409915, 3.2498355440153697, 0.9160746719714626],
      [19, 2.093024054408263, 2.860934606449914, 0.9249757346288643],
      [99, 1.9842169515086827, 2.6264054563851857, 0.9316015911420134],
    ];
    it('Φ keeps its relative accuracy in the tails (1e-13)', () => {
      for (const [z, p] of NORMAL_CDF) expect(relative(normalCdf(z), p), `Φ(${z})`).to.be.below(1e-13);
    });
    it('Φ⁻¹ matches to 1e-13 relative, from 1e-10 to 0.975', () => {
      for (const [p, z] of NORMAL_PPF) expect(relative(normalQuantile(p), z), `Φ⁻¹(${p})`).to.be.below(1e-13);
    });
    it("Student's t quantiles and distribution function match to 1e-9 (mathjs's log-gamma carries 1e-12)", () => {
      for (const [df, q975, q995, cdf] of T) {
        expect(relative(studentTQuantile(0.975, df), q975), `t.ppf(0.975, ${df})`).to.be.below(1e-9);
        expect(relative(studentTQuantile(0.995, df), q995), `t.ppf(0.995, ${df})`).to.be.below(1e-9);
        expect(relative(studentTCdf(1.5, df), cdf), `t.cdf(1.5, ${df})`).to.be.below(1e-9);
        // 1 − 0.975 is 0.025 + 2e-17 in binary, so the two tails agree to rounding, not bit for bit.
        expect(relative(studentTQuantile(0.025, df), -studentTQuantile(0.975, df))).to.be.below(1e-13);
      }
    });
  });

  describe("Student's t with almost no degrees of freedom", () => {
    // As df → 0 the mass leaves for ±∞: for finite t, |F(t) − ½| = ½(1 − I_x(df/2, ½)) ≤ (df/2)(|ln x| + 2)
    // with x = df/(df + t²), below 1e-290 for these df and t. What remains is the computation's
    // own error, led by mathjs's log-gamma (1e-12 relative on values below 1, so ~1e-12 in the
    // exponent of the continued fraction's front factor): 1e-11 leaves a margin of ten.
    it('gives ½ at every finite t, however small the tail fraction x underflows', () => {
      for (const df of [5e-324, 1e-320, 1e-300]) {
        for (const t of [-1e200, -2, -1e-100, 0.5, 3, 1e10, 1e300]) {
          expect(studentTCdf(t, df), `t = ${t}, df = ${df}`).to.be.closeTo(0.5, 1e-11);
        }
      }
    });
  });

  describe("Student's t with very many degrees of freedom", () => {
    // scipy.stats.t.cdf(t, df); past 1e9 the package uses Fisher's expansion, off by less than
    // 0.4/df², so Φ's own 1e-13 relative accuracy (tested above) is what the tolerance is made of.
    const LARGE: Array<[number, number, number]> = [
      [-2, 1e12, 0.022750131948314174],
      [1.5, 1e12, 0.933192798730984],
      [0.5, 1e20, 0.6914624612740131],
      [-5, 1e308, 2.866515718791946e-7],
    ];
    it('matches scipy to 1e-12 relative', () => {
      for (const [t, df, p] of LARGE)
        expect(relative(studentTCdf(t, df), p), `t = ${t}, df = ${df}`).to.be.below(1e-12);
    });
  });

  describe('summaries', () => {
    it('mean, variance, sd, quantile and median agree with direct formulas', () => {
      const xs = [3, 1, 4, 1, 5, 9, 2, 6];
      expect(mean(xs)).to.equal(31 / 8);
      const m = 31 / 8;
      const ss = xs.reduce((s, x) => s + (x - m) ** 2, 0);
      expect(variance(xs)).to.be.closeTo(ss / 7, 1e-15);
      expect(sd(xs)).to.be.closeTo(Math.sqrt(ss / 7), 1e-15);
      // Sorted: 1 1 2 3 4 5 6 9; type 7 at q = 0.25: position 1.75 → 1 + 0.75 (2 − 1).
      expect(quantile(xs, 0.25)).to.equal(1.75);
      expect(median(xs)).to.equal(3.5);
      expect(quantile(xs, 0)).to.equal(1);
      expect(quantile(xs, 1)).to.equal(9);
    });
  });

  describe('intervals', () => {
    it('meanInterval is x̄ ± t s/√n', () => {
      const xs = [1, 2, 3, 4, 5];
      const ci = meanInterval(xs);
      const half = 2.7764451051977987 * Math.sqrt(2.5 / 5); // scipy t.ppf(0.975, 4)
      expect(ci.lower).to.be.closeTo(3 - half, 1e-9);
      expect(ci.upper).to.be.closeTo(3 + half, 1e-9);
    });
    it("proportionInterval is Wilson's score interval (0 of 40: upper end 0.0876)", () => {
      const ci = proportionInterval(0, 40);
      const z = 1.959963984540054;
      expect(ci.lower).to.equal(0);
      expect(ci.upper).to.be.closeTo((z * z) / 40 / (1 + (z * z) / 40), 1e-12);
      const mid = proportionInterval(20, 40);
      expect(mid.lower + mid.upper).to.be.closeTo(1, 1e-12);
    });
    it('proportionInterval contains its estimate at k = 0 and k = n, where the score interval ends exactly at 0 resp. 1', () => {
      // Rounding left the upper end of 60 of 60 at 1 − 2⁻⁵³ below the estimate 1, which the verdict rule rejects.
      for (let n = 1; n <= 200; n++) {
        const all = proportionInterval(n, n);
        const none = proportionInterval(0, n);
        expect([all.upper, none.lower], `n = ${n}`).to.deep.equal([1, 0]);
        expect(all.lower <= all.estimate && none.estimate <= none.upper, `n = ${n}`).to.equal(true);
      }
    });
    it('slopeInterval recovers a slope with its t interval', () => {
      const x = [1, 2, 3, 4];
      const y = [2, 4.1, 5.9, 8];
      const ci = slopeInterval(x, y);
      // Least squares by hand: slope = Sxy / Sxx = 9.9 / 5 = 1.98.
      expect(ci.estimate).to.be.closeTo(1.98, 1e-12);
      expect(ci.lower).to.be.below(1.98);
      expect(ci.upper).to.be.above(1.98);
    });
    it('ratioInterval is symmetric in its two samples', () => {
      const a = [2, 3, 4, 5, 6];
      const b = [1, 2, 2, 3, 2];
      const ab = ratioInterval(a, b);
      const ba = ratioInterval(b, a);
      expect(ab.estimate * ba.estimate).to.be.closeTo(1, 1e-12);
      expect(ab.lower * ba.upper).to.be.closeTo(1, 1e-12);
    });
    it('the t interval and the bootstrap cover a known mean about 95% of the time (1000 simulated samples)', () => {
      const rng = createRng(7);
      let tCovers = 0;
      let bootCovers = 0;
      const runs = 1000;
      for (let r = 0; r < runs; r++) {
        const xs = Array.from({ length: 30 }, () => rng.normal(1, 2));
        const t = meanInterval(xs);
        if (t.lower <= 1 && 1 <= t.upper) tCovers++;
        if (r < 200) {
          const b = bootstrapInterval(30, (idx) => mean(Array.from(idx, (i) => xs[i])), { seed: r, replicates: 500 });
          if (b.lower <= 1 && 1 <= b.upper) bootCovers++;
        }
      }
      // Binomial(1000, 0.95) has sd 6.9: 930–970 is about ±3 sd. The percentile bootstrap at n = 30
      // is known to under-cover slightly; 200 runs, sd 3.1 on 190: accept 175–200.
      expect(tCovers).to.be.within(930, 970);
      expect(bootCovers).to.be.within(175, 200);
    });
    it('exactly makes a zero-width interval, or one of the rounding bound', () => {
      expect(exactly(2)).to.deep.include({ estimate: 2, lower: 2, upper: 2, level: 1 });
      expect(exactly(2, 0.5)).to.deep.include({ lower: 1.5, upper: 2.5 });
    });
  });

  describe('formatting', () => {
    it('prints a few digits, never "-0"', () => {
      expect(fmt(-0.0001)).to.equal('0.000');
      expect(fmt(Math.PI)).to.equal('3.142');
      expect(sig(0.000123456)).to.equal('0.000123');
      expect(sig(2.5e-9)).to.equal('2.50e-9');
      expect(sig(0)).to.equal('0');
      expect(sci(-1e-20)).to.equal('-1.0e-20');
      expect(fmtInterval({ estimate: 0.6612, lower: 0.601, upper: 0.7321, level: 0.95, method: '' })).to.equal(
        '0.661 [0.601, 0.732]',
      );
      expect(fmtInterval(exactly(50))).to.equal('50');
    });
  });

  describe('bad input is a LossInputError', () => {
    const calls: Array<[string, () => unknown]> = [
      ['mean([])', () => mean([])],
      ['mean(null)', () => mean(null as never)],
      ['variance([1])', () => variance([1])],
      ['quantile([1], 2)', () => quantile([1], 2)],
      ['quantile([NaN], 0.5)', () => quantile([NaN], 0.5)],
      ['normalQuantile(0)', () => normalQuantile(0)],
      ['normalQuantile(NaN)', () => normalQuantile(NaN)],
      ['studentTQuantile(0.9, 0)', () => studentTQuantile(0.9, 0)],
      ['meanInterval([1, 2], 1.5)', () => meanInterval([1, 2], 1.5)],
      ['bootstrapInterval(1, ...)', () => bootstrapInterval(1, () => 0)],
      ['bootstrapInterval(5, null)', () => bootstrapInterval(5, null as never)],
      ['bootstrapInterval(5, f, null)', () => bootstrapInterval(5, () => 0, null as never)],
      ['bootstrapInterval(5, NaN statistic)', () => bootstrapInterval(5, () => NaN)],
      ['proportionInterval(3, 2)', () => proportionInterval(3, 2)],
      ['slopeInterval constant x', () => slopeInterval([1, 1, 1], [1, 2, 3])],
      ['ratioInterval negative', () => ratioInterval([1, -1], [1, 1])],
      ['fmt("1")', () => fmt('1' as never)],
      ['sig(1, 0)', () => sig(1, 0)],
      ['exactly(NaN)', () => exactly(NaN)],
    ];
    for (const [name, call] of calls) {
      it(name, () => expect(call).to.throw(LossInputError));
    }
  });
});
