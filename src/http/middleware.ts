import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpMetrics } from './metrics.ts';
import { parseRequestTarget } from './parse-request-target.ts';
import type { RequestState } from './routing.ts';
import { INVALID_ROUTE, UNMATCHED_ROUTE } from './routing.ts';

/*
 * The Koa middleware every request passes before the router, outermost first: recordResponses,
 * handleErrors, guardRequestTarget. Plus the one shape every answer that is not a document
 * takes (respondPlain), which they and the route answers share.
 */

export const NO_STORE = 'no-store';
export const PLAIN_TEXT = 'text/plain; charset=utf-8';
/** Enough of a hostile URL to recognise it in a log line without letting it fill the line. */
export const LOGGED_URL_LENGTH = 300;

/**
 * A short plain-text answer for everything that is not a document: errors, redirects, refusals.
 * Plain text because it cannot carry markup from the request, and a feed reader that shows the
 * body to its user shows it as it is.
 */
export function respondPlain(ctx: Context, status: number, body: string | Buffer, cacheControl: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', cacheControl);
  ctx.set('Content-Type', PLAIN_TEXT);
  ctx.body = body;
}

/**
 * Counts every response once it is decided, errors included (it sits outside the error boundary).
 * Body bytes are the Content-Length Koa settled on, and none for HEAD or a 304, which send none.
 */
export function recordResponses(metrics: HttpMetrics): Middleware<RequestState> {
  return async (ctx, next) => {
    await next();
    const sendsBody = ctx.method !== 'HEAD' && ctx.status !== 304 && ctx.status !== 204;
    metrics.recordResponse(ctx.state.route ?? UNMATCHED_ROUTE, ctx.status, sendsBody ? (ctx.response.length ?? 0) : 0);
  };
}

/**
 * The boundary for anything a handler throws: log it with what identifies the request, then
 * answer a plain 500 with no detail. Headers a handler set before failing (an ETag, a Link)
 * describe a response that never happened, so they are removed first.
 */
export function handleErrors(logger: Logger): Middleware<RequestState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      logger.error({ err: error, method: ctx.method, url: ctx.req.url?.slice(0, LOGGED_URL_LENGTH), route: ctx.state.route }, 'request failed');
      if (ctx.headerSent || !ctx.writable) return;
      for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
      ctx.status = 500;
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', NO_STORE);
      ctx.set('Content-Type', PLAIN_TEXT);
      ctx.body = 'Internal server error.\n';
    }
  };
}

/** Errors from a client that went away mid-response: normal on the internet, not worth an error line. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** For Koa's 'error' event, which reports what happens after a response has begun, where no middleware can catch it. */
export function logLateErrors(logger: Logger): (error: unknown) => void {
  return (error) => {
    if (CLIENT_GONE.has(String(errorCode(error)))) logger.debug({ err: error }, 'client went away during a response');
    else logger.error({ err: error }, 'response failed');
  };
}

const AMBIGUOUS = 'The URL could not be read in one unambiguous way.\n';

/**
 * Stands in front of the router: refuses over-long, malformed and hostile request targets
 * (400/414) before any route is looked at, and hands the accepted target on in `ctx.state`.
 */
export function guardRequestTarget(): Middleware<RequestState> {
  return (ctx, next) => {
    // Set first so that every answer carries it, refusals included.
    ctx.set('X-Content-Type-Options', 'nosniff');
    const target = parseRequestTarget(ctx.req.url ?? '/');
    if (!target.ok) {
      ctx.state.route = INVALID_ROUTE;
      respondPlain(ctx, target.status, `${target.reason}\n`, NO_STORE);
      return;
    }
    // The router matches ctx.path, which Koa parses on its own. The two parsers can disagree on an
    // absolute-form target (WHATWG URL removes "%2e%2e" segments, url.parse keeps them), and the
    // router must never see a path other than the one checked here.
    if (ctx.path !== target.path) {
      ctx.state.route = INVALID_ROUTE;
      respondPlain(ctx, 400, AMBIGUOUS, NO_STORE);
      return;
    }
    ctx.state.target = target;
    return next();
  };
}
