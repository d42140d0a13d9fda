import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'koa';
import { FEED_FILE_NAMES } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { Validators } from './conditional-get.ts';
import { isNotModified } from './conditional-get.ts';
import type { HttpMetrics } from './metrics.ts';
import { NO_STORE, PLAIN_TEXT } from './middleware.ts';
import type { ContentCoding } from './negotiate-encoding.ts';
import { negotiateEncoding } from './negotiate-encoding.ts';

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

/** The prepared answer for one content coding of a document: its 200, the 304 that stands for it, and what decides between them. */
export interface PreparedResponses {
  readonly validators: Validators;
  readonly full: DocumentResponse;
  readonly notModified: DocumentResponse;
}

/** A document's prepared answers, one per content coding it is offered in. */
export type PreparedDocument = Readonly<Record<ContentCoding, PreparedResponses>>;

/** The request headers a document answer depends on; IncomingMessage.headers fits as it is. */
export type DocumentRequestHeaders = Pick<IncomingHttpHeaders, 'accept-encoding' | 'if-none-match' | 'if-modified-since'>;

/** Every answer varies with Accept-Encoding, a 406 included, so caches key on it whatever the outcome. */
const COMMON = ['X-Content-Type-Options', 'nosniff', 'Vary', 'Accept-Encoding'] as const;
const NOT_ACCEPTABLE_BODY = Buffer.from('None of the content codings this server offers (br, gzip, identity) is acceptable.\n', 'utf8');
const FEED_FILES = Object.values(FEED_FILE_NAMES);

function freeze(response: DocumentResponse): DocumentResponse {
  Object.freeze(response.headers);
  return Object.freeze(response);
}

function isFeed(path: string): boolean {
  return FEED_FILES.some((file) => path === file || path.endsWith(`/${file}`));
}

/**
 * A strong ETag names one representation, so gzip and br bytes need tags of their own
 * (RFC 9110 §8.8.3: a content-coded representation must not share the unencoded one's tag).
 * The suffix goes inside the quotes, keeping the tag well-formed.
 */
function codedEtag(etag: string, suffix: string): string {
  return `${etag.slice(0, -1)}-${suffix}"`;
}

/**
 * The one place that says which headers a document answer carries. The validators and caching
 * headers are the same on a 304 as on the 200 it stands for (RFC 9110 §15.4.5); what describes
 * a body (type, coding, length) goes on the 200 only. Content-Length stays on a HEAD, which
 * describes the GET it mirrors.
 */
function prepareDocument(document: PublishedDocument, link: string | undefined, cacheControl: string): PreparedDocument {
  const lastModified = new Date(document.lastModified).toUTCString();
  const lastModifiedSeconds = Math.floor(document.lastModified / 1000);
  const prepare = (body: Buffer, etag: string, contentEncoding: string | undefined): PreparedResponses => {
    const validators = [...COMMON, 'ETag', etag, 'Last-Modified', lastModified, 'Cache-Control', cacheControl];
    if (link !== undefined) validators.push('Link', link);
    const full = [...validators, 'Content-Type', document.mediaType];
    if (contentEncoding !== undefined) full.push('Content-Encoding', contentEncoding);
    full.push('Content-Length', String(body.length));
    return Object.freeze({
      validators: Object.freeze({ etag, lastModifiedSeconds }),
      full: freeze({ status: 200, headers: full, body }),
      notModified: freeze({ status: 304, headers: validators, body: undefined }),
    });
  };
  return Object.freeze({
    identity: prepare(document.body, document.etag, undefined),
    gzip: prepare(document.gzip, codedEtag(document.etag, 'gzip'), 'gzip'),
    br: prepare(document.brotli, codedEtag(document.etag, 'br'), 'br'),
  });
}

export interface PreparationOptions {
  /** WebSub hub announced in feeds' Link header, when there is one. */
  readonly hubUrl?: string | undefined;
  /** The Cache-Control value for documents, the same for the whole app. */
  readonly cacheControl: string;
}

/**
 * Returns a function from a document to its prepared answers, remembered per document object.
 * The cache is weak, so a document dropped by a rebuild is collected with its entry, and it lives
 * in the app that creates it rather than in the module. Keying on the document alone is sound
 * because a feed embeds its own self URL: a different base URL means a different document.
 */
export function createDocumentPreparation(options: PreparationOptions): (document: PublishedDocument, site: Site) => PreparedDocument {
  const known = new WeakMap<PublishedDocument, PreparedDocument>();
  const hubLink = options.hubUrl ? `, <${new URL(options.hubUrl).href}>; rel="hub"` : '';
  return (document, site) => {
    let prepared = known.get(document);
    if (!prepared) {
      // Feeds carry a Link to themselves (and to the hub) so a reader can subscribe to the URL it fetched.
      const link = isFeed(document.path) ? `<${new URL(document.path, `${site.baseUrl}/`).href}>; rel="self"${hubLink}` : undefined;
      prepared = prepareDocument(document, link, options.cacheControl);
      known.set(document, prepared);
    }
    return prepared;
  };
}

/** The answer when the client refuses every coding on offer; the same for every document. */
export const NOT_ACCEPTABLE: DocumentResponse = freeze({
  status: 406,
  headers: [...COMMON, 'Cache-Control', NO_STORE, 'Content-Type', PLAIN_TEXT, 'Content-Length', String(NOT_ACCEPTABLE_BODY.length)],
  body: NOT_ACCEPTABLE_BODY,
});

/**
 * Decides the answer to a GET or HEAD for one published document: the pre-compressed bytes the
 * client accepts, then 304 or the full response. Pure apart from `now` (needed only for
 * two-digit years in If-Modified-Since), and it builds no response: it hands out one of those
 * prepared for the document, so a request costs no header strings or arrays.
 */
export function decideDocumentResponse(prepared: PreparedDocument, headers: DocumentRequestHeaders, now: () => number): DocumentResponse {
  const coding = negotiateEncoding(headers['accept-encoding']);
  if (coding === undefined) return NOT_ACCEPTABLE;
  const responses = prepared[coding];
  return isNotModified(headers['if-none-match'], headers['if-modified-since'], responses.validators, now) ? responses.notModified : responses.full;
}

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
export function serveDocument(ctx: Context, prepared: PreparedDocument, options: DocumentResponseOptions): void {
  const response = decideDocumentResponse(prepared, ctx.req.headers, options.clock);
  if (response.status !== 406) options.metrics.recordDocument(response.status === 304);
  ctx.status = response.status;
  const { headers } = response;
  for (let index = 0; index < headers.length; index += 2) ctx.set(headers[index] as string, headers[index + 1] as string);
  if (response.body) ctx.body = response.body;
}
