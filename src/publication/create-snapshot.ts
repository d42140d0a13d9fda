import { LRUCache } from 'lru-cache';
import type { Article } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import { publishDocument } from './publish-document.ts';
import type { BuildReport, PublishedDocument, Snapshot } from './snapshot.ts';

export const HTML_MEDIA_TYPE = 'text/html; charset=utf-8';

/** Enough for every page a front page links to, small enough that a crawler walking 100,000 articles costs a few MB. */
const RENDERED_PAGES_KEPT = 1000;

export interface SnapshotParts {
  readonly site: Site;
  readonly documents: ReadonlyMap<string, PublishedDocument>;
  /** Public articles, newest first. */
  readonly publicArticles: readonly Article[];
  readonly renderArticlePage: (article: Article) => string;
  readonly build: BuildReport;
  readonly nextEmbargoAt: number | undefined;
}

/** Freezes the parts into the one value the HTTP layer reads. */
export function createSnapshot(parts: SnapshotParts): Snapshot {
  const articlesBySlug = new Map(parts.publicArticles.map((article) => [article.slug, article]));
  const renderedPages = new LRUCache<string, PublishedDocument>({ max: RENDERED_PAGES_KEPT });
  const documents = new Map(parts.documents);
  return Object.freeze({
    site: parts.site,
    documents,
    articlesBySlug,
    articlePage(slug: string): PublishedDocument | undefined {
      const known = renderedPages.get(slug);
      if (known) return known;
      const article = articlesBySlug.get(slug);
      if (!article) return undefined;
      const page = publishDocument(`articles/${slug}`, HTML_MEDIA_TYPE, parts.renderArticlePage(article), article.updated);
      renderedPages.set(slug, page);
      return page;
    },
    build: Object.freeze(parts.build),
    nextEmbargoAt: parts.nextEmbargoAt,
  });
}
