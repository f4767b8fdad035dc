/**
 * progress(): in a kernel, one output replaced in place (one display id, the first message a
 * display_data, every later one an update of it), redrawn at each whole percent and at most
 * every REDRAW_MS in between, whose last state is the same in every run; in plain Node, a line
 * per tenth of the work. Driven here through a stand-in output channel and a stand-in clock;
 * test/jupyter-display.spec.ts runs it through the real tslab kernel.
 */
import { expect } from 'chai';
import { LINE_MS, makeProgress, REDRAW_MS } from '../src/display/progress';
import type { DisplayTarget, KernelOutput } from '../src/display/tslab';
import { LossInputError, progress } from '../src/index';

interface Sent {
  data: Record<string, unknown>;
  display: DisplayTarget | undefined;
}

function standIn(updates = true): KernelOutput & { sent: Sent[] } {
  const sent: Sent[] = [];
  return { execution: undefined, updates, sent, send: (data, _metadata, display) => sent.push({ data, display }) };
}

/** A clock that moves only when told. */
function manualClock(): { now(): number; advance(ms: number): void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function printed(work: () => void): string[] {
  const lines: string[] = [];
  const { log } = console;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  try {
    work();
  } finally {
    console.log = log;
  }
  return lines;
}

describe('progress() in a kernel (stand-in output)', () => {
  it('sends one display_data, then updates of the same display id, and a final state naming no time', () => {
    const output = standIn();
    const clock = manualClock();
    const bar = makeProgress('Running', () => output, clock);
    const names = ['a', 'b', 'c', 'd'];
    names.forEach((name, k) => {
      bar.update(k, names.length, name);
      clock.advance(1);
    });
    bar.finish();
    // Every step moves the whole percentage, so each is drawn at once even 1 ms apart.
    expect(output.sent).to.have.length(names.length + 1);
    const ids = new Set(output.sent.map((s) => s.display?.id));
    expect(ids.size).to.equal(1);
    expect([...ids][0]).to.match(/^losslab-progress-[0-9a-f-]{36}$/);
    expect(output.sent.map((s) => s.display?.update)).to.deep.equal([false, true, true, true, true]);
    expect(output.sent.map((s) => s.data['text/plain'])).to.deep.equal([
      'Running: 0/4 (0%), now: a',
      'Running: 1/4 (25%), now: b',
      'Running: 2/4 (50%), now: c',
      'Running: 3/4 (75%), now: d',
      'Running: done (4/4)',
    ]);
    expect(output.sent[4]!.data['text/html']).to.include('<progress value="4" max="4"');
  });

  it('saves the same final output in two runs, whatever the timing, while the display ids differ', () => {
    const finals = [1, 400].map((ms) => {
      const output = standIn();
      const clock = manualClock();
      const bar = makeProgress('Sweep', () => output, clock);
      for (let k = 0; k < 1000; k++) {
        bar.update(k, 1000, `step ${k}`);
        clock.advance(ms);
      }
      bar.finish();
      return output.sent;
    });
    expect(finals[0]!.at(-1)!.data).to.deep.equal(finals[1]!.at(-1)!.data);
    expect(finals[0]!.at(-1)!.display!.id).not.to.equal(finals[1]!.at(-1)!.display!.id);
    // Redraws are bounded by the whole percentages and the redraw interval, not by the steps.
    expect(finals[0]!.length).to.equal(100 + 1);
    expect(finals[1]!.length).to.equal(1000 + 1);
  });

  it('redraws within a percent only after REDRAW_MS', () => {
    const output = standIn();
    const clock = manualClock();
    const bar = makeProgress('Many', () => output, clock);
    const steps = 100_000;
    for (let k = 0; k < steps; k++) {
      bar.update(k, steps);
      clock.advance(0.1);
    }
    // 10 s of work: 100 percents, and at most one redraw per REDRAW_MS inside them.
    const bound = 100 + (steps * 0.1) / REDRAW_MS;
    expect(output.sent.length).to.be.at.least(100).and.at.most(bound);
  });

  it('escapes the label and the detail in the HTML, and shows them as typed in the text', () => {
    const output = standIn();
    const label = '<b>x</b> & "y"';
    const bar = makeProgress(label, () => output, manualClock());
    bar.update(0, 2, '<img src=x onerror=alert(1)>');
    const html = output.sent[0]!.data['text/html'] as string;
    expect(html).not.to.include('<b>');
    expect(html).not.to.include('<img');
    expect(html).to.include('&#60;b&#62;x&#60;/b&#62; &#38; &#34;y&#34;');
    expect(output.sent[0]!.data['text/plain']).to.equal(`${label}: 0/2 (0%), now: <img src=x onerror=alert(1)>`);
  });

  it("where outputs cannot be replaced (tslab's public API only), sends the final state alone", () => {
    const output = standIn(false);
    const bar = makeProgress('Once', () => output, manualClock());
    for (let k = 0; k < 5; k++) bar.update(k, 5);
    bar.finish();
    bar.finish();
    expect(output.sent.map((s) => s.data['text/plain'])).to.deep.equal(['Once: done (5/5)']);
    expect(output.sent[0]!.display).to.equal(undefined);
  });

  it('reaches the output of the cell running now, with the same display id', () => {
    const first = standIn();
    const later = standIn();
    let current = first;
    const bar = makeProgress('Across cells', () => current, manualClock());
    bar.update(0, 2);
    current = later;
    bar.finish();
    expect(first.sent).to.have.length(1);
    expect(later.sent).to.have.length(1);
    expect(later.sent[0]!.display).to.deep.equal({ id: first.sent[0]!.display!.id, update: true });
  });

  it("works with its methods detached, as callbacks (runExperiment's onProgress)", () => {
    const output = standIn();
    const { update, finish } = makeProgress('Detached', () => output, manualClock());
    update(0, 2, 'a');
    finish();
    expect(output.sent.map((s) => s.data['text/plain'])).to.deep.equal([
      'Detached: 0/2 (0%), now: a',
      'Detached: done (2/2)',
    ]);
  });

  it('skips a redraw the output refuses (a busy socket), creating the output at the next one; a refused final state throws', () => {
    const output = standIn();
    const send = output.send;
    let refuse = true;
    output.send = (data, metadata, display) => {
      if (refuse) throw new Error('Socket is busy writing');
      send(data, metadata, display);
    };
    const bar = makeProgress('Busy', () => output, manualClock());
    bar.update(0, 2);
    refuse = false;
    bar.update(1, 2);
    expect(output.sent.map((s) => s.display?.update)).to.deep.equal([false]);
    refuse = true;
    expect(() => bar.finish()).to.throw('Socket is busy writing');
  });

  it('refuses an update after finish(); a second finish() sends nothing', () => {
    const output = standIn();
    const bar = makeProgress('Done', () => output, manualClock());
    bar.finish();
    bar.finish();
    expect(output.sent).to.have.length(1);
    expect(() => bar.update(0, 1)).to.throw(LossInputError);
  });
});

describe('progress() in plain Node', () => {
  it('prints a line per tenth of the work, and a last line', () => {
    const clock = manualClock();
    const lines = printed(() => {
      const bar = makeProgress('Plain', () => undefined, clock);
      for (let k = 0; k < 100; k++) bar.update(k, 100);
      bar.finish();
    });
    expect(lines).to.deep.equal([
      ...Array.from({ length: 10 }, (_, t) => `Plain: ${10 * t}/100 (${10 * t}%)`),
      'Plain: done (100/100)',
    ]);
  });

  it('prints again after LINE_MS when a tenth takes longer', () => {
    const clock = manualClock();
    const lines = printed(() => {
      const bar = makeProgress('Slow', () => undefined, clock);
      for (let k = 0; k < 3; k++) {
        bar.update(k, 100, `step ${k}`);
        clock.advance(LINE_MS);
      }
    });
    expect(lines).to.deep.equal([
      'Slow: 0/100 (0%), now: step 0',
      'Slow: 1/100 (1%), now: step 1',
      'Slow: 2/100 (2%), now: step 2',
    ]);
  });

  it('progress() outside a kernel prints lines (no kernel in this process)', () => {
    const lines = printed(() => {
      const bar = progress('Here');
      bar.update(0, 2);
      bar.finish();
    });
    expect(lines).to.deep.equal(['Here: 0/2 (0%)', 'Here: done (2/2)']);
  });
});

describe('progress(): every bad argument is a LossInputError naming it', () => {
  const cases: Array<[string, unknown[], (v: unknown) => unknown]> = [
    ['label', [null, undefined, 5, {}, [], NaN, () => 'a'], (v) => progress(v as string)],
    ['total', [null, undefined, NaN, Infinity, 0, -1, 2.5, '3', {}], (v) => progress('t').update(0, v as number)],
    ['done', [null, undefined, NaN, -1, 1.5, 4, '1', {}], (v) => progress('t').update(v as number, 3)],
    ['detail', [null, 5, {}, [], NaN], (v) => progress('t').update(0, 3, v as string)],
  ];
  for (const [argument, bad, call] of cases) {
    it(argument, () => {
      for (const value of bad) {
        let error: unknown;
        printed(() => {
          try {
            call(value);
          } catch (e) {
            error = e;
          }
        });
        expect(error, `${argument} = ${String(value)}`).to.be.instanceOf(LossInputError);
        expect((error as LossInputError).argument, String(value)).to.equal(argument);
      }
    });
  }

  it('takes Object.prototype names as plain text', () => {
    const lines = printed(() => {
      const bar = progress('toString');
      bar.update(0, 1, '__proto__');
      bar.finish();
    });
    expect(lines).to.deep.equal(['toString: 0/1 (0%), now: __proto__', 'toString: done (1/1)']);
  });
});
