/**
 * Values that display themselves (issue #13). A figure, a loss, a fit, an optimal constant, a
 * dataset or a value given a card, left as the last expression of a tslab cell, is shown: the
 * chart exactly as show() sends it, the others as cards. Printed any other way (console.log,
 * nested in another value, plain Node) it is one line. Nothing else printed changes.
 *
 * In this process, through a stand-in for tslab (test/helpers/kernel-stand-in.ts); then a
 * fixture notebook through the real kernel, its export in headless Chromium, and the cards
 * in light and dark themes with MathJax on the page (screenshots under build/screenshots/ and,
 * when missing or with LOSSLAB_UPDATE_SCREENSHOT=1, docs/).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, inspect } from 'node:util';
import type { Browser } from 'playwright-core';
import { cardData } from '../src/display/cards';
import { dropNextNewline } from '../src/display/lastValue';
import { plotlyLoaderHTML } from '../src/display/plotlyjs';
import { datasetSummary, fitCard, fitSummary, lossCard, MAX_LISTED_WEIGHTS } from '../src/display/values';
import {
  calibrationCurve,
  cardBundle,
  convergence,
  decisionBoundaries,
  describeFigure,
  displayCard,
  figure,
  fitLines,
  fitLinear,
  huber,
  lossCurves,
  losses,
  makeClassification,
  makeRegression,
  optimalConstant,
  quantile,
  riskConvergence,
  riskSurface,
  show,
  showCard,
  sweep,
  type Card,
  type Figure,
  type Loss,
} from '../src/index';
import { displayRenderers } from '../src/losses/display-hook';
import { closeBrowser, launchBrowser, waitForCharts, watchPage } from './helpers/browser';
import { inCell, printLastValue } from './helpers/kernel-stand-in';
import { executeNotebook, exportHTML, REPO, scratchDir, type Notebook, type NotebookOutput } from './helpers/notebook';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const CARD_KEYS = ['text/html', 'text/markdown', 'text/plain'];
const CHART_KEYS = [PLOTLY_MIME, 'text/html', 'text/plain'];

/** One figure from each builder. */
function builderFigures(): Array<[string, Figure]> {
  const history = [
    { iteration: 0, objective: 2 },
    { iteration: 1, objective: 1.2 },
  ];
  return [
    ['lossCurves', lossCurves([losses.hinge, losses.l2], { derivative: true, points: 11 })],
    ['riskSurface', riskSurface(losses.l2, [0, 1, 2], [1, 3, 5], { resolution: 5 })],
    ['fitLines', fitLines({ x: [0, 1, 2], y: [0, 1, 2] }, [{ label: 'fit', weights: [1], intercept: 0 }])],
    [
      'decisionBoundaries',
      decisionBoundaries(
        {
          X: [
            [0, 0],
            [1, 1],
            [2, 0],
            [3, 1],
          ],
          y: [-1, -1, 1, 1],
        },
        [{ label: 'm', weights: [1, 0], intercept: -1.5 }],
      ),
    ],
    ['convergence', convergence([{ label: 'gd', history }])],
    ['sweep', sweep([{ label: 'l2', x: [0, 1], mean: [1, 2] }], { xTitle: 'x', yTitle: 'y' })],
    [
      'riskConvergence',
      riskConvergence({ n: [10, 100], mean: [1, 1], lower: [0.5, 0.8], upper: [1.5, 1.2], trueRisk: 1 }),
    ],
    ['calibrationCurve', calibrationCurve([{ label: 'm', y: [0, 1, 1], p: [0.2, 0.7, 0.9] }], { bins: 2 })],
  ];
}

/** A lasso fit on 30 features of which only 3 matter: many weights exactly 0. */
function sparseFit() {
  const data = makeRegression({
    n: 60,
    d: 30,
    seed: 7,
    weights: Array.from({ length: 30 }, (_, j) => (j === 2 ? 3 : j === 11 ? -2 : j === 25 ? 1 : 0)),
    noiseScale: 0.1,
  });
  const rows = Array.from({ length: data.X.rows }, (_, i) => Array.from(data.X.data.subarray(i * 30, (i + 1) * 30)));
  return fitLinear(rows, data.y, { loss: losses.l2, l1: 0.05 });
}

/** What console.log writes for `values` outside any kernel (in plain Node). */
function printed(...values: unknown[]): string {
  return `${format(...values)}\n`;
}

