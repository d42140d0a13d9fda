import type { Category } from '../domain/article.ts';
import type { FeedFormat, FeedScope } from '../domain/feed-format.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES } from '../domain/feed-format.ts';
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

/** The feeds' own title convention, so a subscription reads the same before and after subscribing. */
export function scopeTitle(site: Pick<Site, 'title'>, category: Category | undefined): string {
  return category ? `${site.title} — ${category.name}` : site.title;
}

/** The three formats of one scope; pass the category for a category scope. */
export function feedLinksOf(site: Site, category?: Category): readonly FeedLink[] {
  const scope: FeedScope = category ? { kind: 'category', slug: category.slug } : { kind: 'site' };
  const htmlUrl = category ? categoryPageUrl(site, category.slug) : homeUrl(site);
  const title = scopeTitle(site, category);
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
