import { buildAtom } from './build-atom.ts';
import { buildJsonFeed } from './build-json-feed.ts';
import { buildRss, toRssItem } from './build-rss.ts';
import { describeFeed } from './describe-feed.ts';
import type { FeedDocument, FeedDocumentInput } from './feed-document.ts';
import { FeedItemCache } from './feed-item-cache.ts';
import { toFeedLibraryItem } from './prepare-feed-library-input.ts';
import { retractionTombstone } from './tombstone.ts';

/**
 * One feed document. Pure: the same input gives the same bytes, and no clock is read.
 * `cache`, when given (the site build passes one), lets documents of the same build share the
 * work of preparing an article that appears in several of them; it must belong to input.site.
 */
export function buildFeedDocument(input: FeedDocumentInput, cache: FeedItemCache = new FeedItemCache(input.site)): FeedDocument {
  if (cache.site !== input.site) throw new Error('feeds: the item cache belongs to another site');
  const items = [...input.items];
  const entries = items.map((article) => cache.entry(article));
  // A retraction whose article is in the feed again (restored in this build) is not announced beside it.
  const shownIds = new Set(entries.map((entry) => entry.id));
  const notices = (input.retractions ?? []).map((retraction) => retractionTombstone(retraction, input.site)).filter((notice) => !shownIds.has(notice.id));
  const feed = describeFeed({ ...input, items, entries, notices });
  let body: string;
  switch (input.format) {
    case 'rss':
      body = buildRss(feed, items.map((article) => cache.derived(toRssItem, article)), notices);
      break;
    case 'atom':
      body = buildAtom(feed, items.map((article) => cache.derived(toFeedLibraryItem, article)), notices);
      break;
    case 'json':
      body = buildJsonFeed(feed, entries, notices);
      break;
  }
  return {
    path: feed.path,
    format: input.format,
    scope: input.scope,
    title: feed.title,
    body,
    items,
    retractions: notices,
    lastModified: feed.updated,
    site: input.site,
  };
}
