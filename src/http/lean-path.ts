import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { INDEX_PAGE_PATH } from '../domain/documents.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import type { ServingCaches } from './answers.ts';
import { resolveDocument } from './answers.ts';
import type { PreparedDocument } from './document-response.ts';
import { decideDocumentResponse } from './document-response.ts';
import type { HttpMetrics } from './metrics.ts';
import { LOGGED_URL_LENGTH } from './middleware.ts';
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

export interface LeanPathDependencies {
  readonly getSnapshot: () => Snapshot | undefined;
  readonly metrics: HttpMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The app's own caches, so both paths send the very same prepared responses. */
  readonly caches: ServingCaches;
}

/** Answers the request and returns true, or returns false having touched nothing, for the app to answer. */
export type LeanPath = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * The answer to the requests that dominate a feed server's traffic, a GET or HEAD of a feed or page
 * at its canonical URL, without Koa's per-request context, middleware chain and router, which cost
 * more than the answer itself. It answers only what it is sure of: an exact target from the
 * snapshot's hits, with a 200 or 304 decided by decideDocumentResponse, the function the router's
 * answers use too. Everything else (other spellings, queries, other methods, no snapshot yet, a
 * 406) goes to the app untouched.
 */
export function createLeanPath(dependencies: LeanPathDependencies): LeanPath {
  const { getSnapshot, metrics, logger, clock } = dependencies;
  const hitsOf = createSnapshotHits(dependencies.caches);

  return (request, response) => {
    const { method } = request;
    if (method !== 'GET' && method !== 'HEAD') return false;
    try {
      // Read once: the decision and every byte sent come from this one snapshot.
      const snapshot = getSnapshot();
      if (snapshot === undefined) return false;
      const hit = hitsOf(snapshot).get(request.url ?? '');
      if (hit === undefined) return false;
      const answer = decideDocumentResponse(hit.prepared, request.headers, clock);
      if (answer.status === 406) return false;
      const sentBytes = method === 'GET' && answer.body !== undefined ? answer.body.length : 0;
      // The headers are shared and frozen; Node only reads them (writeHead's type wants a mutable array).
      response.writeHead(answer.status, answer.headers as string[]);
      if (sentBytes > 0) response.end(answer.body);
      else response.end();
      metrics.recordDocument(answer.status === 304);
      metrics.recordResponse(hit.route, answer.status, sentBytes);
      metrics.recordLeanResponse();
      return true;
    } catch (error) {
      logger.error({ err: error, method, url: request.url?.slice(0, LOGGED_URL_LENGTH) }, 'lean path failed');
      // Nothing sent yet: the app answers as if this path did not exist, with its own 500 if it fails too.
      if (!response.headersSent) return false;
      if (!response.writableEnded) response.destroy();
      return true;
    }
  };
}
