/**
 * One test per defect of the `feed` package (6.0.0 with xml-js 1.6.11), numbered as in
 * src/feeds/prepare-feed-library-input.ts, which works around each for Atom; then the defects
 * that keep RSS and JSON Feed out of that package. Each test fails if its workaround goes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedFormat, FeedScope } from '../../src/domain/documents.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import type { Site } from '../../src/domain/site.ts';
import { buildAtom } from '../../src/feeds/build-atom.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { describeFeed } from '../../src/feeds/describe-feed.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import type { FeedEntry } from '../../src/feeds/feed-entry.ts';
import { toFeedEntry } from '../../src/feeds/feed-entry.ts';
import { finishFeedLibraryAtom } from '../../src/feeds/finish-feed-library-output.ts';
import { MEDIA_NAMESPACE } from '../../src/feeds/media-rss.ts';
import { toFeedLibraryItem } from '../../src/feeds/prepare-feed-library-input.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { NS, childOf, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, HARBOUR_FERRIES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';
import { atomText, readItemsAsReader } from './read-atom-as-reader.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';

const SITE_SCOPE: FeedScope = { kind: 'site' };

function build(format: FeedFormat, items: readonly Article[], site: Site = SAMPLE_SITE): FeedDocument {
  return buildFeedDocument({ site, scope: SITE_SCOPE, format, items, ttlMinutes: 15 });
}

const firstOf = <T>(items: T[]): T => {
  if (items[0] === undefined) throw new Error('no item');
  return items[0];
};
const firstEntry = (body: string): SaxElement => firstOf(childrenOf(readXml(body), NS.atom, 'entry'));
const firstRssItem = (body: string): SaxElement => firstOf(childrenOf(childOf(readXml(body), NS.none, 'channel'), NS.none, 'item'));

/** The article's HTML as a reader gets it back from each format. */
function contentBack(doc: FeedDocument): string {
  if (doc.format === 'json') return (JSON.parse(doc.body) as { items: { content_html: string }[] }).items[0]?.content_html ?? '';
  if (doc.format === 'rss') return textOf(firstRssItem(doc.body), NS.content, 'encoded');
  return textOf(firstEntry(doc.body), NS.atom, 'content');
}

const categoriesOf = (entry: SaxElement): Record<string, string>[] => childrenOf(entry, NS.atom, 'category').map((category) => ({ ...category.attributes }));

