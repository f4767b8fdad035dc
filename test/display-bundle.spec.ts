/** The chart bundle, the page and show() outside a kernel: pure Node, no browser. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeFigure, figure, LossInputError, mimeBundle, saveHTML, show, toHTML, type Figure } from '../src/index';
import { plotlyLoaderHTML } from '../src/display/plotlyjs';
import { ONE_PIXEL_PNG } from './helpers/png';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const HOSTILE = '</script><script>alert(1)</script><!-- & \u2028 \u2029 <b>x</b>';
const plotlySource = readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');

/** The figure literal embedded in the chart's script, parsed back. */
function embeddedFigure(html: string): { text: string; value: unknown } {
  const match = /var figure = (.*);\n/.exec(html);
  if (match === null) throw new Error('no embedded figure');
  return { text: match[1]!, value: JSON.parse(match[1]!) };
}

const line: Figure = {
  data: [{ type: 'scatter', mode: 'lines', name: 'hinge', x: [-1, 0, 1, 2], y: [2, 1, 0, 0] }],
  layout: { title: { text: 'Hinge loss' }, xaxis: { title: { text: 'margin y·f' } }, yaxis: { title: 'loss' } },
};

describe('mimeBundle', () => {
  it('holds the figure, HTML and a text line; image/png only when a PNG is given', () => {
    const bundle = mimeBundle(line);
    expect(Object.keys(bundle).sort()).to.deep.equal([PLOTLY_MIME, 'text/html', 'text/plain']);
    expect(bundle[PLOTLY_MIME]).to.deep.equal(JSON.parse(JSON.stringify(line)));
    const withPicture = mimeBundle(line, { png: ONE_PIXEL_PNG });
    expect(withPicture['image/png']).to.equal(ONE_PIXEL_PNG.toString('base64'));
    expect(mimeBundle(line, { png: ONE_PIXEL_PNG.toString('base64') })['image/png']).to.equal(
      ONE_PIXEL_PNG.toString('base64'),
    );
  });

  it('embeds hostile text so that it cannot end the script or start markup, and parses back unchanged', () => {
    const fig: Figure = {
      data: [{ type: 'bar', name: HOSTILE, x: [HOSTILE], y: [1] }],
      layout: { title: { text: HOSTILE } },
    };
    const html = mimeBundle(fig)['text/html'];
    const embedded = embeddedFigure(html);
    expect(embedded.value).to.deep.equal({ data: fig.data, layout: fig.layout });
    expect(embedded.text).not.to.match(/[<>&\u2028\u2029]/);
    // One script element, closed once, and the visible fallback carries the text escaped.
    expect(html.match(/<script/g)).to.have.length(1);
    expect(html.match(/<\/script/g)).to.have.length(1);
    expect(html).not.to.include('<b>');
    expect(html).not.to.include('<!--');
    expect(html).to.include('&#60;/script&#62;&#60;script&#62;alert(1)');
  });

  it('writes typed arrays as plain arrays', () => {
    const fig = {
      data: [{ type: 'scatter', x: new Float64Array([1, 2]), y: new Float32Array([0.5, 0.25]) }],
      layout: {},
    } as unknown as Figure;
    expect(mimeBundle(fig)[PLOTLY_MIME].data).to.deep.equal([{ type: 'scatter', x: [1, 2], y: [0.5, 0.25] }]);
  });

  it('shows the PNG as the fallback picture, else the text summary', () => {
    expect(mimeBundle(line, { png: ONE_PIXEL_PNG })['text/html']).to.include(
      `<img src="data:image/png;base64,${ONE_PIXEL_PNG.toString('base64')}" alt="Plotly chart &#34;Hinge loss&#34;`,
    );
    const text = mimeBundle(line)['text/html'];
    expect(text).not.to.include('<img');
    expect(text).to.include('Plotly chart &#34;Hinge loss&#34;: 1 trace (hinge); x: margin y·f; y: loss');
  });

  it('sizes the box from opts.height, else layout.height, else 450 px', () => {
    expect(mimeBundle(line)['text/html']).to.include('height:450px');
    expect(mimeBundle({ ...line, layout: { ...line.layout, height: 320 } })['text/html']).to.include('height:320px');
    expect(mimeBundle({ ...line, layout: { ...line.layout, height: 320 } }, { height: 200 })['text/html']).to.include(
      'height:200px',
    );
  });

  it('gives ids from a hash of the figure and a counter: same figure, same hash; next call, next number', () => {
    const idOf = (html: string) => /^<div id="(losslab-([0-9a-f]{12})-(\d+))"/.exec(html)!;
    const [, , hashA, countA] = idOf(mimeBundle(line)['text/html']);
    const [, , hashB, countB] = idOf(mimeBundle(line)['text/html']);
    const [, , hashC] = idOf(mimeBundle({ ...line, layout: {} })['text/html']);
    expect(hashB).to.equal(hashA);
    expect(Number(countB)).to.equal(Number(countA) + 1);
    expect(hashC).not.to.equal(hashA);
    expect(mimeBundle(line, { id: 'chart-1' })['text/html']).to.match(/^<div id="chart-1"/);
  });

  it('gives the same outputs in a new process (what re-running a notebook relies on)', () => {
    const script = `const l = require('losslab'); const f = ${JSON.stringify(line)}; console.log(JSON.stringify([l.mimeBundle(f), l.mimeBundle({ data: [], layout: {} }), l.mimeBundle(f)]));`;
    const once = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).to.equal(once);
    const ids = (JSON.parse(once) as Array<Record<string, string>>).map(
      (b) => /id="([^"]+)"/.exec(b['text/html']!)![1],
    );
    expect(new Set(ids).size).to.equal(3);
  });

  it('rejects what it cannot draw with LossInputError', () => {
    expect(() => mimeBundle({ data: 'x', layout: {} } as unknown as Figure)).to.throw(
      LossInputError,
      /fig\.data is not an array of traces/,
    );
    expect(() => mimeBundle(line, { png: Buffer.from('GIF89a') })).to.throw(LossInputError, /png is not a PNG image/);
    expect(() => mimeBundle(line, { height: -5 })).to.throw(
      LossInputError,
      /height is not a positive number of pixels \(got -5\)/,
    );
    expect(() => mimeBundle(line, { id: '"><script>' })).to.throw(LossInputError, /id is not a usable element id/);
  });
});

