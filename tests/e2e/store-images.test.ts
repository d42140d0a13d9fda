import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { SAMPLE_JPEG, pngOf } from '../fixtures/images/png.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/** Store images over HTTP on the real server, and the narrow-image problem in /healthz. */

let dir: string | undefined;
let running: RunningWirefeed | undefined;
let jpeg: Buffer;

beforeAll(async () => {
  dir = await makeTempDir();
  const content = path.join(dir, 'content');
  jpeg = await fs.readFile(SAMPLE_JPEG);
  await writeFiles(content, {
    'site.yaml': fixtureSiteYaml(['World']),
    'world/wide.md': '---\ntitle: Wide lead image\ncategory: World\npublished: 2026-03-01T10:00:00Z\nimage: /images/night-sky.jpg\n---\nBody.\n',
    'world/narrow.md': '---\ntitle: Narrow lead image\ncategory: World\npublished: 2026-03-01T11:00:00Z\nimage: /images/small/thumb.png\n---\nBody.\n',
    'images/night-sky.jpg': jpeg,
    'images/small/thumb.png': pngOf(320, 180),
    'images/.secret.png': pngOf(10, 10),
    'images/notes.txt': 'not an image',
  });
  await fs.writeFile(path.join(dir, 'outside.png'), pngOf(900, 600));
  await fs.symlink(path.join(dir, 'outside.png'), path.join(content, 'images', 'linked-out.png'));
  const config = readConfig({ CONTENT_DIR: content, OUTPUT_DIR: path.join(dir, 'public'), PORT: '0', HOST: '127.0.0.1', BASE_URL: 'https://news.example.com' }, dir);
  running = await startWirefeed(config, pino({ level: 'silent' }));
});

afterAll(async () => {
  await running?.stop();
  await removeTempDir(dir);
});

/** A request with the target sent exactly as written (fetch would resolve dot segments first). */
function request(method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(running?.url ?? '');
  return new Promise((resolve, reject) => {
    const sent = http.request({ host: url.hostname, port: url.port, method, path: target, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('store images over HTTP', () => {
  it('serves an image with its media type, a strong ETag, Last-Modified and Cache-Control', async () => {
    const response = await request('GET', '/images/night-sky.jpg');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.headers.etag).toMatch(/^"[^"]+"$/);
    expect(Date.parse(response.headers['last-modified'] ?? '')).not.toBeNaN();
    expect(response.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(response.headers['content-length']).toBe(String(jpeg.length));
    expect(response.body.equals(jpeg)).toBe(true);
    const nested = await request('GET', '/images/small/thumb.png');
    expect([nested.status, nested.headers['content-type']]).toEqual([200, 'image/png']);
  });

  it('answers 304 to a conditional GET, and HEAD with the headers and no body', async () => {
    const first = await request('GET', '/images/night-sky.jpg');
    const etag = first.headers.etag ?? '';
    const byTag = await request('GET', '/images/night-sky.jpg', { 'If-None-Match': etag });
    expect([byTag.status, byTag.body.length, byTag.headers.etag]).toEqual([304, 0, etag]);
    const byDate = await request('GET', '/images/night-sky.jpg', { 'If-Modified-Since': first.headers['last-modified'] ?? '' });
    expect(byDate.status).toBe(304);
    const otherTag = await request('GET', '/images/night-sky.jpg', { 'If-None-Match': '"something-else"' });
    expect(otherTag.status).toBe(200);
    const head = await request('HEAD', '/images/night-sky.jpg');
    expect([head.status, head.headers['content-type'], head.headers['content-length'], head.headers.etag, head.body.length]).toEqual([200, 'image/jpeg', String(jpeg.length), etag, 0]);
  });

  it('hands out nothing else: dot segments are refused, links out, hidden files, non-images and missing files are 404', async () => {
    for (const target of ['/images/../site.yaml', '/images/%2e%2e/site.yaml', '/images/..%2fsite.yaml']) {
      const response = await request('GET', target);
      expect(response.status, target).toBe(400);
      expect(response.body.toString()).not.toContain('tagAuthority');
    }
    for (const target of ['/images/linked-out.png', '/images/.secret.png', '/images/notes.txt', '/images/missing.jpg', '/images/small/', '/images/', '/site.yaml', '/Images/night-sky.jpg']) {
      const response = await request('GET', target);
      expect(response.status, target).toBe(404);
      expect(response.headers['content-type'], target).toMatch(/^text\/plain/);
    }
  });

  it('reports the narrow lead image in /healthz with the file and the size, and publishes the article', async () => {
    const response = await request('GET', '/healthz');
    const body = JSON.parse(response.body.toString()) as { status: string; warnings: { subject: string; field?: string; message: string }[]; articles: { public: number } };
    expect(body.articles.public).toBe(2);
    // Among the warnings (the partner lint may add its own): the image's.
    expect(body.warnings.filter((warning) => warning.field === 'image')).toEqual([
      // Paths are shown relative to the working directory when inside it; the temp store is not.
      { subject: path.join(dir ?? '', 'content', 'world', 'narrow.md'), field: 'image', message: expect.stringMatching(/^lead image \S*content\/images\/small\/thumb\.png is 320x180 pixels, narrower than the 720 pixels/) },
    ]);
    // A warning, not a rejection: the service stays "ok".
    expect(body.status).toBe('ok');
    const rss = (await request('GET', '/rss.xml')).body.toString();
    expect(rss).toContain('<media:content url="https://news.example.com/images/small/thumb.png" fileSize=');
  });
});
