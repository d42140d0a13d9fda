import type { SoakRequest, Verdict } from './check-response.ts';

const KEPT_REASONS = 10;

export interface TallySummary {
  readonly requests: number;
  readonly ok200: number;
  readonly ok304: number;
  /** Requests sent with If-None-Match. */
  readonly conditional: number;
  readonly errors: number;
  /** The first few, in the order they happened. */
  readonly errorReasons: readonly string[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Distinct bodies (identity tags) seen per feed path. */
  readonly versionsByPath: ReadonlyMap<string, number>;
  readonly bodyBytes: number;
  /** Requests sent again after a kept-alive connection closed under them; see http-get.ts. */
  readonly retried: number;
  /** New connections opened instead of reusing one idle near the server's keep-alive timeout. */
  readonly freshConnections: number;
  /** Why the first few were sent again. */
  readonly retryReasons: readonly string[];
}

/** Nearest-rank percentile of values already sorted ascending. */
export function percentileOfSorted(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/** Everything the clients observe, counted in one place; all updates are synchronous. */
export class SoakTally {
  private requests = 0;
  private ok200 = 0;
  private ok304 = 0;
  private conditional = 0;
  private errors = 0;
  private bodyBytes = 0;
  private retried = 0;
  private freshConnections = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly reasons: string[] = [];
  private readonly retryReasons: string[] = [];
  private readonly latencies: number[] = [];
  private readonly versions = new Map<string, Set<string>>();

  /** A 200 counts once the validator has passed its body; see settled(). */
  record(request: SoakRequest, verdict: Verdict, latencyMs: number, response: { readonly bodyBytes: number; readonly retried: string }): void {
    this.count(request, latencyMs);
    this.bodyBytes += response.bodyBytes;
    if (response.retried.length > 0) {
      this.retried += 1;
      if (this.retryReasons.length < KEPT_REASONS) this.retryReasons.push(`${request.feed.path}: ${response.retried}`);
    }
    if (!verdict.ok) return this.fail(verdict.reason);
    if (verdict.status === 304) {
      this.ok304 += 1;
      return;
    }
    let seen = this.versions.get(request.feed.path);
    if (!seen) this.versions.set(request.feed.path, (seen = new Set()));
    seen.add(verdict.identityEtag);
    const settled = verdict.validation.then((problem) => {
      this.pending.delete(settled);
      if (problem === undefined) this.ok200 += 1;
      else this.fail(`${request.feed.path} (${request.coding}): ${problem}`);
    });
    this.pending.add(settled);
  }

  /** A client opened a new connection rather than reuse one the server may have timed out. */
  recordFreshConnection(): void {
    this.freshConnections += 1;
  }

  /** Resolves once every 200 recorded so far has its validator verdict. */
  async settled(): Promise<void> {
    // Bounded: nothing is recorded once the clients have stopped, so each round empties the set.
    for (let round = 0; round < 10 && this.pending.size > 0; round += 1) await Promise.all(this.pending);
  }

  /** A request that got no response at all: refused, reset, cut short or timed out. */
  recordNetworkError(request: SoakRequest, error: unknown, latencyMs: number): void {
    this.count(request, latencyMs);
    this.fail(`${request.feed.path} (${request.coding}): network error: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Cheap running totals for progress lines. */
  progress(): { readonly requests: number; readonly errors: number; readonly awaitingValidation: number } {
    return { requests: this.requests, errors: this.errors, awaitingValidation: this.pending.size };
  }

  summary(): TallySummary {
    const sorted = Float64Array.from(this.latencies).sort();
    const latencies = Array.from(sorted);
    return {
      requests: this.requests,
      ok200: this.ok200,
      ok304: this.ok304,
      conditional: this.conditional,
      errors: this.errors,
      errorReasons: [...this.reasons],
      p50Ms: percentileOfSorted(latencies, 0.5),
      p99Ms: percentileOfSorted(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      versionsByPath: new Map([...this.versions].map(([path, tags]) => [path, tags.size])),
      bodyBytes: this.bodyBytes,
      retried: this.retried,
      freshConnections: this.freshConnections,
      retryReasons: [...this.retryReasons],
    };
  }

  private count(request: SoakRequest, latencyMs: number): void {
    this.requests += 1;
    if (request.ifNoneMatch !== undefined) this.conditional += 1;
    this.latencies.push(latencyMs);
  }

  private fail(reason: string): void {
    this.errors += 1;
    if (this.reasons.length < KEPT_REASONS) this.reasons.push(reason);
  }
}
