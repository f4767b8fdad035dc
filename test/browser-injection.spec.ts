/**
 * Hostile text through every public door to HTML, opened in headless Chromium: toHTML and
 * saveHTML pages, the bundles show() sends (through a stand-in for tslab's writer), the
 * static fallback with scripts off, MathJax on the page, and Markdown outputs as nbconvert
 * renders them. A payload that ran would set `window.__pwned` or open a dialog; none may, and
 * every text must come out exactly as typed. Options that cannot carry text (ids, sizes,
 * images) refuse such values with LossInputError.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { plotlyLoaderHTML } from '../src/display/plotlyjs';
import {
  calibrationCurve,
  convergence,
  decisionBoundaries,
  defineLoss,
  describeFigure,
  fitLinear,
  fitLines,
  LossInputError,
  lossCurves,
  losses,
  markdownTable,
  mimeBundle,
  progress,
  riskConvergence,
  riskSurface,
  saveHTML,
  show,
  showCard,
  showMarkdown,
  showMath,
  sweep,
  toHTML,
  type Card,
  type Figure,
  type Loss,
} from '../src/index';
import { closeBrowser, launchBrowser, waitForCharts, watchPage, type PageWatch } from './helpers/browser';
import { inCell, printLastValue } from './helpers/kernel-stand-in';
import { exportHTML, scratchDir, type Notebook, type NotebookOutput } from './helpers/notebook';
import { PAYLOADS } from './helpers/plot-gallery';
import { ONE_PIXEL_PNG } from './helpers/png';

const MATHJAX = '/usr/share/javascript/mathjax/MathJax.js';

/** Squared error under another name: a loss whose name a user chose. */
function squaredErrorNamed(name: string): Loss {
  return defineLoss({
    id: 'squaredErrorRenamed',
    name,
    task: 'regression',
    target: 'real',
    prediction: 'real',
    value: (y, f) => (y - f) ** 2,
    derivative: (y, f) => 2 * (f - y),
    secondDerivative: () => 2,
    expression: '(y - f)^2',
    latex: '(y - f)^2',
    properties: { ...losses.l2.properties },
  });
}

/** A figure of each builder with `text` in every text option it has, and as a loss name. */
function figuresWith(text: string): Array<{ builder: string; figure: Figure; axes: number; legend: boolean }> {
  const named = squaredErrorNamed(text);
  const history = [
    { iteration: 0, objective: 2 },
    { iteration: 1, objective: 1.2 },
    { iteration: 2, objective: 1 },
  ];
  return [
    {
      builder: 'lossCurves',
      figure: lossCurves([losses.hinge, named], { title: text, points: 11 }),
      axes: 0,
      legend: true,
    },
    {
      builder: 'riskSurface',
      figure: riskSurface(named, [0, 1, 2, 3], [1, 3, 5, 7], {
        title: text,
        pathLabel: text,
        path: [
          { w: 0, b: 0 },
          { w: 2, b: 1 },
        ],
        resolution: 9,
      }),
      axes: 0,
      legend: true,
    },
    {
      builder: 'fitLines',
      figure: fitLines({ x: [0, 1, 2], y: [0, 1, 2] }, [{ label: text, weights: [1], intercept: 0 }], {
        title: text,
        xTitle: text,
        yTitle: text,
      }),
      axes: 2,
      legend: true,
    },
    {
      builder: 'decisionBoundaries',
      figure: decisionBoundaries(
        {
          X: [
            [0, 0],
            [1, 1],
            [2, 0],
            [3, 1],
          ],
          y: [-1, -1, 1, 1],
        },
        [{ label: text, weights: [1, 0], intercept: -1.5 }],
        { title: text },
      ),
      axes: 0,
      legend: true,
    },
    {
      builder: 'convergence',
      figure: convergence([{ label: text, history }], { title: text, optimum: 1 }),
      axes: 0,
      legend: false,
    },
    {
      builder: 'sweep',
      figure: sweep([{ label: text, x: [0, 1], mean: [1, 2], lower: [0.5, 1.5], upper: [1.5, 2.5] }], {
        title: text,
        xTitle: text,
        yTitle: text,
      }),
      axes: 2,
      legend: false,
    },
    {
      builder: 'riskConvergence',
      figure: riskConvergence(
        { n: [10, 100], mean: [1, 1], lower: [0.5, 0.8], upper: [1.5, 1.2], trueRisk: 1 },
        { title: text, label: text, yTitle: text },
      ),
      axes: 1,
      legend: true,
    },
    {
      builder: 'calibrationCurve',
      figure: calibrationCurve([{ label: text, y: [0, 1, 1], p: [0.2, 0.7, 0.9] }], { title: text, bins: 2 }),
      axes: 0,
      legend: true,
    },
  ];
}

