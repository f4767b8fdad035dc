/**
 * Every export of src/display and src/plot, called with null options, wrong-typed options,
 * option values named after Object.prototype members, and broken figures: each call either
 * works or throws LossInputError naming the argument — never a TypeError, a SyntaxError or a
 * silently ignored value.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as api from '../src/index';
import { LossInputError, losses, type Figure } from '../src/index';

const line: Figure = { data: [{ type: 'scatter', name: 'l2', x: [0, 1], y: [1, 0] }], layout: {} };
const dir = mkdtempSync(path.join(tmpdir(), 'losslab-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Names of Object.prototype members: as values they must be data, never looked up. */
const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'valueOf',
  '__proto__',
  'hasOwnProperty',
  'isPrototypeOf',
  'toLocaleString',
  '__defineGetter__',
];

/** Values of the wrong type (or out of range) for each kind of option. */
const WRONG: Record<string, unknown[]> = {
  text: [null, 5, true, {}, [], ['a'], () => 'a', Symbol('a'), 1n],
  flag: [null, 'true', 'false', 1, 0, {}, []],
  size: [null, '300', true, {}, [], NaN, 0, -1, Infinity],
  count: [null, '10', 2.5, -1, NaN, {}, true],
  interval: [null, 'x', 5, {}, [0], [1, 0], [0, NaN], ['0', '1']],
  id: [null, 5, {}, '', '1a', 'a b', '"><img src=x onerror=alert(1)>', 'a\u2028b'],
  png: [null, 5, {}, 'x', '', 'iVBORw0KGgo="><img/src/onerror=alert(1)>'],
  optimum: [null, 'x', true, NaN, Infinity, [], { gd: 'x' }],
  resolution: [null, 'x', 1, 2.5, [2], [2, 'x'], {}],
  path: [null, 'x', 5, {}, [null], [{ w: 'a', b: 0 }]],
  chartType: [null, 5, 'heatmap', 'toString'],
  executable: [null, 5, {}, '', '/nonexistent/chromium'],
  lossId: [null, 5, {}, []],
};

/** Options objects of the wrong type altogether. */
const NOT_OPTIONS: unknown[] = [null, 5, 'opts', true, [], () => ({})];

interface OptionsCase {
  /** Calls the export with valid arguments and `opts` in its options position. */
  call(opts: unknown): unknown;
  /** Option names and the kind of value each takes. */
  options: Record<string, keyof typeof WRONG>;
  /** The options argument is required (so `undefined` is rejected too). */
  required?: boolean;
  /** Options always present, merged under the one being varied. */
  base?: Record<string, unknown>;
  /** Skip the valid call (it would need Chromium). */
  noValidCall?: boolean;
}

/** Silences what show/showMarkdown print outside a kernel. */
function quietly<T>(call: () => T): T {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return call();
  } finally {
    Object.assign(console, { log, warn });
  }
}

/** What `call` did: returned (after settling a promise) or threw / rejected with `error`. */
async function outcome(call: () => unknown): Promise<{ error?: unknown }> {
  try {
    await quietly(call);
    return {};
  } catch (error) {
    return { error };
  }
}

function expectLossInputError(result: { error?: unknown }, what: string, argument: string | RegExp): void {
  expect(
    result.error,
    `${what}: expected LossInputError, got ${result.error === undefined ? 'no error' : String(result.error)}`,
  ).to.be.instanceOf(LossInputError);
  const named = (result.error as LossInputError).argument;
  if (typeof argument === 'string') expect(named, what).to.equal(argument);
  else expect(named, what).to.match(argument);
}

const regression = { x: [0, 1, 2], y: [0, 1, 3] };
const classification = {
  X: [
    [0, 0],
    [1, 1],
    [2, 0],
    [3, 1],
  ],
  y: [-1, -1, 1, 1],
};
const history = [
  { iteration: 0, objective: 2 },
  { iteration: 1, objective: 1 },
];

