import type { FeedFormat } from '../../src/domain/documents.ts';
import type { ReadItem } from '../fixtures/articles/read-feed-items.ts';
import { readFeedItems } from '../fixtures/articles/read-feed-items.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { NS, childOf, childrenOf, readXml } from '../fixtures/articles/read-xml-with-saxes.ts';

const REFERENCE = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An Atom text construct as a reader shows it. The `feed` package writes entry titles and
 * summaries as type="html": the text is HTML, so its character references are decoded (the
 * builder escapes plain text, so there is no markup to drop). Written independently of the
 * validator's decoder, so the two check each other.
 */
export function atomText(element: SaxElement): string {
  if (element.attributes.type !== 'html') return element.text;
  return element.text.replace(REFERENCE, (reference, decimal?: string, hex?: string, named?: string) => {
    if (named !== undefined) return NAMED[named.toLowerCase()] ?? reference;
    return String.fromCodePoint(decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16));
  });
}

/** The entry's alternate link: RFC 4287 reads a link without `rel` as rel="alternate", as `feed` writes it. */
export function alternateLink(entry: SaxElement): string {
  return childrenOf(entry, NS.atom, 'link').find((link) => (link.attributes.rel ?? 'alternate') === 'alternate')?.attributes.href ?? '';
}

/**
 * readFeedItems as a feed reader would read Atom: HTML titles decoded, a link without `rel`
 * taken as the alternate. The shared fixture reads Atom titles and links literally.
 */
export function readItemsAsReader(format: FeedFormat, body: string): ReadItem[] {
  const items = readFeedItems(format, body);
  if (format !== 'atom') return items;
  const entries = childrenOf(readXml(body), NS.atom, 'entry');
  return items.map((item, index) => {
    const entry = entries[index];
    if (entry === undefined) throw new Error(`no entry ${index + 1}`);
    return { ...item, title: atomText(childOf(entry, NS.atom, 'title')), link: alternateLink(entry) };
  });
}
