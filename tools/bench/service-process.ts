import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main.ts');

export interface ServiceProcess {
  readonly url: string;
  /** False once the process has exited, so waits can stop early instead of timing out. */
  alive(): boolean;
  readonly child: ChildProcess;
  /** Peak resident memory so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `src/main.ts` as a real service, exactly as `npm start` would, on a free loopback port. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    // Only what Node needs: Wirefeed's own variables must come from `env`, not from whatever
    // launched the bench (vitest, for one, exports BASE_URL="/").
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (code !== 0) process.stderr.write(`bench: the service exited with ${signal ?? `code ${code}`}\n${stderr}`);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    alive: () => child.exitCode === null && child.signalCode === null,
    async peakRssBytes() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kib ? Number(kib) * 1024 : Number.NaN;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls until `check` holds, returning the time it took; bounded so a broken run cannot hang. */
export async function waitFor(check: () => Promise<boolean>, limitMs: number, what: string, intervalMs = 5): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    // A refused connection means "not yet"; an error thrown by the check itself means "never".
    if (await check().catch((error: unknown) => (error instanceof Error && error.message.startsWith('bench:') ? Promise.reject(error) : false))) {
      return performance.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`bench: gave up after ${limitMs} ms waiting for ${what}`);
}
