/**
 * Showing what the course computed: tables, one decision with its rule and evidence, the verdict
 * table, and timed outputs (the only outputs allowed to differ between two runs).
 */
import { markdownTable, showMarkdown, type TableCell } from '../display/markdown';
import { kernelOutput } from '../display/tslab';
import { LossInputError, readGuarded } from '../errors';
import {
  checkDecision,
  checkDecisions,
  describeCondition,
  describeFinding,
  flips,
  type Decision,
  type Evidence,
  type Judgement,
  type Verdict,
} from './verdict';

/** A Markdown table as a cell output (`markdownTable` + `showMarkdown`). */
export function table(columns: readonly string[], rows: ReadonlyArray<readonly TableCell[]>): void {
  showMarkdown(markdownTable(columns, rows));
}

/**
 * The anchor Jupyter and nbconvert give a heading: spaces become '-', and what a URL fragment
 * cannot hold is percent-encoded (nbconvert keeps ?/:@!$&'()*+,;= as `encodeURI` does, except '#').
 */
export function headingAnchor(heading: string): string {
  if (typeof heading !== 'string')
    throw new LossInputError({
      argument: 'heading',
      value: heading,
      problem: 'is not a string',
      domain: 'a Markdown heading',
    });
  return encodeURI(heading.replace(/ /g, '-')).replace(/#/g, '%23');
}

/** A Markdown link to the section of a chapter where a claim is studied: "[05 §2](05-robustness.ipynb#2.-One-far…)". */
export function evidenceLink(evidence: Evidence): string {
  const domain = '{ chapter, heading } as strings';
  // Both fields read once, under the guard: a getter or trap that throws is a LossInputError naming evidence.
  const { heading, chapter } = readGuarded(
    'evidence',
    () => {
      const e = evidence as Partial<Evidence> | null;
      return typeof e === 'object' && e !== null ? { heading: e.heading, chapter: e.chapter } : {};
    },
    domain,
  );
  if (typeof heading !== 'string' || typeof chapter !== 'string') {
    throw new LossInputError({ argument: 'evidence', value: evidence, problem: 'is not an evidence record', domain });
  }
  const section = /^(\d+[a-z]?)\./.exec(heading)?.[1];
  return `[${chapter.slice(0, 2)}${section === undefined ? '' : ` §${section}`}](${chapter}#${headingAnchor(heading)})`;
}

const bold = (v: Verdict) => `**${v}**`;

function readingsMarkdown(j: Judgement): string {
  return j.readings
    .map((o) => {
      const rules = o.reading.conditions.map(describeCondition).join('; and ');
      const found = o.findings.map(describeFinding).join('; ');
      return `- *${o.reading.reading}* — rule: ${rules}. Found: ${found} → **${o.truth}**`;
    })
    .join('\n');
}

/** One decision as Markdown: the claim, each reading with its rule and finding, the verdict. */
export function decisionMarkdown(d: Decision): string {
  checkDecision('decision', d);
  const lines = [
    `**Claim** (${d.claim.kind}): ${d.claim.claim}`,
    '',
    readingsMarkdown(d),
    '',
    `**Verdict: ${d.verdict}.**`,
  ];
  if (d.asMeant !== undefined && d.claim.asMeant !== undefined) {
    lines.push(
      '',
      `**As its source meant it** (${d.claim.asMeant.explanation}):`,
      '',
      readingsMarkdown(d.asMeant),
      '',
      `**Verdict as meant: ${d.asMeant.verdict}.**`,
    );
  }
  return lines.join('\n');
}

/** Shows one decision (see `decisionMarkdown`). */
export function showDecision(d: Decision): void {
  checkDecision('decision', d);
  showMarkdown(decisionMarkdown(d));
}

/** The verdict table: one row per claim, with the statistics and rules that decided it and a link to its chapter. */
export function verdictTableMarkdown(decisions: readonly Decision[]): string {
  checkDecisions('decisions', decisions);
  return markdownTable(
    ['#', 'claim of the note (paraphrased)', 'kind', 'verdict', 'what was measured, and the rule', 'studied in'],
    decisions.map((d, k) => [
      k + 1,
      d.claim.claim,
      d.claim.kind,
      bold(d.verdict) + (d.asMeant === undefined ? '' : `; as meant (about the penalty): ${bold(d.asMeant.verdict)}`),
      d.readings
        .map((o) => `${o.reading.reading}: ${o.findings.map(describeFinding).join('; ')} → ${o.truth}`)
        .join(' · '),
      evidenceLink(d.claim.evidence),
    ]),
  );
}

/** How many claims got each verdict, experimental findings and definitions counted apart. */
export function tally(decisions: readonly Decision[]): { definitions: number; byVerdict: Record<Verdict, number> } {
  checkDecisions('decisions', decisions);
  const byVerdict: Record<Verdict, number> = { holds: 0, 'holds with a caveat': 0, 'does not hold': 0, undecided: 0 };
  let definitions = 0;
  for (const d of decisions) {
    if (d.claim.kind === 'definition') definitions++;
    else byVerdict[d.verdict]++;
  }
  return { definitions, byVerdict };
}

/** Metadata marking an output whose numbers are timings: the determinism test skips exactly these. */
export const TIMED_METADATA = { losslab: { timed: true } } as const;

/**
 * Shows Markdown that reports wall-clock times. Timings differ from run to run, so the output
 * carries `TIMED_METADATA` and the course's determinism test compares every output but these.
 * Outside a notebook it prints the text.
 */
export function showTimed(markdown: string): void {
  if (typeof markdown !== 'string')
    throw new LossInputError({
      argument: 'markdown',
      value: markdown,
      problem: 'is not a string',
      domain: 'Markdown text',
    });
  const output = kernelOutput();
  if (output === undefined) {
    console.log(markdown);
    return;
  }
  output.send({ 'text/markdown': markdown, 'text/plain': markdown }, { ...TIMED_METADATA });
}

/**
 * For every claim, the verdict had each reading come out the other way: where a verdict could
 * have flipped, and on which finding it hangs.
 */
export function flipTableMarkdown(decisions: readonly Decision[]): string {
  checkDecisions('decisions', decisions);
  return markdownTable(
    ['claim', 'verdict found', 'if instead …', 'the verdict would be'],
    decisions.flatMap((d) =>
      flips(d).map((f) => [
        d.claim.id,
        d.verdict,
        `*${f.reading.reading}* were ${f.supposed} (found ${f.found})`,
        bold(f.verdict),
      ]),
    ),
  );
}

/** The claims that carry a judgement as their source meant it (about a penalty), side by side with the verdict as written. */
export function asMeantTableMarkdown(decisions: readonly Decision[]): string {
  checkDecisions('decisions', decisions);
  return markdownTable(
    ['claim', 'as written (about the loss)', 'as its source meant it', 'verdict as meant', 'evidence'],
    decisions
      .filter((d) => d.asMeant !== undefined)
      .map((d) => [
        d.claim.claim,
        bold(d.verdict),
        d.claim.asMeant!.explanation,
        bold(d.asMeant!.verdict),
        d.asMeant!.readings.map((o) => o.findings.map(describeFinding).join('; ')).join(' · '),
      ]),
  );
}