describe('values that display themselves: one line wherever they are printed', () => {
  it('figures from every builder keep their JSON, keys and deep equality; util.inspect prints the summary line', () => {
    for (const [name, fig] of builderFigures()) {
      const plain = { data: fig.data, layout: fig.layout, config: fig.config };
      expect(JSON.stringify(fig), name).to.equal(JSON.stringify(plain));
      expect(Object.keys(fig), name).to.deep.equal(['data', 'layout', 'config']);
      expect(fig, name).to.deep.equal(plain);
      expect(structuredClone(fig), name).to.deep.equal(plain);
      expect(inspect(fig), name).to.equal(describeFigure(fig));
      expect(printed(fig), name).to.equal(`${describeFigure(fig)}\n`);
      // A spread copy is a plain object again: tslab would print it as before.
      expect(inspect({ ...fig }), name).to.equal(inspect(plain));
    }
    expect(inspect(lossCurves([losses.hinge]))).to.equal(
      'Plotly chart "Classification losses against the margin m = y·f": 1 trace (Hinge loss); x: margin m = y·f; y: loss φ(m)',
    );
  });

  it('a figure written by hand stays a plain object; figure(...) gives it the summary line', () => {
    const byHand: Figure = { data: [{ type: 'bar', x: ['a'], y: [1] }], layout: { title: { text: 'By hand' } } };
    expect(inspect(byHand)).to.equal(
      "{\n  data: [ { type: 'bar', x: [Array], y: [Array] } ],\n  layout: { title: { text: 'By hand' } }\n}",
    );
    expect(inspect(figure(byHand))).to.equal('Plotly chart "By hand": 1 trace (bar)');
  });

  it('a loss prints its id, formula, convexity and Lipschitz constant; it keeps its keys and stays frozen', () => {
    expect(inspect(losses.hinge)).to.equal('Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz');
    expect(inspect(losses.l2)).to.equal('Loss l2: (y − f)^2, strictly convex, not Lipschitz');
    // 1/ln 2 = 1.4427, to 4 digits.
    expect(inspect(losses.logistic)).to.equal(
      'Loss logistic: log(1 + exp(−y f)) / log(2), strictly convex, 1.443-Lipschitz',
    );
    expect(inspect(losses.modifiedHuber)).to.equal(
      'Loss modifiedHuber: y f < −1 ? −4 y f : max(0, 1 − y f)^2, convex, 4-Lipschitz',
    );
    expect(inspect(quantile(0.3))).to.equal(
      'Loss quantile(0.3): max(0.3 (y − f), (0.3 − 1) (y − f)), convex, 0.7-Lipschitz',
    );
    for (const loss of [...Object.values(losses), huber(2), quantile(0.9)] as Loss[]) {
      const line = inspect(loss);
      expect(line, loss.id).to.match(
        new RegExp(
          `^Loss ${loss.id.replace(/[()[\].*+?^$|\\]/g, '\\$&')}: [^\\n]+, (strictly convex|convex|not convex), (not Lipschitz|[\\d.]+-Lipschitz)$`,
        ),
      );
      expect(Object.keys(loss), loss.id).to.deep.equal([
        'id',
        'name',
        'task',
        'target',
        'prediction',
        'value',
        'derivative',
        'secondDerivative',
        'expression',
        'pieces',
        'latex',
        'properties',
        'params',
        'kernels',
        'capabilities',
      ]);
      expect(Object.isFrozen(loss), loss.id).to.equal(true);
    }
    // Nested, each loss is its line: printing the registry lists the losses.
    expect(inspect([losses.hinge, losses.l2])).to.equal(
      '[\n  Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz,\n  Loss l2: (y − f)^2, strictly convex, not Lipschitz\n]',
    );
  });

  it('a fit prints its loss, solver, status, objective, iterations, certificate, and its weights with the count of exact zeros', () => {
    const fit = sparseFit();
    let zeros = 0;
    for (const w of fit.weights) if (w === 0) zeros++;
    expect(zeros, 'the lasso fit should set most of the 27 irrelevant weights to 0').to.be.above(10);
    const line = inspect(fit);
    expect(line).to.equal(fitSummary(fit));
    expect(line).to.match(
      new RegExp(
        `^LinearFit of l2 by ${fit.solver}: ${fit.status}, objective [-\\d.e]+, \\d+ iterations?, optimality [-\\d.e]+, 30 weights \\(${zeros} exactly 0\\)$`,
      ),
    );
    expect(Object.keys(fit)).to.include.members(['weights', 'intercept', 'objective', 'status', 'predict']);
    expect(fit.predict([Array.from({ length: 30 }, () => 0)])[0]).to.equal(fit.intercept);
  });

  it('an optimal constant and a dataset print one line', () => {
    // R(4) = (3 + 2 + 2 + 6)/4 over the median interval [2, 6] of {1, 2, 6, 10}.
    expect(inspect(optimalConstant(losses.l1, [1, 2, 6, 10]))).to.equal(
      'Optimal constants: every c in [2, 6] (c = 4 returned), risk 3.25',
    );
    // The mean 3 of {1, 2, 6}; R(3) = (4 + 1 + 9)/3.
    expect(inspect(optimalConstant(losses.l2, [1, 2, 6]))).to.equal('Optimal constant c* = 3, risk 4.66667');
    expect(inspect(optimalConstant(losses.logistic, [1, 1]))).to.equal(
      'Optimal constant: none attained; the risk decreases to 0 as c → +∞',
    );
    expect(optimalConstant(losses.l1, [1, 2, 6, 10])).to.deep.equal({
      value: 4,
      interval: [2, 6],
      risk: 3.25,
      unique: false,
      attained: true,
    });
    const blobs = makeClassification({ n: 40, d: 2, seed: 5 });
    const positive = Array.from(blobs.y).filter((y) => y === 1).length;
    expect(inspect(blobs)).to.equal(
      `Dataset: n = 40, d = 2, ${positive} labelled +1, ${40 - positive} labelled −1, 0 contaminated`,
    );
    const line = makeRegression({ n: 4, seed: 1, weights: [2], intercept: 1, outliers: { fraction: 0.5 } });
    expect(inspect(line)).to.equal(datasetSummary(line));
    expect(inspect(line)).to.match(/^Dataset: n = 4, d = 1, y from [-\d.]+ to [-\d.]+, mean [-\d.]+, 2 contaminated$/);
  });

  it('displayCard: any object gets a card, printed as its summary; its JSON and keys are unchanged', () => {
    const result = { n: 3, mean: 2 };
    let described = 0;
    const same = displayCard(result, (r) => {
      described++;
      return {
        title: 'Sample mean',
        summary: `Sample mean ${r.mean} of ${r.n} values`,
        fields: [['mean', String(r.mean)]],
      };
    });
    expect(same).to.equal(result);
    expect(JSON.stringify(result)).to.equal('{"n":3,"mean":2}');
    expect(Object.keys(result)).to.deep.equal(['n', 'mean']);
    expect(inspect(result)).to.equal('Sample mean 2 of 3 values');
    result.mean = 5;
    expect(inspect(result)).to.equal('Sample mean 5 of 3 values');
    expect(described).to.equal(2);
  });

  it('without display/ loaded (no renderer registered), a value prints exactly as it did before', () => {
    const saved = new Map(displayRenderers());
    displayRenderers().clear();
    try {
      expect(inspect(losses.hinge)).to.equal(inspect(losses.hinge, { customInspect: false }));
      expect(inspect(losses.hinge)).to.include('kernels:');
      const fig = lossCurves([losses.hinge], { points: 3 });
      expect(inspect(fig)).to.equal(inspect({ data: fig.data, layout: fig.layout, config: fig.config }));
    } finally {
      for (const [kind, renderer] of saved) displayRenderers().set(kind, renderer);
    }
  });
});

