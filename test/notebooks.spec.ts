/**
 * The course (issue #5): every notebook in notebooks/ is committed as source (no outputs,
 * cell ids, the project kernel) and, executed twice through nbclient with the real tslab
 * kernel, runs without an error, gives identical outputs both times, and draws the charts
 * it promises.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { executeNotebook, REPO, scratchDir, type Notebook, type NotebookCell } from './helpers/notebook';

const NOTEBOOKS = path.join(REPO, 'notebooks');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Charts each chapter promises; a chapter missing here fails, so a new one must say what it draws. */
const CHARTS: Record<string, number> = {
  '01-empirical-risk-minimisation.ipynb': 7,
  '02-derivations.ipynb': 4,
  '03-regression-losses.ipynb': 8,
  '04-classification-losses.ipynb': 6,
  '05-robustness.ipynb': 9,
  '06-verdicts.ipynb': 0,
};

const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();
const read = (file: string): Notebook => JSON.parse(readFileSync(path.join(NOTEBOOKS, file), 'utf8')) as Notebook;
const text = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** Outputs with what legitimately differs between runs removed (nbclient's timestamps live in metadata). */
function outputsOf(nb: Notebook): unknown[] {
  return nb.cells.map((c) => (c.outputs ?? []).map((o) => ({ ...o, metadata: undefined })));
}

/** Runs `jobs` at most `width` at a time (two cores: two kernels). */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
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
        const dirty = nb.cells.filter((c) => c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || (c as { execution_count?: unknown }).execution_count !== null));
        expect(dirty.map((c) => c.id)).to.deep.equal([]);
      });
      it('has a unique id on every cell', () => {
        const ids = nb.cells.map((c) => c.id);
        expect(ids.every((id) => typeof id === 'string' && id.length > 0)).to.equal(true);
        expect(new Set(ids).size).to.equal(ids.length);
      });
      it('runs on the project kernel and imports losslab by name', () => {
        expect((nb.metadata.kernelspec as { name?: string } | undefined)?.name).to.equal('tslab-losslab');
        const code = nb.cells.filter((c) => c.cell_type === 'code').map(text).join('\n');
        expect(code).to.match(/from 'losslab'/);
        expect(code).not.to.match(/from '\.\.?\/(src|dist)/);
      });
      it('opens with a title and ends with a summary', () => {
        expect(text(nb.cells[0])).to.match(/^# \S/);
        const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map(text);
        expect(markdown.some((m) => /^## Summary/m.test(m))).to.equal(true);
      });
    });
  }
});

describe('course notebooks executed twice through the real tslab kernel', function () {
  this.timeout(900_000);
  const runs = new Map<string, [Notebook, Notebook]>();
  const seconds = new Map<string, number[]>();

  before(async () => {
    const dir = scratchDir('course');
    const jobs = files.flatMap((file) =>
      [0, 1].map((k) => async () => {
        // The kernel's working directory is the input's folder, notebooks/, where losslab resolves.
        const executed = await executeNotebook(path.join(NOTEBOOKS, file), path.join(dir, `${k}-${file}`), 600);
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
        const bad = first.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr')).map((o) => ({ cell: c.id, o })));
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
