/**
 * The only changes made to the `feed` package's Atom output, each for something that cannot be
 * written through its input at all (see prepare-feed-library-input.ts for the numbers):
 * - 7: marks replaced by the character references they stand for;
 * - 3: the real id and link of an entry whose values `new URL()` would have changed;
 * - 10: `xml:lang` on the root element;
 * - 11: RFC 5005 links and `fh:archive`, RFC 6721 tombstones (archiveParts);
 * - 12: Media RSS for entries with a lead image, its namespace on the root only then (addMedia).
 * Each edit is found by something nothing else in the document can contain (a mark is a
 * character XML forbids, stripped from every input) or at a fixed position (the root start
 * tag), and checked: if `feed` ever writes differently, this throws instead of guessing.
 */
import type { FeedDescription } from './describe-feed.ts';
import type { FeedLibraryItem } from './prepare-feed-library-input.ts';
import { FEED_LIBRARY_MARKS, MEDIA_MARK, RESTORE_MARK } from './prepare-feed-library-input.ts';
import { MEDIA_NAMESPACE, MEDIA_PREFIX } from './media-rss.ts';
import { HISTORY_NAMESPACE } from './namespaces.ts';
import type { Tombstone } from './tombstone.ts';
import { atomDeletedEntry, TOMBSTONE_NAMESPACE_DECLARATIONS } from './tombstone.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

const ROOT_START = '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"';
const MARKS = new RegExp(`[${Object.keys(FEED_LIBRARY_MARKS).join('')}]`, 'g');
const MARKS_TEST = new RegExp(MARKS.source);
/**
 * A marked title's end and the id and link `feed` writes after it. The title CDATA holds no
 * `]]>` of its own (prepare: 1), element text holds no `<`, and a stand-in href no `"`.
 */
const RESTORED_ENTRY = new RegExp(`${RESTORE_MARK}\\]\\]></title>(\\s*)<id>[^<]*</id>(\\s*)<link href="[^"]*"/>`, 'g');

function fail(what: string): never {
  throw new Error(`feeds: the feed package's Atom output no longer has ${what}; see finish-feed-library-output.ts`);
}

function restoreEntries(xml: string, items: readonly FeedLibraryItem[]): string {
  const restores = items.flatMap((prepared) => (prepared.restore === undefined ? [] : [prepared.restore]));
  if (restores.length === 0) return xml;
  let next = 0;
  const restored = xml.replace(RESTORED_ENTRY, (_match, afterTitle: string, afterId: string) => {
    const restore = restores[next++];
    if (restore === undefined) fail('one marked title per stand-in');
    return `]]></title>${afterTitle}<id>${escapeXmlText(restore.id)}</id>${afterId}<link href="${escapeXmlAttribute(restore.link)}"/>`;
  });
  if (next !== restores.length) fail('each stand-in id and link right after its title');
  return restored;
}

/** A marked `published` end (12): the mark is a character XML forbids, stripped from every input, so nothing else can match. */
const MARKED_PUBLISHED = new RegExp(`${MEDIA_MARK}</published>`, 'g');

/** 12: each marked entry's `media:content` after its `published`, in item order. */
function addMedia(xml: string, items: readonly FeedLibraryItem[]): string {
  const media = items.flatMap((prepared) => (prepared.media === undefined ? [] : [prepared.media]));
  if (media.length === 0) return xml;
  let next = 0;
  const added = xml.replace(MARKED_PUBLISHED, () => {
    const element = media[next++];
    if (element === undefined) fail('one marked published date per entry with a lead image');
    return `</published>\n${element}`;
  });
  if (next !== media.length) fail("each entry's published date where its lead image is marked");
  return added;
}

/**
 * 11: RFC 5005 links, `fh:archive` and RFC 6721 tombstones, which `feed` has no input for: the
 * links, the marker and the tombstones become the feed's first children (right after the root
 * start tag: RFC 4287's schema allows extension elements only before the entries), their
 * namespaces declared on the root.
 */
function archiveParts(feed: FeedDescription, tombstones: readonly Tombstone[]): { namespaces: string; head: string } {
  const { archive } = feed;
  let namespaces = '';
  let head = '';
  if (archive?.isArchive === true) {
    namespaces += ` xmlns:fh="${HISTORY_NAMESPACE}"`;
    head += '\n    <fh:archive/>';
  }
  if (tombstones.length > 0) namespaces += ` xmlns:${TOMBSTONE_NAMESPACE_DECLARATIONS.atom.prefix}="${TOMBSTONE_NAMESPACE_DECLARATIONS.atom.namespace}"`;
  const links: [string, string | undefined][] = [['current', archive?.current], ['prev-archive', archive?.prevArchive], ['next-archive', archive?.nextArchive]];
  for (const [rel, href] of links) if (href !== undefined) head += `\n    <link rel="${rel}" href="${escapeXmlAttribute(href)}"/>`;
  for (const tombstone of tombstones) head += `\n${atomDeletedEntry(tombstone).trimEnd()}`;
  return { namespaces, head };
}

export function finishFeedLibraryAtom(xml: string, feed: FeedDescription, items: readonly FeedLibraryItem[], tombstones: readonly Tombstone[] = []): string {
  if (!xml.startsWith(`${ROOT_START}>`)) fail(`${JSON.stringify(`${ROOT_START}>`)} at its start`);
  let finished = addMedia(restoreEntries(xml, items), items);
  if (MARKS_TEST.test(finished)) {
    finished = finished.replace(MARKS, (mark) => FEED_LIBRARY_MARKS[mark as keyof typeof FEED_LIBRARY_MARKS]);
  }
  const language = feed.language === '' ? '' : ` xml:lang="${escapeXmlAttribute(feed.language)}"`;
  const { namespaces, head } = archiveParts(feed, tombstones);
  const media = items.some((prepared) => prepared.media !== undefined) ? ` xmlns:${MEDIA_PREFIX}="${MEDIA_NAMESPACE}"` : '';
  return `${ROOT_START}${language}${namespaces}${media}>${head}${finished.slice(ROOT_START.length + 1)}\n`;
}
