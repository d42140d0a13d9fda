import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import type { FeedLink } from './subscriptions.ts';

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
