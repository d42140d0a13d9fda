import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { INDEX_PAGE_PATH } from '../domain/documents.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import type { ServingCaches, SnapshotCatalog } from './answers.ts';
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
 * The exact request target for which the router would serve this document of the snapshot, if
 * any, found by putting it through the same parse, match and resolution the router's answers
 * use: a target counts only if that chain serves this very document, so the lean path cannot
 * answer anything the router would redirect, refuse or answer from another document.
 */
function findHit(snapshot: Snapshot, catalog: SnapshotCatalog, caches: ServingCaches, path: string, document: PublishedDocument): Found | undefined {
  const target = canonicalTarget(path);
  if (!PLAIN_TARGET.test(target)) return undefined;
  const parsed = parseRequestTarget(target);
  if (!parsed.ok || parsed.path !== target) return undefined;
  const match = matchRoute(parsed.segments);
  if (match === undefined || (match.kind !== 'document' && match.kind !== 'category') || !match.canonical) return undefined;
  const resolution = resolveDocument(snapshot, catalog, match);
  if (resolution.kind !== 'serve' || resolution.document !== document) return undefined;
  return { target, hit: Object.freeze({ route: match.route, prepared: caches.preparedOf(document, snapshot.site) }) };
}

interface Found {
  readonly target: string;
  readonly hit: SnapshotHit;
}

/**
 * Returns a function from a snapshot to its hits (every target findHit finds among its documents;
 * articles are left out, their pages are rendered on demand), found on first use and kept as long
 * as the snapshot lives. What was found for a document object is remembered with it: a document
 * resolves alike in every snapshot that has it at its path and shares its catalogue (the same
 * site and paths), so after an edit only the documents the build replaced are looked at again.
 */
export function createSnapshotHits(caches: ServingCaches): (snapshot: Snapshot) => ReadonlyMap<string, SnapshotHit> {
  const known = new WeakMap<Snapshot, ReadonlyMap<string, SnapshotHit>>();
  const foundFor = new WeakMap<PublishedDocument, { readonly catalog: SnapshotCatalog; readonly path: string; readonly found: Found | undefined }>();
  return (snapshot) => {
    let hits = known.get(snapshot);
    if (!hits) {
      const catalog = caches.catalogOf(snapshot);
      const found = new Map<string, SnapshotHit>();
      for (const [path, document] of snapshot.documents) {
        let earlier = foundFor.get(document);
        if (earlier?.catalog !== catalog || earlier.path !== path) {
          earlier = { catalog, path, found: findHit(snapshot, catalog, caches, path, document) };
          foundFor.set(document, earlier);
        }
        if (earlier.found) found.set(earlier.found.target, earlier.found.hit);
      }
      hits = found;
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
