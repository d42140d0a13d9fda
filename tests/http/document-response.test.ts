import { describe, expect, it } from 'vitest';
import { createServingCaches } from '../../src/http/answers.ts';
import { decideDocumentResponse, NOT_ACCEPTABLE } from '../../src/http/document-response.ts';
import { makeSnapshot } from './fixture-snapshot.ts';

const snapshot = makeSnapshot();
const caches = createServingCaches({ cacheMaxAgeSeconds: 300, hubUrl: 'https://hub.example.net/' });
const now = (): number => Date.UTC(2026, 10, 24);
const feed = snapshot.documents.get('category/world/rss.xml');
if (!feed) throw new Error('fixture has no category/world/rss.xml');
const prepared = caches.preparedOf(feed, snapshot.site);
const gzipTag = `${feed.etag.slice(0, -1)}-gzip"`;

describe('decideDocumentResponse', () => {
  it('lists every header of a 200 in the order sent, the body\'s own last', () => {
    const response = decideDocumentResponse(prepared, { 'accept-encoding': 'gzip' }, now);
    expect(response.status).toBe(200);
    expect(response.body).toBe(feed.gzip);
    expect(response.headers).toEqual([
      'X-Content-Type-Options', 'nosniff',
      'Vary', 'Accept-Encoding',
      'ETag', gzipTag,
      'Last-Modified', 'Fri, 20 Nov 2026 09:30:00 GMT',
      'Cache-Control', 'public, max-age=300',
      'Link', '<https://news.example.com/category/world/rss.xml>; rel="self", <https://hub.example.net/>; rel="hub"',
      'Content-Type', 'application/rss+xml; charset=utf-8',
      'Content-Encoding', 'gzip',
      'Content-Length', String(feed.gzip.length),
    ]);
  });

  it('repeats on a 304 what the 200 says about validators and caching, and nothing about a body', () => {
    const full = decideDocumentResponse(prepared, { 'accept-encoding': 'gzip' }, now);
    const notModified = decideDocumentResponse(prepared, { 'accept-encoding': 'gzip', 'if-none-match': gzipTag }, now);
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    expect(notModified.headers).toEqual(full.headers.slice(0, 12));
  });

  it('sends identity without Content-Encoding, and br with its own tag', () => {
    const identity = decideDocumentResponse(prepared, {}, now);
    expect(identity.body).toBe(feed.body);
    expect(identity.headers).not.toContain('Content-Encoding');
    expect(identity.headers.slice(4, 6)).toEqual(['ETag', feed.etag]);
    const br = decideDocumentResponse(prepared, { 'accept-encoding': 'br, gzip' }, now);
    expect(br.body).toBe(feed.brotli);
    expect(br.headers.slice(4, 6)).toEqual(['ETag', `${feed.etag.slice(0, -1)}-br"`]);
  });

  it('answers 406 with a plain, uncacheable note that still varies with Accept-Encoding', () => {
    const response = decideDocumentResponse(prepared, { 'accept-encoding': 'identity;q=0', 'if-none-match': '*' }, now);
    expect(response).toBe(NOT_ACCEPTABLE);
    expect(response.headers).toEqual([
      'X-Content-Type-Options', 'nosniff',
      'Vary', 'Accept-Encoding',
      'Cache-Control', 'no-store',
      'Content-Type', 'text/plain; charset=utf-8',
      'Content-Length', String(response.body?.length),
    ]);
  });

  it('hands out one prepared, frozen answer per outcome rather than building one per request', () => {
    const first = decideDocumentResponse(prepared, { 'accept-encoding': 'gzip', 'if-modified-since': 'Sat, 21 Nov 2026 00:00:00 GMT' }, now);
    const second = decideDocumentResponse(prepared, { 'accept-encoding': 'x-gzip', 'if-none-match': `W/${gzipTag}` }, now);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.headers)).toBe(true);
    expect(caches.preparedOf(feed, snapshot.site)).toBe(prepared);
  });
});
