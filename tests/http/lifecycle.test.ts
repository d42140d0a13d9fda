import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { publishDocument } from '../../src/publication/publish-document.ts';
import type { PublishedDocument, Snapshot } from '../../src/publication/snapshot.ts';
import { makeSnapshot } from './fixture-snapshot.ts';
import type { TestServer } from './test-server.ts';
import { rawRequest, SERVING_MODES, startTestServer } from './test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A feed big enough (16 MB) that the socket cannot take it in one go, so its response stays in flight. */
function bigFeed(version: string): PublishedDocument {
  const line = Array.from({ length: 100 }, (_, index) => `<item><title>${version} item ${index}</title></item>`).join('\n');
  return publishDocument('rss.xml', 'application/rss+xml; charset=utf-8', line.repeat(Math.ceil(16_000_000 / line.length)), Date.UTC(2026, 10, 20));
}

/** Starts a GET and resolves with the response as soon as its headers arrive, its body paused and unread. */
function startGet(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.pause();
      resolve(response);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function readAll(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
    response.resume();
  });
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(SERVING_MODES)('$mode', ({ leanPath }) => {
  describe('snapshot swaps', () => {
    it('reads the snapshot once per request, so each answer comes whole from one version', async () => {
      const versions = [makeSnapshot({ version: 'A' }), makeSnapshot({ version: 'B' })];
      let reads = 0;
      // The worst case for a handler that read twice: the snapshot changes after every single read.
      const alternating = (): Snapshot => versions[reads++ % 2] as Snapshot;
      server = await startTestServer(undefined, { getSnapshot: alternating, leanPath });
      const paths = ['/rss.xml', '/category/world/atom.xml', '/feeds.opml', '/category/science-tech/', '/', '/category/world/feed.json'];
      for (const path of [...paths, ...paths]) {
        const before = reads;
        const response = await rawRequest(server.port, path, { headers: { 'accept-encoding': 'br' } });
        expect(reads - before).toBe(1);
        const owner = versions.find((version) => [...version.documents.values()].some((document) => document.brotli.equals(response.body)));
        expect(owner).toBeDefined();
        const document = [...(owner as Snapshot).documents.values()].find((candidate) => candidate.brotli.equals(response.body));
        expect(response.headers.etag).toBe(`${document?.etag.slice(0, -1)}-br"`);
      }
    });

    it('finishes a response in flight from the snapshot it started with', async () => {
      const first = makeSnapshot({ extraDocuments: [bigFeed('first')] });
      const second = makeSnapshot({ version: 'v2', extraDocuments: [bigFeed('second')] });
      server = await startTestServer(first, { leanPath });
      const response = await startGet(server.port, '/rss.xml');
      server.setSnapshot(second);
      const body = await readAll(response);
      expect(response.headers.etag).toBe(first.documents.get('rss.xml')?.etag);
      expect(body.equals(first.documents.get('rss.xml')?.body ?? Buffer.alloc(0))).toBe(true);
      expect((await rawRequest(server.port, '/rss.xml', { method: 'HEAD' })).headers.etag).toBe(second.documents.get('rss.xml')?.etag);
    });
  });

  describe('graceful close', () => {
    it('stops accepting, lets the request in flight finish, then resolves', async () => {
      const snapshot = makeSnapshot({ extraDocuments: [bigFeed('only')] });
      server = await startTestServer(snapshot, { leanPath });
      const { port } = server;
      const response = await startGet(port, '/rss.xml');

      let closed = false;
      const closing = server.close().then(() => {
        closed = true;
      });
      await settle(100);
      expect(closed).toBe(false);
      await expect(rawRequest(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      const body = await readAll(response);
      expect(body.equals(snapshot.documents.get('rss.xml')?.body ?? Buffer.alloc(0))).toBe(true);
      const started = Date.now();
      await closing;
      // Well under the 5 s a kept-alive connection would otherwise hold the server open.
      expect(Date.now() - started).toBeLessThan(1000);
      server = undefined;
    });

    it('closes promptly when a kept-alive client stays connected after its request', async () => {
      server = await startTestServer(makeSnapshot(), { leanPath });
      const response = await fetch(`${server.url}/rss.xml`);
      await response.arrayBuffer();
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(1000);
      server = undefined;
    });
  });
});
