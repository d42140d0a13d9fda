import type { Article, Author } from '../domain/article.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import { feedPath, scopeTitle } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import type { FeedEntry } from './feed-entry.ts';
import { cleanAuthor } from './feed-entry.ts';
import type { Tombstone } from './tombstone.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { categoryPageUrl, homeUrl } from '../domain/site-urls.ts';
import { scopeLanguage } from '../domain/language.ts';

/** What a feed says about itself, format-neutral; each builder maps it onto its own elements. */
export interface FeedDescription {
  readonly path: string;
  readonly format: FeedFormat;
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** Where this document itself is served. */
  readonly selfUrl: string;
  /** The HTML page the feed mirrors: the site front page or the category page. */
  readonly homeUrl: string;
  /** A stable URI naming the feed (Atom `id`); never changes while path and tag authority stay. */
  readonly id: string;
  /** Whole seconds; from the content, see feedUpdated. */
  readonly updated: number;
  readonly author: Author;
  readonly logo?: string;
  readonly ttlMinutes: number;
  readonly hubUrl?: string;
  /** RFC 5005 links; a subscription document has at most prevArchive. */
  readonly archive?: ArchiveLinks;
}

/** RFC 5005 §4 (README "Archives"): where an archived feed's documents point. */
export interface ArchiveLinks {
  /** Whether this document is an archive document (`fh:archive`) rather than a subscription document. */
  readonly isArchive: boolean;
  /** The subscription document (rel="current"). */
  readonly current?: string;
  readonly prevArchive?: string;
  readonly nextArchive?: string;
}

/** Base of the site's category page URLs: RSS category `domain` and Atom category `scheme` build on it. */
export function categoryBaseUrl(site: Pick<Site, 'baseUrl'>): string {
  return clean(`${site.baseUrl}/category/`);
}

function categoryName(site: Site, slug: string, items: readonly Article[]): string {
  const declared = site.categories.find((category) => category.slug === slug);
  if (declared) return declared.name;
  for (const item of items) {
    const used = item.categories.find((category) => category.slug === slug);
    if (used) return used.name;
  }
  return slug;
}

function feedTitle(site: Site, scope: FeedScope, items: readonly Article[]): string {
  return scopeTitle(site, scope.kind === 'site' ? undefined : categoryName(site, scope.slug, items));
}

/**
 * The feed's date is its newest item's `updated`, never the clock, so rebuilding unchanged
 * content gives identical bytes. An empty feed has no content to date it by: it is dated at
 * the Unix epoch, so its bytes (and the ETag readers revalidate against) stay the same while
 * other feeds change.
 */
function feedUpdated(entries: readonly FeedEntry[], notices: readonly Tombstone[]): number {
  if (entries.length === 0 && notices.length === 0) return 0;
  let newest = -Infinity;
  for (const entry of entries) if (entry.updated > newest) newest = entry.updated;
  for (const notice of notices) if (notice.when > newest) newest = notice.when;
  return newest;
}

export interface DescribeFeedInput {
  readonly site: Site;
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  readonly items: readonly Article[];
  readonly entries: readonly FeedEntry[];
  /** Retraction notices the document carries: a retraction is a change, so it dates the feed too. */
  readonly notices?: readonly Tombstone[];
  readonly ttlMinutes: number;
  readonly hubUrl?: string;
  /** The scope's newest archive page's URL, for a subscription document's prev-archive link. */
  readonly prevArchiveUrl?: string;
}

export function describeFeed(input: DescribeFeedInput): FeedDescription {
  const { site, scope, format } = input;
  const path = feedPath(scope, format);
  const declared = scope.kind === 'category' ? site.categories.find((category) => category.slug === scope.slug) : undefined;
  return {
    path,
    format,
    title: clean(feedTitle(site, scope, input.items)),
    description: clean(declared?.description ?? site.description),
    // One language per feed: a category's own when site.yaml declares one (README "Languages and direction").
    language: clean(scopeLanguage(site, scope)),
    selfUrl: clean(`${site.baseUrl}/${path}`),
    homeUrl: clean(scope.kind === 'site' ? homeUrl(site) : categoryPageUrl(site, scope.slug)),
    id: clean(`tag:${site.tagAuthority}:feed/${path}`),
    updated: feedUpdated(input.entries, input.notices ?? []),
    author: cleanAuthor(site.defaultAuthor),
    ...(site.logo === undefined ? {} : { logo: clean(site.logo) }),
    ttlMinutes: input.ttlMinutes,
    ...(input.hubUrl === undefined ? {} : { hubUrl: clean(input.hubUrl) }),
    ...(input.prevArchiveUrl === undefined ? {} : { archive: { isArchive: false, prevArchive: clean(input.prevArchiveUrl) } }),
  };
}
