/**
 * The verdict rules. The definition (verdict.ts) is checked on its own, and then every claim of
 * the registry is fed counterfactual measurements: for each reading, an interval on the true
 * side of every threshold, one on the false side, and one straddling it. A claim passes only if
 * its verdict follows the definition for every combination and at least two different verdicts
 * come out: a verdict that cannot flip is not a verdict.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LossInputError } from '../src/index';
import {
  claims,
  combineConditions,
  decide,
  decisionCard,
  exactly,
  experiments,
  flips,
  headingAnchor,
  judgeCondition,
  measured,
  verdictOf,
  type ClaimSpec,
  type Condition,
  type Measurement,
  type Measurements,
  type Reading,
  type Truth,
  type Verdict,
} from '../src/course/index';

const NOTEBOOKS = path.join(__dirname, '..', 'notebooks');

/** An interval for `c`'s statistic that makes the condition `truth`. */
function intervalFor(c: Condition, truth: Truth): { estimate: number; lower: number; upper: number } {
  const [a, b] = typeof c.threshold === 'number' ? [c.threshold, c.threshold] : c.threshold;
  const margin = 1 + Math.abs(a) + Math.abs(b);
  if (truth === 'undecided') return { estimate: a, lower: a - margin, upper: a + margin };
  const inside = c.test === 'below' ? a - margin : c.test === 'above' ? a + margin : (a + b) / 2;
  const outside = c.test === 'below' ? a + margin : c.test === 'above' ? a - margin : b + margin;
  const v = truth === 'true' ? inside : outside;
  return { estimate: v, lower: v, upper: v };
}

/** Measurements giving each reading of `readings` the truth at the same position in `truths`. */
function counterfactual(
  readings: readonly Reading[],
  truths: readonly Truth[],
  base: Record<string, Truth> = {},
): Measurements {
  const wanted: Record<string, Truth> = { ...base };
  readings.forEach((r, k) => {
    r.conditions.forEach((c, j) => {
      // A reading takes its truth from its first condition; the others are made true, so the
      // combination is exactly `truths[k]`.
      wanted[c.statistic] = j === 0 ? truths[k] : 'true';
    });
  });
  const out: Record<string, ReturnType<typeof measured>> = {};
  for (const r of readings) {
    for (const c of r.conditions)
      out[c.statistic] = measured(c.statistic, {
        ...intervalFor(c, wanted[c.statistic]),
        level: 0.95,
        method: 'counterfactual',
      });
  }
  return out;
}

/** Every assignment of true / false / undecided to k readings. */
function assignments(k: number): Truth[][] {
  if (k === 0) return [[]];
  return assignments(k - 1).flatMap((rest) => (['true', 'false', 'undecided'] as const).map((t) => [...rest, t]));
}

/** Readings may share a statistic only if they test it the same way, else they cannot be set independently. */
function independent(readings: readonly Reading[]): boolean {
  const seen = new Set<string>();
  for (const r of readings)
    for (const c of r.conditions) {
      if (seen.has(c.statistic)) return false;
      seen.add(c.statistic);
    }
  return true;
}