const OPTIONS_CASES: Record<string, OptionsCase> = {
  show: { call: (o) => api.show(line, o as api.ShowOptions), options: { png: 'png', height: 'size', id: 'id' } },
  mimeBundle: {
    call: (o) => api.mimeBundle(line, o as api.ShowOptions),
    options: { png: 'png', height: 'size', id: 'id' },
  },
  toHTML: { call: (o) => api.toHTML(line, o as api.ShowOptions), options: { png: 'png', height: 'size', id: 'id' } },
  saveHTML: {
    call: (o) => api.saveHTML(line, path.join(dir, 'page.html'), o as api.ShowOptions),
    options: { png: 'png', height: 'size', id: 'id' },
  },
  init: { call: (o) => api.init(o as { force?: boolean }), options: { force: 'flag' } },
  toPNG: {
    call: (o) => api.toPNG(line, o as api.ImageOptions),
    options: { width: 'size', height: 'size', scale: 'size', executablePath: 'executable' },
    noValidCall: true,
  },
  toSVG: {
    call: (o) => api.toSVG(line, o as api.ImageOptions),
    options: { width: 'size', height: 'size', executablePath: 'executable' },
    noValidCall: true,
  },
  lossCurves: {
    call: (o) => api.lossCurves([losses.hinge], o as api.LossCurvesOptions),
    options: { range: 'interval', derivative: 'flag', points: 'count', title: 'text' },
  },
  riskSurface: {
    call: (o) => api.riskSurface(losses.l2, regression.x, regression.y, o as api.RiskSurfaceOptions),
    options: {
      wRange: 'interval',
      bRange: 'interval',
      resolution: 'resolution',
      path: 'path',
      pathLabel: 'text',
      type: 'chartType',
      title: 'text',
    },
    base: { resolution: 3 },
  },
  fitLines: {
    call: (o) => api.fitLines(regression, [{ label: 'fit', weights: [1], intercept: 0 }], o as api.FitLinesOptions),
    options: { title: 'text', xTitle: 'text', yTitle: 'text' },
  },
  decisionBoundaries: {
    call: (o) =>
      api.decisionBoundaries(
        classification,
        [{ label: 'm', weights: [1, 0], intercept: -1.5 }],
        o as api.DecisionBoundariesOptions,
      ),
    options: { title: 'text' },
  },
  convergence: {
    call: (o) => api.convergence([{ label: 'gd', history }], o as api.ConvergenceOptions),
    options: { optimum: 'optimum', logY: 'flag', logX: 'flag', title: 'text' },
  },
  sweep: {
    call: (o) => api.sweep([{ label: 'L2', x: [0, 1], mean: [1, 2] }], o as api.SweepOptions),
    options: { xTitle: 'text', yTitle: 'text', title: 'text', logY: 'flag', logX: 'flag' },
    required: true,
    base: { xTitle: 'x', yTitle: 'y' },
  },
  riskConvergence: {
    call: (o) =>
      api.riskConvergence(
        { n: [1, 10], mean: [1, 1], lower: [0, 0.5], upper: [2, 1.5], trueRisk: 1 },
        o as api.RiskConvergenceOptions,
      ),
    options: { label: 'text', lossId: 'lossId', title: 'text', yTitle: 'text' },
  },
  sliderFigure: {
    call: (o) =>
      api.sliderFigure(
        [
          { label: 'a', figure: line },
          { label: 'b', figure: line },
        ],
        o as api.SliderOptions,
      ),
    options: { name: 'text', active: 'count', title: 'text' },
  },
  calibrationCurve: {
    call: (o) => api.calibrationCurve([{ label: 'm', y: [0, 1], p: [0.2, 0.8] }], o as api.CalibrationOptions),
    options: { bins: 'count', binning: 'chartType', title: 'text' },
  },
};

/** Figures that are not Plotly figures at all, for every export that takes one. */
const NOT_FIGURES: unknown[] = [
  null,
  undefined,
  5,
  'fig',
  [],
  {},
  { data: null, layout: {} },
  { data: [], layout: null },
  { data: [], layout: [] },
  { data: [null], layout: {} },
  { data: [5], layout: {} },
  { data: [[]], layout: {} },
  { data: [{ type: 5 }], layout: {} },
  { data: [], layout: {}, config: 5 },
  { data: [], layout: {}, config: null },
];

function circularFigure(): Figure {
  const layout: Record<string, unknown> = { title: { text: 'loop' } };
  layout.self = layout;
  return { data: [], layout } as Figure;
}
const bigIntFigure = { data: [{ type: 'bar', x: ['a'], y: [1n] }], layout: {} } as unknown as Figure;

