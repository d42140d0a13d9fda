/**
 * What a reader can subscribe to: each feed's URL, title and media type, as the pages announce
 * them, and the OPML file that hands every one of them to a reader at once.
 */
import type { Category } from '../domain/article.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES, scopeTitle } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { categoryPageUrl, feedUrl, homeUrl } from '../domain/site-urls.ts';
import { escapeMarkup } from './markup.ts';

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

const FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = {
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

/**
 * OPML 2.0 subscription list of the given feeds (listFeeds(site) for all of them), one flat
 * outline per feed: readers that import folders and readers that do not both end up with every
 * feed. `type="rss"` is what OPML uses for any syndication feed, Atom and JSON Feed included.
 *
 * `dateCreated` is the content date (the newest `updated` of a public article, which is also the
 * site feeds' Last-Modified); the clock would change the bytes, and so the ETag, on every build.
 */
export function renderOpml(site: Site, feeds: readonly FeedLink[], dateCreated: number): string {
  const date = new Date(dateCreated).toUTCString();
  const outlines = feeds.map(
    (feed) =>
      `    <outline type="rss" text="${escapeMarkup(feed.title)}" title="${escapeMarkup(feed.title)}" xmlUrl="${escapeMarkup(feed.url)}" htmlUrl="${escapeMarkup(feed.htmlUrl)}"/>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeMarkup(`${site.title}: all feeds`)}</title>`,
    `    <dateCreated>${date}</dateCreated>`,
    `    <dateModified>${date}</dateModified>`,
    `    <ownerName>${escapeMarkup(site.title)}</ownerName>`,
    `    <docs>http://opml.org/spec2.opml</docs>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
