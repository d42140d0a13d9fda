import type { ParameterizedContext } from 'koa';
import type { RoutableTarget } from './parse-request-target.ts';

/** What a request's middleware tell each other through `ctx.state`. */
export interface RequestState {
  /** The matched route pattern (or "unmatched"/"invalid"): the metrics label. */
  route?: string;
  /** The request target once guardRequestTarget has accepted it; routing and redirects use it. */
  target?: RoutableTarget;
}

/** The context every Wirefeed middleware and route handler works with. */
export type RequestContext = ParameterizedContext<RequestState>;
