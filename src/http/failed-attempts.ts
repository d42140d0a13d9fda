import type { Clock } from '../domain/clock.ts';

export interface FailedAttemptsOptions {
  /** Failures within `windowMs` that earn a block. */
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** The first block; each block earned again before `forgetMs` of quiet doubles it, up to `maxBlockMs`. */
  readonly firstBlockMs?: number;
  readonly maxBlockMs?: number;
  readonly forgetMs?: number;
  /** Addresses remembered at most; the longest unseen is forgotten first, so a flood of addresses cannot fill memory. */
  readonly maxAddresses?: number;
  readonly clock: Clock;
}

export interface FailedAttempts {
  /** Milliseconds this address must wait before it is heard again; 0 when it is not blocked. */
  blockedFor(address: string): number;
  /** One failed attempt from the address; returns the block it earned, 0 for none. */
  recordFailure(address: string): number;
  /** Addresses blocked at this moment, for the metrics. */
  blockedAddresses(): number;
}

interface Entry {
  /** Failure times within the window, oldest first. */
  failures: number[];
  blockedUntil: number;
  /** The last block's length, doubled by the next. */
  lastBlockMs: number;
  lastSeen: number;
}

/**
 * Counts failed partner authentications per client address and blocks an address that fails too
 * often: a block is answered at once with 429 and Retry-After, never by holding the connection,
 * and touches no other address. Guessing a 256-bit token is hopeless anyway; the block keeps a
 * broken client or a scanner from costing a hash per request forever.
 */
export function createFailedAttempts(options: FailedAttemptsOptions): FailedAttempts {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const firstBlockMs = options.firstBlockMs ?? 10_000;
  const maxBlockMs = options.maxBlockMs ?? 15 * 60_000;
  const forgetMs = options.forgetMs ?? 60 * 60_000;
  const maxAddresses = options.maxAddresses ?? 100_000;
  const { clock } = options;
  const entries = new Map<string, Entry>();

  const entryOf = (address: string, now: number): Entry | undefined => {
    const entry = entries.get(address);
    if (entry && now - entry.lastSeen > forgetMs && entry.blockedUntil <= now) {
      entries.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    blockedFor(address) {
      const now = clock();
      const entry = entryOf(address, now);
      return entry ? Math.max(0, entry.blockedUntil - now) : 0;
    },
    recordFailure(address) {
      const now = clock();
      let entry = entryOf(address, now);
      if (!entry) {
        entry = { failures: [], blockedUntil: 0, lastBlockMs: 0, lastSeen: now };
        if (entries.size >= maxAddresses) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
      }
      // Re-inserted so that the map's order is the order addresses were last seen.
      entries.delete(address);
      entries.set(address, entry);
      entry.lastSeen = now;
      entry.failures = entry.failures.filter((at) => now - at < windowMs);
      entry.failures.push(now);
      if (entry.failures.length < maxFailures) return 0;
      entry.lastBlockMs = entry.lastBlockMs === 0 ? firstBlockMs : Math.min(maxBlockMs, entry.lastBlockMs * 2);
      entry.blockedUntil = now + entry.lastBlockMs;
      entry.failures = [];
      return entry.lastBlockMs;
    },
    blockedAddresses() {
      const now = clock();
      let count = 0;
      for (const entry of entries.values()) if (entry.blockedUntil > now) count += 1;
      return count;
    },
  };
}
