import type { FeedFormat } from '../domain/feed-format.ts';
import type { FeedDescription } from './describe-feed.ts';
import { describeFeed } from './describe-feed.ts';
import { buildAtom } from './build-atom.ts';
import { buildJsonFeed } from './build-json-feed.ts';
import { buildRss } from './build-rss.ts';
import type { FeedDocument, FeedDocumentInput } from './feed-document.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedEntry } from './feed-entry.ts';

const BUILDERS: Readonly<Record<FeedFormat, (feed: FeedDescription, entries: readonly FeedEntry[]) => string>> = {
  rss: buildRss,
  atom: buildAtom,
  json: buildJsonFeed,
};

/** One feed document. Pure: the same input gives the same bytes; no clock is read. */
export function buildFeedDocument(input: FeedDocumentInput): FeedDocument {
  const items = [...input.items];
  const entries = items.map((article) => toFeedEntry(article, input.site));
  const feed = describeFeed({ ...input, items, entries });
  return {
    path: feed.path,
    format: input.format,
    scope: input.scope,
    title: feed.title,
    body: BUILDERS[input.format](feed, entries),
    items,
    lastModified: feed.updated,
    site: input.site,
  };
}
