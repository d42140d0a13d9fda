/**
 * Atom 1.0 (RFC 4287), written with fast-xml-parser's XMLBuilder rather than the `feed` package.
 * feed 6.0.0 runs every entry id through `new URL()`, which throws on ids that are not URLs and
 * rewrites the ones it accepts (so the Atom id would differ from the RSS guid); it writes
 * categories without the `term` RFC 4287 requires unless one is supplied, dates the feed with
 * `new Date()` when given no date, escapes only the first `]]>` in CDATA and passes XML-illegal
 * characters through. Each of those sits in its serialiser, out of reach of its input, hence
 * our own tree; escaping is done once, in xml-safe-text.ts.
 */
import type { Author } from '../domain/article.ts';
import type { FeedDescription } from './describe-feed.ts';
import { formatRfc3339 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-safe-text.ts';
import type { XmlElement } from './xml-writer.ts';
import { writeXmlDocument } from './xml-writer.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

const GENERATOR = 'Wirefeed';

function atomPerson(author: Author): XmlElement {
  return {
    name: { '#text': text(author.name) },
    uri: author.url === undefined ? undefined : { '#text': text(author.url) },
    email: author.email === undefined ? undefined : { '#text': text(author.email) },
  };
}

function atomEntry(entry: FeedEntry, feed: FeedDescription): XmlElement {
  const links: XmlElement[] = [{ '@_rel': 'alternate', '@_type': 'text/html', '@_href': attr(entry.link) }];
  if (entry.image !== undefined) {
    links.push({ '@_rel': 'enclosure', '@_type': attr(entry.image.type), '@_href': attr(entry.image.url) });
  }
  return {
    id: { '#text': text(entry.id) },
    title: { '@_type': 'text', '#text': text(entry.title) },
    published: { '#text': formatRfc3339(entry.published) },
    updated: { '#text': formatRfc3339(entry.updated) },
    // Written out even when they are the feed's default author: an entry read on its own
    // (aggregators copy entries) still says who wrote it.
    author: entry.authors.map(atomPerson),
    summary: entry.summary === '' ? undefined : { '@_type': 'text', '#text': text(entry.summary) },
    content: { '@_type': 'html', '#text': text(entry.contentHtml) },
    category: [
      ...entry.categories.map((category) => ({
        '@_term': attr(category.slug),
        '@_scheme': attr(feed.categoryBaseUrl),
        '@_label': attr(category.name),
      })),
      ...entry.tags.map((tag) => ({ '@_term': attr(tag) })),
    ],
    link: links,
  };
}

export function buildAtom(feed: FeedDescription, entries: readonly FeedEntry[]): string {
  const links: XmlElement[] = [
    { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': attr(feed.selfUrl) },
    { '@_rel': 'alternate', '@_type': 'text/html', '@_href': attr(feed.homeUrl) },
  ];
  if (feed.hubUrl !== undefined) links.push({ '@_rel': 'hub', '@_href': attr(feed.hubUrl) });
  return writeXmlDocument('feed', {
    '@_xmlns': ATOM_NAMESPACE,
    '@_xml:lang': attr(feed.language),
    id: { '#text': text(feed.id) },
    title: { '@_type': 'text', '#text': text(feed.title) },
    subtitle: { '@_type': 'text', '#text': text(feed.description) },
    updated: { '#text': formatRfc3339(feed.updated) },
    link: links,
    author: atomPerson(feed.author),
    generator: { '#text': GENERATOR },
    logo: feed.logo === undefined ? undefined : { '#text': text(feed.logo) },
    entry: entries.map((entry) => atomEntry(entry, feed)),
  });
}
