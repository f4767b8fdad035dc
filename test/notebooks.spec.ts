/**
 * The course (issue #5): every notebook in notebooks/ is committed as source (no outputs,
 * cell ids, the project kernel) and, executed twice through nbclient with the real tslab
 * kernel, runs without an error, gives identical outputs both times, and draws the charts
 * it promises.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import {
  executeNotebook,
  EXECUTED_COURSE,
  REPO,
  scratchDir,
  type Notebook,
  type NotebookCell,
} from './helpers/notebook';
import { pool } from './helpers/pool';

const NOTEBOOKS = path.join(REPO, 'notebooks');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Charts each chapter promises; a chapter missing here fails, so a new one must say what it draws. */
const CHARTS: Record<string, number> = {
  '01-empirical-risk-minimisation.ipynb': 10,
  '02-derivations.ipynb': 6,
  '03-regression-losses.ipynb': 9,
  '04-classification-losses.ipynb': 7,
  '05-robustness.ipynb': 10,
  '06-verdicts.ipynb': 0,
  '07-classification-calibration.ipynb': 6,
  '08-probabilities.ipynb': 5,
  '09-quantiles-and-huber.ipynb': 9,
  '10-multiclass-and-networks.ipynb': 5,
  '11-label-noise.ipynb': 4,
};

const files = readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const read = (file: string): Notebook => JSON.parse(readFileSync(path.join(NOTEBOOKS, file), 'utf8')) as Notebook;
const text = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** Wall-clock timings, marked by `showTimed` (losslab/course): the only outputs allowed to differ between runs. */
const isTimed = (o: { metadata?: Record<string, unknown> }): boolean =>
  (o.metadata?.losslab as { timed?: unknown } | undefined)?.timed === true;

/** Outputs with what legitimately differs between runs removed: nbclient's timestamps (in metadata) and timed outputs. */
function outputsOf(nb: Notebook): unknown[] {
  return nb.cells.map((c) => (c.outputs ?? []).filter((o) => !isTimed(o)).map((o) => ({ ...o, metadata: undefined })));
}

/** The longest a code cell may be: a reader should see one experiment, not plumbing. */
const MAX_CELL_LINES = 25;

/** Names a code cell defines as functions: `function f(`, `const f = (…) =>`, `const f = x =>`, `const f = function`. */
function definedFunctions(code: string): string[] {
  const names = [...code.matchAll(/^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/gm)].map(
    (m) => m[1],
  );
  for (const m of code.matchAll(
    /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/gm,
  ))
    names.push(m[1]);
  return names;
}

