import { afterEach, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/domain/problem.ts';
import { HEALTH_PAGE_SIZE } from '../../src/http/health.ts';
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

    server.setSnapshot(makeSnapshot({ build: { rejectedArticles: [] } }));
    const after = await health(server.port);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('ok');
    expect(after.body.reason).toBeUndefined();
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
    // A failed document that still serves its previous version keeps the service ready, but not "ok".
    expect(status).toBe(200);
    expect(body).toEqual({
      nextBuildAt: '2026-11-24T10:05:00.000Z',
      status: 'degraded',
      reason:
        '1 document(s) failed validation; their previous versions stay published. 1 problem(s) writing the output folder. 1 article problem(s): those articles are not published as written.',
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
      problems: { total: 3, failedDocuments: 1, outputProblems: 1, rejectedArticles: 1, warnings: 0, listed: 3 },
      rejectedArticles: [{ subject: 'broken.md', field: 'published', message: 'published is not a date' }],
      failedDocuments: [{ subject: 'category/world/atom.xml', field: 'entry', message: 'entry has no id' }],
      outputProblems: [{ subject: 'rss.xml', message: 'disk full' }],
      warnings: [],
    });
  });

  it('lists warnings (budget drops, lint findings) after the problems, counted, without making the service degraded', async () => {
    const warnings = [
      { subject: 'rss.xml', field: 'FEED_BYTE_BUDGET', message: '3 of 50 item(s) left out' },
      { subject: 'world/x.md', field: 'lint:title-length', message: 'the title is 5 characters' },
    ];
    server = await startTestServer(makeSnapshot({ build: { rejectedArticles: [], warnings } }));
    const { status, body } = await health(server.port);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.reason).toBeUndefined();
    expect(body.warnings).toEqual(warnings);
    expect(body.problems).toMatchObject({ warnings: 2, rejectedArticles: 0 });
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

describe('/healthz with many problems', () => {
  const broken = (count: number, prefix: string): Problem[] =>
    Array.from({ length: count }, (_, i) => ({ subject: `content/${prefix}-${i}.md`, field: 'published', message: `published "yesterday" is not an ISO 8601 date with offset (${i})` }));

  it('stays small: counts every problem by kind, lists the first page and pages the rest', async () => {
    const rejectedArticles = broken(15_000, 'broken');
    const failedDocuments = broken(3, 'failed');
    server = await startTestServer(makeSnapshot({ build: { rejectedArticles, failedDocuments } }));
    const response = await rawRequest(server.port, '/healthz');
    expect(response.body.length).toBeLessThan(64 * 1024);
    const body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
    expect(body.status).toBe('degraded');
    expect(body.problems).toEqual({ total: 15_003, failedDocuments: 3, outputProblems: 0, rejectedArticles: 15_000, warnings: 0, listed: HEALTH_PAGE_SIZE, pages: 151, all: '/healthz?page=1 to /healthz?page=151' });
    expect(body.failedDocuments).toHaveLength(3);
    expect(body.rejectedArticles).toHaveLength(HEALTH_PAGE_SIZE - 3);

    const seen: string[] = [];
    for (let page = 1; page <= 151; page += 1) {
      const listing = JSON.parse((await rawRequest(server.port, `/healthz?page=${page}`)).body.toString('utf8')) as { problems: { kind: string; subject: string }[] };
      expect(listing.problems.length).toBeLessThanOrEqual(HEALTH_PAGE_SIZE);
      seen.push(...listing.problems.map((problem) => `${problem.kind}:${problem.subject}`));
    }
    expect(seen).toEqual([...failedDocuments.map((p) => `failedDocuments:${p.subject}`), ...rejectedArticles.map((p) => `rejectedArticles:${p.subject}`)]);
    const beyond = JSON.parse((await rawRequest(server.port, '/healthz?page=152')).body.toString('utf8')) as { problems: unknown[] };
    expect(beyond.problems).toEqual([]);
    expect((await rawRequest(server.port, '/healthz?page=two')).status).toBe(400);
  }, 60_000);

  it('derives the problem lists once per snapshot, not on every poll', async () => {
    const snapshot = makeSnapshot({ build: { rejectedArticles: [] } });
    let reads = 0;
    const list = broken(500, 'broken');
    Object.defineProperty(snapshot.build, 'rejectedArticles', {
      get: () => {
        reads += 1;
        return list;
      },
    });
    server = await startTestServer(snapshot);
    expect((await rawRequest(server.port, '/healthz')).status).toBe(200);
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    for (let poll = 0; poll < 20; poll += 1) expect((await rawRequest(server.port, '/healthz')).status).toBe(200);
    expect(reads).toBe(afterFirst);
  });

  it.each([
    ['a rejected article', { build: { rejectedArticles: broken(1, 'broken') } }, undefined],
    ['a failed document', { build: { rejectedArticles: [], failedDocuments: broken(1, 'failed') } }, undefined],
    ['an output problem', { build: { rejectedArticles: [], outputProblems: broken(1, 'output') } }, undefined],
    ['a failed last build', { build: { rejectedArticles: [] } }, { at: '2026-11-24T10:00:00.000Z', message: 'store: cannot list content' }],
  ])('never says "ok" with %s', async (_what, fixture, lastBuildError) => {
    server = await startTestServer(makeSnapshot(fixture), { status: () => ({ lastBuildError: lastBuildError ?? null }) });
    const { status, body } = await health(server.port);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(String(body.reason)).not.toBe('');
  });

  it('never says "ok" while a store folder cannot be watched', async () => {
    const unwatched = [{ subject: 'content/deep/…', field: 'watch', message: 'the path is longer than the system accepts: move it or shorten the folder names' }];
    server = await startTestServer(makeSnapshot({ build: { rejectedArticles: [] } }), { status: () => ({ lastBuildError: null, watchProblems: unwatched }) });
    const { body } = await health(server.port);
    expect(body.status).toBe('degraded');
    expect(String(body.reason)).toMatch(/cannot be watched/);
    expect(body.watchProblems).toEqual(unwatched);
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
