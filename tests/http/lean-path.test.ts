import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServingCaches } from '../../src/http/answers.ts';
import { createSnapshotHits } from '../../src/http/lean-path.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import type { HttpMetrics } from '../../src/http/metrics.ts';
import { createRequestHandler } from '../../src/http/request-handler.ts';
import { ROUTES } from '../../src/http/routing.ts';
import { FEED_MEDIA_TYPES } from '../../src/domain/documents.ts';
import { publishDocument } from '../../src/publication/publish-document.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { CONTENT_DATE, makeSite, makeSnapshot } from './fixture-snapshot.ts';
import type { RawResponse, TestServer } from './test-server.ts';
import { MAX_AGE, NOW, rawRequest, startTestServer } from './test-server.ts';

const snapshot = makeSnapshot();
const LAST_MODIFIED = 'Fri, 20 Nov 2026 09:30:00 GMT';

/** Every canonical URL of a document the fixture holds in its documents (article pages are rendered on demand). */
const CANONICAL_HITS: readonly [url: string, path: string][] = [
  ['/', 'index.html'],
  ['/rss.xml', 'rss.xml'],
  ['/atom.xml', 'atom.xml'],
  ['/feed.json', 'feed.json'],
  ['/feeds.opml', 'feeds.opml'],
  ['/category/world/', 'category/world/index.html'],
  ['/category/world/rss.xml', 'category/world/rss.xml'],
  ['/category/world/atom.xml', 'category/world/atom.xml'],
  ['/category/world/feed.json', 'category/world/feed.json'],
  ['/category/science-tech/', 'category/science-tech/index.html'],
  ['/category/science-tech/rss.xml', 'category/science-tech/rss.xml'],
  ['/category/science-tech/atom.xml', 'category/science-tech/atom.xml'],
  ['/category/science-tech/feed.json', 'category/science-tech/feed.json'],
];

