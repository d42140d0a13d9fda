import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import type { ServingCaches } from './answers.ts';
import { decideDocumentResponse } from './document-response.ts';
import type { HttpMetrics } from './metrics.ts';
import { LOGGED_URL_LENGTH } from './middleware.ts';
import { createSnapshotHits } from './snapshot-hits.ts';

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