describe('values that display themselves: the cards', () => {
  it('a loss card: name, formula for MathJax, domains, properties, minimiser, and its curve with its slope', () => {
    const { data, chart } = cardData(lossCard(losses.hinge));
    expect(Object.keys(data)).to.deep.equal(CARD_KEYS);
    expect(chart).to.equal(true);
    expect(data['text/plain']).to.equal('Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz');
    const html = data['text/html'];
    expect(html).to.match(/^<div class="losslab-card tex2jax_ignore mathjax_ignore"/);
    expect(html).to.include('<div class="losslab-card-title" style="font-weight:600;font-size:1.1em">Hinge loss <span');
    expect(html).to.include(
      'tex2jax_process mathjax_process" style="margin:6px 0 8px;overflow-x:auto">$\\displaystyle \\ell(y, f) = \\max(0,\\ 1 - y f)$</div>',
    );
    for (const [label, value] of [
      ['target', 'y ∈ {−1, +1}'],
      ['convexity', 'convex'],
      ['differentiability', 'kink at m = 1'],
      ['Lipschitz constant', '1'],
      ['classification-calibrated', 'yes'],
    ]) {
      expect(html, label).to.match(new RegExp(`>${label}</th><td[^>]*>${value.replace(/[{}+]/g, '\\$&')}</td>`));
    }
    expect(html).to.include(
      `>population minimiser</th><td style="text-align:left;vertical-align:top;padding:2px 14px 2px 0;background:transparent;border:none">${losses.hinge.properties.minimizer}</td>`,
    );
    // The chart: the loss and its slope, drawn with the page's colours.
    const json = /var figure = (.*);\n/.exec(html)?.[1];
    const fig = JSON.parse(json!) as Figure;
    const reference = lossCurves([losses.hinge], { derivative: true, points: 201 });
    expect(fig.data).to.deep.equal(JSON.parse(JSON.stringify(reference.data)));
    expect(html).to.include('themed(figure.layout, window.getComputedStyle(root).color)');
    expect(data['text/markdown']).to.include('$$\\ell(y, f) = \\max(0,\\ 1 - y f)$$');
    expect(data['text/markdown']).to.include('| **Lipschitz constant** | 1 |');
  });

  it('every loss has a card with its chart', () => {
    for (const loss of [...Object.values(losses), huber(0.5), quantile(0.1)] as Loss[]) {
      const { data, chart } = cardData(lossCard(loss));
      expect(chart, loss.id).to.equal(true);
      expect(data['text/html'], loss.id).to.include('class="losslab-figure');
    }
  });

  it('a fit card: status, certificate, uniqueness, penalties and the weights, the 20 largest listed when there are more, exact zeros counted', () => {
    const fit = sparseFit();
    const card = fitCard(fit);
    const table = card.table!;
    const w = Array.from(fit.weights);
    const largest = w
      .map((_, j) => j)
      .sort((a, b) => Math.abs(w[b]!) - Math.abs(w[a]!) || a - b)
      .slice(0, MAX_LISTED_WEIGHTS)
      .sort((a, b) => a - b);
    expect(table.rows.map((row) => Number(row[0]))).to.deep.equal(largest);
    expect(table.rows.map((row) => Number(row[1]))).to.deep.equal(largest.map((j) => Number(w[j]!.toPrecision(8))));
    const zeros = w.filter((v) => v === 0).length;
    expect(table.caption).to.equal(`30 weights, ${zeros} exactly 0; the 20 largest in magnitude are listed`);
    expect(card.fields).to.deep.include(['status', 'converged']);
    expect(card.fields).to.deep.include(['penalties', 'l1 = 0.05, l2 = 0']);
    expect(card.math).to.equal(
      '\\min_{w,\\, b}\\ \\frac{1}{n} \\sum_{i=1}^{n} \\ell(y_i,\\ w^\\top x_i + b) + 0.05\\,\\lVert w \\rVert_1',
    );
    const small = fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: losses.l2 });
    expect(fitCard(small).table!.rows).to.deep.equal([['0', '2']]);
    expect(fitCard(small).table!.caption).to.equal('1 weight, 0 exactly 0');
    expect(cardData(fitCard(small)).chart).to.equal(false);
  });

  it('a formula with a TeX command that reaches the page, or a $, is shown as code, never handed to MathJax', () => {
    const typeset = (math: string): boolean =>
      cardBundle({ title: 't', summary: 's', math })['text/html'].includes('tex2jax_process');
    expect(typeset('\\frac{1}{2} (y - f)^2')).to.equal(true);
    for (const math of [
      '\\href{javascript:alert(1)}{x}',
      '\\class{x}{y}',
      '\\style{color:red}{x}',
      '\\unicode{x41}',
      '\\require{action}',
      '\\def\\h{x}',
      'x$ <b>y</b> $z',
      '\\texttip{x}{y}',
    ]) {
      expect(typeset(math), math).to.equal(false);
      expect(cardBundle({ title: 't', summary: 's', math })['text/html'], math).to.include('<code>');
    }
    expect(typeset('\\hrefs')).to.equal(true);
  });

  it('Markdown alternative: every text escaped, so none starts emphasis, a link, math or a tag', () => {
    const text = '*a* _b_ [l](u) $x$ `c` ~~d~~ &amp; <b>e</b> | f \\';
    const markdown = cardBundle({
      title: text,
      summary: text,
      fields: [[text, text]],
      note: text,
      table: { columns: [text], rows: [[text]] },
    })['text/markdown'];
    expect(markdown).not.to.match(/<[a-z]/i);
    expect(markdown.split('\n')[0]).to.equal(
      '**\\*a\\* \\_b\\_ \\[l\\](u) \\$x\\$ \\`c\\` \\~\\~d\\~\\~ &amp;amp; &lt;b>e&lt;/b> | f \\\\**',
    );
    expect(markdown).to.include(
      '| **\\*a\\* \\_b\\_ \\[l\\](u) \\$x\\$ \\`c\\` \\~\\~d\\~\\~ &amp;amp; &lt;b>e&lt;/b> \\| f \\\\** |',
    );
  });
});

