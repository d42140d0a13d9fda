import { Router } from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import type { ChangeStreamFormat, FeedFormat } from '../domain/documents.ts';
import { ARCHIVE_EXTENSIONS, CHANGE_STREAM_FILE_NAMES, FEED_FILE_NAMES, INDEX_PAGE_PATH, OPML_PATH } from '../domain/documents.ts';
import type { RoutableTarget } from './parse-request-target.ts';

/**
 * The public URL space, one entry per canonical URL. `pattern` (in @koa/router syntax) is what
 * the router registers, and it is the `route` label of the request metrics whichever path
 * answers, so the label set stays small whatever clients ask for. The other fields say what the
 * URL names. The router's handlers, the matcher for other spellings (the fallback) and, through
 * that matcher, the lean path's exact targets are all derived from this table.
 */
export const ROUTES = {
  index: { pattern: '/', kind: 'document', path: INDEX_PAGE_PATH },
  rss: { pattern: '/rss.xml', kind: 'document', path: FEED_FILE_NAMES.rss },
  atom: { pattern: '/atom.xml', kind: 'document', path: FEED_FILE_NAMES.atom },
  json: { pattern: '/feed.json', kind: 'document', path: FEED_FILE_NAMES.json },
  opml: { pattern: '/feeds.opml', kind: 'document', path: OPML_PATH },
  categoryPage: { pattern: '/category/:slug/', kind: 'category', file: INDEX_PAGE_PATH },
  categoryRss: { pattern: '/category/:slug/rss.xml', kind: 'category', file: FEED_FILE_NAMES.rss },
  categoryAtom: { pattern: '/category/:slug/atom.xml', kind: 'category', file: FEED_FILE_NAMES.atom },
  categoryJson: { pattern: '/category/:slug/feed.json', kind: 'category', file: FEED_FILE_NAMES.json },
  article: { pattern: '/articles/:slug', kind: 'article' },
  changesJson: { pattern: '/changes.json', kind: 'changes', file: CHANGE_STREAM_FILE_NAMES.json, format: 'json', category: false },
  changesAtom: { pattern: '/changes.atom', kind: 'changes', file: CHANGE_STREAM_FILE_NAMES.atom, format: 'atom', category: false },
  categoryChangesJson: { pattern: '/category/:slug/changes.json', kind: 'changes', file: CHANGE_STREAM_FILE_NAMES.json, format: 'json', category: true },
  categoryChangesAtom: { pattern: '/category/:slug/changes.atom', kind: 'changes', file: CHANGE_STREAM_FILE_NAMES.atom, format: 'atom', category: true },
  archiveRss: { pattern: '/archive/:page.xml', kind: 'archive', format: 'rss', category: false },
  archiveAtom: { pattern: '/archive/:page.atom', kind: 'archive', format: 'atom', category: false },
  archiveJson: { pattern: '/archive/:page.json', kind: 'archive', format: 'json', category: false },
  categoryArchiveRss: { pattern: '/category/:slug/archive/:page.xml', kind: 'archive', format: 'rss', category: true },
  categoryArchiveAtom: { pattern: '/category/:slug/archive/:page.atom', kind: 'archive', format: 'atom', category: true },
  categoryArchiveJson: { pattern: '/category/:slug/archive/:page.json', kind: 'archive', format: 'json', category: true },
  /** A file under CONTENT_DIR/images/, served from the store (README "Images"). */
  image: { pattern: '/images/*path', kind: 'image' },
  health: { pattern: '/healthz', kind: 'health' },
  metrics: { pattern: '/metrics', kind: 'metrics' },
} as const;

type Route = (typeof ROUTES)[keyof typeof ROUTES];
export type RoutePattern = Route['pattern'];

/** Labels for requests that match no pattern. */
export const UNMATCHED_ROUTE = 'unmatched';
export const INVALID_ROUTE = 'invalid';
/** Every path under /partners/ (README "Partners"): answered by partner-paths.ts ahead of the router. */
export const PARTNER_ROUTE = '/partners/:name/*';

/** What a request is counted under in the metrics: a route pattern, or why it has none. */
export type RouteLabel = RoutePattern | typeof UNMATCHED_ROUTE | typeof INVALID_ROUTE | typeof PARTNER_ROUTE;

