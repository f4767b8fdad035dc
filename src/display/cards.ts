/**
 * Cards: how a loss, a fit or any other value shows itself in a notebook, in the spirit of
 * scikit-learn's estimator cards. A `Card` is plain text (title, fields, a table, a note),
 * optionally a LaTeX formula and a small chart; this file turns it into one output whose
 * bundle every front end can read: HTML (JupyterLab, classic Notebook, VS Code, nbconvert),
 * Markdown with `$…$` math where HTML is not shown, and a one-line `text/plain`.
 *
 * Every text in a card is data (loss names and ids come from `defineLoss`, from users): it
 * reaches the HTML only through `escapeHTML`, the Markdown only backslash-escaped. The card
 * inherits the notebook's font and colours (no background of its own, borders in a grey that
 * reads on light and dark themes), and its chart takes the page's text colour when drawn.
 * MathJax runs over notebook outputs: the card is marked to be skipped except for its formula,
 * so a `$` in a name is shown, not typeset.
 */
import { LossInputError, readGuarded } from '../errors';
import type { Figure } from '../plot/figure';
import { checkFigure, describeFigure, escapeHTML, figureHTML, figureJSON, nextFigureId } from './bundle';
import { disarmHTML, markdownTable } from './markdown';

/** A table in a card: column titles and rows of plain-text cells. */
export interface CardTable {
  columns: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  /** A line under the table, e.g. what was left out. */
  caption?: string;
}

/** What a card shows. Every string is plain text, shown as typed; `math` is LaTeX. */
export interface Card {
  /** The heading, e.g. a loss's name. */
  title: string;
  /** Beside the heading, smaller: an id, a kind. */
  subtitle?: string;
  /** The one line a terminal prints (`text/plain`), e.g. `Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz`. */
  summary: string;
  /** A formula, typeset by the notebook's MathJax (shown as code if it uses a command that could reach the page). */
  math?: string;
  /** Label and value pairs. */
  fields?: ReadonlyArray<readonly [string, string]>;
  table?: CardTable;
  /** A small chart beside the fields, drawn with the page's colours. */
  figure?: Figure;
  /** A closing remark, in smaller type. */
  note?: string;
}

/** The bundle a card is sent as. */
export interface CardBundle {
  'text/html': string;
  'text/markdown': string;
  'text/plain': string;
}

/** A card's bundle, its notebook metadata, and whether its HTML draws a chart (and so needs plotly.js). */
export interface CardData {
  data: CardBundle;
  metadata: { losslab: { card: true; chart?: string } };
  chart: boolean;
}

const CARD_CHART_HEIGHT = 300;

/**
 * TeX commands that reach past the formula: links (`\href` to a javascript: URL), HTML
 * attributes and styles, loading MathJax extensions, and defining macros (which could spell
 * any of these). A `$` would end the formula early and let the rest be read as text.
 */
const UNSAFE_TEX =
  /\$|\\(?:href|url|class|cssId|style|attr|data|bbox|enclose|unicode|require|mmlToken|toggle|texttip|mathtip|tooltip|def|gdef|edef|xdef|let|newcommand|renewcommand|newenvironment|renewenvironment|DeclareMathOperator|csname|expandafter)(?![A-Za-z])/;

/** Whether a formula may be handed to MathJax; otherwise it is shown as code. */
export function typesettable(tex: string): boolean {
  return !UNSAFE_TEX.test(tex);
}

/** One line: a run of white space (line breaks, U+2028) is one space. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Text shown literally in Markdown, on one line: backslash-escaped wherever a character could
 * start emphasis, code, a link, math or strike-through, and `&` written `&amp;` so that no
 * entity is read (Markdown renderers disagree on `\&`). `\$` is the literal dollar every
 * Jupyter front end knows, and MathJax's `processEscapes` shows it as `$`. Every such text
 * follows markup of the card's own (`**`, `| `), so nothing can start a line (a heading, a
 * list). Left alone: `|`, which `markdownTable` escapes in cells, and `<`, which `disarmHTML`
 * turns into `&lt;` (an escaped `\<` would be disarmed into `\&lt;` and shown as "&lt;").
 */
function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]$~&]/g, (c) => (c === '&' ? '&amp;' : `\\${c}`));
}

function checkText(argument: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string')
    throw new LossInputError({ argument, value, problem: 'is not a string', domain: 'plain text' });
  return value;
}

