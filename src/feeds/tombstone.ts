/**
 * How a feed says that an entry is gone from it (retracted, or moved out of a category's feed),
 * in each format. One place, so that the archives, the subscription documents and the change
 * streams tell partners the same thing:
 * - Atom: RFC 6721 `<at:deleted-entry ref="<entry id>" when="<moment>">` with the entry's link;
 * - RSS 2.0 has no standard: an item with the entry's guid, title and link, dated at the moment,
 *   carrying `<wf:deleted when="<moment>"/>` (namespace CHANGES_NAMESPACE);
 * - JSON Feed has none either: an item with the entry's id, url and title, dated at the moment,
 *   carrying `"_wirefeed": { "deleted": "<moment>" }`.
 * The root that holds one must declare its namespace (TOMBSTONE_NAMESPACE_DECLARATIONS).
 */
import { formatRfc3339, formatRfc822 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { CHANGES_NAMESPACE, TOMBSTONES_NAMESPACE } from './namespaces.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

export interface Tombstone {
  /** The id every feed gave the entry (articleUri). */
  readonly id: string;
  readonly link: string;
  readonly title: string;
  /** When it went (epoch ms). */
  readonly when: number;
}

/** The prefix and namespace a document with tombstones declares on its root, per XML format. */
export const TOMBSTONE_NAMESPACE_DECLARATIONS = {
  atom: { prefix: 'at', namespace: TOMBSTONES_NAMESPACE },
  rss: { prefix: 'wf', namespace: CHANGES_NAMESPACE },
} as const;

export function tombstoneOf(entry: Pick<FeedEntry, 'id' | 'link' | 'title'>, when: number): Tombstone {
  return { id: entry.id, link: entry.link, title: entry.title, when };
}

/** One `at:deleted-entry` element, indented as an Atom feed's child; its `link` is in the feed's default (Atom) namespace. */
export function atomDeletedEntry(tombstone: Tombstone, indent = '    '): string {
  return (
    `${indent}<at:deleted-entry ref="${escapeXmlAttribute(tombstone.id)}" when="${formatRfc3339(tombstone.when)}">\n` +
    `${indent}    <link href="${escapeXmlAttribute(tombstone.link)}"/>\n` +
    `${indent}    <at:comment>${escapeXmlText(`${tombstone.title} is no longer published here.`)}</at:comment>\n` +
    `${indent}</at:deleted-entry>\n`
  );
}

/** The RSS <item> of a tombstone, in the shape fast-xml-parser's XMLBuilder takes (see build-rss.ts). */
export function rssDeletedItem(tombstone: Tombstone): Record<string, string | Record<string, string>> {
  return {
    title: tombstone.title,
    link: tombstone.link,
    guid: { '@isPermaLink': 'false', '#text': tombstone.id },
    pubDate: formatRfc822(tombstone.when),
    'wf:deleted': { '@when': formatRfc3339(tombstone.when) },
  };
}

/** The JSON Feed item of a tombstone. */
export function jsonDeletedItem(tombstone: Tombstone): Record<string, unknown> {
  return {
    id: tombstone.id,
    url: tombstone.link,
    title: tombstone.title,
    content_text: `${tombstone.title} is no longer published here.`,
    // Readers that need a date on every item (feed-extractor) find one.
    date_published: formatRfc3339(tombstone.when),
    date_modified: formatRfc3339(tombstone.when),
    _wirefeed: { deleted: formatRfc3339(tombstone.when) },
  };
}
