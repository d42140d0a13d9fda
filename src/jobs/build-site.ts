import { createHash } from 'node:crypto';
import type { ArticleIndex } from '../articles/article-index.ts';
import type { RevisionLedger } from '../articles/stamp-revision-times.ts';
import { stampRevisionTimes } from '../articles/stamp-revision-times.ts';
import type { Article } from '../domain/article.ts';
import { isPublicAt } from '../domain/article.ts';
import type { Clock } from '../domain/clock.ts';
import type { FeedScope } from '../domain/feed-format.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES, feedPath } from '../domain/feed-format.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { buildFeedDocument } from '../feeds/build-feed-document.ts';
import { defaultFeedScopes } from '../feeds/build-feed-set.ts';
import { selectFeedArticlesForScopes } from '../feeds/select-feed-articles.ts';
import { createSnapshot, HTML_MEDIA_TYPE } from '../publication/create-snapshot.ts';
import { publishDocument } from '../publication/publish-document.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import { validateFeedDocument } from '../validation/validate-feed-document.ts';

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
  /** Revision times already announced (see stampRevisionTimes), and where to keep new ones. */
  readonly revisions?: { readonly initial: RevisionLedger; save(ledger: RevisionLedger): Promise<void> };
}

export interface SiteBuild {
  readonly snapshot: Snapshot;
  /** Paths whose bytes differ from the previous snapshot's. */
  readonly changedPaths: readonly string[];
}

export interface SiteBuilder {
  /** Refreshes the article set, rebuilds what changed and returns the next snapshot. */
  build(previous: Snapshot | undefined, hintedPaths: readonly string[]): Promise<SiteBuild>;
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

function nextEmbargoMoment(articles: readonly Article[], now: number): number | undefined {
  let next: number | undefined;
  for (const article of articles) {
    if (!article.draft && article.published > now && (next === undefined || article.published < next)) next = article.published;
  }
  return next;
}

function newestUpdate(items: readonly Article[]): number {
  return items.reduce((newest, item) => Math.max(newest, item.updated), 0);
}

export function createSiteBuilder(options: SiteBuilderOptions): SiteBuilder {
  const { site, index, clock, pages } = options;
  const scopes = defaultFeedScopes(site);
  /** Signature of the selection each scope's published documents were built from. */
  const builtSignatures = new Map<string, string>();
  let ledger: RevisionLedger = options.revisions?.initial ?? new Map();

  function reuseOrPublish(previous: Snapshot | undefined, path: string, mediaType: string, render: () => string, lastModified: number): PublishedDocument {
    const body = render();
    const earlier = previous?.documents.get(path);
    // Compression is most of a publication's cost; identical bytes keep their encodings and ETag.
    if (earlier && earlier.lastModified === lastModified && earlier.body.equals(Buffer.from(body, 'utf8'))) return earlier;
    return publishDocument(path, mediaType, body, lastModified);
  }

  return {
    async build(previous, hintedPaths) {
      const startedAt = clock();
      // On an empty index a refresh reads everything; afterwards only what changed.
      const { set } = await index.refresh(hintedPaths);
      const now = clock();
      const stamped = stampRevisionTimes(set.articles, ledger, now);
      ledger = stamped.ledger;
      if (stamped.ledgerChanged) await options.revisions?.save(ledger);
      const articles = stamped.articles;
      const publicArticles = articles.filter((article) => isPublicAt(article, now));
      const documents = new Map<string, PublishedDocument>(previous?.documents ?? []);
      const failedDocuments: Problem[] = [];
      const changedPaths: string[] = [];

      const selections = selectFeedArticlesForScopes(articles, scopes, now, options.feedItemLimit);
      const emptyFeedUpdated = newestUpdate(publicArticles);
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
          });
          const problems = validateFeedDocument(feed, { now });
          if (problems.length > 0) {
            // The previous good version (if any) stays in `documents`: never publish a failing feed.
            failedDocuments.push(...problems);
            scopeFailed = true;
            continue;
          }
          const published = reuseOrPublish(previous, feed.path, FEED_MEDIA_TYPES[format], () => feed.body, feed.lastModified);
          if (published !== documents.get(feed.path)) changedPaths.push(feed.path);
          documents.set(feed.path, published);
        }
        const pagePath = scope.kind === 'site' ? 'index.html' : `category/${scope.slug}/index.html`;
        const page = reuseOrPublish(
          previous,
          pagePath,
          HTML_MEDIA_TYPE,
          () => (scope.kind === 'site' ? pages.indexPage(site, items) : pages.categoryPage(site, scope.slug, items)),
          newestUpdate(items),
        );
        if (page !== documents.get(pagePath)) changedPaths.push(pagePath);
        documents.set(pagePath, page);
        // A failed scope is retried on the next build instead of being remembered as done.
        if (scopeFailed) builtSignatures.delete(key);
        else builtSignatures.set(key, signature);
      }

      documents.set('feeds.opml', reuseOrPublish(previous, 'feeds.opml', OPML_MEDIA_TYPE, () => pages.opml(site, emptyFeedUpdated), emptyFeedUpdated));

      const finishedAt = clock();
      const snapshot = createSnapshot({
        site,
        documents,
        publicArticles,
        renderArticlePage: (article) => pages.articlePage(site, article),
        nextEmbargoAt: nextEmbargoMoment(articles, now),
        build: {
          startedAt,
          finishedAt,
          durationMs: finishedAt - startedAt,
          articleCount: set.articles.length,
          publicArticleCount: publicArticles.length,
          feedCount: scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format))).filter((path) => documents.has(path)).length,
          rejectedArticles: set.problems,
          failedDocuments,
          outputProblems: previous?.build.outputProblems ?? [],
        },
      });
      return { snapshot, changedPaths };
    },
  };
}