/** Exports that take a figure first; `json` when they write it out (so circular and BigInt figures are bad too). */
const FIGURE_CASES: Record<string, { call(fig: unknown): unknown; json: boolean }> = {
  show: { call: (f) => api.show(f as Figure), json: true },
  mimeBundle: { call: (f) => api.mimeBundle(f as Figure), json: true },
  toHTML: { call: (f) => api.toHTML(f as Figure), json: true },
  saveHTML: { call: (f) => api.saveHTML(f as Figure, path.join(dir, 'fig.html')), json: true },
  toPNG: { call: (f) => api.toPNG(f as Figure, { executablePath: '/nonexistent/chromium' }), json: true },
  toSVG: { call: (f) => api.toSVG(f as Figure, { executablePath: '/nonexistent/chromium' }), json: true },
  describeFigure: { call: (f) => api.describeFigure(f as Figure), json: false },
  figure: { call: (f) => api.figure(f as Figure), json: false },
  DisplayFigure: { call: (f) => new api.DisplayFigure(f as Figure), json: false },
  'figure(...)._toMime': { call: (f) => api.figure(f as Figure)._toMime(), json: true },
};

/** Exports whose arguments are not figures or options: each argument's bad values. */
const ARGUMENT_CASES: Record<
  string,
  Array<{ argument: string | RegExp; bad: unknown[]; call(v: unknown): unknown; prototypeNamesWork?: boolean }>
> = {
  saveHTML: [
    { argument: 'file', bad: [null, undefined, 5, {}, '', ['a']], call: (v) => api.saveHTML(line, v as string) },
  ],
  plotText: [
    {
      argument: 'text',
      bad: [null, undefined, 5, {}, []],
      call: (v) => api.plotText(v as string),
      prototypeNamesWork: true,
    },
  ],
  lossColor: [
    {
      argument: 'lossId',
      bad: [null, undefined, 5, {}, []],
      call: (v) => api.lossColor(v as string),
      prototypeNamesWork: true,
    },
  ],
  seriesColor: [
    {
      argument: 'lossId',
      bad: [null, 5, {}, []],
      call: (v) => api.seriesColor(v as string, 0),
      prototypeNamesWork: true,
    },
    {
      argument: 'index',
      bad: [null, undefined, -1, 1.5, NaN, Infinity, '0'],
      call: (v) => api.seriesColor(undefined, v as number),
    },
  ],
  showMarkdown: [
    {
      argument: 'markdown',
      bad: [null, undefined, 5, {}, []],
      call: (v) => api.showMarkdown(v as string),
      prototypeNamesWork: true,
    },
  ],
  showMath: [
    {
      argument: 'tex',
      bad: [null, undefined, 5, {}, [], ' '],
      call: (v) => api.showMath(v as string),
      prototypeNamesWork: true,
    },
  ],
  markdownTable: [
    {
      argument: 'columns',
      bad: [null, undefined, 'a', [], [5], {}],
      call: (v) => api.markdownTable(v as string[], []),
    },
    {
      argument: 'rows',
      bad: [null, undefined, 'x', [null], [['a', 'b']], [[{}]], [[null]]],
      call: (v) => api.markdownTable(['a'], v as string[][]),
    },
  ],
  displayCard: [
    {
      argument: 'value',
      bad: [null, undefined, 5, 'text', Object.freeze({}), Object.seal({}), Object.preventExtensions({})],
      call: (v) => api.displayCard(v as object, () => card),
    },
    {
      argument: 'describe',
      bad: [null, undefined, 5, 'card', {}],
      call: (v) => api.displayCard({}, v as () => api.Card),
    },
  ],
  progress: [
    {
      argument: 'label',
      bad: [null, undefined, 5, {}, [], NaN],
      call: (v) => api.progress(v as string),
      prototypeNamesWork: true,
    },
    {
      argument: 'total',
      bad: [null, undefined, NaN, Infinity, 0, 2.5, '1', 'toString', {}],
      call: (v) => api.progress('p').update(0, v as number),
    },
    {
      argument: 'done',
      bad: [null, undefined, NaN, -1, 0.5, 2, '0', 'toString', {}],
      call: (v) => api.progress('p').update(v as number, 1),
    },
    {
      argument: 'detail',
      bad: [null, 5, {}, [], NaN],
      call: (v) => api.progress('p').update(0, 1, v as string),
      prototypeNamesWork: true,
    },
  ],
  sliderFigure: [
    {
      argument: 'steps',
      bad: [
        null,
        undefined,
        5,
        'steps',
        {},
        [],
        [null],
        [5],
        Array.from({ length: api.MAX_SLIDER_STEPS + 1 }, () => ({ label: 'a', figure: line })),
      ],
      call: (v) => api.sliderFigure(v as api.SliderStep[]),
    },
    {
      argument: /^steps\[0\]\.label$/,
      bad: [null, undefined, 5, {}, []],
      call: (v) => api.sliderFigure([{ label: v as string, figure: line }]),
    },
    {
      argument: /^steps\[0\]\.figure/,
      bad: NOT_FIGURES,
      call: (v) => api.sliderFigure([{ label: 'a', figure: v as Figure }]),
    },
  ],
  cardBundle: cardCases((c) => api.cardBundle(c)),
  showCard: cardCases((c) => api.showCard(c)),
};