describe('course notebooks as committed', () => {
  it('there are notebooks, and each declares its charts in this spec', () => {
    expect(files.length).to.be.greaterThan(0);
    expect(files).to.deep.equal(Object.keys(CHARTS).sort());
  });

  for (const file of files) {
    describe(file, () => {
      const nb = read(file);
      it('carries no outputs and no execution counts', () => {
        const dirty = nb.cells.filter(
          (c) =>
            c.cell_type === 'code' &&
            ((c.outputs ?? []).length > 0 || (c as { execution_count?: unknown }).execution_count !== null),
        );
        expect(dirty.map((c) => c.id)).to.deep.equal([]);
      });
      it('has a unique id on every cell', () => {
        const ids = nb.cells.map((c) => c.id);
        expect(ids.every((id) => typeof id === 'string' && id.length > 0)).to.equal(true);
        expect(new Set(ids).size).to.equal(ids.length);
      });
      it('runs on the project kernel and imports losslab by name', () => {
        expect((nb.metadata.kernelspec as { name?: string } | undefined)?.name).to.equal('tslab-losslab');
        const code = nb.cells
          .filter((c) => c.cell_type === 'code')
          .map(text)
          .join('\n');
        expect(code).to.match(/from 'losslab'/);
        expect(code).not.to.match(/from '\.\.?\/(src|dist)/);
      });
      it(`keeps the setup cell to imports and every code cell within ${MAX_CELL_LINES} lines`, () => {
        const code = nb.cells.filter((c) => c.cell_type === 'code').map(text);
        const setup = code[0].split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
        const joined = setup.join('\n');
        expect(
          joined.replace(/import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'[^']+';?/g, '').trim(),
          'the first code cell holds only imports',
        ).to.equal('');
        const long = code.map((c, k) => ({ k, lines: c.split('\n').length })).filter((c) => c.lines > MAX_CELL_LINES);
        expect(long, 'code cells over the limit (index among code cells, lines)').to.deep.equal([]);
      });
      it('opens with a title and ends with a summary', () => {
        expect(text(nb.cells[0])).to.match(/^# \S/);
        const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map(text);
        expect(markdown.some((m) => /^## Summary/m.test(m))).to.equal(true);
      });
    });
  }
});

describe('course notebooks share code through the package, not by copying', () => {
  it('no function is defined in more than one notebook', () => {
    const where = new Map<string, string[]>();
    for (const file of files) {
      const code = read(file)
        .cells.filter((c) => c.cell_type === 'code')
        .map(text)
        .join('\n');
      for (const name of new Set(definedFunctions(code))) where.set(name, [...(where.get(name) ?? []), file]);
    }
    const shared = [...where]
      .filter(([, inFiles]) => inFiles.length > 1)
      .map(([name, inFiles]) => `${name}: ${inFiles.join(', ')}`);
    expect(shared, 'define it once in losslab/course and import it').to.deep.equal([]);
  });
  it('the function finder sees the forms notebooks use (so the test above can fail)', () => {
    expect(
      definedFunctions(
        'function check(c) {}\nconst fmt = (x: number) => x;\nconst sq = x => x * x;\nconst f = function () {};\nconst n = 3;',
      ),
    ).to.deep.equal(['check', 'fmt', 'sq', 'f']);
  });
});

describe('course notebooks executed twice through the real tslab kernel', function () {
  this.timeout(900_000);
  const runs = new Map<string, [Notebook, Notebook]>();
  const seconds = new Map<string, number[]>();

  before(async () => {
    const dir = scratchDir('course');
    rmSync(EXECUTED_COURSE, { recursive: true, force: true });
    mkdirSync(EXECUTED_COURSE, { recursive: true });
    if (process.env.LOSSLAB_KEEP_TEST_FILES !== '1')
      process.on('exit', () => rmSync(EXECUTED_COURSE, { recursive: true, force: true }));
    const jobs = files.flatMap((file) =>
      [0, 1].map((k) => async () => {
        // The kernel's working directory is the input's folder, notebooks/, where losslab resolves.
        const executed = await executeNotebook(path.join(NOTEBOOKS, file), path.join(dir, `${k}-${file}`), 600);
        // Minutes pass in this hook: say what has run, as it finishes.
        console.log(`      ran ${file} (run ${k + 1} of 2) in ${executed.seconds.toFixed(1)} s`);
        if (k === 0) copyFileSync(path.join(dir, `${k}-${file}`), path.join(EXECUTED_COURSE, file));
        return { file, k, executed };
      }),
    );
    for (const { file, k, executed } of await pool(jobs, 2)) {
      const pair = runs.get(file) ?? ([undefined, undefined] as unknown as [Notebook, Notebook]);
      pair[k] = executed.notebook;
      runs.set(file, pair);
      seconds.set(file, [...(seconds.get(file) ?? []), executed.seconds]);
    }
  });

  after(() => {
    for (const [file, s] of seconds) console.log(`      ${file}: ${s.map((v) => v.toFixed(1)).join(' s, ')} s`);
  });

  for (const file of files) {
    describe(file, () => {
      it('has no error output and nothing on stderr', () => {
        const [first] = runs.get(file)!;
        const bad = first.cells.flatMap((c) =>
          (c.outputs ?? [])
            .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))
            .map((o) => ({ cell: c.id, o })),
        );
        expect(bad).to.deep.equal([]);
      });
      it('gives identical outputs on a second run (numbers and figure JSON)', () => {
        const [first, second] = runs.get(file)!;
        expect(JSON.stringify(outputsOf(second))).to.equal(JSON.stringify(outputsOf(first)));
      });
      it(`draws the ${CHARTS[file]} chart${CHARTS[file] === 1 ? '' : 's'} it promises, each with a title`, () => {
        const [first] = runs.get(file)!;
        const charts = first.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined));
        expect(charts.length).to.equal(CHARTS[file]);
        for (const chart of charts) {
          const fig = chart.data![PLOTLY_MIME] as { data: unknown[]; layout: { title?: { text?: string } } };
          expect(fig.data.length).to.be.greaterThan(0);
          expect(fig.layout.title?.text ?? '').to.not.equal('');
        }
      });
    });
  }
});
