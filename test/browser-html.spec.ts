/** toHTML's standalone page, opened from disk in headless Chromium with the network cut off. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { saveHTML, type Figure } from '../src/index';
import { closeBrowser, launchBrowser, waitForCharts, watchPage } from './helpers/browser';

describe('toHTML page in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'losslab-page-'));
  });
  after(async () => {
    await closeBrowser(browser);
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the chart with no network and no console errors; the page title is the text Plotly draws', async () => {
    const fig: Figure = {
      data: [{ type: 'scatter', name: 'l2', x: [-2, -1, 0, 1, 2], y: [4, 1, 0, 1, 4] }],
      layout: { title: { text: '</script><b>squared</b> loss' } },
    };
    const file = path.join(dir, 'chart.html');
    saveHTML(fig, file);
    const page = await browser!.newPage();
    const watch = await watchPage(page);
    await page.goto(pathToFileURL(file).href);
    expect(await waitForCharts(page, 1, 60_000)).to.equal(1);
    expect(watch.errors).to.deep.equal([]);
    expect(watch.offsite).to.deep.equal([]);
    // In a figure's own title <b> is Plotly formatting and </script> an unknown tag shown as typed.
    expect(await page.title()).to.equal('</script>squared loss');
    expect(await page.evaluate(() => document.querySelector('.gtitle')?.textContent)).to.equal('</script>squared loss');
    expect(await page.evaluate(() => document.querySelectorAll('body b, body script:not([type])').length)).to.equal(0);
  });
});