interface Sent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * Runs `work` as if in a tslab cell: a stand-in for the kernel's public module and its bundle
 * writer (found the way src/display/tslab.ts finds the real ones), recording what is sent.
 */
function inKernel(work: () => void): Sent[] {
  const sent: Sent[] = [];
  const dist = path.join(tmpdir(), 'losslab-stand-in-tslab', 'dist');
  const tslab = {
    display: {
      html: () => {
        throw new Error('the bundle writer should have been used');
      },
    },
  };
  const cache = require.cache as Record<string, unknown>;
  const host = globalThis as { __tslab__?: unknown } & Record<symbol, unknown>;
  const state = Symbol.for('losslab.display.state');
  cache[path.join(dist, 'index.js')] = { exports: tslab };
  cache[path.join(dist, 'jupyter.js')] = {
    exports: { lastWriteDisplayData: (message: Sent) => sent.push({ data: message.data, metadata: message.metadata }) },
  };
  host.__tslab__ = { require: (id: string) => (id === 'tslab' ? tslab : undefined) };
  delete host[state];
  try {
    work();
  } finally {
    delete cache[path.join(dist, 'index.js')];
    delete cache[path.join(dist, 'jupyter.js')];
    delete host.__tslab__;
    delete host[state];
  }
  return sent;
}

/** Script that ran, in any form this page could show it. */
interface Ran {
  pwned: unknown;
  dialogs: string[];
  suspicious: number;
}

async function whatRan(page: Page, dialogs: string[]): Promise<Ran> {
  const found = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    suspicious: document.querySelectorAll(
      'script:not([type]), [onerror], [onload], iframe, object, embed, svg a, a[href^="javascript:" i], body b, body i',
    ).length,
  }));
  return { ...found, dialogs };
}

const NOTHING_RAN: Ran = { pwned: undefined, dialogs: [], suspicious: 0 };

/** Texts plotly.js drew in each chart: title, axis titles, legend entries (zero-width spaces around sup/sub removed). */
function drawnTexts(page: Page): Promise<Array<{ title: string; axes: string[]; legend: string[]; bold: number }>> {
  // No named helpers inside: tsx would wrap them in a __name() the page lacks.
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.losslab-figure'), (chart) => {
      const [title, axes, legend] = ['.gtitle', '.xtitle, .ytitle', '.legendtext'].map((selector) =>
        Array.from(chart.querySelectorAll(selector), (n) => (n.textContent ?? '').replace(/\u200b/g, '')),
      );
      return {
        title: title!.join(''),
        axes: axes!,
        legend: legend!,
        bold: Array.from(chart.querySelectorAll('tspan'), (t) => t.getAttribute('style') ?? '').filter((s) =>
          s.includes('bold'),
        ).length,
      };
    }),
  );
}

