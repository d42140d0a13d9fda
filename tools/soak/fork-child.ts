import { fork } from 'node:child_process';
import type { ChildProcess, Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ForkedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Sends `orders` and resolves with the first message back: for children that do one job and report. */
  runOnce<Answer>(orders: Serializable): Promise<Answer>;
  /** Ends the child if it is still running and waits for it to go. */
  close(): Promise<void>;
}

/**
 * Forks one of the soak's TypeScript modules as a process of its own, with an IPC channel. The
 * soak's helpers run outside the clients' process so that its busy event loop and thread pool
 * cannot slow them down, nor they it.
 */
export function forkChild(moduleUrl: URL, what: string): ForkedChild {
  // The advanced serialization carries Buffers as bytes rather than as JSON arrays of numbers.
  const child = fork(fileURLToPath(moduleUrl), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    pid: child.pid ?? Number.NaN,
    runOnce<Answer>(orders: Serializable): Promise<Answer> {
      return new Promise((resolve, reject) => {
        child.once('message', (answer) => resolve(answer as Answer));
        // Not 'exit': a busy parent can see the exit before it has read the answer from the
        // channel, whereas 'disconnect' comes after every message sent before it.
        child.once('disconnect', () => reject(new Error(`soak: the ${what} closed its channel (exit ${child.signalCode ?? child.exitCode}) before reporting`)));
        child.once('error', reject);
        child.send(orders);
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
