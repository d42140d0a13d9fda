import { LRUCache } from 'lru-cache';
import type { Article } from '../domain/article.ts';
import type { Retraction } from '../domain/change-entry.ts';
import { articlePagePath, HTML_MEDIA_TYPE } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { publishDocument } from './publish-document.ts';
import type { BuildReport, PublishedDocument, Snapshot } from './snapshot.ts';

/** Enough for every page a front page links to, small enough that a crawler walking 100,000 articles costs a few MB. */
const RENDERED_PAGES_KEPT = 1000;

export interface SnapshotParts {
  readonly site: Site;
  readonly documents: ReadonlyMap<string, PublishedDocument>;
  /** The public article with a slug, dated as the feeds show it. */
  readonly findArticle: (slug: string) => Article | undefined;
  readonly renderArticlePage: (article: Article) => string;
  /** Retracted articles by page slug: their pages answer 410 Gone. */
  readonly retracted?: ReadonlyMap<string, Retraction>;
  readonly renderRetractedPage?: (retraction: Retraction) => string;
  readonly build: BuildReport;
  readonly nextEmbargoAt: number | undefined;
}

/** Freezes the parts into the one value the HTTP layer reads. */
export function createSnapshot(parts: SnapshotParts): Snapshot {
  const renderedPages = new LRUCache<string, PublishedDocument>({ max: RENDERED_PAGES_KEPT });
  const documents = new Map(parts.documents);
  return Object.freeze({
    site: parts.site,
    documents,
    findArticle: parts.findArticle,
    articlePage(slug: string): PublishedDocument | undefined {
      const known = renderedPages.get(slug);
      if (known) return known;
      const article = parts.findArticle(slug);
      if (!article) return undefined;
      const page = publishDocument(articlePagePath(slug), HTML_MEDIA_TYPE, parts.renderArticlePage(article), article.updated);
      renderedPages.set(slug, page);
      return page;
    },
    retractedPage(slug: string): PublishedDocument | undefined {
      if (parts.findArticle(slug)) return undefined;
      const retraction = parts.retracted?.get(slug);
      if (retraction === undefined || parts.renderRetractedPage === undefined) return undefined;
      const key = `retracted:${slug}`;
      const known = renderedPages.get(key);
      if (known) return known;
      const page = publishDocument(articlePagePath(slug), HTML_MEDIA_TYPE, parts.renderRetractedPage(retraction), retraction.version.retracted ?? retraction.announcedAt);
      renderedPages.set(key, page);
      return page;
    },
    build: Object.freeze(parts.build),
    nextEmbargoAt: parts.nextEmbargoAt,
  });
}
