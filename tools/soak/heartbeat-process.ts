import { forkChild } from './fork-child.ts';
import { percentileOfSorted } from './soak-tally.ts';

export interface Heartbeat {
  readonly beats: number;
  readonly p50Ms: number;
  readonly maxMs: number;
  /** Answers that took a second or more: the service's event loop was held up. */
  readonly overOneSecond: number;
  /** Failed /healthz requests (their own time counts in the latencies too). */
  readonly failures: readonly string[];
}

export interface HeartbeatProcess {
  /** Starts beating now, for `durationMs`; call once. */
  run(port: number, durationMs: number): Promise<Heartbeat>;
  close(): Promise<void>;
}

/** The heartbeat (see heartbeat-child.ts) in a process of its own, forked ahead of the load. */
export function startHeartbeatProcess(): HeartbeatProcess {
  const forked = forkChild(new URL('./heartbeat-child.ts', import.meta.url), 'heartbeat');
  return {
    async run(port, durationMs) {
      const answer = await forked.runOnce<{ latencies: number[]; failures: string[] }>({ port, durationMs });
      const sorted = [...answer.latencies].sort((a, b) => a - b);
      return {
        beats: sorted.length,
        p50Ms: percentileOfSorted(sorted, 0.5),
        maxMs: sorted.at(-1) ?? Number.NaN,
        overOneSecond: sorted.filter((latency) => latency >= 1000).length,
        failures: answer.failures.slice(0, 5),
      };
    },
    close: () => forked.close(),
  };
}
