import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The yardstick for the HTTP figures: plain node:http answering one pre-compressed document with
 * the same headers Wirefeed sends, including the 304 path. Anything Wirefeed spends beyond this
 * is framework and routing overhead.
 */
export async function startBareServer(document: BareDocument): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(document.headers)) response.setHeader(name, value);
    response.setHeader('etag', document.etag);
    if (request.headers['if-none-match'] === document.etag) {
      response.statusCode = 304;
      response.end();
      return;
    }
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const bytes = gzip ? document.gzip : document.body;
    if (gzip) response.setHeader('content-encoding', 'gzip');
    response.setHeader('content-length', bytes.length);
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface BareDocument {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
  readonly headers: Record<string, string>;
}

const PROCESS_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'bare-server-process.ts');

/**
 * The bare server in a process of its own, as Wirefeed runs in one: inside the load generator's
 * process it shared autocannon's event loop, and its figures measured that contention.
 */
export async function startBareServerProcess(document: BareDocument): Promise<{ url: string; close(): Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wirefeed-bare-'));
  await writeFile(path.join(folder, 'body'), document.body);
  await writeFile(path.join(folder, 'body.gz'), document.gzip);
  await writeFile(path.join(folder, 'meta.json'), JSON.stringify({ etag: document.etag, headers: document.headers }));
  const child = spawn(process.execPath, ['--import', 'tsx', PROCESS_ENTRY, folder], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(http:\/\/\S+)\n/m.exec(out)?.[1];
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`bench: the bare server exited with code ${code}`)));
  });
  return {
    url,
    async close() {
      child.kill('SIGTERM');
      await exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
