/**
 * How the course decides a claim of the lecture note: one definition of the verdicts, applied
 * by one pure function to measured intervals, with every rule and threshold written in the
 * claim's entry before any experiment runs.
 *
 * A claim has one or more **readings**: the honest ways to understand it ("under Gaussian
 * noise" and "under heavy-tailed noise"; "about the L1 loss" and "about the L1 penalty").
 * A reading is true when all its **conditions** are true. A condition compares the interval of
 * one measured statistic with a threshold:
 * - `below t`: true when the whole interval lies below t, false when it lies at or above t,
 *   undecided when it straddles t;
 * - `above t`: the mirror image;
 * - `within [a, b]`: true when the interval lies inside [a, b], false when it lies entirely
 *   outside, undecided otherwise.
 * A reading is false as soon as one condition is false, undecided when none is false but one
 * is undecided, and true when all are true.
 *
 * The verdict of a claim, from the truths of its readings:
 * - **holds**: every reading is true;
 * - **does not hold**: every reading is false;
 * - **holds with a caveat**: at least one reading is true and at least one is false (both
 *   are named in the verdict's explanation);
 * - **undecided**: no reading is false while some is undecided, or none is true while some is
 *   undecided: the evidence cannot separate the outcomes, and the course says so rather than
 *   guess.
 *
 * A rule must be able to come out both ways. A threshold at the end of a statistic's range
 * cannot: "a share above 0" with a confidence interval is never false, since the interval of
 * 0 of n starts at 0. Existence claims ("it can happen") are therefore decided on exact counts
 * over the cases drawn (`exactly(count)`, above ½), which are false when nothing was found.
 */
import type { Card } from '../display/cards';
import { displayCard } from '../display/values';
import { LossInputError, readGuarded } from '../errors';
import { readData, readRecord, renamed } from './arguments';
import { fmtInterval } from './format';
import type { Interval } from './stats';

export type Verdict = 'holds' | 'holds with a caveat' | 'does not hold' | 'undecided';
export type Truth = 'true' | 'false' | 'undecided';

/**
 * - `definition`: true by definition or by algebra; the computation checks that the package
 *   implements it, and the verdict is not counted as an experimental finding;
 * - `property`: a mathematical property checked by exact or rounding-bounded computation
 *   (a derivative on a grid, a solver's certificate);
 * - `experiment`: a statistical claim, decided by seeded repeated experiments and intervals.
 */
export type ClaimKind = 'definition' | 'property' | 'experiment';

export type Topic = 'erm' | 'l1' | 'l2' | 'square' | 'hinge' | 'logistic' | 'crossEntropy';

/** A measured statistic: an interval estimate and what it is. */
export interface Measurement extends Interval {
  /** What was measured, in words, e.g. 'var(L2 slope) / var(L1 slope), Gaussian noise'. */
  label: string;
}

export type Measurements = Readonly<Record<string, Measurement>>;

export interface Condition {
  /** Key of the measurement the condition reads. */
  statistic: string;
  test: 'below' | 'above' | 'within';
  /** A number for `below` / `above`; [a, b] for `within`. */
  threshold: number | readonly [number, number];
  /** Why this threshold: the theory value, the point of equality, a stated unit of practical difference. */
  because: string;
}

export interface Reading {
  /** The reading in a few words: 'under Gaussian noise', 'about the L1 penalty (the lasso)'. */
  reading: string;
  conditions: readonly Condition[];
}

/** Where in the course a claim is studied. */
export interface Evidence {
  /** File name of the chapter, e.g. '05-robustness.ipynb'. */
  chapter: string;
  /** The heading of the section, exactly as in the notebook (links are made from it). */
  heading: string;
}

export interface ClaimSpec {
  id: string;
  topic: Topic;
  /** The note's claim in our own words. */
  claim: string;
  kind: ClaimKind;
  readings: readonly Reading[];
  /**
   * For the note's items that come from a comparison of L1 and L2 *regularisation* (sparsity,
   * high dimensions, prediction speed, the cost of the closed form): the claim judged as its
   * source meant it, about the penalty, beside the verdict on the claim as written.
   */
  asMeant?: { explanation: string; readings: readonly Reading[] };
  /** Id of the experiment whose measurements decide the claim (see `experiments`). */
  experiment: string;
  evidence: Evidence;
}

