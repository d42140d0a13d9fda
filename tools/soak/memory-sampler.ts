import { readProcessUsage } from './process-usage.ts';

export interface MemorySample {
  /** Milliseconds since sampling started. */
  readonly atMs: number;
  readonly rssBytes: number;
}

export interface MemorySampler {
  /** Stops sampling and returns every sample taken, oldest first. */
  stop(): readonly MemorySample[];
}

/**
 * Samples a process's VmRSS once per interval, so a leak shows as a trend over the run rather
 * than as one end-point that a garbage collection just before it could hide.
 */
export function sampleMemory(pid: number, intervalMs = 1000): MemorySampler {
  const started = performance.now();
  const samples: MemorySample[] = [];
  const timer = setInterval(() => {
    void readProcessUsage(pid).then((usage) => {
      if (Number.isFinite(usage.rssBytes)) samples.push({ atMs: performance.now() - started, rssBytes: usage.rssBytes });
    });
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return [...samples];
    },
  };
}
