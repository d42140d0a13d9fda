import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ClientIdentity } from '../../src/http/client-budget.ts';
import { createClientBudgets, identifyByAddress, parseRateLimit } from '../../src/http/client-budget.ts';
import { ConfigError, readConfig } from '../../src/config.ts';

const alice: ClientIdentity = { kind: 'address', address: '192.0.2.1' };
const bob: ClientIdentity = { kind: 'address', address: '192.0.2.2' };

function budgetsAt(start: number, perMinute: number, burst: number, maxClients?: number) {
  const clock = { now: start };
  const budgets = createClientBudgets({ limit: { perMinute, burst }, clock: () => clock.now, ...(maxClients === undefined ? {} : { maxClients }) });
  return { clock, budgets };
}

/** How many of `count` requests sent at once are allowed. */
function sendAtOnce(take: () => { allowed: boolean }, count: number): number {
  let allowed = 0;
  for (let i = 0; i < count; i += 1) if (take().allowed) allowed += 1;
  return allowed;
}

describe('client budgets', () => {
  it('allows the burst at once, then refuses with the seconds until the next request is allowed', () => {
    // 6 a minute: one every 10 s.
    const { clock, budgets } = budgetsAt(1_000_000, 6, 3);
    expect(sendAtOnce(() => budgets.take(alice), 3)).toBe(3);
    expect(budgets.take(alice)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.now += 4_700;
    // 5.3 s to go: Retry-After is whole seconds rounded up, so asking once it has passed succeeds.
    expect(budgets.take(alice)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    clock.now += 5_000;
    expect(budgets.take(alice)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now += 1_000;
    expect(budgets.take(alice)).toEqual({ allowed: true });
    expect(budgets.take(alice).allowed).toBe(false);
  });

  it('never refuses a client that keeps to the average rate, however long it polls', () => {
    const { clock, budgets } = budgetsAt(0, 120, 60);
    for (let i = 0; i < 10_000; i += 1) {
      expect(budgets.take(alice).allowed).toBe(true);
      clock.now += 500;
    }
    expect(budgets.health()).toMatchObject({ clientsLimited: 0, refusedTotal: 0 });
  });

  it('keeps one client over its budget from affecting another', () => {
    const { budgets } = budgetsAt(0, 6, 3);
    expect(sendAtOnce(() => budgets.take(alice), 50)).toBe(3);
    expect(sendAtOnce(() => budgets.take(bob), 3)).toBe(3);
    // A partner and an address of the same spelling are different clients.
    expect(sendAtOnce(() => budgets.take({ kind: 'partner', name: '192.0.2.1' }), 3)).toBe(3);
    // Each has spent its whole burst, so each would be refused now; only Alice was.
    expect(budgets.health()).toEqual({ limit: '6/min burst 3', clientsLimited: 3, trackedClients: 3, refusedTotal: 47 });
  });

  it('remembers at most maxClients budgets, forgetting the least recently seen first', () => {
    const { budgets } = budgetsAt(0, 6, 1, 100);
    expect(budgets.take(alice).allowed).toBe(true);
    for (let i = 0; i < 10_000; i += 1) budgets.take({ kind: 'address', address: `10.0.${i >> 8}.${i & 255}` });
    expect(budgets.health().trackedClients).toBe(100);
    // Alice was pushed out by the flood, so she comes back with a full budget.
    expect(budgets.take(alice).allowed).toBe(true);
  });

  it('counts as limited only the clients that would be refused now', () => {
    const { clock, budgets } = budgetsAt(0, 6, 2);
    sendAtOnce(() => budgets.take(alice), 5);
    sendAtOnce(() => budgets.take(bob), 1);
    expect(budgets.health()).toMatchObject({ clientsLimited: 1, refusedTotal: 3 });
    clock.now += 10_000;
    expect(budgets.health()).toMatchObject({ clientsLimited: 0, refusedTotal: 3 });
  });
});

describe('RATE_LIMIT', () => {
  it.each([
    [undefined, { perMinute: 120, burst: 60 }],
    ['', { perMinute: 120, burst: 60 }],
    ['30/min burst 10', { perMinute: 30, burst: 10 }],
    ['30/minute, burst 5', { perMinute: 30, burst: 5 }],
    ['30/min', { perMinute: 30, burst: 30 }],
    ['off', undefined],
  ])('reads %o', (raw, limit) => {
    expect(parseRateLimit(raw)).toEqual({ ok: true, limit });
    expect(readConfig(raw === undefined ? {} : { RATE_LIMIT: raw }, '/srv').rateLimit).toEqual(limit);
  });

  it.each(['lots', '0/min', '120/hour', '120/min burst 0', '-3/min', '120 per minute'])('refuses %o at start-up, naming the variable and the fix', (raw) => {
    expect(() => readConfig({ RATE_LIMIT: raw }, '/srv')).toThrow(ConfigError);
    expect(() => readConfig({ RATE_LIMIT: raw }, '/srv')).toThrow(new RegExp(`^RATE_LIMIT="${raw}" must be .*like RATE_LIMIT="120/min burst 60".*unset it for the default`));
  });
});

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('TRUST_PROXY', () => {
  it('is off by default: X-Forwarded-For, which any client can write, is ignored', () => {
    const trust = readConfig({}, '/srv').trustProxy;
    expect(trust).toBe(0);
    expect(identifyByAddress(trust)(request('198.51.100.7', '203.0.113.9'))).toEqual({ kind: 'address', address: '198.51.100.7' });
  });

  it('with one proxy, the client is the address that proxy appended, not one the client sent', () => {
    const trust = readConfig({ TRUST_PROXY: 'true' }, '/srv').trustProxy;
    expect(trust).toBe(1);
    expect(identifyByAddress(trust)(request('10.0.0.1', 'forged, 203.0.113.9'))).toEqual({ kind: 'address', address: '203.0.113.9' });
    expect(identifyByAddress(2)(request('10.0.0.1', 'forged, 203.0.113.9, 10.0.0.2'))).toEqual({ kind: 'address', address: '203.0.113.9' });
    expect(identifyByAddress(1)(request('10.0.0.1'))).toEqual({ kind: 'address', address: '10.0.0.1' });
  });

  it('refuses a value that is not a number of proxies', () => {
    expect(() => readConfig({ TRUST_PROXY: 'maybe' }, '/srv')).toThrow(/^TRUST_PROXY="maybe" must be the number of proxies/);
  });
});
