/**
 * The record of the issues' targets as the benches last measured them, and the one table made
 * from it. Each bench that measures targets hands its rows to `printTargets` (harness.ts), which
 * prints them and keeps them here under the bench's title, in bench/results/targets.json (the
 * same title replaces its earlier rows). `npx tsx bench/targets.ts` prints the whole record as
 * one table, and with `--write README.md` puts it in the README between its targets markers; a
 * test (test/docs.spec.ts) checks that the README shows what the committed record holds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { TargetRow } from './harness';

export const RECORD_FILE = join(__dirname, 'results', 'targets.json');
const START = '<!-- targets:start -->';
const END = '<!-- targets:end -->';

/** One bench's rows from one run, with when and under what load they were measured. */
export interface TargetSection {
  title: string;
  /** ISO date of the run. */
  measured: string;
  /** The machine's load averages (1, 5, 15 minutes) when the rows were taken. */
  load: string;
  rows: TargetRow[];
}

export interface TargetRecord {
  sections: TargetSection[];
}

export function ratio(row: TargetRow): number {
  return row.ours.best / row.reference.best;
}

/** How far the median lies above the best, the larger of the two sides: the spread over repeats. */
export function noise(row: Pick<TargetRow, 'ours' | 'reference'>): number {
  const spread = (t: TargetRow['ours']): number => t.median / t.best - 1;
  return Math.max(spread(row.ours), spread(row.reference));
}

export function met(row: TargetRow): boolean {
  return ratio(row) <= row.limit;
}

/**
 * A miss that no arithmetic could turn into a met: even the row's floor, the bytes the call must
 * move and nothing else, takes longer than the limit allows. The rule was fixed before any floor
 * was measured; a row without a floor is never out of reach.
 */
export function outOfReach(row: TargetRow): boolean {
  return row.floor !== undefined && row.floor.best > row.limit * row.reference.best;
}

/** met, missed, or missed and out of reach, with the floor's ratio to the reference when there is one. */
export function verdict(row: TargetRow): string {
  if (met(row)) return 'met';
  if (row.floor === undefined) return 'missed';
  const floorRatio = (row.floor.best / row.reference.best).toFixed(2);
  return outOfReach(row) ? `missed, out of reach (floor ${floorRatio})` : `missed (floor ${floorRatio})`;
}

export function readRecord(file = RECORD_FILE): TargetRecord {
  if (!existsSync(file)) return { sections: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as TargetRecord;
}

/** Keeps `rows` as the section `title` of the record (in place of that title's earlier rows). */
export function recordSection(title: string, rows: readonly TargetRow[], file = RECORD_FILE): void {
  const record = readRecord(file);
  const section: TargetSection = {
    title,
    measured: new Date().toISOString().slice(0, 10),
    load: loadavg()
      .map((v) => v.toFixed(2))
      .join(' '),
    rows: [...rows],
  };
  const at = record.sections.findIndex((s) => s.title === title);
  if (at >= 0) record.sections[at] = section;
  else record.sections.push(section);
  // In the order of the issue's items, which the titles start with, whichever bench ran first.
  record.sections.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

function figure(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Sections as one plain-text table: a header, then each section's title and its rows. */
export function textTable(sections: ReadonlyArray<{ title: string; rows: readonly TargetRow[] }>): string {
  const width = Math.max(6, ...sections.flatMap((s) => s.rows.map((r) => r.target.length)));
  const lines = [
    `${'target'.padEnd(width)}  ${'ours'.padStart(9)}  ${'reference'.padStart(9)}  ${'unit'.padEnd(8)}${'ratio'.padStart(7)}${'limit'.padStart(7)}${'noise'.padStart(8)}  verdict`,
  ];
  for (const { title, rows } of sections) {
    lines.push(`-- ${title}`);
    for (const r of rows) {
      lines.push(
        `${r.target.padEnd(width)}  ${figure(r.ours.best).padStart(9)}  ${figure(r.reference.best).padStart(9)}  ${r.unit.padEnd(8)}${ratio(r).toFixed(2).padStart(7)}${r.limit.toFixed(2).padStart(7)}${`${(100 * noise(r)).toFixed(0)}%`.padStart(8)}  ${verdict(r).replace(/^missed/, 'MISSED')}${r.note ? `  (${r.note})` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

/** Markdown table cells may not hold a bare pipe. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * The README's block: a line per section (how many targets met, the range of the ratios), then
 * every row in one table, folded under a <details>.
 */
export function markdownBlock(record: TargetRecord): string {
  const lines = [
    START,
    'Written by `npx tsx bench/targets.ts --write README.md` from bench/results/targets.json, which',
    "`npm run bench` rewrites: the best of each side's repeats, their ratio, the limit, and the",
    "noise (how far the median lies above the best, the larger of the two sides' figures). A miss",
    'is *out of reach* when its floor, the least work any implementation of the call must do (the',
    'bytes it moves, timed in the same run), already takes longer than the limit allows; the',
    "figure beside a miss is that floor's time over the reference's, to read against the limit.",
    '',
    '| targets | measured | met | ratios | limits |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const s of record.sections) {
    const ratios = s.rows.map(ratio);
    const limits = [...new Set(s.rows.map((r) => r.limit.toFixed(2)))].join(', ');
    const unreachable = s.rows.filter(outOfReach).length;
    const beyond = unreachable > 0 ? ` (${unreachable} missed out of reach)` : '';
    lines.push(
      `| ${cell(s.title)} | ${s.measured}, load ${s.load} | ${s.rows.filter(met).length} of ${s.rows.length}${beyond} | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} | ${limits} |`,
    );
  }
  lines.push(
    '',
    '<details><summary>Every target</summary>',
    '',
    '| target | ours | reference | unit | ratio | limit | noise | verdict |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |',
  );
  for (const s of record.sections) {
    lines.push(`| **${cell(s.title)}** | | | | | | | |`);
    for (const r of s.rows) {
      lines.push(
        `| ${cell(r.target)} | ${figure(r.ours.best)} | ${figure(r.reference.best)} | ${r.unit} | ${ratio(r).toFixed(2)} | ${r.limit.toFixed(2)} | ${(100 * noise(r)).toFixed(0)}% | ${verdict(r)}${r.note ? `: ${cell(r.note)}` : ''} |`,
      );
    }
  }
  lines.push('', '</details>', END);
  return lines.join('\n');
}

/** `text` with its targets block replaced by `block`; an error when it has no such block. */
export function replaceBlock(text: string, block: string): string {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`no ${START} … ${END} block`);
  return text.slice(0, a) + block + text.slice(b + END.length);
}
