import { Router } from '@koa/router';
import { FEED_FILE_NAMES } from '../domain/documents.ts';
import { INDEX_PAGE_PATH, OPML_PATH } from '../domain/documents.ts';
import type { RouteAnswers } from './answer-route.ts';
import type { RouteMatch } from './match-route.ts';
import { ROUTES } from './match-route.ts';
import type { RequestState } from './request-state.ts';

/**
 * The public URL contract: one GET route (the router adds HEAD) per canonical URL, each pattern
 * also being the request's metrics label. Handlers only say which route this is; answering it
 * from the snapshot is the shared RouteAnswers' job.
 *
 * Matching is case-sensitive and strict about the trailing slash, unlike the router's defaults:
 * `/RSS.xml` and `/rss.xml/` must not be served as if canonical but fall through to the fallback
 * that redirects them, and a slug in another case reaches the handler as written so the answer
 * can redirect it to the slug's own case. Anything matched here is GET or HEAD by construction.
 */
export function createRouter(answers: RouteAnswers): Router<RequestState> {
  const router = new Router<RequestState>({ sensitive: true, strict: true });

  // The match is built once, at registration, so these routes allocate nothing per request.
  const fixed = (match: RouteMatch): void => {
    router.get(match.route, (ctx) => answers.answer(ctx, match));
  };
  // The router has already percent-decoded the slug, as parseRequestTarget would have.
  const category = (route: string, file: string): void => {
    router.get(route, (ctx) => answers.answer(ctx, { kind: 'category', route, slug: ctx.params.slug ?? '', file, canonical: true }));
  };

  fixed({ kind: 'document', route: ROUTES.index, path: INDEX_PAGE_PATH, canonical: true });
  fixed({ kind: 'document', route: ROUTES.rss, path: FEED_FILE_NAMES.rss, canonical: true });
  fixed({ kind: 'document', route: ROUTES.atom, path: FEED_FILE_NAMES.atom, canonical: true });
  fixed({ kind: 'document', route: ROUTES.json, path: FEED_FILE_NAMES.json, canonical: true });
  fixed({ kind: 'document', route: ROUTES.opml, path: OPML_PATH, canonical: true });
  category(ROUTES.categoryPage, INDEX_PAGE_PATH);
  category(ROUTES.categoryRss, FEED_FILE_NAMES.rss);
  category(ROUTES.categoryAtom, FEED_FILE_NAMES.atom);
  category(ROUTES.categoryJson, FEED_FILE_NAMES.json);
  router.get(ROUTES.article, (ctx) => answers.answer(ctx, { kind: 'article', route: ROUTES.article, slug: ctx.params.slug ?? '', canonical: true }));
  fixed({ kind: 'health', route: ROUTES.health });
  fixed({ kind: 'metrics', route: ROUTES.metrics });
  return router;
}
