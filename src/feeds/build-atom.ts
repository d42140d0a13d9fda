/**
 * Atom 1.0 (RFC 4287), written with our own XML writer rather than the `feed` package.
 * feed 6.0.0 runs every entry id through `new URL()`, which throws on ids that are not URLs and
 * rewrites the ones it accepts (so the Atom id would differ from the RSS guid); it writes
 * categories without the `term` RFC 4287 requires unless one is supplied, dates the feed with
 * `new Date()` when given no date, escapes only the first `]]>` in CDATA and passes XML-illegal
 * characters through. Each of those sits in its serialiser, out of reach of its input.
 * xml-writer.ts says why not XMLBuilder either.
 */
import type { Author } from '../domain/article.ts';
import type { FeedDescription } from './describe-feed.ts';
import { formatRfc3339 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import type { XmlElement, XmlFragment } from './xml-writer.ts';
import { writeXmlDocument, writeXmlFragment } from './xml-writer.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

const GENERATOR = 'Wirefeed';
/** feed > entry */
const ENTRY_DEPTH = 1;

function atomPerson(author: Author): XmlElement {
  return {
    name: { '#text': author.name },
    uri: author.url === undefined ? undefined : { '#text': author.url },
    email: author.email === undefined ? undefined : { '#text': author.email },
  };
}

/** One <entry>, rendered once per article and build; `categoryBaseUrl` is the site's, see describeFeed. */
export function renderAtomEntry(entry: FeedEntry, categoryBaseUrl: string): XmlFragment {
  const links: XmlElement[] = [{ '@rel': 'alternate', '@type': 'text/html', '@href': entry.link }];
  if (entry.image !== undefined) links.push({ '@rel': 'enclosure', '@type': entry.image.type, '@href': entry.image.url });
  return writeXmlFragment(
    'entry',
    {
      id: { '#text': entry.id },
      title: { '@type': 'text', '#text': entry.title },
      published: { '#text': formatRfc3339(entry.published) },
      updated: { '#text': formatRfc3339(entry.updated) },
      // Written out even when it is the feed's default author: an entry read on its own
      // (aggregators copy entries) still says who wrote it.
      author: entry.authors.map(atomPerson),
      summary: entry.summary === '' ? undefined : { '@type': 'text', '#text': entry.summary },
      content: { '@type': 'html', '#text': entry.contentHtml },
      category: [
        ...entry.categories.map((category) => ({ '@term': category.slug, '@scheme': categoryBaseUrl, '@label': category.name })),
        ...entry.tags.map((tag) => ({ '@term': tag })),
      ],
      link: links,
    },
    ENTRY_DEPTH,
  );
}

export function buildAtom(feed: FeedDescription, entries: readonly XmlFragment[]): string {
  const links: XmlElement[] = [
    { '@rel': 'self', '@type': 'application/atom+xml', '@href': feed.selfUrl },
    { '@rel': 'alternate', '@type': 'text/html', '@href': feed.homeUrl },
  ];
  if (feed.hubUrl !== undefined) links.push({ '@rel': 'hub', '@href': feed.hubUrl });
  return writeXmlDocument('feed', {
    '@xmlns': ATOM_NAMESPACE,
    '@xml:lang': feed.language,
    id: { '#text': feed.id },
    title: { '@type': 'text', '#text': feed.title },
    subtitle: { '@type': 'text', '#text': feed.description },
    updated: { '#text': formatRfc3339(feed.updated) },
    link: links,
    author: atomPerson(feed.author),
    generator: { '#text': GENERATOR },
    logo: feed.logo === undefined ? undefined : { '#text': feed.logo },
    entry: entries,
  });
}
