import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import { createDocumentVariants } from './document-variants.ts';
import { describeHealth } from './health.ts';
import { INVALID_ROUTE, matchRoute, UNMATCHED_ROUTE } from './match-route.ts';
import type { HttpMetrics } from './metrics.ts';
import { parseRequestTarget } from './parse-request-target.ts';
import type { RequestState } from './request-state.ts';
import { resolveDocument } from './resolve-document.ts';
import { NO_STORE, respondPlain } from './respond-plain.ts';
import { serveDocument } from './serve-document.ts';
import { createSnapshotCatalog } from './snapshot-catalog.ts';

export interface RouteOptions {
  readonly getSnapshot: () => Snapshot | undefined;
  readonly metrics: HttpMetrics;
  readonly logger: Logger;
  readonly cacheMaxAgeSeconds: number;
  readonly hubUrl?: string;
  readonly status?: () => Record<string, unknown>;
  readonly clock: Clock;
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
 * The one request handler: path -> route -> snapshot lookup -> response. The snapshot is read
 * exactly once per request and that value is used throughout, so a rebuild swapping snapshots
 * mid-request cannot mix two versions in one answer.
 */
export function createRoutes(options: RouteOptions): Middleware<RequestState> {
  const { getSnapshot, metrics, clock } = options;
  const cacheControl = `public, max-age=${options.cacheMaxAgeSeconds}`;
  const variantsOf = createDocumentVariants(options.hubUrl);
  const catalogOf = createSnapshotCatalog();
  const documentOptions = { cacheControl, metrics, clock };

  function notReady(ctx: Context): void {
    ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    respondPlain(ctx, 503, NOT_READY, NO_STORE);
  }

  function notFound(ctx: Context, snapshot: Snapshot | undefined): void {
    // The 404 lists what exists and may be cached like the documents; without a snapshot it can say nothing lasting.
    if (snapshot) respondPlain(ctx, 404, catalogOf(snapshot).notFoundBody, cacheControl);
    else respondPlain(ctx, 404, NOT_FOUND, NO_STORE);
  }

  function health(ctx: Context): void {
    const report = describeHealth({ snapshot: getSnapshot(), catalogOf, now: clock(), status: options.status, logger: options.logger });
    if (report.httpStatus === 503) ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    ctx.status = report.httpStatus;
    ctx.set('Cache-Control', NO_STORE);
    ctx.set('Content-Type', JSON_TYPE);
    ctx.body = `${JSON.stringify(report.body, null, 2)}\n`;
  }

  async function exposition(ctx: Context): Promise<void> {
    const text = await metrics.scrape(getSnapshot());
    ctx.set('Cache-Control', NO_STORE);
    ctx.set('Content-Type', metrics.registry.contentType);
    ctx.body = text;
  }

  return async (ctx) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    const target = parseRequestTarget(ctx.req.url ?? '/');
    if (!target.ok) {
      ctx.state.route = INVALID_ROUTE;
      respondPlain(ctx, target.status, `${target.reason}\n`, NO_STORE);
      return;
    }
    const match = matchRoute(target.segments);
    if (!match) {
      ctx.state.route = UNMATCHED_ROUTE;
      notFound(ctx, getSnapshot());
      return;
    }
    ctx.state.route = match.route;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      respondPlain(ctx, 405, METHOD_NOT_ALLOWED, NO_STORE);
      return;
    }
    if (match.kind === 'health') return health(ctx);
    if (match.kind === 'metrics') return exposition(ctx);

    const snapshot = getSnapshot();
    if (!snapshot) return notReady(ctx);
    const resolution = resolveDocument(snapshot, catalogOf(snapshot), match);
    switch (resolution.kind) {
      case 'serve':
        return serveDocument(ctx, variantsOf(resolution.document, snapshot.site), documentOptions);
      case 'redirect': {
        const location = SAFE_QUERY.test(target.query) ? `${resolution.location}${target.query}` : resolution.location;
        ctx.set('Location', location);
        return respondPlain(ctx, 301, `Moved permanently to ${location}\n`, cacheControl);
      }
      case 'not-ready':
        return notReady(ctx);
      case 'not-found':
        return notFound(ctx, snapshot);
    }
  };
}
