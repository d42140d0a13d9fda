import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';
import type { FeedFormat, FeedScope } from '../../src/domain/documents.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { FeedItemCache } from '../../src/feeds/feed-item-cache.ts';
import { toFeedEntry } from '../../src/feeds/feed-entry.ts';
import { buildFeedWithinBudget } from '../../src/feeds/fit-feed-budget.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { compareNewestFirst } from '../../src/domain/article.ts';
import { generateArticles } from '../fixtures/articles/generate-articles.ts';
import { NS, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';

const SITE_SCOPE: FeedScope = { kind: 'site' };

/** Each item as a reader parses it back: its id and its full content. */
function readItems(format: FeedFormat, body: string): { id: string; title: string; content: string }[] {
  if (format === 'json') {
    return (JSON.parse(body) as { items: { id: string; title: string; content_html: string }[] }).items.map((item) => ({ id: item.id, title: item.title, content: item.content_html }));
  }
  const root = readXml(body);
  if (format === 'rss') {
    const channel = childrenOf(root, NS.none, 'channel')[0] ?? root;
    return childrenOf(channel, NS.none, 'item').map((item) => ({ id: textOf(item, NS.none, 'guid'), title: textOf(item, NS.none, 'title'), content: textOf(item, NS.content, 'encoded') }));
  }
  return childrenOf(root, NS.atom, 'entry').map((entry) => ({ id: textOf(entry, NS.atom, 'id'), title: textOf(entry, NS.atom, 'title'), content: textOf(entry, NS.atom, 'content') }));
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A store of large articles: each body is the generator's HTML repeated, with multi-byte text, some 40-120 KB. */
function largeArticles(count: number): { site: ReturnType<typeof generateArticles>['site']; items: Article[] } {
  const { site, articles } = generateArticles(count, 3, 7);
  const items = articles
    .filter((article) => !article.draft)
    .map((article, index) => {
      const html = article.body.html();
      const repeat = 8 + (index % 5) * 4;
      const body = Array.from({ length: repeat }, (_, part) => `${html}\n<p>مقطع ${part} — ç’est ñ 日本</p>`).join('\n');
      return Object.freeze({ ...article, body: ArticleBody.fromHtml(body), contentHash: `${article.contentHash}-large` });
    })
    .sort(compareNewestFirst);
  return { site, items };
}

describe('buildFeedWithinBudget: FEED_BYTE_BUDGET', () => {
  const { site, items } = largeArticles(40);
  const budget = 512 * 1024;

  for (const format of FEED_FORMATS) {
    it(`${format}: keeps the newest items that fit whole, under the budget, and reports what it left out`, () => {
      const input = { site, scope: SITE_SCOPE, format, items, ttlMinutes: 5 };
      const unbudgeted = buildFeedDocument(input);
      expect(bytes(unbudgeted.body)).toBeGreaterThan(budget);

      const { feed, problems } = buildFeedWithinBudget(input, new FeedItemCache(site), budget);
      expect(bytes(feed.body)).toBeLessThanOrEqual(budget);
      const read = readItems(format, feed.body);
      const kept = read.length;
      expect(kept).toBeGreaterThan(1);
      expect(kept).toBeLessThan(items.length);
      // The newest, in order, each whole: its full text exactly as the unbudgeted feed has it.
      read.forEach((item, position) => {
        const article = items[position] as Article;
        const entry = toFeedEntry(article, site);
        expect(item.id).toBe(entry.id);
        // Atom titles are type="html": the reader decodes them as HTML, so compare the others as written.
        if (format !== 'atom') expect(item.title).toBe(entry.title);
        expect(item.content).toBe(entry.contentHtml);
      });
      // Nothing that would have fitted was left out (JSON Feed's estimate may err by 2 bytes an item).
      const oneMore = buildFeedDocument({ ...input, items: items.slice(0, kept + 1) });
      expect(bytes(oneMore.body)).toBeGreaterThan(budget - 2 * (kept + 1));
      expect(validateFeedDocument(feed, { now: Date.now() })).toEqual([]);
      expect(problems).toEqual([{ subject: feed.path, field: 'FEED_BYTE_BUDGET', message: expect.stringContaining(`${items.length - kept} of ${items.length} item(s) left out`) }]);
      expect(problems[0]?.message).toContain(`${budget} bytes`);
    });
  }

  it('gives the same bytes every time, whatever the cache has seen before', () => {
    const warmed = new FeedItemCache(site);
    buildFeedWithinBudget({ site, scope: SITE_SCOPE, format: 'atom', items: items.slice(5), ttlMinutes: 5 }, warmed, budget);
    for (const format of FEED_FORMATS) {
      const input = { site, scope: SITE_SCOPE, format, items, ttlMinutes: 5 };
      const { feed } = buildFeedWithinBudget(input, warmed, budget);
      expect(readItems(format, feed.body).length).toBeLessThan(items.length);
      expect(feed.body).toBe(buildFeedWithinBudget(input, new FeedItemCache(site), budget).feed.body);
    }
  });

  it('leaves a feed that fits as buildFeedDocument writes it, with no report', () => {
    for (const format of FEED_FORMATS) {
      const input = { site, scope: SITE_SCOPE, format, items: items.slice(0, 2), ttlMinutes: 5 };
      const { feed, problems } = buildFeedWithinBudget(input, new FeedItemCache(site), budget);
      expect(feed.body).toBe(buildFeedDocument(input).body);
      expect(problems).toEqual([]);
    }
  });

  for (const format of FEED_FORMATS) {
    it(`${format}: never empties a feed: a newest item alone over the budget goes out alone, as its summary and a link`, () => {
      const small = 64 * 1024;
      const newest = items[0] as Article;
      expect(bytes(toFeedEntry(newest, site).contentHtml)).toBeGreaterThan(small);
      const { feed, problems } = buildFeedWithinBudget({ site, scope: SITE_SCOPE, format, items, ttlMinutes: 5 }, new FeedItemCache(site), small);
      const read = readItems(format, feed.body);
      expect(read).toHaveLength(1);
      const entry = toFeedEntry(newest, site);
      expect(read[0]?.id).toBe(entry.id);
      expect(read[0]?.content).toContain(entry.link.replaceAll('&', '&amp;'));
      expect(read[0]?.content).toContain(newest.summary);
      expect(bytes(feed.body)).toBeLessThanOrEqual(small);
      expect(validateFeedDocument(feed, { now: Date.now() })).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ subject: feed.path, field: 'FEED_BYTE_BUDGET' });
      expect(problems[0]?.message).toContain('newest item alone');
      expect(problems[0]?.message).toContain(`leaves out ${items.length - 1} older item(s)`);
    });
  }
});

