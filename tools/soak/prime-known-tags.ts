import { Agent } from 'node:http';
import type { ResponseChecker } from './check-response.ts';
import type { SoakFeed } from './discover-feeds.ts';
import { httpGet } from './http-get.ts';
import { CODINGS, knownTagKey } from './poll-clients.ts';
import type { SoakTally } from './soak-tally.ts';

/**
 * Fetches every feed in every coding once, checked and counted like any other request, and
 * returns the tags: what readers subscribed before the soak began would already hold, so that
 * conditional requests make up their share from the first second.
 */
export async function primeKnownTags(port: number, feeds: readonly SoakFeed[], checker: ResponseChecker, tally: SoakTally): Promise<Map<string, string>> {
  const agent = new Agent({ keepAlive: false });
  const known = new Map<string, string>();
  try {
    await Promise.all(
      feeds.flatMap((feed) =>
        CODINGS.map(async (coding) => {
          const request = { feed, coding, ifNoneMatch: undefined };
          const started = performance.now();
          try {
            const response = await httpGet({ port, path: feed.path, headers: { 'accept-encoding': coding }, agent, timeoutMs: 60_000 });
            const latencyMs = performance.now() - started;
            const verdict = await checker.check(request, response);
            tally.record(request, verdict, latencyMs, { bodyBytes: response.body.length, retried: response.retried });
            if (verdict.ok && verdict.status === 200) known.set(knownTagKey(feed.path, coding), verdict.etag);
          } catch (error) {
            tally.recordNetworkError(request, error, performance.now() - started);
          }
        }),
      ),
    );
  } finally {
    agent.destroy();
  }
  return known;
}
