/**
 * One page of a change stream (README "Change streams") in JSON Feed 1.1 or Atom 1.0: the
 * journal's entries in seq order, each a full item of the article version it holds plus what
 * changed. Pure: the same entries and URLs give the same bytes.
 */
import { freezeArticle } from '../domain/article.ts';
import { ArticleBody } from '../domain/article-body.ts';
import { articleUri } from '../domain/article-identity.ts';
import type { ChangeEntry } from '../domain/change-entry.ts';
import type { ChangeStreamFormat, FeedScope } from '../domain/documents.ts';
import { scopeTitle } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { categoryPageUrl, homeUrl } from '../domain/site-urls.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { scopeLanguage } from '../domain/language.ts';
import { ATOM_NAMESPACE } from './build-atom.ts';
import { JSON_FEED_VERSION, jsonAuthor, jsonItem } from './build-json-feed.ts';
import { categoryBaseUrl } from './describe-feed.ts';
import { formatRfc3339, toWholeSeconds } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedEntry } from './feed-entry.ts';
import { atomMediaContent, MEDIA_NAMESPACE, MEDIA_PREFIX } from './media-rss.ts';
import { CHANGES_NAMESPACE } from './namespaces.ts';
import type { Tombstone } from './tombstone.ts';
import { atomDeletedEntry, retractionTombstone, TOMBSTONE_NAMESPACE_DECLARATIONS } from './tombstone.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-safe-text.ts';


export interface ChangePageInput {
  readonly site: Site;
  readonly scope: FeedScope;
  readonly format: ChangeStreamFormat;
  readonly entries: readonly ChangeEntry[];
  /** This page's URL, `?after=` included. */
  readonly selfUrl: string;
  /** The page to fetch next: after this page's last entry, or this page again when it is empty. */
  readonly nextUrl: string;
  /** Display name of the category, for a category's stream. */
  readonly categoryName?: string;
}

/** The page's date: its newest entry's, so an unchanged page keeps its bytes; the epoch for an empty one. */
export function changePageUpdated(entries: readonly ChangeEntry[]): number {
  return toWholeSeconds(entries.reduce((newest, entry) => Math.max(newest, entry.at), 0));
}

/** The FeedEntry of the version an entry holds, exactly as the feeds render an article. */
export function feedEntryOf(entry: Pick<ChangeEntry, 'article'>, site: Site): FeedEntry {
  const { contentHtml, ...fields } = entry.article;
  return toFeedEntry(freezeArticle({ ...fields, body: ArticleBody.fromHtml(contentHtml), draft: false, contentHash: '' }), site);
}

/**
 * An item's own id names the change, not the article: an article appears once per change and a
 * feed's item ids must be unique; `_wirefeed.id` / `wf:id` carry the article's. A tag URI of its
 * own, because appending to the article's id breaks the ones that are `urn:uuid:` (the W3C
 * validator refuses `urn:uuid:…#change-42`). The same change has the same id in every stream.
 */
function changeItemId(site: Pick<Site, 'tagAuthority'>, seq: number): string {
  return `tag:${site.tagAuthority}:change/${seq}`;
}

function describe(input: ChangePageInput): { title: string; home: string; id: string } {
  const { site, scope } = input;
  const title = `${scopeTitle(site, scope.kind === 'site' ? undefined : (input.categoryName ?? scope.slug))}: changes`;
  const home = scope.kind === 'site' ? homeUrl(site) : categoryPageUrl(site, scope.slug);
  const id = `tag:${site.tagAuthority}:${scope.kind === 'site' ? 'changes' : `category/${encodeURIComponent(scope.slug)}/changes`}`;
  return { title: clean(title), home: clean(home), id: clean(id) };
}

