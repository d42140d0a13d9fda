import type { Clock } from '../domain/clock.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { PreparedDocument } from './document-response.ts';
import { createDocumentPreparation, serveDocument } from './document-response.ts';
import type { HttpMetrics } from './metrics.ts';
import { NO_STORE, respondPlain } from './middleware.ts';
import type { RequestContext } from './routing.ts';

/** What the archive URLs are answered from (jobs/archive-pages.ts makes it from the change journal). */
export interface ArchiveSource {
  page(request: { readonly scope: FeedScope; readonly format: FeedFormat; readonly page: number }): Promise<
    | { readonly kind: 'page'; readonly document: PublishedDocument; readonly complete: boolean }
    | { readonly kind: 'not-found' }
    | { readonly kind: 'invalid'; readonly message: string }
  >;
}

/** A complete page never changes (README "Archives"): a CDN and every reader may keep it for good. */
export const COMPLETE_ARCHIVE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/**
 * The newest page grows with every change, and a reader walking back from a fresh subscription
 * document must not get an older copy of it (the entries that left the subscription document
 * would be in neither): revalidated every time, an unchanged page costs a 304.
 */
export const NEWEST_ARCHIVE_CACHE_CONTROL = 'no-cache';

export interface ArchiveAnswerOptions {
  readonly source: ArchiveSource;
  readonly metrics: HttpMetrics;
  readonly clock: Clock;
  readonly logger: { error(object: object, message: string): void };
  /** Answers a page that does not exist (yet). */
  readonly notFound: (ctx: RequestContext) => void;
}

/** Answers an archive page request whose scope is resolved: conditional GET and compression as for every document. */
export function createArchiveAnswer(options: ArchiveAnswerOptions): (ctx: RequestContext, site: Site, scope: FeedScope, format: FeedFormat, page: number) => Promise<void> {
  const complete = createDocumentPreparation({ cacheControl: COMPLETE_ARCHIVE_CACHE_CONTROL });
  const newest = createDocumentPreparation({ cacheControl: NEWEST_ARCHIVE_CACHE_CONTROL });
  return async (ctx, site, scope, format, page) => {
    const answer = await options.source.page({ scope, format, page });
    switch (answer.kind) {
      case 'not-found':
        return options.notFound(ctx);
      case 'invalid':
        options.logger.error({ problems: answer.message }, 'an archive page failed validation and was not served');
        return respondPlain(ctx, 500, `This archive page failed validation and is not served:\n${answer.message}\n`, NO_STORE);
      case 'page': {
        const preparedOf: (document: PublishedDocument, site: Site) => PreparedDocument = answer.complete ? complete : newest;
        return serveDocument(ctx, preparedOf(answer.document, site), { metrics: options.metrics, clock: options.clock });
      }
    }
  };
}
