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

  describe("Student's t to 1e-13 at any df, against references printed by test/reference/student_t.py", () => {
    // Error budget, fixed from how the value is formed: exp of a logarithm near ln p carries about
    // |ln p| ulps, and the series, the continued fractions and the gamma ratios 5e-14 more. Before
    // the asymptotic expansion and the stepped gamma ratios, the errors were 2e-12 (mathjs's
    // log-gamma, at every df) to 2e-8 (the continued fraction at df = 1e9, t = -2).
    const budget = (p: number) => 5e-14 + 4 * Number.EPSILON * Math.abs(Math.log(p));
    // A&S 26.7.4's finite series for even df, in 50-digit decimals: no incomplete beta involved.
    const EXACT: Array<[number, number, number]> = [
      [-10, 100, 4.9508444922970696e-17],
      [-5, 100, 1.2250867067519001e-6],
      [-2, 100, 0.02410608936556684],
      [-1, 100, 0.1598620778920617],
      [-0.5, 100, 0.3090867829154433],
      [0.3, 100, 0.6176000598498482],
      [1.5, 100, 0.9316174709376556],
      [3, 100, 0.9982960423283352],
      [-10, 10000, 9.816403714331914e-24],
      [-5, 10000, 2.9151633068313237e-7],
      [-2, 10000, 0.02276363033071772],
      [-1, 10000, 0.15866735216521458],
      [-0.5, 10000, 0.3085430396616167],
      [0.3, 10000, 0.6179083043853338],
      [1.5, 10000, 0.9331770140881902],
      [3, 10000, 0.9986467759050012],
      [-10, 1e6, 7.639305384089125e-24],
      [-5, 1e6, 2.866998935445371e-7],
      [-2, 1e6, 0.022750266925659603],
      [-1, 1e6, 0.15865537491678908],
      [-0.5, 1e6, 0.30853759373618567],
      [0.3, 1e6, 0.6179113910105029],
      [1.5, 1e6, 0.9331926408816036],
      [3, 1e6, 0.9986500687292891],
    ];
    // scipy.stats.t.cdf, which agrees with the series above to 1e-14 where both apply.
    const SCIPY: Array<[number, number, number]> = [
      [-40, 0.5, 0.05070489996474719],
      [-10, 0.5, 0.10133867638566559],
      [-3, 0.5, 0.18365407799297176],
      [-2, 0.5, 0.22275744509156561],
      [-0.9, 0.5, 0.313570636046266],
      [-0.2, 0.5, 0.447100382267244],
      [0.7, 0.5, 0.6572996687396166],
      [2.5, 0.5, 0.7995147354733534],
      [-40, 1.5, 0.001489812195465623],
      [-10, 1.5, 0.01182967755681078],
      [-3, 1.5, 0.06677387712745664],
      [-2, 1.5, 0.11209416517802552],
      [-0.9, 1.5, 0.24448377350430683],
      [-0.2, 1.5, 0.432596838372884],
      [0.7, 1.5, 0.7117808795586567],
      [2.5, 1.5, 0.915096748692652],
      [-40, 30.5, 3.2116434209631468e-28],
      [-10, 30.5, 1.9121781316195768e-11],
      [-3, 30.5, 0.0026692045481373473],
      [-2, 30.5, 0.02723683179983995],
      [-0.9, 30.5, 0.1875858456369746],
      [-0.2, 30.5, 0.42140406688625465],
      [0.7, 30.5, 0.755383698586002],
      [2.5, 30.5, 0.9909918770681041],
      [-40, 99, 3.1925425801436066e-63],
      [-10, 99, 5.469878503996061e-17],
      [-3, 99, 0.0017077539607894346],
      [-2, 99, 0.024119846686316487],
      [-0.9, 99, 0.18515213910840123],
      [-0.2, 99, 0.4209454166576384],
      [0.7, 99, 0.7572155040844735],
      [2.5, 99, 0.9929687015394254],
      [-40, 1000, 5.239426077586736e-210],
      [-10, 1000, 8.335351479300032e-23],
      [-3, 1000, 0.0013833545221190939],
      [-2, 1000, 0.022885173246625833],
      [-0.9, 1000, 0.18416846349210136],
      [-0.2, 1000, 0.420760622161988],
      [0.7, 1000, 0.7579549430036987],
      [2.5, 1000, 0.9937107160994546],
      [-10, 1e7, 7.621796145136777e-24],
      [-3, 1e7, 0.0013499013555185806],
      [-2, 1e7, 0.02275014544592147],
      [-0.9, 1e7, 0.1840601361830813],
      [-0.2, 1e7, 0.420740292594319],
      [0.7, 1e7, 0.7580363396349057],
      [2.5, 1e7, 0.9937903267317107],
      [-10, 1e8, 7.620047315123764e-24],
      [-3, 1e8, 0.001349898364018746],
      [-2, 1e8, 0.022750133297953362],
      [-0.9, 1e8, 0.18406012643039205],
      [-0.2, 1e8, 0.42074029076423924],
      [0.7, 1e8, 0.7580363469627249],
      [2.5, 1e8, 0.9937903338799727],
      [-10, 1e9, 7.619872453045468e-24],
      [-3, 1e9, 0.0013498980648689604],
      [-2, 1e9, 0.022750132083156665],
      [-0.9, 1e9, 0.18406012545512257],
      [-0.2, 1e9, 0.4207402905812312],
      [0.7, 1e9, 0.7580363476955072],
      [2.5, 1e9, 0.9937903345947987],
    ];
    it('matches the exact finite series at df = 100, 1e4 and 1e6', () => {
      for (const [t, df, p] of EXACT)
        expect(relative(studentTCdf(t, df), p), `t = ${t}, df = ${df}`).to.be.below(budget(p));
    });
    it('matches scipy from df = 0.5 to 1e9, in the middle and in both tails', () => {
      for (const [t, df, p] of SCIPY)
        expect(relative(studentTCdf(t, df), p), `t = ${t}, df = ${df}`).to.be.below(budget(p));
    });
    it('underflows to 0 where the tail is below the smallest double, as scipy does', () => {
      for (const df of [1e6, 1e9]) expect(studentTCdf(-40, df), `df = ${df}`).to.equal(0);
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
