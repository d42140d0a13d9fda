import { createHash } from 'node:crypto';
import type { ArticleIndex } from '../articles/article-index.ts';
import type { RevisionLedger } from '../articles/revision-ledger.ts';
import type { Article } from '../domain/article.ts';
import { compareNewestFirst } from '../domain/article.ts';
import type { Retraction, RetractionNotices } from '../domain/change-entry.ts';
import type { Clock } from '../domain/clock.ts';
import type { FeedScope } from '../domain/documents.ts';
import { categoryPagePath, defaultFeedScopes, newestArchivePage, FEED_FORMATS, FEED_MEDIA_TYPES, feedPath, HTML_MEDIA_TYPE, INDEX_PAGE_PATH, OPML_MEDIA_TYPE, OPML_PATH } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import type { StoreChange } from '../domain/store-change.ts';
import { archiveUrl } from '../domain/site-urls.ts';
import { buildFeedWithinBudget } from '../feeds/fit-feed-budget.ts';
import type { FeedDocument } from '../feeds/feed-document.ts';
import { FeedItemCache } from '../feeds/feed-item-cache.ts';
import { renderArticlePage, renderCategoryPage, renderIndexPage, renderRetractedPage } from '../pages/site-pages.ts';
import { listFeeds, renderOpml } from '../pages/subscriptions.ts';
import { publishDocumentAsync } from '../publication/publish-document.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import { createSnapshot } from '../publication/snapshot.ts';
import { validateFeedDocument } from '../validation/validate-feed-document.ts';
import { createPublicViewKeeper } from '../articles/public-view.ts';
import { createLintKeeper } from '../articles/lint-article.ts';
import { languageMismatch, sameLanguage, scopeLanguage } from '../domain/language.ts';

export interface SiteBuilderOptions {
  readonly site: Site;
  readonly index: ArticleIndex;
  readonly clock: Clock;
  readonly feedItemLimit: number;
  readonly ttlMinutes: number;
  readonly hubUrl?: string;
  /** What is already published (e.g. restored from the output directory): identical documents keep their encodings and ETags. */
  readonly published?: Snapshot;
  /** Defaults to validateFeedDocument; a seam for tests that need a document to fail. */
  readonly validate?: (document: FeedDocument, context: { now: number }) => Problem[];
  /** Revision times already announced (see articles/revision-ledger.ts), e.g. read back at start-up. */
  readonly revisions?: RevisionLedger;
  /**
   * What this build's changes will be once journaled, worked out by the rebuild job from `changes`
   * before any feed is rendered: each scope's journal entry count (by archiveCountKey), so each
   * subscription document links prev-archive to its scope's newest archive page (README
   * "Archives"), and the retractions as they then stand, for the feeds' notices and the 410 pages.
   * Without it, no feed links an archive or carries a notice.
   */
  readonly plan?: (changes: PublicChanges) => Promise<BuildPlan>;
  /** FEED_BYTE_BUDGET: UTF-8 bytes a subscription document may take (fit-feed-budget.ts); no limit without it. */
  readonly feedByteBudget?: number;
  /** ARTICLE_BYTE_BUDGET: an article whose full text is over it goes out as its summary (feed-item-cache.ts). */
  readonly articleByteBudget?: number;
}

export interface BuildPlan {
  readonly archiveCounts: ReadonlyMap<string, number>;
  readonly retractions: RetractionSource;
}

/** The retractions journaled so far (jobs/retractions.ts), with this build's own. */
export interface RetractionSource {
  /** The notices the feeds carry at `now`. */
  noticesAt(now: number): RetractionNotices;
  /** Every retracted article by page slug, as it stands now (a snapshot keeps this value). */
  bySlug(): ReadonlyMap<string, Retraction>;
}

/** The key archiveCounts gives a scope's count under: "" for the site, else the category's slug. */
export function archiveCountKey(scope: FeedScope): string {
  return scope.kind === 'site' ? '' : scope.slug;
}

