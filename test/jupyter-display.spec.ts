import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { plotlyLoaderHTML, plotlyLoaderScript } from '../src/display/plotlyjs';
import { executedFixture, fixtureShowCalls, showCalls, sourceOf, type ExecutedFixture } from './helpers/displayFixture';
import {
  executeNotebook,
  REPO,
  scratchDir,
  type Execution,
  type Notebook,
  type NotebookOutput,
} from './helpers/notebook';
import type { CellRun, IOPubMessage, LabHarness } from './frontends/lab';
import { harnessPage, recordIOPub } from './frontends/pages';
import { closeBrowser, launchBrowser } from './helpers/browser';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const plotlyPackage = path.join(REPO, 'node_modules', 'plotly.js-dist-min');
const plotlyVersion = (
  JSON.parse(readFileSync(path.join(plotlyPackage, 'package.json'), 'utf8')) as { version: string }
).version;
const plotlySource = readFileSync(path.join(plotlyPackage, 'plotly.min.js'), 'utf8');
const library = plotlyLoaderHTML();

function outputsOf(run: ExecutedFixture['first']): NotebookOutput[] {
  return run.notebook.cells.flatMap((c) => c.outputs ?? []);
}

/** A text MIME entry of an output (nbformat may store it as a list of lines). */
function mimeText(output: NotebookOutput, mime: string): string {
  const value = output.data?.[mime];
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

const html = (output: NotebookOutput): string => mimeText(output, 'text/html');

const isLibrary = (output: NotebookOutput): boolean => html(output) === library;

describe('show() in a notebook executed by the real tslab kernel (nbclient)', function () {
  this.timeout(180_000);
  let fixture: ExecutedFixture;

  before(async () => {
    fixture = await executedFixture();
  });

  it('runs without error outputs or stderr', () => {
    const bad = outputsOf(fixture.first).filter(
      (o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'),
    );
    expect(bad).to.deep.equal([]);
  });

  it('gives each show() call exactly one display_data with the Plotly JSON, HTML and text', () => {
    const expected = fixtureShowCalls();
    expect(expected).to.equal(5);
    for (const cell of fixture.first.notebook.cells.filter((c) => c.cell_type === 'code')) {
      const charts = (cell.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined);
      expect(charts.length, `cell ${cell.id}`).to.equal(showCalls(sourceOf(cell)));
      for (const chart of charts) {
        expect(chart.output_type).to.equal('display_data');
        expect(Object.keys(chart.data ?? {}).sort()).to.deep.equal([PLOTLY_MIME, 'text/html', 'text/plain']);
      }
    }
  });

  it('stores each figure as given and the title as text', () => {
    const charts = outputsOf(fixture.first).filter((o) => o.data?.[PLOTLY_MIME] !== undefined);
    const injected = charts.find((o) => JSON.stringify(o.data?.[PLOTLY_MIME]).includes('injected'));
    expect(injected?.data?.[PLOTLY_MIME]).to.deep.equal({
      data: [{ type: 'scatter', mode: 'markers', name: 'points', x: [1, 2, 3], y: [3, 1, 2] }],
      layout: { title: { text: '</script><b>x</b><!-- injected' } },
    });
    // The summary says what Plotly draws: its <b> is formatting, the rest is shown as typed.
    expect(mimeText(injected!, 'text/plain')).to.equal('Plotly chart "</script>x<!-- injected": 1 trace (points)');
    // The title reaches the HTML only as escaped text: no tag can start inside the output.
    expect(html(injected!)).not.to.include('<b>');
    expect(html(injected!).match(/<\/script>/g)).to.have.length(1);
    const hinge = charts[0]!.data?.[PLOTLY_MIME] as { data: Array<{ x: number[]; y: number[] }> };
    expect(hinge.data[0]!.y).to.deep.equal(hinge.data[0]!.x.map((m) => Math.max(0, 1 - m)));
  });

  it('sends plotly.js once in every cell execution that draws, before its first chart, packed from plotly.js-dist-min verbatim', () => {
    for (const cell of fixture.first.notebook.cells.filter((c) => c.cell_type === 'code')) {
      const outputs = cell.outputs ?? [];
      const firstChart = outputs.findIndex((o) => o.data?.[PLOTLY_MIME] !== undefined);
      expect(outputs.filter(isLibrary).length, `cell ${cell.id}`).to.equal(firstChart >= 0 ? 1 : 0);
      if (firstChart >= 0) expect(outputs.findIndex(isLibrary), `cell ${cell.id}`).to.be.below(firstChart);
    }
    const packed = /"([A-Za-z0-9+/=]{1000,})"/.exec(library)![1];
    const unpacked = gunzipSync(Buffer.from(packed, 'base64')).toString('utf8');
    expect(unpacked).to.equal(plotlyLoaderScript());
    expect(unpacked).to.include(plotlySource);
    expect(unpacked).to.include(`plotly.js ${plotlyVersion}`);
  });

  it('references no CDN, no /node_modules path and no external script', () => {
    const text = JSON.stringify(fixture.first.notebook);
    expect(text).not.to.include('/node_modules');
    expect(text).not.to.match(/<script[^>]*\ssrc=/i);
    expect(text).not.to.match(/<link[^>]*\shref=/i);
    // plotly.js itself names map-tile and topojson servers, fetched only by geo and map traces;
    // everything else in the notebook must name no URL at all.
    const outside = JSON.stringify(
      fixture.first.notebook.cells.map((c) => (c.outputs ?? []).filter((o) => !isLibrary(o))),
    );
    expect(outside.match(/https?:\/\/[^\s"'\\]+/g) ?? []).to.deep.equal([]);
  });

  it('gives every chart a distinct id that its HTML uses', () => {
    const charts = outputsOf(fixture.first).filter((o) => o.data?.[PLOTLY_MIME] !== undefined);
    const ids = charts.map((o) => (o.metadata as { losslab: { id: string } }).losslab.id);
    expect(new Set(ids).size).to.equal(charts.length);
    charts.forEach((o, i) => {
      expect(html(o)).to.include(`id="${ids[i]}"`);
    });
  });

  it('gives identical outputs when executed again in a new kernel', () => {
    const outputs = (run: ExecutedFixture['first']) =>
      run.notebook.cells.map((c) => ({
        id: c.id,
        count: (c as { execution_count?: unknown }).execution_count,
        outputs: c.outputs,
      }));
    expect(outputs(fixture.second)).to.deep.equal(outputs(fixture.first));
  });

  it('saves a notebook of a few megabytes (one packed plotly.js per chart cell, charts small)', () => {
    const bytes = statSync(fixture.file).size;
    const chartCells = fixture.first.notebook.cells.filter((c) =>
      (c.outputs ?? []).some((o) => o.data?.[PLOTLY_MIME] !== undefined),
    ).length;
    expect(chartCells).to.equal(4);
    expect(bytes)
      .to.be.above(library.length * chartCells)
      .and.below(library.length * chartCells * 1.1);
    console.log(
      `      executed notebook: ${(bytes / 1e6).toFixed(2)} MB (${chartCells} chart cells, ${(library.length / 1e6).toFixed(2)} MB of packed plotly.js each); kernel runs took ${fixture.first.seconds.toFixed(1)} s and ${fixture.second.seconds.toFixed(1)} s`,
    );
  });

  it("falls back to one HTML output with a warning when tslab's bundle writer is out of reach, and recovers", () => {
    const [hidden, back] = fixture.fallback.notebook.cells
      .filter((c) => c.cell_type === 'code')
      .map((c) => c.outputs ?? []);
    const warnings = hidden!.filter((o) => o.output_type === 'stream');
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.name).to.equal('stderr');
    expect([warnings[0]!.text].flat().join('')).to.match(/could not reach tslab's bundle writer/);
    const displays = hidden!.filter((o) => o.output_type === 'display_data');
    expect(displays.map((o) => Object.keys(o.data ?? {}))).to.deep.equal([['text/html'], ['text/html']]);
    expect(isLibrary(displays[0]!)).to.equal(true);
    expect(html(displays[1]!)).to.include('hidden writer');
    // The next cell is another execution: its chart brings its own copy.
    expect(back!.map((o) => Object.keys(o.data ?? {}).sort())).to.deep.equal([
      ['text/html', 'text/plain'],
      [PLOTLY_MIME, 'text/html', 'text/plain'],
    ]);
    expect(isLibrary(back![0]!)).to.equal(true);
  });
});

describe('progress() in the real tslab kernel: one output replaced in place', function () {
  this.timeout(240_000);
  const FIXTURE = path.join(REPO, 'test', 'fixtures', 'progress.ipynb');
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Notebook;
  const codeIds = fixture.cells.filter((c) => c.cell_type === 'code').map((c) => c.id);
  /** A recorded message with the seconds after the execute request at which it arrived. */
  type Arrived = IOPubMessage & { at: number };
  let runs: Array<{ cell: number; messages: Arrived[] }>;
  let saved: [Execution, Execution];

  before(async () => {
    const dir = scratchDir('progress');
    const [recorded, first, second] = await Promise.all([
      recordIOPub(
        FIXTURE,
        fixture,
        codeIds.map((_, k) => k),
        dir,
      ),
      executeNotebook(FIXTURE, path.join(dir, 'progress-1.ipynb')),
      executeNotebook(FIXTURE, path.join(dir, 'progress-2.ipynb')),
    ]);
    runs = recorded.filter((r): r is CellRun => 'cell' in r) as typeof runs;
    saved = [first, second];
  });

  const messagesOf = (id: string): Arrived[] => runs.find((r) => r.cell === codeIds.indexOf(id))!.messages;
  const displayId = (m: IOPubMessage): unknown =>
    (m.content.transient as { display_id?: unknown } | undefined)?.display_id;
  const plain = (m: IOPubMessage): unknown => (m.content.data as Record<string, unknown>)['text/plain'];

  it('a synchronous loop: one display_data, then updates of its display id as the steps run, then the final state', () => {
    const messages = messagesOf('long');
    const displays = messages.filter((m) => m.msg_type !== 'stream');
    expect(displays.map((m) => m.msg_type)).to.deep.equal(['display_data', ...Array(4).fill('update_display_data')]);
    expect(new Set(displays.map(displayId)).size).to.equal(1);
    expect(displayId(displays[0]!)).to.match(/^losslab-progress-/);
    expect(displays.map(plain)).to.deep.equal([
      'Running the experiments: 0/4 (0%), now: one',
      'Running the experiments: 1/4 (25%), now: two',
      'Running the experiments: 2/4 (50%), now: three',
      'Running the experiments: 3/4 (75%), now: four',
      'Running the experiments: done (4/4)',
    ]);
    // Four steps of 0.4 s lie between the first message and the last: sent while the loop ran,
    // they arrive spread over 1.6 s; held back until the cell ended, they would arrive together.
    expect(displays.at(-1)!.at - displays[0]!.at).to.be.above(0.8);
    expect(messages.at(-1)!.msg_type).to.equal('stream');
  });

  it("a task finished in a later cell sends the update of the first cell's display id (applied by nbclient; JupyterLab applies a cell's own only)", () => {
    const [started] = messagesOf('started');
    const [finished] = messagesOf('finished');
    expect(started!.msg_type).to.equal('display_data');
    expect(finished!.msg_type).to.equal('update_display_data');
    expect(displayId(finished!)).to.equal(displayId(started!));
    expect(plain(finished!)).to.equal('Across cells: done (2/2)');
  });

  it("JupyterLab 4.6, fed the long cell's messages, shows one output replaced in place, ending at the final state", async () => {
    const browser = await launchBrowser();
    try {
      const { page, watch } = await harnessPage(browser, 'lab');
      // JupyterLab keeps display ids per cell (OutputArea's own map), so only the cell's own updates are its to apply.
      const long = runs.filter((r) => r.cell <= codeIds.indexOf('long'));
      const saved = (await page.evaluate(
        ({ cells, runs: r }) =>
          (window as unknown as { losslabLab: LabHarness }).losslabLab.session(
            document.getElementById('host')!,
            cells,
            r,
            { extension: false },
          ),
        { cells: long.length, runs: long },
      )) as unknown as NotebookOutput[][];
      const shown = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.losslab-progress'), (bar) => bar.textContent ?? ''),
      );
      expect(shown).to.deep.equal(['Running the experiments: done (4/4)']);
      expect(saved.map((outputs) => outputs.map((o) => o.output_type))).to.deep.equal([[], ['display_data', 'stream']]);
      expect(watch.errors).to.deep.equal([]);
    } finally {
      await closeBrowser(browser);
    }
  });

  it("the saved notebook keeps each output's final state, identical in two runs, with no display id", () => {
    const outputs = (run: Execution) => run.notebook.cells.map((c) => c.outputs ?? []);
    expect(JSON.stringify(outputs(saved[1]))).to.equal(JSON.stringify(outputs(saved[0])));
    const byId = new Map(saved[0].notebook.cells.map((c) => [c.id, c.outputs ?? []]));
    const shown = (id: string) =>
      byId.get(id)!.map((o) => (o.output_type === 'stream' ? [o.text].flat().join('') : mimeText(o, 'text/plain')));
    expect(shown('long')).to.deep.equal(['Running the experiments: done (4/4)', 'after the loop\n']);
    expect(shown('started')).to.deep.equal(['Across cells: done (2/2)']);
    expect(shown('finished')).to.deep.equal([]);
    expect(html(byId.get('long')![0]!)).to.include('<progress value="4" max="4"');
    expect(JSON.stringify(saved[0].notebook)).not.to.include('losslab-progress-');
  });
});
