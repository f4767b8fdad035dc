/**
 * Properties every figure has, over the whole gallery (test/helpers/plot-gallery.ts): JSON
 * that survives serialisation, no NaN or Infinity anywhere, a title, user text never raw;
 * and the palette: one colour per loss, the same in every builder.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  calibrationCurve,
  convergence,
  decisionBoundaries,
  fitLines,
  lossColor,
  lossCurves,
  losses,
  lossPalette,
  plotText,
  riskConvergence,
  riskSurface,
  seriesColor,
  sweep,
  type Figure,
  type Loss,
} from '../src/index';
import { plotPlainText } from '../src/plot/text';
import { strings, unsafeValues } from './helpers/figure-checks';
import { allLosses, familyOf } from './helpers/losses';
import { gallery, HOSTILE } from './helpers/plot-gallery';

describe('every figure the builders make', () => {
  const entries = gallery();

  it('has only JSON-safe values: no NaN, no Infinity, no typed arrays, no undefined in arrays', () => {
    const problems = entries.flatMap((e) => unsafeValues(e.figure).map((p) => `${e.name}: ${p}`));
    expect(problems).to.deep.equal([]);
  });

  it('survives JSON unchanged', () => {
    for (const { name, figure } of entries) expect(JSON.parse(JSON.stringify(figure)), name).to.deep.equal(figure);
  });

  it('has a title, typed traces and a config', () => {
    for (const { name, figure } of entries) {
      expect((figure.layout.title as { text: string }).text, name)
        .to.be.a('string')
        .and.not.equal('');
      for (const t of figure.data) expect(t.type, name).to.be.a('string');
      expect(figure.config, name).to.deep.equal({ displaylogo: false, responsive: true });
    }
  });

  it('never carries user text raw: only its escaped form appears', () => {
    const raw = ['<b>', '<a ', '%{y}', '$x^2$', '</script>'];
    for (const { name, figure } of entries) {
      for (const { path, text } of strings(figure)) {
        for (const r of raw) expect(text.includes(r), `${name} ${path}: ${text}`).to.equal(false);
      }
    }
    const escaped = plotText(HOSTILE);
    const carriers = entries.filter((e) => strings(e.figure).some((s) => s.text.includes(escaped)));
    expect(carriers.length).to.be.at.least(8);
  });

  it('writes hover templates with our markup only (<br>, <extra>) around escaped text', () => {
    for (const { name, figure } of entries) {
      for (const t of figure.data) {
        if (typeof t.hovertemplate !== 'string') continue;
        const tags = t.hovertemplate.match(/<[^>]*>/g) ?? [];
        for (const tag of tags) expect(['<br>', '<extra>', '</extra>'], `${name}: ${tag}`).to.include(tag);
      }
    }
  });
});

describe('plotText', () => {
  /** An independent decoder of the entities plotly.js understands. */
  const decode = (s: string): string =>
    s.replace(/&(#\d+|amp|lt|gt);/g, (_, e: string) =>
      e[0] === '#' ? String.fromCharCode(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>' }[e] as string),
    );

  it('is undone by plotPlainText (what the display layer shows as text), for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(plotPlainText(plotText(s))).to.equal(s.replace(/\r\n?|\n/g, ' '));
      }),
      { numRuns: 2000 },
    );
    for (const s of [HOSTILE, '&amp;lt;', '<br>', '&#123;', '%{x}', '$x$'])
      expect(plotPlainText(plotText(s))).to.equal(s);
  });

  it('escapes markup, entities, templates and TeX, and decodes back to the text', () => {
    for (const s of [HOSTILE, 'plain', '', '&&&', '{}', '%{%{x}}', '$$', 'ε < δ', '&#123;']) {
      const e = plotText(s);
      expect(e).to.not.match(/[<>$]|%\{|&(?!(amp|lt|gt|#123|#36);)/);
      expect(decode(e)).to.equal(s);
    }
  });
});

describe('palette', () => {
  it('gives every loss a #rrggbb colour, all different', () => {
    const colours = allLosses.map((l) => lossColor(l.id));
    for (const c of colours) expect(c).to.match(/^#[0-9a-f]{6}$/);
    expect(new Set(colours).size).to.equal(colours.length);
  });

  it('has an entry for every registered loss', () => {
    for (const id of Object.keys(losses))
      expect(Object.keys(lossPalette), `add a colour for ${id} to lossPalette in src/plot/palette.ts`).to.include(id);
  });

  it('shades family members by parameter: darker for small, lighter for large, the default on the base colour', () => {
    const lightness = (hex: string): number => {
      const v = parseInt(hex.slice(1), 16);
      return (v >> 16) + ((v >> 8) & 255) + (v & 255);
    };
    expect(lossColor('quantile(0.5)')).to.equal(lossPalette.quantile);
    expect(lossColor('epsilonInsensitive(1)')).to.equal(lossPalette.epsilonInsensitive);
    const taus = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95].map((t) => lightness(lossColor(`quantile(${t})`)));
    for (let i = 1; i < taus.length; i++) expect(taus[i]).to.be.above(taus[i - 1]);
    const deltas = [0.1, 0.5, 1, 2, 10].map((d) => lightness(lossColor(d === 1 ? 'huber' : `huber(${d})`)));
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]).to.be.above(deltas[i - 1]);
    const neutral = (loss: Loss): boolean =>
      Object.values(loss.params).every((v) => v === (familyOf(loss) === 'quantile' ? 0.5 : 1));
    for (const loss of allLosses) {
      if (familyOf(loss) !== loss.id && !neutral(loss))
        expect(lossColor(loss.id), loss.id).to.not.equal(lossPalette[familyOf(loss)]);
    }
  });

  it('gives unknown ids a stable colour and unlabelled series colours by index', () => {
    expect(lossColor('myLoss')).to.equal(lossColor('myLoss'));
    expect(lossColor('myLoss')).to.match(/^#[0-9a-f]{6}$/);
    expect(lossColor('notAFamily(2)')).to.match(/^#[0-9a-f]{6}$/);
    expect(seriesColor(undefined, 0)).to.not.equal(seriesColor(undefined, 1));
    expect(seriesColor('hinge', 5)).to.equal(lossColor('hinge'));
  });

  it('colours one loss the same in every builder', () => {
    const id = 'hinge';
    const colour = lossColor(id);
    const line = (fig: Figure, i: number): unknown => (fig.data[i].line as { color: string }).color;
    const xs = [0, 1, 2, 3];
    const ys = [-1, -1, 1, 1];
    const colours = [
      line(lossCurves([losses.hinge]), 0),
      line(riskSurface(losses.hinge, xs, ys, { resolution: 5, path: [{ w: 0, b: 0 }] }), 2),
      line(fitLines({ x: xs, y: ys }, [{ label: 'h', weights: [1], intercept: 0, lossId: id }]), 1),
      line(
        decisionBoundaries(
          {
            X: [
              [0, 0],
              [1, 1],
            ],
            y: [-1, 1],
          },
          [{ label: 'h', weights: [1, 1], intercept: -1, lossId: id }],
        ),
        2,
      ),
      line(convergence([{ label: 'h', history: [{ iteration: 0, objective: 1 }], lossId: id }]), 0),
      line(sweep([{ label: 'h', lossId: id, x: [0, 1], mean: [1, 2] }], { xTitle: 'x', yTitle: 'y' }), 0),
      line(riskConvergence({ n: [1, 2], mean: [1, 1], lower: [0, 0], upper: [2, 2], trueRisk: 1 }, { lossId: id }), 1),
      line(calibrationCurve([{ label: 'h', lossId: id, y: [0, 1], p: [0.2, 0.8] }]), 1),
    ];
    expect(colours).to.deep.equal(Array(colours.length).fill(colour));
  });
});
