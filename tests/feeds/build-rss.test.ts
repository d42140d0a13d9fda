import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { articleLink, articleUri } from '../../src/domain/article-identity.ts';
import type { FeedScope } from '../../src/domain/documents.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { MEDIA_NAMESPACE } from '../../src/feeds/media-rss.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { NS, childOf, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, COMET, HARBOUR_FERRIES, SAMPLE_FEED_ORDER, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

const SITE_SCOPE: FeedScope = { kind: 'site' };

function buildRss(items: readonly Article[] = SAMPLE_FEED_ORDER, extra: { hubUrl?: string; scope?: FeedScope } = {}) {
  const doc = buildFeedDocument({ site: SAMPLE_SITE, scope: extra.scope ?? SITE_SCOPE, format: 'rss', items, ttlMinutes: 30, ...(extra.hubUrl ? { hubUrl: extra.hubUrl } : {}) });
  const root = readXml(doc.body);
  return { doc, root, channel: childOf(root, NS.none, 'channel') };
}

function itemFor(channel: SaxElement, article: Article): SaxElement {
  const item = childrenOf(channel, NS.none, 'item').find((candidate) => textOf(candidate, NS.none, 'guid') === articleUri(article, SAMPLE_SITE));
  if (!item) throw new Error(`no item for ${article.id}`);
  return item;
}

describe('buildFeedDocument: RSS 2.0', () => {
  it('describes the document: path, title, format, items and the content date', () => {
    const { doc } = buildRss();
    expect(doc).toMatchObject({ path: 'rss.xml', format: 'rss', title: 'Wirefeed Sample News', scope: SITE_SCOPE });
    expect(doc.items).toEqual(SAMPLE_FEED_ORDER);
    // CHIP_PLANT has the newest update of the four.
    expect(doc.lastModified).toBe(CHIP_PLANT.updated);
  });

  it('writes an rss 2.0 root whose atom, content and dc prefixes resolve to their namespaces', () => {
    const { root, channel } = buildRss();
    expect(root.name).toBe('rss');
    expect(root.attributes.version).toBe('2.0');
    // readXml resolves prefixes; a missing declaration would already have thrown.
    expect(childrenOf(channel, NS.atom, 'link')).toHaveLength(1);
    const item = itemFor(channel, HARBOUR_FERRIES);
    expect(childrenOf(item, NS.content, 'encoded')).toHaveLength(1);
    expect(childrenOf(item, NS.dc, 'creator')).toHaveLength(2);
  });

  it('writes the channel elements', () => {
    const { channel } = buildRss();
    expect(textOf(channel, NS.none, 'title')).toBe('Wirefeed Sample News');
    expect(textOf(channel, NS.none, 'link')).toBe('https://news.example.com/');
    expect(textOf(channel, NS.none, 'description')).toBe(SAMPLE_SITE.description);
    expect(textOf(channel, NS.none, 'language')).toBe('en-GB');
    expect(textOf(channel, NS.none, 'lastBuildDate')).toBe('Tue, 10 Mar 2026 08:45:30 GMT');
    expect(textOf(channel, NS.none, 'pubDate')).toBe('Tue, 10 Mar 2026 08:45:30 GMT');
    expect(textOf(channel, NS.none, 'ttl')).toBe('30');
    expect(textOf(channel, NS.none, 'generator')).toBe('Wirefeed');
    const self = childOf(channel, NS.atom, 'link');
    expect(self.attributes).toEqual({ href: 'https://news.example.com/rss.xml', rel: 'self', type: 'application/rss+xml' });
    const image = childOf(channel, NS.none, 'image');
    expect(textOf(image, NS.none, 'url')).toBe('https://news.example.com/logo.png');
    expect(textOf(image, NS.none, 'title')).toBe(textOf(channel, NS.none, 'title'));
    expect(textOf(image, NS.none, 'link')).toBe(textOf(channel, NS.none, 'link'));
  });

  it('writes a category feed with its own title, description, page link and self link', () => {
    const { doc, channel } = buildRss([HARBOUR_FERRIES, CHIP_PLANT], { scope: { kind: 'category', slug: 'technology' } });
    expect(doc.path).toBe('category/technology/rss.xml');
    expect(doc.title).toBe('Wirefeed Sample News — Technology');
    expect(textOf(channel, NS.none, 'title')).toBe('Wirefeed Sample News — Technology');
    expect(textOf(channel, NS.none, 'description')).toBe('Software, hardware and the people who make them.');
    expect(textOf(channel, NS.none, 'link')).toBe('https://news.example.com/category/technology/');
    expect(childOf(channel, NS.atom, 'link').attributes.href).toBe('https://news.example.com/category/technology/rss.xml');
  });

  it('advertises the WebSub hub only when there is one', () => {
    const withHub = buildRss(SAMPLE_FEED_ORDER, { hubUrl: 'https://hub.example.com/' });
    const links = childrenOf(withHub.channel, NS.atom, 'link').map((link) => link.attributes);
    expect(links).toContainEqual({ href: 'https://hub.example.com/', rel: 'hub' });
    expect(childrenOf(buildRss().channel, NS.atom, 'link').map((link) => link.attributes.rel)).toEqual(['self']);
  });

  it('writes every item element, in feed order', () => {
    const { channel } = buildRss();
    const items = childrenOf(channel, NS.none, 'item');
    expect(items.map((item) => textOf(item, NS.none, 'guid'))).toEqual(SAMPLE_FEED_ORDER.map((article) => articleUri(article, SAMPLE_SITE)));

    const item = itemFor(channel, HARBOUR_FERRIES);
    expect(textOf(item, NS.none, 'title')).toBe(HARBOUR_FERRIES.title);
    expect(textOf(item, NS.none, 'link')).toBe(articleLink(HARBOUR_FERRIES, SAMPLE_SITE));
    expect(textOf(item, NS.none, 'link')).toBe('https://www.example-gazette.com/local/2026/03/harbour-ferries-return');
    const guid = childOf(item, NS.none, 'guid');
    expect(guid.text).toBe('urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21');
    expect(guid.attributes.isPermaLink).toBe('false');
    expect(textOf(item, NS.none, 'pubDate')).toBe('Mon, 09 Mar 2026 07:30:00 GMT');
    expect(textOf(item, NS.none, 'description')).toBe(HARBOUR_FERRIES.summary);
    expect(textOf(item, NS.content, 'encoded')).toBe(HARBOUR_FERRIES.body.html());
    expect(childrenOf(item, NS.dc, 'creator').map((creator) => creator.text)).toEqual(['Amira Haddad', 'Jonas Berg']);
    expect(childrenOf(item, NS.none, 'category').map((category) => category.text)).toEqual(['Local & Regional', 'World', 'transport', 'harbour', 'prices']);
    expect(childrenOf(item, NS.none, 'category').map((category) => category.attributes.domain)).toEqual([
      'https://news.example.com/category/local-regional/',
      'https://news.example.com/category/world/',
      undefined,
      undefined,
      undefined,
    ]);
    expect(childOf(item, NS.none, 'enclosure').attributes).toEqual({ url: 'https://news.example.com/media/ferry.jpg', type: 'image/jpeg', length: '48213' });
  });

  it('names authors with dc:creator, never with <author> (which must be an e-mail address)', () => {
    const { channel } = buildRss();
    for (const item of childrenOf(channel, NS.none, 'item')) expect(childrenOf(item, NS.none, 'author')).toEqual([]);
    // COMET has no author of its own: the site's default author stands in.
    expect(childrenOf(itemFor(channel, COMET), NS.dc, 'creator').map((creator) => creator.text)).toEqual(['Wirefeed Newsdesk']);
  });

  it('links to the article page when the article has no publisher URL, and has no enclosure without an image', () => {
    const item = itemFor(buildRss().channel, COMET);
    expect(textOf(item, NS.none, 'link')).toBe('https://news.example.com/articles/comet-ice-water');
    expect(childrenOf(item, NS.none, 'enclosure')).toEqual([]);
  });

  it('avoids XMLBuilder\'s traps: a "true" attribute keeps its value; "&amp;", CR, tab and newline survive in text and attributes', () => {
    const text = 'a &amp; b < c > d ]]> "q" \'s\' \r\n\ttab &lt;';
    const article: Article = {
      ...HARBOUR_FERRIES,
      title: text,
      summary: text,
      categories: [{ name: text, slug: 'x"&amp;\t\n\ry' }],
      tags: ['true', text],
      image: { url: 'https://news.example.com/i.jpg?a=1&amp;b=2', type: 'true', length: 10, alt: text },
    };
    const item = itemFor(buildRss([article]).channel, article);
    // suppressBooleanAttributes would have written a bare `type`, which is not XML at all.
    expect(childOf(item, NS.none, 'enclosure').attributes).toEqual({ url: 'https://news.example.com/i.jpg?a=1&amp;b=2', type: 'true', length: '10' });
    expect(childOf(item, MEDIA_NAMESPACE, 'content').attributes.type).toBe('true');
    expect(textOf(childOf(item, MEDIA_NAMESPACE, 'content'), MEDIA_NAMESPACE, 'title')).toBe(text);
    expect(childOf(item, NS.none, 'guid').attributes.isPermaLink).toBe('false');
    expect(textOf(item, NS.none, 'title')).toBe(text);
    expect(textOf(item, NS.none, 'description')).toBe(text);
    const categories = childrenOf(item, NS.none, 'category');
    expect(categories.map((category) => category.text)).toEqual([text, 'true', text]);
    expect(categories[0]?.attributes.domain).toBe('https://news.example.com/category/x"&amp;\t\n\ry/');
  });

  it('keeps markup-looking text as text: HTML, entities, "]]>" and "<![CDATA[" come back unchanged', () => {
    const item = itemFor(buildRss().channel, CHIP_PLANT);
    expect(textOf(item, NS.none, 'title')).toBe('Chip plant opens: <3nm> process, 2,000 jobs');
    expect(textOf(item, NS.content, 'encoded')).toBe(CHIP_PLANT.body.html());
    expect(childrenOf(item, NS.none, 'category').map((category) => category.text)).toContain('C++ & Rust');
  });
});
