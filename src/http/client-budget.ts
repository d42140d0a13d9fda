import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.ts';
import { NO_STORE, PLAIN_TEXT } from './middleware.ts';

/*
 * Polite limits: every client has a request budget, and a request over it is answered 429 with
 * Retry-After before any routing, lookup or I/O, by one check at the front of the request
 * handler that both the lean path and the Koa app sit behind.
 *
 * The budget is a GCRA (the token bucket written as one timestamp per client): a client may send
 * `burst` requests at once and `perMinute` a minute on average. Checking it is a map lookup and
 * some arithmetic, so a client over its budget costs the others nothing.
 */

/** Who a request is counted against. Partners are identified by name once authenticated; everyone else by address. */
export type ClientIdentity = { readonly kind: 'address'; readonly address: string } | { readonly kind: 'partner'; readonly name: string };
export type ClientKind = ClientIdentity['kind'];

/** RATE_LIMIT: the average a client may send a minute, and how many at once. */
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

/** Generous for a reader or an aggregator polling every few seconds; see the README for why. */
export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ perMinute: 120, burst: 60 });
/** Clients whose budgets are remembered; the least recently seen is forgotten first (it comes back with a full budget). */
export const DEFAULT_TRACKED_CLIENTS = 10_000;

export const RATE_LIMIT_EXAMPLE = 'RATE_LIMIT="120/min burst 60" (120 requests a minute, 60 at once), or RATE_LIMIT=off';
const RATE_LIMIT_FORM = /^(\d{1,7})\s*\/\s*(?:min|minute)(?:\s*(?:,|\s)\s*burst\s*(\d{1,7}))?$/i;

/** Reads RATE_LIMIT: undefined for the default, "off" for none; a problem is a sentence naming the variable and the fix. */
export function parseRateLimit(raw: string | undefined): { readonly ok: true; readonly limit: RateLimit | undefined } | { readonly ok: false; readonly reason: string } {
  if (raw === undefined || raw.trim() === '') return { ok: true, limit: DEFAULT_RATE_LIMIT };
  const written = raw.trim();
  if (written.toLowerCase() === 'off') return { ok: true, limit: undefined };
  const match = RATE_LIMIT_FORM.exec(written);
  const perMinute = Number(match?.[1]);
  const burst = match?.[2] === undefined ? perMinute : Number(match[2]);
  if (match === null || perMinute < 1 || burst < 1) {
    return { ok: false, reason: `RATE_LIMIT="${raw}" must be whole requests a minute of at least 1, with an optional burst of at least 1, like ${RATE_LIMIT_EXAMPLE}; unset it for the default of ${describeLimit(DEFAULT_RATE_LIMIT)}` };
  }
  return { ok: true, limit: Object.freeze({ perMinute, burst }) };
}

export function describeLimit(limit: RateLimit): string {
  return `${limit.perMinute}/min burst ${limit.burst}`;
}

/** What /healthz shows of the budgets. */
export interface ClientBudgetHealth {
  readonly limit: string;
  /** Remembered clients that would be refused if they asked now. */
  readonly clientsLimited: number;
  readonly trackedClients: number;
  /** 429s answered since the service started. */
  readonly refusedTotal: number;
}

export type BudgetDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface ClientBudgets {
  /** Spends one request of the client's budget, or says how long until one is available. */
  take(client: ClientIdentity): BudgetDecision;
  health(): ClientBudgetHealth;
}

export interface ClientBudgetOptions {
  readonly limit: RateLimit;
  readonly clock: Clock;
  readonly maxClients?: number;
}

function keyOf(client: ClientIdentity): string {
  // Different prefixes: a partner named like an address never shares its budget.
  return client.kind === 'address' ? `a ${client.address}` : `p ${client.name}`;
}

export function createClientBudgets(options: ClientBudgetOptions): ClientBudgets {
  const { limit, clock } = options;
  const intervalMs = 60_000 / limit.perMinute;
  // How far ahead of now a client's theoretical arrival time may run: that is the burst.
  const toleranceMs = intervalMs * limit.burst;
  // Per client, when its budget would be full again if it sent nothing more (epoch ms).
  const fullAt = new LRUCache<string, number>({ max: options.maxClients ?? DEFAULT_TRACKED_CLIENTS });
  let refusedTotal = 0;
  return {
    take(client) {
      const key = keyOf(client);
      const now = clock();
      const next = Math.max(fullAt.get(key) ?? now, now) + intervalMs;
      const overBy = next - toleranceMs - now;
      if (overBy > 0) {
        refusedTotal += 1;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(overBy / 1000)) };
      }
      fullAt.set(key, next);
      return { allowed: true };
    },
    health() {
      const now = clock();
      let clientsLimited = 0;
      // Walks at most maxClients numbers without touching their recency; only /healthz asks.
      for (const at of fullAt.values()) if (at + intervalMs - toleranceMs - now > 0) clientsLimited += 1;
      return { limit: describeLimit(limit), clientsLimited, trackedClients: fullAt.size, refusedTotal };
    },
  };
}

/**
 * TRUST_PROXY: how many proxies of this deployment stand in front of the service, each appending
 * the address it saw to X-Forwarded-For. 0 (the default) ignores the header, which any client can
 * write; with N the client is the Nth entry from the right, the one the outermost trusted proxy
 * wrote, so entries a client sent itself are never believed.
 */
export function identifyByAddress(trustProxy: number): (request: IncomingMessage) => ClientIdentity {
  return (request) => {
    const socketAddress = request.socket.remoteAddress ?? 'unknown';
    if (trustProxy === 0) return { kind: 'address', address: socketAddress };
    const header = request.headers['x-forwarded-for'];
    const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const forwarded = entries[entries.length - trustProxy];
    return { kind: 'address', address: forwarded ?? entries[0] ?? socketAddress };
  };
}

/** Answers the request (429) and returns true when the client is over budget; otherwise returns false having touched nothing. */
export type BudgetGate = (request: IncomingMessage, response: ServerResponse) => boolean;

export interface BudgetGateDependencies {
  readonly budgets: ClientBudgets;
  readonly identify: (request: IncomingMessage) => ClientIdentity;
  readonly limit: RateLimit;
  /** Counts each refusal by the kind of client only: an address label would grow without bound. */
  readonly recordRefusal: (kind: ClientKind) => void;
}

/** An orchestrator's probes and the metrics scraper must always get through, whoever else is polling from their address. */
function isExempt(url: string | undefined): boolean {
  if (url === undefined) return false;
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path === '/healthz' || path === '/metrics';
}

export function createBudgetGate(dependencies: BudgetGateDependencies): BudgetGate {
  const { budgets, identify, limit, recordRefusal } = dependencies;
  return (request, response) => {
    if (isExempt(request.url)) return false;
    const client = identify(request);
    const decision = budgets.take(client);
    if (decision.allowed) return false;
    const seconds = decision.retryAfterSeconds;
    const body = `Too many requests: each client may send ${limit.perMinute} a minute on average and ${limit.burst} at once. Retry in ${seconds} second${seconds === 1 ? '' : 's'}; the feeds' Cache-Control max-age says how often polling is useful.\n`;
    response.writeHead(429, {
      'Retry-After': String(seconds),
      'Cache-Control': NO_STORE,
      'Content-Type': PLAIN_TEXT,
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    recordRefusal(client.kind);
    return true;
  };
}
