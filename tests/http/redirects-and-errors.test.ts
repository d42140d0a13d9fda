import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnapshot } from './fixture-snapshot.ts';
import type { TestServer } from './test-server.ts';
import { MAX_AGE, rawRequest, SERVING_MODES, startTestServer } from './test-server.ts';

const snapshot = makeSnapshot();
describe.each(SERVING_MODES)('requests the router answers, $mode', ({ leanPath }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(snapshot, { leanPath });
  });
  afterAll(async () => {
    await server.close();
  });

  describe('canonical URLs', () => {
    it.each([
      ['/category/World/rss.xml', 'https://news.example.com/category/world/rss.xml'],
      ['/category/WORLD/', 'https://news.example.com/category/world/'],
      ['/category/world', 'https://news.example.com/category/world/'],
      ['/Category/Science-Tech', 'https://news.example.com/category/science-tech/'],
      ['/category/world/index.html', 'https://news.example.com/category/world/'],
      ['/category/world/rss.xml/', 'https://news.example.com/category/world/rss.xml'],
      ['/category/world/ATOM.xml', 'https://news.example.com/category/world/atom.xml'],
      ['/rss.xml/', 'https://news.example.com/rss.xml'],
      ['/Feed.json', 'https://news.example.com/feed.json'],
      ['/feeds.opml/', 'https://news.example.com/feeds.opml'],
      ['/index.html', 'https://news.example.com/'],
      ['/articles/volcano-erupts/', 'https://news.example.com/articles/volcano-erupts'],
      ['/articles/Volcano-Erupts', 'https://news.example.com/articles/volcano-erupts'],
      ['/category/world?utm_source=reader', 'https://news.example.com/category/world/?utm_source=reader'],
    ])('%s redirects permanently to %s', async (path, location) => {
      const response = await rawRequest(server.port, path);
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe(location);
      expect(response.headers['cache-control']).toBe(`public, max-age=${MAX_AGE}`);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it.each([
      ['/r%73s.xml', 'rss.xml'],
      ['/category/w%6Frld/atom.xml', 'category/world/atom.xml'],
      ['/category/world/%61tom.xml', 'category/world/atom.xml'],
    ])('serves %s, a percent-encoded spelling of a canonical URL, like the URL itself', async (path, document) => {
      const response = await rawRequest(server.port, path);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe(snapshot.documents.get(document)?.etag);
    });

    it('redirects HEAD the same way', async () => {
      const response = await rawRequest(server.port, '/category/World/rss.xml', { method: 'HEAD' });
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe('https://news.example.com/category/world/rss.xml');
    });
  });

  describe('not found', () => {
    it.each(['/nope', '/category/sport/rss.xml', '/category/Sport/', '/category/world/nope.xml', '/articles/no-such-story', '/category/', '/robots.txt'])(
      '%s answers 404 naming the categories and their feed URLs',
      async (path) => {
        const response = await rawRequest(server.port, path);
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        const text = response.body.toString('utf8');
        for (const expected of [
          'World',
          'Science & Tech',
          'https://news.example.com/rss.xml',
          'https://news.example.com/category/world/rss.xml',
          'https://news.example.com/category/world/atom.xml',
          'https://news.example.com/category/world/feed.json',
          'https://news.example.com/category/science-tech/feed.json',
          'https://news.example.com/feeds.opml',
        ]) {
          expect(text).toContain(expected);
        }
      },
    );

    it('does not echo the requested path', async () => {
      const response = await rawRequest(server.port, '/%3Cscript%3Ealert(1)%3C/script%3E');
      expect(response.status).toBe(404);
      expect(response.body.toString('utf8')).not.toContain('script');
    });
  });

  describe('methods', () => {
    it.each([
      ['POST', '/rss.xml'],
      ['PUT', '/category/world/atom.xml'],
      ['DELETE', '/articles/volcano-erupts'],
      ['PATCH', '/'],
      ['OPTIONS', '/feeds.opml'],
      ['POST', '/healthz'],
      ['POST', '/metrics'],
    ])('%s %s answers 405 with Allow: GET, HEAD', async (method, path) => {
      const response = await rawRequest(server.port, path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it.each([
      ['POST', '/RSS.xml'],
      ['DELETE', '/category/World/'],
      ['PUT', '/articles/volcano-erupts/'],
    ])('%s %s, another spelling of a route, also answers 405', async (method, path) => {
      const response = await rawRequest(server.port, path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    });

    it('answers 404, not 405, for an unknown path', async () => {
      expect((await rawRequest(server.port, '/nope', { method: 'POST' })).status).toBe(404);
    });
  });

  describe('hostile and malformed URLs', () => {
    it.each([
      '/../etc/passwd',
      '/category/../../etc/passwd',
      '/category/%2e%2e/%2e%2e/etc/passwd',
      '/category/%2E%2E/rss.xml',
      '/articles/..%2f..%2fetc%2fpasswd',
      '/category/world%2frss.xml',
      '/category/world%5c..%5crss.xml',
      '/rss.xml%00',
      '/articles/a%00b',
      '/%',
      '/category/%zz/rss.xml',
      '/articles/%e0%a4%a',
      `/category/${'a'.repeat(3000)}/rss.xml`,
      `/rss.xml?${'q'.repeat(3000)}`,
    ])('%s answers 4xx with no file behind it', async (path) => {
      const response = await rawRequest(server.port, path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body.toString('utf8')).not.toMatch(/root:|<rss|<\?xml/);
    });

    it('answers 400 to a target with a fragment, which Koa alone would quietly drop', async () => {
      const response = await rawRequest(server.port, '/rss.xml#top');
      expect(response.status).toBe(400);
      expect(response.body.toString('utf8')).not.toContain('<rss');
    });

    it('serves the absolute form a proxy sends, and refuses one whose path two parsers read differently', async () => {
      expect((await rawRequest(server.port, 'http://news.example.com/rss.xml')).status).toBe(200);
      // WHATWG URL drops the encoded dot segment, Koa keeps it: the router must not route a path that was not checked.
      expect((await rawRequest(server.port, 'http://news.example.com/category/%2e%2e/rss.xml')).status).toBe(400);
    });

    it('answers an over-long URL with 414 and malformed encoding with 400', async () => {
      expect((await rawRequest(server.port, `/${'a'.repeat(2049)}`)).status).toBe(414);
      expect((await rawRequest(server.port, '/%zz')).status).toBe(400);
    });
  });

  describe('errors', () => {
    it('answers a plain 500 without a stack trace, logs the error, and keeps serving', async () => {
      const failing = makeSnapshot({
        articlePage: () => {
          throw new Error('renderer exploded at /secret/path.ts:12');
        },
      });
      const broken = await startTestServer(failing, { leanPath });
      try {
        const response = await rawRequest(broken.port, '/articles/volcano-erupts', { headers: { 'accept-encoding': 'gzip' } });
        expect(response.status).toBe(500);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers.etag).toBeUndefined();
        expect(response.headers.vary).toBeUndefined();
        const text = response.body.toString('utf8');
        expect(text).not.toContain('exploded');
        expect(text).not.toMatch(/\bat \S+:\d+/);
        const logged = broken.logs.filter((line) => line.msg === 'request failed');
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ level: 50, route: '/articles/:slug', err: { message: 'renderer exploded at /secret/path.ts:12' } });
        expect((await rawRequest(broken.port, '/rss.xml')).status).toBe(200);
      } finally {
        await broken.close();
      }
    });

    it('writes no log line for successful requests', async () => {
      const quiet = await startTestServer(makeSnapshot(), { leanPath });
      try {
        for (const path of ['/rss.xml', '/', '/nope', '/category/World/', '/healthz', '/metrics']) await rawRequest(quiet.port, path);
        expect(quiet.logs).toEqual([]);
      } finally {
        await quiet.close();
      }
    });
  });
});
