/**
 * sliderFigure (issue #10): one figure whose slider shows the figure at each value of a
 * parameter, in pure JSON (method 'update', no frames). Checked here as JSON; the browser
 * specs turn the sliders in every front end.
 */
import { expect } from 'chai';
import {
  describeFigure,
  huber,
  LossInputError,
  lossCurves,
  losses,
  MAX_SLIDER_STEPS,
  plotText,
  sliderFigure,
  type Figure,
  type Trace,
} from '../src/index';
import { HOSTILE } from './helpers/plot-gallery';

interface SliderStepJSON {
  label: string;
  method: string;
  args: [{ visible: Array<boolean | string> }, Record<string, unknown>];
}
interface SliderJSON {
  active: number;
  steps: SliderStepJSON[];
  currentvalue: { prefix: string };
}
const sliderOf = (fig: Figure): SliderJSON => (fig.layout.sliders as unknown as SliderJSON[])[0];

const line = (name: string, ys: number[], extra: Partial<Trace> = {}): Trace => ({
  type: 'scatter',
  mode: 'lines',
  name,
  x: ys.map((_, i) => i),
  y: ys,
  ...extra,
});
const fig = (title: string, data: Trace[], layout: Figure['layout'] = {}): Figure => ({
  data,
  layout: { title: { text: title }, ...layout },
  config: { displaylogo: false },
});

/** The traces drawn at position k, as JSON texts, in order. */
const drawnAt = (f: Figure, k: number): string[] =>
  f.data.flatMap((t, i) =>
    sliderOf(f).steps[k].args[0].visible[i] === false ? [] : [JSON.stringify({ ...t, visible: undefined })],
  );

describe('sliderFigure', () => {
  const shared = line('reference', [0, 1, 4]);
  const steps = [
    { label: 'a', figure: fig('at a', [line('curve', [1, 2, 3]), shared], { yaxis: { range: [0, 4] } }) },
    { label: 'b', figure: fig('at b', [line('curve', [3, 2, 1]), shared], { yaxis: { range: [-1, 3] } }) },
    {
      label: 'c',
      figure: fig('at c', [shared, line('curve', [0, 0, 9], { visible: 'legendonly' })], {
        annotations: [{ text: 'note', x: 1, y: 1, showarrow: false }],
      }),
    },
  ];
  const f = sliderFigure(steps, { name: 'knob', active: 1 });
  const slider = sliderOf(f);

  it("draws at each position exactly the traces of that position's figure, a trace shared by several positions stored once", () => {
    expect(f.data).to.have.length(4);
    steps.forEach((step, k) => {
      const expected = step.figure.data.map((t) => JSON.stringify({ ...t, visible: undefined })).sort();
      expect(drawnAt(f, k).sort(), step.label).to.deep.equal(expected);
    });
    // The initial state is the active position's.
    expect(f.data.map((t) => t.visible)).to.deep.equal(slider.steps[1].args[0].visible);
    expect(slider.active).to.equal(1);
  });

  it('keeps a trace legend-only where its own figure has it so', () => {
    const legendOnly = f.data.findIndex((t) => JSON.stringify(t.y) === '[0,0,9]');
    expect(slider.steps[2].args[0].visible[legendOnly]).to.equal('legendonly');
    expect(slider.steps[0].args[0].visible[legendOnly]).to.equal(false);
  });

  it('uses method update with no frames, so renderers that drop frames (VS Code) still turn it', () => {
    expect(slider.steps.map((s) => s.method)).to.deep.equal(['update', 'update', 'update']);
    expect((f as unknown as { frames?: unknown }).frames).to.equal(undefined);
  });

  it("widens an axis range to hold every position's, and leaves autoranged axes alone", () => {
    expect(f.layout.yaxis).to.deep.include({ range: [-1, 4], autorange: false });
    expect(f.layout.xaxis).to.equal(undefined);
  });

  it('switches titles and annotations with the slider where positions differ in them', () => {
    expect(slider.steps.map((s) => s.args[1]['title.text'])).to.deep.equal(['at a', 'at b', 'at c']);
    expect(slider.steps.map((s) => s.args[1].annotations)).to.deep.equal([
      [],
      [],
      [{ text: 'note', x: 1, y: 1, showarrow: false }],
    ]);
    expect((f.layout.title as { text: string }).text).to.equal('at b');
    const fixed = sliderFigure(steps, { title: HOSTILE });
    expect((fixed.layout.title as { text: string }).text).to.equal(plotText(HOSTILE));
    expect(sliderOf(fixed).steps.every((s) => s.args[1]['title.text'] === undefined)).to.equal(true);
  });

  it('shows labels and the name as typed (escaped for Plotly), and makes room for the slider', () => {
    const hostile = sliderFigure([{ label: HOSTILE, figure: steps[0].figure }], { name: HOSTILE });
    expect(sliderOf(hostile).steps[0].label).to.equal(plotText(HOSTILE));
    expect(sliderOf(hostile).currentvalue.prefix).to.equal(`${plotText(HOSTILE)} = `);
    expect(sliderOf(f).currentvalue.prefix).to.equal('knob = ');
    expect(f.layout.height).to.equal(550);
    expect(sliderFigure(steps, {}).data).to.have.length(4);
  });

  it("turns Huber's δ on the loss curves: one Huber curve per δ, the L2 curve shared where its grid is", () => {
    const deltas = [0.5, 1, 2];
    const curves = sliderFigure(
      deltas.map((d) => ({ label: String(d), figure: lossCurves([huber(d), losses.l2]) })),
      { name: 'δ' },
    );
    expect(sliderOf(curves).steps.map((s) => s.label)).to.deep.equal(['0.5', '1', '2']);
    deltas.forEach((d, k) => {
      const names = curves.data
        .filter((_, i) => sliderOf(curves).steps[k].args[0].visible[i] !== false)
        .map((t) => t.name);
      expect(names, `δ = ${d}`).to.deep.equal([huber(d).name, losses.l2.name].map((n) => plotText(n)));
    });
    expect(describeFigure(curves)).to.match(/; slider δ: 3 positions$/);
  });

  it('refuses what it cannot make a slider of, with LossInputError naming the argument', () => {
    const bad: Array<[unknown, unknown, RegExp]> = [
      [[], undefined, /steps/],
      ['steps', undefined, /steps/],
      [[null], undefined, /steps/],
      [[{ label: 1, figure: steps[0].figure }], undefined, /steps\[0\]\.label/],
      [[{ label: 'a', figure: { data: {}, layout: {} } }], undefined, /steps\[0\]\.figure/],
      [[{ label: 'a', figure: { data: [1], layout: {} } }], undefined, /steps\[0\]\.figure\.data/],
      [[{ label: 'a', figure: f }], undefined, /steps\[0\]\.figure\.layout\.sliders/],
      [Array.from({ length: MAX_SLIDER_STEPS + 1 }, () => steps[0]), undefined, /too many/],
      [steps, null, /opts/],
      [steps, { active: 3 }, /active/],
      [steps, { active: 0.5 }, /active/],
      [steps, { name: 1 }, /name/],
      [steps, { title: {} }, /title/],
    ];
    for (const [s, o, message] of bad) {
      expect(() => sliderFigure(s as never, o as never), String(message)).to.throw(LossInputError, message);
    }
  });
});
