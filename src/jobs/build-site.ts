import { createHash } from 'node:crypto';
import type { ArticleIndex } from '../articles/article-index.ts';
import type { RevisionLedger } from '../articles/revision-ledger.ts';
import type { Article } from '../domain/article.ts';
import type { Clock } from '../domain/clock.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES, feedPath } from '../domain/feed-format.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { storeChangeFromHints } from '../domain/store-change.ts';
import { buildFeedDocument } from '../feeds/build-feed-document.ts';
import { defaultFeedScopes } from '../feeds/build-feed-set.ts';
import type { FeedScope } from '../domain/feed-format.ts';
import type { FeedDocument } from '../feeds/feed-document.ts';
import { FeedItemCache } from '../feeds/feed-item-cache.ts';
import { categoryPagePath, INDEX_PAGE_PATH, OPML_PATH } from '../pages/page-paths.ts';
import { createSnapshot, HTML_MEDIA_TYPE } from '../publication/create-snapshot.ts';
import { publishDocumentAsync } from '../publication/publish-document.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import { validateFeedDocument } from '../validation/validate-feed-document.ts';
import { createPublicViewKeeper } from './public-view.ts';

export const OPML_MEDIA_TYPE = 'text/x-opml; charset=utf-8';

/** The HTML and OPML around the feeds; pure functions of the data they are given. */
export interface PageRenderers {
  opml(site: Site, updated: number): string;
  indexPage(site: Site, recent: readonly Article[]): string;
  categoryPage(site: Site, slug: string, recent: readonly Article[]): string;
  articlePage(site: Site, article: Article): string;
}

export interface SiteBuilderOptions {
  readonly site: Site;
  readonly index: ArticleIndex;
  readonly clock: Clock;
  readonly feedItemLimit: number;
  readonly ttlMinutes: number;
  readonly hubUrl?: string;
  readonly pages: PageRenderers;
  /** Defaults to validateFeedDocument; a seam for tests that need a document to fail. */
  readonly validate?: (document: FeedDocument, context: { now: number }) => Problem[];
  /** Revision times already announced (see articles/revision-ledger.ts), e.g. read back at start-up. */
  readonly revisions?: RevisionLedger;
}

export interface SiteBuild {
  readonly snapshot: Snapshot;
  /** Paths whose bytes differ from the previous snapshot's. */
  readonly changedPaths: readonly string[];
  /** Revision times this build recorded, when there are any: the caller keeps them (after publishing, off the critical path). */
  readonly revisions?: RevisionLedger;
}

export interface SiteBuilder {
  /**
   * Refreshes the article set, rebuilds what changed and returns the next snapshot. `storeChanges`
   * are store paths known to have changed (see ArticleIndex.refresh): [] for a build the clock
   * asked for, undefined to list the whole store.
   */
  build(previous: Snapshot | undefined, storeChanges?: readonly string[]): Promise<SiteBuild>;
}

function scopeKey(scope: FeedScope): string {
  return scope.kind === 'site' ? 'site' : `category/${scope.slug}`;
}

