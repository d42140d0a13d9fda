import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { FeedScope } from '../domain/documents.ts';
import { articlePageUrl, categoryPageUrl } from '../domain/site-urls.ts';
import { archivePath, categoryPagePath, CHANGE_STREAM_FILE_NAMES, changeStreamPath, FEED_FORMATS, feedPath, INDEX_PAGE_PATH, OPML_PATH } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import type { PreparedDocument } from './document-response.ts';
import { createDocumentPreparation, serveDocument } from './document-response.ts';
import type { ArchiveSource } from './archives.ts';
import { createArchiveAnswer } from './archives.ts';
import type { ChangeStreamSource } from './change-streams.ts';
import { createChangeStreamAnswer } from './change-streams.ts';
import type { SchedulerFields } from './health.ts';
import { createHealthReporter } from './health.ts';
import type { HttpMetrics } from './metrics.ts';
import type { ImageSource } from './store-images.ts';
import { createImageAnswer } from './store-images.ts';
import { NO_STORE, respondPlain } from './middleware.ts';
import type { RequestContext, RouteAnswers, RouteMatch } from './routing.ts';
import { UNMATCHED_ROUTE } from './routing.ts';

/*
 * How a matched route is answered from the snapshot: what the app derives once per snapshot and
 * per document (the catalogue, the prepared document answers), which document a route names
 * (resolveDocument), and the answers themselves (createRouteAnswers).
 */

/** What routing and health need to know about a snapshot beyond single lookups, derived once per snapshot. */
export interface SnapshotCatalog {
  /** Each category that has documents: its slug by the slug's lower-case form, for case-insensitive lookups. */
  readonly categorySlugs: ReadonlyMap<string, string>;
  /** Feeds the site declares that the snapshot does not have. */
  readonly missingFeeds: readonly string[];
  /** The body of every 404: the feeds this site does publish, with their URLs. */
  readonly notFoundBody: Buffer;
}

const CATEGORY_DOCUMENT = /^category\/([^/]+)\/[^/]+$/;

function describeNotFound(snapshot: Snapshot, categorySlugs: readonly string[]): string {
  const { site, documents } = snapshot;
  const names = new Map(site.categories.map((category) => [category.slug, category.name]));
  const feedsOf = (scope: FeedScope): string[] =>
    FEED_FORMATS.map((format) => feedPath(scope, format))
      .filter((path) => documents.has(path))
      .map((path) => `  ${site.baseUrl}/${path}`);
  const lines = ['Not found.', '', `${site.title} publishes these feeds:`, '', 'Everything:', ...feedsOf({ kind: 'site' })];
  for (const slug of categorySlugs) {
    lines.push('', `${names.get(slug) ?? slug} (category "${slug}"):`, ...feedsOf({ kind: 'category', slug }));
  }
  if (documents.has(OPML_PATH)) lines.push('', `All of them as OPML: ${site.baseUrl}/${OPML_PATH}`);
  return `${lines.join('\n')}\n`;
}

function catalogue(snapshot: Snapshot): SnapshotCatalog {
  const found = new Set<string>();
  for (const path of snapshot.documents.keys()) {
    const slug = CATEGORY_DOCUMENT.exec(path)?.[1];
    if (slug !== undefined) found.add(slug);
  }
  // Declared order first, as site.yaml lists them; any others after, alphabetically.
  const declared = snapshot.site.categories.map((category) => category.slug).filter((slug) => found.has(slug));
  const others = [...found].filter((slug) => !declared.includes(slug)).sort();
  const slugs = [...declared, ...others];
  const scopes: FeedScope[] = [{ kind: 'site' }, ...snapshot.site.categories.map((category) => ({ kind: 'category' as const, slug: category.slug }))];
  return Object.freeze({
    categorySlugs: new Map(slugs.map((slug) => [slug.toLowerCase(), slug])),
    missingFeeds: scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format))).filter((path) => !snapshot.documents.has(path)),
    notFoundBody: Buffer.from(describeNotFound(snapshot, slugs), 'utf8'),
  });
}

/** Whether the snapshot has exactly these document paths. */
function hasExactly(snapshot: Snapshot, paths: ReadonlySet<string>): boolean {
  if (snapshot.documents.size !== paths.size) return false;
  for (const path of snapshot.documents.keys()) if (!paths.has(path)) return false;
  return true;
}

