import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { articleUri } from '../../src/domain/article-identity.ts';
import type { FeedScope } from '../../src/domain/documents.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { NS, childOf, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, COMET, HARBOUR_FERRIES, SAMPLE_FEED_ORDER, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';
import { atomText } from './read-atom-as-reader.ts';

const SITE_SCOPE: FeedScope = { kind: 'site' };

function buildAtom(items: readonly Article[] = SAMPLE_FEED_ORDER, extra: { hubUrl?: string; scope?: FeedScope } = {}) {
  const doc = buildFeedDocument({ site: SAMPLE_SITE, scope: extra.scope ?? SITE_SCOPE, format: 'atom', items, ttlMinutes: 30, ...(extra.hubUrl ? { hubUrl: extra.hubUrl } : {}) });
  return { doc, feed: readXml(doc.body) };
}

function entryFor(feed: SaxElement, article: Article): SaxElement {
  const entry = childrenOf(feed, NS.atom, 'entry').find((candidate) => textOf(candidate, NS.atom, 'id') === articleUri(article, SAMPLE_SITE));
  if (!entry) throw new Error(`no entry for ${article.id}`);
  return entry;
}

const linksOf = (element: SaxElement): Record<string, string>[] => childrenOf(element, NS.atom, 'link').map((link) => ({ ...link.attributes }));
const htmlTextOf = (element: SaxElement, local: string): string => atomText(childOf(element, NS.atom, local));
const personsOf = (element: SaxElement): Record<string, string>[] =>
  childrenOf(element, NS.atom, 'author').map((author) => Object.fromEntries(author.children.map((child) => [child.local, child.text])));

describe('buildFeedDocument: Atom 1.0', () => {
  it('describes the document', () => {
    const { doc } = buildAtom();
    expect(doc).toMatchObject({ path: 'atom.xml', format: 'atom', title: 'Wirefeed Sample News' });
    expect(doc.lastModified).toBe(CHIP_PLANT.updated);
  });

  it('writes the feed elements in the Atom namespace', () => {
    const { feed } = buildAtom();
    expect(feed.uri).toBe(NS.atom);
    expect(feed.local).toBe('feed');
    expect(feed.attributes['xml:lang']).toBe('en-GB');
    expect(textOf(feed, NS.atom, 'id')).toBe('tag:news.example.com,2026:feed/atom.xml');
    expect(textOf(feed, NS.atom, 'title')).toBe('Wirefeed Sample News');
    // The `feed` package writes no type, which RFC 4287 reads as type="text".
    expect(childOf(feed, NS.atom, 'title').attributes.type).toBeUndefined();
    expect(textOf(feed, NS.atom, 'subtitle')).toBe(SAMPLE_SITE.description);
    expect(textOf(feed, NS.atom, 'updated')).toBe('2026-03-10T08:45:30Z');
    expect(textOf(feed, NS.atom, 'generator')).toBe('Wirefeed');
    expect(textOf(feed, NS.atom, 'logo')).toBe('https://news.example.com/logo.png');
    // `feed` writes links in this order and without `type`: RFC 4287 gives link order no
    // meaning and makes `type` an optional hint.
    expect(linksOf(feed)).toEqual([
      { rel: 'alternate', href: 'https://news.example.com/' },
      { rel: 'self', href: 'https://news.example.com/atom.xml' },
    ]);
    expect(personsOf(feed)).toEqual([{ name: 'Wirefeed Newsdesk', uri: 'https://news.example.com/about', email: 'desk@news.example.com' }]);
  });

  it('gives each feed its own stable id and links', () => {
    const { feed } = buildAtom([CHIP_PLANT], { scope: { kind: 'category', slug: 'technology' }, hubUrl: 'https://hub.example.com/' });
    expect(textOf(feed, NS.atom, 'id')).toBe('tag:news.example.com,2026:feed/category/technology/atom.xml');
    expect(textOf(feed, NS.atom, 'title')).toBe('Wirefeed Sample News — Technology');
    expect(linksOf(feed)).toEqual([
      { rel: 'alternate', href: 'https://news.example.com/category/technology/' },
      { rel: 'self', href: 'https://news.example.com/category/technology/atom.xml' },
      { rel: 'hub', href: 'https://hub.example.com/' },
    ]);
  });

  it('writes every entry element, in feed order', () => {
    const { feed } = buildAtom();
    expect(childrenOf(feed, NS.atom, 'entry').map((entry) => textOf(entry, NS.atom, 'id'))).toEqual(
      SAMPLE_FEED_ORDER.map((article) => articleUri(article, SAMPLE_SITE)),
    );
    const entry = entryFor(feed, HARBOUR_FERRIES);
    expect(textOf(entry, NS.atom, 'id')).toBe('urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21');
    // `feed` writes entry titles and summaries as HTML (type="html"); a reader decodes them.
    expect(childOf(entry, NS.atom, 'title').attributes.type).toBe('html');
    expect(htmlTextOf(entry, 'title')).toBe(HARBOUR_FERRIES.title);
    expect(textOf(entry, NS.atom, 'published')).toBe('2026-03-09T07:30:00Z');
    expect(textOf(entry, NS.atom, 'updated')).toBe('2026-03-09T09:15:00Z');
    expect(personsOf(entry)).toEqual([
      { name: 'Amira Haddad', uri: 'https://news.example.com/authors/amira-haddad' },
      { name: 'Jonas Berg', email: 'jonas.berg@news.example.com' },
    ]);
    expect(childOf(entry, NS.atom, 'summary').attributes.type).toBe('html');
    expect(htmlTextOf(entry, 'summary')).toBe(HARBOUR_FERRIES.summary);
    expect(childOf(entry, NS.atom, 'content').attributes.type).toBe('html');
    expect(textOf(entry, NS.atom, 'content')).toBe(HARBOUR_FERRIES.body.html());
    expect(childrenOf(entry, NS.atom, 'category').map((category) => ({ ...category.attributes }))).toEqual([
      { term: 'local-regional', scheme: 'https://news.example.com/category/', label: 'Local & Regional' },
      { term: 'world', scheme: 'https://news.example.com/category/', label: 'World' },
      { term: 'transport' },
      { term: 'harbour' },
      { term: 'prices' },
    ]);
    // No `rel` means rel="alternate" (RFC 4287 §4.2.7.2). No enclosure: `feed` would type the
    // .jpg as "image/jpg" (see feed-library-defects.test.ts); RSS and JSON Feed carry the image.
    expect(linksOf(entry)).toEqual([{ href: 'https://www.example-gazette.com/local/2026/03/harbour-ferries-return' }]);
  });

  it('gives an entry without authors the feed-level author', () => {
    expect(personsOf(entryFor(buildAtom().feed, COMET))).toEqual(personsOf(buildAtom().feed));
  });

  it('keeps markup-looking text as text', () => {
    const entry = entryFor(buildAtom().feed, CHIP_PLANT);
    expect(htmlTextOf(entry, 'title')).toBe('Chip plant opens: <3nm> process, 2,000 jobs');
    expect(textOf(entry, NS.atom, 'content')).toBe(CHIP_PLANT.body.html());
  });
});
