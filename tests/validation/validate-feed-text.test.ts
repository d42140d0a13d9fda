import { describe, expect, it } from 'vitest';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { FEED_FILE_NAMES } from '../../src/domain/documents.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { inMemoryIndex } from '../fixtures/articles/in-memory-store.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import { SAMPLE_ARTICLES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const check = (text: string, format?: 'rss' | 'atom' | 'json'): string[] =>
  validateFeedText(text, { now: NOW, subject: 'https://elsewhere.example/feed', ...(format ? { format } : {}) }).map(formatProblem);

/** Feeds as other generators write them: CDATA, no dc:creator, prefixed Atom, JSON Feed 1.0. */
const FOREIGN_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:c="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Elsewhere</title><link>https://elsewhere.example/</link><description><![CDATA[News & <b>views</b>]]></description><language>en-GB</language>
  <item>
    <title>First</title><link>https://elsewhere.example/1</link><guid>https://elsewhere.example/1</guid>
    <pubDate>Mon, 09 Mar 2026 07:30:00 +0100</pubDate><author>editor@elsewhere.example (The Editor)</author>
    <c:encoded><![CDATA[<p>Hi</p>]]></c:encoded>
  </item>
  <item><description>Only a description</description><guid isPermaLink="false">elsewhere-2</guid></item>
</channel>
</rss>`;

const FOREIGN_ATOM = `<?xml version="1.0"?>
<atom:feed xmlns:atom="http://www.w3.org/2005/Atom" xml:lang="en">
  <atom:id>https://elsewhere.example/</atom:id>
  <atom:title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Else<b>where</b></div></atom:title>
  <atom:updated>2026-03-09T10:00:00+01:00</atom:updated>
  <atom:author><atom:name>The Editor</atom:name></atom:author>
  <atom:entry>
    <atom:id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</atom:id>
    <atom:title>First</atom:title>
    <atom:updated>2026-03-09T09:00:00.5Z</atom:updated>
    <atom:link href="https://elsewhere.example/1"/>
  </atom:entry>
</atom:feed>`;

const FOREIGN_JSON = JSON.stringify({
  version: 'https://jsonfeed.org/version/1',
  title: 'Elsewhere',
  author: { name: 'The Editor' },
  items: [{ id: 'https://elsewhere.example/1', content_text: 'Hi', date_published: '2026-03-09T09:00:00+01:00' }],
});

describe('validateFeedText', () => {
  it('detects the format and accepts our own documents', async () => {
    const builder = createSiteBuilder({ site: SAMPLE_SITE, index: inMemoryIndex(SAMPLE_SITE, SAMPLE_ARTICLES), clock: () => SAMPLE_NOW, feedItemLimit: 50, ttlMinutes: 15 });
    const { snapshot } = await builder.build(WHOLE_STORE);
    const docs = FEED_FORMATS.flatMap((format) =>
      [...snapshot.documents.values()].filter((doc) => doc.path.endsWith(FEED_FILE_NAMES[format])).map((doc) => ({ path: doc.path, format, body: doc.body.toString('utf8') })),
    );
    expect(docs).toHaveLength(15);
    for (const doc of docs) {
      expect(check(doc.body), doc.path).toEqual([]);
      expect(check(doc.body, doc.format), doc.path).toEqual([]);
    }
    // A byte order mark in front changes nothing.
    for (const format of FEED_FORMATS) expect(check(`\uFEFF${docs.find((doc) => doc.format === format)?.body ?? ''}`)).toEqual([]);
  });

  it('accepts valid feeds from other generators', () => {
    expect(check(FOREIGN_RSS)).toEqual([]);
    expect(check(FOREIGN_ATOM)).toEqual([]);
    expect(check(FOREIGN_JSON)).toEqual([]);
  });

  it('reports problems about the subject it is given', () => {
    expect(check(FOREIGN_RSS.replace('<guid>https://elsewhere.example/1</guid>', '<guid>elsewhere-1</guid>'))).toEqual([
      'https://elsewhere.example/feed: rss item elsewhere-1: guid (a permalink unless isPermaLink="false") "elsewhere-1" is not an absolute http(s) URL',
    ]);
  });

  it('refuses what is not a feed', () => {
    expect(check('hello')).toEqual(['https://elsewhere.example/feed: feed document is neither XML nor JSON']);
    expect(check('<html><body/></html>')).toEqual(['https://elsewhere.example/feed: xml document has root element <html>, neither RSS 2.0 <rss> nor Atom 1.0 <feed xmlns="http://www.w3.org/2005/Atom">']);
    expect(check('<feed><title>x</title></feed>')).toEqual([expect.stringMatching(/root element <feed>, neither/)]);
    expect(check('[1, 2]')).toEqual(['https://elsewhere.example/feed: feed document is neither XML nor JSON']);
    expect(check('{"version": 1}')).toEqual(expect.arrayContaining(['https://elsewhere.example/feed: json feed: version must be a string, not number']));
  });

  it('refuses a document of another format than the one asked for', () => {
    expect(check(FOREIGN_ATOM, 'rss')).toEqual(['https://elsewhere.example/feed: rss document is an atom feed']);
    expect(check(FOREIGN_JSON, 'atom')).toEqual(['https://elsewhere.example/feed: atom document is JSON']);
  });

  it('reports not-well-formed XML with line and column, and parses nothing further', () => {
    expect(check(FOREIGN_RSS.replace('<title>First</title>', '<title>Fir&st</title>'))).toEqual([
      'https://elsewhere.example/feed: xml document is not well-formed XML at line 6, column 15: "&" must start a reference such as "&amp;" or "&#38;"',
    ]);
  });

  it('reports a document nested deeper than the parser allows as a problem, not a crash', () => {
    const deep = `<rss version="2.0"><channel>${'<x>'.repeat(150)}${'</x>'.repeat(150)}</channel></rss>`;
    expect(check(deep)).toEqual([expect.stringMatching(/^https:\/\/elsewhere\.example\/feed: xml document could not be parsed: /)]);
  });
});