/** What a request's middleware tell each other through `ctx.state`. */
export interface RequestState {
  /** The matched route pattern (or "unmatched"/"invalid"): the metrics label. */
  route?: RouteLabel;
  /** The request target once guardRequestTarget has accepted it; routing and redirects use it. */
  target?: RoutableTarget;
}

/** The context every Wirefeed middleware and route handler works with. */
export type RequestContext = ParameterizedContext<RequestState>;

export type RouteMatch =
  | { readonly kind: 'health'; readonly route: RoutePattern }
  | { readonly kind: 'metrics'; readonly route: RoutePattern }
  /** A store image: `storePath` from the decoded segments, "images/samples/night-sky.jpg"; the store decides whether it is one. */
  | { readonly kind: 'image'; readonly route: RoutePattern; readonly storePath: string }
  /** A site-level document: "rss.xml", "feeds.opml", "index.html". */
  | { readonly kind: 'document'; readonly route: RoutePattern; readonly path: string; readonly canonical: boolean }
  /** A document in a category's folder; `slug` as the client wrote it. */
  | { readonly kind: 'category'; readonly route: RoutePattern; readonly slug: string; readonly file: string; readonly canonical: boolean }
  | { readonly kind: 'article'; readonly route: RoutePattern; readonly slug: string; readonly canonical: boolean }
  /** A change stream: the site's (no slug) or a category's, `slug` as the client wrote it. */
  | { readonly kind: 'changes'; readonly route: RoutePattern; readonly format: ChangeStreamFormat; readonly slug?: string; readonly canonical: boolean }
  /** An archive page: the site's (no slug) or a category's, `slug` as the client wrote it. */
  | { readonly kind: 'archive'; readonly route: RoutePattern; readonly format: FeedFormat; readonly page: number; readonly slug?: string; readonly canonical: boolean };

const ALL_ROUTES: readonly Route[] = Object.values(ROUTES);
/** Site-level documents by file name; "index.html" is the index's, a non-canonical spelling of "/". */
const SITE_DOCUMENTS = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'document' ? [[route.path, route] as const] : [])));
/** Documents in a category's folder by file name; "index.html" is the folder's page. */
const CATEGORY_DOCUMENTS = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'category' ? [[route.file, route] as const] : [])));
/** Change streams by file name: the site's, and those in a category's folder. */
const SITE_CHANGES = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'changes' && !route.category ? [[route.file, route] as const] : [])));
const CATEGORY_CHANGES = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'changes' && route.category ? [[route.file, route] as const] : [])));
type ArchiveRoute = Extract<Route, { kind: 'archive' }>;
/** Archive routes by extension: the site's, and those in a category's folder. */
const SITE_ARCHIVES: ReadonlyMap<string, ArchiveRoute> = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'archive' && !route.category ? [[ARCHIVE_EXTENSIONS[route.format], route] as const] : [])));
const CATEGORY_ARCHIVES: ReadonlyMap<string, ArchiveRoute> = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'archive' && route.category ? [[ARCHIVE_EXTENSIONS[route.format], route] as const] : [])));
/** An archive page's file name: its number (no leading zero) and extension. */
const ARCHIVE_FILE = /^([1-9][0-9]{0,8})\.([a-z]+)$/;
const ARCHIVE_FOLDER = 'archive';

/** An archive page's route from the segments "archive" and "<n>.<ext>" (any case), when they name one. */
function matchArchive(folder: string, file: string, routes: ReadonlyMap<string, ArchiveRoute>): { route: RoutePattern; format: FeedFormat; page: number; exact: boolean } | undefined {
  if (folder.toLowerCase() !== ARCHIVE_FOLDER) return undefined;
  const parsed = ARCHIVE_FILE.exec(file.toLowerCase());
  const route = parsed ? routes.get(parsed[2] ?? '') : undefined;
  if (!parsed || !route) return undefined;
  return { route: route.pattern, format: route.format, page: Number(parsed[1]), exact: folder === ARCHIVE_FOLDER && file === parsed[0] };
}

/** /healthz and /metrics by their one segment; they have no other spelling. */
const ENDPOINTS = new Map(ALL_ROUTES.flatMap((route) => (route.kind === 'health' || route.kind === 'metrics' ? [[route.pattern.slice(1), route] as const] : [])));

