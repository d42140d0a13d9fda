import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedFormat, FeedScope } from '../../src/domain/documents.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { CHIP_PLANT, ELECTION_EXPLAINER, HARBOUR_FERRIES, SAMPLE_FEED_ORDER, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

const WORLD: FeedScope = { kind: 'category', slug: 'world' };
const WORLD_ITEMS = [HARBOUR_FERRIES, CHIP_PLANT, ELECTION_EXPLAINER];
const HARBOUR_ID = 'urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21';
const CHIP_ID = 'tag:news.example.com,2026:technology%2F2026%2Fchip-plant';
const ELECTION_ID = 'tag:news.example.com,2026:world%2Felection-explainer';

function build(format: FeedFormat, items: readonly Article[] = SAMPLE_FEED_ORDER, scope: FeedScope = { kind: 'site' }): FeedDocument {
  return buildFeedDocument({ site: SAMPLE_SITE, scope, format, items, ttlMinutes: 15 });
}

/** The document with one exact piece of its text replaced; throws if the piece is not there. */
function broken(doc: FeedDocument, from: string, to: string): FeedDocument {
  if (!doc.body.includes(from)) throw new Error(`${doc.path} does not contain ${JSON.stringify(from)}`);
  return { ...doc, body: doc.body.replace(from, to) };
}

/** A JSON Feed document with its parsed form changed by `change`. */
function brokenJson(doc: FeedDocument, change: (feed: { items: Record<string, unknown>[] } & Record<string, unknown>) => void): FeedDocument {
  const feed = JSON.parse(doc.body) as { items: Record<string, unknown>[] } & Record<string, unknown>;
  change(feed);
  return { ...doc, body: JSON.stringify(feed, null, 2) };
}

const problemsOf = (doc: FeedDocument, now = SAMPLE_NOW): string[] => validateFeedDocument(doc, { now }).map(formatProblem);

