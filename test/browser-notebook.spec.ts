/**
 * The executed display fixture in real front ends, in headless Chromium: nbconvert's HTML
 * (both templates load require.js), a classic Notebook 6 server, and pages with scripts off
 * (as GitHub and untrusted notebooks show them).
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { addStaticImages } from '../src/display/notebookImages';
import { closeBrowser, launchBrowser, waitForCharts, watchPage } from './helpers/browser';
import { executedFixture, fixtureShowCalls, type ExecutedFixture } from './helpers/displayFixture';
import { turnSliders } from './frontends/pages';
import {
  exportHTML,
  REPO,
  scratchDir,
  startNotebookServer,
  type Notebook,
  type NotebookServer,
} from './helpers/notebook';

const SCREENSHOTS = path.join(REPO, 'build', 'screenshots');
const DOCS_SCREENSHOT = path.join(REPO, 'docs', 'chart.png');

/**
 * Screenshot of the first chart, under build/screenshots/; the Notebook 6 one also becomes
 * docs/chart.png when that is missing or LOSSLAB_UPDATE_SCREENSHOT=1 (nbconvert's pages show
 * MathJax's loading banner over the corner).
 */
async function screenshotFirstChart(page: Page, name: string, docs = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const image = await page.locator('.losslab-figure').first().screenshot();
  writeFileSync(path.join(SCREENSHOTS, `${name}.png`), image);
  if (docs && (!existsSync(DOCS_SCREENSHOT) || process.env.LOSSLAB_UPDATE_SCREENSHOT === '1')) {
    mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
    writeFileSync(DOCS_SCREENSHOT, image);
  }
}

/** Chart titles as plotly.js rendered them (SVG text). */
function renderedTitles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.losslab-figure .gtitle')).map((t) => t.textContent ?? ''),
  );
}

/** HTML elements (not SVG) inside chart boxes that a title could have injected. */
function injectedElements(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('.losslab-figure b, .losslab-figure script:not([type])').length);
}

describe('charts of the executed notebook in headless Chromium', function () {
  this.timeout(240_000);
  const shows = fixtureShowCalls();
  let fixture: ExecutedFixture;
  let browser: Browser | undefined;
  let server: NotebookServer | undefined;

  before(async () => {
    [fixture, browser] = await Promise.all([executedFixture(), launchBrowser()]);
  });

  after(async () => {
    await server?.stop();
    await closeBrowser(browser);
  });

  for (const template of ['lab', 'classic'] as const) {
    it(`nbconvert HTML (${template} template, with require.js): draws all ${shows} charts offline without console errors`, async () => {
      const file = path.join(fixture.dir, `display-${template}.html`);
      await exportHTML(fixture.file, file, template);
      const page = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
      const watch = await watchPage(page);
      await page.goto(pathToFileURL(file).href);
      expect(await waitForCharts(page, shows, 90_000)).to.equal(shows);
      expect(watch.errors).to.deep.equal([]);
      expect(watch.offsite).to.deep.equal([]);
      // require.js was on the page and keeps its define(); plotly.js went to window.Plotly anyway.
      expect(
        await page.evaluate(() => typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd),
      ).to.equal('object');
      expect(await renderedTitles(page)).to.include('</script>x<!-- injected');
      expect(await injectedElements(page)).to.equal(0);
      // The slider of the last chart turns on the static page, with no kernel.
      expect((await turnSliders(page)).map((t) => t.ok)).to.deep.equal([true]);
      if (template === 'lab') await screenshotFirstChart(page, 'nbconvert-lab');
      await page.close();
    });
  }

  it('nbconvert HTML with scripts off (GitHub, untrusted): every chart shows its text fallback', async () => {
    const file = path.join(fixture.dir, 'display-lab.html');
    if (!existsSync(file)) await exportHTML(fixture.file, file, 'lab');
    const context = await browser!.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    const fallbacks = page.locator('.losslab-figure .losslab-fallback');
    expect(await fallbacks.count()).to.equal(shows);
    for (let i = 0; i < shows; i++) {
      expect(await fallbacks.nth(i).isVisible(), `fallback ${i}`).to.equal(true);
      expect(await fallbacks.nth(i).textContent()).to.match(/^Plotly chart/);
    }
    // The fallback says what Plotly would draw: its <b> is formatting, the rest shows as typed.
    expect(await fallbacks.nth(2).textContent()).to.include('</script>x<!-- injected');
    expect(await injectedElements(page)).to.equal(0);
    await context.close();
  });

  it('static pictures (as npm run notebooks adds them): image/png in every chart, shown with scripts off', async () => {
    const notebook = JSON.parse(readFileSync(fixture.file, 'utf8')) as Notebook;
    expect(await addStaticImages(notebook)).to.equal(shows);
    const charts = notebook.cells
      .flatMap((c) => c.outputs ?? [])
      .filter((o) => o.data?.['application/vnd.plotly.v1+json'] !== undefined);
    for (const chart of charts) {
      const png = Buffer.from(String(chart.data?.['image/png']), 'base64');
      expect(png.subarray(1, 4).toString()).to.equal('PNG');
      expect(png.readUInt32BE(20)).to.equal((chart.metadata as { losslab: { height: number } }).losslab.height);
    }
    const withImages = path.join(fixture.dir, 'display-images.ipynb');
    writeFileSync(withImages, JSON.stringify(notebook));
    const file = path.join(fixture.dir, 'display-images.html');
    await exportHTML(withImages, file, 'lab');

    const context = await browser!.newContext({ javaScriptEnabled: false });
    const still = await context.newPage();
    await still.goto(pathToFileURL(file).href);
    const pictures = await still.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('.losslab-figure .losslab-fallback img')).map((img) => ({
        loaded: img.complete && img.naturalWidth > 0,
        height: img.getBoundingClientRect().height,
      })),
    );
    expect(pictures).to.have.length(shows);
    for (const picture of pictures) expect(picture.loaded && picture.height > 0).to.equal(true);
    await context.close();
  });

  it(`classic Notebook 6 server, trusted notebook: draws all ${shows} charts`, async () => {
    const root = scratchDir('server');
    copyFileSync(fixture.file, path.join(root, 'display.ipynb'));
    server = await startNotebookServer(root, ['display.ipynb']);
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const watch = await watchPage(page, [server.origin]);
    await page.goto(`${server.origin}/notebooks/display.ipynb?token=${server.token}`);
    expect(await waitForCharts(page, shows, 120_000)).to.equal(shows);
    expect(watch.offsite).to.deep.equal([]);
    expect(watch.errors.filter((e) => /losslab|plotly|Plotly/.test(e))).to.deep.equal([]);
    expect(await renderedTitles(page)).to.include('</script>x<!-- injected');
    expect(await injectedElements(page)).to.equal(0);
    await screenshotFirstChart(page, 'notebook6', true);
    console.log(`      console errors from the Notebook page itself: ${JSON.stringify(watch.errors)}`);
    await page.close();
    await server.stop();
    server = undefined;
  });
});
