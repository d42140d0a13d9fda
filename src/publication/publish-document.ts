import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { BrotliOptions, ZlibOptions } from 'node:zlib';
import type { PublishedDocument } from './snapshot.ts';

/**
 * Compression is most of what publishing costs, and an edit waits for it: these levels give a few
 * percent more bytes for about a third less time than the libraries' defaults (BENCHMARKS.md,
 * "Compression levels"), on every document of every rebuild, while the server keeps answering.
 */
const BROTLI_QUALITY = 5;
const GZIP_OPTIONS: ZlibOptions = { level: 5 };
const brotliOptions = (body: Buffer): BrotliOptions => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
});
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The strong ETag of a body: same bytes, same tag, on every machine. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function freeze(path: string, mediaType: string, body: Buffer, encoded: { gzip: Buffer; brotli: Buffer }, lastModified: number): PublishedDocument {
  return Object.freeze({ path, mediaType, body, gzip: encoded.gzip, brotli: encoded.brotli, etag: strongEtag(body), lastModified });
}

/**
 * Turns finished bytes into a servable document: both encodings and the validators. Compression
 * runs on libuv's thread pool, so the server keeps answering and both cores work during a build.
 */
export async function publishDocumentAsync(path: string, mediaType: string, content: string | Buffer, lastModified: number): Promise<PublishedDocument> {
  const body = toBuffer(content);
  const [gzipped, brotli] = await Promise.all([gzipAsync(body, GZIP_OPTIONS), brotliAsync(body, brotliOptions(body))]);
  return freeze(path, mediaType, body, { gzip: gzipped, brotli }, lastModified);
}

/** The same, synchronously: for small documents made on demand, such as one article's page. */
export function publishDocument(path: string, mediaType: string, content: string | Buffer, lastModified: number): PublishedDocument {
  const body = toBuffer(content);
  return freeze(path, mediaType, body, { gzip: gzipSync(body, GZIP_OPTIONS), brotli: brotliCompressSync(body, brotliOptions(body)) }, lastModified);
}
