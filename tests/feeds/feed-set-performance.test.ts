import { describe, expect, it } from 'vitest';
import { buildFeedSet } from '../../src/feeds/build-feed-set.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { generateArticles } from '../fixtures/articles/generate-articles.ts';

/**
 * The budget: a site of 10,000 articles in 20 categories (63 documents of up to 50 items,
 * about 20 MB of text) built and fully validated. It takes one to three seconds on a shared
 * two-core machine (about 0.45 s of CPU to build, with Atom serialised by the `feed` package
 * and RSS by XMLBuilder, and as much again to validate); the bound leaves room for slow CI
 * while still catching an accidental quadratic step.
 */
const BUDGET_MS = 10_000;

describe('buildFeedSet + validateFeedDocument at scale', () => {
  it('builds and validates every feed of 10,000 articles in 20 categories within budget', () => {
    const { site, articles, now } = generateArticles(10_000, 20);
    const started = performance.now();
    const docs = buildFeedSet({ site, articles, now, limit: 50, ttlMinutes: 15 });
    const built = performance.now();
    const problems = docs.flatMap((doc) => validateFeedDocument(doc, { now }));
    const finished = performance.now();

    expect(problems).toEqual([]);
    expect(docs).toHaveLength(63);
    expect(docs.every((doc) => doc.items.length === 50)).toBe(true);
    const megabytes = docs.reduce((total, doc) => total + Buffer.byteLength(doc.body), 0) / 1e6;
    console.log(
      `feed set: ${docs.length} documents, ${megabytes.toFixed(1)} MB; build ${(built - started).toFixed(0)} ms, ` +
        `validate ${(finished - built).toFixed(0)} ms, total ${(finished - started).toFixed(0)} ms`,
    );
    expect(finished - started).toBeLessThan(BUDGET_MS);
  });
});
