import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBenchReport, runBench } from '../../tools/bench/run-bench.ts';

/** A tiny run of the real benchmark, so `npm run bench` cannot rot between the times someone runs it. */
const corpusRoot = await mkdtemp(path.join(tmpdir(), 'wirefeed-bench-smoke-'));
afterAll(() => rm(corpusRoot, { recursive: true, force: true }));

describe('runBench (smoke)', () => {
  it('measures every figure on a small corpus and formats the report', async () => {
    const result = await runBench({
      sizes: [40],
      categories: 3,
      editSizes: [40],
      edits: 2,
      httpSize: 40,
      httpSeconds: 1,
      connections: 10,
      corpusRoot,
      log: () => undefined,
    });
    const [size] = result.sizes;
    expect(size).toBeDefined();
    for (const figure of [size!.coldStartMs, size!.loadMs, size!.fullRebuildMs, size!.writeMs, size!.relistMs, size!.editMedianMs!, size!.streamMedianMs!, size!.peakRssBytes]) {
      expect(Number.isFinite(figure) && figure > 0).toBe(true);
    }
    expect(size!.documents).toBeGreaterThan(3 * 4);
    expect(result.http.map((run) => run.label)).toEqual(['Wirefeed 200 (gzip)', 'bare node:http 200 (gzip)', 'Wirefeed 304', 'bare node:http 304']);
    for (const run of result.http) {
      expect(run.requestsPerSecond).toBeGreaterThan(0);
      expect(run.errors).toBe(0);
    }
    const report = formatBenchReport(result, new Date('2026-11-24T12:00:00Z'));
    expect(report).toContain('| 40 |');
    expect(report).toMatch(/Wirefeed \/ bare server: 200 \d+%, 304 \d+%/);
  }, 120_000);
});
