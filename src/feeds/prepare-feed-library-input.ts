/**
 * The input for the `feed` package (6.0.0, serialising with xml-js 1.6.11), prepared so that its
 * Atom output is well-formed and reads back as exactly what went in. Its defects, and where each
 * is met (tests/feeds/feed-library-defects.test.ts has one test per defect):
 *
 * 1. CDATA: entry title, summary and content go out as `type="html"` CDATA, and only the first
 *    `]]>` in each is split. We hand over HTML in which no `]]>` can occur: plain text escaped as
 *    HTML (so every `>` is `&gt;`), and article HTML with `]]>` written `]]&gt;` (see htmlForCdata).
 * 2. XML-illegal characters are passed through: every string is stripped of them here.
 * 3. Entry ids and links go through `new URL()`, which throws on some and rewrites others
 *    ("HTTPS://Example.COM/a/../b"), and the id must read the same as in RSS and JSON Feed.
 *    Values that come out unchanged (every urn:uuid: and tag: id Wirefeed derives, and the
 *    normalised http(s) links the article stage makes) are handed over as they are. Any other
 *    cannot be written through `feed` at all: the entry gets a stand-in and a mark, and
 *    finish-feed-library-output.ts writes the real value there.
 * 4. A category is written without `term` unless given one: every category gets its term.
 * 5. The feed's `updated` falls back to `new Date()`: it is always given, from the content,
 *    and every entry gets its own `date` (updated) and `published`.
 * Found on the way:
 * 6. xml-js turns every "&amp;" in element text into "&" before escaping (so that the
 *    pre-escaped values `feed` hands it are not escaped twice): a title that says "&amp;" would
 *    read "&". Text gets its `&` escaped here, which that step then undoes exactly.
 * 7. Readers turn a literal CR into LF, and xml-js escapes only `&<>` in text and only `"` in
 *    attributes (`<` there makes the document ill-formed; tab and newline become spaces). Those
 *    characters cannot be written through `feed`: they are handed over as marks (characters
 *    XML forbids, so nothing else in the output can be one) that finish-feed-library-output.ts
 *    replaces with character references. In HTML (title, summary) CR is `&#13;` instead.
 * 8. Dates are written with toISOString(), milliseconds included: valid RFC 3339, but every other
 *    date Wirefeed writes is whole seconds without them, so the Dates handed over format that way.
 * 9. An enclosure's media type is guessed from the URL's extension ("image/jpg"), and there is
 *    no input for extension elements: the lead image goes into Atom as Media RSS instead, which
 *    finish-feed-library-output.ts writes after the entry's `published`, found by a mark (12).
 * 10. `xml:lang` cannot be set at all; finish-feed-library-output.ts adds it.
 * 12. The entry's `published` date is the last element `feed` writes in an entry (no `rights` is
 *    given): an entry with a lead image has a mark at the end of its `published` text.
 */
