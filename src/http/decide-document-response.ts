import type { IncomingHttpHeaders } from 'node:http';
import type { Validators } from './conditional-get.ts';
import { isNotModified } from './conditional-get.ts';
import type { DocumentVariants, Representation } from './document-variants.ts';
import type { ContentCoding } from './negotiate-encoding.ts';
import { negotiateEncoding } from './negotiate-encoding.ts';
import { NO_STORE, PLAIN_TEXT } from './respond-plain.ts';

/**
 * A complete answer for one document, as both the Koa path and the lean path send it. Every
 * instance is built once (per document, coding and outcome) and shared by every request that
 * gets it, so it must never be modified.
 */
export interface DocumentResponse {
  readonly status: 200 | 304 | 406;
  /**
   * Every header of the response in the order it is sent, flat as res.writeHead takes it:
   * [name, value, name, value, …]. Node adds only Date and the connection headers.
   */
  readonly headers: readonly string[];
  /** The bytes a GET gets (HEAD sends the same headers and none of them); undefined for a 304. */
  readonly body: Buffer | undefined;
}

/** The two answers a document has per content coding, and what decides between them. */
export interface CodedResponses {
  readonly validators: Validators;
  readonly full: DocumentResponse;
  readonly notModified: DocumentResponse;
}

/** What the response does not take from the document itself. */
export interface DocumentHeaderInput {
  readonly mediaType: string;
  readonly representations: Readonly<Record<ContentCoding, Representation>>;
  /** Last-Modified as an HTTP-date, and as whole seconds since the epoch. */
  readonly lastModified: string;
  readonly lastModifiedSeconds: number;
  readonly link: string | undefined;
  /** The Cache-Control value for documents, the same for the whole app. */
  readonly cacheControl: string;
}

/** The request headers a document answer depends on; IncomingMessage.headers fits as it is. */
export type DocumentRequestHeaders = Pick<IncomingHttpHeaders, 'accept-encoding' | 'if-none-match' | 'if-modified-since'>;

const CODINGS: readonly ContentCoding[] = ['identity', 'gzip', 'br'];
/** Every answer varies with Accept-Encoding, a 406 included, so caches key on it whatever the outcome. */
const COMMON = ['X-Content-Type-Options', 'nosniff', 'Vary', 'Accept-Encoding'] as const;
const NOT_ACCEPTABLE_BODY = Buffer.from('None of the content codings this server offers (br, gzip, identity) is acceptable.\n', 'utf8');

function freeze(response: DocumentResponse): DocumentResponse {
  Object.freeze(response.headers);
  return Object.freeze(response);
}

/**
 * The one place that says which headers a document answer carries. The validators and caching
 * headers are the same on a 304 as on the 200 it stands for (RFC 9110 §15.4.5); what describes
 * a body (type, coding, length) goes on the 200 only. Content-Length stays on a HEAD, which
 * describes the GET it mirrors.
 */
export function prepareDocumentResponses(input: DocumentHeaderInput): Readonly<Record<ContentCoding, CodedResponses>> {
  const prepared = {} as Record<ContentCoding, CodedResponses>;
  for (const coding of CODINGS) {
    const representation = input.representations[coding];
    const validators = [...COMMON, 'ETag', representation.etag, 'Last-Modified', input.lastModified, 'Cache-Control', input.cacheControl];
    if (input.link !== undefined) validators.push('Link', input.link);
    const full = [...validators, 'Content-Type', input.mediaType];
    if (representation.contentEncoding !== undefined) full.push('Content-Encoding', representation.contentEncoding);
    full.push('Content-Length', String(representation.body.length));
    prepared[coding] = Object.freeze({
      validators: Object.freeze({ etag: representation.etag, lastModifiedSeconds: input.lastModifiedSeconds }),
      full: freeze({ status: 200, headers: full, body: representation.body }),
      notModified: freeze({ status: 304, headers: validators, body: undefined }),
    });
  }
  return Object.freeze(prepared);
}

/** The answer when the client refuses every coding on offer; the same for every document. */
export const NOT_ACCEPTABLE: DocumentResponse = freeze({
  status: 406,
  headers: [...COMMON, 'Cache-Control', NO_STORE, 'Content-Type', PLAIN_TEXT, 'Content-Length', String(NOT_ACCEPTABLE_BODY.length)],
  body: NOT_ACCEPTABLE_BODY,
});

/**
 * Decides the answer to a GET or HEAD for one published document: the pre-compressed bytes the
 * client accepts, then 304 or the full representation. Pure apart from `now` (needed only for
 * two-digit years in If-Modified-Since), and it builds no response: it hands out one of those
 * prepared with the document's variants, so a request costs no header strings or arrays.
 */
export function decideDocumentResponse(variants: DocumentVariants, headers: DocumentRequestHeaders, now: () => number): DocumentResponse {
  const coding = negotiateEncoding(headers['accept-encoding']);
  if (coding === undefined) return NOT_ACCEPTABLE;
  const responses = variants.responses[coding];
  return isNotModified(headers['if-none-match'], headers['if-modified-since'], responses.validators, now) ? responses.notModified : responses.full;
}
