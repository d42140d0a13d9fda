import { Agent } from 'node:http';
import type { ContentCoding } from '../../src/http/negotiate-encoding.ts';
import type { ResponseChecker, SoakRequest } from './check-response.ts';
import type { Corruption } from './corrupt-one-response.ts';
import type { SoakFeed } from './discover-feeds.ts';
import { httpGet } from './http-get.ts';
import type { RawResponse } from './http-get.ts';
import type { SoakTally } from './soak-tally.ts';

export const CODINGS: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/** The key of what a client remembers: a tag names one coding of one feed. */
export const knownTagKey = (path: string, coding: ContentCoding): string => `${path} ${coding}`;

export interface PollOptions {
  readonly port: number;
  readonly feeds: readonly SoakFeed[];
  readonly clients: number;
  /** performance.now() after which no client starts another request. */
  readonly deadline: number;
  /** Clients start spread over this long, as readers do, rather than in one burst of SYNs. */
  readonly rampMs: number;
  /** Share of requests that revalidate a remembered tag. */
  readonly conditionalShare: number;
  /** Tags every client knows at the start: readers that were subscribed before the soak began. */
  readonly primed: ReadonlyMap<string, string>;
  readonly checker: ResponseChecker;
  readonly tally: SoakTally;
  readonly corruption?: Corruption;
  readonly random?: () => number;
  readonly timeoutMs?: number;
  /** False once the service has exited: clients stop instead of counting refusals until the deadline. */
  readonly serviceAlive: () => boolean;
  /** How late the clients' event loop has recently been; see loop-lag.ts. */
  readonly lagMs?: () => number;
}

const NETWORK_ERROR_PAUSE_MS = 100;
/**
 * A connection that may have sat idle this long, as the server counts, is not reused: well inside
 * the 5 s keep-alive a Node server announces, so the server's timeout does not race the request.
 */
const FRESH_CONNECTION_AFTER_MS = 3000;
const newAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 1 });
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One reader: its own keep-alive connection, polling random feeds back to back until the deadline. */
async function runClient(options: PollOptions, index: number): Promise<void> {
  const random = options.random ?? Math.random;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  await pause((index * options.rampMs) / options.clients);
  let agent = newAgent();
  let lastAnswerAt: number | undefined;
  const known = new Map<string, string>();
  // The check of one response runs while the next request is out. Checking first would leave the
  // connection idle meanwhile, and on a busy soak long enough for the server's keep-alive timeout
  // to close it just as the next request goes out.
  let checking: Promise<void> = Promise.resolve();
  try {
    while (performance.now() < options.deadline && options.serviceAlive()) {
      const feed = pick(options.feeds);
      const coding = pick(CODINGS);
      const key = knownTagKey(feed.path, coding);
      const remembered = known.get(key) ?? options.primed.get(key);
      const ifNoneMatch = remembered !== undefined && random() < options.conditionalShare ? remembered : undefined;
      const request: SoakRequest = { feed, coding, ifNoneMatch };
      const headers: Record<string, string> = { 'accept-encoding': coding, ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }) };
      const started = performance.now();
      if (lastAnswerAt !== undefined && started - lastAnswerAt + (options.lagMs?.() ?? 0) >= FRESH_CONNECTION_AFTER_MS) {
        agent.destroy();
        agent = newAgent();
        options.tally.recordFreshConnection();
      }
      let response: RawResponse;
      try {
        response = await httpGet({ port: options.port, path: feed.path, headers, agent, timeoutMs: options.timeoutMs ?? 30_000, ...(options.lagMs ? { lagMs: options.lagMs } : {}) });
        lastAnswerAt = performance.now();
      } catch (error) {
        options.tally.recordNetworkError(request, error, performance.now() - started);
        await pause(NETWORK_ERROR_PAUSE_MS);
        continue;
      }
      const latencyMs = performance.now() - started;
      // A reader revalidates with the tag it was given; whether that tag was right is the check's business.
      const etag = response.headers.etag;
      if (response.status === 200 && etag !== undefined) known.set(key, etag);
      // At most one check in flight per reader; the previous one has had a whole request to finish.
      await checking;
      checking = checkAndRecord(options, request, response, latencyMs);
    }
  } finally {
    await checking;
    agent.destroy();
  }
}

async function checkAndRecord(options: PollOptions, request: SoakRequest, response: RawResponse, latencyMs: number): Promise<void> {
  const verdict = await options.checker.check(request, options.corruption ? options.corruption.apply(request, response) : response);
  options.tally.record(request, verdict, latencyMs, { bodyBytes: response.body.length, retried: response.retried });
}

/** Runs every client to the deadline; resolves when the last one has finished its last request. */
export async function pollFeeds(options: PollOptions): Promise<void> {
  await Promise.all(Array.from({ length: options.clients }, (_, index) => runClient(options, index)));
}