/** Two selections with the same signature render to the same bytes, so their documents are reused. */
function selectionSignature(items: readonly Article[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(item.contentHash).update('\0');
  return hash.digest('base64url');
}

function newestUpdate(items: readonly Article[]): number {
  return items.reduce((newest, item) => Math.max(newest, item.updated), 0);
}

export function createSiteBuilder(options: SiteBuilderOptions): SiteBuilder {
  const { site, index, clock, pages } = options;
  const validate = options.validate ?? validateFeedDocument;
  // Made once, out here: a closure created inside build() would share that call's scope, which
  // holds `previous`, so each snapshot would keep the one before it (and all its bytes) alive.
  const renderArticlePage = (article: Article): string => pages.articlePage(site, article);
  const scopes = defaultFeedScopes(site);
  /** Signature of the selection each scope's published documents were built from. */
  const builtSignatures = new Map<string, string>();
  const publicView = createPublicViewKeeper(options.revisions);

  async function reuseOrPublish(previous: Snapshot | undefined, path: string, mediaType: string, text: string, lastModified: number): Promise<PublishedDocument> {
    const body = Buffer.from(text, 'utf8');
    const earlier = previous?.documents.get(path);
    // Compression is most of a publication's cost; identical bytes keep their encodings and ETag.
    if (earlier && earlier.lastModified === lastModified && earlier.body.equals(body)) return earlier;
    return publishDocumentAsync(path, mediaType, body, lastModified);
  }

  return {
    async build(previous, storeChanges) {
      const startedAt = clock();
      // On an empty index a refresh reads everything; afterwards only what changed.
      const { set, patch } = await index.refresh(storeChangeFromHints(storeChanges));
      const now = clock();
      const { view, recorded } = publicView.advance(set, patch, now);
      const documents = new Map<string, PublishedDocument>(previous?.documents ?? []);
      const failedDocuments: Problem[] = [];
      const changedPaths: string[] = [];

      const selections = view.select(scopes, options.feedItemLimit);
      // The newest date any feed shows; an empty feed and the OPML list carry it.
      const emptyFeedUpdated = newestUpdate(selections.flat());
      // Build and validate synchronously, then compress everything that changed at once: the
      // compression runs on the thread pool, on both cores, while the server keeps answering.
      const pending: Promise<void>[] = [];
      const publish = (path: string, mediaType: string, body: string, lastModified: number): void => {
        pending.push(
          reuseOrPublish(previous, path, mediaType, body, lastModified).then((published) => {
            if (published !== documents.get(path)) changedPaths.push(path);
            documents.set(path, published);
          }),
        );
      };
      // An article in the site feed and two categories is rendered once, not three times.
      const itemCache = new FeedItemCache(site);
      for (const [position, scope] of scopes.entries()) {
        const items = selections[position] ?? [];
        // An empty feed carries the site's newest date, so it changes when the site does.
        const signature = items.length > 0 ? selectionSignature(items) : `empty:${emptyFeedUpdated}`;
        const key = scopeKey(scope);
        if (builtSignatures.get(key) === signature && previous) continue;
        let scopeFailed = false;
        for (const format of FEED_FORMATS) {
          const feed = buildFeedDocument({
            site,
            scope,
            format,
            items,
            ttlMinutes: options.ttlMinutes,
            emptyFeedUpdated,
            ...(options.hubUrl === undefined ? {} : { hubUrl: options.hubUrl }),
          }, itemCache);
          const problems = validate(feed, { now });
          if (problems.length > 0) {
            // The previous good version (if any) stays in `documents`: never publish a failing feed.
            failedDocuments.push(...problems);
            scopeFailed = true;
            continue;
          }
          publish(feed.path, FEED_MEDIA_TYPES[format], feed.body, feed.lastModified);
        }
        if (scope.kind === 'site') publish(INDEX_PAGE_PATH, HTML_MEDIA_TYPE, pages.indexPage(site, items), newestUpdate(items));
        else publish(categoryPagePath(scope.slug), HTML_MEDIA_TYPE, pages.categoryPage(site, scope.slug, items), newestUpdate(items));
        // A failed scope is retried on the next build instead of being remembered as done.
        if (scopeFailed) builtSignatures.delete(key);
        else builtSignatures.set(key, signature);
      }
      publish(OPML_PATH, OPML_MEDIA_TYPE, pages.opml(site, emptyFeedUpdated), emptyFeedUpdated);
      await Promise.all(pending);

      const finishedAt = clock();
      const snapshot = createSnapshot({
        site,
        documents,
        findArticle: view.find,
        renderArticlePage,
        nextEmbargoAt: view.nextMomentAt,
        build: {
          startedAt,
          finishedAt,
          durationMs: finishedAt - startedAt,
          articleCount: set.articles.length,
          publicArticleCount: view.publicCount,
          feedCount: scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format))).filter((path) => documents.has(path)).length,
          rejectedArticles: [...set.problems, ...view.heldBack],
          failedDocuments,
          outputProblems: previous?.build.outputProblems ?? [],
        },
      });
      return { snapshot, changedPaths, ...(recorded ? { revisions: recorded } : {}) };
    },
  };
}
