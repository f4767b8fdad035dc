/**
 * Every ```ts block of an `@example` in src/**\/*.ts, and of README.md, runs as written (imports from 'losslab'
 * bound to src/index.ts), all of them in one child process, and every statement whose line
 * ends in a `// <expected>` comment prints exactly that.
 *
 * The convention for expected values (test/helpers/examples.ts, `show`):
 * - numbers, booleans, null, undefined: String(v), e.g. `// 0.6931471805599453`, `// Infinity`;
 * - strings: in double quotes as JSON writes them, or in single quotes, e.g. `// "hinge"`;
 * - typed arrays: the constructor name and the elements, e.g. `// Float64Array [0.5, 1.5]`;
 * - anything else (arrays, plain objects): JSON.stringify, e.g. `// [1,2]`, `// {"a":1}`;
 * - a call that throws: `// throws LossInputError: <the whole message>`;
 * - `console.log(a, b); // <output>`: what it prints, util.format(a, b) (strings unquoted).
 * A remark may follow the value after two spaces or in final parentheses:
 * `// 4  (correct, yet penalised)`, `// 0.6931471805599453 (ln 2)`.
 * The comment must end a top-level expression statement or a single `const x = ...`
 * declaration (then x is checked); a `// value` comment anywhere else fails the block.
 *
 * Also: the README's loss table is the one scripts/loss-table.js generates.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownBlock, readRecord, replaceBlock } from '../bench/targets-table';
import * as losslab from '../src/index';
import { expectedForms, findExamples, findMarkdownExamples, type Example } from './helpers/examples';

const ROOT = join(__dirname, '..');

interface Outcome {
  printed: Array<string | null>;
  error: string | null;
  ms: number;
}

describe('JSDoc @example blocks and README examples', () => {
  const examples: Example[] = [...findExamples(ROOT), ...findMarkdownExamples(ROOT, 'README.md')];
  let outcomes: Outcome[] = [];

  before(function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'losslab-examples-'));
    try {
      const input = join(dir, 'examples.json');
      const output = join(dir, 'results.json');
      writeFileSync(input, JSON.stringify(examples.map((e) => ({ program: e.program, checks: e.checks }))));
      execFileSync(
        process.execPath,
        ['--require', 'tsx/cjs', join(ROOT, 'test', 'helpers', 'run-examples.ts'), input, output],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      outcomes = JSON.parse(readFileSync(output, 'utf8')) as Outcome[];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the examples (at least one per exported loss function module)', () => {
    expect(examples.length).to.be.above(20);
  });

  for (const [k, example] of examples.entries()) {
    it(`${example.where} runs and prints what its comments say`, () => {
      expect(example.problem, `${example.where}: ${example.problem}\n${example.source}`).to.equal(null);
      const outcome = outcomes[k];
      expect(outcome.error, `${example.where} threw outside a checked line:\n${example.source}`).to.equal(null);
      example.checks.forEach((check, i) => {
        const printed = outcome.printed[i];
        const forms = expectedForms(check.expected);
        expect(
          printed !== null && forms.includes(printed),
          `${example.where.replace(/:\d+$/, '')}:${check.line}: ${check.code}\n  printed  ${printed}\n  comment  ${check.expected}`,
        ).to.equal(true);
      });
    });
  }
});

describe('README loss table', () => {
  it('is the table scripts/loss-table.js generates from the loss objects', () => {
    // The script is plain CommonJS; it renders from whatever module it is handed.
    const script = require('../scripts/loss-table.js') as {
      renderSection(lib: typeof losslab): string;
      replaceSection(text: string, section: string): string;
    };
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme, 'README.md has the <!-- loss-table:start --> and <!-- loss-table:end --> markers').to.match(
      /<!-- loss-table:start -->[\s\S]*<!-- loss-table:end -->/,
    );
    const current = script.replaceSection(readme, script.renderSection(losslab));
    expect(
      current === readme,
      'README.md is out of date: run `npm run build && node scripts/loss-table.js --write README.md`',
    ).to.equal(true);
  });
});

describe('README targets table', () => {
  it('calls a target met at a ratio up to its limit and missed past it', () => {
    const row = (ours: number) => ({
      target: `ours ${ours}`,
      ours: { best: ours, median: ours },
      reference: { best: 10, median: 12 },
      unit: 'ms',
      limit: 1.3,
    });
    const block = markdownBlock({
      sections: [{ title: 'a section', measured: '2026-12-05', load: '1.00 1.00 1.00', rows: [row(13), row(13.1)] }],
    });
    expect(block).to.contain('| a section | 2026-12-05, load 1.00 1.00 1.00 | 1 of 2 | 1.30–1.31 | 1.30 |');
    expect(block).to.contain('| ours 13 | 13.0 | 10.0 | ms | 1.30 | 1.30 | 20% | met |');
    expect(block).to.contain('| ours 13.1 | 13.1 | 10.0 | ms | 1.31 | 1.30 | 20% | missed |');
  });

  it('calls a miss out of reach only when its floor alone takes longer than the limit allows', () => {
    const row = (floor: number) => ({
      target: `floor ${floor}`,
      ours: { best: 20, median: 20 },
      reference: { best: 10, median: 10 },
      unit: 'ns/elem',
      limit: 1.3,
      floor: { best: floor, median: floor },
    });
    const block = markdownBlock({
      sections: [{ title: 'floors', measured: '2026-12-05', load: '1.00 1.00 1.00', rows: [row(13), row(13.1)] }],
    });
    expect(block).to.contain('| floor 13 | 20.0 | 10.0 | ns/elem | 2.00 | 1.30 | 0% | missed (floor 1.30) |');
    expect(block).to.contain(
      '| floor 13.1 | 20.0 | 10.0 | ns/elem | 2.00 | 1.30 | 0% | missed, out of reach (floor 1.31) |',
    );
    expect(block).to.contain('| floors | 2026-12-05, load 1.00 1.00 1.00 | 0 of 2 (1 missed out of reach) |');
  });

  it('is the table bench/targets.ts writes from the committed record, bench/results/targets.json', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const record = readRecord();
    expect(record.sections.map((s) => s.title)).to.have.length.above(0);
    expect(
      replaceBlock(readme, markdownBlock(record)) === readme,
      'README.md is out of date: run `npx tsx bench/targets.ts --write README.md`',
    ).to.equal(true);
  });
});