/**
 * Matches decoded path segments to a route, for the requests the router leaves to the fallback.
 * Fixed words match in any case and with or without a trailing slash (and a folder's "index.html"
 * matches the folder), so that such requests can be redirected to the one canonical spelling;
 * `canonical` says whether this request already is it. Whether a slug exists, and in which case,
 * only the snapshot can tell.
 */
export function matchRoute(segments: readonly string[]): RouteMatch | undefined {
  // One trailing slash; "//" or "/rss.xml//" are not a spelling of anything.
  const trailingSlash = segments.length > 1 && segments[segments.length - 1] === '' && segments[segments.length - 2] !== '';
  const parts = trailingSlash ? segments.slice(0, -1) : segments;
  const [first = '', second = '', third] = parts;
  const lowerFirst = first.toLowerCase();

  if (parts.length === 1) {
    const { index } = ROUTES;
    if (first === '') return { kind: 'document', route: index.pattern, path: index.path, canonical: true };
    const endpoint = trailingSlash ? undefined : ENDPOINTS.get(first);
    if (endpoint) return { kind: endpoint.kind, route: endpoint.pattern };
    const changes = SITE_CHANGES.get(lowerFirst);
    if (changes) return { kind: 'changes', route: changes.pattern, format: changes.format, canonical: first === lowerFirst && !trailingSlash };
    const document = SITE_DOCUMENTS.get(lowerFirst);
    if (!document) return undefined;
    const canonical = document !== index && first === lowerFirst && !trailingSlash;
    return { kind: 'document', route: document.pattern, path: document.path, canonical };
  }
  // Case-sensitive like the files themselves, and without a trailing slash: no other spelling of an image is one.
  if (first === ROUTES.image.pattern.split('/')[1] && !trailingSlash) return { kind: 'image', route: ROUTES.image.pattern, storePath: parts.join('/') };
  if (second === '') return undefined;
  if (parts.length === 2) {
    const archive = matchArchive(first, second, SITE_ARCHIVES);
    if (archive) return { kind: 'archive', route: archive.route, format: archive.format, page: archive.page, canonical: archive.exact && !trailingSlash };
  }
  if (parts.length === 4 && lowerFirst === 'category') {
    const archive = matchArchive(third ?? '', parts[3] ?? '', CATEGORY_ARCHIVES);
    if (!archive) return undefined;
    return { kind: 'archive', route: archive.route, format: archive.format, page: archive.page, slug: second, canonical: archive.exact && first === lowerFirst && !trailingSlash };
  }
  if (parts.length === 2 && lowerFirst === 'articles') {
    return { kind: 'article', route: ROUTES.article.pattern, slug: second, canonical: first === lowerFirst && !trailingSlash };
  }
  if (lowerFirst !== 'category') return undefined;
  const page = ROUTES.categoryPage;
  if (parts.length === 2) {
    return { kind: 'category', route: page.pattern, slug: second, file: page.file, canonical: first === lowerFirst && trailingSlash };
  }
  if (parts.length !== 3 || third === undefined) return undefined;
  const file = third.toLowerCase();
  const changes = CATEGORY_CHANGES.get(file);
  if (changes) {
    return { kind: 'changes', route: changes.pattern, format: changes.format, slug: second, canonical: first === lowerFirst && third === file && !trailingSlash };
  }
  const document = CATEGORY_DOCUMENTS.get(file);
  if (!document) return undefined;
  const canonical = document !== page && first === lowerFirst && third === file && !trailingSlash;
  return { kind: 'category', route: document.pattern, slug: second, file, canonical };
}

/** How routes are answered from the snapshot; routing only decides which answer a request gets. */
export interface RouteAnswers {
  /** Answers GET or HEAD for a recognised route, in whatever spelling, and labels the request with its pattern. */
  answer(ctx: RequestContext, match: RouteMatch): void | Promise<void>;
  /** Answers another method on a recognised route. */
  methodNotAllowed(ctx: RequestContext, match: RouteMatch): void;
  /** Answers a path that names no route. */
  unmatched(ctx: RequestContext): void;
}

