import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { buildFeedSet } from '../../src/feeds/build-feed-set.ts';
import { FeedItemCache } from '../../src/feeds/feed-item-cache.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import { selectFeedArticles } from '../../src/feeds/select-feed-articles.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import type { ReadItem } from '../fixtures/articles/read-feed-items.ts';
import { readXml } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, COMET, SAMPLE_ARTICLES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';
import { readItemsAsReader } from './read-atom-as-reader.ts';

const build = (articles: readonly Article[] = SAMPLE_ARTICLES, now = SAMPLE_NOW): FeedDocument[] =>
  buildFeedSet({ site: SAMPLE_SITE, articles, now, limit: 50, ttlMinutes: 15, hubUrl: 'https://hub.example.com/' });

afterEach(() => {
  vi.useRealTimers();
});

describe('buildFeedSet', () => {
  it('builds the site and every declared category, each in RSS, Atom and JSON Feed', () => {
    expect(build().map((doc) => doc.path)).toEqual([
      'rss.xml', 'atom.xml', 'feed.json',
      'category/world/rss.xml', 'category/world/atom.xml', 'category/world/feed.json',
      'category/technology/rss.xml', 'category/technology/atom.xml', 'category/technology/feed.json',
      'category/science/rss.xml', 'category/science/atom.xml', 'category/science/feed.json',
      'category/culture/rss.xml', 'category/culture/atom.xml', 'category/culture/feed.json',
    ]);
  });

  it('fills each feed with exactly what selectFeedArticles picks for its scope', () => {
    for (const doc of build()) expect(doc.items).toEqual(selectFeedArticles(SAMPLE_ARTICLES, doc.scope, SAMPLE_NOW, 50));
  });

  it('builds only the scopes asked for', () => {
    const docs = buildFeedSet({ site: SAMPLE_SITE, articles: SAMPLE_ARTICLES, now: SAMPLE_NOW, limit: 1, ttlMinutes: 15, scopes: [{ kind: 'category', slug: 'science' }] });
    expect(docs.map((doc) => doc.path)).toEqual(['category/science/rss.xml', 'category/science/atom.xml', 'category/science/feed.json']);
    expect(docs[0]?.items).toEqual([COMET]);
  });

  it('produces documents that pass validation and a strict XML parser', () => {
    for (const doc of build()) {
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW })).toEqual([]);
      if (doc.format !== 'json') expect(() => readXml(doc.body)).not.toThrow();
    }
  });

  it('gives a declared category with no public article valid, empty feeds dated by the newest public article', () => {
    const culture = build().filter((doc) => doc.path.startsWith('category/culture/'));
    expect(culture).toHaveLength(3);
    for (const doc of culture) {
      expect(doc.items).toEqual([]);
      expect(readItemsAsReader(doc.format, doc.body)).toEqual([]);
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW })).toEqual([]);
      expect(doc.lastModified).toBe(CHIP_PLANT.updated);
    }
  });

  it('dates feeds of a site with nothing public at the Unix epoch, not at the clock', () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    for (const doc of build([], SAMPLE_NOW)) {
      expect(doc.lastModified).toBe(0);
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW })).toEqual([]);
    }
  });

  it('dates every feed by its content: the newest update among its own items', () => {
    for (const doc of build()) {
      if (doc.items.length === 0) continue;
      expect(doc.lastModified).toBe(Math.max(...doc.items.map((item) => item.updated)));
    }
  });

  it('shows an article with the same id, title, link, dates and authors in every format and every feed', () => {
    const seen = new Map<string, { item: ReadItem; where: string }>();
    for (const doc of build()) {
      // As a reader reads them: Atom titles are HTML there (type="html"), RSS and JSON Feed titles text.
      for (const item of readItemsAsReader(doc.format, doc.body)) {
        const { updated, ...shared } = item;
        const earlier = seen.get(item.id);
        if (earlier) {
          const { updated: earlierUpdated, ...earlierShared } = earlier.item;
          expect(shared, `${doc.path} vs ${earlier.where}`).toEqual(earlierShared);
          if (updated !== undefined && earlierUpdated !== undefined) expect(updated).toBe(earlierUpdated);
        } else seen.set(item.id, { item, where: doc.path });
      }
    }
    // The four public articles, each seen at least once.
    expect(seen.size).toBe(4);
  });

  it('shares rendered items between documents without changing a byte', () => {
    const site = SAMPLE_SITE;
    for (const doc of build()) {
      const alone = buildFeedDocument({ site, scope: doc.scope, format: doc.format, items: doc.items, ttlMinutes: 15, hubUrl: 'https://hub.example.com/', emptyFeedUpdated: CHIP_PLANT.updated });
      expect(doc.body, doc.path).toBe(alone.body);
    }
    expect(() =>
      buildFeedDocument({ site, scope: { kind: 'site' }, format: 'rss', items: [], ttlMinutes: 15 }, new FeedItemCache({ ...site })),
    ).toThrow(/another site/);
  });

  it('is deterministic: same input, same bytes, whatever the input order and the wall clock', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 12, 0, 0) });
    const first = build();
    vi.setSystemTime(Date.UTC(2031, 6, 1, 3, 4, 5));
    const second = build([...SAMPLE_ARTICLES].reverse());
    expect(second.map((doc) => doc.body)).toEqual(first.map((doc) => doc.body));
    expect(second.map((doc) => doc.lastModified)).toEqual(first.map((doc) => doc.lastModified));
  });
});
