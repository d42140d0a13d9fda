import type { Middleware } from 'koa';
import type { HttpMetrics } from './metrics.ts';
import type { RequestState } from './request-state.ts';
import { UNMATCHED_ROUTE } from './match-route.ts';

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
