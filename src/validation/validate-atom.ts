/** Atom 1.0 rules (RFC 4287 §4), for a root already known to be an Atom <feed>; with RFC 5005 links and RFC 6721 tombstones. */
import { checkMediaContents, mediaPrefix } from './media-rules.ts';
import { HISTORY_NAMESPACE, TOMBSTONES_NAMESPACE } from '../feeds/namespaces.ts';
import type { FeedProblems } from './feed-problems.ts';
import { itemLabel } from './feed-problems.ts';
import type { Report } from './feed-rules.ts';
import { checkAbsoluteIri, checkArchiveLinks, checkDate, checkHttpUrl, checkLanguage, checkUniqueIds, requireText } from './feed-rules.ts';
import { parseRfc3339 } from './parse-feed-dates.ts';
import type { ParsedFeed, ParsedItem, ParsedRetraction } from './parsed-feed.ts';
import type { XmlNode } from './xml-parser.ts';
import { attributeOf, childElement, childElements, childText, deepText, prefixFor } from './xml-parser.ts';

/** Names of Atom elements under the prefix the root uses ("" for the default namespace). */
type AtomName = (local: string) => string;

/** Something that HTML reads as a tag, comment or declaration: `<` then a letter, `/`, `!` or `?`, up to `>`. */
const HTML_MARKUP = /<[A-Za-z/!?][^>]*>/g;
const HTML_REFERENCE = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;
const HTML_NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The text a reader shows for type="html": markup dropped, then character references decoded.
 * Only the references every HTML parser reads the same way are decoded; any other (named
 * entities, code points HTML maps elsewhere such as &#128;) stays as written, so a title that
 * relies on one does not compare equal to the article's and the round trip reports it.
 */
function htmlText(html: string): string {
  const text = html.includes('<') ? html.replace(HTML_MARKUP, '') : html;
  if (!text.includes('&')) return text;
  return text.replace(HTML_REFERENCE, (reference, decimal?: string, hex?: string, named?: string) => {
    if (named !== undefined) return HTML_NAMED[named] ?? reference;
    const codePoint = Number.parseInt(decimal ?? hex ?? '', decimal !== undefined ? 10 : 16);
    const remapped = codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff) || (codePoint >= 0x80 && codePoint <= 0x9f);
    return remapped ? reference : String.fromCodePoint(codePoint);
  });
}

/**
 * An Atom text construct (title, subtitle) as a reader shows it: type="xhtml" puts the text
 * inside a <div>, so its character data is gathered from the descendants; type="html" is HTML
 * carried as text (the `feed` package writes entry titles that way), read as htmlText says.
 */
function textConstruct(parent: XmlNode, elementName: string): string | undefined {
  const element = childElement(parent, elementName);
  if (element === undefined) return undefined;
  const type = attributeOf(element, 'type');
  if (type === 'xhtml') return deepText(element);
  const text = childText(parent, elementName);
  return type === 'html' && text !== undefined ? htmlText(text) : text;
}

/** atom:author / atom:contributor: a person needs a name; uri, when given, must be absolute. */
function checkPersons(report: Report, field: string, persons: readonly XmlNode[], name: AtomName): string[] {
  return persons.map((person) => {
    const personName = childText(person, name('name'));
    requireText(report, `${field} name`, personName);
    checkHttpUrl(report, `${field} uri`, childText(person, name('uri')));
    return personName ?? '';
  });
}

function checkLinks(report: Report, links: readonly XmlNode[]): void {
  for (const link of links) {
    const rel = attributeOf(link, 'rel') ?? 'alternate';
    const href = attributeOf(link, 'href');
    if (requireText(report, `link[rel=${rel}] href`, href)) checkHttpUrl(report, `link[rel=${rel}] href`, href);
  }
}

function linkHref(links: readonly XmlNode[], rel: string): string | undefined {
  const link = links.find((candidate) => (attributeOf(candidate, 'rel') ?? 'alternate') === rel);
  return link === undefined ? undefined : attributeOf(link, 'href');
}

