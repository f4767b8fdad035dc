/**
 * What reaches HTML from the options and from figure text: only PNG bytes losslab encoded
 * itself, and user text escaped exactly once (Plotly markup first decoded to what Plotly
 * shows). The same pages are opened in Chromium by browser-injection.spec.ts.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  describeFigure,
  fitLines,
  LossInputError,
  lossCurves,
  losses,
  mimeBundle,
  saveHTML,
  show,
  toHTML,
  type Figure,
} from '../src/index';
import { ihdrData, ONE_PIXEL_PNG, PNG_SIGNATURE, pngChunk } from './helpers/png';

const line: Figure = {
  data: [{ type: 'scatter', name: 'l2', x: [0, 1], y: [1, 0] }],
  layout: { title: { text: 'A line' } },
};
const BASE64 = ONE_PIXEL_PNG.toString('base64');

/** The error `call` throws; fails the test, saying `what`, when it returns. */
function thrown(call: () => unknown, what: string): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: expected an error, the call returned`);
}

/** A PNG of the signature, an IHDR-position chunk of type `type` holding `ihdr` (correct CRC), and IEND. */
function withIHDR(ihdr: Buffer, type = 'IHDR'): Buffer {
  return Buffer.concat([PNG_SIGNATURE, pngChunk(type, ihdr), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('the png option accepts only a real PNG, and writes only bytes it encoded itself', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'losslab-png-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Every public way in for `png`, each returning the HTML it produced. */
  const sinks: Array<[string, (png: unknown) => string]> = [
    ['mimeBundle', (png) => mimeBundle(line, { id: 'c', png: png as string })['text/html']],
    ['toHTML', (png) => toHTML(line, { png: png as string })],
    [
      'saveHTML',
      (png) => {
        const file = path.join(dir, 'page.html');
        saveHTML(line, file, { png: png as string });
        return readFileSync(file, 'utf8');
      },
    ],
    [
      'show',
      (png) => {
        const printed: string[] = [];
        const { log, warn } = console;
        console.log = (...args: unknown[]) => printed.push(args.join(' '));
        console.warn = () => undefined;
        try {
          show(line, { png: png as string });
        } finally {
          Object.assign(console, { log, warn });
        }
        return printed.join('\n');
      },
    ],
  ];

  const badCRC = withIHDR(ihdrData(1, 1));
  badCRC.writeUInt32BE((badCRC.readUInt32BE(29) ^ 1) >>> 0, 29);
  const ihdrLength14 = Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', Buffer.concat([ihdrData(1, 1), Buffer.from([0])])),
  ]);
  const rejected: Array<[string, unknown]> = [
    [
      'the reported exploit: a valid base64 prefix, then markup',
      'iVBORw0KGgo="><img/src/onerror=alert(document.domain)>',
    ],
    ['a whole PNG in base64, then markup', `${BASE64}"><img src=x onerror=alert(1)>`],
    ['a whole PNG in base64, then a quote', `${BASE64}"`],
    ['padding in the middle', `${BASE64.replace(/=*$/, '')}==AAAA`],
    ['missing padding', BASE64.replace(/=+$/, '')],
    ['a line break inside', `${BASE64.slice(0, 8)}\n${BASE64.slice(8)}`],
    ['leading space', ` ${BASE64}`],
    ['the URL-safe alphabet', `${BASE64.slice(0, 4)}-_${BASE64.slice(6)}`],
    ['a data: URL', `data:image/png;base64,${BASE64}`],
    ['the empty string', ''],
    ['the signature alone', PNG_SIGNATURE.toString('base64')],
    ['the signature and no IHDR first', Buffer.concat([PNG_SIGNATURE, pngChunk('IEND', Buffer.alloc(0))])],
    ['a truncated IHDR', ONE_PIXEL_PNG.subarray(0, 24)],
    ['an IHDR with a wrong CRC', badCRC],
    ['an IHDR of length 14', ihdrLength14],
    ['an IHDR of width 0', withIHDR(ihdrData(0, 1))],
    ['an IHDR of height 2^31', withIHDR(ihdrData(1, 2 ** 31))],
    ['bit depth 3', withIHDR(ihdrData(1, 1, 3, 0))],
    ['truecolour at bit depth 4', withIHDR(ihdrData(1, 1, 4, 2))],
    ['colour type 5', withIHDR(ihdrData(1, 1, 8, 5))],
    ['interlace method 2', withIHDR(ihdrData(1, 1, 8, 6, 2))],
    ['a lower-case chunk type', withIHDR(ihdrData(1, 1), 'ihdr')],
    ['GIF bytes', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['markup as bytes', Buffer.from('"><img src=x onerror=alert(1)>')],
    ['a number', 5],
    ['null', null],
    ['a plain object', {}],
    ['an array of the bytes', Array.from(ONE_PIXEL_PNG)],
    ['a Float64Array', Float64Array.from(ONE_PIXEL_PNG)],
    [
      'an ArrayBuffer',
      ONE_PIXEL_PNG.buffer.slice(ONE_PIXEL_PNG.byteOffset, ONE_PIXEL_PNG.byteOffset + ONE_PIXEL_PNG.length),
    ],
    ['an Object.prototype name', 'toString'],
  ];

  for (const [sink, produce] of sinks) {
    it(`${sink}: rejects all but a real PNG with LossInputError naming png`, () => {
      for (const [what, png] of rejected) {
        const error = thrown(() => produce(png), `${sink}, ${what}`);
        expect(error, `${sink}, ${what}`).to.be.instanceOf(LossInputError);
        expect((error as LossInputError).argument, `${sink}, ${what}`).to.equal('png');
      }
    });
  }

  it('accepts the PNG as base64, as a Buffer and as a Uint8Array view at an offset, and writes the same canonical base64', () => {
    const padded = new Uint8Array(ONE_PIXEL_PNG.length + 7);
    padded.set(ONE_PIXEL_PNG, 3);
    const view = new Uint8Array(padded.buffer, 3, ONE_PIXEL_PNG.length);
    for (const png of [BASE64, ONE_PIXEL_PNG, view]) {
      const bundle = mimeBundle(line, { id: 'c', png });
      expect(bundle['image/png']).to.equal(BASE64);
      expect(bundle['text/html']).to.include(`<img src="data:image/png;base64,${BASE64}" alt="`);
    }
  });

  it('re-encodes base64 whose padding bits are not zero, so only its own encoding reaches the page', () => {
    // The last character before "=" carries bits that decoding drops; flip one of them.
    const padding = /=+$/.exec(BASE64)?.[0] ?? '';
    expect(padding.length, 'the test PNG needs padding to make this case').to.be.above(0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const at = BASE64.length - padding.length - 1;
    const sloppy = BASE64.slice(0, at) + alphabet[alphabet.indexOf(BASE64[at]!) ^ 1] + padding;
    expect(sloppy).not.to.equal(BASE64);
    expect(Buffer.from(sloppy, 'base64').equals(ONE_PIXEL_PNG)).to.equal(true);
    const bundle = mimeBundle(line, { id: 'c', png: sloppy });
    expect(bundle['image/png']).to.equal(BASE64);
    expect(bundle['text/html']).not.to.include(sloppy);
  });
});

