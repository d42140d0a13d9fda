import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { RebuildJob } from '../../src/jobs/rebuild.ts';
import { createRebuildJob } from '../../src/jobs/rebuild.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { writeCorpus } from '../../tools/corpus/ensure-corpus.ts';
import { ARABIC_CATEGORY } from '../../tools/corpus/generate-corpus.ts';
import { makeTempDir, removeTempDir } from '../store/temp-dir.ts';

/**
 * Issue 13's generated store: real lead and inline images, one of them narrower than partners
 * accept, and an Arabic category. Every feed it gives passes validation (a failing one would be in
 * failedDocuments and not published), with Media RSS and right-to-left content in place.
 */
let root: string | undefined;
let job: RebuildJob | undefined;
let snapshot: Snapshot | undefined;

beforeAll(async () => {
  root = await makeTempDir('wirefeed-media-corpus-');
  const store = path.join(root, 'content');
  await writeCorpus(store, { articles: 120, categories: 3, seed: 7, media: true });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error(`the media corpus's site.yaml was refused: ${JSON.stringify(loaded.problems)}`);
  job = await createRebuildJob({
    site: loaded.site, contentDir: store, outputDir: path.join(root, 'public'), maxArticleBytes: 1 << 20, feedItemLimit: 50,
    feedCron: '*/5 * * * *', clock: () => Date.parse('2026-11-01T00:00:00Z'), logger: pino({ level: 'silent' }), cwd: root,
  });
  const outcome = await job.rebuild(WHOLE_STORE);
  if (!outcome.ok) throw new Error(outcome.error.message);
  snapshot = outcome.snapshot;
}, 120_000);
afterAll(async () => {
  await job?.close();
  await removeTempDir(root);
});

const text = (documentPath: string): string => snapshot?.documents.get(documentPath)?.body.toString('utf8') ?? '';

describe('a generated store with images and an Arabic category', () => {
  it('publishes every feed, each validated, and rejects no article', () => {
    expect(snapshot?.build.failedDocuments).toEqual([]);
    expect(snapshot?.build.rejectedArticles).toEqual([]);
    for (const scope of ['', 'category/world/', 'category/business/', 'category/technology/', `category/${ARABIC_CATEGORY.slug}/`]) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) expect(text(`${scope}${file}`), `${scope}${file}`).not.toBe('');
    }
  });

  it('describes the lead images from the files themselves, in Media RSS and in JSON Feed', () => {
    const rss = text('rss.xml');
    expect(rss).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    expect(rss).toMatch(/<media:content url="http:\/\/localhost:3000\/images\/corpus\/lead-\d\.png" fileSize="\d+" type="image\/png" medium="image" width="1200" height="800"/);
    expect(text('atom.xml')).toContain('medium="image"');
    expect(text('feed.json')).toContain('"_media"');
  });

  it('reports the narrow lead image as a warning naming the file and its size', () => {
    const narrow = (snapshot?.build.warnings ?? []).filter((warning) => warning.field === 'image');
    expect(narrow.length).toBeGreaterThan(0);
    expect(narrow.every((warning) => /lead-7\.png is 600x400 pixels/.test(warning.message))).toBe(true);
  });

  it('gives the Arabic category feeds in Arabic, right to left, and keeps them out of the English site feed', () => {
    const scope = `category/${ARABIC_CATEGORY.slug}/`;
    expect(text(`${scope}rss.xml`)).toContain('<language>ar</language>');
    expect(text(`${scope}atom.xml`)).toContain('xml:lang="ar"');
    expect(JSON.parse(text(`${scope}feed.json`))).toMatchObject({ language: 'ar' });
    expect(text(`${scope}rss.xml`)).toContain('dir="rtl"');
    expect(text('rss.xml')).not.toContain('dir="rtl"');
  });
});