/**
 * One GET route (the router adds HEAD) per entry of ROUTES. Handlers only say which route this is;
 * answering it from the snapshot is the shared RouteAnswers' job.
 *
 * Matching is case-sensitive and strict about the trailing slash, unlike the router's defaults:
 * `/RSS.xml` and `/rss.xml/` must not be served as if canonical but fall through to the fallback
 * that redirects them, and a slug in another case reaches the handler as written so the answer
 * can redirect it to the slug's own case. Anything matched here is GET or HEAD by construction.
 */
export function createRouter(answers: RouteAnswers): Router<RequestState> {
  const router = new Router<RequestState>({ sensitive: true, strict: true });
  // Fixed matches are built once, at registration, so these routes allocate nothing per request.
  // The router has already percent-decoded a slug, as parseRequestTarget would have.
  for (const route of ALL_ROUTES) {
    const { pattern } = route;
    switch (route.kind) {
      case 'document': {
        const match: RouteMatch = { kind: 'document', route: pattern, path: route.path, canonical: true };
        router.get(pattern, (ctx) => answers.answer(ctx, match));
        break;
      }
      case 'category':
        router.get(pattern, (ctx) => answers.answer(ctx, { kind: 'category', route: pattern, slug: ctx.params.slug ?? '', file: route.file, canonical: true }));
        break;
      case 'article':
        router.get(pattern, (ctx) => answers.answer(ctx, { kind: 'article', route: pattern, slug: ctx.params.slug ?? '', canonical: true }));
        break;
      case 'changes': {
        const { format } = route;
        if (route.category) router.get(pattern, (ctx) => answers.answer(ctx, { kind: 'changes', route: pattern, format, slug: ctx.params.slug ?? '', canonical: true }));
        else router.get(pattern, (ctx) => answers.answer(ctx, { kind: 'changes', route: pattern, format, canonical: true }));
        break;
      }
      case 'archive': {
        const { format } = route;
        // The pattern only says there is a page number; matchRoute says whether it is one (else 404).
        const archiveMatch = (ctx: RequestContext): RouteMatch | undefined => {
          const found = matchArchive(ARCHIVE_FOLDER, `${ctx.params.page ?? ''}.${ARCHIVE_EXTENSIONS[format]}`, route.category ? CATEGORY_ARCHIVES : SITE_ARCHIVES);
          if (!found) return undefined;
          return { kind: 'archive', route: pattern, format, page: found.page, ...(route.category ? { slug: ctx.params.slug ?? '' } : {}), canonical: true };
        };
        router.get(pattern, (ctx, next) => {
          const match = archiveMatch(ctx);
          return match ? answers.answer(ctx, match) : next();
        });
        break;
      }
      case 'image':
        // The guard has checked and decoded the segments (no dot segments, no encoded separators).
        router.get(pattern, (ctx) => answers.answer(ctx, { kind: 'image', route: pattern, storePath: (ctx.state.target?.segments ?? []).join('/') }));
        break;
      case 'health':
      case 'metrics': {
        const match: RouteMatch = { kind: route.kind, route: pattern };
        router.get(pattern, (ctx) => answers.answer(ctx, match));
        break;
      }
    }
  }
  return router;
}

/**
 * Runs after the router, for every request it did not answer: a method other than GET or HEAD
 * on any spelling of a route (405), another spelling of a route (other case, trailing slash,
 * index.html: redirected to the canonical URL once the snapshot confirms it exists), and paths
 * that name no route (404 listing the feeds). A canonical URL with percent-encoded letters in
 * its fixed part also lands here, since the router compares those byte for byte; matchRoute
 * sees it decoded and it is served as before.
 *
 * router.allowedMethods() is not used: it answers OPTIONS with 200, unknown methods with 501
 * even on paths that name no route, sends `Allow: HEAD, GET` with Koa's default body, and only
 * knows the canonical spellings.
 */
export function createFallback(answers: RouteAnswers): Middleware<RequestState> {
  return (ctx) => {
    const { target } = ctx.state;
    const match = target === undefined ? undefined : matchRoute(target.segments);
    if (!match) return answers.unmatched(ctx);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return answers.methodNotAllowed(ctx, match);
    return answers.answer(ctx, match);
  };
}
