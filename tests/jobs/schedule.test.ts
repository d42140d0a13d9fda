import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheLifetimeSeconds, startSchedule } from '../../src/jobs/schedule.ts';

/** June 1st: never reached by these tests, which start on 24 November and run at most 40 days. */
const RARELY = '0 0 1 6 *';

describe('startSchedule', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-24T10:00:30Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['back', -3_600_000],
    ['forward', 3_600_000],
  ])('keeps the cron schedule running after the clock steps %s an hour', async (_direction, stepMs) => {
    const reasons: string[] = [];
    // Date is the stepping wall clock; the fake timers' own time is the monotonic clock.
    let monotonicMs = 0;
    const schedule = startSchedule({ cron: '* * * * *', clock: () => Date.now(), wallClock: () => Date.now(), monotonic: () => monotonicMs, trigger: (reason) => reasons.push(reason) });
    const advance = async (ms: number): Promise<void> => {
      for (let done = 0; done < ms; done += 1000) {
        monotonicMs += 1000;
        await vi.advanceTimersByTimeAsync(1000);
      }
    };
    await advance(60_000);
    expect(reasons).toEqual(['cron']);

    vi.setSystemTime(Date.now() + stepMs);
    await advance(3 * 60_000);
    expect(reasons.filter((reason) => reason === 'cron').length).toBeGreaterThanOrEqual(3);
    expect(reasons).toContain('clock-step');
    const next = schedule.status().nextBuildAt ?? Number.NaN;
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(60_000);
    await schedule.stop();
  });

  it('triggers on the embargo moment, not before, whatever the cron expression', async () => {
    const reasons: string[] = [];
    const schedule = startSchedule({ cron: RARELY, clock: () => Date.now(), trigger: (reason) => reasons.push(reason) });
    const embargo = Date.parse('2026-11-24T10:07:00Z');
    schedule.setNextEmbargo(embargo);
    expect(schedule.status().nextEmbargoAt).toBe(embargo);

    await vi.advanceTimersByTimeAsync(embargo - Date.now() - 1);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(reasons).toEqual(['embargo']);
    await schedule.stop();
  });

  it('reaches embargoes further away than a 32-bit timer can wait', async () => {
    const reasons: string[] = [];
    const schedule = startSchedule({ cron: RARELY, clock: () => Date.now(), trigger: (reason) => reasons.push(reason) });
    const farAway = Date.now() + 40 * 24 * 3600 * 1000;
    schedule.setNextEmbargo(farAway);
    await vi.advanceTimersByTimeAsync(farAway - Date.now() - 1000);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(reasons).toEqual(['embargo']);
    await schedule.stop();
  });

  it('replaces an earlier embargo timer rather than adding a second one', async () => {
    const reasons: string[] = [];
    const schedule = startSchedule({ cron: RARELY, clock: () => Date.now(), trigger: (reason) => reasons.push(reason) });
    schedule.setNextEmbargo(Date.now() + 1000);
    schedule.setNextEmbargo(Date.now() + 5000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(reasons).toEqual(['embargo']);
    await schedule.stop();
  });

  it('fires on the cron schedule and reports the next run', async () => {
    const reasons: string[] = [];
    const schedule = startSchedule({ cron: '* * * * *', clock: () => Date.now(), trigger: (reason) => reasons.push(reason) });
    expect(schedule.status().nextBuildAt).toBe(Date.parse('2026-11-24T10:01:00Z'));
    await vi.advanceTimersByTimeAsync(31_000);
    expect(reasons).toContain('cron');
    await schedule.stop();
  });
});

describe('cacheLifetimeSeconds', () => {
  it('follows the gap between rebuilds, within a minute and an hour', () => {
    expect(cacheLifetimeSeconds('*/5 * * * *')).toBe(300);
    expect(cacheLifetimeSeconds('*/2 * * * *')).toBe(120);
    expect(cacheLifetimeSeconds('* * * * * *')).toBe(60);
    expect(cacheLifetimeSeconds('0 0 * * *')).toBe(3600);
  });
});
