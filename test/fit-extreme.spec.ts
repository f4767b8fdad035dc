/**
 * Every solver, and fitPath, with every loss it supports on overflowing data: features at
 * 1e5, 1e150, 1e200 and 1e300, targets near the largest double, and the cases reported to
 * hang or to return NaN. Each case must end within its time limit with finite parameters, no
 * NaN anywhere, a status that agrees with `converged`, and a claim of convergence the
 * certificate confirms; or refuse with a LossInputError. The cases run in a child process
 * (test/helpers/extreme-fits.ts) that is killed when a case overruns, so a hang fails that
 * case instead of hanging mocha.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { extremeCases } from './helpers/extreme-fits';

/**
 * A case is a handful of rows, so any solver ends in milliseconds when its loops are bounded
 * (the slowest bounded case, sgd for 1000 epochs, takes ~20 ms); 5 s leaves room for a
 * loaded machine and still catches a loop without exit.
 */
const CASE_LIMIT_MS = 5000;
/** Loading TypeScript through tsx in a fresh process takes about a second. */
const STARTUP_LIMIT_MS = 30000;

interface Outcome {
  problems: string[];
  ms: number;
}

/**
 * Runs every case in a child process, starting a fresh one after a case that overruns or kills
 * it. The child reports on stdout, one JSON line before and one after each case: a pipe keeps
 * order, so when it closes every line has been read (IPC messages can trail the exit event).
 */
function runAll(count: number): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  const script = join(__dirname, 'helpers', 'extreme-fits.ts');
  return new Promise((resolve) => {
    const launch = (first: number): void => {
      if (first >= count) {
        resolve(outcomes);
        return;
      }
      const child: ChildProcess = spawn(process.execPath, ['--require', 'tsx/cjs', script, String(first)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let current = first;
      let timer: NodeJS.Timeout | undefined;
      let stderr = '';
      let pending = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      /** Gives the current case `limit` ms, then kills the child and moves on to the next case. */
      const arm = (limit: number, problem: string): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          child.removeAllListeners('close');
          child.stdout?.removeAllListeners('data');
          child.kill('SIGKILL');
          outcomes.set(current, { problems: [problem], ms: limit });
          launch(current + 1);
        }, limit);
      };
      child.stdout?.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const message = JSON.parse(line) as { start?: number; done?: number; problems?: string[]; ms?: number };
          if (message.start !== undefined) {
            current = message.start;
            arm(CASE_LIMIT_MS, `did not return within ${CASE_LIMIT_MS} ms`);
          } else if (message.done !== undefined) {
            outcomes.set(message.done, { problems: message.problems ?? [], ms: message.ms ?? 0 });
          }
        }
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (!outcomes.has(current))
          outcomes.set(current, { problems: [`the process died (code ${code}): ${stderr.slice(-500)}`], ms: 0 });
        launch(current + 1);
      });
      arm(STARTUP_LIMIT_MS, `the case runner did not start within ${STARTUP_LIMIT_MS} ms`);
    };
    launch(0);
  });
}

describe('every solver on overflowing data: bounded time, finite, honest', () => {
  const cases = extremeCases();
  let outcomes: Map<number, Outcome>;
  before(async function () {
    this.timeout(0);
    outcomes = await runAll(cases.length);
  });

  const groups = new Map<string, number[]>();
  cases.forEach((c, i) => {
    groups.set(c.group, [...(groups.get(c.group) ?? []), i]);
  });
  for (const [group, indices] of groups) {
    it(group, () => {
      const failures: string[] = [];
      for (const i of indices) {
        const outcome = outcomes.get(i);
        if (outcome === undefined) failures.push(`${cases[i].name}: never ran`);
        else if (outcome.problems.length > 0) failures.push(`${cases[i].name}: ${outcome.problems.join('; ')}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }
});
