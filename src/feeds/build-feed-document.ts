import { buildAtom } from './build-atom.ts';
import { buildJsonFeed } from './build-json-feed.ts';
import { buildRss, toRssItem } from './build-rss.ts';
import { describeFeed } from './describe-feed.ts';
import type { FeedDocument, FeedDocumentInput } from './feed-document.ts';
import { FeedItemCache } from './feed-item-cache.ts';
import { toFeedLibraryItem } from './prepare-feed-library-input.ts';

/**
 * One feed document. Pure: the same input gives the same bytes, and no clock is read.
 * `cache`, when given (the site build passes one), lets documents of the same build share the
 * work of preparing an article that appears in several of them; it must belong to input.site.
 */
export function buildFeedDocument(input: FeedDocumentInput, cache: FeedItemCache = new FeedItemCache(input.site)): FeedDocument {
  if (cache.site !== input.site) throw new Error('feeds: the item cache belongs to another site');
  const items = [...input.items];
  const entries = items.map((article) => cache.entry(article));
  const feed = describeFeed({ ...input, items, entries });
  let body: string;
  switch (input.format) {
    case 'rss':
      body = buildRss(feed, items.map((article) => cache.derived(toRssItem, article)));
      break;
    case 'atom':
      body = buildAtom(feed, items.map((article) => cache.derived(toFeedLibraryItem, article)));
      break;
    case 'json':
      body = buildJsonFeed(feed, entries);
      break;
  }
  return {
    path: feed.path,
    format: input.format,
    scope: input.scope,
    title: feed.title,
    body,
    items,
    lastModified: feed.updated,
    site: input.site,
  };
}
