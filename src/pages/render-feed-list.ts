import { escapeMarkup } from './markup.ts';
import type { FeedFormat } from '../domain/documents.ts';
import type { FeedLink } from './subscriptions.ts';

const LINK_TEXT: Readonly<Record<FeedFormat, string>> = { rss: 'RSS feed', atom: 'Atom feed', json: 'JSON Feed' };

/**
 * Visible subscribe links. The link text names scope and format ("World: Atom feed") because
 * screen-reader users often browse a page's links out of context, where "Atom" alone says little.
 */
export function renderFeedList(feeds: readonly FeedLink[], scopeName: string): string {
  const items = feeds.map(
    (feed) =>
      `<li><a href="${escapeMarkup(feed.url)}" type="${escapeMarkup(feed.type)}">` +
      `<span class="visually-hidden">${escapeMarkup(scopeName)}: </span>${LINK_TEXT[feed.format]}</a></li>`,
  );
  return `<ul class="feeds">\n${items.join('\n')}\n</ul>`;
}
