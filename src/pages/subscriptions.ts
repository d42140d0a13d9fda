import type { Category } from '../domain/article.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES, scopeTitle } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { categoryPageUrl, feedUrl, homeUrl } from '../domain/site-urls.ts';

/** One feed as the pages and the OPML name it. */
export interface FeedLink {
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  /** Absolute URL of the feed. */
  readonly url: string;
  /** The HTML page the feed belongs to: the home page or the category's page. */
  readonly htmlUrl: string;
  /** What a reader shows for the subscription: "Sample News — World (Atom)". */
  readonly title: string;
  /** Media type without parameters, which is what autodiscovery `type` expects. */
  readonly type: string;
}

export const FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = {
  rss: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
};

/** The three formats of one scope; pass the category for a category scope. */
export function feedLinksOf(site: Site, category?: Category): readonly FeedLink[] {
  const scope: FeedScope = category ? { kind: 'category', slug: category.slug } : { kind: 'site' };
  const htmlUrl = category ? categoryPageUrl(site, category.slug) : homeUrl(site);
  const title = scopeTitle(site, category?.name);
  return FEED_FORMATS.map((format) => ({
    scope,
    format,
    url: feedUrl(site, scope, format),
    htmlUrl,
    title: `${title} (${FORMAT_LABELS[format]})`,
    type: FEED_MEDIA_TYPES[format].split(';', 1)[0] ?? FEED_MEDIA_TYPES[format],
  }));
}

/** Every feed the site publishes: the site's own first, then each category in the order given. */
export function listFeeds(site: Site, categories: readonly Category[] = site.categories): readonly FeedLink[] {
  return [...feedLinksOf(site), ...categories.flatMap((category) => feedLinksOf(site, category))];
}
