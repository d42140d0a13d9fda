import type { ChangeStreamFormat, FeedFormat, FeedScope } from './documents.ts';
import { archivePath, changeStreamPath, feedPath } from './documents.ts';
import type { Site } from './site.ts';

/*
 * Public URLs of everything the pages link to. Absolute, from the site's base URL, so the pages
 * stay correct when the service sits under a path prefix and when a reader saves them.
 * Slugs are URL-safe already; encoding them anyway costs nothing and keeps an odd one a link.
 */

export function homeUrl(site: Pick<Site, 'baseUrl'>): string {
  return `${site.baseUrl}/`;
}

export function opmlUrl(site: Pick<Site, 'baseUrl'>): string {
  return `${site.baseUrl}/feeds.opml`;
}

export function categoryPageUrl(site: Pick<Site, 'baseUrl'>, slug: string): string {
  return `${site.baseUrl}/category/${encodeURIComponent(slug)}/`;
}

export function articlePageUrl(site: Pick<Site, 'baseUrl'>, slug: string): string {
  return `${site.baseUrl}/articles/${encodeURIComponent(slug)}`;
}

function encodedScope(scope: FeedScope): FeedScope {
  return scope.kind === 'site' ? scope : { kind: 'category', slug: encodeURIComponent(scope.slug) };
}

export function feedUrl(site: Pick<Site, 'baseUrl'>, scope: FeedScope, format: FeedFormat): string {
  return `${site.baseUrl}/${feedPath(encodedScope(scope), format)}`;
}

/** A change stream page: the stream's URL with `?after=<seq>`, or without a cursor for its first page. */
export function changeStreamUrl(site: Pick<Site, 'baseUrl'>, scope: FeedScope, format: ChangeStreamFormat, after?: number): string {
  return `${site.baseUrl}/${changeStreamPath(encodedScope(scope), format)}${after === undefined ? '' : `?after=${after}`}`;
}

/** An archive page (README "Archives"): "https://news.example/category/world/archive/3.atom". */
export function archiveUrl(site: Pick<Site, 'baseUrl'>, scope: FeedScope, format: FeedFormat, page: number): string {
  return `${site.baseUrl}/${archivePath(encodedScope(scope), format, page)}`;
}
