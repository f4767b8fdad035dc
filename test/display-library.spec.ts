/**
 * Charts survive re-runs (issue #10): whatever a person does to a notebook (runs cells in any
 * order, re-runs them, restarts the kernel, clears a cell), every cell whose outputs hold a
 * chart also holds plotly.js ahead of it, so a saved notebook draws all its charts when it is
 * reopened, whichever outputs remain. Played out on the stand-in kernel (fast, many sequences),
 * then one page made of such outputs drawn in Chromium.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { plotlyLibrary, plotlyLoaderHTML, plotlyLoaderScript } from '../src/display/plotlyjs';
import { huber, init, lossCurves, losses, show } from '../src/index';
import { closeBrowser, launchBrowser, waitForCharts, watchPage } from './helpers/browser';
import { inCell, printLastValue, type Sent, type StandInKernel } from './helpers/kernel-stand-in';
import { scratchDir } from './helpers/notebook';

const isLibrary = (s: Sent): boolean => s.data['text/html'] === plotlyLoaderHTML();
const isChart = (s: Sent): boolean =>
  typeof s.data['text/html'] === 'string' && s.data['text/html'].includes('class="losslab-figure');

/** What each cell of the imagined notebook does when it runs. */
const CELLS: Array<{ name: string; run(): void; charts: number }> = [
  { name: 'imports only', run: () => undefined, charts: 0 },
  { name: 'one show()', run: () => show(lossCurves([losses.hinge])), charts: 1 },
  {
    name: 'two show() calls',
    run: () => {
      show(lossCurves([losses.l1]));
      show(lossCurves([losses.l2]));
    },
    charts: 2,
  },
  {
    name: 'init() then show()',
    run: () => {
      init();
      show(lossCurves([losses.logistic]), { height: 300 });
    },
    charts: 1,
  },
  { name: 'a figure as the last value', run: () => printLastValue(lossCurves([huber(0.5)])), charts: 1 },
  { name: 'a loss card (with its chart) as the last value', run: () => printLastValue(losses.squaredHinge), charts: 1 },
  { name: 'text only', run: () => console.log('no chart here'), charts: 0 },
];

type Step = { op: 'run'; cell: number } | { op: 'restart' } | { op: 'clear'; cell: number };

/** Plays `steps` as a front end would: a cell's outputs are replaced by its latest run. */
function play(steps: Step[]): Sent[][] {
  const outputs: Sent[][] = CELLS.map(() => []);
  let kernel: StandInKernel = {};
  for (const step of steps) {
    if (step.op === 'restart') kernel = {};
    else if (step.op === 'clear') outputs[step.cell] = [];
    else outputs[step.cell] = inCell(CELLS[step.cell].run, { kernel }).sent;
  }
  return outputs;
}

/** Cells holding a chart with no plotly.js output before their first chart. */
function cellsWithoutLibrary(outputs: Sent[][]): string[] {
  return outputs.flatMap((sent, k) => {
    const firstChart = sent.findIndex(isChart);
    return firstChart >= 0 && !sent.slice(0, firstChart).some(isLibrary) ? [CELLS[k].name] : [];
  });
}

describe('plotly.js travels with every cell execution that draws a chart', () => {
  it("the reporter's sequence: run all, re-run the first chart cell; every chart cell still carries plotly.js", () => {
    const outputs = play([...CELLS.map((_, cell) => ({ op: 'run' as const, cell })), { op: 'run', cell: 1 }]);
    expect(cellsWithoutLibrary(outputs)).to.deep.equal([]);
    expect(outputs.flat().filter(isChart)).to.have.length(CELLS.reduce((n, c) => n + c.charts, 0));
  });

  it("any sequence of runs, re-runs, restarts and cleared cells leaves plotly.js ahead of every cell's charts", () => {
    const step = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.integer({ min: 0, max: CELLS.length - 1 }).map((cell): Step => ({ op: 'run', cell })),
      },
      { weight: 1, arbitrary: fc.constant<Step>({ op: 'restart' }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 0, max: CELLS.length - 1 }).map((cell): Step => ({ op: 'clear', cell })),
      },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        expect(cellsWithoutLibrary(play(steps))).to.deep.equal([]);
      }),
      { numRuns: 100 },
    );
  });

  it('one copy per cell execution: a cell with several charts, or init() before its chart, carries one', () => {
    const kernel: StandInKernel = {};
    for (const cell of CELLS) {
      const sent = inCell(cell.run, { kernel }).sent;
      expect(sent.filter(isLibrary), cell.name).to.have.length(cell.charts > 0 ? 1 : 0);
    }
    // init({ force: true }) is still honoured: a second copy in the same cell.
    expect(
      inCell(
        () => {
          init();
          init({ force: true });
        },
        { kernel },
      ).sent.filter(isLibrary),
    ).to.have.length(2);
  });

  it('the library output unpacks to exactly the script the site serves (plotly.js from plotly.js-dist-min, verbatim)', () => {
    const html = plotlyLoaderHTML();
    const packed = /"([A-Za-z0-9+/=]{1000,})"/.exec(html)?.[1];
    expect(packed, 'a base64 payload').to.be.a('string');
    expect(gunzipSync(Buffer.from(packed!, 'base64')).toString('utf8')).to.equal(plotlyLoaderScript());
    expect(plotlyLoaderScript()).to.include(plotlyLibrary().source);
    // The point of packing: well under half the library's size in every chart cell.
    expect(html.length).to.be.below(plotlyLibrary().source.length * 0.45);
  });
});

describe('a reopened notebook after re-runs draws every chart (outputs as a page, in Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => closeBrowser(browser));

  it('run all, re-run the first chart cell, then clear the last chart cell: the remaining charts draw', async () => {
    const outputs = play([
      ...CELLS.map((_, cell) => ({ op: 'run' as const, cell })),
      { op: 'run', cell: 1 },
      { op: 'clear', cell: 5 },
    ]);
    const expected = outputs.flat().filter(isChart).length;
    expect(expected).to.equal(CELLS.reduce((n, c) => n + c.charts, 0) - CELLS[5].charts);
    const dir = scratchDir('rerun-page');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'reopened.html');
    const body = outputs
      .map(
        (sent) =>
          `<div class="cell">${sent.map((s) => `<div class="output">${String(s.data['text/html'] ?? '')}</div>`).join('\n')}</div>`,
      )
      .join('\n');
    writeFileSync(file, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
    const page = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
    const watch = await watchPage(page);
    await page.goto(pathToFileURL(file).href);
    expect(await waitForCharts(page, expected, 60_000)).to.equal(expected);
    expect(watch.errors).to.deep.equal([]);
    // Six copies on the page, unpacked once.
    expect(await page.evaluate(() => document.querySelectorAll('head > script').length)).to.equal(1);
    await page.close();
  });
});
