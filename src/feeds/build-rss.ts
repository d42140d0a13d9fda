/**
 * RSS 2.0, serialised with fast-xml-parser's XMLBuilder rather than with the `feed` package:
 * feed 6.0.0 writes each author as `<author>` holding a name without the e-mail address RSS
 * requires there, and has no `dc:creator`; everything else it does here we would have to
 * work around as in build-atom.ts.
 *
 * XMLBuilder's own traps, and how they are avoided:
 * - An attribute whose value is the string "true" comes out as a bare attribute name, which is
 *   not XML: suppressBooleanAttributes is off.
 * - Its entity processing escapes `&<>'"` but leaves CR, tab and newline as they are, which a
 *   parser turns into LF (text) or spaces (attributes). It is off, and the value processors
 *   escape with xml-safe-text.ts instead (also dropping XML-illegal characters), exactly once.
 * - Element and attribute order is the key order of the object literals below.
 * No CDATA is written: with `>` escaped, `]]>` cannot occur in the output.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Site } from '../domain/site.ts';
import type { FeedDescription } from './describe-feed.ts';
import { categoryBaseUrl } from './describe-feed.ts';
import { formatRfc822 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { MEDIA_NAMESPACE, MEDIA_PREFIX, rssMediaContent } from './media-rss.ts';
import { DCTERMS_NAMESPACE, HISTORY_NAMESPACE } from './namespaces.ts';
import type { Tombstone } from './tombstone.ts';
import { rssDeletedItem, TOMBSTONE_NAMESPACE_DECLARATIONS } from './tombstone.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

export const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: DCTERMS_NAMESPACE,
} as const;

const GENERATOR = 'Wirefeed';
const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

/**
 * What XMLBuilder takes: `@name` keys are attributes, `#text` is character data, any other key
 * a child element (an array repeats it, a string is its text). Undefined leaves the key out.
 */
interface BuilderElement {
  readonly [key: string]: string | BuilderElement | readonly (string | BuilderElement)[] | undefined;
}

/** The object XMLBuilder turns into one <item>; see FeedItemCache. */
export type RssItem = BuilderElement;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: false,
  tagValueProcessor: (_name, value) => escapeXmlText(String(value)),
  attributeValueProcessor: (_name, value) => escapeXmlAttribute(String(value)),
});

const MEDIA_CONTENT = `${MEDIA_PREFIX}:content`;

/** One <item>; derived once per article and build (FeedItemCache), serialised in every document it is in. */
export function toRssItem(entry: FeedEntry, site: Site): RssItem {
  const categoryBase = categoryBaseUrl(site);
  return {
    title: entry.title,
    link: entry.link,
    // The guid is a tag: or urn: URI, not a page address, so readers must not follow it.
    guid: { '@isPermaLink': 'false', '#text': entry.id },
    pubDate: formatRfc822(entry.published),
    description: entry.summary === '' ? undefined : entry.summary,
    'content:encoded': entry.contentHtml,
    // RSS `author` must hold an e-mail address; dc:creator holds a name, once per author.
    'dc:creator': entry.authors.map((author) => author.name),
    category: [
      // domain marks a newsroom category (and where its page is), as opposed to a free tag.
      ...entry.categories.map((category) => ({ '@domain': `${categoryBase}${category.slug}/`, '#text': category.name })),
      ...entry.tags,
    ],
    // Only with the file's real size: RSS requires `length`, and a made-up one (the "0" the W3C
    // validator suggests) tells a partner nothing; media:content carries the image either way.
    enclosure: entry.image?.length === undefined ? undefined : { '@url': entry.image.url, '@type': entry.image.type, '@length': String(entry.image.length) },
    [MEDIA_CONTENT]: entry.image === undefined ? undefined : rssMediaContent(entry.image),
  };
}

/** `<atom:link>`s of the RFC 5005 relations the feed has, in a fixed order. */
function archiveLinks(feed: FeedDescription): BuilderElement[] {
  const { archive } = feed;
  if (archive === undefined) return [];
  const links: [string, string | undefined][] = [['current', archive.current], ['prev-archive', archive.prevArchive], ['next-archive', archive.nextArchive]];
  return links.flatMap(([rel, href]) => (href === undefined ? [] : [{ '@href': href, '@rel': rel, '@type': 'application/rss+xml' }]));
}

/** `tombstones` are items gone from the feed (see tombstone.ts), written after the others. */
export function buildRss(feed: FeedDescription, items: readonly RssItem[], tombstones: readonly Tombstone[] = []): string {
  const date = formatRfc822(feed.updated);
  const selfAndHub: BuilderElement[] = [{ '@href': feed.selfUrl, '@rel': 'self', '@type': 'application/rss+xml' }];
  if (feed.hubUrl !== undefined) selfAndHub.push({ '@href': feed.hubUrl, '@rel': 'hub' });
  selfAndHub.push(...archiveLinks(feed));
  const isArchive = feed.archive?.isArchive === true;
  const deleted = TOMBSTONE_NAMESPACE_DECLARATIONS.rss;
  const document: BuilderElement = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    rss: {
      '@version': '2.0',
      '@xmlns:atom': RSS_NAMESPACES.atom,
      '@xmlns:content': RSS_NAMESPACES.content,
      '@xmlns:dc': RSS_NAMESPACES.dc,
      '@xmlns:fh': isArchive ? HISTORY_NAMESPACE : undefined,
      [`@xmlns:${deleted.prefix}`]: tombstones.length > 0 ? deleted.namespace : undefined,
      [`@xmlns:${MEDIA_PREFIX}`]: items.some((item) => item[MEDIA_CONTENT] !== undefined) ? MEDIA_NAMESPACE : undefined,
      channel: {
        title: feed.title,
        link: feed.homeUrl,
        description: feed.description,
        language: feed.language,
        'atom:link': selfAndHub,
        'fh:archive': isArchive ? '' : undefined,
        pubDate: date,
        lastBuildDate: date,
        generator: GENERATOR,
        docs: RSS_DOCS,
        ttl: String(feed.ttlMinutes),
        // The W3C validator wants the image's title and link to repeat the channel's.
        image: feed.logo === undefined ? undefined : { url: feed.logo, title: feed.title, link: feed.homeUrl },
        item: tombstones.length === 0 ? items : [...items, ...tombstones.map(rssDeletedItem)],
      },
    },
  };
  return builder.build(document) as string;
}
