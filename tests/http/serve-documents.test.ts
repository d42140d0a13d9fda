import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedDocument } from '../../src/publication/snapshot.ts';
import { HTML_TYPE, makeSnapshot, OPML_TYPE } from './fixture-snapshot.ts';
import type { RawResponse, TestServer } from './test-server.ts';
import { MAX_AGE, rawRequest, SERVING_MODES, startTestServer } from './test-server.ts';

const snapshot = makeSnapshot();
/** The fixture's content date is 09:30:00.750; an HTTP-date has whole seconds. */
const LAST_MODIFIED = 'Fri, 20 Nov 2026 09:30:00 GMT';

function documentAt(path: string): PublishedDocument {
  const document = path.startsWith('articles/') ? snapshot.articlePage(path.slice('articles/'.length)) : snapshot.documents.get(path);
  if (!document) throw new Error(`fixture has no ${path}`);
  return document;
}

/** What a 304 must repeat from the 200 (RFC 9110 §15.4.5), plus the header every response carries. */
const REPEATED_ON_304 = ['etag', 'last-modified', 'cache-control', 'vary', 'link', 'x-content-type-options'];

function pick(response: RawResponse, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, response.headers[name]]));
}

describe.each(SERVING_MODES)('documents $mode', ({ leanPath }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(snapshot, { hubUrl: 'https://hub.example.net/', leanPath });
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<RawResponse> => rawRequest(server.port, path, { headers });

  describe('every document route', () => {
    it.each([
      ['/rss.xml', 'rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feed.json', 'feed.json', 'application/feed+json; charset=utf-8'],
      ['/category/world/rss.xml', 'category/world/rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/category/world/atom.xml', 'category/world/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/category/science-tech/feed.json', 'category/science-tech/feed.json', 'application/feed+json; charset=utf-8'],
      ['/feeds.opml', 'feeds.opml', OPML_TYPE],
      ['/', 'index.html', HTML_TYPE],
      ['/category/world/', 'category/world/index.html', HTML_TYPE],
      ['/articles/volcano-erupts', 'articles/volcano-erupts', HTML_TYPE],
    ])('GET %s serves %s with its validators and caching headers', async (url, path, mediaType) => {
      const document = documentAt(path);
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(response.body.equals(document.body)).toBe(true);
      expect(response.headers['content-type']).toBe(mediaType);
      expect(response.headers['content-length']).toBe(String(document.body.length));
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers.etag).toBe(document.etag);
      expect(response.headers['last-modified']).toBe(path.startsWith('articles/') ? new Date(document.lastModified).toUTCString() : LAST_MODIFIED);
      expect(response.headers['cache-control']).toBe(`public, max-age=${MAX_AGE}`);
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it('names a feed\'s own URL and the hub in Link, and sends no Link with pages', async () => {
      expect((await get('/category/world/atom.xml')).headers.link).toBe(
        '<https://news.example.com/category/world/atom.xml>; rel="self", <https://hub.example.net/>; rel="hub"',
      );
      expect((await get('/feed.json')).headers.link).toBe('<https://news.example.com/feed.json>; rel="self", <https://hub.example.net/>; rel="hub"');
      expect((await get('/')).headers.link).toBeUndefined();
      expect((await get('/feeds.opml')).headers.link).toBeUndefined();
    });

    it('works through fetch as a reader would use it, decompressing to the same bytes', async () => {
      const response = await fetch(`${server.url}/rss.xml`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(documentAt('rss.xml').body)).toBe(true);
    });
  });

  describe('HEAD', () => {
    it.each(['/rss.xml', '/category/world/', '/articles/new-chip', '/healthz'])('answers %s like GET without a body', async (url) => {
      const full = await get(url, { 'accept-encoding': 'gzip' });
      const head = await rawRequest(server.port, url, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
      expect(head.status).toBe(full.status);
      expect(head.body.length).toBe(0);
      // Only Date may differ: the two responses can straddle a second.
      expect({ ...head.headers, date: undefined }).toEqual({ ...full.headers, date: undefined });
      expect(Number(head.headers['content-length'])).toBe(full.body.length);
    });
  });

  describe('compression negotiation', () => {
    const document = documentAt('category/world/rss.xml');

    it.each([
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip;q=0.9', 'gzip'],
      ['x-gzip', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      ['deflate', undefined],
      ['', undefined],
      ['*;q=0, identity;q=1', undefined],
    ])('Accept-Encoding %j is answered with Content-Encoding %s and the pre-compressed bytes', async (acceptEncoding, coding) => {
      const response = await get('/category/world/rss.xml', { 'accept-encoding': acceptEncoding });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe(coding);
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['content-length']).toBe(String(response.body.length));
      const stored = coding === 'br' ? document.brotli : coding === 'gzip' ? document.gzip : document.body;
      expect(response.body.equals(stored)).toBe(true);
      const decoded = coding === 'br' ? brotliDecompressSync(response.body) : coding === 'gzip' ? gunzipSync(response.body) : response.body;
      expect(decoded.equals(document.body)).toBe(true);
    });

    it('gives each coding its own strong ETag', async () => {
      const tags = await Promise.all(['identity', 'gzip', 'br'].map(async (coding) => (await get('/rss.xml', { 'accept-encoding': coding })).headers.etag));
      const identity = documentAt('rss.xml').etag;
      expect(tags).toEqual([identity, `${identity.slice(0, -1)}-gzip"`, `${identity.slice(0, -1)}-br"`]);
    });

    it('answers 406 when the client refuses every coding', async () => {
      const response = await get('/rss.xml', { 'accept-encoding': 'identity;q=0' });
      expect(response.status).toBe(406);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('conditional GET', () => {
    const etag = documentAt('rss.xml').etag;

    it.each([
      ['the exact ETag', { 'if-none-match': etag }],
      ['its weak form', { 'if-none-match': `W/${etag}` }],
      ['a list holding it', { 'if-none-match': `"stale", ${etag}, "older"` }],
      ['*', { 'if-none-match': '*' }],
      ['If-Modified-Since equal to Last-Modified', { 'if-modified-since': LAST_MODIFIED }],
      ['If-Modified-Since later than Last-Modified', { 'if-modified-since': 'Sat, 21 Nov 2026 00:00:00 GMT' }],
      ['a matching ETag with an older If-Modified-Since', { 'if-none-match': etag, 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' }],
    ])('answers 304 to %s', async (_label, headers) => {
      const response = await get('/rss.xml', headers);
      expect(response.status).toBe(304);
      expect(response.body.length).toBe(0);
    });

    it.each([
      ['another ETag', { 'if-none-match': '"stale"' }],
      ['an older If-Modified-Since', { 'if-modified-since': 'Fri, 20 Nov 2026 09:29:59 GMT' }],
      ['a non-matching ETag even with a later If-Modified-Since', { 'if-none-match': '"stale"', 'if-modified-since': 'Sat, 21 Nov 2026 00:00:00 GMT' }],
      ['the identity ETag when the response would be gzip', { 'if-none-match': etag, 'accept-encoding': 'gzip' }],
      ['a malformed If-None-Match', { 'if-none-match': 'not a tag' }],
      ['a malformed If-Modified-Since', { 'if-modified-since': 'yesterday' }],
    ])('answers 200 to %s', async (_label, headers: Record<string, string>) => {
      const response = await get('/rss.xml', headers);
      expect(response.status).toBe(200);
      expect(response.body.equals(headers['accept-encoding'] ? documentAt('rss.xml').gzip : documentAt('rss.xml').body)).toBe(true);
    });

    it('lets an unusable If-None-Match fall back to If-Modified-Since', async () => {
      expect((await get('/rss.xml', { 'if-none-match': 'garbage', 'if-modified-since': LAST_MODIFIED })).status).toBe(304);
    });

    it.each([
      ['/category/world/feed.json', 'br'],
      ['/', 'gzip'],
      ['/feeds.opml', 'identity'],
    ])('repeats on a 304 for %s (%s) the headers the 200 carries, and nothing about a body', async (url, coding) => {
      const full = await get(url, { 'accept-encoding': coding });
      const notModified = await get(url, { 'accept-encoding': coding, 'if-none-match': String(full.headers.etag) });
      expect(notModified.status).toBe(304);
      expect(pick(notModified, REPEATED_ON_304)).toEqual(pick(full, REPEATED_ON_304));
      expect(full.headers.etag).toBeDefined();
      expect(notModified.headers['content-type']).toBeUndefined();
      expect(notModified.headers['content-encoding']).toBeUndefined();
      expect(notModified.headers['content-length']).toBeUndefined();
      expect(notModified.body.length).toBe(0);
    });
  });
});