/** An array of texts (of `length` when given); element `i` of its argument, or the argument itself. */
function checkRow(argument: string, row: unknown, length: number | undefined, i?: number): readonly string[] {
  if (!Array.isArray(row) || (length !== undefined && row.length !== length)) {
    throw new LossInputError({
      argument,
      index: i,
      value: row,
      problem: length !== undefined ? `is not a row of ${length} texts` : 'is not an array of texts',
      domain: length !== undefined ? `an array of ${length} strings` : 'an array of strings',
    });
  }
  return row.map((cell: unknown, j) => {
    if (typeof cell !== 'string')
      throw new LossInputError({
        argument,
        index: i === undefined ? j : [i, j],
        value: cell,
        problem: 'is not a string',
        domain: 'plain text',
      });
    return cell;
  });
}

/** The card as given, checked field by field (a LossInputError names the first bad one), as a snapshot. */
export function checkCard(card: unknown): Card {
  return readGuarded('card', () => readCard(card), CARD_SHAPE);
}

const CARD_SHAPE = '{ title, summary, subtitle?, math?, fields?, table?, figure?, note? }';

function readCard(card: unknown): Card {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    throw new LossInputError({ argument: 'card', value: card, problem: 'is not a card', domain: CARD_SHAPE });
  }
  const c = card as Record<keyof Card, unknown>;
  const checked: Card = {
    title: checkText('card.title', c.title, true)!,
    summary: checkText('card.summary', c.summary, true)!,
  };
  const subtitle = checkText('card.subtitle', c.subtitle, false);
  const math = checkText('card.math', c.math, false);
  const note = checkText('card.note', c.note, false);
  if (subtitle !== undefined) checked.subtitle = subtitle;
  if (math !== undefined) checked.math = math;
  if (c.fields !== undefined) {
    if (!Array.isArray(c.fields))
      throw new LossInputError({
        argument: 'card.fields',
        value: c.fields,
        problem: 'is not an array of [label, value] pairs',
        domain: 'an array of two-string arrays',
      });
    // Array.from, not map: map skips holes, and a hole is a missing pair.
    checked.fields = Array.from(
      c.fields as unknown[],
      (pair: unknown, i) => checkRow('card.fields', pair, 2, i) as readonly [string, string],
    );
  }
  if (c.table !== undefined) {
    const t = c.table as Record<keyof CardTable, unknown> | null;
    if (typeof t !== 'object' || t === null || Array.isArray(t))
      throw new LossInputError({
        argument: 'card.table',
        value: c.table,
        problem: 'is not a table',
        domain: '{ columns, rows, caption? }',
      });
    const columns = checkRow('card.table.columns', t.columns, undefined);
    if (columns.length === 0)
      throw new LossInputError({
        argument: 'card.table.columns',
        value: t.columns,
        problem: 'is empty',
        domain: 'at least one column title',
      });
    if (!Array.isArray(t.rows))
      throw new LossInputError({
        argument: 'card.table.rows',
        value: t.rows,
        problem: 'is not an array of rows',
        domain: 'an array of arrays of strings',
      });
    const rows = t.rows.map((row: unknown, i) => checkRow('card.table.rows', row, columns.length, i));
    const caption = checkText('card.table.caption', t.caption, false);
    checked.table = caption === undefined ? { columns, rows } : { columns, rows, caption };
  }
  if (c.figure !== undefined) {
    checkFigure(c.figure, 'card.figure');
    checked.figure = c.figure;
  }
  if (note !== undefined) checked.note = note;
  return checked;
}

const CELL = 'text-align:left;vertical-align:top;padding:2px 14px 2px 0;background:transparent;border:none';
const NUMERIC = /^[−+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:e[−+-]?\d+)?$|^[−+-]?(?:Infinity|∞)$/;

function mathHTML(tex: string): string {
  const formula = oneLine(tex);
  // The formula is the one part of the card MathJax may read: the class re-enables it inside the card.
  return typesettable(formula)
    ? `<div class="losslab-card-math tex2jax_process mathjax_process" style="margin:6px 0 8px;overflow-x:auto">$\\displaystyle ${escapeHTML(formula)}$</div>`
    : `<div class="losslab-card-math" style="margin:6px 0 8px;overflow-x:auto"><code>${escapeHTML(formula)}</code></div>`;
}

function fieldsHTML(fields: ReadonlyArray<readonly [string, string]>): string {
  const rows = fields.map(
    ([label, value]) =>
      `<tr><th scope="row" style="${CELL};font-weight:600;opacity:0.8;white-space:nowrap">${escapeHTML(label)}</th><td style="${CELL}">${escapeHTML(value)}</td></tr>`,
  );
  return `<table class="losslab-card-fields" style="border-collapse:collapse;margin:0;flex:0 1 auto;font-size:inherit"><tbody>${rows.join('')}</tbody></table>`;
}

