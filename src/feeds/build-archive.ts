/**
 * One RFC 5005 archive document (README "Archives"): a page of a scope's change journal as a feed
 * of the article versions it holds, in the format of one of the scope's subscription documents.
 * Pure: the same entries and page give the same bytes, and nothing here reads a clock, so a
 * complete page never changes.
 */
import type { ChangeEntry } from '../domain/change-entry.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import { archivePath } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { archiveUrl, feedUrl } from '../domain/site-urls.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';
import { buildAtom } from './build-atom.ts';
import { changePageUpdated, feedEntryOf } from './build-change-stream.ts';
import { buildJsonFeed } from './build-json-feed.ts';
import { buildRss, toRssItem } from './build-rss.ts';
import type { ArchiveLinks } from './describe-feed.ts';
import { describeFeed } from './describe-feed.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedLibraryItem } from './prepare-feed-library-input.ts';
import type { Tombstone } from './tombstone.ts';
import { retractionTombstone, tombstoneOf } from './tombstone.ts';

const YEAR_MINUTES = 365 * 24 * 60;

export interface ArchivePageInput {
  readonly site: Site;
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  /** 1-based. */
  readonly page: number;
  /** The page's journal entries, in seq order. */
  readonly entries: readonly ChangeEntry[];
  /** Whether the page has all its entries: only then does it link next-archive (the page after it is bound to exist). */
  readonly complete: boolean;
  /** The RSS ttl of an incomplete page: the rebuild interval, like the subscription documents'. */
  readonly ttlMinutes: number;
}

export interface ArchiveDocument {
  readonly path: string;
  readonly body: string;
  /** The newest entry's moment (whole seconds), never the clock: the epoch for an empty page. */
  readonly lastModified: number;
  /** Versions shown as entries, newest change first. */
  readonly shown: readonly FeedEntry[];
  /** Ids shown as gone (retracted, or no longer in the category). */
  readonly gone: readonly Tombstone[];
}

/**
 * RFC 5005 §4: where one id appears more than once, the newest version counts, so a page shows
 * each id once, as its last entry in the page left it. A retraction, or a version that no longer
 * lists the category whose archive this is, says the entry is gone from this feed: a tombstone.
 */
function settle(input: ArchivePageInput): { shown: FeedEntry[]; gone: Tombstone[] } {
  const newest = new Map<string, ChangeEntry>();
  for (const entry of input.entries) newest.set(entry.article.id, entry);
  const { scope, site } = input;
  const shown: FeedEntry[] = [];
  const gone: Tombstone[] = [];
  for (const entry of [...newest.values()].sort((a, b) => b.seq - a.seq)) {
    const item = feedEntryOf(entry, site);
    const left = scope.kind === 'category' && !entry.article.categories.some((category) => category.slug === scope.slug);
    if (entry.change === 'retracted') gone.push(retractionTombstone({ version: entry.article, announcedAt: entry.at }, site));
    else if (left) gone.push(tombstoneOf(item, entry.at));
    else shown.push(item);
  }
  return { shown, gone };
}

export function buildArchiveDocument(input: ArchivePageInput): ArchiveDocument {
  const { site, scope, format, page } = input;
  const { shown, gone } = settle(input);
  const updated = changePageUpdated(input.entries);
  const archive: ArchiveLinks = {
    isArchive: true,
    current: clean(feedUrl(site, scope, format)),
    ...(page > 1 ? { prevArchive: clean(archiveUrl(site, scope, format, page - 1)) } : {}),
    ...(input.complete ? { nextArchive: clean(archiveUrl(site, scope, format, page + 1)) } : {}),
  };
  // A complete page is cached for a year; its RSS ttl says the same, so its bytes depend on nothing that may be reconfigured.
  const ttlMinutes = input.complete ? YEAR_MINUTES : input.ttlMinutes;
  const about = describeFeed({ site, scope, format, items: [], entries: [], ttlMinutes });
  // The archive is the same logical feed as its subscription document (same id and title), served at its own URL.
  const feed = { ...about, path: archivePath(scope, format, page), selfUrl: clean(archiveUrl(site, scope, format, page)), updated, archive };
  let body: string;
  switch (format) {
    case 'rss':
      body = buildRss(feed, shown.map((entry) => toRssItem(entry, site)), gone);
      break;
    case 'atom':
      body = buildAtom(feed, shown.map((entry) => toFeedLibraryItem(entry, site)), gone);
      break;
    case 'json':
      body = buildJsonFeed(feed, shown, gone);
      break;
  }
  return { path: feed.path, body, lastModified: updated, shown, gone };
}
