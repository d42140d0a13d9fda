import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSoakReport } from '../../tools/soak/format-soak-report.ts';
import { runSoak } from '../../tools/soak/run-soak.ts';

const corpusRoot = await mkdtemp(path.join(tmpdir(), 'wirefeed-soak-test-'));
afterAll(() => rm(corpusRoot, { recursive: true, force: true }));

describe('npm run soak (short)', () => {
  it('polls every feed while the store changes, finds nothing wrong, and catches the one response corrupted on purpose', async () => {
    const result = await runSoak({
      articles: 60,
      categories: 3,
      seconds: 3,
      clients: 20,
      corpusRoot,
      editsPerSecond: 4,
      conditionalShare: 0.7,
      maxRssGrowthBytes: 256 * 2 ** 20,
      corruptAfterResponses: 30,
      log: () => undefined,
    });
    const { tally } = result;
    expect(result.feeds).toBe(3 * (1 + 3));
    expect(tally.requests).toBeGreaterThan(0);
    expect(tally.ok200).toBeGreaterThan(0);
    expect(tally.ok304).toBeGreaterThan(0);
    // The injected corruption is the only error, so the service itself made none, and it was caught.
    expect(result.injectedCorruptions).toBe(1);
    expect(tally.errors).toBe(1);
    expect(tally.errorReasons).toEqual([expect.stringMatching(/\(identity\): ETag "[^"]+" does not match the bytes/)]);
    expect(tally.requests).toBe(tally.ok200 + tally.ok304 + tally.errors);
    expect(result.failures).toContain('1 wrong or failed responses');
    expect(result.health).toMatchObject({ status: 'ok', rejectedArticles: 0, failedDocuments: 0 });
    expect(result.serviceSurvived).toBe(true);
    expect(result.editor.failures).toEqual([]);
    expect(result.editor.edits + result.editor.adds + result.editor.deletes).toBeGreaterThan(0);
    expect(Number.isFinite(result.serviceStart.rssBytes) && Number.isFinite(result.serviceEnd.peakRssBytes)).toBe(true);
    const report = formatSoakReport(result);
    expect(report).toMatch(/\| errors +\| 1 \|/);
    expect(report).toContain('FAIL: 1 wrong or failed responses');
  }, 120_000);
});
