/**
 * The round trip: what a reader parses out of a document must be exactly the articles that
 * went in. Expectations are recomputed from the articles with the domain's own functions
 * (articleUri, articleLink), not taken from the builders, so a builder bug cannot hide itself.
 */
import type { Article } from '../domain/article.ts';
import { articleLink, articleUri } from '../domain/article-identity.ts';
import { feedPath } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import { toWholeSeconds } from '../feeds/feed-dates.ts';
import type { FeedDocument } from '../feeds/feed-document.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { contentWrapper, scopeLanguage } from '../domain/language.ts';
import { FeedProblems } from './feed-problems.ts';
import { quote } from './feed-rules.ts';
import type { ParsedFeed, ParsedItem } from './parsed-feed.ts';

interface Expected {
  readonly id: string;
  readonly title: string;
  readonly link: string;
  readonly published: number;
  readonly updated: number;
  readonly categories: readonly string[];
  readonly categoryTerms: readonly string[];
  readonly authors: readonly string[];
  /** The `<div dir lang>` the content must be wrapped in (domain/language.ts), when it needs one. */
  readonly wrapper: { readonly open: string; readonly close: string } | undefined;
}

/** What any format must show of an article; text as the article stage would have cleaned it. */
function expectedItem(article: Article, doc: FeedDocument): Expected {
  const { site } = doc;
  const authors = article.authors.length > 0 ? article.authors : [site.defaultAuthor];
  const tags = article.tags.map(clean);
  return {
    id: clean(articleUri(article, site)),
    title: clean(article.title),
    link: clean(articleLink(article, site)),
    published: toWholeSeconds(article.published),
    updated: toWholeSeconds(article.updated),
    categories: [...article.categories.map((category) => clean(category.name)), ...tags],
    categoryTerms: [...article.categories.map((category) => clean(category.slug)), ...tags],
    authors: authors.map((author) => clean(author.name)),
    wrapper: contentWrapper(article, site),
  };
}

const DATE_FIELDS = {
  rss: { published: 'pubDate', updated: undefined },
  atom: { published: 'published', updated: 'updated' },
  json: { published: 'date_published', updated: 'date_modified' },
} as const;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function iso(epochMs: number | undefined): string {
  return epochMs === undefined ? 'nothing readable' : new Date(epochMs).toISOString();
}

function compareItem(problems: FeedProblems, doc: FeedDocument, parsed: ParsedItem, expected: Expected): void {
  const report = (field: string, rule: string): void => problems.item(expected.id, field, `${rule} (round trip)`);
  if (parsed.id !== expected.id) report('id', `${quote(parsed.id ?? '')} is not the id of the article in position ${parsed.position}`);
  if (parsed.title !== expected.title) report('title', `${quote(parsed.title ?? '')} differs from the article's ${quote(expected.title)}`);
  if (parsed.link !== expected.link) report('link', `${quote(parsed.link ?? '')} differs from the article's ${quote(expected.link)}`);
  const dates = DATE_FIELDS[doc.format];
  if (parsed.published !== expected.published) report(dates.published, `reads as ${iso(parsed.published)}, the article says ${iso(expected.published)}`);
  if (dates.updated !== undefined && parsed.updated !== expected.updated) {
    report(dates.updated, `reads as ${iso(parsed.updated)}, the article says ${iso(expected.updated)}`);
  }
  if (!sameList(parsed.categories, expected.categories)) {
    report('categories', `${JSON.stringify(parsed.categories)} differ from the article's ${JSON.stringify(expected.categories)}`);
  }
  if (parsed.categoryTerms !== undefined && !sameList(parsed.categoryTerms, expected.categoryTerms)) {
    report('category terms', `${JSON.stringify(parsed.categoryTerms)} differ from the article's ${JSON.stringify(expected.categoryTerms)}`);
  }
  if (!sameList(parsed.authors, expected.authors)) {
    report('authors', `${JSON.stringify(parsed.authors)} differ from the article's ${JSON.stringify(expected.authors)}`);
  }
  const { wrapper } = expected;
  const content = parsed.contentHtml ?? '';
  // Readers lay right-to-left text out by this wrapper, not by the feed's language: it must arrive whole.
  if (wrapper !== undefined && !(content.startsWith(wrapper.open) && content.endsWith(wrapper.close))) {
    report('content', `does not read back wrapped in ${quote(wrapper.open)}…${quote(wrapper.close)}, which gives readers its direction and language`);
  }
}

/** Every retraction notice that went in reads back, in order, with its id and time. */
function compareRetractions(problems: FeedProblems, doc: FeedDocument, parsed: ParsedFeed): void {
  if (parsed.retractions.length !== doc.retractions.length) {
    problems.feed('retractions', `the document has ${parsed.retractions.length} retraction notices but ${doc.retractions.length} went in (round trip)`);
  }
  doc.retractions.forEach((notice, index) => {
    const read = parsed.retractions[index];
    if (read === undefined) return;
    const report = (field: string, rule: string): void => problems.item(notice.id, field, `${rule} (round trip)`);
    if (read.id !== notice.id) report('retraction id', `${quote(read.id ?? '')} is not the id of the retracted article in position ${read.position}`);
    if (read.when !== notice.when) report('retraction time', `reads as ${iso(read.when)}, the retraction says ${iso(notice.when)}`);
  });
}

export function compareRoundTrip(doc: FeedDocument, parsed: ParsedFeed): Problem[] {
  const problems = new FeedProblems(doc.path, doc.format);
  const reportFeed = (field: string, rule: string): void => problems.feed(field, `${rule} (round trip)`);
  const expectedPath = feedPath(doc.scope, doc.format);
  if (doc.path !== expectedPath) reportFeed('path', `${quote(doc.path)} should be ${quote(expectedPath)} for this scope and format`);
  const selfUrl = `${doc.site.baseUrl}/${doc.path}`;
  if (parsed.selfUrl !== selfUrl) reportFeed('self link', `${quote(parsed.selfUrl ?? '')} should be ${quote(selfUrl)}`);
  const language = clean(scopeLanguage(doc.site, doc.scope));
  if (parsed.language !== language) reportFeed('language', `${quote(parsed.language ?? '')} should be ${quote(language)}, the language of this feed's scope`);

  const expected = doc.items.map((article) => expectedItem(article, doc));
  if (parsed.items.length !== expected.length) {
    reportFeed('items', `the document has ${parsed.items.length} items but ${expected.length} articles went in`);
  }
  const count = Math.min(parsed.items.length, expected.length);
  for (let index = 0; index < count; index += 1) {
    const item = parsed.items[index];
    const article = expected[index];
    if (item !== undefined && article !== undefined) compareItem(problems, doc, item, article);
  }
  compareRetractions(problems, doc, parsed);
  const dates = [...expected.map((item) => item.updated), ...doc.retractions.map((notice) => notice.when)];
  if (dates.length > 0) {
    const newest = Math.max(...dates);
    if (doc.lastModified !== newest) reportFeed('lastModified', `${iso(doc.lastModified)} is not the newest item's update ${iso(newest)}`);
  }
  return problems.list;
}
