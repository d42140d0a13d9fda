import { describe, expect, it } from 'vitest';
import { createCoalescingRunner } from '../../src/jobs/coalescing-runner.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createCoalescingRunner', () => {
  it('never overlaps and turns many triggers during a slow run into exactly one follow-up', async () => {
    const gates = [deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const runs: string[][] = [];
    const runner = createCoalescingRunner<string[]>(async (hints) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs.push([...hints]);
      await gates[runs.length - 1]?.promise;
      active -= 1;
    }, (earlier, later) => [...earlier, ...later]);

    const first = runner.trigger(['a']);
    const during = [runner.trigger(['b']), runner.trigger(['c']), runner.trigger(['d'])];
    expect(maxActive).toBe(1);
    gates[0]!.resolve();
    await first;
    gates[1]!.resolve();
    await Promise.all(during);

    expect(runs).toEqual([['a'], ['b', 'c', 'd']]);
    expect(maxActive).toBe(1);
  });

  it('runs again after a failed run and reports the failure to its caller', async () => {
    let calls = 0;
    const runner = createCoalescingRunner<null>(async () => {
      calls += 1;
      if (calls === 1) throw new Error('build failed');
    }, () => null);
    await expect(runner.trigger(null)).rejects.toThrow('build failed');
    await expect(runner.trigger(null)).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('idle() waits for the follow-up too', async () => {
    const gate = deferred();
    let finished = 0;
    const runner = createCoalescingRunner<null>(async () => {
      await gate.promise;
      finished += 1;
    }, () => null);
    void runner.trigger(null);
    void runner.trigger(null);
    const idle = runner.idle();
    gate.resolve();
    await idle;
    expect(finished).toBe(2);
  });
});
