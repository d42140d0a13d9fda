import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';

/** `npm start` as an operator runs it: a real process, stopped by a signal, exiting cleanly. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirefeed-process-'));
  await cp(path.resolve('content'), path.join(dir, 'content'), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(['SIGTERM', 'SIGINT'] as const)('the service process on %s', (signal) => {
  it('serves feeds, then stops accepting and exits 0', async () => {
    const service = await startServiceProcess({ CONTENT_DIR: path.join(dir, 'content'), OUTPUT_DIR: path.join(dir, `public-${signal}`) });
    await waitFor(async () => (await fetch(`${service.url}/rss.xml`)).status === 200, 30_000, 'the first feed', 50);
    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
    service.child.kill(signal);
    expect(await exited).toBe(0);
    await expect(fetch(`${service.url}/rss.xml`)).rejects.toThrow();
  }, 60_000);
});

describe('the service process with a bad configuration', () => {
  it('exits with code 2 instead of serving', async () => {
    const service = await startServiceProcess({ CONTENT_DIR: path.join(dir, 'content'), FEED_CRON: 'sometimes' });
    const code = await new Promise<number | null>((resolve) => {
      if (service.child.exitCode !== null) resolve(service.child.exitCode);
      else service.child.once('exit', (exitCode) => resolve(exitCode));
    });
    expect(code).toBe(2);
  }, 30_000);
});