describe('FeedItemCache: ARTICLE_BYTE_BUDGET', () => {
  const { site, items } = largeArticles(6);
  const [big, ...rest] = items as [Article, ...Article[]];
  const budget = bytes(toFeedEntry(big, site).contentHtml) - 1;

  for (const format of FEED_FORMATS) {
    it(`${format}: sends an article over the budget with its summary and a link, keeps it in the feed, and reports it`, () => {
      const small = rest.filter((article) => bytes(toFeedEntry(article, site).contentHtml) <= budget);
      const { feed, problems } = buildFeedWithinBudget({ site, scope: SITE_SCOPE, format, items: [big, ...small], ttlMinutes: 5 }, new FeedItemCache(site, { articleByteBudget: budget }));
      const read = readItems(format, feed.body);
      expect(read.map((item) => item.id)).toEqual([big, ...small].map((article) => toFeedEntry(article, site).id));
      const entry = toFeedEntry(big, site);
      expect(read[0]?.content).not.toBe(entry.contentHtml);
      expect(read[0]?.content).toContain(big.summary);
      expect(read[0]?.content).toContain('Read the full article');
      read.slice(1).forEach((item, position) => expect(item.content).toBe(toFeedEntry(small[position] as Article, site).contentHtml));
      expect(validateFeedDocument(feed, { now: Date.now() })).toEqual([]);
      expect(problems).toEqual([{ subject: big.sourcePath, field: 'ARTICLE_BYTE_BUDGET', message: expect.stringContaining(`${budget} bytes`) }]);
      expect(problems[0]?.message).toContain(`${bytes(entry.contentHtml)} bytes`);
    });
  }
});
