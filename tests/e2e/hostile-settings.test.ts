import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';

/** Settings an operator can get wrong, as the real process meets them. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirefeed-settings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function copyStore(name: string): Promise<string> {
  const content = path.join(dir, name);
  await cp(path.resolve('content'), content, { recursive: true });
  return content;
}

/** The exit code, or undefined if the process is still running after `ms` (it is then killed). */
async function exitCode(service: ServiceProcess, ms: number): Promise<number | null | undefined> {
  if (!service.alive()) return service.child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      service.child.kill('SIGKILL');
      resolve(undefined);
    }, ms);
    service.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('a site.yaml that is not a regular file', () => {
  it('stops start-up with exit code 2 instead of hanging on a named pipe', async () => {
    const content = await copyStore('fifo');
    await rm(path.join(content, 'site.yaml'));
    execFileSync('mkfifo', [path.join(content, 'site.yaml')]);
    const service = await startServiceProcess({ CONTENT_DIR: content, OUTPUT_DIR: path.join(dir, 'public-fifo') });
    expect(await exitCode(service, 30_000)).toBe(2);
  }, 40_000);
});

describe('BASE_URL', () => {
  it('refuses a base ending in an empty query with exit code 2', async () => {
    const content = await copyStore('query');
    const service = await startServiceProcess({ CONTENT_DIR: content, OUTPUT_DIR: path.join(dir, 'public-query'), BASE_URL: 'https://news.example.com/feeds?' });
    expect(await exitCode(service, 20_000)).toBe(2);
  }, 40_000);

  it('with a path: the feeds\' self links and the Link header name the same URL under that path', async () => {
    const content = await copyStore('based');
    const service = await startServiceProcess({ CONTENT_DIR: content, OUTPUT_DIR: path.join(dir, 'public-based'), BASE_URL: 'https://news.example.com/feeds/' });
    try {
      await waitFor(async () => (await fetch(`${service.url}/rss.xml`)).status === 200, 30_000, 'the first feed', 50);
      const rss = await fetch(`${service.url}/rss.xml`);
      expect(rss.headers.get('link')).toBe('<https://news.example.com/feeds/rss.xml>; rel="self"');
      expect(await rss.text()).toContain('<atom:link href="https://news.example.com/feeds/rss.xml" rel="self"');
      const atom = await fetch(`${service.url}/atom.xml`);
      expect(atom.headers.get('link')).toBe('<https://news.example.com/feeds/atom.xml>; rel="self"');
      expect(await atom.text()).toMatch(/<link rel="self" href="https:\/\/news.example.com\/feeds\/atom.xml"/);
    } finally {
      await service.stop();
    }
  }, 60_000);
});
