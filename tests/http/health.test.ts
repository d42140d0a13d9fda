import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_FINISHED, makeSnapshot } from './fixture-snapshot.ts';
import type { TestServer } from './test-server.ts';
import { NOW, rawRequest, startTestServer } from './test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function health(port: number): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  const response = await rawRequest(port, '/healthz');
  return { status: response.status, headers: response.headers, body: JSON.parse(response.body.toString('utf8')) as Record<string, unknown> };
}

describe('/healthz', () => {
  it('answers 503 before the first snapshot and says why, then 200 once one is published', async () => {
    server = await startTestServer(undefined, { status: () => ({ schedule: { nextBuildAt: 1 } }) });
    const before = await health(server.port);
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({ status: 'starting', schedule: { nextBuildAt: 1 } });
    expect(String(before.body.reason)).toMatch(/first build/);
    expect(before.headers['cache-control']).toBe('no-store');
    expect(before.headers['content-type']).toBe('application/json; charset=utf-8');

    server.setSnapshot(makeSnapshot());
    const after = await health(server.port);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('ok');
    expect(after.headers['cache-control']).toBe('no-store');
  });

  it('reports the last build, counts, problems and the scheduler\'s fields', async () => {
    const snapshot = makeSnapshot({
      build: {
        failedDocuments: [{ subject: 'category/world/atom.xml', field: 'entry', message: 'entry has no id' }],
        outputProblems: [{ subject: 'rss.xml', message: 'disk full' }],
      },
    });
    server = await startTestServer(snapshot, { status: () => ({ nextBuildAt: '2026-11-24T10:05:00.000Z', status: 'overridden?' }) });
    const { status, body } = await health(server.port);
    // A failed document that still serves its previous version does not make the service unhealthy.
    expect(status).toBe(200);
    expect(body).toEqual({
      nextBuildAt: '2026-11-24T10:05:00.000Z',
      status: 'ok',
      time: new Date(NOW).toISOString(),
      lastBuild: {
        startedAt: new Date(BUILD_FINISHED - 1500).toISOString(),
        finishedAt: new Date(BUILD_FINISHED).toISOString(),
        durationMs: 1500,
        restoredFromDisk: false,
      },
      snapshotAgeSeconds: 120,
      articles: { loaded: 3, public: 2 },
      feeds: { count: 9, missing: [] },
      documents: snapshot.documents.size,
      rejectedArticles: [{ subject: 'broken.md', field: 'published', message: 'published is not a date' }],
      failedDocuments: [{ subject: 'category/world/atom.xml', field: 'entry', message: 'entry has no id' }],
      outputProblems: [{ subject: 'rss.xml', message: 'disk full' }],
    });
  });

  it('answers 503 while a declared feed is not served at all, naming it', async () => {
    server = await startTestServer(makeSnapshot({ omit: ['category/world/atom.xml'] }));
    const { status, body } = await health(server.port);
    expect(status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.feeds).toEqual({ count: 8, missing: ['category/world/atom.xml'] });
  });

  it('still answers when the status callback throws, and logs it', async () => {
    server = await startTestServer(makeSnapshot(), {
      status: () => {
        throw new Error('scheduler gone');
      },
    });
    const { status, body } = await health(server.port);
    expect(status).toBe(200);
    expect(body.statusError).toBeTruthy();
    expect(server.logs.some((line) => line.level === 50)).toBe(true);
  });
});

describe('before the first snapshot', () => {
  it.each(['/rss.xml', '/category/world/atom.xml', '/', '/feeds.opml', '/articles/volcano-erupts', '/category/World/'])(
    '%s answers 503 with Retry-After',
    async (path) => {
      server = await startTestServer(undefined);
      const response = await rawRequest(server.port, path);
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('answers 503 for articles of a snapshot restored from disk, which has none yet', async () => {
    server = await startTestServer(makeSnapshot({ articles: [], build: { restoredFromDisk: true } }));
    const response = await rawRequest(server.port, '/articles/volcano-erupts');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect((await rawRequest(server.port, '/rss.xml')).status).toBe(200);
  });
});