describe('course verdicts', () => {
  describe('the definition', () => {
    const c = (test: Condition['test'], threshold: Condition['threshold']): Condition => ({
      statistic: 's',
      test,
      threshold,
      because: '',
    });
    const iv = (lower: number, estimate: number, upper: number) => ({
      lower,
      estimate,
      upper,
      level: 0.95,
      method: '',
    });
    it('a condition is true, false or undecided as the interval lies on one side, the other, or across', () => {
      expect(judgeCondition(c('below', 1), iv(0.2, 0.5, 0.9))).to.equal('true');
      expect(judgeCondition(c('below', 1), iv(1, 1.5, 2))).to.equal('false');
      expect(judgeCondition(c('below', 1), iv(0.5, 1, 1.5))).to.equal('undecided');
      expect(judgeCondition(c('above', 0), iv(0.1, 0.2, 0.3))).to.equal('true');
      expect(judgeCondition(c('above', 0), iv(-1, -0.5, 0))).to.equal('false');
      expect(judgeCondition(c('within', [0.5, 2]), iv(0.6, 1, 1.9))).to.equal('true');
      expect(judgeCondition(c('within', [0.5, 2]), iv(2.1, 3, 4))).to.equal('false');
      expect(judgeCondition(c('within', [0.5, 2]), iv(1, 2, 3))).to.equal('undecided');
    });
    it('a reading is false if any condition is, undecided if one is and none is false, else true', () => {
      expect(combineConditions(['true', 'true'])).to.equal('true');
      expect(combineConditions(['true', 'undecided'])).to.equal('undecided');
      expect(combineConditions(['undecided', 'false'])).to.equal('false');
    });
    it('the verdict: all true holds, all false does not hold, both a caveat, otherwise undecided', () => {
      const cases: Array<[Truth[], Verdict]> = [
        [['true'], 'holds'],
        [['false'], 'does not hold'],
        [['undecided'], 'undecided'],
        [['true', 'true'], 'holds'],
        [['false', 'false'], 'does not hold'],
        [['true', 'false'], 'holds with a caveat'],
        [['true', 'undecided'], 'undecided'],
        [['false', 'undecided'], 'undecided'],
        [['true', 'false', 'undecided'], 'holds with a caveat'],
      ];
      for (const [truths, verdict] of cases) expect(verdictOf(truths), truths.join(',')).to.equal(verdict);
      expect(() => verdictOf([])).to.throw(LossInputError);
    });
    it('an interval with its ends crossed or NaN, or a missing statistic, is refused; an estimate outside its interval is not', () => {
      expect(() => judgeCondition(c('below', 1), iv(1, 0.5, 0))).to.throw(LossInputError);
      expect(() => judgeCondition(c('below', 1), iv(NaN, 0.5, 0.7))).to.throw(LossInputError);
      expect(() => judgeCondition(c('below', 1), iv(0, NaN, 0.7))).to.throw(LossInputError);
      // A percentile bootstrap of a skewed statistic can leave the estimate outside: only the ends decide.
      expect(judgeCondition(c('below', 1), iv(0.2, 0.9, 0.5))).to.equal('true');
      const spec = claims[0];
      expect(() => decide(spec, {})).to.throw(LossInputError, /lack the statistic/);
    });
    /** A claim of one reading with one condition, for the read-once tests. */
    const demoClaim = (condition: Condition): ClaimSpec => ({
      id: 'demo',
      topic: 'l2',
      claim: 'A is smaller than B.',
      kind: 'experiment',
      experiment: 'demo',
      evidence: { chapter: '05-robustness.ipynb', heading: '1. Demo' },
      readings: [{ reading: 'as stated', conditions: [condition] }],
    });
    it('a measurement is read once: a label getter that throws is a LossInputError naming it, one that changes is judged as first read', () => {
      const claim = demoClaim(c('below', 1));
      const boom = new Error('the caller threw');
      const throwing = {
        ...iv(0.2, 0.5, 0.9),
        get label(): string {
          throw boom;
        },
      };
      let refusal: unknown;
      try {
        decide(claim, { s: throwing });
      } catch (e) {
        refusal = e;
      }
      expect(refusal).to.be.instanceOf(LossInputError);
      expect((refusal as LossInputError).argument).to.equal('measurements.s');
      expect((refusal as LossInputError).cause).to.equal(boom);
      // A label that is a string when checked and a number afterwards: the decision keeps the string.
      let reads = 0;
      const changing = {
        ...iv(0.2, 0.5, 0.9),
        get label(): unknown {
          reads++;
          return reads === 1 ? 'A/B' : reads;
        },
      };
      const d = decide(claim, { s: changing as Measurement });
      expect(d.readings[0].findings[0].measurement.label).to.equal('A/B');
      expect(d.why).to.contain('A/B');
    });
    it('a condition is read once to its last level: a threshold that changes after its check is judged as checked', () => {
      // 1 when checked, 100 afterwards: judged on a later read, 0.5 < 100 would say 'true' for [0.2, 0.9] too.
      const shifting = (): Condition => {
        let reads = 0;
        return {
          statistic: 's',
          test: 'below',
          because: 'equality',
          get threshold(): number {
            reads++;
            return reads === 1 ? 0.1 : 100;
          },
        } as Condition;
      };
      expect(judgeCondition(shifting(), iv(0.2, 0.5, 0.9))).to.equal('false');
      const claim = demoClaim(shifting());
      const d = decide(claim, { s: { ...iv(0.2, 0.5, 0.9), label: 'A/B' } });
      expect(d.verdict).to.equal('does not hold');
      expect(d.claim.readings[0].conditions[0].threshold).to.equal(0.1);
      // A claim that holds itself is refused naming it, instead of being walked for ever.
      const circular = { ...claim } as ClaimSpec & { self?: unknown };
      circular.self = circular;
      expect(() => decide(circular, {})).to.throw(LossInputError, /claim.*nests deeper/);
    });
  });

  describe('every claim of the registry', () => {
    it('has a unique id, at least one reading, and thresholds with a reason', () => {
      expect(new Set(claims.map((c) => c.id)).size).to.equal(claims.length);
      for (const spec of claims) {
        expect(spec.readings.length, spec.id).to.be.greaterThan(0);
        for (const r of [...spec.readings, ...(spec.asMeant?.readings ?? [])]) {
          for (const cond of r.conditions)
            expect(cond.because.length, `${spec.id}: ${cond.statistic}`).to.be.greaterThan(10);
        }
      }
    });

    it('never asks a share to lie above 0 or below 1, which a confidence interval can never deny', () => {
      const edge = claims.flatMap((spec) =>
        [...spec.readings, ...(spec.asMeant?.readings ?? [])].flatMap((r) =>
          r.conditions
            .filter(
              (c) =>
                /Share/.test(c.statistic) &&
                ((c.test === 'above' && c.threshold === 0) || (c.test === 'below' && c.threshold === 1)),
            )
            .map((c) => `${spec.id}: ${c.statistic}`),
        ),
      );
      expect(edge, 'decide existence claims on exact counts instead').to.deep.equal([]);
    });

    it('names an experiment that exists and a section heading that exists in its chapter', () => {
      for (const spec of claims) {
        expect(experiments.has(spec.experiment), `${spec.id}: experiment ${spec.experiment}`).to.equal(true);
        const file = path.join(NOTEBOOKS, spec.claim.length > 0 ? spec.evidence.chapter : '');
        expect(existsSync(file), `${spec.id}: ${spec.evidence.chapter}`).to.equal(true);
        const nb = JSON.parse(readFileSync(file, 'utf8')) as {
          cells: Array<{ cell_type: string; source: string | string[] }>;
        };
        const headings = nb.cells
          .filter((cell) => cell.cell_type === 'markdown')
          .flatMap((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source).split('\n'))
          .filter((line) => /^#{2,4} /.test(line))
          .map((line) => line.replace(/^#+ /, '').trim());
        expect(headings.map(headingAnchor), `${spec.id}: heading in ${spec.evidence.chapter}`).to.include(
          headingAnchor(spec.evidence.heading),
        );
      }
    });

    for (const spec of claims as readonly ClaimSpec[]) {
      it(`${spec.id}: the verdict follows the definition for every counterfactual and can flip`, () => {
        expect(independent(spec.readings), `${spec.id}: readings share a statistic`).to.equal(true);
        const seen = new Set<Verdict>();
        const meantBase: Record<string, Truth> = {};
        for (const truths of assignments(spec.readings.length)) {
          const measurements = {
            ...counterfactual(spec.readings, truths),
            ...(spec.asMeant === undefined
              ? {}
              : counterfactual(
                  spec.asMeant.readings,
                  spec.asMeant.readings.map(() => 'true'),
                  meantBase,
                )),
          };
          const d = decide(spec, measurements);
          expect(d.verdict, `${spec.id} with readings ${truths.join(', ')}`).to.equal(verdictOf(truths));
          expect(d.readings.map((o) => o.truth)).to.deep.equal(truths);
          seen.add(d.verdict);
        }
        expect(
          seen.has('holds') && seen.has('does not hold'),
          `${spec.id}: verdicts reached: ${[...seen].join(', ')}`,
        ).to.equal(true);
        if (spec.readings.length > 1) expect(seen.has('holds with a caveat')).to.equal(true);
      });
      it(`${spec.id}: each condition alone can make its reading false`, () => {
        spec.readings.forEach((reading, k) => {
          reading.conditions.forEach((cond) => {
            const m: Record<string, ReturnType<typeof measured>> = {
              ...counterfactual(
                spec.readings,
                spec.readings.map(() => 'true'),
              ),
              ...(spec.asMeant === undefined
                ? {}
                : counterfactual(
                    spec.asMeant.readings,
                    spec.asMeant.readings.map(() => 'true'),
                  )),
            };
            m[cond.statistic] = measured(cond.statistic, {
              ...intervalFor(cond, 'false'),
              level: 0.95,
              method: 'counterfactual',
            });
            expect(decide(spec, m).readings[k].truth, `${spec.id}: ${cond.statistic}`).to.equal('false');
          });
        });
      });
      if (spec.asMeant !== undefined) {
        it(`${spec.id}: the verdict as its source meant it can flip too`, () => {
          const meant = spec.asMeant!;
          const verdicts = new Set(
            assignments(meant.readings.length).map(
              (truths) =>
                decide(spec, {
                  ...counterfactual(
                    spec.readings,
                    spec.readings.map(() => 'true'),
                  ),
                  ...counterfactual(meant.readings, truths),
                }).asMeant!.verdict,
            ),
          );
          expect(verdicts.has('holds') && verdicts.has('does not hold'), [...verdicts].join(', ')).to.equal(true);
        });
      }
    }
  });

  describe('flips', () => {
    it('give, reading by reading, the verdict had that reading come out the other way', () => {
      const spec = claims.find((c) => c.id === 'erm-sum')!;
      const d = decide(spec, {
        argminDisagreements: measured('d', exactly(0)),
        totalOverAverage: measured('r', exactly(50)),
      });
      expect(d.verdict).to.equal('holds with a caveat');
      expect(flips(d).map((f) => [f.found, f.supposed, f.verdict])).to.deep.equal([
        ['true', 'false', 'does not hold'],
        ['false', 'true', 'holds'],
      ]);
    });
  });

  describe('a decision shows itself', () => {
    it('as one line where it is printed, and as a card of its readings in a notebook', () => {
      const spec = claims.find((c) => c.id === 'erm-sum')!;
      const d = decide(spec, {
        argminDisagreements: measured('disagreements', exactly(0)),
        totalOverAverage: measured('ratio', exactly(50)),
      });
      expect(inspect(d)).to.equal('erm-sum: holds with a caveat');
      expect(Object.keys(d)).to.deep.equal(['claim', 'verdict', 'readings', 'why']);
      const card = decisionCard(d);
      expect(card.title).to.equal('Claim erm-sum: holds with a caveat');
      expect(card.table?.rows).to.deep.equal([
        ['the total and the average pick the same minimiser', 'disagreements: 0', 'below 0.5', 'true'],
        ['the total is the average (the same number)', 'ratio: 50', 'within [0.999999999999, 1.000000000001]', 'false'],
      ]);
    });
  });

  describe('realistic counterfactuals', () => {
    const spec = claims.find((c) => c.id === 'erm-sum')!;
    it('erm-sum: had the total and the mean picked different minimisers, the claim would not hold', () => {
      const m = (disagreements: number, ratio: number) => ({
        argminDisagreements: measured('disagreements', exactly(disagreements)),
        totalOverAverage: measured('ratio', exactly(ratio)),
      });
      expect(decide(spec, m(0, 50)).verdict).to.equal('holds with a caveat');
      expect(decide(spec, m(3, 50)).verdict).to.equal('does not hold');
      expect(decide(spec, m(0, 1)).verdict).to.equal('holds');
    });
  });
});
