/** RSS 2.0 rules (rssboard.org specification, plus what readers and the W3C validator insist on). */
import { RSS_NAMESPACES } from '../feeds/build-rss.ts';
import { DCTERMS_NAMESPACE, HISTORY_NAMESPACE } from '../feeds/namespaces.ts';
import type { FeedProblems } from './feed-problems.ts';
import { checkMediaContents, mediaPrefix } from './media-rules.ts';
import { itemLabel } from './feed-problems.ts';
import { checkArchiveLinks, checkDate, checkHttpUrl, checkLanguage, checkUniqueIds, quote, requireText } from './feed-rules.ts';
import { parseRfc822 } from './parse-feed-dates.ts';
import type { ParsedFeed, ParsedItem, ParsedRetraction } from './parsed-feed.ts';
import { parseRetractionPeriod } from './parse-feed-dates.ts';
import type { XmlNode } from './xml-parser.ts';
import { attributeOf, childElement, childElements, childText, childTexts, prefixFor } from './xml-parser.ts';

const EMAIL = /[^\s@]+@[^\s@]+/;

export function validateRss(root: XmlNode, problems: FeedProblems, now: number): ParsedFeed {
  const reportFeed = (field: string, rule: string): void => problems.feed(field, rule);

  const version = attributeOf(root, 'version');
  if (version !== '2.0') reportFeed('version', `${version === undefined ? 'is missing' : quote(version)}: only RSS 2.0 is checked (version="2.0")`);
  for (const [usual, namespace] of Object.entries(RSS_NAMESPACES)) {
    const bound = attributeOf(root, `xmlns:${usual}`);
    if (bound !== undefined && bound !== namespace) {
      reportFeed(`xmlns:${usual}`, `binds "${usual}" to ${quote(bound)}; readers expect ${namespace}`);
    }
  }
  const atom = prefixFor(root, RSS_NAMESPACES.atom, 'atom');
  const dc = prefixFor(root, RSS_NAMESPACES.dc, 'dc');
  const dcterms = prefixFor(root, DCTERMS_NAMESPACE, 'dcterms');
  const content = prefixFor(root, RSS_NAMESPACES.content, 'content');
  const media = mediaPrefix(root, reportFeed);

  const channels = childElements(root, 'channel');
  const channel = channels[0];
  if (channel === undefined || channels.length > 1) {
    reportFeed('channel', channel === undefined ? 'is missing' : 'appears more than once');
    if (channel === undefined) return { format: 'rss', selfUrl: undefined, items: [], retractions: [] };
  }

  requireText(reportFeed, 'title', childText(channel, 'title'));
  const link = childText(channel, 'link');
  if (requireText(reportFeed, 'link', link)) checkHttpUrl(reportFeed, 'link', link);
  requireText(reportFeed, 'description', childText(channel, 'description'));
  const language = checkLanguage(reportFeed, 'language', childText(channel, 'language'));
  checkDate(reportFeed, 'pubDate', childText(channel, 'pubDate'), parseRfc822, now);
  checkDate(reportFeed, 'lastBuildDate', childText(channel, 'lastBuildDate'), parseRfc822, now);
  const ttl = childText(channel, 'ttl');
  if (ttl !== undefined && !/^\s*\d+\s*$/.test(ttl)) reportFeed('ttl', `${quote(ttl)} is not a whole number of minutes`);

  let selfUrl: string | undefined;
  const atomLinks = childElements(channel, `${atom}:link`);
  const fh = prefixFor(root, HISTORY_NAMESPACE, 'fh');
  checkArchiveLinks(reportFeed, `${atom}:link`, childElement(channel, `${fh}:archive`) !== undefined, atomLinks.map((atomLink) => attributeOf(atomLink, 'rel') ?? 'alternate'));
  for (const atomLink of atomLinks) {
    const href = attributeOf(atomLink, 'href');
    const rel = attributeOf(atomLink, 'rel') ?? 'alternate';
    if (requireText(reportFeed, `${atom}:link[rel=${rel}] href`, href)) checkHttpUrl(reportFeed, `${atom}:link[rel=${rel}] href`, href);
    if (rel === 'self') selfUrl ??= href;
  }

  const image = childElement(channel, 'image');
  if (image !== undefined) {
    const url = childText(image, 'url');
    if (requireText(reportFeed, 'image url', url)) checkHttpUrl(reportFeed, 'image url', url);
    requireText(reportFeed, 'image title', childText(image, 'title'));
    const imageLink = childText(image, 'link');
    if (requireText(reportFeed, 'image link', imageLink)) checkHttpUrl(reportFeed, 'image link', imageLink);
  }

  const retractions: ParsedRetraction[] = [];
  const items: ParsedItem[] = [];
  childElements(channel, 'item').forEach((item, index) => {
    const position = index + 1;
    const guidElement = childElement(item, 'guid');
    const guid = childText(item, 'guid');
    const label = itemLabel(guid, position);
    const report = (field: string, rule: string): void => problems.item(label, field, rule);

    const title = childText(item, 'title');
    const description = childText(item, 'description');
    if ((title ?? '').trim() === '' && (description ?? '').trim() === '') report('title', 'and description are both missing or empty');
    // Optional in RSS 2.0, required here: without a guid, readers make up ids and show duplicates.
    if (requireText(report, 'guid', guid) && guidElement !== undefined) {
      const isPermaLink = attributeOf(guidElement, 'isPermaLink') ?? 'true';
      // A guid that is not a permalink may be any unique string (ours are URIs; the round trip checks them).
      if (isPermaLink === 'true') checkHttpUrl(report, 'guid (a permalink unless isPermaLink="false")', guid);
      else if (isPermaLink !== 'false') report('guid isPermaLink', `${quote(isPermaLink)} must be "true" or "false"`);
    }
    const itemLink = childText(item, 'link');
    checkHttpUrl(report, 'link', itemLink);
    const published = checkDate(report, 'pubDate', childText(item, 'pubDate'), parseRfc822, now);
    const valid = childText(item, `${dcterms}:valid`);
    if (valid !== undefined) {
      // A retraction notice: the validity period ended at the retraction, and pubDate says when.
      const end = parseRetractionPeriod(valid);
      if (end === undefined) report(`${dcterms}:valid`, `${quote(valid)} is not a DCMI period with an end, e.g. "end=2026-11-23T09:00:00Z; scheme=W3C-DTF"`);
      else if (end > now) report(`${dcterms}:valid`, `${quote(valid)} ends in the future: a retraction notice's period ends at the retraction`);
      else if (published !== undefined && end !== published) report(`${dcterms}:valid`, `${quote(valid)} does not end at the item's pubDate`);
      retractions.push({ position, id: guid, when: published });
      return;
    }
    for (const author of childTexts(item, 'author')) {
      // RSS `author` is an e-mail address; a bare name belongs in dc:creator.
      if (!EMAIL.test(author)) report('author', `${quote(author)} has no e-mail address (use dc:creator for names)`);
    }
    const enclosures = childElements(item, 'enclosure');
    for (const enclosure of enclosures) {
      const url = attributeOf(enclosure, 'url');
      if (requireText(report, 'enclosure url', url)) checkHttpUrl(report, 'enclosure url', url);
      requireText(report, 'enclosure type', attributeOf(enclosure, 'type'));
      const length = attributeOf(enclosure, 'length');
      // Required; Wirefeed writes an enclosure only when it knows the size.
      if (requireText(report, 'enclosure length', length) && !/^\d+$/.test(length)) {
        report('enclosure length', `${quote(length)} is not a whole number of bytes`);
      }
    }
    checkMediaContents(report, item, media);
    const categories = childTexts(item, 'category');
    categories.forEach((category) => {
      if (category.trim() === '') report('category', 'is empty');
    });
    items.push({
      position,
      id: guid,
      title,
      link: itemLink,
      published,
      updated: undefined,
      categories,
      categoryTerms: undefined,
      authors: childTexts(item, `${dc}:creator`),
      contentHtml: childText(item, `${content}:encoded`),
    });
  });
  checkUniqueIds((field, rule) => problems.feed(field, rule), 'guid', [...items, ...retractions].map((item) => item.id));
  return { format: 'rss', selfUrl, language, items, retractions };
}