export interface SiteBuild {
  readonly snapshot: Snapshot;
  /** Paths whose bytes differ from the previous snapshot's. */
  readonly changedPaths: readonly string[];
  /** Revision times this build recorded, when there are any: the caller keeps them. */
  readonly revisions?: RevisionLedger;
  /** What may have changed for the public in this build: the change journal's input (jobs/journal-changes.ts). */
  readonly publicChanges: PublicChanges;
  /** Source paths the partner lint looked at in this build (articles/lint-article.ts): the changed articles only. */
  readonly linted: readonly string[];
}

export interface PublicChanges {
  /** The moment the build looked at the public view. */
  readonly at: number;
  /** Whether every article of the store was looked at (the first build, or after a full re-assembly). */
  readonly full: boolean;
  /** Articles whose public version may differ from the previous build's (every article when `full`). */
  readonly touched: readonly Article[];
  /** Articles the store's set lost in this build: deleted, unreadable or invalid files, or an id changed. */
  readonly removed: readonly Article[];
  /** The article as the public sees it in this build (dated as shown), or undefined when it is not public. */
  version(article: Article): Article | undefined;
  /** Every article of the store's set, for a caller that must compare everything again. */
  all(): readonly Article[];
}

export interface SiteBuilder {
  /**
   * Refreshes the article set with what changed in the store, rebuilds the documents whose
   * selection changed since this builder's last build, and returns the next snapshot.
   */
  build(change: StoreChange): Promise<SiteBuild>;
}

/**
 * Documents whose compression may be under way at once. An async gzip or brotli call holds its
 * native encoder state from the moment it starts until it ends, so starting every changed
 * document of a large build at once held native memory in proportion to the build, and the
 * allocator kept it afterwards. Twice the thread pool's four threads keeps the pool busy.
 */
const COMPRESSING_AT_ONCE = 8;

const noop = (): void => undefined;

function scopeKey(scope: FeedScope): string {
  return scope.kind === 'site' ? 'site' : `category/${scope.slug}`;
}

