import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import { createRouteAnswers } from './answer-route.ts';
import type { HttpMetrics } from './metrics.ts';
import { guardRequestTarget, handleErrors, logLateErrors, recordResponses } from './middleware.ts';
import type { RequestState } from './routing.ts';
import { createFallback, createRouter } from './routing.ts';
import { createLeanPath } from './serve-snapshot-hit.ts';
import type { ServingCaches } from './serving-caches.ts';
import { createServingCaches } from './serving-caches.ts';

export interface AppDependencies {
  /** The snapshot being served; undefined before the first one exists. Never builds anything. */
  readonly getSnapshot: () => Snapshot | undefined;
  readonly metrics: HttpMetrics;
  readonly logger: Logger;
  /** max-age for feeds and pages, derived by the caller from the rebuild schedule. */
  readonly cacheMaxAgeSeconds: number;
  /** WebSub hub announced in feeds' Link header, when there is one. */
  readonly hubUrl?: string;
  /** Extra /healthz fields from the scheduler (last and next build, next embargo). */
  readonly status?: () => Record<string, unknown>;
  readonly clock: Clock;
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

function assembleApp(dependencies: AppDependencies, caches: ServingCaches): Koa {
  const { logger } = dependencies;
  const app = new Koa<RequestState>();
  app.on('error', logLateErrors(logger));
  const answers = createRouteAnswers({ ...dependencies, caches });
  app.use(recordResponses(dependencies.metrics));
  app.use(handleErrors(logger));
  app.use(guardRequestTarget());
  app.use(createRouter(answers).routes());
  // Reached only when no route matched both path and method.
  app.use(createFallback(answers));
  return app;
}

function servingCaches(dependencies: AppDependencies): ServingCaches {
  const { cacheMaxAgeSeconds } = dependencies;
  if (!Number.isInteger(cacheMaxAgeSeconds) || cacheMaxAgeSeconds < 0) {
    throw new RangeError(`createApp: cacheMaxAgeSeconds must be a whole number of seconds, got ${cacheMaxAgeSeconds}`);
  }
  return createServingCaches(dependencies);
}

/** The HTTP face of Wirefeed as a Koa app alone: reads the current snapshot and answers from it; logs errors only. */
export function createApp(dependencies: AppDependencies): Koa {
  return assembleApp(dependencies, servingCaches(dependencies));
}

/**
 * The HTTP face of Wirefeed as the server runs it: the lean path for canonical feed and page
 * URLs found in the current snapshot, the Koa app for everything else. The two share their
 * caches and the decision of what a document answer is, so a response does not depend on which
 * of them sent it.
 */
export function createRequestHandler(dependencies: AppDependencies, options: RequestHandlerOptions = {}): RequestHandler {
  const caches = servingCaches(dependencies);
  const answerWithApp = assembleApp(dependencies, caches).callback();
  if (options.leanPath === false) return (request, response) => void answerWithApp(request, response);
  const answerHit = createLeanPath({ ...dependencies, caches });
  return (request, response) => {
    if (!answerHit(request, response)) void answerWithApp(request, response);
  };
}
