import type { Context } from 'koa';
import { isNotModified } from './conditional-get.ts';
import type { DocumentVariants } from './document-variants.ts';
import type { HttpMetrics } from './metrics.ts';
import { negotiateEncoding } from './negotiate-encoding.ts';
import { NO_STORE, respondPlain } from './respond-plain.ts';

export interface DocumentResponseOptions {
  /** The Cache-Control value for documents, built once per app. */
  readonly cacheControl: string;
  readonly metrics: HttpMetrics;
  readonly clock: () => number;
}

/**
 * Answers GET or HEAD for one published document: picks the pre-compressed bytes the client
 * accepts, then answers 304 or the full representation. The validators and caching headers go
 * on before the 304 decision, so a 304 carries exactly what the 200 would (RFC 9110 §15.4.5)
 * and nothing that describes a body. Koa leaves the body out for HEAD and keeps Content-Length.
 */
export function serveDocument(ctx: Context, variants: DocumentVariants, options: DocumentResponseOptions): void {
  const coding = negotiateEncoding(ctx.req.headers['accept-encoding']);
  ctx.set('Vary', 'Accept-Encoding');
  if (coding === undefined) {
    respondPlain(ctx, 406, 'None of the content codings this server offers (br, gzip, identity) is acceptable.\n', NO_STORE);
    return;
  }
  const representation = variants.representations[coding];
  ctx.set('ETag', representation.etag);
  ctx.set('Last-Modified', variants.lastModified);
  ctx.set('Cache-Control', options.cacheControl);
  if (variants.link) ctx.set('Link', variants.link);
  const headers = ctx.req.headers;
  const notModified = isNotModified(
    headers['if-none-match'],
    headers['if-modified-since'],
    { etag: representation.etag, lastModifiedSeconds: variants.lastModifiedSeconds },
    options.clock,
  );
  options.metrics.recordDocument(notModified);
  if (notModified) {
    ctx.status = 304;
    return;
  }
  ctx.set('Content-Type', variants.document.mediaType);
  if (representation.contentEncoding) ctx.set('Content-Encoding', representation.contentEncoding);
  ctx.body = representation.body;
}