/** Two selections with the same signature render to the same bytes, so their documents are reused. */
function selectionSignature(items: readonly Article[], retractions: readonly Retraction[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(item.contentHash).update('\0');
  for (const retraction of retractions) hash.update(`retracted\0${retraction.version.id}\0${retraction.announcedAt}\0`);
  return hash.digest('base64url');
}

const NO_NOTICES: RetractionNotices = { notices: [], expiresAt: undefined };

/** The notices of one scope: all of them for the site, those of the scope's category otherwise. */
function noticesOf(scope: FeedScope, notices: readonly Retraction[]): readonly Retraction[] {
  if (scope.kind === 'site' || notices.length === 0) return notices;
  return notices.filter((notice) => notice.version.categories.some((category) => category.slug === scope.slug));
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

function categoryOf(site: Site, slug: string): Parameters<typeof renderCategoryPage>[1] {
  return site.categories.find((category) => category.slug === slug) ?? { name: slug, slug };
}

/**
 * The items of the categories in another language than the site's: the site feed leaves them out,
 * but the home page lists every category's headlines, so they are added to its list.
 */
function otherLanguageItems(site: Site, scopes: readonly FeedScope[], selections: readonly (readonly Article[])[]): Article[] {
  const extra = new Set<Article>();
  scopes.forEach((scope, position) => {
    if (scope.kind === 'category' && !sameLanguage(scopeLanguage(site, scope), site.language)) for (const article of selections[position] ?? []) extra.add(article);
  });
  return [...extra];
}

/** An article in the site feed and its category is reported once, not once per document. */
function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.subject}\0${problem.field ?? ''}\0${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function newestUpdate(items: readonly Article[]): number {
  return items.reduce((newest, item) => Math.max(newest, item.updated), 0);
}

export function createSiteBuilder(options: SiteBuilderOptions): SiteBuilder {
  const { site, index, clock } = options;
  const validate = options.validate ?? validateFeedDocument;
  // Made once, out here: a closure created inside build() would share that call's scope, which
  // holds `previous`, so each snapshot would keep the one before it (and all its bytes) alive.
  const articlePage = (article: Article): string => renderArticlePage(site, article);
  const retractedPage = (retraction: Retraction): string => renderRetractedPage(site, retraction);
  const feedList = listFeeds(site);
  let previous: Snapshot | undefined = options.published;
  const scopes = defaultFeedScopes(site);
  /** Signature of the selection each scope's published documents were built from. */
  const builtSignatures = new Map<string, string>();
  const publicView = createPublicViewKeeper(options.revisions, { siteLanguage: site.language });
  const linter = createLintKeeper();
  /** The budget's reports of each scope's documents as last built: a scope left as it was keeps its reports. */
  const budgetReports = new Map<string, readonly Problem[]>();

  async function reuseOrPublish(previous: Snapshot | undefined, path: string, mediaType: string, text: string, lastModified: number): Promise<PublishedDocument> {
    const body = Buffer.from(text, 'utf8');
    const earlier = previous?.documents.get(path);
    // Compression is most of a publication's cost; identical bytes keep their encodings and ETag.
    if (earlier && earlier.lastModified === lastModified && earlier.body.equals(body)) return earlier;
    return publishDocumentAsync(path, mediaType, body, lastModified);
  }

  return {
    async build(change) {
      const startedAt = clock();
      // On an empty index a refresh reads everything; afterwards only what changed.
      const { set, patch } = await index.refresh(change);
      const now = clock();
      const { view, recorded, touched, full } = publicView.advance(set, patch, now);
      const lint = linter.advance(set, patch);
      const publicChanges: PublicChanges = { at: now, full, touched, removed: patch?.removed ?? [], version: view.version, all: () => set.articles };
      const plan = await options.plan?.(publicChanges);
      const archiveCounts = plan?.archiveCounts;
      const documents = new Map<string, PublishedDocument>(previous?.documents ?? []);
      const failedDocuments: Problem[] = [];
      const changedPaths: string[] = [];

      const selections = view.select(scopes, options.feedItemLimit);
      // Warnings, not rejections: the article stays in the feed (README "Languages and direction").
      const languageProblems = scopes.flatMap((scope, position) => (selections[position] ?? []).flatMap((article) => languageMismatch(article, site, scope) ?? []));
      const homeExtras = otherLanguageItems(site, scopes, selections);
      const notices = plan?.retractions.noticesAt(now) ?? NO_NOTICES;
      // The newest date any feed shows; the OPML list carries it.
      const newestShown = newestUpdate(selections.flat());
      // Each scope is built and validated on this thread while the documents of the scopes
      // before it are compressed on the thread pool, a bounded number at a time.
      const pending: Promise<void>[] = [];
      /** Settles (never rejects) when its document is published; a failure surfaces from `pending`. */
      const compressing = new Set<Promise<void>>();
      const publish = (path: string, mediaType: string, body: string, lastModified: number): void => {
        const published = reuseOrPublish(previous, path, mediaType, body, lastModified).then((document) => {
          if (document !== documents.get(path)) changedPaths.push(path);
          documents.set(path, document);
        });
        pending.push(published);
        const settled: Promise<void> = published.then(noop, noop).finally(() => compressing.delete(settled));
        compressing.add(settled);
      };
      // An article in the site feed and two categories is rendered once, not three times.
      const itemCache = new FeedItemCache(site, options.articleByteBudget === undefined ? {} : { articleByteBudget: options.articleByteBudget });
      for (const [position, scope] of scopes.entries()) {
        const items = selections[position] ?? [];
        const retractions = noticesOf(scope, notices.notices);
        // An empty feed is dated at the epoch, not by the site's newest article: otherwise every
        // edit that moves that date would republish every empty category's documents.
        const archivePage = newestArchivePage(archiveCounts?.get(archiveCountKey(scope)) ?? 0);
        // The newest archive page is part of what the documents say: a new one republishes them.
        const extras = scope.kind === 'site' ? homeExtras : [];
        // The home page is published with the site scope, so what it lists besides the site feed's items is part of the signature.
        const signature = `${items.length > 0 || retractions.length > 0 ? selectionSignature(items, retractions) : 'empty'}\0${archivePage}${extras.length > 0 ? `\0${selectionSignature(extras, [])}` : ''}`;
        const key = scopeKey(scope);
        if (builtSignatures.get(key) === signature && previous !== undefined) continue;
        let scopeFailed = false;
        const reports: Problem[] = [];
        for (const format of FEED_FORMATS) {
          const { feed, problems: budget } = buildFeedWithinBudget({
            site,
            scope,
            format,
            items,
            retractions,
            ttlMinutes: options.ttlMinutes,
            ...(options.hubUrl === undefined ? {} : { hubUrl: options.hubUrl }),
            ...(archivePage === 0 ? {} : { prevArchiveUrl: archiveUrl(site, scope, format, archivePage) }),
          }, itemCache, options.feedByteBudget);
          reports.push(...budget);
          const problems = validate(feed, { now: view.datesUpTo });
          if (problems.length > 0) {
            // The previous good version (if any) stays in `documents`: never publish a failing feed.
            failedDocuments.push(...problems);
            scopeFailed = true;
            continue;
          }
          publish(feed.path, FEED_MEDIA_TYPES[format], feed.body, feed.lastModified);
        }
        if (scope.kind === 'site') {
          const recent = extras.length === 0 ? items : [...new Set([...items, ...extras])].sort(compareNewestFirst);
          publish(INDEX_PAGE_PATH, HTML_MEDIA_TYPE, renderIndexPage(site, site.categories, recent), newestUpdate(recent));
        }
        else publish(categoryPagePath(scope.slug), HTML_MEDIA_TYPE, renderCategoryPage(site, categoryOf(site, scope.slug), items), newestUpdate(items));
        budgetReports.set(key, reports);
        // A failed scope is retried on the next build instead of being remembered as done.
        if (scopeFailed) builtSignatures.delete(key);
        else builtSignatures.set(key, signature);
        while (compressing.size >= COMPRESSING_AT_ONCE) await Promise.race(compressing);
      }
      publish(OPML_PATH, OPML_MEDIA_TYPE, renderOpml(site, feedList, newestShown), newestShown);
      await Promise.all(pending);

      const finishedAt = clock();
      const snapshot = createSnapshot({
        site,
        documents,
        findArticle: view.find,
        renderArticlePage: articlePage,
        retracted: plan?.retractions.bySlug() ?? new Map(),
        renderRetractedPage: retractedPage,
        // A notice leaving the feeds is a moment like an embargo lifting.
        nextEmbargoAt: earliest(view.nextMomentAt, notices.expiresAt),
        build: {
          startedAt,
          finishedAt,
          durationMs: finishedAt - startedAt,
          articleCount: set.articles.length,
          publicArticleCount: view.publicCount,
          feedCount: scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format))).filter((path) => documents.has(path)).length,
          rejectedArticles: [...set.problems, ...view.heldBack],
          failedDocuments,
          // An article in another language than its feed's is published all the same: a warning.
          warnings: [...set.warnings, ...languageProblems, ...uniqueProblems([...budgetReports.values()].flat()), ...lint.findings],
          // The rebuild job adds these once it has written the output directory.
          outputProblems: [],
        },
      });
      previous = snapshot;
      return { snapshot, changedPaths, publicChanges, linted: lint.linted, ...(recorded ? { revisions: recorded } : {}) };
    },
  };
}
