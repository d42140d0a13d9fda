/**
 * RSS 2.0, written with our own XML writer rather than the `feed` package.
 * feed 6.0.0 would need a workaround for nearly every element we write: it escapes only the
 * first `]]>` of CDATA content and passes XML-illegal characters through (ill-formed output),
 * writes `<author>` without the e-mail address RSS requires and no `dc:creator`, and dates the
 * channel with `new Date()` when given no date (output changes with the clock). Those sit in its
 * serialiser, out of reach of its input. xml-writer.ts says why not XMLBuilder either.
 */
import type { FeedDescription } from './describe-feed.ts';
import { formatRfc822 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import type { XmlElement, XmlFragment } from './xml-writer.ts';
import { writeXmlDocument, writeXmlFragment } from './xml-writer.ts';

export const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
} as const;

const GENERATOR = 'Wirefeed';
const RSS_DOCS = 'https://www.rssboard.org/rss-specification';
/** rss > channel > item */
const ITEM_DEPTH = 2;

/** One <item>, rendered once per article and build; `categoryBaseUrl` is the site's, see describeFeed. */
export function renderRssItem(entry: FeedEntry, categoryBaseUrl: string): XmlFragment {
  return writeXmlFragment(
    'item',
    {
      title: { '#text': entry.title },
      link: { '#text': entry.link },
      // The guid is a tag: or urn: URI, not a page address, so readers must not follow it.
      guid: { '@isPermaLink': 'false', '#text': entry.id },
      pubDate: { '#text': formatRfc822(entry.published) },
      description: entry.summary === '' ? undefined : { '#text': entry.summary },
      'content:encoded': { '#text': entry.contentHtml },
      // RSS `author` must hold an e-mail address; dc:creator holds a name, once per author.
      'dc:creator': entry.authors.map((author) => ({ '#text': author.name })),
      category: [
        // domain marks a newsroom category (and where its page is), as opposed to a free tag.
        ...entry.categories.map((category) => ({ '@domain': `${categoryBaseUrl}${category.slug}/`, '#text': category.name })),
        ...entry.tags.map((tag) => ({ '#text': tag })),
      ],
      // The W3C validator wants length="0" when the size is unknown rather than no length.
      enclosure: entry.image === undefined ? undefined : { '@url': entry.image.url, '@type': entry.image.type, '@length': '0' },
    },
    ITEM_DEPTH,
  );
}

export function buildRss(feed: FeedDescription, items: readonly XmlFragment[]): string {
  const date = formatRfc822(feed.updated);
  const selfAndHub: XmlElement[] = [{ '@href': feed.selfUrl, '@rel': 'self', '@type': 'application/rss+xml' }];
  if (feed.hubUrl !== undefined) selfAndHub.push({ '@href': feed.hubUrl, '@rel': 'hub' });
  return writeXmlDocument('rss', {
    '@version': '2.0',
    '@xmlns:atom': RSS_NAMESPACES.atom,
    '@xmlns:content': RSS_NAMESPACES.content,
    '@xmlns:dc': RSS_NAMESPACES.dc,
    channel: {
      title: { '#text': feed.title },
      link: { '#text': feed.homeUrl },
      description: { '#text': feed.description },
      language: { '#text': feed.language },
      'atom:link': selfAndHub,
      pubDate: { '#text': date },
      lastBuildDate: { '#text': date },
      generator: { '#text': GENERATOR },
      docs: { '#text': RSS_DOCS },
      ttl: { '#text': String(feed.ttlMinutes) },
      // The W3C validator wants the image's title and link to repeat the channel's.
      image: feed.logo === undefined ? undefined : { url: { '#text': feed.logo }, title: { '#text': feed.title }, link: { '#text': feed.homeUrl } },
      item: items,
    },
  });
}