describe('figure text reaches plain text and HTML escaped once', () => {
  const TEXT = 'Cost in $ & {USD} <2024>';
  /** The text escaped once for HTML, as escapeHTML writes it: numeric references for & < > " '. */
  const ONCE = 'Cost in $ &#38; {USD} &#60;2024&#62;';
  const fig = lossCurves([losses.hinge], { title: TEXT });
  const summary = `Plotly chart "${TEXT}": 1 trace (Hinge loss); x: margin m = y·f; y: loss φ(m)`;
  const summaryOnce = `Plotly chart &#34;${ONCE}&#34;: 1 trace (Hinge loss); x: margin m = y·f; y: loss φ(m)`;

  it('the builder stores the title as Plotly markup', () => {
    expect((fig.layout.title as { text: string }).text).to.equal('Cost in &#36; &amp; &#123;USD} &lt;2024&gt;');
  });

  it('text/plain and describeFigure show the text as typed', () => {
    expect(describeFigure(fig)).to.equal(summary);
    expect(mimeBundle(fig)['text/plain']).to.equal(summary);
  });

  it('the page <title> holds it escaped once', () => {
    expect(toHTML(fig)).to.include(`<title>${ONCE}</title>`);
  });

  it('the fallback text and the image alt hold the summary escaped once', () => {
    expect(mimeBundle(fig, { id: 'c' })['text/html']).to.include(`>${summaryOnce}<br><small`);
    expect(mimeBundle(fig, { id: 'c', png: ONE_PIXEL_PNG })['text/html']).to.include(`alt="${summaryOnce}"`);
  });

  it('trace names and axis titles are decoded the same way', () => {
    const fits = fitLines({ x: [0, 1], y: [0, 1] }, [{ label: TEXT, weights: [1], intercept: 0 }], {
      title: 'fits',
      xTitle: TEXT,
      yTitle: '<y>',
    });
    expect(describeFigure(fits)).to.equal(`Plotly chart "fits": 2 traces (data (n = 2), ${TEXT}); x: ${TEXT}; y: <y>`);
  });

  it("reads a raw figure's title as Plotly does: its tags vanish, <br> is a space, entities decode once, unknown tags stay", () => {
    const raw: Figure = {
      data: [{ type: 'bar', name: '<b>bold</b> <sup>2</sup>' }],
      layout: {
        title: {
          text: 'A <b>bold</b> <i>move</i><br>next <BR> line &amp; &amp;lt;b&amp;gt; &#36;&#x7B; &nbsp;x &bogus; &#1114112; <script> <br/> <a href="https://example.org">link</a>',
        },
      },
    };
    expect(describeFigure(raw)).to.equal(
      'Plotly chart "A bold move next line & &lt;b&gt; ${ x &bogus; &#1114112; <script> <br/> link": 1 trace (bold 2)',
    );
    expect(toHTML(raw)).to.include(
      '<title>A bold move next line &#38; &#38;lt;b&#38;gt; ${ x &#38;bogus; &#38;#1114112; &#60;script&#62; &#60;br/&#62; link</title>',
    );
  });
});
