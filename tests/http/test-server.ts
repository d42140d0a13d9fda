import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { pino } from 'pino';
import { createRequestHandler } from '../../src/http/request-handler.ts';
import type { AppDependencies } from '../../src/http/request-handler.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import type { HttpMetrics } from '../../src/http/metrics.ts';
import type { RunningServer } from '../../src/http/start-server.ts';
import { startServer } from '../../src/http/start-server.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { BUILD_FINISHED } from './fixture-snapshot.ts';

export const MAX_AGE = 300;
/** Scrapes and health checks happen two minutes after the fixture's build finished. */
export const NOW = BUILD_FINISHED + 120_000;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly server: RunningServer;
  readonly metrics: HttpMetrics;
  /** Parsed pino lines written by the app. */
  readonly logs: Record<string, unknown>[];
  setSnapshot(snapshot: Snapshot | undefined): void;
  close(): Promise<void>;
}

/**
 * The two ways the server can answer: with the lean path in front of Koa, as it runs in
 * production, and with Koa alone. Tests of what a response looks like run in both, so the
 * lean path cannot drift from the app it stands in for.
 */
export const SERVING_MODES = [
  { mode: 'with the lean path', leanPath: true },
  { mode: 'through Koa alone', leanPath: false },
] as const;

export interface TestServerOptions extends Partial<Pick<AppDependencies, 'hubUrl' | 'status' | 'getSnapshot'>> {
  /** Answer canonical hits ahead of Koa; on by default, as in production. */
  readonly leanPath?: boolean;
}

export async function startTestServer(snapshot: Snapshot | undefined, options: TestServerOptions = {}): Promise<TestServer> {
  const { leanPath = true, ...overrides } = options;
  let current = snapshot;
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const clock = (): number => NOW;
  const metrics = createMetrics(clock);
  const handler = createRequestHandler({ getSnapshot: () => current, metrics, logger, cacheMaxAgeSeconds: MAX_AGE, clock, ...overrides }, { leanPath });
  const server = await startServer(handler, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    port: server.port,
    server,
    metrics,
    logs,
    setSnapshot(next) {
      current = next;
    },
    close: () => server.close(),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Names and values as sent, in order: [name, value, name, value, …]. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/**
 * A request through node:http, which sends the path exactly as given (fetch would normalise
 * dot segments) and hands back the bytes undecoded (fetch would decompress them).
 */
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