export interface Finding {
  condition: Condition;
  measurement: Measurement;
  truth: Truth;
}

export interface ReadingOutcome {
  reading: Reading;
  truth: Truth;
  findings: Finding[];
}

export interface Judgement {
  verdict: Verdict;
  readings: ReadingOutcome[];
}

export interface Decision extends Judgement {
  claim: ClaimSpec;
  asMeant?: Judgement;
  /** One or more sentences built from the measurements: what was found under each reading. */
  why: string;
}

function thresholdPair(c: Condition): readonly [number, number] {
  if (c.test === 'within') {
    if (!Array.isArray(c.threshold) || c.threshold.length !== 2 || !(c.threshold[0] <= c.threshold[1])) {
      throw new LossInputError({
        argument: 'threshold',
        value: c.threshold,
        problem: `of a 'within' test on ${c.statistic} is not an interval [a, b]`,
        domain: '[a, b] with a <= b',
      });
    }
    return c.threshold as readonly [number, number];
  }
  if (typeof c.threshold !== 'number' || Number.isNaN(c.threshold)) {
    throw new LossInputError({
      argument: 'threshold',
      value: c.threshold,
      problem: `of a '${c.test}' test on ${c.statistic} is not a number`,
      domain: 'a number',
    });
  }
  return [c.threshold, c.threshold];
}

// ------------------------------------------------------------------------------------------
// Checks for the values the tables and cards take back from callers (decisions, findings,
// conditions): what decide() returns has these shapes; anything else is named where it differs.

