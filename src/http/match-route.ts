import { INDEX_PAGE_PATH as INDEX_FILE } from '../domain/documents.ts';

/**
 * The public URL space as patterns, before any snapshot is consulted. The router registers
 * exactly these (in @koa/router syntax), and each is also the `route` label of the request
 * metrics whichever middleware answers, so the label set stays small whatever clients ask for.
 */
export const ROUTES = {
  index: '/',
  rss: '/rss.xml',
  atom: '/atom.xml',
  json: '/feed.json',
  opml: '/feeds.opml',
  categoryPage: '/category/:slug/',
  categoryRss: '/category/:slug/rss.xml',
  categoryAtom: '/category/:slug/atom.xml',
  categoryJson: '/category/:slug/feed.json',
  article: '/articles/:slug',
  health: '/healthz',
  metrics: '/metrics',
} as const;

/** Labels for requests that match no pattern. */
export const UNMATCHED_ROUTE = 'unmatched';
export const INVALID_ROUTE = 'invalid';

const SITE_FILES: ReadonlyMap<string, string> = new Map([
  ['rss.xml', ROUTES.rss],
  ['atom.xml', ROUTES.atom],
  ['feed.json', ROUTES.json],
  ['feeds.opml', ROUTES.opml],
]);
const CATEGORY_FILES: ReadonlyMap<string, string> = new Map([
  ['rss.xml', ROUTES.categoryRss],
  ['atom.xml', ROUTES.categoryAtom],
  ['feed.json', ROUTES.categoryJson],
]);

export type RouteMatch =
  | { readonly kind: 'health'; readonly route: string }
  | { readonly kind: 'metrics'; readonly route: string }
  /** A site-level document: "rss.xml", "feeds.opml", "index.html". */
  | { readonly kind: 'document'; readonly route: string; readonly path: string; readonly canonical: boolean }
  /** A document in a category's folder; `slug` as the client wrote it. */
  | { readonly kind: 'category'; readonly route: string; readonly slug: string; readonly file: string; readonly canonical: boolean }
  | { readonly kind: 'article'; readonly route: string; readonly slug: string; readonly canonical: boolean };

/**
 * Matches decoded path segments to a pattern, for the requests the router leaves to the fallback.
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
    if (first === '') return { kind: 'document', route: ROUTES.index, path: INDEX_FILE, canonical: true };
    if (first === 'healthz' && !trailingSlash) return { kind: 'health', route: ROUTES.health };
    if (first === 'metrics' && !trailingSlash) return { kind: 'metrics', route: ROUTES.metrics };
    if (lowerFirst === INDEX_FILE) return { kind: 'document', route: ROUTES.index, path: INDEX_FILE, canonical: false };
    const route = SITE_FILES.get(lowerFirst);
    if (route) return { kind: 'document', route, path: lowerFirst, canonical: first === lowerFirst && !trailingSlash };
    return undefined;
  }
  if (second === '') return undefined;
  if (parts.length === 2 && lowerFirst === 'articles') {
    return { kind: 'article', route: ROUTES.article, slug: second, canonical: first === lowerFirst && !trailingSlash };
  }
  if (lowerFirst !== 'category') return undefined;
  if (parts.length === 2) {
    return { kind: 'category', route: ROUTES.categoryPage, slug: second, file: INDEX_FILE, canonical: first === lowerFirst && trailingSlash };
  }
  if (parts.length !== 3 || third === undefined) return undefined;
  const file = third.toLowerCase();
  if (file === INDEX_FILE) return { kind: 'category', route: ROUTES.categoryPage, slug: second, file, canonical: false };
  const route = CATEGORY_FILES.get(file);
  if (!route) return undefined;
  return { kind: 'category', route, slug: second, file, canonical: first === lowerFirst && third === file && !trailingSlash };
}
