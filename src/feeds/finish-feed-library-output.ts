/**
 * The only changes made to the `feed` package's Atom output, each for something that cannot be
 * written through its input at all (see prepare-feed-library-input.ts for the numbers):
 * - 7: marks replaced by the character references they stand for;
 * - 3: the real id and link of an entry whose values `new URL()` would have changed;
 * - 10: `xml:lang` on the root element;
 * - RFC 6721 retraction notices (`at:deleted-entry`, retraction-notice.ts) before the first entry
 *   (RFC 4287's RELAX NG schema allows extension elements only before the entries; with no entry,
 *   before the root's end tag), and their namespace on the root.
 * Each edit is found by something nothing else in the document can contain (a mark is a
 * character XML forbids, stripped from every input) or at a fixed position (the root start
 * tag), and checked: if `feed` ever writes differently, this throws instead of guessing.
 */
import type { FeedDescription } from './describe-feed.ts';
import type { FeedLibraryItem } from './prepare-feed-library-input.ts';
import { FEED_LIBRARY_MARKS, RESTORE_MARK } from './prepare-feed-library-input.ts';
import type { RetractionNotice } from './retraction-notice.ts';
import { atomDeletedEntry, TOMBSTONES_NAMESPACE } from './retraction-notice.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';

const ROOT_START = '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"';
const ROOT_END = '</feed>';
const FIRST_ENTRY = '\n    <entry>';
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

export function finishFeedLibraryAtom(xml: string, feed: FeedDescription, items: readonly FeedLibraryItem[], notices: readonly RetractionNotice[] = []): string {
  if (!xml.startsWith(ROOT_START)) fail(`${JSON.stringify(ROOT_START)} at its start`);
  let finished = restoreEntries(xml, items);
  if (MARKS_TEST.test(finished)) {
    finished = finished.replace(MARKS, (mark) => FEED_LIBRARY_MARKS[mark as keyof typeof FEED_LIBRARY_MARKS]);
  }
  let rootAttributes = feed.language === '' ? '' : ` xml:lang="${escapeXmlAttribute(feed.language)}"`;
  if (notices.length > 0) {
    if (!finished.endsWith(ROOT_END)) fail(`${JSON.stringify(ROOT_END)} at its end`);
    rootAttributes = ` xmlns:at="${TOMBSTONES_NAMESPACE}"${rootAttributes}`;
    const tombstones = notices.map(atomDeletedEntry).join('');
    const firstEntry = finished.indexOf(FIRST_ENTRY);
    finished =
      firstEntry < 0
        ? `${finished.slice(0, -ROOT_END.length).trimEnd()}\n${tombstones}${ROOT_END}`
        : `${finished.slice(0, firstEntry)}\n${tombstones.trimEnd()}${finished.slice(firstEntry)}`;
  }
  return `${ROOT_START}${rootAttributes}${finished.slice(ROOT_START.length)}\n`;
}
