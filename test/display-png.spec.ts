/** Static images through headless Chromium: checked by decoding them in the browser. */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath } from '../src/display/chromium';
import { LossInputError, mimeBundle, toPNG, toSVG, type Figure } from '../src/index';
import { closeBrowser, launchBrowser } from './helpers/browser';

/** A chart that is one red bar filling the whole plot area: no margins, axes or legend. */
const redBar: Figure = {
  data: [{ type: 'bar', x: ['a'], y: [1], marker: { color: '#ff0000' }, width: [1] }],
  layout: {
    width: 200,
    height: 100,
    margin: { l: 0, r: 0, t: 0, b: 0 },
    xaxis: { visible: false, range: [-0.5, 0.5] },
    yaxis: { visible: false, range: [0, 1] },
    showlegend: false,
  },
};

/** Decodes an image in the browser: its size and the share of pure-red pixels. */
function decode(page: Page, src: string): Promise<{ width: number; height: number; red: number }> {
  return page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let red = 0;
    for (let i = 0; i < pixels.length; i += 4)
      if (pixels[i]! > 240 && pixels[i + 1]! < 15 && pixels[i + 2]! < 15) red++;
    return { width: img.naturalWidth, height: img.naturalHeight, red: red / (pixels.length / 4) };
  }, src);
}

describe('toPNG / toSVG (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(() => closeBrowser(browser));

  it('renders a PNG of the layout size: signature, IHDR size, and the red bar filling the picture', async () => {
    const png = await toPNG(redBar);
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).to.equal('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([200, 100]);
    const decoded = await decode(page, `data:image/png;base64,${png.toString('base64')}`);
    expect(decoded.width).to.equal(200);
    expect(decoded.red).to.be.above(0.9);
  });

  it('takes width, height and scale from the options', async () => {
    const png = await toPNG(redBar, { width: 120, height: 80, scale: 2 });
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([240, 160]);
  });

  it('renders SVG that the browser decodes to the same picture', async () => {
    const svg = await toSVG({ ...redBar, layout: { ...redBar.layout, title: { text: 'a < b & c' } } });
    expect(svg.startsWith('<svg')).to.equal(true);
    const title = await page.evaluate(
      (text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('.gtitle')?.textContent,
      svg,
    );
    expect(title).to.equal('a < b & c');
    const decoded = await decode(page, `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    expect([decoded.width, decoded.height]).to.deep.equal([200, 100]);
    expect(decoded.red).to.be.above(0.9);
  });

  it('says how to install Chromium when the one given is missing (a LossInputError: the argument is wrong)', async () => {
    let error: unknown;
    try {
      await toPNG(redBar, { executablePath: '/nonexistent/chromium' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(LossInputError);
    expect((error as Error).message).to.match(
      /executablePath is not an existing file \(got "\/nonexistent\/chromium"\).*apt-get install chromium.*npm run setup/,
    );
  });

  it('says how to install Chromium when the system one ($LOSSLAB_CHROMIUM) is missing', () => {
    const saved = process.env.LOSSLAB_CHROMIUM;
    process.env.LOSSLAB_CHROMIUM = '/nonexistent/chromium';
    try {
      expect(() => chromiumPath()).to.throw(
        Error,
        /Chromium not found at \/nonexistent\/chromium.*apt-get install chromium.*npm run setup/,
      );
    } finally {
      if (saved === undefined) delete process.env.LOSSLAB_CHROMIUM;
      else process.env.LOSSLAB_CHROMIUM = saved;
    }
  });

  it('rejects sizes that are not positive numbers', async () => {
    let error: unknown;
    try {
      await toPNG(redBar, { width: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(LossInputError);
    expect((error as Error).message).to.match(/width is not a positive number \(got 0\)/);
  });

  it('rejects pictures wider or taller than 16384 device pixels, before starting Chromium', async () => {
    for (const [opts, argument] of [
      [{ width: 16385 }, 'width'],
      [{ height: 9000, scale: 2 }, 'height'],
      [{ scale: 100 }, 'fig.layout.width'],
    ] as const) {
      const error = await toPNG(redBar, { ...opts, executablePath: '/nonexistent/chromium' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(opts)).to.be.instanceOf(LossInputError);
      expect((error as LossInputError).argument, JSON.stringify(opts)).to.equal(argument);
    }
  });

  it('renders PNGs that the png option of mimeBundle accepts as they are', async () => {
    const png = await toPNG(redBar, { scale: 2 });
    expect(mimeBundle(redBar, { id: 'bar', png })['image/png']).to.equal(png.toString('base64'));
  });
});
