/** What a request's middleware tell each other through `ctx.state`. */
export interface RequestState {
  /** The matched route pattern (or "unmatched"/"invalid"): the metrics label. */
  route?: string;
}