describe("values that display themselves: as a tslab cell's last value (stand-in kernel)", () => {
  it("a figure is drawn exactly as show() draws it, plotly.js first, and console.log's empty line is dropped", () => {
    const viaShow = inCell(() => show(lossCurves([losses.hinge])));
    const last = inCell(() => printLastValue(lossCurves([losses.hinge])));
    expect(last.sent).to.have.length(2);
    expect(last.sent[0]!.data['text/html']).to.equal(plotlyLoaderHTML());
    expect(Object.keys(last.sent[1]!.data)).to.deep.equal(CHART_KEYS);
    expect(last.sent).to.deep.equal(viaShow.sent);
    expect(last.stdout).to.deep.equal([]);
    expect(last.stderr).to.deep.equal([]);
  });

  it('a loss, a fit, an optimal constant, a dataset and a displayCard value are sent as their cards (plotly.js only before a chart)', () => {
    const fit = fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: losses.l2 });
    const cases: Array<[string, object, Card]> = [
      ['loss', losses.hinge, lossCard(losses.hinge)],
      ['fit', fit, fitCard(fit)],
    ];
    for (const [what, value, card] of cases) {
      const last = inCell(() => printLastValue(value));
      const direct = inCell(() => showCard(card));
      expect(last.sent, what).to.deep.equal(direct.sent);
      expect(
        last.sent.map((s) => Object.keys(s.data)),
        what,
      ).to.deep.equal([...(cardData(card).chart ? [['text/html', 'text/plain']] : []), CARD_KEYS]);
      expect(last.stdout, what).to.deep.equal([]);
    }
    for (const value of [
      optimalConstant(losses.l1, [1, 2, 6, 10]),
      makeRegression({ n: 8, seed: 2 }),
      displayCard({ k: 1 }, () => ({ title: 'k', summary: 'k = 1' })),
    ]) {
      const last = inCell(() => printLastValue(value));
      expect(last.sent).to.have.length(1);
      expect(last.sent[0]!.data['text/plain']).to.equal(inspect(value));
      expect(last.stdout).to.deep.equal([]);
    }
  });

  it('plotly.js is sent once per cell execution; two values in one cell give two outputs', () => {
    const run = inCell(() => {
      printLastValue(lossCurves([losses.hinge]));
      printLastValue(losses.logistic);
      printLastValue(lossCurves([losses.l2]));
    });
    expect(run.sent.map((s) => s.data['text/html'] === plotlyLoaderHTML())).to.deep.equal([true, false, false, false]);
    expect(run.sent.map((s) => s.data['text/plain'])).to.deep.equal([
      run.sent[0]!.data['text/plain'],
      describeFigure(lossCurves([losses.hinge])),
      inspect(losses.logistic),
      describeFigure(lossCurves([losses.l2])),
    ]);
  });

  it('console.log(value) and util.inspect(value) in the cell print the summary and draw nothing', () => {
    const fig = lossCurves([losses.logistic]);
    const run = inCell(() => {
      console.log(fig);
      console.log(losses.hinge);
      expect(inspect(fig)).to.equal(describeFigure(fig));
    });
    expect(run.sent).to.deep.equal([]);
    expect(run.stdout).to.deep.equal([
      `${describeFigure(fig)}\n`,
      'Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz\n',
    ]);
  });

  it("other values print as before: a plain object, a figure written by hand, numbers, strings, and the package's values nested in an array", () => {
    const byHand = { data: [{ type: 'bar', x: ['a'], y: [1] }], layout: {} };
    const nested = [lossCurves([losses.hinge], { points: 3 }), losses.hinge];
    for (const value of [byHand, 42, 'text', nested, { loss: losses.l2 }]) {
      const run = inCell(() => printLastValue(value));
      expect(run.sent, inspect(value)).to.deep.equal([]);
      expect(run.stdout, inspect(value)).to.deep.equal([printed(value)]);
    }
    expect(printed(nested)).to.include('Loss hinge: max(0, 1 − y f)');
  });

  it("stdout is the kernel's own writer again right after the dropped line break; the next line prints", () => {
    let before: unknown;
    let after: unknown;
    const run = inCell(() => {
      before = process.stdout.write;
      printLastValue(losses.hinge);
      after = process.stdout.write;
      console.log('next');
    });
    expect(before).to.equal(run.writer);
    expect(after).to.equal(run.writer);
    expect(run.stdout).to.deep.equal(['next\n']);
  });

  it('dropNextNewline lets any other write through and is undone at the end of the job even without a write', async () => {
    const writes: string[] = [];
    const writer = (chunk: unknown): boolean => writes.push(String(chunk)) > 0;
    const stream = { write: writer } as unknown as NodeJS.WriteStream;
    dropNextNewline(stream);
    stream.write('kept\n');
    expect(stream.write).to.equal(writer);
    stream.write('\n');
    expect(writes).to.deep.equal(['kept\n', '\n']);
    dropNextNewline(stream);
    expect(stream.write).not.to.equal(writer);
    await Promise.resolve();
    expect(stream.write).to.equal(writer);
    // A stream whose write is inherited gets no own property left behind.
    const inherited = Object.create({ write: writer }) as NodeJS.WriteStream;
    dropNextNewline(inherited);
    inherited.write('\n');
    expect(Object.getOwnPropertyNames(inherited)).to.deep.equal([]);
  });

  it('with an unlimited inspect depth nesting cannot be told: the value prints its summary, nothing is drawn', () => {
    const saved = inspect.defaultOptions.depth;
    inspect.defaultOptions.depth = Infinity;
    try {
      const run = inCell(() => printLastValue(losses.hinge));
      expect(run.sent).to.deep.equal([]);
      expect(run.stdout).to.deep.equal(['Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz\n']);
    } finally {
      inspect.defaultOptions.depth = saved;
    }
  });

  it('a figure that cannot be shown (a BigInt put in it) prints as it would have without the hook, with one warning', () => {
    const fig = lossCurves([losses.hinge], { points: 3 });
    (fig.data[0] as unknown as { x: unknown }).x = [1n];
    const run = inCell(() => {
      printLastValue(fig);
      printLastValue(fig);
    });
    expect(run.sent).to.deep.equal([]);
    const dump = inspect(fig, { customInspect: false });
    expect(run.stdout).to.deep.equal([`${dump}\n`, `${dump}\n`]);
    expect(run.stderr).to.have.length(1);
    expect(run.stderr[0]).to.match(/^losslab: could not display a value \(fig holds a BigInt/);
  });

  it("without tslab's bundle writer, the figure still arrives as HTML (the fallback show() uses)", () => {
    const run = inCell(() => printLastValue(lossCurves([losses.hinge])), { writer: false });
    expect(run.sent.map((s) => Object.keys(s.data))).to.deep.equal([['text/html'], ['text/html']]);
    expect(run.sent[0]!.data['text/html']).to.equal(plotlyLoaderHTML());
    expect(run.stdout).to.deep.equal([]);
    expect(run.stderr.join('')).to.match(/could not reach tslab's bundle writer/);
  });

  it('outside a kernel, printed the way tslab prints, a value is its summary line', () => {
    const writes: string[] = [];
    const own = Object.getOwnPropertyDescriptor(process.stdout, 'write');
    process.stdout.write = ((chunk: unknown) => writes.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      printLastValue(losses.hinge);
    } finally {
      if (own === undefined) delete (process.stdout as { write?: unknown }).write;
      else Object.defineProperty(process.stdout, 'write', own);
    }
    expect(writes).to.deep.equal(['Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz\n']);
  });
});

