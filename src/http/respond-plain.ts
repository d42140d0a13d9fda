import type { Context } from 'koa';

export const NO_STORE = 'no-store';
export const PLAIN_TEXT = 'text/plain; charset=utf-8';

/**
 * A short plain-text answer for everything that is not a document: errors, redirects, refusals.
 * Plain text because it cannot carry markup from the request, and a feed reader that shows the
 * body to its user shows it as it is.
 */
export function respondPlain(ctx: Context, status: number, body: string | Buffer, cacheControl: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', cacheControl);
  ctx.set('Content-Type', PLAIN_TEXT);
  ctx.body = body;
}
