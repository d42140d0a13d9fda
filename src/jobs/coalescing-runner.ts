/**
 * Runs an async job so that runs never overlap: a trigger that arrives while the job is running
 * schedules exactly one follow-up run after it (however many triggers arrive), never a queue.
 * Hints passed with triggers are merged into that follow-up, so a burst of file changes is
 * handled by one run that sees them all.
 */
export interface CoalescingRunner<Hint> {
  /** Resolves when a run that started after this call has finished (or rejects with its error). */
  trigger(hints?: readonly Hint[]): Promise<void>;
  readonly running: boolean;
  /** Resolves once nothing is running or pending: for shutdown. */
  idle(): Promise<void>;
}

export function createCoalescingRunner<Hint>(job: (hints: readonly Hint[]) => Promise<void>): CoalescingRunner<Hint> {
  let current: Promise<void> | undefined;
  let followUp: Promise<void> | undefined;
  let pendingHints: Hint[] = [];

  function start(): Promise<void> {
    const hints = pendingHints;
    pendingHints = [];
    const run = job(hints).finally(() => {
      current = undefined;
    });
    current = run;
    return run;
  }

  return {
    trigger(hints = []) {
      pendingHints.push(...hints);
      if (!current) return start();
      if (!followUp) {
        followUp = current
          .catch(() => undefined)
          .then(() => {
            followUp = undefined;
            return start();
          });
      }
      return followUp;
    },
    get running() {
      return current !== undefined;
    },
    async idle() {
      while (current || followUp) {
        await (followUp ?? current)?.catch(() => undefined);
      }
    },
  };
}
