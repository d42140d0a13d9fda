/**
 * One test per defect found in the `feed` package (6.0.0) that the builders replace. Each
 * builds documents the way that package would have broken them and fails if the defect returns.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedFormat, FeedScope } from '../../src/domain/feed-format.ts';
import { FEED_FORMATS } from '../../src/domain/feed-format.ts';
import type { Site } from '../../src/domain/site.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { readFeedItems } from '../fixtures/articles/read-feed-items.ts';
import { NS, childOf, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, HARBOUR_FERRIES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

const SITE_SCOPE: FeedScope = { kind: 'site' };

function build(format: FeedFormat, items: readonly Article[], site: Site = SAMPLE_SITE): FeedDocument {
  return buildFeedDocument({ site, scope: SITE_SCOPE, format, items, ttlMinutes: 15 });
}

/** The article's HTML as a reader gets it back from each format. */
function contentBack(doc: FeedDocument): string {
  if (doc.format === 'json') return (JSON.parse(doc.body) as { items: { content_html: string }[] }).items[0]?.content_html ?? '';
  const root = readXml(doc.body);
  const first = <T>(items: T[]): T => {
    if (items[0] === undefined) throw new Error('no item');
    return items[0];
  };
  if (doc.format === 'rss') return textOf(first(childrenOf(childOf(root, NS.none, 'channel'), NS.none, 'item')), NS.content, 'encoded');
  return textOf(first(childrenOf(root, NS.atom, 'entry')), NS.atom, 'content');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('defects of the feed package that must not come back', () => {
  it('content with "]]>" several times (feed escapes only the first one in CDATA) reads back unchanged', () => {
    const contentHtml = '<p>a]]>b</p><pre>]]>]]></pre><![CDATA[x]]><p>]]]]>&gt;</p><p>]]></p>';
    const article: Article = { ...CHIP_PLANT, title: 'x]]>y]]>z', summary: ']]>', contentHtml };
    for (const format of FEED_FORMATS) {
      const doc = build(format, [article]);
      expect(contentBack(doc), format).toBe(contentHtml);
      expect(readFeedItems(format, doc.body)[0]?.title, format).toBe('x]]>y]]>z');
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW }), format).toEqual([]);
    }
  });

  it('XML-illegal characters in every field (feed passes them through) are removed, and the document stays well-formed', () => {
    // Low before high: two lone surrogates, not a pair.
    const bad = '\u0000\u0001\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF\uDFFF\uD800';
    const dirty = (text: string): string => `${bad}${text}${bad}`;
    const site: Site = {
      ...SAMPLE_SITE,
      title: dirty(SAMPLE_SITE.title),
      description: dirty(SAMPLE_SITE.description),
      language: dirty('en'),
      defaultAuthor: { name: dirty('Desk'), url: dirty('https://news.example.com/desk'), email: dirty('desk@news.example.com') },
      categories: [{ name: dirty('World'), slug: 'world', description: dirty('World news') }],
      logo: dirty('https://news.example.com/logo.png'),
    };
    const article: Article = {
      ...HARBOUR_FERRIES,
      id: 'illegal-characters',
      title: dirty('Title'),
      summary: dirty('Summary'),
      contentHtml: dirty('<p>Body</p>'),
      categories: [{ name: dirty('World'), slug: dirty('world') }],
      tags: [dirty('tag')],
      authors: [{ name: dirty('Amira'), url: dirty('https://news.example.com/amira'), email: dirty('amira@news.example.com') }, { name: dirty('Jonas') }],
      image: { url: dirty('https://news.example.com/i.jpg'), type: dirty('image/jpeg') },
      url: dirty('https://news.example.com/x'),
    };
    const authorless: Article = { ...article, id: 'no-author', authors: [] };
    for (const format of FEED_FORMATS) {
      const doc = build(format, [article, authorless], site);
      // eslint-disable-next-line no-control-regex -- looking for exactly these characters
      expect(doc.body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      expect(doc.body).not.toMatch(/[\uD800-\uDFFF]/u);
      if (format !== 'json') expect(() => readXml(doc.body), format).not.toThrow();
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW }), format).toEqual([]);
      const [item] = readFeedItems(format, doc.body);
      expect(item, format).toMatchObject({ title: 'Title', link: 'https://news.example.com/x', authors: ['Amira', 'Jonas'] });
      expect(contentBack(doc), format).toBe('<p>Body</p>');
      expect(doc.title).toBe('Wirefeed Sample News');
    }
  });

  it('ids that are not URLs (feed runs them through new URL(), which throws or rewrites) are written exactly', () => {
    const ids = ['tag:news.example.com,2026:x', 'urn:isbn:0-395-36341-1', 'HTTPS://Example.COM/a/../b', 'http://[bad/x'];
    const articles = ids.map((id, index): Article => ({ ...CHIP_PLANT, id, slug: `a-${index}` }));
    for (const format of FEED_FORMATS) {
      const doc = build(format, articles);
      expect(readFeedItems(format, doc.body).map((item) => item.id), format).toEqual(ids);
    }
    expect(() => readXml(build('atom', articles).body)).not.toThrow();
  });

  it('every Atom category has the term RFC 4287 requires (feed writes none unless given), tags named "true" included', () => {
    const article: Article = { ...HARBOUR_FERRIES, tags: ['true', 'false', ''] };
    const doc = build('atom', [article]);
    const categories = childrenOf(childOf(readXml(doc.body), NS.atom, 'entry'), NS.atom, 'category');
    expect(categories.map((category) => category.attributes.term)).toEqual(['local-regional', 'world', 'true', 'false', '']);
    // An empty tag is written faithfully and then refused by validation rather than hidden.
    expect(validateFeedDocument(doc, { now: SAMPLE_NOW }).map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^atom entry urn:uuid:.*: category term is empty$/),
    ]);
  });

  it('JSON Feed is version 1.1 with an `authors` array (feed writes 1.0 with a single `author`)', () => {
    const feed = JSON.parse(build('json', [HARBOUR_FERRIES]).body) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed).not.toHaveProperty('author');
    expect(feed.authors).toEqual([{ name: 'Wirefeed Newsdesk', url: 'https://news.example.com/about' }]);
    expect(feed.items[0]).not.toHaveProperty('author');
    expect(feed.items[0]?.authors).toEqual([{ name: 'Amira Haddad', url: 'https://news.example.com/authors/amira-haddad' }, { name: 'Jonas Berg' }]);
  });

  it('RSS names every author with dc:creator and writes no <author> without an e-mail address', () => {
    const item = childOf(childOf(readXml(build('rss', [HARBOUR_FERRIES]).body), NS.none, 'channel'), NS.none, 'item');
    expect(childrenOf(item, NS.none, 'author')).toEqual([]);
    expect(childrenOf(item, NS.dc, 'creator').map((creator) => creator.text)).toEqual(['Amira Haddad', 'Jonas Berg']);
  });

  it('feed dates come from the content, not the clock (feed falls back to new Date()): builds at different times are identical', () => {
    for (const format of FEED_FORMATS) {
      for (const items of [[HARBOUR_FERRIES, CHIP_PLANT], []]) {
        vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 12, 0, 0) });
        const first = build(format, items);
        vi.setSystemTime(Date.UTC(2029, 11, 31, 23, 59, 59));
        const second = build(format, items);
        expect(second.body, `${format}, ${items.length} items`).toBe(first.body);
        expect(second.lastModified).toBe(first.lastModified);
        vi.useRealTimers();
      }
    }
  });
});