/**
 * Returns a function from a snapshot to its catalogue, computed on first use and kept as long as
 * the snapshot lives. The catalogue depends only on the site and the set of document paths, which
 * an edit rarely changes: a snapshot with the same ones as the last catalogued gets the same
 * catalogue object, so an edit does not pay for a pass over every category (and the lean path can
 * tell that its hits still hold). Only the paths are remembered, never the snapshot.
 */
function createSnapshotCatalog(): (snapshot: Snapshot) => SnapshotCatalog {
  const known = new WeakMap<Snapshot, SnapshotCatalog>();
  let last: { readonly site: Snapshot['site']; readonly paths: ReadonlySet<string>; readonly catalog: SnapshotCatalog } | undefined;
  return (snapshot) => {
    let catalog = known.get(snapshot);
    if (!catalog) {
      if (last?.site === snapshot.site && hasExactly(snapshot, last.paths)) catalog = last.catalog;
      else {
        catalog = catalogue(snapshot);
        last = { site: snapshot.site, paths: new Set(snapshot.documents.keys()), catalog };
      }
      known.set(snapshot, catalog);
    }
    return catalog;
  };
}

export type Resolution =
  | { readonly kind: 'serve'; readonly document: PublishedDocument }
  /** `location` is the canonical absolute URL, built from the snapshot, never from the request. */
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' }
  /** A retracted article's page: served with 410 Gone. */
  | { readonly kind: 'gone'; readonly document: PublishedDocument }
  /** Not known yet: the snapshot was restored from disk and has no articles until the first build. */
  | { readonly kind: 'not-ready' };

type DocumentRoute = Exclude<RouteMatch, { kind: 'health' | 'metrics' | 'changes' | 'archive' | 'image' }>;

function categoryDocumentPath(slug: string, file: string): string {
  return file === INDEX_PAGE_PATH ? categoryPagePath(slug) : `category/${slug}/${file}`;
}

function categoryUrl(site: Snapshot['site'], slug: string, file: string): string {
  return `${categoryPageUrl(site, slug)}${file === INDEX_PAGE_PATH ? '' : file}`;
}

/**
 * Finds what a matched route names in one snapshot. Another spelling of something that exists
 * (other case, trailing slash, index.html) redirects to its canonical URL; the redirect only ever
 * points at a document the snapshot has, so it cannot be steered elsewhere by the request.
 */
export function resolveDocument(snapshot: Snapshot, catalog: SnapshotCatalog, match: DocumentRoute): Resolution {
  const { baseUrl } = snapshot.site;
  switch (match.kind) {
    case 'document': {
      const document = snapshot.documents.get(match.path);
      if (!document) return { kind: 'not-found' };
      if (match.canonical) return { kind: 'serve', document };
      return { kind: 'redirect', location: `${baseUrl}/${match.path === INDEX_PAGE_PATH ? '' : match.path}` };
    }
    case 'category': {
      const slug = catalog.categorySlugs.get(match.slug.toLowerCase());
      const document = slug === undefined ? undefined : snapshot.documents.get(categoryDocumentPath(slug, match.file));
      if (slug === undefined || !document) return { kind: 'not-found' };
      if (match.canonical && slug === match.slug) return { kind: 'serve', document };
      return { kind: 'redirect', location: categoryUrl(snapshot.site, slug, match.file) };
    }
    case 'article': {
      const slug = snapshot.findArticle(match.slug) ? match.slug : match.slug.toLowerCase();
      if (!snapshot.findArticle(slug)) {
        const gone = snapshot.retractedPage?.(match.slug) ?? snapshot.retractedPage?.(slug);
        if (gone) return { kind: 'gone', document: gone };
        return snapshot.build.restoredFromDisk ? { kind: 'not-ready' } : { kind: 'not-found' };
      }
      if (!match.canonical || slug !== match.slug) return { kind: 'redirect', location: articlePageUrl(snapshot.site, slug) };
      const document = snapshot.articlePage(slug);
      return document ? { kind: 'serve', document } : { kind: 'not-found' };
    }
  }
}

/**
 * What an app derives once from snapshots and documents. Shared by the router's answers and the
 * lean path, so a document's prepared responses exist once and both paths send the same ones.
 */
export interface ServingCaches {
  /** Cache-Control for documents, redirects and the 404 that lists the feeds. */
  readonly cacheControl: string;
  readonly preparedOf: (document: PublishedDocument, site: Site) => PreparedDocument;
  readonly catalogOf: (snapshot: Snapshot) => SnapshotCatalog;
}

