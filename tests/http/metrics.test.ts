import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/http/metrics.ts';
import { makeSnapshot } from './fixture-snapshot.ts';
import type { TestServer } from './test-server.ts';
import { NOW, rawRequest, SERVING_MODES, startTestServer } from './test-server.ts';

/** The value of one series in Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(SERVING_MODES)('/metrics $mode', ({ leanPath }) => {
  const snapshot = makeSnapshot();
  let server: TestServer;
  let text: string;
  let response: Awaited<ReturnType<typeof rawRequest>>;
  let categoryFeedBytes = 0;

  beforeAll(async () => {
    server = await startTestServer(snapshot, { leanPath });
    server.metrics.recordBuild(snapshot.build);
    const etag = snapshot.documents.get('category/world/rss.xml')?.etag ?? '';
    const categoryFeedBodies = await Promise.all([
      rawRequest(server.port, '/category/world/rss.xml'),
      rawRequest(server.port, '/category/science-tech/rss.xml', { headers: { 'accept-encoding': 'gzip' } }),
      rawRequest(server.port, '/category/world/rss.xml', { headers: { 'if-none-match': etag } }),
      rawRequest(server.port, '/category/world/rss.xml', { method: 'HEAD' }),
      rawRequest(server.port, '/category/World/rss.xml'),
    ]);
    categoryFeedBytes = categoryFeedBodies.reduce((sum, each) => sum + each.body.length, 0);
    await rawRequest(server.port, '/some/random/path-1234');
    await rawRequest(server.port, '/other-random-5678');
    await rawRequest(server.port, '/%zz');
    await rawRequest(server.port, '/rss.xml', { method: 'POST' });
    await rawRequest(server.port, '/r%73s.xml');
    response = await rawRequest(server.port, '/metrics');
    text = response.body.toString('utf8');
  });
  afterAll(async () => {
    await server.close();
  });

  it('is Prometheus text that no cache keeps', () => {
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('counts requests by route pattern and status, never by raw path', () => {
    expect(sample(text, 'wirefeed_http_requests_total{route="/category/:slug/rss.xml",status="200"}')).toBe(3);
    expect(sample(text, 'wirefeed_http_requests_total{route="/category/:slug/rss.xml",status="304"}')).toBe(1);
    expect(sample(text, 'wirefeed_http_requests_total{route="/category/:slug/rss.xml",status="301"}')).toBe(1);
    expect(sample(text, 'wirefeed_http_requests_total{route="unmatched",status="404"}')).toBe(2);
    expect(sample(text, 'wirefeed_http_requests_total{route="invalid",status="400"}')).toBe(1);
    expect(sample(text, 'wirefeed_http_requests_total{route="/rss.xml",status="405"}')).toBe(1);
    // Answered by the fallback rather than the router, under the same label.
    expect(sample(text, 'wirefeed_http_requests_total{route="/rss.xml",status="200"}')).toBe(1);
    expect(text).not.toContain('random');
    expect(text).not.toContain('science-tech');
  });

  it('counts what the lean path answered: the canonical category feed requests, not the redirect or the percent-encoded spelling', () => {
    expect(sample(text, 'wirefeed_http_lean_path_responses_total')).toBe(leanPath ? 4 : 0);
  });

  it('counts the share answered 304 as a counter pair', () => {
    // The four category feed answers that are not redirects, and the percent-encoded /rss.xml.
    expect(sample(text, 'wirefeed_http_document_responses_total')).toBe(5);
    expect(sample(text, 'wirefeed_http_not_modified_responses_total')).toBe(1);
  });

  it('counts body bytes sent: none for HEAD or 304', () => {
    // Full bodies of the 200s (one of them gzip) and the 301's note; the HEAD and the 304 send none.
    expect(categoryFeedBytes).toBeGreaterThan(0);
    expect(sample(text, 'wirefeed_http_response_body_bytes_total{route="/category/:slug/rss.xml"}')).toBe(categoryFeedBytes);
  });

  it('reports the recorded build and the age of the snapshot at scrape time', () => {
    expect(sample(text, 'wirefeed_build_duration_seconds_count')).toBe(1);
    expect(sample(text, 'wirefeed_build_duration_seconds_sum')).toBe(1.5);
    expect(sample(text, 'wirefeed_build_validation_failures_total')).toBe(0);
    expect(sample(text, 'wirefeed_build_rejected_articles')).toBe(1);
    expect(sample(text, 'wirefeed_build_articles{state="public"}')).toBe(2);
    expect(sample(text, 'wirefeed_snapshot_age_seconds')).toBe((NOW - snapshot.build.finishedAt) / 1000);
  });
});

describe('createMetrics', () => {
  it('uses its own registry, so two instances coexist and the global one stays empty', async () => {
    const first = createMetrics(() => 0);
    const second = createMetrics(() => 0);
    first.recordResponse('/rss.xml', 200, 10);
    expect(await second.registry.getSingleMetricAsString('wirefeed_http_requests_total')).not.toContain('/rss.xml');
    expect(globalRegistry.getSingleMetric('wirefeed_http_requests_total')).toBeUndefined();
  });

  it('sums validation failures over builds', async () => {
    const metrics = createMetrics(() => 0);
    const failing = makeSnapshot({ build: { failedDocuments: [{ subject: 'rss.xml', message: 'bad' }, { subject: 'atom.xml', message: 'bad' }] } }).build;
    metrics.recordBuild(failing);
    metrics.recordBuild(failing);
    const text = await metrics.scrape(undefined);
    expect(sample(text, 'wirefeed_build_validation_failures_total')).toBe(4);
    expect(sample(text, 'wirefeed_build_failed_documents')).toBe(2);
    expect(sample(text, 'wirefeed_snapshot_age_seconds')).toBeNaN();
  });

  it('computes the snapshot age from the clock when scraped', async () => {
    let now = 1_000_000;
    const metrics = createMetrics(() => now);
    const snapshot = makeSnapshot({ build: { finishedAt: 1_000_000 } });
    expect(sample(await metrics.scrape(snapshot), 'wirefeed_snapshot_age_seconds')).toBe(0);
    now += 90_000;
    expect(sample(await metrics.scrape(snapshot), 'wirefeed_snapshot_age_seconds')).toBe(90);
  });
});