function tableHTML(table: CardTable): string {
  const align = (text: string): string => (NUMERIC.test(text) ? 'right' : 'left');
  // A column is numeric when every cell is: titles align with their numbers.
  const numeric = table.columns.map(
    (_, j) => table.rows.length > 0 && table.rows.every((row) => align(row[j]) === 'right'),
  );
  const cell = (j: number): string =>
    `${CELL};padding-right:18px;text-align:${numeric[j] ? 'right' : 'left'};font-variant-numeric:tabular-nums`;
  const head = table.columns
    .map(
      (title, j) =>
        `<th style="${cell(j)};font-weight:600;border-bottom:1px solid rgba(128, 128, 128, 0.45)">${escapeHTML(title)}</th>`,
    )
    .join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((text, j) => `<td style="${cell(j)}">${escapeHTML(text)}</td>`).join('')}</tr>`)
    .join('');
  const caption =
    table.caption === undefined
      ? ''
      : `<div style="opacity:0.75;font-size:0.9em;margin-top:2px">${escapeHTML(table.caption)}</div>`;
  return `<div class="losslab-card-table" style="margin-top:8px;overflow-x:auto"><table style="border-collapse:collapse;margin:0;font-size:inherit"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${caption}</div>`;
}

function chartHeight(fig: Figure): number {
  const h = fig.layout.height;
  return typeof h === 'number' && h > 0 && Number.isFinite(h) ? h : CARD_CHART_HEIGHT;
}

function markdownOf(card: Card): string {
  const heading = `**${markdownText(card.title)}**${card.subtitle === undefined ? '' : ` — ${markdownText(card.subtitle)}`}`;
  const parts = [heading];
  if (card.math !== undefined) {
    const formula = oneLine(card.math);
    parts.push(typesettable(formula) ? `$$${formula}$$` : markdownText(formula));
  }
  const cell = (text: string): string => markdownText(text);
  if (card.fields !== undefined && card.fields.length > 0)
    parts.push(
      markdownTable(
        ['', ''],
        card.fields.map(([label, value]) => [`**${cell(label)}**`, cell(value)]),
      ),
    );
  if (card.table !== undefined) {
    parts.push(
      markdownTable(
        card.table.columns.map(cell),
        card.table.rows.map((row) => row.map(cell)),
      ),
    );
    if (card.table.caption !== undefined) parts.push(`*${markdownText(card.table.caption)}*`);
  }
  if (card.note !== undefined) parts.push(`*${markdownText(card.note)}*`);
  return disarmHTML(parts.join('\n\n'));
}

/**
 * The output a card is sent as. Its chart, if any, gets the next chart id of the kernel, so a
 * re-run notebook gives identical outputs; its HTML draws with plotly.js, which the caller
 * must have sent first (`chart` says whether it is needed).
 */
export function cardData(card: Card): CardData {
  const checked = checkCard(card);
  const html: string[] = [
    '<div class="losslab-card tex2jax_ignore mathjax_ignore" style="font:inherit;color:inherit;background:transparent;border:1px solid rgba(128, 128, 128, 0.45);border-radius:6px;padding:10px 14px;margin:4px 0;max-width:900px;box-sizing:border-box;line-height:1.4">',
    `<div class="losslab-card-title" style="font-weight:600;font-size:1.1em">${escapeHTML(oneLine(checked.title))}${checked.subtitle === undefined ? '' : ` <span class="losslab-card-subtitle" style="font-weight:400;opacity:0.7;font-size:0.9em">${escapeHTML(oneLine(checked.subtitle))}</span>`}</div>`,
  ];
  if (checked.math !== undefined) html.push(mathHTML(checked.math));
  let chart: string | undefined;
  const beside: string[] = [];
  if (checked.fields !== undefined && checked.fields.length > 0) beside.push(fieldsHTML(checked.fields));
  if (checked.figure !== undefined) {
    const json = figureJSON(checked.figure, 'card.figure');
    chart = nextFigureId(json);
    beside.push(
      `<div class="losslab-card-chart" style="flex:1 1 340px;min-width:280px">${figureHTML(json, chart, chartHeight(checked.figure), describeFigure(checked.figure), undefined, true)}</div>`,
    );
  }
  if (beside.length > 0)
    html.push(
      `<div style="display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-start;margin-top:4px">${beside.join('')}</div>`,
    );
  if (checked.table !== undefined) html.push(tableHTML(checked.table));
  if (checked.note !== undefined)
    html.push(
      `<div class="losslab-card-note" style="opacity:0.75;font-size:0.9em;margin-top:6px">${escapeHTML(checked.note)}</div>`,
    );
  html.push('</div>');
  return {
    data: {
      'text/html': html.join('\n'),
      'text/markdown': markdownOf(checked),
      'text/plain': oneLine(checked.summary),
    },
    metadata: { losslab: chart === undefined ? { card: true } : { card: true, chart } },
    chart: chart !== undefined,
  };
}
