import { describe, expect, it } from 'vitest';
import { createFailedAttempts } from '../../src/http/failed-attempts.ts';

describe('failed partner authentications per address', () => {
  it('blocks an address after five failures in a minute, for a growing time, and leaves other addresses alone', () => {
    let now = 0;
    const attempts = createFailedAttempts({ clock: () => now });
    for (let i = 0; i < 4; i += 1) expect(attempts.recordFailure('192.0.2.1')).toBe(0);
    const firstBlock = attempts.recordFailure('192.0.2.1');
    expect(firstBlock).toBeGreaterThan(0);
    expect(attempts.blockedFor('192.0.2.1')).toBe(firstBlock);
    expect(attempts.blockedFor('192.0.2.2')).toBe(0);
    expect(attempts.recordFailure('192.0.2.2')).toBe(0);
    now += firstBlock;
    expect(attempts.blockedFor('192.0.2.1')).toBe(0);
    for (let i = 0; i < 4; i += 1) attempts.recordFailure('192.0.2.1');
    expect(attempts.recordFailure('192.0.2.1')).toBeGreaterThan(firstBlock);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const attempts = createFailedAttempts({ clock: () => now });
    for (let i = 0; i < 4; i += 1) attempts.recordFailure('192.0.2.1');
    now += 61_000;
    expect(attempts.recordFailure('192.0.2.1')).toBe(0);
  });
});