const card: api.Card = { title: 'A card', summary: 'A card: one line' };

/** A card's bad fields, each named in the error: texts, [label, value] pairs, the table and the figure. */
function cardCases(
  call: (card: api.Card) => unknown,
): Array<{ argument: string | RegExp; bad: unknown[]; call(v: unknown): unknown; prototypeNamesWork?: boolean }> {
  const with_ = (field: string, v: unknown): api.Card => ({ ...card, [field]: v });
  const table = (t: Record<string, unknown>): api.Card =>
    with_('table', { columns: ['a', 'b'], rows: [['1', '2']], ...t });
  return [
    { argument: 'card', bad: [null, undefined, 5, 'card', [], () => card], call: (v) => call(v as api.Card) },
    ...['title', 'summary'].map((field) => ({
      argument: `card.${field}`,
      bad: [null, undefined, 5, {}, ['a']],
      call: (v: unknown) => call(with_(field, v)),
      prototypeNamesWork: true,
    })),
    ...['subtitle', 'math', 'note'].map((field) => ({
      argument: `card.${field}`,
      bad: [null, 5, {}, ['a'], true],
      call: (v: unknown) => call(with_(field, v)),
      prototypeNamesWork: true,
    })),
    {
      argument: 'card.fields',
      bad: [null, 'a', {}, [null], [['a']], [['a', 'b', 'c']], [['a', 5]], [[null, 'b']]],
      call: (v) => call(with_('fields', v)),
    },
    { argument: 'card.table', bad: [null, 'a', 5, []], call: (v) => call(with_('table', v)) },
    {
      argument: 'card.table.columns',
      bad: [null, undefined, 'a', [], [5], {}],
      call: (v) => call(table({ columns: v })),
    },
    {
      argument: 'card.table.rows',
      bad: [null, undefined, 'x', [null], [['1']], [['1', 2]], [[{}, '2']]],
      call: (v) => call(table({ rows: v })),
    },
    { argument: 'card.table.caption', bad: [null, 5, {}], call: (v) => call(table({ caption: v })) },
    ...NOT_FIGURES.filter((f) => f !== undefined).map((f) => ({
      argument: figureArgument(f),
      bad: [f],
      call: (v: unknown) => call(with_('figure', v)),
    })),
    { argument: 'card.figure', bad: [circularFigure(), bigIntFigure], call: (v) => call(with_('figure', v)) },
  ];
}

/** Which part of a card's figure the error for `f` names: the figure, or its data, layout or config. */
function figureArgument(f: unknown): string {
  const fig = f as { data?: unknown; layout?: unknown } | null;
  if (typeof fig !== 'object' || fig === null || Array.isArray(fig)) return 'card.figure';
  if (
    !Array.isArray(fig.data) ||
    fig.data.some(
      (t) =>
        typeof t !== 'object' || t === null || Array.isArray(t) || typeof (t as { type?: unknown }).type === 'number',
    )
  )
    return 'card.figure.data';
  if (typeof fig.layout !== 'object' || fig.layout === null || Array.isArray(fig.layout)) return 'card.figure.layout';
  return 'card.figure.config';
}

