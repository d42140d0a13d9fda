import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { FEED_MEDIA_TYPES } from '../../src/domain/documents.ts';
import type { ContentCoding } from '../../src/http/negotiate-encoding.ts';
import { strongEtag } from '../../src/publication/publish-document.ts';
import type { FeedFormat } from '../../src/domain/documents.ts';
import type { SoakFeed } from './discover-feeds.ts';
import { feedBodyProblem } from './feed-body-problem.ts';
import type { RawResponse } from './http-get.ts';

// The thread pool decodes while the event loop keeps the other clients' sockets moving.
const gunzipAsync = promisify(gunzip);
const brotliDecompressAsync = promisify(brotliDecompress);

export interface SoakRequest {
  readonly feed: SoakFeed;
  /** The only coding the request accepted, so the only one the answer may use. */
  readonly coding: ContentCoding;
  readonly ifNoneMatch: string | undefined;
}

export type Verdict =
  | {
      readonly ok: true;
      readonly status: 200;
      readonly etag: string;
      readonly identityEtag: string;
      /** The feed validator's problem with the body, undefined when valid; never rejects. */
      readonly validation: Promise<string | undefined>;
    }
  | { readonly ok: true; readonly status: 304; readonly etag: string }
  | { readonly ok: false; readonly reason: string };

/** The problem with a decoded feed body, or undefined when it is a valid feed. */
export type FeedBodyValidator = (bytes: Uint8Array, format: FeedFormat, subject: string) => Promise<string | undefined>;

const validateInProcess: FeedBodyValidator = async (bytes, format, subject) => feedBodyProblem(bytes, format, subject);

export interface ResponseChecker {
  check(request: SoakRequest, response: RawResponse): Promise<Verdict>;
  /** How many distinct feed bodies went through the full validator. */
  validatedBodies(): number;
}

/** The tag the service must put on a representation whose decoded bytes are `identity` (see document-response.ts). */
function expectedEtag(identityEtag: string, coding: ContentCoding): string {
  return coding === 'identity' ? identityEtag : `${identityEtag.slice(0, -1)}-${coding}"`;
}

async function decode(body: Buffer, coding: ContentCoding): Promise<Buffer> {
  if (coding === 'gzip') return gunzipAsync(body);
  if (coding === 'br') return brotliDecompressAsync(body);
  return body;
}

interface DecodedBody {
  readonly identityEtag: string;
  readonly validation: Promise<string | undefined>;
}

const failure = (reason: string): Verdict => ({ ok: false, reason });
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Judges one response of the soak. A 200 must be complete, coded as asked, tagged with the
 * strong tag of its own decoded bytes and a valid feed; a 304 must answer a conditional request
 * and carry the tag that was sent.
 *
 * The validator runs once per distinct decoded body: every 200's bytes are hashed and compared
 * with its tag, and equal hashes mean equal bytes, so validating a body already found valid would
 * only repeat the same verdict. Without this the validator, not the service, would set the pace.
 * Its verdict comes later, in `validation`, so that a reader is not kept from its next request
 * (and its connection idle) while a new body waits its turn at the validator.
 */
export function createResponseChecker(validate: FeedBodyValidator = validateInProcess): ResponseChecker {
  // Promises, so that clients receiving the same new body at once share one validation.
  const verdicts = new Map<string, Promise<string | undefined>>();
  /**
   * Compressed bodies already decoded, by a hash of their exact bytes: the same bytes decode to
   * the same identity bytes, so decompressing and hashing them again would prove nothing new.
   * Those two steps were most of the soak's own CPU time.
   */
  const decodedBodies = new Map<string, Promise<DecodedBody | string>>();

  /** The identity tag of a body and its validation, or why it does not decode. */
  async function decodeAndValidate(request: SoakRequest, body: Buffer): Promise<DecodedBody | string> {
    let decoded: Buffer;
    try {
      decoded = await decode(body, request.coding);
    } catch (error) {
      return `${request.coding} body does not decode: ${message(error)}`;
    }
    const identityEtag = strongEtag(decoded);
    return { identityEtag, validation: validationProblem(request, identityEtag, decoded) };
  }

  function identityOf(request: SoakRequest, body: Buffer): Promise<DecodedBody | string> {
    if (request.coding === 'identity') return decodeAndValidate(request, body);
    // Stored before the first decode finishes: a new body reaches many readers at once.
    const rawKey = `${request.coding} ${createHash('sha256').update(body).digest('base64')}`;
    let known = decodedBodies.get(rawKey);
    if (known === undefined) {
      known = decodeAndValidate(request, body);
      decodedBodies.set(rawKey, known);
    }
    return known;
  }

  function validationProblem(request: SoakRequest, identityEtag: string, decoded: Buffer): Promise<string | undefined> {
    const key = `${request.feed.format} ${identityEtag}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = validate(decoded, request.feed.format, request.feed.path).catch((error: unknown) => `could not be validated: ${message(error)}`);
      verdicts.set(key, verdict);
    }
    return verdict;
  }

  async function checkFull(request: SoakRequest, response: RawResponse): Promise<Verdict> {
    const { headers, body } = response;
    const declared = headers['content-length'];
    if (declared === undefined) return failure('200 without Content-Length');
    if (Number(declared) !== body.length || !response.complete) return failure(`torn body: ${body.length} bytes of a declared ${declared}`);
    const encoding = headers['content-encoding'];
    const wanted = request.coding === 'identity' ? undefined : request.coding;
    if (encoding !== wanted) return failure(`Content-Encoding ${encoding ?? '(none)'} for Accept-Encoding: ${request.coding}`);
    const mediaType = FEED_MEDIA_TYPES[request.feed.format];
    if (headers['content-type'] !== mediaType) return failure(`Content-Type ${headers['content-type'] ?? '(none)'}, expected ${mediaType}`);
    const etag = headers.etag;
    if (etag === undefined) return failure('200 without ETag');
    const identity = await identityOf(request, body);
    if (typeof identity === 'string') return failure(identity);
    const { identityEtag, validation } = identity;
    if (etag !== expectedEtag(identityEtag, request.coding)) {
      return failure(`ETag ${etag} does not match the bytes (${expectedEtag(identityEtag, request.coding)})`);
    }
    if (request.ifNoneMatch === etag) return failure(`200 although If-None-Match named the current tag ${etag}`);
    return { ok: true, status: 200, etag, identityEtag, validation };
  }

  return {
    async check(request, response) {
      const verdict = await (async (): Promise<Verdict> => {
        if (response.status === 200) return checkFull(request, response);
        if (response.status !== 304) return failure(`HTTP ${response.status}`);
        if (request.ifNoneMatch === undefined) return failure('304 to an unconditional request');
        if (response.headers.etag !== request.ifNoneMatch) return failure(`304 with ETag ${response.headers.etag ?? '(none)'} for If-None-Match ${request.ifNoneMatch}`);
        if (response.body.length > 0) return failure(`304 with a ${response.body.length}-byte body`);
        return { ok: true, status: 304, etag: request.ifNoneMatch };
      })();
      return verdict.ok ? verdict : { ok: false, reason: `${request.feed.path} (${request.coding}): ${verdict.reason}` };
    },
    validatedBodies: () => verdicts.size,
  };
}
