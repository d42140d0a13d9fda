import type { Context } from 'koa';
import { decideDocumentResponse } from './decide-document-response.ts';
import type { DocumentVariants } from './document-variants.ts';
import type { HttpMetrics } from './metrics.ts';

export interface DocumentResponseOptions {
  readonly metrics: HttpMetrics;
  readonly clock: () => number;
}

/**
 * Answers GET or HEAD for one published document through Koa, applying the same decision the
 * lean path sends directly, so the two cannot answer differently. Koa leaves the body out for
 * HEAD and a 304, and keeps Content-Length on HEAD; setting it here as well only repeats the
 * value Koa derives from the body.
 */
export function serveDocument(ctx: Context, variants: DocumentVariants, options: DocumentResponseOptions): void {
  const response = decideDocumentResponse(variants, ctx.req.headers, options.clock);
  if (response.status !== 406) options.metrics.recordDocument(response.status === 304);
  ctx.status = response.status;
  const { headers } = response;
  for (let index = 0; index < headers.length; index += 2) ctx.set(headers[index] as string, headers[index + 1] as string);
  if (response.body) ctx.body = response.body;
}