describe('validateFeedDocument', () => {
  it('accepts what the builders produce, in every format and scope', () => {
    for (const format of FEED_FORMATS) {
      expect(problemsOf(build(format))).toEqual([]);
      expect(problemsOf(build(format, WORLD_ITEMS, WORLD))).toEqual([]);
      expect(problemsOf(build(format, [], WORLD))).toEqual([]);
    }
  });

  it('names the feed, the format, the item and the rule', () => {
    const doc = broken(build('atom', WORLD_ITEMS, WORLD), '<updated>2026-03-01T06:00:00Z</updated>', '<updated>2026-03-01</updated>');
    expect(problemsOf(doc)).toContain(
      `category/world/atom.xml: atom entry ${ELECTION_ID}: updated "2026-03-01" is not an RFC 3339 date (e.g. "2026-03-03T10:00:00Z")`,
    );
  });

  describe('RSS', () => {
    const rss = build('rss');

    it('rejects a missing required element', () => {
      expect(problemsOf(broken(rss, '<title>Wirefeed Sample News</title>', ''))).toContain('rss.xml: rss channel: title is missing');
      expect(problemsOf(broken(rss, `<guid isPermaLink="false">${HARBOUR_ID}</guid>`, ''))).toContain('rss.xml: rss item #1: guid is missing');
      expect(problemsOf(broken(rss, '<description>Local and world news from the Wirefeed sample newsroom.</description>', '<description> </description>'))).toContain(
        'rss.xml: rss channel: description is empty',
      );
    });

    it('rejects a date that is not RFC 822, and one in the future', () => {
      expect(problemsOf(broken(rss, '<pubDate>Mon, 09 Mar 2026 07:30:00 GMT</pubDate>', '<pubDate>2026-03-09T07:30:00Z</pubDate>'))).toContain(
        `rss.xml: rss item ${HARBOUR_ID}: pubDate "2026-03-09T07:30:00Z" is not an RFC 822 date (e.g. "Tue, 03 Mar 2026 10:00:00 GMT")`,
      );
      const early = Date.UTC(2026, 2, 8, 0, 0, 0);
      expect(problemsOf(rss, early)).toEqual(
        expect.arrayContaining([
          'rss.xml: rss channel: lastBuildDate "Tue, 10 Mar 2026 08:45:30 GMT" is in the future (now is 2026-03-08T00:00:00.000Z)',
          `rss.xml: rss item ${CHIP_ID}: pubDate "Sun, 08 Mar 2026 14:00:00 GMT" is in the future (now is 2026-03-08T00:00:00.000Z)`,
        ]),
      );
    });

    it('rejects a relative link', () => {
      const doc = broken(rss, '<link>https://www.example-gazette.com/local/2026/03/harbour-ferries-return</link>', '<link>/local/harbour</link>');
      expect(problemsOf(doc)).toContain(`rss.xml: rss item ${HARBOUR_ID}: link "/local/harbour" is not an absolute http(s) URL`);
      expect(problemsOf(broken(rss, 'url="https://news.example.com/media/ferry.jpg"', 'url="media/ferry.jpg"'))).toContain(
        `rss.xml: rss item ${HARBOUR_ID}: enclosure url "media/ferry.jpg" is not an absolute http(s) URL`,
      );
    });

    it('rejects a duplicate guid', () => {
      const doc = broken(rss, `<guid isPermaLink="false">${CHIP_ID}</guid>`, `<guid isPermaLink="false">${HARBOUR_ID}</guid>`);
      expect(problemsOf(doc)).toContain(`rss.xml: rss channel: guid "${HARBOUR_ID}" is used by more than one item`);
    });

    it('rejects a prefix used without its namespace declaration', () => {
      const doc = broken(rss, ' xmlns:dc="http://purl.org/dc/elements/1.1/"', '');
      expect(problemsOf(doc)).toEqual([expect.stringMatching(/^rss\.xml: rss document is not well-formed XML at line \d+, column \d+: namespace prefix "dc" of <dc:creator> is not declared$/)]);
    });

    it('rejects a well-known prefix bound to the wrong namespace', () => {
      const doc = broken(rss, 'xmlns:content="http://purl.org/rss/1.0/modules/content/"', 'xmlns:content="http://example.com/content"');
      expect(problemsOf(doc)).toContain('rss.xml: rss channel: xmlns:content binds "content" to "http://example.com/content"; readers expect http://purl.org/rss/1.0/modules/content/');
    });

    it('rejects ill-formed text however it got there: a control character, "]]>" in text', () => {
      expect(problemsOf(broken(rss, '<title>Wirefeed Sample News</title>', '<title>Wirefeed\u0001 Sample News</title>'))).toEqual([
        expect.stringMatching(/^rss\.xml: rss document is not well-formed XML at line 4, column \d+: character U\+0001 is not allowed in XML$/),
      ]);
      expect(problemsOf(broken(rss, '<title>Wirefeed Sample News</title>', '<title>Wirefeed]]> Sample News</title>'))).toEqual([
        expect.stringMatching(/"]]>" is not allowed in character data$/),
      ]);
    });

    it('rejects an <author> without an e-mail address and an enclosure without a byte length', () => {
      expect(problemsOf(broken(rss, '<dc:creator>Amira Haddad</dc:creator>', '<dc:creator>Amira Haddad</dc:creator><author>Amira Haddad</author>'))).toContain(
        `rss.xml: rss item ${HARBOUR_ID}: author "Amira Haddad" has no e-mail address (use dc:creator for names)`,
      );
      expect(problemsOf(broken(rss, 'length="48213"', 'length="-1"'))).toContain(`rss.xml: rss item ${HARBOUR_ID}: enclosure length "-1" is not a whole number of bytes`);
    });

    it('rejects an RSS version it does not check', () => {
      expect(problemsOf(broken(rss, '<rss version="2.0"', '<rss version="0.91"'))).toContain('rss.xml: rss channel: version "0.91": only RSS 2.0 is checked (version="2.0")');
    });
  });

  describe('Atom', () => {
    const atom = build('atom');

    it('rejects a missing required element', () => {
      expect(problemsOf(broken(atom, '<id>tag:news.example.com,2026:feed/atom.xml</id>', ''))).toContain('atom.xml: atom feed: id is missing');
      expect(problemsOf(broken(atom, '<updated>2026-03-10T08:45:30Z</updated>\n    <generator>', '<generator>'))).toContain('atom.xml: atom feed: updated is missing');
      expect(problemsOf(broken(atom, `<id>${CHIP_ID}</id>`, ''))).toContain('atom.xml: atom entry #2: id is missing');
    });

    it('rejects an entry with no author when the feed has none to inherit', () => {
      const anonymous = buildFeedDocument({ site: { ...SAMPLE_SITE, defaultAuthor: { name: 'Desk' } }, scope: { kind: 'site' }, format: 'atom', items: [CHIP_PLANT], ttlMinutes: 5 });
      const doc = broken(broken(anonymous, '<author>\n        <name>Desk</name>\n    </author>', ''), '<author>\n            <name>Lucía Fernández</name>\n        </author>', '');
      expect(problemsOf(doc)).toContain(`atom.xml: atom entry ${CHIP_ID}: author is missing, and the feed has no author to inherit`);
    });

    it('rejects bad and future dates', () => {
      expect(problemsOf(broken(atom, '<published>2026-03-09T07:30:00Z</published>', '<published>Mon, 09 Mar 2026 07:30:00 GMT</published>'))).toContain(
        `atom.xml: atom entry ${HARBOUR_ID}: published "Mon, 09 Mar 2026 07:30:00 GMT" is not an RFC 3339 date (e.g. "2026-03-03T10:00:00Z")`,
      );
      expect(problemsOf(atom, Date.UTC(2026, 2, 9, 8, 0, 0))).toEqual(
        expect.arrayContaining([
          'atom.xml: atom feed: updated "2026-03-10T08:45:30Z" is in the future (now is 2026-03-09T08:00:00.000Z)',
          `atom.xml: atom entry ${HARBOUR_ID}: updated "2026-03-09T09:15:00Z" is in the future (now is 2026-03-09T08:00:00.000Z)`,
        ]),
      );
    });

    it('rejects relative links and ids that are not absolute IRIs', () => {
      expect(problemsOf(broken(atom, 'href="https://news.example.com/articles/comet-ice-water"', 'href="articles/comet-ice-water"'))).toContain(
        'atom.xml: atom entry tag:news.example.com,2026:science%2Fcomet-ice: link[rel=alternate] href "articles/comet-ice-water" is not an absolute http(s) URL',
      );
      expect(problemsOf(broken(atom, `<id>${CHIP_ID}</id>`, '<id>chip-plant</id>'))).toContain('atom.xml: atom entry chip-plant: id "chip-plant" is not an absolute IRI');
    });

    it('rejects duplicate entry ids and categories without a term', () => {
      expect(problemsOf(broken(atom, `<id>${CHIP_ID}</id>`, `<id>${HARBOUR_ID}</id>`))).toContain(`atom.xml: atom feed: entry id "${HARBOUR_ID}" is used by more than one item`);
      expect(problemsOf(broken(atom, '<category term="transport"/>', '<category label="transport"/>'))).toContain(`atom.xml: atom entry ${HARBOUR_ID}: category term is missing`);
    });

    it('rejects an undeclared prefix', () => {
      expect(problemsOf(broken(atom, '<generator>', '<georss:point>45 -71</georss:point><generator>'))).toEqual([expect.stringMatching(/namespace prefix "georss" of <georss:point> is not declared$/)]);
    });
  });

  describe('JSON Feed', () => {
    const json = build('json');

    it('rejects missing required members', () => {
      expect(problemsOf(brokenJson(json, (feed) => delete feed.version))).toContain('feed.json: json feed: version is missing');
      expect(problemsOf(brokenJson(json, (feed) => delete feed.title))).toContain('feed.json: json feed: title is missing');
      expect(problemsOf(brokenJson(json, (feed) => delete feed.items[1]?.id))).toContain('feed.json: json feed item #2: id is missing');
      expect(problemsOf(brokenJson(json, (feed) => delete feed.items[0]?.content_html))).toContain(`feed.json: json feed item ${HARBOUR_ID}: content_html and content_text are both missing`);
    });

    it('rejects bad and future dates', () => {
      expect(problemsOf(brokenJson(json, (feed) => Object.assign(feed.items[0] ?? {}, { date_published: '2026-03-09' })))).toContain(
        `feed.json: json feed item ${HARBOUR_ID}: date_published "2026-03-09" is not an RFC 3339 date (e.g. "2026-03-03T10:00:00Z")`,
      );
      expect(problemsOf(json, Date.UTC(2026, 2, 9, 8, 0, 0))).toContain(
        `feed.json: json feed item ${HARBOUR_ID}: date_modified "2026-03-09T09:15:00Z" is in the future (now is 2026-03-09T08:00:00.000Z)`,
      );
    });

    it('rejects a relative url, a duplicate id and a wrong member type', () => {
      expect(problemsOf(brokenJson(json, (feed) => Object.assign(feed.items[0] ?? {}, { url: '/harbour' })))).toContain(`feed.json: json feed item ${HARBOUR_ID}: url "/harbour" is not an absolute http(s) URL`);
      expect(problemsOf(brokenJson(json, (feed) => Object.assign(feed.items[1] ?? {}, { id: HARBOUR_ID })))).toContain(`feed.json: json feed: item id "${HARBOUR_ID}" is used by more than one item`);
      expect(problemsOf(brokenJson(json, (feed) => Object.assign(feed.items[0] ?? {}, { tags: 'World' })))).toContain(`feed.json: json feed item ${HARBOUR_ID}: tags must be an array`);
    });

    it('rejects text that is not JSON, or not encodable as UTF-8', () => {
      expect(problemsOf({ ...json, body: json.body.slice(0, 200) })).toEqual([expect.stringMatching(/^feed\.json: json document is not valid JSON: /)]);
      expect(problemsOf(broken(json, '"title": "Wirefeed Sample News"', '"title": "Wirefeed \uD800 Sample News"'))).toContain(
        'feed.json: json document contains an unpaired surrogate, which UTF-8 cannot encode',
      );
    });
  });

  describe('round trip', () => {
    it('rejects a document whose items are not the articles that went in', () => {
      for (const format of FEED_FORMATS) {
        const doc = build(format, WORLD_ITEMS, WORLD);
        const missing = { ...doc, items: [...WORLD_ITEMS, CHIP_PLANT] };
        expect(problemsOf(missing), format).toContain(`category/world/${doc.path.split('/').at(-1) ?? ''}: ${format === 'rss' ? 'rss channel' : format === 'atom' ? 'atom feed' : 'json feed'}: items the document has 3 items but 4 articles went in (round trip)`);
        const reordered = { ...doc, items: [CHIP_PLANT, HARBOUR_FERRIES, ELECTION_EXPLAINER] };
        expect(problemsOf(reordered).join('\n'), format).toMatch(new RegExp(`${CHIP_ID.replace(/[.]/g, '\\.')}: id "urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21" is not the id of the article in position 1 \\(round trip\\)`));
      }
    });

    it('rejects a changed title, link, date, category or author', () => {
      const rss = build('rss', WORLD_ITEMS, WORLD);
      const atom = build('atom', WORLD_ITEMS, WORLD);
      const json = build('json', WORLD_ITEMS, WORLD);
      expect(problemsOf(broken(rss, 'Election explainer: what', 'Election explained: what'))).toContain(
        `category/world/rss.xml: rss item ${ELECTION_ID}: title "Election explained: what the new rules mean" differs from the article's "Election explainer: what the new rules mean" (round trip)`,
      );
      expect(problemsOf(broken(atom, 'href="https://news.example.com/articles/chip-plant-opens"', 'href="https://news.example.com/articles/chip-plant"'))).toContain(
        `category/world/atom.xml: atom entry ${CHIP_ID}: link "https://news.example.com/articles/chip-plant" differs from the article's "https://news.example.com/articles/chip-plant-opens" (round trip)`,
      );
      expect(problemsOf(brokenJson(json, (feed) => Object.assign(feed.items[2] ?? {}, { date_published: '2026-03-01T06:00:01Z' })))).toContain(
        `category/world/feed.json: json feed item ${ELECTION_ID}: date_published reads as 2026-03-01T06:00:01.000Z, the article says 2026-03-01T06:00:00.000Z (round trip)`,
      );
      expect(problemsOf(broken(rss, '<category>prices</category>', ''))).toContain(
        `category/world/rss.xml: rss item ${HARBOUR_ID}: categories ["Local & Regional","World","transport","harbour"] differ from the article's ["Local & Regional","World","transport","harbour","prices"] (round trip)`,
      );
      expect(problemsOf(broken(atom, 'term="world"/>', 'term="world-news"/>'))).toContain(
        `category/world/atom.xml: atom entry ${HARBOUR_ID}: category terms ["local-regional","world-news","transport","harbour","prices"] differ from the article's ["local-regional","world","transport","harbour","prices"] (round trip)`,
      );
      expect(problemsOf(broken(rss, '<dc:creator>Jonas Berg</dc:creator>', ''))).toContain(
        `category/world/rss.xml: rss item ${HARBOUR_ID}: authors ["Amira Haddad"] differ from the article's ["Amira Haddad","Jonas Berg"] (round trip)`,
      );
    });

    it('reads an Atom type="html" title as a reader shows it: references decoded, markup dropped, other entities left', () => {
      const atom = build('atom', WORLD_ITEMS, WORLD);
      const chipTitle = '<![CDATA[Chip plant opens: &lt;3nm&gt; process, 2,000 jobs]]>';
      const differs = (shown: string): string =>
        `category/world/atom.xml: atom entry ${CHIP_ID}: title ${JSON.stringify(shown)} differs from the article's "Chip plant opens: <3nm> process, 2,000 jobs" (round trip)`;
      expect(problemsOf(broken(atom, chipTitle, '<![CDATA[Chip plant opens: &#60;3nm&#x3E; process, 2,000 jobs]]>'))).toEqual([]);
      expect(problemsOf(broken(atom, chipTitle, '<![CDATA[Chip plant opens: <b>3nm</b> process, 2,000 jobs]]>'))).toContain(differs('Chip plant opens: 3nm process, 2,000 jobs'));
      expect(problemsOf(broken(atom, chipTitle, '<![CDATA[Chip plant opens: &lang;3nm&rang; process, 2,000 jobs]]>'))).toContain(differs('Chip plant opens: &lang;3nm&rang; process, 2,000 jobs'));
      // Escaped twice, as a builder that escaped its own HTML again would write it.
      expect(problemsOf(broken(atom, chipTitle, '<![CDATA[Chip plant opens: &amp;lt;3nm&amp;gt; process, 2,000 jobs]]>'))).toContain(differs('Chip plant opens: &lt;3nm&gt; process, 2,000 jobs'));
    });

    it('rejects a wrong self link and a lastModified that is not the content date', () => {
      const rss = build('rss');
      expect(problemsOf(broken(rss, 'href="https://news.example.com/rss.xml"', 'href="https://news.example.com/feed.rss"'))).toContain(
        'rss.xml: rss channel: self link "https://news.example.com/feed.rss" should be "https://news.example.com/rss.xml" (round trip)',
      );
      expect(problemsOf({ ...rss, lastModified: SAMPLE_NOW })).toContain(
        'rss.xml: rss channel: lastModified 2026-03-10T12:00:00.000Z is not the newest item\'s update 2026-03-10T08:45:30.000Z (round trip)',
      );
    });

    it('rejects a document of another format than it claims', () => {
      expect(problemsOf({ ...build('atom'), body: build('rss').body })).toEqual(['atom.xml: atom document is an rss feed']);
      expect(problemsOf({ ...build('rss'), body: build('json').body })).toEqual(['rss.xml: rss document is JSON']);
    });
  });
});
