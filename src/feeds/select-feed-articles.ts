import type { Article } from '../domain/article.ts';
import { isPublicAt } from '../domain/article.ts';
import type { FeedScope } from '../domain/feed-format.ts';

/**
 * Feed order: newest `published` first; ties by newest `updated`, then by id so that the order
 * never depends on the order the store listed files in. Ids compare by code unit, not by
 * locale, for the same answer on every machine.
 */
export function compareNewestFirst(a: Article, b: Article): number {
  if (a.published !== b.published) return b.published - a.published;
  if (a.updated !== b.updated) return b.updated - a.updated;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function isInScope(article: Article, scope: FeedScope): boolean {
  return scope.kind === 'site' || article.categories.some((category) => category.slug === scope.slug);
}

/** The newest `limit` public articles of one scope; never a draft, never one not yet published at `now`. */
export function selectFeedArticles(articles: readonly Article[], scope: FeedScope, now: number, limit: number): Article[] {
  return selectFeedArticlesForScopes(articles, [scope], now, limit)[0] ?? [];
}

/**
 * selectFeedArticles for many scopes at once, one list per scope in the same order: one sort
 * of the public articles instead of one per scope, which matters with 100,000 articles and a
 * few dozen categories.
 */
export function selectFeedArticlesForScopes(
  articles: readonly Article[],
  scopes: readonly FeedScope[],
  now: number,
  limit: number,
): Article[][] {
  const selections: Article[][] = scopes.map(() => []);
  const max = Math.floor(limit);
  if (max <= 0 || scopes.length === 0) return selections;
  const candidates = articles.filter((article) => isPublicAt(article, now)).sort(compareNewestFirst);
  let open = scopes.length;
  for (const article of candidates) {
    scopes.forEach((scope, index) => {
      const selection = selections[index];
      if (selection === undefined || selection.length >= max || !isInScope(article, scope)) return;
      selection.push(article);
      if (selection.length === max) open -= 1;
    });
    if (open === 0) break;
  }
  return selections;
}
