import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { RequestState } from './request-state.ts';

/** Enough of a hostile URL to recognise it in a log line without letting it fill the line. */
const LOGGED_URL_LENGTH = 300;

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
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Type', 'text/plain; charset=utf-8');
      ctx.body = 'Internal server error.\n';
    }
  };
}
