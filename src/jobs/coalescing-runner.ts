/**
 * Runs an async job so that runs never overlap: a trigger that arrives while the job is running
 * schedules exactly one follow-up run after it (however many triggers arrive), never a queue.
 * The inputs of the triggers that arrive meanwhile are merged into that follow-up's input, so a
 * burst of file changes is handled by one run that sees them all.
 */
export interface CoalescingRunner<Input> {
  /** Resolves when a run that started after this call has finished (or rejects with its error). */
  trigger(input: Input): Promise<void>;
  /** Resolves once nothing is running or pending: for shutdown. */
  idle(): Promise<void>;
}

export function createCoalescingRunner<Input>(job: (input: Input) => Promise<void>, merge: (earlier: Input, later: Input) => Input): CoalescingRunner<Input> {
  let current: Promise<void> | undefined;
  let followUp: Promise<void> | undefined;
  let pending: { readonly input: Input } | undefined;

  function start(input: Input): Promise<void> {
    const run = job(input).finally(() => {
      current = undefined;
    });
    current = run;
    return run;
  }

  return {
    trigger(input) {
      if (!current) return start(input);
      pending = { input: pending ? merge(pending.input, input) : input };
      if (!followUp) {
        followUp = current
          .catch(() => undefined)
          .then(() => {
            followUp = undefined;
            const next = pending;
            pending = undefined;
            // `pending` is always set when a follow-up exists; the fallback only satisfies the type.
            return next ? start(next.input) : Promise.resolve();
          });
      }
      return followUp;
    },
    async idle() {
      while (current || followUp) {
        await (followUp ?? current)?.catch(() => undefined);
      }
    },
  };
}
