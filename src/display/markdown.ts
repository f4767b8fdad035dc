/**
 * Text and formulas in notebook outputs: Markdown (with `$…$` math), display equations and
 * tables, each sent as one display_data whose bundle every front end can read. Notebooks
 * use these to show what a cell computed (a derivative from mathjs's `toTex`, a table of
 * checks) the way the surrounding markdown cells look.
 */
import { LossInputError, readGuarded } from '../errors';
import { kernelOutput } from './tslab';

/** A text bundle: Markdown for notebooks, LaTeX where asked, and plain text for terminals. */
export interface TextBundle {
  'text/markdown': string;
  'text/latex'?: string;
  'text/plain': string;
}

function checkText(argument: string, text: unknown): string {
  if (typeof text !== 'string') {
    throw new LossInputError({ argument, value: text, problem: 'is not a string', domain: 'a string' });
  }
  return text;
}

/**
 * Math (`$…$`, `$$…$$`), an escaped dollar `\$`, or a `<` that could open an HTML tag,
 * comment or autolink (a browser starts markup only at `<` followed by a letter, `/`, `!` or `?`).
 */
const MATH_OR_TAG = /\\\$|\$\$[^$]*\$\$|\$[^$]*\$|<(?=[A-Za-z/!?])/g;

/**
 * Markdown with raw HTML disarmed: a `<` that could open a tag becomes `&lt;` (shown as `<`),
 * and inside math every `<` becomes `\lt`, the same symbol in TeX. Notebook front ends pass
 * raw HTML in Markdown outputs through to the page (trusted outputs in JupyterLab, every
 * output in nbconvert's HTML), where `<img onerror>` would run. When a front end splits math
 * differently, the worst left is `\lt` shown as text, never a tag. Inside code spans the
 * escaped `<` shows as `&lt;`, the price of not guessing where code is.
 */
export function disarmHTML(markdown: string): string {
  return markdown.replace(MATH_OR_TAG, (token) =>
    token === '<' ? '&lt;' : token[0] === '$' ? token.replace(/</g, '\\lt ') : token,
  );
}

/** The bundle `showMarkdown` sends; the plain text keeps the Markdown as written. */
export function markdownBundle(markdown: string): TextBundle {
  const text = checkText('markdown', markdown);
  return { 'text/markdown': disarmHTML(text), 'text/plain': text };
}

/**
 * The bundle `showMath` sends: `$$…$$` is what Jupyter's Markdown and LaTeX renderers both
 * typeset as a display equation (and what nbconvert hands to MathJax).
 */
export function mathBundle(tex: string): TextBundle {
  const text = checkText('tex', tex).trim();
  if (text === '')
    throw new LossInputError({ argument: 'tex', value: tex, problem: 'is empty', domain: 'a LaTeX formula' });
  const display = `$$${text}$$`;
  // A `$$` inside the formula would end the math early, leaving the rest as Markdown.
  return { 'text/markdown': disarmHTML(display), 'text/latex': display, 'text/plain': text };
}

function send(bundle: TextBundle): void {
  const output = kernelOutput();
  if (output === undefined) {
    console.log(bundle['text/plain']);
    return;
  }
  output.send({ ...bundle }, {});
}

/**
 * Shows Markdown (headings, lists, tables, `$…$` and `$$…$$` math) as a cell output, as one
 * display_data with `text/markdown` and the text as written as `text/plain`. Raw HTML is not
 * rendered: a tag shows as typed (`<b>` as `<b>`), so text pasted in from data cannot run
 * script in the page. Outside a notebook it prints the text.
 *
 * @example
 * ```ts
 * import { showMarkdown } from 'losslab';
 * showMarkdown('The risk is **convex** in $f$.');
 * ```
 */
export function showMarkdown(markdown: string): void {
  send(markdownBundle(markdown));
}

