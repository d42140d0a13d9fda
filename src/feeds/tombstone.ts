/**
 * How a feed says that an entry is gone from it: retracted (README "Retractions and corrections"),
 * or, in a category's archive, moved to another category. One place, so that the subscription
 * documents, the change streams and the archives tell partners the same thing:
 * - Atom: RFC 6721 `<at:deleted-entry ref="<entry id>" when="<moment>">`, the retraction note (or
 *   a sentence) as `at:comment`, and the entry's link;
 * - RSS 2.0 has no standard: the item again under the same guid, its `pubDate` moved to the moment
 *   and a `dcterms:valid` period that ended then, with `dcterms:modified` (the expiry model MSN
 *   documents for takedowns);
 * - JSON Feed has none either: an item with the same id whose `_wirefeed` object says `deleted`
 *   (and `retracted`, with the note, for a retraction).
 * The root that holds one must declare its namespace (TOMBSTONE_NAMESPACE_DECLARATIONS). Pure: the
 * same tombstone gives the same text.
 */
import { articleLink, articleUri } from '../domain/article-identity.ts';
import type { Retraction } from '../domain/change-entry.ts';
import { retractionTime } from '../domain/change-entry.ts';
import type { Site } from '../domain/site.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { formatRfc3339, formatRfc822, toWholeSeconds } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { DCTERMS_NAMESPACE, TOMBSTONES_NAMESPACE } from './namespaces.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

export interface Tombstone {
  /** The id every feed gave the entry (articleUri). */
  readonly id: string;
  readonly link: string;
  /** The entry's title as it was published. */
  readonly title: string;
  /** When it went (epoch ms, whole seconds). */
  readonly when: number;
  /** Set when the article was retracted, not only moved out of this feed's category. */
  readonly retraction?: { readonly note?: string };
}

/** The prefix and namespace a document with tombstones declares on its root, per XML format. */
export const TOMBSTONE_NAMESPACE_DECLARATIONS = {
  atom: { prefix: 'at', namespace: TOMBSTONES_NAMESPACE },
  rss: { prefix: 'dcterms', namespace: DCTERMS_NAMESPACE },
} as const;

/** An entry that left this feed at `when` without being retracted. */
export function tombstoneOf(entry: Pick<FeedEntry, 'id' | 'link' | 'title'>, when: number): Tombstone {
  return { id: entry.id, link: entry.link, title: entry.title, when: toWholeSeconds(when) };
}

/** A retraction: at the time its front matter states, or when partners were told (a deleted file). */
export function retractionTombstone(retraction: Retraction, site: Site): Tombstone {
  const { version } = retraction;
  return {
    id: clean(articleUri(version, site)),
    link: clean(articleLink(version, site)),
    title: clean(version.title),
    when: toWholeSeconds(retractionTime(retraction)),
    retraction: version.retractionNote === undefined ? {} : { note: clean(version.retractionNote) },
  };
}

/** The sentence readers see in place of the story. */
export function tombstoneSentence(tombstone: Tombstone): string {
  if (tombstone.retraction === undefined) return `${tombstone.title} is no longer published here.`;
  const said = `This article was retracted on ${formatRfc3339(tombstone.when)}.`;
  return tombstone.retraction.note === undefined ? said : `${said} ${tombstone.retraction.note}`;
}

function shownTitle(tombstone: Tombstone): string {
  return tombstone.retraction === undefined ? tombstone.title : `Retracted: ${tombstone.title}`;
}

/** One `at:deleted-entry` element, indented as an Atom feed's child; its `link` is in the feed's default (Atom) namespace. */
export function atomDeletedEntry(tombstone: Tombstone, indent = '    '): string {
  const comment = tombstone.retraction?.note ?? tombstoneSentence(tombstone);
  return (
    `${indent}<at:deleted-entry ref="${escapeXmlAttribute(tombstone.id)}" when="${formatRfc3339(tombstone.when)}">\n` +
    `${indent}    <at:comment>${escapeXmlText(comment)}</at:comment>\n` +
    `${indent}    <link rel="alternate" href="${escapeXmlAttribute(tombstone.link)}"/>\n` +
    `${indent}</at:deleted-entry>\n`
  );
}

/** The RSS <item> of a tombstone, in the shape fast-xml-parser's XMLBuilder takes (see build-rss.ts); keys in element order. */
export function rssDeletedItem(tombstone: Tombstone): Readonly<Record<string, string | Readonly<Record<string, string>>>> {
  return {
    title: shownTitle(tombstone),
    link: tombstone.link,
    guid: { '@isPermaLink': 'false', '#text': tombstone.id },
    pubDate: formatRfc822(tombstone.when),
    description: tombstoneSentence(tombstone),
    'dcterms:modified': formatRfc3339(tombstone.when),
    // A DCMI Period that ended when the entry went, so an aggregator that honours expiry takes it down.
    'dcterms:valid': `end=${formatRfc3339(tombstone.when)}; scheme=W3C-DTF`,
  };
}

/** The JSON Feed item of a tombstone. */
export function jsonDeletedItem(tombstone: Tombstone): Record<string, unknown> {
  const when = formatRfc3339(tombstone.when);
  const { retraction } = tombstone;
  return {
    id: tombstone.id,
    url: tombstone.link,
    title: shownTitle(tombstone),
    content_text: tombstoneSentence(tombstone),
    // Readers that need a date on every item (feed-extractor) find one.
    date_published: when,
    date_modified: when,
    _wirefeed: {
      deleted: when,
      ...(retraction === undefined ? {} : { retracted: when, ...(retraction.note === undefined ? {} : { note: retraction.note }) }),
    },
  };
}