/** RFC 6721 §2: each `at:deleted-entry` needs `ref` (an IRI) and `when` (a date); its links follow the Atom rules. */
function checkDeletedEntries(root: XmlNode, problems: FeedProblems, now: number, name: AtomName): ParsedRetraction[] {
  const at = prefixFor(root, TOMBSTONES_NAMESPACE, 'at');
  return childElements(root, `${at}:deleted-entry`).map((tombstone, index) => {
    const position = index + 1;
    const ref = attributeOf(tombstone, 'ref');
    const report: Report = (field, rule) => problems.item(itemLabel(ref, position), `${at}:deleted-entry ${field}`, rule);
    if (requireText(report, 'ref', ref)) checkAbsoluteIri(report, 'ref', ref);
    const whenText = attributeOf(tombstone, 'when');
    const when = requireText(report, 'when', whenText) ? checkDate(report, 'when', whenText, parseRfc3339, now) : undefined;
    checkLinks(report, childElements(tombstone, name('link')));
    return { position, id: ref, when };
  });
}

export function validateAtom(root: XmlNode, prefix: string, problems: FeedProblems, now: number): ParsedFeed {
  const name: AtomName = (local) => (prefix === '' ? local : `${prefix}:${local}`);
  const reportFeed: Report = (field, rule) => problems.feed(field, rule);

  const feedId = childText(root, name('id'));
  if (requireText(reportFeed, 'id', feedId)) checkAbsoluteIri(reportFeed, 'id', feedId);
  requireText(reportFeed, 'title', textConstruct(root, name('title')));
  const language = checkLanguage(reportFeed, 'xml:lang', attributeOf(root, 'xml:lang'));
  if (requireText(reportFeed, 'updated', childText(root, name('updated')))) {
    checkDate(reportFeed, 'updated', childText(root, name('updated')), parseRfc3339, now);
  }
  const feedAuthors = checkPersons(reportFeed, 'author', childElements(root, name('author')), name);
  const feedLinks = childElements(root, name('link'));
  checkLinks(reportFeed, feedLinks);
  const fh = prefixFor(root, HISTORY_NAMESPACE, 'fh');
  checkArchiveLinks(reportFeed, 'link', childElement(root, `${fh}:archive`) !== undefined, feedLinks.map((link) => attributeOf(link, 'rel') ?? 'alternate'));

  const media = mediaPrefix(root, reportFeed);
  const items: ParsedItem[] = childElements(root, name('entry')).map((entry, index) => {
    const position = index + 1;
    const id = childText(entry, name('id'));
    const report: Report = (field, rule) => problems.item(itemLabel(id, position), field, rule);

    if (requireText(report, 'id', id)) checkAbsoluteIri(report, 'id', id);
    const title = textConstruct(entry, name('title'));
    requireText(report, 'title', title);
    const updatedText = childText(entry, name('updated'));
    const updated = requireText(report, 'updated', updatedText) ? checkDate(report, 'updated', updatedText, parseRfc3339, now) : undefined;
    const published = checkDate(report, 'published', childText(entry, name('published')), parseRfc3339, now);
    const authors = checkPersons(report, 'author', childElements(entry, name('author')), name);
    // RFC 4287 §4.1.1: an entry without its own author takes the feed's; with neither, none.
    if (authors.length === 0 && feedAuthors.length === 0) report('author', 'is missing, and the feed has no author to inherit');
    const links = childElements(entry, name('link'));
    checkLinks(report, links);
    const hasContent = childElements(entry, name('content')).length > 0;
    // RFC 4287 §4.1.2: without content, an entry must link to it.
    if (!hasContent && linkHref(links, 'alternate') === undefined) report('content', 'is missing and there is no alternate link');
    checkMediaContents(report, entry, media);
    const categories = childElements(entry, name('category'));
    const categoryTerms = categories.map((category) => {
      const term = attributeOf(category, 'term');
      requireText(report, 'category term', term);
      return term ?? '';
    });
    return {
      position,
      id,
      title,
      link: linkHref(links, 'alternate'),
      published,
      updated,
      categories: categories.map((category, categoryIndex) => attributeOf(category, 'label') ?? categoryTerms[categoryIndex] ?? ''),
      categoryTerms,
      authors: authors.length > 0 ? authors : feedAuthors,
      contentHtml: childText(entry, name('content')),
    };
  });
  checkUniqueIds(reportFeed, 'entry id', items.map((item) => item.id));
  const retractions = checkDeletedEntries(root, problems, now, name);
  checkUniqueIds(reportFeed, 'at:deleted-entry ref', retractions.map((retraction) => retraction.id));
  return { format: 'atom', selfUrl: linkHref(feedLinks, 'self'), language, items, retractions };
}
