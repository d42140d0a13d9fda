import type { Snapshot } from '../publication/snapshot.ts';
import { createHealthReporter } from './health.ts';
import type { RouteMatch } from './match-route.ts';
import { UNMATCHED_ROUTE } from './match-route.ts';
import type { RequestContext } from './request-state.ts';
import { resolveDocument } from './resolve-document.ts';
import { NO_STORE, respondPlain } from './respond-plain.ts';
import { serveDocument } from './serve-document.ts';
import type { AppDependencies } from './create-app.ts';
import type { ServingCaches } from './serving-caches.ts';
import { createServingCaches } from './serving-caches.ts';

/** What the app gets, plus caches shared with the lean path (made here when the answers are used alone). */
export interface RouteAnswerOptions extends AppDependencies {
  readonly caches?: ServingCaches;
}

export interface RouteAnswers {
  /** Answers GET or HEAD for a recognised route, in whatever spelling, and labels the request with its pattern. */
  answer(ctx: RequestContext, match: RouteMatch): void | Promise<void>;
  /** Answers a path that names no route. */
  unmatched(ctx: RequestContext): void;
}

/** A first build usually takes seconds; asking again sooner would only add load while it runs. */
const RETRY_AFTER_SECONDS = '10';
const NOT_READY = 'The feeds are not published yet: the first build is still running. Please retry shortly.\n';
const NOT_FOUND = 'Not found.\n';
const JSON_TYPE = 'application/json; charset=utf-8';
/** A query is carried into a redirect only when it is plain visible ASCII, so it is always a valid header value. */
const SAFE_QUERY = /^\?[\x21-\x7e]*$/;

/**
 * How a recognised route is answered: route -> snapshot lookup -> response. Shared by the
 * router's handlers (canonical URLs) and the fallback (other spellings), so both answer alike.
 * Each answer reads the snapshot exactly once and uses that value throughout, so a rebuild
 * swapping snapshots mid-request cannot mix two versions in one answer. The caches built here
 * belong to one app, not to the module.
 */
export function createRouteAnswers(options: RouteAnswerOptions): RouteAnswers {
  const { getSnapshot, metrics, clock } = options;
  const { cacheControl, variantsOf, catalogOf } = options.caches ?? createServingCaches(options);
  const documentOptions = { metrics, clock };
  const describeHealth = createHealthReporter();

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
    const report = describeHealth({ snapshot: getSnapshot(), catalogOf, now: clock(), status: options.status, logger: options.logger, query });
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

      const snapshot = getSnapshot();
      if (!snapshot) return notReady(ctx);
      const resolution = resolveDocument(snapshot, catalogOf(snapshot), match);
      switch (resolution.kind) {
        case 'serve':
          return serveDocument(ctx, variantsOf(resolution.document, snapshot.site), documentOptions);
        case 'redirect': {
          const query = ctx.state.target?.query ?? '';
          const location = SAFE_QUERY.test(query) ? `${resolution.location}${query}` : resolution.location;
          ctx.set('Location', location);
          return respondPlain(ctx, 301, `Moved permanently to ${location}\n`, cacheControl);
        }
        case 'not-ready':
          return notReady(ctx);
        case 'not-found':
          return notFound(ctx, snapshot);
      }
    },
    unmatched(ctx) {
      ctx.state.route = UNMATCHED_ROUTE;
      notFound(ctx, getSnapshot());
    },
  };
}
