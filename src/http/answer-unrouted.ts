import type { Middleware } from 'koa';
import type { RouteAnswers } from './answer-route.ts';
import { matchRoute } from './match-route.ts';
import type { RequestState } from './request-state.ts';
import { NO_STORE, respondPlain } from './middleware.ts';

const METHOD_NOT_ALLOWED = 'Method not allowed: this resource answers GET and HEAD.\n';

/**
 * Runs after the router, for every request it did not answer: a method other than GET or HEAD
 * on any spelling of a route (405), another spelling of a route (other case, trailing slash,
 * index.html: redirected to the canonical URL once the snapshot confirms it exists), and paths
 * that name no route (404 listing the feeds). A canonical URL with percent-encoded letters in
 * its fixed part also lands here, since the router compares those byte for byte; matchRoute
 * sees it decoded and it is served as before.
 *
 * router.allowedMethods() is not used: it answers OPTIONS with 200, unknown methods with 501
 * even on paths that name no route, sends `Allow: HEAD, GET` with Koa's default body, and only
 * knows the canonical spellings.
 */
export function answerUnrouted(answers: RouteAnswers): Middleware<RequestState> {
  return (ctx) => {
    const { target } = ctx.state;
    const match = target === undefined ? undefined : matchRoute(target.segments);
    if (!match) return answers.unmatched(ctx);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.state.route = match.route;
      ctx.set('Allow', 'GET, HEAD');
      return respondPlain(ctx, 405, METHOD_NOT_ALLOWED, NO_STORE);
    }
    return answers.answer(ctx, match);
  };
}