interface Probe {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

function etagOf(path: string, coding: 'identity' | 'gzip' | 'br'): string {
  const etag = snapshot.documents.get(path)?.etag ?? '';
  return coding === 'identity' ? etag : `${etag.slice(0, -1)}-${coding}"`;
}

/** For each canonical URL: every coding, HEAD, each validator form of a 304, validators that miss, and a 406. */
function probesFor(url: string, path: string): Probe[] {
  const gzipTag = etagOf(path, 'gzip');
  return [
    { url },
    { url, headers: { 'accept-encoding': 'gzip' } },
    { url, headers: { 'accept-encoding': 'br' } },
    { url, headers: { 'accept-encoding': 'gzip, deflate, br' } },
    { url, method: 'HEAD' },
    { url, method: 'HEAD', headers: { 'accept-encoding': 'br' } },
    { url, headers: { 'if-none-match': etagOf(path, 'identity') } },
    { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': gzipTag } },
    { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': `W/${gzipTag}` } },
    { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': `"stale", ${gzipTag}` } },
    { url, headers: { 'accept-encoding': 'br', 'if-none-match': '*' } },
    { url, headers: { 'accept-encoding': 'gzip', 'if-modified-since': LAST_MODIFIED } },
    { url, headers: { 'if-modified-since': 'Sat, 21 Nov 2026 00:00:00 GMT' } },
    { url, headers: { 'if-modified-since': 'Saturday, 21-Nov-26 00:00:00 GMT' } },
    { url, method: 'HEAD', headers: { 'accept-encoding': 'br', 'if-none-match': etagOf(path, 'br') } },
    { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': etagOf(path, 'identity') } },
    { url, headers: { 'if-none-match': '"stale"', 'if-modified-since': LAST_MODIFIED } },
    { url, headers: { 'if-modified-since': 'Fri, 20 Nov 2026 09:29:59 GMT' } },
    { url, headers: { 'accept-encoding': 'identity;q=0' } },
    { url, method: 'HEAD', headers: { 'accept-encoding': '*;q=0' } },
  ];
}

/** Requests the lean path must leave to the app; they are compared too, to show it leaves them untouched. */
const FALL_THROUGH: readonly Probe[] = [
  { url: '/rss.xml?utm_source=reader' },
  { url: '/RSS.xml' },
  { url: '/rss.xml/' },
  { url: '/r%73s.xml' },
  { url: '/category/World/rss.xml' },
  { url: '/category/world' },
  { url: '/category/world/index.html' },
  { url: '/category/sport/rss.xml' },
  { url: 'http://news.example.com/rss.xml' },
  { url: '/rss.xml', method: 'POST' },
  { url: '/rss.xml', method: 'OPTIONS' },
  { url: '/articles/volcano-erupts', headers: { 'accept-encoding': 'gzip' } },
  { url: '/healthz' },
  { url: '/nope' },
  { url: '/../rss.xml' },
];

/** What Node adds to every response by itself, the same whoever wrote the rest. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

/** The headers as sent, names in their case and order, less Node's own. */
function sentHeaders(response: RawResponse): string[][] {
  const pairs: string[][] = [];
  for (let index = 0; index < response.rawHeaders.length; index += 2) {
    const name = response.rawHeaders[index] ?? '';
    if (!TRANSPORT_HEADERS.has(name.toLowerCase())) pairs.push([name, response.rawHeaders[index + 1] ?? '']);
  }
  return pairs;
}

async function leanResponses(metrics: HttpMetrics): Promise<number> {
  const metric = metrics.registry.getSingleMetric('wirefeed_http_lean_path_responses_total');
  return (await metric?.get())?.values[0]?.value ?? Number.NaN;
}

describe('the lean path and Koa answer alike', () => {
  let lean: TestServer;
  let koa: TestServer;
  beforeAll(async () => {
    lean = await startTestServer(snapshot, { hubUrl: 'https://hub.example.net/', leanPath: true });
    koa = await startTestServer(snapshot, { hubUrl: 'https://hub.example.net/', leanPath: false });
  });
  afterAll(async () => {
    await lean.close();
    await koa.close();
  });

  async function compare(probe: Probe): Promise<RawResponse> {
    const options = { method: probe.method ?? 'GET', headers: probe.headers ?? {} };
    const [fromLean, fromKoa] = await Promise.all([rawRequest(lean.port, probe.url, options), rawRequest(koa.port, probe.url, options)]);
    expect(fromLean.status).toBe(fromKoa.status);
    expect(sentHeaders(fromLean)).toEqual(sentHeaders(fromKoa));
    expect(fromLean.body.equals(fromKoa.body)).toBe(true);
    return fromLean;
  }

  it.each(CANONICAL_HITS)('for %s (%s): status, every header in order, and body bytes', async (url, path) => {
    const before = await leanResponses(lean.metrics);
    const statuses: number[] = [];
    for (const probe of probesFor(url, path)) statuses.push((await compare(probe)).status);
    // Not vacuous: both outcomes occur, and every 200 and 304 here was the lean path's own work.
    expect(statuses.filter((status) => status === 200)).toHaveLength(9);
    expect(statuses.filter((status) => status === 304)).toHaveLength(9);
    expect(statuses.filter((status) => status === 406)).toHaveLength(2);
    expect((await leanResponses(lean.metrics)) - before).toBe(18);
    expect(await leanResponses(koa.metrics)).toBe(0);
  });

  it('for every request it leaves to the app', async () => {
    const before = await leanResponses(lean.metrics);
    for (const probe of FALL_THROUGH) await compare(probe);
    expect(await leanResponses(lean.metrics)).toBe(before);
  });

  it('in the metrics, route labels and byte counts included', async () => {
    const scrape = async (server: TestServer): Promise<string[]> =>
      (await server.metrics.registry.getMetricsAsJSON())
        .filter((metric) => metric.name.startsWith('wirefeed_http_') && metric.name !== 'wirefeed_http_lean_path_responses_total')
        .map((metric) => JSON.stringify(metric));
    expect(await scrape(lean)).toEqual(await scrape(koa));
  });
});

describe('the lean path', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers canonical hits itself, and leaves the 503 before the first snapshot to the app', async () => {
    server = await startTestServer(undefined);
    const before = await rawRequest(server.port, '/rss.xml');
    expect(before.status).toBe(503);
    expect(before.headers['retry-after']).toBe('10');
    expect(await leanResponses(server.metrics)).toBe(0);

    server.setSnapshot(snapshot);
    const after = await rawRequest(server.port, '/category/world/atom.xml', { headers: { 'accept-encoding': 'gzip' } });
    expect(after.status).toBe(200);
    expect(after.body.equals(snapshot.documents.get('category/world/atom.xml')?.gzip ?? Buffer.alloc(0))).toBe(true);
    expect(after.headers['cache-control']).toBe(`public, max-age=${MAX_AGE}`);
    expect(await leanResponses(server.metrics)).toBe(1);
  });

  it('serves from the snapshot current at the request, finding the new hits after a swap', async () => {
    const extra = makeSnapshot({ version: 'v2', site: makeSite({ categories: [...makeSite().categories, { name: 'Sport', slug: 'sport', description: 'Games.' }] }) });
    server = await startTestServer(snapshot);
    expect((await rawRequest(server.port, '/category/sport/rss.xml')).status).toBe(404);
    server.setSnapshot(extra);
    const response = await rawRequest(server.port, '/category/sport/rss.xml');
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(extra.documents.get('category/sport/rss.xml')?.etag);
    expect(await leanResponses(server.metrics)).toBe(1);
  });

  it('only serves a category in the one spelling the router serves, when two slugs differ only in case', async () => {
    // The catalogue keeps one slug per lower-case form; the other is not served under its own URL by the router either.
    const twin = publishDocument('category/World/rss.xml', 'application/rss+xml; charset=utf-8', '<rss version="2.0"/>', CONTENT_DATE);
    const clashing = makeSnapshot({ extraDocuments: [twin] });
    const lean = await startTestServer(clashing);
    const koa = await startTestServer(clashing, { leanPath: false });
    try {
      for (const url of ['/category/world/rss.xml', '/category/World/rss.xml']) {
        const [fromLean, fromKoa] = await Promise.all([rawRequest(lean.port, url), rawRequest(koa.port, url)]);
        expect(fromLean.status).toBe(fromKoa.status);
        expect(sentHeaders(fromLean)).toEqual(sentHeaders(fromKoa));
        expect(fromLean.body.equals(fromKoa.body)).toBe(true);
      }
      expect(await leanResponses(lean.metrics)).toBe(1);
    } finally {
      await lean.close();
      await koa.close();
    }
  });

  it('leaves the request to the app when it fails before answering, and the app answers it', async () => {
    let reads = 0;
    server = await startTestServer(undefined, {
      getSnapshot: () => {
        reads += 1;
        if (reads === 1) throw new Error('snapshot store hiccup');
        return snapshot;
      },
    });
    const response = await rawRequest(server.port, '/rss.xml');
    expect(response.status).toBe(200);
    expect(response.body.equals(snapshot.documents.get('rss.xml')?.body ?? Buffer.alloc(0))).toBe(true);
    expect(server.logs.filter((line) => line.msg === 'lean path failed')).toHaveLength(1);
    expect(server.logs.filter((line) => line.msg === 'request failed')).toHaveLength(0);
    expect(await leanResponses(server.metrics)).toBe(0);
  });

  it('never throws into node:http: when the app fails too, the client gets the app\'s plain 500', async () => {
    server = await startTestServer(undefined, {
      getSnapshot: () => {
        throw new Error('no snapshot store at all');
      },
    });
    const response = await rawRequest(server.port, '/rss.xml', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.etag).toBeUndefined();
    expect(response.body.toString('utf8')).toBe('Internal server error.\n');
    expect((await rawRequest(server.port, '/healthz')).status).toBe(500);
  });

  it('keeps a header the server set before it, as a closing server\'s Connection: close', async () => {
    const metrics = createMetrics(() => NOW);
    const handler = createRequestHandler({ getSnapshot: () => snapshot, metrics, logger: pino({ level: 'silent' }), cacheMaxAgeSeconds: MAX_AGE, clock: () => NOW });
    const closing = createServer((request, response) => {
      response.setHeader('Connection', 'close');
      handler(request, response);
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    try {
      const response = await rawRequest((closing.address() as AddressInfo).port, '/rss.xml', { headers: { 'accept-encoding': 'br' } });
      expect(response.status).toBe(200);
      expect(response.headers.connection).toBe('close');
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.body.equals(snapshot.documents.get('rss.xml')?.brotli ?? Buffer.alloc(0))).toBe(true);
      expect(await leanResponses(metrics)).toBe(1);
    } finally {
      await new Promise((resolve) => closing.close(resolve));
    }
  });
});

describe('snapshot hits', () => {
  const caches = createServingCaches({ cacheMaxAgeSeconds: MAX_AGE });
  const hitsOf = createSnapshotHits(caches);

  it('are exactly the canonical URLs of the snapshot\'s feeds and pages, each with its route label', () => {
    const hits = hitsOf(snapshot);
    expect(Object.fromEntries([...hits].map(([target, hit]) => [target, hit.route]))).toEqual({
      '/': ROUTES.index.pattern,
      '/rss.xml': ROUTES.rss.pattern,
      '/atom.xml': ROUTES.atom.pattern,
      '/feed.json': ROUTES.json.pattern,
      '/feeds.opml': ROUTES.opml.pattern,
      '/category/world/': ROUTES.categoryPage.pattern,
      '/category/world/rss.xml': ROUTES.categoryRss.pattern,
      '/category/world/atom.xml': ROUTES.categoryAtom.pattern,
      '/category/world/feed.json': ROUTES.categoryJson.pattern,
      '/category/science-tech/': ROUTES.categoryPage.pattern,
      '/category/science-tech/rss.xml': ROUTES.categoryRss.pattern,
      '/category/science-tech/atom.xml': ROUTES.categoryAtom.pattern,
      '/category/science-tech/feed.json': ROUTES.categoryJson.pattern,
    });
    const feed = snapshot.documents.get('category/world/rss.xml');
    expect(feed).toBeDefined();
    if (feed) expect(hits.get('/category/world/rss.xml')?.prepared).toBe(caches.preparedOf(feed, snapshot.site));
    expect(hitsOf(snapshot)).toBe(hits);
  });

  it('leave out what the router would not serve under that exact target', () => {
    const odd = makeSnapshot({
      site: { ...snapshot.site, categories: [...snapshot.site.categories, { name: 'Café', slug: 'café', description: 'Needs encoding.' }] },
      omit: ['atom.xml'],
    });
    const targets = [...hitsOf(odd).keys()];
    expect(targets).not.toContain('/atom.xml');
    // A slug that has to be percent-encoded in a URL is left to the router, which decodes it.
    expect(targets.filter((target) => target.includes('caf'))).toEqual([]);
    expect(odd.documents.has('category/café/rss.xml')).toBe(true);
  });

  it('after a rebuild that replaced one document keep every other hit as it was, and look again once the paths change', () => {
    const first = makeSnapshot({ version: 'rebuilt-v1' });
    const replaced = publishDocument('category/world/rss.xml', FEED_MEDIA_TYPES.rss, '<rss version="2.0"><channel/></rss>', CONTENT_DATE);
    const second: Snapshot = Object.freeze({ ...first, documents: new Map([...first.documents, [replaced.path, replaced]]) });
    const before = hitsOf(first);
    const after = hitsOf(second);

    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [target, hit] of before) {
      if (target !== '/category/world/rss.xml') expect(after.get(target), target).toBe(hit);
    }
    expect(after.get('/category/world/rss.xml')?.prepared).toBe(caches.preparedOf(replaced, second.site));
    expect(caches.catalogOf(second)).toBe(caches.catalogOf(first));

    // A category whose documents are gone: its targets go too, and the catalogue is made afresh.
    const third: Snapshot = Object.freeze({ ...second, documents: new Map([...second.documents].filter(([path]) => !path.startsWith('category/world/'))) });
    expect([...hitsOf(third).keys()].filter((target) => target.startsWith('/category/world/'))).toEqual([]);
    expect(caches.catalogOf(third).categorySlugs.has('world')).toBe(false);
    const home = third.documents.get('rss.xml');
    expect(home && hitsOf(third).get('/rss.xml')?.prepared).toBe(home && caches.preparedOf(home, third.site));
  });
});
