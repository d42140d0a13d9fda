import type { Article } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import type { FeedEntry } from './feed-entry.ts';
import { toFeedEntry } from './feed-entry.ts';
import type { XmlFragment } from './xml-writer.ts';

/**
 * What one site's feeds share about each article: its FeedEntry and its rendered RSS item and
 * Atom entry. Everything cached depends only on the article and the site, so a cached value is
 * exactly what rendering again would give; the cache only saves the work when an article
 * appears in several feeds (site feed plus each of its categories). Create one per build.
 */
export class FeedItemCache {
  readonly #entries = new Map<Article, FeedEntry>();
  readonly #fragments = new Map<string, Map<Article, XmlFragment>>();

  constructor(readonly site: Site) {}

  entry(article: Article): FeedEntry {
    let entry = this.#entries.get(article);
    if (entry === undefined) {
      entry = toFeedEntry(article, this.site);
      this.#entries.set(article, entry);
    }
    return entry;
  }

  fragment(kind: string, article: Article, render: (entry: FeedEntry) => XmlFragment): XmlFragment {
    let byArticle = this.#fragments.get(kind);
    if (byArticle === undefined) {
      byArticle = new Map();
      this.#fragments.set(kind, byArticle);
    }
    let fragment = byArticle.get(article);
    if (fragment === undefined) {
      fragment = render(this.entry(article));
      byArticle.set(article, fragment);
    }
    return fragment;
  }
}