export interface CachingOptions {
  /** max-age for feeds and pages, derived by the caller from the rebuild schedule. */
  readonly cacheMaxAgeSeconds: number;
  /** WebSub hub announced in feeds' Link header, when there is one. */
  readonly hubUrl?: string | undefined;
}

export function createServingCaches(options: CachingOptions): ServingCaches {
  const { cacheMaxAgeSeconds } = options;
  if (!Number.isInteger(cacheMaxAgeSeconds) || cacheMaxAgeSeconds < 0) {
    throw new RangeError(`createRequestHandler: cacheMaxAgeSeconds must be a whole number of seconds, got ${cacheMaxAgeSeconds}`);
  }
  const cacheControl = `public, max-age=${cacheMaxAgeSeconds}`;
  return {
    cacheControl,
    preparedOf: createDocumentPreparation({ hubUrl: options.hubUrl, cacheControl }),
    catalogOf: createSnapshotCatalog(),
  };
}

export interface AnswerDependencies {
  /** The snapshot being served; undefined before the first one exists. Never builds anything. */
  readonly getSnapshot: () => Snapshot | undefined;
  readonly metrics: HttpMetrics;
  readonly logger: Logger;
  /** Extra /healthz fields from the scheduler (last and next build, next embargo). */
  readonly status?: () => SchedulerFields;
  readonly clock: Clock;
  /** The change streams' pages; without it their URLs answer 404. */
  readonly changes?: ChangeStreamSource;
  /** The archive pages; without them their URLs answer 404. */
  readonly archives?: ArchiveSource;
  /** The store's images; without them /images/... answers 404. */
  readonly images?: ImageSource;
}

/** A first build usually takes seconds; asking again sooner would only add load while it runs. */
const RETRY_AFTER_SECONDS = '10';
const NOT_READY = 'The feeds are not published yet: the first build is still running. Please retry shortly.\n';
const NOT_FOUND = 'Not found.\n';
const METHOD_NOT_ALLOWED = 'Method not allowed: this resource answers GET and HEAD.\n';
const JSON_TYPE = 'application/json; charset=utf-8';
/** A query is carried into a redirect only when it is plain visible ASCII, so it is always a valid header value. */
const SAFE_QUERY = /^\?[\x21-\x7e]*$/;

/**
 * How a recognised route is answered: route -> snapshot lookup -> response. Shared by the
 * router's handlers (canonical URLs) and the fallback (other spellings), so both answer alike.
 * Each answer reads the snapshot exactly once and uses that value throughout, so a rebuild
 * swapping snapshots mid-request cannot mix two versions in one answer. The caches are the
 * app's, shared with the lean path, not the module's.
 */
