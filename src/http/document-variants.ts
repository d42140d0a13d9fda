import { FEED_FILE_NAMES } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { CodedResponses } from './decide-document-response.ts';
import { prepareDocumentResponses } from './decide-document-response.ts';
import type { ContentCoding } from './negotiate-encoding.ts';

export interface Representation {
  readonly body: Buffer;
  readonly etag: string;
  /** The Content-Encoding value; undefined for identity. */
  readonly contentEncoding: string | undefined;
}

/** Everything a response for one document needs that does not depend on the request, computed once. */
export interface DocumentVariants {
  readonly document: PublishedDocument;
  readonly representations: Readonly<Record<ContentCoding, Representation>>;
  /** Last-Modified as an HTTP-date. */
  readonly lastModified: string;
  readonly lastModifiedSeconds: number;
  /** The Link value for feeds (self, and hub when configured); undefined for other documents. */
  readonly link: string | undefined;
  /** The finished answers, headers and all, that decideDocumentResponse chooses from. */
  readonly responses: Readonly<Record<ContentCoding, CodedResponses>>;
}

export interface VariantOptions {
  /** WebSub hub announced in feeds' Link header, when there is one. */
  readonly hubUrl?: string | undefined;
  /** The Cache-Control value for documents, the same for the whole app. */
  readonly cacheControl: string;
}

const FEED_FILES = Object.values(FEED_FILE_NAMES);

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
 * Returns a function from a document to its precomputed variants, remembered per document object.
 * The cache is weak, so a document dropped by a rebuild is collected with its entry, and it lives
 * in the app that creates it rather than in the module. Keying on the document alone is sound
 * because a feed embeds its own self URL: a different base URL means a different document.
 */
export function createDocumentVariants(options: VariantOptions): (document: PublishedDocument, site: Site) => DocumentVariants {
  const known = new WeakMap<PublishedDocument, DocumentVariants>();
  const hubLink = options.hubUrl ? `, <${new URL(options.hubUrl).href}>; rel="hub"` : '';
  return (document, site) => {
    const cached = known.get(document);
    if (cached) return cached;
    const selfUrl = new URL(document.path, `${site.baseUrl}/`).href;
    const representations: Record<ContentCoding, Representation> = Object.freeze({
      identity: Object.freeze({ body: document.body, etag: document.etag, contentEncoding: undefined }),
      gzip: Object.freeze({ body: document.gzip, etag: codedEtag(document.etag, 'gzip'), contentEncoding: 'gzip' }),
      br: Object.freeze({ body: document.brotli, etag: codedEtag(document.etag, 'br'), contentEncoding: 'br' }),
    });
    const lastModified = new Date(document.lastModified).toUTCString();
    const lastModifiedSeconds = Math.floor(document.lastModified / 1000);
    const link = isFeed(document.path) ? `<${selfUrl}>; rel="self"${hubLink}` : undefined;
    const variants: DocumentVariants = Object.freeze({
      document,
      representations,
      lastModified,
      lastModifiedSeconds,
      link,
      responses: prepareDocumentResponses({
        mediaType: document.mediaType,
        representations,
        lastModified,
        lastModifiedSeconds,
        link,
        cacheControl: options.cacheControl,
      }),
    });
    known.set(document, variants);
    return variants;
  };
}
