import type { FeedFormat } from '../../src/domain/documents.ts';
import { forkChild } from './fork-child.ts';

export interface ValidatorProcess {
  /** The problem with the feed body, or undefined when it is a valid feed. */
  validate(bytes: Uint8Array, format: FeedFormat, subject: string): Promise<string | undefined>;
  readonly pid: number;
  close(): Promise<void>;
}

interface ValidationAnswer {
  readonly id: number;
  readonly problem: string | null;
}

/**
 * Validating a 350 KB XML feed takes 50 to 150 ms. In the process that drives 1,000 sockets that
 * would stall every one of them and the latencies measured would be the load generator's own, so
 * the validator runs in a child process, on whichever core is free.
 */
export function startValidatorProcess(): ValidatorProcess {
  const forked = forkChild(new URL('./validator-child.ts', import.meta.url), 'validator');
  const { child } = forked;
  const pending = new Map<number, { resolve: (problem: string | undefined) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on('message', (answer: ValidationAnswer) => {
    pending.get(answer.id)?.resolve(answer.problem ?? undefined);
    pending.delete(answer.id);
  });
  const failAll = (reason: string): void => {
    for (const waiter of pending.values()) waiter.reject(new Error(reason));
    pending.clear();
  };
  child.once('disconnect', () => failAll(`the validator process closed its channel (exit ${child.signalCode ?? child.exitCode})`));
  child.once('error', (error) => failAll(`the validator process failed: ${error.message}`));
  return {
    pid: forked.pid,
    validate(bytes, format, subject) {
      if (!child.connected) return Promise.reject(new Error('the validator process has gone'));
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, bytes, format, subject });
      });
    },
    close: () => forked.close(),
  };
}