export function createRouteAnswers(dependencies: AnswerDependencies, caches: ServingCaches): RouteAnswers {
  const { getSnapshot, metrics, clock } = dependencies;
  const { cacheControl, preparedOf, catalogOf } = caches;
  const documentOptions = { metrics, clock };
  const describeHealth = createHealthReporter();
  const { changes } = dependencies;
  const changeStream = changes ? createChangeStreamAnswer({ source: changes, metrics, clock, logger: dependencies.logger }) : undefined;

  /** A change stream: the site's, or a category's once the snapshot confirms the category (another spelling is redirected). */
  function answerChanges(ctx: RequestContext, snapshot: Snapshot, match: Extract<RouteMatch, { kind: 'changes' }>): void | Promise<void> {
    if (!changeStream) return notFound(ctx, snapshot);
    const { site } = snapshot;
    if (match.slug === undefined) {
      if (match.canonical) return changeStream(ctx, site, { kind: 'site' }, match.format);
      return redirect(ctx, `${site.baseUrl}/${changeStreamPath({ kind: 'site' }, match.format)}`);
    }
    const slug = catalogOf(snapshot).categorySlugs.get(match.slug.toLowerCase());
    if (slug === undefined) return notFound(ctx, snapshot);
    if (match.canonical && slug === match.slug) return changeStream(ctx, site, { kind: 'category', slug }, match.format);
    return redirect(ctx, `${categoryPageUrl(site, slug)}${CHANGE_STREAM_FILE_NAMES[match.format]}`);
  }

  const { archives } = dependencies;
  const archive = archives ? createArchiveAnswer({ source: archives, metrics, clock, logger: dependencies.logger, notFound: (ctx) => notFound(ctx, getSnapshot()) }) : undefined;

  /** An archive page: the site's, or a category's once the snapshot confirms the category (another spelling is redirected). */
  function answerArchive(ctx: RequestContext, snapshot: Snapshot, match: Extract<RouteMatch, { kind: 'archive' }>): void | Promise<void> {
    if (!archive) return notFound(ctx, snapshot);
    const { site } = snapshot;
    const slug = match.slug === undefined ? undefined : catalogOf(snapshot).categorySlugs.get(match.slug.toLowerCase());
    if (match.slug !== undefined && slug === undefined) return notFound(ctx, snapshot);
    const scope: FeedScope = slug === undefined ? { kind: 'site' } : { kind: 'category', slug };
    if (match.canonical && slug === match.slug) return archive(ctx, site, scope, match.format, match.page);
    return redirect(ctx, `${site.baseUrl}/${archivePath(scope, match.format, match.page)}`);
  }

  const { images } = dependencies;
  const image = images ? createImageAnswer({ source: images, cacheControl, clock, notFound: (ctx) => notFound(ctx, getSnapshot()) }) : undefined;

  function redirect(ctx: RequestContext, target: string): void {
    const query = ctx.state.target?.query ?? '';
    const location = SAFE_QUERY.test(query) ? `${target}${query}` : target;
    ctx.set('Location', location);
    respondPlain(ctx, 301, `Moved permanently to ${location}\n`, cacheControl);
  }

  /** 410 with the page that says so: no conditional GET, so a cache never turns it into a 304 of the story. */
  function gone(ctx: RequestContext, document: PublishedDocument): void {
    ctx.status = 410;
    ctx.set('Cache-Control', cacheControl);
    ctx.set('Content-Type', document.mediaType);
    ctx.body = document.body;
  }

  function notReady(ctx: RequestContext): void {
    ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    respondPlain(ctx, 503, NOT_READY, NO_STORE);
  }

  function notFound(ctx: RequestContext, snapshot: Snapshot | undefined): void {
    // The 404 lists what exists and may be cached like the documents; without a snapshot it can say nothing lasting.
    if (snapshot) respondPlain(ctx, 404, catalogOf(snapshot).notFoundBody, cacheControl);
    else respondPlain(ctx, 404, NOT_FOUND, NO_STORE);
  }

  function health(ctx: RequestContext): void {
    const query = ctx.state.target?.query ?? '';
    const report = describeHealth({ snapshot: getSnapshot(), catalogOf, now: clock(), status: dependencies.status, logger: dependencies.logger, query });
    if (report.httpStatus === 503) ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    ctx.status = report.httpStatus;
    ctx.set('Cache-Control', NO_STORE);
    ctx.set('Content-Type', JSON_TYPE);
    ctx.body = `${JSON.stringify(report.body, null, 2)}\n`;
  }

  async function exposition(ctx: RequestContext): Promise<void> {
    const text = await metrics.scrape(getSnapshot());
    ctx.set('Cache-Control', NO_STORE);
    ctx.set('Content-Type', metrics.registry.contentType);
    ctx.body = text;
  }

  return {
    answer(ctx, match) {
      ctx.state.route = match.route;
      if (match.kind === 'health') return health(ctx);
      if (match.kind === 'metrics') return exposition(ctx);
      // Served from the store, not the snapshot: an image is there before the first build is.
      if (match.kind === 'image') return image ? image(ctx, match.storePath) : notFound(ctx, getSnapshot());

      const snapshot = getSnapshot();
      if (!snapshot) return notReady(ctx);
      if (match.kind === 'changes') return answerChanges(ctx, snapshot, match);
      if (match.kind === 'archive') return answerArchive(ctx, snapshot, match);
      const resolution = resolveDocument(snapshot, catalogOf(snapshot), match);
      switch (resolution.kind) {
        case 'serve':
          return serveDocument(ctx, preparedOf(resolution.document, snapshot.site), documentOptions);
        case 'gone':
          return gone(ctx, resolution.document);
        case 'redirect':
          return redirect(ctx, resolution.location);
        case 'not-ready':
          return notReady(ctx);
        case 'not-found':
          return notFound(ctx, snapshot);
      }
    },
    methodNotAllowed(ctx, match) {
      ctx.state.route = match.route;
      ctx.set('Allow', 'GET, HEAD');
      respondPlain(ctx, 405, METHOD_NOT_ALLOWED, NO_STORE);
    },
    unmatched(ctx) {
      ctx.state.route = UNMATCHED_ROUTE;
      notFound(ctx, getSnapshot());
    },
  };
}
