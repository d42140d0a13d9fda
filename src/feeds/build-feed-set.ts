import type { Article } from '../domain/article.ts';
import { isPublicAt } from '../domain/article.ts';
import type { FeedScope } from '../domain/feed-format.ts';
import { FEED_FORMATS } from '../domain/feed-format.ts';
import type { Site } from '../domain/site.ts';
import { buildFeedDocument } from './build-feed-document.ts';
import type { FeedDocument } from './feed-document.ts';
import { FeedItemCache } from './feed-item-cache.ts';
import { selectFeedArticlesForScopes } from './select-feed-articles.ts';

export interface FeedSetInput {
  readonly site: Site;
  /** Every article of the store; drafts and future articles are filtered out here. */
  readonly articles: readonly Article[];
  /** Decides which articles are public; it dates nothing in the documents. */
  readonly now: number;
  /** Items per feed. */
  readonly limit: number;
  readonly ttlMinutes: number;
  readonly hubUrl?: string;
  /** Defaults to defaultFeedScopes(site). */
  readonly scopes?: readonly FeedScope[];
}

/**
 * The whole site plus every declared category, in site.yaml order. A declared category gets its
 * feeds even with no public article yet, so subscribers can follow it before its first story.
 */
export function defaultFeedScopes(site: Site): FeedScope[] {
  return [{ kind: 'site' }, ...site.categories.map((category): FeedScope => ({ kind: 'category', slug: category.slug }))];
}

/** Newest `updated` of any public article, the date an empty feed carries; undefined if none. */
function newestPublicUpdate(articles: readonly Article[], now: number): number | undefined {
  let newest: number | undefined;
  for (const article of articles) {
    if (isPublicAt(article, now) && (newest === undefined || article.updated > newest)) newest = article.updated;
  }
  return newest;
}

/** Every feed of the site: for each scope, one document per format (rss, atom, json). */
export function buildFeedSet(input: FeedSetInput): FeedDocument[] {
  const scopes = input.scopes ?? defaultFeedScopes(input.site);
  const selections = selectFeedArticlesForScopes(input.articles, scopes, input.now, input.limit);
  const emptyFeedUpdated = newestPublicUpdate(input.articles, input.now);
  // Most articles sit in the site feed and one to three category feeds: prepare each once.
  const cache = new FeedItemCache(input.site);
  return scopes.flatMap((scope, index) =>
    FEED_FORMATS.map((format) =>
      buildFeedDocument({
        site: input.site,
        scope,
        format,
        items: selections[index] ?? [],
        ttlMinutes: input.ttlMinutes,
        ...(input.hubUrl === undefined ? {} : { hubUrl: input.hubUrl }),
        ...(emptyFeedUpdated === undefined ? {} : { emptyFeedUpdated }),
      }, cache),
    ),
  );
}
