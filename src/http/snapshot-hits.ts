import { INDEX_PAGE_PATH } from '../pages/page-paths.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import type { ServingCaches } from './answers.ts';
import { resolveDocument } from './answers.ts';
import type { PreparedDocument } from './document-response.ts';
import { parseRequestTarget } from './parse-request-target.ts';
import type { RoutePattern } from './routing.ts';
import { matchRoute } from './routing.ts';

/** A request target the lean path may answer: the document it serves and the route label it counts under. */
export interface SnapshotHit {
  readonly route: RoutePattern;
  readonly prepared: PreparedDocument;
}

/**
 * Targets made only of unreserved characters and slashes: Node, Koa's parser, the guard and the
 * router all read them as the same path, with nothing to decode, so comparing them byte for byte
 * with the request's target is the whole of routing for them.
 */
const PLAIN_TARGET = /^\/(?:[A-Za-z0-9._~-]+\/)*[A-Za-z0-9._~-]*$/;

/** The canonical URL path a document would be served at: a folder's index.html is the folder. */
function canonicalTarget(path: string): string {
  if (path === INDEX_PAGE_PATH) return '/';
  if (path.endsWith(`/${INDEX_PAGE_PATH}`)) return `/${path.slice(0, -INDEX_PAGE_PATH.length)}`;
  return `/${path}`;
}

/**
 * Every exact request target for which the router would serve a document of this snapshot, found
 * by putting each candidate through the same parse, match and resolution the router's answers
 * use: a target gets in only if that chain serves this very document, so the lean path cannot
 * answer anything the router would redirect, refuse or answer from another document. Articles are
 * left out: their pages are rendered on demand, not held in the snapshot's documents.
 */
function findHits(snapshot: Snapshot, caches: ServingCaches): ReadonlyMap<string, SnapshotHit> {
  const hits = new Map<string, SnapshotHit>();
  const catalog = caches.catalogOf(snapshot);
  for (const [path, document] of snapshot.documents) {
    const target = canonicalTarget(path);
    if (!PLAIN_TARGET.test(target)) continue;
    const parsed = parseRequestTarget(target);
    if (!parsed.ok || parsed.path !== target) continue;
    const match = matchRoute(parsed.segments);
    if (match === undefined || (match.kind !== 'document' && match.kind !== 'category') || !match.canonical) continue;
    const resolution = resolveDocument(snapshot, catalog, match);
    if (resolution.kind !== 'serve' || resolution.document !== document) continue;
    hits.set(target, Object.freeze({ route: match.route, prepared: caches.preparedOf(document, snapshot.site) }));
  }
  return hits;
}

/** Returns a function from a snapshot to its hits, found on first use and kept as long as the snapshot lives. */
export function createSnapshotHits(caches: ServingCaches): (snapshot: Snapshot) => ReadonlyMap<string, SnapshotHit> {
  const known = new WeakMap<Snapshot, ReadonlyMap<string, SnapshotHit>>();
  return (snapshot) => {
    let hits = known.get(snapshot);
    if (!hits) {
      hits = findHits(snapshot, caches);
      known.set(snapshot, hits);
    }
    return hits;
  };
}
