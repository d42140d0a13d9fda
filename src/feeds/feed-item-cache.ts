import type { Article } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedEntry } from './feed-entry.ts';

/**
 * Something a builder derives from one article's FeedEntry and the site alone (the RSS item
 * object handed to XMLBuilder, the item handed to the `feed` package). Declared once at module
 * level: the function itself is the cache key, so a closure made per document would never hit.
 */
export type ItemDerivation<T> = (entry: FeedEntry, site: Site) => T;

/**
 * What one site's feeds share about each article: its FeedEntry and whatever the builders derive
 * from it. Everything cached depends only on the article and the site, so a cached value is
 * exactly what deriving again would give; the cache only saves the work when an article
 * appears in several feeds (site feed plus each of its categories). Create one per build.
 * Only the inputs are shared: every document is still serialised whole by its own library.
 */
export class FeedItemCache {
  readonly #entries = new Map<Article, FeedEntry>();
  readonly #derived = new Map<ItemDerivation<unknown>, Map<Article, unknown>>();

  constructor(readonly site: Site) {}

  entry(article: Article): FeedEntry {
    let entry = this.#entries.get(article);
    if (entry === undefined) {
      entry = toFeedEntry(article, this.site);
      this.#entries.set(article, entry);
    }
    return entry;
  }

  derived<T>(derivation: ItemDerivation<T>, article: Article): T {
    let byArticle = this.#derived.get(derivation);
    if (byArticle === undefined) {
      byArticle = new Map();
      this.#derived.set(derivation, byArticle);
    }
    if (byArticle.has(article)) return byArticle.get(article) as T;
    const value = derivation(this.entry(article), this.site);
    byArticle.set(article, value);
    return value;
  }
}