describe('describeFigure', () => {
  it('names the title, the traces and the axes on one line', () => {
    expect(describeFigure(line)).to.equal('Plotly chart "Hinge loss": 1 trace (hinge); x: margin y·f; y: loss');
    expect(
      describeFigure({
        data: [{ type: 'bar' }, { type: 'heatmap', name: 'risk' }],
        layout: { title: 'Risk <br> surface' },
      }),
    ).to.equal('Plotly chart "Risk surface": 2 traces (bar, risk)');
    expect(describeFigure({ data: [], layout: {} })).to.equal('Plotly chart: 0 traces');
  });

  it('lists at most six traces', () => {
    const data = Array.from({ length: 9 }, (_, i) => ({ type: 'scatter', name: `t${i}` }));
    expect(describeFigure({ data, layout: {} })).to.equal('Plotly chart: 9 traces (t0, t1, t2, t3, t4, t5, +3 more)');
  });
});

describe('figure() for kernels that display objects themselves (Deno, IJavascript)', () => {
  it('returns the same bundle from Symbol.for("Jupyter.display") and _toMime, each with plotly.js ahead of the chart', () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('losslab.display.state')];
    const fig = figure(line);
    const first = (fig as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('Jupyter.display')]!.call(
      fig,
    );
    const second = fig._toMime();
    expect(Object.keys(first).sort()).to.deep.equal([PLOTLY_MIME, 'text/html', 'text/plain']);
    // These kernels cannot tell one cell execution from the next: every chart carries its copy.
    expect(first['text/html'].startsWith(`${plotlyLoaderHTML()}\n`)).to.equal(true);
    expect(second['text/html'].startsWith(`${plotlyLoaderHTML()}\n`)).to.equal(true);
    expect(second[PLOTLY_MIME]).to.deep.equal(first[PLOTLY_MIME]);
    expect(JSON.parse(JSON.stringify(fig))).to.deep.equal(JSON.parse(JSON.stringify(line)));
    expect(String(fig)).to.equal(describeFigure(line));
  });
});

describe('show() outside a notebook', () => {
  it('prints the summary, warns once, and returns undefined', () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('losslab.display.state')];
    const logged: string[] = [];
    const warned: string[] = [];
    const { log, warn } = console;
    console.log = (...args: unknown[]) => logged.push(args.join(' '));
    console.warn = (...args: unknown[]) => warned.push(args.join(' '));
    try {
      expect(show(line)).to.equal(undefined);
      show(line);
    } finally {
      Object.assign(console, { log, warn });
    }
    expect(logged).to.deep.equal([describeFigure(line), describeFigure(line)]);
    expect(warned).to.have.length(1);
    expect(warned[0]).to.match(/not running in a tslab notebook.*saveHTML/);
  });
});

describe('toHTML / saveHTML', () => {
  it('is a standalone page: plotly.js inlined, no external script or stylesheet, no URL outside plotly.js, title escaped', () => {
    const fig: Figure = { ...line, layout: { title: { text: HOSTILE } } };
    const page = toHTML(fig);
    expect(page.startsWith('<!DOCTYPE html>')).to.equal(true);
    expect(page).to.include(plotlySource);
    expect(page).not.to.match(/<script[^>]*\ssrc=/i);
    expect(page).not.to.match(/<link[^>]*\shref=/i);
    expect(page.replace(plotlySource, '')).not.to.match(/https?:\/\//);
    expect(page).to.include('<title>&#60;/script&#62;&#60;script&#62;alert(1)');
    expect(toHTML(fig)).to.equal(page);
  });

  it('saveHTML writes toHTML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'losslab-html-'));
    try {
      const file = path.join(dir, 'chart.html');
      saveHTML(line, file);
      expect(readFileSync(file, 'utf8')).to.equal(toHTML(line));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
