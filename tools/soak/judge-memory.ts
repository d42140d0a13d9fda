import type { MemorySample } from './memory-sampler.ts';

export interface MemoryVerdict {
  /** Highest VmRSS sampled in the first quarter of the run, once connections and caches have filled. */
  readonly warmRssBytes: number;
  readonly endRssBytes: number;
  readonly growthBytes: number;
  readonly boundBytes: number;
  readonly ok: boolean;
}

/**
 * Memory may grow while 1,000 connections open and the first rebuilds fill the caches; what must
 * not happen is growth after that. So the end is compared with the warm level of the first
 * quarter of the run rather than with the idle service before the load, which would count the
 * load itself as a leak.
 */
export function judgeMemory(samples: readonly MemorySample[], runMs: number, endRssBytes: number, boundBytes: number): MemoryVerdict {
  const early = samples.filter((sample) => sample.atMs <= runMs / 4);
  const warmRssBytes = Math.max(...(early.length > 0 ? early : samples.slice(0, 1)).map((sample) => sample.rssBytes));
  const growthBytes = endRssBytes - warmRssBytes;
  return { warmRssBytes, endRssBytes, growthBytes, boundBytes, ok: Number.isFinite(growthBytes) && growthBytes <= boundBytes };
}
