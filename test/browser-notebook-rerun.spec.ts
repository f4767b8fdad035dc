/**
 * The reporter's scenario of issue #10 in a live classic Notebook 6 server, driven in headless
 * Chromium through the Notebook's own page API: run every cell, re-run the first chart cell,
 * save, reopen (0 of the charts drew before plotly.js travelled with every cell execution);
 * then restart the kernel, run one later cell alone, save and reopen again. Nothing calls
 * init({ force: true }).
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { plotlyLoaderHTML } from '../src/display/plotlyjs';
import { closeBrowser, drawnCharts, launchBrowser, waitForCharts, watchPage } from './helpers/browser';
import { FIXTURE, fixtureShowCalls } from './helpers/displayFixture';
import { turnSliders } from './frontends/pages';
import { jupyterEnv, scratchDir, startNotebookServer, type Notebook, type NotebookServer } from './helpers/notebook';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface NotebookPage {
  Jupyter: {
    notebook: {
      trusted: boolean | null;
      kernel: { is_connected(): boolean; restart(): void } | null;
      get_cells(): Array<{
        cell_type: string;
        input_prompt_number?: number | string | null;
        metadata: Record<string, unknown>;
        output_area?: { outputs: Array<{ data?: Record<string, unknown> }> };
        get_text(): string;
      }>;
      execute_cells(indices: number[]): void;
      execute_all_cells(): void;
      save_notebook(): Promise<unknown>;
    };
  };
}

/** Opens the notebook and waits until its kernel is connected. */
async function open(page: Page, server: NotebookServer, file: string): Promise<void> {
  await page.goto(`${server.origin}/notebooks/${file}?token=${server.token}`);
  await page.waitForFunction(
    () => (window as unknown as NotebookPage).Jupyter?.notebook?.kernel?.is_connected() === true,
    undefined,
    { timeout: 60_000, polling: 200 },
  );
}

/** Runs the code cells at `indices` (or all) and waits until each shows a new execution count. */
async function runCells(page: Page, indices: number[] | 'all'): Promise<void> {
  await page.evaluate((which) => {
    const nb = (window as unknown as NotebookPage).Jupyter.notebook;
    const cells = nb.get_cells();
    const targets = which === 'all' ? cells.map((_, i) => i).filter((i) => cells[i].cell_type === 'code') : which;
    for (const i of targets) cells[i].input_prompt_number = null;
    (window as unknown as { __targets: number[] }).__targets = targets;
    if (which === 'all') nb.execute_all_cells();
    else nb.execute_cells(targets);
  }, indices);
  // The execution count comes on the shell channel, outputs on IOPub: wait for both, that is
  // for every show() of each cell to have its chart output.
  await page.waitForFunction(
    () => {
      const cells = (window as unknown as NotebookPage).Jupyter.notebook.get_cells();
      return (window as unknown as { __targets: number[] }).__targets.every((i) => {
        const cell = cells[i];
        const shows = (cell.get_text().match(/\bshow\(/g) ?? []).length;
        const charts = (cell.output_area?.outputs ?? []).filter(
          (o) => o.data?.['application/vnd.plotly.v1+json'] !== undefined,
        ).length;
        return typeof cell.input_prompt_number === 'number' && charts === shows;
      });
    },
    undefined,
    { timeout: 90_000, polling: 200 },
  );
}

async function save(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as NotebookPage).Jupyter.notebook.save_notebook());
}

/** Index of the cell the fixture calls `id`. */
function cellIndex(page: Page, id: string): Promise<number> {
  return page.evaluate(
    (wanted) =>
      (window as unknown as NotebookPage).Jupyter.notebook
        .get_cells()
        .findIndex((c) => c.metadata.losslabTestId === wanted),
    id,
  );
}

describe('classic Notebook 6, live: charts survive re-runs, restarts, saves and reopening', function () {
  this.timeout(300_000);
  const charts = fixtureShowCalls();
  let browser: Browser | undefined;
  let server: NotebookServer | undefined;
  let root: string;
  const file = 'rerun.ipynb';

  before(async () => {
    root = scratchDir('rerun');
    // The fixture with each cell's id copied into its metadata, where the Notebook's page API can see it.
    const source = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Notebook;
    for (const cell of source.cells)
      (cell as { metadata?: Record<string, unknown> }).metadata = { losslabTestId: cell.id };
    writeFileSync(path.join(root, file), JSON.stringify(source));
    jupyterEnv();
    [server, browser] = await Promise.all([startNotebookServer(root, [file]), launchBrowser()]);
  });
  after(async () => {
    await server?.stop();
    await closeBrowser(browser);
  });

  /** The saved notebook: every cell with a chart holds plotly.js ahead of it. */
  function savedCellsWithoutLibrary(): string[] {
    const saved = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Notebook;
    return saved.cells.flatMap((cell) => {
      const outputs = cell.outputs ?? [];
      const html = (o: (typeof outputs)[number]) => [o.data?.['text/html'] ?? ''].flat().join('');
      const first = outputs.findIndex((o) => o.data?.[PLOTLY_MIME] !== undefined);
      return first >= 0 && !outputs.slice(0, first).some((o) => html(o) === plotlyLoaderHTML())
        ? [String(cell.id)]
        : [];
    });
  }

  it(`run all, re-run the first chart cell, save, reopen: ${charts} of ${charts} charts drawn, trusted`, async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const watch = await watchPage(page, [server!.origin]);
    await open(page, server!, file);
    await runCells(page, 'all');
    expect(await waitForCharts(page, charts, 60_000)).to.equal(charts);
    await runCells(page, [await cellIndex(page, 'first-chart')]);
    expect(await waitForCharts(page, charts, 30_000)).to.equal(charts);
    await save(page);

    await open(page, server!, file);
    expect(await page.evaluate(() => (window as unknown as NotebookPage).Jupyter.notebook.trusted)).to.equal(true);
    expect(await waitForCharts(page, charts, 60_000)).to.equal(charts);
    expect(savedCellsWithoutLibrary()).to.deep.equal([]);
    // The fixture's last chart has a slider: it turns in the reopened notebook.
    expect((await turnSliders(page)).map((t) => t.ok)).to.deep.equal([true]);
    expect(watch.offsite).to.deep.equal([]);
    expect(watch.errors.filter((e) => /losslab|plotly|Plotly/.test(e))).to.deep.equal([]);
    await page.close();
  });

  it('restart the kernel, run a later chart cell alone, save, reopen: every chart drawn', async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    await open(page, server!, file);
    await page.evaluate(() => (window as unknown as NotebookPage).Jupyter.notebook.kernel!.restart());
    await page.waitForTimeout(500);
    await page.waitForFunction(
      () => (window as unknown as NotebookPage).Jupyter.notebook.kernel?.is_connected() === true,
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    await runCells(page, [await cellIndex(page, 'imports')]);
    await runCells(page, [await cellIndex(page, 'two-charts')]);
    await save(page);
    expect(savedCellsWithoutLibrary()).to.deep.equal([]);
    await open(page, server!, file);
    expect(await waitForCharts(page, charts, 60_000)).to.equal(charts);
    console.log(
      `      Notebook 6 live, reopened after re-runs and a restart: ${await drawnCharts(page)}/${charts} charts drawn`,
    );
    await page.close();
  });
});