import type { Author as FeedAuthor, Category as FeedCategory, FeedOptions, Item } from 'feed';
import type { Author } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import type { FeedDescription } from './describe-feed.ts';
import { categoryBaseUrl } from './describe-feed.ts';
import { formatRfc3339 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { atomMediaContent } from './media-rss.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';

/**
 * Marks for what `feed` cannot write (7, 3), each replaced in its output by the reference
 * beside it. They are C0 controls that `clean` removes from every string before marks go in.
 */
export const FEED_LIBRARY_MARKS = {
  '\u0001': '&lt;',
  '\u0002': '&#9;',
  '\u0003': '&#10;',
  '\u0004': '&#13;',
} as const satisfies Readonly<Record<string, string>>;
/** Ends the title CDATA of an entry whose id and link finish-feed-library-output.ts writes (3). */
export const RESTORE_MARK = '\u0005';
/** Ends the `published` text of an entry whose `media:content` finish-feed-library-output.ts writes (12). */
export const MEDIA_MARK = '\u0006';

/** What `feed` writes in place of an id or link it would change; never read by anyone. */
const STAND_IN_ID = 'urn:x-wirefeed:stand-in';
const STAND_IN_LINK = 'https://stand-in.invalid/';

const GENERATOR = 'Wirefeed';

/** An item for `feed`, with the id and link to write in place of the stand-ins, if it has them, and its Media RSS, if it has a lead image. */
export interface FeedLibraryItem {
  readonly item: Item;
  readonly restore?: { readonly id: string; readonly link: string };
  /** The entry's `media:content` element, XML text indented as an entry's child. */
  readonly media?: string;
}

/** 8: toISOString() as formatRfc3339, whole seconds and no ".000". */
class WholeSecondDate extends Date {
  override toISOString(): string {
    return formatRfc3339(this.getTime());
  }
}

/** 12: the date with the mark that says where the entry's Media RSS goes. */
class MarkedDate extends WholeSecondDate {
  override toISOString(): string {
    return `${super.toISOString()}${MEDIA_MARK}`;
  }
}

/** An entry's children are indented twice in `feed`'s output. */
const ENTRY_CHILD_INDENT = '        ';

const TEXT_SPECIALS = /[&\r]/g;
const ATTRIBUTE_SPECIALS = /[<\t\n\r]/g;
const HTML_SPECIALS = /[&<>\r]/g;
const MARK_OF: Readonly<Record<string, string>> = { '<': '\u0001', '\t': '\u0002', '\n': '\u0003', '\r': '\u0004' };
const HTML_REFERENCE_OF: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Element text (2, 6, 7). */
function text(value: string): string {
  return clean(value).replace(TEXT_SPECIALS, (special) => (special === '&' ? '&amp;' : (MARK_OF[special] ?? special)));
}

/** An attribute value `feed` escapes `&` in itself: category term and label (2, 7). */
function attribute(value: string): string {
  return clean(value).replace(ATTRIBUTE_SPECIALS, (special) => MARK_OF[special] ?? special);
}

/** Plain text as HTML for a type="html" CDATA section, with no `>` left to end it (1, 2, 7). */
function htmlOfText(value: string): string {
  return clean(value).replace(HTML_SPECIALS, (special) => HTML_REFERENCE_OF[special] ?? special);
}

/**
 * Article HTML for a CDATA section (1, 2). The sanitiser already writes `>` in text and
 * attribute values as `&gt;`; HTML that did not pass through it can only hold `]]>` there too
 * (no comments or CDATA survive sanitising), where `]]&gt;` is the same HTML. A CR is left for
 * the reader's XML parser to turn into LF, as an HTML parser would anyway.
 */
function htmlForCdata(html: string): string {
  const cleaned = clean(html);
  return cleaned.includes(']]>') ? cleaned.replaceAll(']]>', ']]&gt;') : cleaned;
}

/** Whether `feed` would write this URL as it is, in element text or in an attribute (3). */
function keptByFeed(url: string): boolean {
  let href: string;
  try {
    href = new URL(url).href;
  } catch {
    return false;
  }
  return href === url && !url.includes('<');
}

/**
 * A URL `feed` may normalise without harm (author uri, category scheme, feed links): these come
 * normalised from the site and article stages, so this is the URL itself; one `new URL()` cannot
 * parse is left out rather than let `feed` throw. The self link is checked by validation.
 */
function optionalUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const cleaned = clean(url);
  try {
    const href = new URL(cleaned).href;
    return href.includes('<') ? undefined : href;
  } catch {
    return undefined;
  }
}

function person(author: Author): FeedAuthor {
  const link = optionalUrl(author.url);
  return {
    name: text(author.name),
    ...(author.email === undefined || author.email === '' ? {} : { email: text(author.email) }),
    ...(link === undefined ? {} : { link }),
  };
}

export function feedLibraryOptions(feed: FeedDescription): FeedOptions {
  const home = optionalUrl(feed.homeUrl);
  const self = optionalUrl(feed.selfUrl);
  const hub = optionalUrl(feed.hubUrl);
  return {
    id: text(feed.id),
    title: text(feed.title),
    updated: new WholeSecondDate(feed.updated),
    generator: GENERATOR,
    author: person(feed.author),
    ...(home === undefined ? {} : { link: home }),
    ...(self === undefined ? {} : { feedLinks: { atom: self } }),
    ...(hub === undefined ? {} : { hub }),
    description: text(feed.description),
    ...(feed.logo === undefined ? {} : { image: text(feed.logo) }),
  };
}

/** One entry's input; derived once per article and build (FeedItemCache). */
export function toFeedLibraryItem(entry: FeedEntry, site: Site): FeedLibraryItem {
  const id = clean(entry.id);
  const link = clean(entry.link);
  const restore = !keptByFeed(id) || !keptByFeed(link);
  const scheme = optionalUrl(categoryBaseUrl(site));
  const categories: FeedCategory[] = [
    ...entry.categories.map((category) => ({ term: attribute(category.slug), name: attribute(category.name), ...(scheme === undefined ? {} : { scheme }) })),
    ...entry.tags.map((tag) => ({ term: attribute(tag) })),
  ];
  const item: Item = {
    title: restore ? `${htmlOfText(entry.title)}${RESTORE_MARK}` : htmlOfText(entry.title),
    id: restore ? STAND_IN_ID : id,
    link: restore ? STAND_IN_LINK : link,
    date: new WholeSecondDate(entry.updated),
    published: entry.image === undefined ? new WholeSecondDate(entry.published) : new MarkedDate(entry.published),
    ...(entry.summary === '' ? {} : { description: htmlOfText(entry.summary) }),
    ...(entry.contentHtml === '' ? {} : { content: htmlForCdata(entry.contentHtml) }),
    // Written out even when it is the feed's author: an entry read on its own (aggregators copy
    // entries) still says who wrote it.
    author: entry.authors.map(person),
    category: categories,
  };
  const media = entry.image === undefined ? {} : { media: atomMediaContent(entry.image, ENTRY_CHILD_INDENT) };
  return restore ? { item, restore: { id, link }, ...media } : { item, ...media };
}
