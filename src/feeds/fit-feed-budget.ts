/**
 * FEED_BYTE_BUDGET: a subscription document keeps the newest items that fit the budget whole
 * (aggregators cut or refuse larger feeds: Google News 2 MB, SmartNews 1 MB). Items are never
 * cut inside; the feed is never emptied by the budget: when the newest item alone is over it,
 * that item goes out as its summary version. What was left out is reported per document.
 *
 * Each item's size is measured once per build and format (the FeedItemCache keeps it, and an
 * article shown in several feeds is measured once), as the bytes it adds to a document: the
 * prefix that fits is chosen from those sizes, and the document is built once more with it.
 */
import type { Article } from '../domain/article.ts';
import type { FeedFormat } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { buildAtom } from './build-atom.ts';
import { buildFeedDocument } from './build-feed-document.ts';
import { buildJsonFeed } from './build-json-feed.ts';
import { buildRss, toRssItem } from './build-rss.ts';
import type { FeedDescription } from './describe-feed.ts';
import { describeFeed } from './describe-feed.ts';
import type { FeedDocument, FeedDocumentInput } from './feed-document.ts';
import type { FeedEntry } from './feed-entry.ts';
import type { FeedItemCache, ItemDerivation } from './feed-item-cache.ts';
import { toFeedLibraryItem } from './prepare-feed-library-input.ts';
import { utf8Bytes } from './summary-entry.ts';

export interface BudgetedFeed {
  readonly feed: FeedDocument;
  /** The budget's reports for this document: items left out, and items sent as their summary (ARTICLE_BYTE_BUDGET). */
  readonly problems: readonly Problem[];
}

function serialise(format: FeedFormat, feed: FeedDescription, entries: readonly FeedEntry[], site: Site): string {
  switch (format) {
    case 'rss':
      return buildRss(feed, entries.map((entry) => toRssItem(entry, site)));
    case 'atom':
      return buildAtom(feed, entries.map((entry) => toFeedLibraryItem(entry, site)));
    case 'json':
      return buildJsonFeed(feed, entries);
  }
}

/**
 * The bytes one item adds to a document of this format: a one-item document less the empty one,
 * both with the same description, so the difference is the item and its indentation alone. An
 * item's serialisation depends only on its entry and the site, never on the feed it is in.
 * (JSON Feed counts 2 bytes per item more than the array's separators take: the estimate errs
 * on the side of the budget, and the final document is measured as it is.)
 */
function itemBytes(format: FeedFormat): ItemDerivation<number> {
  return (entry, site) => {
    const reference = describeFeed({ site, scope: { kind: 'site' }, format, items: [], entries: [], ttlMinutes: 0 });
    return utf8Bytes(serialise(format, reference, [entry], site)) - utf8Bytes(serialise(format, reference, [], site));
  };
}

// Module-level, one per format: the derivation is the cache key (see ItemDerivation).
const ITEM_BYTES: Readonly<Record<FeedFormat, ItemDerivation<number>>> = { rss: itemBytes('rss'), atom: itemBytes('atom'), json: itemBytes('json') };

function budgetProblem(feed: FeedDocument, selected: number, budget: number, summarised: boolean): Problem {
  const left = selected - feed.items.length;
  const fix = 'raise FEED_BYTE_BUDGET, lower FEED_ITEM_LIMIT, or shorten the articles';
  const bytes = utf8Bytes(feed.body);
  const message = summarised
    ? `the newest item alone is over FEED_BYTE_BUDGET (${budget} bytes): the document carries only that item, as its summary and a link${left > 0 ? `, and leaves out ${left} older item(s)` : ''}${bytes > budget ? `; even so it is ${bytes} bytes` : ''}; ${fix}`
    : `${left} of ${selected} item(s) left out to keep the document within FEED_BYTE_BUDGET (${budget} bytes): it carries the newest ${feed.items.length} whole; ${fix}`;
  return { subject: feed.path, field: 'FEED_BYTE_BUDGET', message };
}

/**
 * buildFeedDocument within a byte budget (UTF-8 bytes of the body, uncompressed). Pure and
 * deterministic like it: the same input, cache contents and budget give the same bytes.
 * Without a budget, or when everything fits, it is buildFeedDocument with one build.
 */
export function buildFeedWithinBudget(input: FeedDocumentInput, cache: FeedItemCache, budget?: number): BudgetedFeed {
  const whole = buildFeedDocument(input, cache);
  const oversized = cache.oversized(input.items);
  if (budget === undefined || input.items.length === 0 || utf8Bytes(whole.body) <= budget) return { feed: whole, problems: oversized };

  const build = (items: readonly Article[]): FeedDocument => buildFeedDocument({ ...input, items }, cache);
  let total = utf8Bytes(build([]).body);
  let kept = 0;
  for (const item of input.items) {
    const size = cache.derived(ITEM_BYTES[input.format], item);
    if (total + size > budget) break;
    total += size;
    kept += 1;
  }
  // The estimate can be a few bytes short (the feed's date may come from an item left out): the built document decides.
  while (kept > 0) {
    const feed = build(input.items.slice(0, kept));
    if (utf8Bytes(feed.body) <= budget) return { feed, problems: [...oversized, budgetProblem(feed, input.items.length, budget, false)] };
    kept -= 1;
  }
  const newest = input.items[0];
  if (newest === undefined) return { feed: whole, problems: oversized };
  const feed = build([cache.summaryVersion(newest)]);
  return { feed, problems: [...oversized, budgetProblem(feed, input.items.length, budget, true)] };
}
