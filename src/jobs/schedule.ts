import cron from 'node-cron';
import type { Clock } from '../domain/clock.ts';

/** setTimeout stores its delay in 32 bits; longer embargoes are reached in hops. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Fire just after the embargo moment, so the build's clock reads "public" for the article. */
const EMBARGO_MARGIN_MS = 5;
/** How often the wall clock is compared with the monotonic clock, to notice a step. */
export const CLOCK_WATCH_INTERVAL_MS = 5_000;
/** A difference beyond this between the two clocks over one interval is a step, not timer jitter or a busy event loop. */
export const CLOCK_STEP_TOLERANCE_MS = 2_000;

export interface ScheduleStatus {
  readonly cron: string;
  readonly nextBuildAt: number | undefined;
  readonly nextEmbargoAt: number | undefined;
}

export interface Schedule {
  /** Arms a one-shot trigger for the next embargo moment, replacing any earlier one. */
  setNextEmbargo(at: number | undefined): void;
  status(): ScheduleStatus;
  stop(): Promise<void>;
}

/** Why the schedule asks for a build. */
export type TriggerReason = 'cron' | 'embargo' | 'clock-step';

export interface ScheduleOptions {
  readonly cron: string;
  /** What embargo moments are measured against (injected in tests). */
  readonly clock: Clock;
  readonly trigger: (reason: TriggerReason) => void;
  /**
   * The system's wall clock, which node-cron arms its timers from: a step of it is what stalls
   * node-cron. Date.now unless a test gives one; never the injected `clock`, which a test may
   * freeze while real time passes.
   */
  readonly wallClock?: () => number;
  /** A clock that never steps (ms from any origin); performance.now() unless a test gives one. */
  readonly monotonic?: () => number;
}

/**
 * Rebuilds on the cron expression, and also exactly when the next embargoed article becomes
 * public, whatever the expression: an hourly cron must not hold a 09:00 story until 10:00.
 *
 * node-cron waits for its next slot with a timer computed from the wall clock when it armed it:
 * after the clock steps back an hour it stays silent for that hour. So the wall clock is
 * compared with a monotonic one every CLOCK_WATCH_INTERVAL_MS, and on a step the cron task is
 * made afresh, the embargo timer re-armed, and a build triggered (an embargo moment may have
 * been stepped over).
 */
export function startSchedule(options: ScheduleOptions): Schedule {
  const { clock, trigger } = options;
  const monotonic = options.monotonic ?? (() => performance.now());
  const wallClock = options.wallClock ?? (() => Date.now());
  // FEED_CRON is judged once, with a message for the operator, by readConfig; node-cron throws on anything else.
  const newTask = () => cron.schedule(options.cron, () => trigger('cron'), { name: 'wirefeed-rebuild', noOverlap: true });
  let task = newTask();
  let embargoTimer: NodeJS.Timeout | undefined;
  let nextEmbargoAt: number | undefined;
  let lastWall = wallClock();
  let lastMonotonic = monotonic();
  const watch = setInterval(() => {
    const wall = wallClock();
    const mono = monotonic();
    const step = wall - lastWall - (mono - lastMonotonic);
    lastWall = wall;
    lastMonotonic = mono;
    if (Math.abs(step) <= CLOCK_STEP_TOLERANCE_MS) return;
    const stale = task;
    task = newTask();
    void stale.destroy();
    arm();
    trigger('clock-step');
  }, CLOCK_WATCH_INTERVAL_MS);
  // The watch alone must not keep a process alive that is otherwise shutting down.
  watch.unref();

  function arm(): void {
    if (embargoTimer) clearTimeout(embargoTimer);
    embargoTimer = undefined;
    if (nextEmbargoAt === undefined) return;
    const wait = Math.max(0, nextEmbargoAt - clock()) + EMBARGO_MARGIN_MS;
    embargoTimer = setTimeout(() => {
      embargoTimer = undefined;
      if (wait > LONGEST_TIMER_MS) arm();
      else trigger('embargo');
    }, Math.min(wait, LONGEST_TIMER_MS));
    // An armed embargo alone must not keep a process alive that is otherwise shutting down.
    embargoTimer.unref();
  }

  return {
    setNextEmbargo(at) {
      if (at === nextEmbargoAt && embargoTimer) return;
      nextEmbargoAt = at;
      arm();
    },
    status() {
      return { cron: options.cron, nextBuildAt: task.getNextRun()?.getTime(), nextEmbargoAt };
    },
    async stop() {
      clearInterval(watch);
      if (embargoTimer) clearTimeout(embargoTimer);
      embargoTimer = undefined;
      await task.destroy();
    },
  };
}

/**
 * How long a cache may keep a feed: the gap between two scheduled rebuilds, bounded so that
 * a daily cron does not tell readers to wait a day and a per-second cron does not make every
 * poll a full fetch.
 */
export function cacheLifetimeSeconds(cronExpression: string): number {
  const probe = cron.createTask(cronExpression, () => undefined);
  try {
    const [first, second] = probe.getNextRuns(2);
    if (!first || !second) return 300;
    const gap = Math.round((second.getTime() - first.getTime()) / 1000);
    return Math.min(3600, Math.max(60, gap));
  } finally {
    void probe.destroy();
  }
}