function buildJson(input: ChangePageInput): string {
  const { site } = input;
  const about = describe(input);
  const document = {
    version: JSON_FEED_VERSION,
    title: about.title,
    home_page_url: about.home,
    feed_url: clean(input.selfUrl),
    next_url: clean(input.nextUrl),
    description: clean(`Every change to ${site.title}'s public articles, in order, each with its sequence number: follow next_url.`),
    language: scopeLanguage(site, input.scope),
    authors: [jsonAuthor(site.defaultAuthor)],
    items: input.entries.map((entry) => {
      const item = jsonItem(feedEntryOf(entry, site));
      const id = clean(articleUri(entry.article, site));
      const retraction = retractionOf(entry, site);
      const note = retraction?.retraction?.note;
      const retracted = retraction === undefined ? {} : { retracted: formatRfc3339(retraction.when), ...(note === undefined ? {} : { note }) };
      return { ...item, id: clean(changeItemId(site, entry.seq)), _wirefeed: { seq: entry.seq, change: entry.change, id, ...retracted } };
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const element = (name: string, text: string, attributes = ''): string => `<${name}${attributes}>${escapeXmlText(text)}</${name}>`;
const link = (rel: string, href: string): string => `<link rel="${rel}" href="${escapeXmlAttribute(href)}"/>`;

function atomEntry(entry: ChangeEntry, site: Site): string {
  const item = feedEntryOf(entry, site);
  const categoryScheme = categoryBaseUrl(site);
  const id = clean(articleUri(entry.article, site));
  const parts = [
    element('id', clean(changeItemId(site, entry.seq))),
    element('title', item.title, ' type="text"'),
    link('alternate', item.link),
    element('published', formatRfc3339(item.published)),
    element('updated', formatRfc3339(item.updated)),
    ...item.authors.map((author) => `<author>${element('name', author.name)}${author.url === undefined ? '' : element('uri', author.url)}${author.email === undefined ? '' : element('email', author.email)}</author>`),
    ...item.categories.map((category) => `<category term="${escapeXmlAttribute(category.slug)}" label="${escapeXmlAttribute(category.name)}" scheme="${escapeXmlAttribute(categoryScheme)}"/>`),
    ...(item.summary === '' ? [] : [element('summary', item.summary, ' type="text"')]),
    element('content', item.contentHtml, ' type="html"'),
    // The lead image as in every other Atom document (Media RSS).
    ...(item.image === undefined ? [] : [atomMediaContent(item.image, '    ').trim()]),
    element('wf:seq', String(entry.seq)),
    element('wf:change', entry.change),
    element('wf:id', id),
  ];
  return `  <entry>\n    ${parts.join('\n    ')}\n  </entry>\n`;
}

/** The tombstone of a `retracted` entry, as the subscription feeds show it. */
function retractionOf(entry: ChangeEntry, site: Site): Tombstone | undefined {
  return entry.change === 'retracted' ? retractionTombstone({ version: entry.article, announcedAt: entry.at }, site) : undefined;
}

function buildAtomPage(input: ChangePageInput): string {
  const { site } = input;
  // RFC 6721 tombstones for the page's retractions, before the entries (where RFC 4287's schema allows extensions); the namespace only where used.
  const notices = input.entries.flatMap((entry) => retractionOf(entry, site) ?? []);
  const { prefix, namespace } = TOMBSTONE_NAMESPACE_DECLARATIONS.atom;
  const tombstones = notices.length === 0 ? '' : ` xmlns:${prefix}="${namespace}"`;
  const media = input.entries.some((entry) => entry.article.image !== undefined) ? ` xmlns:${MEDIA_PREFIX}="${MEDIA_NAMESPACE}"` : '';
  const about = describe(input);
  const head = [
    element('id', about.id),
    element('title', about.title, ' type="text"'),
    element('updated', formatRfc3339(changePageUpdated(input.entries))),
    `<author>${element('name', site.defaultAuthor.name)}</author>`,
    link('self', input.selfUrl),
    link('alternate', about.home),
    link('next', input.nextUrl),
  ];
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<feed xmlns="${ATOM_NAMESPACE}" xmlns:wf="${CHANGES_NAMESPACE}"${tombstones}${media} xml:lang="${escapeXmlAttribute(scopeLanguage(site, input.scope))}">\n  ${head.join('\n  ')}\n` +
    notices.map((notice) => atomDeletedEntry(notice, '  ')).join('') +
    input.entries.map((entry) => atomEntry(entry, site)).join('') +
    `</feed>\n`
  );
}

export function buildChangePage(input: ChangePageInput): string {
  return input.format === 'json' ? buildJson(input) : buildAtomPage(input);
}