describe("values that display themselves: Deno's and IJavascript's display protocols", () => {
  it("Symbol.for('Jupyter.display') and _toMime() give the bundles, plotly.js ahead of every chart (no cell execution to tell apart)", () => {
    const state = Symbol.for('losslab.display.state');
    const host = globalThis as Record<symbol, unknown>;
    const saved = host[state];
    delete host[state];
    try {
      const fig = lossCurves([losses.hinge]) as Figure & { [key: symbol]: () => Record<string, unknown> };
      const first = fig[Symbol.for('Jupyter.display')]!();
      expect(Object.keys(first)).to.deep.equal(CHART_KEYS);
      expect(first['text/html']).to.match(/^<script type="text\/javascript">\n\/\* plotly\.js/);
      expect(first[PLOTLY_MIME]).to.deep.equal(JSON.parse(JSON.stringify(fig)));
      const loss = (losses.hinge as unknown as { _toMime(): Record<string, unknown> })._toMime();
      expect(Object.keys(loss)).to.deep.equal(CARD_KEYS);
      // The loss card holds a chart, so it carries plotly.js too, as does every later chart.
      expect(loss['text/html']).to.match(
        /^<script type="text\/javascript">\n\/\* plotly\.js[\s\S]*\n<div class="losslab-card/,
      );
      expect(
        String((fig as unknown as { _toMime(): Record<string, unknown> })._toMime()['text/html']).startsWith(
          `${plotlyLoaderHTML()}\n`,
        ),
      ).to.equal(true);
      const fit = fitLinear([[0], [1]], [0, 1], { loss: losses.l2 }) as unknown as {
        [key: symbol]: () => Record<string, unknown>;
      };
      expect(fit[Symbol.for('Jupyter.display')]!()['text/plain']).to.match(/^LinearFit of l2/);
      expect(Object.getOwnPropertyDescriptor(losses.hinge, '_toMime')?.enumerable).to.equal(false);
    } finally {
      if (saved === undefined) delete host[state];
      else host[state] = saved;
    }
  });
});

