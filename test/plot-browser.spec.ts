/**
 * Every figure the builders make, checked by plotly.js itself in headless Chromium: the
 * schema validator finds no errors, `Plotly.newPlot` draws without throwing, and hostile
 * labels come out on screen exactly as typed (no markup, template, entity or TeX).
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { closeBrowser, launchBrowser, VALIDATE_EACH_POSITION } from './helpers/browser';
import { gallery, HOSTILE, type GalleryEntry } from './helpers/plot-gallery';

const PLOTLY = require.resolve('plotly.js-dist-min/plotly.min.js');

interface PlotlyApi {
  newPlot(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<HTMLElement>;
  purge(el: HTMLElement): void;
  Fx: { hover(el: HTMLElement, points: Array<{ curveNumber: number; pointNumber: number }>, subplot?: string): void };
}

/** The figure as the page receives it: through JSON, as a notebook output carries it. */
interface WireFigure {
  data: unknown[];
  layout: unknown;
  config?: unknown;
}
const toWire = (entry: GalleryEntry): WireFigure => JSON.parse(JSON.stringify(entry.figure)) as WireFigure;

describe('plot figures in headless Chromium (plotly.js)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const entries: GalleryEntry[] = gallery();

  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.addScriptTag({ path: PLOTLY });
  });
  after(() => closeBrowser(browser));

  it(`passes Plotly.validate with no errors (${entries.length} figures; a slider's at each position)`, async () => {
    const reports = (await page.evaluate(
      `${JSON.stringify(entries.map(toWire))}.map(function (f) { return ${VALIDATE_EACH_POSITION}(window.Plotly, f); })`,
    )) as string[][];
    const failures = reports.flatMap((errors, i) => errors.map((e) => `${entries[i].name}: ${e}`));
    expect(failures).to.deep.equal([]);
  });

  it('draws every figure with Plotly.newPlot, without exceptions', async () => {
    const drawn = await page.evaluate(async (figures) => {
      const Plotly = (window as unknown as { Plotly: PlotlyApi }).Plotly;
      const results: Array<{ svgs: number; error: string | null }> = [];
      for (const f of figures) {
        const el = document.createElement('div');
        el.style.width = '800px';
        document.body.appendChild(el);
        try {
          await Plotly.newPlot(el, f.data, f.layout, f.config);
          results.push({ svgs: el.querySelectorAll('.main-svg').length, error: null });
        } catch (e) {
          results.push({ svgs: 0, error: String(e) });
        }
        Plotly.purge(el);
        el.remove();
      }
      return results;
    }, entries.map(toWire));
    const problems = drawn.flatMap((r, i) =>
      r.error !== null || r.svgs === 0 ? [`${entries[i].name}: ${r.error ?? 'no .main-svg'}`] : [],
    );
    expect(problems).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  it('shows hostile titles, axis titles, legend names and hover text literally', async () => {
    const names = [
      'lossCurves hostile title',
      'fitLines with outliers',
      'decisionBoundaries ±1',
      'convergence gap',
      'sweep with bands',
      'riskConvergence',
      'calibrationCurve',
      'riskSurface contour with path',
    ];
    const figures = names.map((name) => {
      const entry = entries.find((e) => e.name === name);
      if (entry === undefined) throw new Error(`no gallery entry ${name}`);
      return toWire(entry);
    });
    const seen = await page.evaluate(async (figs) => {
      const Plotly = (window as unknown as { Plotly: PlotlyApi }).Plotly;
      const out: Array<{
        title: string;
        axes: string[];
        legend: string[];
        hover: string;
        anchors: number;
        bold: number;
      }> = [];
      for (const f of figs) {
        const el = document.createElement('div');
        el.style.width = '800px';
        document.body.appendChild(el);
        await Plotly.newPlot(el, f.data, f.layout, f.config);
        // Hover the last trace's first point: its legend name appears in the hover box.
        const last = f.data.length - 1;
        const trace = f.data[last] as { xaxis?: string; yaxis?: string };
        Plotly.Fx.hover(el, [{ curveNumber: last, pointNumber: 0 }], `${trace.xaxis ?? 'x'}${trace.yaxis ?? 'y'}`);
        // No named helper functions in here: tsx would wrap them in a __name() the page lacks.
        const texts = ['.gtitle', '.xtitle, .ytitle', '.legendtext', '.hoverlayer text'].map((sel) =>
          Array.from(el.querySelectorAll(sel), (n) => n.textContent ?? ''),
        );
        out.push({
          title: texts[0].join(''),
          axes: texts[1],
          legend: texts[2],
          hover: texts[3].join(' | '),
          anchors: el.querySelectorAll('svg a').length,
          bold: Array.from(el.querySelectorAll('tspan'), (t) => t.getAttribute('style') ?? '').filter((s) =>
            s.includes('bold'),
          ).length,
        });
        Plotly.purge(el);
        el.remove();
      }
      return out;
    }, figures);
    seen.forEach((s, i) => {
      expect(s.title, names[i]).to.equal(HOSTILE);
      expect(s.anchors, names[i]).to.equal(0);
      expect(s.bold, names[i]).to.equal(0);
    });
    const [curves, fits, boundaries, conv, sweeps, riskConv, calibration, surface] = seen;
    expect(curves.legend).to.include('Hinge loss');
    expect(fits.axes).to.include(HOSTILE);
    expect(fits.legend).to.include(HOSTILE);
    expect(fits.hover).to.include(HOSTILE);
    expect(boundaries.legend).to.include(`${HOSTILE} (w = 0: no boundary)`);
    expect(conv.legend).to.include(`${HOSTILE} (non-finite from iteration 2)`);
    expect(conv.hover).to.include(HOSTILE);
    expect(sweeps.axes).to.include(HOSTILE);
    expect(sweeps.legend).to.include(HOSTILE);
    expect(riskConv.axes).to.include(HOSTILE);
    expect(calibration.legend.some((t) => t.startsWith(`${HOSTILE} (ECE = `))).to.equal(true);
    expect(surface.legend).to.include(HOSTILE);
  });
});
