import type { Author, Category } from './article.ts';

export interface DeclaredCategory extends Category {
  readonly description: string;
  /** BCP 47 tag from site.yaml, when the category is in another language than the site (its feeds are then in it). */
  readonly language?: string;
}

/** The store's description of itself, from `content/site.yaml`, with the base URL resolved. */
export interface Site {
  readonly title: string;
  readonly description: string;
  /** BCP 47 language tag, e.g. "en" or "en-GB". */
  readonly language: string;
  /** Absolute URL without a trailing slash, e.g. "https://news.example.com". */
  readonly baseUrl: string;
  /**
   * The `authority,date` part of `tag:` URIs (RFC 4151), e.g. "news.example.com,2026".
   * Fixed once feeds are public: changing it changes every item id.
   */
  readonly tagAuthority: string;
  /** Used for feed-level authors and for items without an author. */
  readonly defaultAuthor: Author;
  /** Declared categories in the order site.yaml lists them. */
  readonly categories: readonly DeclaredCategory[];
  /** Optional: an absolute image URL for the feed logo. */
  readonly logo?: string;
}
