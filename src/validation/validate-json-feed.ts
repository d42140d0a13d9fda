/** JSON Feed 1.1 rules (jsonfeed.org/version/1.1), version 1 accepted for feeds we did not write. */
import { checkJsonMedia } from './media-rules.ts';
import type { FeedProblems } from './feed-problems.ts';
import { itemLabel } from './feed-problems.ts';
import type { Report } from './feed-rules.ts';
import { checkAbsoluteIri, checkDate, checkHttpUrl, checkLanguage, checkUniqueIds, quote, requireText } from './feed-rules.ts';
import { parseRfc3339 } from './parse-feed-dates.ts';
import type { ParsedFeed, ParsedItem, ParsedRetraction } from './parsed-feed.ts';

const VERSIONS = new Set(['https://jsonfeed.org/version/1.1', 'https://jsonfeed.org/version/1']);

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string member, or undefined when absent; a member of another type is reported. */
function stringMember(report: Report, object: JsonObject, key: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    report(key, `must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`);
    return undefined;
  }
  return value;
}

function arrayMember(report: Report, object: JsonObject, key: string): readonly unknown[] | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    report(key, 'must be an array');
    return undefined;
  }
  return value;
}

/** `authors` (1.1): objects with at least a name, url or avatar. Returns the names. */
function checkAuthors(report: Report, object: JsonObject): string[] {
  const authors = arrayMember(report, object, 'authors') ?? (object.author === undefined ? [] : [object.author]);
  return authors.map((author) => {
    if (!isObject(author)) {
      report('authors', 'must hold objects');
      return '';
    }
    const name = stringMember(report, author, 'name');
    const url = stringMember(report, author, 'url');
    if (name === undefined && url === undefined && author.avatar === undefined) report('authors', 'has an author with no name, url or avatar');
    checkHttpUrl(report, 'author url', url);
    return name ?? '';
  });
}

export function validateJsonFeed(document: unknown, problems: FeedProblems, now: number): ParsedFeed {
  if (!isObject(document)) {
    problems.document('is not a JSON object');
    return { format: 'json', selfUrl: undefined, items: [], retractions: [] };
  }
  const reportFeed: Report = (field, rule) => problems.feed(field, rule);
  const version = stringMember(reportFeed, document, 'version');
  if (requireText(reportFeed, 'version', version) && !VERSIONS.has(version)) {
    reportFeed('version', `${quote(version)} is not a JSON Feed version URL`);
  }
  requireText(reportFeed, 'title', stringMember(reportFeed, document, 'title'));
  // `language` came with version 1.1: a version 1 feed cannot be faulted for lacking it.
  const languageText = stringMember(reportFeed, document, 'language');
  const language = version === 'https://jsonfeed.org/version/1' && languageText === undefined ? undefined : checkLanguage(reportFeed, 'language', languageText);
  checkHttpUrl(reportFeed, 'home_page_url', stringMember(reportFeed, document, 'home_page_url'));
  const feedUrl = stringMember(reportFeed, document, 'feed_url');
  checkHttpUrl(reportFeed, 'feed_url', feedUrl);
  checkHttpUrl(reportFeed, 'icon', stringMember(reportFeed, document, 'icon'));
  const feedAuthors = checkAuthors(reportFeed, document);
  for (const hub of arrayMember(reportFeed, document, 'hubs') ?? []) {
    if (!isObject(hub)) reportFeed('hubs', 'must hold objects');
    else {
      requireText(reportFeed, 'hub type', stringMember(reportFeed, hub, 'type'));
      const url = stringMember(reportFeed, hub, 'url');
      if (requireText(reportFeed, 'hub url', url)) checkHttpUrl(reportFeed, 'hub url', url);
    }
  }

  const rawItems = document.items === undefined ? undefined : arrayMember(reportFeed, document, 'items');
  if (document.items === undefined) reportFeed('items', 'is missing');
  const retractions: ParsedRetraction[] = [];
  const items: ParsedItem[] = [];
  (rawItems ?? []).forEach((item, index) => {
    const position = index + 1;
    if (!isObject(item)) {
      problems.item(`#${position}`, 'item', 'is not an object');
      items.push({ position, id: undefined, title: undefined, link: undefined, published: undefined, updated: undefined, categories: [], categoryTerms: undefined, authors: [] });
      return;
    }
    const rawId = item.id;
    const id = typeof rawId === 'string' ? rawId : undefined;
    const report: Report = (field, rule) => problems.item(itemLabel(id, position), field, rule);
    if (rawId !== undefined && typeof rawId !== 'string') report('id', 'must be a string');
    else if (requireText(report, 'id', id)) checkAbsoluteIri(report, 'id', id);
    const contentHtml = stringMember(report, item, 'content_html');
    const contentText = stringMember(report, item, 'content_text');
    if (contentHtml === undefined && contentText === undefined) report('content_html', 'and content_text are both missing');
    const url = stringMember(report, item, 'url');
    checkHttpUrl(report, 'url', url);
    checkHttpUrl(report, 'external_url', stringMember(report, item, 'external_url'));
    const image = stringMember(report, item, 'image');
    checkHttpUrl(report, 'image', image);
    checkJsonMedia(report, item._media, image);
    const title = stringMember(report, item, 'title');
    const published = checkDate(report, 'date_published', stringMember(report, item, 'date_published'), parseRfc3339, now);
    const updated = checkDate(report, 'date_modified', stringMember(report, item, 'date_modified'), parseRfc3339, now);
    const tags = arrayMember(report, item, 'tags') ?? [];
    if (tags.some((tag) => typeof tag !== 'string')) report('tags', 'must hold strings only');
    const extension = item._wirefeed;
    if (isObject(extension) && extension.retracted !== undefined) {
      // A retraction notice (README "Retractions and corrections"): `_wirefeed.retracted` says when.
      const retracted = stringMember(report, extension, 'retracted');
      const when = requireText(report, '_wirefeed.retracted', retracted) ? checkDate(report, '_wirefeed.retracted', retracted, parseRfc3339, now) : undefined;
      stringMember(report, extension, 'note');
      retractions.push({ position, id, when });
      return;
    }
    const authors = checkAuthors(report, item);
    items.push({
      position,
      id,
      title,
      link: url,
      published,
      updated,
      categories: tags.filter((tag): tag is string => typeof tag === 'string'),
      categoryTerms: undefined,
      authors: authors.length > 0 ? authors : feedAuthors,
      contentHtml,
    });
  });
  checkUniqueIds(reportFeed, 'item id', [...items, ...retractions].map((item) => item.id));
  return { format: 'json', selfUrl: feedUrl, language, items, retractions };
}