describe('values that display themselves: plain Node prints one line (the built package)', function () {
  this.timeout(60_000);
  it('node -p on a figure, a loss, a fit and a dataset prints their summary lines, no dump', () => {
    if (!existsSync(path.join(REPO, 'dist', 'display', 'values.js')))
      throw new Error('dist/ is out of date: run `npm run build` first');
    const run = (expression: string): string =>
      execFileSync(process.execPath, ['-p', `const l = require(${JSON.stringify(REPO)}); ${expression}`], {
        encoding: 'utf8',
      });
    expect(run('l.lossCurves([l.losses.hinge])')).to.equal(`${describeFigure(lossCurves([losses.hinge]))}\n`);
    expect(run('l.losses.hinge')).to.equal('Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz\n');
    expect(run('l.fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: l.losses.l2 })')).to.equal(
      `${inspect(fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7], { loss: losses.l2 }))}\n`,
    );
    expect(run('l.makeRegression({ n: 10, seed: 1 })')).to.equal(`${inspect(makeRegression({ n: 10, seed: 1 }))}\n`);
  });
});

// ------------------------------------------------------------------ the real kernel

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'display-values.ipynb');
const SCREENSHOTS = path.join(REPO, 'build', 'screenshots');
const MATHJAX = '/usr/share/javascript/mathjax/MathJax.js';

