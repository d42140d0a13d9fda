import type { Clock } from '../domain/clock.ts';
import type { ChangeStreamFormat, FeedScope } from '../domain/documents.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { Site } from '../domain/site.ts';
import type { PreparedDocument } from './document-response.ts';
import { createDocumentPreparation, serveDocument } from './document-response.ts';
import type { HttpMetrics } from './metrics.ts';
import { NO_STORE, respondPlain } from './middleware.ts';
import type { RequestContext } from './routing.ts';

/**
 * What the change-stream URLs are answered from (jobs/change-pages.ts makes it from the change
 * journal): the HTTP side only reads the query, holds a request for `wait`, and serves the page.
 */
export interface ChangeStreamSource {
  page(request: { readonly scope: FeedScope; readonly format: ChangeStreamFormat; readonly after: number | undefined }): Promise<
    | { readonly kind: 'page'; readonly document: PublishedDocument; readonly count: number; readonly head: number }
    | { readonly kind: 'refused'; readonly status: 400 | 410; readonly message: string }
    | { readonly kind: 'invalid'; readonly message: string }
  >;
  waitForChange(head: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
}

/** The longest `wait` a request may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 60;
const WHOLE_NUMBER = /^[0-9]{1,15}$/;
/**
 * Pages are revalidated on every request: a page short of a hundred entries grows as changes
 * arrive, and partners want them at once. An unchanged page costs a 304.
 */
const CHANGES_CACHE_CONTROL = 'no-cache';

type Query = { readonly after: number | undefined; readonly waitSeconds: number } | { readonly error: string };

function readQuery(query: string): Query {
  const parameters = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const after = parameters.get('after');
  const wait = parameters.get('wait');
  if (after !== null && !WHOLE_NUMBER.test(after)) {
    return { error: `after="${after}" is not a sequence number: use a whole number from 0, the _wirefeed.seq (Atom: wf:seq) of the last change you hold, or follow next_url.\n` };
  }
  if (wait !== null && (!WHOLE_NUMBER.test(wait) || Number(wait) > MAX_WAIT_SECONDS)) {
    return { error: `wait="${wait}" must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.\n` };
  }
  return { after: after === null ? undefined : Number(after), waitSeconds: wait === null ? 0 : Number(wait) };
}

export interface ChangeStreamAnswerOptions {
  readonly source: ChangeStreamSource;
  readonly metrics: HttpMetrics;
  readonly clock: Clock;
  readonly logger: { error(object: object, message: string): void };
}

/** Answers a change-stream request whose scope is resolved: `?after=` and `&wait=`, conditional GET and compression as for every document. */
export function createChangeStreamAnswer(options: ChangeStreamAnswerOptions): (ctx: RequestContext, site: Site, scope: FeedScope, format: ChangeStreamFormat) => Promise<void> {
  const { source } = options;
  const preparedOf: (document: PublishedDocument, site: Site) => PreparedDocument = createDocumentPreparation({ cacheControl: CHANGES_CACHE_CONTROL });
  return async (ctx, site, scope, format) => {
    const query = readQuery(ctx.state.target?.query ?? '');
    if ('error' in query) return respondPlain(ctx, 400, query.error, NO_STORE);
    let answer = await source.page({ scope, format, after: query.after });
    if (answer.kind === 'page' && answer.count === 0 && query.waitSeconds > 0) {
      // Held without blocking anything: a timer and a promise, released by the next append, the
      // client going away, or shutdown.
      const aborted = new AbortController();
      ctx.res.once('close', () => aborted.abort());
      const deadline = options.clock() + query.waitSeconds * 1000;
      while (answer.kind === 'page' && answer.count === 0) {
        const remaining = deadline - options.clock();
        if (remaining <= 0 || !(await source.waitForChange(answer.head, remaining, aborted.signal))) break;
        answer = await source.page({ scope, format, after: query.after });
      }
    }
    switch (answer.kind) {
      case 'refused':
        return respondPlain(ctx, answer.status, answer.message, NO_STORE);
      case 'invalid':
        options.logger.error({ problems: answer.message }, 'a change-stream page failed validation and was not served');
        return respondPlain(ctx, 500, `This page of the change stream failed validation and is not served:\n${answer.message}\n`, NO_STORE);
      case 'page':
        return serveDocument(ctx, preparedOf(answer.document, site), { metrics: options.metrics, clock: options.clock });
    }
  };
}
