import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { PublishedDocument } from './snapshot.ts';

/**
 * Brotli quality 11 costs about a second per large feed; 9 is within a few percent of its size
 * at a fraction of the time, which matters when a rebuild touches 150 documents.
 */
const BROTLI_QUALITY = 9;

/** The strong ETag of a body: same bytes, same tag, on every machine. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Turns finished bytes into a servable document: both encodings and the validators. */
export function publishDocument(path: string, mediaType: string, content: string | Buffer, lastModified: number): PublishedDocument {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Object.freeze({
    path,
    mediaType,
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    etag: strongEtag(body),
    lastModified,
  });
}
