import type { Middleware } from 'koa';
import { INVALID_ROUTE } from './match-route.ts';
import { parseRequestTarget } from './parse-request-target.ts';
import type { RequestState } from './request-state.ts';
import { NO_STORE, respondPlain } from './respond-plain.ts';

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