function text(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

/**
 * An output's bundle with its texts joined (nbformat stores them as lists of lines) and the
 * chart ids in its HTML replaced: two outputs of the same chart differ in nothing else.
 */
function withoutIds(data: Record<string, unknown>): Record<string, unknown> {
  const joined = Object.fromEntries(
    Object.entries(data).map(([mime, value]) => [mime, mime.startsWith('text/') ? text(value) : value]),
  );
  const html = text(joined['text/html']);
  const ids = [...new Set(html.match(/losslab-[0-9a-f]{12}-\d+/g) ?? [])];
  return { ...joined, 'text/html': ids.reduce((h, id, k) => h.split(id).join(`ID${k}`), html) };
}

describe('values that display themselves: a notebook through the real tslab kernel, and in Chromium', function () {
  this.timeout(300_000);
  let dir: string;
  let notebook: Notebook;
  let browser: Browser | undefined;
  const outputs = (id: string): NotebookOutput[] => {
    const cell = notebook.cells.find((c) => c.id === id);
    if (cell === undefined) throw new Error(`no cell ${id} in the fixture`);
    return cell.outputs ?? [];
  };
  const plain = (o: NotebookOutput | undefined): string => text(o?.data?.['text/plain']);

  before(async () => {
    dir = scratchDir('display-values');
    [{ notebook }, browser] = await Promise.all([
      executeNotebook(FIXTURE, path.join(dir, 'display-values.ipynb')),
      launchBrowser(),
    ]);
  });
  after(() => closeBrowser(browser));

  it('runs without errors, without stderr, and without the empty lines console.log would have added', () => {
    const all = notebook.cells.flatMap((c) => c.outputs ?? []);
    expect(all.filter((o) => o.output_type === 'error' || o.name === 'stderr')).to.deep.equal([]);
    expect(all.filter((o) => o.output_type === 'stream' && text(o.text).trim() === '')).to.deep.equal([]);
  });

  it('a figure as the last expression: plotly.js for the cell, then the same output show() gives', () => {
    const [library, chart] = outputs('figure-last');
    expect(outputs('figure-last')).to.have.length(2);
    expect(text(library!.data?.['text/html'])).to.equal(plotlyLoaderHTML());
    expect(Object.keys(chart!.data ?? {}).sort()).to.deep.equal(CHART_KEYS);
    expect(chart!.data?.[PLOTLY_MIME]).to.deep.equal(JSON.parse(JSON.stringify(lossCurves([losses.hinge]))));
    expect(plain(chart)).to.equal(describeFigure(lossCurves([losses.hinge])));
    // Each cell execution with a chart carries its own plotly.js, so re-running one cell never strands the others.
    const shown = outputs('figure-show');
    expect(shown).to.have.length(2);
    expect(text(shown[0]!.data?.['text/html'])).to.equal(plotlyLoaderHTML());
    expect(withoutIds(shown[1]!.data!)).to.deep.equal(withoutIds(chart!.data!));
    expect(shown[1]!.metadata?.losslab).to.have.all.keys('id', 'height');
    expect(outputs('wrapped').map((o) => plain(o))).to.deep.equal([
      plain(library),
      'Plotly chart "By hand": 1 trace (bar)',
    ]);
  });

  it('a loss, a fit, an optimal constant, a dataset and a displayCard value: one card each, with its short text/plain', () => {
    const fit = fitLinear(
      [
        [0, 1],
        [1, 0],
        [2, 1],
        [3, 0],
        [4, 1],
      ],
      [1, 3, 5, 7, 9],
      { loss: losses.l2, l1: 0.01 },
    );
    const expected: Array<[string, string]> = [
      ['loss-last', 'Loss hinge: max(0, 1 − y f), convex, 1-Lipschitz'],
      ['fit-last', fitSummary(fit)],
      ['async-loss', inspect(huber(2))],
      ['constant', 'Optimal constants: every c in [2, 6] (c = 4 returned), risk 3.25'],
      ['dataset', inspect(makeRegression({ n: 20, d: 2, seed: 3 }))],
      ['custom-card', 'Custom result: n = 3'],
    ];
    // A loss card holds a chart: plotly.js comes first in its cell.
    const charted = new Set(['loss-last', 'async-loss']);
    for (const [id, line] of expected) {
      const all = outputs(id);
      expect(
        all.map((o) => o.output_type),
        id,
      ).to.deep.equal(charted.has(id) ? ['display_data', 'display_data'] : ['display_data']);
      if (charted.has(id)) expect(text(all[0]!.data?.['text/html']), id).to.equal(plotlyLoaderHTML());
      const card = all[all.length - 1]!;
      expect(Object.keys(card.data ?? {}).sort(), id).to.deep.equal(CARD_KEYS);
      expect(plain(card), id).to.equal(line);
    }
    expect(fitSummary(fit)).to.match(/\(1 exactly 0\)$/);
    // The loss card is the one showCard would send, chart and all.
    expect(withoutIds(outputs('loss-last')[1]!.data!)).to.deep.equal(
      withoutIds({ ...cardData(lossCard(losses.hinge)).data }),
    );
  });

  it('console.log(fig) prints the summary line and draws nothing; a plain object and an array print as before', () => {
    const logged = outputs('console-log');
    expect(logged.map((o) => [o.output_type, o.name, text(o.text)])).to.deep.equal([
      ['stream', 'stdout', `${describeFigure(lossCurves([losses.logistic]))}\n`],
    ]);
    expect(outputs('plain-object').map((o) => text(o.text))).to.deep.equal([
      printed({ data: [{ type: 'bar', x: ['a'], y: [1] }], layout: {} }),
    ]);
    expect(outputs('nested').map((o) => text(o.text))).to.deep.equal([printed([losses.hinge, losses.l2])]);
    expect(outputs('after').map((o) => text(o.text))).to.deep.equal(['stdout still works\n']);
  });

  it("exported by nbconvert and opened in Chromium: the figures and the cards' charts draw, and nothing for console.log", async () => {
    const file = path.join(dir, 'display-values.html');
    await exportHTML(path.join(dir, 'display-values.ipynb'), file, 'lab');
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const watch = await watchPage(page);
    await page.goto(pathToFileURL(file).href);
    // figure-last, figure-show, wrapped, and the charts of the two loss cards.
    expect(await waitForCharts(page, 5, 120_000)).to.equal(5);
    expect(await page.locator('.losslab-figure').count()).to.equal(5);
    expect(await page.locator('.losslab-card').count()).to.equal(6);
    expect(watch.errors).to.deep.equal([]);
    expect(watch.offsite).to.deep.equal([]);
    await page.close();
  });

  describe('the cards in light and dark themes, MathJax on the page', () => {
    let cardsHTML: string;
    before(() => {
      const card = (id: string): string =>
        `<section id="${id}" style="margin:12px 0">${text(
          outputs(id)
            .filter((o) => o.output_type === 'display_data')
            .pop()?.data?.['text/html'],
        )}</section>`;
      cardsHTML = [
        text(outputs('figure-last')[0]!.data?.['text/html']),
        ...['loss-last', 'fit-last', 'constant', 'dataset', 'custom-card'].map(card),
        card('figure-show'),
      ].join('\n');
    });

    /** A notebook-like page: the theme's colours from prefers-color-scheme, MathJax 2 configured as classic Notebook configures it. */
    function themedPage(): string {
      const file = path.join(dir, 'cards.html');
      const head = existsSync(MATHJAX)
        ? [
            '<script type="text/x-mathjax-config">MathJax.Hub.Config({ tex2jax: { inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]], processEscapes: true, processEnvironments: true }, messageStyle: "none" });',
            'MathJax.Hub.Queue(function () { window.typeset = true; });</script>',
            `<script type="text/javascript" src="${pathToFileURL(MATHJAX).href}?config=TeX-AMS_HTML"></script>`,
          ].join('\n')
        : '<script>window.typeset = true;</script>';
      writeFileSync(
        file,
        [
          '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>cards</title>',
          '<style>body { font: 14px system-ui, sans-serif; margin: 0; padding: 8px; background: #ffffff; color: #1f1f1f; }',
          '@media (prefers-color-scheme: dark) { body { background: #111111; color: #d8d8d8; } }</style>',
          head,
          `</head>\n<body>\n${cardsHTML}\n</body>\n</html>\n`,
        ].join('\n'),
      );
      return file;
    }

    for (const scheme of ['light', 'dark'] as const) {
      it(`${scheme}: the text takes the theme's colour, nothing paints a background, the formulas are typeset, the charts use the page's colours`, async function () {
        if (!existsSync(MATHJAX)) this.skip();
        const context = await browser!.newContext({ colorScheme: scheme, viewport: { width: 1000, height: 900 } });
        const page = await context.newPage();
        await page.goto(pathToFileURL(themedPage()).href);
        await page.waitForFunction(() => (window as unknown as { typeset?: boolean }).typeset === true, undefined, {
          timeout: 60_000,
        });
        expect(await waitForCharts(page, 2, 60_000)).to.equal(2);
        const seen = await page.evaluate(() => {
          const cards = Array.from(document.querySelectorAll('.losslab-card'));
          const html = cards
            .flatMap((card) => [card, ...Array.from(card.querySelectorAll('*'))])
            .filter((e) => !(e instanceof SVGElement) && !e.closest('.MathJax, .MathJax_Display, .plot-container'));
          return {
            body: getComputedStyle(document.body).color,
            colours: [
              ...new Set(html.filter((e) => (e.textContent ?? '').trim() !== '').map((e) => getComputedStyle(e).color)),
            ],
            backgrounds: [...new Set(html.map((e) => getComputedStyle(e).backgroundColor))],
            typeset: Array.from(document.querySelectorAll('.losslab-card-math')).map(
              (m) => m.querySelectorAll('script[type^="math/tex"]').length,
            ),
            elsewhere:
              document.querySelectorAll('script[type^="math/tex"]').length -
              document.querySelectorAll('.losslab-card-math script[type^="math/tex"]').length,
            chartText: [
              ...new Set(
                Array.from(
                  document.querySelectorAll('.losslab-card-chart .xtick text, .losslab-card-chart .ytitle'),
                ).map((t) => getComputedStyle(t).fill),
              ),
            ],
            chartPaper: Array.from(document.querySelectorAll('.losslab-card-chart .main-svg')).map(
              (s) => getComputedStyle(s).backgroundColor,
            ),
          };
        });
        expect(seen.colours).to.deep.equal([seen.body]);
        expect(seen.backgrounds).to.deep.equal(['rgba(0, 0, 0, 0)']);
        // The loss, fit and constant cards have a formula; each is typeset.
        expect(seen.typeset).to.deep.equal([1, 1, 1]);
        expect(seen.elsewhere).to.equal(0);
        expect(seen.chartText).to.deep.equal([seen.body]);
        expect(new Set(seen.chartPaper)).to.deep.equal(new Set(['rgba(0, 0, 0, 0)']));
        mkdirSync(SCREENSHOTS, { recursive: true });
        for (const [name, id] of [
          ['loss', 'loss-last'],
          ['fit', 'fit-last'],
          ['figure', 'figure-show'],
        ] as const) {
          // The card, or the chart box for the figure: the outer element of the output.
          const image = await page.locator(`#${id} .losslab-card, #${id} .losslab-figure`).first().screenshot();
          const base = scheme === 'light' ? `card-${name}.png` : `card-${name}-dark.png`;
          writeFileSync(path.join(SCREENSHOTS, base), image);
          const docs = path.join(REPO, 'docs', base);
          if (!existsSync(docs) || process.env.LOSSLAB_UPDATE_SCREENSHOT === '1') writeFileSync(docs, image);
        }
        await context.close();
      });
    }
  });
});