/** An Atom document made straight from FeedEntry values, past the cleaning toFeedEntry does. */
function atomOf(entries: readonly FeedEntry[], site: Site = SAMPLE_SITE): string {
  const feed = describeFeed({ site, scope: SITE_SCOPE, format: 'atom', items: [], entries, ttlMinutes: 15 });
  return buildAtom(feed, entries.map((entry) => toFeedLibraryItem(entry, site)));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('defects of the feed package that must not come back', () => {
  it('1. "]]>" several times in title, summary and content (feed splits only the first in CDATA) reads back as the same text and HTML', () => {
    // `]]>` in text and in an attribute value, where sanitised HTML could hold it; `&lt;![CDATA[` is text too.
    const contentHtml = '<p>a]]>b</p><pre>]]>]]></pre><p title="]]>">&lt;![CDATA[x]]></p><p>]]]]>&gt;</p><p>]]></p>';
    const article: Article = { ...CHIP_PLANT, title: 'x]]>y]]>z <![CDATA[', summary: ']]>]]>', body: ArticleBody.fromHtml(contentHtml) };
    for (const format of FEED_FORMATS) {
      const doc = build(format, [article]);
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW }), format).toEqual([]);
      expect(readItemsAsReader(format, doc.body)[0]?.title, format).toBe('x]]>y]]>z <![CDATA[');
      // Atom holds `]]&gt;` for `]]>`: the same HTML in text and attribute values, and no `]]>` to end its CDATA.
      expect(contentBack(doc), format).toBe(format === 'atom' ? contentHtml.replaceAll(']]>', ']]&gt;') : contentHtml);
    }
    expect(atomText(childOf(firstEntry(build('atom', [article]).body), NS.atom, 'summary'))).toBe(']]>]]>');
  });

  it('2. XML-illegal characters in every field (feed passes them through) are removed, and the document stays well-formed', () => {
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
      body: ArticleBody.fromHtml(dirty('<p>Body</p>')),
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
      const [item] = readItemsAsReader(format, doc.body);
      expect(item, format).toMatchObject({ title: 'Title', link: 'https://news.example.com/x', authors: ['Amira', 'Jonas'] });
      expect(contentBack(doc), format).toBe('<p>Body</p>');
      expect(doc.title).toBe('Wirefeed Sample News');
    }
  });

  it('2. the Atom input is cleaned on its own, so no string reaches feed with an XML-illegal character (or a mark of 7)', () => {
    // Straight FeedEntry values, not cleaned by toFeedEntry: \u0001-\u0005 are also the marks of 7 and 3.
    const marks = '\u0000\u0001\u0002\u0003\u0004\u0005\uFFFF';
    const entry: FeedEntry = {
      ...toFeedEntry(HARBOUR_FERRIES, SAMPLE_SITE),
      title: `T${marks}itle`,
      summary: `S${marks}`,
      contentHtml: `<p>B${marks}</p>`,
      authors: [{ name: `A${marks}` }],
      categories: [{ name: `W${marks}`, slug: `w${marks}` }],
      tags: [`t${marks}`],
    };
    const body = atomOf([entry]);
    const parsed = firstEntry(body);
    expect(atomText(childOf(parsed, NS.atom, 'title'))).toBe('Title');
    expect(atomText(childOf(parsed, NS.atom, 'summary'))).toBe('S');
    expect(textOf(parsed, NS.atom, 'content')).toBe('<p>B</p>');
    expect(textOf(childOf(parsed, NS.atom, 'author'), NS.atom, 'name')).toBe('A');
    expect(categoriesOf(parsed).map((category) => [category.term, category.label])).toEqual([['w', 'W'], ['t', undefined]]);
  });

  it('3. ids and links new URL() would reject or rewrite (feed runs them through it) are written exactly, in every format', () => {
    const ids = ['tag:news.example.com,2026:x', 'urn:isbn:0-395-36341-1', 'HTTPS://Example.COM/a/../b', 'http://[bad/x', 'urn:x:é<"&amp;>', 'tag:news.example.com,2026:a&amp;b&c'];
    const links = [
      'https://Example.COM/a/../b?q=<c>&d',
      'https://news.example.com/x?a=1&b=2',
      'https://news.example.com/y',
      'http://[bad/x',
      'https://news.example.com/z#"q"',
      'https://news.example.com/q?x=&amp;&y',
    ];
    const articles = ids.map((id, index): Article => ({ ...CHIP_PLANT, id, slug: `a-${index}`, url: links[index] ?? '' }));
    for (const format of FEED_FORMATS) {
      const items = readItemsAsReader(format, build(format, articles).body);
      expect(items.map((item) => item.id), format).toEqual(ids);
      expect(items.map((item) => item.link), format).toEqual(links);
    }
    const atom = build('atom', articles).body;
    expect(() => readXml(atom)).not.toThrow();
    expect(atom).not.toContain('stand-in');
  });

  it('3. tag: ids with percent-encoding and urn:uuid ids go through feed as they are, and read back exactly', () => {
    const articles = ['technology/2026/chip-plant', 'a b/é?#&<>"\'()', '2F6C1C4E-8D0A-4A43-9A57-3C1F0E6B9D21', '100%/x%2Fy'].map(
      (id, index): Article => ({ ...CHIP_PLANT, id, slug: `a-${index}` }),
    );
    const expected = [
      'tag:news.example.com,2026:technology%2F2026%2Fchip-plant',
      "tag:news.example.com,2026:a%20b%2F%C3%A9%3F%23%26%3C%3E%22'()",
      'urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21',
      'tag:news.example.com,2026:100%25%2Fx%252Fy',
    ];
    for (const article of articles) expect(toFeedLibraryItem(toFeedEntry(article, SAMPLE_SITE), SAMPLE_SITE).restore).toBeUndefined();
    for (const format of FEED_FORMATS) {
      const doc = build(format, articles);
      expect(readItemsAsReader(format, doc.body).map((item) => item.id), format).toEqual(expected);
      expect(validateFeedDocument(doc, { now: SAMPLE_NOW }), format).toEqual([]);
    }
  });

  it('4. every Atom category has the term RFC 4287 requires (feed writes none unless given), tags named "true" included', () => {
    const article: Article = { ...HARBOUR_FERRIES, tags: ['true', 'false', ''] };
    const doc = build('atom', [article]);
    const categories = categoriesOf(firstEntry(doc.body));
    expect(categories.map((category) => category.term)).toEqual(['local-regional', 'world', 'true', 'false', '']);
    expect(categories.map((category) => category.label)).toEqual(['Local & Regional', 'World', undefined, undefined, undefined]);
    // An empty tag is written faithfully and then refused by validation rather than hidden.
    expect(validateFeedDocument(doc, { now: SAMPLE_NOW }).map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^atom entry urn:uuid:.*: category term is empty$/),
    ]);
  });

  it('5. feed dates come from the content, not the clock (feed falls back to new Date()): builds at different times are identical', () => {
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

  it('6. text that says "&amp;" (xml-js turns it into "&" before escaping) reads back as written', () => {
    const site: Site = { ...SAMPLE_SITE, title: 'Fish &amp; Chips & Co', defaultAuthor: { name: 'Desk &amp; Co', email: 'a&amp;b@news.example.com' } };
    const article: Article = { ...HARBOUR_FERRIES, title: 'Write &amp; for &', authors: [{ name: 'Amira &amp; Jonas' }], tags: ['x &amp; y'] };
    const doc = build('atom', [article], site);
    expect(validateFeedDocument(doc, { now: SAMPLE_NOW })).toEqual([]);
    const root = readXml(doc.body);
    expect(textOf(root, NS.atom, 'title')).toBe('Fish &amp; Chips & Co');
    expect(textOf(childOf(root, NS.atom, 'author'), NS.atom, 'name')).toBe('Desk &amp; Co');
    expect(textOf(childOf(root, NS.atom, 'author'), NS.atom, 'email')).toBe('a&amp;b@news.example.com');
    expect(readItemsAsReader('atom', doc.body)[0]).toMatchObject({ title: 'Write &amp; for &', authors: ['Amira &amp; Jonas'] });
    expect(categoriesOf(firstEntry(doc.body)).at(-1)?.term).toBe('x &amp; y');
  });

  it('7. CR in text, and <, tab, LF and CR in attributes (xml-js writes them raw) read back exactly', () => {
    const site: Site = { ...SAMPLE_SITE, title: 'Wire\rfeed', defaultAuthor: { name: 'Desk\r\nNews' } };
    const article: Article = {
      ...HARBOUR_FERRIES,
      title: 'one\rtwo\r\nthree',
      summary: 'a\rb',
      authors: [{ name: 'Amira\rHaddad' }],
      categories: [{ name: 'A<B\tC\nD\rE', slug: 'a<b' }],
      tags: ['x<y', 'tab\there', 'new\nline', 'cr\rhere', '>'],
    };
    const doc = build('atom', [article], site);
    expect(() => readXml(doc.body)).not.toThrow();
    expect(validateFeedDocument(doc, { now: SAMPLE_NOW })).toEqual([]);
    const root = readXml(doc.body);
    const entry = firstEntry(doc.body);
    expect(textOf(root, NS.atom, 'title')).toBe('Wire\rfeed');
    expect(textOf(childOf(root, NS.atom, 'author'), NS.atom, 'name')).toBe('Desk\r\nNews');
    expect(readItemsAsReader('atom', doc.body)[0]).toMatchObject({ title: 'one\rtwo\r\nthree', authors: ['Amira\rHaddad'] });
    expect(atomText(childOf(entry, NS.atom, 'summary'))).toBe('a\rb');
    expect(categoriesOf(entry).map((category) => [category.term, category.label])).toEqual([
      ['a<b', 'A<B\tC\nD\rE'],
      ['x<y', undefined],
      ['tab\there', undefined],
      ['new\nline', undefined],
      ['cr\rhere', undefined],
      ['>', undefined],
    ]);
  });

  it('8. Atom dates read exactly as in JSON Feed (feed writes toISOString(), milliseconds included)', () => {
    const atom = firstEntry(build('atom', [CHIP_PLANT]).body);
    const json = firstOf((JSON.parse(build('json', [CHIP_PLANT]).body) as { items: Record<string, string>[] }).items);
    expect(textOf(atom, NS.atom, 'published')).toBe(json.date_published);
    expect(textOf(atom, NS.atom, 'updated')).toBe(json.date_modified);
    expect(textOf(readXml(build('atom', [CHIP_PLANT]).body), NS.atom, 'updated')).toBe('2026-03-10T08:45:30Z');
  });

  it('9. Atom has no enclosure link, which feed would type from the extension ("image/jpg"); the image is Media RSS, as in RSS', () => {
    const entry = firstEntry(build('atom', [HARBOUR_FERRIES]).body);
    const links = childrenOf(entry, NS.atom, 'link');
    expect(links.map((link) => link.attributes.rel ?? 'alternate')).toEqual(['alternate']);
    expect(childOf(entry, MEDIA_NAMESPACE, 'content').attributes.type).toBe('image/jpeg');
    expect(childOf(firstRssItem(build('rss', [HARBOUR_FERRIES]).body), NS.none, 'enclosure').attributes.type).toBe('image/jpeg');
  });

  it('10. the Atom root has xml:lang (feed cannot write it), and output feed no longer writes as expected is refused', () => {
    expect(readXml(build('atom', [HARBOUR_FERRIES]).body).attributes['xml:lang']).toBe('en-GB');
    expect(readXml(build('atom', [], { ...SAMPLE_SITE, language: 'de-CH"&<' }).body).attributes['xml:lang']).toBe('de-CH"&<');
    const feed = describeFeed({ site: SAMPLE_SITE, scope: SITE_SCOPE, format: 'atom', items: [], entries: [], ttlMinutes: 15 });
    expect(() => finishFeedLibraryAtom('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>', feed, [])).toThrow(/no longer has/);
    const restored = toFeedLibraryItem(toFeedEntry({ ...CHIP_PLANT, id: 'http://[bad' }, SAMPLE_SITE), SAMPLE_SITE);
    expect(restored.restore).toBeDefined();
    expect(() => finishFeedLibraryAtom('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>', feed, [restored])).toThrow(/no longer has/);
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
    const item = firstRssItem(build('rss', [HARBOUR_FERRIES]).body);
    expect(childrenOf(item, NS.none, 'author')).toEqual([]);
    expect(childrenOf(item, NS.dc, 'creator').map((creator) => creator.text)).toEqual(['Amira Haddad', 'Jonas Berg']);
  });
});