/** Value exports of src/index.ts that come from src/display or src/plot, read from its source. */
function displayAndPlotExports(): string[] {
  const source = readFileSync(path.join(__dirname, '..', 'src', 'index.ts'), 'utf8');
  return [...source.matchAll(/^export \{([^}]*)\} from '\.\/(display|plot)\//gm)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

describe('display and plot exports: bad options and arguments are LossInputError', () => {
  it('the tables below cover every display and plot export', () => {
    const covered = new Set([
      ...Object.keys(OPTIONS_CASES),
      ...Object.keys(FIGURE_CASES),
      ...Object.keys(ARGUMENT_CASES),
    ]);
    const data = new Set(['lossPalette', 'MAX_SLIDER_STEPS']); // a frozen record and a number, not functions
    const missing = displayAndPlotExports().filter((name) => !covered.has(name) && !data.has(name));
    expect(missing).to.deep.equal([]);
    expect(Object.isFrozen(api.lossPalette)).to.equal(true);
  });

  for (const [name, c] of Object.entries(OPTIONS_CASES)) {
    describe(name, () => {
      if (!c.noValidCall) {
        it('works with valid options (so the rejections below are about the values)', async () => {
          expect((await outcome(() => c.call({ ...c.base }))).error).to.equal(undefined);
          if (!c.required) expect((await outcome(() => c.call(undefined))).error).to.equal(undefined);
        });
      }

      it('rejects an options argument that is not an object', async () => {
        for (const opts of [...NOT_OPTIONS, ...(c.required ? [undefined] : [])]) {
          expectLossInputError(await outcome(() => c.call(opts)), `${name}(…, ${String(opts)})`, 'opts');
        }
      });

      it('rejects each option given a value of the wrong type', async () => {
        for (const [option, kind] of Object.entries(c.options)) {
          for (const value of WRONG[kind]!) {
            const what = `${name}(…, { ${option}: ${typeof value === 'symbol' ? 'Symbol' : typeof value === 'function' ? 'function' : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))} })`;
            expectLossInputError(
              await outcome(() => c.call({ ...c.base, [option]: value })),
              what,
              new RegExp(`(^|\\.)${option}(\\[.*\\])?$`),
            );
          }
        }
      });

      it('takes Object.prototype names as plain values: works or LossInputError, nothing else', async () => {
        for (const option of Object.keys(c.options)) {
          for (const value of PROTOTYPE_NAMES) {
            const result = await outcome(() => c.call({ ...c.base, [option]: value }));
            if (result.error !== undefined)
              expectLossInputError(
                result,
                `${name}(…, { ${option}: '${value}' })`,
                new RegExp(`(^|\\.)${option}(\\[.*\\])?$`),
              );
          }
        }
      });
    });
  }

  for (const [name, c] of Object.entries(FIGURE_CASES)) {
    it(`${name}: rejects what is not a Plotly figure${c.json ? ', and circular or BigInt figures,' : ''} naming fig`, async () => {
      const bad: Array<[string, unknown]> = [
        ...NOT_FIGURES.map((fig): [string, unknown] => [String(JSON.stringify(fig)), fig]),
        ...(c.json
          ? ([
              ['a circular figure', circularFigure()],
              ['a BigInt figure', bigIntFigure],
            ] as Array<[string, unknown]>)
          : []),
      ];
      for (const [shown, fig] of bad)
        expectLossInputError(await outcome(() => c.call(fig)), `${name}(${shown})`, /^fig(\.|\[|$)/);
    });
  }

  for (const [name, args] of Object.entries(ARGUMENT_CASES)) {
    for (const a of args) {
      it(`${name}: rejects a bad ${a.argument}${a.prototypeNamesWork ? ', takes Object.prototype names as text' : ''}`, async () => {
        for (const value of a.bad)
          expectLossInputError(
            await outcome(() => a.call(value)),
            `${name}(${a.argument} = ${String(value)})`,
            a.argument,
          );
        if (a.prototypeNamesWork) {
          for (const value of PROTOTYPE_NAMES)
            expect((await outcome(() => a.call(value))).error, `${name}('${value}')`).to.equal(undefined);
        }
      });
    }
  }

  it('lossColor and seriesColor give a colour for Object.prototype names, never an inherited member', () => {
    for (const value of PROTOTYPE_NAMES) {
      expect(api.lossColor(value), value).to.match(/^#[0-9a-f]{6}$/);
      expect(api.seriesColor(value, 0), value).to.match(/^#[0-9a-f]{6}$/);
    }
  });

  it('convergence looks an optimum record up by own labels only', async () => {
    for (const label of PROTOTYPE_NAMES) {
      const result = await outcome(() => api.convergence([{ label, history }], { optimum: {} }));
      expectLossInputError(result, `optimum {} for the label '${label}'`, `optimum[${JSON.stringify(label)}]`);
    }
  });
});
