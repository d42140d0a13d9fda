/**
 * How every format tells partners that an article was retracted (README "Retractions and
 * corrections"): one notice per retraction, rendered the same wherever it appears (the
 * subscription feeds, the change streams, archive documents). Pure: the same retraction and
 * site give the same text.
 *
 * - Atom: RFC 6721 `at:deleted-entry` with `ref` = the entry's id, `when` = the retraction time,
 *   the note as `at:comment`, and a link to the article's address.
 * - RSS: the item again under the same guid, its `pubDate` moved to the retraction time and a
 *   `dcterms:valid` period that ended then (the expiry model MSN documents for takedowns), with
 *   `dcterms:modified` saying when.
 * - JSON Feed: an item with the same id whose `_wirefeed` object says `retracted` and the note.
 */
import { articleLink, articleUri } from '../domain/article-identity.ts';
import type { Retraction } from '../domain/change-entry.ts';
import type { Site } from '../domain/site.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { formatRfc3339, formatRfc822, toWholeSeconds } from './feed-dates.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

/** RFC 6721's namespace, bound to `at` on the root of every Atom document that carries a notice. */
export const TOMBSTONES_NAMESPACE = 'http://purl.org/atompub/tombstones/1.0';
/** DCMI terms, bound to `dcterms` on the RSS root. */
export const DCTERMS_NAMESPACE = 'http://purl.org/dc/terms/';

/** What every format says of one retraction; every text XML-safe. */
export interface RetractionNotice {
  /** The article's id as every feed shows it (RSS guid, Atom id, JSON Feed id). */
  readonly id: string;
  readonly link: string;
  /** The article's title as it was published. */
  readonly title: string;
  /** Whole seconds. */
  readonly when: number;
  readonly note?: string;
}

export function toRetractionNotice(retraction: Retraction, site: Site): RetractionNotice {
  const { version } = retraction;
  return {
    id: clean(articleUri(version, site)),
    link: clean(articleLink(version, site)),
    title: clean(version.title),
    when: toWholeSeconds(version.retracted ?? retraction.announcedAt),
    ...(version.retractionNote === undefined ? {} : { note: clean(version.retractionNote) }),
  };
}

/** The sentence readers see in place of the story. */
export function retractionSentence(notice: Pick<RetractionNotice, 'when' | 'note'>): string {
  const said = `This article was retracted on ${formatRfc3339(notice.when)}.`;
  return notice.note === undefined ? said : `${said} ${notice.note}`;
}

/** `<at:deleted-entry>`, indented for a child of the Atom root. */
export function atomDeletedEntry(notice: RetractionNotice): string {
  const comment = notice.note === undefined ? '' : `\n    <at:comment>${escapeXmlText(notice.note)}</at:comment>`;
  return (
    `  <at:deleted-entry ref="${escapeXmlAttribute(notice.id)}" when="${formatRfc3339(notice.when)}">` +
    `${comment}\n    <link rel="alternate" href="${escapeXmlAttribute(notice.link)}"/>\n  </at:deleted-entry>\n`
  );
}

/** The RSS `<item>` as the object XMLBuilder serialises (see build-rss.ts); keys in element order. */
export function rssRetractedItem(notice: RetractionNotice): Readonly<Record<string, string | Readonly<Record<string, string>>>> {
  return {
    title: `Retracted: ${notice.title}`,
    link: notice.link,
    guid: { '@isPermaLink': 'false', '#text': notice.id },
    pubDate: formatRfc822(notice.when),
    description: retractionSentence(notice),
    'dcterms:modified': formatRfc3339(notice.when),
    // A DCMI Period: valid until the retraction, so an aggregator that honours expiry takes it down.
    'dcterms:valid': `end=${formatRfc3339(notice.when)}; scheme=W3C-DTF`,
  };
}

/** The JSON Feed item. */
export function jsonRetractedItem(notice: RetractionNotice): Record<string, unknown> {
  return {
    id: notice.id,
    url: notice.link,
    title: `Retracted: ${notice.title}`,
    content_text: retractionSentence(notice),
    date_modified: formatRfc3339(notice.when),
    _wirefeed: { retracted: formatRfc3339(notice.when), ...(notice.note === undefined ? {} : { note: notice.note }) },
  };
}
