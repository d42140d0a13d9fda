/**
 * RSS 2.0, written with fast-xml-parser's XMLBuilder rather than the `feed` package.
 * feed 6.0.0 would need a workaround for nearly every element we write: it escapes only the
 * first `]]>` of CDATA content and passes XML-illegal characters through (ill-formed output),
 * writes `<author>` without the e-mail address RSS requires and no `dc:creator`, and dates the
 * channel with `new Date()` when given no date (output changes with the clock). Patching its
 * input cannot fix the serialisation, so the channel is built here from a plain tree, with all
 * escaping done once in xml-safe-text.ts.
 */
import type { FeedDescription } from './describe-feed.ts';
import { formatRfc822 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-safe-text.ts';
import type { XmlElement } from './xml-writer.ts';
import { writeXmlDocument } from './xml-writer.ts';

export const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
} as const;

const GENERATOR = 'Wirefeed';
const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

function rssItem(entry: FeedEntry, feed: FeedDescription): XmlElement {
  return {
    title: { '#text': text(entry.title) },
    link: { '#text': text(entry.link) },
    // The guid is a tag: or urn: URI, not a page address, so readers must not follow it.
    guid: { '@_isPermaLink': 'false', '#text': text(entry.id) },
    pubDate: { '#text': formatRfc822(entry.published) },
    description: entry.summary === '' ? undefined : { '#text': text(entry.summary) },
    'content:encoded': { '#text': text(entry.contentHtml) },
    // RSS `author` must hold an e-mail address; dc:creator holds a name, once per author.
    'dc:creator': entry.authors.map((author) => ({ '#text': text(author.name) })),
    category: [
      // domain marks a newsroom category (and where its page is) as opposed to a free tag.
      ...entry.categories.map((category) => ({
        '@_domain': attr(`${feed.categoryBaseUrl}${category.slug}/`),
        '#text': text(category.name),
      })),
      ...entry.tags.map((tag) => ({ '#text': text(tag) })),
    ],
    // The W3C validator asks for length="0" when the size is unknown rather than no length.
    enclosure: entry.image === undefined
      ? undefined
      : { '@_url': attr(entry.image.url), '@_type': attr(entry.image.type), '@_length': '0' },
  };
}

export function buildRss(feed: FeedDescription, entries: readonly FeedEntry[]): string {
  const date = formatRfc822(feed.updated);
  const selfAndHub: XmlElement[] = [
    { '@_href': attr(feed.selfUrl), '@_rel': 'self', '@_type': 'application/rss+xml' },
  ];
  if (feed.hubUrl !== undefined) selfAndHub.push({ '@_href': attr(feed.hubUrl), '@_rel': 'hub' });
  return writeXmlDocument('rss', {
    '@_version': '2.0',
    '@_xmlns:atom': RSS_NAMESPACES.atom,
    '@_xmlns:content': RSS_NAMESPACES.content,
    '@_xmlns:dc': RSS_NAMESPACES.dc,
    channel: {
      title: { '#text': text(feed.title) },
      link: { '#text': text(feed.homeUrl) },
      description: { '#text': text(feed.description) },
      language: { '#text': text(feed.language) },
      'atom:link': selfAndHub,
      pubDate: { '#text': date },
      lastBuildDate: { '#text': date },
      generator: { '#text': GENERATOR },
      docs: { '#text': RSS_DOCS },
      ttl: { '#text': String(feed.ttlMinutes) },
      // The W3C validator wants the image's title and link to repeat the channel's.
      image: feed.logo === undefined
        ? undefined
        : { url: { '#text': text(feed.logo) }, title: { '#text': text(feed.title) }, link: { '#text': text(feed.homeUrl) } },
      item: entries.map((entry) => rssItem(entry, feed)),
    },
  });
}
