import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { articleUri } from '../../src/domain/article-identity.ts';
import type { FeedFormat, FeedScope } from '../../src/domain/documents.ts';
import { defaultFeedScopes, FEED_FORMATS, feedPath } from '../../src/domain/documents.ts';
import type { Site } from '../../src/domain/site.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { FeedItemCache } from '../../src/feeds/feed-item-cache.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import { generateArticles } from '../fixtures/articles/generate-articles.ts';
import { inMemoryIndex, selectByReference } from '../fixtures/articles/in-memory-store.ts';
import type { ReadItem } from '../fixtures/articles/read-feed-items.ts';
import { readXml } from '../fixtures/articles/read-xml-with-saxes.ts';
import { COMET, SAMPLE_ARTICLES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';
import { readItemsAsReader } from '../feeds/read-atom-as-reader.ts';

/**
 * The feeds of a site as the service builds them (createSiteBuilder, the production selection
 * and rendering path), from articles held in memory.
 */
const HUB = 'https://hub.example.com/';

interface BuiltFeed {
  readonly path: string;
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  readonly body: string;
  readonly lastModified: number;
}

async function buildSnapshot(articles: readonly Article[], now: number, site: Site = SAMPLE_SITE, limit = 50): Promise<Snapshot> {
  const builder = createSiteBuilder({ site, index: inMemoryIndex(site, articles), clock: () => now, feedItemLimit: limit, ttlMinutes: 15, hubUrl: HUB });
  return (await builder.build(WHOLE_STORE)).snapshot;
}

/** Every feed of the snapshot, in scope order (site, then site.yaml's categories), each in RSS, Atom and JSON Feed. */
function feedsOf(snapshot: Snapshot): BuiltFeed[] {
  return defaultFeedScopes(snapshot.site).flatMap((scope) =>
    FEED_FORMATS.flatMap((format) => {
      const document = snapshot.documents.get(feedPath(scope, format));
      return document ? [{ path: document.path, scope, format, body: document.body.toString('utf8'), lastModified: document.lastModified }] : [];
    }),
  );
}

const build = async (articles: readonly Article[] = SAMPLE_ARTICLES, now = SAMPLE_NOW): Promise<BuiltFeed[]> => feedsOf(await buildSnapshot(articles, now));

afterEach(() => {
  vi.useRealTimers();
});

describe('the feeds of a site build', () => {
  it('builds the site and every declared category, each in RSS, Atom and JSON Feed', async () => {
    expect((await build()).map((doc) => doc.path)).toEqual([
      'rss.xml', 'atom.xml', 'feed.json',
      'category/world/rss.xml', 'category/world/atom.xml', 'category/world/feed.json',
      'category/technology/rss.xml', 'category/technology/atom.xml', 'category/technology/feed.json',
      'category/science/rss.xml', 'category/science/atom.xml', 'category/science/feed.json',
      'category/culture/rss.xml', 'category/culture/atom.xml', 'category/culture/feed.json',
    ]);
  });

  it('fills each feed with exactly the newest public articles of its scope, in feed order', async () => {
    for (const doc of await build()) {
      const expected = selectByReference(SAMPLE_ARTICLES, doc.scope, SAMPLE_NOW, 50).map((article) => articleUri(article, SAMPLE_SITE));
      expect(readItemsAsReader(doc.format, doc.body).map((item) => item.id), doc.path).toEqual(expected);
    }
  });

  it('keeps only the newest FEED_ITEM_LIMIT items', async () => {
    const snapshot = await buildSnapshot(SAMPLE_ARTICLES, SAMPLE_NOW, SAMPLE_SITE, 1);
    for (const doc of feedsOf(snapshot)) expect(readItemsAsReader(doc.format, doc.body).length, doc.path).toBeLessThanOrEqual(1);
    const science = feedsOf(snapshot).find((doc) => doc.path === 'category/science/feed.json');
    expect(readItemsAsReader('json', science?.body ?? '{"items":[]}').map((item) => item.id)).toEqual([articleUri(COMET, SAMPLE_SITE)]);
  });

  it('publishes only documents that pass validation and a strict XML parser', async () => {
    const snapshot = await buildSnapshot(SAMPLE_ARTICLES, SAMPLE_NOW);
    expect(snapshot.build.failedDocuments).toEqual([]);
    for (const doc of feedsOf(snapshot)) {
      expect(validateFeedText(doc.body, { now: SAMPLE_NOW, subject: doc.path, format: doc.format }), doc.path).toEqual([]);
      if (doc.format !== 'json') expect(() => readXml(doc.body)).not.toThrow();
    }
  });

  it('gives a declared category with no public article valid, empty feeds dated at the epoch, whatever the site publishes', async () => {
    const culture = (await build()).filter((doc) => doc.path.startsWith('category/culture/'));
    expect(culture).toHaveLength(3);
    for (const doc of culture) {
      expect(readItemsAsReader(doc.format, doc.body)).toEqual([]);
      expect(validateFeedText(doc.body, { now: SAMPLE_NOW, subject: doc.path, format: doc.format })).toEqual([]);
      expect(doc.lastModified).toBe(0);
    }
  });

  it('dates feeds of a site with nothing public at the Unix epoch, not at the clock', async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1), toFake: ['Date'] });
    for (const doc of await build([], SAMPLE_NOW)) {
      expect(doc.lastModified).toBe(0);
      expect(validateFeedText(doc.body, { now: SAMPLE_NOW, subject: doc.path, format: doc.format })).toEqual([]);
    }
  });

  it('dates every feed by its content: the newest update among its own items', async () => {
    for (const doc of await build()) {
      const items = selectByReference(SAMPLE_ARTICLES, doc.scope, SAMPLE_NOW, 50);
      if (items.length > 0) expect(doc.lastModified, doc.path).toBe(Math.max(...items.map((item) => item.updated)));
    }
  });

  it('shows an article with the same id, title, link, dates and authors in every format and every feed', async () => {
    const seen = new Map<string, { item: ReadItem; where: string }>();
    for (const doc of await build()) {
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

  it('shares rendered items between documents without changing a byte', async () => {
    const site = SAMPLE_SITE;
    for (const doc of await build()) {
      const items = selectByReference(SAMPLE_ARTICLES, doc.scope, SAMPLE_NOW, 50);
      const alone = buildFeedDocument({ site, scope: doc.scope, format: doc.format, items, ttlMinutes: 15, hubUrl: HUB });
      expect(doc.body, doc.path).toBe(alone.body);
    }
    expect(() =>
      buildFeedDocument({ site, scope: { kind: 'site' }, format: 'rss', items: [], ttlMinutes: 15 }, new FeedItemCache({ ...site })),
    ).toThrow(/another site/);
  });

  it('is deterministic: same input, same bytes, whatever the store order and the wall clock', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 12, 0, 0), toFake: ['Date'] });
    const first = await build();
    vi.setSystemTime(Date.UTC(2031, 6, 1, 3, 4, 5));
    const second = await build([...SAMPLE_ARTICLES].reverse());
    expect(second.map((doc) => doc.body)).toEqual(first.map((doc) => doc.body));
    expect(second.map((doc) => doc.lastModified)).toEqual(first.map((doc) => doc.lastModified));
  });

  it('builds and validates every feed of 3,000 articles in 20 categories, each full', async () => {
    // Sizes that matter for time are measured by `npm run bench`; this checks a full site is whole.
    const { site, articles, now } = generateArticles(3_000, 20);
    const snapshot = await buildSnapshot(articles, now, site);
    expect(snapshot.build.failedDocuments).toEqual([]);
    const feeds = feedsOf(snapshot);
    expect(feeds).toHaveLength(63);
    for (const doc of feeds) expect(readItemsAsReader(doc.format, doc.body), doc.path).toHaveLength(50);
  });
});