describe('hostile text in every HTML output, in headless Chromium', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'losslab-injection-'));
  });
  after(async () => {
    await closeBrowser(browser);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `file` with a dialog recorder; scripts on or off. */
  async function open(file: string, scripts = true): Promise<{ page: Page; watch: PageWatch; dialogs: string[] }> {
    const context = await browser!.newContext({ javaScriptEnabled: scripts, viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const watch = await watchPage(page);
    // A page of a hundred charts draws them while it loads: allow a busy machine its time.
    await page.goto(pathToFileURL(file).href, { timeout: 180_000 });
    return { page, watch, dialogs };
  }

  /** Writes a page holding `body` and returns its path. */
  function page(name: string, body: string, head = ''): string {
    const file = path.join(dir, `${name}.html`);
    writeFileSync(
      file,
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${name}</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`,
    );
    return file;
  }

  it('a saveHTML page: every payload in the title, the axis titles and the legend shows as typed, and nothing runs', async () => {
    // One page holds them all (each page inlines 4.8 MB of plotly.js): escaping is per character.
    const title = PAYLOADS.join(' ¦ ');
    const fits = PAYLOADS.map((label, k) => ({ label, weights: [k / 10], intercept: 0 }));
    const fig = fitLines({ x: [0, 1, 2], y: [0, 1, 2] }, fits, { title, xTitle: PAYLOADS[0], yTitle: PAYLOADS[2] });
    const file = path.join(dir, 'page.html');
    saveHTML(fig, file);
    const { page: p, watch, dialogs } = await open(file);
    expect(await waitForCharts(p, 1, 60_000)).to.equal(1);
    expect(await whatRan(p, dialogs)).to.deep.equal(NOTHING_RAN);
    expect(watch.errors).to.deep.equal([]);
    // The page title is one line, like the summary: a run of white space (U+2028 too) is one space.
    expect(await p.title()).to.equal(title.replace(/\s+/g, ' '));
    const [drawn] = await drawnTexts(p);
    expect(drawn!.title).to.equal(title);
    expect(drawn!.axes).to.deep.equal([PAYLOADS[0], PAYLOADS[2]]);
    for (const label of PAYLOADS) expect(drawn!.legend, label).to.include(label);
    expect(drawn!.bold).to.equal(0);
    await p.context().close();
  });

  it('the bundles show() sends, for every builder and text option: drawn as typed, nothing runs', async () => {
    const charts = PAYLOADS.flatMap((payload) => figuresWith(payload).map((entry) => ({ ...entry, payload })));
    const sent = inKernel(() => {
      for (const { figure } of charts) show(figure);
    });
    // plotly.js first, then one bundle per chart.
    expect(sent).to.have.length(charts.length + 1);
    const html = sent.map((s) => s.data['text/html'] as string);
    expect(html[0]).to.equal(plotlyLoaderHTML());
    charts.forEach((c, i) => {
      expect(sent[i + 1]!.data['text/plain'], c.builder).to.equal(describeFigure(c.figure));
    });
    // The notebook keeps each output's HTML in order; the library output comes first.
    const { page: p, watch, dialogs } = await open(page('show-bundles', html.join('\n')));
    expect(await waitForCharts(p, charts.length, 120_000)).to.equal(charts.length);
    expect(await whatRan(p, dialogs)).to.deep.equal(NOTHING_RAN);
    expect(watch.errors).to.deep.equal([]);
    const drawn = await drawnTexts(p);
    charts.forEach((c, i) => {
      const what = `${c.builder} with ${JSON.stringify(c.payload)}`;
      expect(drawn[i]!.title, what).to.equal(c.payload);
      expect(
        drawn[i]!.axes.filter((t) => t === c.payload),
        what,
      ).to.have.length(c.axes);
      if (c.legend)
        expect(
          drawn[i]!.legend.some((t) => t === c.payload || t.startsWith(`${c.payload} (`)),
          what,
        ).to.equal(true);
      expect(drawn[i]!.bold, what).to.equal(0);
    });
    await p.context().close();
  });

  it('progress outputs with a payload in the label and the detail: shown as typed, kept from MathJax, nothing runs', async () => {
    const sent = inKernel(() => {
      for (const payload of PAYLOADS) progress(payload).update(1, 2, payload);
    });
    expect(sent).to.have.length(PAYLOADS.length);
    const {
      page: p,
      watch,
      dialogs,
    } = await open(page('progress', sent.map((s) => s.data['text/html'] as string).join('\n')));
    expect(await whatRan(p, dialogs)).to.deep.equal(NOTHING_RAN);
    expect(watch.errors).to.deep.equal([]);
    const shown = await p.evaluate(() =>
      Array.from(document.querySelectorAll('.losslab-progress'), (bar) => ({
        text: bar.querySelector('span')?.textContent ?? '',
        ignored: bar.classList.contains('tex2jax_ignore') && bar.classList.contains('mathjax_ignore'),
        value: bar.querySelector('progress')?.getAttribute('value'),
      })),
    );
    expect(shown).to.deep.equal(
      PAYLOADS.map((payload) => ({ text: `${payload}: 1/2 (50%), now: ${payload}`, ignored: true, value: '1' })),
    );
    await p.context().close();
  });

  it("with scripts off, the fallback text and the picture's alt text show the summary as typed", async () => {
    const figures = PAYLOADS.map((payload) => lossCurves([losses.hinge], { title: payload, points: 11 }));
    const body = figures
      .flatMap((fig, k) => [
        mimeBundle(fig, { id: `text-${k}` })['text/html'],
        mimeBundle(fig, { id: `picture-${k}`, png: ONE_PIXEL_PNG })['text/html'],
      ])
      .join('\n');
    const { page: p, dialogs } = await open(page('fallbacks', body), false);
    const shown = await p.evaluate(() =>
      Array.from(document.querySelectorAll('.losslab-fallback'), (f) => ({
        text: f.textContent ?? '',
        alt: f.querySelector('img')?.getAttribute('alt') ?? null,
      })),
    );
    expect(shown).to.have.length(2 * figures.length);
    figures.forEach((fig, k) => {
      const summary = describeFigure(fig);
      // The summary is one line: any run of white space in it (U+2028 included) is one space.
      expect(summary, PAYLOADS[k]).to.include(JSON.stringify(PAYLOADS[k]!.replace(/\s+/g, ' ')));
      expect(shown[2 * k]!.text.startsWith(summary), PAYLOADS[k]).to.equal(true);
      expect(shown[2 * k + 1]!.alt, PAYLOADS[k]).to.equal(summary);
    });
    expect(dialogs).to.deep.equal([]);
    expect(
      await p.evaluate(
        () => document.querySelectorAll('script:not([type]), [onerror], [onload], iframe, body b, body i').length,
      ),
    ).to.equal(0);
    await p.context().close();
  });

  it("MathJax on the page (as in classic Notebook) leaves $…$ in a chart's fallback alone, and typesets it elsewhere", async function () {
    if (!existsSync(MATHJAX)) this.skip();
    const fig = lossCurves([losses.hinge], { title: 'cost $x^2$ in $', points: 11 });
    const head = [
      '<script type="text/x-mathjax-config">MathJax.Hub.Config({ tex2jax: { inlineMath: [["$", "$"]], processEscapes: true }, messageStyle: "none" });',
      'MathJax.Hub.Queue(function () { window.typeset = true; });</script>',
      `<script type="text/javascript" src="${pathToFileURL(MATHJAX).href}?config=TeX-AMS_HTML"></script>`,
    ].join('\n');
    // No plotly.js here: the chart waits in the queue and its fallback stays on the page.
    const body = `<p id="control">control: $x^2$</p>\n${mimeBundle(fig, { id: 'chart' })['text/html']}`;
    const { page: p } = await open(page('mathjax', body, head));
    await p.waitForFunction(() => (window as unknown as { typeset?: boolean }).typeset === true, undefined, {
      timeout: 60_000,
    });
    const counts = await p.evaluate(() => ({
      control: document.querySelectorAll('#control script[type^="math/tex"]').length,
      chart: document.querySelectorAll('.losslab-figure script[type^="math/tex"], .losslab-figure .MathJax').length,
      text: document.querySelector('.losslab-fallback')?.textContent ?? '',
    }));
    expect(counts.control, 'MathJax did not typeset the control, so the check below proves nothing').to.equal(1);
    expect(counts.chart).to.equal(0);
    expect(counts.text.startsWith(describeFigure(fig))).to.equal(true);
    await p.context().close();
  });

  it("a figure's own Plotly markup: the page title and summary say what plotly.js draws", async () => {
    const titles = [
      'A <b>bold</b> <i>move</i><br>next <BR> line',
      '&amp; &amp;lt;b&amp;gt; &#36;&#x7B; &#X41; &nbsp;x &bogus; &#1114112;',
      '<script>alert(1)</script> <br/> <em>em</em>',
      '<a href="https://example.org">link</a> <span style="color:red">red</span> <sup>2</sup><sub>i</sub>',
      'x<2 & y>3 <> < b >',
      '<b x\u2028y>z</b> <s>s</s><u>u</u>',
      ...PAYLOADS,
    ];
    const figures = titles.map(
      (text): Figure => ({ data: [{ type: 'scatter', x: [0, 1], y: [0, 1] }], layout: { title: { text } } }),
    );
    const { page: p, dialogs } = await open(
      page(
        'markup',
        `${figures.map((fig, k) => mimeBundle(fig, { id: `m-${k}` })['text/html']).join('\n')}\n${plotlyLoaderHTML()}`,
      ),
    );
    expect(await waitForCharts(p, figures.length, 60_000)).to.equal(figures.length);
    // Plotly draws a <br> as a new line; the summary puts a space there.
    const drawn = await p.evaluate(() =>
      Array.from(document.querySelectorAll('.gtitle'), (t) => {
        const lines = t.querySelectorAll('tspan.line');
        const parts = lines.length > 0 ? Array.from(lines, (l) => l.textContent ?? '') : [t.textContent ?? ''];
        return parts
          .join(' ')
          .replace(/\u200b/g, '')
          .replace(/\s+/g, ' ')
          .trim();
      }),
    );
    figures.forEach((fig, k) => {
      expect(describeFigure(fig), titles[k]).to.equal(`Plotly chart ${JSON.stringify(drawn[k])}: 1 trace (scatter)`);
    });
    expect(dialogs).to.deep.equal([]);
    expect(await p.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).to.equal(undefined);
    await p.context().close();
    for (const fig of figures.slice(0, 3)) {
      const file = path.join(dir, 'raw-title.html');
      writeFileSync(file, toHTML(fig));
      const { page: q } = await open(file, false);
      expect(`Plotly chart ${JSON.stringify(await q.title())}: 1 trace (scatter)`).to.equal(describeFigure(fig));
      await q.context().close();
    }
  });

  it('cards (a loss made with defineLoss, its fit, a card of texts) with a payload in every text: shown as typed, nothing runs, MathJax sees only safe formulas', async function () {
    if (!existsSync(MATHJAX)) this.skip();
    const one = (text: string): string => text.replace(/\s+/g, ' ').trim();
    const cards = PAYLOADS.map((payload, k) => {
      const loss = defineLoss({
        id: payload,
        name: payload,
        task: 'regression',
        target: 'real',
        prediction: 'real',
        value: (y, f) => (y - f) ** 2,
        derivative: (y, f) => 2 * (f - y),
        secondDerivative: () => 2,
        expression: payload,
        latex: payload,
        properties: { ...losses.l2.properties, minimizer: payload },
        params: { [payload]: k },
      });
      const fit = fitLinear([[0], [1], [2]], [0, 1, 2], { loss });
      const card: Card = {
        title: payload,
        subtitle: payload,
        summary: payload,
        math: payload,
        note: payload,
        fields: [[payload, payload]],
        table: { columns: [payload], rows: [[payload]], caption: payload },
      };
      // The loss and the fit go the way a cell's last value goes; the card through showCard.
      return {
        payload,
        solver: fit.solver,
        sent: inCell(() => {
          printLastValue(loss);
          printLastValue(fit);
          showCard(card);
        }).sent,
      };
    });
    const html = cards.flatMap((c) => c.sent.map((s) => s.data['text/html'] as string));
    const head = [
      '<script type="text/x-mathjax-config">MathJax.Hub.Config({ tex2jax: { inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true }, messageStyle: "none" });',
      'MathJax.Hub.Queue(function () { window.typeset = true; });</script>',
      `<script type="text/javascript" src="${pathToFileURL(MATHJAX).href}?config=TeX-AMS_HTML"></script>`,
    ].join('\n');
    const { page: p, watch, dialogs } = await open(page('cards', html.join('\n'), head));
    await p.waitForFunction(() => (window as unknown as { typeset?: boolean }).typeset === true, undefined, {
      timeout: 60_000,
    });
    // Each loss card has its chart; the first output of the first cell is plotly.js itself.
    expect(html[0]).to.equal(plotlyLoaderHTML());
    expect(await waitForCharts(p, PAYLOADS.length, 120_000)).to.equal(PAYLOADS.length);
    expect(await whatRan(p, dialogs)).to.deep.equal(NOTHING_RAN);
    expect(watch.errors).to.deep.equal([]);
    const shown = await p.evaluate(() =>
      Array.from(document.querySelectorAll('.losslab-card'), (card) => ({
        title: card.querySelector('.losslab-card-title')?.firstChild?.textContent ?? '',
        subtitle: card.querySelector('.losslab-card-subtitle')?.textContent ?? '',
        cells: Array.from(card.querySelectorAll('th, td'), (c) => c.textContent ?? ''),
        note: card.querySelector('.losslab-card-note')?.textContent ?? '',
        code: card.querySelector('.losslab-card-math code')?.textContent ?? null,
        typeset: card.querySelectorAll('.losslab-card-math script[type^="math/tex"]').length,
        links: card.querySelectorAll('a').length,
      })),
    );
    expect(
      await p.evaluate(
        () =>
          document.querySelectorAll('script[type^="math/tex"]').length -
          document.querySelectorAll('.losslab-card-math script[type^="math/tex"]').length,
      ),
    ).to.equal(0);
    expect(shown).to.have.length(3 * PAYLOADS.length);
    cards.forEach(({ payload }, k) => {
      const [loss, fit, card] = shown.slice(3 * k, 3 * k + 3);
      const text = one(payload);
      const unsafe = /\$|\\href/.test(payload);
      expect(loss!.title, payload).to.equal(`${text} `);
      expect(loss!.subtitle, payload).to.equal(`${text} · regression loss`);
      expect(loss!.cells, payload).to.include.members([payload, `${payload} = ${k}`]);
      expect(fit!.subtitle, payload).to.equal(`${text} · solver ${cards[k]!.solver}`);
      expect(card!.title, payload).to.equal(`${text} `);
      expect(card!.cells, payload).to.deep.equal([payload, payload, payload, payload]);
      expect(card!.note, payload).to.equal(payload);
      for (const c of [loss!, card!]) {
        expect(c.code, payload).to.equal(unsafe ? text : null);
        expect(c.typeset, payload).to.equal(unsafe ? 0 : 1);
        expect(c.links, payload).to.equal(0);
      }
    });
    await p.context().close();

    // Where HTML is not shown, the Markdown alternative: through nbconvert, every text as typed.
    const outputs: NotebookOutput[] = cards.flatMap((c) =>
      c.sent
        .filter((s) => s.data['text/markdown'] !== undefined)
        .map((s) => ({
          output_type: 'display_data',
          data: { 'text/markdown': s.data['text/markdown'], 'text/plain': s.data['text/plain'] },
          metadata: {},
        })),
    );
    const notebook: Notebook = {
      cells: [
        {
          cell_type: 'code',
          id: 'cards',
          source: '',
          outputs,
          execution_count: 1,
          metadata: {},
        } as Notebook['cells'][number],
      ],
      metadata: {
        kernelspec: { name: 'tslab-losslab', display_name: 'TypeScript (losslab)', language: 'typescript' },
        language_info: { name: 'typescript' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const scratch = scratchDir('card-markdown');
    writeFileSync(path.join(scratch, 'cards.ipynb'), JSON.stringify(notebook));
    await exportHTML(path.join(scratch, 'cards.ipynb'), path.join(scratch, 'cards.html'), 'lab');
    const { page: q, dialogs: qDialogs } = await open(path.join(scratch, 'cards.html'));
    const seen = await q.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      injected: document.querySelectorAll(
        '.jp-OutputArea img, [onerror], [onload], iframe, a[href^="javascript:" i], .jp-OutputArea b, .jp-OutputArea i',
      ).length,
      cells: Array.from(document.querySelectorAll('.jp-OutputArea td, .jp-OutputArea th'), (c) => c.textContent ?? ''),
    }));
    expect(seen.pwned).to.equal(undefined);
    expect(qDialogs).to.deep.equal([]);
    expect(seen.injected).to.equal(0);
    // The loss card's minimiser; the card's field label, field value, column title and cell.
    // A `$` is written `\$`, which MathJax (absent here) shows as `$`: such payloads are checked above for not running.
    for (const payload of PAYLOADS.filter((text) => !text.includes('$')))
      expect(
        seen.cells.filter((c) => c === one(payload)),
        payload,
      ).to.have.length(5);
    await q.context().close();
  });

  it('ids, heights and pictures cannot carry text: every door refuses a payload with LossInputError', () => {
    const fig = lossCurves([losses.hinge], { points: 11 });
    const doors: Array<[string, (opts: Record<string, unknown>) => unknown]> = [
      ['toHTML', (o) => toHTML(fig, o)],
      ['saveHTML', (o) => saveHTML(fig, path.join(dir, 'refused.html'), o)],
      ['mimeBundle', (o) => mimeBundle(fig, o)],
      ['show', (o) => inKernel(() => show(fig, o))],
    ];
    for (const [door, call] of doors) {
      for (const option of ['id', 'height', 'png']) {
        for (const payload of PAYLOADS) {
          let error: unknown;
          try {
            call({ [option]: payload });
          } catch (e) {
            error = e;
          }
          expect(error, `${door} ${option} ${payload}`).to.be.instanceOf(LossInputError);
          expect((error as LossInputError).argument, `${door} ${option} ${payload}`).to.equal(option);
        }
      }
    }
  });

  it("Markdown outputs (showMarkdown, markdownTable, showMath) and chart outputs in nbconvert's HTML: nothing runs, text as typed", async () => {
    const sent = inKernel(() => {
      for (const payload of PAYLOADS) {
        showMarkdown(`Text: ${payload}`);
        showMarkdown(markdownTable(['column', payload], [[payload, 1]]));
        showMath(`x$$ ${payload} $$y`);
        show(fitLines({ x: [0, 1], y: [0, 1] }, [{ label: payload, weights: [1], intercept: 0 }], { title: payload }));
      }
    });
    const outputs: NotebookOutput[] = sent.map((s) => ({
      output_type: 'display_data',
      data: s.data,
      metadata: s.metadata,
    }));
    const notebook: Notebook = {
      cells: [
        {
          cell_type: 'code',
          id: 'outputs',
          source: '',
          outputs,
          execution_count: 1,
          metadata: {},
        } as Notebook['cells'][number],
      ],
      metadata: {
        kernelspec: { name: 'tslab-losslab', display_name: 'TypeScript (losslab)', language: 'typescript' },
        language_info: { name: 'typescript' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const scratch = scratchDir('injection');
    const source = path.join(scratch, 'outputs.ipynb');
    writeFileSync(source, JSON.stringify(notebook));
    for (const template of ['lab', 'classic'] as const) {
      const file = path.join(scratch, `outputs-${template}.html`);
      await exportHTML(source, file, template);
      const { page: p, dialogs } = await open(file);
      expect(await waitForCharts(p, PAYLOADS.length, 120_000), template).to.equal(PAYLOADS.length);
      const seen = await p.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        injected: document.querySelectorAll(
          '.output_area img, .jp-OutputArea img, [onerror], [onload], iframe, a[href^="javascript:" i], .output_area b, .jp-OutputArea b',
        ).length,
        // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees, not the text of scripts
        text: document.body.innerText,
        cells: Array.from(document.querySelectorAll('td, th'), (c) => c.textContent ?? ''),
      }));
      expect(seen.pwned, template).to.equal(undefined);
      expect(dialogs, template).to.deep.equal([]);
      expect(seen.injected, template).to.equal(0);
      for (const payload of PAYLOADS.filter((text) => !/[$&\\]/.test(text))) {
        // Markdown reads $ as math, & as an entity and \ as an escape: those payloads are checked above for not running.
        expect(seen.text, `${template}: ${payload}`).to.include(`Text: ${payload}`);
        expect(
          seen.cells.filter((c) => c === payload),
          `${template}: ${payload}`,
        ).to.have.length(2);
      }
      const titles = await drawnTexts(p);
      expect(
        titles.map((t) => t.title),
        template,
      ).to.deep.equal([...PAYLOADS]);
      await p.context().close();
    }
  });
});
