import Koa from 'koa';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import { createRouteAnswers } from './answer-route.ts';
import { answerUnrouted } from './answer-unrouted.ts';
import { guardRequestTarget } from './guard-request-target.ts';
import { handleErrors } from './handle-errors.ts';
import type { HttpMetrics } from './metrics.ts';
import { recordResponses } from './record-responses.ts';
import type { RequestState } from './request-state.ts';
import { createRouter } from './routes.ts';

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

/** Errors from a client that went away mid-response: normal on the internet, not worth an error line. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** The HTTP face of Wirefeed: reads the current snapshot and answers from it; logs errors only. */
export function createApp(dependencies: AppDependencies): Koa {
  const { cacheMaxAgeSeconds, logger } = dependencies;
  if (!Number.isInteger(cacheMaxAgeSeconds) || cacheMaxAgeSeconds < 0) {
    throw new RangeError(`createApp: cacheMaxAgeSeconds must be a whole number of seconds, got ${cacheMaxAgeSeconds}`);
  }
  const app = new Koa<RequestState>();
  // Koa reports here what happens after a response has begun, which no middleware can catch.
  app.on('error', (error: unknown) => {
    if (CLIENT_GONE.has(String(errorCode(error)))) logger.debug({ err: error }, 'client went away during a response');
    else logger.error({ err: error }, 'response failed');
  });
  const answers = createRouteAnswers(dependencies);
  app.use(recordResponses(dependencies.metrics));
  app.use(handleErrors(logger));
  app.use(guardRequestTarget());
  app.use(createRouter(answers).routes());
  // Reached only when no route matched both path and method.
  app.use(answerUnrouted(answers));
  return app;
}
