/**
 * The parametrised families keep one object per parameter value while anyone holds it, and
 * only a few members nobody holds: a sweep over 20,000 values of τ must not keep 20,000
 * compiled losses alive.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as losslab from '../src/index';
import { epsilonInsensitive, huber, losses, quantile } from '../src/index';
import { lossFamilies, RECENT_MEMBERS } from '../src/losses/family';
import { allLosses } from './helpers/losses';

describe('parametrised families', () => {
  it('the same parameter gives the same object, and the registry holds the defaults', () => {
    expect(quantile(0.3)).to.equal(quantile(0.3));
    expect(huber()).to.equal(huber(1));
    expect(huber(1)).to.equal(losses.huber);
    expect(epsilonInsensitive(0)).to.equal(epsilonInsensitive(-0));
    expect(quantile(0.3)).to.not.equal(quantile(0.31));
  });

  it('every family is exported by its name from the package, and its examples are among the losses every suite runs over', () => {
    const ids = new Set(allLosses.map((l) => l.id));
    expect(lossFamilies().map((f) => f.id)).to.include.members([
      'huber',
      'pseudoHuber',
      'quantile',
      'epsilonInsensitive',
    ]);
    for (const f of lossFamilies()) {
      const exported = (losslab as unknown as Record<string, unknown>)[f.id];
      expect(
        typeof exported,
        `the family ${f.id} is not exported: add it to the export from './losses/regression' (or its file) in src/index.ts`,
      ).to.equal('function');
      expect(f.examples.length, `${f.id} names no examples for the suites`).to.be.above(0);
      for (const v of f.examples) {
        expect((exported as (v: number) => unknown)(v), `${f.id}(${v})`).to.equal(f.member(v));
        expect(f.member(v).params[f.param], `${f.id}(${v}).params.${f.param}`).to.equal(v);
        expect(ids.has(f.member(v).id), `${f.member(v).id} is not in test/helpers/losses.ts's allLosses`).to.equal(
          true,
        );
      }
    }
  });

  it('a member someone holds stays the family member for its parameter, however many others come and go', () => {
    const held = quantile(0.123);
    for (let i = 0; i < 4 * RECENT_MEMBERS; i++) quantile(0.5 + i / 1000);
    expect(quantile(0.123)).to.equal(held);
  });

  it('after 20,000 distinct τ and a garbage collection, the heap and the cache stay bounded', function () {
    this.timeout(120_000);
    // A child process, for --expose-gc and a heap of its own. WeakRef keeps its targets alive
    // until the synchronous job that made them ends, so the script waits a tick before collecting.
    const script = `
      const { quantile } = require('./src/index');
      const { familyCacheSize } = require('./src/losses/family');
      (async () => {
        const settle = async () => { for (let k = 0; k < 5; k++) { await new Promise((r) => setTimeout(r, 20)); global.gc(); } };
        quantile(0.5);
        await settle();
        const before = process.memoryUsage().heapUsed;
        for (let i = 0; i < 20000; i++) quantile((i + 0.5) / 20001);
        await settle();
        const grown = process.memoryUsage().heapUsed - before;
        const size = familyCacheSize(quantile);
        const repeated = quantile(0.25) === quantile(0.25);
        process.stdout.write(JSON.stringify({ grown, size, repeated }));
      })();`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    const { grown, size, repeated } = JSON.parse(out) as { grown: number; size: number; repeated: boolean };
    // One member with its compiled kernels is about 5 kB (20,000 of them held 99 MB, 140 MB on
    // this machine); the cache keeps RECENT_MEMBERS of them and nothing else is referenced.
    // V8's compilation cache keeps about 80 bytes per distinct `new Function` source it has
    // seen (1.6 MB here; gone with --no-compilation-cache): the bound sits above that residue
    // and far below one member per parameter.
    expect(size, 'members in the cache').to.be.at.most(RECENT_MEMBERS);
    expect(grown, 'heap growth in bytes').to.be.below(5e6);
    expect(repeated).to.equal(true);
  });
});
