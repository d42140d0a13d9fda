import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { makeTempDir, removeTempDir } from '../store/temp-dir.ts';

/**
 * The real service with a small budget (1 a minute, 3 at once: no request is allowed again
 * while a test runs, however slow the machine), asked from two loopback
 * addresses: the service listens on 127.0.0.1, and a client may connect to it from any address
 * of 127.0.0.0/8, so 127.0.0.2 is a second client with a budget of its own.
 */
const LIMIT = { perMinute: 1, burst: 3 };

let dir: string | undefined;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  dir = await makeTempDir('wirefeed-limits-');
  service = await startServiceProcess({ CONTENT_DIR: path.resolve('content'), OUTPUT_DIR: path.join(dir, 'public'), RATE_LIMIT: `${LIMIT.perMinute}/min burst ${LIMIT.burst}` });
  // Readiness through /healthz, which no budget limits.
  await waitFor(async () => (await get('127.0.0.1', '/healthz')).status === 200, 60_000, 'the first snapshot', 100);
}, 90_000);
afterAll(async () => {
  await service?.stop();
  await removeTempDir(dir);
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function get(from: string, target: string): Promise<Answer> {
  const port = Number(new URL(service?.url ?? '').port);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: target, localAddress: from, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function statuses(from: string, target: string, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await get(from, target)).status);
  return seen;
}

function expectRefusal(answer: Answer): void {
  expect(answer.status).toBe(429);
  // Whole seconds until the next request is allowed: at most one interval (60 s) away.
  expect(answer.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(answer.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60 / LIMIT.perMinute);
  expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.body).toContain(`${LIMIT.perMinute} a minute on average and ${LIMIT.burst} at once`);
  expect(answer.body).toContain(`Retry in ${seconds} second`);
}

describe('per-client request budgets over HTTP', () => {
  it('answers a feed (lean path) within the budget, then 429 with Retry-After; another address is not affected and is limited on the Koa path too', async () => {
    // The canonical feed URL is answered by the lean path, ahead of Koa.
    expect(await statuses('127.0.0.1', '/rss.xml', LIMIT.burst)).toEqual([200, 200, 200]);
    expectRefusal(await get('127.0.0.1', '/rss.xml'));
    expectRefusal(await get('127.0.0.1', '/rss.xml'));

    // A URL only the Koa app answers (a 404), from the second address: its own full budget.
    expect(await statuses('127.0.0.2', '/no-such-feed.xml', LIMIT.burst)).toEqual([404, 404, 404]);
    expectRefusal(await get('127.0.0.2', '/no-such-feed.xml'));
    // Once over budget, a canonical feed is refused as well: the budget is per client, not per path.
    expectRefusal(await get('127.0.0.2', '/rss.xml'));
  }, 30_000);

  it('never limits /healthz or /metrics, and reports the refusals there by client kind', async () => {
    // Its own address and counts read before and after, so this holds whatever ran before it.
    const refused = async (): Promise<{ total: number; metric: number }> => {
      const health = JSON.parse((await get('127.0.0.3', '/healthz')).body) as { clientBudgets: { refusedTotal: number } };
      const metric = /wirefeed_http_rate_limited_total\{client_kind="address"\} (\d+)/.exec((await get('127.0.0.3', '/metrics')).body)?.[1];
      return { total: health.clientBudgets.refusedTotal, metric: Number(metric ?? 0) };
    };
    const before = await refused();
    expect(await statuses('127.0.0.3', '/atom.xml', LIMIT.burst)).toEqual([200, 200, 200]);
    expectRefusal(await get('127.0.0.3', '/atom.xml'));
    expectRefusal(await get('127.0.0.3', '/atom.xml'));
    // Over budget, probes from the same address still get through.
    expect(await statuses('127.0.0.3', '/healthz', 20)).toEqual(Array.from({ length: 20 }, () => 200));
    const health = JSON.parse((await get('127.0.0.3', '/healthz')).body) as { clientBudgets: { limit: string; clientsLimited: number; refusedTotal: number } };
    expect(health.clientBudgets.limit).toBe('1/min burst 3');
    expect(health.clientBudgets.clientsLimited).toBeGreaterThanOrEqual(1);
    const after = await refused();
    expect([after.total - before.total, after.metric - before.metric]).toEqual([2, 2]);
    const metrics = await get('127.0.0.3', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('wirefeed_http_requests_total{route="rate-limited",status="429"}');
    expect(metrics.body).not.toMatch(/127\.0\.0\.\d/);
  }, 30_000);
});

describe('a RATE_LIMIT the service cannot read', () => {
  it('stops start-up with exit code 2 and a message naming the variable and the fix', async () => {
    const broken = await startServiceProcess({ CONTENT_DIR: path.resolve('content'), OUTPUT_DIR: path.join(dir ?? '', 'public-broken'), RATE_LIMIT: 'lots' });
    let stderr = '';
    broken.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // Undefined if it is still running (serving, having ignored the setting) after 30 s.
      const code = await new Promise<number | null | undefined>((resolve) => {
        setTimeout(() => resolve(undefined), 30_000).unref();
        if (!broken.alive()) resolve(broken.child.exitCode);
        else broken.child.once('exit', (exitCode) => resolve(exitCode));
      });
      expect(code).toBe(2);
    } finally {
      await broken.stop();
    }
    expect(stderr).toContain('RATE_LIMIT="lots" must be');
    expect(stderr).toContain('like RATE_LIMIT="120/min burst 60"');
  }, 40_000);
});
