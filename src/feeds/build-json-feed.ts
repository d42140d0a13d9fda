/**
 * JSON Feed 1.1, built as a plain object and serialised with JSON.stringify rather than with
 * the `feed` package: feed 6.0.0 writes version 1 ("https://jsonfeed.org/version/1") with a
 * single `author` object where 1.1 has an `authors` array, and rewriting its output would mean
 * parsing it back. Key order is the order of the object literals below, so output is stable.
 */
import type { Author, LeadImage } from '../domain/article.ts';
import type { FeedDescription } from './describe-feed.ts';
import { formatRfc3339 } from './feed-dates.ts';
import type { FeedEntry } from './feed-entry.ts';
import type { Tombstone } from './tombstone.ts';
import { jsonDeletedItem } from './tombstone.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

interface JsonFeedAuthor {
  readonly name: string;
  readonly url?: string;
}

export function jsonAuthor(author: Author): JsonFeedAuthor {
  // JSON Feed authors have no e-mail field; name and url are what it defines.
  return author.url === undefined ? { name: author.name } : { name: author.name, url: author.url };
}

/**
 * The `_media` extension (README "Images"): the lead image's facts that JSON Feed's `image` (a
 * URL) cannot hold, the same as the feeds' Media RSS, named in JSON Feed's style (attachments'
 * `mime_type` and `size_in_bytes`). Members are left out when unknown.
 */
function jsonMedia(image: LeadImage): Record<string, unknown> {
  return {
    url: image.url,
    mime_type: image.type,
    ...(image.width === undefined ? {} : { width: image.width }),
    ...(image.height === undefined ? {} : { height: image.height }),
    ...(image.length === undefined ? {} : { size_in_bytes: image.length }),
    ...(image.alt === undefined ? {} : { alt: image.alt }),
    ...(image.caption === undefined ? {} : { caption: image.caption }),
    ...(image.credit === undefined ? {} : { credit: image.credit }),
  };
}

export function jsonItem(entry: FeedEntry): Record<string, unknown> {
  return {
    id: entry.id,
    url: entry.link,
    title: entry.title,
    ...(entry.summary === '' ? {} : { summary: entry.summary }),
    content_html: entry.contentHtml,
    ...(entry.image === undefined ? {} : { image: entry.image.url, _media: jsonMedia(entry.image) }),
    date_published: formatRfc3339(entry.published),
    date_modified: formatRfc3339(entry.updated),
    authors: entry.authors.map(jsonAuthor),
    tags: [...entry.categories.map((category) => category.name), ...entry.tags],
  };
}

/**
 * JSON Feed has no archives of its own: the RFC 5005 links go in an `_archive` extension object
 * (`current`, `prev_archive`, `next_archive`; `archive: true` on an archive document), README "Archives".
 */
function archiveExtension(feed: FeedDescription): Record<string, unknown> {
  const { archive } = feed;
  if (archive === undefined) return {};
  return {
    _archive: {
      ...(archive.isArchive ? { archive: true } : {}),
      ...(archive.current === undefined ? {} : { current: archive.current }),
      ...(archive.prevArchive === undefined ? {} : { prev_archive: archive.prevArchive }),
      ...(archive.nextArchive === undefined ? {} : { next_archive: archive.nextArchive }),
    },
  };
}

/** `tombstones` are items gone from the feed (see tombstone.ts), written after the others. */
export function buildJsonFeed(feed: FeedDescription, entries: readonly FeedEntry[], tombstones: readonly Tombstone[] = []): string {
  const document = {
    version: JSON_FEED_VERSION,
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrl,
    description: feed.description,
    language: feed.language,
    ...(feed.logo === undefined ? {} : { icon: feed.logo }),
    authors: [jsonAuthor(feed.author)],
    ...(feed.hubUrl === undefined ? {} : { hubs: [{ type: 'WebSub', url: feed.hubUrl }] }),
    ...archiveExtension(feed),
    items: [...entries.map(jsonItem), ...tombstones.map(jsonDeletedItem)],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
