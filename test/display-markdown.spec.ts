/**
 * showMarkdown / showMath / markdownTable: the bundles and the table text checked here, and
 * what a notebook executed by the real tslab kernel (nbclient) stores for each call.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { markdownBundle, mathBundle } from '../src/display/markdown';
import { LossInputError, markdownTable, showMath } from '../src/index';
import { executeNotebook, scratchDir, type Notebook, type NotebookOutput } from './helpers/notebook';

const text = (value: unknown): string => (Array.isArray(value) ? value.join('') : String(value));

describe('markdownTable', () => {
  it('writes a header, a rule and one line per row, numbers and booleans with String', () => {
    expect(
      markdownTable(
        ['loss', 'max error', 'ok'],
        [
          ['$\\ell_2$', 1.5e-9, true],
          ['hinge', 0, false],
        ],
      ),
    ).to.equal(
      [
        '| loss | max error | ok |',
        '| --- | --- | --- |',
        '| $\\ell_2$ | 1.5e-9 | true |',
        '| hinge | 0 | false |',
      ].join('\n'),
    );
  });

  it('keeps a pipe inside its cell and a line break inside its row', () => {
    const table = markdownTable(['a|b'], [['x | y\nz']]);
    const lines = table.split('\n');
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal('| a\\|b |');
    expect(lines[2]).to.equal('| x \\| y z |');
    // Splitting on unescaped pipes finds exactly one cell per line.
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length - 2).to.equal(1);
  });

  it('writes pipes inside math as \\vert (Jupyter hands math to LaTeX before it reads the table)', () => {
    const row = markdownTable(['x'], [['$\\left|y-f\\right|$ and $$\\|w\\|$$ cost \\$5 | more']]).split('\n')[2];
    expect(row).to.equal('| $\\left\\vert y-f\\right\\vert $ and $$\\Vert w\\Vert $$ cost \\$5 \\| more |');
    // Outside math the only pipes left are the escaped one and the cell borders.
    expect(row.replace(/\$[^$]*\$/g, '').match(/(?<!\\)\|/g)).to.have.length(2);
  });

  it('rejects missing columns, ragged rows and cells that are not text', () => {
    expect(() => markdownTable([], [])).to.throw(LossInputError, /columns/);
    expect(() => markdownTable(['a', 'b'], [['x']])).to.throw(LossInputError, /rows\[0\].*2 cells/);
    expect(() => markdownTable(['a'], [[{} as unknown as string]])).to.throw(LossInputError, /rows\[0\]\[0\]/);
  });
});

describe('showMarkdown and showMath bundles', () => {
  it('sends Markdown as text/markdown and the same text as text/plain', () => {
    expect(markdownBundle('**bold** $x$')).to.deep.equal({
      'text/markdown': '**bold** $x$',
      'text/plain': '**bold** $x$',
    });
  });

  it('wraps a formula in $$ for the Markdown and LaTeX renderers, and keeps it bare as plain text', () => {
    expect(mathBundle(' -2 (y - f) ')).to.deep.equal({
      'text/markdown': '$$-2 (y - f)$$',
      'text/latex': '$$-2 (y - f)$$',
      'text/plain': '-2 (y - f)',
    });
  });

  it('rejects what is not text, and an empty formula', () => {
    expect(() => markdownBundle(3 as unknown as string)).to.throw(LossInputError, /markdown/);
    expect(() => mathBundle('  ')).to.throw(LossInputError, /tex.*empty/);
  });

  it('prints the plain text outside a notebook', () => {
    const printed: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => printed.push(...args);
    try {
      showMath('e^{-y f}');
    } finally {
      console.log = original;
    }
    expect(printed).to.deep.equal(['e^{-y f}']);
  });
});

describe('raw HTML in Markdown outputs is shown as typed, never rendered', () => {
  /** Could a browser start markup here: `<` then a letter, `/`, `!` or `?`. */
  const TAG_START = /<[A-Za-z/!?]/;

  it('writes a < that could open a tag as &lt; in text and as \\lt in math; the plain text keeps the Markdown as written', () => {
    const markdown = '**x** <img src=x onerror=alert(1)> a < b, a<3, $a<b$ or $$x</b>$$ \\$<i> </script>';
    expect(markdownBundle(markdown)).to.deep.equal({
      'text/markdown':
        '**x** &lt;img src=x onerror=alert(1)> a < b, a<3, $a\\lt b$ or $$x\\lt /b>$$ \\$&lt;i> &lt;/script>',
      'text/plain': markdown,
    });
  });

  it('disarms table cells and titles the same way, pipes still escaped', () => {
    expect(markdownTable(['<b>h</b>'], [['<script>x</script> | $p<q$']])).to.equal(
      ['| &lt;b>h&lt;/b> |', '| --- |', '| &lt;script>x&lt;/script> \\| $p\\lt q$ |'].join('\n'),
    );
  });

  it('keeps a $$ inside a formula from opening the rest to HTML', () => {
    const bundle = mathBundle('x$$ <img src=x onerror=alert(1)> $$y');
    expect(bundle['text/markdown']).to.equal('$$x$$ &lt;img src=x onerror=alert(1)> $$y$$');
    expect(bundle['text/plain']).to.equal('x$$ <img src=x onerror=alert(1)> $$y');
  });

  it('leaves nothing a browser could read as the start of a tag, however math and escapes are split', () => {
    const alphabet = fc.constantFrom('<', '$', '\\', '/', '!', '?', 'a', 'B', ' ', '|', '\n', '`');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')),
        (text) => {
          expect(markdownBundle(text)['text/markdown']).not.to.match(TAG_START);
          expect(markdownTable([text], [[text]])).not.to.match(TAG_START);
          if (text.trim() !== '') expect(mathBundle(text)['text/markdown']).not.to.match(TAG_START);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('showMarkdown and showMath in a notebook executed by the real tslab kernel (nbclient)', function () {
  this.timeout(120_000);
  let outputs: NotebookOutput[][];

  before(async () => {
    const dir = scratchDir('markdown');
    const source = path.join(dir, 'markdown.ipynb');
    const cell = (id: string, code: string) => ({
      cell_type: 'code',
      id,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: code,
    });
    const notebook: Notebook = {
      cells: [
        cell(
          'markdown',
          "import { showMarkdown, showMath, markdownTable } from 'losslab';\nshowMarkdown('**bold** and $x^2$');",
        ),
        cell('math', "showMath('\\\\frac{\\\\partial \\\\ell}{\\\\partial f} = -y');"),
        cell('table', "showMarkdown(markdownTable(['loss', 'ok'], [['hinge', true]]));"),
      ],
      metadata: {
        kernelspec: { name: 'tslab-losslab', display_name: 'TypeScript (losslab)', language: 'typescript' },
        language_info: { name: 'typescript' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(source, JSON.stringify(notebook));
    const run = await executeNotebook(source, path.join(dir, 'markdown-out.ipynb'));
    outputs = run.notebook.cells.map((c) => c.outputs ?? []);
  });

  it('gives each call exactly one display_data holding the whole bundle', () => {
    for (const cellOutputs of outputs) {
      expect(cellOutputs).to.have.length(1);
      expect(cellOutputs[0].output_type).to.equal('display_data');
    }
    expect(text(outputs[0][0].data?.['text/markdown'])).to.equal('**bold** and $x^2$');
    expect(text(outputs[0][0].data?.['text/plain'])).to.equal('**bold** and $x^2$');
    expect(Object.keys(outputs[1][0].data ?? {}).sort()).to.deep.equal(['text/latex', 'text/markdown', 'text/plain']);
    expect(text(outputs[1][0].data?.['text/latex'])).to.equal('$$\\frac{\\partial \\ell}{\\partial f} = -y$$');
    expect(text(outputs[2][0].data?.['text/markdown'])).to.equal('| loss | ok |\n| --- | --- |\n| hinge | true |');
  });
});
