import type { Article } from '../domain/article.ts';
import { freezeArticle } from '../domain/article.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedEntry } from './feed-entry.ts';
import { oversizedArticleProblem, summaryEntry, utf8Bytes } from './summary-entry.ts';

/**
 * Something a builder derives from one article's FeedEntry and the site alone (the RSS item
 * object handed to XMLBuilder, the item handed to the `feed` package). Declared once at module
 * level: the function itself is the cache key, so a closure made per document would never hit.
 */
export type ItemDerivation<T> = (entry: FeedEntry, site: Site) => T;

export interface FeedItemCacheOptions {
  /** ARTICLE_BYTE_BUDGET: an article whose full text (UTF-8 bytes of its content HTML) is over it goes out as its summary version. */
  readonly articleByteBudget?: number;
}

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
  readonly #oversized = new Map<Article, Problem>();
  /** Stand-in article -> the article it is the summary version of. */
  readonly #summaryOf = new Map<Article, Article>();
  readonly #summaries = new Map<Article, Article>();
  readonly #articleByteBudget: number | undefined;

  constructor(readonly site: Site, options: FeedItemCacheOptions = {}) {
    this.#articleByteBudget = options.articleByteBudget;
  }

  entry(article: Article): FeedEntry {
    let entry = this.#entries.get(article);
    if (entry === undefined) {
      const original = this.#summaryOf.get(article);
      entry = original === undefined ? this.#fitted(article) : summaryEntry(this.entry(original));
      this.#entries.set(article, entry);
    }
    return entry;
  }

  #fitted(article: Article): FeedEntry {
    const entry = toFeedEntry(article, this.site);
    const budget = this.#articleByteBudget;
    if (budget === undefined) return entry;
    const bytes = utf8Bytes(entry.contentHtml);
    if (bytes <= budget) return entry;
    this.#oversized.set(article, oversizedArticleProblem(article.sourcePath, bytes, budget));
    return summaryEntry(entry);
  }

  /**
   * A stand-in for `article` that every builder shows as its summary version (same id, title,
   * link and dates): for a feed whose newest item alone is over the feed's budget. The same
   * object each time, so its derived values are cached like any article's.
   */
  summaryVersion(article: Article): Article {
    const original = this.#summaryOf.get(article) ?? article;
    let standIn = this.#summaries.get(original);
    if (standIn === undefined) {
      standIn = freezeArticle(original);
      this.#summaries.set(original, standIn);
      this.#summaryOf.set(standIn, original);
    }
    return standIn;
  }

  /** The per-article budget reports of these articles (each entry looked at so far that was over it). */
  oversized(articles: readonly Article[]): Problem[] {
    return articles.flatMap((article) => {
      const problem = this.#oversized.get(this.#summaryOf.get(article) ?? article);
      return problem === undefined ? [] : [problem];
    });
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
