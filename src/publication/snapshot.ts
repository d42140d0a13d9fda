import { LRUCache } from 'lru-cache';
import type { Article } from '../domain/article.ts';
import type { Retraction } from '../domain/change-entry.ts';
import { retractionTime } from '../domain/change-entry.ts';
import { articlePagePath, HTML_MEDIA_TYPE } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { publishDocument } from './publish-document.ts';

/** One servable file: its bytes in every encoding we offer, and the validators HTTP needs. */
export interface PublishedDocument {
  /**
   * Path relative to the site root and to the output directory, without a leading slash:
   * "rss.xml", "category/world/atom.xml", "feeds.opml", "index.html", "category/world/index.html".
   */
  readonly path: string;
  /** Full Content-Type value, charset included. */
  readonly mediaType: string;
  readonly body: Buffer;
  /** Pre-compressed copies, made once at publication, never per request. */
  readonly gzip: Buffer;
  readonly brotli: Buffer;
  /** Strong entity tag, quoted: "\"3f2a…\"". Derived from `body` only. */
  readonly etag: string;
  /** Epoch ms, derived from the content (newest item's `updated`), never from the clock. */
  readonly lastModified: number;
}

/** What the last build reports, for /healthz and /metrics. */
export interface BuildReport {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  /** Articles loaded (public or not). */
  readonly articleCount: number;
  readonly publicArticleCount: number;
  readonly feedCount: number;
  /** Articles that could not be loaded, one entry per problem. */
  readonly rejectedArticles: readonly Problem[];
  /** Documents that failed validation this build; each still serves its previous good version, if any. */
  readonly failedDocuments: readonly Problem[];
  /** Problems writing the output directory; the in-memory snapshot is served regardless. */
  readonly outputProblems: readonly Problem[];
  /**
   * Problems in articles published all the same (a missing or narrow lead image), and what
   * partners may cut or refuse, reported without holding anything back: feed items left out
   * by FEED_BYTE_BUDGET, articles sent as their summary (ARTICLE_BYTE_BUDGET), partner lint
   * findings. They do not make /healthz "degraded". Absent means none.
   */
  readonly warnings?: readonly Problem[];
  /** True for the snapshot read back from the output directory at start-up, before the first build. */
  readonly restoredFromDisk?: boolean;
}

/**
 * The published state of the site: an immutable value that the HTTP layer reads and the
 * rebuild job replaces in one step. A request that starts during a rebuild keeps the
 * snapshot it started with.
 */
export interface Snapshot {
  readonly site: Site;
  /** Feeds, OPML, index and category pages, keyed by their `path`. */
  readonly documents: ReadonlyMap<string, PublishedDocument>;
  /** The public article with exactly this slug, dated as the feeds show it. */
  findArticle(slug: string): Article | undefined;
  /**
   * The HTML page of one public article. Rendered on first request and kept in a bounded cache
   * inside this snapshot (rendering 100,000 pages up front would cost memory nobody asked for);
   * the result depends only on the snapshot, so it is as immutable as the rest.
   */
  articlePage(slug: string): PublishedDocument | undefined;
  /** The page of an article that was retracted (by its `retracted` field or by deleting its file), served as 410 Gone; undefined while the slug is public. */
  retractedPage?(slug: string): PublishedDocument | undefined;
  readonly build: BuildReport;
  /** Next moment a not-yet-public article becomes public, if any (epoch ms). */
  readonly nextEmbargoAt: number | undefined;
}

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
      const page = publishDocument(articlePagePath(slug), HTML_MEDIA_TYPE, parts.renderRetractedPage(retraction), retractionTime(retraction));
      renderedPages.set(key, page);
      return page;
    },
    build: Object.freeze(parts.build),
    nextEmbargoAt: parts.nextEmbargoAt,
  });
}