/**
 * Shows a LaTeX formula as a display equation, e.g. the `toTex()` of a mathjs derivative:
 * one display_data with `text/latex` and `text/markdown` (`$$tex$$`) and the bare formula
 * as `text/plain`. Outside a notebook it prints the formula.
 *
 * @example
 * ```ts
 * import { showMath } from 'losslab';
 * showMath('\\frac{\\partial}{\\partial f} (y - f)^2 = -2 (y - f)');
 * ```
 */
export function showMath(tex: string): void {
  send(mathBundle(tex));
}

/** A cell of a Markdown table: text (Markdown, so `$…$` is math), a number or a boolean. */
export type TableCell = string | number | boolean;

/**
 * A pipe would end the cell and a line break the row. Line breaks become spaces; a pipe in
 * text becomes `\|`; a pipe inside `$…$` or `$$…$$` becomes `\vert` (and `\|` becomes `\Vert`),
 * because Jupyter takes math out before it parses the table, so an escape there would reach
 * LaTeX as `\|`, a double bar. `\$` is a literal dollar, not the start of math. Raw HTML is
 * disarmed as in `showMarkdown`: cells are data.
 */
function escapeCell(text: string): string {
  return disarmHTML(
    text.replace(/\r?\n/g, ' ').replace(/\\\$|\$\$[^$]*\$\$|\$[^$]*\$|\|/g, (token) => {
      if (token === '|') return '\\|';
      if (token === '\\$') return token;
      return token.replace(/\\\||\|/g, (bar) => (bar === '|' ? '\\vert ' : '\\Vert '));
    }),
  );
}

function tableCell(value: TableCell, row: number, column: number): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') {
    throw new LossInputError({
      argument: 'rows',
      index: [row, column],
      value,
      problem: 'is not a table cell',
      domain: 'a string, number or boolean',
    });
  }
  return escapeCell(value);
}

/**
 * A Markdown table (GitHub's pipe syntax, which Jupyter renders) from column titles and rows
 * of cells; numbers and booleans are written with `String`, so format numbers first. Cells
 * are Markdown: `$…$` shows as math, and a `|` stays inside its cell (escaped in text,
 * written `\vert` in math, e.g. in the `toTex()` of `abs(y - f)`).
 *
 * @example
 * ```ts
 * import { markdownTable } from 'losslab';
 * const lines = markdownTable(['loss', 'convex'], [['hinge', true], ['0–1', false]]).split('\n');
 * lines[0]; // "| loss | convex |"
 * lines[1]; // "| --- | --- |"
 * lines[3]; // "| 0–1 | false |"
 * ```
 */
export function markdownTable(columns: readonly string[], rows: ReadonlyArray<readonly TableCell[]>): string {
  const header = readGuarded('columns', () => {
    if (!Array.isArray(columns) || columns.length === 0) {
      throw new LossInputError({
        argument: 'columns',
        value: columns,
        problem: 'is not a non-empty array of titles',
        domain: 'an array of at least one string',
      });
    }
    // Array.from, not map: map skips holes, and a hole is a missing title.
    return Array.from(columns, (title, j) => {
      if (typeof title !== 'string')
        throw new LossInputError({
          argument: 'columns',
          index: j,
          value: title,
          problem: 'is not a string',
          domain: 'column titles as strings',
        });
      return escapeCell(title);
    });
  });
  const n = header.length;
  const body = readGuarded('rows', () => {
    if (!Array.isArray(rows)) {
      throw new LossInputError({
        argument: 'rows',
        value: rows,
        problem: 'is not an array of rows',
        domain: 'an array of arrays of cells',
      });
    }
    return Array.from(rows, (row, i) => {
      if (!Array.isArray(row) || row.length !== n) {
        throw new LossInputError({
          argument: 'rows',
          index: i,
          value: row,
          problem: `is not a row of ${n} cells`,
          domain: `arrays of ${n} cells, one per column`,
        });
      }
      return `| ${row.map((cell, j) => tableCell(cell, i, j)).join(' | ')} |`;
    });
  });
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body].join('\n');
}
