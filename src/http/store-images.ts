import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { isNotModified } from './conditional-get.ts';

/** One store image, open, as the store hands it out (store/store-images.ts); the composition root wires the two. */
export interface ImageFile {
  readonly mediaType: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Strong. */
  readonly etag: string;
  /** The whole file; the stream closes the file when it ends or is destroyed. */
  stream(): Readable;
  close(): Promise<void>;
}

/** The open image at a store path ("images/samples/night-sky.jpg"), or undefined for anything that is not one to serve. */
export type ImageSource = (storePath: string) => Promise<ImageFile | undefined>;

export interface ImageAnswerOptions {
  readonly source: ImageSource;
  readonly cacheControl: string;
  readonly clock: () => number;
  readonly notFound: (ctx: Context) => void;
}

/**
 * An image may be opened directly in a browser, and an SVG can hold script: the response may
 * run nothing and load nothing, whatever the file contains.
 */
const IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * Answers GET and HEAD for a store image: 404 for anything the store does not hand out,
 * else 304 when the client's copy is current, else the file streamed (never read whole), with
 * its media type, strong ETag, Last-Modified and the documents' Cache-Control. The validators
 * and caching headers are the same on the 304 as on the 200; HEAD gets the 200's headers.
 */
export function createImageAnswer(options: ImageAnswerOptions): (ctx: Context, storePath: string) => Promise<void> {
  const { source, cacheControl, clock } = options;
  return async (ctx, storePath) => {
    const file = await source(storePath);
    if (file === undefined) return options.notFound(ctx);
    ctx.set('ETag', file.etag);
    ctx.set('Last-Modified', new Date(file.mtimeMs).toUTCString());
    ctx.set('Cache-Control', cacheControl);
    ctx.set('Content-Security-Policy', IMAGE_POLICY);
    const validators = { etag: file.etag, lastModifiedSeconds: Math.floor(file.mtimeMs / 1000) };
    const { headers } = ctx.req;
    if (isNotModified(headers['if-none-match'], headers['if-modified-since'], validators, clock)) {
      await file.close();
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.set('Content-Type', file.mediaType);
    if (ctx.method === 'HEAD') {
      await file.close();
      ctx.set('Content-Length', String(file.size));
      return;
    }
    ctx.body = file.stream();
    // After the body: Koa drops a Content-Length set before a stream body replaces another.
    ctx.length = file.size;
  };
}