const VERDICTS: readonly unknown[] = ['holds', 'holds with a caveat', 'does not hold', 'undecided'];
const TESTS: readonly unknown[] = ['below', 'above', 'within'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shapeError(argument: string, value: unknown, what: string): LossInputError {
  return new LossInputError({ argument, value, problem: `is not ${what}`, domain: `${what}, as decide() makes it` });
}

function checkText(argument: string, v: unknown): void {
  if (typeof v !== 'string') throw shapeError(argument, v, 'a string');
}

function checkOneOf(argument: string, v: unknown, allowed: readonly unknown[], what: string): void {
  if (!allowed.includes(v)) throw shapeError(argument, v, what);
}

/** An array, every index filled (map and forEach would skip a hole unsaid). */
function checkArray(argument: string, v: unknown, each: (item: unknown, at: string) => void): void {
  if (!Array.isArray(v)) throw shapeError(argument, v, 'an array');
  // Each entry guarded on its own: a throwing entry is named by its index, not as the whole array.
  for (let i = 0; i < v.length; i++) {
    const at = `${argument}[${i}]`;
    readGuarded(at, () => each(v[i], at), RETURNED);
  }
}

function checkConditionShape(argument: string, c: unknown): void {
  if (!isObject(c)) throw shapeError(argument, c, 'a condition');
  checkText(`${argument}.statistic`, c.statistic);
  checkOneOf(`${argument}.test`, c.test, TESTS, "'below', 'above' or 'within'");
  const t = c.threshold;
  const pair = Array.isArray(t) && t.length === 2 && t.every((x) => typeof x === 'number' && !Number.isNaN(x));
  if (!(typeof t === 'number' && !Number.isNaN(t)) && !pair)
    throw shapeError(`${argument}.threshold`, t, 'a number or a pair [a, b]');
  checkText(`${argument}.because`, c.because);
}

function checkIntervalShape(argument: string, m: unknown): void {
  if (!isObject(m)) throw shapeError(argument, m, 'an interval');
  for (const key of ['estimate', 'lower', 'upper', 'level']) {
    if (typeof m[key] !== 'number' || Number.isNaN(m[key])) throw shapeError(`${argument}.${key}`, m[key], 'a number');
  }
  checkText(`${argument}.method`, m.method);
}

function checkFindingShape(argument: string, f: unknown): void {
  if (!isObject(f)) throw shapeError(argument, f, 'a finding');
  checkConditionShape(`${argument}.condition`, f.condition);
  checkIntervalShape(`${argument}.measurement`, f.measurement);
  checkText(`${argument}.measurement.label`, (f.measurement as Record<string, unknown>).label);
  checkOneOf(`${argument}.truth`, f.truth, TRUTHS, "'true', 'false' or 'undecided'");
}

const TOPICS: readonly unknown[] = ['erm', 'l1', 'l2', 'square', 'hinge', 'logistic', 'crossEntropy'];
const KINDS: readonly unknown[] = ['definition', 'property', 'experiment'];

function checkReadings(argument: string, readings: unknown): void {
  checkArray(argument, readings, (r, at) => {
    if (!isObject(r)) throw shapeError(at, r, 'a reading');
    checkText(`${at}.reading`, r.reading);
    checkArray(`${at}.conditions`, r.conditions, (c, where) => checkConditionShape(where, c));
  });
}

function checkClaimShape(argument: string, c: unknown): void {
  if (!isObject(c)) throw shapeError(argument, c, 'a claim');
  for (const key of ['id', 'claim']) checkText(`${argument}.${key}`, c[key]);
  checkOneOf(`${argument}.topic`, c.topic, TOPICS, 'a topic of the course');
  checkOneOf(`${argument}.kind`, c.kind, KINDS, "'definition', 'property' or 'experiment'");
  if (c.experiment !== undefined) checkText(`${argument}.experiment`, c.experiment);
  if (!isObject(c.evidence))
    throw shapeError(`${argument}.evidence`, c.evidence, 'an evidence record { chapter, heading }');
  checkText(`${argument}.evidence.chapter`, c.evidence.chapter);
  checkText(`${argument}.evidence.heading`, c.evidence.heading);
  checkReadings(`${argument}.readings`, c.readings);
  if (c.asMeant !== undefined) {
    if (!isObject(c.asMeant)) throw shapeError(`${argument}.asMeant`, c.asMeant, 'an { explanation, readings } record');
    checkText(`${argument}.asMeant.explanation`, c.asMeant.explanation);
    checkReadings(`${argument}.asMeant.readings`, c.asMeant.readings);
  }
}

function checkJudgementShape(argument: string, j: unknown): void {
  if (!isObject(j)) throw shapeError(argument, j, 'a judgement');
  checkOneOf(`${argument}.verdict`, j.verdict, VERDICTS, 'a verdict');
  checkArray(`${argument}.readings`, j.readings, (o, at) => {
    if (!isObject(o)) throw shapeError(at, o, 'the outcome of a reading');
    if (!isObject(o.reading)) throw shapeError(`${at}.reading`, o.reading, 'a reading');
    checkText(`${at}.reading.reading`, o.reading.reading);
    checkArray(`${at}.reading.conditions`, o.reading.conditions, (c, where) => checkConditionShape(where, c));
    checkOneOf(`${at}.truth`, o.truth, TRUTHS, "'true', 'false' or 'undecided'");
    checkArray(`${at}.findings`, o.findings, (f, where) => checkFindingShape(where, f));
  });
}

function checkDecisionShape(argument: string, d: unknown): void {
  checkJudgementShape(argument, d);
  const { claim, asMeant, why } = d as Record<string, unknown>;
  if (!isObject(claim)) throw shapeError(`${argument}.claim`, claim, 'a claim');
  for (const key of ['id', 'claim', 'kind']) checkText(`${argument}.claim.${key}`, claim[key]);
  if (!isObject(claim.evidence))
    throw shapeError(`${argument}.claim.evidence`, claim.evidence, 'an evidence record { chapter, heading }');
  checkText(`${argument}.claim.evidence.chapter`, claim.evidence.chapter);
  checkText(`${argument}.claim.evidence.heading`, claim.evidence.heading);
  if (claim.asMeant !== undefined && !(isObject(claim.asMeant) && typeof claim.asMeant.explanation === 'string')) {
    throw shapeError(`${argument}.claim.asMeant`, claim.asMeant, 'an { explanation, readings } record');
  }
  if (asMeant !== undefined) checkJudgementShape(`${argument}.asMeant`, asMeant);
  checkText(`${argument}.why`, why);
}

/** What a value handed back to the checks below should be, when reading it throws. */
const RETURNED = 'what decide() returns';

/** Throws unless `d` is a decision as decide() makes it; for the tables of show.ts. */
export function checkDecision(argument: string, d: unknown): asserts d is Decision {
  readGuarded(argument, () => checkDecisionShape(argument, d), RETURNED);
}

/** Throws unless `decisions` is a list of decisions. */
export function checkDecisions(argument: string, decisions: unknown): asserts decisions is readonly Decision[] {
  readGuarded(argument, () => checkArray(argument, decisions, (d, at) => checkDecisionShape(at, d)), RETURNED);
}

/** The truth of one condition given the measured interval. */
export function judgeCondition(given: Condition, interval: Interval): Truth {
  // Checked and judged on copies: a getter of the caller's answers once.
  const condition = readData('condition', given, 'is not a condition', RETURNED);
  const m = readData('measurement', interval, 'is not an interval', RETURNED);
  readGuarded('condition', () => checkConditionShape('condition', condition), RETURNED);
  readGuarded('measurement', () => checkIntervalShape('measurement', m), RETURNED);
  const [a, b] = thresholdPair(condition);
  // Only the ends decide. A percentile-bootstrap interval may leave its own estimate outside
  // (a skewed statistic), so the estimate is only required to be a number.
  if (!(m.lower <= m.upper) || Number.isNaN(m.estimate)) {
    throw new LossInputError({
      argument: 'measurement',
      value: m,
      problem: `for ${condition.statistic} is not an interval`,
      domain: 'lower <= upper, no NaN',
    });
  }
  switch (condition.test) {
    case 'below':
      return m.upper < a ? 'true' : m.lower >= a ? 'false' : 'undecided';
    case 'above':
      return m.lower > a ? 'true' : m.upper <= a ? 'false' : 'undecided';
    case 'within':
      return m.lower >= a && m.upper <= b ? 'true' : m.upper < a || m.lower > b ? 'false' : 'undecided';
  }
}

/** A reading is false if a condition is, undecided if none is false but one is undecided, else true. */
export function combineConditions(truths: readonly Truth[]): Truth {
  checkTruths('truths', truths);
  if (truths.includes('false')) return 'false';
  return truths.includes('undecided') ? 'undecided' : 'true';
}

const TRUTHS: readonly unknown[] = ['true', 'false', 'undecided'];

/** Throws unless `truths` is an array of truths, every index filled (includes would read a hole as undefined and go on). */
function checkTruths(argument: string, truths: unknown): asserts truths is readonly Truth[] {
  const domain = "an array of 'true', 'false' or 'undecided'";
  try {
    if (!Array.isArray(truths))
      throw new LossInputError({ argument, value: truths, problem: 'is not an array of truths', domain });
    for (let i = 0; i < truths.length; i++) {
      const t: unknown = truths[i];
      if (!TRUTHS.includes(t))
        throw new LossInputError({ argument, index: i, value: t, problem: 'is not a truth', domain });
    }
  } catch (cause) {
    if (cause instanceof LossInputError) throw cause;
    throw new LossInputError({ argument, problem: 'could not be read', domain, cause });
  }
}

/** The verdict from the truths of the readings, by the definition at the top of this file. */
export function verdictOf(truths: readonly Truth[]): Verdict {
  checkTruths('truths', truths);
  if (truths.length === 0)
    throw new LossInputError({
      argument: 'readings',
      problem: 'is empty: a claim needs at least one reading',
      domain: 'one or more readings',
    });
  const anyTrue = truths.includes('true');
  const anyFalse = truths.includes('false');
  if (anyTrue && anyFalse) return 'holds with a caveat';
  if (truths.includes('undecided')) return 'undecided';
  return anyTrue ? 'holds' : 'does not hold';
}

/**
 * The finding of `condition` on the measurement of `statistic`, whose fields are read once, under
 * a guard naming it, into the copy that is both judged and kept in the finding: a label getter
 * that throws, or that answers differently on a second read, cannot reach the tables.
 */
export function findingOf(condition: Condition, statistic: string, value: Measurement): Finding {
  const argument = `measurements.${statistic}`;
  const measurement = readRecord(
    argument,
    value,
    'is not an interval',
    'an interval with a label, as measured() makes it',
  );
  const truth = renamed(argument, 'measurement', () => judgeCondition(condition, measurement));
  if (typeof measurement.label !== 'string') {
    throw new LossInputError({
      argument: `${argument}.label`,
      value: measurement.label,
      problem: 'is not a string',
      domain: 'a label for tables',
    });
  }
  return { condition, measurement, truth };
}

function judge(readings: readonly Reading[], measurements: Measurements, claimId: string): Judgement {
  const outcomes = readings.map((reading): ReadingOutcome => {
    const findings = reading.conditions.map((condition): Finding => {
      const measurement = Object.hasOwn(measurements, condition.statistic)
        ? measurements[condition.statistic]
        : undefined;
      if (measurement === undefined) {
        throw new LossInputError({
          argument: 'measurements',
          value: condition.statistic,
          problem: `lack the statistic that claim ${claimId} reads`,
          domain: `an entry '${condition.statistic}'`,
        });
      }
      return findingOf(condition, condition.statistic, measurement);
    });
    return { reading, truth: combineConditions(findings.map((f) => f.truth)), findings };
  });
  return { verdict: verdictOf(outcomes.map((o) => o.truth)), readings: outcomes };
}

const RELATION: Record<Condition['test'], Record<Truth, string>> = {
  below: { true: '<', false: '≥', undecided: 'straddles' },
  above: { true: '>', false: '≤', undecided: 'straddles' },
  within: { true: 'inside', false: 'outside', undecided: 'straddles' },
};

/** A threshold as written in its rule: the shortest text that reads back as the same double (1 + 1e-12 must not read as 1). */
function numberText(x: number): string {
  return x === 0 || (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6) ? String(x) : x.toExponential().replace('e+', 'e');
}

function thresholdText(c: Condition): string {
  const [a, b] = thresholdPair(c);
  return c.test === 'within' ? `[${numberText(a)}, ${numberText(b)}]` : numberText(a);
}

/** "label 0.661 [0.601, 0.732] < 1" — a finding as the table prints it. */
export function describeFinding(f: Finding): string {
  readGuarded('f', () => checkFindingShape('f', f), RETURNED);
  const threshold = thresholdText(f.condition);
  return `${f.measurement.label} ${fmtInterval(f.measurement)} ${RELATION[f.condition.test][f.truth]} ${threshold}`;
}

/** "holds if the interval of X lies below 1": a condition as a rule, in words. */
export function describeCondition(c: Condition): string {
  readGuarded('c', () => checkConditionShape('c', c), RETURNED);
  const where = c.test === 'within' ? `inside ${thresholdText(c)}` : `${c.test} ${thresholdText(c)}`;
  return `the interval of ${c.statistic} lies ${where} (${c.because})`;
}

function explain(j: Judgement): string {
  return j.readings
    .map(
      (o) =>
        `${o.reading.reading}: ${o.truth === 'true' ? 'true' : o.truth === 'false' ? 'false' : 'undecided'} (${o.findings.map(describeFinding).join('; ')})`,
    )
    .join('. ');
}

/**
 * Decides a claim from measurements: the verdict, the truth of each reading with the findings
 * behind it, and a sentence made of the measured numbers. Pure: the same measurements always
 * give the same decision, so tests can feed it counterfactual ones.
 *
 * @example
 * ```ts
 * import { decide, exactly } from 'losslab/course';
 * const claim = {
 *   id: 'demo', topic: 'l2', claim: 'A is smaller than B.', kind: 'experiment', experiment: 'demo',
 *   evidence: { chapter: '05-robustness.ipynb', heading: '1. Demo' },
 *   readings: [{ reading: 'as stated', conditions: [{ statistic: 'ratio', test: 'below', threshold: 1, because: 'equality' }] }],
 * } as const;
 * decide(claim, { ratio: { ...exactly(0.5), label: 'A/B' } }).verdict; // "holds"
 * decide(claim, { ratio: { ...exactly(2), label: 'A/B' } }).verdict;   // "does not hold"
 * ```
 */
export function decide(claim: ClaimSpec, measurements: Measurements): Decision {
  // Both records are read once under guards naming them; the decision is made from the copies
  // (the claim to its last level: its readings and conditions are checked, then judged).
  const spec = readData('claim', claim, 'is not a claim', 'an entry of `claims`');
  readGuarded('claim', () => checkClaimShape('claim', spec), RETURNED);
  const record = readRecord(
    'measurements',
    measurements,
    'is not a record of measurements',
    '{ [statistic]: Measurement }',
  );
  const main = judge(spec.readings, record, spec.id);
  const meant = spec.asMeant === undefined ? undefined : judge(spec.asMeant.readings, record, spec.id);
  const why =
    explain(main) +
    (meant === undefined
      ? ''
      : `. As its source meant it (${spec.asMeant!.explanation}): ${meant.verdict}, ${explain(meant)}`);
  // Left as a cell's last value, a decision shows itself as a card (see decisionCard).
  return displayCard<Decision>(
    { claim: spec, ...main, ...(meant === undefined ? {} : { asMeant: meant }), why },
    decisionCard,
  );
}

/** A decision as a card: the claim, its verdict, and a row per reading with what was measured and the rule. */
export function decisionCard(d: Decision): Card {
  checkDecision('decision', d);
  const rows = (j: Judgement, prefix: string) =>
    j.readings.map((o) => [
      prefix + o.reading.reading,
      o.findings.map((f) => `${f.measurement.label}: ${fmtInterval(f.measurement)}`).join('; '),
      o.reading.conditions.map((c) => `${c.test} ${thresholdText(c)}`).join(' and '),
      o.truth,
    ]);
  return {
    title: `Claim ${d.claim.id}: ${d.verdict}`,
    subtitle: d.claim.kind,
    summary: `${d.claim.id}: ${d.verdict}${d.asMeant === undefined ? '' : `; as meant: ${d.asMeant.verdict}`}`,
    fields: [
      ['claim', d.claim.claim],
      ['verdict', d.verdict],
      ...(d.asMeant === undefined || d.claim.asMeant === undefined
        ? []
        : [['as its source meant it', `${d.asMeant.verdict} (${d.claim.asMeant.explanation})`] as const]),
    ],
    table: {
      columns: ['reading', 'measured', 'rule', 'truth'],
      rows: [...rows(d, ''), ...(d.asMeant === undefined ? [] : rows(d.asMeant, 'as meant: '))],
    },
    note: `Studied in ${d.claim.evidence.chapter}, section "${d.claim.evidence.heading}".`,
  };
}

/** Attaches a label to an interval: the form `decide` reads. */
export function measured(label: string, interval: Interval): Measurement {
  checkText('label', label);
  readGuarded('interval', () => checkIntervalShape('interval', interval), RETURNED);
  return { ...interval, label };
}

/** What the verdict would have been had one reading come out the other way. */
export interface Flip {
  reading: Reading;
  /** The truth the evidence gave, and the opposite one supposed here (true ↔ false; undecided → false). */
  found: Truth;
  supposed: Truth;
  verdict: Verdict;
}

/**
 * For each reading of a decision: the verdict had that reading alone come out the other way.
 * Pure bookkeeping on the decision's truths (no experiment runs), so a table can show, claim by
 * claim, which finding the verdict hangs on.
 */
export function flips(d: Judgement): Flip[] {
  readGuarded('decision', () => checkJudgementShape('decision', d), RETURNED);
  const truths = d.readings.map((o) => o.truth);
  return d.readings.map((o, k) => {
    const supposed: Truth = o.truth === 'true' ? 'false' : o.truth === 'false' ? 'true' : 'false';
    const changed = truths.map((t, j) => (j === k ? supposed : t));
    return { reading: o.reading, found: o.truth, supposed, verdict: verdictOf(changed) };
  });
}
