import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import type { AnswerDependencies, CachingOptions, ServingCaches } from './answers.ts';
import { createRouteAnswers, createServingCaches } from './answers.ts';
import { guardRequestTarget, handleErrors, logLateErrors, recordResponses } from './middleware.ts';
import type { RequestState } from './routing.ts';
import { createFallback, createRouter } from './routing.ts';
import { createLeanPath } from './lean-path.ts';
import type { BudgetGate } from './client-budget.ts';
import type { Partner } from '../domain/partner.ts';
import { partnerPaths } from './partner-paths.ts';

/** What the HTTP face of Wirefeed is built from: the snapshot to serve, where to report, and how long caches may keep answers. */
export interface AppDependencies extends AnswerDependencies, CachingOptions {
  /** Answers 429 to a client over its request budget, ahead of both paths; without it nobody is limited. */
  readonly budgetGate?: BudgetGate;
  /** The partners in force (README "Partners"); without them every /partners/ path answers 401. */
  readonly partners?: () => readonly Partner[];
}

export interface RequestHandlerOptions {
  /**
   * Whether canonical feed and page URLs are answered ahead of Koa (default true). Both paths
   * answer alike; turning it off is for tests that prove so, and for comparing their speed.
   */
  readonly leanPath?: boolean;
}

/** What node:http calls for each request. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** The Koa app: the middleware in front, the router for canonical URLs, the fallback for everything else. */
function assembleApp(dependencies: AppDependencies, caches: ServingCaches): Koa {
  const app = new Koa<RequestState>();
  app.on('error', logLateErrors(dependencies.logger));
  const answers = createRouteAnswers(dependencies, caches);
  app.use(recordResponses(dependencies.metrics));
  app.use(handleErrors(dependencies.logger));
  app.use(guardRequestTarget());
  app.use(partnerPaths({ partners: dependencies.partners ?? (() => []), site: () => dependencies.getSnapshot()?.site, registry: dependencies.metrics.registry, clock: dependencies.clock }));
  app.use(createRouter(answers).routes());
  // Reached only when no route matched both path and method.
  app.use(createFallback(answers));
  return app;
}

/**
 * The HTTP face of Wirefeed as the server runs it: the lean path for canonical feed and page
 * URLs found in the current snapshot, the Koa app for everything else. The two share their
 * caches and the decision of what a document answer is, so a response does not depend on which
 * of them sent it. It reads the current snapshot and answers from it; it logs errors only.
 */
export function createRequestHandler(dependencies: AppDependencies, options: RequestHandlerOptions = {}): RequestHandler {
  const caches = createServingCaches(dependencies);
  const answerWithApp = assembleApp(dependencies, caches).callback();
  const answerHit = options.leanPath === false ? () => false : createLeanPath({ ...dependencies, caches });
  const refuse = dependencies.budgetGate ?? (() => false);
  return (request, response) => {
    if (!refuse(request, response) && !answerHit(request, response)) void answerWithApp(request, response);
  };
}
